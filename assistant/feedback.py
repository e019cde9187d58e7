"""Feedback on answers (thumbs up/down, optional comment) in SQLite, and its export as an
evaluation suite (the format of evals/suites/*.yaml).

One row per answer (session id + turn id): rating again or adding a comment updates it.
Thread-safe: one lock per database file, and a short-lived connection per operation.
"""

from __future__ import annotations

import json
import re
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from assistant.errors import AssistantError
from assistant.types import Answer

THUMBS_UP = 1
THUMBS_DOWN = 0

SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    session_id TEXT NOT NULL,
    turn_id TEXT NOT NULL,
    question TEXT NOT NULL,
    standalone TEXT NOT NULL DEFAULT '',
    history TEXT NOT NULL DEFAULT '[]',
    answer TEXT NOT NULL DEFAULT '',
    abstained INTEGER NOT NULL DEFAULT 0,
    cited TEXT NOT NULL DEFAULT '[]',
    rating INTEGER,
    comment TEXT NOT NULL DEFAULT '',
    mode TEXT NOT NULL DEFAULT '',
    UNIQUE (session_id, turn_id)
)
"""

_LOCKS: dict[str, threading.Lock] = {}
_LOCKS_GUARD = threading.Lock()


class FeedbackError(AssistantError):
    """The feedback database cannot be read or written."""


@dataclass(frozen=True)
class FeedbackEntry:
    id: int
    created_at: str
    updated_at: str
    session_id: str
    turn_id: str
    question: str
    standalone: str
    history: tuple[str, ...]
    answer: str
    abstained: bool
    cited: tuple[str, ...]
    rating: int | None  # 1 thumbs up, 0 thumbs down, None: a comment only
    comment: str
    mode: str

    @property
    def thumbs(self) -> str:
        return {THUMBS_UP: "up", THUMBS_DOWN: "down"}.get(self.rating, "") if self.rating is not None else ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
            "session_id": self.session_id,
            "turn_id": self.turn_id,
            "question": self.question,
            "standalone": self.standalone,
            "history": list(self.history),
            "answer": self.answer,
            "abstained": self.abstained,
            "cited": list(self.cited),
            "rating": self.rating,
            "comment": self.comment,
            "mode": self.mode,
        }


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _lock_for(path: Path) -> threading.Lock:
    key = str(path.resolve())
    with _LOCKS_GUARD:
        return _LOCKS.setdefault(key, threading.Lock())


class FeedbackStore:
    """The feedback table in one SQLite file; the file and table are created when missing."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = _lock_for(self.path)
        with self._connect() as con:
            con.execute(SCHEMA)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                # the inner "con" commits, or rolls back on error; closing() closes
                with closing(sqlite3.connect(self.path, timeout=30)) as con, con:
                    yield con
            except (sqlite3.Error, OSError) as exc:
                raise FeedbackError(f"cannot use the feedback database {self.path}: {exc}") from exc

    def record(
        self,
        *,
        session_id: str,
        turn_id: str,
        question: str,
        answer: Answer | None = None,
        history: Sequence[str] = (),
        rating: int | None = None,
        comment: str | None = None,
        mode: str = "",
    ) -> FeedbackEntry:
        """Insert or update the feedback on one answer. ``None`` keeps what is stored."""
        if rating is not None and rating not in (THUMBS_UP, THUMBS_DOWN):
            raise ValueError(f"rating must be {THUMBS_UP} (up) or {THUMBS_DOWN} (down), got {rating!r}")
        now = _now()
        row = {
            "created_at": now,
            "updated_at": now,
            "session_id": session_id,
            "turn_id": turn_id,
            "question": question,
            "standalone": answer.standalone if answer else "",
            "history": json.dumps(list(history)),
            "answer": answer.text if answer else "",
            "abstained": int(answer.abstained) if answer else 0,
            "cited": json.dumps([c.clause_id for c in answer.citations] if answer else []),
            "rating": rating,
            "comment": comment,
            "mode": mode,
        }
        with self._connect() as con:
            con.execute(
                """
                INSERT INTO feedback (created_at, updated_at, session_id, turn_id, question,
                    standalone, history, answer, abstained, cited, rating, comment, mode)
                VALUES (:created_at, :updated_at, :session_id, :turn_id, :question, :standalone,
                    :history, :answer, :abstained, :cited, :rating, COALESCE(:comment, ''), :mode)
                ON CONFLICT (session_id, turn_id) DO UPDATE SET
                    updated_at = excluded.updated_at,
                    rating = COALESCE(:rating, feedback.rating),
                    comment = COALESCE(:comment, feedback.comment)
                """,
                row,
            )
            found = con.execute(
                "SELECT * FROM feedback WHERE session_id = ? AND turn_id = ?", (session_id, turn_id)
            ).fetchone()
            columns = [d[0] for d in con.execute("SELECT * FROM feedback LIMIT 0").description]
        return _entry(dict(zip(columns, found, strict=True)))

    def entries(self, rating: int | None = None) -> list[FeedbackEntry]:
        """All entries, newest first (only those with this rating, if given)."""
        query = "SELECT * FROM feedback"
        params: tuple[Any, ...] = ()
        if rating is not None:
            query += " WHERE rating = ?"
            params = (rating,)
        query += " ORDER BY updated_at DESC, id DESC"
        with self._connect() as con:
            cur = con.execute(query, params)
            columns = [d[0] for d in cur.description]
            rows = cur.fetchall()
        return [_entry(dict(zip(columns, r, strict=True))) for r in rows]

    def get(self, session_id: str, turn_id: str) -> FeedbackEntry | None:
        with self._connect() as con:
            cur = con.execute(
                "SELECT * FROM feedback WHERE session_id = ? AND turn_id = ?", (session_id, turn_id)
            )
            columns = [d[0] for d in cur.description]
            found = cur.fetchone()
        return _entry(dict(zip(columns, found, strict=True))) if found else None

    def delete(self, entry_id: int) -> bool:
        with self._connect() as con:
            return con.execute("DELETE FROM feedback WHERE id = ?", (entry_id,)).rowcount > 0

    def count(self) -> int:
        with self._connect() as con:
            return int(con.execute("SELECT COUNT(*) FROM feedback").fetchone()[0])


def _entry(row: dict[str, Any]) -> FeedbackEntry:
    return FeedbackEntry(
        id=int(row["id"]),
        created_at=str(row["created_at"]),
        updated_at=str(row["updated_at"]),
        session_id=str(row["session_id"]),
        turn_id=str(row["turn_id"]),
        question=str(row["question"]),
        standalone=str(row["standalone"]),
        history=tuple(str(h) for h in json.loads(row["history"] or "[]")),
        answer=str(row["answer"]),
        abstained=bool(row["abstained"]),
        cited=tuple(str(c) for c in json.loads(row["cited"] or "[]")),
        rating=None if row["rating"] is None else int(row["rating"]),
        comment=str(row["comment"] or ""),
        mode=str(row["mode"] or ""),
    )


# -- export as an evaluation suite ----------------------------------------------------------


def _case_id(entry: FeedbackEntry) -> str:
    words = re.findall(r"[a-z0-9]+", entry.question.lower())[:6]
    return "-".join(["feedback", str(entry.id), *words])


def suite_dict(
    entries: Iterable[FeedbackEntry],
    *,
    name: str = "feedback",
    description: str | None = None,
    include_thumbs_down: bool = False,
) -> dict[str, Any]:
    """Evaluation cases from feedback.

    A thumbs-up answer becomes a case whose ``expected`` clauses are the ones it cited, and
    whose ``answerable`` is false when the answer abstained.  Thumbs-down answers are left out
    unless asked for: their ``expected`` is then empty, for a person to fill in.  One case per
    question and history: the most recent feedback wins.
    """
    kept: dict[tuple[str, tuple[str, ...]], FeedbackEntry] = {}
    for entry in sorted(entries, key=lambda e: (e.updated_at, e.id)):
        if entry.rating == THUMBS_UP or (include_thumbs_down and entry.rating == THUMBS_DOWN):
            kept[(entry.question.strip().lower(), entry.history)] = entry
        elif entry.rating is not None:
            kept.pop((entry.question.strip().lower(), entry.history), None)
    cases = []
    for entry in sorted(kept.values(), key=lambda e: e.id):
        cases.append(
            {
                "id": _case_id(entry),
                "question": entry.question,
                "history": list(entry.history),
                "expected": list(entry.cited) if entry.rating == THUMBS_UP else [],
                "must_mention": [],
                "answerable": not entry.abstained,
                "tags": ["feedback", *(["follow-up"] if entry.history else [])],
            }
        )
    return {
        "name": name,
        "description": description
        or (
            "Cases from user feedback in the app: thumbs-up answers, their cited clauses as the "
            "expected ones (answerable is false where the answer abstained)."
        ),
        "cases": cases,
    }


def suite_yaml(entries: Iterable[FeedbackEntry], **kwargs: Any) -> str:
    return yaml.safe_dump(suite_dict(entries, **kwargs), sort_keys=False, allow_unicode=True, width=100)
