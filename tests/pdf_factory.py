"""Render a ``SourceDoc`` as a UN-style PDF with reportlab (test helper, not a test module).

The layout is the one the PDF reader must undo: A4 pages, the document symbol at the top of
every page, the job number and page number at the foot, headings in bold (the first one in a
larger roman font), justified body paragraphs with an indented first line (words may break
after a hyphen: "Secretary-" / "General"), footnote markers as superscripts and the footnotes
in a smaller font at the foot of the page that cites them, below a short rule; tables with
wrapped cells.  Paragraphs run over page breaks where the text flow puts them (and
``force_split`` makes one break so that the next page opens in lower case).  The result says
which paragraphs were split and on which page each footnote was printed.

``render_markdown_pdf`` (or ``marker_anchors``) puts each footnote marker where the Markdown
has it: a ``SourceDoc`` only keeps which markers a paragraph has, not where.

Also writes the broken files a reader must refuse: encrypted, empty, 0-page, corrupt and
image-only (no text layer) PDFs.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY
from reportlab.lib.pagesizes import A4
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, Table, TableStyle

from assistant.corpus.source import SourceDoc, clean_inline

PAGE_W, PAGE_H = A4
LEFT = 72.0
WIDTH = PAGE_W - 2 * LEFT
FRAME_TOP = PAGE_H - 72.0
FRAME_BOTTOM = 72.0
FRAME_H = FRAME_TOP - FRAME_BOTTOM
HEADER_Y = PAGE_H - 42.0
FOOTER_Y = 40.0
NOTE_RULE = 10.0  # space the rule above the footnotes takes
NOTE_GAP = 2.0

BODY = ParagraphStyle(
    "body",
    fontName="Times-Roman",
    fontSize=10,
    leading=12,
    alignment=TA_JUSTIFY,
    firstLineIndent=28,
    spaceBefore=6,
    splitLongWords=0,
    allowOrphans=1,
    allowWidows=1,
    embeddedHyphenation=1,
)
HEADING = ParagraphStyle(
    "heading",
    fontName="Times-Bold",
    fontSize=10,
    leading=12,
    alignment=TA_CENTER,
    spaceBefore=10,
    splitLongWords=0,
)
TITLE = ParagraphStyle(
    "title",
    fontName="Times-Roman",
    fontSize=14,
    leading=17,
    alignment=TA_CENTER,
    spaceBefore=0,
    splitLongWords=0,
)
NOTE = ParagraphStyle(
    "note",
    fontName="Times-Roman",
    fontSize=8,
    leading=9.5,
    leftIndent=14,
    firstLineIndent=-14,
    splitLongWords=0,
)
CELL_PAD = 6.0

# Characters Times-Roman (WinAnsi) cannot show; they only occur in the schedules' tables,
# which are set in DejaVu Serif when it is installed (else they are spelled out).
_TRANSLIT = {"α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta"}
_DEJAVU = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
    "/usr/share/fonts/dejavu/DejaVuSerif.ttf",
    "/usr/share/fonts/TTF/DejaVuSerif.ttf",
)


def table_font() -> str:
    """``DejaVuSerif`` (all of the corpus's characters) if installed, else ``Times-Roman``."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if "DejaVuSerif" in pdfmetrics.getRegisteredFontNames():
        return "DejaVuSerif"
    for candidate in _DEJAVU:
        if Path(candidate).is_file():
            pdfmetrics.registerFont(TTFont("DejaVuSerif", candidate))
            return "DejaVuSerif"
    return "Times-Roman"


def tables_exact() -> bool:
    """Do tables keep every character (so that they read back exactly)?"""
    return table_font() != "Times-Roman"


@dataclass(frozen=True)
class SplitPara:
    """A paragraph that runs over a page break."""

    index: int  # in ``SourceDoc.paras``
    first_page: int
    continuation: str  # the first line on the next page


@dataclass
class RenderedPdf:
    path: Path
    pages: int = 0
    splits: list[SplitPara] = field(default_factory=list)
    note_pages: dict[str, int] = field(default_factory=dict)


def printable(text: str) -> str:
    """What the fonts can show.  A space after a hyphen ("didehydro- N") becomes a no-break
    space: a line may not end there, since a reader joins a line that ends in a hyphen to the
    next one without a space (the word was broken at its hyphen)."""
    text = re.sub(r"(?<=[^\s-])- ", "-\u00a0", text)
    out = []
    for ch in text:
        try:
            ch.encode("cp1252")
            out.append(ch)
        except UnicodeEncodeError:
            out.append(_TRANSLIT.get(ch, "?"))
    return "".join(out)


def marker_anchors(markdown: str) -> dict[str, str]:
    """For each footnote marker in the body of a Markdown text: the text just before it."""
    anchors: dict[str, str] = {}
    for line in markdown.splitlines():
        if re.match(r"^\s*<sup>", line):
            continue  # a footnote, not a marker
        for match in re.finditer(r"<sup>\s*(\d+)\s*</sup>", line):
            before = clean_inline(re.sub(r"^\s*#+", "", line[: match.start()]))[0]
            if before:
                anchors.setdefault(match.group(1), before[-40:])
    return anchors


def _markup(text: str, refs: tuple[str, ...], anchors: Mapping[str, str]) -> str:
    """Escape the text and put each footnote marker after its anchor (else at the end)."""
    cuts: list[tuple[int, str]] = []
    start = 0
    for ref in refs:
        anchor = anchors.get(ref, "")
        at = text.find(anchor, start) if anchor else -1
        pos = at + len(anchor) if at >= 0 else len(text)
        cuts.append((pos, ref))
        start = max(start, pos)
    cuts.sort()
    out, last = [], 0
    for pos, ref in cuts:
        out.append(escape(printable(text[last:pos])))
        out.append(f"<super>{ref}</super>")
        last = pos
    out.append(escape(printable(text[last:])))
    return "".join(out)


def _lines(p: Paragraph) -> list[tuple[str, tuple[str, ...]]]:
    """Text and footnote markers of each line of a wrapped paragraph."""
    out: list[tuple[str, tuple[str, ...]]] = []
    for line in p.blPara.lines:
        if hasattr(line, "words"):
            words = list(line.words)
            text = "".join(getattr(w, "text", "") for w in words if not getattr(w, "rise", 0))
            refs = tuple(getattr(w, "text", "") for w in words if getattr(w, "rise", 0))
        else:
            text, refs = " ".join(str(w) for w in line[1]), ()
        out.append((text.strip(), refs))
    return out


class _Writer:
    def __init__(self, doc: SourceDoc, path: Path, symbol: str, job_number: str, encrypt: Any = None) -> None:
        self.canvas = Canvas(str(path), pagesize=A4, encrypt=encrypt, invariant=1)
        if "title" in doc.metadata:
            self.canvas.setTitle(doc.metadata["title"])
        self.symbol = symbol
        self.job_number = job_number
        self.result = RenderedPdf(path)
        self.page = 1
        self.used = 0.0
        self.notes: dict[str, Paragraph] = {}
        self.note_h: dict[str, float] = {}
        for note in doc.footnotes:
            p = Paragraph(f"<super>{note.number}</super> {escape(printable(note.text))}", NOTE)
            self.notes[note.number] = p
            self.note_h[note.number] = p.wrap(WIDTH, FRAME_H)[1]
        self.page_notes: list[str] = []
        self.placed: set[str] = set()

    # pages -------------------------------------------------------------------------------

    def notes_height(self, numbers: list[str]) -> float:
        if not numbers:
            return 0.0
        return NOTE_RULE + sum(self.note_h[n] for n in numbers) + NOTE_GAP * (len(numbers) - 1)

    def new_notes(self, refs: tuple[str, ...], pending: list[str]) -> list[str]:
        return [
            r
            for r in refs
            if r in self.notes and r not in self.placed and r not in pending and r not in self.page_notes
        ]

    def room(self, pending: list[str]) -> float:
        return float(FRAME_H - self.used - self.notes_height(self.page_notes + pending))

    def finish_page(self) -> None:
        c = self.canvas
        if self.page_notes:
            y = FRAME_BOTTOM + self.notes_height(self.page_notes)
            c.setLineWidth(0.5)
            c.line(LEFT, y - 4, LEFT + 72, y - 4)
            y -= NOTE_RULE
            for number in self.page_notes:
                p = self.notes[number]
                h = p.wrap(WIDTH, FRAME_H)[1]
                p.drawOn(c, LEFT, y - h)
                y -= h + NOTE_GAP
                self.result.note_pages[number] = self.page
        odd = self.page % 2 == 1
        c.setFont("Times-Bold", 10)
        if odd:
            c.drawRightString(PAGE_W - LEFT, HEADER_Y, self.symbol)
        else:
            c.drawString(LEFT, HEADER_Y, self.symbol)
        c.setFont("Times-Roman", 8)
        c.drawString(LEFT, FOOTER_Y, self.job_number)
        c.setFont("Times-Bold", 9)
        c.drawRightString(PAGE_W - LEFT, FOOTER_Y, str(self.page))
        c.showPage()
        self.page += 1
        self.used = 0.0
        self.page_notes = []

    def draw(self, flowable: Any, space_before: float, refs: list[str]) -> None:
        h = flowable.wrap(WIDTH, FRAME_H)[1]
        top = FRAME_TOP - self.used - space_before
        flowable.drawOn(self.canvas, LEFT, top - h)
        self.used += space_before + h
        for ref in refs:
            self.page_notes.append(ref)
            self.placed.add(ref)

    # content -----------------------------------------------------------------------------

    def paragraph(self, index: int, markup: str, style: ParagraphStyle, force: bool) -> None:
        p = Paragraph(markup, style)
        while True:
            before = style.spaceBefore if self.used else 0.0
            p.wrap(WIDTH, 10**6)
            lines = _lines(p)
            lead = float(style.leading)
            fit, pending = 0, list[str]()
            for i, (_, refs) in enumerate(lines):
                extra = self.new_notes(refs, pending)
                if before + (i + 1) * lead <= self.room(pending + extra) + 0.01:
                    fit, pending = i + 1, pending + extra
                else:
                    break
            keep = fit
            if force:
                starts = [j for j in range(1, min(fit + 1, len(lines))) if lines[j][0][:1].islower()]
                if not starts:
                    if self.used:
                        self.finish_page()
                        continue
                    force = False
                    continue
                keep = starts[-1]
            elif fit == len(lines):
                self.draw(p, before, pending)
                return
            if keep == 0:
                if self.used:
                    self.finish_page()
                    continue
                self.draw(p, before, pending)  # taller than a page: let it overflow
                return
            parts = p.split(WIDTH, keep * lead + lead / 2)
            if len(parts) != 2:
                if self.used:
                    self.finish_page()
                    continue
                self.draw(p, before, pending)
                return
            first, rest = parts
            cited = [r for _, line_refs in lines[:keep] for r in self.new_notes(line_refs, [])]
            self.draw(first, before, list(dict.fromkeys(cited)))
            self.result.splits.append(SplitPara(index, self.page, lines[keep][0]))
            self.finish_page()
            p, force = rest, False
            style = ParagraphStyle("cont", parent=style, spaceBefore=0)

    def heading(self, markup: str, style: ParagraphStyle, then: float = 0.0) -> None:
        """A heading kept with what follows: ``then`` (the headings right after it) and
        three lines of text."""
        p = Paragraph(markup, style)
        h = p.wrap(WIDTH, FRAME_H)[1]
        before = style.spaceBefore if self.used else 0.0
        if self.used and before + h + then + 3 * BODY.leading > self.room([]):
            self.finish_page()
            before = 0.0
        refs = [r for _, rs in _lines(p) for r in self.new_notes(rs, [])]
        self.draw(p, before, refs)

    def table(self, rows: tuple[tuple[str, ...], ...]) -> None:
        from reportlab.pdfbase.pdfmetrics import stringWidth

        font = table_font()

        def show(text: str) -> str:
            return printable(text) if font == "Times-Roman" else re.sub(r"(?<=[^\s-])- ", "-\u00a0", text)

        cols = max(len(r) for r in rows)
        for size in (9.0, 8.0, 7.0, 6.0):

            def width(text: str, size: float = size) -> float:
                return float(stringWidth(text, font, size))

            least = [0.0] * cols
            most = [0.0] * cols
            for row in rows:
                for i, cell in enumerate(row):
                    shown = show(cell)
                    words = [w for word in shown.split(" ") for w in re.split(r"(?<=[^\s-]-)", word)]
                    least[i] = max(least[i], max(map(width, words)) + 2 * CELL_PAD + 1)
                    most[i] = max(most[i], width(shown) + 2 * CELL_PAD + 1)
            if sum(least) <= WIDTH:
                break
        spare = WIDTH - sum(least)
        wish = sum(m - lo for m, lo in zip(most, least, strict=True)) or 1.0
        widths = [
            lo + spare * min(1.0, (m - lo) / wish) if wish > spare else m + (WIDTH - sum(most)) / cols
            for m, lo in zip(most, least, strict=True)
        ]
        style = ParagraphStyle(
            "cell",
            fontName=font,
            fontSize=size,
            leading=size * 1.2,
            splitLongWords=0,
            embeddedHyphenation=1,
        )
        data = [
            [Paragraph(escape(show(cell)), style) for cell in row]
            + [Paragraph("", style)] * (cols - len(row))
            for row in rows
        ]
        t: Any = Table(data, colWidths=widths)
        t.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
                    ("LEFTPADDING", (0, 0), (-1, -1), CELL_PAD),
                    ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PAD),
                ]
            )
        )
        while True:
            before = 8.0 if self.used else 0.0
            room = self.room([]) - before
            h = t.wrap(WIDTH, FRAME_H)[1]
            if h <= room:
                self.draw(t, before, [])
                self.used += 8.0
                return
            parts = t.split(WIDTH, room) if room > 30 else []
            if len(parts) >= 2:
                self.draw(parts[0], before, [])
                self.finish_page()
                t = parts[1]
                continue
            if self.used:
                self.finish_page()
                continue
            self.draw(t, before, [])  # taller than a page and cannot split: overflow
            return

    def close(self) -> RenderedPdf:
        for number in self.notes:  # footnotes nobody cites go to the last page
            if number not in self.placed:
                self.page_notes.append(number)
                self.placed.add(number)
        self.finish_page()
        self.canvas.save()
        self.result.pages = self.page - 1
        return self.result


def render_pdf(
    doc: SourceDoc,
    path: Path,
    *,
    symbol: str = "E/CN.7/2012/L.15",
    job_number: str = "V.12-51590",
    anchors: Mapping[str, str] | None = None,
    force_split: int | None = None,
    encrypt: Any = None,
) -> RenderedPdf:
    """Write ``doc`` as a UN-style PDF; ``force_split`` (a paragraph index) breaks that
    paragraph over a page so that the next page opens in lower case."""
    writer = _Writer(doc, path, symbol, job_number, encrypt)
    anchors = anchors or {}
    first_heading = True
    for index, para in enumerate(doc.paras):
        if para.table:
            writer.table(para.table)
            continue
        markup = _markup(para.text, para.footnote_refs, anchors)
        if para.heading:
            then = 0.0
            for nxt in doc.paras[index + 1 :]:
                if not nxt.heading:
                    break
                nxt_p = Paragraph(escape(printable(nxt.text)), HEADING)
                then += HEADING.spaceBefore + nxt_p.wrap(WIDTH, FRAME_H)[1]
            writer.heading(markup, TITLE if first_heading else HEADING, then)
            first_heading = False
        else:
            writer.paragraph(index, markup, BODY, force=index == force_split)
    return writer.close()


def render_markdown_pdf(markdown_path: Path, path: Path, **kwargs: Any) -> tuple[SourceDoc, RenderedPdf]:
    """Read a Markdown source and render it; markers go where the Markdown puts them."""
    from assistant.corpus.markdown import parse_markdown, read_text_file

    text = read_text_file(markdown_path)
    doc = parse_markdown(text, markdown_path.name)
    return doc, render_pdf(doc, path, anchors=marker_anchors(text), **kwargs)


def write_hand_set_pdf(path: Path) -> Path:
    """Two pages set word-processor style: every run placed at its own position, a footnote
    marker raised at the body size, the footnote number in plain text, a paragraph carried
    over to the next page, page numbers alone at the foot."""
    c = Canvas(str(path), pagesize=A4)

    def runs(y: float, *parts: tuple[str, str, float, float]) -> None:
        x = LEFT
        for text, font, size, rise in parts:
            c.setFont(font, size)
            c.drawString(x, y + rise, text)
            x += c.stringWidth(text, font, size)

    for page in (1, 2):
        c.setFont("Times-Roman", 10)
        c.drawRightString(PAGE_W - LEFT, HEADER_Y, "A/RES/66/183")
        c.drawCentredString(PAGE_W / 2, FOOTER_Y, str(page))
        if page == 1:
            c.setFont("Times-Bold", 10)
            c.drawCentredString(PAGE_W / 2, 740, "Article 1")
            runs(716, ("The Parties shall take the measures set out", "Times-Roman", 10, 0))
            runs(
                704,
                ("in this article,", "Times-Roman", 10, 0),
                ("1", "Times-Roman", 10, 4),
                (" as provided in the annex.", "Times-Roman", 10, 0),
            )
            runs(680, ("Each Party shall report to the Secretary-General", "Times-Roman", 10, 0))
            runs(668, ("every year, in the form the Commission asks,", "Times-Roman", 10, 0))
            c.line(LEFT, 100, LEFT + 72, 100)
            runs(90, ("1 See the annex to this article.", "Times-Roman", 8, 0))
        else:
            runs(760, ("on the measures taken.", "Times-Roman", 10, 0))
            runs(736, ("Article 2", "Times-Bold", 10, 0))
        c.showPage()
    c.save()
    return path


# broken files ----------------------------------------------------------------------------


def write_encrypted_pdf(path: Path, *, user_password: str = "secret", owner_only: bool = False) -> Path:
    """A one-page PDF with text, encrypted (RC4); ``owner_only`` leaves it openable."""
    enc = StandardEncryption("" if owner_only else user_password, ownerPassword="owner", strength=128)
    c = Canvas(str(path), pagesize=A4, encrypt=enc)
    c.setFont("Times-Roman", 10)
    c.drawString(LEFT, FRAME_TOP, "Article 1")
    c.drawString(LEFT, FRAME_TOP - 14, "Some text of a confidential document.")
    c.showPage()
    c.save()
    return path


def write_empty_file(path: Path) -> Path:
    path.write_bytes(b"")
    return path


def write_zero_page_pdf(path: Path) -> Path:
    """A well-formed PDF whose page tree holds no pages."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [] /Count 0 >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % n + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    path.write_bytes(out.getvalue())
    return path


def write_garbage_pdf(path: Path) -> Path:
    """A file named .pdf that holds a PDF header and then noise."""
    noise = bytes((i * 73 + 41) % 256 for i in range(4096))
    path.write_bytes(b"%PDF-1.7\n" + noise)
    return path


def write_truncated_pdf(source: Path, path: Path, keep: float = 0.4) -> Path:
    """The first part of a real PDF, cut off mid-stream."""
    data = source.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])
    return path


def write_image_only_pdf(path: Path) -> Path:
    """Two pages with drawings and an image but no text (a scan without OCR)."""
    c = Canvas(str(path), pagesize=A4)
    for _ in range(2):
        c.setFillGray(0.85)
        c.rect(LEFT, FRAME_BOTTOM, WIDTH, FRAME_H, fill=1, stroke=1)
        c.setFillGray(0.2)
        for i in range(30):
            c.rect(LEFT + 10, FRAME_TOP - 20 - i * 14, WIDTH - 20 - (i % 5) * 40, 8, fill=1, stroke=0)
        try:
            from PIL import Image
            from reportlab.lib.utils import ImageReader

            image = Image.new("L", (64, 64), color=128)
            c.drawImage(ImageReader(image), LEFT, FRAME_TOP - 100, 64, 64)
        except ImportError:  # pragma: no cover - Pillow absent: the drawing is enough
            pass
        c.showPage()
    c.save()
    return path
