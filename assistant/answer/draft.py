"""An answer in the making: what one question's path (English or another language) gathers on
the way (its timings, its standalone question, the clauses retrieved) and the ``Answer`` it
ends as."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from assistant.types import Answer, Citation, Clause


@dataclass
class Draft:
    question: str
    standalone: str
    t0: float = field(default_factory=time.perf_counter)
    timings: dict[str, float] = field(default_factory=dict)
    retrieved: dict[str, Clause] = field(default_factory=dict)  # in the order found

    def lap(self, name: str, since: float) -> None:
        """Record the milliseconds a step took since ``since`` (a ``time.perf_counter()``)."""
        self.timings[name] = round((time.perf_counter() - since) * 1000, 2)

    def done(
        self,
        text: str,
        abstained: bool,
        citations: tuple[Citation, ...] = (),
        nearest: tuple[Citation, ...] = (),
    ) -> Answer:
        self.lap("total", self.t0)
        self.timings.setdefault("retrieve", 0.0)
        self.timings.setdefault("compose", 0.0)
        return Answer(
            question=self.question,
            text=text,
            abstained=abstained,
            citations=citations,
            timings_ms=dict(self.timings),
            standalone=self.standalone,
            nearest=nearest,
            retrieved=tuple(self.retrieved),
        )
