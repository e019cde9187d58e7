"""The questions each clause answers (corpus/questions): loading, checks, and what they hold."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assistant.corpus.questions import (
    clause_of,
    load_questions,
    question_id,
    questions_digest,
    read_questions_file,
)
from assistant.errors import CorpusError
from assistant.settings import REPO_ROOT
from assistant.types import Corpus

SHIPPED = REPO_ROOT / "corpus" / "questions"


def test_every_clause_with_text_has_questions(corpus: Corpus) -> None:
    warnings: list[str] = []
    found = load_questions(SHIPPED, set(corpus.by_id()), warnings)
    assert warnings == []  # no id in the files names a clause that is not there
    missing = [c.clause_id for c in corpus.clauses if c.clause_id not in found]
    assert missing == []
    assert all(q.endswith("?") for qs in found.values() for q in qs)


def test_questions_are_not_the_instruments_words(corpus: Corpus) -> None:
    """They are a delegate's wording, not copies of the text (which must not be in the repo)."""
    found = load_questions(SHIPPED, set(corpus.by_id()))
    by_id = corpus.by_id()
    for cid, questions in found.items():
        words = re.findall(r"\w+", by_id[cid].text.lower())
        runs = {" ".join(words[i : i + 12]) for i in range(max(0, len(words) - 11))}
        for q in questions:
            q_words = re.findall(r"\w+", q.lower())
            q_runs = {" ".join(q_words[i : i + 12]) for i in range(max(0, len(q_words) - 11))}
            assert not runs & q_runs, (cid, q)


def test_unknown_ids_are_skipped_with_a_warning(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(
        "x/op-1:\n  - What does it ask?\n  - '  What   does it ask?  '\nx/op-9:\n  - Gone?\n",
        encoding="utf-8",
    )
    warnings: list[str] = []
    found = load_questions(tmp_path, {"x/op-1"}, warnings)
    assert found == {"x/op-1": ("What does it ask?",)}  # spaces tidied, duplicates dropped
    assert len(warnings) == 1 and "x/op-9" in warnings[0] and "a.yaml" in warnings[0]


def test_a_missing_folder_means_no_questions(tmp_path: Path) -> None:
    assert load_questions(tmp_path / "none", {"x"}) == {}
    assert load_questions(None, {"x"}) == {}


@pytest.mark.parametrize("content", ["x: [unclosed", "- a list\n- not a mapping\n", "x: 3\n"])
def test_a_bad_file_is_a_clear_error(tmp_path: Path, content: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CorpusError, match=r"bad\.yaml"):
        read_questions_file(path)


def test_ids_and_digest(tmp_path: Path) -> None:
    rid = question_id("single-convention-1961/art-36/para-1/a", 2)
    assert clause_of(rid) == "single-convention-1961/art-36/para-1/a"
    assert clause_of("single-convention-1961/art-36") == "single-convention-1961/art-36"
    (tmp_path / "a.yaml").write_text("x:\n  - One?\n", encoding="utf-8")
    before = questions_digest(tmp_path)
    assert questions_digest(tmp_path) == before
    (tmp_path / "a.yaml").write_text("x:\n  - Two?\n", encoding="utf-8")
    assert questions_digest(tmp_path) != before
