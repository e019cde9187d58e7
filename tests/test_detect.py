"""Language detection (assistant/multilingual/detect.py): the six UN languages, mixed-language
questions, languages the model does not serve, and English never mistaken for another."""

from __future__ import annotations

import glob
from pathlib import Path
from typing import Any

import pytest
import yaml

from assistant.multilingual.detect import detect_language, history_language, word_scores
from assistant.settings import REPO_ROOT


@pytest.mark.parametrize(
    ("question", "code"),
    [
        ("¿Pueden los Estados ofrecer tratamiento en lugar de prisión a los consumidores de drogas?", "es"),
        ("¿Y la Convención de 1971?", "es"),
        ("Tratamiento en lugar de prisión", "es"),
        ("Les États peuvent-ils remplacer la prison par un traitement ?", "fr"),
        ("Et la Convention de 1971 ?", "fr"),
        ("Traitement au lieu de la prison", "fr"),
        ("Могут ли государства назначать лечение вместо тюремного заключения?", "ru"),
        ("А Конвенция 1971 года?", "ru"),
        ("缔约国可以用治疗代替监禁吗？", "zh"),
        ("那1971年公约呢？", "zh"),
        ("هل يمكن للدول توفير العلاج بدلاً من السجن؟", "ar"),
        ("وماذا عن اتفاقية 1971؟", "ar"),
        ("Can drug users be offered treatment instead of prison?", "en"),
        ("And the 1971 Convention?", "en"),
        ("Is MDMA controlled?", "en"),
        ("Cannabis definition", "en"),
    ],
)
def test_the_six_languages(question: str, code: str) -> None:
    guess = detect_language(question)
    assert guess.code == code, guess
    assert guess.supported


@pytest.mark.parametrize(
    ("question", "code"),
    [
        # a Spanish, French or Russian question naming a treaty in English is in its own language
        ("¿Qué dice la Single Convention on Narcotic Drugs sobre la extradición de nacionales?", "es"),
        ("Que dit la Single Convention on Narcotic Drugs sur l'extradition ?", "fr"),
        ("Что говорит Single Convention on Narcotic Drugs о выдаче?", "ru"),
        ("¿Qué es el INCB?", "es"),
        # an English question naming a term in another language is English
        ("What does 'estupefacientes' mean?", "en"),
        ("What does la Convención Única say about extradition?", "en"),
        ("What does '麻醉品' mean in the Chinese text?", "en"),
    ],
)
def test_mixed_language_questions_follow_their_grammar(question: str, code: str) -> None:
    assert detect_language(question).code == code


@pytest.mark.parametrize(
    ("question", "detected"),
    [
        ("Können Staaten statt Gefängnis eine Behandlung anbieten?", "de"),
        ("Gli Stati possono offrire un trattamento invece del carcere?", "it"),
        ("Os Estados podem oferecer tratamento em vez de prisão?", "pt"),
        ("Kunnen staten behandeling aanbieden in plaats van gevangenisstraf?", "nl"),
        ("締約国は刑務所の代わりに治療を提供できますか？", "ja"),
        ("क्या राज्य जेल के बजाय इलाज की पेशकश कर सकते हैं?", "hi"),
        ("Чи можуть держави пропонувати лікування замість ув'язнення?", "uk"),
        ("آیا کشورها می توانند به جای زندان درمان ارائه دهند؟", "fa"),
    ],
)
def test_other_languages_are_unknown(question: str, detected: str) -> None:
    guess = detect_language(question)
    assert guess.code == "unknown" and not guess.supported
    assert guess.detected == detected


def test_transliterated_questions_are_not_taken_for_english() -> None:
    # Russian or Hindi written in Latin letters: no English grammar, so not answered as English
    for question in (
        "Chto govorit konventsiya 1961 goda o lechenii narkomanov?",
        "Kya rajya jail ke bajaye ilaj de sakte hain?",
    ):
        assert detect_language(question).code == "unknown", question


def test_a_question_without_language_takes_the_conversations() -> None:
    spanish = detect_language("¿Qué dice la Convención Única sobre la extradición?")
    assert detect_language("1971?").code == "en"
    assert detect_language("1971?", spanish).code == "es"
    assert detect_language("1971?", spanish).reason == "history"
    assert history_language(["¿Qué dice la Convención Única?"]) == detect_language(
        "¿Qué dice la Convención Única?"
    )
    assert history_language([]) is None


def test_shared_function_words_count_for_each_language_a_share() -> None:
    scores = word_scores("la de en")  # Spanish and French (and Italian, Portuguese) alike
    assert 0 < scores["es"] < 3 and scores["en"] == 0


def test_english_questions_of_the_suites_stay_english() -> None:
    """Every English question the project has (suites, question sets, the questions each clause
    answers: ~3,200) is detected as English: the English path must never be left by mistake."""

    def read(path: str | Path) -> Any:
        return yaml.safe_load(Path(path).read_text(encoding="utf-8"))

    questions: list[str] = []
    for path in glob.glob(str(REPO_ROOT / "evals" / "suites" / "*.yaml")):
        for case in read(path)["cases"]:
            if case.get("language", "en") == "en":
                questions += [case["question"], *(case.get("history") or [])]
    questions += [q["question"] for q in read(REPO_ROOT / "evals" / "retrieval_questions.yaml")["questions"]]
    for path in glob.glob(str(REPO_ROOT / "corpus" / "questions" / "*.yaml")):
        for asked in read(path).values():
            questions += asked
    assert len(questions) > 3000
    wrong = [(q, detect_language(q)) for q in questions if q and detect_language(q).code != "en"]
    assert wrong == []
