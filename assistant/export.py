"""Markdown exports of a conversation and of a training-session handout: pure functions.

Document and question text is untrusted: everything that is not our own markup goes through
``escape_markdown``, so a clause that contains ``<script>`` or ``[x](javascript:...)`` is shown
as those characters, in the app and in an exported file alike.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from assistant.types import Citation, Clause, Turn

if TYPE_CHECKING:
    from assistant.quiz import Quiz

# characters Markdown (CommonMark, GFM, Streamlit's math) reads as markup wherever they stand:
# escaping "[" and "<" also disarms links, images, autolinks, HTML and Streamlit's :color[...]
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>$&|~])")
# and those that are markup only at the start of a line: headings, lists, rules, setext
_LINE_START = re.compile(r"(?m)^([ \t]*)([#+=-])")
_LIST_NUMBER = re.compile(r"(?m)^([ \t]*\d+)([.)])")
_MARKER = re.compile(r"\[(\d{1,3})\]")
_FILENAME_BAD = re.compile(r"[^A-Za-z0-9._-]+")
_RESERVED = frozenset(
    ["con", "prn", "aux", "nul"] + [f"com{i}" for i in range(1, 10)] + [f"lpt{i}" for i in range(1, 10)]
)


def escape_markdown(text: str) -> str:
    """Text that renders as itself in Markdown: no HTML, links, emphasis, lists or math."""
    out = _MD_SPECIAL.sub(r"\\\1", text)
    out = _LINE_START.sub(r"\1\\\2", out)
    # "1." or "1)" at the start of a line would start an ordered list
    return _LIST_NUMBER.sub(r"\1\\\2", out)


def markdown_text(text: str) -> str:
    """Escaped text with its line breaks kept (Markdown joins single newlines)."""
    lines = [escape_markdown(line.strip()) for line in text.strip().splitlines()]
    return "  \n".join(line for line in lines if line)


def safe_filename(name: str, default: str = "export", suffix: str = ".md") -> str:
    """A portable file name: ASCII letters, digits, dot, dash and underscore, at most 80 chars."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    stem = ascii_name[: -len(suffix)] if suffix and ascii_name.lower().endswith(suffix) else ascii_name
    stem = _FILENAME_BAD.sub("-", stem)
    stem = re.sub(r"-{2,}", "-", stem).strip(".-_ ")[:80].rstrip(".-_ ")
    if not stem:
        stem = default
    if stem.split(".")[0].lower() in _RESERVED:
        stem = f"{default}-{stem}"
    return stem + suffix


def slug(text: str, words: int = 8) -> str:
    kept = re.findall(r"[A-Za-z0-9]+", text.lower())[:words]
    return "-".join(kept)


@dataclass(frozen=True)
class Footnotes:
    """One footnote per cited clause, numbered in order of first citation."""

    numbers: dict[str, int]
    citations: dict[str, Citation]

    @classmethod
    def of(cls, turns: Sequence[Turn]) -> Footnotes:
        numbers: dict[str, int] = {}
        citations: dict[str, Citation] = {}
        for turn in turns:
            if turn.answer is None:
                continue
            for cite in turn.answer.citations:
                if cite.clause_id not in numbers:
                    numbers[cite.clause_id] = len(numbers) + 1
                    citations[cite.clause_id] = cite
        return cls(numbers, citations)

    def ref(self, cite: Citation) -> str:
        return f"[^{self.numbers[cite.clause_id]}]"


def answer_with_refs(turn: Turn, notes: Footnotes) -> str:
    """The answer text, escaped, with its [n] markers turned into footnote references."""
    if turn.answer is None:
        return ""
    by_marker = {c.marker: c for c in turn.answer.citations}
    parts: list[str] = []
    last = 0
    for match in _MARKER.finditer(turn.answer.text):
        parts.append(escape_markdown(turn.answer.text[last : match.start()]))
        cite = by_marker.get(int(match.group(1)))
        parts.append(notes.ref(cite) if cite is not None else escape_markdown(match.group(0)))
        last = match.end()
    parts.append(escape_markdown(turn.answer.text[last:]))
    return "".join(parts)


def _context(cite: Citation, clauses: Mapping[str, Clause] | None) -> list[str]:
    clause = clauses.get(cite.clause_id) if clauses else None
    out: list[str] = []
    if clause is not None and clause.title:
        out.append(f"*{escape_markdown(clause.title)}*")
    if clause is not None and clause.chapeau:
        out.append(f"Introduced by: {escape_markdown(clause.chapeau)}")
    return out


def _where(cite: Citation) -> str:
    bits = [f"`{cite.clause_id}`"]
    if cite.page is not None:
        bits.append(f"p. {cite.page}")
    return ", ".join(bits)


def _url(url: str) -> str:
    return f"<{url}>" if re.fullmatch(r"https?://[^\s<>()]+", url) else escape_markdown(url)


def footnote_block(notes: Footnotes, clauses: Mapping[str, Clause] | None = None) -> list[str]:
    lines: list[str] = []
    for cid, number in notes.numbers.items():
        cite = notes.citations[cid]
        lines.append(f"[^{number}]: **{escape_markdown(cite.label)}** ({_where(cite)})")
        lines.extend(f"    {extra}" for extra in _context(cite, clauses))
        lines.append("")
        for text_line in markdown_text(cite.text).split("  \n"):
            lines.append(f"    > {text_line}  ")
        if cite.url:
            lines.append("")
            lines.append(f"    Official text: {_url(cite.url)}")
        lines.append("")
    return lines


def _turn_lines(index: int, turn: Turn, notes: Footnotes) -> list[str]:
    lines = [f"## {index}. {escape_markdown(turn.question)}", ""]
    answer = turn.answer
    if answer is None:
        return [*lines, "*No answer.*", ""]
    if answer.standalone and answer.standalone.strip() != turn.question.strip():
        lines += [f"*Understood as:* {escape_markdown(answer.standalone)}", ""]
    if answer.abstained:
        lines += ["**The documents do not answer this.**", ""]
    lines += [answer_with_refs(turn, notes), ""]
    if answer.abstained and answer.nearest:
        lines.append("Closest clauses (not cited):")
        lines += [f"- {escape_markdown(c.label)} (`{c.clause_id}`)" for c in answer.nearest]
        lines.append("")
    return lines


def conversation_markdown(
    turns: Sequence[Turn],
    *,
    title: str = "Conversation with the UN drug-policy assistant",
    exported_at: str | None = None,
    clauses: Mapping[str, Clause] | None = None,
) -> str:
    """The conversation as Markdown: each answer with footnotes quoting the cited clauses."""
    notes = Footnotes.of(turns)
    lines = [f"# {escape_markdown(title)}", ""]
    if exported_at:
        lines += [f"Exported {escape_markdown(exported_at)}.", ""]
    if not turns:
        lines += ["*No questions were asked.*", ""]
    for i, turn in enumerate(turns, 1):
        lines += _turn_lines(i, turn, notes)
    if notes.numbers:
        lines += ["---", "", *footnote_block(notes, clauses)]
    return "\n".join(lines).rstrip() + "\n"


def conversation_filename(turns: Sequence[Turn], date: str = "") -> str:
    first = slug(turns[0].question) if turns else ""
    name = "-".join(p for p in ("conversation", date, first) if p)
    return safe_filename(name, default="conversation")


def handout_markdown(
    turns: Sequence[Turn],
    *,
    quiz: Quiz | None = None,
    quiz_answers: Mapping[str, int | None] | None = None,
    clauses: Mapping[str, Clause] | None = None,
    title: str = "Training session handout",
    exported_at: str | None = None,
) -> str:
    """A session handout: the questions asked, their answers, the cited clauses in full and,
    if given, the quiz with its answers."""
    notes = Footnotes.of(turns)
    lines = [f"# {escape_markdown(title)}", ""]
    if exported_at:
        lines += [f"{escape_markdown(exported_at)}", ""]
    lines += ["## Questions asked", ""]
    if not turns:
        lines += ["*No questions were asked in this session.*", ""]
    for i, turn in enumerate(turns, 1):
        answer = turn.answer
        lines.append(f"{i}\\. **{escape_markdown(turn.question)}**  ")
        if answer is None:
            lines.append("*No answer.*")
        elif answer.abstained:
            lines.append(f"*Not answered by the documents.* {answer_with_refs(turn, notes)}")
        else:
            lines.append(answer_with_refs(turn, notes))
        lines.append("")
    if notes.numbers:
        lines += ["## Cited clauses", ""]
        for cid, number in notes.numbers.items():
            cite = notes.citations[cid]
            lines.append(f"### [{number}] {escape_markdown(cite.label)}")
            lines.append("")
            lines += [f"{extra}  " for extra in _context(cite, clauses)]
            lines.append(markdown_text(cite.text))
            lines.append("")
            lines.append(f"{_where(cite)}" + (f" - official text: {_url(cite.url)}" if cite.url else ""))
            lines.append("")
        lines += footnote_block(notes, clauses)
    if quiz is not None:
        lines += _quiz_lines(quiz, quiz_answers or {}, clauses)
    return "\n".join(lines).rstrip() + "\n"


def _quiz_lines(
    quiz: Quiz, answers: Mapping[str, int | None], clauses: Mapping[str, Clause] | None
) -> list[str]:
    from assistant.quiz import score

    result = score(quiz, answers)
    lines = [f"## Quiz (seed {quiz.seed})", ""]
    if result.answered:
        lines += [f"Score: {result.correct} of {result.total} ({result.answered} answered).", ""]
    for i, q in enumerate(quiz.questions, 1):
        lines.append(f"{i}\\. {escape_markdown(q.prompt)}  ")
        for j, option in enumerate(q.options):
            mark = " **(correct)**" if j == q.answer else ""
            chosen = " *(your answer)*" if answers.get(q.id) == j else ""
            lines.append(f"   - {escape_markdown(option)}{mark}{chosen}")
        clause = clauses.get(q.clause_id) if clauses else None
        label = clause.label if clause else q.clause_id
        lines.append(f"   - Source: {escape_markdown(label)} (`{q.clause_id}`)")
        lines.append("")
    return lines
