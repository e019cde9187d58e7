"""Trainer mode: a guided tour of the resolution, starter questions, a seeded quiz and a
session handout."""

from __future__ import annotations

from datetime import datetime

import streamlit as st

from assistant.export import handout_markdown, markdown_text, safe_filename
from assistant.quiz import Quiz, make_quiz, score
from assistant.tour import EXAMPLES, PARTS, STARTER_QUESTIONS, tour
from assistant.types import Clause
from ui import state
from ui.render import esc

QUIZ_SIZE = 6


def clause_box(clause: Clause, view: state.CorpusView, key: str, *, link: bool = True) -> None:
    with st.container(border=True, key=key):
        st.markdown(f"**{esc(clause.label)}**  \n{markdown_text(clause.text)}")
        if link:
            st.page_link(
                state.DOCUMENTS_PAGE,
                label="Open in Documents",
                query_params={"clause": clause.clause_id},
                icon=":material/menu_book:",
            )


def _step(delta: int, total: int) -> None:
    st.session_state["tour_step"] = max(0, min(total - 1, st.session_state.get("tour_step", 0) + delta))


def guided_tour(view: state.CorpusView) -> None:
    st.subheader("How a resolution is built")
    for name, text in PARTS:
        st.markdown(f"**{esc(name)}.** {esc(text)}")
    examples = [(k, view.by_id[c]) for k, c in EXAMPLES.items() if c in view.by_id]
    if examples:
        cols = st.columns(len(examples))
        for col, (kind, clause) in zip(cols, examples, strict=True):
            with col:
                st.caption(
                    {"preambular": "A preambular paragraph", "operative": "An operative paragraph"}.get(
                        kind, "A footnote"
                    )
                )
                clause_box(clause, view, f"example-{kind}", link=False)

    stops = tour(view.corpus)
    if not stops:
        st.info("The resolution is not in these documents, so there is no tour.")
        return
    st.subheader("The operative paragraphs, one by one")
    step = min(st.session_state.get("tour_step", 0), len(stops) - 1)
    stop = stops[step]
    nav = st.columns([1, 1, 4], vertical_alignment="center")
    nav[0].button(
        "Previous",
        icon=":material/arrow_back:",
        disabled=step == 0,
        key="tour_prev",
        on_click=_step,
        args=(-1, len(stops)),
    )
    nav[1].button(
        "Next",
        icon=":material/arrow_forward:",
        disabled=step == len(stops) - 1,
        key="tour_next",
        on_click=_step,
        args=(1, len(stops)),
    )
    nav[2].progress((step + 1) / len(stops), text=f"Paragraph {step + 1} of {len(stops)}")

    st.markdown(f"#### {esc(stop.clause.label)}")
    st.markdown(f"**In plain words.** {esc(stop.gist)}")
    st.markdown("**In its own words:**")
    clause_box(stop.clause, view, f"tour-{stop.clause.clause_id}")
    if stop.context:
        st.markdown("**Why: the preamble and footnotes behind it**")
        for clause in stop.context:
            with st.expander(esc(clause.label)):
                st.markdown(markdown_text(clause.text))
    if stop.basis:
        st.markdown("**The treaty provisions it rests on** (through preambular paragraph 3 and footnote 5)")
        for clause in stop.basis:
            with st.expander(esc(clause.label)):
                clause_box(clause, view, f"basis-{stop.clause.clause_id}-{clause.clause_id}")
    number = stop.clause.locator[0][1] if stop.clause.locator else ""
    if st.button("Ask about this paragraph in the chat", icon=":material/chat:", key="tour_ask"):
        state.ask_in_chat(f"What does operative paragraph {number} of the resolution say?")


def starters() -> None:
    st.subheader("Starter questions")
    st.caption("One click asks the question in the chat.")
    for i, question in enumerate(STARTER_QUESTIONS):
        if st.button(question, key=f"starter-{i}", icon=":material/help:"):
            state.ask_in_chat(question)
    st.page_link(
        state.TOPICS_PAGE,
        label="More starting points: the policy topics, each with its provisions side by side",
        icon=":material/topic:",
    )


def _quiz(view: state.CorpusView, seed: int) -> Quiz:
    cache: dict[int, Quiz] = st.session_state.setdefault("_quizzes", {})
    if seed not in cache:
        cache[seed] = make_quiz(view.corpus, seed, QUIZ_SIZE)
    return cache[seed]


def quiz_answers(quiz: Quiz) -> dict[str, int | None]:
    return {q.id: st.session_state.get(f"quiz-{quiz.seed}-{q.id}") for q in quiz.questions}


def _reset(quiz: Quiz) -> None:
    for q in quiz.questions:
        st.session_state.pop(f"quiz-{quiz.seed}-{q.id}", None)


def quiz_tab(view: state.CorpusView) -> Quiz | None:
    st.subheader("Quiz")
    if "quiz_seed" not in st.session_state:
        try:
            st.session_state["quiz_seed"] = int(st.query_params.get("seed", 1))
        except ValueError:
            st.session_state["quiz_seed"] = 1
    seed = st.number_input(
        "Quiz seed: the same number gives the same quiz, so a whole room can take it together",
        min_value=0,
        max_value=999_999,
        step=1,
        key="quiz_seed",
    )
    quiz = _quiz(view, int(seed))
    if not quiz.questions:
        st.info("These documents give no quiz questions.")
        return None
    answers = quiz_answers(quiz)
    for i, q in enumerate(quiz.questions, 1):
        st.markdown(f"**{i}. {esc(q.prompt)}**")
        labels = [esc(option) for option in q.options]
        choice = st.radio(
            f"Answer to question {i}",
            list(range(len(q.options))),
            format_func=labels.__getitem__,
            index=None,
            key=f"quiz-{quiz.seed}-{q.id}",
            label_visibility="collapsed",
        )
        if choice is None:
            continue
        if q.is_correct(choice):
            st.success(f"Correct: {esc(q.correct)}.", icon=":material/check_circle:")
        else:
            st.error(f"Not quite: the answer is {esc(q.correct)}.", icon=":material/cancel:")
        clause = view.by_id.get(q.clause_id)
        if clause is not None:
            with st.expander(f"The clause: {esc(clause.label)}", expanded=True):
                clause_box(clause, view, f"quiz-clause-{quiz.seed}-{q.id}")
    result = score(quiz, answers)
    st.metric("Score", f"{result.correct} / {result.total}", help=f"{result.answered} answered")
    st.button(
        "Start the quiz again", on_click=_reset, args=(quiz,), key="quiz_reset", icon=":material/restart_alt:"
    )
    return quiz


def handout(view: state.CorpusView, quiz: Quiz | None) -> None:
    st.subheader("Session handout")
    st.caption("The questions asked in the chat in this session, the clauses they cite, and the quiz.")
    now = datetime.now()
    text = handout_markdown(
        state.turns(),
        quiz=quiz,
        quiz_answers=quiz_answers(quiz) if quiz else None,
        clauses=view.by_id,
        exported_at=now.strftime("%d %B %Y, %H:%M"),
    )
    st.download_button(
        "Download the handout (Markdown)",
        data=text,
        file_name=safe_filename(f"handout-{now:%Y%m%d-%H%M}"),
        mime="text/markdown",
        icon=":material/download:",
        on_click="ignore",
        key="handout_download",
    )
    with st.expander("Preview"):
        st.code(text, language="markdown", wrap_lines=True)


def main() -> None:
    view = state.require_view()
    st.title("Trainer mode")
    tour_tab, starter_tab, quiz_tab_, handout_tab = st.tabs(
        ["Guided tour", "Starter questions", "Quiz", "Handout"]
    )
    with tour_tab:
        guided_tour(view)
    with starter_tab:
        starters()
    with quiz_tab_:
        quiz = quiz_tab(view)
    with handout_tab:
        handout(view, quiz)


main()
