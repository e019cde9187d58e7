"""The ClauseStore protocol: what retrieval and ingest need from a vector store."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol


class ClauseStore(Protocol):
    collection: str
    location: str

    def hashes(self) -> dict[str, str]:
        """clause_id -> content hash of every stored clause."""
        ...

    def upsert(
        self, ids: Sequence[str], texts: Sequence[str], metadatas: Sequence[dict[str, Any]]
    ) -> None: ...

    def delete(self, ids: Sequence[str]) -> None: ...

    def count(self) -> int: ...

    def query(
        self, vector: Sequence[float], k: int, instruments: Sequence[str] | None = None
    ) -> list[tuple[str, float]]:
        """(clause_id, similarity) best first."""
        ...

    def info(self) -> dict[str, Any]: ...

    def set_info(self, info: dict[str, Any]) -> None: ...
