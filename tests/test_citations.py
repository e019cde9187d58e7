"""Every validation rule of the citation check, on scripted model outputs."""

from __future__ import annotations

from assistant.answer.citations import check_sentences, number_citations, sentences_from_markers
from assistant.answer.compose import Sentence
from assistant.types import Clause, Corpus, Instrument

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


# -- multilingual (issue #14): a sentence in another language must quote the English clause ------
CLAUSE = (
    "Notwithstanding the preceding subparagraph, when abusers of drugs have committed such offences, "
    "the Parties may provide, either as an alternative to conviction or punishment or in addition to "
    "conviction or punishment, that such abusers shall undergo measures of treatment, education, "
    "after-care, rehabilitation and social reintegration"
)


def test_verbatim_quote_accepts_five_words_of_the_clause_in_quotation_marks() -> None:
    from assistant.answer.citations import verbatim_quote

    assert verbatim_quote('Las Partes pueden disponer que "such abusers shall undergo measures".', CLAUSE)
    assert verbatim_quote(
        "Les Parties peuvent prévoir « as an alternative to conviction or punishment ».", CLAUSE
    )
    assert verbatim_quote("缔约国可以规定「such abusers shall undergo measures of treatment」。", CLAUSE)
    assert verbatim_quote(
        "Стороны могут „Such Abusers Shall Undergo Measures“ применять.", CLAUSE
    )  # case aside


def test_verbatim_quote_refuses_short_invented_unquoted_or_stitched_quotes() -> None:
    from assistant.answer.citations import verbatim_quote

    assert not verbatim_quote('Dice "measures of treatment" [1].', CLAUSE)  # fewer than five words
    assert not verbatim_quote('Dice "treatment is always mandatory for users".', CLAUSE)  # not in the clause
    assert not verbatim_quote(
        "Dice such abusers shall undergo measures of treatment.", CLAUSE
    )  # no quotation marks
    assert not verbatim_quote(
        'Dice "such abusers shall undergo rehabilitation and social".', CLAUSE
    )  # not a run
    assert not verbatim_quote('Dice "abusers of drug have committed such".', CLAUSE)  # a word changed


def test_a_sentence_in_another_language_is_kept_only_with_a_quote(corpus: Corpus) -> None:
    clause = corpus.by_id()["single-convention-1961/art-36/para-1/b"]
    retrieved = {clause.clause_id: clause}
    quoting = Sentence(
        'Las Partes pueden disponer que "such abusers shall undergo measures of treatment".',
        (clause.clause_id,),
    )
    paraphrase = Sentence("Las Partes pueden exigir tratamiento en lugar de castigo.", (clause.clause_id,))
    english = Sentence(
        "Such abusers shall undergo measures of treatment, education and rehabilitation.", (clause.clause_id,)
    )
    report = check_sentences([quoting, paraphrase, english], retrieved, language="es")
    assert [s.text for s in report.sentences] == [quoting.text]
    assert report.dropped_sentences == 2
    # in English the usual support check applies
    assert check_sentences([english], retrieved).sentences == (english,)
