"""What is asked before anything is retrieved: is it a question we may answer at all?"""

from __future__ import annotations

import re
import unicodedata

from assistant.analysis import load_cues
from assistant.errors import AssistantError

MAX_QUESTION_CHARS = 2000


class InvalidQuestion(AssistantError):
    exit_code = 2


def clean_question(question: object) -> str:
    """The question as text, or InvalidQuestion with a message a user can act on."""
    if not isinstance(question, str):
        raise InvalidQuestion("the question must be text")
    if len(question) > MAX_QUESTION_CHARS:
        raise InvalidQuestion(
            f"the question is {len(question):,} characters long; ask in at most "
            f"{MAX_QUESTION_CHARS:,} characters"
        )
    text = "".join(ch if ch in "\n\t" or unicodedata.category(ch)[0] != "C" else " " for ch in question)
    text = re.sub(r"\s+", " ", text).strip()
    if not text:
        raise InvalidQuestion("the question is empty; type a question about the documents")
    if not any(ch.isalnum() for ch in text):
        raise InvalidQuestion("the question has no words in it; type a question about the documents")
    return text


def non_latin_share(question: str) -> float:
    """Share of letters outside the Latin script (the corpus and the model are English)."""
    letters = [ch for ch in question if ch.isalpha()]
    if not letters:
        return 0.0
    return sum(1 for ch in letters if "LATIN" not in unicodedata.name(ch, "")) / len(letters)


def looks_like_injection(question: str) -> bool:
    """Instructions given inside a question (``injection`` in ``assistant/cues.yaml``)."""
    return bool(load_cues().families["injection"].search(question))


def out_of_scope_reason(question: str) -> str | None:
    """The refusal class (``assistant/cues.yaml``) of a question these documents cannot answer:
    later events, the present day, statistics, world facts, delegations' statements, budgets,
    personal advice, national practice; None for other questions."""
    refusal = load_cues().refusal(question)
    return refusal.id if refusal else None
