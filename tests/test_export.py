"""Markdown exports (assistant/export.py): escaping, footnotes, file names, the handout."""

from __future__ import annotations

import re

import pytest
from conftest import C1988, RESOLUTION

from assistant.export import (
    conversation_filename,
    conversation_markdown,
    escape_markdown,
    handout_markdown,
    markdown_text,
    safe_filename,
)
from assistant.pipeline import Pipeline
from assistant.quiz import make_quiz
from assistant.types import Answer, Citation, Corpus, Turn

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "![x](https://evil.example/x.png)",
    "<https://evil.example>",
    "**bold** _it_ `code` ~~gone~~ $x^2$",
    "# heading\n- item\n+ item\n1. item\n2) item\n> quote\n---\n===",
    "| a | b |\n|---|---|\n| 1 | 2 |",
    "&lt;b&gt; &amp; \\*",
]


def render(markdown: str) -> str:
    markdown_it = pytest.importorskip("markdown_it")
    return str(markdown_it.MarkdownIt("commonmark", {"html": True}).enable("table").render(markdown))


@pytest.mark.parametrize("text", HOSTILE)
def test_escaped_text_renders_as_itself(text: str) -> None:
    html = render(markdown_text(text))
    for tag in (
        "<script",
        "<img",
        "<a ",
        "<strong",
        "<em",
        "<code",
        "<h1",
        "<ul",
        "<ol",
        "<li",
        "<blockquote",
        "<hr",
        "<table",
        "<del",
        "<h2",
    ):
        assert tag not in html, (text, html)
    # the words are all still there, as text
    plain = re.sub(r"<[^>]+>", "", html)
    for word in re.findall(r"[A-Za-z]{3,}", text):
        assert word in plain


def test_escape_keeps_plain_text_readable() -> None:
    text = "Under art. 36(1)(b), drug-using offenders may undergo treatment: see p. 12."
    assert escape_markdown(text) == text
    assert markdown_text("line one\n  line two\n") == "line one  \nline two"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd", "etc-passwd.md"),
        ("conversation: what does OP 5 say?", "conversation-what-does-OP-5-say.md"),
        ("Résolution “55/12”.md", "Resolution-55-12.md"),
        ("", "export.md"),
        ("....", "export.md"),
        ("CON", "export-CON.md"),
        ("a" * 300, "a" * 80 + ".md"),
        ("<script>.md", "script.md"),
    ],
)
def test_safe_filename(name: str, expected: str) -> None:
    assert safe_filename(name) == expected
    assert re.fullmatch(r"[A-Za-z0-9._-]+", safe_filename(name))


def test_filename_of_a_conversation() -> None:
    turns = [Turn("What does <OP 5> / ask of UNODC?", None)]
    assert (
        conversation_filename(turns, "20260101-1200")
        == "conversation-20260101-1200-what-does-op-5-ask-of-unodc.md"
    )
    assert conversation_filename([]) == "conversation.md"


def _turns(pipeline: Pipeline) -> list[Turn]:
    questions = [
        "What does the resolution ask UNODC to do?",
        "What may Parties do in cases of a minor nature under the 1988 Convention?",
        "Which conventions allow treatment instead of punishment?",
        "Which river flows through Paris?",
    ]
    turns: list[Turn] = []
    for q in questions:
        turns.append(Turn(q, pipeline.answer(q, turns)))
    return turns


def test_conversation_markdown_has_a_footnote_per_cited_clause(pipeline: Pipeline, corpus: Corpus) -> None:
    turns = _turns(pipeline)
    md = conversation_markdown(turns, exported_at="2026-01-01 12:00", clauses=corpus.by_id())
    cited: dict[str, Citation] = {}
    for t in turns:
        assert t.answer is not None
        for c in t.answer.citations:
            cited.setdefault(c.clause_id, c)
    # one footnote per clause, even when two answers cite it
    definitions = re.findall(r"^\[\^(\d+)\]: \*\*(.+?)\*\* \(`([^`]+)`", md, flags=re.M)
    assert [cid for _n, _label, cid in definitions] == list(cited)
    assert [int(n) for n, _l, _c in definitions] == list(range(1, len(cited) + 1))
    # every marker became a reference to a defined footnote; no bare [n] is left
    refs = set(re.findall(r"\[\^(\d+)\](?!:)", md))
    assert refs == {n for n, _l, _c in definitions}
    assert not re.search(r"(?<!\^)\[\d+\]", md)
    # the clause texts are in the footnotes, verbatim (escaped), with their context
    minor = cited[f"{C1988}/art-3/para-4/c"]
    assert escape_markdown(minor.text.strip()) in md
    assert "*Offences and sanctions*" in md
    # the abstention is marked as such, with its nearest clauses
    assert "## 4. Which river flows through Paris?" in md
    assert "**The documents do not answer this.**" in md
    assert "Closest clauses (not cited):" in md
    # and the whole renders: footnote definitions are indented blocks of text
    assert "Exported 2026-01-01 12:00." in md
    assert md.endswith("\n")


def test_conversation_markdown_escapes_questions_and_answers() -> None:
    cite = Citation(
        1,
        f"{RESOLUTION}/op-5",
        RESOLUTION,
        "Resolution, operative para. 5",
        (("operative", "5"),),
        "Requests <script>alert(1)</script> UNODC",
        3,
        "https://undocs.org/E/2012/28",
    )
    answer = Answer("q", "UNODC is asked <img src=x onerror=alert(1)> [1].", False, (cite,))
    md = conversation_markdown([Turn("<b>What</b> [x](javascript:alert(1))?", answer)])
    html = render(md)
    assert "<script" not in html and "<img" not in html and 'href="javascript' not in html
    assert "[^1]" in md and "\\<img" in md


def test_empty_conversation() -> None:
    md = conversation_markdown([])
    assert "*No questions were asked.*" in md and "[^" not in md


def test_handout_lists_questions_clauses_and_quiz(pipeline: Pipeline, corpus: Corpus) -> None:
    turns = _turns(pipeline)[:2]
    quiz = make_quiz(corpus, 3)
    answers: dict[str, int | None] = {q.id: q.answer for q in quiz.questions[:2]}
    md = handout_markdown(turns, quiz=quiz, quiz_answers=answers, clauses=corpus.by_id(), exported_at="today")
    assert "## Questions asked" in md and "## Cited clauses" in md and "## Quiz (seed 3)" in md
    assert "1\\. **What does the resolution ask UNODC to do?**" in md
    for t in turns:
        assert t.answer is not None
        for c in t.answer.citations:
            assert f"] {escape_markdown(c.label)}\n" in md
            assert escape_markdown(c.text.strip().splitlines()[0]) in md
    assert "Score: 2 of 6 (2 answered)." in md
    assert md.count("**(correct)**") == len(quiz.questions)
    assert md.count("*(your answer)*") == 2
