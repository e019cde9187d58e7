"""A translated question is paired with its English original, wherever that lives, and the run
reports both hits and the gap (issue #14)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from assistant.evaluation.gap import english_gap, english_originals
from assistant.evaluation.report import markdown
from assistant.evaluation.runner import run_suites
from assistant.evaluation.suite import load_suites
from assistant.types import Corpus

ENGLISH = """name: english
cases:
  - id: en-op5
    question: What help should UNODC give to Member States under the resolution?
    expected: [cnd-2012-alternatives-to-imprisonment/op-5]
  - id: en-other
    question: Who adopted the resolution?
    expected: [cnd-2012-alternatives-to-imprisonment/header]
"""
TRANSLATED = """name: translated
cases:
  - id: es-op5
    question: ¿Qué ayuda debe prestar la UNODC a los Estados Miembros según la resolución?
    expected: [cnd-2012-alternatives-to-imprisonment/op-5]
    language: es
    translates: en-op5
  - id: es-alone
    question: ¿Qué pide la resolución a los Estados Miembros?
    expected: [cnd-2012-alternatives-to-imprisonment/op-1]
    language: es
"""


def row(case_id: str, language: str, hit: float | None, translates: str | None = None) -> dict[str, Any]:
    scores = {} if hit is None else {"citation_hit": hit}
    return {"id": case_id, "language": language, "translates": translates, "scores": scores}


def test_gap_is_english_minus_translated_over_scored_pairs() -> None:
    rows = [
        row("es-1", "es", 0.0, "en-1"),
        row("es-2", "es", 1.0, "en-2"),
        row("zh-1", "zh", 0.0, "en-1"),
        row("fr-1", "fr", None, "en-1"),  # refused, unscored: no pair
        row("ru-1", "ru", 1.0, "en-missing"),  # no original: no pair
    ]
    originals = [row("en-1", "en", 1.0), row("en-2", "en", 1.0)]
    gap = english_gap(rows, originals)
    assert set(gap) == {"es", "zh", "all"}
    assert gap["es"] == {"pairs": 2, "translated_hit": 0.5, "english_hit": 1.0, "gap": 0.5}
    assert gap["all"]["pairs"] == 3 and gap["all"]["gap"] == pytest.approx(2 / 3, abs=1e-4)
    assert english_gap([row("es-1", "es", 1.0)], originals) == {}


def test_originals_are_found_in_sibling_suites(corpus: Corpus, tmp_path: Path, capsys: Any) -> None:
    (tmp_path / "english.yaml").write_text(ENGLISH, encoding="utf-8")
    (tmp_path / "broken.yaml").write_text("name: [", encoding="utf-8")
    translated = tmp_path / "translated.yaml"
    translated.write_text(TRANSLATED, encoding="utf-8")
    cases = load_suites([translated], corpus)
    found = english_originals(cases, [translated], corpus)
    assert [(suite, case.id) for suite, case in found] == [("english", "en-op5")]
    assert "broken.yaml" in capsys.readouterr().err
    # an original already among the cases run is not looked for again
    both = load_suites([translated, tmp_path / "english.yaml"], corpus)
    assert english_originals(both, [translated, tmp_path / "english.yaml"], corpus) == []


def test_run_reports_the_gap_and_keeps_originals_out_of_the_summary(
    corpus: Corpus, pipeline: Any, tmp_path: Path
) -> None:
    (tmp_path / "english.yaml").write_text(ENGLISH, encoding="utf-8")
    translated = tmp_path / "translated.yaml"
    translated.write_text(TRANSLATED, encoding="utf-8")
    cases = load_suites([translated], corpus)
    results = run_suites(
        pipeline, cases, progress=False, originals=english_originals(cases, [translated], corpus)
    )
    assert [r["id"] for r in results["cases"]] == ["es-op5", "es-alone"]
    assert results["summary"]["cases"] == 2.0
    gap = results["english_gap"]
    assert gap["es"]["pairs"] == 1 and gap["all"]["pairs"] == 1
    assert results["summary"]["english_gap"] == gap["all"]["gap"]
    assert results["by_language"] == {}  # one language only
    report = markdown(results, {})
    assert "## The same questions in English" in report and "| es | 1 |" in report
