"""The project's YAML data files (the map of the provisions, the languages and the official
terms), read and validated at the edge: a file that cannot be read or does not fit its model is
a ``CorpusError`` naming the file and what is wrong."""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from assistant.errors import CorpusError

Model = TypeVar("Model", bound=BaseModel)


def read_yaml(path: Path) -> object:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise CorpusError(f"{path}: not a readable YAML file ({exc})") from exc


def validated(model: type[Model], path: Path) -> Model:
    try:
        return model.model_validate(read_yaml(path))
    except ValidationError as exc:
        detail = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()[:5])
        raise CorpusError(f"{path}: {detail}") from exc
