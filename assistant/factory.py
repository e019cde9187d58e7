"""Turns settings into backends: corpus, embedder, store, searcher. Built once, shared."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from assistant.corpus.loader import load_corpus
from assistant.index.embeddings import SentenceTransformerEmbeddings
from assistant.index.ingest import open_store
from assistant.pipeline import Pipeline
from assistant.retrieve import HybridSearcher
from assistant.settings import Settings
from assistant.types import Corpus

_EMBEDDERS: dict[str, SentenceTransformerEmbeddings] = {}
_LOCK = threading.Lock()


def embedder_for(settings: Settings) -> SentenceTransformerEmbeddings:
    with _LOCK:
        if settings.embedding_model not in _EMBEDDERS:
            _EMBEDDERS[settings.embedding_model] = SentenceTransformerEmbeddings(settings.embedding_model)
        return _EMBEDDERS[settings.embedding_model]


def corpus_for(settings: Settings) -> Corpus:
    return load_corpus(settings.corpus_dir, settings.manifest)


@dataclass
class Backends:
    settings: Settings
    corpus: Corpus
    searcher: HybridSearcher


def build_backends(settings: Settings, corpus: Corpus | None = None) -> Backends:
    corpus = corpus or corpus_for(settings)
    embedder = embedder_for(settings)
    store = open_store(settings, embedder)
    return Backends(settings, corpus, HybridSearcher(corpus, store, embedder))


_PIPELINES: dict[str, object] = {}


def build_pipeline(settings: Settings | None = None) -> Pipeline:
    """The pipeline for these settings, built once per process and shared (thread-safe)."""
    settings = settings or Settings()
    key = settings.cache_key()
    with _LOCK:
        cached = _PIPELINES.get(key)
    if cached is not None:
        return cached  # type: ignore[return-value]
    backends = build_backends(settings)
    pipeline = Pipeline(settings, backends.corpus, backends.searcher)
    with _LOCK:
        return _PIPELINES.setdefault(key, pipeline)  # type: ignore[return-value]
