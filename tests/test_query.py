"""The English gloss of a question in another language, and its follow-ups
(assistant/multilingual/query.py)."""

from __future__ import annotations

import pytest

from assistant.corpus.references import InstrumentNames
from assistant.multilingual.detect import detect_language
from assistant.multilingual.query import cross_lingual_query, english_gloss
from assistant.types import Corpus

EARLIER = {
    "es": "¿Pueden los toxicómanos recibir tratamiento en lugar de castigo según la Convención Única?",
    "fr": "La Convention unique permet-elle le traitement des toxicomanes au lieu de la sanction ?",
    "ru": "Допускает ли Единая конвенция лечение вместо наказания для наркоманов?",
    "zh": "根据1961年麻醉品单一公约，缔约国能否以治疗代替惩罚？",
    "ar": "هل تسمح الاتفاقية الوحيدة للمخدرات بالعلاج بدلاً من العقوبة؟",
}
FOLLOW_UPS = {
    "es": "¿Y la Convención de 1971?",
    "fr": "Et la Convention de 1971 ?",
    "ru": "А Конвенция 1971 года?",
    "zh": "那1971年公约呢？",
    "ar": "وماذا عن اتفاقية 1971؟",
}


def test_the_gloss_carries_names_references_terms_and_numbers() -> None:
    q = english_gloss("¿Qué dice el artículo 36 de la Convención Única sobre la extradición?", "es")
    assert "1961 Convention" in q.gloss and "article 36" in q.gloss and "extradition" in q.gloss
    assert q.instruments == ("single-convention-1961",)
    assert ("extradicion", "extradition") in q.terms
    assert q.dense_text == q.question


def test_without_terms_only_names_and_references_are_left() -> None:
    q = english_gloss("¿Qué dice la Convención Única sobre la extradición?", "es", use_terms=False)
    assert q.gloss == "1961 Convention" and q.terms == ()


@pytest.mark.parametrize(
    ("question", "lang", "english"),
    [
        # a denunciation "takes effect", a convention "enters into force": one verb in Russian
        # and Chinese, and the gloss gives the English texts' two
        ("¿Cuándo surte efecto la denuncia?", "es", "take effect"),
        ("Au bout de combien de temps la dénonciation prend effet ?", "fr", "take effect"),
        ("Когда денонсация вступает в силу?", "ru", "take effect"),
        ("退出什么时候生效？", "zh", "take effect"),
        # going further than the treaties require is the texts' stricter measure
        ("¿Puede un Estado ir más allá de lo que exigen los tratados?", "es", "more strict or severe"),
        ("Un État peut-il aller plus loin que les conventions ?", "fr", "more strict or severe"),
        ("Может ли государство пойти дальше требований конвенций?", "ru", "more strict or severe"),
    ],
)
def test_a_phrase_is_glossed_in_the_texts_words(question: str, lang: str, english: str) -> None:
    assert english in english_gloss(question, lang).gloss


def test_latin_words_of_a_non_latin_question_are_kept() -> None:
    assert "mdma" in english_gloss("Контролируется ли MDMA?", "ru").gloss


def test_french_words_shared_with_the_english_texts_are_kept(corpus: Corpus) -> None:
    vocabulary = frozenset(w for c in corpus.clauses for w in c.text.lower().split())
    gloss = english_gloss("Le cannabis est-il une substance contrôlée ?", "fr", vocabulary).gloss
    assert "cannabis" in gloss and " le " not in f" {gloss} "


@pytest.mark.parametrize("lang", list(FOLLOW_UPS))
def test_a_follow_up_swaps_the_instrument_of_the_earlier_question(corpus: Corpus, lang: str) -> None:
    names = InstrumentNames(corpus.instruments)
    question = FOLLOW_UPS[lang]
    q = cross_lingual_query(question, detect_language(question), [EARLIER[lang]], names)
    assert q.follow_up
    assert "1971 Convention" in q.gloss and "1961" not in q.gloss
    assert "treatment" in q.gloss  # the earlier question's subject
    assert EARLIER[lang] in q.dense_text and question in q.dense_text


def test_a_follow_up_after_an_english_question(corpus: Corpus) -> None:
    names = InstrumentNames(corpus.instruments)
    q = cross_lingual_query(
        "¿Y la Convención de 1971?",
        detect_language("¿Y la Convención de 1971?"),
        ["Under the 1961 Convention, can abusers get treatment instead of punishment?"],
        names,
    )
    assert q.gloss == "Under the 1971 Convention, can abusers get treatment instead of punishment?"


def test_a_question_without_cue_is_not_a_follow_up(corpus: Corpus) -> None:
    names = InstrumentNames(corpus.instruments)
    question = "¿Qué dice la Convención de 1971 sobre el tratamiento?"
    q = cross_lingual_query(question, detect_language(question), [EARLIER["es"]], names)
    assert not q.follow_up and q.dense_text == question


def test_a_follow_up_asking_something_new_is_read_alone_by_the_multilingual_ranker(corpus: Corpus) -> None:
    """ "¿Y con qué frecuencia tiene que reunirse la Junta?" asks its own question: its words
    alone go to the multilingual ranker (with the earlier one, it found the earlier answer);
    the gloss still carries the earlier question for the English rankers."""
    names = InstrumentNames(corpus.instruments)
    earlier = "¿Por cuánto tiempo son elegidos los miembros de la Junta Internacional de Fiscalización de Estupefacientes?"
    question = "¿Y con qué frecuencia tiene que reunirse la Junta?"
    q = cross_lingual_query(question, detect_language(question), [earlier], names)
    assert q.follow_up and q.dense_text == question
    assert "International Narcotics Control Board" in q.gloss


@pytest.mark.parametrize(
    ("question", "lang"),
    [
        ("¿Permiten los tratados los programas de reducción de daños?", "es"),
        ("Les conventions autorisent-elles la réduction des risques ?", "fr"),
        ("Допускают ли конвенции программы снижения вреда?", "ru"),
        ("国际禁毒公约是否允许减少危害措施？", "zh"),
        ("هل تسمح الاتفاقيات ببرامج الحد من الضرر؟", "ar"),
    ],
)
def test_the_policy_vocabulary_reaches_the_topic_in_every_language(
    corpus: Corpus, question: str, lang: str
) -> None:
    """A practitioner's term the texts do not use is glossed as the topic's English term, so the
    map of the provisions reads the question as it reads an English one."""
    from assistant.analysis import Analyser

    gloss = english_gloss(question, lang).gloss
    assert "harm reduction" in gloss
    assert "harm-reduction" in Analyser(corpus, InstrumentNames(corpus.instruments)).topics_in(gloss)
