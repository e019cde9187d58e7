"""The command-line contract of issue 7: JSON on stdout, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import C1961, RESOLUTION

from assistant.cli import main


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
