"""Retrieval evaluation: BM25-only, dense-only and hybrid on one question set, one run."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from tqdm import tqdm

from assistant.evaluation.metrics import hit_at_k, mean, ndcg_at_k, percentile, recall_at_k, reciprocal_rank
from assistant.evaluation.questions import RetrievalQuestion
from assistant.retrieve import HybridSearcher, Mode

MODES: tuple[Mode, ...] = ("bm25", "dense", "hybrid")


def evaluate_retrieval(
    searcher: HybridSearcher,
    questions: Sequence[RetrievalQuestion],
    modes: Sequence[Mode] = MODES,
    progress: bool = True,
) -> dict[str, Any]:
    """Per mode: recall@1/5/10, hit@5, MRR, nDCG@10, latency p50/p95 (ms, warm)."""
    searcher.search("warm up", k=10, mode="hybrid")
    results: dict[str, Any] = {"questions": len(questions), "modes": {}}
    for mode in modes:
        rows: dict[str, list[float]] = {k: [] for k in ("r1", "r5", "r10", "hit5", "mrr", "ndcg10", "ms")}
        misses: list[dict[str, Any]] = []
        for q in tqdm(questions, desc=f"retrieval {mode}", disable=not progress, leave=False):
            t0 = time.perf_counter()
            hits = searcher.search(q.question, k=10, mode=mode).hits
            rows["ms"].append((time.perf_counter() - t0) * 1000)
            ranked = [h.clause.clause_id for h in hits]
            rows["r1"].append(recall_at_k(q.gold, ranked, 1))
            rows["r5"].append(recall_at_k(q.gold, ranked, 5))
            rows["r10"].append(recall_at_k(q.gold, ranked, 10))
            rows["hit5"].append(hit_at_k(q.gold, ranked, 5))
            rows["mrr"].append(reciprocal_rank(q.gold, ranked))
            rows["ndcg10"].append(ndcg_at_k(q.gold, ranked, 10))
            if not set(q.gold) & set(ranked[:10]):
                misses.append({"id": q.id, "question": q.question, "gold": q.gold, "top3": ranked[:3]})
        results["modes"][mode] = {
            "recall@1": round(mean(rows["r1"]), 3),
            "recall@5": round(mean(rows["r5"]), 3),
            "recall@10": round(mean(rows["r10"]), 3),
            "hit@5": round(mean(rows["hit5"]), 3),
            "mrr": round(mean(rows["mrr"]), 3),
            "ndcg@10": round(mean(rows["ndcg10"]), 3),
            "latency_p50_ms": round(percentile(rows["ms"], 50), 2),
            "latency_p95_ms": round(percentile(rows["ms"], 95), 2),
            "missed_at_10": misses,
        }
    return results


def markdown_table(results: dict[str, Any]) -> str:
    lines = [
        "| mode | recall@1 | recall@5 | recall@10 | MRR | nDCG@10 | p50 ms | p95 ms |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for mode, m in results["modes"].items():
        lines.append(
            f"| {mode} | {m['recall@1']:.3f} | {m['recall@5']:.3f} | {m['recall@10']:.3f} | "
            f"{m['mrr']:.3f} | {m['ndcg@10']:.3f} | {m['latency_p50_ms']:.1f} | {m['latency_p95_ms']:.1f} |"
        )
    return "\n".join(lines)
