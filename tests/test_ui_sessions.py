"""Several sessions of the Streamlit app at once, each asking its own question in the Chat page.

Streamlit serves every browser tab from one process: one Runtime, one pipeline (cached with
``st.cache_resource``), a session state per tab, and each script run in a thread of its own.
Here each session is an ``AppTest`` of ui/app.py driven from a thread of its own, and all of
them ask at the same moment.  ``AppTest`` installs a Runtime of its own for each run and removes
it when the run ends (``Runtime._instance = None``): fine one run at a time, but a run that ends
would remove the Runtime from under one still running.  So, as in a server, the sessions share
one Runtime for the length of the test (``one_runtime``).
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from unittest.mock import MagicMock

import pytest
import test_ui_app
from streamlit.components.v2.component_manager import BidiComponentManager
from streamlit.runtime import Runtime
from streamlit.runtime.caching.storage.dummy_cache_storage import MemoryCacheStorageManager
from streamlit.runtime.dataframe_source_manager import DataframeSourceManager
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest, app_test
from streamlit.testing.v1.util import patch_config_options
from test_ui_app import ask, env, feedback_db, start  # noqa: F401  (fixtures and helpers)

from assistant.export import escape_markdown as esc
from assistant.export import markdown_text
from assistant.pipeline import Pipeline
from assistant.settings import Settings
from assistant.types import Answer

# questions that cite different clauses (checked below against the pipeline itself)
QUESTIONS = (
    "What does the resolution ask UNODC to do?",
    "What may Parties do in cases of a minor nature under the 1988 Convention?",
    "Under the 1961 Convention, can abusers get treatment instead of punishment?",
    "What does operative paragraph 3 encourage Member States to do?",
    "What does the 1971 Convention say about treatment as an alternative to conviction?",
)
TIMEOUT = 300  # five sessions share two cores


@pytest.fixture
def one_runtime(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """One Runtime for every session, and AppTest's per-run Runtime and config swaps made
    no-ops (they would undo each other when runs overlap)."""
    runtime = MagicMock(spec=Runtime)
    runtime.media_file_mgr = MediaFileManager(MemoryMediaFileStorage("/mock/media"))
    runtime.dataframe_source_mgr = DataframeSourceManager()
    runtime.cache_storage_manager = MemoryCacheStorageManager()
    components = BidiComponentManager()
    components.discover_and_register_components(start_file_watching=False)
    runtime.bidi_component_registry = components
    monkeypatch.setattr(Runtime, "_instance", runtime)
    monkeypatch.setattr(app_test, "Runtime", type("PerRunRuntime", (), {"_instance": None}))
    monkeypatch.setattr(app_test, "patch_config_options", lambda _overrides: contextlib.nullcontext())
    monkeypatch.setattr(test_ui_app, "TIMEOUT", TIMEOUT)  # for start()
    # AppTest() writes its session state outside a script run: harmless, but with a Runtime
    # present Streamlit warns about it once per session
    quiet = logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context")
    level = quiet.level
    quiet.setLevel(logging.ERROR)
    try:
        # as in .streamlit/config.toml: no "magic", whose ast.parse is not thread-safe on
        # Python 3.11 ("AST constructor recursion depth mismatch" when sessions start together)
        with patch_config_options({"global.appTest": True, "runner.magicEnabled": False}):
            yield
    finally:
        quiet.setLevel(level)


@dataclass
class Session:
    """One browser tab: opens the app, then asks its question when all tabs are open."""

    question: str
    app: AppTest | None = None
    error: BaseException | None = None
    thread: threading.Thread = field(init=False)

    def start(self, everyone_open: threading.Barrier) -> None:
        self.thread = threading.Thread(target=self._run, args=(everyone_open,), name=self.question[:20])
        self.thread.start()

    def _run(self, everyone_open: threading.Barrier) -> None:
        try:
            app = start()
            everyone_open.wait(timeout=TIMEOUT)
            self.app = ask(app, self.question)
        except BaseException as exc:
            self.error = exc
            everyone_open.abort()


def run_sessions(questions: tuple[str, ...]) -> list[Session]:
    everyone_open = threading.Barrier(len(questions))
    sessions = [Session(q) for q in questions]
    for session in sessions:
        session.start(everyone_open)
    for session in sessions:
        session.thread.join(timeout=2 * TIMEOUT)
    return sessions


def chip_labels(answer: Answer) -> list[str]:
    """The citation chips the Chat page draws for this answer."""
    return [f"\\[{c.marker}\\] {esc(c.label)}" for c in answer.citations]


def markdown_of(message: Any) -> list[str]:
    return [n.value for n in message if getattr(n, "type", "") == "markdown"]


def test_sessions_at_once_get_their_own_answers(env: Settings, one_runtime: None, pipeline: Pipeline) -> None:  # noqa: F811
    expected = {q: pipeline.answer(q, [], mode="extractive") for q in QUESTIONS}
    cited = [tuple(c.clause_id for c in a.citations) for a in expected.values()]
    assert all(cited) and len(set(cited)) == len(QUESTIONS), "each question cites its own clauses"

    sessions = run_sessions(QUESTIONS)

    for session in sessions:
        assert not session.thread.is_alive(), f"{session.question!r} did not finish"
        assert session.error is None, f"{session.question!r}: {session.error!r}"
        at = session.app
        assert at is not None and not at.exception, at and at.exception
        want = expected[session.question]
        # the transcript: this question only, and its answer with its own citations
        users = [m for m in at.chat_message if m.name == "user"]
        assistants = [m for m in at.chat_message if m.name == "assistant"]
        assert [markdown_of(m) for m in users] == [[esc(session.question)]]
        assert len(assistants) == 1
        streamed = [md.strip() for md in markdown_of(assistants[0])]
        assert markdown_text(want.text).strip() in streamed  # as ui.render.answer_markdown draws it
        assert [p.proto.popover.label for p in at.get("popover")] == chip_labels(want)
        # the session state: its own conversation of one turn
        chat = at.session_state["chat"]
        assert [e.turn.question for e in chat] == [session.question]
        assert chat[0].answer.text == want.text
        assert [c.clause_id for c in chat[0].answer.citations] == [c.clause_id for c in want.citations]

    states = [s.app.session_state for s in sessions if s.app is not None]
    # one pipeline for all sessions (st.cache_resource), a conversation and backend per session
    backends = [state["_backend"] for state in states]
    assert len({id(b.pipeline) for b in backends}) == 1
    assert len({id(b) for b in backends}) == len({id(state["chat"]) for state in states}) == len(QUESTIONS)
