"""One reading of the question: form, parts, modality, topics, refusal class."""

from __future__ import annotations

import pytest
from conftest import C1961, C1971

from assistant.analysis import Analyser, load_cues, split_parts
from assistant.types import Corpus


@pytest.fixture(scope="module")
def analyser(corpus: Corpus) -> Analyser:
    return Analyser(corpus)


@pytest.mark.parametrize(
    ("question", "form"),
    [
        ("Who elects the members of the Board?", "who"),
        ("Does the 1971 Convention allow a country to ban a substance completely?", "yes-no"),
        ("Under the 1961 Convention, can abusers get treatment instead of punishment?", "yes-no"),
        ("How many members does the Board have?", "how-many"),
        ("Within what period may a Party ask for a review of a scheduling decision?", "when"),
        ("How does the 1961 Convention define 'cannabis'?", "definition"),
        ("What penalties does the 1988 Convention require for serious offences?", "list"),
        ("Which provisions does footnote 5 cite?", "cites"),
        ("And the next paragraph?", "navigation"),
        ("Why does the resolution mention recidivism?", "why"),
        ("What does operative paragraph 5 request?", "what"),
        # the asking sentence after the scene is set, and after a leading clause
        ("Heroin is in Schedule IV. Does that mean heroin-assisted treatment is banned?", "yes-no"),
        ("If a State refuses extradition, must it prosecute the offender itself?", "yes-no"),
        ("When governments eradicate coca crops, do the conventions protect traditional uses?", "yes-no"),
        ("If a State refuses extradition, what must it do?", "what"),
        ("When does the 1988 Convention enter into force, and can it be denounced?", "when"),
        ("So on what grounds (following up: Under the 1988 Convention, can a State refuse?)", "what"),
    ],
)
def test_form(analyser: Analyser, question: str, form: str) -> None:
    assert analyser.analyse(question).form == form


def test_two_questions_in_one_are_split_and_the_short_part_keeps_the_subject(analyser: Analyser) -> None:
    a = analyser.analyse("Who elects the Board and for how long?")
    assert a.form == "who" and len(a.parts) == 2
    assert a.part_forms == ("who", "when")
    assert "board" in a.parts[1].lower()  # "for how long" alone finds nothing
    a = analyser.analyse(
        "In which languages is the 1971 Convention authentic, and where is the original deposited?"
    )
    assert len(a.parts) == 2 and a.instruments == (C1971,)
    assert split_parts("What are the functions and powers of the Board?", load_cues()) == []


@pytest.mark.parametrize(
    ("question", "modality"),
    [
        ("Must Parties provide treatment instead of conviction?", "obligation"),
        ("Are Parties required to criminalise possession for personal use?", "obligation"),
        ("Can a Party refuse extradition for a minor offence?", "permission"),
        ("Is the cultivation of coca banned?", "prohibition"),
        # read from the asking sentence, not from the scene before it
        ("States must criminalise possession. Can they offer treatment instead?", "permission"),
        ("If a State may refuse extradition, must it then prosecute?", "obligation"),
        ("Does the 1961 Convention define harm reduction?", "existence"),
    ],
)
def test_modality_of_a_yes_no_question(analyser: Analyser, question: str, modality: str) -> None:
    assert analyser.analyse(question).modality == modality


def test_instruments_provisions_and_the_conventions(analyser: Analyser) -> None:
    a = analyser.analyse("What does art. 36(1)(b) of the 1961 Convention say?")
    assert a.instruments == (C1961,) and a.provisions == (f"{C1961}/art-36/para-1/b",)
    assert analyser.analyse("Do the conventions require treatment?").spans_instruments
    assert not analyser.analyse("Does the 1961 Convention require treatment?").spans_instruments
    assert analyser.analyse(
        "How long does a government have to ask for a review under each convention?"
    ).spans_instruments


def test_topics_by_the_words_people_use(analyser: Analyser) -> None:
    """British and American spellings, inflections and abbreviations find the same topic; a
    topic found by words no clause uses is an 'unnamed' one (the map must bridge the gap)."""
    legal = analyser.analyse("Can a country legalize a recreational cannabis market?")
    assert "cannabis-legal-regulation" in legal.topics
    british = analyser.analyse("Does the treaty regime permit legalisation of cannabis?")
    assert "cannabis-legal-regulation" in british.topics
    harm = analyser.analyse("Do the conventions allow harm reduction?")
    assert harm.topics[0] == "harm-reduction" and "harm-reduction" in harm.unnamed_topics
    assert "opioid-substitution-therapy" in analyser.analyse("Is OST compatible with the treaties?").topics
    assert analyser.analyse("Who elects the members of the Board?").topics == ()
    # a term's words must stand together: a drug convention and a court of justice are no drug court
    assert (
        "drug-courts-and-diversion"
        in analyser.analyse("Are drug courts compatible with the treaties?").topics
    )
    icj = "Can a dispute over a drug convention be taken to the International Court of Justice?"
    assert "drug-courts-and-diversion" not in analyser.analyse(icj).topics


def test_the_refusal_class_and_its_reason(analyser: Analyser) -> None:
    a = analyser.analyse("How many States have ratified the 1988 Convention?")
    assert a.refusal == "present-day"
    assert "treaties.un.org" in analyser.refusal_text(a)
    a = analyser.analyse("Which States voted against the resolution?")
    assert a.refusal == "statements" and "E/2012/28" in analyser.refusal_text(a)
    assert analyser.analyse("How many members does the Board have?").refusal is None


@pytest.mark.parametrize(
    ("question", "refusal"),
    [
        ("What share of the world's prisoners are held for drug offences?", "statistics"),
        ("What proportion of the global prison population is there for possession?", "statistics"),
        ("How much morphine per capita did Nigeria consume last year?", "statistics"),
        ("How do Portugal's dissuasion commissions deal with people caught with drugs?", "national-practice"),
        ("How did the delegations react to the draft when it was debated?", "statements"),
        ("Which delegations pushed back against the draft?", "statements"),
        ("What is a lethal dose of fentanyl?", "world-facts"),
        ("Has Bhutan become a party to the 1971 Convention yet?", "present-day"),
        # what the texts answer stays answerable
        ("What share of the seized drugs may be used for medical purposes?", None),
        ("Does the 1988 Convention let a Party share confiscated proceeds with other Parties?", None),
        ("Which Commission deals with scheduling under the 1971 Convention?", None),
    ],
)
def test_questions_the_texts_cannot_answer_by_their_kind(
    analyser: Analyser, question: str, refusal: str | None
) -> None:
    assert analyser.analyse(question).refusal == refusal
