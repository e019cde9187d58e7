"""The real app in a real browser: `streamlit run ui/app.py` driven through Debian's chromium."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import C1961, RESOLUTION

from assistant.corpus.provisions import parallels
from assistant.settings import REPO_ROOT, Settings
from assistant.types import Corpus
from ui.render import anchor

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


@contextlib.contextmanager
def running_app(settings: Settings, tmp_path: Path, **extra: str) -> Iterator[str]:
    """``streamlit run ui/app.py`` on a free port with these settings (and ``extra``
    ASSISTANT_* variables); its URL."""
    if not CHROMIUM.is_file():
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)")
    port = _free_port()
    env = {
        **os.environ,
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "ANONYMIZED_TELEMETRY": "False",
        "ASSISTANT_INDEX_DIR": str(settings.index_dir),
        "ASSISTANT_CORPUS_DIR": str(settings.corpus_dir),
        "ASSISTANT_MANIFEST": str(settings.manifest),
        "ASSISTANT_EMBEDDING_MODEL": settings.embedding_model,
        "ASSISTANT_CHROMA_URL": "",
        "ASSISTANT_ANSWER_MODE": "extractive",
        "ASSISTANT_LLM_MODEL": "",
        "ASSISTANT_FEEDBACK_DB": str(tmp_path / "feedback.sqlite3"),
        **extra,
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


@contextlib.contextmanager
def chromium_page() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(120_000)
            yield page
        finally:
            browser.close()


def ask_in_chat(page: Any, question: str, chip_name: re.Pattern[str]) -> tuple[Any, Any]:
    """Type a question in the chat; wait for the citation chip named ``chip_name``.  Returns the
    chip and the answer's message."""
    box = page.get_by_placeholder("Ask about the resolution or the conventions...")
    box.wait_for()  # the first load builds the pipeline (model, index)
    box.fill(question)
    box.press("Enter")
    chip = page.get_by_role("button", name=chip_name)
    chip.wait_for()
    return chip, page.locator('[data-testid="stChatMessage"]').last


@pytest.fixture
def server(embedded_index: Settings, tmp_path: Path) -> Iterator[str]:
    with running_app(embedded_index, tmp_path) as url:
        yield url


def test_ask_open_a_citation_and_read_the_clause(server: str, corpus: Corpus) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    op5 = corpus.by_id()[f"{RESOLUTION}/op-5"]
    ARTIFACTS.mkdir(exist_ok=True)
    with chromium_page() as page:
        page.goto(server)
        chip, answer = ask_in_chat(
            page, "What does the resolution ask UNODC to do?", re.compile(r"Resolution, operative para\. 5")
        )
        sync_api.expect(answer).to_contain_text("United Nations Office on Drugs and Crime")
        sync_api.expect(answer).to_contain_text("[1]")

        chip.click()
        card = page.locator('[data-testid="stPopoverBody"]')
        sync_api.expect(card).to_contain_text("Resolution, operative para. 5")
        sync_api.expect(card).to_contain_text(op5.text.strip().rstrip(";"))
        # the supporting sentence is the bold one
        sync_api.expect(card.locator("strong", has_text="Requests the United Nations Office")).to_be_visible()
        sync_api.expect(card.get_by_role("link", name="Open in Documents")).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / "browser-answer.png"), full_page=False)

        # the link opens the clause in the documents page
        card.get_by_role("link", name="Open in Documents").click()
        page.wait_for_url(re.compile(r"/documents\?clause="))
        sync_api.expect(page.get_by_role("heading", name="Resolution, operative para. 5")).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / "browser-documents.png"), full_page=False)


@pytest.fixture
def fetch_app(embedded_index: Settings, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """The app with an empty downloads folder, fetching from a mirror on a local HTTP server that
    serves SYNTHETIC UN-style PDFs (tests/fetch_server.py), over a copy of the session's index."""
    import fetch_server

    index = tmp_path / "index"
    shutil.copytree(embedded_index.index_dir, index)
    downloads = tmp_path / "downloads"
    with fetch_server.serve(tmp_path / "served") as srv:
        settings = embedded_index.model_copy(update={"index_dir": index})
        with running_app(
            settings,
            tmp_path,
            ASSISTANT_DOWNLOADS_DIR=str(downloads),
            ASSISTANT_FETCH_MIRROR=srv.url + "/mirror",
        ) as url:
            yield url, downloads


def test_fetch_button_fetches_indexes_and_shows_the_text(fetch_app: tuple[str, Path]) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    url, downloads = fetch_app
    ARTIFACTS.mkdir(exist_ok=True)
    with chromium_page() as page:
        # an instrument the mirror does not hold: the error is shown, nothing is written
        page.goto(f"{url}/documents?doc=ga-54-132")
        page.get_by_role("button", name="Fetch official text").click()
        alert = page.get_by_text("The official text could not be fetched")
        sync_api.expect(alert).to_be_visible()
        sync_api.expect(alert).to_contain_text("404 Not Found")
        assert not downloads.exists() or not any(downloads.iterdir())

        page.goto(f"{url}/documents?doc=ga-s-20-3")
        sync_api.expect(
            page.get_by_text("The text of this instrument is not in these documents")
        ).to_be_visible()
        page.get_by_role("button", name="Fetch official text").click()
        # fetched, checked, indexed, and the page built again from the new corpus
        sync_api.expect(page.get_by_text("Fetched the official text of")).to_be_visible(timeout=300_000)
        sync_api.expect(page.get_by_text("Official text fetched on")).to_be_visible()
        # the picker's label has lost its "(not in the corpus)"
        picker = page.locator('[data-testid="stSelectbox"]')
        sync_api.expect(picker.locator('[value^="Declaration on the Guiding Principles"]')).to_have_count(1)
        sync_api.expect(picker.locator('[value*="not in the corpus"]')).to_have_count(0)
        sync_api.expect(
            page.get_by_text("Drug-using offenders should be offered treatment", exact=False)
        ).to_be_visible()
        sync_api.expect(page.get_by_text("SYNTHETIC TEST DOCUMENT", exact=False).first).to_be_visible()
        # the resolution's footnote 2 cites the annex: the link back is on the page
        sync_api.expect(
            page.get_by_role("link", name=re.compile(r"Cited by the Resolution, footnote 2"))
        ).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / "browser-fetch.png"), full_page=False)
        assert (downloads / "ga-s-20-3.pdf").is_file()
        assert (downloads / "ga-s-20-3.provenance.json").is_file()

        # the chat now answers from it, citing the paragraph
        page.goto(url)
        _chip, answer = ask_in_chat(
            page,
            "What does the Declaration on the Guiding Principles of Drug Demand Reduction say about "
            "offering treatment to drug-using offenders instead of prison?",
            # (slashes escaped: Playwright sends the pattern as /source/)
            re.compile(r"A\/RES\/S-20\/3, annex, para\. 8"),
        )
        sync_api.expect(answer).to_contain_text("Drug-using offenders should be offered treatment")
        sync_api.expect(answer).not_to_contain_text("not in these documents")


def _settled(page: Any) -> None:
    """Wait until the app's run has ended (Streamlit marks its root with the script's state):
    a click while the page is still being drawn can land on an element that then moves."""
    page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').wait_for()


def test_topics_side_by_side_then_through_to_a_clause_and_its_parallels(server: str, corpus: Corpus) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    expect = sync_api.expect
    topic = corpus.provisions.topic("decriminalisation")
    by_id = corpus.by_id()
    first_1961 = next(by_id[c] for c in topic.provisions if c.startswith(C1961 + "/"))
    ARTIFACTS.mkdir(exist_ok=True)
    with chromium_page() as page:
        page.goto(f"{server}/topics")
        # (the first load builds the pipeline)
        page.get_by_role("heading", name="Topics", exact=True).wait_for()
        _settled(page)
        # narrow the list, then pick the topic from it
        page.get_by_role("textbox", name="Filter topics").fill("personal use")
        page.get_by_role("textbox", name="Filter topics").press("Enter")
        expect(page.get_by_text(re.compile(r"Topic \(\d+ of 39\)"))).to_be_visible()
        _settled(page)
        page.locator('[data-testid="stSelectbox"]').click()
        page.get_by_role("option", name=topic.title).click()
        expect(page.get_by_role("heading", name=topic.title)).to_be_visible()
        _settled(page)
        expect(page).to_have_url(re.compile(r"/topics\?topic=decriminalisation"))
        expect(page.get_by_text("The texts do not use this term")).to_be_visible()

        # the provisions side by side: one column per convention, on one row
        columns = page.locator('[data-testid="stColumn"]')
        expect(columns).to_have_count(3)
        for col, name in zip(
            range(3), ("1961 Convention", "1971 Convention", "1988 Convention"), strict=True
        ):
            expect(columns.nth(col).get_by_role("heading", name=name)).to_be_visible()
        expect(columns.nth(0)).to_contain_text(first_1961.label)
        expect(columns.nth(0)).to_contain_text(" ".join(first_1961.text.split()[:12]))
        boxes = [columns.nth(i).bounding_box() for i in range(3)]
        assert all(b is not None for b in boxes)
        assert boxes[0]["x"] < boxes[1]["x"] < boxes[2]["x"]  # type: ignore[index]
        assert abs(boxes[0]["y"] - boxes[2]["y"]) < 5  # type: ignore[index]
        columns.nth(0).scroll_into_view_if_needed()
        page.screenshot(path=str(ARTIFACTS / "browser-topics.png"), full_page=False)

        # through to the clause in Documents, which lists its parallel provisions
        columns.nth(0).get_by_role("link", name="Open in Documents").first.click()
        page.wait_for_url(
            re.compile(r"/documents\?clause=" + re.escape(first_1961.clause_id.replace("/", "%2F")))
        )
        expect(page.get_by_role("heading", name=first_1961.label, exact=True)).to_be_visible()
        _settled(page)
        card = page.locator(".st-key-selected-card")
        expect(card.get_by_text("Parallel provisions")).to_be_visible()
        group, others = parallels(corpus, first_1961.clause_id)[0]
        expect(card.get_by_role("heading", name=group.subject)).to_be_visible()
        target = others[0]
        page.screenshot(path=str(ARTIFACTS / "browser-parallels.png"), full_page=False)
        card.get_by_role("link", name=target.label, exact=True).click()
        expect(page.get_by_role("heading", name=target.label, exact=True)).to_be_visible()
        # a link to the page it is on: the address bar follows (the next run reads it back)
        expect(page).to_have_url(
            re.compile(r"/documents\?clause=" + re.escape(target.clause_id.replace("/", "%2F")))
        )
        _settled(page)
        expect(page.get_by_role("heading", name=corpus.instrument(target.instrument).title)).to_be_visible()
        # in the text, the clause's own button opens its parallels, drawn when opened
        button = page.locator(f".st-key-par-{anchor(target.clause_id)}").get_by_role("button")
        button.scroll_into_view_if_needed()
        button.click()
        body = page.locator('[data-testid="stPopoverBody"]')
        try:
            expect(body.get_by_role("link", name=first_1961.label, exact=True)).to_be_visible(timeout=30_000)
        finally:
            page.screenshot(path=str(ARTIFACTS / "browser-parallels-popover.png"), full_page=False)

        # a trainer starts a session on a topic: the chat opens and answers its question
        page.goto(f"{server}/topics?topic=harm-reduction")
        page.get_by_role("heading", name="Harm reduction").wait_for()
        _settled(page)
        page.get_by_role("button", name="Start a session on this topic").click()
        expect(page).to_have_url(re.compile(r"127\.0\.0\.1:\d+/?$"))
        answer = page.locator('[data-testid="stChatMessage"]').last
        expect(page.locator('[data-testid="stChatMessage"]').first).to_contain_text(
            "What do the conventions say about harm reduction?"
        )
        expect(answer).to_contain_text("[1]", timeout=60_000)
        expect(answer).to_contain_text("harm reduction")
