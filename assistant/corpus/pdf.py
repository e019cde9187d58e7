"""PDF sources: pypdf's text with its position and font, rebuilt into the paragraphs of a page.

pypdf reports each run of text with the matrices and the font it is drawn with (its
``visitor_text``).  From those runs this reader rebuilds what the Markdown reader gives:

- lines: runs on one baseline (a superscript sits a little above it) in reading order;
- line numbers in the margin (a column of numbers, rising down the page, each beside a line
  of text and standing apart from all of it) are dropped;
- running headers and footers, each standing apart at the top or foot of the page: the
  document symbol, a page number, a line that recurs on most pages (numbers aside), a line
  that carries the page number in the same place page after page;
- footnote markers: digits in a smaller font or above the baseline inside a line of text
  (``Para.footnote_refs``);
- footnotes: the lines in a smaller font at the foot of a page, each opening with its number
  (a superscript, or the next number in sequence);
- paragraphs: lines with no more than the usual leading between them; a change between
  headings (bold or a larger font) and text also starts a new paragraph;
- tables: lines whose runs stand in separate columns; a row ends where the step to the next
  line is larger than inside a cell, and each column's lines make one cell;
- a word broken after its hyphen at the end of a line is joined without a space;
- a paragraph that a page break (and the footnotes below it) cut is joined again when the next
  page opens in lower case, or, in a document whose paragraphs open with an indented line,
  when the next page opens flush with the margin.

``Para.page`` and ``Footnote.page`` are 1-based PDF page numbers (not printed page labels).
"""

from __future__ import annotations

import itertools
import logging
import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.corpus.source import Footnote, Para, SourceDoc, starts_continuation
from assistant.errors import SourceError


def _pdf_font_class() -> Any:
    """pypdf's font metrics (a private module): glyph widths tell table columns apart."""
    try:
        from pypdf.generic import _font

        return _font.Font
    except (ImportError, AttributeError):  # pragma: no cover - another pypdf version
        return None


_PdfFont = _pdf_font_class()

_SYMBOL = re.compile(r"^[A-Z]{1,10}(?:\.\d+)?(?:/[A-Za-z0-9.\-]+)+$")
_PAGE_NUMBER = re.compile(r"^(?:page\s+)?[-–—]?\s*\d{1,4}\s*[-–—]?(?:\s*(?:/|of)\s*\d{1,4})?$", re.IGNORECASE)
_MARKER = re.compile(r"^\s*\d{1,3}(?:\s*,\s*\d{1,3})*\s*$")
_NOTE_START = re.compile(r"^(\d{1,3})[.)]?\s+(\S.*)$")
_BOLD_NAME = re.compile(r"bold|black|heavy|semibold|demi", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\u00a0]+")

# Proportions of the font size (or the leading) that tell the layout apart.
_SMALL = 0.92  # a footnote line's font is smaller than the body font
_MARKER_SMALL = 0.85  # a footnote marker's font is smaller than its line's font
_LARGE = 1.15  # a heading may be set in a larger font instead of bold
_PARA_GAP = 1.25  # more than this many times the leading between lines: a new paragraph
_TABLE_GAP = 1.5  # lines of a table may stand a little further apart (cell padding)
_SEPARATED = 1.6  # a running header or footer stands this far from the text
_CELL_GAP = 1.0  # runs this far apart (in font sizes) on one line are table cells


@dataclass
class _Run:
    text: str
    x: float
    y: float
    size: float
    bold: bool
    width: float


@dataclass
class _Line:
    page: int
    y: float
    runs: list[_Run]
    size: float = 0.0
    x: float = 0.0
    text: str = ""
    refs: tuple[str, ...] = ()
    cells: tuple[tuple[float, str], ...] = ()  # (x, text) of each table cell on the line
    styled: bool = False  # set as a heading: bold, or larger than the body text
    table: bool = False


@dataclass
class _Block:
    """A paragraph (or a table) as found on one page, before page breaks are undone."""

    page: int
    lines: list[_Line]
    heading: bool = False
    table: bool = False
    rows: list[tuple[str, ...]] = field(default_factory=list)

    @property
    def text(self) -> str:
        return _normalise(_join_lines(line.text for line in self.lines))

    @property
    def refs(self) -> tuple[str, ...]:
        return tuple(ref for line in self.lines for ref in line.refs)


def read_pdf(path: Path) -> SourceDoc:
    """Read a PDF into paragraphs, footnotes and pages; ``SourceError`` names the file."""
    quiet = logging.getLogger("pypdf")
    level = quiet.level
    quiet.setLevel(logging.ERROR)  # pypdf warns about every repaired fault; errors say enough
    try:
        reader = _open(path)
        pages = _extract_runs(reader)
        metadata = _metadata(reader)
    except SourceError:
        raise
    except Exception as exc:
        raise SourceError(
            f"{path}: the PDF is damaged and its text cannot be extracted ({type(exc).__name__}: {exc})"
        ) from exc
    finally:
        quiet.setLevel(level)
    if not any(run.text.strip() for runs in pages for run in runs):
        raise SourceError(
            f"{path}: the PDF has no text layer (scanned pages?); run OCR on it or provide a text version"
        )
    try:
        return _Layout(path, pages, metadata).source_doc()
    except Exception as exc:  # a layout this reader does not foresee: still the user's file
        raise SourceError(
            f"{path}: the text of the PDF could not be put in order ({type(exc).__name__}: {exc})"
        ) from exc


def _open(path: Path) -> Any:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError

    try:
        size = path.stat().st_size
    except OSError as exc:
        raise SourceError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    if not path.is_file():
        raise SourceError(f"{path}: not a file")
    if size == 0:
        raise SourceError(f"{path}: the file is empty (0 bytes)")
    try:
        reader = PdfReader(path, strict=False)
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")
            except (DependencyError, NotImplementedError) as exc:
                raise SourceError(
                    f"{path}: PDF is encrypted with a method this installation cannot open"
                    f" ({exc}); provide an unencrypted copy"
                ) from exc
            if not opened:
                raise SourceError(
                    f"{path}: PDF is encrypted (password-protected); provide an unencrypted copy"
                )
        count = len(reader.pages)
    except SourceError:
        raise
    except FileNotDecryptedError as exc:
        raise SourceError(
            f"{path}: PDF is encrypted (password-protected); provide an unencrypted copy"
        ) from exc
    except Exception as exc:
        raise SourceError(
            f"{path}: not a readable PDF, the file is damaged or not a PDF ({type(exc).__name__}: {exc})"
        ) from exc
    if count == 0:
        raise SourceError(f"{path}: the PDF has no pages")
    return reader


def _metadata(reader: Any) -> dict[str, str]:
    info = reader.metadata
    meta: dict[str, str] = {}
    if info is not None:
        title = str(info.title or "").strip()
        if title and title.lower() not in {"untitled", "anonymous"}:
            meta["title"] = title
    return meta


def _mult(m: list[float], n: list[float]) -> list[float]:
    """The product of two PDF matrices [a b c d e f]: ``m`` applied first, then ``n``."""
    return [
        m[0] * n[0] + m[1] * n[2],
        m[0] * n[1] + m[1] * n[3],
        m[2] * n[0] + m[3] * n[2],
        m[2] * n[1] + m[3] * n[3],
        m[4] * n[0] + m[5] * n[2] + n[4],
        m[4] * n[1] + m[5] * n[3] + n[5],
    ]


def _extract_runs(reader: Any) -> list[list[_Run]]:
    fonts: dict[int, tuple[Any, bool, _Metrics | None]] = {}

    def font_info(font: Any) -> tuple[bool, _Metrics | None]:
        key = id(font)
        if key not in fonts:  # the font is kept in the cache, so its id is not reused
            fonts[key] = (font, _is_bold(font), _font_metrics(font))
        return fonts[key][1], fonts[key][2]

    pages: list[list[_Run]] = []
    for page in reader.pages:
        runs: list[_Run] = []

        def visit(text: Any, cm: Any, tm: Any, font: Any, size: Any, runs: list[_Run] = runs) -> None:
            text = str(text).replace("\r", "").replace("\n", "")
            if not text:
                return
            m = _mult([float(v) for v in tm], [float(v) for v in cm])
            scale = math.hypot(m[2], m[3])
            height = float(size or 0) * scale
            if height <= 0 or m[3] <= 0:
                return
            bold, metrics = font_info(font)
            runs.append(_Run(text, m[4], m[5], height, bold, _width(metrics, text, height)))

        page.extract_text(orientations=(0,), visitor_text=visit)
        pages.append(runs)
    return pages


def _is_bold(font: Any) -> bool:
    if font is None:
        return False
    try:
        if _BOLD_NAME.search(str(font.get("/BaseFont", ""))):
            return True
        descriptor = font.get("/FontDescriptor")
        if descriptor is None and "/DescendantFonts" in font:
            descendants = font["/DescendantFonts"].get_object()
            descriptor = descendants[0].get_object().get("/FontDescriptor")
        if descriptor is not None:
            descriptor = descriptor.get_object()
            weight = descriptor.get("/FontWeight")
            if isinstance(weight, (int, float)) and weight >= 600:
                return True
            flags = descriptor.get("/Flags")
            if isinstance(flags, int) and flags & (1 << 18):  # ForceBold
                return True
    except Exception:  # a malformed font dictionary is simply not bold
        return False
    return False


@dataclass
class _Metrics:
    """Glyph widths of a font, looked up by the Unicode text pypdf gives."""

    widths: dict[str, float]
    default: float
    raw: dict[str, str]  # Unicode character -> character code in the font

    def width(self, text: str) -> float:
        total = 0.0
        for ch in text:
            width = self.widths.get(self.raw.get(ch, ch))
            total += width if width is not None else self.widths.get(ch, self.default)
        return total


def _font_metrics(font: Any) -> _Metrics | None:
    if font is None or _PdfFont is None:
        return None
    try:
        pdf_font = _PdfFont.from_font_resource(font)
        raw: dict[str, str] = {}
        if isinstance(pdf_font.encoding, dict):
            raw.update({str(u): chr(code) for code, u in pdf_font.encoding.items()})
        raw.update({str(u): str(c) for c, u in (pdf_font.character_map or {}).items()})
        widths = {str(k): float(v) for k, v in pdf_font.character_widths.items()}
        return _Metrics(widths, widths.get("default", 500.0), raw)
    except Exception:
        return None


def _width(metrics: _Metrics | None, text: str, size: float) -> float:
    if metrics is None:
        return 0.5 * size * len(text)
    return metrics.width(text) * size / 1000


def _normalise(text: str) -> str:
    text = _SPACES.sub(" ", text).strip()
    return re.sub(r" ([,;:.])(?=\s|$)", r"\1", text)


def _join_lines(texts: Iterable[str]) -> str:
    """Join wrapped lines with one space; a word broken after its hyphen is joined whole."""
    out = ""
    for text in texts:
        text = text.strip()
        if not text:
            continue
        if not out:
            out = text
        elif re.search(r"[^\s-]-$", out):
            out += text
        else:
            out += " " + text
    return out


def _mode(values: Iterable[float], default: float) -> float:
    counts = Counter(round(v, 1) for v in values)
    return counts.most_common(1)[0][0] if counts else default


class _Layout:
    def __init__(self, path: Path, pages: list[list[_Run]], metadata: dict[str, str]) -> None:
        self.path = path
        self.metadata = metadata
        self.pages = [self._lines(i + 1, _without_line_numbers(runs)) for i, runs in enumerate(pages)]
        sizes: Counter[float] = Counter()
        for lines in self.pages:
            for line in lines:
                for run in line.runs:
                    sizes[round(run.size, 1)] += len(run.text.strip())
        self.body_size = sizes.most_common(1)[0][0] if sizes else 10.0
        self.leading = self._leading()
        self._strip_running_lines()
        for lines in self.pages:
            for line in lines:
                self._read_line(line)
        self.leading = self._leading()

    # lines ------------------------------------------------------------------------------

    @staticmethod
    def _lines(page: int, runs: list[_Run]) -> list[_Line]:
        lines: list[_Line] = []
        for run in runs:
            home, best = None, math.inf
            for line in reversed(lines):  # the nearest baseline; the latest line on a tie
                off = abs(run.y - line.y)
                if off <= 0.45 * max(run.size, line.size) and off < best:
                    home, best = line, off
            if home is None:
                if not run.text.strip():
                    continue  # a space pypdf reported apart from any text
                home = _Line(page, run.y, [], size=run.size)
                lines.append(home)
            home.runs.append(run)
            if run.text.strip() and run.size > home.size:
                home.size = run.size
                home.y = run.y
        for line in lines:
            line.runs.sort(key=lambda r: r.x)  # stable: runs of one text object keep their order
            line.x = min(r.x for r in line.runs if r.text.strip())
            line.size = _main_size(line.runs)
            line.text = _line_text(line.runs)
        lines.sort(key=lambda ln: -ln.y)
        return lines

    def _leading(self) -> float:
        steps = []
        for lines in self.pages:
            for a, b in itertools.pairwise(lines):
                if abs(a.size - self.body_size) < 0.2 and abs(b.size - self.body_size) < 0.2:
                    step = a.y - b.y
                    if 0.9 * self.body_size <= step <= 2.5 * self.body_size:
                        steps.append(step)
        if not steps:
            return 1.2 * self.body_size
        # the smallest step that is common: paragraph breaks and headings only add to it
        counts = Counter(round(s * 2) / 2 for s in steps)
        common = [step for step, n in counts.items() if n >= max(2, 0.15 * len(steps))]
        return min(common) if common else counts.most_common(1)[0][0]

    def _strip_running_lines(self) -> None:
        """Drop running headers and footers: symbol, page numbers, lines repeated page after page."""
        gap = _SEPARATED * self.leading

        def candidates(lines: list[_Line]) -> list[tuple[int, bool]]:
            found: list[tuple[int, bool]] = []
            for i in range(min(2, len(lines))):
                below = lines[i + 1].y if i + 1 < len(lines) else None
                if below is None or lines[i].y - below > gap:
                    found.append((i, True))
            for i in range(max(0, len(lines) - 2), len(lines)):
                above = lines[i - 1].y if i > 0 else None
                if (above is None or above - lines[i].y > gap) and (i, True) not in found:
                    found.append((i, False))
            return found

        def key(line: _Line) -> tuple[str, int]:
            return re.sub(r"\d+", "#", line.text.strip()), round(line.y / 3)

        def folio(page: int, line: _Line) -> tuple[int, int] | None:
            """A page number opening or closing the line: (place, PDF page - printed page)."""
            found = re.match(r"^(\d{1,4})\s+\S|.*\S\s+(\d{1,4})$", line.text.strip())
            if found is None:
                return None
            return round(line.y / 3), page - int(found.group(1) or found.group(2))

        seen: Counter[tuple[str, int]] = Counter()
        folios: Counter[tuple[int, int]] = Counter()
        for p, lines in enumerate(self.pages):
            for k in {key(lines[i]) for i, _ in candidates(lines)}:
                seen[k] += 1
            for f in {folio(p, lines[i]) for i, _ in candidates(lines)}:
                if f is not None:
                    folios[f] += 1
        repeated = max(2, math.ceil(len(self.pages) / 2))
        numbered = max(3, math.ceil(len(self.pages) / 4))  # pages whose headers carry the folio
        symbols: Counter[str] = Counter()
        for p, lines in enumerate(self.pages):
            drop = set()
            for i, top in candidates(lines):
                text = lines[i].text.strip()
                if top and _SYMBOL.match(text):
                    symbols[text] += 1
                    drop.add(i)
                elif (
                    _PAGE_NUMBER.match(text)
                    or seen[key(lines[i])] >= repeated
                    or folios[folio(p, lines[i]) or (0, -(10**6))] >= numbered
                ):
                    drop.add(i)
            self.pages[p] = [line for i, line in enumerate(lines) if i not in drop]
        if symbols:
            self.metadata.setdefault("symbol", symbols.most_common(1)[0][0])

    def _read_line(self, line: _Line) -> None:
        """Markers out of the text, heading style, table cells."""
        size = line.size
        refs: list[str] = []
        kept: list[_Run] = []
        for run in line.runs:
            small = run.size < _MARKER_SMALL * size
            raised = run.y - line.y > 0.2 * size  # a superscript set by moving the baseline
            if (small or raised) and _MARKER.match(run.text) and kept:
                refs.extend(n.strip() for n in run.text.split(",") if n.strip())
            else:
                kept.append(run)
        if refs:
            line.refs = tuple(refs)
            line.text = _line_text(kept)
        text_runs = [r for r in kept if r.text.strip()]
        line.styled = bool(text_runs) and (all(r.bold for r in text_runs) or size >= _LARGE * self.body_size)
        cells: list[list[_Run]] = []
        end = -math.inf
        for run in kept:
            if not cells or (run.text.strip() and run.x > end + _CELL_GAP * run.size):
                cells.append([run])
            else:
                cells[-1].append(run)
            if run.text.strip():
                end = max(end, run.x + run.width)
        line.cells = tuple((c[0].x, _normalise(_line_text(c))) for c in cells if _line_text(c).strip())

    # pages ------------------------------------------------------------------------------

    def _expected_step(self, a: _Line, b: _Line) -> float:
        return self.leading * max(a.size, b.size) / self.body_size

    def _mark_tables(self, lines: list[_Line]) -> None:
        for line in lines:
            line.table = len(line.cells) >= 2
        changed = True
        while changed:
            changed = False
            for i, line in enumerate(lines):
                if line.table or line.styled:
                    continue
                for j in (i - 1, i + 1):
                    if 0 <= j < len(lines) and lines[j].table:
                        other = lines[j]
                        step = abs(other.y - line.y)
                        if abs(other.size - line.size) < 0.2 and step <= _TABLE_GAP * self._expected_step(
                            line, other
                        ):
                            line.table = changed = True
                            break
        # one line with a wide gap (a loose justified line, a tab) is not a table
        run: list[_Line] = []
        for i in range(len(lines) + 1):
            if i < len(lines) and lines[i].table:
                run.append(lines[i])
                continue
            if sum(len(ln.cells) >= 2 for ln in run) < 2:
                for ln in run:
                    ln.table = False
            run = []

    def _footnote_start(self, lines: list[_Line], last: int | None) -> int:
        """Index of the first footnote line at the foot of the page (len(lines) if none)."""
        start = len(lines)
        while start > 0 and lines[start - 1].size < _SMALL * self.body_size and not (lines[start - 1].table):
            start -= 1
        for i in range(start, len(lines)):
            if self._note_number(lines[i], _first_numbers(last)) is not None:
                return i
        return len(lines)

    @staticmethod
    def _note_number(line: _Line, expected: set[int]) -> tuple[str, str] | None:
        """(number, text) when the line opens a footnote: a superscript number, or a plain
        number that is the one expected (the next in sequence; 1 when numbering restarts)."""
        runs = [r for r in line.runs if r.text.strip()]
        if not runs:
            return None
        first = runs[0]
        if (
            re.fullmatch(r"\d{1,3}", first.text.strip())
            and len(runs) > 1
            and first.size < _MARKER_SMALL * line.size
        ):
            return first.text.strip(), _line_text(runs[1:])
        match = _NOTE_START.match(_SPACES.sub(" ", line.text).strip())
        if match and int(match.group(1)) in expected:
            return match.group(1), match.group(2)
        return None

    def _blocks(self, page: int, lines: list[_Line]) -> list[_Block]:
        blocks: list[_Block] = []
        prev: _Line | None = None
        for line in lines:
            if not line.text.strip():
                continue
            block = blocks[-1] if blocks else None
            new = (
                block is None
                or prev is None
                or line.table != block.table
                or line.styled != block.heading
                or prev.y - line.y
                > (_TABLE_GAP if line.table else _PARA_GAP) * self._expected_step(prev, line)
                or prev.y < line.y
            )
            if new:
                blocks.append(_Block(page, [line], heading=line.styled, table=line.table))
            else:
                assert block is not None
                block.lines.append(line)
            prev = line
        for block in blocks:
            if block.table:
                block.rows = _table_rows(block.lines)
        return blocks

    def source_doc(self) -> SourceDoc:
        footnotes: list[Footnote] = []
        pages: list[list[_Block]] = []
        for page_no, lines in enumerate(self.pages, start=1):
            for line in lines:
                line.table = False
            self._mark_tables(lines)
            last = _last_number(footnotes)
            cut = self._footnote_start(lines, last)
            self._read_footnotes(page_no, lines[cut:], footnotes)
            pages.append(self._blocks(page_no, lines[:cut]))
        indented = self._uses_indent(pages)
        margin = _mode(
            (ln.x for blocks in pages for b in blocks if not (b.heading or b.table) for ln in b.lines[1:]),
            0.0,
        )
        out: list[_Block] = []
        for blocks in pages:
            for i, block in enumerate(blocks):
                if i == 0 and out and self._carries_on(out[-1], block, indented, margin):
                    out[-1].lines.extend(block.lines)
                    out[-1].rows.extend(block.rows)
                else:
                    out.append(block)
        paras: list[Para] = []
        for block in out:
            if block.table:
                rows = tuple(r for r in block.rows if r)
                text = "\n".join(" | ".join(r) for r in rows)
                if text:
                    paras.append(Para(text=text, page=block.page, table=rows))
                continue
            text = block.text
            if text:
                paras.append(
                    Para(text=text, page=block.page, heading=block.heading, footnote_refs=block.refs)
                )
        return SourceDoc(
            name=self.path.name,
            paras=tuple(paras),
            footnotes=tuple(footnotes),
            metadata=self.metadata,
            paged=True,
        )

    def _read_footnotes(self, page: int, lines: list[_Line], notes: list[Footnote]) -> None:
        number: str | None = None
        parts: list[str] = []

        def flush() -> None:
            if number is not None:
                notes.append(Footnote(number, _normalise(_join_lines(parts)), page))

        for line in lines:
            if number is None:
                expected = _first_numbers(_last_number(notes))
            else:
                expected = {int(number) + 1} if number.isdigit() else set()
            start = self._note_number(line, expected)
            if start is not None:
                flush()
                number, parts = start[0], [start[1]]
            elif number is not None:
                parts.append(line.text)
        flush()

    @staticmethod
    def _uses_indent(pages: list[list[_Block]]) -> bool:
        indented = flush = 0
        for blocks in pages:
            for block in blocks:
                if block.heading or block.table or len(block.lines) < 2:
                    continue
                shift = block.lines[0].x - block.lines[1].x
                if shift > 3:
                    indented += 1
                elif abs(shift) <= 1.5:
                    flush += 1
        return indented >= 3 and indented >= 0.6 * (indented + flush)

    @staticmethod
    def _carries_on(prev: _Block, block: _Block, indented: bool, margin: float) -> bool:
        """Does the first block of a page carry on the last paragraph of the page before?"""
        if prev.table and block.table:
            return True
        if prev.table or block.table or prev.heading or block.heading:
            return False
        if starts_continuation(block.text):
            return True
        if not indented:
            return False
        first = block.lines[0]
        line_start = block.lines[1].x if len(block.lines) > 1 else margin
        return abs(first.x - line_start) <= 1.5


_LINE_NUMBER = re.compile(r"^\d{1,4}$")


def _without_line_numbers(runs: list[_Run]) -> list[_Run]:
    """Drop the line numbers printed in a margin: numbers that stand left (or right) of all the
    text of the page, each on the baseline of a line of text, rising down the page."""
    numbers = [r for r in runs if _LINE_NUMBER.match(r.text.strip())]
    text = [r for r in runs if r.text.strip() and r not in numbers]
    if len(numbers) < 3 or not text:
        return runs
    left = min(r.x for r in text)
    right = max(r.x + r.width for r in text)

    def beside_text(n: _Run) -> bool:
        return any(abs(t.y - n.y) <= 0.45 * max(t.size, n.size) for t in text)

    for side in (
        [n for n in numbers if n.x + n.width < left - 0.5 * n.size],
        [n for n in numbers if n.x > right + 0.5 * n.size],
    ):
        column = sorted((n for n in side if beside_text(n)), key=lambda n: -n.y)
        values = [int(n.text.strip()) for n in column]
        if len(column) >= 3 and all(a < b for a, b in itertools.pairwise(values)):
            drop = {id(n) for n in column}
            runs = [r for r in runs if id(r) not in drop]
    return runs


def _last_number(notes: list[Footnote]) -> int | None:
    return int(notes[-1].number) if notes and notes[-1].number.isdigit() else None


def _first_numbers(last: int | None) -> set[int]:
    """The numbers the first footnote of a page may have."""
    return {1} if last is None else {last + 1, 1}


def _table_rows(lines: list[_Line]) -> list[tuple[str, ...]]:
    """Rows of a table: a row ends where the step to the next line is more than the leading
    inside a cell; each column's lines (cells start at the same x) are joined."""
    steps = [a.y - b.y for a, b in itertools.pairwise(lines)]
    rows: list[list[_Line]] = [[lines[0]]] if lines else []
    base = min(steps) if steps else 0.0
    even = not steps or max(steps) - base < 0.5
    for line, step in zip(lines[1:], steps, strict=False):
        if even or step > base * 1.08 + 0.3:
            rows.append([line])
        else:
            rows[-1].append(line)
    out: list[tuple[str, ...]] = []
    for row in rows:
        columns: list[tuple[float, list[str]]] = []
        for line in row:
            for x, text in line.cells or ((line.x, _normalise(line.text)),):
                column = next((c for c in columns if abs(c[0] - x) <= 3), None)
                if column is None:
                    columns.append((x, [text]))
                else:
                    column[1].append(text)
        columns.sort(key=lambda c: c[0])
        cells = tuple(_normalise(_join_lines(texts)) for _, texts in columns)
        out.append(tuple(c for c in cells if c))
    return out


def _main_size(runs: list[_Run]) -> float:
    sizes: Counter[float] = Counter()
    for run in runs:
        sizes[round(run.size, 1)] += len(run.text.strip())
    return sizes.most_common(1)[0][0] if sizes else 0.0


def _line_text(runs: list[_Run]) -> str:
    out = ""
    for i, run in enumerate(runs):
        if i and run.x > runs[i - 1].x + 0.5 and out and not out[-1].isspace():
            prev = runs[i - 1]
            if run.x > prev.x + prev.width + 0.15 * run.size and not run.text[:1].isspace():
                out += " "
        out += run.text
    return out
