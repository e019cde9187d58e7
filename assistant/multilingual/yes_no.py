"""Yes/no questions in the other UN languages (issue #14): whether a question is one, what it
asks about (an obligation, a permission, a prohibition), and the words that open its answer in
its language; all from the ``yes_no`` section of ``corpus/languages.yaml``.

The English reading of the question (``assistant/analysis.py``) cannot see these: it reads the
question's English gloss, a list of the official terms it uses, not a sentence."""

from __future__ import annotations

import functools
import re
import unicodedata

from assistant.multilingual.languages import YesNoWords, yes_no_words
from assistant.multilingual.normalize import normalize, term_pattern

# a follow-up's opening conjunction and the opening punctuation, skipped before ``opens``
_OPENING = re.compile(r"^[\s¿¡\"'«“(]*(?:(?:y|e|et|а|и|and)\s+)?[\s¿¡\"'«“(]*", re.IGNORECASE)


def _folded(text: str) -> str:
    """Case-folded, accents kept ("qué" is not "que")."""
    return unicodedata.normalize("NFKC", text).replace("’", "'").casefold()


def _mark_pattern(mark: str, lang: str) -> str:
    if mark.startswith("-"):  # French inversion: "permet-il", "existe-t-elle", "peut-on"
        return r"(?<=\w)" + re.escape(normalize(mark, lang)) + r"(?!\w)"
    return term_pattern(mark, lang)


def _exact(words: list[str], lang: str) -> re.Pattern[str] | None:
    """Any of ``words`` as written (accents kept), whole words (Chinese: anywhere)."""
    if not words:
        return None
    alternatives = "|".join(re.escape(_folded(w)) for w in sorted(words, key=len, reverse=True))
    if lang == "zh":
        return re.compile(f"(?:{alternatives})")
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")


class YesNoCues:
    """The compiled cues of one language."""

    def __init__(self, words: YesNoWords, lang: str) -> None:
        self.lang = lang
        self.by_default = words.by_default
        self.marks = [re.compile(_mark_pattern(m, lang)) for m in words.marks]
        self.opens = [re.compile(term_pattern(o, lang)) for o in words.opens]
        self.unless = _exact(words.unless, lang)
        self.unless_opens = _exact(words.unless_opens, lang)
        self.modalities = [
            (name, [re.compile(term_pattern(w, lang)) for w in getattr(words, name)])
            for name in ("obligation", "permission", "prohibition")
        ]
        self.leads = dict(words.leads)

    def asks(self, question: str, follow_up: bool = False) -> bool | None:
        """True for a yes/no question, False for another kind, None when the question shows
        neither (a follow-up such as "¿Y en el Convenio de 1971?" then asks what the earlier
        question asked)."""
        folded = _folded(question)
        start = folded[_OPENING.match(folded).end() :]  # type: ignore[union-attr]
        if self.unless is not None and self.unless.search(folded):
            return False
        if self.unless_opens is not None and self.unless_opens.match(start):
            return False
        norm = normalize(question, self.lang)
        norm_start = norm[_OPENING.match(norm).end() :]  # type: ignore[union-attr]
        if any(p.search(norm) for p in self.marks) or any(p.match(norm_start) for p in self.opens):
            return True
        if follow_up:
            return None
        return True if self.by_default and question.rstrip().endswith(("?", "？", "؟")) else None

    def modality(self, question: str) -> str:
        """What a yes/no question asks about: the first modality word found, or "existence"."""
        norm = normalize(question, self.lang)
        first: tuple[int, str] | None = None
        for name, patterns in self.modalities:
            for pattern in patterns:
                m = pattern.search(norm)
                if m and (first is None or m.start() < first[0]):
                    first = (m.start(), name)
        return first[1] if first else "existence"


@functools.cache
def cues_for(lang: str) -> YesNoCues | None:
    words = yes_no_words(lang)
    return YesNoCues(words, lang) if words is not None else None


def leads(lang: str) -> dict[str, str]:
    """The words that open the answer to a yes/no question in ``lang``, by kind (the keys of
    ``compose.ENGLISH_LEADS``); empty for a language without them."""
    cues = cues_for(lang)
    return cues.leads if cues is not None else {}
