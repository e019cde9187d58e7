"""SYNTHETIC General Assembly resolutions as PDFs, in the layout of the official ones
(test helper, not a test module).

Every document here is made up for the tests and says so on its first page ("SYNTHETIC TEST
DOCUMENT - not the official text") and in the running footer of every page: the words are
written for the tests, not taken from the real instruments, which share only their symbols
and titles (so that the checks of ``assistant fetch`` can recognise them).

The layout is the one the reader has to undo: the masthead (United Nations, General Assembly,
the symbol, "Distr.: General" and the date), session and agenda item, "Resolution adopted by
the General Assembly", the numbered title, the enacting formula, preambular paragraphs,
numbered operative paragraphs with lettered subparagraphs, the plenary meeting and date, an
annex with its title, an unnumbered opening, section headings (I., II., ...) and numbered
paragraphs; footnote markers as superscripts and the footnotes at the foot of their page; the
symbol as a running header, the page number and the job number as running footers, and (with
``line_numbers``) a line number in the margin beside each line of text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pdf_factory as base
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

SYNTHETIC = "SYNTHETIC TEST DOCUMENT - not the official text"

OPERATIVE = ParagraphStyle(
    "operative",
    parent=base.BODY,
    firstLineIndent=28,
)
SUBPARA = ParagraphStyle("subpara", parent=base.BODY, leftIndent=28, firstLineIndent=0)
CENTRED = ParagraphStyle("centred", parent=base.BODY, alignment=TA_CENTER, firstLineIndent=0, spaceBefore=8)
RIGHT_BLOCK = ParagraphStyle(
    "meeting", parent=base.BODY, alignment=TA_JUSTIFY, leftIndent=300, firstLineIndent=0, spaceBefore=10
)
LINE_NUMBER_X = base.LEFT - 30


@dataclass(frozen=True)
class Para:
    """A paragraph of text: ``refs`` are the footnote markers it carries (at its end, or after
    ``anchors`` of the document), ``subparas`` its lettered subparagraphs."""

    text: str
    refs: tuple[str, ...] = ()
    subparas: tuple[str, ...] = ()


@dataclass(frozen=True)
class Section:
    number: str  # "I"
    heading: str  # "The challenge"
    paras: tuple[Para, ...]


@dataclass(frozen=True)
class UnDoc:
    instrument: str
    symbol: str
    distributed: str
    session: str
    agenda: str
    title: str  # "S-20/3. Declaration on ..."
    preamble: tuple[Para, ...]
    operative: tuple[Para, ...]
    meeting: tuple[str, str]  # ("9th plenary meeting", "10 June 1998")
    footnotes: dict[str, str] = field(default_factory=dict)
    annex_title: str = ""
    annex_opening: tuple[Para, ...] = ()  # unnumbered paragraphs before the first numbered one
    annex: tuple[Section, ...] = ()  # a section with number "" has no heading
    job_number: str = "00-00000 (E)"
    body: str = "The General Assembly,"
    anchors: dict[str, str] = field(default_factory=dict)  # marker -> the words it follows


class _UnWriter(base._Writer):
    """pdf_factory's writer (footnotes at the foot of the page that cites them) with the
    masthead of a General Assembly document on page 1 and its running header and footers."""

    def __init__(self, doc: UnDoc, path: Path, line_numbers: bool, encrypt: Any = None) -> None:
        from assistant.corpus.source import Footnote, SourceDoc

        notes = tuple(Footnote(n, t) for n, t in doc.footnotes.items())
        super().__init__(
            SourceDoc(path.name, (), notes, {"title": f"{SYNTHETIC}: {doc.title}"}),
            path,
            doc.symbol,
            f"{doc.job_number}      {SYNTHETIC}",  # the running footer, beside the page number
            encrypt,
        )
        self.doc = doc
        self.line_numbers = line_numbers
        self.numbered = 0  # lines numbered on this page
        self.masthead()

    def masthead(self) -> None:
        c, top = self.canvas, base.PAGE_H - 50
        right = base.PAGE_W - base.LEFT
        c.setFont("Helvetica", 10)
        c.drawString(base.LEFT, top, "United Nations")
        c.setFont("Helvetica-Bold", 14)
        c.drawRightString(right, top, self.doc.symbol)
        c.setFont("Helvetica", 9)
        c.drawRightString(right, top - 17, "Distr.: General")
        c.setFont("Helvetica-Bold", 16)
        c.drawString(base.LEFT, top - 30, "General Assembly")
        c.setFont("Helvetica", 9)
        c.drawRightString(right, top - 42, self.doc.distributed)
        c.setLineWidth(1.5)
        c.line(base.LEFT, top - 47, right, top - 47)
        c.setFont("Helvetica-Bold", 9)
        c.drawString(base.LEFT, top - 58, SYNTHETIC)
        c.setFont("Times-Roman", 10)
        c.drawString(base.LEFT, top - 76, self.doc.session)
        c.drawString(base.LEFT, top - 88, self.doc.agenda)
        self.used = max(0.0, base.FRAME_TOP - (top - 96))

    def finish_page(self) -> None:
        # the base writer draws the symbol at the top, the job and page numbers at the foot
        super_finish = base._Writer.finish_page
        self.numbered = 0
        if self.page == 1:
            # no running header on page 1: the masthead carries the symbol
            symbol, self.symbol = self.symbol, ""
            super_finish(self)
            self.symbol = symbol
        else:
            super_finish(self)

    def draw(self, flowable: Any, space_before: float, refs: list[str]) -> None:
        top = base.FRAME_TOP - self.used - space_before
        super().draw(flowable, space_before, refs)
        if self.line_numbers and isinstance(flowable, Paragraph):
            style = flowable.style
            c = self.canvas
            c.setFont("Times-Roman", 7)
            for i, _line in enumerate(flowable.blPara.lines):
                self.numbered += 1
                baseline = top - style.fontSize - i * style.leading + 0.8
                c.drawRightString(LINE_NUMBER_X, baseline, str(self.numbered))


def _markup(para: Para, anchors: dict[str, str]) -> str:
    return base._markup(para.text, para.refs, anchors)


def render_un_pdf(
    doc: UnDoc, path: Path, *, line_numbers: bool = False, encrypt: Any = None
) -> base.RenderedPdf:
    """Write ``doc`` as a General Assembly resolution in the official layout."""
    w = _UnWriter(doc, path, line_numbers, encrypt)
    w.paragraph(-1, "Resolution adopted by the General Assembly", CENTRED, force=False)
    w.heading(base.escape(doc.title), base.HEADING)
    w.paragraph(-1, base.escape(doc.body), base.BODY, force=False)
    for para in doc.preamble:
        w.paragraph(-1, _markup(para, doc.anchors), base.BODY, force=False)
    for n, para in enumerate(doc.operative, 1):
        w.paragraph(-1, f"{n}.\u00a0" + _markup(para, doc.anchors), OPERATIVE, force=False)
        for letter, sub in zip("abcdefghij", para.subparas, strict=False):
            w.paragraph(-1, f"({letter})\u00a0" + base.escape(sub), SUBPARA, force=False)
    w.paragraph(-1, "<br/>".join(base.escape(line) for line in doc.meeting), RIGHT_BLOCK, force=False)
    if doc.annex_title:
        w.finish_page()
        w.heading("Annex", base.HEADING)
        w.heading(base.escape(doc.annex_title), base.HEADING)
        for para in doc.annex_opening:
            w.paragraph(-1, _markup(para, doc.anchors), base.BODY, force=False)
        number = 0
        for section in doc.annex:
            if section.heading:
                w.heading(base.escape(f"{section.number}.\u00a0{section.heading}"), base.HEADING)
            for para in section.paras:
                number += 1
                w.paragraph(-1, f"{number}.\u00a0" + _markup(para, doc.anchors), OPERATIVE, force=False)
                for letter, sub in zip("abcdefghij", para.subparas, strict=False):
                    w.paragraph(-1, f"({letter})\u00a0" + base.escape(sub), SUBPARA, force=False)
    return w.close()


# -- the three synthetic documents --------------------------------------------------------


def filler(n: int, where: str) -> Para:
    """A paragraph that only makes the synthetic text run over several pages, as an official
    resolution does."""
    return Para(
        f"Filler paragraph {n} of the {where} of this synthetic test document, written only so "
        "that the text runs over several pages, with running headers, page numbers and "
        "paragraphs carried over a page break; it sets out no policy of any State or body."
    )


S_20_3 = UnDoc(
    instrument="ga-s-20-3",
    symbol="A/RES/S-20/3",
    distributed="8 September 1998",
    session="Twentieth special session",
    agenda="Agenda item 11",
    title="S-20/3. Declaration on the Guiding Principles of Drug Demand Reduction",
    job_number="98-00003 (E)",
    preamble=(
        Para(
            "Recalling the international drug control treaties, in particular the Single Convention "
            "on Narcotic Drugs,",
            refs=("1",),
        ),
        Para(
            "Convinced that reducing the demand for drugs is an indispensable pillar of a balanced "
            "approach, alongside the reduction of supply, and that this synthetic test text stands "
            "in for the official one only so that the software can be tested,"
        ),
        filler(1, "preamble"),
        filler(2, "preamble"),
    ),
    operative=(
        Para(
            "Adopts the Declaration on the Guiding Principles of Drug Demand Reduction annexed to "
            "the present resolution;"
        ),
        Para(
            "Calls upon States to report every two years to the Commission on Narcotic Drugs on "
            "what they have done to meet the goals of the Declaration, in particular on:",
            subparas=(
                "The demand reduction strategies they have adopted;",
                "The services they offer to drug users in contact with the criminal justice system.",
            ),
        ),
        filler(3, "operative part"),
    ),
    meeting=("9th plenary meeting", "10 June 1998"),
    footnotes={
        "1": "Single Convention on Narcotic Drugs of 1961 (United Nations, Treaty Series, vol. 520, "
        "No. 7515), art. 38.",
        "2": "General Assembly resolution S-20/2, annex.",
    },
    annex_title="Declaration on the Guiding Principles of Drug Demand Reduction",
    annex_opening=(
        Para(
            "We, the States Members of the United Nations, setting out the principles below for "
            "the purpose of this synthetic test, declare as follows:"
        ),
    ),
    annex=(
        Section(
            "I",
            "The challenge",
            (
                Para(
                    "The abuse of drugs harms the health of individuals, weakens families and "
                    "communities and places a burden on the institutions of every State; no "
                    "region of the world is spared by it."
                ),
                Para(
                    "Drug use spreads faster where young people lack education, work and hope, "
                    "and where services are scarce; the responses of States have too often "
                    "addressed supply alone and neglected the needs of the people who use drugs."
                ),
            ),
        ),
        Section(
            "II",
            "A commitment",
            (
                Para(
                    "States undertake to give demand reduction the same weight as supply "
                    "reduction in their national drug control policies and in their budgets."
                ),
                Para(
                    "States undertake to set up comprehensive demand reduction programmes, "
                    "which should cover:",
                    subparas=(
                        "Prevention, from discouraging the first use of drugs onwards;",
                        "Early intervention, treatment and care;",
                        "Rehabilitation and social reintegration.",
                    ),
                ),
            ),
        ),
        Section(
            "III",
            "Guiding principles",
            (
                Para(
                    "Demand reduction policies should rest on a sound understanding of the "
                    "situation, gathered through regular assessments of the nature and extent "
                    "of drug use and of the problems related to it."
                ),
                Para(
                    "Programmes should respect the human rights and the dignity of the people "
                    "they serve, and should involve families, communities, non-governmental "
                    "organizations and the private sector in their planning and delivery,",
                    refs=("2",),
                ),
                Para(
                    "Particular attention should be paid to young people, to women and to "
                    "vulnerable groups, whose needs differ and whose access to services is "
                    "often the most limited."
                ),
                Para(
                    "Drug-using offenders should be offered treatment, rehabilitation and social "
                    "reintegration services, either as an alternative to prison or while they "
                    "serve their sentence, so that the justice system becomes a route into care "
                    "and away from repeated offending."
                ),
                Para(
                    "States should evaluate their programmes and share the results, so that "
                    "what works may be learned from and what does not may be changed."
                ),
                filler(4, "annex"),
                filler(5, "annex"),
            ),
        ),
        Section(
            "IV",
            "Follow-up",
            (
                Para(
                    "The Commission on Narcotic Drugs should review every two years the progress "
                    "States report in meeting the goals of this Declaration."
                ),
                *(filler(n, "annex") for n in range(6, 16)),
            ),
        ),
    ),
)

GA_66_183 = UnDoc(
    instrument="ga-66-183",
    symbol="A/RES/66/183",
    distributed="15 March 2012",
    session="Sixty-sixth session",
    agenda="Agenda item 104",
    title="66/183. International cooperation against the world drug problem",
    job_number="11-46218 (E)",
    preamble=(
        Para(
            "Recalling its resolution 54/132 of 17 December 1999 and the principles it set out for "
            "the reduction of the demand for drugs,"
        ),
        Para(
            "Reaffirming the Political Declaration and Plan of Action on International Cooperation "
            "towards an Integrated and Balanced Strategy to Counter the World Drug Problem,",
            refs=("1",),
        ),
        Para(
            "Recalling the Salvador Declaration, in which States encouraged the wider use of "
            "non-custodial measures,",
            refs=("2",),
        ),
        Para(
            "Noting that this synthetic test document repeats none of the words of the official "
            "resolution and exists only to test the software,"
        ),
        filler(1, "preamble"),
        filler(2, "preamble"),
        filler(3, "preamble"),
    ),
    operative=(
        Para(
            "Reaffirms that countering the world drug problem is a common and shared "
            "responsibility that must be addressed in a multilateral setting;"
        ),
        Para(
            "Urges States to ensure that their drug control measures respect human rights and "
            "fundamental freedoms;"
        ),
        Para(
            "Reiterates the commitment of States to developing demand reduction programmes "
            "based on scientific evidence, covering primary prevention, early detection and "
            "intervention, treatment, care, rehabilitation and social reintegration;"
        ),
        Para(
            "Encourages States to consider, in accordance with their national legislation, "
            "measures other than imprisonment for drug-using offenders who have committed minor "
            "offences, such as:",
            subparas=(
                "Treatment ordered by a court in place of a custodial sentence;",
                "Supervision in the community with regular drug testing.",
            ),
        ),
        Para(
            "Requests the Secretary-General to submit to the General Assembly at its sixty-seventh "
            "session a report on the implementation of the present resolution."
        ),
        filler(4, "operative part"),
        filler(5, "operative part"),
        filler(6, "operative part"),
        filler(7, "operative part"),
        filler(8, "operative part"),
        filler(9, "operative part"),
    ),
    meeting=("89th plenary meeting", "19 December 2011"),
    footnotes={
        "1": "See Official Records of the Economic and Social Council, 2009, Supplement No. 8 "
        "(E/2009/28), chap. I, sect. C.",
        "2": "General Assembly resolution 65/230, annex.",
    },
)

GA_65_230 = UnDoc(
    instrument="salvador-declaration-2010",
    symbol="A/RES/65/230",
    distributed="1 April 2011",
    session="Sixty-fifth session",
    agenda="Agenda item 105",
    title="65/230. Twelfth United Nations Congress on Crime Prevention and Criminal Justice",
    job_number="10-52568 (E)",
    preamble=(
        Para(
            "Recalling that the Congress on Crime Prevention and Criminal Justice meets every five "
            "years and that this synthetic test document only imitates the form of the official "
            "resolution,"
        ),
        filler(1, "preamble"),
    ),
    operative=(
        Para(
            "Endorses the Salvador Declaration on Comprehensive Strategies for Global Challenges: "
            "Crime Prevention and Criminal Justice Systems and Their Development in a Changing "
            "World, annexed to the present resolution;"
        ),
        Para(
            "Invites Governments to take the Salvador Declaration into account when drafting "
            "legislation and policy directives;"
        ),
    ),
    meeting=("71st plenary meeting", "21 December 2010"),
    annex_title=(
        "Salvador Declaration on Comprehensive Strategies for Global Challenges: Crime "
        "Prevention and Criminal Justice Systems and Their Development in a Changing World"
    ),
    annex_opening=(
        Para(
            "We, the States Members of the United Nations, having met at the Congress to discuss "
            "the themes recorded in this synthetic test text,"
        ),
    ),
    annex=(
        Section(
            "",
            "",
            (
                Para(
                    "Recognize that a fair, effective and humane criminal justice system is the "
                    "basis of a commitment to the rule of law;"
                ),
                Para(
                    "Are concerned by the overcrowding of prisons in many countries and by the "
                    "conditions it creates for those detained;"
                ),
                Para(
                    "Recognize that non-custodial measures, such as community work, mediation "
                    "between offender and victim and supervision by electronic means, can lessen "
                    "the reliance on prison sentences, and encourage their wider use;"
                ),
                Para(
                    "Call for programmes that help prisoners to return to society, including "
                    "education, vocational training and treatment for drug dependence;"
                ),
                filler(2, "annex"),
                filler(3, "annex"),
                filler(4, "annex"),
                filler(5, "annex"),
                filler(6, "annex"),
            ),
        ),
    ),
)

DOCS = {d.instrument: d for d in (S_20_3, GA_66_183, GA_65_230)}
