"""Evaluation suites (YAML under evals/suites/): validated before anything runs."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from assistant.corpus.references import parse_reference
from assistant.errors import AssistantError
from assistant.types import Corpus

TAGS = frozenset(
    [
        "factual",
        "lookup",
        "cross-reference",
        "follow-up",
        "out-of-scope",
        "injection",
        "not-in-corpus",
        "resolution",
        "operative",
        "preambular",
        "header",
        "footnote",
        "convention",
        "penal",
        "treatment",
        "definition",
        "extradition",
        "confiscation",
        "cooperation",
        "control",
        "schedules",
        "feedback",
        "procedural",
        # practitioners' questions (evals/suites/practitioners.yaml)
        "practitioner",
        "topic",
        "multi-instrument",
        "multi-part",
        # question forms (evals/suites/forms.yaml)
        "yes-no",
        "who",
        "when",
        "how-many",
        "what",
        "list",
        "navigation",
        "cites",
        # other UN languages (evals/suites/multilingual.yaml)
        "multilingual",
    ]
)
LANGUAGES = ("en", "es", "fr", "ru", "zh", "ar")
# why an out-of-scope question is refused (Case.refusal)
REFUSAL_CLASSES = (
    "later-events",
    "present-day",
    "statistics",
    "national-practice",
    "statements",
    "budget",
    "personal-advice",
    "world-facts",
    "not-in-corpus",
    "injection",
)


class SuiteError(AssistantError):
    exit_code = 2


class Case(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1)
    question: str = Field(min_length=1)
    history: list[str] = []
    expected: list[str] = []
    must_mention: list[str] = []
    answerable: bool = True
    tags: list[str] = []
    source: str = ""  # the public material the question was drawn from
    language: Literal["en", "es", "fr", "ru", "zh", "ar"] = "en"
    translates: str | None = None  # id of the English case (any suite) this one translates
    polarity: Literal["yes", "no", "not stated"] | None = None  # the right lead of a yes/no question
    refusal: (
        Literal[
            "later-events",
            "present-day",
            "statistics",
            "national-practice",
            "statements",
            "budget",
            "personal-advice",
            "world-facts",
            "not-in-corpus",
            "injection",
        ]
        | None
    ) = None  # for an out-of-scope case: why it must be refused


class Suite(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    description: str = ""
    cases: list[Case]


def resolve_expected(ref: str, corpus: Corpus) -> str | None:
    """A clause id, a manifest id, or a human reference ("1961 Convention art. 36(1)(b)")."""
    by_id = corpus.by_id()
    if ref in by_id or ref in {i.id for i in corpus.instruments}:
        return ref
    found = parse_reference(ref, corpus.instruments, by_id)
    return found[0] if len(found) == 1 else None


def load_suite(path: Path, corpus: Corpus) -> Suite:
    """Parse and check a suite; every problem is reported at once, naming case and field."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise SuiteError(f"suite not found: {path}") from exc
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise SuiteError(f"{path}: not a readable YAML file ({exc})") from exc
    try:
        suite = Suite.model_validate(raw)
    except ValidationError as exc:
        detail = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()[:10])
        raise SuiteError(f"{path}: {detail}") from exc
    problems: list[str] = []
    seen: set[str] = set()
    cases: list[Case] = []
    for case in suite.cases:
        if case.id in seen:
            problems.append(f"duplicate case id {case.id!r}")
        seen.add(case.id)
        resolved = []
        for ref in case.expected:
            target = resolve_expected(ref, corpus)
            if target is None:
                problems.append(f"case {case.id}: unknown clause reference {ref!r}")
            else:
                resolved.append(target)
        unknown_tags = sorted(set(case.tags) - TAGS)
        if unknown_tags:
            problems.append(f"case {case.id}: unknown tags {unknown_tags}")
        cases.append(case.model_copy(update={"expected": resolved}))
    if problems:
        raise SuiteError(f"{path}: " + "; ".join(problems))
    return suite.model_copy(update={"cases": cases})


def load_suites(paths: Sequence[Path], corpus: Corpus) -> list[tuple[str, Case]]:
    out: list[tuple[str, Case]] = []
    for path in paths:
        suite = load_suite(path, corpus)
        out.extend((suite.name, case) for case in suite.cases)
    return out
