"""Follow-ups rewritten into standalone questions (offline, rule-based)."""

from __future__ import annotations

import pytest

from assistant.answer.followup import rewrite_follow_up
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


def test_standalone_question_is_left_alone(corpus: Corpus) -> None:
    names = InstrumentNames(corpus.instruments)
    q = "What does the resolution say about sharing good practices?"
    assert rewrite_follow_up(q, ["What is a preparation under the 1971 Convention?"], names) == q
    assert rewrite_follow_up("And the 1971 Convention?", [], names) == "And the 1971 Convention?"
