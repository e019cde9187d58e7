"""The questions each clause answers, written for search (document expansion, "doc2query").

``corpus/questions/*.yaml`` maps clause ids to questions a delegate might ask in their own words
("Can a country say no to extradition for a minor offence?").  Retrieval matches a question
against them as well as against the clause text; answers still quote and cite the clause only.
The files hold no text of the instruments.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Iterable
from pathlib import Path

import yaml
from pydantic import RootModel, ValidationError

from assistant.errors import CorpusError

QUESTION_ID_SEP = "#q"
# the files are ~200 kB: libyaml reads them in 0.04 s against 0.55 s in pure Python, at start-up
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class QuestionsFile(RootModel[dict[str, list[str]]]):
    """One file: clause id -> its questions."""


def question_id(clause_id: str, n: int) -> str:
    return f"{clause_id}{QUESTION_ID_SEP}{n}"


def clause_of(record_id: str) -> str:
    """The clause a stored record belongs to: itself, or the clause a question is about."""
    return record_id.split(QUESTION_ID_SEP, 1)[0]


def read_questions_file(path: Path) -> dict[str, list[str]]:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER) or {}
        return QuestionsFile.model_validate(data).root
    except (OSError, yaml.YAMLError, ValidationError) as exc:
        raise CorpusError(f"{path} is not a questions file (clause id -> list of questions): {exc}") from exc


def load_questions(
    folder: Path | None, clause_ids: Collection[str], warnings: list[str] | None = None
) -> dict[str, tuple[str, ...]]:
    """Every clause's questions, from all ``*.yaml`` files in ``folder`` (none if it is absent).
    Ids that name no clause of this corpus are skipped, each file with one warning."""
    found: dict[str, list[str]] = {}
    if folder is None or not folder.is_dir():
        return {}
    for path in sorted(folder.glob("*.yaml")):
        data = read_questions_file(path)
        unknown = [cid for cid in data if cid not in clause_ids]
        if unknown and warnings is not None:
            warnings.append(f"{path.name}: {len(unknown)} clause ids not in this corpus, e.g. {unknown[0]}")
        for cid, questions in data.items():
            if cid in clause_ids:
                found.setdefault(cid, []).extend(_clean(questions))
    return {cid: tuple(dict.fromkeys(qs)) for cid, qs in found.items() if qs}


def questions_digest(folder: Path | None) -> str:
    """Stands for the questions files as they are now: an index built from others is behind."""
    digest = hashlib.sha256()
    if folder is not None and folder.is_dir():
        for path in sorted(folder.glob("*.yaml")):
            digest.update(path.name.encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def _clean(questions: Iterable[str]) -> list[str]:
    return [" ".join(q.split()) for q in questions if q and q.strip()]
