"""Follow-up questions ("And the 1971 Convention?") rewritten into standalone questions."""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.answer.text import STOPWORDS
from assistant.corpus.references import InstrumentNames
from assistant.types import last_question

_FOLLOW_UP = re.compile(
    r"^\s*(?:and|what about|how about|and what about|what of|same (?:for|question for)|also|"
    r"and in|and under|what does it|does it|is it|and does|and is|and are|and how|and what|and which)\b",
    re.IGNORECASE,
)
_PRONOUN = re.compile(r"\b(?:it|its|this|that|these|those|they|them|there|same)\b", re.IGNORECASE)
# words that point back to something the question itself does not name
_ANAPHOR = re.compile(r"\b(?:it|they|them|such|these|those|the latter|the former)\b", re.IGNORECASE)
# the convention that controls each class of substance, for "same question for psychotropics"
SUBSTANCE_CONVENTIONS = {"psychotropic": "the 1971 Convention", "narcotic": "the 1961 Convention"}
_SUBSTANCE = re.compile(r"\b(psychotropic|narcotic)s?\b", re.IGNORECASE)
_UNIT = r"(?:sub)?paragraph|article|clause|provision|footnote|note|one|subparagraph"
_RIGHT = r"(?:(?:right|immediately|directly|just)\s+)?"
_NEXT = re.compile(
    rf"\b(?:next|following|subsequent)\s+(?:{_UNIT})\b|\b(?:{_UNIT})\s+{_RIGHT}(?:after|following)\s+(?:it|that|this)\b",
    re.IGNORECASE,
)
_PREVIOUS = re.compile(
    rf"\b(?:previous|preceding|prior)\s+(?:{_UNIT})\b|\b(?:{_UNIT})\s+{_RIGHT}before\s+(?:it|that|this)\b",
    re.IGNORECASE,
)
_PROVISION_TEXT = re.compile(
    r"\b(?:(?:operative|preambular)\s+(?:para(?:graph)?\.?\s*)?\d+|op\.?\s*\d+|pp\.?\s*\d+|"
    r"footnote\s+\d+|art(?:icle)?\.?\s*\d+(?:\s*bis)?(?:\s*\(\w+\))*(?:,?\s*para(?:graph)?s?\.?\s*\d+(?:\s*\(\w+\))*)?)",
    re.IGNORECASE,
)


FOLLOWING_UP = "; following up: "


def own_words(standalone: str) -> str | None:
    """A rewrite that carries the earlier question whole, without it: the follow-up's own words
    and its subject ("how often must it meet (the Single Convention)").  None for other questions."""
    if FOLLOWING_UP not in standalone:
        return None
    return re.sub(re.escape(FOLLOWING_UP) + r"[^)]*\)", ")", standalone, count=1)


def is_follow_up(question: str, names: InstrumentNames) -> bool:
    words = re.findall(r"\w+", question)
    if _FOLLOW_UP.match(question) or navigation_step(question) or asks_for_the_other(question):
        return True
    if len(words) <= 6 and _PRONOUN.search(question):
        return True
    # a short question whose subject is a pronoun: "Is a previous conviction abroad among them?"
    content = [w for w in words if w.lower() not in STOPWORDS and len(w) > 2 and not w.isdigit()]
    return len(words) <= 12 and len(content) <= 4 and bool(_ANAPHOR.search(question))


_OTHER = re.compile(rf"\b(?:the )?other\s+(?:{_UNIT}|table|schedule|list)\b", re.IGNORECASE)


def asks_for_the_other(question: str) -> bool:
    """ "What about the other table?": the one sibling the earlier question did not name."""
    return bool(_OTHER.search(question))


def navigation_step(question: str) -> int:
    """+1 for "the next paragraph", -1 for "the previous article", 0 otherwise."""
    if _NEXT.search(question):
        return 1
    if _PREVIOUS.search(question):
        return -1
    return 0


def _instrument_spans(text: str, names: InstrumentNames) -> list[tuple[int, int, str]]:
    """Instrument names in the original text (case-insensitive), as spans."""
    spans: list[tuple[int, int, str]] = []
    lowered = text.lower()
    for name, inst_id in names._names:
        for m in re.finditer(r"(?<![\w/.-])(?:the\s+)?" + re.escape(name) + r"(?![\w/-])", lowered):
            if all(m.end() <= a or m.start() >= b for a, b, _ in spans):
                spans.append((m.start(), m.end(), inst_id))
    return sorted(spans)


def rewrite_follow_up(question: str, history: Sequence[str], names: InstrumentNames) -> str:
    """A standalone question: the earlier question with what the follow-up changes."""
    previous = last_question(history)
    if previous is None or not is_follow_up(question, names):
        return question
    new_insts = _instrument_spans(question, names)
    new_provisions = list(_PROVISION_TEXT.finditer(question))
    old_provisions = list(_PROVISION_TEXT.finditer(previous))
    if new_provisions and old_provisions:
        first = old_provisions[0]
        replaced = previous[: first.start()] + new_provisions[0].group(0) + previous[first.end() :]
        if new_insts:
            return _swap_instrument(replaced, question, new_insts, names)
        return replaced
    if not new_insts:
        swapped = _swap_by_substance(question, previous, names)
        if swapped is not None:
            return swapped
    if new_insts:
        old_insts = _instrument_spans(previous, names)
        if old_insts:
            return _swap_instrument(previous, question, new_insts, names)
        name = question[new_insts[0][0] : new_insts[0][1]].removeprefix("the ").strip()
        if name.isdigit():
            name += " Convention"
        return f"{previous.rstrip(' ?')} in the {name}?"
    if new_provisions:
        return f"{new_provisions[0].group(0)}: {previous}"
    # no new target: carry the earlier subject into the new question
    subject = _instrument_spans(previous, names)
    remainder = re.sub(_FOLLOW_UP, "", question).strip(" ?")
    if subject:
        s0 = subject[0]
        return f"{remainder} ({previous[s0[0] : s0[1]]}{FOLLOWING_UP}{previous})"
    provision = old_provisions[0].group(0) if old_provisions else ""
    return f"{remainder} {provision} ({previous})".strip()


def _swap_by_substance(question: str, previous: str, names: InstrumentNames) -> str | None:
    """ "Same question for psychotropic substances" after a Single Convention question."""
    word = _SUBSTANCE.search(question)
    if word is None:
        return None
    target = SUBSTANCE_CONVENTIONS[word.group(1).lower()]
    spans = _instrument_spans(target, names)
    old = {i for _a, _b, i in _instrument_spans(previous, names)}
    if not spans or spans[0][2] in old:
        return None
    substance_ids = {_instrument_spans(t, names)[0][2] for t in SUBSTANCE_CONVENTIONS.values()}
    if not old & substance_ids:
        return None
    return _swap_instrument(previous, target, spans, names)


def _swap_instrument(
    previous: str, question: str, new_insts: list[tuple[int, int, str]], names: InstrumentNames
) -> str:
    old = _instrument_spans(previous, names)
    name = question[new_insts[0][0] : new_insts[0][1]]
    if re.fullmatch(r"(?:the\s+)?\d{4}", name.strip(), re.IGNORECASE):
        name = f"{name.strip()} Convention"
    if not name.lower().startswith("the "):
        name = "the " + name
    if not old:
        return previous
    a, b, _ = old[0]
    keep_article = previous[a:b].lower().startswith("the ")
    replacement = name if keep_article else name.removeprefix("the ")
    return previous[:a] + replacement + previous[b:]
