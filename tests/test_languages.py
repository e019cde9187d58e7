"""corpus/languages.yaml and corpus/terms.yaml (assistant/multilingual/languages.py): notices,
follow-up cues, instrument names and official terms in each language."""

from __future__ import annotations

import re

import pytest

from assistant.multilingual.languages import (
    FOREIGN,
    follow_up_cue,
    instrument_matcher,
    notice,
    term_matcher,
    terms_count,
)
from assistant.multilingual.normalize import normalize
from assistant.types import UN_LANGUAGES, Corpus


@pytest.mark.parametrize("kind", ["english_texts", "no_answer", "not_ready", "unsupported"])
def test_every_notice_exists_in_the_six_languages(kind: str) -> None:
    texts = {lang: notice(kind, lang) for lang in UN_LANGUAGES}  # type: ignore[arg-type]
    assert len(set(texts.values())) == 6  # six different sentences, none missing
    assert notice(kind, "de") == texts["en"]  # a language without one gets English  # type: ignore[arg-type]


def test_notices_say_what_they_must() -> None:
    assert "English" in notice("english_texts", "en")
    assert "inglés" in notice("english_texts", "es")
    assert "anglaises" in notice("english_texts", "fr")
    assert "английские" in notice("english_texts", "ru")
    assert "英文" in notice("english_texts", "zh")
    assert "الإنكليزية" in notice("english_texts", "ar")
    assert notice("no_answer", "en") == "These documents do not answer that question."
    assert "six UN languages" in notice("unsupported", "en")


@pytest.mark.parametrize(
    ("question", "lang", "instrument"),
    [
        ("¿Y la Convención de 1971?", "es", "psychotropic-convention-1971"),
        ("¿Qué dice la Convención Única de 1961 sobre Estupefacientes?", "es", "single-convention-1961"),
        ("Et la Convention de 1971 ?", "fr", "psychotropic-convention-1971"),
        ("Que dit la Convention unique sur les stupéfiants de 1961 ?", "fr", "single-convention-1961"),
        ("А Конвенция 1971 года?", "ru", "psychotropic-convention-1971"),
        (
            "Что говорится в Единой конвенции о наркотических средствах 1961 года?",
            "ru",
            "single-convention-1961",
        ),
        ("那1971年公约呢？", "zh", "psychotropic-convention-1971"),
        ("1961年麻醉品单一公约规定了什么？", "zh", "single-convention-1961"),
        ("وماذا عن اتفاقية 1971؟", "ar", "psychotropic-convention-1971"),
        ("ماذا تقول الاتفاقية الوحيدة للمخدرات لسنة 1961؟", "ar", "single-convention-1961"),
        ("¿Qué dice la Convención de 1988?", "es", "illicit-traffic-convention-1988"),
        ("Que demande le projet de résolution ?", "fr", "cnd-2012-alternatives-to-imprisonment"),
    ],
)
def test_instrument_names_in_each_language(question: str, lang: str, instrument: str) -> None:
    found = instrument_matcher(lang).find(normalize(question, lang))
    assert [inst for _a, _b, inst in found] == [instrument]


@pytest.mark.parametrize(
    ("question", "lang", "is_follow_up"),
    [
        ("¿Y la Convención de 1971?", "es", True),
        ("¿Qué dice la Convención de 1971?", "es", False),
        ("Et la Convention de 1971 ?", "fr", True),
        ("Qu'en est-il de la Convention de 1988 ?", "fr", True),
        ("Est-ce que la Convention de 1971 le permet ?", "fr", False),
        ("А Конвенция 1971 года?", "ru", True),
        ("Что говорит Конвенция 1971 года?", "ru", False),
        ("那1971年公约呢？", "zh", True),
        ("1971年公约规定了什么？", "zh", False),
        ("وماذا عن اتفاقية 1971؟", "ar", True),
        ("ماذا تقول اتفاقية 1971؟", "ar", False),
    ],
)
def test_follow_up_cues(question: str, lang: str, is_follow_up: bool) -> None:
    assert (follow_up_cue(question, lang) is not None) == is_follow_up


@pytest.mark.parametrize(
    ("text", "lang", "english"),
    [
        (
            "la Junta Internacional de Fiscalización de Estupefacientes",
            "es",
            "International Narcotics Control Board",
        ),
        ("l'Organe international de contrôle des stupéfiants", "fr", "International Narcotics Control Board"),
        ("Международный комитет по контролю над наркотиками", "ru", "International Narcotics Control Board"),
        ("国际麻醉品管制局", "zh", "International Narcotics Control Board"),
        ("الهيئة الدولية لمراقبة المخدرات", "ar", "International Narcotics Control Board"),
        ("estupefacientes", "es", "narcotic drugs"),
        ("stupéfiants", "fr", "narcotic drugs"),
        ("наркотических средств", "ru", "narcotic drugs"),  # an inflected form
        ("麻醉品", "zh", "narcotic drugs"),
        ("والمخدرات", "ar", "narcotic drugs"),  # with a clitic
        ("extradicion", "es", "extradition"),  # without its accent
        ("выдаче", "ru", "extradition"),
        ("الاستهلاك الشخصي", "ar", "possession purchase cultivation for personal consumption"),
        ("государствам-членам", "ru", "Member States"),
    ],
)
def test_official_terms_give_english_words(text: str, lang: str, english: str) -> None:
    found = term_matcher(lang).find(normalize(text, lang))
    assert found, (text, lang)
    assert english in " ".join(value for _a, _b, value in found)


def test_the_longest_term_wins() -> None:
    found = term_matcher("es").find(normalize("tráfico ilícito", "es"))
    assert [v for _a, _b, v in found] == ["illicit traffic"]


def test_there_are_a_few_hundred_terms_in_each_language() -> None:
    counts = terms_count()
    assert set(counts) == set(FOREIGN)
    assert all(n >= 200 for n in counts.values()), counts


def test_english_words_of_the_terms_are_the_texts_words(corpus: Corpus) -> None:
    """The English side of corpus/terms.yaml uses the texts' own words (a typo would add
    nothing to the search): nearly every word is in the corpus."""
    import yaml

    from assistant.multilingual.languages import TERMS_FILE

    vocabulary = {
        w for c in corpus.clauses for w in re.findall(r"[a-z]+", f"{c.text} {c.title or ''}".lower())
    }
    entries = yaml.safe_load(TERMS_FILE.read_text(encoding="utf-8"))["terms"]
    words = {w for e in entries for w in re.findall(r"[a-z]+", e["en"].lower()) if len(w) > 3}
    missing = sorted(w for w in words if w not in vocabulary and w.rstrip("s") not in vocabulary)
    assert len(missing) <= 0.1 * len(words), missing
