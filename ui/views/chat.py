"""Chat: questions in, short answers out, every sentence citing the clause it rests on."""

from __future__ import annotations

import queue
import re
import threading
import time
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

import streamlit as st

from assistant.errors import AssistantError
from assistant.export import conversation_filename, conversation_markdown
from assistant.pipeline import INJECTION, Pipeline
from assistant.tour import STARTER_QUESTIONS
from assistant.types import Answer, Turn
from ui import state
from ui.render import answer_markdown, citation_chips, esc

STREAM_DELAY_S = 0.012


# -- sidebar: how to answer -----------------------------------------------------------------


def answer_modes() -> list[str]:
    settings = state.backend().settings
    modes = ["extractive"]
    if settings is not None and settings.llm_model:
        modes += ["openai", "ollama"]
    return modes


def sidebar_options(pipeline: Pipeline) -> tuple[str, tuple[str, ...]]:
    view = state.require_view()
    with st.sidebar:
        st.button(
            "New conversation",
            icon=":material/add_comment:",
            on_click=state.new_conversation,
            width="stretch",
            key="new_conversation",
        )
        modes = answer_modes()
        default = pipeline.settings.answer_mode if pipeline.settings.answer_mode in modes else "extractive"
        if st.session_state.get("answer_mode") not in modes:
            st.session_state["answer_mode"] = default
        mode = st.radio(
            "Answer mode",
            modes,
            format_func=lambda m: state.MODE_LABELS.get(m, m),
            key="answer_mode",
            help="Offline mode composes answers from the clauses themselves. The LLM modes appear "
            "when ASSISTANT_LLM_MODEL is set; their answers are checked against the clauses too.",
        )
        if mode != "extractive" and pipeline.settings.llm_model:
            st.caption(f"Model: {esc(pipeline.settings.llm_model)}")
        with_text = [i.id for i in view.corpus.instruments if i.has_text]
        chosen = st.multiselect(
            "Search only in",
            with_text,
            format_func=lambda i: view.instruments[i].short_title,
            key="instrument_filter",
            placeholder="All instruments",
        )
    return str(mode), tuple(chosen)


def sidebar_export() -> None:
    """Drawn last, so that it includes the answer given in this run."""
    turns = state.turns()
    view = state.require_view()
    now = datetime.now()
    markdown = conversation_markdown(turns, exported_at=now.strftime("%Y-%m-%d %H:%M"), clauses=view.by_id)
    with st.sidebar:
        st.download_button(
            "Export conversation",
            data=markdown,
            file_name=conversation_filename(turns, now.strftime("%Y%m%d-%H%M")),
            mime="text/markdown",
            icon=":material/download:",
            disabled=not turns,
            on_click="ignore",
            key="export_conversation",
            width="stretch",
            help="Markdown: every answer with its citations, and the clause texts as footnotes.",
        )
        if turns:
            with st.expander("Preview the export"):
                st.code(markdown, language="markdown", wrap_lines=True)


# -- feedback -----------------------------------------------------------------------------


def _entry(entry_id: str) -> state.ChatEntry | None:
    return next((e for e in state.chat() if e.id == entry_id), None)


def _save_feedback(entry_id: str, with_comment: bool = False) -> None:
    entry = _entry(entry_id)
    if entry is None:
        return
    rating = st.session_state.get(f"fb-{entry_id}")
    comment = st.session_state.get(f"fbc-{entry_id}") if with_comment else None
    try:
        state.feedback_store().record(
            session_id=state.session_id(),
            turn_id=entry.id,
            question=entry.turn.question,
            answer=entry.answer,
            history=entry.history,
            rating=int(rating) if rating is not None else None,
            comment=str(comment) if comment is not None else None,
            mode=entry.mode,
        )
        st.session_state[f"fb-saved-{entry_id}"] = True
        st.session_state.pop("feedback_error", None)
    except (AssistantError, ValueError) as exc:
        st.session_state["feedback_error"] = str(exc)


def feedback_row(entry: state.ChatEntry) -> None:
    key = f"fb-{entry.id}"
    cols = st.columns([1, 4], vertical_alignment="center")
    with cols[0]:
        st.feedback("thumbs", key=key, on_change=_save_feedback, args=(entry.id,))
    with cols[1]:
        if st.session_state.get(key) is not None:
            st.text_input(
                "Comment (optional)",
                key=f"fbc-{entry.id}",
                placeholder="Optional: what was right or wrong? Press Enter to save.",
                label_visibility="collapsed",
                on_change=_save_feedback,
                args=(entry.id, True),
            )
    if st.session_state.get(f"fb-saved-{entry.id}"):
        st.caption("Thank you: your feedback is saved.")


# -- one answer -----------------------------------------------------------------------------


def show_answer(entry: state.ChatEntry, *, streamed: bool = False) -> None:
    view = state.require_view()
    answer = entry.answer
    if answer.abstained:
        box = st.warning if answer.text == INJECTION else st.info
        box(answer_markdown(answer.text), icon=":material/do_not_disturb_on:")
        if answer.citations:
            citation_chips(answer.citations, view, answer_text=answer.text, key=f"a-{entry.id}")
        if answer.nearest:
            st.caption("The closest clauses, in case they help (they do not answer the question):")
            citation_chips(answer.nearest, view, answer_text="", key=f"n-{entry.id}")
    else:
        if not streamed:
            st.markdown(answer_markdown(answer.text))
        citation_chips(answer.citations, view, answer_text=answer.text, key=f"a-{entry.id}")
    if answer.standalone and answer.standalone.strip() != entry.turn.question.strip():
        st.caption(f"Understood as: {esc(answer.standalone)}")
    feedback_row(entry)


def _chunks(markdown: str) -> Iterator[str]:
    for piece in re.findall(r"\S+\s*", markdown):
        time.sleep(STREAM_DELAY_S)
        yield piece


def _answer_streaming_llm(
    pipeline: Pipeline, question: str, history: Sequence[Turn], mode: str, instruments: Sequence[str]
) -> Answer:
    """Tokens stream in while the model writes; the checked answer then replaces them."""
    tokens: queue.Queue[str | None] = queue.Queue()
    box: dict[str, Any] = {}

    def work() -> None:
        try:
            box["answer"] = pipeline.answer(
                question, history, mode=mode, instruments=instruments or None, on_token=tokens.put
            )
        except BaseException as exc:
            box["error"] = exc
        finally:
            tokens.put(None)

    def stream() -> Iterator[str]:
        while (token := tokens.get()) is not None:
            yield esc(token)

    worker = threading.Thread(target=work, daemon=True)
    worker.start()
    draft = st.empty()
    with draft.container():
        st.write_stream(stream())
    worker.join()
    draft.empty()
    if "error" in box:
        raise box["error"]
    answer: Answer = box["answer"]
    return answer


def ask(pipeline: Pipeline, question: str, mode: str, instruments: tuple[str, ...]) -> None:
    history = state.turns()
    with st.chat_message("user"):
        st.markdown(esc(question))
    with st.chat_message("assistant"):
        try:
            if mode == "extractive":
                with st.spinner("Finding the clauses..."):
                    answer = pipeline.answer(
                        question, history, mode=mode, instruments=list(instruments) or None
                    )
                if not answer.abstained:
                    st.write_stream(_chunks(answer_markdown(answer.text)))
            else:
                answer = _answer_streaming_llm(pipeline, question, history, mode, instruments)
        except AssistantError as exc:
            state.show_error(str(exc), "No answer")
            return
        except Exception as exc:
            state.show_error(f"{type(exc).__name__}: {exc}", "No answer")
            return
        entry = state.add_entry(question, answer, mode, instruments)
        show_answer(entry, streamed=mode == "extractive" and not answer.abstained)


def suggestions() -> None:
    st.markdown(
        "Ask about the 2012 resolution on alternatives to imprisonment or the conventions it cites. For example:"
    )
    with st.container(horizontal=True, key="suggestions"):
        for i, question in enumerate(STARTER_QUESTIONS[:4]):
            if st.button(question, key=f"suggest-{i}"):
                st.session_state["pending_question"] = question
                st.rerun()


def main() -> None:
    st.title("Ask the documents")
    pipeline = state.require_pipeline()
    mode, instruments = sidebar_options(pipeline)
    if st.session_state.get("feedback_error"):
        state.show_error(st.session_state["feedback_error"], "Feedback not saved")
    # the input is pinned to the bottom of the page wherever it is called
    prompt = st.chat_input("Ask about the resolution or the conventions...", key="chat_prompt")
    question = str(prompt or st.session_state.pop("pending_question", None) or "").strip()
    entries = state.chat()
    if not entries and not question:
        suggestions()
    for entry in entries:
        with st.chat_message("user"):
            st.markdown(esc(entry.turn.question))
        with st.chat_message("assistant"):
            show_answer(entry)
    if question:
        ask(pipeline, question, mode, instruments)
    sidebar_export()


main()
