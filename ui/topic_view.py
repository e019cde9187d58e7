"""How the Topics page lays a topic out, without Streamlit: the filter, the starter question a
trainer asks with it, and its provisions side by side, one column per instrument."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.types import Clause, Corpus, Instrument, Topic

_ASIDE = re.compile(r"\s*\([^()]*\)")


def subject(topic: Topic) -> str:
    """The title as it reads inside a sentence: without its aside in brackets, and with a small
    first letter unless the first word is an acronym ("WHO ...")."""
    text = " ".join(_ASIDE.sub("", topic.title).split()) or topic.title.strip()
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        text = text[0].lower() + text[1:]
    return text


def starter_question(topic: Topic) -> str:
    """The question a session on this topic starts with."""
    return f"What do the conventions say about {subject(topic)}?"


def matches(topic: Topic, query: str) -> bool:
    """Every word of the query is in the topic's title, terms, note or id (any case)."""
    haystack = " ".join((topic.id, topic.title, " ".join(topic.terms), topic.note)).casefold()
    return all(word in haystack for word in query.casefold().split())


@dataclass(frozen=True)
class Column:
    instrument: Instrument
    clauses: tuple[Clause, ...]  # in the topic's order (most central first)


def columns(topic: Topic, corpus: Corpus) -> list[Column]:
    """One column per convention with text (even one without provisions for the topic: the
    gap is information), then one for each other instrument that has provisions for it."""
    by_id = corpus.by_id()
    clauses = [by_id[cid] for cid in topic.provisions if cid in by_id]
    out = [
        Column(inst, tuple(c for c in clauses if c.instrument == inst.id)) for inst in corpus.conventions()
    ]
    shown = {col.instrument.id for col in out}
    for inst in corpus.instruments:
        own = tuple(c for c in clauses if c.instrument == inst.id)
        if own and inst.id not in shown:
            out.append(Column(inst, own))
    return out
