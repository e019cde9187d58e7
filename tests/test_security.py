"""No secret in what the assistant prints, logs or shows.

The LLM API key (``ASSISTANT_LLM_API_KEY``, a ``SecretStr``) is set to a sentinel and looked for
in the settings as they are printed or serialised, in ``assistant status``, in ``assistant ask``
against an LLM endpoint that is down (stdout, stderr, and every log record at DEBUG), and in
every element and the session state of every page of the app.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr
from streamlit.testing.v1 import AppTest
from test_ui_app import app_env, ask, feedback_db, nodes, start  # noqa: F401  (fixtures and helpers)

from assistant.answer.llm import make_generator
from assistant.cli import main
from assistant.export import escape_markdown as esc
from assistant.settings import Settings

SENTINEL = "sk-test-SENTINELqXwZrTpLmKv"
# a leak is any 6 letters in a row of the key's secret part: letters, so that Markdown escaping
# and quoting leave them alone, and no hex digest or id can contain them by chance
WINDOW = 6
SECRET_PART = SENTINEL.removeprefix("sk-test-")
LLM_DOWN = "http://127.0.0.1:9/v1"  # the discard port: nothing listens there
QUESTION = "What does the resolution ask UNODC to do?"
PAGES = ("views/documents.py", "views/trainer.py", "views/feedback.py", "views/evaluation.py")


def leaked(text: str) -> list[str]:
    """The pieces of the key found in ``text``."""
    pieces = {SECRET_PART[i : i + WINDOW] for i in range(len(SECRET_PART) - WINDOW + 1)}
    return sorted(p for p in pieces if p in text)


@pytest.fixture
def secret_env(
    monkeypatch: pytest.MonkeyPatch,
    embedded_index: Settings,
    feedback_db: Path,  # noqa: F811
) -> dict[str, str]:
    """The shared test index, and an LLM endpoint with the sentinel as its key."""
    env = {
        **app_env(embedded_index, feedback_db),
        "ASSISTANT_LLM_API_KEY": SENTINEL,
        "ASSISTANT_LLM_MODEL": "gpt-test",
        "ASSISTANT_LLM_BASE_URL": LLM_DOWN,
    }
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return env


def run_cli(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "assistant.cli", *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_settings_hold_the_key_and_never_show_it(secret_env: dict[str, str]) -> None:
    settings = Settings()
    assert isinstance(settings.llm_api_key, SecretStr)
    assert settings.llm_api_key.get_secret_value() == SENTINEL  # it is read, and usable
    generator = make_generator(settings, "openai")
    shown = {
        "repr": repr(settings),
        "str": str(settings),
        "model_dump_json (factory and app cache keys)": settings.model_dump_json(),
        "model_dump as JSON": json.dumps(settings.model_dump(mode="json")),
        "model_dump": str(settings.model_dump()),
        "the LLM client": str(vars(generator)),
    }
    for how, text in shown.items():
        assert not leaked(text), how


def test_status_never_shows_the_key(secret_env: dict[str, str]) -> None:
    as_json = run_cli(["status", "--json"], secret_env)
    assert as_json.returncode == 0, as_json.stderr
    assert json.loads(as_json.stdout)["clauses"] > 0
    as_text = run_cli(["status"], secret_env)
    assert as_text.returncode == 0, as_text.stderr
    for done in (as_json, as_text):
        assert not leaked(done.stdout + done.stderr)


def test_ask_with_the_llm_down_names_the_url_and_never_the_key(
    secret_env: dict[str, str], caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    caplog.set_level(logging.DEBUG)
    code = main(["ask", "--mode", "openai", QUESTION])
    out, err = capsys.readouterr()
    assert code != 0
    assert f"error: the LLM endpoint {LLM_DOWN} failed" in err
    debug = [r for r in caplog.records if r.name.startswith("openai") and r.levelno == logging.DEBUG]
    assert debug, "the LLM client's own DEBUG records are captured"
    assert not leaked(out + err)
    assert not leaked(caplog.text)
    assert not [r for r in caplog.records if leaked(str(vars(r)))], "nor in any record's arguments"


def test_ask_in_a_process_of_its_own_with_debug_logs_never_shows_the_key(secret_env: dict[str, str]) -> None:
    done = run_cli(["ask", "--mode", "openai", QUESTION], {**secret_env, "OPENAI_LOG": "debug"})
    assert done.returncode == 1, done.stderr
    assert f"error: the LLM endpoint {LLM_DOWN} failed" in done.stderr
    assert "openai._base_client" in done.stderr  # the client logs its requests at DEBUG
    assert "Traceback" not in done.stderr
    assert not leaked(done.stdout + done.stderr)


def all_the_app_holds(at: AppTest) -> str:
    """Every element of the page and the sidebar as sent to the browser, any exception, and the
    session state."""
    parts = [str(getattr(node, "proto", "")) for node in nodes(at)]
    parts += [str(e.value) for e in at.exception]
    parts.append(repr(at.session_state.to_dict()))
    return "\n".join(parts)


def test_app_never_shows_the_key(secret_env: dict[str, str], feedback_db: Path) -> None:  # noqa: F811
    at = ask(start(), QUESTION)  # offline first, with thumbs up for the Feedback page
    at.feedback[0].set_value(1).run()
    seen: dict[str, Any] = {"chat, offline": all_the_app_holds(at)}

    at.radio(key="answer_mode").set_value("openai").run()
    at = ask(at, QUESTION)
    assert any(f"the LLM endpoint {esc(LLM_DOWN)} failed" in e.value for e in at.error), [
        e.value for e in at.error
    ]
    assert any(c.value == "Model: gpt-test" for c in at.caption)
    shown = all_the_app_holds(at)
    assert "LLM: gpt-test" in shown  # the index and settings display in the sidebar
    seen["chat, LLM down"] = shown

    for page in PAGES:
        at.switch_page(page).run()
        assert not at.exception, (page, at.exception)
        seen[page] = all_the_app_holds(at)
    assert f"question: {QUESTION}" in seen["views/feedback.py"]  # the Feedback page lists the answer
    for where, text in seen.items():
        assert not leaked(text), where


def test_an_echoed_key_is_masked_in_endpoint_errors() -> None:
    from assistant.answer.llm import redact

    key = "sk-test-SENTINEL-123456"
    assert key not in redact(f"401 Unauthorized: invalid key {key}", key)
    assert "SENTINEL-1234" not in redact("key ending SENTINEL-123456 is wrong", key)
    assert redact("nothing secret here", key) == "nothing secret here"


def test_pipelines_for_different_keys_are_not_shared_and_the_key_stays_out_of_the_cache_key() -> None:
    a = Settings(llm_api_key=SecretStr("sk-first-key-0001"))
    b = Settings(llm_api_key=SecretStr("sk-second-key-0002"))
    assert a.cache_key() != b.cache_key()
    assert "first-key" not in a.cache_key() and "second-key" not in b.cache_key()
