"""Reports of an evaluation run: results.json, report.md and report.html (plots inline).

Every piece of document or question text goes through html.escape: the report is inert.
"""

from __future__ import annotations

import base64
import html
import io
import json
import os
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

HEADLINE = (
    "citation_hit",
    "citation_precision",
    "citation_recall",
    "invented_citations",
    "mention_coverage",
    "abstention_recall",
    "abstention_precision",
    "false_refusal_rate",
    "out_of_scope_abstention",
    "recall@5",
    "mrr",
    "ndcg@10",
    "unsupported_sentence_rate",
    "fragment_rate",
    "chapeau_only",
    "preamble_answers",
    "yes_no_lead_rate",
    "polarity_accuracy",
    "refusal_reason_accuracy",
    "instruments_covered",
    "provisions_covered",
    "english_gap",
    "latency_p50_ms",
    "latency_p95_ms",
)


def load_run(run_dir: Path) -> dict[str, Any]:
    path = run_dir / "results.json" if run_dir.is_dir() else run_dir
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        from assistant.errors import AssistantError

        raise AssistantError(f"cannot read the run to compare with ({path}): {exc}") from exc
    return data


def deltas(current: dict[str, Any], previous: dict[str, Any] | None) -> dict[str, float]:
    if not previous:
        return {}
    prev = previous.get("summary", {})
    return {
        k: round(v - prev[k], 4)
        for k, v in current["summary"].items()
        if isinstance(prev.get(k), (int, float))
    }


def markdown(results: dict[str, Any], delta: dict[str, float]) -> str:
    s = results["summary"]
    lines = [
        f"# Evaluation report ({results['mode']} mode, {int(s['cases'])} cases)",
        "",
        "| metric | value | Δ vs previous |",
        "|---|---|---|",
    ]
    for k in HEADLINE:
        if k in s:
            d = f"{delta[k]:+.4f}" if k in delta else ""
            lines.append(f"| {k} | {s[k]} | {d} |")
    lines += [
        "",
        "## By tag",
        "",
        "| tag | cases | citation_hit | citation_recall | abstention_recall | false_refusal_rate | mention_coverage |",
        "|---|---|---|---|---|---|---|",
    ]
    for tag, t in results["by_tag"].items():
        lines.append(
            f"| {tag} | {int(t['cases'])} | {t['citation_hit']} | {t['citation_recall']} | {t['abstention_recall']} | {t['false_refusal_rate']} | {t['mention_coverage']} |"
        )
    lines += _languages(results)
    misses = [
        r
        for r in results["cases"]
        if r.get("scores", {}).get("citation_hit") == 0.0
        or (not r["answerable"] and not r["abstained"])
        or (r["answerable"] and r["abstained"])
    ]
    lines += ["", f"## Cases to look at ({len(misses)})", ""]
    for r in misses:
        cited = ", ".join(c["clause_id"] for c in r["citations"]) or "—"
        lines.append(
            f"- `{r['id']}` {r['question']!r}: expected {r.get('expected')}, cited {cited}, abstained {r['abstained']}"
        )
    return "\n".join(lines) + "\n"


def _png(fig: Any) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=90, bbox_inches="tight")
    plt.close(fig)
    return base64.b64encode(buf.getvalue()).decode()


def plots(results: dict[str, Any], delta: dict[str, float]) -> list[tuple[str, str]]:
    out = []
    tags = list(results["by_tag"])
    fig, ax = plt.subplots(figsize=(10, 3.5))
    x = range(len(tags))
    for i, key in enumerate(("citation_hit", "abstention_recall", "mention_coverage")):
        ax.bar([p + i * 0.27 for p in x], [results["by_tag"][t][key] for t in tags], width=0.27, label=key)
    ax.set_xticks([p + 0.27 for p in x], tags, rotation=45, ha="right")
    ax.set_ylim(0, 1.05)
    ax.legend(fontsize=8)
    ax.set_title("Metrics by tag")
    out.append(("Metrics by tag", _png(fig)))
    fig, ax = plt.subplots(figsize=(6, 3))
    ax.hist([r["latency_ms"] for r in results["cases"]], bins=30)
    ax.set_xlabel("latency (ms)")
    ax.set_title("Answer latency")
    out.append(("Latency histogram", _png(fig)))
    if delta:
        keys = [k for k in HEADLINE if k in delta and not k.startswith("latency")]
        fig, ax = plt.subplots(figsize=(8, 3))
        ax.bar(
            keys, [delta[k] for k in keys], color=["tab:green" if delta[k] >= 0 else "tab:red" for k in keys]
        )
        ax.tick_params(axis="x", rotation=45)
        ax.set_title("Change against the previous run")
        out.append(("Run vs run", _png(fig)))
    return out


def _languages(results: dict[str, Any]) -> list[str]:
    """Per language: hit and refusals; and, for translated questions, the English originals'
    hit beside theirs (issue #14)."""
    lines: list[str] = []
    by_language = results.get("by_language") or {}
    if by_language:
        lines += [
            "",
            "## By language",
            "",
            "| language | cases | citation_hit | out_of_scope_abstention | false_refusal_rate |",
        ]
        lines.append("|---|---|---|---|---|")
        for lang, t in by_language.items():
            lines.append(
                f"| {lang} | {int(t['cases'])} | {t['citation_hit']} | {t['out_of_scope_abstention']} | {t['false_refusal_rate']} |"
            )
    gap = results.get("english_gap") or {}
    if gap:
        lines += [
            "",
            "## The same questions in English",
            "",
            "| language | pairs | translated hit | English hit | gap |",
        ]
        lines.append("|---|---|---|---|---|")
        for lang, g in gap.items():
            lines.append(
                f"| {lang} | {g['pairs']} | {g['translated_hit']} | {g['english_hit']} | {g['gap']:+.4f} |"
            )
    return lines


def html_report(results: dict[str, Any], delta: dict[str, float]) -> str:
    e = html.escape
    s = results["summary"]
    rows = "".join(
        f"<tr><td>{e(k)}</td><td>{e(str(s[k]))}</td><td>{e(f'{delta[k]:+.4f}') if k in delta else ''}</td></tr>"
        for k in HEADLINE
        if k in s
    )
    figs = "".join(
        f"<h2>{e(title)}</h2><img alt='{e(title)}' src='data:image/png;base64,{data}'>"
        for title, data in plots(results, delta)
    )
    cases = []
    for r in results["cases"]:
        cites = "".join(
            f"<li><b>{e(c['label'])}</b> <code>{e(c['clause_id'])}</code><br>{e(c['text'])}</li>"
            for c in r["citations"]
        )
        cases.append(
            f"<details><summary>{e(r['id'])} — {e(r['question'])} {'(abstained)' if r['abstained'] else ''}</summary>"
            f"<p>{e(r['answer'])}</p><ol>{cites}</ol><pre>{e(json.dumps(r.get('scores', {}), indent=1))}</pre></details>"
        )
    return (
        "<!doctype html><html><head><meta charset='utf-8'><title>Evaluation report</title>"
        "<style>body{font-family:sans-serif;max-width:1100px;margin:auto}td,th{padding:2px 8px;border-bottom:1px solid #ddd}</style>"
        f"</head><body><h1>Evaluation report ({e(results['mode'])} mode, {int(s['cases'])} cases)</h1>"
        f"<table><tr><th>metric</th><th>value</th><th>Δ</th></tr>{rows}</table>{figs}<h2>Cases</h2>{''.join(cases)}</body></html>"
    )


def write_reports(
    results: dict[str, Any], out_dir: Path, previous: dict[str, Any] | None = None
) -> dict[str, Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    delta = deltas(results, previous)
    results = {**results, "delta": delta}
    paths = {
        "results": out_dir / "results.json",
        "markdown": out_dir / "report.md",
        "html": out_dir / "report.html",
    }
    paths["markdown"].write_text(markdown(results, delta), encoding="utf-8")
    paths["html"].write_text(html_report(results, delta), encoding="utf-8")
    # last, and whole: a run is listed (assistant.evaluation.runs) once its results.json exists
    partial = out_dir / f".{paths['results'].name}.partial"
    partial.write_text(json.dumps(results, indent=1, ensure_ascii=False), encoding="utf-8")
    os.replace(partial, paths["results"])
    return paths
