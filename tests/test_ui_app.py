"""The Streamlit app through AppTest: every page, against the real corpus, model and index."""

from __future__ import annotations

import contextlib
import logging
import re
import shutil
import socket
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import C1961, RESOLUTION
from streamlit.testing.v1 import AppTest

from assistant.export import conversation_markdown, escape_markdown
from assistant.feedback import FeedbackStore
from assistant.quiz import make_quiz
from assistant.settings import REPO_ROOT, Settings
from assistant.types import Corpus

APP = REPO_ROOT / "ui" / "app.py"
TIMEOUT = 60

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"


def app_env(settings: Settings, feedback_db: Path) -> dict[str, str]:
    """ASSISTANT_* variables that point the app at these settings (as the subprocess test does)."""
    return {
        "ASSISTANT_INDEX_DIR": str(settings.index_dir),
        "ASSISTANT_CORPUS_DIR": str(settings.corpus_dir),
        "ASSISTANT_MANIFEST": str(settings.manifest),
        "ASSISTANT_EMBEDDING_MODEL": settings.embedding_model,
        "ASSISTANT_CHROMA_URL": "",
        "ASSISTANT_ANSWER_MODE": "extractive",
        "ASSISTANT_LLM_MODEL": "",
        "ASSISTANT_FEEDBACK_DB": str(feedback_db),
        "ASSISTANT_RUNS_DIR": str(feedback_db.parent / "runs"),  # never the repository's evals/runs
    }


@pytest.fixture
def feedback_db(tmp_path: Path) -> Path:
    return tmp_path / "feedback" / "feedback.sqlite3"


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, embedded_index: Settings, feedback_db: Path) -> Settings:
    for key, value in app_env(embedded_index, feedback_db).items():
        monkeypatch.setenv(key, value)
    return embedded_index


def start(page: str | None = None, **query: str) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.run()
    if page:
        at.switch_page(page)
    for key, value in query.items():
        at.query_params[key] = value
    if page or query:
        at.run()
    assert not at.exception, at.exception
    return at


@contextlib.contextmanager
def deprecations() -> Iterator[list[str]]:
    """Deprecations met while the block runs: Streamlit's (logged, its loggers do not propagate)
    and Python warnings raised from the project's own files (assistant/, ui/)."""
    found: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            message = record.getMessage()
            if record.levelno >= logging.WARNING and (
                "deprecat" in message.lower() or "Please replace" in message
            ):
                found.append(f"{record.name}: {message}")

    handler = Collect()
    names = ["streamlit", *(n for n in logging.root.manager.loggerDict if n.startswith("streamlit."))]
    loggers = [logging.getLogger(n) for n in names]
    for logger in loggers:
        logger.addHandler(handler)
    own = tuple(str(REPO_ROOT / d) for d in ("assistant", "ui"))
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            yield found
        for w in caught:
            if issubclass(w.category, (DeprecationWarning, PendingDeprecationWarning, FutureWarning)) and str(
                w.filename
            ).startswith(own):
                found.append(f"{w.filename}:{w.lineno}: {w.message}")
    finally:
        for logger in loggers:
            logger.removeHandler(handler)


def ask(at: AppTest, question: str) -> AppTest:
    at.chat_input[0].set_value(question).run()
    assert not at.exception, at.exception
    return at


def nodes(at: AppTest) -> Iterator[Any]:
    for root in (at.main, at.sidebar):
        yield from root


def texts(at: AppTest) -> list[str]:
    """Every Markdown body the app sent: markdown, captions, alerts, labels."""
    out = []
    for node in nodes(at):
        proto = getattr(node, "proto", None)
        for attr in ("body", "label"):
            value = getattr(proto, attr, None)
            if isinstance(value, str) and value:
                out.append(value)
    return out


def popovers(at: AppTest) -> list[Any]:
    return list(at.get("popover"))


def popover_markdown(pop: Any) -> list[str]:
    return [n.value for n in pop if getattr(n, "type", "") == "markdown"]


def page_links(at: AppTest) -> list[tuple[str, str]]:
    return [(p.proto.label, p.proto.query_string) for p in at.get("page_link")]


# -- chat ---------------------------------------------------------------------------------


def test_chat_answers_with_citations_and_opens_the_clause(env: Settings, corpus: Corpus) -> None:
    at = ask(start(), "What does the resolution ask UNODC to do?")
    assistant = [m for m in at.chat_message if m.name == "assistant"]
    assert len(assistant) == 1
    answer_md = [n.value for n in assistant[0] if getattr(n, "type", "") == "markdown"]
    assert any("\\[1\\]" in md and "United Nations Office on Drugs and Crime" in md for md in answer_md)

    chips = popovers(at)
    labels = [p.proto.popover.label for p in chips]
    assert any("Resolution, operative para. 5" in label for label in labels), labels
    op5 = corpus.by_id()[f"{RESOLUTION}/op-5"]
    chip = next(p for p in chips if "operative para. 5" in p.proto.popover.label)
    # opening the chip: the clause label, its verbatim text (supporting sentence in bold), a link
    inside = popover_markdown(chip)
    assert any("Resolution, operative para. 5" in md for md in inside)
    assert any(md.startswith("**") and escape_markdown(op5.text.strip().rstrip(";")) in md for md in inside)
    links = [(p.proto.label, p.proto.query_string) for p in chip if getattr(p, "type", "") == "page_link"]
    assert ("Open in Documents", "clause=" + op5.clause_id.replace("/", "%2F")) in links


def test_chat_clause_context_shows_chapeau_or_parent(env: Settings) -> None:
    at = ask(start(), "What may Parties do in cases of a minor nature under the 1988 Convention?")
    chip = next(p for p in popovers(at) if "art. 3(4)(c)" in p.proto.popover.label)
    links = [p.proto.label for p in chip if getattr(p, "type", "") == "page_link"]
    assert "Part of 1988 Convention, art. 3(4)" in links
    assert "Cited by the Resolution, footnote 5" in links
    captions = [n.value for n in chip if getattr(n, "type", "") == "caption"]
    assert any("Offences and sanctions" in c for c in captions)


def test_follow_up_uses_the_earlier_question(env: Settings) -> None:
    at = ask(start(), "Which conventions allow treatment instead of punishment?")
    at = ask(at, "And in cases of a minor nature?")
    chat = at.session_state["chat"]
    assert [e.turn.question for e in chat] == [
        "Which conventions allow treatment instead of punishment?",
        "And in cases of a minor nature?",
    ]
    assert chat[1].history == ("Which conventions allow treatment instead of punishment?",)
    assert not chat[1].answer.abstained
    assert "illicit-traffic-convention-1988/art-3/para-4/c" in [c.clause_id for c in chat[1].answer.citations]
    assert any(t.startswith("Understood as:") for t in texts(at))
    assert len([m for m in at.chat_message if m.name == "assistant"]) == 2

    at.button(key="new_conversation").click().run()
    assert at.session_state["chat"] == []
    assert not [m for m in at.chat_message if m.name == "assistant"]


def test_abstention_offers_the_nearest_clauses(env: Settings) -> None:
    at = ask(start(), "Which river flows through Paris?")
    entry = at.session_state["chat"][0]
    assert entry.answer.abstained
    assert any("do not answer" in i.value for i in at.info)
    assert any("closest clauses" in c.value for c in at.caption)
    assert len(popovers(at)) == len(entry.answer.nearest) > 0


def test_export_conversation_is_markdown_with_footnotes(env: Settings, corpus: Corpus) -> None:
    at = ask(start(), "What does the resolution ask UNODC to do?")
    at = ask(at, "Which conventions allow treatment instead of punishment?")
    button = at.get("download_button")
    export = next(b for b in button if b.proto.label == "Export conversation")
    assert not export.proto.disabled
    preview = [c.value for c in at.sidebar.get("code")]
    assert preview, "the export preview is in the sidebar"
    markdown = preview[0]
    turns = [e.turn for e in at.session_state["chat"]]
    expected = conversation_markdown(turns, clauses=corpus.by_id())
    assert re.sub(r"\nExported [^\n]*\n", "", markdown) == expected.rstrip("\n")
    assert "## 1. What does the resolution ask UNODC to do?" in markdown
    assert "[^1]" in markdown and "\n[^1]: **Resolution, operative para. " in markdown
    cited = {c.clause_id for t in turns if t.answer for c in t.answer.citations}
    for clause_id in cited:
        assert f"`{clause_id}`" in markdown


class EchoGenerator:
    """A stand-in LLM: answers with the first numbered clause, token by token."""

    name = "echo"

    def __init__(self) -> None:
        self.streamed: list[str] = []

    def generate(self, system: str, prompt: str, on_token: Any = None) -> str:
        block = prompt.split("[1] ", 1)[1].split("\n\n", 1)[0]
        text = block.split("\n", 1)[1].strip().rstrip(";,.")
        out = f"{text} [1]."
        for piece in re.findall(r"\S+\s*", out):
            self.streamed.append(piece)
            if on_token is not None:
                on_token(piece)
        return out


def test_llm_mode_streams_then_shows_the_checked_answer(
    env: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ASSISTANT_LLM_MODEL", "echo-model")
    monkeypatch.setenv("ASSISTANT_LLM_API_KEY", "sk-very-secret-key")
    at = start()
    from ui import state as ui_state

    pipeline = ui_state._pipeline(ui_state.settings_key(Settings()))
    echo = EchoGenerator()
    pipeline.generators["openai"] = echo
    assert at.radio(key="answer_mode").options == [
        "Offline (extractive, no model calls)",
        "OpenAI-compatible LLM",
        "Ollama LLM",
    ]
    at.radio(key="answer_mode").set_value("openai").run()
    at = ask(at, "What does OP 5 request?")
    entry = at.session_state["chat"][0]
    assert entry.mode == "openai" and echo.streamed
    assert not entry.answer.abstained and entry.answer.citations
    assert any(m.value == "Model: echo-model" for m in at.caption)
    assert not any("sk-very-secret-key" in t for t in texts(at))


# -- documents ------------------------------------------------------------------------------


def test_documents_shows_the_clause_of_the_query_param(env: Settings, corpus: Corpus) -> None:
    clause = corpus.by_id()[f"{C1961}/art-36/para-1/b"]
    at = start("views/documents.py", clause=clause.clause_id)
    assert at.subheader[0].value == escape_markdown(clause.label)
    card = at.get("flex_container")  # containers
    assert card is not None
    assert any(escape_markdown(clause.text.strip()) in md for md in texts(at))
    links = page_links(at)
    assert ("Cited by the Resolution, footnote 5", f"clause={RESOLUTION}%2Ffn-5") in links
    assert ("Part of 1961 Convention, art. 36(1)", f"clause={C1961}%2Fart-36%2Fpara-1") in links
    expanded = [e.label for e in at.expander if e.proto.expanded]
    assert expanded == [escape_markdown("Art. 36 - Penal provisions")]


def test_documents_footnote_5_links_to_the_four_convention_clauses(env: Settings, corpus: Corpus) -> None:
    at = start("views/documents.py", clause=f"{RESOLUTION}/fn-5")
    links = {label for label, _query in page_links(at)}
    for ref in corpus.by_id()[f"{RESOLUTION}/fn-5"].references:
        assert f"Cites {corpus.by_id()[ref].label}" in links
    # the resolution is read by its structure
    assert [s.value for s in at.subheader][2:] == ["Header", "Preamble", "Operative part", "Footnotes"]


def test_documents_instrument_without_text_shows_its_manifest_entry(env: Settings, corpus: Corpus) -> None:
    inst = corpus.instrument("ga-s-20-3")
    at = start("views/documents.py", doc=inst.id)
    assert any("not in these documents" in i.value for i in at.info)
    body = "\n".join(texts(at))
    assert escape_markdown(inst.symbol) in body and inst.url in body
    assert ("Resolution, footnote 2", f"clause={RESOLUTION}%2Ffn-2") in page_links(at)


# -- trainer ----------------------------------------------------------------------------------


def test_trainer_quiz_is_scored_and_shows_the_clause(env: Settings, corpus: Corpus) -> None:
    at = start("views/trainer.py")
    at.number_input(key="quiz_seed").set_value(7).run()
    quiz = make_quiz(corpus, 7, 6)
    assert [escape_markdown(q.prompt) in "\n".join(texts(at)) for q in quiz.questions] == [True] * 6
    for i, q in enumerate(quiz.questions):
        choice = q.answer if i % 2 == 0 else (q.answer + 1) % len(q.options)
        at.radio(key=f"quiz-7-{q.id}").set_value(choice)
    at.run()
    assert not at.exception
    assert len(at.success) == 3 and len(at.error) == 3
    assert at.metric[0].value == "3 / 6"
    for q in quiz.questions:
        label = corpus.by_id()[q.clause_id].label
        assert any(e.label == escape_markdown(f"The clause: {label}") for e in at.expander)
    handout = [c.value for c in at.get("code") if "Quiz (seed 7)" in c.value]
    assert handout and "Score: 3 of 6" in handout[0]


def test_trainer_tour_and_starter_question(env: Settings) -> None:
    at = start("views/trainer.py")
    assert any("operative para. 1" in t for t in texts(at))
    at.button(key="tour_next").click().run()
    assert any(t == "#### Resolution, operative para. 2" for t in texts(at))
    at.button(key="starter-0").click().run()
    assert not at.exception
    chat = at.session_state["chat"]
    assert chat and chat[0].turn.question == "What does the resolution ask UNODC to do?"
    assert not chat[0].answer.abstained


# -- feedback -----------------------------------------------------------------------------


def test_feedback_is_saved_and_listed(env: Settings, feedback_db: Path) -> None:
    at = ask(start(), "What does the resolution ask UNODC to do?")
    at.feedback[0].set_value(1).run()
    entry = at.session_state["chat"][0]
    at.text_input(key=f"fbc-{entry.id}").set_value("clear and cited").run()
    assert not at.exception
    saved = FeedbackStore(feedback_db).entries()
    assert len(saved) == 1
    assert saved[0].rating == 1 and saved[0].comment == "clear and cited"
    assert saved[0].cited == tuple(c.clause_id for c in entry.answer.citations)

    at.switch_page("views/feedback.py").run()
    assert not at.exception
    assert at.metric[0].value == "1"
    suite = next(c.value for c in at.get("code"))
    assert "question: What does the resolution ask UNODC to do?" in suite
    assert f"- {RESOLUTION}/op-5" in suite and "tags:\n  - feedback" in suite


# -- errors and injection -----------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_unreachable_chroma_server_is_an_error_message(
    env: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"http://127.0.0.1:{_free_port()}"
    monkeypatch.setenv("ASSISTANT_CHROMA_URL", url)
    at = start()
    assert not at.exception
    assert any(url in e.value for e in at.error), [e.value for e in at.error]
    # the documents do not need the index
    at.switch_page("views/documents.py").run()
    assert not at.exception and at.title[0].value == "Documents"


def _assert_inert(at: AppTest) -> None:
    """No HTML allowed anywhere, and every body renders without tags or links from the text
    (checked with a CommonMark renderer that, unlike Streamlit's, even lets raw HTML through)."""
    markdown_it = pytest.importorskip("markdown_it")
    render = markdown_it.MarkdownIt("commonmark").render
    for node in nodes(at):
        proto = getattr(node, "proto", None)
        assert not getattr(proto, "allow_html", False), "unsafe_allow_html is never used"
    for body in texts(at):
        html = render(body)
        assert "<script" not in html and "<img" not in html, body
        assert 'href="javascript' not in html, body


def test_question_with_markup_is_rendered_as_text(env: Settings) -> None:
    at = ask(start(), f"What does OP 5 say? {SCRIPT} {IMG}")
    user = next(m for m in at.chat_message if m.name == "user")
    assert user.markdown[0].value == escape_markdown(f"What does OP 5 say? {SCRIPT} {IMG}")
    _assert_inert(at)


def test_clause_with_markup_is_rendered_as_text(
    monkeypatch: pytest.MonkeyPatch, embedded_index: Settings, tmp_path: Path
) -> None:
    """A corpus whose resolution carries HTML in OP 5; the app builds its index on first run."""
    source = embedded_index.corpus_dir / "cnd-resolution-2012-alternatives-to-imprisonment.md"
    corpus_dir = tmp_path / "corpus"
    corpus_dir.mkdir()
    text = source.read_text(encoding="utf-8")
    injected = text.replace(
        "Crime to provide Member States",
        f"Crime {SCRIPT} {IMG} [click](javascript:alert(1)) to provide Member States",
    )
    assert injected != text
    (corpus_dir / source.name).write_text(injected, encoding="utf-8")
    manifest = tmp_path / "manifest.yaml"
    shutil.copy(embedded_index.manifest, manifest)
    settings = Settings(
        corpus_dir=corpus_dir, manifest=manifest, index_dir=tmp_path / "index", chroma_url=None
    )
    for key, value in app_env(settings, tmp_path / "feedback.sqlite3").items():
        monkeypatch.setenv(key, value)

    at = start()
    assert (tmp_path / "index" / "current.json").is_file(), "the missing index was built"
    at = ask(at, "What does OP 5 say?")
    chip = next(p for p in popovers(at) if "operative para. 5" in p.proto.popover.label)
    assert any("\\<script\\>alert(1)\\</script\\>" in md for md in popover_markdown(chip))
    _assert_inert(at)

    at.switch_page("views/documents.py")
    at.query_params["clause"] = f"{RESOLUTION}/op-5"
    at.run()
    assert not at.exception
    body = "\n".join(texts(at))
    assert "\\<script\\>alert(1)\\</script\\> \\<img src=x onerror=alert(1)\\>" in body
    _assert_inert(at)


def test_pages_use_no_deprecated_streamlit_api(env: Settings) -> None:
    """Every page, the chat with an answer, and no deprecation from the project's own code."""
    with deprecations() as found:
        at = ask(start(), "What does the resolution ask UNODC to do?")
        for page in (
            "views/documents.py",
            "views/topics.py",
            "views/trainer.py",
            "views/feedback.py",
            "views/evaluation.py",
        ):
            at.switch_page(page).run()
            assert not at.exception, (page, at.exception)
    assert found == []
