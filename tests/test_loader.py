"""Loading a corpus directory: extra documents, unreadable files, missing files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import RESOLUTION

from assistant.corpus.loader import load_corpus
from assistant.errors import CorpusError

EXTRA = """# Follow-up resolution on treatment

*The Commission on Narcotic Drugs,*

*Recalling* its resolution 55/12 on alternatives to imprisonment,

1. *Urges* Member States to fund drug dependence treatment in prisons;

2. *Requests* the Secretariat to report at its next session.
"""


@pytest.fixture()
def corpus_copy(tmp_path: Path, corpus_dir: Path) -> Path:
    target = tmp_path / "corpus"
    shutil.copytree(corpus_dir, target)
    for path in target.iterdir():
        path.chmod(0o644)
    return target


def test_extra_document_is_ingested_and_reported(corpus_copy: Path, manifest_path: Path) -> None:
    (corpus_copy / "cnd-2013-follow-up.md").write_text(EXTRA, encoding="utf-8")
    corpus = load_corpus(corpus_copy, manifest_path)
    extra = corpus.instrument("cnd-2013-follow-up")
    assert not extra.in_manifest and extra.has_text
    assert extra.title == "Follow-up resolution on treatment"
    ops = [c for c in corpus.clauses_of(extra.id) if c.locator[0][0] == "operative"]
    assert [c.text.split()[0] for c in ops] == ["Urges", "Requests"]
    assert any("cnd-2013-follow-up.md" in w and "not in the manifest" in w for w in corpus.warnings)


def test_unreadable_files_are_named_and_skipped(corpus_copy: Path, manifest_path: Path) -> None:
    (corpus_copy / "latin1.md").write_bytes("Résolution".encode("latin-1"))
    (corpus_copy / "empty.txt").write_bytes(b"")
    corpus = load_corpus(corpus_copy, manifest_path)
    text = "\n".join(corpus.warnings)
    assert "latin1.md" in text and "not UTF-8" in text
    assert "empty.txt" in text and "empty" in text
    assert len(corpus.clauses_of(RESOLUTION)) == 27  # the rest still ingests


def test_manifest_entry_with_missing_file(corpus_copy: Path, manifest_path: Path) -> None:
    (corpus_copy / "single-convention-1961.md").unlink()
    corpus = load_corpus(corpus_copy, manifest_path)
    assert not corpus.instrument("single-convention-1961").has_text
    assert any("missing file" in w and "single-convention-1961" in w for w in corpus.warnings)
    assert corpus.clauses_of("single-convention-1961") == []


def test_the_texts_are_found_in_a_subfolder(corpus_copy: Path, manifest_path: Path) -> None:
    """`--corpus ../shared/corpus` where the texts sit in its raw/: the subfolder is read, and
    the folder's own README is not taken for a document."""
    outer = corpus_copy.parent / "outer"
    outer.mkdir()
    corpus_copy.rename(outer / "raw")
    (outer / "README.md").write_text("# About this corpus\n\nWhere the texts come from.\n", encoding="utf-8")
    corpus = load_corpus(outer, manifest_path)
    assert len(corpus.clauses_of(RESOLUTION)) == 27
    assert all(i.in_manifest for i in corpus.instruments)
    assert any("reading them from" in w and str(outer / "raw") in w for w in corpus.warnings)


def test_missing_corpus_dir_is_a_clear_error(manifest_path: Path, tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="corpus directory not found"):
        load_corpus(tmp_path / "nope", manifest_path)


def test_broken_manifest_is_a_clear_error(corpus_dir: Path, tmp_path: Path) -> None:
    bad = tmp_path / "manifest.yaml"
    bad.write_text("instruments:\n  - id: x\n", encoding="utf-8")
    with pytest.raises(CorpusError, match="is invalid"):
        load_corpus(corpus_dir, bad)
