"""References between clauses, and human references to clauses.

One grammar serves both: "art. 36, para. 1 (b)", "article 22, paragraph 1 (b)",
"paras. 4 (b) and (c)", "paragraph 2 of this article", "paragraph I of article 38" (a source
typo), "resolution S-20/3", "OP 5", "operative paragraph 5", "1961 Convention art. 36(1)(b)",
"art 3(4)(c) of the 1988 Convention".  A reference resolves to clause ids, or to the manifest
id of an instrument whose text is not in the corpus.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from assistant.types import Clause, Instrument, article_of

_ROMAN = re.compile(r"^(?=[ivx]+$)x{0,3}(ix|iv|v?i{0,3})$")


ORDINALS = {
    word: str(n)
    for n, word in enumerate(
        [
            "first",
            "second",
            "third",
            "fourth",
            "fifth",
            "sixth",
            "seventh",
            "eighth",
            "ninth",
            "tenth",
            "eleventh",
            "twelfth",
            "thirteenth",
            "fourteenth",
            "fifteenth",
            "sixteenth",
            "seventeenth",
            "eighteenth",
            "nineteenth",
            "twentieth",
        ],
        1,
    )
}
_ORDINAL = "|".join(ORDINALS)
_CARDINALS = {"one": 1, "two": 2, "three": 3, "four": 4}


def _ordinals(t: str) -> str:
    """ "the fifth note" -> "footnote 5", "second preambular paragraph" -> "preambular paragraph 2",
    "the first table" / "table one" -> "table 1"."""
    t = re.sub(
        rf"\b({_ORDINAL}) (preambular|operative) (?:paragraph|para)\b",
        lambda m: f"{m.group(2)} paragraph {ORDINALS[m.group(1)]}",
        t,
    )
    t = re.sub(
        rf"\b({_ORDINAL}) paragraph of the preamble\b",
        lambda m: f"preambular paragraph {ORDINALS[m.group(1)]}",
        t,
    )
    t = re.sub(rf"\b({_ORDINAL}) (table|schedule)\b", lambda m: f"{m.group(2)} {ORDINALS[m.group(1)]}", t)
    t = re.sub(
        r"\b(table|schedule) (one|two|three|four)\b",
        lambda m: f"{m.group(1)} {_CARDINALS[m.group(2)]}",
        t,
    )
    return re.sub(rf"\b({_ORDINAL}) (?:foot)?note\b", lambda m: f"footnote {ORDINALS[m.group(1)]}", t)


def normalize(text: str) -> str:
    """Lower case, abbreviations spelled out, "36(1)(b)" as "36 paragraph 1 (b)"."""
    t = _ordinals(text.lower().replace("\u2019", "'"))
    t = re.sub(r"\bsub-?para(?:graph)?s?\b\.?", "subparagraph", t)
    t = re.sub(r"\barts?\b\.?\s*(?=\d)", "article ", t)
    t = re.sub(r"\barticles?\b", "article", t)
    t = re.sub(r"\bparas\b\.?\s*", "paragraphs ", t)
    t = re.sub(r"\bpara\b\.?\s*", "paragraph ", t)
    t = re.sub(r"\b(?:op|o\.p)\.?\s*(?=\d)", "operative paragraph ", t)
    t = re.sub(r"\b(?:pp|p\.p)\.?\s*(?=\d)", "preambular paragraph ", t)
    t = re.sub(r"\bpreambular (?:paragraph|para)?\s*(?=\d)", "preambular paragraph ", t)
    t = re.sub(r"\boperative (?:paragraph|para)?\s*(?=\d)", "operative paragraph ", t)
    t = re.sub(r"\b(?:fn|footnote|note)\.?\s*(?=\d)", "footnote ", t)
    t = re.sub(r"\bparagraph (?:i|l) of article", "paragraph 1 of article", t)
    t = re.sub(r"(article \d+(?: bis)?)\s*\((\d+)\)", r"\1 paragraph \2", t)
    t = re.sub(r"\s+", " ", t)
    return t


@dataclass(frozen=True)
class Provision:
    """A place inside an instrument, as far as the reference names it."""

    kind: str  # article | operative | preambular | footnote | schedule | table | paragraph
    number: str
    path: tuple[str, ...] = ()  # paragraph, letter, roman below an article
    relative: bool = False  # "paragraph 2 of this article": inside the citing article
    span: tuple[int, int] = (0, 0)


_PATH_ITEMS = r"(?:\s*(?:\d+|\([a-z0-9]{1,4}\)|,|and|or)(?=[\s,();.]|$))*"
_ART_FIRST = re.compile(
    r"article (?P<art>\d+(?: bis| ter)?)(?:\s*,?\s*paragraphs? (?P<paras>\d+" + _PATH_ITEMS + r"))?"
    r"(?P<tail>(?:\s*\([a-z]{1,4}\))*)"
)
_PARA_FIRST = re.compile(
    r"paragraphs? (?P<paras>\d+" + _PATH_ITEMS + r")\s*of (?:(?P<this>this) article|article "
    r"(?P<art>\d+(?: bis| ter)?))"
)
_PARA_ALONE = re.compile(r"paragraphs? (?P<paras>\d+" + _PATH_ITEMS + r")")
_RES_PART = re.compile(r"(?P<kind>operative|preambular) paragraphs? (?P<num>\d+)(?P<tail>(?:\s*\([a-z]\))*)")
_FOOTNOTE = re.compile(r"footnote (?P<num>\d+)")
_SCHEDULE = re.compile(r"\bschedule (?P<num>iv|iii|ii|i|[1-4])\b")
_SECTION = re.compile(r"\bsection (?P<num>[ivx]{1,5}|\d{1,2})(?:\.(?P<sub>[a-z]))?(?![\w.])")
_ANNEX_AFTER = re.compile(r"^\s*,?\s*(?:the\s+)?annex\b")
# kinds of instrument printed as UN resolutions (preamble, operative part, notes)
RESOLUTION_LIKE = frozenset({"resolution", "declaration"})
_TABLE = re.compile(r"\btable (?P<num>ii|i|[12])\b")


def _paths(spec: str) -> list[tuple[str, ...]]:
    """'4 (b) and (c)' -> [(4, b), (4, c)]; '1 and 2 (a) (ii)' -> [(1,), (2, a, ii)]."""
    items: list[list[str]] = []
    after_connector = False
    for tok in re.findall(r"\d+|\([a-z0-9]{1,4}\)|and|or|,", spec):
        if tok in ("and", "or", ","):
            after_connector = True
            continue
        if tok.isdigit():
            items.append([tok])
        elif items:
            value = tok.strip("()")
            current = items[-1]
            if after_connector and len(current) > 1:
                items.append([*current[:-1], value])
            else:
                current.append(value)
        after_connector = False
    return [tuple(i) for i in items]


def _roman_to_int(value: str) -> str:
    values = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
    return str(values.get(value, value))


def find_provisions(norm: str) -> list[Provision]:
    """Every provision a normalized text names, in order, spans not overlapping."""
    found: list[Provision] = []
    taken: list[tuple[int, int]] = []

    def free(span: tuple[int, int]) -> bool:
        return all(span[1] <= a or span[0] >= b for a, b in taken)

    for m in _PARA_FIRST.finditer(norm):
        art = m.group("art") or ""
        for path in _paths(m.group("paras")):
            found.append(Provision("article", art, path, relative=bool(m.group("this")), span=m.span()))
        taken.append(m.span())
    for m in _ART_FIRST.finditer(norm):
        if not free(m.span()):
            continue
        tail = tuple(t.strip("()") for t in re.findall(r"\([a-z]{1,4}\)", m.group("tail") or ""))
        paths = _paths(m.group("paras")) if m.group("paras") else [()]
        for path in paths:
            found.append(Provision("article", m.group("art"), path + tail, span=m.span()))
        taken.append(m.span())
    for m in _RES_PART.finditer(norm):
        if free(m.span()):
            tail = tuple(t.strip("()") for t in re.findall(r"\([a-z]\)", m.group("tail")))
            found.append(Provision(m.group("kind"), m.group("num"), tail, span=m.span()))
            taken.append(m.span())
    for m in _FOOTNOTE.finditer(norm):
        if free(m.span()):
            found.append(Provision("footnote", m.group("num"), span=m.span()))
            taken.append(m.span())
    for m in _PARA_ALONE.finditer(norm):
        if free(m.span()):
            for path in _paths(m.group("paras")):
                found.append(Provision("paragraph", path[0], path[1:], span=m.span()))
            taken.append(m.span())
    for m in _SCHEDULE.finditer(norm):
        if free(m.span()):
            found.append(Provision("schedule", _roman_to_int(m.group("num")), span=m.span()))
            taken.append(m.span())
    for m in _SECTION.finditer(norm):
        if free(m.span()):
            sub = (m.group("sub"),) if m.group("sub") else ()
            found.append(Provision("section", m.group("num"), sub, span=m.span()))
    for m in _TABLE.finditer(norm):
        if free(m.span()):
            found.append(Provision("table", _roman_to_int(m.group("num")), span=m.span()))
    return sorted(found, key=lambda p: p.span)


class InstrumentNames:
    """Finds instruments named in a text by their aliases, short titles and symbols."""

    def __init__(self, instruments: Iterable[Instrument]) -> None:
        names: list[tuple[str, str]] = []
        for inst in instruments:
            for name in {inst.short_title, inst.symbol, *inst.aliases}:
                if name and len(name) >= 4:
                    names.append((name.lower(), inst.id))
        names.sort(key=lambda n: -len(n[0]))
        self._names = names
        # longest first, each compiled once: find() runs several times per question
        self._patterns = [
            (re.compile(r"(?<![\w/.-])" + re.escape(name) + r"(?![\w/-])"), inst_id)
            for name, inst_id in names
        ]

    def find(self, norm: str) -> list[tuple[int, int, str]]:
        hits: list[tuple[int, int, str]] = []
        for pattern, inst_id in self._patterns:
            for m in pattern.finditer(norm):
                if all(m.end() <= a or m.start() >= b for a, b, _ in hits):
                    hits.append((m.start(), m.end(), inst_id))
        return sorted(hits)


def _roman_id(n: str) -> str:
    return {"1": "i", "2": "ii", "3": "iii", "4": "iv"}.get(n, n.lower())


def provision_ids(
    instrument: str, prov: Provision, known: set[str] | dict[str, Clause], current: Clause | None = None
) -> list[str]:
    """Clause ids a provision names in one instrument (empty when none exists)."""
    base = instrument
    candidates: list[str] = []
    if prov.kind == "operative":
        candidates.append("/".join([base, f"op-{prov.number}", *prov.path]))
    elif prov.kind == "preambular":
        candidates.append(f"{base}/pp-{prov.number}")
    elif prov.kind == "footnote":
        candidates.append(f"{base}/fn-{prov.number}")
    elif prov.kind == "schedule":
        candidates.append(f"{base}/schedule-{_roman_id(prov.number)}")
    elif prov.kind == "section":
        slug = "sec-" + "-".join([prov.number, *prov.path])
        candidates.extend([f"{base}/annex/{slug}", f"{base}/{slug}"])
    elif prov.kind == "table":
        candidates.append(f"{base}/annex/table-{_roman_id(prov.number)}")
    elif prov.kind == "article":
        number = prov.number
        if prov.relative or not number:
            if current is None or not current.locator or current.locator[0][0] != "article":
                return []
            number = current.locator[0][1]
        art = f"{base}/art-{number.replace(' ', '-')}"
        if prov.path:
            para, *rest = prov.path
            candidates.append("/".join([art, f"para-{para}", *rest]))
            if not para.isdigit():
                candidates.append("/".join([art, *prov.path]))
        else:
            candidates.append(art)
    elif prov.kind == "paragraph":
        if current is not None and current.locator and current.locator[0][0] == "article":
            art = article_of(current.clause_id)
            candidates.append("/".join([art, f"para-{prov.number}", *prov.path]))
        elif current is not None and current.locator and current.locator[0][0] == "operative":
            candidates.append(f"{base}/op-{prov.number}")
        elif current is not None and current.locator and current.locator[0][0] == "annex":
            annex = article_of(current.clause_id)  # "paragraph 8 above", in the annex
            candidates.append("/".join([annex, f"para-{prov.number}", *prov.path]))
    for candidate in candidates:
        if candidate in known:
            return [candidate]
    return []


def find_references(
    clause: Clause,
    names: InstrumentNames,
    known: dict[str, Clause],
    instrument_kinds: dict[str, str],
    annexed: set[str] | frozenset[str] = frozenset(),
) -> list[str]:
    """Targets (clause ids or instrument ids) that a clause's own text refers to. An instrument
    named without a provision is the target itself, or its annex where the instrument is that
    annex (``annexed``) or the text says so ("resolution S-20/2, annex")."""
    targets: list[str] = []
    text = clause.text
    resolution_like = instrument_kinds.get(clause.instrument) in RESOLUTION_LIKE
    segments = text.split(";") if resolution_like else [text]
    for segment in segments:
        norm = normalize(segment)
        named = [(a, b, i) for a, b, i in names.find(norm) if i != clause.instrument]
        provisions = find_provisions(norm)
        seg_targets: list[str] = []
        for prov in provisions:
            target_inst = clause.instrument
            following = [i for a, _b, i in named if 0 <= a - prov.span[1] <= 12]
            if following:
                target_inst = following[0]
            elif resolution_like and named:
                target_inst = named[0][2]
            if prov.kind == "paragraph" and target_inst != clause.instrument:
                continue
            seg_targets.extend(provision_ids(target_inst, prov, known, clause))
        targets.extend(seg_targets)
        for _a, end, inst_id in named:
            if not any(t.startswith(inst_id + "/") for t in seg_targets):
                annex = f"{inst_id}/annex"
                says_annex = bool(_ANNEX_AFTER.match(norm[end:]))
                targets.append(annex if annex in known and (inst_id in annexed or says_annex) else inst_id)
    return [t for t in dict.fromkeys(targets) if t != clause.clause_id]


def parse_reference(
    query: str,
    instruments: Sequence[Instrument],
    clauses: dict[str, Clause],
    names: InstrumentNames | None = None,
) -> list[str]:
    """Clause ids (or instrument ids) that a human reference names; empty when none.
    A caller that parses many references passes its ``names`` built once."""
    if query.strip() in clauses:
        return [query.strip()]
    norm = normalize(query)
    names = names or InstrumentNames(instruments)
    named = [i for _a, _b, i in names.find(norm)]
    provisions = find_provisions(norm)
    resolutions = [i.id for i in instruments if i.kind == "resolution" and i.has_text]
    printed = [i.id for i in instruments if i.kind in RESOLUTION_LIKE and i.has_text]
    with_text = [i.id for i in instruments if i.has_text]
    results: list[str] = []
    for prov in provisions:
        if prov.kind in ("operative", "preambular", "footnote"):
            scope = [i for i in named if i in printed] or resolutions[:1]
        elif named:
            scope = [i for i in named if i in with_text]
        else:
            scope = [i for i in with_text if i not in resolutions]
        for inst in scope:
            if prov.kind == "paragraph" and inst in printed and inst not in resolutions:
                # "paragraph 8 of the Guiding Principles": the annex's paragraph, else the operative one
                tail = [f"para-{prov.number}", *prov.path]
                found = [
                    c
                    for c in (
                        f"{inst}/annex/{'/'.join(tail)}",
                        f"{inst}/op-{'/'.join([prov.number, *prov.path])}",
                    )
                    if c in clauses
                ]
                results.extend(found[:1])
            elif prov.kind == "paragraph" and inst in resolutions:
                prov_ = Provision("operative", prov.number, prov.path, span=prov.span)
                results.extend(provision_ids(inst, prov_, clauses))
            elif prov.kind == "paragraph":
                suffix = "/".join([f"para-{prov.number}", *prov.path])
                results.extend(
                    cid for cid in clauses if cid.startswith(inst + "/art-") and cid.endswith("/" + suffix)
                )
            else:
                results.extend(provision_ids(inst, prov, clauses))
    if not provisions:
        for inst_id in named:
            entry = next(i for i in instruments if i.id == inst_id)
            if not entry.has_text:
                results.append(inst_id)
        if re.search(r"\bpreamble\b", norm):
            results.extend(f"{i}/preamble" for i in named if f"{i}/preamble" in clauses)
        if re.search(r"\bannex\b", norm):
            results.extend(f"{i}/annex" for i in named if f"{i}/annex" in clauses)
    return list(dict.fromkeys(results))
