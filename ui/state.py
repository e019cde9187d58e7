"""What the pages share: the backends (built once per process), the conversation (per session).

Pages only render.  The pipeline is built once with ``st.cache_resource``; a missing or stale
embedded index is built once, under a visible spinner; an error the user can act on
(``AssistantError``: no index, Chroma server unreachable, ...) is kept as its message and shown
with ``st.error`` by the pages that need the backend, never as a traceback.
"""

from __future__ import annotations

import functools
import threading
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import streamlit as st
from pydantic import ValidationError

from assistant.errors import AssistantError, IndexError_
from assistant.export import escape_markdown
from assistant.factory import build_pipeline, corpus_for, embedder_for
from assistant.feedback import FeedbackStore
from assistant.index.ingest import index_status, ingest
from assistant.pipeline import Pipeline
from assistant.settings import Settings
from assistant.types import Answer, Clause, Corpus, Instrument, Turn

CHAT_PAGE = "views/chat.py"
DOCUMENTS_PAGE = "views/documents.py"
TRAINER_PAGE = "views/trainer.py"
TOPICS_PAGE = "views/topics.py"
FEEDBACK_PAGE = "views/feedback.py"

MODE_LABELS = {
    "extractive": "Offline (extractive, no model calls)",
    "openai": "OpenAI-compatible LLM",
    "ollama": "Ollama LLM",
}

_BACKEND_KEY = "_backend"
_INDEX_LOCK = threading.Lock()
_INDEX_READY: dict[str, dict[str, Any]] = {}


# -- the corpus, arranged for reading -----------------------------------------------------


@dataclass(frozen=True)
class CorpusView:
    corpus: Corpus
    by_id: dict[str, Clause]
    instruments: dict[str, Instrument]
    children: dict[str | None, list[Clause]]
    cited_by: dict[str, list[Clause]]

    @classmethod
    def of(cls, corpus: Corpus) -> CorpusView:
        children: dict[str | None, list[Clause]] = defaultdict(list)
        cited_by: dict[str, list[Clause]] = defaultdict(list)
        for clause in corpus.clauses:
            children[clause.parent_id].append(clause)
            for ref in clause.references:
                cited_by[ref].append(clause)
        return cls(
            corpus=corpus,
            by_id=corpus.by_id(),
            instruments={i.id: i for i in corpus.instruments},
            children=dict(children),
            cited_by=dict(cited_by),
        )

    def short(self, clause: Clause) -> str:
        """The label without its instrument: 'art. 36(1)(b)', 'operative para. 5', 'annex,
        para. 8' (the label of a fetched text starts with its symbol, 'A/RES/S-20/3, ...')."""
        inst = self.instruments.get(clause.instrument)
        prefix = f"{inst.short_title}, " if inst else ""
        if prefix and clause.label.startswith(prefix):
            return clause.label[len(prefix) :]
        head, sep, rest = clause.label.partition(", ")
        return (
            rest if sep and "/" in head and inst is not None and inst.kind == "declaration" else clause.label
        )

    @functools.cached_property
    def in_parallels(self) -> frozenset[str]:
        """The clauses a group of parallel provisions names outright."""
        return frozenset(cid for g in self.corpus.provisions.groups for cid in g.clause_ids)

    def top_ancestor(self, clause: Clause) -> Clause:
        node = clause
        while node.parent_id and node.parent_id in self.by_id:
            node = self.by_id[node.parent_id]
        return node


# -- the backends -----------------------------------------------------------------------


@dataclass
class Backend:
    settings: Settings | None
    pipeline: Pipeline | None = None
    view: CorpusView | None = None
    status: dict[str, Any] = field(default_factory=dict)
    error: str | None = None


def settings_key(settings: Settings) -> str:
    """What the index and the pipeline depend on (not where feedback and evaluation runs go)."""
    return settings.cache_key(exclude=frozenset({"feedback_db", "runs_dir"}))


def _ensure_index(settings: Settings) -> dict[str, Any]:
    """Build the index once if it is missing or stale (embedded mode, or an empty server)."""
    key = settings_key(settings)
    with _INDEX_LOCK:
        if key in _INDEX_READY:
            return _INDEX_READY[key]
        try:
            status = index_status(settings)
        except IndexError_:
            if settings.chroma_url:
                raise
            status = {"exists": False, "stale": False}  # a corrupt pointer: build afresh
        current = status.get("questions_current", True) and status.get("downloads_current", True)
        if not status.get("exists") or status.get("stale") or not current:
            why = "there is none yet" if not status.get("exists") else "it is out of date"
            with st.spinner(f"Building the search index, because {why}. This happens once."):
                ingest(settings, corpus_for(settings), embedder_for(settings), progress=False)
            status = index_status(settings)
        _INDEX_READY[key] = status
        return status


@st.cache_resource(show_spinner="Loading the embedding model and the index...")
def _pipeline(key: str) -> Pipeline:
    return build_pipeline(Settings())


@st.cache_resource(show_spinner=False)
def _view_of_pipeline(key: str) -> CorpusView:
    return CorpusView.of(_pipeline(key).corpus)


@st.cache_resource(show_spinner="Reading the documents...")
def _view_of_corpus(key: str) -> CorpusView:
    return CorpusView.of(corpus_for(Settings()))


def forget_backends() -> None:
    """The corpus changed (an official text was fetched and indexed): build the pipeline and
    the views again, for every session, at their next run."""
    from assistant.factory import forget_pipelines

    with _INDEX_LOCK:
        _INDEX_READY.clear()
    _pipeline.clear()
    _view_of_pipeline.clear()
    _view_of_corpus.clear()
    forget_pipelines()
    st.session_state.pop(_BACKEND_KEY, None)


def _message(exc: BaseException) -> str:
    if isinstance(exc, AssistantError):
        return str(exc)
    if isinstance(exc, ValidationError):
        return f"invalid settings (ASSISTANT_* environment variables): {exc.errors()[0].get('msg')}"
    return f"{type(exc).__name__}: {exc}"


def load_backend() -> Backend:
    """Once per script run (from ui/app.py): settings, index, pipeline, corpus."""
    try:
        settings = Settings()
    except ValidationError as exc:
        backend = Backend(settings=None, error=_message(exc))
        st.session_state[_BACKEND_KEY] = backend
        return backend
    backend = Backend(settings=settings)
    key = settings_key(settings)
    try:
        backend.status = _ensure_index(settings)
        backend.pipeline = _pipeline(key)
        backend.view = _view_of_pipeline(key)
    except Exception as exc:  # shown as a message, never a traceback
        backend.error = _message(exc)
    if backend.view is None:
        try:
            backend.view = _view_of_corpus(key)
        except Exception as exc:
            backend.error = backend.error or _message(exc)
    st.session_state[_BACKEND_KEY] = backend
    return backend


def backend() -> Backend:
    found = st.session_state.get(_BACKEND_KEY)
    return found if isinstance(found, Backend) else load_backend()


def show_error(error: str | None, what: str = "The assistant is not available") -> None:
    st.error(f"{what}: {escape_markdown(error or 'unknown error')}", icon=":material/error:")


def require_pipeline() -> Pipeline:
    b = backend()
    if b.pipeline is None:
        show_error(b.error)
        st.stop()
    assert b.pipeline is not None
    return b.pipeline


def require_view() -> CorpusView:
    b = backend()
    if b.view is None:
        show_error(b.error, "The documents cannot be read")
        st.stop()
    assert b.view is not None
    return b.view


@st.cache_resource(show_spinner=False)
def _feedback_store(path: str) -> FeedbackStore:
    from pathlib import Path

    return FeedbackStore(Path(path))


def feedback_store() -> FeedbackStore:
    b = backend()
    settings = b.settings or Settings()
    return _feedback_store(str(settings.feedback_db))


# -- the conversation -----------------------------------------------------------------------


@dataclass(frozen=True)
class ChatEntry:
    id: str
    turn: Turn
    history: tuple[str, ...]  # the earlier questions of the conversation, as asked
    mode: str
    instruments: tuple[str, ...] = ()
    asked_at: str = ""

    @property
    def answer(self) -> Answer:
        assert self.turn.answer is not None
        return self.turn.answer


def session_id() -> str:
    if "session_id" not in st.session_state:
        st.session_state["session_id"] = uuid.uuid4().hex
    return str(st.session_state["session_id"])


def chat() -> list[ChatEntry]:
    if "chat" not in st.session_state:
        st.session_state["chat"] = []
    entries: list[ChatEntry] = st.session_state["chat"]
    return entries


def turns() -> list[Turn]:
    return [e.turn for e in chat()]


def add_entry(question: str, answer: Answer, mode: str, instruments: tuple[str, ...]) -> ChatEntry:
    entries = chat()
    entry = ChatEntry(
        id=uuid.uuid4().hex[:12],
        turn=Turn(question=question, answer=answer),
        history=tuple(e.turn.question for e in entries),
        mode=mode,
        instruments=instruments,
        asked_at=datetime.now().isoformat(timespec="seconds"),
    )
    entries.append(entry)
    return entry


def new_conversation() -> None:
    st.session_state["chat"] = []


def ask_in_chat(question: str, *, fresh: bool = False) -> None:
    """From another page: put the question into the conversation (a new one when ``fresh``)
    and go to the chat."""
    if fresh:
        new_conversation()
    st.session_state["pending_question"] = question
    st.switch_page(CHAT_PAGE)
