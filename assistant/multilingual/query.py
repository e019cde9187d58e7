"""A question in es/fr/ru/zh/ar prepared for the English texts (a ``CrossLingualQuery``).

Its English gloss is made of what can be carried over exactly: instrument names (an official
title or short form -> "1961 Convention"), provision references ("artículo 36, párrafo 1" ->
"article 36, paragraph 1"), the official terms of ``corpus/terms.yaml`` ("estupefacientes" ->
"narcotic drugs"), numbers, and words the English texts share ("extradition", "cannabis",
"MDMA").  The gloss goes through the English search (BM25, the English dense rankers, instrument
focus, named provisions); the question's own words go to the multilingual dense ranker.  A
follow-up ("¿Y la Convención de 1971?") is rewritten like an English one, on the English form
of the earlier question.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from assistant.answer.followup import rewrite_follow_up
from assistant.corpus.references import InstrumentNames
from assistant.multilingual.detect import _WORDS, detect_language
from assistant.multilingual.languages import follow_up_cue, instrument_matcher, term_matcher
from assistant.multilingual.normalize import normalize
from assistant.multilingual.provisions import find_provisions
from assistant.multilingual.spelling import repair
from assistant.types import CrossLingualQuery, LanguageGuess, last_question

# the English names the reference parser and instrument focus know (manifest short titles)
DEFAULT_TITLES = {
    "single-convention-1961": "1961 Convention",
    "psychotropic-convention-1971": "1971 Convention",
    "illicit-traffic-convention-1988": "1988 Convention",
    "cnd-2012-alternatives-to-imprisonment": "the draft resolution",
}
_LATIN_OR_NUMBER = re.compile(r"[a-z0-9][a-z0-9/.-]*[a-z0-9]|[a-z0-9]")
_FUNCTION_WORDS = _WORDS["es"] | _WORDS["fr"]


def english_gloss(
    question: str,
    lang: str,
    vocabulary: frozenset[str] = frozenset(),
    titles: Mapping[str, str] | None = None,
    use_terms: bool = True,
) -> CrossLingualQuery:
    """The English gloss of one question (no conversation).  ``vocabulary``: the words of the
    English texts, to carry over words a French or Spanish question shares with them;
    ``use_terms=False`` leaves out the official terms (to measure what they bring)."""
    titles = titles or DEFAULT_TITLES
    norm = repair(normalize(question, lang), lang)  # "Internacinal" -> "internacional"
    taken: list[tuple[int, int]] = []
    pieces: list[tuple[int, str]] = []
    instruments: list[str] = []
    for start, _end, inst_id in instrument_matcher(lang).find(norm, taken):
        pieces.append((start, _title(inst_id, titles)))
        instruments.append(inst_id)
    about_1988 = "illicit-traffic-convention-1988" in instruments or "1988" in norm
    for start, end, english in find_provisions(norm, lang, about_1988):
        if all(end <= a or start >= b for a, b in taken):
            taken.append((start, end))
            pieces.append((start, english))
    found: list[tuple[str, str]] = []
    if use_terms:
        for start, end, english in term_matcher(lang).find(norm, taken):
            pieces.append((start, english))
            found.append((norm[start:end], english))
    for m in _LATIN_OR_NUMBER.finditer(norm):
        if any(a <= m.start() < b for a, b in taken):
            continue
        word = m.group(0)
        keep = any(ch.isdigit() for ch in word) or (
            len(word) > 1
            and (word in vocabulary and word not in _FUNCTION_WORDS if lang in ("es", "fr") else True)
        )
        if keep:
            pieces.append((m.start(), word))
    gloss = " ".join(text for _start, text in sorted(pieces) if text)
    return CrossLingualQuery(
        question=question,
        language=lang,
        gloss=gloss,
        terms=tuple(found),
        instruments=tuple(dict.fromkeys(instruments)),
        dense_text=question,
    )


def cross_lingual_query(
    question: str,
    guess: LanguageGuess,
    history: Sequence[str],
    names: InstrumentNames,
    vocabulary: frozenset[str] = frozenset(),
    titles: Mapping[str, str] | None = None,
    use_terms: bool = True,
) -> CrossLingualQuery:
    """The question (in ``guess.code``, one of es/fr/ru/zh/ar) ready for the search: its gloss,
    rewritten with the earlier question when it is a follow-up ("¿Y la Convención de 1971?")."""
    own = english_gloss(question, guess.code, vocabulary, titles, use_terms)
    previous = last_question(history)
    if previous is None or follow_up_cue(question, guess.code) is None:
        return own
    earlier = detect_language(previous)
    earlier_english = (
        previous
        if earlier.english or not earlier.supported
        else english_gloss(previous, earlier.code, vocabulary, titles, use_terms).gloss
    )
    pseudo = f"And {own.gloss}?" if own.gloss else "And?"
    standalone = rewrite_follow_up(pseudo, [earlier_english], names)
    if standalone == pseudo:
        return own
    return CrossLingualQuery(
        question=question,
        language=guess.code,
        gloss=standalone,
        terms=own.terms,
        instruments=own.instruments,
        follow_up=True,
        # the multilingual ranker reads the follow-up alone when it asks something of its own
        # ("¿Y con qué frecuencia tiene que reunirse la Junta?"): with the earlier question, it
        # found the earlier answer again (follow-ups of evals/suites/multilingual*.yaml: 3 -> 5 of 12)
        dense_text=question if _asks_anew(own, titles or {}) else f"{previous} {question}",
    )


def _title(inst_id: str, titles: Mapping[str, str]) -> str:
    """The English name of an instrument in a gloss ("1961 Convention")."""
    return titles.get(inst_id, DEFAULT_TITLES.get(inst_id, ""))


def _asks_anew(own: CrossLingualQuery, titles: Mapping[str, str]) -> bool:
    """Whether a follow-up's gloss holds words besides the instruments it names."""
    rest = own.gloss
    for title in filter(None, (_title(inst, titles) for inst in own.instruments)):
        rest = rest.replace(title, " ")
    return bool(re.search(r"[A-Za-z]{3,}", rest))
