"""Citations checked in code: an answer may only cite clauses that were retrieved and whose
text supports the sentence.  Markers are numbered here, never trusted from a model."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from assistant.answer.compose import Sentence
from assistant.answer.text import split_sentences, support
from assistant.types import Citation, Clause, Instrument

MIN_SUPPORT = 0.5
_MARKER = re.compile(r"\[(\d{1,3})\]")
# -- multilingual (issue #14): a sentence in another language quotes the English clause --------
MIN_QUOTE_WORDS = 5
_QUOTE = re.compile(r'"([^"]+)"|“([^”]+)”|«\s*([^»]+?)\s*»|„([^“”]+)[“”]|「([^」]+)」|『([^』]+)』|‘([^’]+)’')
_QUOTE_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")


def _quote_words(text: str) -> list[str]:
    return [w.lower().replace("’", "'") for w in _QUOTE_WORD.findall(text)]


def verbatim_quote(sentence: str, clause_text: str, min_words: int = MIN_QUOTE_WORDS) -> bool:
    """True when ``sentence`` carries, in quotation marks ("", “”, «», „“, 「」, 『』, ‘’), a run
    of at least ``min_words`` consecutive words of ``clause_text`` as they stand there (case,
    spacing and punctuation aside).  What a sentence in another language must do to cite an
    English clause."""
    clause = " " + " ".join(_quote_words(clause_text)) + " "
    for match in _QUOTE.finditer(sentence):
        quoted = next(g for g in match.groups() if g is not None)
        words = _quote_words(quoted)
        if len(words) >= min_words and " " + " ".join(words) + " " in clause:
            return True
    return False


@dataclass(frozen=True)
class CheckReport:
    sentences: tuple[Sentence, ...]
    dropped_markers: int = 0  # markers pointing to no provided clause
    dropped_sentences: int = 0  # sentences without a valid, supporting citation


def check_sentences(
    sentences: Sequence[Sentence],
    retrieved: Mapping[str, Clause],
    min_support: float = MIN_SUPPORT,
    absent: Callable[[str], bool] | None = None,
    language: str = "en",
) -> CheckReport:
    """Keep only citations of retrieved clauses that support their sentence.  A sentence
    without citations stays only when it is a frame that code verifies: "the texts do not use
    the term X" is kept when ``absent(X)`` confirms that no clause uses it.  A sentence in
    another language than English (``language``) is kept only when it quotes the English text
    of a clause it cites verbatim (see ``verbatim_quote``)."""
    kept: list[Sentence] = []
    dropped_markers = dropped_sentences = 0
    for sentence in sentences:
        if not sentence.clause_ids and sentence.absent:
            if absent is not None and absent(sentence.absent):
                kept.append(sentence)
            else:
                dropped_sentences += 1
            continue
        valid = [cid for cid in sentence.clause_ids if cid in retrieved]
        dropped_markers += len(sentence.clause_ids) - len(valid)
        sources = " ".join(retrieved[cid].text + " " + retrieved[cid].context for cid in valid)
        if language != "en":
            supported = any(verbatim_quote(sentence.text, retrieved[cid].text) for cid in valid)
        else:
            supported = bool(valid) and support(sentence.text, sources) >= min_support
        if not valid or not supported:
            dropped_sentences += 1
            continue
        kept.append(Sentence(sentence.text, tuple(valid)))
    return CheckReport(tuple(kept), dropped_markers, dropped_sentences)


def number_citations(
    sentences: Sequence[Sentence], clauses: Mapping[str, Clause], instruments: Mapping[str, Instrument]
) -> tuple[str, tuple[Citation, ...]]:
    """Answer text with [n] markers in order of first use, and the citations they point to."""
    order: dict[str, int] = {}
    parts: list[str] = []
    for sentence in sentences:
        marks = []
        for cid in sentence.clause_ids:
            order.setdefault(cid, len(order) + 1)
            marks.append(f"[{order[cid]}]")
        text = sentence.text
        if not marks:
            parts.append(text)
            continue
        parts.append(
            f"{text[:-1]} {''.join(marks)}{text[-1]}" if text[-1:] in ".?!" else f"{text} {''.join(marks)}"
        )
    citations = []
    for cid, marker in order.items():
        clause = clauses[cid]
        citations.append(Citation.of(clause, marker, instruments[clause.instrument].url))
    return " ".join(parts), tuple(citations)


def sentences_from_markers(text: str, numbered: Sequence[Clause]) -> list[Sentence]:
    """Split model output into sentences and map its [n] markers to the numbered clauses.

    A marker with no clause behind it is dropped (the sentence keeps its other markers); the
    citation check then drops sentences left without a supporting citation.
    """
    out: list[Sentence] = []
    pending: list[str] = []
    for raw in split_sentences(text.replace("\n", " ")):
        ids: list[str] = []
        for m in _MARKER.finditer(raw):
            n = int(m.group(1))
            ids.append(numbered[n - 1].clause_id if 1 <= n <= len(numbered) else f"invalid:{n}")
        clean = _MARKER.sub("", raw).strip()
        clean = re.sub(r"\s+([.,;:?!])", r"\1", clean)
        if not clean:
            continue
        if not ids:
            pending.append(clean)
            out.append(Sentence(clean, ()))
            continue
        out.append(Sentence(clean, tuple(dict.fromkeys(ids))))
    return out
