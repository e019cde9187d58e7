"""Misspelt official words in questions in other languages (assistant/multilingual/spelling.py),
with the real terms of corpus/terms.yaml and corpus/languages.yaml."""

from __future__ import annotations

import pytest

from assistant.multilingual.normalize import normalize
from assistant.multilingual.query import english_gloss
from assistant.multilingual.spelling import repair, slip_of


@pytest.mark.parametrize(
    ("typed", "word", "slip"),
    [
        ("internacinal", "internacional", True),  # a letter left out
        ("kworum", "kwoum", False),  # a letter added: not a slip here
        ("fiscalziacion", "fiscalizacion", True),  # two letters swapped
        ("mexico", "medico", False),  # a letter changed
        ("convencion", "convencion", False),
        ("abc", "abcde", False),
    ],
)
def test_a_slip_is_a_letter_left_out_or_two_swapped(typed: str, word: str, slip: bool) -> None:
    assert slip_of(typed, word) is slip


def test_misspelt_official_words_are_repaired() -> None:
    es = repair(normalize("¿Cuantos miembros tiene la Junta Internacinal de Fiscalizacion?", "es"), "es")
    assert "junta internacional de fiscalizacion" in es
    assert "кворум" in repair(normalize("Какой кворм требуется на заседаниях?", "ru"), "ru")


@pytest.mark.parametrize(
    ("question", "lang"),
    [
        ("¿Qué dice el tratado sobre México?", "es"),  # another word, a letter changed
        ("Comme le prévoit la Convention, entre autres", "fr"),  # function words
        ("Каков порядок выхода из конвенции?", "ru"),
        ("根据1961年公约，麻醉品是什么？", "zh"),  # no spelling to repair
    ],
)
def test_other_words_are_left_as_they_are(question: str, lang: str) -> None:
    norm = normalize(question, lang)
    assert repair(norm, lang) == norm


def test_the_gloss_carries_the_repaired_name() -> None:
    """The misspelt name of the Board reaches the English search as its English name."""
    gloss = english_gloss("¿Cuantos miembros tiene la Junta Internacinal de Fiscalizacion?", "es").gloss
    assert "International Narcotics Control Board" in gloss, gloss
