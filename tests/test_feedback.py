"""Feedback in SQLite (assistant/feedback.py) and its export as an evaluation suite."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
import yaml
from conftest import C1988, RESOLUTION

from assistant.evaluation.suite import load_suite
from assistant.feedback import THUMBS_DOWN, THUMBS_UP, FeedbackError, FeedbackStore, suite_dict, suite_yaml
from assistant.pipeline import Pipeline
from assistant.types import Answer, Citation, Corpus


def _answer(question: str, cited: list[str], abstained: bool = False) -> Answer:
    cites = tuple(
        Citation(i, cid, cid.split("/")[0], cid, (), "text", None, "https://example.org")
        for i, cid in enumerate(cited, 1)
    )
    return Answer(question, "An answer [1].", abstained, cites, standalone=question)


def test_creates_the_database_and_table(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "er" / "feedback.sqlite3"
    store = FeedbackStore(path)
    assert path.is_file() and store.count() == 0
    with sqlite3.connect(path) as con:
        tables = {name for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert "feedback" in tables
    # an existing database is opened as it is
    assert FeedbackStore(path).count() == 0


def test_one_row_per_answer_updated_in_place(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "f.sqlite3")
    answer = _answer("What does OP 5 ask?", [f"{RESOLUTION}/op-5"])
    first = store.record(
        session_id="s",
        turn_id="t1",
        question="What does OP 5 ask?",
        answer=answer,
        history=["earlier?"],
        rating=THUMBS_UP,
        mode="extractive",
    )
    assert first.rating == THUMBS_UP and first.comment == "" and first.history == ("earlier?",)
    assert first.cited == (f"{RESOLUTION}/op-5",) and not first.abstained
    second = store.record(
        session_id="s", turn_id="t1", question="What does OP 5 ask?", answer=answer, comment="spot on"
    )
    assert second.id == first.id and second.rating == THUMBS_UP and second.comment == "spot on"
    third = store.record(session_id="s", turn_id="t1", question="What does OP 5 ask?", rating=THUMBS_DOWN)
    assert third.rating == THUMBS_DOWN and third.comment == "spot on" and third.cited == first.cited
    assert store.count() == 1
    store.record(session_id="other", turn_id="t1", question="q", rating=THUMBS_UP)
    assert store.count() == 2
    assert [e.session_id for e in store.entries(rating=THUMBS_DOWN)] == ["s"]
    assert store.get("s", "t1") == store.entries(rating=THUMBS_DOWN)[0]
    assert store.delete(first.id) and store.count() == 1


def test_rejects_other_ratings(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        FeedbackStore(tmp_path / "f.sqlite3").record(session_id="s", turn_id="t", question="q", rating=5)


def test_unusable_path_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(FeedbackError, match="feedback database"):
        FeedbackStore(blocker / "feedback.sqlite3")


def test_thread_safe(tmp_path: Path) -> None:
    path = tmp_path / "f.sqlite3"
    errors: list[BaseException] = []

    def work(n: int) -> None:
        store = FeedbackStore(path)  # a store per thread, one lock per file
        try:
            for i in range(25):
                store.record(session_id=f"s{n}", turn_id=f"t{i}", question=f"q{i}", rating=i % 2)
                store.record(session_id=f"s{n}", turn_id=f"t{i}", question=f"q{i}", comment="c")
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    entries = FeedbackStore(path).entries()
    assert len(entries) == 200 and all(e.comment == "c" for e in entries)


def test_suite_from_feedback(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "f.sqlite3")
    store.record(
        session_id="s",
        turn_id="1",
        question="What does OP 5 ask?",
        answer=_answer("What does OP 5 ask?", [f"{RESOLUTION}/op-5"]),
        rating=THUMBS_UP,
    )
    store.record(
        session_id="s",
        turn_id="2",
        question="And in minor cases?",
        history=["Which conventions allow treatment?"],
        answer=_answer("And in minor cases?", [f"{C1988}/art-3/para-4/c"]),
        rating=THUMBS_UP,
    )
    store.record(
        session_id="s",
        turn_id="3",
        question="Capital of France?",
        answer=_answer("Capital of France?", [], abstained=True),
        rating=THUMBS_UP,
    )
    store.record(
        session_id="s",
        turn_id="4",
        question="Bad one",
        answer=_answer("Bad one", [f"{RESOLUTION}/op-1"]),
        rating=THUMBS_DOWN,
    )
    store.record(session_id="s", turn_id="5", question="No rating", comment="just a comment")
    suite = suite_dict(store.entries())
    assert suite["name"] == "feedback" and suite["description"]
    cases = {c["question"]: c for c in suite["cases"]}
    assert set(cases) == {"What does OP 5 ask?", "And in minor cases?", "Capital of France?"}
    assert cases["What does OP 5 ask?"] == {
        "id": cases["What does OP 5 ask?"]["id"],
        "question": "What does OP 5 ask?",
        "history": [],
        "expected": [f"{RESOLUTION}/op-5"],
        "must_mention": [],
        "answerable": True,
        "tags": ["feedback"],
    }
    assert cases["And in minor cases?"]["history"] == ["Which conventions allow treatment?"]
    assert cases["And in minor cases?"]["tags"] == ["feedback", "follow-up"]
    assert (
        cases["Capital of France?"]["answerable"] is False and cases["Capital of France?"]["expected"] == []
    )
    assert len({c["id"] for c in suite["cases"]}) == 3

    with_down = suite_dict(store.entries(), include_thumbs_down=True)
    bad = next(c for c in with_down["cases"] if c["question"] == "Bad one")
    assert bad["expected"] == [] and bad["answerable"] is True

    # the latest feedback on the same question wins
    store.record(session_id="s2", turn_id="9", question="What does OP 5 ask?", rating=THUMBS_DOWN)
    assert "What does OP 5 ask?" not in {c["question"] for c in suite_dict(store.entries())["cases"]}


def test_exported_suite_loads_as_an_evaluation_suite(
    tmp_path: Path, pipeline: Pipeline, corpus: Corpus
) -> None:
    store = FeedbackStore(tmp_path / "f.sqlite3")
    history: list[str] = []
    for i, q in enumerate(
        [
            "Which conventions allow treatment instead of punishment?",
            "And in cases of a minor nature?",
            "What is the capital of France?",
        ]
    ):
        answer = pipeline.answer(q, history)
        store.record(
            session_id="s", turn_id=str(i), question=q, answer=answer, history=history, rating=THUMBS_UP
        )
        history.append(q)
    text = suite_yaml(store.entries())
    assert yaml.safe_load(text)["cases"][1]["history"] == [
        "Which conventions allow treatment instead of punishment?"
    ]
    path = tmp_path / "feedback.yaml"
    path.write_text(text, encoding="utf-8")
    suite = load_suite(path, corpus)
    assert [c.answerable for c in suite.cases] == [True, True, False]
    assert f"{C1988}/art-3/para-4/c" in suite.cases[1].expected
