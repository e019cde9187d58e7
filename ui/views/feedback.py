"""Feedback: what users thought of the answers, and its export as an evaluation suite."""

from __future__ import annotations

from datetime import datetime

import streamlit as st

from assistant.errors import AssistantError
from assistant.export import markdown_text, safe_filename
from assistant.feedback import THUMBS_DOWN, THUMBS_UP, FeedbackEntry, suite_yaml
from ui import state
from ui.render import esc

RATINGS = {"All": None, "Thumbs up": THUMBS_UP, "Thumbs down": THUMBS_DOWN}


def _thumbs(entry: FeedbackEntry) -> str:
    return {THUMBS_UP: "👍", THUMBS_DOWN: "👎"}.get(entry.rating, "-") if entry.rating is not None else "-"


def table(entries: list[FeedbackEntry]) -> None:
    rows = [
        {
            "when": e.updated_at,
            "rating": _thumbs(e),
            "question": e.question,
            "comment": e.comment,
            "abstained": e.abstained,
            "cited": ", ".join(e.cited),
            "mode": e.mode,
        }
        for e in entries
    ]
    st.dataframe(rows, hide_index=True, width="stretch")


def details(entries: list[FeedbackEntry]) -> None:
    for e in entries[:50]:
        with st.expander(f"{_thumbs(e)} {esc(e.question)}"):
            if e.history:
                st.caption("After: " + " / ".join(esc(h) for h in e.history))
            st.markdown(markdown_text(e.answer) or "*No answer text.*")
            if e.comment:
                st.markdown(f"**Comment:** {esc(e.comment)}")
            st.caption(
                f"{esc(e.updated_at)} · mode {esc(e.mode or '?')} · cited: {esc(', '.join(e.cited) or 'none')}"
            )


def main() -> None:
    st.title("Feedback")
    try:
        store = state.feedback_store()
        everything = store.entries()
    except AssistantError as exc:
        state.show_error(str(exc), "Feedback cannot be read")
        st.stop()
    if not everything:
        st.info("No feedback yet. Rate answers in the chat with the thumbs under each answer.")
    choice = st.radio("Show", list(RATINGS), horizontal=True, key="feedback_filter")
    wanted = RATINGS[str(choice)]
    entries = [e for e in everything if wanted is None or e.rating == wanted]
    up = sum(1 for e in everything if e.rating == THUMBS_UP)
    down = sum(1 for e in everything if e.rating == THUMBS_DOWN)
    cols = st.columns(3)
    cols[0].metric("Entries", len(everything))
    cols[1].metric("Thumbs up", up)
    cols[2].metric("Thumbs down", down)
    if entries:
        table(entries)
        details(entries)

    st.subheader("Export as an evaluation suite")
    st.caption(
        "YAML in the format of evals/suites/gold.yaml: a thumbs-up answer becomes a case whose "
        "expected clauses are the ones it cited (answerable: false where it abstained)."
    )
    negative = st.checkbox(
        "Also include thumbs-down answers (their expected clauses left empty, to fill in)",
        key="feedback_include_down",
    )
    text = suite_yaml(everything, include_thumbs_down=negative)
    st.download_button(
        "Export evaluation suite (YAML)",
        data=text,
        file_name=safe_filename(f"feedback-suite-{datetime.now():%Y%m%d}", suffix=".yaml"),
        mime="application/x-yaml",
        icon=":material/download:",
        on_click="ignore",
        key="feedback_export",
        disabled=not everything,
    )
    with st.expander("Preview the suite"):
        st.code(text, language="yaml")


main()
