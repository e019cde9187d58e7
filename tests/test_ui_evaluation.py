"""The Evaluation page: run a suite from the app, read the report, compare two runs."""

from __future__ import annotations

from test_ui_app import env, feedback_db, start  # noqa: F401  (fixtures and helpers)

from assistant.settings import Settings


def test_evaluation_page_runs_a_suite_and_compares(env: Settings) -> None:  # noqa: F811
    at = start("views/evaluation.py")
    at.number_input[0].set_value(3)
    at.button[0].click().run(timeout=180)
    assert not at.exception, at.exception
    at.number_input[0].set_value(2)
    at.button[0].click().run(timeout=180)
    assert not at.exception, at.exception
    assert len(at.dataframe) >= 2  # the summary and the by-tag tables
    assert at.selectbox[1].options[0] == "(none)" and len(at.selectbox[1].options) >= 2
    at.selectbox[1].set_value(at.selectbox[1].options[1]).run()
    assert not at.exception, at.exception
    headers = [h.value for h in at.subheader]
    assert any("cases" in h for h in headers)
