"""Run folders (assistant/evaluation/runs.py): unique names, created exclusively, never overwritten."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from datetime import datetime
from pathlib import Path

import pytest

from assistant.evaluation import runs
from assistant.evaluation.report import write_reports
from assistant.evaluation.runs import (
    RunFolderError,
    check_out_dir,
    claim_out_dir,
    create_run_dir,
    list_runs,
    run_id,
)
from assistant.settings import REPO_ROOT, Settings

ONE_SECOND = datetime(2026, 1, 31, 14, 25, 1)


def results(cases: int) -> dict[str, object]:
    """The smallest results a report can be written from."""
    rows = [
        {
            "id": f"c{i}",
            "question": "q?",
            "answer": "a.",
            "abstained": False,
            "answerable": True,
            "citations": [],
            "latency_ms": 10.0 + i,
            "tags": [],
            "scores": {},
        }
        for i in range(cases)
    ]
    return {"mode": "extractive", "summary": {"cases": float(cases)}, "by_tag": {}, "cases": rows}


def test_two_runs_in_the_same_second_get_two_folders(tmp_path: Path) -> None:
    first = create_run_dir(tmp_path / "runs", now=ONE_SECOND)
    second = create_run_dir(tmp_path / "runs", now=ONE_SECOND)
    assert (first.name, second.name) == ("20260131-142501-01", "20260131-142501-02")
    write_reports(results(3), first)
    write_reports(results(2), second)
    found = list_runs(tmp_path / "runs")
    assert {p.name for p in found} == {first.name, second.name}
    assert found[0] == second, "newest first"
    assert [json.loads((p / "results.json").read_text())["summary"]["cases"] for p in (first, second)] == [
        3,
        2,
    ]


def test_an_existing_run_is_never_overwritten(tmp_path: Path) -> None:
    taken = tmp_path / run_id(ONE_SECOND, 1)
    write_reports(results(5), taken)
    before = {p.name: p.read_bytes() for p in taken.iterdir()}
    made = create_run_dir(tmp_path, now=ONE_SECOND)
    assert made != taken and made.name.endswith("-02") and not any(made.iterdir())
    assert {p.name: p.read_bytes() for p in taken.iterdir()} == before
    # an old-style name (no counter) stays apart too
    (tmp_path / "20260131-142502").mkdir()
    assert create_run_dir(tmp_path, now=ONE_SECOND.replace(second=2)).name == "20260131-142502-01"


def test_two_threads_at_once_get_two_folders(tmp_path: Path) -> None:
    threads = 8
    barrier = threading.Barrier(threads)
    made: list[Path] = []
    errors: list[BaseException] = []

    def start() -> None:
        try:
            barrier.wait()
            path = create_run_dir(tmp_path, now=ONE_SECOND)
            write_reports(results(1), path)
            made.append(path)
        except BaseException as exc:  # reported below
            errors.append(exc)

    workers = [threading.Thread(target=start) for _ in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert errors == []
    assert len({p.name for p in made}) == threads
    assert {p.name for p in list_runs(tmp_path)} == {run_id(ONE_SECOND, n) for n in range(1, threads + 1)}


def test_two_processes_sharing_one_runs_folder(tmp_path: Path) -> None:
    """As two app processes with one ASSISTANT_RUNS_DIR: each gets its own folders."""
    code = (
        "import sys, datetime\n"
        "from pathlib import Path\n"
        "from assistant.evaluation.runs import create_run_dir\n"
        "now = datetime.datetime(2026, 1, 31, 14, 25, 1)\n"
        "sys.stdin.readline()\n"  # start together
        "print(' '.join(create_run_dir(Path(sys.argv[1]), now=now).name for _ in range(20)))\n"
    )
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", code, str(tmp_path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=REPO_ROOT,
        )
        for _ in range(2)
    ]
    for p in procs:
        assert p.stdin is not None
        p.stdin.write("go\n")
        p.stdin.flush()
    names = [p.communicate(timeout=60)[0].split() for p in procs]
    assert [p.returncode for p in procs] == [0, 0]
    assert len(names[0]) == len(names[1]) == 20
    assert not set(names[0]) & set(names[1])
    assert sorted(p.name for p in tmp_path.iterdir()) == [run_id(ONE_SECOND, n) for n in range(1, 41)]


def test_list_runs_shows_only_finished_runs(tmp_path: Path) -> None:
    assert list_runs(tmp_path / "missing") == []
    (tmp_path / "a-file").write_text("x")
    unfinished = create_run_dir(tmp_path, now=ONE_SECOND)
    (unfinished / ".results.json.partial").write_text("{")
    assert list_runs(tmp_path) == []
    done = create_run_dir(tmp_path, now=ONE_SECOND)
    write_reports(results(1), done)
    assert list_runs(tmp_path) == [done]
    assert sorted(p.name for p in done.iterdir()) == ["report.html", "report.md", "results.json"]


def test_out_dir_must_be_new_or_empty_unless_forced(tmp_path: Path) -> None:
    new = claim_out_dir(tmp_path / "deep" / "new")
    assert new.is_dir()
    assert claim_out_dir(new) == new  # empty: fine
    write_reports(results(1), new)
    with pytest.raises(RunFolderError, match=r"not empty.*--force") as info:
        check_out_dir(new)
    assert info.value.exit_code == 2 and "\n" not in str(info.value)
    with pytest.raises(RunFolderError):
        claim_out_dir(new)
    assert claim_out_dir(new, force=True) == new
    (tmp_path / "file").write_text("x")
    with pytest.raises(RunFolderError, match="is a file"):
        claim_out_dir(tmp_path / "file", force=True)


def test_unwritable_runs_folder_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(RunFolderError, match="cannot create the runs folder"):
        create_run_dir(tmp_path / "file" / "runs")


def test_runs_folder_is_a_setting(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("ASSISTANT_RUNS_DIR", raising=False)
    assert Settings().runs_dir == REPO_ROOT / "evals" / "runs"
    monkeypatch.setenv("ASSISTANT_RUNS_DIR", str(tmp_path / "shared-runs"))
    assert Settings().runs_dir == tmp_path / "shared-runs"


def test_the_clock_is_read_when_no_time_is_given(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(runs, "_now", lambda: ONE_SECOND)
    assert create_run_dir(tmp_path).name == "20260131-142501-01"
