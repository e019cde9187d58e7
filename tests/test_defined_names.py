"""The bodies' short names come from the conventions' own definitions; a question that spells a
body's full name is searched, and its answer chosen, as if it used the texts' short name."""

from __future__ import annotations

from typing import Any

from conftest import C1961, C1988

from assistant.analysis import Analyser
from assistant.corpus.defined_names import defined_names, to_defined_names
from assistant.types import Clause, Corpus


def clause(text: str) -> Clause:
    return Clause("x/art-1/a", "x", "art. 1(a)", (("art", "1"), ("item", "a")), text)


def test_names_are_read_from_definitions_of_bodies_only() -> None:
    clauses = [
        clause(
            "“Board” means the International Narcotics Control Board provided for in the Single Convention."
        ),
        clause("“Commission” means the Commission on Narcotic Drugs of the Council."),
        clause("“Secretary-General” means the Secretary-General of the United Nations."),  # nothing shorter
        clause("“1971 Convention” means the Convention on Psychotropic Substances, 1971;"),  # an instrument
        clause("“Cannabis” means the flowering or fruiting tops of the cannabis plant."),  # not a name
    ]
    assert defined_names(clauses) == {
        "International Narcotics Control Board": "Board",
        "Commission on Narcotic Drugs": "Commission",
    }


def test_the_corpus_defines_the_board_the_commission_and_the_council(corpus: Corpus) -> None:
    names = defined_names(corpus.clauses)
    assert names == {
        "International Narcotics Control Board": "Board",
        "Commission on Narcotic Drugs": "Commission",
        "Economic and Social Council": "Council",
    }
    assert (
        to_defined_names(
            "Does the international narcotics control board report to the Economic and Social Council?", names
        )
        == "Does the Board report to the Council?"
    )


def test_the_analysis_carries_the_wording_only_when_it_differs(corpus: Corpus) -> None:
    analyser = Analyser(corpus)
    a = analyser.analyse("How often must the International Narcotics Control Board meet?")
    assert a.wording == "How often must the Board meet?" and a.searched == a.wording
    b = analyser.analyse("How often must the Board meet?")
    assert b.wording == "" and b.searched == b.question


def test_a_full_name_does_not_bring_the_definitions(pipeline: Any) -> None:
    ans = pipeline.answer(
        "What does the annual report of the International Narcotics Control Board contain, and to whom is it submitted?"
    )
    cited = [c.clause_id for c in ans.citations]
    assert f"{C1961}/art-15/para-1" in cited or f"{C1988}/art-23/para-1" in cited, cited
    assert not any("/art-1/" in c for c in cited), cited
