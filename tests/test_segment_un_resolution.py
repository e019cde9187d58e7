"""The segmenter of UN resolutions and declarations on hand-made paragraphs (logic only; the
PDF path is tested end to end in test_fetch.py)."""

from __future__ import annotations

from assistant.corpus.segment_un_resolution import (
    label_prefix,
    looks_like_un_resolution,
    segment_un_resolution,
)
from assistant.corpus.source import Footnote, Para, SourceDoc
from assistant.types import Instrument

ACTION_PLAN = Instrument(
    "ga-54-132",
    "A/RES/54/132",
    "Action Plan (General Assembly resolution 54/132, annex)",
    "Action Plan (1999)",
    "1999-12-17",
    "https://undocs.org/A/RES/54/132",
    kind="declaration",
)


def doc(*paras: Para, symbol: str = "A/RES/54/132") -> SourceDoc:
    return SourceDoc(
        "synthetic.pdf",
        paras,
        (Footnote("1", "A synthetic note.", 2),),
        {"symbol": symbol},
        paged=True,
    )


def P(text: str, heading: bool = False, refs: tuple[str, ...] = ()) -> Para:
    return Para(text, page=1, heading=heading, footnote_refs=refs)


SYNTHETIC = doc(
    P("A/RES/54/132 Distr.: General"),
    P("54/132. A synthetic resolution", heading=True),
    P("The General Assembly,"),
    P("Recalling a synthetic text,", refs=("1",)),
    P("1. Adopts the synthetic plan annexed to the present resolution;"),
    P("2. Requests a report on:"),
    P("(a) The first point;"),
    P("(b) The second point."),
    P("83rd plenary meeting"),
    P("17 December 1999"),
    P("Annex", heading=True),
    P("A synthetic action plan", heading=True),
    P("An opening paragraph without a number."),
    P("I. Prevention", heading=True),
    P("A. In schools", heading=True),
    P("1. Schools should teach the risks."),
    P("B. In families", heading=True),
    P("2. Families should be supported:"),
    P("(a) By visits;"),
    P("II. Treatment", heading=True),
    P("3. Treatment should be available"),
    P("to everyone who needs it."),
    P("Annex II", heading=True),
    P("A second synthetic annex", heading=True),
    P("1. Its first paragraph."),
)


def test_parts_ids_and_labels() -> None:
    assert looks_like_un_resolution(SYNTHETIC)
    clauses = {c.clause_id.split("/", 1)[1]: c for c in segment_un_resolution(SYNTHETIC, ACTION_PLAN)}
    assert list(clauses) == [
        "header",
        "pp-1",
        "op-1",
        "op-2",
        "op-2/a",
        "op-2/b",
        "annex",
        "annex/pp-1",
        "annex/sec-i",
        "annex/sec-i-a",
        "annex/para-1",
        "annex/sec-i-b",
        "annex/para-2",
        "annex/para-2/a",
        "annex/sec-ii",
        "annex/para-3",
        "annex-ii",
        "annex-ii/para-1",
        "fn-1",
    ]
    assert clauses["pp-1"].references == ("ga-54-132/fn-1",)
    assert clauses["op-2/b"].label == "A/RES/54/132, operative para. 2(b)"
    assert clauses["annex/sec-i-b"].label == "A/RES/54/132, annex, section I.B"
    assert clauses["annex/para-2"].title == "In families"
    assert clauses["annex/para-2/a"].label == "A/RES/54/132, annex, para. 2(a)"
    assert clauses["annex/para-3"].text == "Treatment should be available\nto everyone who needs it."
    assert clauses["annex-ii/para-1"].label == "A/RES/54/132, annex II, para. 1"
    assert clauses["annex"].text.startswith("A synthetic action plan")
    assert clauses["annex/pp-1"].chapeau == "A synthetic action plan"
    # the plenary meeting and date belong to the header, not to the last operative paragraph
    assert "83rd plenary meeting\n17 December 1999" in clauses["header"].text
    assert clauses["op-2"].text.endswith("(b) The second point.")


def test_label_prefix_is_the_symbol_printed_or_the_manifests() -> None:
    assert label_prefix(SYNTHETIC, ACTION_PLAN) == "A/RES/54/132"
    other = doc(P("The General Assembly,"), symbol="A/54/PV.83")  # not one of its symbols
    assert label_prefix(other, ACTION_PLAN) == "A/RES/54/132"


def test_without_an_enacting_formula_the_opening_headings_are_the_header() -> None:
    report = doc(P("Report of a synthetic meeting", heading=True), P("It met."), P("1. It decided."))
    clauses = segment_un_resolution(report, ACTION_PLAN)
    assert [c.clause_id for c in clauses] == [
        "ga-54-132/header",
        "ga-54-132/pp-1",
        "ga-54-132/op-1",
        "ga-54-132/fn-1",
    ]
    assert not looks_like_un_resolution(report)


def test_numbering_that_starts_again_keeps_ids_unique() -> None:
    """A long report (the 2009 Political Declaration and Plan of Action is printed in one)
    numbers each part afresh, and its notes may start again at 1."""
    report = SourceDoc(
        "synthetic.pdf",
        (
            P("The Commission on Narcotic Drugs,"),
            P("1. Adopts the declaration."),
            P("Annex", heading=True),
            P("A synthetic declaration", heading=True),
            P("1. First part, first paragraph."),
            P("2. First part, second paragraph."),
            P("II. Plan of action", heading=True),
            P("1. Second part, first paragraph."),
            P("(a) Its point."),
        ),
        (Footnote("1", "First note.", 1), Footnote("1", "A note numbered afresh.", 2)),
        {},
    )
    clauses = segment_un_resolution(report, ACTION_PLAN)
    ids = [c.clause_id for c in clauses]
    assert len(ids) == len(set(ids))
    by_id = {c.clause_id: c for c in clauses}
    again = by_id["ga-54-132/annex/para-1-2"]
    assert again.text.startswith("Second part, first paragraph.") and again.label.endswith(
        "annex, para. 1 (series 2)"
    )
    assert by_id["ga-54-132/annex/para-1-2/a"].label.endswith("para. 1 (series 2)(a)")
    assert by_id["ga-54-132/fn-1-2"].text == "A note numbered afresh."
