"""What each part of the cross-lingual search brings (issue #14): a suite's non-English cases
answered with all parts, without the official terms, without the multilingual ranker, and with
neither; citation hit and correct refusals per language."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from assistant.evaluation import metrics as m
from assistant.evaluation.metrics import percentile
from assistant.evaluation.suite import Case
from assistant.multilingual.answer import Parts, answer_in_language
from assistant.multilingual.detect import detect_language, history_language
from assistant.pipeline import Pipeline

VARIANTS: dict[str, Parts] = {
    "all": Parts(),
    "no terms": Parts(terms=False),
    "no multilingual ranker": Parts(multilingual=False),
    "neither": Parts(terms=False, multilingual=False),
}


def run_variant(pipeline: Pipeline, cases: Sequence[Case], parts: Parts) -> list[dict[str, Any]]:
    known = set(pipeline.searcher.by_id)
    rows = []
    for case in cases:
        t0 = time.perf_counter()
        guess = detect_language(case.question, history_language(case.history))
        if guess.english:
            ans = pipeline.answer(case.question, case.history)
        else:
            ans = answer_in_language(pipeline, case.question, case.history, guess, parts=parts)
        expected = [e for e in case.expected if e in known]
        cited = [c.clause_id for c in ans.citations]
        rows.append(
            {
                "id": case.id,
                "language": case.language,
                "detected": guess.code,
                "answerable": case.answerable,
                "abstained": ans.abstained,
                "hit": m.citation_hit(expected, cited) if case.answerable and expected else None,
                "cited": cited,
                "standalone": ans.standalone,
                "ms": (time.perf_counter() - t0) * 1000,
            }
        )
    return rows


def summarize(rows: Sequence[dict[str, Any]]) -> dict[str, dict[str, float]]:
    """Per language (and "all"): hit over answerable cases, refusals of out-of-scope ones."""
    out: dict[str, dict[str, float]] = {}
    for lang in [*sorted({r["language"] for r in rows}), "all"]:
        mine = [r for r in rows if lang in ("all", r["language"])]
        hits = [r["hit"] for r in mine if r["hit"] is not None]
        oos = [r for r in mine if not r["answerable"]]
        out[lang] = {
            "cases": len(mine),
            "hit": round(sum(hits) / len(hits), 3) if hits else 0.0,
            "oos_refused": round(sum(r["abstained"] for r in oos) / len(oos), 3) if oos else 0.0,
            "false_refusals": sum(1 for r in mine if r["answerable"] and r["abstained"]),
            "p95_ms": round(percentile([r["ms"] for r in mine], 95), 1),
        }
    return out


def ablation(pipeline: Pipeline, cases: Sequence[Case]) -> dict[str, Any]:
    foreign = [c for c in cases if c.language != "en"]
    result: dict[str, Any] = {}
    for name, parts in VARIANTS.items():
        rows = run_variant(pipeline, foreign, parts)
        result[name] = {"summary": summarize(rows), "rows": rows}
    return result


def markdown(result: dict[str, Any]) -> str:
    langs = [k for k in next(iter(result.values()))["summary"] if k != "all"] + ["all"]
    lines = ["| variant | " + " | ".join(langs) + " | OOS refused | false refusals |"]
    lines.append("|---" * (len(langs) + 3) + "|")
    for name, data in result.items():
        s = data["summary"]
        cells = [f"{s[lang]['hit']:.2f}" for lang in langs]
        lines.append(
            f"| {name} | "
            + " | ".join(cells)
            + f" | {s['all']['oos_refused']:.2f} | {s['all']['false_refusals']} |"
        )
    return "\n".join(lines)
