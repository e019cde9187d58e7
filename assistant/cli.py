"""The ``assistant`` command: thin commands over the library, JSON on stdout with --json."""

from __future__ import annotations

import argparse
import json
import sys
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
            f"ASSISTANT_{'_'.join(str(p) for p in e['loc']).upper()}: {e['msg']}"
            for e in exc.errors()
        )
        raise AssistantError(f"invalid settings: {problems}") from exc


def _corpus(args: argparse.Namespace) -> Any:
    from assistant.corpus.loader import load_corpus

    settings = _settings(args)
    corpus = load_corpus(settings.corpus_dir, settings.manifest)
    for warning in corpus.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    return corpus


def cmd_instruments(args: argparse.Namespace) -> int:
    corpus = _corpus(args)
    if args.json:
        _print_json([inst.to_dict() for inst in corpus.instruments])
        return 0
    for inst in corpus.instruments:
        text = "text" if inst.has_text else "no text in corpus"
        print(f"{inst.id:40} {inst.short_title:45} {inst.symbol:28} {inst.date}  ({text})")
    return 0


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
            f"no clause matches {args.reference!r}. Try e.g. \"1961 Convention art. 36(1)(b)\","
            " \"OP 5\" or \"art 3(4)(c) of the 1988 Convention\""
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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="assistant",
        description="Questions and answers, with clause-level citations, over the 2012 CND "
        "resolution on alternatives to imprisonment and the instruments it cites.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("instruments", help="list the instruments of the corpus")
    p.add_argument("--json", action="store_true")
    p.add_argument("--corpus", help="corpus directory (default: ASSISTANT_CORPUS_DIR)")
    p.set_defaults(func=cmd_instruments)

    p = sub.add_parser("clauses", help="list the citable clauses")
    p.add_argument("--instrument", help="only this instrument id")
    p.add_argument("--json", action="store_true")
    p.add_argument("--corpus", help="corpus directory (default: ASSISTANT_CORPUS_DIR)")
    p.set_defaults(func=cmd_clauses)

    p = sub.add_parser("show", help='print a clause: "1961 Convention art. 36(1)(b)", "OP 5"')
    p.add_argument("reference")
    p.add_argument("--json", action="store_true")
    p.add_argument("--corpus", help="corpus directory (default: ASSISTANT_CORPUS_DIR)")
    p.set_defaults(func=cmd_show)

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
