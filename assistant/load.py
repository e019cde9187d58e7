"""``assistant load``: many askers at once against one shared pipeline (threads, as Streamlit
serves sessions).  Each reply is checked against its own question, so crossed answers show."""

from __future__ import annotations

import random
import threading
import time
from typing import Any

from assistant.evaluation.metrics import percentile
from assistant.pipeline import Pipeline

QUESTIONS = [(f"What does operative paragraph {n} of the resolution say?", f"op-{n}") for n in range(1, 8)]


def run_load(pipeline: Pipeline, threads: int = 20, seconds: float = 30.0, seed: int = 7) -> dict[str, Any]:
    latencies: list[float] = []
    errors: list[str] = []
    crossed: list[str] = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def asker(i: int) -> None:
        rng = random.Random(seed + i)
        while time.monotonic() < deadline:
            question, want = rng.choice(QUESTIONS)
            t0 = time.perf_counter()
            try:
                ans = pipeline.answer(question)
            except Exception as exc:  # counted, never raised: the load must go on
                with lock:
                    errors.append(f"{type(exc).__name__}: {exc}")
                continue
            ms = (time.perf_counter() - t0) * 1000
            ok = ans.question == question and any(c.clause_id.endswith("/" + want) for c in ans.citations)
            with lock:
                latencies.append(ms)
                if not ok:
                    crossed.append(f"{question!r} -> {[c.clause_id for c in ans.citations]}")

    workers = [threading.Thread(target=asker, args=(i,), daemon=True) for i in range(threads)]
    t0 = time.perf_counter()
    for w in workers:
        w.start()
    for w in workers:
        w.join(seconds + 120)
    wall = time.perf_counter() - t0
    return {
        "threads": threads,
        "seconds": round(wall, 1),
        "answers": len(latencies),
        "answers_per_s": round(len(latencies) / wall, 1) if wall else 0.0,
        "errors": len(errors),
        "crossed": len(crossed),
        "p50_ms": round(percentile(latencies, 50), 1),
        "p95_ms": round(percentile(latencies, 95), 1),
        "examples": (errors + crossed)[:5],
    }
