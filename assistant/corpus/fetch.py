"""``assistant fetch``: download the official text (PDF) of an instrument, check it, keep it.

The PDF comes from the instrument's official address in the manifest (undocs.org answers with
redirects to the UN documents system; they are followed), or from a mirror where each file is
``<instrument id>.pdf`` (a URL, or a folder).  What came back must be a whole PDF that pypdf
can read, not encrypted, with text, and that text must carry the document's symbol or title.
Only then does it replace the previous file: it is written to a temporary file in the
downloads folder, checked there, and renamed over (with its provenance record written first,
to a temporary file of its own).  A failed fetch leaves the previous file, and so the index,
as they were.  No Streamlit here: the command and the app's button run this same code.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import http.client
import logging
import os
import re
import socket
import ssl
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any, Literal

from assistant.corpus import downloads
from assistant.corpus.symbols import expected_symbols, squash
from assistant.errors import FetchError, SourceError
from assistant.types import Instrument, TextOrigin

USER_AGENT = "un-drug-policy-assistant/0.1 (assistant fetch)"
CHUNK = 1 << 16
MAX_BYTES = 200 * 1024 * 1024  # the largest official text expected is a few MB

Status = Literal["fetched", "updated", "unchanged", "present", "failed"]
# (instrument id, bytes received, bytes announced or None)
OnProgress = Callable[[str, int, int | None], None]


@dataclass(frozen=True)
class FetchOutcome:
    """What happened to one instrument: its text fetched, replaced, left as it was, or not."""

    instrument: str
    status: Status
    message: str
    origin: TextOrigin | None = None

    @property
    def ok(self) -> bool:
        return self.status != "failed"

    @property
    def changed(self) -> bool:
        return self.status in ("fetched", "updated")

    def to_dict(self) -> dict[str, Any]:
        return {
            "instrument": self.instrument,
            "status": self.status,
            "message": self.message,
            "origin": self.origin.to_dict() if self.origin else None,
        }


# -- where to fetch from ------------------------------------------------------------------


def mirror_url(mirror: str, instrument_id: str) -> str:
    """``<mirror>/<instrument id>.pdf``; a mirror given as a folder becomes a file:// URL."""
    name = urllib.parse.quote(f"{instrument_id}{downloads.PDF_SUFFIX}")
    if not re.match(r"^[a-z][a-z0-9+.-]*://", mirror, re.IGNORECASE):
        return Path(mirror).expanduser().resolve().joinpath(name).as_uri()
    return mirror.rstrip("/") + "/" + name


def main_title(inst: Instrument) -> str:
    """The title without its parenthesis: "Political Declaration (General Assembly resolution
    S-20/2, annex, ...)" -> "Political Declaration"."""
    return re.sub(r"\s*\(.*$", "", inst.title).strip()


# -- the download -------------------------------------------------------------------------


def _words(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def _what_to_do(inst: Instrument, directory: Path) -> str:
    return (
        "fetch it from a mirror with --from URL (files named <instrument id>.pdf), or download it "
        f"elsewhere and put it in {downloads.pdf_path(directory, inst.id)}"
    )


def _network_problem(inst: Instrument, url: str, reason: object, directory: Path) -> FetchError:
    if isinstance(reason, (TimeoutError, socket.timeout)) or "timed out" in str(reason):
        what = "no answer (timed out)"
    elif isinstance(reason, socket.gaierror):
        what = "the host name could not be resolved (no network?)"
    elif isinstance(reason, ConnectionRefusedError):
        what = "the connection was refused"
    elif isinstance(reason, ssl.SSLError):
        what = f"a secure connection could not be made ({reason})"
    elif isinstance(reason, FileNotFoundError):
        return FetchError(f"{inst.id}: {url} is not there (no such file in the mirror)")
    else:
        what = str(reason) or type(reason).__name__
    return FetchError(
        f"{inst.id}: cannot reach {url}: {what}. Is this machine online? Run the fetch again "
        f"when it is, or {_what_to_do(inst, directory)}"
    )


def _open_temp(directory: Path, instrument_id: str) -> tuple[Path, IO[bytes]]:
    """A new temporary file in the downloads folder (so that the final rename is atomic)."""
    path = directory / f".{instrument_id}{downloads.PDF_SUFFIX}.part-{os.getpid()}"
    return path, open(path, "wb")


def _disk_problem(exc: OSError, directory: Path) -> FetchError:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return FetchError(
            f"no space left on the disk of {directory}: free some space and fetch again (nothing was changed)"
        )
    return FetchError(f"cannot write in {directory}: {exc.strerror or exc} (nothing was changed)")


def _looks_like_html(head: bytes, content_type: str) -> bool:
    sniff = head.lstrip()[:200].lower()
    return content_type in ("text/html", "application/xhtml+xml") or sniff.startswith(
        (b"<!doctype html", b"<html", b"<?xml", b"<head", b"<body")
    )


def _of(got: int, total: int | None) -> str:
    return f"{got:,} of {total:,} bytes" if total is not None else f"{got:,} bytes"


@dataclass(frozen=True)
class _Download:
    path: Path
    final_url: str
    size: int
    sha256: str


def download(
    inst: Instrument,
    url: str,
    directory: Path,
    *,
    timeout: float,
    on_progress: OnProgress | None = None,
) -> _Download:
    """Fetch ``url`` (following redirects) into a temporary file of ``directory``; FetchError
    on any failure, with nothing left behind."""
    request = urllib.request.Request(
        url,
        headers={
            "User-Agent": USER_AGENT,
            "Accept": "application/pdf,*/*;q=0.5",
            "Accept-Language": "en",
        },
    )
    try:
        response = urllib.request.urlopen(request, timeout=timeout)
    except urllib.error.HTTPError as exc:
        exc.close()
        failed_at = getattr(exc, "filename", None) or url
        where = f" (redirected to {failed_at})" if failed_at != url else ""
        if exc.code == 404:
            raise FetchError(
                f"{inst.id}: {url} answered 404 Not Found{where}: the document is not at this "
                f"address; {_what_to_do(inst, directory)}"
            ) from exc
        raise FetchError(
            f"{inst.id}: {url} answered HTTP {exc.code} {exc.reason}{where}; try again later, or "
            f"{_what_to_do(inst, directory)}"
        ) from exc
    except urllib.error.URLError as exc:
        raise _network_problem(inst, url, exc.reason, directory) from exc
    except (TimeoutError, OSError, http.client.HTTPException) as exc:
        raise _network_problem(inst, url, exc, directory) from exc

    tmp: Path | None = None
    try:
        with response:
            final_url = response.geturl() or url
            content_type = response.headers.get_content_type() if response.headers else ""
            announced = response.headers.get("Content-Length") if response.headers else None
            total = int(announced) if announced and announced.isdigit() else None
            digest = hashlib.sha256()
            size = 0
            first = True
            while True:
                try:
                    block = response.read(CHUNK)
                except http.client.IncompleteRead as exc:
                    raise FetchError(
                        f"{inst.id}: the download from {final_url} was cut short "
                        f"({_of(size + len(exc.partial), total)}); fetch again"
                    ) from exc
                except (TimeoutError, OSError, http.client.HTTPException) as exc:
                    raise _network_problem(inst, final_url, exc, directory) from exc
                if first:
                    first = False
                    if _looks_like_html(block, content_type):
                        raise FetchError(
                            f"{inst.id}: {final_url} answered with an HTML page, not a PDF (a "
                            "landing or error page?); open the address in a browser and save "
                            f"the PDF, or {_what_to_do(inst, directory)}"
                        )
                    if b"%PDF-" not in block[:1024]:
                        kind = content_type or "unknown content"
                        raise FetchError(
                            f"{inst.id}: {final_url} did not answer with a PDF ({kind}); "
                            f"{_what_to_do(inst, directory)}"
                        )
                    try:
                        tmp, out = _open_temp(directory, inst.id)
                    except OSError as exc:
                        raise _disk_problem(exc, directory) from exc
                if not block:
                    break
                size += len(block)
                if size > MAX_BYTES:
                    raise FetchError(
                        f"{inst.id}: {final_url} sent more than {MAX_BYTES // 2**20} MB; that is "
                        "not the text of a resolution"
                    )
                digest.update(block)
                try:
                    out.write(block)
                except OSError as exc:
                    raise _disk_problem(exc, directory) from exc
                if on_progress is not None:
                    on_progress(inst.id, size, total)
            try:
                out.flush()
                os.fsync(out.fileno())
                out.close()
            except OSError as exc:
                raise _disk_problem(exc, directory) from exc
            if total is not None and size < total:
                raise FetchError(
                    f"{inst.id}: the download from {final_url} was cut short "
                    f"({_of(size, total)}); fetch again"
                )
            assert tmp is not None
            return _Download(tmp, final_url, size, digest.hexdigest())
    except BaseException:
        if tmp is not None:
            with contextlib.suppress(OSError):
                out.close()
            tmp.unlink(missing_ok=True)
        raise


# -- the checks ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Checked:
    pages: int
    symbol: str  # the symbol found in the text ("" when only the title was found)


def check_pdf(path: Path, inst: Instrument, url: str, shown_as: str) -> Checked:
    """Is this the instrument's text? A whole, readable, unencrypted PDF with text that
    carries its symbol or title. ``shown_as`` names the file in messages (its address)."""
    with open(path, "rb") as fh:
        fh.seek(max(0, path.stat().st_size - 2048))
        tail = fh.read()
    if b"%%EOF" not in tail:
        raise FetchError(
            f"{inst.id}: the PDF from {shown_as} is incomplete (truncated: it has no end-of-file "
            "marker); fetch it again"
        )
    pages = _page_count(path, inst, shown_as)
    from assistant.corpus.pdf import read_pdf

    try:
        doc = read_pdf(path)
    except SourceError as exc:
        raise FetchError(f"{inst.id}: {str(exc).replace(str(path), 'the PDF from ' + shown_as)}") from exc
    text = "\n".join([*doc.metadata.values(), *(p.text for p in doc.paras), *(n.text for n in doc.footnotes)])
    squashed = squash(text)
    symbols = expected_symbols(inst, url)
    found = next((s for s in symbols if squash(s) in squashed), "")
    title = main_title(inst)
    if not found and not (title and _words(title) in _words(text)):
        wanted = " or ".join(symbols) or inst.symbol
        raise FetchError(
            f"{inst.id}: the PDF from {shown_as} is not this document: its text carries neither "
            f"the symbol {wanted} nor the title “{title}”"
        )
    return Checked(pages, found)


def _page_count(path: Path, inst: Instrument, shown_as: str) -> int:
    from pypdf import PdfReader

    quiet = logging.getLogger("pypdf")
    level = quiet.level
    quiet.setLevel(logging.ERROR)
    try:
        reader = PdfReader(path, strict=False)
        if reader.is_encrypted:
            try:
                opened = bool(reader.decrypt(""))
            except Exception:
                opened = False
            if not opened:
                raise FetchError(
                    f"{inst.id}: the PDF from {shown_as} is encrypted (password-protected); it cannot be read"
                )
        return len(reader.pages)
    except FetchError:
        raise
    except Exception as exc:
        raise FetchError(
            f"{inst.id}: the PDF from {shown_as} is damaged and cannot be read "
            f"({type(exc).__name__}: {exc}); fetch it again"
        ) from exc
    finally:
        quiet.setLevel(level)


# -- one instrument, then several ---------------------------------------------------------


def fetch_one(
    inst: Instrument,
    directory: Path,
    *,
    mirror: str | None = None,
    force: bool = False,
    timeout: float = 30.0,
    on_progress: OnProgress | None = None,
) -> FetchOutcome:
    """Fetch, check and keep the official text of one instrument. Never raises FetchError:
    a failure is an outcome with its message, and the previous file stays as it was."""
    url = mirror_url(mirror, inst.id) if mirror else inst.url
    target = downloads.pdf_path(directory, inst.id)
    current = downloads.origin_of(directory, inst.id) if target.is_file() else None
    damaged = ""
    if current is not None and not force:
        try:
            check_pdf(target, inst, url, str(target))
        except FetchError as exc:  # a damaged or wrong file is no reason not to fetch the right one
            damaged = str(exc)
    if current is not None and not force and not damaged:
        if current.kind == "fetched":
            when = current.fetched_at[:10] or "earlier"
            return FetchOutcome(
                inst.id,
                "present",
                f"already fetched ({when}, sha256 {current.sha256[:12]}); --force fetches it again",
                current,
            )
        return FetchOutcome(
            inst.id,
            "present",
            f"a PDF is already in {target} (placed by hand, sha256 {current.sha256[:12]}); "
            "--force replaces it with the official text",
            current,
        )
    if not url:
        return FetchOutcome(inst.id, "failed", f"{inst.id}: the manifest gives no address for it")
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        return FetchOutcome(inst.id, "failed", f"cannot create the downloads folder {directory}: {exc}")
    try:
        got = download(inst, url, directory, timeout=timeout, on_progress=on_progress)
    except FetchError as exc:
        return FetchOutcome(inst.id, "failed", str(exc), current)
    try:
        if current is not None and current.sha256 == got.sha256:
            return FetchOutcome(
                inst.id,
                "unchanged",
                f"the file at {got.final_url} is the one already here (sha256 {got.sha256[:12]})",
                current,
            )
        checked = check_pdf(got.path, inst, url, got.final_url)
        record = {
            "instrument": inst.id,
            "symbol": checked.symbol or inst.symbol,
            "url": url,
            "final_url": got.final_url,
            "sha256": got.sha256,
            "size": got.size,
            "pages": checked.pages,
            "fetched_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "mirror": mirror or None,
        }
        _keep(got.path, target, directory, inst.id, record)
    except FetchError as exc:
        return FetchOutcome(inst.id, "failed", str(exc), current)
    finally:
        got.path.unlink(missing_ok=True)
    origin = downloads.origin_of(directory, inst.id)
    status: Status = "updated" if current is not None else "fetched"
    replaced = " (it replaces a file that could not be used)" if damaged else ""
    return FetchOutcome(
        inst.id,
        status,
        f"{checked.symbol or inst.symbol}: {checked.pages} pages, {got.size:,} bytes, "
        f"sha256 {got.sha256[:12]}, from {got.final_url}{replaced}",
        origin,
    )


def _keep(tmp: Path, target: Path, directory: Path, instrument_id: str, record: dict[str, Any]) -> None:
    """Provenance to a temporary file first, then the PDF renamed over, then the provenance."""
    prov = downloads.provenance_path(directory, instrument_id)
    prov_tmp = prov.with_name(f".{prov.name}.part-{os.getpid()}")
    try:
        with open(prov_tmp, "wb") as fh:
            fh.write(downloads.provenance_bytes(record))
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
        os.replace(prov_tmp, prov)
    except OSError as exc:
        raise _disk_problem(exc, directory) from exc
    finally:
        prov_tmp.unlink(missing_ok=True)


def targets(instruments: Sequence[Instrument], ids: Sequence[str]) -> list[Instrument]:
    """The named instruments (FetchError on an unknown id), else every manifest instrument whose
    text is not in the corpus directory (fetched ones are listed, and left alone unless forced)."""
    by_id = {i.id: i for i in instruments if i.in_manifest}
    unknown = [i for i in ids if i not in by_id]
    if unknown:
        raise FetchError(f"unknown instrument {', '.join(unknown)}; known: {', '.join(sorted(by_id))}")
    if ids:
        return [by_id[i] for i in dict.fromkeys(ids)]
    return [i for i in by_id.values() if i.origin is None or i.origin.kind != "corpus"]


def fetch_many(
    instruments: Sequence[Instrument],
    directory: Path,
    *,
    mirror: str | None = None,
    force: bool = False,
    timeout: float = 30.0,
    on_progress: OnProgress | None = None,
    on_done: Callable[[FetchOutcome], None] | None = None,
) -> list[FetchOutcome]:
    outcomes = []
    for inst in instruments:
        outcome = fetch_one(
            inst, directory, mirror=mirror, force=force, timeout=timeout, on_progress=on_progress
        )
        outcomes.append(outcome)
        if on_done is not None:
            on_done(outcome)
    return outcomes


def summary(outcomes: Sequence[FetchOutcome]) -> str:
    counts = {
        s: sum(o.status == s for o in outcomes)
        for s in ("fetched", "updated", "unchanged", "present", "failed")
    }
    names = {
        "fetched": "fetched",
        "updated": "replaced",
        "unchanged": "unchanged",
        "present": "already there",
        "failed": "failed",
    }
    return ", ".join(f"{n} {names[s]}" for s, n in counts.items() if n) or "nothing to fetch"
