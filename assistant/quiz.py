"""A quiz generated from the corpus: pure and deterministic given a seed.

Three kinds of question, each answered by one real clause:

* ``operative``: "Which operative paragraph requests the United Nations Office on Drugs and
  Crime to ...?" - options OP 1 .. OP n of the resolution;
* ``footnote``: "Footnote 5 of the resolution cites four convention clauses. Which one says
  "... in appropriate cases of a minor nature ..."?" - options the clauses the footnote cites;
* ``article-title``: "Which article of the 1961 Convention deals with "Penal provisions"?" -
  options four articles of that convention.

The same seed gives the same quiz (a whole room can take the same one); the question ids are
stable within a quiz, so answers can be kept by id.
"""

from __future__ import annotations

import itertools
import random
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from assistant.types import Clause, Corpus

KINDS = ("operative", "footnote", "article-title")
_WORD = re.compile(r"\S+")
_WEAK_START = frozenset(
    [
        *("a", "an", "and", "or", "of", "the", "to", "in", "on", "by", "for", "with", "as", "at"),
        *("which", "that", "its", "their"),
    ]
)


@dataclass(frozen=True)
class QuizQuestion:
    id: str
    kind: str
    prompt: str
    options: tuple[str, ...]
    answer: int  # index of the correct option
    clause_id: str  # the clause the correct option names
    option_clauses: tuple[str, ...]  # the clause each option names

    @property
    def correct(self) -> str:
        return self.options[self.answer]

    def is_correct(self, choice: int | None) -> bool:
        return choice == self.answer


@dataclass(frozen=True)
class Quiz:
    seed: int
    questions: tuple[QuizQuestion, ...]

    def question(self, question_id: str) -> QuizQuestion:
        for q in self.questions:
            if q.id == question_id:
                return q
        raise KeyError(question_id)


@dataclass(frozen=True)
class QuizScore:
    correct: int
    answered: int
    total: int


def _norm(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def _short(clause: Clause, corpus: Corpus) -> str:
    """'operative para. 5', 'art. 36(1)(b)': the label without its instrument."""
    try:
        short_title = corpus.instrument(clause.instrument).short_title
    except KeyError:
        short_title = ""
    prefix = f"{short_title}, "
    return clause.label[len(prefix) :] if short_title and clause.label.startswith(prefix) else clause.label


def _plain(text: str) -> str:
    """An operative paragraph as a question would quote it: no "Also", UNODC abbreviated."""
    text = re.sub(r"^(Also|Further)\s+", "", text.strip())
    return text.replace("the United Nations Office on Drugs and Crime", "UNODC")


def _resolution(corpus: Corpus) -> str | None:
    for inst in corpus.instruments:
        if inst.kind == "resolution" and inst.has_text and corpus.clauses_of(inst.id):
            return inst.id
    return None


def _operative_questions(corpus: Corpus) -> list[QuizQuestion]:
    res = _resolution(corpus)
    if res is None:
        return []
    ops = [c for c in corpus.clauses_of(res) if c.locator and c.locator[0][0] == "operative" and c.depth == 1]
    if len(ops) < 2:
        return []
    words = {c.clause_id: _WORD.findall(_plain(c.text)) for c in ops}
    # the shortest opening (at least 14 words) that tells each paragraph from the others
    size = 14
    while size < max(len(w) for w in words.values()):
        openings = [_norm(" ".join(w[:size])) for w in words.values()]
        if len(set(openings)) == len(openings):
            break
        size += 2
    options = tuple(f"OP {c.locator[0][1]}" for c in ops)
    out = []
    for i, clause in enumerate(ops):
        w = words[clause.clause_id]
        phrase = " ".join(w[:size]).rstrip(";,.:")
        phrase = phrase[:1].lower() + phrase[1:]
        ellipsis = " …" if len(w) > size else ""
        out.append(
            QuizQuestion(
                id="",
                kind="operative",
                prompt=f"Which operative paragraph of the resolution {phrase}{ellipsis}?",
                options=options,
                answer=i,
                clause_id=clause.clause_id,
                option_clauses=tuple(c.clause_id for c in ops),
            )
        )
    return out


def _bigrams(text: str) -> set[tuple[str, str]]:
    tokens = _norm(text).split()
    return set(itertools.pairwise(tokens))


def _distinct_phrases(clause: Clause, others: Sequence[Clause], size: int = 9) -> list[str]:
    """The windows of ``size`` words that tell the clause best from the others: those with the
    most word pairs no other clause has (at least three)."""
    words = _WORD.findall(clause.text)
    theirs = set().union(*(_bigrams(o.text) for o in others)) if others else set()
    scored: list[tuple[int, int, str]] = []
    for start in range(0, max(1, len(words) - size + 1)):
        window = words[start : start + size]
        first, last = window[0].lower().strip(",;:."), window[-1].lower().strip(",;:.")
        if first in _WEAK_START or last in _WEAK_START:
            continue
        unique = len(_bigrams(" ".join(window)) - theirs)
        if unique >= 3:
            scored.append((-unique, start, " ".join(window).strip(",;:. ")))
    scored.sort()
    return [phrase for _score, _start, phrase in scored[:5]]


def _footnote_questions(corpus: Corpus, rng: random.Random) -> list[QuizQuestion]:
    res = _resolution(corpus)
    if res is None:
        return []
    by_id = corpus.by_id()
    out = []
    for note in corpus.clauses_of(res):
        if note.kind != "footnote":
            continue
        cited = [by_id[r] for r in note.references if r in by_id and by_id[r].instrument != res]
        if len(cited) < 3:
            continue
        number = note.locator[0][1]
        for i, clause in enumerate(cited):
            phrases = _distinct_phrases(clause, [c for c in cited if c is not clause])
            if not phrases:
                continue
            phrase = rng.choice(phrases)
            out.append(
                QuizQuestion(
                    id="",
                    kind="footnote",
                    prompt=(
                        f"Footnote {number} of the resolution cites {len(cited)} convention clauses. "
                        f"Which one says: “… {phrase} …”?"
                    ),
                    options=tuple(c.label for c in cited),
                    answer=i,
                    clause_id=clause.clause_id,
                    option_clauses=tuple(c.clause_id for c in cited),
                )
            )
    return out


def _article_number(clause: Clause) -> tuple[int, str]:
    number = clause.locator[0][1]
    digits = re.match(r"\d+", number)
    return (int(digits.group(0)) if digits else 0, number)


def _article_questions(corpus: Corpus, rng: random.Random) -> list[QuizQuestion]:
    out = []
    for inst in corpus.instruments:
        if inst.kind != "convention" or not inst.has_text:
            continue
        articles = [
            c for c in corpus.clauses_of(inst.id) if c.depth == 1 and c.locator[0][0] == "article" and c.title
        ]
        titles: dict[str, int] = {}
        for a in articles:
            titles[_norm(a.title or "")] = titles.get(_norm(a.title or ""), 0) + 1
        unique = [a for a in articles if titles[_norm(a.title or "")] == 1]
        if len(articles) < 4:
            continue
        for art in unique:
            distractors = rng.sample([a for a in articles if a is not art], 3)
            options = sorted([art, *distractors], key=_article_number)
            out.append(
                QuizQuestion(
                    id="",
                    kind="article-title",
                    prompt=f"Which article of the {inst.short_title} deals with “{art.title}”?",
                    options=tuple(_short(a, corpus) for a in options),
                    answer=options.index(art),
                    clause_id=art.clause_id,
                    option_clauses=tuple(a.clause_id for a in options),
                )
            )
    return out


def make_quiz(corpus: Corpus, seed: int, n: int = 6) -> Quiz:
    """``n`` questions drawn evenly from the three kinds (as far as the corpus allows)."""
    rng = random.Random(f"quiz-{seed}")
    pools = {
        "operative": _operative_questions(corpus),
        "footnote": _footnote_questions(corpus, rng),
        "article-title": _article_questions(corpus, rng),
    }
    for pool in pools.values():
        rng.shuffle(pool)
    chosen: list[QuizQuestion] = []
    while len(chosen) < n and any(pools.values()):
        for kind in KINDS:
            if pools[kind] and len(chosen) < n:
                chosen.append(pools[kind].pop())
    rng.shuffle(chosen)
    questions = tuple(
        QuizQuestion(
            id=f"q{i}",
            kind=q.kind,
            prompt=q.prompt,
            options=q.options,
            answer=q.answer,
            clause_id=q.clause_id,
            option_clauses=q.option_clauses,
        )
        for i, q in enumerate(chosen, 1)
    )
    return Quiz(seed=seed, questions=questions)


def score(quiz: Quiz, answers: Mapping[str, int | None]) -> QuizScore:
    """Answers by question id (index of the chosen option, or None when not answered)."""
    answered = [q for q in quiz.questions if answers.get(q.id) is not None]
    correct = sum(1 for q in answered if q.is_correct(answers.get(q.id)))
    return QuizScore(correct=correct, answered=len(answered), total=len(quiz.questions))
