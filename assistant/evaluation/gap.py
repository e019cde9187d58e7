"""The same question in English and in another language (issue #14): a suite's cases that
translate an English case (``Case.translates``) are paired with that case, and the run reports
citation hit on both sides of the pairs and the gap between them, overall and per language.

The English originals may live in other suites: :func:`english_originals` looks for them among
the cases being run first, then in the other suites of the same directories."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from assistant.evaluation.suite import Case, SuiteError, load_suite
from assistant.types import Corpus


def english_originals(
    cases: Sequence[tuple[str, Case]], paths: Sequence[Path], corpus: Corpus
) -> list[tuple[str, Case]]:
    """The English cases translated by ``cases`` that ``cases`` do not already hold, found in the
    other ``*.yaml`` suites next to ``paths`` (a suite that does not load is skipped, with a
    warning)."""
    wanted = {c.translates for _s, c in cases if c.translates} - {c.id for _s, c in cases}
    if not wanted:
        return []
    found: list[tuple[str, Case]] = []
    given = {p.resolve() for p in paths}
    for directory in sorted({p.resolve().parent for p in paths}):
        for path in sorted(directory.glob("*.yaml")):
            if path.resolve() in given or not wanted:
                continue
            try:
                suite = load_suite(path, corpus)
            except SuiteError as exc:
                print(f"warning: {exc} (not searched for English originals)", file=sys.stderr)
                continue
            for case in suite.cases:
                if case.id in wanted and case.language == "en":
                    found.append((suite.name, case))
                    wanted.discard(case.id)
    return found


def _hit(row: dict[str, Any]) -> float | None:
    value = row.get("scores", {}).get("citation_hit")
    return float(value) if value is not None else None


def english_gap(rows: Sequence[dict[str, Any]], originals: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Hit of the translated questions and of their English originals, over the pairs where both
    are scored; ``gap`` is English minus translated, in points of hit (0-1)."""
    english = {r["id"]: r for r in [*rows, *originals] if r.get("language", "en") == "en"}
    pairs: dict[str, list[tuple[float, float]]] = {}
    for row in rows:
        source = english.get(row.get("translates") or "")
        if source is None:
            continue
        mine, theirs = _hit(row), _hit(source)
        if mine is not None and theirs is not None:
            pairs.setdefault(row["language"], []).append((mine, theirs))
    out: dict[str, Any] = {}
    for lang in [*sorted(pairs), "all"] if pairs else []:
        both = [p for k, v in pairs.items() for p in v if lang in ("all", k)]
        translated = sum(m for m, _e in both) / len(both)
        english_hit = sum(e for _m, e in both) / len(both)
        out[lang] = {
            "pairs": len(both),
            "translated_hit": round(translated, 4),
            "english_hit": round(english_hit, 4),
            "gap": round(english_hit - translated, 4),
        }
    return out
