"""The shape metrics: fragments, chapeau-only answers, yes/no leads, coverage of instruments."""

from __future__ import annotations

from conftest import C1961, C1971, C1988

from assistant.evaluation import shape
from assistant.types import Corpus


def test_fragments(corpus: Corpus) -> None:
    proper = shape.proper_words(corpus.clauses)
    assert "board" in proper and "parties" in proper and "publicly" not in proper
    glued = "Under art. 3(1)(c)(iii) of the 1988 Convention, Publicly inciting or inducing others [1]."
    assert shape.fragment(glued, proper) == "list item without its chapeau"
    assert shape.fragment(
        "Under art. 9(1) of the 1961 Convention, the Board shall consist of thirteen members as follows:",
        proper,
    )
    assert shape.fragment("It applies to offences such as.", proper) == "stops mid-phrase"
    assert shape.fragment("Under art. 17 of the 1971 Convention, 1. The Commission may consider", proper)
    assert (
        shape.fragment("The decisions are taken by the Commission of the…", proper) == "cut inside a phrase"
    )
    fine = [
        "Under art. 10(1) of the 1961 Convention, the members of the Board shall serve for a period of five years.",
        "Under art. 1(1)(b) of the 1961 Convention, “Cannabis” means the flowering or fruiting tops.",
        "Under art. 14(2) of the 1961 Convention, Parties shall take all practicable measures.",
        "The 1971 Convention Schedule I includes: “…MDMA (±)-N,α-dimethyl-3,4-(methylenedioxy)phenethylamine…”.",
    ]
    assert [shape.fragment(s, proper) for s in fine] == [None] * 4


def test_chapeau_only(corpus: Corpus) -> None:
    by_id = corpus.by_id()
    art9 = f"{C1961}/art-9/para-1"
    chapeau = "Under art. 9(1) of the 1961 Convention, the Board shall consist of thirteen members to be elected by the Council as follows [1]."
    assert shape.chapeau_only(chapeau, [art9], by_id, corpus) == 1
    with_items = (
        chapeau[:-5] + ": (a) three members with medical, pharmacological or pharmaceutical experience [1]."
    )
    assert shape.chapeau_only(with_items, [art9], by_id, corpus) == 0


def test_preamble_answer(corpus: Corpus) -> None:
    by_id = corpus.by_id()
    assert shape.preamble_answer([f"{C1961}/preamble"], [f"{C1961}/art-4/para-1/c"], by_id, corpus)
    assert not shape.preamble_answer([f"{C1961}/preamble"], [f"{C1961}/preamble"], by_id, corpus)


def test_yes_no_lead() -> None:
    assert (
        shape.yes_no_lead("Yes, subject to its constitutional principles: under art. 3(2) ... [1].") == "yes"
    )
    assert shape.yes_no_lead("No, it is not an obligation: under ... [1].") == "no"
    assert (
        shape.yes_no_lead("The texts do not say so directly; the closest provision: ... [1].") == "not stated"
    )
    assert shape.yes_no_lead("The texts do not use the term “harm reduction”. Under ...") == "not stated"
    assert (
        shape.yes_no_lead("Under art. 36(1)(b) of the 1961 Convention, the Parties may provide ... [1].")
        is None
    )


def test_coverage_of_instruments_and_provisions() -> None:
    gold = [
        f"{C1961}/art-36/para-1/b",
        f"{C1971}/art-22/para-1/b",
        f"{C1988}/art-3/para-4/b",
        f"{C1988}/art-3/para-4/c",
    ]
    got = shape.coverage(gold, [f"{C1961}/art-36/para-1/b", f"{C1988}/art-3/para-4"])
    assert got is not None
    assert got.instruments == 2 / 3  # 1988 art. 3(4) holds (b) and (c)
    assert got.provisions == 3 / 4
    assert shape.coverage([f"{C1961}/art-36"], [f"{C1961}/art-36"]) is None  # one instrument


def test_refusal_reason() -> None:
    reasons = {
        "statements": "These documents are the texts themselves",
        "budget": "These documents give no budgets",
    }
    assert (
        shape.refusal_reason("These documents are the texts themselves; they do not record ...", reasons)
        == "statements"
    )
    assert shape.refusal_reason("These documents do not answer that question.", reasons) is None
