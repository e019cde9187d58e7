"""The offline composer: a short answer in English built from the retrieved clauses.

Each sentence is built from the clause tree and names the provision it rests on: a list item is
given with its chapeau, a chapeau with its items, a long clause is cut at sentence or item
boundaries only.  The first sentence answers the question's form (yes/no, a number, a body, a
period), and an answer that spans the conventions gives each instrument its own sentence.
Markers are assigned later, and every sentence is checked against its clause (citations.py).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from assistant.analysis import form_of, load_cues, modality_of
from assistant.answer.compose_un import render_un
from assistant.answer.text import STOPWORDS, content_stems, finish, overlap, split_sentences
from assistant.index.bm25 import expand_query
from assistant.index.searchable import own_text
from assistant.retrieve import PARAGRAPH_FIT_STEP, Hit
from assistant.types import Clause, Corpus, Instrument, QuestionAnalysis, article_of


@dataclass(frozen=True)
class Sentence:
    """A sentence of the answer and the clauses it rests on.  A sentence without clauses is a
    frame that code can verify (``absent``: a term that no clause of the corpus uses)."""

    text: str
    clause_ids: tuple[str, ...]
    absent: str = ""


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
# capitalised words that stay capitalised inside a sentence (bodies, instruments, parties)
_PROPER = frozenset(
    [
        "Board",
        "Commission",
        "Council",
        "Parties",
        "Party",
        "Secretary-General",
        "Convention",
        "Conventions",
        "Protocol",
        "Schedule",
        "Schedules",
        "Table",
        "Tables",
        "Member",
        "Members",
        "States",
        "State",
        "United",
        "Nations",
        "Organization",
        "Assembly",
        "Government",
        "Governments",
        "Office",
        "Executive",
        "Director",
        "World",
        "Health",
        "International",
        "Court",
        "Justice",
        "Economic",
        "Social",
        "Annex",
        "Article",
        "Single",
    ]
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
# a list given with its chapeau keeps its items up to this many words; beyond, the items that
# answer best (whole items, in document order)
LIST_WORDS = 130
# words of a chapeau that the next item completes without a colon ("shall require that: (a) all")
_RUN_ON = frozenset(
    [
        "that",
        "to",
        "of",
        "for",
        "by",
        "shall",
        "may",
        "the",
        "which",
        "whether",
        "as",
        "in",
        "on",
        "with",
        "against",
        "from",
        "require",
        "requires",
    ]
)
_NUMBER_WORDS = re.compile(
    r"\b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    r"twenty|thirty|forty|fifty|sixty|ninety|hundred|majority|two-thirds|half|single)\b",
    re.IGNORECASE,
)
_TIME_WORDS = re.compile(
    r"\b(?:\d+|days?|weeks?|months?|years?|annual\w*|each year|period|within|after|before|until|date|"
    r"session|time|immediately|promptly|once|twice|january|february|march|april|may|june|july|august|"
    r"september|october|november|december)\b",
    re.IGNORECASE,
)
_AGENT_WORDS = re.compile(
    r"\b(?:Board|Commission|Council|Secretary-General|Parties|Party|World Health Organization|General "
    r"Assembly|Court|Executive Director|United Nations Office|Member States|Government|authorit\w+)\b"
)
_FOCUS = {"how-many": _NUMBER_WORDS, "when": _TIME_WORDS, "who": _AGENT_WORDS}


def _analysis(question: str | QuestionAnalysis) -> QuestionAnalysis:
    """The analysis of a question given as text (its cue words and form; callers with a corpus
    pass the full analysis made by ``Analyser``)."""
    if isinstance(question, QuestionAnalysis):
        return question
    cues = load_cues()
    found = cues.matching(question)
    form = form_of(question, found)
    modality = modality_of(question, cues) if form == "yes-no" else None
    return QuestionAnalysis(question=question, form=form, cues=found, modality=modality)


def with_cited_clauses(
    question: str | QuestionAnalysis, clauses: Sequence[Clause], corpus: Corpus, limit: int = 6
) -> list[Clause]:
    """For "which provisions does footnote 5 cite?": the citing clause, then what it cites,
    followed through its notes ("Which treaty provisions does the resolution cite when it says
    the conventions allow treatment?": the paragraph, its footnote, the articles the footnote
    names).  The citing clause is the first chosen clause that the question names, or of an
    instrument it names; else the first clause, when all the chosen are of one instrument
    (chosen across the conventions, they answer the question themselves: "which provisions of
    each convention can a State make reservations to?")."""
    a = _analysis(question)
    chosen = list(clauses)
    if not chosen or not (a.asks("cites") or a.form == "cites"):
        return chosen

    def named(clause: Clause) -> bool:  # the question names it, its instrument, or "the resolution"
        kind = corpus.instrument(clause.instrument).kind
        return (
            clause.clause_id in a.provisions
            or clause.instrument in a.instruments
            or (kind == "resolution" and a.asks("resolution"))
        )

    by_id = corpus.by_id()
    candidates = [c for c in chosen if named(c)]
    if candidates:
        citing = candidates[0]
    elif len({c.instrument for c in chosen}) == 1:
        citing = chosen[0]
    else:
        return chosen
    followed: list[Clause] = []
    seen = {citing.clause_id}
    queue = [r for r in citing.references if r in by_id]
    while queue and len(followed) < limit:
        clause = by_id[queue.pop(0)]
        if clause.clause_id in seen:
            continue
        seen.add(clause.clause_id)
        followed.append(clause)
        if clause.kind == "footnote":  # a note stands for the texts it names
            queue += [r for r in clause.references if r in by_id]
    return [citing, *followed] if followed else chosen


def lower_first(text: str) -> str:
    """ "The Parties may ..." -> "the Parties may ...", "Publicly inciting" -> "publicly
    inciting"; a name ("Board", "MDMA", "Parties") keeps its capital."""
    first = text.split(" ", 1)[0].strip("“\"'(")
    if not first or first in _PROPER or not first[:1].isupper():
        return text
    if len(first) > 1 and first[1:2].isupper():  # an acronym: MDMA, UNODC
        return text
    at = text.index(first[0])
    return text[:at] + text[at].lower() + text[at + 1 :]


def provision_of(clause: Clause) -> str:
    """'art. 36(1)(b)' from '1961 Convention, art. 36(1)(b)'."""
    return clause.label.split(", ", 1)[1] if ", " in clause.label else clause.label


def _focus_score(a: QuestionAnalysis, sentence: str) -> float:
    """How well a sentence answers: the question's words, and what its form asks for (a number
    for "how many", a period for "when", a body for "who")."""
    score = overlap(a.question, sentence)
    focus = _FOCUS.get(a.form)
    if focus is not None and focus.search(sentence):
        score += 0.25
    return score


def pick_sentences(question: str | QuestionAnalysis, text: str, max_words: int = 70, keep: int = 2) -> str:
    """The sentences of a clause that answer the question, in document order (whole sentences
    only: a clause is never cut inside a sentence)."""
    a = _analysis(question)
    if len(text.split()) <= max_words:
        return text
    sentences = [x for x in split_sentences(text) if len(x.split()) >= 3]  # not a bare "1."
    if len(sentences) <= 1:
        return sentences[0] if sentences else text
    scored = sorted(range(len(sentences)), key=lambda i: (-_focus_score(a, sentences[i]), i))
    chosen = sorted(scored[:keep])
    if len(chosen) > 1 and _focus_score(a, sentences[chosen[-1]]) == 0:
        chosen = chosen[:1]
    return " ".join(sentences[i] for i in chosen)


# where a convention's preamble starts a recital: ", Recognizing that ...", ", Conscious of ..."
_RECITAL = re.compile(
    r",\s+(?=(?:[A-Z][a-z]+ing|Conscious|Desirous|Aware|Mindful|Determined|Deeply|Hereby)\b)"
)


def pick_recitals(a: QuestionAnalysis, text: str, keep: int = 2) -> str:
    """The recitals of a convention's preamble (one long sentence) that answer the question, in
    document order, each cut at a recital's boundary ("… Recognizing that the medical use of
    narcotic drugs continues to be indispensable for the relief of pain …")."""
    recitals = [r.strip() for r in _RECITAL.split(text.replace("\n", " ")) if r.strip()]
    if len(recitals) <= 2:
        return pick_sentences(a, text, 60, 1)
    scored = sorted(range(len(recitals)), key=lambda i: (-_focus_score(a, recitals[i]), i))
    chosen = sorted(i for i in scored[:keep] if i == scored[0] or _focus_score(a, recitals[i]) > 0)
    out = " … ".join(recitals[i] for i in chosen)
    return ("… " if chosen[0] else "") + out + (" …" if chosen[-1] < len(recitals) - 1 else "")


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
        "international",
        "name",
        "names",
        "control",
        "controlled",
        "under",
    ]
)
# where an entry of a schedule or table starts: a name in capitals, or a line
_ENTRY_START = re.compile(r"(?:\n|(?<=[\s);])(?=[A-Z][A-Z0-9-]{3,}\b))")


def entry_at(text: str, question: str, label: str = "") -> int | None:
    """Where the first entry the question names is in a list (its words, then the names the
    lists use for them: "ecstasy" -> MDMA); None when it names none."""
    ignored = _LIST_WORDS | STOPWORDS | {w.lower() for w in re.findall(r"[A-Za-z]+", label)}
    words = [w for w in re.findall(r"[A-Za-z][A-Za-z-]{3,}", question) if w.lower() not in ignored]
    extra = re.findall(r"[A-Za-z][A-Za-z-]{3,}", expand_query(question)[len(question) :])
    for word in [*sorted(words, key=len, reverse=True), *extra]:
        m = re.search(rf"\b{re.escape(word)}\b", text, re.IGNORECASE)
        if m:
            return m.start()
    return None


def window(text: str, question: str, width: int = 160, label: str = "") -> str:
    """For long lists (schedules, tables): the entries around the first one asked about, cut
    at entry boundaries ("…" marks what is left out)."""
    if len(text) <= 2 * width:
        return text
    bounds = sorted({0, len(text), *(m.start() for m in _ENTRY_START.finditer(text))})
    at = entry_at(text, question, label) or 0
    start = max((b for b in bounds if b <= at), default=0)
    if at:  # one entry before the one asked about, for context
        start = max((b for b in bounds if b < start), default=start) if start - width // 3 > 0 else start
    end = min((b for b in bounds if b >= start + width), default=len(text))
    excerpt = text[start:end].strip()
    return ("…" if start else "") + excerpt + ("…" if end < len(text) else "")


def _flatten_chapeau(chapeau: str) -> str:
    """The ancestors' words as one running phrase: "Each Party shall ... intentionally: Subject to
    its constitutional principles ...:" -> "each Party shall ... intentionally, subject to its
    constitutional principles ..."."""
    pieces = [p.strip() for p in re.split(r":\s*(?:\n|$)|:\s+(?=[A-Z])", chapeau.strip()) if p.strip()]
    pieces = [re.sub(r"^(?:\d{1,2}\.|\([a-z]{1,4}\))\s*", "", p) for p in pieces]
    return ", ".join(lower_first(p) for p in pieces if p)


def _item_body(text: str) -> str:
    """A list item as the end of its chapeau's sentence: no trailing "; and", first word lower."""
    body = re.sub(r"\s*(?:;\s*(?:and|or)?|,\s*(?:and|or)|\.)\s*$", "", text.strip())
    return lower_first(body)


def _joined(chapeau: str, body: str) -> str:
    """Chapeau and item as one sentence, with a colon unless the item runs on ("that all ...")."""
    last = re.findall(r"[A-Za-z]+", chapeau)[-1:] or [""]
    return f"{chapeau} {body}" if last[0].lower() in _RUN_ON else f"{chapeau}: {body}"


def _is_sentence(body: str) -> bool:
    """Whether an item under a chapeau ending in ":" stands as a sentence of its own (it has
    a modal verb: "The Parties may provide ..."), not a phrase that completes the chapeau
    ("Publicly inciting or inducing others, by any means, to ...")."""
    if body.startswith(("“", '"')):  # a definition: "“Board” means ..."
        return True
    return bool(re.search(r"\b(shall|may|must|will|should)\b", body))


def _where(clause: Clause, instrument: Instrument) -> str:
    return f"{provision_of(clause)} of the {instrument.short_title}"


def _children(clause: Clause, corpus: Corpus | None) -> list[Clause]:
    return corpus.children(clause.clause_id) if corpus is not None else []


def _list_items(clause: Clause, a: QuestionAnalysis, corpus: Corpus | None) -> list[str]:
    """The items under a chapeau, each with its marker; the best ones (whole) when they are long."""
    items = _children(clause, corpus)
    if not items:
        return []
    texts = [(c, f"({c.locator[-1][1]}) {_item_body(c.text)}") for c in items]
    if sum(len(t.split()) for _c, t in texts) <= LIST_WORDS:
        return [t for _c, t in texts]
    ranked = sorted(range(len(texts)), key=lambda i: (-overlap(a.question, texts[i][0].text), i))
    chosen: list[int] = []
    words = 0
    for i in ranked:
        size = len(texts[i][1].split())
        if chosen and words + size > LIST_WORDS:
            continue
        chosen.append(i)
        words += size
        if len(chosen) >= 3:
            break
    return [texts[i][1] for i in sorted(chosen)]


def render(
    clause: Clause, instrument: Instrument, question: str | QuestionAnalysis, corpus: Corpus | None = None
) -> str:
    """One sentence (or two) that states what the clause says, close to its wording."""
    a = _analysis(question)
    kind = clause.locator[0][0] if clause.locator else "header"
    short = instrument.short_title
    if instrument.kind == "resolution" or (kind in ("operative", "preamble", "footnote") and clause.locator):
        if kind == "operative":
            body = pick_sentences(a, clause.text, max_words=90)
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
        return _render_provision(clause, instrument, a, corpus)
    if kind in ("schedule", "annex"):
        listed = window(clause.text, a.question, label=clause.label)
        return finish(f"{clause.label.replace(short + ', ', 'The ' + short + ' ')} includes: “{listed}”")
    if kind == "preamble":
        quoted = pick_sentences(a, clause.text, 60, 1) if a.asks("purpose") else pick_recitals(a, clause.text)
        return finish(f"The preamble of the {short} reads: “{quoted}”")
    if kind == "header":
        return finish(f"The {short} states: “{pick_sentences(a, clause.text, 60, 1)}”")
    return finish(f"{clause.label}: “{pick_sentences(a, clause.text)}”")


def _render_provision(
    clause: Clause, instrument: Instrument, a: QuestionAnalysis, corpus: Corpus | None
) -> str:
    """An article, paragraph or item of a convention, as one sentence naming the provision."""
    where = _where(clause, instrument)
    own = re.sub(r"^(?:\d{1,2}\.|\([a-z]{1,4}\))\s*", "", own_text(clause).strip())
    own = re.sub(r"^\((?:[ivx]{1,4}|[a-z])\)(?=[A-Z])", "", own)  # "(i)The Parties" (a source glitch)
    if clause.has_children and own.rstrip().endswith(":"):
        # a chapeau is never the whole answer: its items hold it
        items = _list_items(clause, a, corpus)
        head = lower_first(own.rstrip().rstrip(":").rstrip())
        if items:
            return finish(f"Under {where}, {_joined(head, '; '.join(items))}")
    if clause.has_children and not own.strip():
        # an article named whole ("art. 10"): its paragraphs, each with its number, never "1." alone
        items = _list_items(clause, a, corpus)
        if items:
            return finish(f"Under {where}: {'; '.join(items)}")
    body = pick_sentences(a, own or clause.text)
    continues = body[:1].islower() or body.startswith(("That ", "To ", "Whether "))
    if clause.chapeau and (continues or (clause.chapeau.rstrip().endswith(":") and not _is_sentence(body))):
        chapeau = _flatten_chapeau(clause.chapeau)
        return finish(f"Under {where}, {_joined(lower_first(chapeau), _item_body(body))}")
    if body.startswith(("“", '"')):
        return finish(f"Under {where}, {body}")
    return finish(f"Under {where}, {lower_first(body)}")


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


# hits the map of the provisions brought: a topic's or a matched subject's provisions (taken on
# the map's word), and the parallel provisions of a hit (taken when they fit the question)
_FROM_MAP = frozenset({"topic", "map"})
_MAPPED = _FROM_MAP | {"parallel"}


def _fit(question: str, clause: Clause) -> float:
    """How much of the question's words a clause holds, with its context (heading, chapeau)."""
    return overlap(question, clause.context + " " + clause.text)


def _related(a: Clause, b: Clause) -> bool:
    return a.clause_id.startswith(b.clause_id + "/") or b.clause_id.startswith(a.clause_id + "/")


def _named_conventions(a: QuestionAnalysis, corpus: Corpus) -> list[str]:
    """The conventions the question names."""
    return [i for i in a.instruments if corpus.instrument(i).kind == "convention"]


def _convention_preamble(clause: Clause, corpus: Corpus) -> bool:
    return clause.kind == "preamble" and corpus.instrument(clause.instrument).kind != "resolution"


def select_clauses(
    question: str | QuestionAnalysis,
    hits: Sequence[Hit],
    corpus: Corpus,
    explicit: Sequence[str],
    max_clauses: int = 3,
    part_hits: Sequence[Sequence[Hit]] = (),
) -> list[Clause]:
    """The clauses an answer should rest on: the best hit, and others only when they add; for
    a question with several parts, the best hit of each part; for a question across the
    conventions, the parallel provision of each."""
    a = _analysis(question)
    by_id = corpus.by_id()
    pool = [h for h in hits if h.clause.clause_id in by_id]
    if not pool:
        return []
    # a named provision is the answer; a named list ("Table I") only to a question on what it
    # lists ("Who decides to put a precursor in Table I?" asks the article on the procedure)
    named_explicit = [
        by_id[c]
        for c in explicit
        if c in by_id and (by_id[c].kind not in ("schedule", "table") or _asks_the_list(a))
    ]
    if named_explicit and not (a.parts and part_hits):
        return named_explicit[:max_clauses]
    if (
        len(_named_conventions(a, corpus)) != 1 or a.spans_instruments
    ):  # a question on one convention keeps its words' order
        pool = on_subject_first(pool, a.searched)
        part_hits = [
            on_subject_first(hits, a.parts[i] if i < len(a.parts) else a.searched)
            for i, hits in enumerate(part_hits)
        ]
    if a.parts and part_hits:
        chosen = _per_part(a, part_hits, pool, corpus, max_clauses + 1)
        if a.spans_instruments:
            chosen = _each_convention(
                a, chosen, [h for hits in part_hits for h in hits], corpus, max_clauses + 2
            )
        return chosen
    if a.spans_instruments:
        max_clauses += 1  # the resolution and each of the three conventions
    if not a.asks("purpose"):  # a convention's preamble answers only questions on its aims
        pool = [
            h for h in pool if _FROM_MAP.intersection(h.sources) or not _convention_preamble(h.clause, corpus)
        ] or pool
    topical = [h for h in pool if "topic" in h.sources]
    if a.topic_is_subject and topical:  # the map's provisions answer a question in words the texts lack
        pool = topical + [h for h in pool if h not in topical]
    top = pool[0]
    chosen = [_list_of(_prefer_leaf(top.clause, pool, a, corpus), a, corpus)]
    parallel = [h for h in pool if _MAPPED.intersection(h.sources)]
    spans = a.spans_instruments or bool(parallel)
    top_fit = _fit(a.searched, chosen[0])
    for hit in pool[1:8]:
        if len(chosen) >= max_clauses:
            break
        clause = _prefer_leaf(hit.clause, pool, a, corpus)
        if any(_related(clause, c) or clause.clause_id == c.clause_id for c in chosen):
            continue
        new_instrument = clause.instrument not in {c.instrument for c in chosen}
        fit = _fit(a.searched, clause)
        near_tie = hit is pool[1] and hit.score >= TIE_RATIO * top.score and fit >= TIE_FIT_MIN
        # a parallel provision joins when the question spans the conventions, or when it fits the
        # question about as well as the best clause does (the same rule in another convention)
        mapped = (
            hit in parallel
            and new_instrument
            and (
                bool(_FROM_MAP.intersection(hit.sources))
                or fit >= (0.3 if a.spans_instruments else 0.8 * top_fit)
            )
        )
        if (
            near_tie
            or mapped
            or (spans and new_instrument and fit >= 0.5 and hit.score >= 0.6 * top.score)
            or (
                len(chosen) < 2
                and hit.score >= 0.8 * top.score
                and fit >= SECOND_FIT_MIN
                and fit >= SECOND_FIT_RATIO * top_fit
            )
        ):
            chosen.append(clause)
    order = {inst.id: i for i, inst in enumerate(corpus.instruments)}
    on_resolution = a.asks("resolution_text") and not _named_conventions(a, corpus)
    if a.spans_instruments and not on_resolution:  # grouped: the conventions in order, the resolution after
        chosen = _each_convention(a, chosen, pool, corpus, max_clauses)
        chosen = _next_paragraphs(a, chosen, pool, corpus)
        kinds = {inst.id: inst.kind for inst in corpus.instruments}
        return sorted(
            chosen, key=lambda c: (kinds.get(c.instrument) == "resolution", order.get(c.instrument, 99))
        )
    if len({c.instrument for c in chosen}) > 1:
        chosen = [chosen[0], *sorted(chosen[1:], key=lambda c: order.get(c.instrument, 99))]
    return chosen


# hits the question's wording points at (a definition asked for, a provision named): the map
# does not move them
_POINTED_AT = frozenset({"definition", "reference"})


def on_subject_first(pool: Sequence[Hit], question: str = "") -> list[Hit]:
    """Within each instrument, the clauses on the subject the map gave (the articles of its
    provisions, and what the question's wording points at) come before the instrument's other
    clauses; the instruments keep their places.  "Can a country adopt laws stricter than the
    conventions require?" is answered from each convention's article on stricter measures, not
    from the clause whose words came nearest.  The map names the article; within it, the
    paragraph whose words fit the question clearly better comes first ("Are conspiracy and
    attempts covered?" is answered by art. 36(2)(a)(ii), not by the map's 36(1)(a))."""
    subject = {article_of(h.clause.clause_id) for h in pool if _FROM_MAP.intersection(h.sources)}
    if not subject:
        return list(pool)

    def off_subject(hit: Hit) -> bool:  # another paragraph of the article is on the subject too
        return article_of(hit.clause.clause_id) not in subject and not _POINTED_AT.intersection(hit.sources)

    def order(hit: Hit) -> tuple[bool, int]:  # off the subject last; on it, by steps of fit
        if off_subject(hit):
            return (True, 0)
        fit = _fit(question, hit.clause) if question else 0.0
        return (False, -int(fit / PARAGRAPH_FIT_STEP))

    queues: dict[str, list[Hit]] = {}
    for hit in pool:
        queues.setdefault(hit.clause.instrument, []).append(hit)
    for hits in queues.values():
        hits.sort(key=order)  # stable: each part keeps the search's order
    return [queues[hit.clause.instrument].pop(0) for hit in pool]


def _each_convention(
    a: QuestionAnalysis, chosen: list[Clause], pool: Sequence[Hit], corpus: Corpus, limit: int
) -> list[Clause]:
    """A question on "the conventions": each convention the answer still lacks gives its best
    retrieved clause (a parallel provision first), when that clause bears on the question."""
    named = _named_conventions(a, corpus)
    conventions = named if len(named) >= 2 else [i.id for i in corpus.conventions()]
    out = list(chosen)
    for inst in conventions:
        if len(out) >= limit or inst in {c.instrument for c in out}:
            continue
        own = [h for h in pool if h.clause.instrument == inst]
        own.sort(key=lambda h: (not _MAPPED.intersection(h.sources), -h.score))
        for hit in own[:3]:
            clause = _prefer_leaf(hit.clause, pool, a, corpus)
            fit = _fit(a.searched, clause)
            if _MAPPED.intersection(hit.sources) or fit >= 0.25:
                out.append(clause)
                break
    return out


# how well another paragraph of a convention's article must fit the question, against the
# paragraph chosen, to be given beside it
NEXT_PARAGRAPH_FIT = 0.8


def _next_paragraphs(
    a: QuestionAnalysis, chosen: list[Clause], pool: Sequence[Hit], corpus: Corpus
) -> list[Clause]:
    """In an answer across the conventions, each convention's clause is joined by another
    paragraph of the same article that the search found and that fits the question about as
    well: the article's rule and its detail ("Are the Board's reports public?": art. 15(1) on
    the reports, 15(2) on their publication)."""
    out = list(chosen)
    for clause in chosen:
        if corpus.instrument(clause.instrument).kind != "convention":
            continue
        article = article_of(clause.clause_id)
        bar = max(SECOND_FIT_MIN, NEXT_PARAGRAPH_FIT * _fit(a.searched, clause))
        for hit in pool:
            if article_of(hit.clause.clause_id) != article:
                continue
            other = _prefer_leaf(hit.clause, pool, a, corpus)
            if any(other.clause_id == c.clause_id or _related(other, c) for c in out):
                continue
            if _fit(a.searched, other) >= bar:
                out.append(other)
                break
    return out


def _per_part(
    a: QuestionAnalysis, part_hits: Sequence[Sequence[Hit]], pool: Sequence[Hit], corpus: Corpus, limit: int
) -> list[Clause]:
    """One clause for each part of the question (the first part's best, then the next's)."""
    by_id = corpus.by_id()
    chosen: list[Clause] = []
    for i, hits in enumerate(part_hits):
        form = a.part_forms[i] if i < len(a.part_forms) else a.form
        sub = QuestionAnalysis(
            question=a.parts[i] if i < len(a.parts) else a.question, form=form, cues=a.cues
        )
        usable = [h for h in hits if h.clause.clause_id in by_id]
        if not a.asks("purpose"):
            usable = [h for h in usable if not _convention_preamble(h.clause, corpus)] or usable
        top = usable[0].score if usable else 0.0
        for hit in usable[:5]:
            if hit.score < 0.5 * top:
                break  # nothing else near enough: the part is answered by what is chosen
            clause = _prefer_leaf(hit.clause, usable, sub, corpus)
            if any(clause.clause_id == c.clause_id or _related(clause, c) for c in chosen):
                continue
            chosen.append(clause)
            break
    return chosen[:limit] or [pool[0].clause]


_LIST_NAMES = frozenset(
    content_stems("table tables schedule schedules annex list lists convention 1961 1971 1988")
)


def _asks_the_list(a: QuestionAnalysis) -> bool:
    """Whether a question naming a list asks what it lists: list words, or nothing but the list
    ("What does Table II of the 1988 Convention say?")."""
    return a.asks("list_entries") or not (content_stems(a.question) - _LIST_NAMES)


def _list_of(clause: Clause, a: QuestionAnalysis, corpus: Corpus) -> Clause:
    """For a question asking for a list ("Which aggravating circumstances ...?"), an item is
    given with the whole list it belongs to: its parent, when the parent's words end in ":"."""
    if a.form != "list" or not clause.parent_id:
        return clause
    parent = corpus.by_id().get(clause.parent_id)
    if parent is not None and own_text(parent).rstrip().endswith(":"):
        return parent
    return clause


def _prefer_leaf(clause: Clause, pool: Sequence[Hit], a: QuestionAnalysis, corpus: Corpus) -> Clause:
    """A hit on a whole article or paragraph is narrowed to its child that answers, unless it is
    a chapeau whose items together answer (then it stays, and is given with its items)."""
    if not clause.has_children:
        return clause
    found = [h.clause for h in pool if h.clause.clause_id.startswith(clause.clause_id + "/")]
    children = found or corpus.children(clause.clause_id)
    if not children:
        return clause
    # on a tie, of the children the search found the shortest; of the others the first (an
    # article's first paragraph states its rule, the next ones its details)
    best = max(
        children,
        key=lambda c: (_focus_score(a, c.context + " " + c.text), -len(c.text) if found else 0),
    )
    own = own_text(clause).strip()
    best_fit = _focus_score(a, best.text)
    own_fit = _focus_score(a, own)
    if (
        own.endswith(":")
        and a.form in ("list", "who", "how-many", "what", "other")
        and best_fit < own_fit + 0.2
    ):
        return clause  # "Who elects the Board?": the chapeau and its items
    if not own or best_fit >= own_fit or re.match(r"^\d{1,2}\.", clause.text):
        return _prefer_leaf(best, pool, a, corpus)
    return clause


# the words that open the answer to a yes/no question, by kind; "{qualification}" is the
# clause's own condition ("subject to its constitutional principles")
ENGLISH_LEADS: Mapping[str, str] = {
    "yes": "Yes:",
    "yes_qualified": "Yes, {qualification}:",
    "no": "No:",
    "no_obligation": "No, it is not an obligation:",
    "no_recommendation": "No, it is a recommendation, not an obligation:",
    "not_stated": "The texts do not say so directly; the closest provision:",
}


def compose(
    question: str | QuestionAnalysis,
    clauses: Sequence[Clause],
    corpus: Corpus,
    leads: Mapping[str, str] = ENGLISH_LEADS,
) -> list[Sentence]:
    """Sentences, each resting on the clause(s) named with it; the first answers the form
    (``leads``: the words that open the answer to a yes/no question, by kind)."""
    a = _analysis(question)
    sentences: list[Sentence] = []
    instruments = list(dict.fromkeys(c.instrument for c in clauses))
    frame = _topic_frame(a, corpus)
    if frame is not None:
        sentences.append(frame)
    elif len(instruments) >= 2 and a.spans_instruments and a.form != "yes-no":
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
            text = render_un(clause, inst, a.question, corpus)
        else:
            text = render(clause, inst, a, corpus)
        if not any(s.clause_ids for s in sentences):  # "Also requests ..." has nothing before it
            text = re.sub(r"^The resolution also ", "The resolution ", text)
        sentences.append(Sentence(text, (clause.clause_id,)))
    if a.form == "yes-no" and clauses and frame is None:
        first = next(i for i, s in enumerate(sentences) if s.clause_ids)
        lead = yes_no_lead(a, clauses[0], corpus, leads)
        s = sentences[first]
        sentences[first] = Sentence(
            f"{lead} {s.text[0].lower()}{s.text[1:]}" if lead else s.text, s.clause_ids
        )
    return sentences


def _topic_frame(a: QuestionAnalysis, corpus: Corpus) -> Sentence | None:
    """For a topic asked about in words the texts do not use: a first sentence saying so (the
    check verifies it in code against every clause)."""
    for term in a.unnamed_terms[:1] if a.topic_is_subject else ():
        if re.search(r"(?<![\w-])" + _loose(term.lower()) + r"(?![\w-])", _corpus_text(corpus)):
            continue
        return Sentence(
            f"The texts do not use the term “{term}”; the provisions read on it are these.", (), term
        )
    return None


_TEXTS: dict[int, str] = {}


def _corpus_text(corpus: Corpus) -> str:
    """All clause texts in lower case, once per corpus."""
    if id(corpus) not in _TEXTS:
        _TEXTS[id(corpus)] = "\n".join(c.text.lower() for c in corpus.clauses)
    return _TEXTS[id(corpus)]


def _loose(term: str) -> str:
    return r"[\s-]+".join(re.escape(w) for w in re.split(r"[\s-]+", term))


# --- yes/no ----------------------------------------------------------------------------------
_PROHIBITS = re.compile(
    r"\bshall not\b(?! be (?:obliged|required|bound|construed|deemed))|\bprohibit\w*|\bno (?:party|person)\b[^.;]{0,60}\bshall\b",
    re.IGNORECASE,
)
_NOT_REQUIRED = re.compile(
    r"\bshall not be (?:obliged|required|bound)\b|\bshall not be\b[^.;]{0,30}\b(?:precluded|prevented)\b|\bnothing\b[^.;]{0,80}\bshall (?:require|oblige|prevent|be construed|be deemed|affect)\b",
    re.IGNORECASE,
)
_PERMITS = re.compile(
    r"\bmay\b|\bat (?:its|their) discretion\b|\bis (?:free|entitled) to\b|\bpermit\w*\b", re.IGNORECASE
)
_OBLIGES = re.compile(
    r"\bshall\b|\bmust\b|\bundertakes?\b|\b(?:is|are) required\b|\bagree to\b", re.IGNORECASE
)
_NEGATED = re.compile(r"\bshall not (?:apply|be considered|be regarded|be deemed|extend)\b", re.IGNORECASE)
_QUALIFIED = re.compile(
    r"subject to (?:its|their|the) (?:constitutional|basic|respective)[^.;:,]{0,90}|"
    r"to the extent (?:permitted|consistent)[^.;:]{0,60}|in accordance with (?:its|their) domestic law",
    re.IGNORECASE,
)


# a resolution's recommendations ("Encourages Member States to consider ...") oblige no one
_RECOMMENDS = re.compile(
    r"^(?:also |further )?(?:encourages|invites|calls upon|urges|recommends|welcomes|requests member states|"
    r"encouraging|inviting)\b",
    re.IGNORECASE,
)
# "such measures as may be necessary", "which may be": a "may" that grants nothing
_RELATIVE_MAY = re.compile(r"\b(?:as|which|that|who|whom|it|they|there)\s+may\b", re.IGNORECASE)


def clause_modality(text: str) -> str | None:
    """What a clause does, by its first operative verb: prohibition, permission (incl. "shall
    not be required", "nothing ... shall prevent"), or obligation."""
    text = _RELATIVE_MAY.sub(" ", text)
    found = [
        (m.start(), rank, kind)  # at one place, "shall not" is a prohibition before it is a "shall"
        for rank, (pattern, kind) in enumerate(
            (
                (_NOT_REQUIRED, "permission"),
                (_PROHIBITS, "prohibition"),
                (_RECOMMENDS, "recommendation"),
                (_PERMITS, "permission"),
                (_OBLIGES, "obligation"),
            )
        )
        if (m := pattern.search(text))
    ]
    return min(found)[2] if found else None


# how much of a yes/no question's words the first clause must hold for its answer to be read
# from it; with less (down to MODAL_POLARITY_FIT), only a clause whose verb is the one asked
# about answers ("must" - "shall", "can" - "may"): practitioners' questions carry many words
# the texts do not use.  Measured over the 114 English yes/no questions with a gold polarity
# (`assistant eval`, every suite): right leads 50 -> 62, opposite leads 9 -> 10
POLARITY_FIT = 0.34
MODAL_POLARITY_FIT = 0.2


def polarity(a: QuestionAnalysis, clause: Clause) -> str:
    """ "yes", "no" or "not stated": what the clause says to a yes/no question, read strictly (a
    permissive "may" is not an obligation)."""
    words = (
        own_text(clause)
        if clause.has_children and not own_text(clause).rstrip().endswith(":")
        else clause.text
    )
    text = f"{clause.chapeau} {words}".strip()
    if clause.kind in ("schedule", "annex", "table"):  # "Is MDMA controlled?": its entry is the answer
        if a.modality not in (None, "existence"):  # "Does that mean heroin treatment is banned?"
            return "not stated"  # a listing says what is controlled, not what is allowed or banned
        return "yes" if entry_at(clause.text, a.question, clause.label) is not None else "not stated"
    fit = _fit(a.searched, clause)
    asked = a.modality or "existence"
    says = clause_modality(text)
    if fit < POLARITY_FIT:
        # fewer of the question's words: only the verb the question asks about answers it
        # ("Can a judge send someone caught using drugs to a treatment programme instead of
        # convicting them ...?" - "the Parties may provide, either as an alternative to conviction")
        return "yes" if asked == says and fit >= MODAL_POLARITY_FIT else "not stated"
    if asked == "obligation":
        return {"obligation": "yes", "permission": "no", "prohibition": "no", "recommendation": "no"}.get(
            says or "", "not stated"
        )
    if asked == "permission":
        return {"obligation": "yes", "permission": "yes", "prohibition": "no", "recommendation": "yes"}.get(
            says or "", "not stated"
        )
    if asked == "prohibition":
        return {"prohibition": "yes", "permission": "no"}.get(says or "", "not stated")
    if says == "prohibition" and _NEGATED.search(text):
        return "no"  # "Does the Convention apply to ...?" - "this Convention shall not apply to ..."
    return "yes" if fit >= 0.5 else "not stated"


def yes_no_lead(
    a: QuestionAnalysis, clause: Clause, corpus: Corpus, leads: Mapping[str, str] = ENGLISH_LEADS
) -> str:
    """The words that open the answer to a yes/no question ("Yes, subject to ...:", "No, it is
    not an obligation:", "The texts do not say so directly; the closest provision:")."""
    kind, qualification = lead_kind(a, clause)
    return str(leads[kind]).format(qualification=qualification)


def lead_kind(a: QuestionAnalysis, clause: Clause) -> tuple[str, str]:
    """The kind of answer a yes/no question gets from its first clause (a key of
    ``ENGLISH_LEADS``), and the clause's own condition for a qualified yes."""
    answer = polarity(a, clause)
    if answer == "not stated":
        return "not_stated", ""
    qualified = _QUALIFIED.search(f"{clause.chapeau} {clause.text}")
    if answer == "yes":
        return ("yes_qualified", lower_first(qualified.group(0).strip(" ,"))) if qualified else ("yes", "")
    says = clause_modality(f"{clause.chapeau} {clause.text}".strip())
    if a.modality == "obligation" and says == "recommendation":
        return "no_recommendation", ""
    if a.modality == "obligation" and says == "permission":
        return "no_obligation", ""
    return "no", ""
