"""The notices, follow-up cues and instrument names of ``corpus/languages.yaml``, and the
official terms of ``corpus/terms.yaml``, loaded once and matched in questions."""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from assistant.corpus.datafile import validated
from assistant.multilingual.normalize import normalize, term_pattern
from assistant.settings import REPO_ROOT
from assistant.types import LEAD_POLARITY, UN_LANGUAGES

LANGUAGES_FILE = REPO_ROOT / "corpus" / "languages.yaml"
TERMS_FILE = REPO_ROOT / "corpus" / "terms.yaml"
FOREIGN = tuple(code for code in UN_LANGUAGES if code != "en")

NoticeKind = Literal["english_texts", "no_answer", "not_ready", "unsupported"]


class _Notices(BaseModel):
    english_texts: dict[str, str]
    no_answer: dict[str, str]
    not_ready: dict[str, str]
    unsupported: dict[str, str]


class _Cues(BaseModel):
    start: list[str] = Field(default_factory=list)
    end: list[str] = Field(default_factory=list)


class YesNoWords(BaseModel):
    """How one language marks a yes/no question, and the words that open its answer."""

    model_config = ConfigDict(extra="forbid")

    by_default: bool = False
    marks: list[str] = Field(default_factory=list)
    opens: list[str] = Field(default_factory=list)
    unless: list[str] = Field(default_factory=list)
    unless_opens: list[str] = Field(default_factory=list)
    obligation: list[str] = Field(default_factory=list)
    permission: list[str] = Field(default_factory=list)
    prohibition: list[str] = Field(default_factory=list)
    leads: dict[str, str]

    @field_validator("leads")
    @classmethod
    def _every_kind(cls, leads: dict[str, str]) -> dict[str, str]:
        missing = [k for k in LEAD_POLARITY if not leads.get(k)]
        if missing or set(leads) - set(LEAD_POLARITY):
            raise ValueError(f"leads must give exactly {', '.join(LEAD_POLARITY)} (missing: {missing})")
        return leads


class _LanguagesFile(BaseModel):
    notices: _Notices
    follow_up: dict[str, _Cues]
    instruments: dict[str, dict[str, list[str]]]
    yes_no: dict[str, YesNoWords] = Field(default_factory=dict)


class _Term(BaseModel):
    en: str
    es: list[str] = Field(default_factory=list)
    fr: list[str] = Field(default_factory=list)
    ru: list[str] = Field(default_factory=list)
    zh: list[str] = Field(default_factory=list)
    ar: list[str] = Field(default_factory=list)


class _TermsFile(BaseModel):
    terms: list[_Term]


@functools.cache
def _languages(path: Path = LANGUAGES_FILE) -> _LanguagesFile:
    return validated(_LanguagesFile, path)


@functools.cache
def _terms(path: Path = TERMS_FILE) -> _TermsFile:
    return validated(_TermsFile, path)


def yes_no_words(language: str) -> YesNoWords | None:
    """The yes/no cues and answer leads of ``language`` (None for English and the others)."""
    return _languages().yes_no.get(language)


def notices(kind: NoticeKind) -> dict[str, str]:
    """One notice in every language that has it."""
    return dict(getattr(_languages().notices, kind))


def notice(kind: NoticeKind, language: str) -> str:
    """One sentence in ``language`` (English for a language without one)."""
    texts: dict[str, str] = getattr(_languages().notices, kind)
    return texts.get(language) or texts["en"]


# -- matching: (start, end, value) spans over the normalized question ------------------------------
Span = tuple[int, int, str]


class Matcher:
    """Longest-first, non-overlapping matches of many terms of one language."""

    def __init__(self, pairs: list[tuple[str, str]], lang: str) -> None:
        pairs = sorted(pairs, key=lambda p: -len(normalize(p[0], lang)))
        self.lang = lang
        self._patterns = [(re.compile(term_pattern(term, lang)), value) for term, value in pairs if term]

    def find(self, norm: str, taken: list[tuple[int, int]] | None = None) -> list[Span]:
        """Spans in ``norm`` (an already normalized text) not overlapping ``taken`` nor each
        other; ``taken`` is extended with the spans found."""
        taken = taken if taken is not None else []
        found: list[Span] = []
        for pattern, value in self._patterns:
            for m in pattern.finditer(norm):
                if m.end() > m.start() and all(m.end() <= a or m.start() >= b for a, b in taken):
                    taken.append((m.start(), m.end()))
                    found.append((m.start(), m.end(), value))
        return sorted(found)


@functools.cache
def instrument_matcher(lang: str) -> Matcher:
    """Instrument names in ``lang`` -> instrument ids."""
    pairs = [
        (name, inst_id)
        for inst_id, by_lang in _languages().instruments.items()
        for name in by_lang.get(lang, [])
    ]
    return Matcher(pairs, lang)


@functools.cache
def term_matcher(lang: str) -> Matcher:
    """Official terms in ``lang`` -> their English words (a term listed under several entries
    brings the English words of all of them)."""
    english: dict[str, list[str]] = {}
    for entry in _terms().terms:
        for term in getattr(entry, lang):
            english.setdefault(term, []).append(entry.en)
    return Matcher([(t, " ".join(dict.fromkeys(" ".join(ens).split()))) for t, ens in english.items()], lang)


def official_words(lang: str) -> frozenset[str]:
    """The words (normalized, a final ``*`` kept) of the official terms and instrument names in
    ``lang``."""
    names = [n for by_lang in _languages().instruments.values() for n in by_lang.get(lang, [])]
    terms = [t for entry in _terms().terms for t in getattr(entry, lang)]
    return frozenset(w for text in names + terms for w in re.findall(r"[\w*]+", normalize(text, lang)))


def terms_count() -> dict[str, int]:
    """Term strings per language (for the README and tests)."""
    return {lang: sum(len(getattr(e, lang)) for e in _terms().terms) for lang in FOREIGN}


def follow_up_cue(question: str, lang: str) -> str | None:
    """The cue that makes ``question`` a follow-up ("¿Y ...", "Et ...", "А ...", "那...呢"),
    or None."""
    cues = _languages().follow_up.get(lang)
    if cues is None:
        return None
    norm = normalize(question, lang).strip().lstrip("¿¡").strip()
    for cue in sorted(cues.start, key=len, reverse=True):
        c = normalize(cue, lang).lstrip("¿¡")
        if lang == "zh":
            if norm.startswith(c):
                return cue
        elif re.match(re.escape(c) + r"(?!\w)", norm):
            return cue
    stripped = norm.rstrip(" ?？.!")
    for cue in cues.end:
        if stripped.endswith(normalize(cue, lang).rstrip(" ?？")):
            return cue
    return None
