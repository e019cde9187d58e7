"""Pieces of the hybrid search that stand alone: fusing searches, the names in the lists."""

from __future__ import annotations

import pytest
from conftest import C1961, RESOLUTION

from assistant.retrieve import Hit, HybridSearcher, SearchResult, fuse, list_entries
from assistant.types import Corpus


def test_fuse_ranks_what_both_searches_agree_on_first(corpus: Corpus) -> None:
    by_id = corpus.by_id()
    a, b, c = (by_id[f"{RESOLUTION}/op-{n}"] for n in (1, 2, 3))
    first = SearchResult([Hit(a, 0.9), Hit(b, 0.8)], {"total": 2.0}, dense_top=0.4, explicit=["x"])
    second = SearchResult([Hit(b, 0.7), Hit(c, 0.6)], {"total": 3.0}, dense_top=0.6, explicit=["x", "y"])
    out = fuse([first, second], k=3)
    assert [h.clause.clause_id for h in out.hits] == [b.clause_id, a.clause_id, c.clause_id]
    assert out.timings_ms == {"total": 5.0}
    assert out.dense_top == 0.6 and out.explicit == ["x", "y"]
    assert len(fuse([first, second], k=1).hits) == 1


def test_list_entries_are_the_names_in_the_schedules(corpus: Corpus) -> None:
    entries = list_entries(corpus.clauses)
    assert entries["mdma"] == ["psychotropic-convention-1971/schedule-i"]
    assert entries["acetone"] == ["illicit-traffic-convention-1988/annex/table-ii"]
    assert f"{C1961}/schedule-i" in entries["heroin"]
    # words of the notes under a list, or found in the articles too, are not names
    for word in ("revised", "october", "cannabis", "salts", "convention"):
        assert word not in entries


def test_the_asked_ranker_finds_clauses_by_the_questions_they_answer(pipeline: object) -> None:
    searcher = pipeline.searcher  # type: ignore[attr-defined]
    assert searcher.question_store is not None and searcher.question_store.count() > len(searcher.by_id)
    question = "Is it possible for a country to refuse to extradite someone for a petty drug offence?"
    ranked = searcher.asked(question, 20)
    ids = [cid for cid, _ in ranked]
    assert len(ids) == len(set(ids)) and 10 <= len(ids) <= 20  # one entry per clause, at its best question
    scores = [s for _, s in ranked]
    assert scores == sorted(scores, reverse=True)
    assert all(cid in searcher.by_id for cid in ids)
    assert all(
        cid.startswith("psychotropic")
        for cid, _ in searcher.asked(question, 5, ["psychotropic-convention-1971"])
    )
    hits = searcher.search(question, k=5).hits
    assert any("asked" in h.sources for h in hits)


def test_a_clear_lead_in_words_counts_twice(corpus: Corpus, monkeypatch: pytest.MonkeyPatch) -> None:
    import assistant.retrieve as retrieve

    searcher = HybridSearcher(corpus, None, None)  # BM25 and coverage only
    question = "Which paragraph invites States with successful experiences to share examples of legislation?"
    words = searcher.sparse(question, 10)
    assert words[0][1] >= retrieve.BM25_CLEAR_LEAD * words[1][1]  # the premise: a clear lead
    lead = words[0][0]
    hits = searcher.search(question, k=5).hits
    with_lead = {h.clause.clause_id: h.score for h in hits}
    placed = {h.clause.clause_id for h in hits if {"parallel", "topic"} & set(h.sources)}
    monkeypatch.setattr(retrieve, "BM25_CLEAR_LEAD", float("inf"))
    without = {h.clause.clause_id: h.score for h in searcher.search(question, k=5).hits}
    assert with_lead[lead] - without[lead] == pytest.approx(1.0 / (retrieve.RRF_K + 1))
    # nothing else moves (but the map's parallels, which are placed just below the best)
    assert all(
        with_lead[c] == pytest.approx(without[c])
        for c in with_lead
        if c != lead and c in without and c not in placed
    )
