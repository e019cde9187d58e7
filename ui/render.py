"""Rendering helpers shared by the pages.

Document, question and answer text is rendered as text: it goes through ``escape_markdown``
(assistant/export.py) and never through ``unsafe_allow_html``.  Our own markup is limited to
bold, captions and Streamlit's widgets.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import streamlit as st

from assistant.answer.text import overlap, split_sentences
from assistant.corpus.provisions import parallels
from assistant.export import escape_markdown, markdown_text
from assistant.types import Citation, Clause
from ui.state import DOCUMENTS_PAGE, CorpusView

esc = escape_markdown

_ANSWER_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=\S)")
_MARKER = re.compile(r"\[(\d{1,3})\]")
MIN_HIGHLIGHT = 0.3


def anchor(clause_id: str) -> str:
    """A widget key (and so a CSS class ``st-key-...``) for the place of a clause."""
    return "clause-" + re.sub(r"[^A-Za-z0-9_-]", "--", clause_id)


def safe_url(url: str) -> str | None:
    return url if re.fullmatch(r"https?://[^\s<>()\[\]]+", url or "") else None


def link_markdown(label: str, url: str) -> str:
    """A Markdown link to an http(s) URL from the manifest; anything else as escaped text."""
    good = safe_url(url)
    return f"[{esc(label)}]({good})" if good else esc(url)


# -- the supporting sentence --------------------------------------------------------------


def supporting_sentences(answer_text: str, marker: int) -> list[str]:
    """The sentences of an answer that carry the marker ``[n]``, markers removed."""
    token = f"[{marker}]"
    return [_MARKER.sub("", s).strip() for s in _ANSWER_SENTENCE.split(answer_text) if token in s]


def best_sentence(text: str, support: Sequence[str]) -> tuple[int, int, int] | None:
    """(line number, start, end) of the clause sentence that best matches the support."""
    if not support:
        return None
    best: tuple[float, int, int, int] | None = None
    for line_no, line in enumerate(text.splitlines()):
        cursor = 0
        for sentence in split_sentences(line):
            start = line.find(sentence, cursor)
            if start < 0:
                continue
            cursor = start + len(sentence)
            score = max(overlap(s, sentence) for s in support)
            if best is None or score > best[0]:
                best = (score, line_no, start, cursor)
    if best is None or best[0] < MIN_HIGHLIGHT:
        return None
    return best[1], best[2], best[3]


def highlighted_markdown(text: str, support: Sequence[str] = ()) -> str:
    """The clause text, escaped, line breaks kept, the supporting sentence in bold."""
    spot = best_sentence(text, support)
    lines = text.strip("\n").splitlines() if spot is None else text.splitlines()
    out = []
    for line_no, line in enumerate(lines):
        if spot is not None and line_no == spot[0]:
            _n, a, b = spot
            out.append(f"{esc(line[:a])}**{esc(line[a:b])}**{esc(line[b:])}".strip())
        else:
            out.append(esc(line.strip()))
    return "  \n".join(o for o in out if o)


def answer_markdown(text: str) -> str:
    return markdown_text(text)


# -- clauses and citations ----------------------------------------------------------------


def clause_caption(clause: Clause) -> None:
    """The article title and chapeau of a clause, as one caption (nothing when it has neither)."""
    bits = []
    if clause.title:
        bits.append(f"*{esc(clause.title)}*")
    if clause.chapeau:
        bits.append(f"Introduced by: “{esc(clause.chapeau)}”")
    if bits:
        st.caption(" · ".join(bits))


def clause_context(clause: Clause | None, view: CorpusView, *, links: bool = True) -> None:
    """Article title, chapeau and parent of a clause: what a reader needs around its text."""
    if clause is None:
        return
    clause_caption(clause)
    parent = view.by_id.get(clause.parent_id or "")
    if parent is not None and links:
        st.page_link(
            DOCUMENTS_PAGE,
            label=f"Part of {parent.label}",
            query_params={"clause": parent.clause_id},
            icon=":material/account_tree:",
        )


def parallel_provisions(clause_id: str, view: CorpusView) -> bool:
    """The provisions on the same subject in the other instruments (from the map of the
    provisions), under the subject of their group, each a link to its place in Documents.
    Nothing when the clause has none; whether there were any."""
    found = parallels(view.corpus, clause_id)
    if not found:
        return False
    st.markdown("**Parallel provisions** in the other instruments")
    for group, others in found:
        st.markdown(f"###### {esc(group.subject)}")
        for other in others:
            st.page_link(
                DOCUMENTS_PAGE,
                label=other.label,
                query_params={"clause": other.clause_id},
                icon=":material/compare_arrows:",
            )
    return True


def citation_card(cite: Citation, view: CorpusView, support: Sequence[str], key: str) -> None:
    clause = view.by_id.get(cite.clause_id)
    st.markdown(f"**{esc(cite.label)}**")
    clause_context(clause, view)
    with st.container(border=True, key=f"{key}-text"):
        st.markdown(highlighted_markdown(cite.text, support))
    where = [f"`{esc(cite.clause_id)}`"]
    if cite.page is not None:
        where.append(f"page {cite.page}")
    st.caption(" · ".join(where))
    citing = [c for c in view.cited_by.get(cite.clause_id, []) if c.instrument != cite.instrument]
    for source in citing:
        st.page_link(
            DOCUMENTS_PAGE,
            label=f"Cited by the {source.label}",
            query_params={"clause": source.clause_id},
            icon=":material/link:",
        )
    st.page_link(
        DOCUMENTS_PAGE,
        label="Open in Documents",
        query_params={"clause": cite.clause_id},
        icon=":material/menu_book:",
    )
    url = safe_url(cite.url)
    if url:
        st.markdown(f"[Official text of the instrument]({url})")
    parallel_provisions(cite.clause_id, view)


def citation_chips(citations: Sequence[Citation], view: CorpusView, *, answer_text: str, key: str) -> None:
    """One chip per citation marker; opening it shows the clause, the supporting sentence bold."""
    if not citations:
        return
    with st.container(horizontal=True, key=f"{key}-chips"):
        for cite in citations:
            with st.popover(f"\\[{cite.marker}\\] {esc(cite.label)}", key=f"{key}-cite-{cite.marker}"):
                citation_card(
                    cite, view, supporting_sentences(answer_text, cite.marker), f"{key}-{cite.marker}"
                )
