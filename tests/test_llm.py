"""The LLM prompts (assistant/answer/llm.py): the language-aware instruction (issue #14)."""

from __future__ import annotations

import pytest

from assistant.answer.llm import SYSTEM, language_instruction, system_prompt


def test_english_keeps_the_english_system_prompt() -> None:
    assert system_prompt("en") == SYSTEM and language_instruction("en") == ""
    assert system_prompt("de") == SYSTEM  # not one of the six: no instruction


@pytest.mark.parametrize(
    ("lang", "name"),
    [("es", "Spanish"), ("fr", "French"), ("ru", "Russian"), ("zh", "Chinese"), ("ar", "Arabic")],
)
def test_other_languages_answer_in_their_language_quoting_the_english_clause(lang: str, name: str) -> None:
    prompt = system_prompt(lang)
    assert f"sentences in {name}" in prompt and "in English." not in prompt.split("NOT IN")[0]
    assert "quotation marks" in prompt and "five consecutive words" in prompt
    assert "do not translate" in prompt
    assert "NOT IN THESE DOCUMENTS" in prompt  # the refusal stays the same
