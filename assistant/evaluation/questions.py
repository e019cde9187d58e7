"""Retrieval question sets (YAML): validated at the edge with pydantic."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from assistant.errors import AssistantError
from assistant.settings import REPO_ROOT

DEFAULT_QUESTIONS = REPO_ROOT / "evals" / "retrieval_questions.yaml"


class RetrievalQuestion(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    question: str = Field(min_length=1)
    gold: list[str] = Field(min_length=1)
    tags: list[str] = []


class QuestionSet(BaseModel):
    model_config = ConfigDict(extra="forbid")

    questions: list[RetrievalQuestion]


def load_questions(
    path: Path = DEFAULT_QUESTIONS, known_ids: set[str] | None = None
) -> list[RetrievalQuestion]:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        qs = QuestionSet.model_validate(raw).questions
    except FileNotFoundError as exc:
        raise AssistantError(f"question set not found: {path}") from exc
    except (yaml.YAMLError, ValidationError) as exc:
        raise AssistantError(f"question set {path} is invalid: {exc}") from exc
    ids = [q.id for q in qs]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise AssistantError(f"question set {path}: duplicate ids {', '.join(dupes)}")
    if known_ids is not None:
        unknown = sorted({g for q in qs for g in q.gold if g not in known_ids})
        if unknown:
            raise AssistantError(f"question set {path}: unknown clause ids {', '.join(unknown)}")
    return qs
