"""Conventions: title, preamble, articles with paragraphs, subparagraphs and clauses,
the testimonium, and the schedules or annex tables."""

from __future__ import annotations

import re

from assistant.corpus.source import Para, SourceDoc
from assistant.corpus.tree import ROMAN, Node, to_clauses
from assistant.types import Clause, Instrument

_ARTICLE = re.compile(r"^Article\s+(\d{1,3})(?:\s+(bis|ter|quater))?\s*\.?$", re.IGNORECASE)
_PARAGRAPH = re.compile(r"^(\d{1,2})\s*\.(?:\s+|$)(.*)$", re.DOTALL)
_LETTER = re.compile(r"^\(?([a-z]{1,4})\)\s*(.*)$", re.DOTALL)
_SCHEDULE = re.compile(r"\bSchedule\s+(IV|III|II|I)\b")
_SCHEDULES_START = re.compile(r"^(Schedules|Revised Schedules|Annex|List of)", re.IGNORECASE)
_LIST_OF = re.compile(r"^List of\b.*\bSchedule\s+(IV|III|II|I)\b", re.IGNORECASE)
_WITNESS = re.compile(r"^IN WITNESS WHEREOF", re.IGNORECASE)
_TABLE = re.compile(r"^Table\s+(IV|III|II|I)$", re.IGNORECASE)


def looks_like_convention(doc: SourceDoc) -> bool:
    return sum(1 for p in doc.paras if _ARTICLE.match(p.text)) >= 2


def _glue_recitals(text: str) -> str:
    """Recitals printed run together ("The Parties,Concerned with") get their space back."""
    return re.sub(r",(?=[A-Z])", ", ", text)


def _is_title(para: Para) -> bool:
    if para.heading:
        return not _ARTICLE.match(para.text)
    text = para.text
    return (
        len(text) < 160
        and not _PARAGRAPH.match(text)
        and not _LETTER.match(text)
        and not text.rstrip().endswith((".", ":", ";", ","))
    )


class _ArticleBuilder:
    """Places paragraphs, subparagraphs (a) and clauses (i) under one article."""

    def __init__(self, article: Node) -> None:
        self.article = article
        self.paragraph: Node | None = None
        self.letter: Node | None = None
        self.roman: Node | None = None

    def _letter_parent(self) -> Node:
        return self.paragraph or self.article

    def _next_letter(self) -> str:
        if self.letter is None:
            return "a"
        return chr(ord(self.letter.number) + 1)

    def _next_roman(self) -> str | None:
        if self.roman is None:
            return "i" if self.letter is not None else None
        idx = ROMAN.index(self.roman.number)
        return ROMAN[idx + 1] if idx + 1 < len(ROMAN) else None

    def add(self, para: Para) -> None:
        text = para.text
        while text:
            text = self._add_one(text, para)

    def _add_one(self, text: str, para: Para) -> str:
        """Consume one marker (or plain text) from the front of ``text``; return the rest."""
        m = _PARAGRAPH.match(text)
        if (m and self.letter is None) or (m and self._paragraph_follows(m.group(1))):
            assert m is not None
            number, rest = m.groups()
            self.paragraph = Node("paragraph", number, f"para-{number}", page=para.page)
            self.article.children.append(self.paragraph)
            self.letter = self.roman = None
            return self._own(self.paragraph, rest)
        m = _LETTER.match(text)
        if m:
            marker, rest = m.groups()
            kind = self._classify(marker)
            if kind == "clause":
                assert self.letter is not None
                self.roman = Node("clause", marker, marker, page=para.page)
                self.letter.children.append(self.roman)
                return self._own(self.roman, rest)
            if kind == "subparagraph":
                self.letter = Node("subparagraph", marker, marker, page=para.page)
                self.roman = None
                self._letter_parent().children.append(self.letter)
                return self._own(self.letter, rest)
        target = self.roman or self.letter or self.paragraph or self.article
        target.text_parts.append(text)
        return ""

    def _own(self, node: Node, rest: str) -> str:
        rest = rest.strip()
        if rest and (_LETTER.match(rest) and self._classify(_LETTER.match(rest).group(1))):  # type: ignore[union-attr]
            return rest  # "(a) (i) text": the next marker starts at once
        if rest:
            node.text_parts.append(rest)
        return ""

    def _paragraph_follows(self, number: str) -> bool:
        current = int(self.paragraph.number) if self.paragraph else 0
        return int(number) == current + 1

    def _classify(self, marker: str) -> str | None:
        next_letter = self._next_letter()
        next_roman = self._next_roman()
        is_letter = len(marker) == 1 and marker == next_letter
        is_roman = marker == next_roman
        if is_roman and is_letter:
            # "(i)" after "(h)" is a letter; inside an open letter it is a roman clause
            return (
                "subparagraph"
                if self.roman is None
                and next_letter == "i"
                and (self.letter is not None and not self.letter.children and self.letter.own_text)
                else "clause"
            )
        if is_roman:
            return "clause"
        if is_letter:
            return "subparagraph"
        if len(marker) == 1 and marker == "a":
            return "subparagraph"  # a new list restarts under the same parent
        return None


def segment_convention(doc: SourceDoc, instrument: Instrument) -> list[Clause]:
    roots: list[Node] = []
    paras = list(doc.paras)
    i = 0
    # title and preamble
    header = Node("header", "", "header", label_override="title")
    preamble = Node("preamble", "", "preamble", label_override="preamble")
    while i < len(paras) and not _ARTICLE.match(paras[i].text):
        para = paras[i]
        if para.heading and not header.text_parts:
            header.text_parts.append(para.text)
            header.page = para.page
        else:
            preamble.text_parts.append(_glue_recitals(para.text))
            preamble.page = preamble.page or para.page
        i += 1
    if header.text_parts:
        roots.append(header)
    if preamble.text_parts:
        roots.append(preamble)

    builder: _ArticleBuilder | None = None
    section: Node | None = None  # schedule or annex part
    annex: Node | None = None
    while i < len(paras):
        para = paras[i]
        i += 1
        art = _ARTICLE.match(para.text)
        if art and section is None:
            number = art.group(1) + (f" {art.group(2).lower()}" if art.group(2) else "")
            node = Node("article", number, "art-" + number.replace(" ", "-"), page=para.page)
            if i < len(paras) and _is_title(paras[i]):
                node.title = paras[i].text
                i += 1
            roots.append(node)
            builder = _ArticleBuilder(node)
            continue
        if _WITNESS.match(para.text):
            text = re.sub(r"(?<=[a-z])\.(?=[A-Z])", ". ", para.text)
            roots.append(
                Node(
                    "header",
                    "testimonium",
                    "testimonium",
                    [text],
                    page=para.page,
                    label_override="testimonium",
                )
            )
            builder = None
            continue
        starts_list = section is not None and _LIST_OF.match(para.text)
        if starts_list or (
            para.heading and (_SCHEDULES_START.match(para.text) or _SCHEDULE.search(para.text))
        ):
            builder = None
            sched = _SCHEDULE.search(para.text)
            if sched:
                number = sched.group(1)
                section = Node(
                    "schedule",
                    number,
                    f"schedule-{number.lower()}",
                    page=para.page,
                    label_override=f"Schedule {number}",
                )
                roots.append(section)
            elif para.text.lower().startswith("annex"):
                annex = Node("annex", "", "annex", page=para.page, label_override="Annex")
                roots.append(annex)
                section = annex
            else:
                section = Node(
                    "schedule", "", "schedules", [para.text], page=para.page, label_override="Schedules"
                )
                roots.append(section)
            continue
        if section is not None:
            if section is annex and para.table:
                _annex_tables(annex, para)
            else:
                section.text_parts.append(para.text)
            continue
        if builder is not None:
            builder.add(para)
        else:
            preamble.text_parts.append(para.text)
    return to_clauses(roots, instrument)


def _annex_tables(annex: Node, para: Para) -> None:
    """An annex printed as a table whose columns are "Table I", "Table II"."""
    rows = [r for r in para.table if r]
    head = next((r for r in rows if all(_TABLE.match(c) for c in r)), None)
    if head is None:
        annex.text_parts.append(para.text)
        return
    body = rows[rows.index(head) + 1 :]
    for col, name in enumerate(head):
        number = _TABLE.match(name).group(1).upper()  # type: ignore[union-attr]
        cells = [r[col] for r in body if col < len(r)]
        annex.children.append(
            Node(
                "schedule",
                f"Table {number}",
                f"table-{number.lower()}",
                cells,
                page=para.page,
                label_override=f"Table {number}",
            )
        )
