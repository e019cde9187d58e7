"""Provision references in es/fr/ru/zh/ar (assistant/multilingual/provisions.py)."""

from __future__ import annotations

import pytest

from assistant.corpus.references import parse_reference
from assistant.multilingual.normalize import normalize
from assistant.multilingual.provisions import chinese_number, find_provisions
from assistant.types import Corpus


@pytest.mark.parametrize(
    ("question", "lang", "english"),
    [
        ("¿Qué dice el artículo 36, párrafo 1, apartado b)?", "es", "article 36, paragraph 1 (b)"),
        ("¿Qué pide el párrafo 5 de la parte dispositiva?", "es", "operative paragraph 5"),
        ("¿Qué recuerda el párrafo 3 del preámbulo?", "es", "preambular paragraph 3"),
        ("¿Qué contiene el Cuadro I?", "es", "table i"),
        ("Que prévoit l'alinéa b du paragraphe 1 de l'article 36 ?", "fr", "article 36, paragraph 1 (b)"),
        ("Que demande le paragraphe 5 du dispositif ?", "fr", "operative paragraph 5"),
        ("Что говорит подпункт b пункта 1 статьи 36?", "ru", "article 36, paragraph 1 (b)"),
        ("Что в пункте 5 постановляющей части?", "ru", "operative paragraph 5"),
        ("Что содержится в сноске 5?", "ru", "footnote 5"),
        ("第三十六条第一款(b)项规定了什么？", "zh", "article 36, paragraph 1 (b)"),
        ("执行部分第5段要求什么？", "zh", "operative paragraph 5"),
        ("附表一包括哪些物质？", "zh", "schedule i"),
        ("ماذا تنص الفقرة الفرعية (ب) من الفقرة 1 من المادة 36؟", "ar", "article 36, paragraph 1 (b)"),
        ("ماذا يطلب القرار في الفقرة 5 من المنطوق؟", "ar", "operative paragraph 5"),
        ("ماذا تقول المادة ٣٦؟", "ar", "article 36"),  # Arabic-Indic digits
    ],
)
def test_references_in_each_language(question: str, lang: str, english: str) -> None:
    assert [text for _a, _b, text in find_provisions(normalize(question, lang), lang)] == [english]


def test_a_list_is_a_table_of_the_1988_convention_and_a_schedule_otherwise() -> None:
    norm = normalize("¿Qué contiene el Tableau I?", "fr")
    assert find_provisions(norm, "fr")[0][2] == "schedule i"
    assert find_provisions(norm, "fr", about_1988=True)[0][2] == "table i"


def test_the_english_reference_names_the_clause(corpus: Corpus) -> None:
    by_id = corpus.by_id()
    english = find_provisions(normalize("第三十六条第一款(b)项", "zh"), "zh")[0][2]
    assert parse_reference(f"1961 Convention {english}", corpus.instruments, by_id) == [
        "single-convention-1961/art-36/para-1/b"
    ]


@pytest.mark.parametrize(
    ("text", "n"), [("三十六", 36), ("十", 10), ("十二", 12), ("一百零五", 105), ("7", 7)]
)
def test_chinese_numbers(text: str, n: int) -> None:
    assert chinese_number(text) == n
