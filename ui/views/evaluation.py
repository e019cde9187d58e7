"""Evaluation page: pick suites, run them, read the report and each case, compare two runs.

Render only: loading, scoring and reports live in assistant.evaluation.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import streamlit as st

from assistant.errors import AssistantError
from assistant.evaluation.report import HEADLINE, deltas, load_run, write_reports
from assistant.evaluation.runner import run_case, summarize
from assistant.evaluation.runs import create_run_dir, list_runs
from assistant.evaluation.suite import load_suites
from assistant.settings import REPO_ROOT
from ui import state
from ui.render import esc

SUITES = REPO_ROOT / "evals" / "suites"

st.title("Evaluation")
backend = state.load_backend()
if backend.pipeline is None:
    st.error(esc(backend.error or "The pipeline is not available."))
    st.stop()
pipeline = backend.pipeline
runs_dir = backend.settings.runs_dir if backend.settings else pipeline.settings.runs_dir

suite_files = sorted(SUITES.glob("*.yaml"))
chosen = st.multiselect("Suites", [p.name for p in suite_files], default=[p.name for p in suite_files[:1]])
limit = st.number_input("Cases (0 = all)", min_value=0, value=0, step=10)
if st.button("Run", type="primary", disabled=not chosen):
    try:
        cases = load_suites([SUITES / name for name in chosen], pipeline.corpus)
    except AssistantError as exc:
        st.error(esc(str(exc)))
        st.stop()
    if limit:
        cases = cases[: int(limit)]
    bar = st.progress(0.0, text="evaluating")
    rows: list[dict[str, Any]] = []
    for i, (suite, case) in enumerate(cases, 1):
        rows.append(run_case(pipeline, suite, case, None))
        bar.progress(i / len(cases), text=f"{i}/{len(cases)} cases")
    tags = sorted({t for r in rows for t in r["tags"]})
    new_run: dict[str, Any] = {
        "mode": pipeline.settings.answer_mode,
        "summary": summarize(rows),
        "by_tag": {t: summarize([r for r in rows if t in r["tags"]]) for t in tags},
        "cases": rows,
    }
    try:
        out = create_run_dir(runs_dir)  # a new folder: a run started in the same second gets its own
        write_reports(new_run, out)
    except (AssistantError, OSError) as exc:
        st.error(esc(f"The run could not be saved: {exc}"))
        st.stop()
    st.session_state["eval_run"] = str(out)

runs = list_runs(runs_dir)
if not runs:
    st.info("No runs yet: pick suites and press Run (or use `assistant eval`).")
    st.stop()
names = [p.name for p in runs]
current = st.session_state.get("eval_run")
index = names.index(Path(current).name) if current and Path(current).name in names else 0
left, right = st.columns(2)
run_name = left.selectbox("Run", names, index=index)
other = right.selectbox("Compare with", ["(none)", *[n for n in names if n != run_name]])
try:
    results = load_run(runs_dir / run_name)
    previous = load_run(runs_dir / other) if other != "(none)" else None
except AssistantError as exc:
    st.error(esc(str(exc)))
    st.stop()
delta = deltas(results, previous)

summary = results["summary"]
st.subheader(f"{int(summary['cases'])} cases, {esc(results['mode'])} mode")
st.dataframe(
    [{"metric": k, "value": summary[k], "Δ": delta.get(k)} for k in HEADLINE if k in summary],
    hide_index=True,
    width="stretch",
)
st.subheader("By tag")
st.dataframe(
    [
        {
            "tag": t,
            **{
                k: v[k]
                for k in (
                    "cases",
                    "citation_hit",
                    "citation_recall",
                    "abstention_recall",
                    "false_refusal_rate",
                    "mention_coverage",
                )
            },
        }
        for t, v in results["by_tag"].items()
    ],
    hide_index=True,
    width="stretch",
)
html_path = runs_dir / run_name / "report.html"
if html_path.is_file():
    st.download_button(
        "Download the HTML report",
        html_path.read_bytes(),
        file_name=f"report-{run_name}.html",
        mime="text/html",
    )
st.subheader("Cases")
only_misses = st.toggle("Only cases to look at", value=True)
for row in results["cases"]:
    miss = row.get("scores", {}).get("citation_hit") == 0.0 or row["answerable"] == row["abstained"]
    if only_misses and not miss:
        continue
    with st.expander(f"{row['id']}: {row['question']}"):
        st.markdown(f"**Answer** {'(abstained)' if row['abstained'] else ''}: {esc(row['answer'])}")
        st.markdown(f"**Expected**: {esc(', '.join(row.get('expected') or []) or '-')}")
        for c in row["citations"]:
            st.markdown(f"[{c['marker']}] **{esc(c['label'])}** `{esc(c['clause_id'])}`")
        st.json(row.get("scores", {}))
