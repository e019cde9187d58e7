"""The downloads folder (``ASSISTANT_DOWNLOADS_DIR``): official texts fetched by ``assistant fetch``.

Each instrument's text is ``<instrument id>.pdf``; beside it ``<instrument id>.provenance.json``
records where it came from (the address asked, where the redirects ended), its sha256, size,
page count and the time it was fetched.  A PDF put there by hand, without provenance (or whose
provenance names another sha256), is read all the same and reported as placed by hand.
Files are replaced only by an atomic rename, so a reader never sees half a file.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from assistant.types import TextOrigin

PDF_SUFFIX = ".pdf"
PROVENANCE_SUFFIX = ".provenance.json"
EMPTY_DIGEST = hashlib.sha256(b"").hexdigest()[:16]


def pdf_path(directory: Path, instrument_id: str) -> Path:
    return directory / f"{instrument_id}{PDF_SUFFIX}"


def provenance_path(directory: Path, instrument_id: str) -> Path:
    return directory / f"{instrument_id}{PROVENANCE_SUFFIX}"


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def read_provenance(directory: Path, instrument_id: str) -> dict[str, Any] | None:
    """The recorded provenance, or None when there is none (or it cannot be read)."""
    try:
        data = json.loads(provenance_path(directory, instrument_id).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, flush it to disk, rename it over."""
    tmp = path.with_name(f".{path.name}.part-{os.getpid()}")
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def provenance_bytes(record: dict[str, Any]) -> bytes:
    return (json.dumps(record, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def origin_of(directory: Path, instrument_id: str) -> TextOrigin | None:
    """Where the downloaded text of an instrument came from; None when there is no PDF."""
    path = pdf_path(directory, instrument_id)
    if not path.is_file():
        return None
    sha = file_sha256(path)
    size = path.stat().st_size
    record = read_provenance(directory, instrument_id)
    if record is None or record.get("sha256") != sha:
        return TextOrigin("downloads", str(path), sha256=sha, size=size)
    return TextOrigin(
        "fetched",
        str(path),
        sha256=sha,
        url=str(record.get("url") or ""),
        final_url=str(record.get("final_url") or ""),
        fetched_at=str(record.get("fetched_at") or ""),
        size=size,
        pages=int(record.get("pages") or 0),
    )


def downloads_digest(directory: Path, instrument_ids: Iterable[str]) -> str:
    """What the downloaded texts are (names and sha256): the index notes it, so that a text
    fetched (or replaced) after the last ingest is noticed."""
    parts = []
    for inst_id in sorted(set(instrument_ids)):
        path = pdf_path(directory, inst_id)
        if path.is_file():
            try:
                parts.append(f"{inst_id}:{file_sha256(path)}")
            except OSError:
                parts.append(f"{inst_id}:unreadable")
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()[:16]
