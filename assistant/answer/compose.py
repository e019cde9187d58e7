"""The offline composer: a short answer in English built from the retrieved clauses.

It leads with the clause that answers, follows the clause wording closely, knows the form of
UN texts (operative verbs, preambular participles, convention provisions, definitions, the
document header) and combines instruments when a question spans them.  Each sentence names the
clause(s) it rests on; markers are assigned later.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.answer.text import STOPWORDS, finish, overlap, split_sentences
from assistant.index.bm25 import expand_query
from assistant.index.searchable import own_text
from assistant.retrieve import Hit
from assistant.types import Clause, Corpus, Instrument


@dataclass(frozen=True)
class Sentence:
    text: str
    clause_ids: tuple[str, ...]


PARTICIPLES = {
    "recalling also": "also recalls",
    "recalling further": "further recalls",
    "recalling": "recalls",
    "reaffirming": "reaffirms",
    "recognizing also": "also recognizes",
    "recognizing": "recognizes",
    "noting also": "also notes",
    "noting with concern": "notes with concern",
    "noting": "notes",
    "welcoming": "welcomes",
    "taking note": "takes note",
    "stressing": "stresses",
    "acknowledging": "acknowledges",
    "bearing in mind": "bears in mind",
    "emphasizing": "emphasizes",
    "reiterating": "reiterates",
    "considering": "considers",
    "convinced": "is convinced",
    "concerned": "is concerned",
    "mindful": "is mindful",
    "aware": "is aware",
    "deeply concerned": "is deeply concerned",
    "expressing": "expresses",
    "affirming": "affirms",
    "underlining": "underlines",
    "guided": "is guided",
}
_LOWER_FIRST = {
    "The",
    "Each",
    "Any",
    "A",
    "An",
    "Subject",
    "Notwithstanding",
    "Nothing",
    "If",
    "In",
    "Where",
    "When",
    "Without",
    "Having",
    "For",
    "Such",
    "No",
    "It",
    "This",
    "All",
    "That",
    "To",
    "These",
    "Every",
    "Whenever",
    "Unless",
    "Except",
    "Before",
    "After",
    "With",
    "Knowledge",
    "Extradition",
}
HEADER_CUES = re.compile(
    r"\b(sponsor\w*|submitted|tabled|proposed|who (?:drafted|wrote|put forward)|which countries|"
    r"session|dated?|when was|title|agenda|distribut\w*|symbol|original language)\b",
    re.IGNORECASE,
)
# A second clause joins the answer when it covers the question's words nearly as well as the
# first (share of content words, and ratio to the first clause's share).
SECOND_FIT_MIN = 0.45
SECOND_FIT_RATIO = 0.8
# When the search cannot tell its two best clauses apart (the runner-up scores within 5 % of the
# first), both go into the answer, each in its own sentence with its own citation.  Measured on
# four question sets: citation hit +0.6 to +7.7 points; the share of citations that are the
# expected clause falls by up to 8 points (every citation still supports its own sentence).
TIE_RATIO = 0.95
TIE_FIT_MIN = 0.3
PLURAL_CUES = re.compile(
    r"\b(conventions|treaties|instruments|all three|both|each of the|compare|comparison|"
    r"differ|difference|across)\b",
    re.IGNORECASE,
)


CITES_CUES = re.compile(
    r"\b(cite[sd]?|citing|citations?|refer\w*|rel(?:y|ies|ying) on|points? to|"
    r"which (?:treaty |four |three |two )?(?:paragraphs|provisions|articles))\b",
    re.IGNORECASE,
)


def with_cited_clauses(
    question: str, clauses: Sequence[Clause], corpus: Corpus, limit: int = 4
) -> list[Clause]:
    """For "which provisions does footnote 5 cite?": the first clause, then the clauses it cites."""
    chosen = list(clauses)
    if not chosen or not CITES_CUES.search(question):
        return chosen
    by_id = corpus.by_id()
    cited = [by_id[r] for r in chosen[0].references if r in by_id]
    have = {c.clause_id for c in chosen}
    extra = [c for c in cited if c.clause_id not in have][:limit]
    return [chosen[0], *extra] if extra else chosen


def lower_first(text: str) -> str:
    first = text.split(" ", 1)[0]
    if first in _LOWER_FIRST or (first.istitle() and first.lower() in ("notwithstanding", "subject")):
        return text[0].lower() + text[1:]
    return text


def provision_of(clause: Clause) -> str:
    """'art. 36(1)(b)' from '1961 Convention, art. 36(1)(b)'."""
    return clause.label.split(", ", 1)[1] if ", " in clause.label else clause.label


def pick_sentences(question: str, text: str, max_words: int = 70, keep: int = 2) -> str:
    """The sentences of a clause that answer the question, in document order."""
    if len(text.split()) <= max_words:
        return text
    sentences = split_sentences(text)
    if len(sentences) <= 1:
        return text
    scored = sorted(range(len(sentences)), key=lambda i: (-overlap(question, sentences[i]), i))
    chosen = sorted(scored[:keep])
    if overlap(question, sentences[chosen[-1]]) == 0 and len(chosen) > 1:
        chosen = chosen[:1]
    return " ".join(sentences[i] for i in chosen)


# words that name a list, not an entry in it ("What is in Table II?")
_LIST_WORDS = frozenset(
    [
        "table",
        "tables",
        "schedule",
        "schedules",
        "annex",
        "list",
        "listed",
        "lists",
        "include",
        "includes",
        "included",
        "contain",
        "contains",
        "substance",
        "substances",
        "chemical",
        "chemicals",
        "precursor",
        "precursors",
        "convention",
        "say",
        "says",
        "international",  # the lists' column heads: "International nonproprietary name"
        "name",
        "names",
        "control",
        "controlled",
        "under",
    ]
)


def window(text: str, question: str, width: int = 160, label: str = "") -> str:
    """For long lists (schedules, tables): the stretch around the first entry asked about."""
    ignored = _LIST_WORDS | STOPWORDS | {w.lower() for w in re.findall(r"[A-Za-z]+", label)}
    words = [w for w in re.findall(r"[A-Za-z][A-Za-z-]{3,}", question) if w.lower() not in ignored]
    # then the names the lists use for the words asked ("ecstasy" -> MDMA)
    extra = re.findall(r"[A-Za-z][A-Za-z-]{3,}", expand_query(question)[len(question) :])
    for word in [*sorted(words, key=len, reverse=True), *extra]:
        m = re.search(rf"\b{re.escape(word)}\b", text, re.IGNORECASE)
        if m:
            start = max(0, m.start() - width // 3)
            end = min(len(text), m.end() + width)
            start = text.rfind(" ", 0, start) + 1 if start else 0
            cut = text.find(" ", end)
            end = cut if cut != -1 else len(text)
            return ("…" if start else "") + text[start:end].strip() + ("…" if end < len(text) else "")
    if len(text) <= width:
        return text
    cut = max(text.rfind(sep, 0, width) for sep in (" ", ";", ","))
    return text[: cut if cut > 0 else width].rstrip(" ;,") + "…"


def _fragment(clause: Clause, body: str) -> bool:
    """ "(a) Three members with medical experience ..." after "The Board shall consist of thirteen
    members ... as follows:": a list item that is no sentence without its chapeau."""
    return (
        bool(clause.chapeau and clause.chapeau.rstrip().endswith(":"))
        and not body.startswith(("“", '"'))
        and not re.search(r"\b(shall|may|must|will|is|are|has|have|should|means|includes?)\b", body)
    )


def render(clause: Clause, instrument: Instrument, question: str) -> str:
    """One sentence (or two) that states what the clause says, close to its wording."""
    kind = clause.locator[0][0] if clause.locator else "header"
    short = instrument.short_title
    if instrument.kind == "resolution" or (kind in ("operative", "preamble", "footnote") and clause.locator):
        if kind == "operative":
            body = pick_sentences(question, clause.text, max_words=90)
            return finish(f"The resolution {body[0].lower()}{body[1:]}")
        if kind == "preamble" and clause.locator[0][1]:
            lowered = clause.text.lower()
            for part, verb in PARTICIPLES.items():
                if lowered.startswith(part + " "):
                    rest = clause.text[len(part) + 1 :]
                    return finish(f"In its preamble, the Commission {verb} {rest}")
            return finish(f"In its preamble, the resolution states: “{clause.text.rstrip(',;')}”")
        if kind == "footnote":
            return finish(f"Footnote {clause.locator[0][1]} of the resolution refers to {clause.text}")
        if kind == "header":
            return header_sentence(clause.text)
    if kind == "article":
        body = pick_sentences(question, own_text(clause) or clause.text)
        where = f"{provision_of(clause)} of the {short}"
        fragment = body[:1].isupper() and _fragment(clause, body)
        if clause.chapeau and (body[:1].islower() or body.startswith(("That ", "To ")) or fragment):
            chapeau = clause.chapeau.split("\n")[-1].rstrip(":,; ") + (":" if fragment else "")
            return finish(f"Under {where}, {lower_first(chapeau)} {body[0].lower()}{body[1:]}")
        if body.startswith(("“", '"')):
            return finish(f"Under {where}, {body}")
        return finish(f"Under {where}, {lower_first(body)}")
    if kind in ("schedule", "annex"):
        return finish(
            f"{clause.label.replace(short + ', ', 'The ' + short + ' ')} includes: “{window(clause.text, question, label=clause.label)}”"
        )
    if kind == "preamble":
        return finish(f"The preamble of the {short} reads: “{pick_sentences(question, clause.text, 60, 1)}”")
    if kind == "header":
        return finish(f"The {short} states: “{pick_sentences(question, clause.text, 60, 1)}”")
    return finish(f"{clause.label}: “{pick_sentences(question, clause.text)}”")


def header_sentence(text: str) -> str:
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    sponsors = next((ln.split(":")[0] for ln in lines if "draft resolution" in ln.lower()), None)
    session = next((ln for ln in lines if re.search(r"\bsession\b", ln, re.I)), None)
    place = next((ln for ln in lines if re.match(r"^[A-Z][a-z]+, \d", ln)), None)
    dated = next((ln for ln in lines if re.fullmatch(r"\d{1,2} [A-Z][a-z]+ \d{4}", ln)), None)
    agenda = next((ln for ln in lines if ln.lower().startswith("agenda item")), None)
    body = next((ln for ln in lines if ln.lower().startswith("the commission")), None)
    title = lines[lines.index(body) - 1] if body and lines.index(body) > 0 else None
    parts = []
    if sponsors:
        parts.append(f"The draft resolution was submitted by {sponsors}")
    if body:
        parts.append(f"to the {body.removeprefix('The ').rstrip(',')}")
    if session:
        parts.append(f"at its {session[0].lower()}{session[1:]}" + (f" ({place})" if place else ""))
    if agenda:
        parts.append(f"under {agenda[0].lower()}{agenda[1:]}")
    sentence = " ".join(parts) if parts else "The header reads: " + "; ".join(lines[:6])
    if dated:
        sentence += f"; it is dated {dated}"
    if title:
        sentence += f", and its title is “{title}”"
    return finish(sentence)


def _related(a: Clause, b: Clause) -> bool:
    return a.clause_id.startswith(b.clause_id + "/") or b.clause_id.startswith(a.clause_id + "/")


def select_clauses(
    question: str, hits: Sequence[Hit], corpus: Corpus, explicit: Sequence[str], max_clauses: int = 3
) -> list[Clause]:
    """The clauses an answer should rest on: the best hit, and others only when they add."""
    by_id = corpus.by_id()
    pool = [h for h in hits if h.clause.clause_id in by_id]
    if not pool:
        return []
    named_explicit = [by_id[c] for c in explicit if c in by_id]
    if named_explicit:
        return named_explicit[:max_clauses]
    top = pool[0]
    chosen = [_prefer_leaf(top.clause, pool, question, corpus)]
    spans = bool(PLURAL_CUES.search(question))
    for hit in pool[1:8]:
        if len(chosen) >= max_clauses:
            break
        clause = _prefer_leaf(hit.clause, pool, question, corpus)
        if any(_related(clause, c) or clause.clause_id == c.clause_id for c in chosen):
            continue
        new_instrument = clause.instrument not in {c.instrument for c in chosen}
        fit = overlap(question, clause.context + " " + clause.text)
        near_tie = hit is pool[1] and hit.score >= TIE_RATIO * top.score and fit >= TIE_FIT_MIN
        if (
            near_tie
            or (spans and new_instrument and fit >= 0.5 and hit.score >= 0.6 * top.score)
            or (
                len(chosen) < 2
                and hit.score >= 0.8 * top.score
                and fit >= SECOND_FIT_MIN
                and fit >= SECOND_FIT_RATIO * overlap(question, chosen[0].context + " " + chosen[0].text)
            )
        ):
            chosen.append(clause)
    order = {inst.id: i for i, inst in enumerate(corpus.instruments)}
    if len({c.instrument for c in chosen}) > 1:
        chosen = [chosen[0], *sorted(chosen[1:], key=lambda c: order.get(c.instrument, 99))]
    return chosen


def _prefer_leaf(clause: Clause, pool: Sequence[Hit], question: str, corpus: Corpus) -> Clause:
    """A hit on a whole article or paragraph is narrowed to its best child, when one is retrieved."""
    if not clause.has_children:
        return clause
    children = [h.clause for h in pool if h.clause.clause_id.startswith(clause.clause_id + "/")]
    if not children:
        return clause
    best = max(children, key=lambda c: overlap(question, c.text))
    own = clause.text.split("\n")[0]
    return best if overlap(question, best.text) >= overlap(question, own) else clause


def compose(question: str, clauses: Sequence[Clause], corpus: Corpus) -> list[Sentence]:
    """Sentences, each resting on the clause(s) named with it."""
    sentences: list[Sentence] = []
    instruments = list(dict.fromkeys(c.instrument for c in clauses))
    if len(instruments) >= 2 and PLURAL_CUES.search(question):
        shorts = [corpus.instrument(i).short_title for i in instruments]
        firsts = tuple(next(c.clause_id for c in clauses if c.instrument == i) for i in instruments)
        if len(shorts) == 2:
            lead = f"Both the {shorts[0]} and the {shorts[1]} address this."
        else:
            lead = "The " + ", the ".join(shorts[:-1]) + f" and the {shorts[-1]} all address this."
        sentences.append(Sentence(lead, firsts))
    for clause in clauses:
        inst = corpus.instrument(clause.instrument)
        if inst.kind == "declaration":  # read from its official text (assistant fetch)
            from assistant.answer.compose_un import render_un

            text = render_un(clause, inst, question, corpus)
        else:
            text = render(clause, inst, question)
        if not sentences:  # "Also requests ..." has nothing before it to be "also" to
            text = re.sub(r"^The resolution also ", "The resolution ", text)
        sentences.append(Sentence(text, (clause.clause_id,)))
    return sentences
