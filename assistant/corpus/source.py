"""What a reader (Markdown or PDF) hands to the segmenters: paragraphs with pages.

Readers remove the layout (front matter, editorial notes, running headers, page breaks,
Markdown marks) and join a paragraph that a page break and a block of footnotes split; the
segmenters then see one logical paragraph per ``Para`` and the footnotes apart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_SUP = re.compile(r"<sup>\s*(\d+)\s*</sup>")
_TAGS = re.compile(r"</?(?:sup|sub|em|strong|b|i|u|span|br)\b[^>]*>", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\u00a0]+")


@dataclass(frozen=True)
class Para:
    text: str
    page: int | None = None
    heading: bool = False
    footnote_refs: tuple[str, ...] = ()
    table: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class Footnote:
    number: str
    text: str
    page: int | None = None


@dataclass(frozen=True)
class SourceDoc:
    """A document as a reader sees it, before it is cut into clauses."""

    name: str
    paras: tuple[Para, ...]
    footnotes: tuple[Footnote, ...] = ()
    metadata: dict[str, str] = field(default_factory=dict)
    paged: bool = False


def clean_inline(text: str) -> tuple[str, tuple[str, ...]]:
    """Drop Markdown marks and footnote markers; return the text and the markers found."""
    refs = tuple(_SUP.findall(text))
    text = _SUP.sub("", text)
    text = _LINK.sub(r"\1", text)
    text = _TAGS.sub("", text)
    text = re.sub(r"(?<=\S)\*+(?=\w)", " ", text)  # "means**the", "”*and"
    text = text.replace("*", "").replace("\\", "")
    text = _SPACES.sub(" ", text)
    text = re.sub(r" ([,;:.])(?=\s|$)", r"\1", text)
    return text.strip(), refs


def starts_continuation(text: str) -> bool:
    """True when a paragraph at the top of a page carries on the one before it."""
    return bool(text) and text[0].islower() and not re.match(r"^[a-z]{1,3}\)", text)
