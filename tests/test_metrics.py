"""Metrics are pure functions: checked on hand-made examples."""

from __future__ import annotations

import math

import pytest

from assistant.evaluation import metrics as m


def test_retrieval_metrics() -> None:
    ranked = ["a", "b", "c", "d"]
    assert m.recall_at_k(["b", "z"], ranked, 1) == 0.0
    assert m.recall_at_k(["b", "z"], ranked, 2) == 0.5
    assert m.hit_at_k(["c"], ranked, 3) == 1.0
    assert m.reciprocal_rank(["c"], ranked) == pytest.approx(1 / 3)
    assert m.reciprocal_rank(["z"], ranked) == 0.0
    assert m.ndcg_at_k(["a"], ranked, 10) == 1.0
    assert m.ndcg_at_k(["b"], ranked, 10) == pytest.approx(1 / math.log2(3))
    assert m.ndcg_at_k(["a", "b"], ["b", "a"], 10) == 1.0


def test_citation_metrics() -> None:
    expected = ["x/art-36/para-1/b", "x/art-22/para-1/b"]
    assert m.citation_hit(expected, ["x/art-36/para-1"]) == 1.0  # the paragraph around it
    assert m.citation_hit(expected, ["x/art-38"]) == 0.0
    assert m.citation_recall(expected, ["x/art-36/para-1/b"]) == 0.5
    assert m.citation_precision(expected, ["x/art-36/para-1/b", "x/art-9"], [True, False]) == 0.5
    assert m.citation_precision(expected, ["x/art-9"], [True]) == 1.0  # supports its sentence
    assert m.invented(["a", "b", "zz"], known={"a", "b"}, retrieved={"a"}) == 2


def test_answer_and_abstention_metrics() -> None:
    assert m.mention_coverage(["treatment", "Mexico"], "Mexico asks for TREATMENT") == 1.0
    assert m.mention_coverage(["x", "y"], "only x") == 0.5
    rows = [(True, False), (True, True), (False, True), (False, False)]
    s = m.abstention_scores(rows)
    assert (
        s["abstention_recall"] == 0.5 and s["abstention_precision"] == 0.5 and s["false_refusal_rate"] == 0.5
    )
    assert m.percentile([5, 1, 3, 2, 4], 50) == 3 and m.percentile([], 95) == 0.0
