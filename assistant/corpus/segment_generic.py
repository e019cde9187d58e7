"""Documents of no known form: each paragraph becomes a clause, headings become titles."""

from __future__ import annotations

from assistant.corpus.source import SourceDoc
from assistant.corpus.tree import Node, footnote_nodes, to_clauses
from assistant.types import Clause, Instrument


def segment_paragraphs(doc: SourceDoc, instrument: Instrument) -> list[Clause]:
    roots: list[Node] = []
    title: str | None = None
    for para in doc.paras:
        if para.heading:
            title = para.text
            continue
        n = str(len(roots) + 1)
        roots.append(
            Node(
                "paragraph",
                n,
                f"para-{n}",
                [para.text],
                page=para.page,
                title=title,
                label_override=f"para. {n}",
            )
        )
    roots.extend(footnote_nodes(doc))
    return to_clauses(roots, instrument)
