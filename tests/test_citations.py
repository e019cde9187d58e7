"""Every validation rule of the citation check, on scripted model outputs."""

from __future__ import annotations

from assistant.answer.citations import check_sentences, number_citations, sentences_from_markers
from assistant.answer.compose import Sentence
from assistant.types import Clause, Instrument

A = Clause(
    "x/art-1",
    "x",
    "X, art. 1",
    (("article", "1"),),
    "Each Party shall provide treatment and rehabilitation for drug abusers.",
)
B = Clause(
    "x/art-2", "x", "X, art. 2", (("article", "2"),), "The Board shall publish an annual report on its work."
)
C = Clause(
    "x/art-3",
    "x",
    "X, art. 3",
    (("article", "3"),),
    "Extradition may be refused for offences that are not serious.",
)
INST = {"x": Instrument("x", "X/1", "Instrument X", "X", "2000", "https://example.org/x")}


def test_markers_map_to_numbered_clauses() -> None:
    out = sentences_from_markers(
        "Parties provide treatment for drug abusers [1]. The Board publishes a report [2].", [A, B]
    )
    assert [s.clause_ids for s in out] == [("x/art-1",), ("x/art-2",)]
    assert out[0].text == "Parties provide treatment for drug abusers."


def test_marker_pointing_to_no_clause_is_removed() -> None:
    out = sentences_from_markers("Parties provide treatment for drug abusers [1][7].", [A])
    report = check_sentences(out, {"x/art-1": A})
    assert report.sentences == (Sentence("Parties provide treatment for drug abusers.", ("x/art-1",)),)
    assert report.dropped_markers == 1


def test_citation_of_a_clause_not_retrieved_is_removed() -> None:
    report = check_sentences([Sentence("Extradition may be refused.", ("x/art-3",))], {"x/art-1": A})
    assert report.sentences == () and report.dropped_sentences == 1


def test_unsupported_sentence_is_dropped() -> None:
    sentences = [
        Sentence("Each Party shall provide treatment and rehabilitation.", ("x/art-1",)),
        Sentence("The death penalty is mandatory for cannabis smugglers.", ("x/art-1",)),
    ]
    report = check_sentences(sentences, {"x/art-1": A})
    assert [s.text for s in report.sentences] == ["Each Party shall provide treatment and rehabilitation."]
    assert report.dropped_sentences == 1


def test_sentence_without_marker_is_dropped() -> None:
    out = sentences_from_markers("Treatment is provided [1]. Also, the moon is made of cheese.", [A])
    report = check_sentences(out, {"x/art-1": A})
    assert len(report.sentences) == 1


def test_nothing_valid_leaves_nothing() -> None:
    out = sentences_from_markers("Cannabis is legal everywhere [3].", [A, B])
    assert check_sentences(out, {"x/art-1": A, "x/art-2": B}).sentences == ()


def test_numbering_follows_first_use_and_citations_carry_verbatim_text() -> None:
    text, cites = number_citations(
        [Sentence("The Board reports.", ("x/art-2",)), Sentence("Parties treat.", ("x/art-1", "x/art-2"))],
        {"x/art-1": A, "x/art-2": B},
        INST,
    )
    assert text == "The Board reports [1]. Parties treat [2][1]."
    assert [(c.marker, c.clause_id) for c in cites] == [(1, "x/art-2"), (2, "x/art-1")]
    assert cites[1].text == A.text and cites[1].url == "https://example.org/x"
