"""The guided tour of the resolution for trainer mode: data keyed by clause id, and a function
that resolves it against a corpus (clauses that are not there are left out, never invented).

The gists are plain-language summaries written for this tour; the app always shows them next
to the paragraph's own words, never instead of them.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.types import Clause, Corpus

RESOLUTION = "cnd-2012-alternatives-to-imprisonment"

PARTS: tuple[tuple[str, str], ...] = (
    (
        "Header",
        "Who issues the text and when: the Economic and Social Council symbol, the Commission on "
        "Narcotic Drugs, its session and agenda item, the sponsors and the title. It decides nothing.",
    ),
    (
        "Preambular paragraphs",
        "The reasons and the background. Each starts with a participle in italics - Recalling, "
        "Reaffirming, Recognizing, Noting, Welcoming, Bearing in mind - and ends with a comma. "
        "They recall earlier texts and set out what the Commission takes into account, but they do "
        "not ask anyone to do anything.",
    ),
    (
        "Operative paragraphs",
        "What the Commission actually decides. They are numbered, start with a verb in the present "
        "tense - Encourages, Invites, Requests - and end with a semicolon (the last one with a full "
        "stop). The verb tells you how strong the ask is: Member States are encouraged or invited; "
        "UNODC, the Commission's own secretariat, is requested.",
    ),
    (
        "Footnotes",
        "Exact references for the texts the paragraphs mention. Footnote 5, attached to preambular "
        "paragraph 3, names the four treaty provisions that allow treatment and other measures as "
        "an alternative to, or in addition to, conviction or punishment.",
    ),
)

EXAMPLES = {
    "preambular": f"{RESOLUTION}/pp-3",
    "operative": f"{RESOLUTION}/op-1",
    "footnote": f"{RESOLUTION}/fn-5",
}

GISTS: dict[str, str] = {
    f"{RESOLUTION}/op-1": (
        "Member States are encouraged, within their own legal frameworks and international law, "
        "to make drug dependence treatment and care fully available to offenders - and, where "
        "appropriate, to offer treatment instead of incarceration - for the sake of both public "
        "health and public safety."
    ),
    f"{RESOLUTION}/op-2": (
        "Countries that have had success with evidence-based alternatives to prosecuting and "
        "imprisoning drug-using offenders are invited to share what worked, including their "
        "legislation, and to give technical assistance to other States that ask for it."
    ),
    f"{RESOLUTION}/op-3": (
        "Health, public security and justice authorities, and service providers, should work "
        "together to find cost-effective, evidence-based approaches - including, where national "
        "law allows, alternatives to prosecution and imprisonment."
    ),
    f"{RESOLUTION}/op-4": (
        "States are invited to consider writing alternatives to prosecution and imprisonment into "
        "their national anti-drug strategies, as a bridge between treatment programmes on one side "
        "and law enforcement and justice on the other."
    ),
    f"{RESOLUTION}/op-5": (
        "UNODC is asked to help States that request it, with guidance, tools and assistance for "
        "developing evidence-based alternatives to prosecution and imprisonment."
    ),
    f"{RESOLUTION}/op-6": (
        "UNODC is also asked to make information on these alternatives - including research on "
        "promising initiatives - available to Member States, international organizations and donors."
    ),
    f"{RESOLUTION}/op-7": (
        "The Executive Director of UNODC has to report back to the Commission at its fifty-sixth "
        "session on what has been done to implement the resolution."
    ),
    f"{RESOLUTION}/pp-3": (
        "The legal foundation: the drug control conventions already let States provide treatment, "
        "education, aftercare, rehabilitation or social reintegration as an alternative to, or in "
        "addition to, conviction or punishment. Footnote 5 says where."
    ),
    f"{RESOLUTION}/fn-5": (
        "The four treaty provisions behind preambular paragraph 3: 1961 Convention art. 36(1)(b), "
        "1971 Convention art. 22(1)(b) and 1988 Convention art. 3(4)(b) and (c)."
    ),
}

# What each operative paragraph rests on: the preambular paragraphs that motivate it, and
# footnote 5 (expanded to the convention clauses it cites) where it is about alternatives.
RESTS_ON: dict[str, tuple[str, ...]] = {
    f"{RESOLUTION}/op-1": (
        f"{RESOLUTION}/pp-3",
        f"{RESOLUTION}/pp-7",
        f"{RESOLUTION}/pp-9",
        f"{RESOLUTION}/fn-5",
    ),
    f"{RESOLUTION}/op-2": (f"{RESOLUTION}/pp-11", f"{RESOLUTION}/pp-7", f"{RESOLUTION}/fn-5"),
    f"{RESOLUTION}/op-3": (f"{RESOLUTION}/pp-12", f"{RESOLUTION}/pp-13", f"{RESOLUTION}/fn-5"),
    f"{RESOLUTION}/op-4": (f"{RESOLUTION}/pp-8", f"{RESOLUTION}/pp-10", f"{RESOLUTION}/fn-5"),
    f"{RESOLUTION}/op-5": (f"{RESOLUTION}/pp-10", f"{RESOLUTION}/pp-3", f"{RESOLUTION}/fn-5"),
    f"{RESOLUTION}/op-6": (f"{RESOLUTION}/pp-11", f"{RESOLUTION}/pp-5"),
    f"{RESOLUTION}/op-7": (),
}

# one click asks them in the chat; each is answered from the corpus (see tests/test_quiz.py)
STARTER_QUESTIONS: tuple[str, ...] = (
    "What does the resolution ask UNODC to do?",
    "Which conventions allow treatment instead of punishment?",
    "What may Parties do in cases of a minor nature under the 1988 Convention?",
    "What does footnote 5 of the resolution cite?",
    "What does operative paragraph 1 encourage Member States to do?",
    "What does the resolution ask the Executive Director of UNODC to report on?",
    "Who sponsored the draft resolution?",
    "Can abusers of drugs undergo treatment instead of punishment under the 1961 Convention?",
    "What alternatives to imprisonment have Member States adopted?",
)


@dataclass(frozen=True)
class TourStop:
    clause: Clause
    gist: str
    context: tuple[Clause, ...]  # preambular paragraphs and footnotes of the resolution
    basis: tuple[Clause, ...]  # convention clauses, reached through the footnotes


def tour(corpus: Corpus) -> list[TourStop]:
    """The operative paragraphs in order, each with its gist and what it rests on."""
    by_id = corpus.by_id()
    stops = []
    for cid, gist in GISTS.items():
        clause = by_id.get(cid)
        if clause is None or clause.kind != "operative":
            continue
        context = tuple(by_id[r] for r in RESTS_ON.get(cid, ()) if r in by_id)
        basis: list[Clause] = []
        for ctx in context:
            for ref in ctx.references:
                target = by_id.get(ref)
                if target is not None and target.instrument != clause.instrument and target not in basis:
                    basis.append(target)
        stops.append(TourStop(clause, gist, context, tuple(basis)))
    return stops


def gist(clause_id: str) -> str | None:
    return GISTS.get(clause_id)
