"""Cross-references in the texts and human references typed by a user."""

from __future__ import annotations

import pytest
from conftest import C1961, C1971, C1988, RESOLUTION

from assistant.corpus.references import _paths, normalize, parse_reference
from assistant.types import Corpus


def test_footnote_5_resolves_to_the_four_convention_clauses(corpus: Corpus) -> None:
    fn5 = corpus.by_id()[f"{RESOLUTION}/fn-5"]
    assert set(fn5.references) == {
        f"{C1961}/art-36/para-1/b",
        f"{C1971}/art-22/para-1/b",
        f"{C1988}/art-3/para-4/b",
        f"{C1988}/art-3/para-4/c",
    }


def test_footnote_markers_and_instruments_without_text(corpus: Corpus) -> None:
    by_id = corpus.by_id()
    pp2 = by_id[f"{RESOLUTION}/pp-2"].references
    assert {f"{RESOLUTION}/fn-{n}" for n in (1, 2, 3, 4)} <= set(pp2)
    assert by_id[f"{RESOLUTION}/pp-3"].references == (f"{RESOLUTION}/fn-5",)
    assert by_id[f"{RESOLUTION}/fn-2"].references == ("ga-s-20-3",)
    assert by_id[f"{RESOLUTION}/fn-4"].references == ("political-declaration-2009",)
    assert "ga-66-183" in by_id[f"{RESOLUTION}/pp-5"].references
    assert "salvador-declaration-2010" in by_id[f"{RESOLUTION}/pp-6"].references


def test_references_inside_conventions(corpus: Corpus) -> None:
    by_id = corpus.by_id()
    # the source typo "paragraph I of article 38" still reaches art. 38(1)
    assert f"{C1961}/art-38/para-1" in by_id[f"{C1961}/art-36/para-1/b"].references
    assert f"{C1971}/art-20/para-1" in by_id[f"{C1971}/art-22/para-1/b"].references
    # "paragraphs 1 and 2 (a) (ii) of this article"
    refs = by_id[f"{C1961}/art-36/para-2/b/i"].references
    assert f"{C1961}/art-36/para-1" in refs and f"{C1961}/art-36/para-2/a/ii" in refs
    # the 1988 Convention names the earlier conventions
    assert C1961 in by_id[f"{C1988}/art-3/para-1/a/ii"].references


def test_cited_by(corpus: Corpus) -> None:
    citing = [c.clause_id for c in corpus.cited_by(f"{C1988}/art-3/para-4/c")]
    assert f"{RESOLUTION}/fn-5" in citing


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("1961 Convention art. 36(1)(b)", f"{C1961}/art-36/para-1/b"),
        ("OP 5", f"{RESOLUTION}/op-5"),
        ("operative paragraph 5", f"{RESOLUTION}/op-5"),
        ("op. 3 of the resolution", f"{RESOLUTION}/op-3"),
        ("preambular paragraph 14", f"{RESOLUTION}/pp-14"),
        ("art 3(4)(c) of the 1988 Convention", f"{C1988}/art-3/para-4/c"),
        ("paragraph 4 (c) of the 1988 Convention", f"{C1988}/art-3/para-4/c"),
        ("article 22, paragraph 1 (b) of the 1971 Convention", f"{C1971}/art-22/para-1/b"),
        ("Single Convention article 38 bis", f"{C1961}/art-38-bis"),
        ("S-20/3", "ga-s-20-3"),
        ("resolution 66/183", "ga-66-183"),
        ("footnote 5", f"{RESOLUTION}/fn-5"),
        ("Schedule II of the 1961 Convention", f"{C1961}/schedule-ii"),
        (f"{C1971}/art-20/para-1", f"{C1971}/art-20/para-1"),
        ("the fifth note of the resolution", f"{RESOLUTION}/fn-5"),
        ("the second preambular paragraph", f"{RESOLUTION}/pp-2"),
        ("the third operative paragraph", f"{RESOLUTION}/op-3"),
        ("the fourteenth paragraph of the preamble", f"{RESOLUTION}/pp-14"),
        ("the first table annexed to the 1988 Convention", f"{C1988}/annex/table-i"),
        ("table two of the 1988 Convention", f"{C1988}/annex/table-ii"),
        ("the fourth schedule of the 1971 Convention", f"{C1971}/schedule-iv"),
    ],
)
def test_parse_reference(corpus: Corpus, query: str, expected: str) -> None:
    assert parse_reference(query, corpus.instruments, corpus.by_id())[0] == expected


@pytest.mark.parametrize("query", ["art 99 of the 1961 Convention", "OP 12", "hello there", ""])
def test_unknown_reference_gives_nothing(corpus: Corpus, query: str) -> None:
    assert parse_reference(query, corpus.instruments, corpus.by_id()) == []


def test_path_grammar() -> None:
    assert _paths("4 (b) and (c)") == [("4", "b"), ("4", "c")]
    assert _paths("1 and 2 (a) (ii)") == [("1",), ("2", "a", "ii")]
    assert normalize("Art. 36(1)(b)") == "article 36 paragraph 1(b)"
