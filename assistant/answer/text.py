"""Small text tools shared by the composer and the citation checks: stems, sentences."""

from __future__ import annotations

import re
from functools import lru_cache

try:
    import Stemmer

    _STEM = Stemmer.Stemmer("english").stemWord
except ImportError:  # pragma: no cover - stemming is a refinement

    def _STEM(word: str) -> str:
        return word


STOPWORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "all",
        "also",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "him",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "me",
        "more",
        "most",
        "my",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "out",
        "over",
        "own",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yes",
        "shall",
        "may",
        "must",
        "might",
        "tell",
        "say",
        "says",
        "said",
        "according",
        "regarding",
        "ask",
        "asks",
        "asked",
        "explain",
        "give",
        "list",
        "provide",
        "provision",
        "provisions",
        "state",
        "states",
        "document",
        "documents",
        "please",
    ]
)
# words that frame a sentence rather than carry its content
FRAMING = frozenset(
    [
        "under",
        "art",
        "article",
        "paragraph",
        "para",
        "subparagraph",
        "operative",
        "preambular",
        "preamble",
        "footnote",
        "convention",
        "conventions",
        "resolution",
        "commission",
        "1961",
        "1971",
        "1988",
        "single",
        "psychotropic",
        "illicit",
        "traffic",
        "both",
        "all",
        "address",
        "addresses",
        "does",
        "reads",
        "refers",
        "cites",
        "includes",
        "lists",
        "means",
        "submitted",
        "dated",
        "title",
        "its",
        "under",
        "draft",
        "the",
        "in",
        "of",
    ]
)


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    return str(_STEM(word.lower()))


def content_stems(text: str, drop: frozenset[str] = frozenset()) -> set[str]:
    words = re.findall(r"[a-zA-Z][a-zA-Z-]+", text.lower())
    return {stem(w) for w in words if w not in STOPWORDS and w not in drop and len(w) > 2}


def overlap(question: str, text: str) -> float:
    """Share of the question's content stems found in the text."""
    q = content_stems(question)
    if not q:
        return 0.0
    return len(q & content_stems(text)) / len(q)


def overlap_with_synonyms(question: str, text: str, synonyms: dict[str, str]) -> float:
    """Like overlap(), but a question word also counts as found through its synonyms
    ("UNODC" -> "United Nations Office on Drugs and Crime")."""
    words = [
        w for w in re.findall(r"[a-zA-Z][a-zA-Z-]+", question.lower()) if w not in STOPWORDS and len(w) > 2
    ]
    if not words:
        return 0.0
    have = content_stems(text)
    found = 0
    for w in dict.fromkeys(words):
        alts = [w, *synonyms.get(w, "").split()]
        if any(stem(a) in have for a in alts):
            found += 1
    return found / len(dict.fromkeys(words))


def support(sentence: str, source: str) -> float:
    """Share of a sentence's content stems (framing words aside) found in its source."""
    s = content_stems(re.sub(r"\[\d+\]", "", sentence), drop=FRAMING)
    if not s:
        return 1.0
    return len(s & content_stems(source)) / len(s)


_SENT_SPLIT = re.compile(r"(?<=[.;])\s+(?=[A-Z“\"(])")


def split_sentences(text: str) -> list[str]:
    parts: list[str] = []
    for line in text.split("\n"):
        parts.extend(p.strip() for p in _SENT_SPLIT.split(line) if p.strip())
    return parts


def finish(sentence: str) -> str:
    """Close a clause fragment as a sentence: trailing ';', ',' or ':' become '.'."""
    s = sentence.strip().rstrip(";,: ")
    s = re.sub(r"\s*;\s*and$|\s*;\s*or$|,?\s+and$", "", s)
    if not s.endswith((".", "?", "!", "”", '"')):
        s += "."
    return s
