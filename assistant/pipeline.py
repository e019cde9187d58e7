"""``answer()``: retrieve -> compose or generate -> check citations.  Each step a function."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from assistant.analysis import Analyser
from assistant.answer.citations import check_sentences, number_citations, sentences_from_markers
from assistant.answer.compose import Sentence, compose, select_clauses, with_cited_clauses
from assistant.answer.draft import Draft
from assistant.answer.followup import asks_for_the_other, navigation_step, own_words, rewrite_follow_up
from assistant.answer.guard import clean_question, looks_like_injection
from assistant.answer.llm import SYSTEM, Generator, OnToken, make_generator, numbered_prompt, rewrite_question
from assistant.answer.text import content_stems, overlap_with_synonyms
from assistant.index.bm25 import EXPANSIONS
from assistant.multilingual.answer import answer_in_language
from assistant.multilingual.detect import detect_language, history_language
from assistant.retrieve import HybridSearcher, SearchResult, fuse
from assistant.settings import Settings
from assistant.types import (
    Answer,
    Citation,
    Clause,
    Corpus,
    Instrument,
    QuestionAnalysis,
    Turn,
    last_question,
)

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
    def analyser(self) -> Analyser:
        return self.searcher.analyser

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
        previous = last_question(history)
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

    def retrieve(
        self, question: str | QuestionAnalysis, instruments: Sequence[str] | None = None
    ) -> SearchResult:
        """The hybrid search; a follow-up rewritten with the earlier question is also searched
        by its own words (with its subject), and the two rankings fused, so that the earlier
        question does not drown the new one."""
        a = question if isinstance(question, QuestionAnalysis) else self.analyser.analyse(question)
        k = self.settings.top_k
        result = self.searcher.search(a.question, k=k, instruments=instruments, analysis=a)
        short = own_words(a.question)
        if short is None:
            return result
        return fuse([result, self.searcher.search(short, k=k, instruments=instruments)], k)

    def retrieve_parts(
        self, a: QuestionAnalysis, instruments: Sequence[str] | None = None
    ) -> list[SearchResult]:
        """A question with several parts, searched part by part, each in the instruments the
        whole question names (a part too short to stand alone, "and for how long?", carries the
        first part's words: see ``Analyser``).  Fusing each part with the whole question's
        search was tried: it drowned the parts again ("Who elects the Board and for how long?")."""
        named = instruments or [i for i in a.instruments if i not in self.searcher.no_text] or None
        k = self.settings.top_k
        return [self.searcher.search(p, k=k, instruments=named) for p in a.parts]

    def relevant(self, a: QuestionAnalysis, result: SearchResult, explicit: Sequence[str]) -> bool:
        question = a.question
        if explicit:
            return True
        first = result.hits[0] if result.hits else None
        if first is not None and "structure" in first.sources and a.asks("about_document"):
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
        draft = Draft(q, standalone=q, t0=t0)
        done, retrieved = draft.done, draft.retrieved
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
        draft.standalone = self.standalone(q, past, mode, anchor)
        a = self.analyser.analyse(draft.standalone)
        if a.refusal:
            return done(self.analyser.refusal_text(a) or OUT_OF_SCOPE, True)

        t1 = time.perf_counter()
        # a question in several parts is searched part by part, and the parts' rankings fused
        # stand for the whole (one search fewer: the whole question adds nothing its parts lack)
        parts = self.retrieve_parts(a, instruments) if a.parts else []
        result = fuse(parts, self.settings.top_k) if parts else self.retrieve(a, instruments)
        explicit = result.explicit
        draft.lap("retrieve", t1)
        for r in [result, *parts]:
            retrieved.update({h.clause.clause_id: h.clause for h in r.hits if h.clause.locator})
        nearest = self._citations(list(retrieved.values())[:3])

        t2 = time.perf_counter()
        missing = self._not_in_corpus(a, explicit, result)
        if missing is not None:
            text, cites, abstained = missing
            retrieved.update({c.clause_id: self.searcher.by_id[c.clause_id] for c in cites})
            draft.lap("compose", t2)
            return done(text, abstained, cites)
        if not self.relevant(a, result, explicit):
            draft.lap("compose", t2)
            return done(OUT_OF_SCOPE, True, nearest=nearest)

        if mode == "extractive":
            clauses = select_clauses(
                a,
                result.hits,
                self.corpus,
                [e for e in explicit if e in retrieved],
                part_hits=[r.hits for r in parts],
            )
            clauses = with_cited_clauses(a, clauses, self.corpus)
            retrieved.update({c.clause_id: c for c in clauses})  # followed from the clause's references
            sentences: list[Sentence] = compose(a, clauses, self.corpus)
        else:
            numbered = list(retrieved.values())[:6]
            raw = self.generator(mode).generate(SYSTEM, numbered_prompt(draft.standalone, numbered), on_token)
            if "NOT IN THESE DOCUMENTS" in raw.upper():
                draft.lap("compose", t2)
                return done(OUT_OF_SCOPE, True, nearest=nearest)
            sentences = sentences_from_markers(raw, numbered)
        report = check_sentences(sentences, retrieved, absent=self.searcher.absent_from_corpus)
        draft.lap("compose", t2)
        if not any(s.clause_ids for s in report.sentences):
            return done(OUT_OF_SCOPE, True, nearest=nearest)
        text, citations = number_citations(report.sentences, retrieved, self.instruments)
        return done(text, False, citations)

    def _citations(self, clauses: Sequence[Clause]) -> tuple[Citation, ...]:
        insts = self.instruments
        return tuple(Citation.of(c, i, insts[c.instrument].url) for i, c in enumerate(clauses, 1))

    def _not_in_corpus(
        self, a: QuestionAnalysis, explicit: Sequence[str], result: SearchResult
    ) -> tuple[str, tuple[Citation, ...], bool] | None:
        """A question about the content of an instrument whose text is not here: what the
        resolution reports of it, attributed and cited; else a refusal with its symbol and
        official address.  (text, citations, abstained), or None for other questions."""
        no_text = self.searcher.no_text
        named = [i for i in a.instruments if i in no_text]
        named += [e for e in explicit if e in no_text and e not in named]
        if not named:
            return None
        with_text = [
            i for i in a.instruments if i not in no_text and self.instruments[i].kind != "resolution"
        ]
        if with_text or not a.asks("content") or (a.asks("metadata") and not a.asks("reported")):
            return None
        inst = self.instruments[named[0]]
        citing = [
            c for c in self.corpus.cited_by(inst.id) if self.instruments[c.instrument].kind == "resolution"
        ]
        reports = [c for c in citing if self._reports(a, c, inst)]
        if reports:
            clause = reports[0]
            body = re.sub(r"^\w+(?: also| further)?\s+", "", clause.text.rstrip(",; "))
            said = re.match(r"that,?\s+", body)
            lead = (
                f"As recalled in the resolution, {body[said.end() :]}"
                if said
                else f"The resolution recalls {body}"
            )
            text = (
                f"{lead} [1]. "
                f"The full text of the {inst.title} ({inst.symbol}) is not in these documents: {inst.url}"
            )
            return text, self._citations([clause]), False
        sentences = [
            f"The text of the {inst.title} ({inst.symbol}) is not in these documents, and the resolution "
            "does not report what it says on this, so I cannot say what it contains.",
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
        return " ".join(sentences), cites, True

    def _reports(self, a: QuestionAnalysis, clause: Clause, inst: Instrument) -> bool:
        """Whether a paragraph of the resolution reports what the instrument says on the
        question's subject: it says more than the instrument's name (it cites this one alone),
        and it holds the question's own words (the instrument's name and the question's
        framing aside); a question with no words of its own ("what did it commit States to?")
        takes the report whole."""
        if clause.kind not in ("preamble", "operative"):
            return False
        if [r for r in clause.references if r in self.searcher.no_text] != [inst.id]:
            return False
        name = content_stems(" ".join([inst.title, inst.short_title, inst.symbol, *inst.aliases]))
        frame = content_stems(
            "according resolution draft recalls recalled report reports reported commit committed commitment "
            "commitments states member say says said contain contains content call calls called declaration "
            "plan action general assembly adopted endorse endorsed text note noted"
        )
        own = content_stems(a.question) - name - frame
        if not own:
            return True
        return len(own & content_stems(clause.text)) / len(own) >= 0.5
