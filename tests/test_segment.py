"""Segmentation of the real corpus: the counts of ../shared/corpus/README.md and more."""

from __future__ import annotations

import re

from conftest import C1961, C1971, C1988, RESOLUTION

from assistant.types import LOCATOR_KINDS, Corpus


def _kind_count(corpus: Corpus, instrument: str, kind: str) -> int:
    return sum(1 for c in corpus.clauses_of(instrument) if len(c.locator) == 1 and c.locator[0][0] == kind)


def test_resolution_counts(corpus: Corpus) -> None:
    assert _kind_count(corpus, RESOLUTION, "preamble") == 14
    assert _kind_count(corpus, RESOLUTION, "operative") == 7
    assert _kind_count(corpus, RESOLUTION, "footnote") == 5
    assert _kind_count(corpus, RESOLUTION, "header") == 1


def test_convention_article_counts(corpus: Corpus) -> None:
    def articles(inst: str) -> list[str]:
        return [
            c.locator[0][1]
            for c in corpus.clauses_of(inst)
            if len(c.locator) == 1 and c.locator[0][0] == "article"
        ]

    a61 = articles(C1961)
    assert len(a61) == 54
    assert {"14 bis", "21 bis", "38 bis"} <= set(a61)
    assert [a for a in a61 if "bis" not in a] == [str(n) for n in range(1, 52)]
    assert articles(C1971) == [str(n) for n in range(1, 34)]
    assert articles(C1988) == [str(n) for n in range(1, 35)]


def test_every_clause_is_well_formed(corpus: Corpus) -> None:
    ids = [c.clause_id for c in corpus.clauses]
    assert len(ids) == len(set(ids)), "clause ids are unique"
    for clause in corpus.clauses:
        assert clause.text.strip(), clause.clause_id
        assert clause.clause_id.startswith(clause.instrument + "/")
        assert re.fullmatch(r"[a-z0-9-]+(/[a-z0-9-]+)+", clause.clause_id), clause.clause_id
        assert all(kind in LOCATOR_KINDS for kind, _ in clause.locator)
        for bad in ("<sup>", "](", "**", "[EDITORIAL", "[GAP", "\u0000"):
            assert bad not in clause.text, (clause.clause_id, bad)


def test_labels_and_locators(corpus: Corpus) -> None:
    by_id = corpus.by_id()
    b = by_id[f"{C1961}/art-36/para-1/b"]
    assert b.label == "1961 Convention, art. 36(1)(b)"
    assert b.locator == (("article", "36"), ("paragraph", "1"), ("subparagraph", "b"))
    assert b.title == "Penal provisions"
    assert b.text.startswith("Notwithstanding the preceding subparagraph")
    assert by_id[f"{RESOLUTION}/op-5"].label == "Resolution, operative para. 5"
    assert by_id[f"{RESOLUTION}/op-5"].locator == (("operative", "5"),)
    assert by_id[f"{C1988}/art-3/para-4/c"].label == "1988 Convention, art. 3(4)(c)"
    roman = by_id[f"{C1961}/art-36/para-2/a/ii"]
    assert roman.locator[-1] == ("clause", "ii")
    assert roman.chapeau.startswith("Subject to the constitutional limitations of a Party")
    assert by_id[f"{C1961}/art-14-bis"].label == "1961 Convention, art. 14 bis"


def test_letter_i_versus_roman_i(corpus: Corpus) -> None:
    by_id = corpus.by_id()
    # art. 1(1)(i) of the 1961 Convention is the definition after (h), not a roman clause
    assert by_id[f"{C1961}/art-1/para-1/i"].text.startswith("“Cultivation”")
    assert by_id[f"{C1961}/art-1/para-1/x/i"].text.startswith("Consumption")
    assert by_id[f"{C1988}/art-3/para-1/a/v"].locator[-1] == ("clause", "v")


def test_markdown_faults_are_cleaned(corpus: Corpus) -> None:
    by_id = corpus.by_id()
    assert "means the flowering" in by_id[f"{C1961}/art-1/para-1/b"].text  # "means**the"
    assert "The Parties, Concerned with" in by_id[f"{C1961}/preamble"].text  # run-together recitals
    assert "the 1961 Convention as amended;" in by_id[f"{C1988}/art-3/para-1/a/ii"].text
    assert "../" not in by_id[f"{C1988}/art-3/para-1/a/ii"].text  # link target dropped


def test_paragraph_split_by_page_break_is_joined(corpus: Corpus) -> None:
    by_id = corpus.by_id()
    pp3 = by_id[f"{RESOLUTION}/pp-3"]
    assert "in addition to conviction or punishment, that drug-using offenders should" in pp3.text
    assert "General Assembly resolution" not in pp3.text  # footnotes stay out of the body
    assert pp3.page == 1
    pp10 = by_id[f"{RESOLUTION}/pp-10"]
    assert "limited alternatives to prosecution and imprisonment for drug-using offenders" in pp10.text
    assert "Treaty Series" not in pp10.text
    assert by_id[f"{RESOLUTION}/fn-5"].page == 2
    assert by_id[f"{RESOLUTION}/op-7"].page == 3


def test_header_has_sponsors_session_and_date(corpus: Corpus) -> None:
    header = corpus.by_id()[f"{RESOLUTION}/header"].text
    for fact in (
        "Mexico and the United States of America",
        "Fifty-fifth session",
        "15 March 2012",
        "Vienna, 12-16 March 2012",
    ):
        assert fact in header


def test_schedules_and_annex(corpus: Corpus) -> None:
    by_id = corpus.by_id()
    for inst in (C1961, C1971):
        for n in ("i", "ii", "iii", "iv"):
            assert by_id[f"{inst}/schedule-{n}"].text
    assert "CODEINE" in by_id[f"{C1961}/schedule-ii"].text
    assert "Ephedrine" in by_id[f"{C1988}/annex/table-i"].text
    assert "Acetone" in by_id[f"{C1988}/annex/table-ii"].text
    assert "Acetone" not in by_id[f"{C1988}/annex/table-i"].text
    assert by_id[f"{C1971}/testimonium"].text.startswith("IN WITNESS WHEREOF")


def test_parent_text_contains_children(corpus: Corpus) -> None:
    by_id = corpus.by_id()
    art36 = by_id[f"{C1961}/art-36"]
    for child in corpus.children(art36.clause_id):
        assert child.parent_id == art36.clause_id
    assert by_id[f"{C1961}/art-36/para-1/b"].text in art36.text
