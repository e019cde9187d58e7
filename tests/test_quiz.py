"""The quiz (assistant/quiz.py) and the guided tour (assistant/tour.py) of trainer mode."""

from __future__ import annotations

import re

import pytest
from conftest import RESOLUTION

from assistant.pipeline import Pipeline
from assistant.quiz import KINDS, Quiz, make_quiz, score
from assistant.tour import GISTS, RESTS_ON, STARTER_QUESTIONS, tour
from assistant.types import Corpus


def _norm(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def test_same_seed_same_quiz(corpus: Corpus) -> None:
    assert make_quiz(corpus, 42) == make_quiz(corpus, 42)
    assert make_quiz(corpus, 42, n=9) == make_quiz(corpus, 42, n=9)


def test_different_seeds_different_quizzes(corpus: Corpus) -> None:
    quizzes = {make_quiz(corpus, seed).questions for seed in range(10)}
    assert len(quizzes) == 10
    assert make_quiz(corpus, 1) != make_quiz(corpus, 2)


@pytest.mark.parametrize("seed", range(25))
def test_every_correct_answer_is_a_real_clause(corpus: Corpus, seed: int) -> None:
    by_id = corpus.by_id()
    quiz = make_quiz(corpus, seed)
    assert len(quiz.questions) == 6
    assert {q.kind for q in quiz.questions} == set(KINDS)
    assert [q.id for q in quiz.questions] == [f"q{i}" for i in range(1, 7)]
    assert len({q.prompt for q in quiz.questions}) == 6
    for q in quiz.questions:
        assert q.clause_id in by_id
        assert len(q.options) == len(q.option_clauses) == len(set(q.options)) >= 4
        assert q.option_clauses[q.answer] == q.clause_id
        assert all(cid in by_id for cid in q.option_clauses)
        clause = by_id[q.clause_id]
        if q.kind == "operative":
            assert clause.instrument == RESOLUTION and clause.kind == "operative"
            assert q.correct == f"OP {clause.locator[0][1]}"
            assert q.options == tuple(f"OP {n}" for n in range(1, 8))
            assert not re.search(r"\b(OP|paragraph) \d", q.prompt.split("resolution", 1)[1])
        elif q.kind == "footnote":
            phrase = q.prompt.split("“… ", 1)[1].split(" …”", 1)[0]
            assert _norm(phrase) in _norm(clause.text)
            others = [by_id[c] for c in q.option_clauses if c != q.clause_id]
            assert not any(_norm(phrase) in _norm(o.text) for o in others)
            assert q.correct == clause.label
            assert set(q.option_clauses) == set(by_id[f"{RESOLUTION}/fn-5"].references)
        else:
            assert clause.kind == "article" and clause.title
            assert f"“{clause.title}”" in q.prompt
            assert clause.label.endswith(q.correct)
            assert corpus.instrument(clause.instrument).short_title in q.prompt


def test_operative_prompts_tell_the_paragraphs_apart(corpus: Corpus) -> None:
    prompts = {
        q.clause_id: q.prompt
        for s in range(40)
        for q in make_quiz(corpus, s).questions
        if q.kind == "operative"
    }
    assert len(prompts) == 7
    assert len(set(prompts.values())) == 7
    assert "requests UNODC to provide Member States" in prompts[f"{RESOLUTION}/op-5"]


def test_score() -> None:
    from assistant.quiz import QuizQuestion

    q1 = QuizQuestion("q1", "operative", "?", ("a", "b"), 1, "x", ("y", "x"))
    q2 = QuizQuestion("q2", "operative", "?", ("a", "b"), 0, "y", ("y", "x"))
    quiz = Quiz(seed=0, questions=(q1, q2))
    assert score(quiz, {}) == score(quiz, {"q1": None}) == type(score(quiz, {}))(0, 0, 2)
    result = score(quiz, {"q1": 1, "q2": 1})
    assert (result.correct, result.answered, result.total) == (1, 2, 2)
    assert q1.is_correct(1) and not q1.is_correct(None)


def test_quiz_from_a_corpus_without_the_conventions(corpus: Corpus) -> None:
    only = Corpus(
        instruments=corpus.instruments,
        clauses=tuple(c for c in corpus.clauses if c.instrument == RESOLUTION),
    )
    quiz = make_quiz(only, 5)
    assert quiz.questions and {q.kind for q in quiz.questions} == {"operative"}
    assert make_quiz(Corpus(instruments=(), clauses=()), 5).questions == ()


# -- the guided tour ------------------------------------------------------------------------


def test_tour_data_names_real_clauses(corpus: Corpus) -> None:
    by_id = corpus.by_id()
    assert all(cid in by_id for cid in GISTS)
    assert all(cid in by_id for ids in RESTS_ON.values() for cid in ids)
    stops = tour(corpus)
    assert [s.clause.clause_id for s in stops] == [f"{RESOLUTION}/op-{n}" for n in range(1, 8)]
    assert all(s.gist for s in stops)
    op1 = stops[0]
    assert [c.clause_id for c in op1.basis] == list(by_id[f"{RESOLUTION}/fn-5"].references)
    assert f"{RESOLUTION}/pp-3" in [c.clause_id for c in op1.context]


def test_starter_questions_are_answered(pipeline: Pipeline) -> None:
    for question in STARTER_QUESTIONS:
        answer = pipeline.answer(question)
        assert not answer.abstained, question
        assert answer.citations, question
