"""The Documents page's "Fetch official text" button: the same code as ``assistant fetch``
(download, checks, provenance, then the index updated), with a progress bar; a failure is shown
with ``st.error`` and changes nothing."""

from __future__ import annotations

import threading

import streamlit as st

from assistant.corpus.fetch import fetch_one
from assistant.errors import AssistantError
from assistant.factory import corpus_for, embedder_for
from assistant.index.ingest import ingest
from assistant.settings import Settings
from assistant.types import Instrument
from ui import state
from ui.render import esc

NOTICE = "_fetch_notice"
_LOCK = threading.Lock()  # one fetch and index update at a time, whatever the session


def notice() -> bool:
    """What the last fetch did, shown once after the page has been built again; True then."""
    done = st.session_state.pop(NOTICE, None)
    if done:
        st.success(esc(done), icon=":material/download_done:")
    return bool(done)


def fetch_button(inst: Instrument) -> None:
    settings = state.backend().settings
    if settings is None:
        return
    where = "the mirror " + settings.fetch_mirror if settings.fetch_mirror else inst.url
    st.caption(f"With an internet connection, the official text can be fetched from {esc(where)}.")
    if st.button("Fetch official text", key=f"fetch-{inst.id}", icon=":material/download:", type="primary"):
        fetch(inst, settings)


def fetch(inst: Instrument, settings: Settings) -> None:
    bar = st.progress(0.0, text=f"Fetching {esc(inst.symbol)}...")

    def progress(_id: str, got: int, total: int | None) -> None:
        share = min(got / total, 1.0) if total else 0.5
        bar.progress(share * 0.8, text=f"Fetching {esc(inst.symbol)}: {got:,} bytes")

    with _LOCK:
        outcome = fetch_one(
            inst,
            settings.downloads_dir,
            mirror=settings.fetch_mirror,
            timeout=settings.fetch_timeout_s,
            on_progress=progress,
        )
        if not outcome.ok:
            bar.empty()
            state.show_error(outcome.message, "The official text could not be fetched")
            return
        bar.progress(0.85, text="Checked. Adding its paragraphs to the search index...")
        try:
            report = ingest(settings, corpus_for(settings), embedder_for(settings), progress=False)
        except AssistantError as exc:
            bar.empty()
            state.show_error(
                str(exc), f"The text was fetched ({outcome.message}) but the index could not be updated"
            )
            return
    bar.progress(1.0, text="Done.")
    st.session_state[NOTICE] = (
        f"Fetched the official text of {inst.short_title}: {outcome.message}. "
        f"{report.added} clauses added to the index."
    )
    state.forget_backends()
    st.rerun()
