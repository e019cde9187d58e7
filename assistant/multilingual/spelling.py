"""Misspelt official words repaired before the terms are matched: "Junta Internacinal de
Fiscalizacion" -> "junta internacional de fiscalizacion", "кворм" -> "кворум".

A question's word is repaired only to a word of the official names and terms of its language
(``corpus/terms.yaml``, ``corpus/languages.yaml``), only when it is not itself such a word (nor a
form of one, nor a function word), when it is long enough to be told apart (``MIN_LENGTH``), and
when exactly one such word is a slip away: a letter left out, or two neighbouring letters
swapped.  A letter changed or added is not repaired: over the questions of the multilingual
suites those were other words far more often than slips ("mexico" is not "medico", "comme" not
"homme", "каков" not "маков").  Chinese has no spelling of this kind and is left as it is.
"""

from __future__ import annotations

import functools
import re

from assistant.multilingual.detect import _WORDS
from assistant.multilingual.languages import official_words

MIN_LENGTH = 5
_WORD = re.compile(r"\w+")


def slip_of(typed: str, word: str) -> bool:
    """Whether ``typed`` is ``word`` with one letter left out or two neighbouring letters swapped."""
    if len(typed) == len(word) - 1:
        i = next((k for k in range(len(typed)) if typed[k] != word[k]), len(typed))
        return typed[i:] == word[i + 1 :]
    if len(typed) != len(word) or typed == word:
        return False
    i = next(k for k in range(len(typed)) if typed[k] != word[k])
    return (
        i + 1 < len(typed)
        and typed[i] == word[i + 1]
        and typed[i + 1] == word[i]
        and typed[i + 2 :] == word[i + 2 :]
    )


@functools.cache
def _lexicon(lang: str) -> tuple[frozenset[str], tuple[str, ...]]:
    """The official words of ``lang`` (whole), and the stems that may go on (``стран*``)."""
    whole: set[str] = set()
    stems: set[str] = set()
    for word in official_words(lang):
        for piece in word.split("*")[:-1]:
            stems.add(piece)
        whole.add(word.replace("*", ""))
    return frozenset(whole), tuple(sorted(s for s in stems if len(s) >= 3))


def _known(word: str, whole: frozenset[str], stems: tuple[str, ...]) -> bool:
    return word in whole or any(word.startswith(s) for s in stems)


def repair(norm: str, lang: str) -> str:
    """``norm`` (normalized text) with each misspelt official word replaced by the official one."""
    if lang == "zh":
        return norm
    whole, stems = _lexicon(lang)

    def fixed(m: re.Match[str]) -> str:
        word = m.group(0)
        if (
            len(word) < MIN_LENGTH
            or word.isdigit()
            or word in _WORDS.get(lang, ())
            or _known(word, whole, stems)
        ):
            return word
        near = {w for w in whole if slip_of(word, w)}
        return near.pop() if len(near) == 1 else word

    return _WORD.sub(fixed, norm)
