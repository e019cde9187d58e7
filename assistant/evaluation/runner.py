"""Run suites through the pipeline and score every case; summaries overall and by tag."""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from typing import Any

import numpy as np
from tqdm import tqdm

from assistant.answer.text import split_sentences
from assistant.errors import AssistantError
from assistant.evaluation import metrics as m
from assistant.evaluation import shape
from assistant.evaluation.gap import english_gap
from assistant.evaluation.suite import Case
from assistant.pipeline import Pipeline
from assistant.types import Corpus

SUPPORT_THRESHOLD = 0.45  # cosine of a sentence to its cited clause; below: unsupported
OOS_TAGS = ("out-of-scope", "injection", "not-in-corpus")

# metrics where lower is better: a --fail-under threshold on them is a ceiling
LOWER_IS_BETTER = frozenset(
    {
        "invented_citations",
        "english_gap",
        "false_refusal_rate",
        "latency_p50_ms",
        "latency_p95_ms",
        "unsupported_sentence_rate",
        "fragment_rate",
        "chapeau_only",
        "preamble_answers",
    }
)


def _support_scores(
    pipeline: Pipeline, text: str, citations: Sequence[Any]
) -> list[tuple[str, list[int], float]]:
    """Each answer sentence with its cosine similarity to the clauses it cites."""
    embedder = pipeline.searcher.embedder
    if embedder is None:
        return []
    by_marker = {c.marker: c.text for c in citations}
    pairs: list[tuple[str, str]] = []
    marks_of: list[list[int]] = []
    for sentence in split_sentences(text):
        marks = [int(x) for x in re.findall(r"\[(\d+)\]", sentence)]
        sources = " ".join(by_marker[k] for k in marks if k in by_marker)
        if sources:
            pairs.append((re.sub(r"\s*\[\d+\]", "", sentence), sources))
            marks_of.append(marks)
    if not pairs:
        return []
    vecs = np.array(embedder.embed_documents([p for pair in pairs for p in pair]))
    sims = (vecs[0::2] * vecs[1::2]).sum(axis=1)
    return [(pairs[i][0], marks_of[i], float(sims[i])) for i in range(len(pairs))]


class ShapeContext:
    """What the shape metrics need of the corpus, computed once per run."""

    def __init__(self, corpus: Corpus) -> None:
        from assistant.analysis import load_cues

        self.corpus = corpus
        self.by_id = corpus.by_id()
        self.proper = shape.proper_words(corpus.clauses)
        self.reasons = {r.id: r.opening for r in load_cues().refusals}
        self.reasons["not-in-corpus"] = "The text of the "
        self.reasons["injection"] = "I only answer questions about these documents"


def shape_scores(
    ctx: ShapeContext, case: Case, answer: str, abstained: bool, cited: Sequence[str]
) -> dict[str, float]:
    """The shape of one answer (see ``shape.py``)."""
    out: dict[str, float] = {}
    if case.answerable and not abstained:
        out["fragments"] = float(len(shape.fragments(answer, ctx.proper)))
        out["chapeau_only"] = float(shape.chapeau_only(answer, cited, ctx.by_id, ctx.corpus))
        out["preamble_answer"] = float(shape.preamble_answer(cited, case.expected, ctx.by_id, ctx.corpus))
        cover = shape.coverage([e for e in case.expected if e in ctx.by_id], cited)
        if cover is not None:
            out["instruments_covered"] = cover.instruments
            out["provisions_covered"] = cover.provisions
    if case.answerable and ("yes-no" in case.tags or case.polarity):
        lead = None if abstained else shape.yes_no_lead(answer)
        out["yes_no_lead"] = 1.0 if lead else 0.0
        if case.polarity:
            out["polarity_correct"] = 1.0 if lead == case.polarity else 0.0
    if not case.answerable and case.refusal:
        said = shape.refusal_reason(answer, ctx.reasons) if abstained else None
        out["refusal_reason_correct"] = 1.0 if said == case.refusal else 0.0
    return out


_CONTEXTS: dict[int, ShapeContext] = {}


def _context(corpus: Corpus) -> ShapeContext:
    if id(corpus) not in _CONTEXTS:
        _CONTEXTS[id(corpus)] = ShapeContext(corpus)
    return _CONTEXTS[id(corpus)]


def run_case(pipeline: Pipeline, suite: str, case: Case, mode: str | None) -> dict[str, Any]:
    known = set(pipeline.searcher.by_id)
    t0 = time.perf_counter()
    try:
        ans = pipeline.answer(case.question, case.history, mode=mode)
    except AssistantError as exc:
        return {
            "suite": suite,
            "id": case.id,
            "question": case.question,
            "tags": case.tags,
            "answerable": case.answerable,
            "error": str(exc),
            "abstained": True,
            "citations": [],
            "answer": "",
            "latency_ms": (time.perf_counter() - t0) * 1000,
            "scores": {},
        }
    latency = (time.perf_counter() - t0) * 1000
    cited = [c.clause_id for c in ans.citations]
    support = _support_scores(pipeline, ans.text, ans.citations)
    per_citation_ok = [
        any(v >= SUPPORT_THRESHOLD for _s, marks, v in support if c.marker in marks) for c in ans.citations
    ]
    expected_clauses = [e for e in case.expected if e in known]
    ranked = [
        h.clause.clause_id for h in pipeline.searcher.search(ans.standalone or case.question, k=10).hits
    ]
    scores: dict[str, float] = {
        "invented_citations": float(m.invented(cited, known, set(ans.retrieved))),
        "mention_coverage": m.mention_coverage(case.must_mention, ans.text)
        if case.answerable and not ans.abstained
        else 0.0,
        "unsupported_sentences": float(sum(1 for _s, _m, v in support if v < SUPPORT_THRESHOLD)),
        "sentences": float(len(support)),
        "mean_support": m.mean([v for _s, _m, v in support]),
    }
    scores.update(shape_scores(_context(pipeline.corpus), case, ans.text, ans.abstained, cited))
    if case.answerable and expected_clauses:
        scores.update(
            {
                "citation_hit": m.citation_hit(expected_clauses, cited),
                "citation_precision": m.citation_precision(expected_clauses, cited, per_citation_ok),
                "citation_recall": m.citation_recall(expected_clauses, cited),
                "recall@1": m.recall_at_k(expected_clauses, ranked, 1),
                "recall@5": m.recall_at_k(expected_clauses, ranked, 5),
                "recall@10": m.recall_at_k(expected_clauses, ranked, 10),
                "mrr": m.reciprocal_rank(expected_clauses, ranked),
                "ndcg@10": m.ndcg_at_k(expected_clauses, ranked, 10),
            }
        )
    return {
        "suite": suite,
        "id": case.id,
        "question": case.question,
        "history": case.history,
        "standalone": ans.standalone,
        "tags": case.tags,
        "language": case.language,
        "translates": case.translates,
        "answerable": case.answerable,
        "expected": case.expected,
        "answer": ans.text,
        "abstained": ans.abstained,
        "citations": [c.to_dict() for c in ans.citations],
        "latency_ms": latency,
        "support": [{"sentence": s, "markers": mk, "score": round(v, 3)} for s, mk, v in support],
        "scores": scores,
    }


def summarize(rows: Sequence[dict[str, Any]]) -> dict[str, float]:
    def avg(key: str) -> float:
        vals = [r["scores"][key] for r in rows if key in r.get("scores", {})]
        return round(m.mean(vals), 4) if vals else 0.0

    answerable = [r for r in rows if r["answerable"]]
    out = {
        k: avg(k)
        for k in (
            "citation_hit",
            "citation_precision",
            "citation_recall",
            "recall@1",
            "recall@5",
            "recall@10",
            "mrr",
            "ndcg@10",
            "mean_support",
        )
    }
    out["mention_coverage"] = (
        round(m.mean([r["scores"].get("mention_coverage", 0.0) for r in answerable]), 4)
        if answerable
        else 0.0
    )
    out["invented_citations"] = float(sum(r["scores"].get("invented_citations", 0) for r in rows))
    answered = [r for r in rows if "fragments" in r.get("scores", {})]
    out["fragment_rate"] = (
        round(m.mean([1.0 if r["scores"]["fragments"] else 0.0 for r in answered]), 4) if answered else 0.0
    )
    out["chapeau_only"] = float(sum(r["scores"].get("chapeau_only", 0) for r in rows))
    out["preamble_answers"] = float(sum(r["scores"].get("preamble_answer", 0) for r in rows))
    for key, name in (
        ("yes_no_lead", "yes_no_lead_rate"),
        ("polarity_correct", "polarity_accuracy"),
        ("refusal_reason_correct", "refusal_reason_accuracy"),
        ("instruments_covered", "instruments_covered"),
        ("provisions_covered", "provisions_covered"),
    ):
        out[name] = avg(key)
    sentences = sum(r["scores"].get("sentences", 0) for r in rows)
    out["unsupported_sentence_rate"] = (
        round(sum(r["scores"].get("unsupported_sentences", 0) for r in rows) / sentences, 4)
        if sentences
        else 0.0
    )
    out.update(
        {
            k: round(v, 4)
            for k, v in m.abstention_scores([(r["answerable"], r["abstained"]) for r in rows]).items()
        }
    )
    oos = [r for r in rows if any(t in r["tags"] for t in OOS_TAGS)]
    out["out_of_scope_abstention"] = (
        round(m.mean([1.0 if r["abstained"] else 0.0 for r in oos]), 4) if oos else 0.0
    )
    lat = [r["latency_ms"] for r in rows]
    out["latency_p50_ms"] = round(m.percentile(lat, 50), 1)
    out["latency_p95_ms"] = round(m.percentile(lat, 95), 1)
    out["cases"] = float(len(rows))
    out["errors"] = float(sum(1 for r in rows if "error" in r))
    return out


def run_suites(
    pipeline: Pipeline,
    cases: Sequence[tuple[str, Case]],
    mode: str | None = None,
    progress: bool = True,
    originals: Sequence[tuple[str, Case]] = (),
) -> dict[str, Any]:
    """Every case answered and scored.  ``originals``: English cases that some cases translate
    and that are not among them (see ``gap.english_originals``); they are answered too, for the
    English-versus-translation gap, and kept out of the summary."""
    pipeline.answer("warm up: what does operative paragraph 1 encourage?")
    everything = [*cases, *originals]
    rows = [
        run_case(pipeline, suite, case, mode)
        for suite, case in tqdm(everything, desc="evaluating", unit="case", disable=not progress)
    ]
    rows, extra = rows[: len(cases)], rows[len(cases) :]
    tags = sorted({t for r in rows for t in r["tags"]})
    languages = sorted({r["language"] for r in rows})
    out: dict[str, Any] = {
        "mode": mode or pipeline.settings.answer_mode,
        "summary": summarize(rows),
        "by_tag": {t: summarize([r for r in rows if t in r["tags"]]) for t in tags},
        "by_language": (
            {lang: summarize([r for r in rows if r["language"] == lang]) for lang in languages}
            if len(languages) > 1
            else {}
        ),
        "english_gap": english_gap(rows, extra),
        "cases": rows,
    }
    if out["english_gap"]:
        out["summary"]["english_gap"] = out["english_gap"]["all"]["gap"]
    return out


def rescore(results: dict[str, Any], cases: Sequence[tuple[str, Case]], corpus: Corpus) -> dict[str, Any]:
    """A saved run (``results.json``) scored again with today's shape metrics: they read only
    the answer text and its citations, so an earlier run (a first run, another version) gets the
    same figures as a new one."""
    ctx = ShapeContext(corpus)
    by_key = {(suite, case.id): case for suite, case in cases}
    rows = []
    for row in results["cases"]:
        case = by_key.get((row["suite"], row["id"]))
        if case is not None:
            cited = [c["clause_id"] for c in row.get("citations", [])]
            row = {
                **row,
                "scores": {
                    **row.get("scores", {}),
                    **shape_scores(ctx, case, row["answer"], row["abstained"], cited),
                },
            }
        rows.append(row)
    tags = sorted({t for r in rows for t in r["tags"]})
    return {
        **results,
        "summary": summarize(rows),
        "by_tag": {t: summarize([r for r in rows if t in r["tags"]]) for t in tags},
        "cases": rows,
    }


def check_thresholds(summary: dict[str, float], thresholds: dict[str, float]) -> list[str]:
    """Failures as messages; for lower-is-better metrics the threshold is a ceiling."""
    failures = []
    for name, limit in thresholds.items():
        if name not in summary:
            failures.append(f"unknown metric {name!r}; known: {', '.join(sorted(summary))}")
            continue
        value = summary[name]
        if (value > limit) if name in LOWER_IS_BETTER else (value < limit):
            op = ">" if name in LOWER_IS_BETTER else "<"
            failures.append(f"{name} = {value} {op} {limit}")
    return failures
