"""Run folders of evaluations: unique names, created exclusively, never overwritten.

A run folder is named ``<YYYYmmdd-HHMMSS>-<NN>``: the second it was started and a counter, the
first number not taken in that second.  The folder is reserved with ``mkdir`` (which fails if
the name exists), so two runs started within the same second, from two threads or from two
processes sharing one runs folder, get two folders.  A run is listed once its ``results.json``
is in place (``write_reports`` writes it last, by an atomic rename).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from assistant.errors import AssistantError

MAX_PER_SECOND = 999
RESULTS = "results.json"


class RunFolderError(AssistantError):
    """A run folder that cannot be used: taken by an earlier run, a file, or not writable."""

    exit_code = 2


def _now() -> datetime:
    return datetime.now()


def run_id(now: datetime, number: int) -> str:
    """``20260131-142501-01``: sorts in the order the runs were started."""
    return f"{now:%Y%m%d-%H%M%S}-{number:02d}"


def create_run_dir(runs_dir: Path, now: datetime | None = None) -> Path:
    """A new, empty folder for one run inside ``runs_dir`` (created if missing)."""
    stamp = now or _now()
    try:
        runs_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise RunFolderError(f"cannot create the runs folder {runs_dir}: {exc.strerror or exc}") from exc
    for number in range(1, MAX_PER_SECOND + 1):
        path = runs_dir / run_id(stamp, number)
        try:
            path.mkdir()
        except FileExistsError:
            continue
        except OSError as exc:
            raise RunFolderError(f"cannot create a run folder in {runs_dir}: {exc.strerror or exc}") from exc
        return path
    raise RunFolderError(f"more than {MAX_PER_SECOND} runs started in one second in {runs_dir}")


def check_out_dir(path: Path, force: bool = False) -> None:
    """Refuse a folder that already holds something, unless ``force``; no side effect."""
    if path.exists() and not path.is_dir():
        raise RunFolderError(f"--out {path} is a file, not a folder")
    if not force and path.is_dir() and any(path.iterdir()):
        raise RunFolderError(
            f"--out {path} is not empty (an earlier run?); choose another folder or add --force to overwrite it"
        )


def claim_out_dir(path: Path, force: bool = False) -> Path:
    """The folder a user named for a run: created, or empty, or (with ``force``) reused."""
    try:
        path.mkdir(parents=True)
        return path
    except FileExistsError:
        pass
    except OSError as exc:
        raise RunFolderError(f"cannot create --out {path}: {exc.strerror or exc}") from exc
    check_out_dir(path, force)
    return path


def list_runs(runs_dir: Path) -> list[Path]:
    """The finished runs in ``runs_dir`` (those with a ``results.json``), newest first."""
    if not runs_dir.is_dir():
        return []
    found: list[tuple[int, str, Path]] = []
    for path in runs_dir.iterdir():
        results = path / RESULTS
        try:
            found.append((results.stat().st_mtime_ns, path.name, path))
        except OSError:  # not a run, or not finished yet
            continue
    return [path for _, _, path in sorted(found, reverse=True)]
