"""Turns settings into backends: corpus, embedder, store, searcher. Built once, shared."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from assistant.corpus.loader import load_corpus
from assistant.index.embeddings import SentenceTransformerEmbeddings
from assistant.index.ingest import open_store
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
