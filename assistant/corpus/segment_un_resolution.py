"""UN resolutions and declarations as officially printed (General Assembly, ECOSOC, their
commissions and congresses): the citable units of their text.

- the header: masthead, symbol, distribution, session, agenda item, title, the enacting formula
  ("The General Assembly,") and, where printed, the plenary meeting and date;
- preambular paragraphs (``pp-N``) and numbered operative paragraphs (``op-N``) with their
  lettered subparagraphs (``op-N/a``);
- an annex (``annex``; ``annex-ii`` when there are several) whose title is its own text, with
  its unnumbered opening paragraphs (``annex/pp-N``), its section headings (``annex/sec-i``,
  ``annex/sec-i-a``; the paragraphs under a heading carry it as their title) and its numbered
  paragraphs (``annex/para-N``, ``annex/para-N/a``), numbered on across sections as printed;
- footnotes (``fn-N``).

Labels start with the document's symbol: "A/RES/S-20/3, annex, para. 8". Page numbers, running
headers and footers and line numbers are removed by the reader before this step.
"""

from __future__ import annotations

import re

from assistant.corpus.source import Para, SourceDoc
from assistant.corpus.symbols import expected_symbols, squash
from assistant.corpus.tree import Node, footnote_nodes, to_clauses
from assistant.types import Clause, Instrument

_ENACTING = re.compile(
    r"^The (?:General Assembly|Economic and Social Council|Commission on [A-Z][\w ]{3,60}|Commission|"
    r"Security Council|Human Rights Council|Conference|Congress|Council)\b[^.]{0,80},?\s*$"
)
_NUMBERED = re.compile(r"^(\d{1,3})\.\s+(\S.*)$", re.DOTALL)
_SUB = re.compile(r"^\(([a-z]{1,2})\)\s*(.*)$", re.DOTALL)
_ANNEX = re.compile(r"^Annex(?:\s+([IVX]{1,5}|\d{1,2}))?\.?$", re.IGNORECASE)
_SECTION = re.compile(r"^([IVX]{1,6}|[A-Z])\.\s+(\S.*)$")
_ROMAN = re.compile(r"^[IVX]{1,6}$")
_MEETING = re.compile(r"^\d{1,3}(?:st|nd|rd|th) plenary meeting\b", re.IGNORECASE)
_DATE = re.compile(r"^\d{1,2} [A-Z][a-z]+ \d{4}$")


def looks_like_un_resolution(doc: SourceDoc) -> bool:
    """An enacting formula, then numbered paragraphs: the form of a UN resolution."""
    at = next((i for i, p in enumerate(doc.paras) if _ENACTING.match(p.text)), None)
    return at is not None and any(_NUMBERED.match(p.text) for p in doc.paras[at + 1 :])


def label_prefix(doc: SourceDoc, instrument: Instrument) -> str:
    """The symbol the labels start with: the one the document carries, when it is one of the
    instrument's symbols; else the instrument's first symbol; else its short title."""
    symbols = expected_symbols(instrument)
    printed = doc.metadata.get("symbol", "")
    if printed and any(squash(printed) == squash(s) for s in symbols):
        return printed
    head = squash(" ".join(p.text for p in doc.paras[:12]))
    found = next((s for s in symbols if squash(s) in head), None)
    return found or (symbols[0] if symbols else instrument.short_title)


class _Builder:
    def __init__(self, instrument: Instrument) -> None:
        self.inst = instrument
        self.roots: list[Node] = []
        self.header = Node("header", "", "header", label_override="header")
        self.roots.append(self.header)
        self.preamble = 0
        self.op: Node | None = None
        self.annex: Node | None = None
        self.annexes = 0
        self.in_title = False  # the headings right after "Annex" are its title
        self.annex_pp = 0
        self.para: Node | None = None  # the numbered paragraph (or annex opening) last seen
        self.section: Node | None = None
        self.roman: str | None = None  # the enclosing roman-numbered section
        self.letter: str | None = None  # the last lettered section under it
        self.sections = 0
        self.meeting = False

    def refs(self, para: Para) -> list[str]:
        return [f"{self.inst.id}/fn-{n}" for n in para.footnote_refs]

    def add(self, para: Para) -> None:
        text = para.text
        annex = _ANNEX.match(text)
        if annex:
            self.start_annex(annex.group(1), para.page)
            return
        if self.annex is not None:
            self.add_to_annex(para)
            return
        if _MEETING.match(text) or (self.meeting and _DATE.match(text)):
            self.meeting = True
            self.header.text_parts.append(text)
            return
        numbered = _NUMBERED.match(text)
        if numbered:
            number, rest = numbered.groups()
            self.op = Node(
                "operative",
                number,
                f"op-{number}",
                [rest],
                page=para.page,
                refs=self.refs(para),
                label_override=f"operative para. {number}",
                title=self.section.title if self.section else None,
            )
            self.roots.append(self.op)
            return
        sub = _SUB.match(text)
        if sub and self.op is not None:
            letter, rest = sub.groups()
            self.op.children.append(
                Node("subparagraph", letter, letter, [rest], page=para.page, refs=self.refs(para))
            )
            return
        if para.heading and _SECTION.match(text):
            self.roots.append(self.new_section(para))
            return
        if self.op is not None:
            self.op.text_parts.append(text)
            self.op.refs.extend(self.refs(para))
            return
        self.preamble += 1
        self.roots.append(
            Node(
                "preamble",
                str(self.preamble),
                f"pp-{self.preamble}",
                [text],
                page=para.page,
                refs=self.refs(para),
                label_override=f"preambular para. {self.preamble}",
            )
        )

    def start_annex(self, number: str | None, page: int | None) -> None:
        self.annexes += 1
        number = (number or "").upper()
        slug = (
            f"annex-{number.lower()}"
            if number
            else ("annex" if self.annexes == 1 else f"annex-{self.annexes}")
        )
        self.annex = Node(
            "annex", number, slug, page=page, label_override=f"annex {number}" if number else "annex"
        )
        self.roots.append(self.annex)
        self.in_title = True
        self.annex_pp = 0
        self.para = self.section = None
        self.roman = self.letter = None

    def new_section(self, para: Para) -> Node:
        match = _SECTION.match(para.text)
        if match:
            number, heading = match.groups()
            # "I." after "H." is the next letter, not a roman one
            follows = self.letter is not None and len(number) == 1 and ord(number) == ord(self.letter) + 1
            if _ROMAN.match(number) and not follows:
                self.roman, self.letter, full = number, None, number
            else:
                self.letter = number
                full = f"{self.roman}.{number}" if self.roman else number
        else:
            self.sections += 1
            full, heading = str(self.sections), para.text
        self.section = Node(
            "section",
            full,
            "sec-" + full.lower().replace(".", "-"),
            [para.text],
            page=para.page,
            title=heading,
            label_override=f"section {full}",
        )
        return self.section

    def add_to_annex(self, para: Para) -> None:
        assert self.annex is not None
        text = para.text
        if para.heading and self.in_title and not _SECTION.match(text):
            self.annex.text_parts.append(text)
            return
        self.in_title = False
        if para.heading:
            self.annex.children.append(self.new_section(para))
            self.para = None
            return
        numbered = _NUMBERED.match(text)
        title = self.section.title if self.section else None
        if numbered:
            number, rest = numbered.groups()
            self.para = Node(
                "paragraph",
                number,
                f"para-{number}",
                [rest],
                page=para.page,
                refs=self.refs(para),
                label_override=f"para. {number}",
                title=title,
            )
            self.annex.children.append(self.para)
            return
        sub = _SUB.match(text)
        if sub and self.para is not None:
            letter, rest = sub.groups()
            self.para.children.append(
                Node("subparagraph", letter, letter, [rest], page=para.page, refs=self.refs(para))
            )
            return
        if self.para is not None and self.para.kind == "paragraph":
            self.para.text_parts.append(text)
            self.para.refs.extend(self.refs(para))
            return
        self.annex_pp += 1
        self.para = Node(
            "preamble",
            str(self.annex_pp),
            f"pp-{self.annex_pp}",
            [text],
            page=para.page,
            refs=self.refs(para),
            label_override=f"preambular para. {self.annex_pp}",
            title=title,
        )
        self.annex.children.append(self.para)


def _unique(nodes: list[Node]) -> None:
    """Ids stay unique where a long document numbers its paragraphs (or notes) afresh in each
    part: the second "1." of a parent becomes ``para-1-2``, labelled "para. 1 (series 2)"."""
    seen: dict[str, int] = {}
    for node in nodes:
        count = seen[node.slug] = seen.get(node.slug, 0) + 1
        if count > 1:
            node.slug = f"{node.slug}-{count}"
            if node.label_override is not None:
                node.label_override = f"{node.label_override} (series {count})"
            else:
                node.number = f"{node.number}-{count}"
        _unique(node.children)


def segment_un_resolution(doc: SourceDoc, instrument: Instrument) -> list[Clause]:
    paras = list(doc.paras)
    start = next((i for i, p in enumerate(paras) if _ENACTING.match(p.text)), None)
    if start is None:  # no enacting formula: the headings that open the document are its header
        start = next((i for i, p in enumerate(paras) if not p.heading), len(paras)) - 1
    builder = _Builder(instrument)
    builder.header.text_parts = [p.text for p in paras[: start + 1]]
    builder.header.page = paras[0].page if paras else None
    for para in paras[start + 1 :]:
        builder.add(para)
    roots = [r for r in builder.roots if r.text_parts or r.children or r.kind != "header"]
    roots.extend(footnote_nodes(doc))
    _unique(roots)
    return to_clauses(roots, instrument, prefix_label=label_prefix(doc, instrument))
