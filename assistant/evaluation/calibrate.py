"""Calibrate the abstention thresholds on question sets, not by hand on single questions.

In-scope questions come from the retrieval set and the answerable gold cases; out-of-scope
ones from the gold cases that must abstain (those the rules already catch are left out, since
the thresholds only see what the rules let through).  The chosen pair keeps false refusals at
or under the target while abstaining on as many out-of-scope questions as possible.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from assistant.answer.guard import looks_like_injection, out_of_scope_reason
from assistant.answer.text import overlap
from assistant.pipeline import Pipeline


def features(pipeline: Pipeline, question: str) -> tuple[float, float]:
    result = pipeline.retrieve(question)
    hits = [h for h in result.hits if h.clause.locator][:3]
    best = max((overlap(question, h.clause.context + " " + h.clause.text) for h in hits), default=0.0)
    return result.dense_top, best


def calibrate(
    pipeline: Pipeline, in_scope: Sequence[str], out_of_scope: Sequence[str], max_false_refusal: float = 0.015
) -> dict[str, Any]:
    pos = [features(pipeline, q) for q in in_scope]
    neg = [
        features(pipeline, q)
        for q in out_of_scope
        if not looks_like_injection(q) and not out_of_scope_reason(q)
    ]
    best: dict[str, Any] = {}
    for d in [x / 100 for x in range(10, 61, 2)]:
        for o in [x / 100 for x in range(10, 81, 4)]:
            refused = sum(1 for dv, ov in pos if dv < d and ov < o) / len(pos)
            caught = sum(1 for dv, ov in neg if dv < d and ov < o) / len(neg) if neg else 0.0
            # most out-of-scope caught; on a tie, the stricter pair (more margin for unseen ones)
            if refused <= max_false_refusal and (
                not best
                or caught > best["oos_caught"]
                or (
                    caught == best["oos_caught"]
                    and d + o > best["dense_threshold"] + best["overlap_threshold"]
                )
            ):
                best = {
                    "dense_threshold": d,
                    "overlap_threshold": o,
                    "false_refusal": round(refused, 4),
                    "oos_caught": round(caught, 4),
                }
    best.update({"in_scope": len(pos), "out_of_scope_seen_by_thresholds": len(neg)})
    return best
