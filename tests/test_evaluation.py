"""Suites are validated before they run; the gold suite gates the build; reports are inert."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import C1961

from assistant.evaluation.report import write_reports
from assistant.evaluation.runner import check_thresholds, run_suites
from assistant.evaluation.suite import SuiteError, load_suite, load_suites
from assistant.settings import REPO_ROOT, Settings
from assistant.types import Corpus

GOLD = REPO_ROOT / "evals" / "suites" / "gold.yaml"
# What holds today in the offline mode (see README, "Evaluation"); a regression fails the build.
CI_THRESHOLDS = {
    "citation_hit": 0.88,
    "invented_citations": 0,
    "out_of_scope_abstention": 0.9,
    "false_refusal_rate": 0.05,
    "citation_precision": 0.9,
}


def write(tmp: Path, text: str) -> Path:
    path = tmp / "suite.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_human_references_resolve(corpus: Corpus, tmp_path: Path) -> None:
    suite = load_suite(
        write(
            tmp_path,
            """name: t
cases:
  - id: a
    question: q?
    expected: ["1961 Convention art. 36(1)(b)", "OP 5"]
    tags: [factual]
""",
        ),
        corpus,
    )
    assert suite.cases[0].expected == [
        f"{C1961}/art-36/para-1/b",
        "cnd-2012-alternatives-to-imprisonment/op-5",
    ]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            "  - id: a\n    question: q\n    expected: ['art 99 of the 1961 Convention']\n",
            "unknown clause reference",
        ),
        ("  - id: a\n    question: q\n  - id: a\n    question: r\n", "duplicate case id"),
        ("  - id: a\n    question: q\n    answerabel: true\n", "answerabel"),
        ("  - id: a\n    question: q\n    tags: [factul]\n", "unknown tags"),
        ("  - id: a\n", "question"),
    ],
)
def test_suite_errors_are_clear(corpus: Corpus, tmp_path: Path, body: str, message: str) -> None:
    with pytest.raises(SuiteError, match=message):
        load_suite(write(tmp_path, "name: t\ncases:\n" + body), corpus)


def test_gold_suite_is_valid_and_large(corpus: Corpus) -> None:
    cases = load_suites([GOLD], corpus)
    assert len(cases) >= 150
    tags = {t for _s, c in cases for t in c.tags}
    assert {"follow-up", "out-of-scope", "injection", "not-in-corpus", "cross-reference"} <= tags


@pytest.mark.slow
def test_gold_suite_gate(corpus: Corpus, pipeline: object, tmp_path: Path) -> None:
    results = run_suites(pipeline, load_suites([GOLD], corpus), progress=False)  # type: ignore[arg-type]
    out = REPO_ROOT / "test-artifacts" / "eval-gold"
    paths = write_reports(results, out)
    assert paths["html"].read_text(encoding="utf-8").startswith("<!doctype html>")
    failures = check_thresholds(results["summary"], CI_THRESHOLDS)
    assert not failures, failures


def test_report_escapes_text(tmp_path: Path) -> None:
    case = {
        "id": "x<script>",
        "question": "<img src=x onerror=alert(1)>",
        "answer": "<script>alert(1)</script>",
        "abstained": False,
        "answerable": True,
        "tags": ["factual"],
        "latency_ms": 5.0,
        "expected": [],
        "citations": [{"label": "<b>", "clause_id": "c", "text": "<script>x</script>"}],
        "scores": {},
    }
    summary = {"cases": 1.0, "citation_hit": 1.0, "latency_p50_ms": 5.0}
    results = {
        "mode": "extractive",
        "summary": summary,
        "by_tag": {
            "factual": {
                **summary,
                "citation_recall": 1,
                "abstention_recall": 0,
                "false_refusal_rate": 0,
                "mention_coverage": 1,
            }
        },
        "cases": [case],
    }
    paths = write_reports(results, tmp_path)
    page = paths["html"].read_text(encoding="utf-8")
    assert "<script>" not in page and "onerror=alert" not in page.replace("onerror=alert(1)&gt;", "")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_thresholds() -> None:
    summary = {"citation_hit": 0.8, "invented_citations": 1.0}
    assert check_thresholds(summary, {"citation_hit": 0.9}) == ["citation_hit = 0.8 < 0.9"]
    assert check_thresholds(summary, {"invented_citations": 0}) == ["invented_citations = 1.0 > 0"]
    assert check_thresholds(summary, {"citation_hit": 0.5, "invented_citations": 1}) == []


@pytest.mark.slow
def test_eval_command_writes_reports_and_gates(embedded_index: Settings, tmp_path: Path) -> None:
    suite = write(
        tmp_path,
        """name: tiny
cases:
  - id: op5
    question: What help should UNODC give to Member States?
    expected: [OP 5]
    must_mention: [guidance]
    tags: [factual]
  - id: oos
    question: What is the capital of Austria?
    answerable: false
    tags: [out-of-scope]
""",
    )
    env = {
        "ASSISTANT_INDEX_DIR": str(embedded_index.index_dir),
        "PATH": "/usr/bin:/bin",
        "HF_HUB_OFFLINE": "1",
    }
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "assistant.cli",
            "eval",
            str(suite),
            "--out",
            str(tmp_path / "run"),
            "--json",
            "--fail-under",
            "citation_hit=1.01",
        ],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert proc.returncode == 1, proc.stderr
    data = json.loads(proc.stdout)
    assert data["failures"] and data["summary"]["out_of_scope_abstention"] == 1.0
    for name in ("results.json", "report.md", "report.html"):
        assert (tmp_path / "run" / name).is_file()
    bad = subprocess.run(
        [sys.executable, "-m", "assistant.cli", "eval", str(tmp_path / "missing.yaml")],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert bad.returncode == 2 and "suite not found" in bad.stderr
