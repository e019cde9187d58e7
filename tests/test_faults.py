"""Faults and load: a Chroma server restarted between two questions, concurrent askers."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import RESOLUTION

from assistant.index.ingest import ingest, open_store
from assistant.load import run_load
from assistant.pipeline import Pipeline
from assistant.retrieve import HybridSearcher
from assistant.settings import Settings
from assistant.types import Corpus


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start(path: Path, port: int) -> subprocess.Popen[bytes]:
    chroma = str(Path(sys.executable).with_name("chroma"))
    proc = subprocess.Popen(
        [chroma, "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(60):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1)
            return proc
        except OSError:
            time.sleep(0.5)
    proc.kill()
    pytest.skip("chroma run did not start")


@pytest.mark.slow
def test_chroma_server_restarted_between_questions(tmp_path: Path, corpus: Corpus, embedder: object) -> None:
    port = _port()
    server = _start(tmp_path / "chroma", port)
    try:
        settings = Settings(chroma_url=f"http://127.0.0.1:{port}", index_dir=tmp_path / "unused")
        small = Corpus(corpus.instruments, tuple(c for c in corpus.clauses if c.instrument == RESOLUTION))
        ingest(settings, small, embedder, progress=False)  # type: ignore[arg-type]
        pipe = Pipeline(settings, small, HybridSearcher(small, open_store(settings, embedder), embedder))  # type: ignore[arg-type]
        assert pipe.answer("What does operative paragraph 5 request?").citations
        server.terminate()
        server.wait(timeout=30)
        server = _start(tmp_path / "chroma", port)
        ans = pipe.answer("What does the resolution ask UNODC to make available?")
        assert not ans.abstained and ans.citations  # the same pipeline reconnects
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.mark.slow
def test_concurrent_askers_get_their_own_answers(pipeline: Pipeline) -> None:
    result = run_load(pipeline, threads=20, seconds=8)
    assert result["answers"] >= 20
    assert result["errors"] == 0, result["examples"]
    assert result["crossed"] == 0, result["examples"]
