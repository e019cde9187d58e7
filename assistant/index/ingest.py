"""Build or update the index: idempotent upserts by clause id, and a crash-safe swap.

Embedded mode writes into a fresh build directory (a copy of the current one, so unchanged
clauses are not embedded again) and only then points ``current.json`` at it with an atomic
rename: a killed ingest leaves the previous index answering.  Server mode upserts changed
clauses in place and deletes removed ones last, so the collection answers throughout.

``ASSISTANT_FAULT_PAUSE_AT=<stage>`` (tests only) stops an ingest at one of ``FAULT_STAGES``:
it prints ``fault point: <stage>`` on stderr and sleeps there, so that a test can ``kill -9`` it
at that exact point.  Unset, the hooks do nothing.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import sys
import time
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, get_args

from tqdm import tqdm

from assistant.corpus.downloads import EMPTY_DIGEST, downloads_digest
from assistant.corpus.loader import SEGMENTER_VERSION
from assistant.corpus.manifest import load_manifest
from assistant.corpus.questions import load_questions, question_id, questions_digest
from assistant.errors import AssistantError, IndexError_
from assistant.index.chroma_store import ChromaClauseStore, embedded_client, server_client
from assistant.index.embeddings import Embedder
from assistant.index.searchable import content_hash, embedding_text
from assistant.index.store import ClauseStore
from assistant.settings import Settings
from assistant.types import Corpus

CURRENT = "current.json"
BATCH = 64

FAULT_PAUSE_ENV = "ASSISTANT_FAULT_PAUSE_AT"
FAULT_PAUSE_S = 600.0
# in order: while copying the previous build, after the first batch is embedded, after the
# collection info is set, when the new pointer is written but not renamed, after the rename
FaultStage = Literal["copying", "embedding", "info-set", "pointer-written", "pointer-swapped"]
FAULT_STAGES: tuple[FaultStage, ...] = get_args(FaultStage)


@dataclass(frozen=True)
class IngestReport:
    collection: str
    location: str
    clauses: int
    added: int
    updated: int
    deleted: int
    unchanged: int
    seconds: float
    questions: int = 0  # questions stored with the clauses (document expansion)

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def collection_name(settings: Settings) -> str:
    """Derived from all that shapes the index: model, segmenter version, manifest."""
    try:
        # only what shapes the indexed text: ids, labels (short titles), kinds, sources
        entries = load_manifest(settings.manifest)
        manifest = json.dumps(
            [[i.id, i.short_title, i.kind, i.source] for i in entries], sort_keys=True
        ).encode()
    except AssistantError:
        manifest = b""
    digest = hashlib.sha256(
        b"|".join([settings.embedding_model.encode(), SEGMENTER_VERSION.encode(), manifest])
    ).hexdigest()[:12]
    return f"clauses-{digest}"


def current_downloads_digest(settings: Settings) -> str:
    """The texts in the downloads folder now (``assistant fetch``), as the index records them."""
    try:
        ids = [i.id for i in load_manifest(settings.manifest)]
    except AssistantError:
        ids = []
    return downloads_digest(settings.downloads_dir, ids)


def fault_point(stage: FaultStage) -> None:
    """Test hook: pause here when ``ASSISTANT_FAULT_PAUSE_AT`` names this stage, else nothing."""
    if os.environ.get(FAULT_PAUSE_ENV) != stage:
        return
    print(f"fault point: {stage}", file=sys.stderr, flush=True)
    time.sleep(FAULT_PAUSE_S)


def _copy_file(src: str, dst: str) -> object:
    """``shutil.copy2`` for ``copytree``, with the ``copying`` fault point after each file."""
    copied = shutil.copy2(src, dst)
    fault_point("copying")
    return copied


def read_current(index_dir: Path) -> dict[str, Any] | None:
    path = index_dir / CURRENT
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise IndexError_(
            f"{path} is corrupt ({exc}); rebuild the index with: assistant ingest --rebuild"
        ) from exc
    if not isinstance(data, dict) or "build" not in data:
        raise IndexError_(f"{path} is corrupt; rebuild the index with: assistant ingest --rebuild")
    return data


def _write_atomically(path: Path, data: dict[str, Any]) -> None:
    tmp = path.with_suffix(f".tmp-{os.getpid()}")
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(data, fh, indent=2)
        fh.flush()
        os.fsync(fh.fileno())
    fault_point("pointer-written")
    os.replace(tmp, path)
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


@dataclass(frozen=True)
class Record:
    """One vector to store: a clause, or a question a clause answers."""

    id: str
    text: str
    metadata: dict[str, Any]

    @property
    def hash(self) -> str:
        return str(self.metadata["hash"])


def clause_records(corpus: Corpus) -> list[Record]:
    return [
        Record(
            c.clause_id,
            embedding_text(c),
            {
                "instrument": c.instrument,
                "label": c.label,
                "hash": content_hash(c),
                "depth": c.depth,
                "page": c.page if c.page is not None else -1,
            },
        )
        for c in corpus.clauses
    ]


def question_records(corpus: Corpus, questions: Mapping[str, Sequence[str]]) -> list[Record]:
    by_id = corpus.by_id()
    return [
        Record(
            question_id(cid, n),
            text,
            {
                "instrument": by_id[cid].instrument,
                "clause": cid,
                "hash": hashlib.sha256(text.encode("utf-8")).hexdigest()[:16],
            },
        )
        for cid, texts in questions.items()
        if cid in by_id
        for n, text in enumerate(texts)
    ]


def sync_store(
    store: ClauseStore, records: Sequence[Record], progress: bool = True, what: str = "clauses"
) -> tuple[int, int, int, int]:
    """Upsert new and changed records, then delete removed ones. Returns counts."""
    existing = store.hashes()
    wanted = {r.id: r for r in records}
    changed = [r for rid, r in wanted.items() if existing.get(rid) != r.hash]
    added = sum(1 for r in changed if r.id not in existing)
    removed = [rid for rid in existing if rid not in wanted]
    bar = tqdm(
        total=len(changed),
        desc=f"embedding {what}",
        unit=what.rstrip("s"),
        file=sys.stderr,
        disable=not progress or not changed,
    )
    for start in range(0, len(changed), BATCH):
        batch = changed[start : start + BATCH]
        store.upsert([r.id for r in batch], [r.text for r in batch], [r.metadata for r in batch])
        bar.update(len(batch))
        fault_point("embedding")
    bar.close()
    store.delete(removed)
    return added, len(changed) - added, len(removed), len(wanted) - len(changed)


def question_collection(name: str) -> str:
    return f"{name}-questions"


def _sync_all(
    client: Any,
    name: str,
    location: str,
    corpus: Corpus,
    questions: Mapping[str, Sequence[str]],
    embedder: Embedder,
    progress: bool,
) -> tuple[ChromaClauseStore, tuple[int, int, int, int], int]:
    """Clauses into the collection ``name``, their questions into its companion collection."""
    store = ChromaClauseStore(client, name, embedder, location)  # type: ignore[arg-type]
    counts = sync_store(store, clause_records(corpus), progress)
    asked = ChromaClauseStore(client, question_collection(name), embedder, location)  # type: ignore[arg-type]
    records = question_records(corpus, questions)
    sync_store(asked, records, progress, what="questions")
    return store, counts, len(records)


def _info(settings: Settings, corpus: Corpus, collection: str, questions: int) -> dict[str, Any]:
    return {
        "collection": collection,
        "clauses": len(corpus.clauses),
        "questions": questions,
        "questions_digest": questions_digest(settings.questions_dir),
        "downloads_digest": current_downloads_digest(settings),
        "instruments": len({c.instrument for c in corpus.clauses}),
        "embedding_model": settings.embedding_model,
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "segmenter_version": SEGMENTER_VERSION,
    }


def ingest(
    settings: Settings,
    corpus: Corpus,
    embedder: Embedder,
    rebuild: bool = False,
    progress: bool = True,
    questions: Mapping[str, Sequence[str]] | None = None,
) -> IngestReport:
    """Embed and store the corpus's clauses and the questions they answer (``questions``:
    clause id -> questions; by default those of ``settings.questions_dir``)."""
    started = time.perf_counter()
    name = collection_name(settings)
    if questions is None:
        questions = load_questions(settings.questions_dir, set(corpus.by_id()))
    if settings.chroma_url:
        client = server_client(settings.chroma_url)
        if rebuild:
            for old in (name, question_collection(name)):
                with contextlib.suppress(Exception):  # not there yet
                    client.delete_collection(old)
        store, counts, asked = _sync_all(
            client, name, settings.chroma_url, corpus, questions, embedder, progress
        )
        store.set_info(_info(settings, corpus, name, asked))
        location = settings.chroma_url
    else:
        counts, asked, location = _ingest_embedded(
            settings, corpus, questions, embedder, name, rebuild, progress
        )
    return IngestReport(
        name,
        location,
        len(corpus.clauses),
        *counts,
        seconds=round(time.perf_counter() - started, 2),
        questions=asked,
    )


def _ingest_embedded(
    settings: Settings,
    corpus: Corpus,
    questions: Mapping[str, Sequence[str]],
    embedder: Embedder,
    name: str,
    rebuild: bool,
    progress: bool,
) -> tuple[tuple[int, int, int, int], int, str]:
    index_dir = settings.index_dir
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise IndexError_(f"cannot create the index directory {index_dir}: {exc}") from exc
    try:
        current = read_current(index_dir)
    except IndexError_:
        current = None  # a corrupt pointer: build afresh, the new pointer replaces it
    build = index_dir / f"build-{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}-{uuid.uuid4().hex[:6]}"
    previous = index_dir / current["build"] if current else None
    try:
        if (
            previous is not None
            and previous.is_dir()
            and not rebuild
            and current is not None
            and current.get("collection") == name
        ):
            shutil.copytree(previous, build, copy_function=_copy_file)
        else:
            build.mkdir()
        store, counts, asked = _sync_all(
            embedded_client(build), name, str(index_dir), corpus, questions, embedder, progress
        )
        info = _info(settings, corpus, name, asked)
        store.set_info(info)
        fault_point("info-set")
        _write_atomically(index_dir / CURRENT, {**info, "build": build.name})
        fault_point("pointer-swapped")
    except BaseException as exc:
        shutil.rmtree(build, ignore_errors=True)
        if isinstance(exc, OSError):
            raise IndexError_(
                f"ingest failed while writing {build} ({exc}); the previous index is untouched"
            ) from exc
        raise
    _remove_leftovers(index_dir, keep={build.name, previous.name if previous else ""})
    return counts, asked, str(index_dir)


def _remove_leftovers(index_dir: Path, keep: set[str]) -> None:
    """Older builds (all but ``keep``) and pointers never renamed, e.g. of a killed ingest."""
    for old in index_dir.glob("build-*"):
        if old.name not in keep:
            shutil.rmtree(old, ignore_errors=True)
    for tmp in index_dir.glob(f"{Path(CURRENT).stem}.tmp-*"):
        tmp.unlink(missing_ok=True)


def open_stores(settings: Settings, embedder: Embedder) -> tuple[ClauseStore, ClauseStore | None]:
    """The index that answers questions: the clauses, and the questions they answer (None in an
    index built before questions were stored). A missing or stale index is a clear error."""
    name = collection_name(settings)
    if settings.chroma_url:
        client = server_client(settings.chroma_url)
        location = settings.chroma_url
    else:
        current = read_current(settings.index_dir)
        if current is None:
            raise IndexError_(f"no index in {settings.index_dir}; build it with: assistant ingest")
        if current.get("collection") != name:
            raise IndexError_(
                f"the index in {settings.index_dir} is stale: it was built as "
                f"{current.get('collection')} (model {current.get('embedding_model')}, segmenter "
                f"{current.get('segmenter_version')}) but these settings and manifest need {name};"
                " rebuild it with: assistant ingest"
            )
        build = settings.index_dir / str(current["build"])
        if not build.is_dir():
            raise IndexError_(f"the index build {build} is missing; run: assistant ingest --rebuild")
        client = embedded_client(build)
        location = str(settings.index_dir)
    store = ChromaClauseStore(client, name, embedder, location, create=False)  # type: ignore[arg-type]
    try:
        asked: ClauseStore | None = ChromaClauseStore(
            client,
            question_collection(name),
            embedder,  # type: ignore[arg-type]
            location,
            create=False,
        )
    except IndexError_:
        asked = None
    return store, asked


def open_store(settings: Settings, embedder: Embedder) -> ClauseStore:
    """The clauses of the index that answers questions (see ``open_stores``)."""
    return open_stores(settings, embedder)[0]


def index_status(settings: Settings) -> dict[str, Any]:
    expected = collection_name(settings)
    if settings.chroma_url:
        client = server_client(settings.chroma_url)
        try:
            col = client.get_collection(expected)
        except Exception:
            return {
                "collection": expected,
                "clauses": 0,
                "questions": 0,
                "questions_current": False,
                "downloads_current": False,
                "instruments": 0,
                "embedding_model": settings.embedding_model,
                "chroma_url": settings.chroma_url,
                "built_at": None,
                "stale": False,
                "exists": False,
            }
        meta = {k.removeprefix("assistant_"): v for k, v in (col.metadata or {}).items()}
        return {
            "collection": expected,
            "clauses": col.count(),
            "questions": meta.get("questions", 0),
            "questions_current": meta.get("questions_digest") == questions_digest(settings.questions_dir),
            "downloads_current": meta.get("downloads_digest", EMPTY_DIGEST)
            == current_downloads_digest(settings),
            "instruments": meta.get("instruments", 0),
            "embedding_model": meta.get("embedding_model", settings.embedding_model),
            "chroma_url": settings.chroma_url,
            "built_at": meta.get("built_at"),
            "stale": False,
            "exists": True,
        }
    current = read_current(settings.index_dir)
    if current is None:
        return {
            "collection": expected,
            "clauses": 0,
            "questions": 0,
            "questions_current": False,
            "downloads_current": False,
            "instruments": 0,
            "embedding_model": settings.embedding_model,
            "index_dir": str(settings.index_dir),
            "built_at": None,
            "stale": False,
            "exists": False,
        }
    return {
        "collection": current.get("collection"),
        "clauses": current.get("clauses", 0),
        "questions": current.get("questions", 0),
        "questions_current": current.get("questions_digest") == questions_digest(settings.questions_dir),
        "downloads_current": current.get("downloads_digest", EMPTY_DIGEST)
        == current_downloads_digest(settings),
        "instruments": current.get("instruments", 0),
        "embedding_model": current.get("embedding_model"),
        "index_dir": str(settings.index_dir),
        "built_at": current.get("built_at"),
        "stale": current.get("collection") != expected,
        "exists": True,
    }
