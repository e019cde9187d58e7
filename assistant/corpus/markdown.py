"""Markdown and plain-text sources as they are: front matter, notes, page breaks, footnotes."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from assistant.corpus.source import Footnote, Para, SourceDoc, clean_inline, starts_continuation
from assistant.errors import SourceError

_FOOTNOTE = re.compile(r"^\s*<sup>\s*(\d+)\s*</sup>\s*(.*)$")
_RULE = re.compile(r"^\s*(?:-{3,}|\*{3,}|_{3,})\s*$")
_HEADING = re.compile(r"^\s*(#{1,6})\s*(.*?)\s*#*\s*$")
_EDITORIAL = re.compile(r"^\s*\[(?:EDITORIAL NOTE|GAP)\b", re.IGNORECASE)


def read_text_file(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    if not data.strip():
        raise SourceError(f"{path}: the file is empty")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceError(
            f"{path}: not UTF-8 text (byte {exc.start}: {data[exc.start : exc.start + 1]!r});"
            " save it as UTF-8"
        ) from exc


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        return {}, text
    for end in range(1, len(lines)):
        if lines[end].strip() == "---":
            try:
                meta = yaml.safe_load("\n".join(lines[1:end])) or {}
            except yaml.YAMLError:
                return {}, text
            if not isinstance(meta, dict):
                return {}, text
            return {str(k): str(v) for k, v in meta.items()}, "\n".join(lines[end + 1 :])
    return {}, text


def _table_row(line: str) -> tuple[str, ...]:
    cells = [clean_inline(cell)[0] for cell in line.strip().strip("|").split("|")]
    return tuple(c for c in cells if c and not re.fullmatch(r":?-{2,}:?", c))


def parse_markdown(text: str, name: str) -> SourceDoc:
    """Turn Markdown into paragraphs, footnotes and (when it has them) printed pages.

    A ``---`` rule followed by footnotes (``<sup>N</sup> ...``) is the foot of a printed
    page: the page ends after those footnotes.  A paragraph that opens the next page in lower
    case carries on the paragraph the break cut.
    """
    meta, body = split_front_matter(text)
    lines = body.splitlines()
    paged = any(_RULE.match(line) and _next_is_footnote(lines, i) for i, line in enumerate(lines))
    page = 1 if paged else None
    paras: list[Para] = []
    footnotes: list[Footnote] = []
    in_footnotes = False
    new_page = False
    table: list[tuple[str, ...]] = []

    def flush_table() -> None:
        if table:
            rows = tuple(r for r in table if r)
            if rows:
                text = "\n".join(" | ".join(r) for r in rows)
                paras.append(Para(text=text, page=page, table=rows))
            table.clear()

    for i, line in enumerate(lines):
        stripped = line.strip()
        if stripped.startswith("|"):
            table.append(_table_row(stripped))
            continue
        flush_table()
        if not stripped:
            continue
        if _RULE.match(stripped):
            in_footnotes = _next_is_footnote(lines, i)
            continue
        note = _FOOTNOTE.match(stripped)
        if note and in_footnotes:
            footnotes.append(Footnote(note.group(1), clean_inline(note.group(2))[0], page))
            continue
        if in_footnotes:
            # the first line after a page's footnotes opens the next page
            in_footnotes = False
            if page is not None:
                page += 1
            new_page = True
        if _EDITORIAL.match(stripped):
            continue
        heading = _HEADING.match(stripped)
        is_heading = heading is not None
        raw = heading.group(2) if heading else stripped
        clean, refs = clean_inline(raw)
        if not clean:
            continue
        if new_page and paras and not is_heading and starts_continuation(clean):
            prev = paras[-1]
            paras[-1] = Para(
                text=f"{prev.text} {clean}",
                page=prev.page,
                heading=prev.heading,
                footnote_refs=prev.footnote_refs + refs,
            )
        else:
            paras.append(Para(text=clean, page=page, heading=is_heading, footnote_refs=refs))
        new_page = False
    flush_table()
    return SourceDoc(name=name, paras=tuple(paras), footnotes=tuple(footnotes), metadata=meta, paged=paged)


def _next_is_footnote(lines: list[str], i: int) -> bool:
    for line in lines[i + 1 :]:
        if line.strip():
            return bool(_FOOTNOTE.match(line))
    return False


def read_markdown(path: Path) -> SourceDoc:
    return parse_markdown(read_text_file(path), path.name)
