"""Turns settings into backends: corpus, embedder, store, searcher. Built once, shared."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from assistant.corpus.loader import load_corpus
from assistant.corpus.questions import load_questions
from assistant.index.embeddings import Embedder, SentenceTransformerEmbeddings
from assistant.index.ingest import open_stores
from assistant.index.multilingual import MultilingualVectors
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
    return load_corpus(settings.corpus_dir, settings.manifest, settings.downloads_dir)


def questions_for(
    settings: Settings, corpus: Corpus, warnings: list[str] | None = None
) -> dict[str, tuple[str, ...]]:
    """The questions each clause of this corpus answers (document expansion for search)."""
    return load_questions(settings.questions_dir, set(corpus.by_id()), warnings)


@dataclass
class Backends:
    settings: Settings
    corpus: Corpus
    searcher: HybridSearcher


def searcher_for(settings: Settings, corpus: Corpus, embedder: Embedder) -> HybridSearcher:
    """The search over the index these settings name, with the questions the clauses answer."""
    store, question_store = open_stores(settings, embedder)
    searcher = HybridSearcher(corpus, store, embedder, questions_for(settings, corpus), question_store)
    # multilingual (issue #14): the e5 clause vectors, read when a non-English question comes
    # (picked up without a restart once `assistant ingest --multilingual` has built them)
    searcher.multilingual = MultilingualVectors(settings.index_dir, corpus.clauses)
    return searcher


def build_backends(settings: Settings, corpus: Corpus | None = None) -> Backends:
    corpus = corpus or corpus_for(settings)
    return Backends(settings, corpus, searcher_for(settings, corpus, embedder_for(settings)))


_PIPELINES: dict[str, object] = {}


def forget_pipelines() -> None:
    """Drop the pipelines built so far: the corpus changed (an official text was fetched)."""
    with _LOCK:
        _PIPELINES.clear()


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
