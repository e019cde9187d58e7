"""Retrieval and answer metrics as pure functions of (expected, observed)."""

from __future__ import annotations

import math
from collections.abc import Sequence


def recall_at_k(gold: Sequence[str], ranked: Sequence[str], k: int) -> float:
    """Share of the gold items found in the first k results."""
    if not gold:
        return 0.0
    top = set(ranked[:k])
    return sum(1 for g in set(gold) if g in top) / len(set(gold))


def hit_at_k(gold: Sequence[str], ranked: Sequence[str], k: int) -> float:
    """1 when any gold item is in the first k results."""
    return 1.0 if set(gold) & set(ranked[:k]) else 0.0


def reciprocal_rank(gold: Sequence[str], ranked: Sequence[str]) -> float:
    wanted = set(gold)
    for i, item in enumerate(ranked, 1):
        if item in wanted:
            return 1.0 / i
    return 0.0


def ndcg_at_k(gold: Sequence[str], ranked: Sequence[str], k: int) -> float:
    """Binary-relevance nDCG."""
    wanted = set(gold)
    if not wanted:
        return 0.0
    dcg = sum(1.0 / math.log2(i + 1) for i, item in enumerate(ranked[:k], 1) if item in wanted)
    ideal = sum(1.0 / math.log2(i + 1) for i in range(1, min(len(wanted), k) + 1))
    return dcg / ideal


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100); 0.0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else 0.0
