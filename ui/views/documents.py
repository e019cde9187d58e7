"""Documents: each instrument read by its structure, an anchor per clause, cross-references
both ways, and the parallel provisions of the other instruments.  ``?clause=<clause id>`` shows
that clause first (with its parallel provisions) and opens its place in the text;
``?doc=<instrument id>`` opens an instrument."""

from __future__ import annotations

import streamlit as st

from assistant.export import markdown_text
from assistant.types import Clause, Instrument
from ui import state
from ui.fetch_text import fetch_button, notice
from ui.render import anchor, clause_caption, esc, link_markdown, parallel_provisions

RESOLUTION_PARTS = (
    ("header", "Header"),
    ("preamble", "Preamble"),
    ("operative", "Operative part"),
    ("annex", "Annex"),
    ("footnote", "Footnotes"),
)


def _link(target: Clause, label: str | None = None, icon: str = ":material/link:") -> None:
    st.page_link(
        state.DOCUMENTS_PAGE,
        label=label or target.label,
        query_params={"clause": target.clause_id},
        icon=icon,
    )


def references(clause: Clause, view: state.CorpusView, *, all_links: bool = False) -> None:
    """What the clause cites and who cites it. Links across instruments always; links within
    the instrument only when ``all_links`` (a plain list otherwise, to keep the page light)."""
    plain: list[str] = []
    for ref in clause.references:
        target = view.by_id.get(ref)
        if target is not None:
            if all_links or target.instrument != clause.instrument:
                _link(target, f"Cites {target.label}", ":material/north_east:")
            else:
                plain.append(view.short(target))
        elif ref in view.instruments:
            inst = view.instruments[ref]
            if inst.has_text:
                st.page_link(
                    state.DOCUMENTS_PAGE,
                    label=f"Cites {inst.short_title}",
                    query_params={"doc": inst.id},
                    icon=":material/north_east:",
                )
                continue
            st.caption(
                f"Cites {esc(inst.title)} ({esc(inst.symbol)}) - its text is not in these documents. "
                + link_markdown("Official text", inst.url)
            )
    if plain:
        st.caption("Refers to " + ", ".join(esc(p) for p in plain))
    for source in view.cited_by.get(clause.clause_id, []):
        if all_links or source.instrument != clause.instrument:
            _link(source, f"Cited by the {source.label}", ":material/south_west:")


def parallels_popover(clause: Clause, view: state.CorpusView) -> None:
    """In the text: a small button on each clause a group of parallel provisions names; its
    links are drawn only once it is opened (an instrument has a hundred or more of them)."""
    if clause.clause_id not in view.in_parallels:
        return
    pop = st.popover(
        "Parallel provisions",
        icon=":material/compare_arrows:",
        type="tertiary",
        key=f"par-{anchor(clause.clause_id)}",
        help="The provisions on the same subject in the other instruments",
        on_change="rerun",
    )
    with pop:
        if pop.open:
            parallel_provisions(clause.clause_id, view)


def clause_block(clause: Clause, view: state.CorpusView, selected: str | None, label: str) -> None:
    with st.container(key=anchor(clause.clause_id), border=clause.clause_id == selected):
        if label and not label.startswith("art."):
            label = label[:1].upper() + label[1:]  # "Operative para. 5", but "art. 36(1)(b)"
        st.markdown((f"**{esc(label)}** " if label else "") + markdown_text(clause.text))
        references(clause, view)
        parallels_popover(clause, view)


def clause_tree(node: Clause, view: state.CorpusView, selected: str | None, top: bool = False) -> None:
    kids = view.children.get(node.clause_id, [])
    if not kids:
        clause_block(node, view, selected, "" if top else view.short(node))
        return
    intro = kids[0].chapeau  # the node's own words, before its first child
    with st.container(key=anchor(node.clause_id), border=node.clause_id == selected):
        label = "" if top else f"**{esc(view.short(node))}** "
        if label or intro:
            st.markdown(label + markdown_text(intro))
        if view.cited_by.get(node.clause_id):  # an annex or article cited as a whole
            references(node, view)
        parallels_popover(node, view)
    for kid in kids:
        clause_tree(kid, view, selected)


def selected_card(clause: Clause, view: state.CorpusView) -> None:
    st.subheader(esc(clause.label), anchor="selected-clause")
    with st.container(border=True, key="selected-card"):
        clause_caption(clause)
        st.markdown(markdown_text(clause.text))
        where = [f"`{esc(clause.clause_id)}`"]
        if clause.page is not None:
            where.append(f"page {clause.page}")
        st.caption(" · ".join(where))
        parent = view.by_id.get(clause.parent_id or "")
        if parent is not None:
            _link(parent, f"Part of {parent.label}", ":material/account_tree:")
        references(clause, view, all_links=True)
        parallel_provisions(clause.clause_id, view)


def manifest_entry(inst: Instrument, view: state.CorpusView) -> None:
    st.info(
        "The text of this instrument is not in these documents; here is its entry in the manifest.",
        icon=":material/description:",
    )
    st.markdown(
        "  \n".join(
            [
                f"**Title:** {esc(inst.title)}",
                f"**Symbol:** {esc(inst.symbol)}",
                f"**Date:** {esc(inst.date)}",
                f"**Official text:** {link_markdown(inst.url, inst.url)}",
            ]
            + ([f"**Notes:** {esc(inst.notes)}"] if inst.notes else [])
        )
    )
    citing = view.cited_by.get(inst.id, [])
    if citing:
        st.markdown("**Cited in these documents by:**")
        for source in citing:
            _link(source)
    if inst.in_manifest and inst.url:
        fetch_button(inst)


def provenance(inst: Instrument, view: state.CorpusView) -> None:
    """Where the text of a fetched instrument came from, and who cites it as a whole."""
    origin = inst.origin
    if origin is not None and origin.kind == "fetched":
        st.caption(
            f"Official text fetched on {esc(origin.fetched_at[:10])} from "
            + link_markdown(origin.final_url, origin.final_url)
            + f" · {origin.pages} pages · sha256 `{esc(origin.sha256[:16])}…`"
        )
    elif origin is not None and origin.kind == "downloads":
        st.caption(
            f"Text read from {esc(origin.file)} (put in the downloads folder by hand) · "
            f"sha256 `{esc(origin.sha256[:16])}…`"
        )
    citing = view.cited_by.get(inst.id, [])
    if citing:
        for source in citing:
            _link(source, f"Cited by the {source.label}", ":material/south_west:")


def resolution(inst: Instrument, view: state.CorpusView, selected: str | None) -> None:
    clauses = view.corpus.clauses_of(inst.id)
    shown: set[str] = set()
    for kind, title in RESOLUTION_PARTS:
        part = [c for c in clauses if c.kind == kind and c.parent_id is None]
        if not part:
            continue
        st.subheader(title, anchor=kind)
        for clause in part:
            clause_tree(clause, view, selected, top=kind == "header")
            shown.add(clause.clause_id)
    rest = [c for c in clauses if c.parent_id is None and c.clause_id not in shown]
    if rest:
        st.subheader("Other parts", anchor="other")
        for clause in rest:
            clause_tree(clause, view, selected)


def structured(inst: Instrument, view: state.CorpusView, selected: str | None) -> None:
    """Conventions and other documents: top-level parts (articles, schedules) as expanders."""
    clause = view.by_id.get(selected or "")
    open_top = view.top_ancestor(clause).clause_id if clause else None
    for top in [c for c in view.corpus.clauses_of(inst.id) if c.parent_id is None]:
        short = view.short(top)
        label = short[:1].upper() + short[1:] + (f" - {top.title}" if top.title else "")
        with st.expander(esc(label), expanded=top.clause_id == open_top):
            clause_tree(top, view, selected, top=True)


def _pick_changed() -> None:
    st.query_params.clear()
    st.query_params["doc"] = st.session_state["doc_pick"]


def main() -> None:
    view = state.require_view()
    st.title("Documents")
    if notice() and "doc_pick" in st.session_state:
        # set again, so that the picker shows the instrument's new label (it has text now)
        st.session_state["doc_pick"] = st.session_state["doc_pick"]
    wanted = st.query_params.get("clause")
    selected = view.by_id.get(wanted) if wanted else None
    if wanted and selected is None:
        st.warning(f"There is no clause {esc(wanted)} in these documents.")
    ids = [i.id for i in view.corpus.instruments]
    doc = st.query_params.get("doc")
    target = selected.instrument if selected else (doc if doc in ids else None)
    # follow a new link: point the picker at its instrument, once per link
    if target and st.session_state.get("_docs_followed") != (wanted, doc):
        st.session_state["doc_pick"] = target
        st.session_state["_docs_followed"] = (wanted, doc)
        # a link to this very page (a parallel provision, "Cited by") runs it with the new
        # address but leaves the old one in the address bar, where the next run (any widget)
        # would read it back: write it there
        st.query_params.from_dict(st.query_params.to_dict())
    if st.session_state.get("doc_pick") not in ids:
        st.session_state["doc_pick"] = ids[0]
    pick = st.selectbox(
        "Instrument",
        ids,
        key="doc_pick",
        format_func=lambda i: (
            view.instruments[i].short_title + ("" if view.instruments[i].has_text else " (not in the corpus)")
        ),
        on_change=_pick_changed,
    )
    if selected is not None:
        selected_card(selected, view)
    inst = view.instruments[pick]
    st.subheader(esc(inst.title), anchor=inst.id, divider="gray")
    st.caption(f"{esc(inst.symbol)} · {esc(inst.date)} · " + link_markdown("Official text", inst.url))
    if view.corpus.warnings:
        with st.expander("Notes on reading the corpus", icon=":material/info:"):
            st.markdown("\n".join(f"- {esc(w)}" for w in view.corpus.warnings))
    if not inst.has_text or not view.corpus.clauses_of(inst.id):
        manifest_entry(inst, view)
    elif inst.kind in ("resolution", "declaration"):
        provenance(inst, view)
        resolution(inst, view, selected.clause_id if selected else None)
    else:
        structured(inst, view, selected.clause_id if selected else None)


main()
