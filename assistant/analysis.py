"""One reading of the question: its form, what it names, the topic it matches, and, for a
question these documents cannot answer, why.  Done once per question; the guard, the search
and the composer read the result (``QuestionAnalysis``) instead of keeping cue patterns of
their own.  The cue words are data (``assistant/cues.yaml``); the topics come from the map of
the provisions (``corpus/provisions/topics.yaml``).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from assistant.answer.followup import asks_for_the_other, navigation_step
from assistant.answer.text import STOPWORDS, stem
from assistant.corpus.defined_names import defined_names, to_defined_names
from assistant.corpus.references import InstrumentNames, normalize, parse_reference
from assistant.types import Clause, Corpus, QuestionAnalysis, QuestionForm, Topic

CUES_FILE = Path(__file__).with_name("cues.yaml")
# every refusal opens with these words, then says why
REFUSAL_OPENING = "These documents do not answer that question"

# the order in which forms are tried for a question that does not start with an auxiliary
_WH_FORMS: tuple[tuple[str, QuestionForm], ...] = (
    ("cites", "cites"),
    ("form_definition", "definition"),
    ("form_how_many", "how-many"),
    ("form_when", "when"),
    ("form_who", "who"),
    ("form_list", "list"),
    ("form_why", "why"),
    ("form_where", "where"),
    ("form_how", "how"),
    ("form_what", "what"),
)
_MODALITIES = ("asks_obligation", "asks_permission", "asks_prohibition", "asks_existence")


def _word_pattern(phrase: str) -> str:
    """ "sponsor*" -> sponsor\\w*, "put forward" -> put\\s+forward, bounded by word edges."""
    words = phrase.strip().split()
    parts = []
    for word in words:
        star = word.endswith("*")
        body = re.escape(word.rstrip("*"))
        parts.append(body + (r"\w*" if star else ""))
    return r"(?<![\w-])" + r"\s+".join(parts) + r"(?![\w])"


@dataclass(frozen=True)
class RefusalClass:
    """A class of questions these documents cannot answer, and the sentence that says why."""

    id: str
    patterns: tuple[re.Pattern[str], ...]
    unless: tuple[re.Pattern[str], ...]
    named_in_text: tuple[re.Pattern[str], ...]  # the same patterns, for countries the text names
    text: str
    where: tuple[tuple[re.Pattern[str] | None, str], ...]

    def matches(self, question: str, about_the_text: re.Pattern[str]) -> bool:
        if any(p.search(question) for p in self.unless):
            return False
        if any(p.search(question) for p in self.patterns):
            return True
        return any(p.search(question) for p in self.named_in_text) and not about_the_text.search(question)

    @property
    def opening(self) -> str:
        """The words every refusal of this class starts with."""
        return f"{REFUSAL_OPENING}: {self.text}"

    def explain(self, question: str) -> str:
        """The refusal: why, and where such information is published (when that helps)."""
        where = next((text for p, text in self.where if p is None or p.search(question)), "")
        return f"{self.opening} {where}".strip()


@dataclass(frozen=True)
class Cues:
    families: dict[str, re.Pattern[str]]
    refusals: tuple[RefusalClass, ...]
    about_the_text: re.Pattern[str]
    frame_words: frozenset[str] = frozenset()  # stems of words that frame, not carry, a question

    def matching(self, text: str) -> frozenset[str]:
        return frozenset(name for name, pattern in self.families.items() if pattern.search(text))

    def refusal(self, question: str) -> RefusalClass | None:
        for refusal in self.refusals:
            if refusal.matches(question, self.about_the_text):
                return refusal
        return None

    def refusal_class(self, refusal_id: str) -> RefusalClass | None:
        return next((r for r in self.refusals if r.id == refusal_id), None)


def _family(entry: dict[str, Any]) -> re.Pattern[str]:
    alternatives = [_word_pattern(w) for w in entry.get("words", [])]
    alternatives += [f"(?:{p})" for p in entry.get("patterns", [])]
    return re.compile("|".join(alternatives), re.IGNORECASE)


@functools.lru_cache(maxsize=4)
def load_cues(path: Path = CUES_FILE) -> Cues:
    """The cue words, compiled once per process."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    # "a|b c|d" written over several lines: the names keep their inner spaces ("united kingdom")
    countries = "|".join(" ".join(name.split()) for name in data["countries"].split("|"))
    in_text = "|".join(" ".join(name.split()) for name in data["countries_in_text"].split("|"))
    families = {name: _family(entry) for name, entry in data["families"].items()}
    refusals = []

    def compiled(pattern: str, sensitive: bool, names: str) -> re.Pattern[str]:
        text = pattern.replace("{countries}", names).replace("{countries_in_text}", in_text)
        return re.compile(text, 0 if sensitive else re.IGNORECASE)

    for entry in data["refusals"]:
        sensitive = set(entry.get("case_sensitive_patterns", []))
        raw = entry["patterns"]
        patterns = tuple(compiled(p, i in sensitive, countries) for i, p in enumerate(raw))
        named: tuple[re.Pattern[str], ...] = ()
        if entry.get("unless_named_in_text"):
            named = tuple(
                compiled(p, i in sensitive, in_text) for i, p in enumerate(raw) if "{countries}" in p
            )
        refusals.append(
            RefusalClass(
                id=entry["id"],
                patterns=patterns,
                unless=tuple(re.compile(p, re.IGNORECASE) for p in entry.get("unless", [])),
                named_in_text=named,
                text=" ".join(entry["text"].split()),
                where=tuple(
                    (re.compile(w["pattern"], re.IGNORECASE) if "pattern" in w else None, w["text"])
                    for w in entry.get("where", [])
                ),
            )
        )
    frame = frozenset(term_stems(data.get("frame_words", "")))
    return Cues(families, tuple(refusals), _family(data["about_the_text"]), frame)


_ISE = re.compile(r"(?<=\w{3})is(?=e|ed|es|ing|ation|ations|er|ers)\b")


def term_stems(text: str) -> tuple[str, ...]:
    """The stems of a text's content words, British spellings brought to the American ones
    ("legalisation" and "legalize" alike), hyphens as spaces."""
    words = re.findall(r"[a-z]+", _ISE.sub("iz", text.lower().replace("-", " ")))
    return tuple(stem(w) for w in words if w not in STOPWORDS and len(w) > 1)


@dataclass(frozen=True)
class TopicTerm:
    """One of the words people use for a topic: an abbreviation ("OST", "NSP") matches in
    capitals only; other terms match when all their stems are in the question close together,
    in any order (within one word more than the term has: "reducing the harm" is "harm
    reduction", but "a drug convention ... the International Court of Justice" is no "drug court")."""

    topic: str
    text: str
    stems: frozenset[str]
    abbreviation: re.Pattern[str] | None

    @classmethod
    def of(cls, topic: str, term: str) -> TopicTerm:
        if term.isupper() and len(term) <= 6:
            return cls(topic, term, frozenset(), re.compile(r"(?<![\w-])" + re.escape(term) + r"s?(?![\w-])"))
        return cls(topic, term, frozenset(term_stems(term)), None)

    def found(self, question: str, stems: frozenset[str]) -> bool:
        if self.abbreviation is not None:
            return bool(self.abbreviation.search(question))
        if not self.stems or not self.stems <= stems:
            return False
        if len(self.stems) == 1:
            return True
        words = term_stems(question)
        width = len(self.stems) + 1
        return any(self.stems <= set(words[i : i + width]) for i in range(len(words)))


def form_of(question: str, cues: frozenset[str]) -> QuestionForm:
    """The question's form; a question that starts with an auxiliary is a yes/no question."""
    if navigation_step(question) or asks_for_the_other(question):
        return "navigation"
    if "form_yes_no" in cues:
        return "yes-no"
    for family, form in _WH_FORMS:
        if family in cues:
            return form
    return "other"


def asking_part(question: str, cues: Cues) -> str:
    """A yes/no question from its auxiliary on: "States must criminalise possession. Can they
    offer treatment instead?" asks about a permission, whatever its first sentence says."""
    m = cues.families["form_yes_no"].search(question)
    if m is None:
        return question
    start = m.start("asks") if "asks" in m.re.groupindex else -1
    return question[start if start >= 0 else m.start() :]


def modality_of(question: str, cues: Cues) -> str | None:
    """What a yes/no question asks about: an obligation ("must"), a permission ("can"), a
    prohibition ("is X banned") or whether the text says something at all ("does it define")."""
    first: tuple[int, str] | None = None
    for family in _MODALITIES:
        m = cues.families[family].search(question)
        if m and (first is None or m.start() < first[0]):
            first = (m.start(), family.removeprefix("asks_"))
    return first[1] if first else "existence"


_POINTS_BACK = re.compile(
    r"\b(?:it|its|they|their|them|this|that|these|those|he|she|his|her)\b", re.IGNORECASE
)


def _content_words(text: str) -> list[str]:
    return [w for w in re.findall(r"[A-Za-z][A-Za-z-]+", text.lower()) if w not in STOPWORDS and len(w) > 2]


def split_parts(question: str, cues: Cues) -> list[str]:
    """ "Who elects the Board and for how long?" -> ["Who elects the Board", "for how long?"]:
    the parts of a question that asks several things (each with two content words at least)."""
    pattern = cues.families["part_break"]
    pieces: list[str] = []
    start = 0
    for m in pattern.finditer(question):
        piece = question[start : m.start()].strip(" ,;")
        if piece:
            pieces.append(piece)
        start = m.end()
    pieces.append(question[start:].strip(" ,;"))
    pieces = [p for p in pieces if p]
    if len(pieces) < 2:
        return []
    if any(len(_content_words(p)) < 1 for p in pieces):
        return []
    return pieces


class Analyser:
    """Reads questions about one corpus: built once, thread-safe (no state after __init__)."""

    def __init__(self, corpus: Corpus, names: InstrumentNames | None = None, cues: Cues | None = None):
        self.corpus = corpus
        self.by_id: dict[str, Clause] = corpus.by_id()
        self.names = names or InstrumentNames(corpus.instruments)
        self.cues = cues or load_cues()
        self.topics: dict[str, Topic] = {t.id: t for t in corpus.provisions.topics}
        self.defined_names = defined_names(corpus.clauses)
        self._topic_terms = [
            TopicTerm.of(topic.id, term) for topic in corpus.provisions.topics for term in topic.terms
        ]
        # the terms no clause uses ("harm reduction", "drug courts", "NSP"): the texts' words cannot
        # find them (a term of several words counts as used only where its words stand together)
        texts = [" " + " ".join(term_stems(c.text)) + " " for c in corpus.clauses]
        in_texts = {t.id for t in corpus.provisions.topics if t.in_texts}
        self._unnamed = {
            t.text
            for t in self._topic_terms
            if t.topic not in in_texts  # the map says the texts name this topic in their own words
            and not self._used(t, corpus.clauses, texts)
        }

    def instruments_in(self, question: str) -> list[str]:
        return list(dict.fromkeys(i for _a, _b, i in self.names.find(normalize(question))))

    def provisions_in(self, question: str) -> list[str]:
        return parse_reference(question, self.corpus.instruments, self.by_id, self.names)

    def topics_in(self, question: str, unnamed: bool = False) -> list[str]:
        """Topics whose terms the question uses ("legalize" finds "legalisation"), the topic
        of the longest term first; with ``unnamed``, only by terms that no clause uses."""
        stems = frozenset(term_stems(question))
        found = [
            (-len(t.stems) or -1, i, t.topic)
            for i, t in enumerate(self._topic_terms)
            if t.found(question, stems) and (not unnamed or t.text in self._unnamed)
        ]
        return list(dict.fromkeys(topic for _size, _i, topic in sorted(found)))

    @staticmethod
    def _used(term: TopicTerm, clauses: Sequence[Clause], texts: Sequence[str]) -> bool:
        """Whether some clause uses the term (an abbreviation as written; other terms by their
        stems, the words standing together)."""
        if term.abbreviation is not None:
            return any(term.abbreviation.search(c.text) for c in clauses)
        return any(" " + " ".join(term_stems(term.text)) + " " in x for x in texts)

    def topic_is_subject(self, question: str, term: str) -> bool:
        """Whether a topic term is most of what the question asks ("Do the conventions allow
        harm reduction?") rather than a word on the way ("... an offence it regards as too minor")."""
        if not term:
            return False
        own = frozenset(term_stems(question)) - self.cues.frame_words
        mine = frozenset(term_stems(term))
        return bool(own) and len(mine & own) / len(own) >= 0.5

    def unnamed_terms_in(self, question: str) -> dict[str, str]:
        """Topic id -> the term the question uses for it that no clause uses ("NSP"), for the
        topics found by such words, the longest term first."""
        stems = frozenset(term_stems(question))
        found = sorted(
            (-len(t.stems) or -1, i, t)
            for i, t in enumerate(self._topic_terms)
            if t.text in self._unnamed and t.found(question, stems)
        )
        out: dict[str, str] = {}
        for _size, _i, term in found:
            out.setdefault(term.topic, term.text)
        return out

    def analyse(self, question: str, language: str = "en") -> QuestionAnalysis:
        cues = self.cues.matching(question)
        form = form_of(question, cues)
        parts = split_parts(question, self.cues) if form != "navigation" else []
        part_forms = [form_of(p, self.cues.matching(p)) for p in parts]
        if part_forms:  # "Who elects the Board and for how long?" is first of all a "who"
            form = part_forms[0]
        refusal = self.cues.refusal(question)
        unnamed = self.unnamed_terms_in(question)
        wording = to_defined_names(question, self.defined_names)  # "the Board", as the texts say
        return QuestionAnalysis(
            question=question,
            form=form,
            cues=cues,
            instruments=tuple(self.instruments_in(question)),
            provisions=tuple(self.provisions_in(question)),
            topics=tuple(self.topics_in(question)),
            unnamed_topics=tuple(unnamed),
            unnamed_terms=tuple(unnamed.values()),
            topic_is_subject=self.topic_is_subject(question, next(iter(unnamed.values()), "")),
            parts=tuple(self._searchable_parts(parts)),
            part_forms=tuple(part_forms),
            refusal=refusal.id if refusal else None,
            modality=modality_of(asking_part(question, self.cues), self.cues) if form == "yes-no" else None,
            language=language,
            wording=wording if wording != question else "",
        )

    def _searchable_parts(self, parts: Sequence[str]) -> list[str]:
        """Each part alone; a part too short to search ("for how long?") borrows the content
        words of the first part ("... elects Board")."""
        if not parts:
            return []
        subject = " ".join(_content_words(parts[0]))
        out = []
        for i, part in enumerate(parts):
            # a part too short to stand alone, or one that points back ("what majority does it
            # need?"), carries the first part's words
            if i and (len(_content_words(part)) < 3 or _POINTS_BACK.search(part)):
                part = f"{part.rstrip(' ?')} ({subject})"
            out.append(part if part.rstrip().endswith("?") else part.rstrip() + "?")
        return out

    def refusal_text(self, analysis: QuestionAnalysis) -> str:
        refusal = self.cues.refusal_class(analysis.refusal or "")
        return refusal.explain(analysis.question) if refusal else ""
