"""Question answering with clause-level citations over UN drug-policy documents.

>>> from assistant import answer
>>> a = answer("Can drug users be offered treatment instead of prison?")
>>> a.text, [c.label for c in a.citations]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from assistant.types import Answer, Turn


def answer(question: str, history: Sequence[str | Turn] = ()) -> Answer:
    """Answer with the default settings (``ASSISTANT_*``); the pipeline is built once."""
    from assistant.factory import build_pipeline

    return build_pipeline().answer(question, history)


__all__ = ["answer"]
