"""Topics: the policy subjects people ask about (harm reduction, decriminalisation, ...), the
words they use for them, how legal analyses read the texts on them and their sources, and the
provisions side by side, one column per convention (and the resolution).  ``?topic=<id>``
opens a topic; a trainer starts a chat session on it with one click."""

from __future__ import annotations

import streamlit as st

from assistant.export import markdown_text
from assistant.types import Clause, Topic
from ui import state
from ui.render import anchor, clause_caption, esc
from ui.topic_view import columns, matches, starter_question

LONG_TEXT = 900  # characters; a longer clause scrolls in a box of its own
LONG_TEXT_HEIGHT = 320


def provision(clause: Clause) -> None:
    with st.container(border=True, key=f"topic-{anchor(clause.clause_id)}"):
        st.markdown(f"**{esc(clause.label)}**")
        clause_caption(clause)
        text = markdown_text(clause.text)
        if len(clause.text) > LONG_TEXT:
            with st.container(height=LONG_TEXT_HEIGHT, border=False):
                st.markdown(text)
        else:
            st.markdown(text)
        st.page_link(
            state.DOCUMENTS_PAGE,
            label="Open in Documents",
            query_params={"clause": clause.clause_id},
            icon=":material/menu_book:",
        )


def side_by_side(topic: Topic, view: state.CorpusView) -> None:
    cols = columns(topic, view.corpus)
    if not cols:
        st.info("None of this topic's provisions is in these documents.")
        return
    for col, column in zip(st.columns(len(cols)), cols, strict=True):
        with col:
            st.markdown(f"#### {esc(column.instrument.short_title)}")
            if not column.clauses:
                st.caption("No provision of this instrument is listed for this topic.")
            for clause in column.clauses:
                provision(clause)


def show_topic(topic: Topic, view: state.CorpusView) -> None:
    st.subheader(esc(topic.title), anchor="topic", divider="gray")
    st.markdown("**The words people use:** " + ", ".join(esc(t) for t in topic.terms))
    if not topic.in_texts:
        st.info(
            "The texts do not use this term: the provisions below are those legal analyses read on it.",
            icon=":material/search_off:",
        )
    else:
        st.caption("The texts themselves use this term.")
    if topic.note:
        st.markdown(markdown_text(topic.note))
    if topic.sources:
        st.markdown(
            "**Source of this reading:**" if len(topic.sources) == 1 else "**Sources of this reading:**"
        )
        st.markdown("\n".join(f"- {esc(source)}" for source in topic.sources))
    question = starter_question(topic)
    if st.button(
        "Start a session on this topic",
        icon=":material/chat:",
        key="topic_ask",
        type="primary",
        help=f"Opens the Chat in a new conversation and asks: {esc(question)}",
    ):
        state.ask_in_chat(question, fresh=True)
    st.caption(f"Asks in a new conversation: “{esc(question)}”")
    st.markdown("### The provisions side by side")
    side_by_side(topic, view)


def main() -> None:
    view = state.require_view()
    st.title("Topics")
    topics = list(view.corpus.provisions.topics)
    if not topics:
        st.info("There is no map of topics beside the manifest (corpus/provisions/topics.yaml).")
        return
    by_id = {t.id: t for t in topics}
    wanted = st.query_params.get("topic")
    if wanted and wanted not in by_id:
        st.warning(f"There is no topic {esc(wanted)}.")
    # follow a new link: point the picker at its topic, once per link
    if wanted in by_id and st.session_state.get("_topics_followed") != wanted:
        st.session_state["topic_pick"] = wanted
        st.session_state["topic_filter"] = ""
        st.session_state["_topics_followed"] = wanted
    query = st.text_input(
        "Filter topics",
        key="topic_filter",
        placeholder="A word: cannabis, prison, treatment, syringe...",
        help="Keeps the topics whose title, words or note contain every word typed.",
    )
    shown = [t for t in topics if matches(t, query)]
    if not shown:
        st.info(f"No topic matches “{esc(query)}”.")
        return
    ids = [t.id for t in shown]
    if st.session_state.get("topic_pick") not in ids:
        st.session_state["topic_pick"] = ids[0]
    pick = st.selectbox(
        f"Topic ({len(shown)} of {len(topics)})" if query.strip() else f"Topic ({len(topics)})",
        ids,
        key="topic_pick",
        format_func=lambda i: by_id[i].title,
    )
    if st.query_params.get("topic") != pick:  # the address names the topic shown, to share it
        st.query_params["topic"] = pick
        st.session_state["_topics_followed"] = pick  # the page's own doing: keep the filter
    show_topic(by_id[pick], view)


main()
