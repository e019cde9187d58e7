"""The manifest (``corpus/manifest.yaml``): pydantic at the edge, Instruments inside."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from assistant.errors import CorpusError
from assistant.types import Instrument


class ManifestEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    kind: str = "document"
    symbol: str
    title: str
    short_title: str
    date: str
    url: str
    source: str | None = None
    aliases: list[str] = []
    notes: str = ""

    def to_instrument(self) -> Instrument:
        return Instrument(
            id=self.id,
            symbol=self.symbol,
            title=" ".join(self.title.split()),
            short_title=self.short_title,
            date=self.date,
            url=self.url,
            kind=self.kind,
            source=self.source,
            aliases=tuple(self.aliases),
            notes=" ".join(self.notes.split()),
        )


class Manifest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: int = 1
    instruments: list[ManifestEntry]


def load_manifest(path: Path) -> list[Instrument]:
    """Read and validate the manifest; a clear CorpusError names the file on any problem."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise CorpusError(f"manifest not found: {path}") from exc
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise CorpusError(f"manifest {path} is not valid YAML: {exc}") from exc
    try:
        manifest = Manifest.model_validate(raw)
    except ValidationError as exc:
        raise CorpusError(f"manifest {path} is invalid: {exc}") from exc
    ids = [entry.id for entry in manifest.instruments]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise CorpusError(f"manifest {path} lists duplicate ids: {', '.join(duplicates)}")
    return [entry.to_instrument() for entry in manifest.instruments]
