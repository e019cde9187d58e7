"""``answer()``: retrieve -> compose or generate -> check citations.  Each step a function."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from assistant.answer.citations import check_sentences, number_citations, sentences_from_markers
from assistant.answer.compose import Sentence, compose, select_clauses, with_cited_clauses
from assistant.answer.followup import asks_for_the_other, navigation_step, own_words, rewrite_follow_up
from assistant.answer.guard import clean_question, looks_like_injection, out_of_scope_reason
from assistant.answer.llm import SYSTEM, Generator, OnToken, make_generator, numbered_prompt, rewrite_question
from assistant.answer.text import overlap_with_synonyms
from assistant.index.bm25 import EXPANSIONS
from assistant.multilingual.answer import answer_in_language
from assistant.multilingual.detect import detect_language, history_language
from assistant.retrieve import ABOUT_THE_DOCUMENT, HybridSearcher, SearchResult, fuse
from assistant.settings import Settings
from assistant.types import Answer, Citation, Clause, Corpus, Instrument, Turn

# Calibrated with `assistant calibrate` (evals/): below both, the documents do not answer.
DENSE_THRESHOLD = 0.32
OVERLAP_THRESHOLD = 0.54

OUT_OF_SCOPE = (
    "These documents do not answer that question. I can answer from the 2012 CND draft resolution "
    "on alternatives to imprisonment and the 1961, 1971 and 1988 drug control conventions."
)
ENGLISH_ONLY = (  # no longer used: other languages are answered (assistant/multilingual, issue #14)
    "Please ask in English: these documents are the English texts, and the search model used here "
    "understands English only. These documents do not answer a question in another language."
)
INJECTION = (
    "I only answer questions about these documents and do not follow instructions given inside a "
    "question, so I will not do that. These documents do not answer that request."
)
CONTENT_CUES = re.compile(
    r"\b(say|says|said|contain\w*|provid\w*|state\w*|require\w*|commit\w*|principles?|content|text|"
    r"recommend\w*|call\w* for|target\w*|measures?|goals?|objectives?|paragraph|article|section|"
    r"what (?:is|are|does|did|do)|how does|list|describe|summar\w*|explain|mean|set up|establish\w*|"
    r"mechanism\w*|decide\w*|decision\w*|agree\w*|pledge\w*|urge\w*|ask\w*|include\w*|cover\w*|"
    r"deal\w*|address\w*|propos\w*|commitment\w*|strateg\w*|action\w*|plan\w*)\b",
    re.IGNORECASE,
)
METADATA_CUES = re.compile(
    r"\b(when|where|which resolution|who adopted|adopted by|endorsed|endorse|cite[sd]?|citing|"
    r"refer\w*|mention\w*|symbol|date|url|link|find|read|official|notes?|footnotes?|source|published)\b",
    re.IGNORECASE,
)


# what a clause of each kind is called in "There is no next operative paragraph after ..."
UNIT_NAMES = {
    "operative": "operative paragraph",
    "preamble": "preambular paragraph",
    "footnote": "footnote",
    "subparagraph": "subparagraph",
    "paragraph": "paragraph",
    "article": "article",
    "clause": "clause",
    "schedule": "list",
}


@dataclass
class Pipeline:
    settings: Settings
    corpus: Corpus
    searcher: HybridSearcher
    generators: dict[str, Generator] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def instruments(self) -> dict[str, Instrument]:
        return {i.id: i for i in self.corpus.instruments}

    def generator(self, mode: str) -> Generator:
        with self._lock:
            if mode not in self.generators:
                self.generators[mode] = make_generator(self.settings, mode)
            return self.generators[mode]

    # -- the steps ------------------------------------------------------------------------
    def standalone(self, question: str, history: Sequence[str], mode: str, anchor: str | None = None) -> str:
        """The question on its own; `anchor` is the clause the last question was about, for
        "the next paragraph" (see `_anchor`)."""
        if not history:
            return question
        moved = self._navigate(question, anchor)
        if moved is not None:
            return moved
        if mode == "extractive":
            return rewrite_follow_up(question, history, self.searcher.names)
        return rewrite_question(self.generator(mode), question, history)

    def _navigate(self, question: str, anchor: str | None) -> str | None:
        """ "And the next paragraph?", "What about the other table?": the neighbour of the clause
        the last question was about."""
        step = navigation_step(question)
        other = asks_for_the_other(question)
        if anchor is None or not (step or other):
            return None
        target = self.corpus.other(anchor) if other else self.corpus.neighbour(anchor, step)
        return f"What does {target.label} say?" if target else None

    def _anchor(self, question: str, history: Sequence[str]) -> str | None:
        """For a question that moves ("the next paragraph", "the other table"): the clause the
        last question was about, the one it names, else its best hit.  None for other questions."""
        if not (navigation_step(question) or asks_for_the_other(question)):
            return None
        previous = next((h for h in reversed(history) if h and h.strip()), None)
        if previous is None:
            return None
        anchor = next((c for c in self.searcher.explicit(previous) if c in self.searcher.by_id), None)
        if anchor is None:
            hits = [h for h in self.retrieve(previous).hits if h.clause.locator]
            anchor = hits[0].clause.clause_id if hits else None
        return anchor

    def _past_the_end(self, question: str, anchor: str | None) -> tuple[str, Clause] | None:
        """ "And the next paragraph?" after the last one: say so, citing the last one."""
        step = navigation_step(question)
        if not step or anchor is None or self.corpus.neighbour(anchor, step) is not None:
            return None
        clause = self.searcher.by_id[anchor]
        kind = UNIT_NAMES.get(clause.kind, clause.kind)
        if step > 0:
            return f"There is no next {kind} after {clause.label}: it is the last one [1].", clause
        return f"There is no previous {kind} before {clause.label}: it is the first one [1].", clause

    def retrieve(self, question: str, instruments: Sequence[str] | None = None) -> SearchResult:
        """The hybrid search; a follow-up rewritten with the earlier question is also searched
        by its own words (with its subject), and the two rankings fused, so that the earlier
        question does not drown the new one."""
        k = self.settings.top_k
        result = self.searcher.search(question, k=k, instruments=instruments)
        short = own_words(question)
        if short is None:
            return result
        return fuse([result, self.searcher.search(short, k=k, instruments=instruments)], k)

    def relevant(self, question: str, result: SearchResult, explicit: Sequence[str]) -> bool:
        if explicit:
            return True
        first = result.hits[0] if result.hits else None
        if first is not None and "structure" in first.sources and ABOUT_THE_DOCUMENT.search(question):
            return True  # "On what day was the draft circulated?": the header answers
        hits = [h for h in result.hits if h.clause.locator]
        if not hits:
            return False
        best_overlap = max(
            overlap_with_synonyms(question, h.clause.context + " " + h.clause.text, EXPANSIONS)
            for h in hits[:3]
        )
        return result.dense_top >= DENSE_THRESHOLD or best_overlap >= OVERLAP_THRESHOLD

    # -- the whole answer -------------------------------------------------------------------
    def answer(
        self,
        question: str,
        history: Sequence[str | Turn] = (),
        *,
        mode: str | None = None,
        instruments: Sequence[str] | None = None,
        on_token: OnToken | None = None,
    ) -> Answer:
        t0 = time.perf_counter()
        mode = mode or self.settings.answer_mode
        q = clean_question(question)
        past = [h.question if isinstance(h, Turn) else str(h) for h in history]
        timings: dict[str, float] = {}

        def done(
            text: str,
            abstained: bool,
            citations: tuple[Citation, ...] = (),
            nearest: tuple[Citation, ...] = (),
        ) -> Answer:
            timings["total"] = round((time.perf_counter() - t0) * 1000, 2)
            timings.setdefault("retrieve", 0.0)
            timings.setdefault("compose", 0.0)
            return Answer(
                question=q,
                text=text,
                abstained=abstained,
                citations=citations,
                timings_ms=dict(timings),
                standalone=standalone,
                nearest=nearest,
                retrieved=tuple(retrieved),
            )

        standalone = q
        retrieved: dict[str, Clause] = {}
        if looks_like_injection(q):
            return done(INJECTION, True)
        # -- multilingual (issue #14): a question in another language takes its own path -------
        language = detect_language(q, history_language(past))
        if not language.english:
            return answer_in_language(
                self, q, past, language, mode=mode, instruments=instruments, on_token=on_token
            )
        anchor = self._anchor(q, past)  # found once, for both checks below
        edge = self._past_the_end(q, anchor)
        if edge is not None:
            text, clause = edge
            retrieved[clause.clause_id] = clause
            return done(text, True, self._citations([clause]))
        standalone = self.standalone(q, past, mode, anchor)
        if out_of_scope_reason(standalone):
            return done(OUT_OF_SCOPE, True)

        t1 = time.perf_counter()
        result = self.retrieve(standalone, instruments)
        explicit = result.explicit
        timings["retrieve"] = round((time.perf_counter() - t1) * 1000, 2)
        retrieved.update({h.clause.clause_id: h.clause for h in result.hits if h.clause.locator})
        nearest = self._citations(list(retrieved.values())[:3])

        t2 = time.perf_counter()
        missing = self._not_in_corpus(standalone, explicit)
        if missing is not None:
            text, cites = missing
            retrieved.update({c.clause_id: self.searcher.by_id[c.clause_id] for c in cites})
            timings["compose"] = round((time.perf_counter() - t2) * 1000, 2)
            return done(text, True, cites)
        if not self.relevant(standalone, result, explicit):
            timings["compose"] = round((time.perf_counter() - t2) * 1000, 2)
            return done(OUT_OF_SCOPE, True, nearest=nearest)

        if mode == "extractive":
            clauses = select_clauses(
                standalone, result.hits, self.corpus, [e for e in explicit if e in retrieved]
            )
            clauses = with_cited_clauses(standalone, clauses, self.corpus)
            retrieved.update({c.clause_id: c for c in clauses})  # followed from the clause's references
            sentences: list[Sentence] = compose(standalone, clauses, self.corpus)
        else:
            numbered = list(retrieved.values())[:6]
            raw = self.generator(mode).generate(SYSTEM, numbered_prompt(standalone, numbered), on_token)
            if "NOT IN THESE DOCUMENTS" in raw.upper():
                timings["compose"] = round((time.perf_counter() - t2) * 1000, 2)
                return done(OUT_OF_SCOPE, True, nearest=nearest)
            sentences = sentences_from_markers(raw, numbered)
        report = check_sentences(sentences, retrieved)
        timings["compose"] = round((time.perf_counter() - t2) * 1000, 2)
        if not report.sentences:
            return done(OUT_OF_SCOPE, True, nearest=nearest)
        text, citations = number_citations(report.sentences, retrieved, self.instruments)
        return done(text, False, citations)

    def _citations(self, clauses: Sequence[Clause]) -> tuple[Citation, ...]:
        insts = self.instruments
        return tuple(Citation.of(c, i, insts[c.instrument].url) for i, c in enumerate(clauses, 1))

    def _not_in_corpus(
        self, question: str, explicit: Sequence[str]
    ) -> tuple[str, tuple[Citation, ...]] | None:
        """A question about the content of an instrument whose text is not here."""
        named = [i for i in self.searcher.named_instruments(question) if i in self.searcher.no_text]
        named += [e for e in explicit if e in self.searcher.no_text and e not in named]
        if not named:
            return None
        with_text = [
            i
            for i in self.searcher.named_instruments(question)
            if i not in self.searcher.no_text and self.instruments[i].kind != "resolution"
        ]
        if with_text or not CONTENT_CUES.search(question) or METADATA_CUES.search(question):
            return None
        inst = self.instruments[named[0]]
        citing = [
            c for c in self.corpus.cited_by(inst.id) if self.instruments[c.instrument].kind == "resolution"
        ]
        sentences = [
            f"The text of the {inst.title} ({inst.symbol}) is not in these documents, so I cannot say what it contains.",
        ]
        cites: tuple[Citation, ...] = ()
        if citing:
            labels = [c.label.split(", ", 1)[-1] for c in citing]
            where = (
                " and ".join(labels) if len(labels) <= 2 else ", ".join(labels[:-1]) + f" and {labels[-1]}"
            )
            marks = "".join(f"[{i}]" for i in range(1, len(citing) + 1))
            sentences.append(f"The resolution cites it in {where} {marks}.")
            cites = self._citations(citing)
        sentences.append(f"Its official text: {inst.url}")
        return " ".join(sentences), cites
