"""Shared fixtures: the real corpus, loaded once per test session."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
# texts a developer fetched into corpus/downloads must not change what the tests see
os.environ.setdefault("ASSISTANT_DOWNLOADS_DIR", tempfile.mkdtemp(prefix="assistant-test-downloads-"))

from assistant.corpus.loader import load_corpus
from assistant.settings import REPO_ROOT, Settings
from assistant.types import Corpus

RESOLUTION = "cnd-2012-alternatives-to-imprisonment"
C1961 = "single-convention-1961"
C1971 = "psychotropic-convention-1971"
C1988 = "illicit-traffic-convention-1988"


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    path = Settings().corpus_dir
    if not path.is_dir():
        pytest.fail(f"the real corpus is needed at {path} (set ASSISTANT_CORPUS_DIR)")
    return path


@pytest.fixture(scope="session")
def manifest_path() -> Path:
    return REPO_ROOT / "corpus" / "manifest.yaml"


@pytest.fixture(scope="session")
def corpus(corpus_dir: Path, manifest_path: Path) -> Corpus:
    return load_corpus(corpus_dir, manifest_path)


# --- the real embedding model, loaded once, with a per-session cache of vectors ----------


class CachingEmbeddings:
    """The real model behind a text -> vector cache, so that the embedded and the server
    index of one test session embed each clause once."""

    def __init__(self, inner: object) -> None:
        self.inner = inner
        self.name = inner.name  # type: ignore[attr-defined]
        self._cache: dict[str, list[float]] = {}

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        missing = [t for t in dict.fromkeys(texts) if t not in self._cache]
        if missing:
            for text, vec in zip(missing, self.inner.embed_documents(missing), strict=True):  # type: ignore[attr-defined]
                self._cache[text] = vec
        return [self._cache[t] for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self.inner.embed_query(text)  # type: ignore[attr-defined,no-any-return]


@pytest.fixture(scope="session")
def embedder() -> CachingEmbeddings:
    from assistant.factory import embedder_for

    return CachingEmbeddings(embedder_for(Settings()))


def chroma_server_url() -> str | None:
    return os.environ.get("ASSISTANT_TEST_CHROMA_URL") or None


def mode_settings(mode: str, tmp: Path, **extra: object) -> Settings:
    """Settings for one Chroma mode: an embedded index in ``tmp`` or the test server."""
    if mode == "server":
        url = chroma_server_url()
        if url is None:
            pytest.skip("no Chroma server: set ASSISTANT_TEST_CHROMA_URL (make test starts one)")
        return Settings(index_dir=tmp / "unused", chroma_url=url, **extra)  # type: ignore[arg-type]
    return Settings(index_dir=tmp / "index", chroma_url=None, **extra)  # type: ignore[arg-type]


@pytest.fixture(scope="session", params=["embedded", "server"])
def built_index(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    corpus: Corpus,
    embedder: CachingEmbeddings,
) -> tuple[Settings, object]:
    """The full corpus indexed once per session in each Chroma mode: (settings, report)."""
    from assistant.index.ingest import ingest

    if request.param == "embedded":
        settings = request.getfixturevalue("embedded_index")
        report = ingest(settings, corpus, embedder, progress=False)  # type: ignore[arg-type]
        return settings, report
    settings = mode_settings(request.param, tmp_path_factory.mktemp(f"index-{request.param}"))
    report = ingest(settings, corpus, embedder, rebuild=True, progress=False)  # type: ignore[arg-type]
    return settings, report


@pytest.fixture(scope="session")
def embedded_index(
    tmp_path_factory: pytest.TempPathFactory, corpus: Corpus, embedder: CachingEmbeddings
) -> Settings:
    """The full corpus in an embedded index, built once per session."""
    from assistant.index.ingest import ingest

    settings = mode_settings("embedded", tmp_path_factory.mktemp("index-shared"))
    ingest(settings, corpus, embedder, rebuild=True, progress=False)  # type: ignore[arg-type]
    return settings


@pytest.fixture(scope="session")
def pipeline(embedded_index: Settings, corpus: Corpus, embedder: CachingEmbeddings) -> object:
    """The real pipeline (real model, real Chroma, real corpus), shared by the tests."""
    from assistant.factory import searcher_for
    from assistant.pipeline import Pipeline

    return Pipeline(embedded_index, corpus, searcher_for(embedded_index, corpus, embedder))  # type: ignore[arg-type]
