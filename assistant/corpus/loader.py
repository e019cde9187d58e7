"""Load the corpus: manifest + source files -> instruments and their clauses.

A file that cannot be read is named in a warning and skipped; files that the manifest does
not list are ingested as additional documents and reported.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from pathlib import Path

from assistant.corpus import downloads
from assistant.corpus.manifest import load_manifest
from assistant.corpus.markdown import read_markdown
from assistant.corpus.provisions import load_provisions
from assistant.corpus.references import RESOLUTION_LIKE, InstrumentNames, find_references
from assistant.corpus.segment_convention import looks_like_convention, segment_convention
from assistant.corpus.segment_generic import segment_paragraphs
from assistant.corpus.segment_resolution import looks_like_resolution, segment_resolution
from assistant.corpus.segment_un_resolution import segment_un_resolution
from assistant.corpus.source import SourceDoc
from assistant.errors import CorpusError, SourceError
from assistant.types import Clause, Corpus, Instrument, TextOrigin

TEXT_SUFFIXES = (".md", ".markdown", ".txt")
SOURCE_SUFFIXES = (*TEXT_SUFFIXES, ".pdf")
SEGMENTER_VERSION = "3"

Segmenter = Callable[[SourceDoc, Instrument], list[Clause]]


def read_source(path: Path) -> SourceDoc:
    if path.suffix.lower() == ".pdf":
        from assistant.corpus.pdf import read_pdf

        return read_pdf(path)
    return read_markdown(path)


def choose_segmenter(doc: SourceDoc, instrument: Instrument) -> Segmenter:
    if instrument.kind == "declaration":  # a UN resolution or declaration, as officially printed
        return segment_un_resolution
    if instrument.kind == "resolution" or (instrument.kind == "document" and looks_like_resolution(doc)):
        return segment_resolution
    if instrument.kind == "convention" or (instrument.kind == "document" and looks_like_convention(doc)):
        return segment_convention
    return segment_paragraphs


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "document"


def extra_instrument(path: Path, doc: SourceDoc, taken: set[str]) -> Instrument:
    """An instrument for a file the manifest does not list: id and title from the file."""
    base = _slug(path.stem)
    inst_id, n = base, 2
    while inst_id in taken:
        inst_id, n = f"{base}-{n}", n + 1
    title = doc.metadata.get("title") or next(
        (p.text for p in doc.paras if p.heading), path.stem.replace("-", " ").replace("_", " ")
    )
    short = title if len(title) <= 40 else title[:37].rstrip() + "..."
    return Instrument(
        id=inst_id,
        symbol=doc.metadata.get("symbol", ""),
        title=title,
        short_title=short,
        date=doc.metadata.get("date", doc.metadata.get("adopted", "")),
        url=doc.metadata.get("url", ""),
        kind="document",
        source=path.name,
        in_manifest=False,
    )


def _folder_with_the_sources(corpus_dir: Path, listed: set[str]) -> Path:
    """The folder itself, or (when it holds none of the manifest's files) the one subfolder that
    holds the most of them: `--corpus ../shared/corpus` finds the texts in its `raw/`."""
    if not listed or any((corpus_dir / name).is_file() for name in listed):
        return corpus_dir
    found = [
        (sum((sub / name).is_file() for name in listed), sub.name, sub)
        for sub in corpus_dir.iterdir()
        if sub.is_dir() and not sub.name.startswith(".")
    ]
    best = max(found, default=(0, "", corpus_dir))
    return best[2] if best[0] else corpus_dir


def _downloaded_segmenter(doc: SourceDoc, instrument: Instrument) -> Segmenter:
    """Official texts fetched as PDFs: resolutions and declarations in their printed form."""
    if instrument.kind in ("declaration", "resolution"):
        return segment_un_resolution
    return choose_segmenter(doc, instrument)


def load_corpus(
    corpus_dir: Path,
    manifest_path: Path,
    downloads_dir: Path | None = None,
    provisions_dir: Path | None = None,
) -> Corpus:
    """The instruments of the manifest and their clauses: each text from the corpus directory,
    else (for an instrument whose text is not there) from the downloads folder, where
    ``assistant fetch`` puts the official texts; and the map of their provisions
    (``provisions_dir``, by default the ``provisions`` folder beside the manifest)."""
    if not corpus_dir.is_dir():
        raise CorpusError(
            f"corpus directory not found: {corpus_dir} (set ASSISTANT_CORPUS_DIR or pass --corpus)"
        )
    manifest = load_manifest(manifest_path)
    warnings: list[str] = []
    instruments: list[Instrument] = []
    clauses: list[Clause] = []
    listed = {inst.source for inst in manifest if inst.source}
    holder = _folder_with_the_sources(corpus_dir, listed)
    if holder != corpus_dir:
        warnings.append(f"none of the manifest's files is in {corpus_dir}; reading them from {holder}")
        corpus_dir = holder

    def ingest(
        inst: Instrument, path: Path, choose: Callable[[SourceDoc, Instrument], Segmenter]
    ) -> Instrument:
        try:
            doc = read_source(path)
        except SourceError as exc:
            warnings.append(f"skipped {path.name}: {exc}")
            return dataclasses.replace(inst, source=None, origin=None)
        found = choose(doc, inst)(doc, inst)
        if not found:
            warnings.append(f"skipped {path.name}: no text found")
            return dataclasses.replace(inst, source=None, origin=None)
        clauses.extend(found)
        return inst

    fetched_here: set[str] = set()
    for inst in manifest:
        path = corpus_dir / inst.source if inst.source else None
        fetched = downloads.origin_of(downloads_dir, inst.id) if downloads_dir else None
        if path is not None and path.is_file():
            if fetched is not None:
                warnings.append(
                    f"the downloaded text of {inst.id} ({fetched.file}) is not used: the corpus has its text"
                )
            origin = TextOrigin(
                "corpus", str(path), sha256=downloads.file_sha256(path), size=path.stat().st_size
            )
            instruments.append(ingest(dataclasses.replace(inst, origin=origin), path, choose_segmenter))
            continue
        if path is not None:
            warnings.append(f"manifest entry {inst.id} points to a missing file: {path}")
        if fetched is not None:
            file = Path(fetched.file)
            fetched_here.add(file.name)
            downloaded = dataclasses.replace(inst, source=file.name, origin=fetched)
            instruments.append(ingest(downloaded, file, _downloaded_segmenter))
            continue
        instruments.append(dataclasses.replace(inst, source=None))

    taken = {inst.id for inst in instruments}
    for path in sorted(corpus_dir.iterdir()):
        if path.name in listed or not path.is_file() or path.name.startswith("."):
            continue
        if path.name in fetched_here and downloads_dir is not None and path.parent.samefile(downloads_dir):
            continue  # the downloads folder is the corpus folder: these texts are read already
        if path.suffix.lower() not in SOURCE_SUFFIXES:
            continue
        try:
            doc = read_source(path)
        except SourceError as exc:
            warnings.append(f"skipped {path.name}: {exc}")
            continue
        extra = extra_instrument(path, doc, taken)
        taken.add(extra.id)
        found = choose_segmenter(doc, extra)(doc, extra)
        if not found:
            warnings.append(f"skipped {path.name}: no text found")
            continue
        warnings.append(
            f"additional document {path.name} (not in the manifest) ingested as {extra.id!r}"
            f" with {len(found)} clauses"
        )
        instruments.append(extra)
        clauses.extend(found)

    linked = tuple(link_references(clauses, instruments))
    folder = provisions_dir if provisions_dir is not None else manifest_path.parent / "provisions"
    provisions = load_provisions(folder, {c.clause_id for c in linked}, [i.id for i in instruments], warnings)
    return Corpus(tuple(instruments), linked, tuple(warnings), provisions)


def annexed_instruments(instruments: list[Instrument], known: dict[str, Clause]) -> set[str]:
    """Instruments that are the annex of the resolution that carries them (the Declaration on
    the Guiding Principles is the annex of A/RES/S-20/3): a text that names them cites the
    annex. Known from the manifest title ("..., annex") or from the annex's own title."""
    found = set()
    for inst in instruments:
        annex = known.get(f"{inst.id}/annex")
        if annex is None:
            continue
        title = " ".join(re.findall(r"[a-z0-9]+", re.sub(r"\s*\(.*$", "", inst.title).lower()))
        heading = " ".join(re.findall(r"[a-z0-9]+", annex.text.split("\n")[0].lower()))
        if re.search(r"\bannex\b", inst.title, re.IGNORECASE) or (title and heading.startswith(title)):
            found.add(inst.id)
    return found


def link_references(clauses: list[Clause], instruments: list[Instrument]) -> list[Clause]:
    known = {c.clause_id: c for c in clauses}
    names = InstrumentNames(instruments)
    kinds = {i.id: i.kind for i in instruments}
    annexed = annexed_instruments(instruments, known)
    dates = {i.id: i.date for i in instruments}

    def earlier(clause: Clause, target: str) -> bool:
        """A resolution or declaration cites only what came before it: "resolution" in a text
        of 2011 is not the draft of 2012. (A convention's schedules, amended since, may name
        later treaties.)"""
        if kinds.get(clause.instrument) not in RESOLUTION_LIKE:
            return True
        cited = dates.get(target.split("/")[0], "")
        citing = dates.get(clause.instrument, "")
        return not (cited and citing) or cited <= citing

    linked: list[Clause] = []
    for clause in clauses:
        own = find_references(clause, names, known, kinds, annexed) if not clause.has_children else []
        own = [t for t in own if earlier(clause, t)]
        refs = tuple(dict.fromkeys([*clause.references, *own]))
        linked.append(dataclasses.replace(clause, references=refs))
    return linked
