"""The map of the provisions searched by subject (assistant/index/subjects.py): the real map, the
real bundled embedder, and the searcher it serves."""

from __future__ import annotations

import pytest
from conftest import C1961, C1971, C1988, RESOLUTION

from assistant.index.subjects import STRONG_MATCH, Subject, SubjectMatcher, subjects_of
from assistant.types import Corpus, ProvisionGroup, ProvisionsMap, Topic


@pytest.fixture(scope="module")
def ranker(corpus: Corpus, embedder: object) -> SubjectMatcher:
    return SubjectMatcher(corpus.provisions, embedder)  # type: ignore[arg-type]


def _best(ranker: SubjectMatcher, embedder: object, question: str) -> tuple[Subject, float]:
    return ranker.match(question, embedder.embed_query(question))[0]  # type: ignore[attr-defined]


def test_every_group_and_topic_is_a_subject(corpus: Corpus) -> None:
    subjects = subjects_of(corpus.provisions)
    ids = {s.id for s in subjects}
    assert {g.id for g in corpus.provisions.groups} <= ids
    assert {t.id for t in corpus.provisions.topics} <= ids
    topic = next(s for s in subjects if s.id == "needle-and-syringe-programmes")
    assert "NSP" in topic.name and "syringes" in topic.profile  # its terms, and its note
    assert all(s.provisions for s in subjects)


@pytest.mark.parametrize(
    ("question", "subject"),
    [
        # words the clauses do not use reach the subject through its name and description
        (
            "Can a country adopt drug laws that are stricter than the conventions require?",
            "stricter-measures",
        ),
        ("How can a Party withdraw from the drug treaties?", "denunciation withdrawal-and-reaccession"),
        ("Are needle exchanges compatible with the treaties?", "needle-and-syringe-programmes"),
    ],
)
def test_a_question_in_practitioners_words_matches_its_subject(
    ranker: SubjectMatcher, embedder: object, question: str, subject: str
) -> None:
    best, score = _best(ranker, embedder, question)
    assert best.id in subject.split(), (best.id, score)


def test_an_off_map_question_matches_no_subject_strongly(ranker: SubjectMatcher, embedder: object) -> None:
    _best_subject, score = _best(ranker, embedder, "What is the capital of Australia and its population?")
    assert score < STRONG_MATCH


def test_rare_shared_words_weigh_more_than_common_ones() -> None:
    groups = tuple(
        ProvisionGroup(
            f"g{i}",
            f"Control of drugs {i}",
            "measures of control of drugs",
            ((C1961, (f"{C1961}/art-{i}",)),),
        )
        for i in range(1, 5)
    )
    odd = Topic(
        "odd",
        "Free ports",
        ("free trade zone",),
        True,
        "control of drugs in free ports",
        (f"{C1961}/art-5",),
        (),
    )

    class NoMeaning:
        name = "none"

        def embed_documents(self, texts: list[str]) -> list[list[float]]:
            return [[0.0, 0.0] for _ in texts]

        def embed_query(self, text: str) -> list[float]:
            return [0.0, 0.0]

    ranker = SubjectMatcher(ProvisionsMap(groups=groups, topics=(odd,)), NoMeaning())
    lexical = ranker.lexical("control of drugs in free ports")
    assert lexical.argmax() == len(groups)  # the topic sharing the rare words
    assert lexical[0] < lexical[len(groups)]


def test_the_searcher_adds_the_matched_subjects_provisions(pipeline: object) -> None:
    """A question on "the conventions" in words no clause uses gets the provision on its subject
    from each convention; the resolution's paragraphs are left to the other rankers."""
    searcher = pipeline.searcher  # type: ignore[attr-defined]
    q = "Can a country adopt drug laws that are stricter than the conventions require?"
    best, score = searcher._subject_matches(q)[0]
    assert best.id == "stricter-measures" and score >= STRONG_MATCH
    hits = searcher.search(q, k=10).hits
    top = {h.clause.instrument for h in hits[:4]}
    assert {C1961, C1971, C1988} <= top
    mapped = [h.clause.clause_id for h in hits if "map" in h.sources]
    assert mapped and all(cid in best.provisions for cid in mapped)  # no paragraph fits better
    assert not any(cid.startswith(RESOLUTION) for cid in mapped)


def test_the_map_names_the_article_and_the_questions_words_the_paragraph(pipeline: object) -> None:
    """The map's penal provisions (art. 36(1)(a), 22(1)(a)) stand for their articles: a question
    on conspiracy and attempts gets, in their place, the paragraph of each article on them."""
    searcher = pipeline.searcher  # type: ignore[attr-defined]
    q = "Are conspiracy, attempts and financing of drug offences covered by the conventions?"
    mapped = {h.clause.clause_id for h in searcher.search(q, k=10).hits if "map" in h.sources}
    assert {f"{C1961}/art-36/para-2/a/ii", f"{C1971}/art-22/para-2/a/ii"} <= mapped, mapped
    assert not mapped & {f"{C1961}/art-36/para-1/a", f"{C1971}/art-22/para-1/a"}
    cited = {c.clause_id for c in pipeline.answer(q).citations}  # type: ignore[attr-defined]
    assert f"{C1961}/art-36/para-2/a/ii" in cited, cited


def test_a_question_naming_one_convention_gets_nothing_from_the_map(pipeline: object) -> None:
    """A question on one convention keeps what its words found."""
    searcher = pipeline.searcher  # type: ignore[attr-defined]
    hits = searcher.search("May a Party of the 1988 Convention adopt stricter measures?", k=10).hits
    assert not any("map" in h.sources for h in hits)
    assert all(h.clause.instrument == C1988 for h in hits[:3])


def test_the_answer_cites_the_subjects_provision(pipeline: object) -> None:
    answer = pipeline.answer(  # type: ignore[attr-defined]
        "Can a country adopt drug laws that are stricter than the conventions require?"
    )
    cited = {c.clause_id for c in answer.citations}
    assert cited & {f"{C1961}/art-39", f"{C1971}/art-23", f"{C1988}/art-24"}, cited
