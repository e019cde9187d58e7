"""The Evaluation page: run a suite from the app, read the report, compare two runs."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from test_ui_app import deprecations, env, feedback_db, start  # noqa: F401  (fixtures and helpers)

from assistant.evaluation import runs
from assistant.evaluation.report import load_run
from assistant.settings import REPO_ROOT, Settings

ONE_SECOND = datetime(2026, 1, 31, 14, 25, 1)


def repo_runs() -> set[str]:
    path = REPO_ROOT / "evals" / "runs"
    return {p.name for p in path.iterdir()} if path.is_dir() else set()


def test_evaluation_page_runs_a_suite_and_compares(
    env: Settings,  # noqa: F811
    feedback_db: Path,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # both runs start "in the same second", whatever the machine's speed
    monkeypatch.setattr(runs, "_now", lambda: ONE_SECOND)
    runs_dir = feedback_db.parent / "runs"  # ASSISTANT_RUNS_DIR of app_env
    before = repo_runs()
    with deprecations() as found:
        at = start("views/evaluation.py")
        at.number_input[0].set_value(3)
        at.button[0].click().run(timeout=180)
        assert not at.exception, at.exception
        at.number_input[0].set_value(2)
        at.button[0].click().run(timeout=180)
        assert not at.exception, at.exception
        assert len(at.dataframe) >= 2  # the summary and the by-tag tables
        assert at.selectbox[0].value == "20260131-142501-02"  # the run just made is shown
        assert at.selectbox[1].options == ["(none)", "20260131-142501-01"]
        at.selectbox[1].set_value(at.selectbox[1].options[1]).run()
        assert not at.exception, at.exception
    assert found == [], "deprecated Streamlit API used by the page"
    headers = [h.value for h in at.subheader]
    assert any("2 cases" in h for h in headers)
    made = sorted(p.name for p in runs_dir.iterdir())
    assert made == ["20260131-142501-01", "20260131-142501-02"]
    assert [len(load_run(runs_dir / name)["cases"]) for name in made] == [3, 2]
    assert repo_runs() == before, "the test wrote into the repository's evals/runs"
