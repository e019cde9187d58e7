"""Pieces of the hybrid search that stand alone: fusing searches, the names in the lists."""

from __future__ import annotations

from conftest import C1961, RESOLUTION

from assistant.retrieve import Hit, SearchResult, fuse, list_entries
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
