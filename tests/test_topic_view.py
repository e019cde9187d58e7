"""How the Topics page lays a topic out (ui/topic_view.py), on the real map of the provisions."""

from __future__ import annotations

from dataclasses import replace

from conftest import C1961, C1971, C1988, RESOLUTION

from assistant.types import Corpus
from ui.topic_view import columns, matches, starter_question, subject


def test_subject_reads_inside_a_sentence(corpus: Corpus) -> None:
    topics = {t.id: t for t in corpus.provisions.topics}
    assert subject(topics["harm-reduction"]) == "harm reduction"
    # the aside in brackets goes, an acronym keeps its capitals
    assert subject(topics["cultivation-for-personal-consumption"]) == "cultivation for personal consumption"
    assert subject(replace(topics["harm-reduction"], title="WHO scheduling (1971)")) == "WHO scheduling"
    assert (
        starter_question(topics["coca-leaf"])
        == "What do the conventions say about coca leaf and coca chewing?"
    )
    for topic in corpus.provisions.topics:
        question = starter_question(topic)
        assert "(" not in question and "  " not in question and question.endswith("?")


def test_matches_every_word_in_title_terms_or_note(corpus: Corpus) -> None:
    topic = corpus.provisions.topic("needle-and-syringe-programmes")
    assert matches(topic, "")
    assert matches(topic, "SYRINGE exchange")  # any case, every word
    assert matches(topic, "nsp")  # a term
    assert not matches(topic, "syringe cannabis")
    coca = [t.id for t in corpus.provisions.topics if matches(t, "coca")]
    assert "coca-leaf" in coca and "harm-reduction" not in coca


def test_columns_are_the_three_conventions_then_the_others(corpus: Corpus) -> None:
    by_id = corpus.by_id()
    medical = corpus.provisions.topic("medical-cannabis")  # only 1961 provisions
    cols = columns(medical, corpus)
    assert [c.instrument.id for c in cols] == [C1961, C1971, C1988]
    assert cols[1].clauses == () and cols[2].clauses == ()
    assert [c.clause_id for c in cols[0].clauses] == [cid for cid in medical.provisions if cid in by_id]

    alternatives = corpus.provisions.topic("alternatives-to-imprisonment")
    cols = columns(alternatives, corpus)
    assert [c.instrument.id for c in cols] == [C1961, C1971, C1988, RESOLUTION]
    shown = [c.clause_id for col in cols for c in col.clauses]
    assert sorted(shown) == sorted(alternatives.provisions)
    # within a column, the topic's own order (most central first)
    res = [cid for cid in alternatives.provisions if cid.startswith(RESOLUTION)]
    assert [c.clause_id for c in cols[3].clauses] == res
