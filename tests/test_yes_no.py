"""Yes/no questions in the other UN languages: whether a question is one, what it asks about,
and the words that open its answer (assistant/multilingual/yes_no.py, corpus/languages.yaml)."""

from __future__ import annotations

import pytest

from assistant.answer.compose import ENGLISH_LEADS
from assistant.evaluation.shape import yes_no_lead
from assistant.multilingual.languages import FOREIGN, notice
from assistant.multilingual.yes_no import cues_for, leads
from assistant.types import LEAD_POLARITY


@pytest.mark.parametrize(
    ("lang", "question", "modality"),
    [
        ("es", "¿Permite la Convención de 1961 el tratamiento en lugar de la condena?", "permission"),
        ("es", "¿La Convención de 1988 obliga a las Partes a tipificar la posesión?", "obligation"),
        ("es", "¿Prohíbe la Convención Única la masticación de la hoja de coca?", "prohibition"),
        ("fr", "La Convention de 1988 oblige-t-elle les Parties à confisquer les produits ?", "obligation"),
        ("fr", "Peut-on refuser l'extradition pour un délit mineur ?", "permission"),
        ("fr", "Est-ce que la résolution mentionne les femmes ?", "existence"),
        ("ru", "Допускает ли Конвенция 1988 года отказ в помощи из-за банковской тайны?", "permission"),
        ("ru", "Обязывает ли Конвенция 1971 года создать специальную администрацию?", "obligation"),
        ("zh", "1988年公约是否要求各国把洗钱规定为刑事犯罪？", "obligation"),
        ("zh", "麻管局能否建议停止进口麻醉品？", "permission"),
        ("ar", "هل يجوز للدول أن تعتمد تدابير أشد؟", "permission"),
        ("ar", "وهل يدخل في ذلك استغلال القاصرين؟", "existence"),
    ],
)
def test_yes_no_questions_and_what_they_ask(lang: str, question: str, modality: str) -> None:
    cues = cues_for(lang)
    assert cues is not None
    assert cues.asks(question) is True
    assert cues.modality(question) == modality


@pytest.mark.parametrize(
    ("lang", "question"),
    [
        ("es", "¿Qué países presentaron el proyecto de resolución?"),
        ("es", "¿Que dice la Convencion sobre la extradicion?"),  # accents left out
        ("es", "¿Cuántos miembros tiene la Junta?"),
        ("fr", "Quelles sont les attributions de la Commission ?"),
        ("fr", "Qu'est-ce que la Convention prévoit sur la confiscation ?"),
        ("ru", "Какие сведения должны содержать исчисления?"),
        ("ru", "А через какое время денонсация вступает в силу?"),
        ("zh", "那处方可以重复配药几次？公约对此有没有规定？"),
        ("ar", "ماذا يتضمن التقرير السنوي للهيئة؟"),
    ],
)
def test_other_questions_are_not_yes_no(lang: str, question: str) -> None:
    cues = cues_for(lang)
    assert cues is not None and not cues.asks(question)


def test_a_follow_up_without_a_sign_of_its_own_is_left_undecided() -> None:
    cues = cues_for("es")
    assert cues is not None
    assert cues.asks("¿Y en el Convenio de 1971?", follow_up=True) is None
    assert cues.asks("¿Y en el Convenio de 1971?") is True  # Spanish: no interrogative word


def test_every_language_has_every_lead_and_the_scorer_reads_them() -> None:
    assert cues_for("en") is None and leads("en") == {}
    assert set(ENGLISH_LEADS) == set(LEAD_POLARITY)
    kinds = {"yes": "yes", "yes_qualified": "yes", "no": "no", "not_stated": "not stated"}
    for lang in FOREIGN:
        assert set(leads(lang)) == set(ENGLISH_LEADS)
        for kind, expected in kinds.items():
            answer = f"{notice('english_texts', lang)} {leads(lang)[kind]} under art. 3(2) of the 1988 Convention, ... [1]."
            assert yes_no_lead(answer) == expected, (lang, kind)
        # the notice alone, then a clause: no lead
        assert (
            yes_no_lead(f"{notice('english_texts', lang)} Under art. 3(2) of the 1988 Convention ... [1].")
            is None
        )
