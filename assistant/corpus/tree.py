"""A small mutable tree used while segmenting; it becomes frozen Clauses at the end."""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant.corpus.source import SourceDoc
from assistant.types import Clause, Instrument

ROMAN = ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii", "xiii", "xiv")


@dataclass
class Node:
    kind: str
    number: str
    slug: str  # path segment of the clause id ("art-36", "para-1", "b")
    text_parts: list[str] = field(default_factory=list)
    children: list[Node] = field(default_factory=list)
    page: int | None = None
    title: str | None = None
    refs: list[str] = field(default_factory=list)
    label_override: str | None = None

    @property
    def own_text(self) -> str:
        return "\n".join(p for p in self.text_parts if p)

    def marker(self) -> str:
        if self.kind == "paragraph":
            return f"{self.number}."
        if self.kind in ("subparagraph", "clause"):
            return f"({self.number})"
        return ""

    def full_text(self) -> str:
        """Own words, then each child with its marker: the whole provision as printed."""
        lines = [self.own_text] if self.own_text else []
        for child in self.children:
            body = child.full_text()
            marker = child.marker()
            lines.append(f"{marker} {body}".strip() if marker else body)
        return "\n".join(line for line in lines if line)


def footnote_nodes(doc: SourceDoc) -> list[Node]:
    """One clause per footnote, in the order printed."""
    return [
        Node(
            "footnote",
            n.number,
            f"fn-{n.number}",
            [n.text],
            page=n.page,
            label_override=f"footnote {n.number}",
        )
        for n in doc.footnotes
    ]


def provision_label(path: list[Node]) -> str:
    """``art. 36(1)(b)``, ``art. 14 bis``, ``Schedule I``, ``preamble``."""
    out = ""
    for node in path:
        if node.label_override is not None:
            out = f"{out}, {node.label_override}" if out else node.label_override
        elif node.kind == "article":
            out = f"art. {node.number}"
        elif node.kind in ("paragraph", "subparagraph", "clause"):
            out += f"({node.number})"
    return out


def to_clauses(roots: list[Node], instrument: Instrument, prefix_label: str | None = None) -> list[Clause]:
    """Flatten the tree in document order; text, chapeau and labels computed here."""
    head = prefix_label or instrument.short_title
    clauses: list[Clause] = []

    def walk(node: Node, path: list[Node], parent_id: str | None, chapeau: list[str]) -> None:
        here = [*path, node]
        clause_id = "/".join([instrument.id, *(n.slug for n in here)])
        title = next((n.title for n in reversed(here) if n.title), None)
        clauses.append(
            Clause(
                clause_id=clause_id,
                instrument=instrument.id,
                label=f"{head}, {provision_label(here)}",
                locator=tuple((n.kind, n.number) for n in here),
                text=node.full_text(),
                page=node.page,
                references=tuple(dict.fromkeys(node.refs)),
                parent_id=parent_id,
                title=title,
                chapeau=" ".join(chapeau),
                has_children=bool(node.children),
            )
        )
        below = [*chapeau, node.own_text] if node.own_text and node.children else chapeau
        for child in node.children:
            walk(child, here, clause_id, below)

    for root in roots:
        walk(root, [], None, [])
    return clauses
