"""The command-line contract of issue 7: JSON on stdout, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from conftest import C1961, RESOLUTION

from assistant.cli import main
from assistant.evaluation import runs
from assistant.settings import Settings


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_instruments_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "instruments", "--json")
    assert code == 0
    data = json.loads(out)
    assert [d["id"] for d in data] == [
        RESOLUTION,
        C1961,
        "psychotropic-convention-1971",
        "illicit-traffic-convention-1988",
        "ga-s-20-2",
        "ga-s-20-3",
        "ga-54-132",
        "political-declaration-2009",
        "ga-66-183",
        "salvador-declaration-2010",
    ]
    for item in data:
        assert set(item) == {"id", "symbol", "title", "short_title", "date", "url", "has_text", "origin"}
        # where the text came from: a corpus file (with its sha256), or nothing yet
        assert (item["origin"] is not None) == item["has_text"]
    assert sum(d["has_text"] for d in data) == 4
    assert {d["origin"]["kind"] for d in data if d["has_text"]} == {"corpus"}
    assert all(len(d["origin"]["sha256"]) == 64 for d in data if d["has_text"])


def test_clauses_json_for_one_instrument(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "clauses", "--instrument", RESOLUTION, "--json")
    assert code == 0
    data = json.loads(out)
    assert len(data) == 27
    op5 = next(c for c in data if c["clause_id"] == f"{RESOLUTION}/op-5")
    assert op5["locator"] == [["operative", "5"]]
    assert {"clause_id", "instrument", "label", "locator", "text", "page", "references"} <= set(op5)


def test_clauses_unknown_instrument(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "clauses", "--instrument", "nope", "--json")
    assert code == 2 and "unknown instrument" in err


def test_show_prints_label_and_text(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "show", "1961 Convention art. 36(1)(b)")
    assert code == 0
    assert "1961 Convention, art. 36(1)(b)" in out
    assert "when abusers of drugs have committed such offences" in out


def test_show_instrument_without_text(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "show", "S-20/3")
    assert code == 0 and "not in the corpus" in out and "https://undocs.org/A/RES/S-20/3" in out


def test_show_unknown_reference_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "show", "article 99 of the 1961 Convention")
    assert code == 2 and out == "" and "no clause matches" in err


def test_missing_corpus_directory(capsys: pytest.CaptureFixture[str], tmp_path: object) -> None:
    code, _, err = run(capsys, "instruments", "--corpus", "/nonexistent/corpus")
    assert code == 1 and "corpus directory not found: /nonexistent/corpus" in err


def test_console_script_runs() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "assistant.cli", "show", "OP 5", "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)[0]["label"] == "Resolution, operative para. 5"


TINY_SUITE = """name: tiny
cases:
  - id: op5
    question: What help should UNODC give to Member States?
    expected: [OP 5]
  - id: oos
    question: What is the capital of Austria?
    answerable: false
"""


def test_eval_refuses_a_non_empty_out_dir_before_running(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    suite = tmp_path / "tiny.yaml"
    suite.write_text(TINY_SUITE, encoding="utf-8")
    out = tmp_path / "earlier-run"
    out.mkdir()
    (out / "results.json").write_text('{"kept": true}', encoding="utf-8")

    def no_pipeline(*_: object) -> None:
        raise AssertionError("the suite ran although --out was refused")

    monkeypatch.setattr("assistant.factory.build_pipeline", no_pipeline)
    code, stdout, err = run(capsys, "eval", str(suite), "--out", str(out))
    assert code == 2 and stdout == ""
    assert err.count("\n") == 1 and err.startswith("error: ") and "--force" in err and str(out) in err
    assert (out / "results.json").read_text(encoding="utf-8") == '{"kept": true}'
    code, _, err = run(capsys, "eval", str(suite), "--out", str(out / "results.json"))
    assert code == 2 and "is a file" in err


@pytest.mark.slow
def test_eval_runs_in_one_second_keep_apart_and_force_overwrites(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    embedded_index: Settings,
) -> None:
    suite = tmp_path / "tiny.yaml"
    suite.write_text(TINY_SUITE, encoding="utf-8")
    monkeypatch.setenv("ASSISTANT_INDEX_DIR", str(embedded_index.index_dir))
    monkeypatch.setenv("ASSISTANT_CHROMA_URL", "")
    monkeypatch.setenv("ASSISTANT_RUNS_DIR", str(tmp_path / "runs"))
    monkeypatch.setattr(runs, "_now", lambda: datetime(2026, 1, 31, 14, 25, 1))
    outs = []
    for _ in range(2):
        code, stdout, err = run(capsys, "eval", str(suite), "--json")
        assert code == 0, err
        outs.append(Path(json.loads(stdout)["out"]))
    assert [p.name for p in outs] == ["20260131-142501-01", "20260131-142501-02"]
    assert sorted(p.name for p in (tmp_path / "runs").iterdir()) == [p.name for p in outs]
    first = outs[0] / "results.json"
    first.write_text("{}", encoding="utf-8")
    code, stdout, err = run(capsys, "eval", str(suite), "--out", str(outs[0]), "--force", "--json")
    assert code == 0, err
    assert Path(json.loads(stdout)["out"]) == outs[0]
    assert json.loads(first.read_text(encoding="utf-8"))["summary"]["cases"] == 2
