"""The bench command's parts produce numbers (the numbers themselves are for README, not tests)."""

from __future__ import annotations

from assistant.bench import bench_mode, peak_rss_mb
from assistant.settings import Settings
from assistant.types import Corpus


def test_bench_mode_reports_latencies_and_ratios(
    embedded_index: Settings, corpus: Corpus, embedder: object
) -> None:
    questions = [
        "What does operative paragraph 5 request?",
        "Can abusers get treatment instead of punishment?",
    ] * 3
    out = bench_mode(embedded_index, corpus, embedder, questions, do_ingest=False)  # type: ignore[arg-type]
    assert set(out["latency"]) == {"bm25", "dense", "hybrid", "answer"}
    for lat in out["latency"].values():
        assert lat["n"] == 6 and 0 < lat["p50_ms"] <= lat["p95_ms"]
    assert out["ratios"]["hybrid_over_dense_p50"] > 0
    assert peak_rss_mb() > 100
