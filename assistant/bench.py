"""``assistant bench``: ingest time, warm latency per retrieval mode and for answer(), start-up
to the first answer, peak RSS.  Numbers, side by side in one run, with ratios to baselines."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from assistant.evaluation.metrics import percentile
from assistant.evaluation.questions import DEFAULT_QUESTIONS, load_questions
from assistant.factory import searcher_for
from assistant.index.embeddings import Embedder
from assistant.index.ingest import ingest
from assistant.pipeline import Pipeline
from assistant.settings import Settings
from assistant.types import Corpus


def _lat(
    fn: Callable[[str], object], questions: Sequence[str], before: Callable[[], None] | None = None
) -> dict[str, float]:
    """Latency of ``fn`` over the questions; ``before`` runs first (untimed), e.g. to empty a cache
    that an earlier measurement filled."""
    if before is not None:
        before()
    times = []
    for q in questions:
        t0 = time.perf_counter()
        fn(q)
        times.append((time.perf_counter() - t0) * 1000)
    return {
        "p50_ms": round(percentile(times, 50), 2),
        "p95_ms": round(percentile(times, 95), 2),
        "mean_ms": round(sum(times) / len(times), 2),
        "n": len(times),
    }


def peak_rss_mb(children: bool = False) -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN if children else resource.RUSAGE_SELF)
    return round(usage.ru_maxrss / 1024, 1)  # Linux: kilobytes


def bench_mode(
    settings: Settings, corpus: Corpus, embedder: Embedder, questions: Sequence[str], do_ingest: bool
) -> dict[str, Any]:
    out: dict[str, Any] = {"location": settings.chroma_url or str(settings.index_dir)}
    if do_ingest:
        report = ingest(settings, corpus, embedder, rebuild=True, progress=False)
        out["ingest_s"] = report.seconds
        out["clauses"] = report.clauses
        out["clauses_per_s"] = round(report.clauses / report.seconds, 1) if report.seconds else None
    searcher = searcher_for(settings, corpus, embedder)
    pipeline = Pipeline(settings, corpus, searcher)
    for q in questions[:5]:  # warm
        searcher.search(q, mode="hybrid")
        pipeline.answer(q)
    lat = {
        mode: _lat(lambda q, m=mode: searcher.search(q, k=10, mode=m), questions, searcher.forget_vectors)  # type: ignore[misc]
        for mode in ("bm25", "dense", "hybrid")
    }
    lat["answer"] = _lat(lambda q: pipeline.answer(q), questions, searcher.forget_vectors)
    out["latency"] = lat
    out["ratios"] = {
        "hybrid_over_dense_p50": round(lat["hybrid"]["p50_ms"] / max(lat["dense"]["p50_ms"], 1e-6), 2),
        "answer_over_hybrid_p50": round(lat["answer"]["p50_ms"] / max(lat["hybrid"]["p50_ms"], 1e-6), 2),
    }
    return out


def startup_to_first_answer(settings: Settings) -> dict[str, float]:
    """A fresh process: import, load models and index, answer one question."""
    code = (
        "import time; t=time.perf_counter(); from assistant.factory import build_pipeline; "
        "p=build_pipeline(); a=p.answer('What does operative paragraph 1 encourage?'); "
        "import resource,json; print(json.dumps({'first_answer_s': round(time.perf_counter()-t,2), "
        "'rss_mb': round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss/1024,1)}))"
    )
    env = {**os.environ, "ASSISTANT_INDEX_DIR": str(settings.index_dir), "HF_HUB_OFFLINE": "1"}
    if settings.chroma_url:
        env["ASSISTANT_CHROMA_URL"] = settings.chroma_url
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        return {"error": proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else "failed"}  # type: ignore[dict-item]
    data: dict[str, float] = json.loads(proc.stdout.strip().splitlines()[-1])
    data["process_wall_s"] = round(wall, 2)
    return data


def app_startup_to_first_answer(settings: Settings) -> dict[str, Any]:
    """The Streamlit app itself (through AppTest, in a fresh process): first page, first answer,
    a second answer, and the process's peak RSS."""
    code = (
        "import time, json, resource; t=time.perf_counter(); "
        "from streamlit.testing.v1 import AppTest; "
        "at=AppTest.from_file('ui/app.py', default_timeout=300); at.run(); t1=time.perf_counter(); "
        "at.chat_input[0].set_value('What does operative paragraph 1 encourage?').run(); t2=time.perf_counter(); "
        "at.chat_input[0].set_value('And operative paragraph 2?').run(); t3=time.perf_counter(); "
        "print(json.dumps({'first_page_s': round(t1-t,2), 'first_answer_s': round(t2-t,2), "
        "'second_answer_s': round(t3-t2,2), 'app_rss_mb': round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss/1024,1), "
        "'exception': bool(at.exception)}))"
    )
    env = {**os.environ, "ASSISTANT_INDEX_DIR": str(settings.index_dir), "HF_HUB_OFFLINE": "1"}
    from assistant.settings import REPO_ROOT

    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=REPO_ROOT, check=False
    )
    if proc.returncode != 0 or not proc.stdout.strip():
        return {"error": (proc.stderr.strip().splitlines() or ["failed"])[-1]}
    data: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return data


def bench_multilingual(
    settings: Settings, corpus: Corpus, embedder: Embedder, build: bool = False
) -> dict[str, Any]:
    """Issue #14: warm latency of answers to questions in es/fr/ru/zh/ar (the dev set's), and the
    time to build the multilingual vectors: measured in full with ``build`` (minutes), else
    estimated from 32 clauses, the answers then using the vectors of ``settings.index_dir``."""
    from assistant.evaluation.suite import load_suites
    from assistant.index.embeddings import E5Embeddings
    from assistant.index.multilingual import MultilingualVectors, build_multilingual
    from assistant.settings import REPO_ROOT

    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="assistant-bench-ml-") as tmp:
        clauses = corpus.clauses if build else corpus.clauses[:32]
        report = build_multilingual(Path(tmp), clauses, E5Embeddings, progress=False)
        per_s = len(clauses) / report.seconds if report.seconds else 0.0
        out["build_s" if build else "build_s_estimated"] = (
            report.seconds if build else round(len(corpus.clauses) / per_s, 1) if per_s else None
        )
        out["clauses_per_s"] = round(per_s, 2)
        index_dir = Path(tmp) if build else settings.index_dir
        searcher = searcher_for(settings, corpus, embedder)
        searcher.multilingual = MultilingualVectors(index_dir, corpus.clauses)
        if not searcher.multilingual.ready:
            out["error"] = (
                f"no complete multilingual vectors in {index_dir}: run assistant ingest --multilingual"
            )
            return out
        pipeline = Pipeline(settings, corpus, searcher)
        cases = [c for _s, c in load_suites([REPO_ROOT / "evals" / "dev_multilingual.yaml"], corpus)]
        for c in cases:  # warm: the e5 model loads at the first question
            pipeline.answer(c.question, c.history)
        out["answer"] = _lat(lambda q: pipeline.answer(q), [c.question for c in cases if not c.history])
    return out


def run_bench(
    settings: Settings,
    corpus: Corpus,
    embedder: Embedder,
    quick: bool = False,
    chroma_url: str | None = None,
    questions_path: Path = DEFAULT_QUESTIONS,
) -> dict[str, Any]:
    questions = [q.question for q in load_questions(questions_path)]
    if quick:
        questions = questions[:20]
    result: dict[str, Any] = {"questions": len(questions), "cpus": os.cpu_count(), "modes": {}}
    with tempfile.TemporaryDirectory(prefix="assistant-bench-") as tmp:
        embedded = settings.model_copy(update={"index_dir": Path(tmp) / "index", "chroma_url": None})
        result["modes"]["embedded"] = bench_mode(embedded, corpus, embedder, questions, do_ingest=True)
        url = chroma_url or settings.chroma_url
        if url:
            server = settings.model_copy(update={"chroma_url": url})
            result["modes"]["server"] = bench_mode(server, corpus, embedder, questions, do_ingest=True)
        if not quick:
            result["startup"] = startup_to_first_answer(embedded)
            result["app"] = app_startup_to_first_answer(embedded)
    result["peak_rss_mb"] = peak_rss_mb()
    result["targets"] = {"ingest_s": 60, "hybrid_p95_ms": 100, "answer_p95_ms": 250, "app_rss_mb": 1536}
    return result
