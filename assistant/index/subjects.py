"""The map of the provisions, searched by subject: a question is matched to the subjects of the
map (``corpus/provisions``: the parallel groups and the policy topics, by their names, the words
people use for them and their descriptions); the search brings the provisions of a subject the
question clearly matches (``HybridSearcher._lift_subject``).

The map knows what the clauses are about in words the clauses do not use ("stricter measures",
"controlled delivery", "needle exchange"); a question's words reach a subject through its
description when they reach no clause.  Matching is by meaning (the English embedder, over the
name and over the whole profile) plus the rare words the question shares with the profile.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from assistant.answer.text import content_stems
from assistant.index.embeddings import Embedder
from assistant.types import ProvisionsMap

# weight of the shared rare words beside the similarity of meaning (0.2-1.0 measured alike on the
# map's entries for evals/suites/practitioners.yaml: top-3 subject holds a gold clause 0.84 -> 0.88)
LEXICAL_WEIGHT = 0.4
# a match this strong makes the subject the question's.  Measured on the blind
# evals/suites/practitioners2.yaml (80 questions) and the earlier suites.  As one more ranking
# fused with the others (the best three subjects above 0.6-0.7), the map's article-level
# provisions displaced finer clauses (heldout2 0.90 -> 0.80, practitioners2 0.73 -> 0.70-0.74),
# so only the best subject, above this, lifts its provisions (retrieve.py, _lift_subject).
# (The best subject of an off-map question scores about 0.45-0.6.)
STRONG_MATCH = 0.7


@dataclass(frozen=True)
class Subject:
    """One entry of the map, as the matcher sees it."""

    id: str
    name: str  # the group's subject, or the topic's title and terms
    profile: str  # the name and the description (or note)
    provisions: tuple[str, ...]


def subjects_of(provisions: ProvisionsMap) -> list[Subject]:
    out = [Subject(g.id, g.subject, f"{g.subject}. {g.description}", g.clause_ids) for g in provisions.groups]
    out += [
        Subject(
            t.id,
            f"{t.title}: {', '.join(t.terms)}",
            f"{t.title}. {', '.join(t.terms)}. {t.note}",
            t.provisions,
        )
        for t in provisions.topics
    ]
    return [s for s in out if s.provisions]


def _unit(rows: list[list[float]]) -> np.ndarray:
    matrix = np.asarray(rows, dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms == 0, 1, norms)


class SubjectMatcher:
    """Built once per searcher; the subjects' vectors are computed on first use (about a second)."""

    def __init__(self, provisions: ProvisionsMap, embedder: Embedder) -> None:
        self.subjects = subjects_of(provisions)
        self.embedder = embedder
        self._stems = [frozenset(content_stems(s.profile)) for s in self.subjects]
        df: dict[str, int] = {}
        for stems in self._stems:
            for w in stems:
                df[w] = df.get(w, 0) + 1
        n = max(len(self.subjects), 1)
        self._idf = {w: math.log(n / k) for w, k in df.items()}
        self._max_idf = math.log(n)
        self._vectors: tuple[np.ndarray, np.ndarray] | None = None
        self._lock = threading.Lock()

    def _subject_vectors(self) -> tuple[np.ndarray, np.ndarray]:
        with self._lock:
            if self._vectors is None:
                names = _unit(self.embedder.embed_documents([s.name for s in self.subjects]))
                profiles = _unit(self.embedder.embed_documents([s.profile for s in self.subjects]))
                self._vectors = (names, profiles)
            return self._vectors

    def lexical(self, question: str) -> np.ndarray:
        """The share of the question's word weight found in each subject's profile (a word no
        subject uses weighs as the rarest)."""
        words = set(content_stems(question))
        # math.fsum: exact, so the score does not depend on the order the set (hashed anew in
        # each process) gives its words
        total = math.fsum(self._idf.get(w, self._max_idf) for w in words)
        if not total:
            return np.zeros(len(self.subjects), dtype=np.float32)
        return np.asarray(
            [math.fsum(self._idf[w] for w in words & stems) / total for stems in self._stems],
            dtype=np.float32,
        )

    def match(self, question: str, vector: Sequence[float]) -> list[tuple[Subject, float]]:
        """The subjects, best first, each with its match score."""
        if not self.subjects:
            return []
        names, profiles = self._subject_vectors()
        q = np.asarray(vector, dtype=np.float32)
        q = q / (np.linalg.norm(q) or 1.0)
        scores = np.maximum(names @ q, profiles @ q) + LEXICAL_WEIGHT * self.lexical(question)
        order = np.argsort(-scores)
        return [(self.subjects[i], float(scores[i])) for i in order]
