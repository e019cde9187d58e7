"""A local HTTP server for the fetch tests (test helper, not a test module): ``http.server`` in a
thread on 127.0.0.1, port chosen by the system.

It serves the SYNTHETIC UN-style PDFs of ``un_pdf_factory`` as the UN documents system would:
``/undocs/<symbol>`` answers with redirects (301, then 302) to ``/files/<name>.pdf``; and as a
mirror: ``/mirror/<instrument id>.pdf``.  It also gives every failure a fetch must handle: a
404, an HTML page, a PDF cut short (whole by its Content-Length, or cut mid-transfer), an
encrypted PDF, another document than the one asked, bytes that are no PDF, and an answer that
comes too late.  Each request's path is logged.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pdf_factory
import un_pdf_factory as factory

HTML = (
    b"<!DOCTYPE html><html><head><title>Official Document System</title></head>"
    b"<body><p>Please choose a language.</p></body></html>"
)
SLOW_S = 3.0


@dataclass(frozen=True)
class Reply:
    status: int = 200
    body: bytes = b""
    content_type: str = "application/pdf"
    location: str = ""
    cut_at: int | None = None  # announce the whole body, send this many bytes, then close
    delay_s: float = 0.0


@dataclass
class FetchServer:
    url: str
    pdfs: dict[str, bytes]  # instrument id -> the synthetic PDF served for it
    routes: dict[str, Reply]
    log: list[str] = field(default_factory=list)

    def requests_for(self, fragment: str) -> int:
        return sum(fragment in path for path in self.log)


def build_pdfs(directory: Path) -> dict[str, Path]:
    """The three synthetic documents (one with line numbers in its margin) and the broken ones."""
    directory.mkdir(parents=True, exist_ok=True)
    out: dict[str, Path] = {}
    for inst_id, doc in factory.DOCS.items():
        path = directory / f"{inst_id}.pdf"
        factory.render_un_pdf(doc, path, line_numbers=inst_id == "ga-66-183")
        out[inst_id] = path
    from reportlab.lib.pdfencrypt import StandardEncryption

    encrypted = directory / "encrypted.pdf"
    factory.render_un_pdf(
        factory.S_20_3,
        encrypted,
        encrypt=StandardEncryption("secret", ownerPassword="owner", strength=128),
    )
    out["encrypted"] = encrypted
    out["truncated"] = pdf_factory.write_truncated_pdf(out["ga-s-20-3"], directory / "truncated.pdf", 0.6)
    return out


def routes_for(files: dict[str, Path]) -> tuple[dict[str, bytes], dict[str, Reply]]:
    pdfs = {k: files[k].read_bytes() for k in factory.DOCS}
    s203 = pdfs["ga-s-20-3"]
    routes = {
        # the official addresses: undocs.org redirects to the documents system
        "/undocs/A/RES/S-20/3": Reply(301, location="/ods/access?s=A/RES/S-20/3&l=en"),
        "/ods/access?s=A/RES/S-20/3&l=en": Reply(302, location="/files/N9877563.pdf"),
        "/files/N9877563.pdf": Reply(body=s203),
        "/undocs/A/RES/66/183": Reply(302, location="/files/N1146218.pdf"),
        "/files/N1146218.pdf": Reply(body=pdfs["ga-66-183"]),
        "/undocs/A/RES/65/230": Reply(302, location="/files/N1052568.pdf"),
        "/files/N1052568.pdf": Reply(body=pdfs["salvador-declaration-2010"]),
        # failures
        "/missing": Reply(404, b"not found", "text/plain"),
        "/html": Reply(200, HTML, "text/html; charset=utf-8"),
        "/html-as-pdf": Reply(200, HTML, "application/pdf"),
        "/truncated.pdf": Reply(body=files["truncated"].read_bytes()),
        "/cut.pdf": Reply(body=s203, cut_at=len(s203) // 2),
        "/encrypted.pdf": Reply(body=files["encrypted"].read_bytes()),
        "/wrong.pdf": Reply(body=s203),  # S-20/3 where S-20/2 is asked for
        "/not-a-pdf": Reply(200, b"\x00\x01binary data, not a document" * 10, "application/octet-stream"),
        "/slow.pdf": Reply(body=s203, delay_s=SLOW_S),
        "/server-error": Reply(503, b"busy", "text/plain"),
    }
    for inst_id, data in pdfs.items():
        routes[f"/mirror/{inst_id}.pdf"] = Reply(body=data)
    return pdfs, routes


@contextmanager
def serve(directory: Path) -> Iterator[FetchServer]:
    files = build_pdfs(directory)
    pdfs, routes = routes_for(files)
    log: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            log.append(self.path)
            reply = routes.get(self.path, Reply(404, b"not found", "text/plain"))
            if reply.delay_s:
                time.sleep(reply.delay_s)
            try:
                self.send_response(reply.status)
                if reply.location:
                    self.send_header("Location", reply.location)
                self.send_header("Content-Type", reply.content_type)
                self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                self.wfile.write(reply.body[: reply.cut_at] if reply.cut_at is not None else reply.body)
                self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):  # the client gave up (a timeout test)
                pass
            if reply.cut_at is not None:
                self.close_connection = True

        def log_message(self, format: str, *args: object) -> None:
            return

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield FetchServer(f"http://127.0.0.1:{httpd.server_address[1]}", pdfs, routes, log)
    finally:
        httpd.shutdown()
        httpd.server_close()
