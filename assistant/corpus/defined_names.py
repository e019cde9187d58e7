"""The short names the conventions give the bodies they speak of, read from their own
definitions: "“Board” means the International Narcotics Control Board" makes "Board" the name
the articles use, and the full name a word of the definitions alone.

A question that says "the International Narcotics Control Board" (or whose gloss from another
language does) asks about what the articles say of the Board; searched with the full name, it
finds the definitions, which are the only clauses that spell it out.  ``to_defined_names``
writes a question's full names as the texts' own short names before it is searched."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from assistant.types import Clause

# “Board” means the International Narcotics Control Board provided for in ...
_DEFINITION = re.compile(
    r"^[“\"](?P<short>[A-Z][\w-]*(?: [A-Z][\w-]*)*)[”\"] means the "
    r"(?P<full>[A-Z][\w-]*(?: (?:[A-Z][\w-]*|on|and))*)"
)


def defined_names(clauses: Iterable[Clause]) -> dict[str, str]:
    """Full name -> the short name a definition clause gives it, for names longer than their
    short name whose short name is one of their words ("Commission on Narcotic Drugs" ->
    "Commission"); instruments' names ("“1971 Convention” means ...") are not of this kind."""
    names: dict[str, str] = {}
    for clause in clauses:
        found = _DEFINITION.match(clause.text)
        if found is None:
            continue
        short, full = found["short"], found["full"]
        if full != short and short.lower() in full.lower().split():
            names.setdefault(full, short)
    return names


def to_defined_names(text: str, names: Mapping[str, str]) -> str:
    """``text`` with each full name (any case) replaced by its short name."""
    for full, short in names.items():
        text = re.sub(rf"\b{re.escape(full)}\b", short, text, flags=re.IGNORECASE)
    return text
