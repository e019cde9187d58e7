"""Follow-ups rewritten into standalone questions (offline, rule-based)."""

from __future__ import annotations

import pytest

from assistant.answer.followup import asks_for_the_other, navigation_step, own_words, rewrite_follow_up
from assistant.corpus.references import InstrumentNames
from assistant.types import Corpus


@pytest.mark.parametrize(
    ("history", "question", "expected"),
    [
        (
            "Under the 1961 Convention, can drug abusers receive treatment instead of punishment?",
            "And the 1971 Convention?",
            "Under the 1971 Convention, can drug abusers receive treatment instead of punishment?",
        ),
        (
            "What does OP 5 ask UNODC to do?",
            "What about operative paragraph 6?",
            "What does operative paragraph 6 ask UNODC to do?",
        ),
        (
            "What does the Single Convention say about possession?",
            "And the 1988 one?",
            "What does the 1988 Convention say about possession?",
        ),
        (
            "What does article 36 of the 1961 Convention require?",
            "And article 38?",
            "What does article 38 of the 1961 Convention require?",
        ),
    ],
)
def test_rewrites(corpus: Corpus, history: str, question: str, expected: str) -> None:
    assert rewrite_follow_up(question, [history], InstrumentNames(corpus.instruments)) == expected


@pytest.mark.parametrize(
    ("history", "question", "expected"),
    [
        (
            "Under the 1961 Convention, are offences in different countries distinct offences?",
            "Same question for psychotropic substances.",
            "Under the 1971 Convention, are offences in different countries distinct offences?",
        ),
        (
            "What does 'illicit traffic' mean in the Psychotropics Convention?",
            "How does the 1988 Convention define it?",
            "What does 'illicit traffic' mean in the 1988 Convention?",
        ),
    ],
)
def test_rewrites_of_pronoun_and_substance_follow_ups(
    corpus: Corpus, history: str, question: str, expected: str
) -> None:
    assert rewrite_follow_up(question, [history], InstrumentNames(corpus.instruments)) == expected


def test_a_short_question_about_them_carries_the_earlier_subject(corpus: Corpus) -> None:
    names = InstrumentNames(corpus.instruments)
    previous = "Which aggravating circumstances does the 1988 Convention list?"
    out = rewrite_follow_up("Is a previous conviction abroad among them?", [previous], names)
    assert out.startswith("Is a previous conviction abroad among them")
    assert previous in out and "1988 Convention" in out


@pytest.mark.parametrize(
    ("question", "step"),
    [
        ("And the next paragraph?", 1),
        ("What about the paragraph after it?", 1),
        ("And what does the paragraph right after it ask?", 1),
        ("And the article immediately before that?", -1),
        ("And the previous article?", -1),
        ("What does the resolution say next?", 0),
    ],
)
def test_navigation_step(question: str, step: int) -> None:
    assert navigation_step(question) == step


def test_standalone_question_is_left_alone(corpus: Corpus) -> None:
    names = InstrumentNames(corpus.instruments)
    q = "What does the resolution say about sharing good practices?"
    assert rewrite_follow_up(q, ["What is a preparation under the 1971 Convention?"], names) == q
    assert rewrite_follow_up("And the 1971 Convention?", [], names) == "And the 1971 Convention?"
    long_q = "What must Parties do when they seize drugs that were illicitly cultivated on their territory?"
    assert rewrite_follow_up(long_q, ["What is a preparation under the 1971 Convention?"], names) == long_q


def test_the_other_one_of_a_pair(corpus: Corpus) -> None:
    assert asks_for_the_other("What about the other table?")
    assert not asks_for_the_other("What other measures may Parties take?")
    other = corpus.other("illicit-traffic-convention-1988/annex/table-i")
    assert other is not None and other.clause_id == "illicit-traffic-convention-1988/annex/table-ii"
    assert corpus.other("single-convention-1961/schedule-i") is None  # four schedules: no "other"


def test_own_words_of_a_rewrite_carrying_the_earlier_question(corpus: Corpus) -> None:
    names = InstrumentNames(corpus.instruments)
    previous = "How long is the term of a member of the INCB under the Single Convention?"
    out = rewrite_follow_up("And how often is it required to meet?", [previous], names)
    assert previous in out
    assert own_words(out) == "how often is it required to meet (the Single Convention)"
    assert own_words("What does article 36 say?") is None
