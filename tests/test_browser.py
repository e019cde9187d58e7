"""The real app in a real browser: `streamlit run ui/app.py` driven through Debian's chromium."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import RESOLUTION

from assistant.settings import REPO_ROOT, Settings
from assistant.types import Corpus

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = REPO_ROOT / "test-artifacts"

pytestmark = pytest.mark.browser


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_healthy(url: str, proc: subprocess.Popen[bytes], log: Path, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(
                f"streamlit exited with {proc.returncode}:\n{log.read_text(errors='replace')[-3000:]}"
            )
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    pytest.fail(
        f"streamlit did not answer at {url} within {timeout}s:\n{log.read_text(errors='replace')[-3000:]}"
    )


@pytest.fixture
def server(embedded_index: Settings, tmp_path: Path) -> Iterator[str]:
    if not CHROMIUM.is_file():
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)")
    port = _free_port()
    env = {
        **os.environ,
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "ANONYMIZED_TELEMETRY": "False",
        "ASSISTANT_INDEX_DIR": str(embedded_index.index_dir),
        "ASSISTANT_CORPUS_DIR": str(embedded_index.corpus_dir),
        "ASSISTANT_MANIFEST": str(embedded_index.manifest),
        "ASSISTANT_EMBEDDING_MODEL": embedded_index.embedding_model,
        "ASSISTANT_CHROMA_URL": "",
        "ASSISTANT_ANSWER_MODE": "extractive",
        "ASSISTANT_LLM_MODEL": "",
        "ASSISTANT_FEEDBACK_DB": str(tmp_path / "feedback.sqlite3"),
    }
    log = tmp_path / "streamlit.log"
    cmd = [
        str(Path(sys.executable).parent / "streamlit"),
        "run",
        str(REPO_ROOT / "ui" / "app.py"),
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
    ]
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            cmd, cwd=REPO_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, proc, log)
        yield url
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=15)


def test_ask_open_a_citation_and_read_the_clause(server: str, corpus: Corpus) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    op5 = corpus.by_id()[f"{RESOLUTION}/op-5"]
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(120_000)
            page.goto(server)
            box = page.get_by_placeholder("Ask about the resolution or the conventions...")
            box.wait_for()  # the first load builds the pipeline (model, index)
            box.fill("What does the resolution ask UNODC to do?")
            box.press("Enter")

            chip = page.get_by_role("button", name=re.compile(r"Resolution, operative para\. 5"))
            chip.wait_for()
            answer = page.locator('[data-testid="stChatMessage"]').last
            sync_api.expect(answer).to_contain_text("United Nations Office on Drugs and Crime")
            sync_api.expect(answer).to_contain_text("[1]")

            chip.click()
            card = page.locator('[data-testid="stPopoverBody"]')
            sync_api.expect(card).to_contain_text("Resolution, operative para. 5")
            sync_api.expect(card).to_contain_text(op5.text.strip().rstrip(";"))
            # the supporting sentence is the bold one
            sync_api.expect(
                card.locator("strong", has_text="Requests the United Nations Office")
            ).to_be_visible()
            sync_api.expect(card.get_by_role("link", name="Open in Documents")).to_be_visible()
            page.screenshot(path=str(ARTIFACTS / "browser-answer.png"), full_page=False)

            # the link opens the clause in the documents page
            card.get_by_role("link", name="Open in Documents").click()
            page.wait_for_url(re.compile(r"/documents\?clause="))
            sync_api.expect(page.get_by_role("heading", name="Resolution, operative para. 5")).to_be_visible()
            page.screenshot(path=str(ARTIFACTS / "browser-documents.png"), full_page=False)
        finally:
            browser.close()
