"""Hybrid retrieval: BM25 + dense (Chroma), fused by reciprocal rank, then structure.

Each clause is also found through the questions it answers (``corpus/questions``): BM25 indexes
them with the clause, and their vectors are a third ranker ("asked").  Answers quote and cite
the clause only.

A question that names a provision ("article 36", "OP 5", "S-20/3") gets that clause, or the
manifest entry of an instrument without text, first; instruments named in the question lift
their clauses.  Parents and siblings of a hit are at hand for context.
"""

from __future__ import annotations

import functools
import re
import time
from collections.abc import Callable, Mapping, Sequence, Set
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever

from assistant.analysis import Analyser
from assistant.answer.text import STOPWORDS, content_stems
from assistant.corpus.questions import clause_of
from assistant.corpus.references import InstrumentNames, normalize, parse_reference
from assistant.index.bm25 import BM25Index, expand_query
from assistant.index.embeddings import Embedder
from assistant.index.searchable import searchable_text
from assistant.index.store import ClauseStore
from assistant.index.subjects import STRONG_MATCH, Subject, SubjectMatcher
from assistant.types import Clause, Corpus, Instrument, QuestionAnalysis, article_of

Mode = Literal["bm25", "dense", "hybrid"]
RRF_K = 60
# how much more of the question's words a paragraph of a mapped provision's article must cover
# to answer in the map's place
PARAGRAPH_FIT_STEP = 0.15
POOL = 200  # candidates per ranker: one missing from a ranker gets nothing from it
_INSTRUMENT_NOUNS = re.compile(r"\b(draft|resolution|convention|treaty|text)s?\b")
# BM25's first hit scoring this many times its second is a clear lead in the question's own
# words, which rank fusion alone would flatten (measured 1.1-1.5 alike: +2 to +6 points of
# citation hit on the four suites; 2.0 gives nothing)
BM25_CLEAR_LEAD = 1.25
# question hits fetched per clause wanted from the "asked" ranker (4 gave the same answers on the
# four suites, at four times the Chroma work)
QUESTIONS_PER_CLAUSE = 1
# multilingual (issue #14): the multilingual ranker's ranking counts this many times in the fusion
# of a non-English question's rankings (the others see only its English gloss)
MULTILINGUAL_WEIGHT = 1  # measured 1, 2, 3 on evals/dev_multilingual.yaml: 0.90, 0.80, 0.90 hit
# the first clauses of each ranker compared to tell whether they agree (multilingual/answer.py)
AGREEMENT_DEPTH = 3


_WORD = re.compile(r"[a-z][a-z0-9-]{2,}")


def list_entries(clauses: Sequence[Clause], max_df: int = 2) -> dict[str, list[str]]:
    """Names found only in a schedule or table ("MDMA", "Cathinone", "Acetone") -> the lists they
    are in: a question naming one wants the list that holds it.  The words of the notes under a
    list are not names."""
    df: dict[str, set[str]] = {}
    for clause in clauses:
        for word in set(_WORD.findall(clause.text.lower())):
            df.setdefault(word, set()).add(clause.clause_id)
    entries: dict[str, set[str]] = {}
    for clause in clauses:
        if clause.kind not in ("schedule", "table"):
            continue
        # the schedules print names in capitals (MDMA, HEROIN); the 1988 tables capitalise them
        capitals = re.findall(r"\b[A-Z][A-Z0-9-]{2,}\b", clause.text)
        listed = "\n".join(  # not the heading or the notes: prose has stop words
            line for line in clause.text.split("\n") if sum(w in STOPWORDS for w in line.lower().split()) < 3
        )
        names = capitals if len(capitals) >= 5 else re.findall(r"\b[A-Z][A-Za-z0-9-]{2,}", listed)
        for name in names:
            word = name.lower()
            if word in df and len(df[word]) <= max_df and word not in STOPWORDS:
                entries.setdefault(word, set()).add(clause.clause_id)
    lists = {c.clause_id for c in clauses if c.kind in ("schedule", "table")}
    lists |= {c.parent_id for c in clauses if c.clause_id in lists and c.parent_id}  # the annex
    return {w: sorted(ids) for w, ids in entries.items() if df[w] <= lists}


def manifest_clause(inst: Instrument) -> Clause:
    """An instrument without text, standing in the results as its manifest entry."""
    text = f"{inst.title} ({inst.symbol}), {inst.date}. Official text: {inst.url}"
    if inst.notes:
        text += f" {inst.notes}"
    return Clause(
        clause_id=inst.id,
        instrument=inst.id,
        label=inst.short_title,
        locator=(),
        text=text,
    )


@dataclass(frozen=True)
class Hit:
    clause: Clause
    score: float
    sources: tuple[str, ...] = ()


@dataclass
class SearchResult:
    hits: list[Hit]
    timings_ms: dict[str, float] = field(default_factory=dict)
    dense_top: float = 0.0  # best cosine similarity of the dense search
    bm25_top: float = 0.0  # best BM25 score
    explicit: list[str] = field(default_factory=list)  # provisions the question names outright
    multilingual_top: float = 0.0  # best cosine of the multilingual ranker (issue #14), 0 if unused
    # the multilingual ranker's first three clauses and the English rankers' (over the gloss) share one
    rankers_agree: bool = False


def rrf(rankings: Sequence[Sequence[str]], k: int = RRF_K) -> dict[str, float]:
    scores: dict[str, float] = {}
    for ranking in rankings:
        for rank, cid in enumerate(ranking):
            scores[cid] = scores.get(cid, 0.0) + 1.0 / (k + rank + 1)
    return scores


def fuse(results: Sequence[SearchResult], k: int) -> SearchResult:
    """Several searches for one question, fused by reciprocal rank."""
    scores = rrf([[h.clause.clause_id for h in r.hits] for r in results])
    hits = {h.clause.clause_id: h for r in reversed(results) for h in r.hits}
    order = sorted(scores, key=lambda cid: -scores[cid])[:k]
    timings: dict[str, float] = {}
    for r in results:
        for name, ms in r.timings_ms.items():
            timings[name] = timings.get(name, 0.0) + ms
    return SearchResult(
        [Hit(hits[cid].clause, scores[cid], hits[cid].sources) for cid in order],
        timings,
        max(r.dense_top for r in results),
        max(r.bm25_top for r in results),
        list(dict.fromkeys(c for r in results for c in r.explicit)),
        max(r.multilingual_top for r in results),
        any(r.rankers_agree for r in results),
    )


class HybridSearcher:
    """Built once per process; thread-safe for concurrent questions."""

    def __init__(
        self,
        corpus: Corpus,
        store: ClauseStore | None,
        embedder: Embedder | None,
        questions: Mapping[str, Sequence[str]] | None = None,
        question_store: ClauseStore | None = None,
        analyser: Analyser | None = None,
    ) -> None:
        """``questions``: clause id -> questions it answers, indexed with it by BM25;
        ``question_store``: their vectors, searched as a ranker of its own ("asked")."""
        self.corpus = corpus
        self.store = store
        self.embedder = embedder
        self.question_store = question_store
        self.by_id = corpus.by_id()
        self.names = InstrumentNames(corpus.instruments)
        self.analyser = analyser or Analyser(corpus, self.names)
        self.bm25 = BM25Index(
            corpus.clauses,
            {cid: [self.without_instrument_names(q) for q in qs] for cid, qs in (questions or {}).items()},
        )
        self._vector = functools.lru_cache(maxsize=64)(self._embed)
        self._subject_matches = functools.lru_cache(maxsize=64)(self._match_subjects)
        self.no_text = {i.id: manifest_clause(i) for i in corpus.instruments if not i.has_text}
        # resolutions with text, in manifest order (the first is the one the corpus is built around)
        self.resolutions = [i.id for i in corpus.instruments if i.kind == "resolution" and i.has_text]
        self._stem_cache: dict[str, frozenset[str]] = {}
        self.entries = list_entries(corpus.clauses)
        self.definitions = [
            c
            for c in corpus.clauses
            if (c.title or "").lower() in ("definitions", "use of terms") and not c.has_children
        ]
        # multilingual (issue #14): the e5 ranker over the clauses, set by the factory; it serves
        # only searches given the question's own words (``original``), never English ones
        self.multilingual: MultilingualRanker | None = None
        # the map of the provisions by subject: a subject the question clearly matches brings its provisions
        self.subjects = SubjectMatcher(corpus.provisions, embedder) if embedder is not None else None

    def absent_from_corpus(self, term: str) -> bool:
        """Whether no clause of the corpus uses the term (any case, hyphen or space)."""
        words = [re.escape(w) for w in re.split(r"[\s-]+", term.lower()) if w]
        if not words:
            return False
        pattern = re.compile(r"(?<![\w-])" + r"[\s-]+".join(words) + r"(?![\w-])")
        return not any(pattern.search(c.text.lower()) for c in self.corpus.clauses)

    # -- the parts, each usable alone -------------------------------------------------
    def _embed(self, query: str) -> tuple[float, ...]:
        assert self.embedder is not None
        return tuple(self.embedder.embed_query(query))

    def forget_vectors(self) -> None:
        """Empty the cache of query vectors (each question is embedded once for all rankers)."""
        self._vector.cache_clear()

    def dense(self, query: str, k: int, instruments: Sequence[str] | None = None) -> list[tuple[str, float]]:
        if self.store is None or self.embedder is None:
            return []
        vector = self._vector(query)
        return [(cid, s) for cid, s in self.store.query(vector, k, instruments) if cid in self.by_id]

    def asked(self, query: str, k: int, instruments: Sequence[str] | None = None) -> list[tuple[str, float]]:
        """Clauses whose questions (``corpus/questions``) are nearest this one, each at its
        best question's similarity."""
        if self.question_store is None or self.embedder is None:
            return []
        best: dict[str, float] = {}
        for rid, score in self.question_store.query(
            self._vector(query), k * QUESTIONS_PER_CLAUSE, instruments
        ):
            cid = clause_of(rid)
            if cid in self.by_id and cid not in best:
                best[cid] = score
        return list(best.items())[:k]

    def sparse(self, query: str, k: int, instruments: Sequence[str] | None = None) -> list[tuple[str, float]]:
        return self.bm25.search(query, k, instruments)

    def _match_subjects(self, query: str) -> tuple[tuple[Subject, float], ...]:
        assert self.subjects is not None
        return tuple(self.subjects.match(self.without_instrument_names(query), self._vector(query)))

    def explicit(self, query: str) -> list[str]:
        """Clauses (or instruments) the question names outright."""
        return parse_reference(query, self.corpus.instruments, self.by_id, self.names)

    def named_instruments(self, query: str) -> list[str]:
        return list(dict.fromkeys(i for _a, _b, i in self.names.find(normalize(query))))

    def without_instrument_names(self, question: str) -> str:
        """ "Who sponsored the draft resolution?" -> "who sponsored the ?": the instrument a
        clause belongs to is not one of its words (focus on it is decided apart)."""
        norm = normalize(question)
        for start, end, _id in sorted(self.names.find(norm), reverse=True):
            norm = norm[:start] + " " + norm[end:]
        return _INSTRUMENT_NOUNS.sub(" ", norm)

    # -- the whole search ----------------------------------------------------------------
    def search(
        self,
        query: str,
        k: int = 10,
        mode: Mode = "hybrid",
        instruments: Sequence[str] | None = None,
        analysis: QuestionAnalysis | None = None,
        original: str | None = None,
    ) -> SearchResult:
        """The clauses that answer ``query``; ``analysis`` is its reading (made here when the
        caller has none).  ``original``: for a question in another language, its own words,
        searched by the multilingual ranker while ``query`` (its English gloss) goes to the others."""
        timings: dict[str, float] = {}
        a = analysis if analysis is not None and analysis.question == query else self.analyser.analyse(query)
        if instruments is None and mode == "hybrid":
            focus = self.focus_instruments(a)
            instruments = focus or None
        t0 = time.perf_counter()
        rankers: dict[str, Callable[[str, int, Sequence[str] | None], list[tuple[str, float]]]] = {
            "bm25": self.sparse,
            "dense": self.dense,
            "asked": self.asked,
        }
        # -- multilingual (issue #14): one more ranking, fused like the others ----------------
        if original is not None and self.multilingual is not None and mode == "hybrid":
            vectors, own = self.multilingual, original

            def multilingual(
                _gloss: str, n: int, inst: Sequence[str] | None = None
            ) -> list[tuple[str, float]]:
                return vectors.search(own, n, inst)

            if not content_stems(self.without_instrument_names(query)):
                rankers = {}  # a gloss of names alone: the question's own words rank alone
            rankers["multilingual"] = multilingual
        searched = a.searched  # "the International Narcotics Control Board" -> "the Board"
        rankings: list[list[str]] = []
        rankers_out: dict[str, list[tuple[str, float]]] = {}
        sources: dict[str, set[str]] = {}
        for name, ranker in rankers.items():
            if mode not in (name, "hybrid"):  # "asked" (and "multilingual") are part of hybrid only
                continue
            started = time.perf_counter()
            ranked_here = ranker(searched, POOL, instruments)
            rankers_out[name] = ranked_here
            rankings.append([cid for cid, _ in ranked_here])
            for cid, _ in ranked_here:
                sources.setdefault(cid, set()).add(name)
            timings[name] = (time.perf_counter() - started) * 1000
        if "multilingual" in rankers_out:  # issue #14: the question's own words weigh more
            rankings += [rankings[list(rankers_out).index("multilingual")]] * (MULTILINGUAL_WEIGHT - 1)
        explicit: list[str] = []
        if mode == "hybrid":
            rankings.append(self._coverage_ranking(searched, {c for r in rankings for c in r[:30]}))
        scores = rrf(rankings)
        words = rankers_out.get("bm25") or []
        if mode == "hybrid" and len(words) > 1 and words[0][1] >= BM25_CLEAR_LEAD * words[1][1]:
            scores[words[0][0]] += 1.0 / (RRF_K + 1)  # a clear lead in words counts twice
        if mode == "hybrid":
            explicit = self._structure(a, scores, sources, instruments)
            if not explicit:
                if not self._lift_unnamed_topics(a, scores, sources, instruments):
                    self._lift_subject(a, scores, sources, instruments)
                self._parallels(a, scores, sources, instruments)
        ranked = sorted(scores.items(), key=lambda kv: -kv[1])[:k]
        hits = []
        for cid, score in ranked:
            clause = self.by_id.get(cid) or self.no_text.get(cid)
            if clause is not None:
                hits.append(Hit(clause, score, tuple(sorted(sources.get(cid, ())))))
        timings["total"] = (time.perf_counter() - t0) * 1000

        def top(name: str) -> float:
            ranked_here = rankers_out.get(name)
            if ranked_here and searched != query and name in ("bm25", "dense"):
                # how well the documents match is judged on the question as asked
                ranked_here = rankers[name](query, 1, instruments)
            return ranked_here[0][1] if ranked_here else 0.0

        def firsts(*names: str) -> set[str]:
            return {cid for name in names for cid, _ in (rankers_out.get(name) or [])[:AGREEMENT_DEPTH]}

        agree = bool(firsts("multilingual") & firsts("bm25", "dense"))
        return SearchResult(hits, timings, top("dense"), top("bm25"), explicit, top("multilingual"), agree)

    def focus_instruments(self, a: QuestionAnalysis) -> list[str]:
        """Instruments with text that the question is about, when it says so."""
        named = [i for i in a.instruments if i not in self.no_text]
        resolutions = self.resolutions
        conventions = [i for i in named if i not in resolutions]
        if a.spans_instruments and not conventions:
            return []  # "What do the treaties and the resolution say ...?": everything
        about_resolution = a.asks("resolution") if not conventions else self.asks_the_notes(a)
        if resolutions and about_resolution:
            named = list(dict.fromkeys([*named, resolutions[0]]))
        return named

    @staticmethod
    def asks_the_notes(a: QuestionAnalysis) -> bool:
        """A question about what the notes give ("which Treaty Series volume, per the draft?")."""
        return a.asks("citation_data") and a.asks("resolution", "registration")

    def _resolutions_only(self, instruments: Sequence[str] | None) -> bool:
        """Whether the search keeps to the resolution (whose paragraphs the map does not lift)."""
        return bool(instruments) and all(i in self.resolutions for i in instruments or ())

    def _lift_unnamed_topics(
        self,
        a: QuestionAnalysis,
        scores: dict[str, float],
        sources: dict[str, set[str]],
        instruments: Sequence[str] | None,
    ) -> bool:
        """A topic named in words no clause uses ("harm reduction", "NSP"): the question's words
        cannot find its provisions, so the map's provisions join the candidates, one per
        instrument: first when the topic is the question's subject ("Do the conventions allow
        harm reduction?"), just below the best clause otherwise ("How are disputes over cannabis
        legalisation settled?")."""
        if not scores or self._resolutions_only(instruments):
            return False
        topic = next(
            (t for t in (self.analyser.topics.get(i) for i in a.unnamed_topics) if t is not None), None
        )
        if topic is None:
            return False
        best_id = max(scores, key=lambda cid: scores[cid])
        base = scores[best_id] * (1.05 if a.topic_is_subject else 0.99)
        # the map's own paragraphs: a topic's question is in words the texts do not use (choosing
        # the paragraph by the question's other words was measured: practitioners 0.86 -> 0.85)
        self._lift_per_instrument(topic.provisions, base, "topic", scores, sources, instruments, skip=best_id)
        return True

    def _lift_subject(
        self,
        a: QuestionAnalysis,
        scores: dict[str, float],
        sources: dict[str, set[str]],
        instruments: Sequence[str] | None,
    ) -> None:
        """A question on "the conventions" (or naming none) that clearly matches one subject of
        the map ("Can a country adopt laws stricter than the conventions require?"): the
        subject's provision in each instrument joins just below the best clause, marked "map"
        (the composer takes it as a parallel provision).  Just below, never above: placed first
        it displaced what the question's words found (heldout2 0.90 -> 0.82)."""
        conventions = {i for i in a.instruments if i not in self.resolutions and i not in self.no_text}
        if (
            self.subjects is None
            or not scores
            or (conventions and not a.spans_instruments)
            or self._resolutions_only(instruments)
        ):
            return
        matches = self._subject_matches(a.searched)
        if not matches or matches[0][1] < STRONG_MATCH:
            return
        asked = instruments or [i.id for i in self.corpus.instruments]
        not_resolutions = [i for i in asked if i not in self.resolutions]  # left to their own words
        base = max(scores.values()) * 0.98
        self._lift_per_instrument(
            matches[0][0].provisions, base, "map", scores, sources, not_resolutions, question=a.searched
        )

    def _lift_per_instrument(
        self,
        provisions: Sequence[str],
        base: float,
        source: str,
        scores: dict[str, float],
        sources: dict[str, set[str]],
        instruments: Sequence[str] | None,
        skip: str = "",
        question: str = "",
    ) -> None:
        """The first of ``provisions`` in each instrument (of ``instruments``, when given) joins
        the candidates at ``base``, each next instrument a hair lower; ``skip`` is left where it is.
        With the ``question``, the provision stands for its article: the paragraph of that
        article that the question's words fit clearly better joins in its place."""
        seen: set[str] = set()
        found = dict(scores)  # what the question's own rankers found, before any lift
        wanted = frozenset(content_stems(self.without_instrument_names(question)))
        for cid in provisions:
            clause = self.by_id.get(cid)
            if clause is None or clause.instrument in seen or cid == skip:
                continue
            if instruments and clause.instrument not in instruments:
                continue
            seen.add(clause.instrument)
            if wanted:
                cid = self._paragraph_for(cid, wanted, found)
            scores[cid] = max(scores.get(cid, 0.0), base - len(seen) * 1e-4)
            sources.setdefault(cid, set()).add(source)

    def _paragraph_for(self, cid: str, wanted: frozenset[str], found: Mapping[str, float]) -> str:
        """Of the clauses the search found in ``cid``'s article, the one whose words cover the
        question's (``wanted``) clearly better than ``cid``'s (by ``PARAGRAPH_FIT_STEP``), else ``cid``."""
        article = article_of(cid)
        if article == cid:
            return cid
        siblings = [c for c in found if c != article and c in self.by_id and article_of(c) == article]
        best = max(siblings, key=lambda c: (self._coverage(wanted, c), found[c]), default=cid)
        return (
            best if self._coverage(wanted, best) >= self._coverage(wanted, cid) + PARAGRAPH_FIT_STEP else cid
        )

    def _parallels(
        self,
        a: QuestionAnalysis,
        scores: dict[str, float],
        sources: dict[str, set[str]],
        instruments: Sequence[str] | None,
    ) -> None:
        """A question on "the conventions" (or naming no instrument) whose best clauses have
        parallel provisions (``corpus/provisions/parallels.yaml``): the parallel provision of
        each other convention joins, just below the best.  A question on "the conventions" also
        gets, for each convention still missing near the top, that convention's own best clause."""
        conventions = [i.id for i in self.corpus.conventions()]
        named = [i for i in a.instruments if i in conventions]
        if (len(named) == 1 and not a.spans_instruments) or not scores:
            return
        if not named and (a.asks("resolution_text") or (not a.spans_instruments and a.asks("resolution"))):
            return  # a question on the resolution ("What does the preamble say the treaties permit?")
        allowed = [
            i for i in (named if len(named) >= 2 else conventions) if not instruments or i in instruments
        ]
        ranked = sorted(scores, key=lambda cid: -scores[cid])
        best = scores[ranked[0]]
        for top_id in ranked[:3]:
            top = self.by_id.get(top_id)
            if top is None or (top.instrument not in conventions and not a.spans_instruments):
                continue
            groups = self.corpus.provisions.groups_of(top_id)
            if not groups:
                continue
            for inst, ids in groups[0].provisions:
                if inst == top.instrument or inst not in allowed:
                    continue
                for j, cid in enumerate(ids[:2]):
                    scores[cid] = max(scores.get(cid, 0.0), best * 0.97 - j * 1e-4)
                    sources.setdefault(cid, set()).add("parallel")
            break
        if not a.spans_instruments:
            return
        near = {
            self.by_id[c].instrument for c in sorted(scores, key=lambda c: -scores[c])[:3] if c in self.by_id
        }
        for inst in allowed:
            if inst in near:
                continue
            own = self._best_in(a.question, inst)
            if own is not None:
                scores[own] = max(scores.get(own, 0.0), best * 0.95)
                sources.setdefault(own, set()).add("parallel")

    def _best_in(self, query: str, instrument: str) -> str | None:
        """The best clause of one instrument for the question (its words and its meaning)."""
        rankings = [
            [cid for cid, _ in ranker(query, 20, [instrument])] for ranker in (self.sparse, self.dense)
        ]
        fused = rrf([r for r in rankings if r])
        return max(fused, key=lambda cid: fused[cid]) if fused else None

    def _coverage_ranking(self, query: str, candidates: set[str]) -> list[str]:
        """Candidates ordered by how many of the question's content words they contain."""
        wanted = content_stems(expand_query(query, self.bm25.words))
        if not wanted:
            return []
        scored = []
        for cid in candidates:
            if cid not in self.by_id:
                continue
            scored.append((self._coverage(wanted, cid), -len(self._stems(cid)), cid))
        scored.sort(reverse=True)
        return [cid for cov, _n, cid in scored if cov > 0]

    def _coverage(self, wanted: Set[str], clause_id: str) -> float:
        """The share of ``wanted`` (a question's content stems, not empty) in a clause's words."""
        return len(wanted & self._stems(clause_id)) / len(wanted)

    def _stems(self, clause_id: str) -> frozenset[str]:
        cached = self._stem_cache.get(clause_id)
        if cached is None:
            cached = frozenset(content_stems(searchable_text(self.by_id[clause_id])))
            self._stem_cache[clause_id] = cached
        return cached

    def _structure(
        self,
        a: QuestionAnalysis,
        scores: dict[str, float],
        sources: dict[str, set[str]],
        instruments: Sequence[str] | None,
    ) -> list[str]:
        """Lift what the question's wording points at; returns the provisions it names."""
        query = a.question
        top = max(scores.values(), default=0.0)
        named = list(a.instruments)
        notes = self.asks_the_notes(a)
        if named:
            lift = 1.0 / (RRF_K + 3)
            for cid in list(scores):
                clause = self.by_id.get(cid)
                if clause is not None and clause.instrument in named:
                    scores[cid] += lift
            for inst_id in named:
                if inst_id in self.no_text:
                    scores[inst_id] = scores.get(inst_id, 0.0) + top + lift
                    sources.setdefault(inst_id, set()).add("manifest")
                    for citing in self.corpus.cited_by(inst_id):
                        # "where can it be found?": the note that gives its source, before the text citing it
                        bonus = 3 * lift if notes and citing.kind == "footnote" else lift
                        scores[citing.clause_id] = scores.get(citing.clause_id, 0.0) + bonus
        explicit = [c for c in a.provisions if c in self.by_id or c in self.no_text]
        for rank, cid in enumerate(explicit[:5]):
            clause = self.by_id.get(cid) or self.no_text.get(cid)
            if clause is None or (instruments and clause.instrument not in instruments):
                continue
            if clause.kind in ("schedule", "table") and not a.asks("list_entries"):
                # "Must the use of Schedule II substances be restricted?" asks the article on them
                scores[cid] = scores.get(cid, 0.0) + top * 0.5
            else:
                scores[cid] = max(scores.values(), default=0.0) + 1.0 - rank * 0.01
            sources.setdefault(cid, set()).add("reference")
        expanded = expand_query(query, self.bm25.words)
        words = _WORD.findall(expanded.lower())  # "ecstasy" -> mdma
        entries = [(w, self.entries[w]) for w in dict.fromkeys(words) if w in self.entries]
        for word, ids in entries[:3]:
            # the list first when the substance is what is asked about ("Is khat controlled?");
            # named on the way to something else ("estimates of morphine", "codeine products
            # made prescription-only"), the list only competes, as a named schedule does
            asked = a.asks("list_entries", "substance_status") or self.analyser.topic_is_subject(
                expanded, word
            )
            for cid in ids:
                if not instruments or self.by_id[cid].instrument in instruments:
                    if asked:
                        scores[cid] = max(scores.values(), default=0.0) + 0.5
                    else:
                        scores[cid] = scores.get(cid, 0.0) + top * 0.5
                    sources.setdefault(cid, set()).add("entry")
        if not a.asks("title"):
            for cid in list(scores):
                clause = self.by_id.get(cid)
                if (
                    clause is not None
                    and clause.locator == (("header", ""),)
                    and clause.instrument not in self.resolutions
                ):
                    scores[cid] *= 0.5  # a convention's title block is rarely what a question wants
        if not a.asks("purpose"):
            for cid in list(scores):
                clause = self.by_id.get(cid)
                if (
                    clause is not None
                    and clause.kind == "preamble"
                    and clause.instrument not in self.resolutions
                ):
                    scores[cid] *= 0.5  # nor is its preamble, unless the question asks its aims
        resolutions = self.resolutions
        names_convention = any(i not in resolutions and i not in self.no_text for i in named)
        if a.about_header and not names_convention and not explicit and resolutions:
            header_id = f"{resolutions[0]}/header"
            if header_id in self.by_id:
                scores[header_id] = max(scores.values(), default=0.0) + 0.5
                sources.setdefault(header_id, set()).add("structure")
        if a.asks("footnote") and resolutions and (notes or not names_convention):
            for cid in list(scores):
                clause = self.by_id.get(cid)
                if clause is not None and clause.locator[:1] and clause.locator[0][0] == "footnote":
                    scores[cid] += top * (1.0 if notes else 0.5)
        if a.form == "definition" or a.asks("definition", "quoted_term"):
            self._lift_definitions(query, scores, sources, instruments, top)
        return explicit

    def _lift_definitions(
        self,
        query: str,
        scores: dict[str, float],
        sources: dict[str, set[str]],
        instruments: Sequence[str] | None,
        top: float,
    ) -> None:
        """A definitional question: the definition of the term it asks about goes first (the term
        right after "define", "what is", "counts as" or in quotes; else the longest named)."""
        lift = 1.0 / (RRF_K + 5)
        lowered = query.lower()
        cue_ends = [m.end() for m in self.analyser.cues.families["definition"].finditer(lowered)]
        cue_ends += [m.start() + 1 for m in re.finditer(r"[‘'\"“]", lowered)]
        named: list[tuple[int, int, str]] = []
        for clause in self.definitions:
            if instruments and clause.instrument not in instruments:
                continue
            term = clause.text[1:].split("”", 1)[0].lower() if clause.text.startswith("“") else ""
            found = re.search(r"\b" + re.escape(term) + r"s?\b", lowered) if term else None
            if found:
                gaps = [found.start() - end for end in cue_ends if found.start() >= end]
                if gaps:  # the term asked about comes after the cue ("define X", "what is X")
                    named.append((min(gaps), -len(term), clause.clause_id))
            elif clause.clause_id in scores:
                scores[clause.clause_id] += lift
        named.sort()
        for i, (_gap, _size, cid) in enumerate(named):
            scores[cid] = scores.get(cid, 0.0) + (top + 2 * lift if i == 0 else top * 0.5)
            sources.setdefault(cid, set()).add("definition")

    # -- context ---------------------------------------------------------------------------
    def parents(self, clause_id: str) -> list[Clause]:
        chain: list[Clause] = []
        clause = self.by_id.get(clause_id)
        while clause is not None and clause.parent_id:
            clause = self.by_id.get(clause.parent_id)
            if clause is not None:
                chain.append(clause)
        return chain

    def siblings(self, clause_id: str) -> list[Clause]:
        clause = self.by_id.get(clause_id)
        if clause is None or clause.parent_id is None:
            return []
        return [c for c in self.corpus.children(clause.parent_id) if c.clause_id != clause_id]


class MultilingualRanker(Protocol):
    """What the search needs of the multilingual vectors (assistant/index/multilingual.py)."""

    def search(
        self, question: str, k: int, instruments: Sequence[str] | None = None
    ) -> list[tuple[str, float]]: ...


class ClauseRetriever(BaseRetriever):
    """The hybrid search as a LangChain retriever: plugs into any LangChain chain."""

    searcher: Any
    k: int = 8
    mode: str = "hybrid"
    instruments: list[str] | None = None

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[Document]:
        result = self.searcher.search(query, k=self.k, mode=self.mode, instruments=self.instruments)
        return [
            Document(
                page_content=hit.clause.text,
                id=hit.clause.clause_id,
                metadata={
                    "clause_id": hit.clause.clause_id,
                    "instrument": hit.clause.instrument,
                    "label": hit.clause.label,
                    "page": hit.clause.page,
                    "score": hit.score,
                    "sources": list(hit.sources),
                },
            )
            for hit in result.hits
        ]
