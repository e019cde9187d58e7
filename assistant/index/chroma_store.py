"""Chroma, embedded (a persistent directory) or a server (``chroma run``), via langchain-chroma."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import chromadb
from chromadb.config import Settings as ChromaSettings
from langchain_chroma import Chroma
from langchain_core.embeddings import Embeddings

from assistant.errors import IndexError_

_INFO_PREFIX = "assistant_"
# candidates a query explores: more than the vectors of a collection here (1,030 clauses, 2,597
# questions), so that the search is exhaustive and gives the same nearest in every process
SEARCH_EF = 4096


def _client_settings() -> ChromaSettings:
    return ChromaSettings(anonymized_telemetry=False, allow_reset=False)


def embedded_client(path: Path) -> Any:
    try:
        return chromadb.PersistentClient(path=str(path), settings=_client_settings())
    except Exception as exc:  # chromadb raises many kinds on a damaged directory
        raise IndexError_(
            f"the index at {path} cannot be opened ({type(exc).__name__}: {exc});"
            " rebuild it with: assistant ingest --rebuild"
        ) from exc


def server_client(url: str) -> Any:
    parsed = urlparse(url)
    host = parsed.hostname or "127.0.0.1"
    port = parsed.port or (443 if parsed.scheme == "https" else 8000)
    try:
        client = chromadb.HttpClient(
            host=host, port=port, ssl=parsed.scheme == "https", settings=_client_settings()
        )
        client.heartbeat()
    except Exception as exc:
        raise IndexError_(
            f"cannot reach the Chroma server at {url} ({type(exc).__name__}); is `chroma run` "
            "running there? Unset ASSISTANT_CHROMA_URL to use the local index."
        ) from exc
    return client


class ChromaClauseStore:
    """One Chroma collection: of clauses (ids are clause ids), or of the questions they answer
    (ids "<clause id>#q<n>"); ids are stable, so writes are idempotent."""

    def __init__(
        self, client: Any, collection: str, embeddings: Embeddings, location: str, create: bool = True
    ) -> None:
        self.collection = collection
        self.location = location
        self._client = client
        try:
            if create:
                self._collection = client.get_or_create_collection(
                    collection, metadata={"hnsw:space": "cosine"}
                )
            else:
                self._collection = client.get_collection(collection)
        except Exception as exc:
            raise IndexError_(
                f"collection {collection!r} is not in the index at {location}"
                f" ({type(exc).__name__}); run: assistant ingest"
            ) from exc
        self._search_exhaustively()
        self.vectorstore = Chroma(
            client=client,
            collection_name=collection,
            embedding_function=embeddings,
            create_collection_if_not_exists=False,
        )

    @property
    def search_ef(self) -> int:
        """The candidates a query explores (Chroma's ``hnsw.ef_search``)."""
        config = getattr(self._collection, "configuration_json", None) or {}
        return int((config.get("hnsw") or {}).get("ef_search") or 0)

    def _search_exhaustively(self) -> None:
        """Queries explore SEARCH_EF candidates: at least every vector of these collections, so
        that the nearest are the same in every process.  With Chroma's default (100, below the
        200 asked for), the graph each process rebuilds from the index's unsynced tail gave
        another ranking from one run to the next."""
        if self.search_ef >= SEARCH_EF:
            return
        try:
            self._collection.modify(configuration={"hnsw": {"ef_search": SEARCH_EF}})
        except Exception as exc:  # an index that cannot be changed still answers, approximately
            warnings.warn(
                f"could not set the index's search breadth ({type(exc).__name__}: {exc})", stacklevel=2
            )

    def hashes(self) -> dict[str, str]:
        got = self._collection.get(include=["metadatas"])
        return {
            cid: str((meta or {}).get("hash", ""))
            for cid, meta in zip(got["ids"], got["metadatas"] or [], strict=False)
        }

    def upsert(self, ids: Sequence[str], texts: Sequence[str], metadatas: Sequence[dict[str, Any]]) -> None:
        self.vectorstore.add_texts(list(texts), metadatas=list(metadatas), ids=list(ids))

    def delete(self, ids: Sequence[str]) -> None:
        if ids:
            self._collection.delete(ids=list(ids))

    def count(self) -> int:
        return int(self._collection.count())

    def query(
        self, vector: Sequence[float], k: int, instruments: Sequence[str] | None = None
    ) -> list[tuple[str, float]]:
        where: dict[str, Any] | None = None
        if instruments:
            where = (
                {"instrument": instruments[0]}
                if len(instruments) == 1
                else {"instrument": {"$in": list(instruments)}}
            )
        try:
            res = self._collection.query(
                query_embeddings=[list(vector)], n_results=k, where=where, include=["distances"]
            )
        except Exception as exc:
            raise IndexError_(
                f"the index at {self.location} failed to answer ({type(exc).__name__}: {exc})"
            ) from exc
        ids = res["ids"][0]
        distances = (res.get("distances") or [[]])[0]
        return [(cid, 1.0 - float(d)) for cid, d in zip(ids, distances, strict=False)]

    def info(self) -> dict[str, Any]:
        meta = self._collection.metadata or {}
        return {k[len(_INFO_PREFIX) :]: v for k, v in meta.items() if k.startswith(_INFO_PREFIX)}

    def set_info(self, info: dict[str, Any]) -> None:
        meta = {k: v for k, v in (self._collection.metadata or {}).items() if not k.startswith("hnsw:")}
        meta.update({_INFO_PREFIX + k: v for k, v in info.items()})
        self._collection.modify(metadata=meta)
