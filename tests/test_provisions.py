"""The map of the provisions (corpus/provisions): every id names a clause of the real corpus."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import C1961, C1971, C1988, RESOLUTION

from assistant.corpus.provisions import load_provisions, parallels
from assistant.errors import CorpusError
from assistant.settings import REPO_ROOT
from assistant.types import Corpus

MAP = REPO_ROOT / "corpus" / "provisions"


def _ids(node: object) -> list[str]:
    """Every string in the map that looks like a clause id."""
    if isinstance(node, dict):
        return [i for v in node.values() for i in _ids(v)]
    if isinstance(node, list):
        return [i for v in node for i in _ids(v)]
    if isinstance(node, str) and "/" in node and " " not in node and not node.startswith("http"):
        return [node]
    return []


@pytest.mark.parametrize("name", ["parallels.yaml", "topics.yaml"])
def test_every_clause_id_in_the_map_names_a_clause(corpus: Corpus, name: str) -> None:
    """An entry that points to nothing fails the build."""
    raw = yaml.safe_load((MAP / name).read_text(encoding="utf-8"))
    ids = _ids(raw["groups"] if "groups" in raw else [t["provisions"] for t in raw["topics"]])
    assert ids, "the map lists no provisions"
    known = corpus.by_id()
    missing = sorted({i for i in ids if i not in known})
    assert not missing, f"{name} names clauses that do not exist: {missing}"


def test_the_map_loads_with_the_corpus_without_warnings(corpus: Corpus) -> None:
    assert len(corpus.provisions.groups) >= 45
    assert len(corpus.provisions.topics) >= 25
    assert not [w for w in corpus.warnings if "provisions" in w or "names no clause" in w]


def test_topics_have_terms_provisions_and_sources(corpus: Corpus) -> None:
    for topic in corpus.provisions.topics:
        assert len(topic.terms) >= 2, topic.id
        assert topic.provisions and topic.sources, topic.id
    unnamed = [t for t in corpus.provisions.topics if not t.in_texts]
    assert unnamed and all(t.note for t in unnamed)


def test_groups_span_the_three_conventions(corpus: Corpus) -> None:
    """The common structure: penal provisions, treatment, alternatives to conviction,
    denunciation, reservations ... each in all three conventions."""
    three = [g for g in corpus.provisions.groups if {C1961, C1971, C1988} <= {i for i, _ in g.provisions}]
    assert len(three) >= 25
    for group in corpus.provisions.groups:
        assert len(group.provisions) >= 2


def test_parallels_of_art_36_1_b(corpus: Corpus) -> None:
    found = parallels(corpus, f"{C1961}/art-36/para-1/b")
    ids = {c.clause_id for _g, cs in found for c in cs}
    assert f"{C1971}/art-22/para-1/b" in ids and f"{C1988}/art-3/para-4/c" in ids
    assert f"{RESOLUTION}/fn-5" in ids
    assert all(not i.startswith(C1961 + "/") for i in ids)  # the other instruments only


def test_an_unknown_id_is_reported_and_dropped(tmp_path: Path, corpus: Corpus) -> None:
    (tmp_path / "parallels.yaml").write_text(
        "version: 1\ngroups:\n  - id: g\n    subject: S\n    provisions:\n"
        f"      {C1961}: [{C1961}/art-36, {C1961}/art-999]\n      {C1971}: [{C1971}/art-22]\n",
        encoding="utf-8",
    )
    problems: list[str] = []
    found = load_provisions(tmp_path, set(corpus.by_id()), [i.id for i in corpus.instruments], problems)
    assert found.groups[0].clause_ids == (f"{C1961}/art-36", f"{C1971}/art-22")
    assert any("art-999" in p for p in problems)


def test_a_malformed_map_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "topics.yaml").write_text("version: 1\ntopics:\n  - id: x\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"topics\.yaml"):
        load_provisions(tmp_path, set(), [])
