"""Retrieval and answer metrics as pure functions of (expected, observed)."""

from __future__ import annotations

import math
import re
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


def related(a: str, b: str) -> bool:
    """Same clause, or one inside the other (a paragraph and its subparagraph)."""
    return a == b or a.startswith(b + "/") or b.startswith(a + "/")


def citation_hit(expected: Sequence[str], cited: Sequence[str]) -> float:
    """1 when the answer cites at least one expected clause (or a clause inside/around it)."""
    return 1.0 if any(related(c, e) for c in cited for e in expected) else 0.0


def citation_precision(expected: Sequence[str], cited: Sequence[str], supported: Sequence[bool]) -> float:
    """ALCE-style: share of citations that are expected or support their sentence."""
    if not cited:
        return 0.0
    good = sum(
        1 for c, ok in zip(cited, supported, strict=True) if ok or any(related(c, e) for e in expected)
    )
    return good / len(cited)


def citation_recall(expected: Sequence[str], cited: Sequence[str]) -> float:
    """Share of expected clauses that the answer cites."""
    if not expected:
        return 0.0
    return sum(1 for e in expected if any(related(c, e) for c in cited)) / len(expected)


def invented(cited: Sequence[str], known: set[str], retrieved: set[str]) -> int:
    """Citations of clauses that do not exist or were not among the retrieved clauses."""
    return sum(1 for c in cited if c not in known or c not in retrieved)


def mention_coverage(terms: Sequence[str], answer: str) -> float:
    if not terms:
        return 1.0
    text = answer.lower()
    return sum(1 for t in terms if re.search(r"(?<!\w)" + re.escape(t.lower()) + r"(?!\w)", text)) / len(
        terms
    )


def abstention_scores(rows: Sequence[tuple[bool, bool]]) -> dict[str, float]:
    """rows of (answerable, abstained) -> precision/recall of abstaining, false refusals."""
    should = [a for ans, a in rows if not ans]
    did = [ans for ans, a in rows if a]
    answerable = [a for ans, a in rows if ans]
    return {
        "abstention_recall": mean([1.0 if a else 0.0 for a in should]) if should else 0.0,
        "abstention_precision": mean([0.0 if ans else 1.0 for ans in did]) if did else 0.0,
        "false_refusal_rate": mean([1.0 if a else 0.0 for a in answerable]) if answerable else 0.0,
    }
