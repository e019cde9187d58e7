"""Shared fixtures: the real corpus, loaded once per test session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from assistant.corpus.loader import load_corpus
from assistant.settings import REPO_ROOT, Settings
from assistant.types import Corpus

RESOLUTION = "cnd-2012-alternatives-to-imprisonment"
C1961 = "single-convention-1961"
C1971 = "psychotropic-convention-1971"
C1988 = "illicit-traffic-convention-1988"


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    path = Settings().corpus_dir
    if not path.is_dir():
        pytest.fail(f"the real corpus is needed at {path} (set ASSISTANT_CORPUS_DIR)")
    return path


@pytest.fixture(scope="session")
def manifest_path() -> Path:
    return REPO_ROOT / "corpus" / "manifest.yaml"


@pytest.fixture(scope="session")
def corpus(corpus_dir: Path, manifest_path: Path) -> Corpus:
    return load_corpus(corpus_dir, manifest_path)
