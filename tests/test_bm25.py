"""BM25 over the real clauses, and the query-side thesaurus from a delegate's words to the texts'."""

from __future__ import annotations

import pytest
from conftest import C1961, C1988

from assistant.index.bm25 import BM25Index, expand_query, normalize_spelling
from assistant.types import Corpus


def test_expansion_adds_the_treaty_words_and_keeps_the_question() -> None:
    out = expand_query("Is bankrolling a gang a crime?")
    assert out.startswith("Is bankrolling a gang a crime?")
    for word in ("financing", "organized", "punishable"):
        assert word in out
    assert expand_query("What is the title?") == "What is the title?"
    assert "refuse" in expand_query("Can a State turn such a request down?")
    assert "extradition" in expand_query("Must a State hand the suspect over?")
    assert "refuse" not in expand_query("Can a State turn to the Board?")


@pytest.fixture(scope="module")
def bm25(corpus: Corpus) -> BM25Index:
    return BM25Index(corpus.clauses)


@pytest.mark.parametrize(
    ("question", "instrument", "expected"),
    [
        ("Is bankrolling or running a trafficking operation an offence?", C1988, f"{C1988}/art-3/para-1/a/v"),
        ("Must growing or buying drugs for one's own use be a crime?", C1988, f"{C1988}/art-3/para-2"),
        ("Do convictions abroad count for repeat offending?", C1961, f"{C1961}/art-36/para-2/a/iii"),
    ],
)
def test_plain_words_find_the_legal_terms(
    bm25: BM25Index, question: str, instrument: str, expected: str
) -> None:
    top = [cid for cid, _ in bm25.search(question, 5, [instrument])]
    assert expected in top


def test_instrument_filter_and_unknown_words(bm25: BM25Index) -> None:
    hits = bm25.search("extradition", 10, [C1961])
    assert hits and all(cid.startswith(C1961 + "/") for cid, _ in hits)
    assert bm25.search("zzzqqq xxyyzz", 5) == []


def test_spelling_is_brought_to_the_texts_own(corpus: Corpus) -> None:
    index = BM25Index(corpus.clauses)
    assert "authorization" in index.words and "authorisation" not in index.words
    assert normalize_spelling("Is an Authorisation needed?", index.words) == "Is an authorization needed?"
    assert (
        normalize_spelling("Otherwise, exercise the offense", index.words)
        == "Otherwise, exercise the offence"
    )
    assert normalize_spelling("organisation", frozenset()) == "organisation"  # only toward the texts' words
    possession = "Can people keep narcotic drugs without any authorisation under the 1961 Convention?"
    assert f"{C1961}/art-33" in [cid for cid, _ in index.search(possession, 10)]


def test_the_questions_a_clause_answers_are_searched_with_it(corpus: Corpus) -> None:
    """A word only the clause's questions use finds it once they are indexed with it."""
    target = f"{C1988}/art-3/para-5/e"  # abuse of public office as an aggravating circumstance
    question = "Does a corrupt customs officer who helps smugglers face a tougher sentence?"
    plain = BM25Index(corpus.clauses)
    expanded = BM25Index(
        corpus.clauses, {target: ["Is it worse if a corrupt customs officer helps smugglers?"]}
    )
    assert target not in [cid for cid, _ in plain.search(question, 3, [C1988])]
    assert [cid for cid, _ in expanded.search(question, 1, [C1988])] == [target]
    assert expanded.words == plain.words  # spelling is still brought to the texts' own words only
