"""Resolutions: header, preambular paragraphs, operative paragraphs, footnotes."""

from __future__ import annotations

import re

from assistant.corpus.source import SourceDoc
from assistant.corpus.tree import Node, footnote_nodes, to_clauses
from assistant.types import Clause, Instrument

_ENACTING = re.compile(
    r"^The (Commission|General Assembly|Economic and Social Council|Council|Conference|"
    r"Security Council|Human Rights Council)\b[^.]{0,80},\s*$"
)
_OPERATIVE = re.compile(r"^(\d{1,2})\.\s+(\S.*)$", re.DOTALL)
_SUB = re.compile(r"^\(([a-z])\)\s*(.*)$", re.DOTALL)


def looks_like_resolution(doc: SourceDoc) -> bool:
    return any(_ENACTING.match(p.text) for p in doc.paras)


def segment_resolution(doc: SourceDoc, instrument: Instrument) -> list[Clause]:
    paras = list(doc.paras)
    start = next((i for i, p in enumerate(paras) if _ENACTING.match(p.text)), 0)
    roots: list[Node] = []
    header = Node("header", "", "header", label_override="header")
    header.text_parts = [p.text for p in paras[: start + 1]]
    header.page = paras[0].page if paras else None
    roots.append(header)

    preamble_no = 0
    current_op: Node | None = None
    for para in paras[start + 1 :]:
        refs = [f"{instrument.id}/fn-{n}" for n in para.footnote_refs]
        op = _OPERATIVE.match(para.text)
        if op:
            number, text = op.groups()
            current_op = Node(
                "operative",
                number,
                f"op-{number}",
                [text],
                page=para.page,
                refs=refs,
                label_override=f"operative para. {number}",
            )
            roots.append(current_op)
            continue
        sub = _SUB.match(para.text)
        if sub and current_op is not None:
            letter, text = sub.groups()
            current_op.children.append(
                Node("subparagraph", letter, letter, [text], page=para.page, refs=refs)
            )
            continue
        if current_op is not None:
            current_op.text_parts.append(para.text)
            current_op.refs.extend(refs)
            continue
        preamble_no += 1
        roots.append(
            Node(
                "preamble",
                str(preamble_no),
                f"pp-{preamble_no}",
                [para.text],
                page=para.page,
                refs=refs,
                label_override=f"preambular para. {preamble_no}",
            )
        )
    roots.extend(footnote_nodes(doc))
    return to_clauses(roots, instrument)
