"""The shape of an answer, measured from its text and citations alone (pure functions): sentence
fragments, chapeaus given without their items, a convention's preamble given as the answer, a
yes/no question answered yes/no/not stated, the reason a refusal gives, and, for a question
whose gold spans instruments, how many of them (and of its provisions) the answer cites.

They take no part in answering, so they can score any run, an old one included."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from assistant.evaluation.metrics import related
from assistant.types import LEAD_POLARITY, Clause, Corpus

_SENTENCE = re.compile(r"(?<=[.!?])(?:\s*\[\d+\])*\s+(?=[A-Z“\"(])|(?<=\])\s+(?=[A-Z“\"(])")
_MARKERS = re.compile(r"\s*\[\d+\]")
# a sentence that stops where a list or a phrase should go on
_DANGLING = re.compile(
    r"\b(?:such as|as follows|the following|including|namely|and|or|of|to|the|by|in|for|with|may|shall|"
    r"that|which|a|an)\s*[.:;]?$|:$",
    re.IGNORECASE,
)
# "Under art. 17 of the 1971 Convention, 1. The Commission ...": a clause's own numbering
_NUMBERING = re.compile(r"(?:^|[,:;]\s)\d{1,2}\.\s+[A-Z]")
# "Under art. 3(1)(c)(iii) of the 1988 Convention, Publicly inciting ...": an item glued on
_UNDER = re.compile(r"\bUnder [^,]{3,80}, ([A-Z][a-z-]+)")
# a cut inside a phrase: "… the provisions of this…" (a list cut between entries is not one)
_MID_CUT = re.compile(
    r"(?:,|\b(?:the|of|and|or|to|a|an|in|for|with|by|that|which|this|such|as|on|at|from))\s*…", re.IGNORECASE
)


def sentences(text: str) -> list[str]:
    """The answer's sentences, markers removed."""
    return [_MARKERS.sub("", s).strip() for s in _SENTENCE.split(text.strip()) if s.strip()]


def proper_words(clauses: Iterable[Clause]) -> frozenset[str]:
    """Words the texts capitalise inside a sentence more often than not (Board, Parties,
    Commission): a capital on them after "Under ..., " is no sign of a glued list item."""
    upper: dict[str, int] = {}
    lower: dict[str, int] = {}
    for clause in clauses:
        for m in re.finditer(r"(?<=[a-z,;] )([A-Za-z][a-z-]+)", clause.text):
            word = m.group(1)
            key = word.lower()
            if word[0].isupper():
                upper[key] = upper.get(key, 0) + 1
            else:
                lower[key] = lower.get(key, 0) + 1
    return frozenset(w for w, n in upper.items() if n >= lower.get(w, 0))


def fragment(sentence: str, proper: frozenset[str]) -> str | None:
    """Why a sentence is a fragment (None when it is not)."""
    body = sentence.rstrip(" .")
    if not body.endswith(("”", '"')) and _DANGLING.search(body):
        return "stops mid-phrase"
    if _NUMBERING.search(sentence):
        return "numbering of the clause"
    m = _UNDER.search(sentence)
    if m and m.group(1).lower() not in proper:
        return "list item without its chapeau"
    if _MID_CUT.search(sentence):
        return "cut inside a phrase"
    return None


def fragments(text: str, proper: frozenset[str]) -> list[str]:
    return [f"{why}: {s[:80]}" for s in sentences(text) if (why := fragment(s, proper))]


def chapeau_only(text: str, cited: Sequence[str], by_id: Mapping[str, Clause], corpus: Corpus) -> int:
    """Cited chapeaus ("... as follows:") whose items the answer does not give."""
    lowered = text.lower()
    count = 0
    for cid in cited:
        clause = by_id.get(cid)
        if clause is None or not clause.has_children:
            continue
        own = clause.text.split("\n")[0].rstrip()
        if not own.endswith(":"):
            continue
        items = corpus.children(cid)
        given = any(
            " ".join(re.findall(r"[a-z]+", child.text.lower())[:5])
            in " ".join(re.findall(r"[a-z]+", lowered))
            for child in items
        )
        count += 0 if given else 1
    return count


def preamble_answer(
    cited: Sequence[str], expected: Sequence[str], by_id: Mapping[str, Clause], corpus: Corpus
) -> bool:
    """A convention's preamble given as the (first) answer where the gold is not in it."""
    if not cited:
        return False
    first = by_id.get(cited[0])
    if first is None or first.kind != "preamble":
        return False
    if corpus.instrument(first.instrument).kind == "resolution":
        return False
    return not any(related(first.clause_id, e) for e in expected)


_LEADS = {
    "yes": re.compile(r"^yes\b", re.IGNORECASE),
    "no": re.compile(r"^no\b", re.IGNORECASE),
    "not stated": re.compile(
        r"^(?:the (?:texts|documents|conventions?|resolution) do(?:es)? not (?:say|state|use|define|mention|address|"
        r"provide|answer)|not (?:stated|directly)|nothing in)",
        re.IGNORECASE,
    ),
}


def _localized_lead(text: str) -> str | None:
    """The kind of the lead an answer in another language opens with (after the notice that
    the texts quoted are English), or None."""
    from assistant.multilingual.languages import notices
    from assistant.multilingual.yes_no import leads

    for lang, sentence in notices("english_texts").items():
        if lang != "en" and text.startswith(sentence):
            rest = text[len(sentence) :].lstrip()
            for kind, lead in sorted(leads(lang).items(), key=lambda kv: -len(kv[1])):
                opening = re.split(r"[:：,，;；]", lead, maxsplit=1)[0].strip()
                if re.match(re.escape(opening) + r"(?!\w)", rest):
                    return LEAD_POLARITY[kind]
            return None
    return None


def yes_no_lead(text: str) -> str | None:
    """What the first sentence answers to a yes/no question: yes, no, not stated, or None (an
    answer in another language: the first sentence after the notice, in that language)."""
    localized = _localized_lead(text)
    if localized is not None:
        return localized
    first = sentences(text)[:1]
    if not first:
        return None
    return next((kind for kind, pattern in _LEADS.items() if pattern.search(first[0])), None)


@dataclass(frozen=True)
class Coverage:
    instruments: float  # share of the gold's instruments with a cited gold clause
    provisions: float  # share of the gold's clauses cited (or a clause inside/around each)


def coverage(expected: Sequence[str], cited: Sequence[str]) -> Coverage | None:
    """For gold spanning two instruments or more; None otherwise."""
    by_instrument: dict[str, list[str]] = {}
    for e in expected:
        by_instrument.setdefault(e.split("/", 1)[0], []).append(e)
    if len(by_instrument) < 2:
        return None
    covered = sum(1 for golds in by_instrument.values() if any(related(c, g) for c in cited for g in golds))
    provisions = sum(1 for e in expected if any(related(c, e) for c in cited))
    return Coverage(covered / len(by_instrument), provisions / len(expected))


def refusal_reason(text: str, reasons: Mapping[str, str]) -> str | None:
    """The refusal class an answer states, recognised by the sentence each class opens with."""
    for reason, opening in reasons.items():
        if opening and text.startswith(opening[:60]):
            return reason
    return None
