"""``assistant fetch``, offline: a local HTTP server serves SYNTHETIC UN-style PDFs (made by
``un_pdf_factory``, never the real texts) for three instruments, through redirects or as a
mirror, and every failure a fetch must survive.  Then the fetched texts are ingested like any
corpus file: their clauses, labels, cited-by links, and an answer that cites a fetched paragraph.
"""

from __future__ import annotations

import errno
import json
import re
import shutil
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

import fetch_server
import pytest
import un_pdf_factory as factory
import yaml
from conftest import C1961, RESOLUTION, CachingEmbeddings

from assistant.cli import main
from assistant.corpus import downloads, fetch
from assistant.corpus.fetch import fetch_one, targets
from assistant.corpus.loader import load_corpus
from assistant.corpus.manifest import load_manifest
from assistant.corpus.references import parse_reference
from assistant.errors import FetchError
from assistant.settings import REPO_ROOT, Settings
from assistant.types import Corpus, Instrument

S203, G66, SALVADOR = "ga-s-20-3", "ga-66-183", "salvador-declaration-2010"
FETCHED = (S203, G66, SALVADOR)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[fetch_server.FetchServer]:
    with fetch_server.serve(tmp_path_factory.mktemp("served")) as srv:
        yield srv


def local_manifest(path: Path, url: str) -> Path:
    """The real manifest with the official addresses of the six instruments without text
    pointed at the local server: three documents behind redirects, three failures."""
    data = yaml.safe_load((REPO_ROOT / "corpus" / "manifest.yaml").read_text(encoding="utf-8"))
    addresses = {
        S203: "/undocs/A/RES/S-20/3",
        G66: "/undocs/A/RES/66/183",
        SALVADOR: "/undocs/A/RES/65/230",
        "ga-s-20-2": "/missing",
        "ga-54-132": "/html",
        "political-declaration-2009": "/truncated.pdf",
    }
    for entry in data["instruments"]:
        if entry["id"] in addresses:
            entry["url"] = url + addresses[entry["id"]]
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def manifest(tmp_path_factory: pytest.TempPathFactory, server: fetch_server.FetchServer) -> Path:
    return local_manifest(tmp_path_factory.mktemp("manifest") / "manifest.yaml", server.url)


@pytest.fixture(scope="module")
def instruments(manifest: Path) -> dict[str, Instrument]:
    return {i.id: i for i in load_manifest(manifest)}


@pytest.fixture(scope="module")
def fetched_dir(tmp_path_factory: pytest.TempPathFactory, instruments: dict[str, Instrument]) -> Path:
    """The three synthetic documents fetched from their (local) official addresses."""
    directory = tmp_path_factory.mktemp("downloads")
    for inst_id in FETCHED:
        outcome = fetch_one(instruments[inst_id], directory, timeout=10)
        assert outcome.status == "fetched", outcome.message
    return directory


@pytest.fixture(scope="module")
def fetched_corpus(corpus_dir: Path, manifest: Path, fetched_dir: Path) -> Corpus:
    return load_corpus(corpus_dir, manifest, fetched_dir)


def leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if ".part" in p.name)


# -- fetching -------------------------------------------------------------------------------


def test_fetch_follows_redirects_and_records_provenance(
    server: fetch_server.FetchServer, fetched_dir: Path, instruments: dict[str, Instrument]
) -> None:
    pdf = downloads.pdf_path(fetched_dir, S203)
    assert pdf.read_bytes() == server.pdfs[S203]
    record = json.loads(downloads.provenance_path(fetched_dir, S203).read_text(encoding="utf-8"))
    assert record["url"] == instruments[S203].url == f"{server.url}/undocs/A/RES/S-20/3"
    assert record["final_url"] == f"{server.url}/files/N9877563.pdf"  # after a 301 and a 302
    assert record["sha256"] == downloads.file_sha256(pdf)
    assert record["size"] == len(server.pdfs[S203])
    assert record["pages"] == 3
    assert record["symbol"] == "A/RES/S-20/3"
    assert datetime.fromisoformat(record["fetched_at"]).year >= 2024
    origin = downloads.origin_of(fetched_dir, S203)
    assert origin is not None and origin.kind == "fetched" and origin.sha256 == record["sha256"]
    assert leftovers(fetched_dir) == []


def test_a_file_already_there_is_not_fetched_again(
    server: fetch_server.FetchServer, fetched_dir: Path, instruments: dict[str, Instrument]
) -> None:
    pdf = downloads.pdf_path(fetched_dir, G66)
    before = (pdf.stat().st_mtime_ns, downloads.provenance_path(fetched_dir, G66).read_bytes())
    asked = server.requests_for("66/183")
    again = fetch_one(instruments[G66], fetched_dir, timeout=10)
    assert again.status == "present" and "already fetched" in again.message
    assert server.requests_for("66/183") == asked  # no request at all
    forced = fetch_one(instruments[G66], fetched_dir, timeout=10, force=True)
    assert forced.status == "unchanged", forced.message  # fetched, same sha256: left as it was
    assert server.requests_for("66/183") == asked + 1
    assert (pdf.stat().st_mtime_ns, downloads.provenance_path(fetched_dir, G66).read_bytes()) == before


def test_a_damaged_file_already_there_is_replaced(
    server: fetch_server.FetchServer, instruments: dict[str, Instrument], tmp_path: Path
) -> None:
    downloads.pdf_path(tmp_path, S203).write_bytes(server.pdfs[S203][:3000])  # a download cut short
    got = fetch_one(instruments[S203], tmp_path, timeout=10)
    assert got.status == "updated" and "replaces a file that could not be used" in got.message
    assert downloads.pdf_path(tmp_path, S203).read_bytes() == server.pdfs[S203]


def test_fetch_from_a_mirror_url_or_folder(
    server: fetch_server.FetchServer, instruments: dict[str, Instrument], tmp_path: Path
) -> None:
    got = fetch_one(instruments[SALVADOR], tmp_path / "a", mirror=server.url + "/mirror/", timeout=10)
    assert got.status == "fetched", got.message
    assert got.origin is not None and got.origin.final_url == f"{server.url}/mirror/{SALVADOR}.pdf"
    assert "A/RES/65/230" in got.message  # the symbol found in the text
    folder = tmp_path / "usb"
    folder.mkdir()
    (folder / f"{SALVADOR}.pdf").write_bytes(server.pdfs[SALVADOR])
    got = fetch_one(instruments[SALVADOR], tmp_path / "b", mirror=str(folder), timeout=10)
    assert got.status == "fetched", got.message
    assert got.origin is not None and got.origin.final_url.startswith("file://")


FAILURES = [
    ("/missing", ["404 Not Found", "--from", "ga-s-20-3.pdf"]),
    ("/html", ["HTML page, not a PDF"]),
    ("/html-as-pdf", ["HTML page, not a PDF"]),
    ("/not-a-pdf", ["did not answer with a PDF", "application/octet-stream"]),
    ("/truncated.pdf", ["incomplete (truncated"]),
    ("/cut.pdf", ["cut short"]),
    ("/encrypted.pdf", ["encrypted"]),
    ("/server-error", ["HTTP 503"]),
]


@pytest.fixture
def previous(server: fetch_server.FetchServer, tmp_path: Path, instruments: dict[str, Instrument]) -> Path:
    """A downloads folder that already holds a good text of S-20/3 (which a failed fetch must keep)."""
    directory = tmp_path / "downloads"
    assert fetch_one(instruments[S203], directory, timeout=10).status == "fetched"
    return directory


def _state(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


@pytest.mark.parametrize(("path", "expected"), FAILURES, ids=[p for p, _ in FAILURES])
def test_a_failed_fetch_says_why_and_keeps_the_previous_file(
    server: fetch_server.FetchServer,
    instruments: dict[str, Instrument],
    previous: Path,
    path: str,
    expected: list[str],
) -> None:
    before = _state(previous)
    inst = replace(instruments[S203], url=server.url + path)
    outcome = fetch_one(inst, previous, force=True, timeout=10)
    assert outcome.status == "failed"
    assert outcome.message.startswith(f"{S203}: ")
    for fragment in expected:
        assert fragment in outcome.message, outcome.message
    assert "\n" not in outcome.message and "Traceback" not in outcome.message
    assert _state(previous) == before  # the previous file and its provenance, untouched
    assert leftovers(previous) == []


def test_the_wrong_document_is_refused(
    server: fetch_server.FetchServer, instruments: dict[str, Instrument], tmp_path: Path
) -> None:
    inst = replace(instruments["ga-s-20-2"], url=server.url + "/wrong.pdf")  # serves S-20/3
    outcome = fetch_one(inst, tmp_path, timeout=10)
    assert outcome.status == "failed"
    assert "is not this document" in outcome.message and "A/RES/S-20/2" in outcome.message
    assert list(tmp_path.iterdir()) == []


def test_no_network_and_timeouts_name_the_address_and_what_to_do(
    server: fetch_server.FetchServer, instruments: dict[str, Instrument], tmp_path: Path
) -> None:
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{s.getsockname()[1]}/A/RES/S-20/3"
    refused = fetch_one(replace(instruments[S203], url=closed), tmp_path, timeout=5)
    assert refused.status == "failed"
    assert f"cannot reach {closed}" in refused.message and "refused" in refused.message
    assert "--from" in refused.message and str(downloads.pdf_path(tmp_path, S203)) in refused.message
    unknown = fetch_one(
        replace(instruments[S203], url="http://undocs.invalid/A/RES/S-20/3"), tmp_path, timeout=5
    )
    assert unknown.status == "failed" and "cannot reach http://undocs.invalid/A/RES/S-20/3" in unknown.message
    slow = fetch_one(replace(instruments[S203], url=server.url + "/slow.pdf"), tmp_path, timeout=0.5)
    assert slow.status == "failed" and "timed out" in slow.message and "/slow.pdf" in slow.message
    assert [p.name for p in tmp_path.iterdir()] == []


def test_a_full_disk_keeps_the_previous_file(
    server: fetch_server.FetchServer,
    instruments: dict[str, Instrument],
    previous: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = _state(previous)
    real = fetch._open_temp

    class Full:
        """The temporary file on a disk that fills up after 2 kB."""

        def __init__(self, inner: Any) -> None:
            self.inner, self.written = inner, 0

        def write(self, data: bytes) -> int:
            self.written += len(data)
            if self.written > 2_000:
                raise OSError(errno.ENOSPC, "No space left on device")
            return int(self.inner.write(data))

        def __getattr__(self, name: str) -> Any:
            return getattr(self.inner, name)

    def open_full(directory: Path, instrument_id: str) -> tuple[Path, Any]:
        path, fh = real(directory, instrument_id)
        return path, Full(fh)

    monkeypatch.setattr(fetch, "_open_temp", open_full)
    outcome = fetch_one(
        replace(instruments[S203], url=server.url + "/mirror/ga-s-20-3.pdf"), previous, force=True, timeout=10
    )
    assert outcome.status == "failed" and "no space left" in outcome.message
    assert _state(previous) == before and leftovers(previous) == []


def test_targets(instruments: dict[str, Instrument], fetched_corpus: Corpus) -> None:
    with pytest.raises(FetchError, match="unknown instrument nope"):
        targets(list(instruments.values()), ["nope"])
    # by default: every instrument whose text is not in the corpus directory (fetched ones too)
    assert [i.id for i in targets(fetched_corpus.instruments, [])] == [
        "ga-s-20-2",
        S203,
        "ga-54-132",
        "political-declaration-2009",
        G66,
        SALVADOR,
    ]


# -- the command ----------------------------------------------------------------------------


def test_fetch_command_end_to_end(
    server: fetch_server.FetchServer,
    manifest: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    folder = tmp_path / "downloads"
    monkeypatch.setenv("ASSISTANT_MANIFEST", str(manifest))
    monkeypatch.setenv("ASSISTANT_DOWNLOADS_DIR", str(folder))
    code = main(["fetch", "--no-ingest"])
    out, err = capsys.readouterr()
    assert code == 1  # three fetched, three failed
    for inst_id in FETCHED:
        assert re.search(rf"^{inst_id}: fetched: ", out, re.MULTILINE), out
    assert "error: ga-s-20-2: " in err and "404 Not Found" in err
    assert "error: ga-54-132: " in err and "HTML page" in err
    assert "error: political-declaration-2009: " in err and "truncated" in err
    assert "Traceback" not in err
    assert "3 fetched, 3 failed (of 6)" in out and "assistant ingest" in out

    code = main(["instruments", "--json"])
    data = {d["id"]: d for d in json.loads(capsys.readouterr().out)}
    for inst_id in FETCHED:
        origin = data[inst_id]["origin"]
        assert data[inst_id]["has_text"] and origin["kind"] == "fetched"
        assert origin["sha256"] == downloads.file_sha256(folder / f"{inst_id}.pdf")
        assert origin["url"].startswith(server.url + "/undocs/") and origin["final_url"].startswith(
            server.url + "/files/"
        )
    assert data[RESOLUTION]["origin"]["kind"] == "corpus"
    assert not data["ga-54-132"]["has_text"] and data["ga-54-132"]["origin"] is None

    code = main(["fetch", S203, G66, "--no-ingest", "--json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 0 and [o["status"] for o in report["outcomes"]] == ["present", "present"]

    code = main(["fetch", "nope"])
    assert code == 2 and "unknown instrument nope" in capsys.readouterr().err


def test_fetch_command_with_a_mirror(
    server: fetch_server.FetchServer,
    manifest: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("ASSISTANT_MANIFEST", str(manifest))
    monkeypatch.setenv("ASSISTANT_DOWNLOADS_DIR", str(tmp_path))
    code = main(["fetch", G66, "--from", server.url + "/mirror", "--no-ingest"])
    out, _ = capsys.readouterr()
    assert code == 0 and f"from {server.url}/mirror/{G66}.pdf" in out
    code = main(["fetch", "ga-54-132", "--from", server.url + "/mirror", "--no-ingest"])
    assert code == 1 and "404 Not Found" in capsys.readouterr().err


def test_fetch_command_updates_the_index(
    server: fetch_server.FetchServer,
    manifest: Path,
    corpus_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """One command: fetched, checked, and indexed (a corpus of the resolution alone, no questions,
    to keep it short)."""
    src = tmp_path / "corpus"
    src.mkdir()
    shutil.copy(corpus_dir / "cnd-resolution-2012-alternatives-to-imprisonment.md", src)
    (tmp_path / "questions").mkdir()
    for key, value in {
        "MANIFEST": manifest,
        "DOWNLOADS_DIR": tmp_path / "downloads",
        "CORPUS_DIR": src,
        "INDEX_DIR": tmp_path / "index",
        "QUESTIONS_DIR": tmp_path / "questions",
        "CHROMA_URL": "",
    }.items():
        monkeypatch.setenv(f"ASSISTANT_{key}", str(value))
    assert main(["fetch", S203, "--from", server.url + "/mirror"]) == 0
    out = capsys.readouterr().out
    assert f"{S203}: fetched: " in out and "index updated: " in out
    assert main(["status", "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    fetched = load_corpus(src, manifest, tmp_path / "downloads")
    assert len(fetched.clauses_of(S203)) > 30
    assert status["clauses"] == 27 + len(fetched.clauses_of(S203)) == len(fetched.clauses)
    assert status["downloads_current"] is True
    assert main(["show", "A/RES/S-20/3, annex, para. 8"]) == 0
    assert "Drug-using offenders should be offered treatment" in capsys.readouterr().out


# -- ingesting what was fetched -----------------------------------------------------------------


def test_fetched_texts_are_cut_into_citable_units(fetched_corpus: Corpus) -> None:
    by_id = fetched_corpus.by_id()
    for inst_id in FETCHED:
        inst = fetched_corpus.instrument(inst_id)
        assert inst.has_text and inst.origin is not None and inst.origin.kind == "fetched"
    para8 = by_id[f"{S203}/annex/para-8"]
    assert para8.label == "A/RES/S-20/3, annex, para. 8"
    assert para8.locator == (("annex", ""), ("paragraph", "8"))
    assert para8.title == "Guiding principles"  # its section's heading
    assert para8.text.startswith("Drug-using offenders should be offered treatment")
    assert para8.page == 2
    assert by_id[f"{S203}/op-1"].label == "A/RES/S-20/3, operative para. 1"
    assert by_id[f"{S203}/op-2/b"].label == "A/RES/S-20/3, operative para. 2(b)"
    assert by_id[f"{S203}/pp-2"].text.startswith("Convinced that reducing the demand")
    assert by_id[f"{S203}/fn-1"].label == "A/RES/S-20/3, footnote 1"
    assert by_id[f"{S203}/annex/sec-iii"].label == "A/RES/S-20/3, annex, section III"
    assert by_id[f"{S203}/annex/pp-1"].text.startswith("We, the States Members")
    assert by_id[f"{S203}/annex/para-4/c"].text == "Rehabilitation and social reintegration."
    assert by_id[f"{SALVADOR}/annex/para-3"].label == "A/RES/65/230, annex, para. 3"
    header = by_id[f"{S203}/header"].text
    assert "SYNTHETIC TEST DOCUMENT" in header and "Distr.: General" in header
    assert "9th plenary meeting" in header


def _expected_texts(doc: factory.UnDoc) -> list[tuple[str, str]]:
    """(clause id suffix, text) of every paragraph the factory printed."""
    out = [(f"pp-{n}", p.text) for n, p in enumerate(doc.preamble, 1)]
    for n, p in enumerate(doc.operative, 1):
        out.append((f"op-{n}", p.text))
        out.extend((f"op-{n}/{letter}", s) for letter, s in zip("abcdefgh", p.subparas, strict=False))
    number = 0
    for section in doc.annex:
        for p in section.paras:
            number += 1
            out.append((f"annex/para-{number}", p.text))
            out.extend((f"annex/para-{number}/{x}", s) for x, s in zip("abcdefgh", p.subparas, strict=False))
    out.extend((f"fn-{n}", t) for n, t in doc.footnotes.items())
    return out


@pytest.mark.parametrize("inst_id", FETCHED)
def test_layout_is_removed_from_the_text(fetched_corpus: Corpus, inst_id: str) -> None:
    """Every paragraph reads back word for word: no page number, running header or footer, or
    line number (ga-66-183 is printed with numbered lines) is left in a clause."""
    by_id = fetched_corpus.by_id()
    doc = factory.DOCS[inst_id]
    for suffix, text in _expected_texts(doc):
        clause = by_id[f"{inst_id}/{suffix}"]
        own = clause.text.split("\n")[0] if clause.has_children else clause.text
        assert own == text, (suffix, own)
    for clause in fetched_corpus.clauses_of(inst_id):
        if clause.kind != "header":
            assert doc.job_number not in clause.text and "SYNTHETIC TEST DOCUMENT" not in clause.text


def test_cited_by_links_both_ways(fetched_corpus: Corpus) -> None:
    by_id = fetched_corpus.by_id()
    # the resolution's notes and preamble now point into the fetched texts
    assert by_id[f"{RESOLUTION}/fn-2"].references == (f"{S203}/annex",)
    assert f"{S203}/annex" in by_id[f"{RESOLUTION}/pp-2"].references
    assert f"{SALVADOR}/annex" in by_id[f"{RESOLUTION}/pp-6"].references
    assert G66 in by_id[f"{RESOLUTION}/pp-5"].references  # named as a whole
    assert by_id[f"{RESOLUTION}/fn-1"].references == ("ga-s-20-2",)  # still without text
    citing = {c.clause_id for c in fetched_corpus.cited_by(f"{S203}/annex")}
    assert {f"{RESOLUTION}/fn-2", f"{RESOLUTION}/pp-2"} <= citing
    # the fetched texts cite the conventions and each other
    assert by_id[f"{S203}/fn-1"].references == (f"{C1961}/art-38",)
    assert f"{S203}/fn-1" in {c.clause_id for c in fetched_corpus.cited_by(f"{C1961}/art-38")}
    assert by_id[f"{G66}/fn-2"].references == (f"{SALVADOR}/annex",)
    assert "ga-54-132" in by_id[f"{G66}/pp-1"].references
    # a text of 2011 cannot cite the draft of 2012 ("its resolution 54/132" is not "the resolution")
    assert RESOLUTION not in by_id[f"{G66}/pp-1"].references


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("A/RES/S-20/3, annex, para. 8", f"{S203}/annex/para-8"),
        ("paragraph 4 (c) of the Guiding Principles", f"{S203}/annex/para-4/c"),
        ("operative paragraph 4 of resolution 66/183", f"{G66}/op-4"),
        ("footnote 1 of S-20/3", f"{S203}/fn-1"),
        ("section II of S-20/3", f"{S203}/annex/sec-ii"),
        ("OP 5", f"{RESOLUTION}/op-5"),
    ],
)
def test_references_to_fetched_clauses(fetched_corpus: Corpus, query: str, expected: str) -> None:
    assert parse_reference(query, fetched_corpus.instruments, fetched_corpus.by_id())[:1] == [expected]


# -- answers ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fetched_pipeline(
    tmp_path_factory: pytest.TempPathFactory,
    embedded_index: Settings,
    fetched_corpus: Corpus,
    fetched_dir: Path,
    manifest: Path,
    embedder: CachingEmbeddings,
) -> Any:
    """The real pipeline over the real corpus and the three fetched texts: the session's index,
    copied, then updated by an ingest (only the new clauses are embedded)."""
    from assistant.factory import searcher_for
    from assistant.index.ingest import index_status, ingest
    from assistant.pipeline import Pipeline

    index = tmp_path_factory.mktemp("fetched-index") / "index"
    shutil.copytree(embedded_index.index_dir, index)
    settings = Settings(
        index_dir=index,
        chroma_url=None,
        manifest=manifest,
        downloads_dir=fetched_dir,
        corpus_dir=embedded_index.corpus_dir,
    )
    assert index_status(settings)["downloads_current"] is False  # fetched after the last ingest
    report = ingest(settings, fetched_corpus, embedder, progress=False)  # type: ignore[arg-type]
    assert report.added == len([c for c in fetched_corpus.clauses if c.instrument in FETCHED])
    assert index_status(settings)["downloads_current"] is True
    return Pipeline(settings, fetched_corpus, searcher_for(settings, fetched_corpus, embedder))  # type: ignore[arg-type]


QUESTION = (
    "What does the Declaration on the Guiding Principles of Drug Demand Reduction say about "
    "offering treatment to drug-using offenders instead of prison?"
)


def test_before_the_fetch_the_question_is_refused(pipeline: Any) -> None:
    ans = pipeline.answer(QUESTION)
    assert ans.abstained and "not in these documents" in ans.text


def test_an_answer_cites_a_paragraph_of_a_fetched_text(fetched_pipeline: Any) -> None:
    ans = fetched_pipeline.answer(QUESTION)
    assert not ans.abstained, ans.text
    cited = [c.clause_id for c in ans.citations]
    assert f"{S203}/annex/para-8" in cited, (ans.text, cited)
    first = ans.citations[0]
    assert first.label == "A/RES/S-20/3, annex, para. 8" and first.page == 2
    assert first.url.endswith("/undocs/A/RES/S-20/3")
    assert "Drug-using offenders should be offered treatment" in ans.text
    assert "[1]" in ans.text and "not in these documents" not in ans.text


def test_answers_from_an_operative_paragraph_and_a_named_paragraph(fetched_pipeline: Any) -> None:
    ans = fetched_pipeline.answer(
        "Under resolution 66/183, what does the General Assembly encourage States to consider for "
        "drug-using offenders who committed minor offences?"
    )
    assert not ans.abstained, ans.text
    assert any(c.clause_id.startswith(f"{G66}/op-4") for c in ans.citations), ans.text
    assert "General Assembly encourages States" in ans.text
    named = fetched_pipeline.answer("What does paragraph 3 of the Salvador Declaration say?")
    assert [c.clause_id for c in named.citations][:1] == [f"{SALVADOR}/annex/para-3"], named.text
    assert "non-custodial measures" in named.text


def test_instruments_still_without_text_are_refused(fetched_pipeline: Any) -> None:
    ans = fetched_pipeline.answer(
        "What does the Action Plan for the Implementation of the Declaration say about prevention?"
    )
    assert ans.abstained and "not in these documents" in ans.text and "A/RES/54/132" in ans.text
