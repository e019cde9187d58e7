"""The ``assistant`` command: thin commands over the library, JSON on stdout with --json."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from assistant.errors import AssistantError, ReferenceNotFound

Command = Callable[[argparse.Namespace], int]


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def _settings(args: argparse.Namespace) -> Any:
    from pydantic import ValidationError

    from assistant.settings import Settings

    overrides: dict[str, Any] = {}
    if getattr(args, "corpus", None):
        overrides["corpus_dir"] = Path(args.corpus)
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        problems = "; ".join(
            f"ASSISTANT_{'_'.join(str(p) for p in e['loc']).upper()}: {e['msg']}" for e in exc.errors()
        )
        raise AssistantError(f"invalid settings: {problems}") from exc


def _corpus(args: argparse.Namespace) -> Any:
    from assistant.corpus.loader import load_corpus

    settings = _settings(args)
    corpus = load_corpus(settings.corpus_dir, settings.manifest, settings.downloads_dir)
    for warning in corpus.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    return corpus


def _questions(settings: Any, corpus: Any) -> Any:
    """The questions each clause answers (``corpus/questions``); unknown clause ids are warned of."""
    from assistant.factory import questions_for

    warnings: list[str] = []
    found = questions_for(settings, corpus, warnings)
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
    return found


def cmd_instruments(args: argparse.Namespace) -> int:
    corpus = _corpus(args)
    if args.json:
        _print_json([inst.to_dict() for inst in corpus.instruments])
        return 0
    for inst in corpus.instruments:
        print(f"{inst.id:40} {inst.short_title:45} {inst.symbol:28} {inst.date}  ({_text_from(inst)})")
    return 0


def _text_from(inst: Any) -> str:
    origin = inst.origin
    if not inst.has_text or origin is None:
        return "no text: assistant fetch " + inst.id if inst.in_manifest else "no text"
    if origin.kind == "corpus":
        return f"text: corpus file {Path(origin.file).name}"
    if origin.kind == "fetched":
        return f"text: fetched {origin.fetched_at[:10]} from {origin.final_url}, sha256 {origin.sha256[:12]}"
    return f"text: {origin.file} (placed by hand), sha256 {origin.sha256[:12]}"


def cmd_clauses(args: argparse.Namespace) -> int:
    corpus = _corpus(args)
    clauses = corpus.clauses
    if args.instrument:
        ids = {inst.id for inst in corpus.instruments}
        if args.instrument not in ids:
            raise ReferenceNotFound(
                f"unknown instrument {args.instrument!r}; known: {', '.join(sorted(ids))}"
            )
        clauses = tuple(c for c in clauses if c.instrument == args.instrument)
    if args.json:
        _print_json([c.to_dict() for c in clauses])
        return 0
    for clause in clauses:
        print(f"{clause.clause_id:60} {clause.label}")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from assistant.corpus.references import parse_reference

    corpus = _corpus(args)
    by_id = corpus.by_id()
    found = parse_reference(args.reference, corpus.instruments, by_id)
    if not found:
        raise ReferenceNotFound(
            f'no clause matches {args.reference!r}. Try e.g. "1961 Convention art. 36(1)(b)",'
            ' "OP 5" or "art 3(4)(c) of the 1988 Convention"'
        )
    out: list[dict[str, Any]] = []
    for target in found:
        if target in by_id:
            out.append(by_id[target].to_dict())
        else:
            inst = corpus.instrument(target)
            out.append({**inst.to_dict(), "note": "the text of this instrument is not in the corpus"})
    if args.json:
        _print_json(out)
        return 0
    for i, item in enumerate(out):
        if i:
            print()
        if "clause_id" in item:
            print(item["label"] + (f" - {item['title']}" if item.get("title") else ""))
            print(f"[{item['clause_id']}]" + (f" page {item['page']}" if item["page"] else ""))
            if item.get("chapeau"):
                print(f"Context: {item['chapeau']}")
            print()
            print(item["text"])
        else:
            print(f"{item['title']} ({item['symbol']}, {item['date']})")
            print(f"{item['note']}; official text: {item['url']}")
    return 0


def cmd_topics(args: argparse.Namespace) -> int:
    corpus = _corpus(args)
    topics = corpus.provisions.topics
    if args.json:
        _print_json([t.to_dict() for t in topics])
        return 0
    by_id = corpus.by_id()
    for topic in topics:
        print(f"{topic.title} [{topic.id}]" + ("" if topic.in_texts else "  (a term the texts do not use)"))
        print(f"  people say: {', '.join(topic.terms)}")
        print(f"  provisions: {'; '.join(by_id[c].label for c in topic.provisions if c in by_id)}")
        for source in topic.sources:
            print(f"  source: {source}")
    return 0


def cmd_parallels(args: argparse.Namespace) -> int:
    from assistant.corpus.provisions import parallels
    from assistant.corpus.references import parse_reference

    corpus = _corpus(args)
    by_id = corpus.by_id()
    found = [t for t in parse_reference(args.reference, corpus.instruments, by_id) if t in by_id]
    if not found:
        raise ReferenceNotFound(
            f'no clause matches {args.reference!r}. Try e.g. "1961 Convention art. 36(1)(b)",'
            ' "OP 5" or "art 3(4)(c) of the 1988 Convention"'
        )
    groups = parallels(corpus, found[0])
    clauses = list({c.clause_id: c for _g, cs in groups for c in cs}.values())
    if args.json:
        _print_json([c.to_dict() for c in clauses])
        return 0
    if not groups:
        print(f"{by_id[found[0]].label}: no parallel provisions in the map")
        return 0
    for group, others in groups:
        print(f"{group.subject} [{group.id}] - parallels of {by_id[found[0]].label}:")
        for clause in others:
            print(f"  {clause.label:45} {clause.clause_id}")
    return 0


def cmd_ingest(args: argparse.Namespace) -> int:
    from assistant.factory import embedder_for
    from assistant.index.ingest import index_status, ingest

    settings = _settings(args)
    if args.multilingual:
        return _ingest_multilingual(args, settings)
    if args.if_missing:
        status = index_status(settings)
        current = status["questions_current"] and status.get("downloads_current", True)
        if status["exists"] and not status["stale"] and current:
            print(f"index present: {status['clauses']} clauses in {status['collection']}", file=sys.stderr)
            return 0
    corpus = _corpus(args)
    if not corpus.clauses:
        raise AssistantError(f"no clauses found in {settings.corpus_dir}; nothing to index")
    report = ingest(
        settings, corpus, embedder_for(settings), rebuild=args.rebuild, questions=_questions(settings, corpus)
    )
    if args.json:
        _print_json(report.to_dict())
    else:
        print(
            f"indexed {report.clauses} clauses into {report.collection} at {report.location}: "
            f"{report.added} added, {report.updated} updated, {report.deleted} deleted, "
            f"{report.unchanged} unchanged; {report.questions} questions they answer; in {report.seconds} s"
        )
    return 0


def cmd_fetch(args: argparse.Namespace) -> int:
    """Download the official texts of instruments without text (or of those named), check them,
    keep them in the downloads folder with their provenance, then update the index."""
    from tqdm import tqdm

    from assistant.corpus.fetch import fetch_many, summary, targets
    from assistant.errors import FetchError

    settings = _settings(args)
    corpus = _corpus(args)
    try:
        chosen = targets(corpus.instruments, args.ids)
    except FetchError as exc:
        raise ReferenceNotFound(str(exc)) from exc
    mirror = args.mirror or settings.fetch_mirror
    bars: dict[str, Any] = {}

    def progress(inst_id: str, got: int, total: int | None) -> None:
        bar = bars.get(inst_id)
        if bar is None:
            bar = bars[inst_id] = tqdm(
                total=total, desc=inst_id, unit="B", unit_scale=True, file=sys.stderr, leave=False
            )
        bar.update(got - bar.n)

    def done(outcome: Any) -> None:
        bar = bars.pop(outcome.instrument, None)
        if bar is not None:
            bar.close()
        if args.json:
            return
        if outcome.ok:
            print(f"{outcome.instrument}: {outcome.status}: {outcome.message}")
        else:
            print(f"error: {outcome.message}", file=sys.stderr)

    outcomes = fetch_many(
        chosen,
        settings.downloads_dir,
        mirror=mirror,
        force=args.force,
        timeout=settings.fetch_timeout_s,
        on_progress=progress,
        on_done=done,
    )
    line = f"{summary(outcomes)} (of {len(outcomes)}); the texts are in {settings.downloads_dir}"
    report = None
    if any(o.changed for o in outcomes) and not args.no_ingest:
        from assistant.factory import embedder_for
        from assistant.index.ingest import ingest

        updated = _corpus(args)
        report = ingest(settings, updated, embedder_for(settings), questions=_questions(settings, updated))
    if args.json:
        _print_json(
            {
                "outcomes": [o.to_dict() for o in outcomes],
                "summary": summary(outcomes),
                "downloads_dir": str(settings.downloads_dir),
                "ingest": report.to_dict() if report else None,
            }
        )
    else:
        print(line)
        if report is not None:
            print(
                f"index updated: {report.added} clauses added, {report.updated} updated, in {report.seconds} s"
            )
        elif any(o.changed for o in outcomes):
            print("run assistant ingest to index them")
    return 1 if any(not o.ok for o in outcomes) else 0


# -- multilingual vectors (issue #14) -------------------------------------------------------------
def _ingest_multilingual(args: argparse.Namespace, settings: Any) -> int:
    """``ingest --multilingual``: the e5 vectors of the clauses, apart from the English index
    (which is neither needed nor touched).  Resumable; ``--if-missing`` returns at once when they
    are complete, or when another process is building them."""
    from assistant.index.embeddings import E5Embeddings
    from assistant.index.multilingual import BuildRunning, build_multilingual, multilingual_status

    corpus = _corpus(args)
    if not corpus.clauses:
        raise AssistantError(f"no clauses found in {settings.corpus_dir}; nothing to embed")
    if args.if_missing:
        status = multilingual_status(settings.index_dir, corpus.clauses)
        if status["state"] == "complete":
            print(f"multilingual vectors present: {status['vectors']} clauses", file=sys.stderr)
            return 0
    try:
        report = build_multilingual(settings.index_dir, corpus.clauses, E5Embeddings)
    except BuildRunning as exc:
        if args.if_missing:
            print(f"{exc}; nothing to do", file=sys.stderr)
            return 0
        raise
    if args.json:
        _print_json(report.to_dict())
    else:
        print(
            f"multilingual vectors {report.state}: {report.clauses} clauses at {report.directory}: "
            f"{report.embedded} embedded, {report.reused} already there; in {report.seconds} s"
        )
    return 0


def _multilingual_line(status: dict[str, Any]) -> str:
    state = status["state"]
    if state == "partial":
        state = f"partial ({status['vectors']} of {status['clauses']})"
    if status.get("building"):
        state += ", being built"
    hint = "" if status["state"] == "complete" else "; build them with: assistant ingest --multilingual"
    return f"multilingual vectors: {state} ({status['model']}){hint}"


def cmd_status(args: argparse.Namespace) -> int:
    from assistant.index.ingest import index_status
    from assistant.index.multilingual import multilingual_status

    settings = _settings(args)
    status = index_status(settings)
    try:
        status["multilingual"] = multilingual_status(settings.index_dir, _corpus(args).clauses)
    except AssistantError as exc:  # no corpus: the English status is still worth printing
        status["multilingual"] = {"state": "unknown", "error": str(exc)}
    if args.json:
        _print_json(status)
    else:
        where = status.get("index_dir") or status.get("chroma_url")
        state = "missing" if not status["exists"] else ("STALE" if status["stale"] else "ok")
        if state == "ok" and not status["questions_current"]:
            state = "ok (the questions changed since the last ingest: run assistant ingest)"
        elif state == "ok" and not status.get("downloads_current", True):
            state = "ok (official texts were fetched since the last ingest: run assistant ingest)"
        print(
            f"{state}: {status['clauses']} clauses ({status['questions']} questions they answer), "
            f"{status['instruments']} instruments, "
            f"collection {status['collection']}, model {status['embedding_model']}, "
            f"at {where}, built {status['built_at']}"
        )
        ml = status["multilingual"]
        print(_multilingual_line(ml) if "model" in ml else f"multilingual vectors: {ml['error']}")
    return 0 if status["exists"] and not status["stale"] else 1


def cmd_search(args: argparse.Namespace) -> int:
    from assistant.factory import build_backends

    backends = build_backends(_settings(args))
    instruments = [args.instrument] if args.instrument else None
    result = backends.searcher.search(args.query, k=args.k, mode=args.mode, instruments=instruments)
    if args.json:
        _print_json(
            [
                {
                    "clause_id": h.clause.clause_id,
                    "label": h.clause.label,
                    "score": round(h.score, 5),
                    "sources": list(h.sources),
                    "text": h.clause.text,
                }
                for h in result.hits
            ]
        )
        return 0
    for i, hit in enumerate(result.hits, 1):
        print(f"{i:2}. {hit.clause.label:45} {hit.score:.4f} {','.join(hit.sources)}")
        print(f"    {hit.clause.text[:160]}")
    return 0


def cmd_retrieval_eval(args: argparse.Namespace) -> int:
    from assistant.evaluation.questions import DEFAULT_QUESTIONS, load_questions
    from assistant.evaluation.retrieval_eval import evaluate_retrieval, markdown_table
    from assistant.factory import build_backends

    backends = build_backends(_settings(args))
    path = Path(args.questions) if args.questions else DEFAULT_QUESTIONS
    questions = load_questions(path, known_ids=set(backends.searcher.by_id) | set(backends.searcher.no_text))
    results = evaluate_retrieval(backends.searcher, questions)
    if args.json:
        _print_json(results)
    else:
        print(f"{results['questions']} questions from {path}\n")
        print(markdown_table(results))
    return 0


def _read_history(path: str | None) -> list[str]:
    if not path:
        return []
    try:
        raw = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise AssistantError(f"cannot read the history file {path}: {exc}") from exc
    try:
        data = json.loads(raw)
    except ValueError:
        return [line.strip() for line in raw.splitlines() if line.strip()]
    if isinstance(data, dict):
        data = data.get("history", [])
    if not isinstance(data, list):
        raise AssistantError(f"{path}: expected a JSON list of earlier questions")
    return [str(d.get("question", "")) if isinstance(d, dict) else str(d) for d in data]


def _print_answer(ans: Any) -> None:
    print(ans.text)
    if ans.citations:
        print()
        for c in ans.citations:
            page = f", p. {c.page}" if c.page else ""
            print(f"[{c.marker}] {c.label}{page}  ({c.clause_id})")
            for line in c.text.split("\n"):
                print(f"    {line}")
    elif ans.abstained and ans.nearest:
        print("\nNearest clauses (not cited):")
        for c in ans.nearest:
            print(f"  - {c.label}  ({c.clause_id})")


def cmd_ask(args: argparse.Namespace) -> int:
    from assistant.factory import build_pipeline

    settings = _settings(args)
    if args.jsonl:
        return _ask_jsonl(build_pipeline(settings), args.mode)
    if args.question is None:
        raise AssistantError('give a question: assistant ask "QUESTION" (or --jsonl to read stdin)')
    from assistant.answer.guard import clean_question

    clean_question(args.question)  # a bad question fails before the models load
    pipeline = build_pipeline(settings)
    ans = pipeline.answer(args.question, _read_history(args.history), mode=args.mode)
    if args.json:
        _print_json(ans.to_dict())
    else:
        _print_answer(ans)
    return 0


def _ask_jsonl(pipeline: Any, mode: str | None) -> int:
    failures = 0
    for n, line in enumerate(sys.stdin, 1):
        if not line.strip():
            continue
        question: Any = None
        try:
            item = json.loads(line)
            if not isinstance(item, dict):
                raise AssistantError('each line must be a JSON object like {"question": "..."}')
            question = item.get("question")
            history = item.get("history") or []
            if not isinstance(history, list):
                raise AssistantError("history must be a list of earlier questions")
            ans = pipeline.answer(question, [str(h) for h in history], mode=mode)
            out = ans.to_dict()
        except (AssistantError, ValueError) as exc:
            failures += 1
            out = {"question": question, "error": f"line {n}: {exc}"}
            print(f"error: line {n}: {exc}", file=sys.stderr)
        sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
        sys.stdout.flush()
    return 1 if failures else 0


def _thresholds(items: Sequence[str] | None) -> dict[str, float]:
    out: dict[str, float] = {}
    for item in items or []:
        for part in item.split(","):
            name, sep, value = part.partition("=")
            try:
                out[name.strip()] = float(value)
            except ValueError:
                raise AssistantError(f"--fail-under expects metric=value, got {part!r}") from None
            if not sep:
                raise AssistantError(f"--fail-under expects metric=value, got {part!r}")
    return out


def cmd_eval(args: argparse.Namespace) -> int:
    from assistant.evaluation.gap import english_originals
    from assistant.evaluation.report import load_run, write_reports
    from assistant.evaluation.runner import check_thresholds, rescore, run_suites
    from assistant.evaluation.runs import check_out_dir, claim_out_dir, create_run_dir
    from assistant.evaluation.suite import load_suites
    from assistant.factory import build_pipeline, corpus_for

    settings = _settings(args)
    thresholds = _thresholds(args.fail_under)
    corpus = corpus_for(settings)
    cases = load_suites([Path(p) for p in args.suites], corpus)  # validate first
    if args.out:
        check_out_dir(Path(args.out), args.force)  # before the run, not after it
    previous = load_run(Path(args.compare)) if args.compare else None
    if args.rescore:  # an earlier run's answers, scored with today's metrics
        results = rescore(load_run(Path(args.rescore)), cases, corpus)
    else:
        originals = english_originals(cases, [Path(p) for p in args.suites], corpus)
        results = run_suites(build_pipeline(settings), cases, mode=args.mode, originals=originals)
    out_dir = claim_out_dir(Path(args.out), args.force) if args.out else create_run_dir(settings.runs_dir)
    paths = write_reports(results, out_dir, previous)
    failures = check_thresholds(results["summary"], thresholds)
    if args.json:
        _print_json(
            {
                "summary": results["summary"],
                "by_tag": results["by_tag"],
                "by_language": results.get("by_language", {}),
                "english_gap": results.get("english_gap", {}),
                "out": str(out_dir),
                "failures": failures,
            }
        )
    else:
        for key, value in results["summary"].items():
            print(f"{key:28} {value}")
        for lang, t in (results.get("by_language") or {}).items():
            print(f"{'citation_hit[' + lang + ']':28} {t['citation_hit']}")
        for lang, g in (results.get("english_gap") or {}).items():
            print(
                f"{'english_gap[' + lang + ']':28} {g['gap']:+.4f} "
                f"(English {g['english_hit']}, translated {g['translated_hit']}, {g['pairs']} pairs)"
            )
        print(f"\nreports: {paths['markdown']}  {paths['html']}  {paths['results']}")
    for failure in failures:
        print(f"FAIL: {failure}", file=sys.stderr)
    return 1 if failures else 0


def cmd_bench(args: argparse.Namespace) -> int:
    from assistant.bench import run_bench
    from assistant.factory import corpus_for, embedder_for

    settings = _settings(args)
    t0 = time.perf_counter()
    embedder = embedder_for(settings)
    load_s = round(time.perf_counter() - t0, 2)
    result = run_bench(settings, corpus_for(settings), embedder, quick=args.quick, chroma_url=args.chroma_url)
    result["model_load_s"] = load_s
    if args.multilingual or args.multilingual_build:  # issue #14
        from assistant.bench import bench_multilingual

        result["multilingual"] = bench_multilingual(
            settings, corpus_for(settings), embedder, build=args.multilingual_build
        )
    if args.json:
        _print_json(result)
        return 0
    print(f"model load {load_s} s; peak RSS {result['peak_rss_mb']} MB; {result['questions']} questions")
    for mode, r in result["modes"].items():
        print(f"\n[{mode}] {r['location']}")
        if "ingest_s" in r:
            print(f"  ingest {r['ingest_s']} s ({r['clauses_per_s']} clauses/s)")
        for name, lat in r["latency"].items():
            print(f"  {name:7} p50 {lat['p50_ms']:8.2f} ms   p95 {lat['p95_ms']:8.2f} ms")
        print(f"  ratios {r['ratios']}")
    if "startup" in result:
        print(f"\nstart-up to first answer: {result['startup']}")
    if "app" in result:
        print(f"Streamlit app (AppTest): {result['app']}")
    if "multilingual" in result:
        print(f"multilingual (es/fr/ru/zh/ar questions): {result['multilingual']}")
    return 0


def cmd_calibrate(args: argparse.Namespace) -> int:
    import yaml

    from assistant.evaluation.calibrate import calibrate
    from assistant.evaluation.questions import load_questions
    from assistant.evaluation.suite import load_suites
    from assistant.factory import build_pipeline
    from assistant.settings import REPO_ROOT

    pipeline = build_pipeline(_settings(args))
    cases = load_suites([REPO_ROOT / "evals" / "suites" / "gold.yaml"], pipeline.corpus)
    in_scope = [q.question for q in load_questions()] + [
        c.question for _s, c in cases if c.answerable and not c.history
    ]
    extra = yaml.safe_load(
        (REPO_ROOT / "evals" / "calibration_out_of_scope.yaml").read_text(encoding="utf-8")
    )
    out = [c.question for _s, c in cases if not c.answerable and "not-in-corpus" not in c.tags] + extra[
        "questions"
    ]
    result = calibrate(pipeline, in_scope, out)
    _print_json(result) if args.json else print(result)
    return 0


def cmd_load(args: argparse.Namespace) -> int:
    from assistant.factory import build_pipeline
    from assistant.load import run_load

    result = run_load(build_pipeline(_settings(args)), threads=args.threads, seconds=args.seconds)
    _print_json(result) if args.json else print(result)
    return 0 if not result["errors"] and not result["crossed"] else 1


def _command(sub: Any, name: str, help: str, func: Command, corpus: bool = True) -> argparse.ArgumentParser:
    """A subcommand with the options every command shares: --json, and --corpus where it reads one."""
    p: argparse.ArgumentParser = sub.add_parser(name, help=help)
    p.add_argument("--json", action="store_true", help="machine-readable output")
    if corpus:
        p.add_argument("--corpus", help="corpus directory (default: ASSISTANT_CORPUS_DIR)")
    p.set_defaults(func=func)
    return p


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="assistant",
        description="Questions and answers, with clause-level citations, over the 2012 CND "
        "resolution on alternatives to imprisonment and the instruments it cites.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    _command(sub, "instruments", "list the instruments of the corpus", cmd_instruments)

    p = _command(sub, "clauses", "list the citable clauses", cmd_clauses)
    p.add_argument("--instrument", help="only this instrument id")

    p = _command(sub, "show", 'print a clause: "1961 Convention art. 36(1)(b)", "OP 5"', cmd_show)
    p.add_argument("reference")

    p = _command(sub, "ingest", "build or update the search index", cmd_ingest)
    p.add_argument("--rebuild", action="store_true", help="embed everything again")
    p.add_argument("--if-missing", action="store_true", help="do nothing when a current index exists")
    p.add_argument(
        "--multilingual",
        action="store_true",
        help="build only the multilingual (e5) clause vectors, resumably, apart from the English index",
    )

    _command(sub, "status", "what the index holds", cmd_status)

    p = _command(
        sub,
        "fetch",
        "download the official texts of the instruments without text, then index them",
        cmd_fetch,
    )
    p.add_argument("ids", nargs="*", metavar="ID", help="instrument ids (default: every one without text)")
    p.add_argument(
        "--from",
        dest="mirror",
        metavar="URL",
        help="a mirror (URL or folder) holding <instrument id>.pdf, instead of the official addresses",
    )
    p.add_argument("--force", action="store_true", help="fetch again even when a text is already there")
    p.add_argument("--no-ingest", action="store_true", help="do not update the index afterwards")

    p = _command(sub, "search", "retrieve clauses for a question (no answer)", cmd_search)
    p.add_argument("query")
    p.add_argument("-k", type=int, default=10)
    p.add_argument("--mode", choices=["hybrid", "bm25", "dense"], default="hybrid")
    p.add_argument("--instrument")

    p = _command(sub, "ask", "answer a question with clause-level citations", cmd_ask)
    p.add_argument("question", nargs="?")
    p.add_argument(
        "--jsonl", action="store_true", help="read JSON lines from stdin, write one answer per line"
    )
    p.add_argument("--history", help="file with earlier questions (JSON list, or one per line)")
    p.add_argument("--mode", choices=["extractive", "openai", "ollama"], default=None)

    _command(sub, "topics", "the policy topics of the provisions map, with their provisions", cmd_topics)

    p = _command(
        sub, "parallels", "the provisions on the same subject in the other instruments", cmd_parallels
    )
    p.add_argument("reference", help='e.g. "1961 Convention art. 36(1)(b)" or a clause id')

    p = _command(sub, "eval", "run answer-quality suites and write reports", cmd_eval)
    p.add_argument("suites", nargs="+", help="suite YAML files (evals/suites/*.yaml)")
    p.add_argument("--mode", choices=["extractive", "openai", "ollama"], default=None)
    p.add_argument(
        "--out",
        help="directory for results.json, report.md, report.html (must be new or empty; "
        "default: a new folder in ASSISTANT_RUNS_DIR)",
    )
    p.add_argument("--force", action="store_true", help="write into a non-empty --out directory")
    p.add_argument("--compare", help="an earlier run directory to compare with")
    p.add_argument(
        "--rescore",
        metavar="RUN",
        help="do not answer: score the answers of an earlier run (its results.json) with today's metrics",
    )
    p.add_argument(
        "--fail-under",
        action="append",
        metavar="METRIC=VALUE",
        help="exit 1 when a metric misses its threshold (a ceiling for invented_citations, "
        "false_refusal_rate, latency); repeatable",
    )

    p = _command(sub, "bench", "ingest time, warm latencies, start-up, peak RSS", cmd_bench)
    p.add_argument("--quick", action="store_true", help="20 questions, no start-up measurement")
    p.add_argument("--chroma-url", help="also measure against this Chroma server")
    p.add_argument(
        "--multilingual",
        action="store_true",
        help="also answers in es/fr/ru/zh/ar (with the built multilingual vectors; build time estimated)",
    )
    p.add_argument(
        "--multilingual-build",
        action="store_true",
        help="as --multilingual, building all vectors anew (minutes)",
    )

    _command(
        sub, "calibrate", "choose the abstention thresholds on the question sets", cmd_calibrate, corpus=False
    )

    p = _command(sub, "load", "concurrent askers against one shared pipeline", cmd_load, corpus=False)
    p.add_argument("--threads", type=int, default=20)
    p.add_argument("--seconds", type=float, default=30.0)

    p = _command(
        sub, "retrieval-eval", "recall@k, MRR, nDCG@10 for bm25, dense and hybrid", cmd_retrieval_eval
    )
    p.add_argument("--questions", help="question set YAML (default: evals/retrieval_questions.yaml)")

    for register in _EXTRA_COMMANDS:
        register(sub)
    return parser


_EXTRA_COMMANDS: list[Callable[[Any], None]] = []


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    func: Command = args.func
    try:
        return func(args)
    except AssistantError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
