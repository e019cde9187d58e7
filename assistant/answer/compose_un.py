"""Sentences for the clauses of UN resolutions and declarations read from their official texts
(``assistant fetch``): "In operative para. 4 of A/RES/66/183, the General Assembly encourages
...", "The Declaration on the Guiding Principles of Drug Demand Reduction says, in
A/RES/S-20/3, annex, para. 8: “...”".  The composer (compose.py) hands these clauses here; each
sentence keeps close to the clause's own words, so that the citation check can verify it.
"""

from __future__ import annotations

import re

from assistant.answer.text import finish
from assistant.types import Clause, Corpus, Instrument

_ISSUER = re.compile(
    r"\bThe (General Assembly|Economic and Social Council|Commission on [A-Z][\w ]{3,60}?|"
    r"Security Council|Human Rights Council|Conference|Congress)\s*,?\s*$",
    re.MULTILINE,
)


def issuer(instrument: str, corpus: Corpus) -> str:
    """ "the General Assembly", from the enacting formula in the header; "" when none."""
    header = next((c for c in corpus.clauses_of(instrument) if c.kind == "header"), None)
    found = _ISSUER.findall(header.text) if header else []
    return f"the {found[-1].strip()}" if found else ""


def symbol_of(clause: Clause) -> str:
    """The symbol the labels start with: "A/RES/S-20/3" from "A/RES/S-20/3, annex, para. 8"."""
    return clause.label.split(", ", 1)[0]


def provision_of(clause: Clause) -> str:
    return clause.label.split(", ", 1)[1] if ", " in clause.label else clause.label


def _lower(text: str) -> str:
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text


def _quote(text: str) -> str:
    return "“" + text.strip().rstrip(",;:") + "”"


def _annex_name(clause: Clause, instrument: Instrument) -> str:
    """What the annex is called: the instrument's short title when the annex is it (its title
    opens with it), else the annex's title when short, else "the annex"."""
    heading = clause.chapeau.split("\n")[0] if clause.chapeau else ""
    short = re.sub(r"\s*\([^)]*\)\s*$", "", instrument.short_title)
    if short and heading.lower().startswith(short.lower()):
        return f"the {short}" if not short.lower().startswith("the ") else short
    if heading and len(heading) <= 90:
        return f"the {heading}" if not heading.lower().startswith("the ") else heading
    return f"the annex to {symbol_of(clause)}"


def render_un(clause: Clause, instrument: Instrument, question: str, corpus: Corpus) -> str:
    """One sentence that states what a clause of a UN resolution or declaration says."""
    sentence = _render(clause, instrument, question, corpus)
    return sentence + "." if sentence.endswith("”") and sentence[-2:-1] not in ".?!" else sentence


def _render(clause: Clause, instrument: Instrument, question: str, corpus: Corpus) -> str:
    from assistant.answer.compose import PARTICIPLES, pick_sentences

    part = clause.locator[0][0] if clause.locator else "header"
    symbol = symbol_of(clause)
    by = issuer(clause.instrument, corpus)
    body = pick_sentences(question, clause.text, max_words=90)
    if part == "operative":
        if clause.kind == "subparagraph" and clause.chapeau:
            body = clause.chapeau.split("\n")[-1].rstrip() + " " + _lower(body)
        if by:
            return finish(f"In {provision_of(clause)} of {symbol}, {by} {_lower(body)}")
        return finish(f"{clause.label}: {_quote(body)}")
    if part == "preamble":
        lowered = clause.text.lower()
        for words, verb in PARTICIPLES.items():
            if by and lowered.startswith(words + " "):
                return finish(f"In the preamble of {symbol}, {by} {verb} {clause.text[len(words) + 1 :]}")
        return finish(f"The preamble of {symbol} reads: {_quote(clause.text)}")
    if part == "annex":
        if clause.kind == "annex":
            title = clause.text.split("\n")[0]
            return finish(f"The annex to {symbol} is the {_quote(title)}")
        if clause.kind == "section":
            return finish(f"{clause.label} is headed {_quote(clause.title or clause.text)}")
        if clause.kind == "subparagraph":
            lead = clause.chapeau.split("\n")[-1].rstrip() if clause.chapeau else ""
            body = f"{lead} … {body}" if lead else body
        name = _annex_name(clause, instrument)
        return finish(f"{name[:1].upper()}{name[1:]} says, in {clause.label}: {_quote(body)}")
    if part == "footnote":
        return finish(f"Footnote {clause.locator[0][1]} of {symbol} reads: {_quote(clause.text)}")
    if part == "section":
        return finish(f"{clause.label} is headed {_quote(clause.title or clause.text)}")
    if part == "header":
        lines = "; ".join(line.strip() for line in clause.text.split("\n") if line.strip())
        return finish(f"The header of {symbol} reads: {_quote(pick_sentences(question, lines, 60, 1))}")
    return finish(f"{clause.label}: {_quote(body)}")
