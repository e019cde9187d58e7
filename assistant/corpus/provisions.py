"""The map of the provisions (``corpus/provisions/*.yaml``): parallel provisions across the
conventions and the policy topics practitioners ask about.  Pydantic at the edge, frozen
dataclasses inside.  Loaded with the manifest; an id that names no clause is reported."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from assistant.corpus.datafile import validated
from assistant.types import Clause, Corpus, ProvisionGroup, ProvisionsMap, Topic

PARALLELS_FILE = "parallels.yaml"
TOPICS_FILE = "topics.yaml"


class GroupEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1)
    subject: str = Field(min_length=1)
    description: str = ""
    provisions: dict[str, list[str]]


class ParallelsFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: int = 1
    groups: list[GroupEntry]


class TopicEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1)
    title: str = Field(min_length=1)
    terms: list[str] = Field(min_length=1)
    in_texts: bool = False
    note: str = ""
    provisions: list[str] = Field(min_length=1)
    sources: list[str] = Field(min_length=1)


class TopicsFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: int = 1
    topics: list[TopicEntry]


def load_provisions(
    folder: Path, known: set[str], order: list[str], problems: list[str] | None = None
) -> ProvisionsMap:
    """The map in ``folder`` (an empty map when the folder or a file is absent).  Clause ids not
    in ``known`` are dropped and each is named in ``problems``; ``order`` is the manifest order
    of the instruments."""
    problems = problems if problems is not None else []
    groups: list[ProvisionGroup] = []
    topics: list[Topic] = []
    rank = {inst: i for i, inst in enumerate(order)}

    loaded = {cid.split("/", 1)[0] for cid in known}

    def keep(ids: list[str], where: str) -> tuple[str, ...]:
        for cid in ids:  # an instrument not loaded (a partial corpus) is no error of the map
            if cid not in known and cid.split("/", 1)[0] in loaded:
                problems.append(f"{where}: {cid!r} names no clause of the corpus")
        return tuple(dict.fromkeys(cid for cid in ids if cid in known))

    parallels = folder / PARALLELS_FILE
    if parallels.is_file():
        data = validated(ParallelsFile, parallels)
        seen: set[str] = set()
        for g in data.groups:
            if g.id in seen:
                problems.append(f"{parallels.name}: duplicate group id {g.id!r}")
            seen.add(g.id)
            provisions = []
            for inst in sorted(g.provisions, key=lambda i: rank.get(i, len(rank))):
                ids = keep(g.provisions[inst], f"{parallels.name}, group {g.id}")
                wrong = [cid for cid in ids if cid.split("/", 1)[0] != inst]
                for cid in wrong:
                    problems.append(f"{parallels.name}, group {g.id}: {cid!r} is not in {inst}")
                ids = tuple(cid for cid in ids if cid not in wrong)
                if ids:
                    provisions.append((inst, ids))
            if len(provisions) >= 2:
                groups.append(
                    ProvisionGroup(g.id, g.subject, " ".join(g.description.split()), tuple(provisions))
                )
    topics_path = folder / TOPICS_FILE
    if topics_path.is_file():
        tdata = validated(TopicsFile, topics_path)
        seen = set()
        for t in tdata.topics:
            if t.id in seen:
                problems.append(f"{topics_path.name}: duplicate topic id {t.id!r}")
            seen.add(t.id)
            ids = keep(t.provisions, f"{topics_path.name}, topic {t.id}")
            if not ids:
                continue
            topics.append(
                Topic(
                    t.id,
                    t.title,
                    tuple(dict.fromkeys(term.strip() for term in t.terms if term.strip())),
                    t.in_texts,
                    " ".join(t.note.split()),
                    ids,
                    tuple(" ".join(s.split()) for s in t.sources),
                )
            )
    return ProvisionsMap(tuple(groups), tuple(topics))


def parallels(corpus: Corpus, clause_id: str) -> list[tuple[ProvisionGroup, list[Clause]]]:
    """The provisions on the same subject in the other instruments: for each group that holds
    this clause (or, failing that, its nearest ancestor or descendant), that group's clauses of
    the other instruments."""
    groups = corpus.provisions.groups_of(clause_id)
    if not groups:
        return []
    nearest = groups[0].distance(clause_id)
    by_id = corpus.by_id()
    own = clause_id.split("/", 1)[0]
    out = []
    for group in groups:
        if group.distance(clause_id) != nearest:
            break
        others = [by_id[cid] for inst, ids in group.provisions if inst != own for cid in ids if cid in by_id]
        if others:
            out.append((group, others))
    return out
