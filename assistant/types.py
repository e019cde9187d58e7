"""Domain objects of the assistant: plain frozen dataclasses, no I/O.

A clause is the unit everything cites.  Its ``clause_id`` is readable and stable
(``single-convention-1961/art-36/para-1/b``) and its ``locator`` names the same place as
``(kind, number)`` pairs (``(("article", "36"), ("paragraph", "1"), ("subparagraph", "b"))``).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, get_args

LocatorKind = Literal[
    "preamble",
    "operative",
    "footnote",
    "article",
    "paragraph",
    "subparagraph",
    "clause",
    "schedule",
    "annex",
    "section",
    "header",
]
LOCATOR_KINDS: tuple[str, ...] = get_args(LocatorKind)

Locator = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class TextOrigin:
    """Where an instrument's text was read from: a file of the corpus directory, a PDF fetched
    from its official address (or a mirror), or a PDF put in the downloads folder by hand."""

    kind: Literal["corpus", "fetched", "downloads"]
    file: str  # the file read
    sha256: str = ""
    url: str = ""  # the address asked (fetched only)
    final_url: str = ""  # where the redirects ended
    fetched_at: str = ""  # ISO date and time (UTC)
    size: int = 0  # bytes
    pages: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "file": self.file,
            "sha256": self.sha256,
            "url": self.url or None,
            "final_url": self.final_url or None,
            "fetched_at": self.fetched_at or None,
            "size": self.size,
            "pages": self.pages or None,
        }


@dataclass(frozen=True)
class Instrument:
    """One document of the corpus, described by the manifest (or found beside it)."""

    id: str
    symbol: str
    title: str
    short_title: str
    date: str
    url: str
    kind: str = "document"  # resolution | convention | declaration | document
    source: str | None = None  # file name in the corpus directory, when the text exists
    aliases: tuple[str, ...] = ()
    notes: str = ""
    in_manifest: bool = True
    origin: TextOrigin | None = None  # where the text came from, when there is one

    @property
    def has_text(self) -> bool:
        return self.source is not None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "symbol": self.symbol,
            "title": self.title,
            "short_title": self.short_title,
            "date": self.date,
            "url": self.url,
            "has_text": self.has_text,
            "origin": self.origin.to_dict() if self.origin and self.has_text else None,
        }


def article_of(clause_id: str) -> str:
    """The article (or resolution paragraph) a clause is part of:
    "single-convention-1961/art-36/para-1/b" -> "single-convention-1961/art-36"."""
    return "/".join(clause_id.split("/")[:2])


# the kinds of answer a yes/no question gets (the keys of the leads of compose.ENGLISH_LEADS and of
# each language's in corpus/languages.yaml), and what each answers: yes, no or not stated
LEAD_POLARITY: Mapping[str, str] = {
    "yes": "yes",
    "yes_qualified": "yes",
    "no": "no",
    "no_obligation": "no",
    "no_recommendation": "no",
    "not_stated": "not stated",
}


def last_question(history: Sequence[str]) -> str | None:
    """The conversation's last question that is not blank (None without one)."""
    return next((h for h in reversed(history) if h and h.strip()), None)


@dataclass(frozen=True)
class Clause:
    """A citable unit of an instrument, with its verbatim (cleaned) text."""

    clause_id: str
    instrument: str
    label: str
    locator: Locator
    text: str
    page: int | None = None
    references: tuple[str, ...] = ()
    parent_id: str | None = None
    title: str | None = None  # article title ("Penal provisions"), when there is one
    chapeau: str = ""  # the own words of the ancestors that introduce this clause
    has_children: bool = False

    @property
    def depth(self) -> int:
        return len(self.locator)

    @property
    def kind(self) -> str:
        return self.locator[-1][0] if self.locator else "header"

    @property
    def context(self) -> str:
        """Label, article title and chapeau: what a reader needs around the bare text."""
        parts = [self.label]
        if self.title:
            parts.append(self.title)
        if self.chapeau:
            parts.append(self.chapeau)
        return " - ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return {
            "clause_id": self.clause_id,
            "instrument": self.instrument,
            "label": self.label,
            "locator": [[kind, number] for kind, number in self.locator],
            "text": self.text,
            "page": self.page,
            "references": list(self.references),
            "parent_id": self.parent_id,
            "title": self.title,
            "chapeau": self.chapeau,
        }


@dataclass(frozen=True)
class ProvisionGroup:
    """Parallel provisions: the clauses of several instruments on one subject."""

    id: str
    subject: str
    description: str
    provisions: tuple[tuple[str, tuple[str, ...]], ...]  # (instrument id, clause ids), in manifest order

    @property
    def clause_ids(self) -> tuple[str, ...]:
        return tuple(cid for _inst, ids in self.provisions for cid in ids)

    def of(self, instrument: str) -> tuple[str, ...]:
        return next((ids for inst, ids in self.provisions if inst == instrument), ())

    def distance(self, clause_id: str) -> int:
        """How near this group comes to the clause: 0 when it names it, the levels up to its
        nearest named ancestor, 10 + the levels down to a named descendant, 99 when it has none."""
        best = 99
        for cid in self.clause_ids:
            if cid == clause_id:
                return 0
            if clause_id.startswith(cid + "/"):
                best = min(best, clause_id.count("/") - cid.count("/"))
            elif cid.startswith(clause_id + "/"):
                best = min(best, 10 + cid.count("/") - clause_id.count("/"))
        return best


@dataclass(frozen=True)
class Topic:
    """A policy subject practitioners ask about, the words they use for it, and the provisions
    legal analyses of the conventions rely on for it (with the public source of that reading)."""

    id: str
    title: str
    terms: tuple[str, ...]
    in_texts: bool  # whether the texts themselves use the topic's term
    note: str
    provisions: tuple[str, ...]
    sources: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "terms": list(self.terms),
            "in_texts": self.in_texts,
            "note": self.note,
            "provisions": list(self.provisions),
            "sources": list(self.sources),
        }


@dataclass(frozen=True)
class ProvisionsMap:
    """The map of the provisions (``corpus/provisions``): parallel provisions and topics."""

    groups: tuple[ProvisionGroup, ...] = ()
    topics: tuple[Topic, ...] = ()

    def topic(self, topic_id: str) -> Topic:
        for topic in self.topics:
            if topic.id == topic_id:
                return topic
        raise KeyError(topic_id)

    def groups_of(self, clause_id: str) -> list[ProvisionGroup]:
        """The groups holding this clause, or a clause inside or around it; the most specific
        (the group naming the clause itself, then its nearest ancestor) first."""
        scored = [(g.distance(clause_id), i, g) for i, g in enumerate(self.groups)]
        return [g for d, _i, g in sorted(scored, key=lambda t: (t[0], t[1])) if d < 99]


@dataclass(frozen=True)
class Corpus:
    """Instruments and their clauses, in document order (and the map of their provisions)."""

    instruments: tuple[Instrument, ...]
    clauses: tuple[Clause, ...]
    warnings: tuple[str, ...] = ()
    provisions: ProvisionsMap = field(default_factory=ProvisionsMap)

    def instrument(self, instrument_id: str) -> Instrument:
        for inst in self.instruments:
            if inst.id == instrument_id:
                return inst
        raise KeyError(instrument_id)

    def by_id(self) -> dict[str, Clause]:
        """Clause id -> clause (built once; do not modify the dict)."""
        return self._by_id

    @functools.cached_property
    def _by_id(self) -> dict[str, Clause]:
        return {c.clause_id: c for c in self.clauses}

    @functools.cached_property
    def _children(self) -> dict[str, list[Clause]]:
        out: dict[str, list[Clause]] = {}
        for c in self.clauses:
            if c.parent_id:
                out.setdefault(c.parent_id, []).append(c)
        return out

    def clauses_of(self, instrument_id: str) -> list[Clause]:
        return [c for c in self.clauses if c.instrument == instrument_id]

    def children(self, clause_id: str) -> list[Clause]:
        return list(self._children.get(clause_id, ()))

    def conventions(self) -> list[Instrument]:
        """The conventions whose text is in the corpus, in manifest order."""
        return [i for i in self.instruments if i.kind == "convention" and i.has_text]

    def cited_by(self, clause_id: str) -> list[Clause]:
        return [c for c in self.clauses if clause_id in c.references]

    def row(self, clause_id: str) -> list[Clause]:
        """The clause and its siblings of the same kind (subparagraphs, tables, footnotes), in order."""
        here = next((c for c in self.clauses if c.clause_id == clause_id), None)
        if here is None:
            return []
        return [
            c
            for c in self.clauses
            if c.instrument == here.instrument
            and c.parent_id == here.parent_id
            and c.locator
            and c.kind == here.kind
        ]

    def neighbour(self, clause_id: str, step: int) -> Clause | None:
        """The clause `step` places after (or before, when negative) this one among its
        siblings of the same kind: the next subparagraph, operative paragraph, footnote."""
        row = self.row(clause_id)
        ids = [c.clause_id for c in row]
        if clause_id not in ids:
            return None
        at = ids.index(clause_id) + step
        return row[at] if 0 <= at < len(row) else None

    def other(self, clause_id: str) -> Clause | None:
        """The other one of a pair (Table I -> Table II); None unless there are exactly two."""
        row = self.row(clause_id)
        rest = [c for c in row if c.clause_id != clause_id]
        return rest[0] if len(row) == 2 and len(rest) == 1 else None


QuestionForm = Literal[
    "yes-no",
    "who",
    "when",
    "how-many",
    "definition",
    "list",
    "cites",
    "navigation",
    "why",
    "where",
    "how",
    "what",
    "other",
]


@dataclass(frozen=True)
class QuestionAnalysis:
    """What a question asks, read once (``assistant/analysis.py``) and used by the guard, the
    search and the composer alike."""

    question: str
    form: QuestionForm = "other"
    cues: frozenset[str] = frozenset()  # the cue families (``assistant/cues.yaml``) it matches
    instruments: tuple[str, ...] = ()  # instruments it names (manifest ids), in order
    provisions: tuple[str, ...] = ()  # clauses (or instruments without text) it names outright
    topics: tuple[str, ...] = ()  # topics of the provisions map it matches
    unnamed_topics: tuple[str, ...] = ()  # of those, the ones matched by words no clause uses
    unnamed_terms: tuple[str, ...] = ()  # those words, one for each of unnamed_topics
    topic_is_subject: bool = False  # the first of those terms is most of what the question asks
    parts: tuple[str, ...] = ()  # a question with several parts: each part, searchable alone
    part_forms: tuple[QuestionForm, ...] = ()
    refusal: str | None = None  # why the documents cannot answer it (a refusal class), if so
    modality: str | None = None  # yes/no: obligation | permission | prohibition | existence
    language: str = "en"
    # the question with the bodies named as the texts name them ("the International Narcotics
    # Control Board" -> "the Board"; see ``corpus/defined_names.py``), when that differs
    wording: str = ""

    @property
    def searched(self) -> str:
        """The words the search and the composer's measure of fit read."""
        return self.wording or self.question

    def asks(self, *families: str) -> bool:
        return any(f in self.cues for f in families)

    @property
    def spans_instruments(self) -> bool:
        """ "the conventions", "the treaties", "both", "compare": the answer spans instruments."""
        return "plural" in self.cues

    @property
    def about_header(self) -> bool:
        """Sponsors, session, date, title of the text: its header answers."""
        return self.asks("header") and self.asks("about_document") and not self.asks("follow_up_report")


@dataclass(frozen=True)
class Citation:
    """A numbered pointer from an answer to the clause it rests on."""

    marker: int
    clause_id: str
    instrument: str
    label: str
    locator: Locator
    text: str
    page: int | None
    url: str

    @classmethod
    def of(cls, clause: Clause, marker: int, url: str) -> Citation:
        """The citation of a clause: its fields, verbatim text and the instrument's URL."""
        return cls(
            marker,
            clause.clause_id,
            clause.instrument,
            clause.label,
            clause.locator,
            clause.text,
            clause.page,
            url,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "marker": self.marker,
            "clause_id": self.clause_id,
            "instrument": self.instrument,
            "label": self.label,
            "locator": [[kind, number] for kind, number in self.locator],
            "text": self.text,
            "page": self.page,
            "url": self.url,
        }


@dataclass(frozen=True)
class Answer:
    question: str
    text: str
    abstained: bool
    citations: tuple[Citation, ...] = ()
    timings_ms: dict[str, float] = field(default_factory=dict)
    standalone: str = ""  # the question as understood, follow-ups resolved
    nearest: tuple[Citation, ...] = ()  # for an abstention: the closest clauses, not cited
    retrieved: tuple[str, ...] = ()  # clause ids the answer was allowed to cite

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "answer": self.text,
            "abstained": self.abstained,
            "citations": [c.to_dict() for c in self.citations],
            "timings_ms": dict(self.timings_ms),
        }


@dataclass(frozen=True)
class Turn:
    """One exchange of a conversation."""

    question: str
    answer: Answer | None = None


# -- multilingual (issue #14) -------------------------------------------------------------------
UN_LANGUAGES: tuple[str, ...] = ("en", "es", "fr", "ru", "zh", "ar")  # the six UN languages
UNKNOWN_LANGUAGE = "unknown"


@dataclass(frozen=True)
class LanguageGuess:
    """The language a question is written in: one of ``UN_LANGUAGES`` or ``"unknown"``."""

    code: str
    detected: str  # what was recognised, also when unsupported ("de", "ja", "hi"); "" if nothing
    confidence: float  # 0-1
    reason: str  # which rule decided: "script", "words", "classifier", "history", "default"

    @property
    def english(self) -> bool:
        return self.code == "en"

    @property
    def supported(self) -> bool:
        return self.code in UN_LANGUAGES


@dataclass(frozen=True)
class CrossLingualQuery:
    """A question in es/fr/ru/zh/ar, prepared for the English texts: its own words (for the
    multilingual dense ranker) and an English gloss of the official terms it uses (for BM25,
    the English rankers, instrument focus and named provisions)."""

    question: str  # as asked
    language: str
    gloss: str  # English words: "1961 Convention article 36 extradition ..."
    terms: tuple[tuple[str, str], ...] = ()  # (term as found in the question, English) pairs
    instruments: tuple[str, ...] = ()  # instrument ids the question (or its follow-up) names
    follow_up: bool = False  # rewritten with the earlier question of the conversation
    dense_text: str = (
        ""  # what the multilingual ranker embeds: the question (and, for a follow-up, the earlier one)
    )
