"""The PDF reader against the Markdown reader: UN-style PDFs rendered from the corpus texts
must read back as the same paragraphs, headings, footnote markers and footnotes, with pages;
broken PDFs must fail with a ``SourceError`` that names the file."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pdf_factory as factory
import pytest

from assistant.corpus.markdown import parse_markdown, read_text_file
from assistant.corpus.pdf import read_pdf
from assistant.corpus.source import SourceDoc
from assistant.errors import SourceError
from assistant.types import Corpus

RESOLUTION = "cnd-resolution-2012-alternatives-to-imprisonment.md"
C1961 = "single-convention-1961.md"
C1971 = "convention-psychotropic-substances-1971.md"
C1988 = "convention-illicit-traffic-1988.md"

# Running header and job number of each rendered document: a document symbol (which the
# reader knows by its shape) or a short title (which it knows because it repeats).
LAYOUT = {
    RESOLUTION: {"symbol": "E/CN.7/2012/L.15", "job_number": "V.12-51590"},
    C1961: {"symbol": "Single Convention on Narcotic Drugs, 1961", "job_number": "V.61-00012"},
    C1971: {"symbol": "Convention on Psychotropic Substances, 1971", "job_number": "V.71-00034"},
    C1988: {"symbol": "E/CONF.82/15", "job_number": "V.88-00056"},
}
DOCS = list(LAYOUT)
# The resolution's third preambular paragraph, which the printed draft also breaks over a page.
SPLIT_IN_RESOLUTION = "Recalling that the international drug control conventions"


@dataclass
class Rendered:
    markdown: SourceDoc
    pdf_path: Path
    pdf: factory.RenderedPdf
    read: SourceDoc


@pytest.fixture(scope="session")
def pdf_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pdf-corpus")


@pytest.fixture(scope="session")
def render(corpus_dir: Path, pdf_dir: Path) -> Callable[[str], Rendered]:
    """Render each corpus text as a PDF once per session and read it back."""
    cache: dict[str, Rendered] = {}

    def get(name: str) -> Rendered:
        if name not in cache:
            text = read_text_file(corpus_dir / name)
            doc = parse_markdown(text, name)
            force = next(
                (i for i, p in enumerate(doc.paras) if p.text.startswith(SPLIT_IN_RESOLUTION)),
                None,
            )
            path = pdf_dir / (Path(name).stem + ".pdf")
            layout: dict[str, Any] = dict(LAYOUT[name])
            result = factory.render_pdf(
                doc, path, anchors=factory.marker_anchors(text), force_split=force, **layout
            )
            cache[name] = Rendered(doc, path, result, read_pdf(path))
        return cache[name]

    return get


def _body(doc: SourceDoc) -> list[tuple[str, bool, tuple[str, ...]]]:
    return [(p.text, p.heading, p.footnote_refs) for p in doc.paras if not p.table]


@pytest.mark.parametrize("name", DOCS)
def test_paragraphs_headings_and_markers_match_markdown(render: Callable[[str], Rendered], name: str) -> None:
    r = render(name)
    assert r.pdf.pages >= 2
    assert _body(r.read) == _body(r.markdown)


@pytest.mark.parametrize("name", DOCS)
def test_footnotes_match_markdown_on_the_page_that_cites_them(
    render: Callable[[str], Rendered], name: str
) -> None:
    r = render(name)
    assert [(f.number, f.text) for f in r.read.footnotes] == [
        (f.number, f.text) for f in r.markdown.footnotes
    ]
    assert {f.number: f.page for f in r.read.footnotes} == r.pdf.note_pages
    for note in r.read.footnotes:  # the page of the paragraph that cites it
        citing = [p for p in r.read.paras if note.number in p.footnote_refs]
        assert citing and citing[0].page is not None and citing[0].page <= (note.page or 0)


@pytest.mark.parametrize("name", [C1971, C1988])
def test_tables_read_back_row_by_row(render: Callable[[str], Rendered], name: str) -> None:
    if not factory.tables_exact():
        pytest.skip("DejaVu Serif is not installed: the tables' Greek letters were spelled out")
    r = render(name)
    assert [p.table for p in r.read.paras if p.table] == [p.table for p in r.markdown.paras if p.table]


@pytest.mark.parametrize("name", DOCS)
def test_every_paragraph_has_its_pdf_page(render: Callable[[str], Rendered], name: str) -> None:
    r = render(name)
    assert r.read.paged
    pages = [p.page for p in r.read.paras]
    assert all(isinstance(page, int) and 1 <= page <= r.pdf.pages for page in pages)
    assert pages == sorted(pages)  # type: ignore[type-var]
    assert pages[0] == 1 and pages[-1] == r.pdf.pages
    assert all(f.page is not None for f in r.read.footnotes)


def test_resolution_paragraph_split_by_a_page_break_and_footnotes_is_joined(
    render: Callable[[str], Rendered],
) -> None:
    r = render(RESOLUTION)
    forced = [s for s in r.pdf.splits if s.continuation[:1].islower()]
    assert forced, "the factory should have split a paragraph over a page"
    split = forced[0]
    expected = r.markdown.paras[split.index]
    assert expected.text.startswith(SPLIT_IN_RESOLUTION)
    joined = [p for p in r.read.paras if p.text == expected.text]
    assert len(joined) == 1 and joined[0].page == split.first_page
    assert joined[0].footnote_refs == ("5",)
    # footnote 5 is printed on the next page, below the end of the paragraph that cites it
    assert next(f for f in r.read.footnotes if f.number == "5").page == split.first_page + 1
    assert not any(p.text.startswith(split.continuation) for p in r.read.paras)


def test_split_paragraphs_are_joined_whatever_case_the_next_page_opens_with(
    render: Callable[[str], Rendered],
) -> None:
    seen_upper = False
    for name in DOCS:
        r = render(name)
        for split in r.pdf.splits:
            text = r.markdown.paras[split.index].text
            found = [p for p in r.read.paras if p.text == text]
            assert found and found[0].page == split.first_page, (name, split)
            seen_upper = seen_upper or split.continuation[:1].isupper()
    # a continuation in upper case ("Parties to this Convention ...") is told by its flush
    # first line (new paragraphs are indented), not by its case
    assert seen_upper


@pytest.mark.parametrize("name", DOCS)
def test_running_headers_footers_and_page_numbers_do_not_leak(
    render: Callable[[str], Rendered], name: str
) -> None:
    r = render(name)
    symbol, job = LAYOUT[name]["symbol"], LAYOUT[name]["job_number"]
    texts = [p.text for p in r.read.paras] + [f.text for f in r.read.footnotes]
    md_texts = [p.text for p in r.markdown.paras] + [f.text for f in r.markdown.footnotes]
    assert not any(job in t for t in texts)
    assert sum(symbol in t for t in texts) == sum(symbol in t for t in md_texts)
    assert not any(re.fullmatch(r"\d{1,3}", t.strip()) for t in texts)
    for para in r.read.paras:  # nothing glued to the end or start of a paragraph
        assert not re.search(r"\s\d{1,3}$", para.text) or any(para.text == t for t in md_texts)


def test_markers_leave_the_text_clean(render: Callable[[str], Rendered]) -> None:
    r = render(RESOLUTION)
    para = next(p for p in r.read.paras if p.text.startswith("Reaffirming"))
    assert para.footnote_refs == ("1", "2", "3", "4")
    assert "special session, the Declaration" in para.text
    assert "Drug Demand Reduction and the Political Declaration" in para.text
    assert para.text.endswith("World Drug Problem,")


def test_headings_by_bold_or_larger_font(render: Callable[[str], Rendered]) -> None:
    r = render(RESOLUTION)
    # the title is in a larger roman font, the other headings in bold at the body size
    assert r.read.paras[0] == r.markdown.paras[0]
    assert r.read.paras[0].heading and r.read.paras[0].text == "Economic and Social Council"
    headings = [p.text for p in r.read.paras if p.heading]
    assert headings == [p.text for p in r.markdown.paras if p.heading]


def test_document_symbol_from_the_running_header(render: Callable[[str], Rendered]) -> None:
    assert render(RESOLUTION).read.metadata.get("symbol") == "E/CN.7/2012/L.15"
    assert render(C1988).read.metadata.get("title", "").startswith("United Nations Convention")


def test_word_processor_layout_positioned_runs_raised_marker_plain_note_number(
    tmp_path: Path,
) -> None:
    doc = read_pdf(factory.write_hand_set_pdf(tmp_path / "hand.pdf"))
    assert [(p.text, p.page, p.heading, p.footnote_refs) for p in doc.paras] == [
        ("Article 1", 1, True, ()),
        (
            "The Parties shall take the measures set out in this article, as provided in the annex.",
            1,
            False,
            ("1",),
        ),
        (
            "Each Party shall report to the Secretary-General every year, in the form the"
            " Commission asks, on the measures taken.",
            1,
            False,
            (),
        ),
        ("Article 2", 2, True, ()),
    ]
    assert [(f.number, f.text, f.page) for f in doc.footnotes] == [("1", "See the annex to this article.", 1)]
    assert doc.metadata.get("symbol") == "A/RES/66/183"


# broken files --------------------------------------------------------------------------


def _not_a_pdf(path: Path) -> Path:
    path.write_text("This is a Markdown file with the wrong name.\n", encoding="utf-8")
    return path


BROKEN: dict[str, tuple[Callable[[Path], Path], str]] = {
    "encrypted": (factory.write_encrypted_pdf, "encrypted"),
    "empty": (factory.write_empty_file, "empty"),
    "no-pages": (factory.write_zero_page_pdf, "no pages"),
    "garbage": (factory.write_garbage_pdf, "not a readable PDF"),
    "not-a-pdf": (_not_a_pdf, "not a readable PDF"),
    "image-only": (factory.write_image_only_pdf, "no text layer"),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_broken_pdfs_raise_source_error_naming_the_file(tmp_path: Path, case: str) -> None:
    write, words = BROKEN[case]
    path = write(tmp_path / f"{case}.pdf")
    with pytest.raises(SourceError) as info:
        read_pdf(path)
    assert str(path) in str(info.value)
    assert words in str(info.value)


@pytest.mark.parametrize("keep", [0.05, 0.5, 0.95])
def test_truncated_pdf_raises_source_error(
    render: Callable[[str], Rendered], tmp_path: Path, keep: float
) -> None:
    path = factory.write_truncated_pdf(render(RESOLUTION).pdf_path, tmp_path / "cut.pdf", keep)
    with pytest.raises(SourceError, match=re.escape(str(path))):
        read_pdf(path)


def test_missing_file_raises_source_error(tmp_path: Path) -> None:
    path = tmp_path / "absent.pdf"
    with pytest.raises(SourceError, match=re.escape(str(path))):
        read_pdf(path)


def test_pdf_encrypted_only_against_changes_is_read(tmp_path: Path) -> None:
    # no password is needed to open it (an owner password only restricts printing, editing)
    path = factory.write_encrypted_pdf(tmp_path / "owner.pdf", owner_only=True)
    doc = read_pdf(path)
    assert "confidential document" in doc.paras[0].text


# the whole corpus from PDFs ------------------------------------------------------------


def test_corpus_of_pdfs_gives_the_clauses_of_the_markdown_corpus(
    render: Callable[[str], Rendered], corpus: Corpus, manifest_path: Path, tmp_path: Path
) -> None:
    from assistant.corpus.loader import load_corpus

    pdf_corpus = tmp_path / "corpus"
    pdf_corpus.mkdir()
    manifest = manifest_path.read_text(encoding="utf-8")
    for name in DOCS:
        r = render(name)
        (pdf_corpus / r.pdf_path.name).write_bytes(r.pdf_path.read_bytes())
        assert f"source: {name}" in manifest
        manifest = manifest.replace(f"source: {name}", f"source: {r.pdf_path.name}")
    pdf_manifest = tmp_path / "manifest.yaml"
    pdf_manifest.write_text(manifest, encoding="utf-8")

    loaded = load_corpus(pdf_corpus, pdf_manifest)

    assert loaded.warnings == ()
    exact = factory.tables_exact()  # else the schedules' Greek letters were spelled out

    def same(text: str) -> str:
        return text if exact else factory.printable(text)

    assert [(c.clause_id, c.label, same(c.text)) for c in loaded.clauses] == [
        (c.clause_id, c.label, same(c.text)) for c in corpus.clauses
    ]
    assert all(c.page is not None for c in loaded.clauses)
