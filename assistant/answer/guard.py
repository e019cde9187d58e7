"""What is asked before anything is retrieved: is it a question we may answer at all?"""

from __future__ import annotations

import re
import unicodedata

from assistant.errors import AssistantError

MAX_QUESTION_CHARS = 2000


class InvalidQuestion(AssistantError):
    exit_code = 2


def clean_question(question: object) -> str:
    """The question as text, or InvalidQuestion with a message a user can act on."""
    if not isinstance(question, str):
        raise InvalidQuestion("the question must be text")
    if len(question) > MAX_QUESTION_CHARS:
        raise InvalidQuestion(
            f"the question is {len(question):,} characters long; ask in at most "
            f"{MAX_QUESTION_CHARS:,} characters"
        )
    text = "".join(ch if ch in "\n\t" or unicodedata.category(ch)[0] != "C" else " " for ch in question)
    text = re.sub(r"\s+", " ", text).strip()
    if not text:
        raise InvalidQuestion("the question is empty; type a question about the documents")
    if not any(ch.isalnum() for ch in text):
        raise InvalidQuestion("the question has no words in it; type a question about the documents")
    return text


_INJECTION = re.compile(
    r"ignore (?:all |any |the |your |previous |prior |above |earlier )*(?:instructions|rules|prompts?|guidelines|directions)"
    r"|disregard (?:all |any |the |your |previous |prior )*(?:instructions|rules|context|documents)"
    r"|forget (?:all |your |the |previous |these |about )*(?:instructions|rules|documents|context)"
    r"|translate (?:the|this|it)\b[^.?!]{0,60}\binto\b|add a (?:line|sentence|paragraph) (?:saying|that|claiming)"
    r"|(?:make up|fabricate|invent) (?:a|an|some)\b|in pirate|roleplay|role-play"
    r"|(?:system|hidden|secret|initial) prompt|developer mode|jailbreak|\bDAN\b"
    r"|you are now|from now on,? you|pretend (?:to be|you are|that)|act as (?:if|a|an)\b"
    r"|^\s*(?:system|assistant)\s*:|<\s*/?\s*(?:script|img|iframe|svg|style)\b|javascript:|onerror\s*="
    r"|(?:write|output|reply|respond|answer|return)\b[^.?!]{0,40}\b(?:html|javascript|js code|script tag|poem|song|joke|story)\b"
    r"|answer as if|as if (?:article|the convention|the resolution)\b[^.?!]{0,60}\b(?:required|said|allowed)"
    r"|reveal (?:your|the) (?:instructions|prompt|rules)|print (?:your|the) (?:instructions|prompt)",
    re.IGNORECASE,
)


def non_latin_share(question: str) -> float:
    """Share of letters outside the Latin script (the corpus and the model are English)."""
    letters = [ch for ch in question if ch.isalpha()]
    if not letters:
        return 0.0
    return sum(1 for ch in letters if "LATIN" not in unicodedata.name(ch, "")) / len(letters)


def looks_like_injection(question: str) -> bool:
    return bool(_INJECTION.search(question))


_LATER_YEAR = re.compile(r"\b(20(?:1[3-9]|[2-9]\d))\b")
_LATER_SESSION = re.compile(
    r"\b(?:fifty-(?:seventh|eighth|ninth)|sixt\w+|seventieth|5[7-9]th|6\dth)\s+session\b|\bUNGASS\s*2016\b",
    re.IGNORECASE,
)
# what became of the draft after it was tabled (adoption, final number, votes) is a later event
_OUTCOME = re.compile(
    r"\b(?:(?:eventually|ultimately|finally|later|subsequently|ever|in the end)\s+(?:be(?:en)?\s+)?"
    r"(?:adopted|approved|passed|accepted|rejected)|(?:final|adopted) (?:cnd )?resolution (?:number|symbol)|"
    r"what number did it (?:get|receive))\b",
    re.IGNORECASE,
)
_NOW = re.compile(
    r"\b(?:today|tonight|right now|at the moment|nowadays|these days|this (?:week|month|year)|"
    r"current (?:date|time|weather|news|president|secretary-general|executive director)|"
    r"what time is it|weather)\b",
    re.IGNORECASE,
)
_STATISTICS = re.compile(
    r"\b(?:how many|number of|percentage|per ?cent(?:age)?|rate of|statistics|figures|data on|"
    r"how much does|price|cost of|prevalence|population of|gdp|size of)\b[^?]{0,80}\b(?:prisoners?|inmates|people|persons|users|"
    r"population|deaths?|arrests?|seizures?|cases|addicts|overdoses?|kilos?|tons?|grams?|dollars?|euros?)\b",
    re.IGNORECASE,
)
# "How many members does the Board have?" counts what a treaty sets, not a statistic
_TREATY_COUNT = re.compile(
    r"\b(?:board|commission|council|committee|secretary-general|members?|parties|party|signatures?|"
    r"ratifications?|instruments? of|schedules?|tables?|articles?|paragraphs?|votes?|majority)\b",
    re.IGNORECASE,
)


_ADVICE = re.compile(
    r"\b(?:should (?:i|he|she)\b(?! be)|(?:can i|how (?:do|can|should) i)\b(?!\s+(?:find|read|see|look|access|"
    r"download|consult|locate|view|cite|quote|refer))|recommend (?:a|an|me|some)|"
    r"my (?:son|daughter|child|friend|doctor|partner|wife|husband|cousin|brother|sister|mother|father|"
    r"uncle|aunt|nephew|niece|neighbou?r|colleague|client|boyfriend|girlfriend|lawyer)|plead guilty|"
    r"milligrams?|dosage|dose of|how to (?:smuggle|make|cook|produce|synthesi[sz]e|grow|buy|hide|get|import|sell))\b",
    re.IGNORECASE,
)
_COUNTRIES = (
    "afghanistan|albania|algeria|argentina|australia|austria|bangladesh|belgium|bolivia|canada|chile|china|"
    "colombia|denmark|ecuador|egypt|france|germany|ghana|greece|india|indonesia|iran|ireland|israel|italy|"
    "japan|kenya|malaysia|morocco|myanmar|nepal|netherlands|new zealand|nigeria|norway|pakistan|peru|"
    "philippines|poland|portugal|russia|saudi arabia|singapore|south africa|spain|sweden|switzerland|"
    "thailand|turkey|ukraine|united kingdom|uk|uruguay|venezuela|viet ?nam|"
    # and their adjectives: "What does Portuguese law impose?"
    "afghan|albanian|algerian|argentin(?:e|ian)|australian|austrian|belgian|bolivian|canadian|chilean|"
    "chinese|colombian|danish|dutch|ecuadorian|egyptian|french|german|ghanaian|greek|indian|indonesian|"
    "iranian|irish|israeli|italian|japanese|kenyan|malaysian|moroccan|nepalese|norwegian|pakistani|"
    "peruvian|filipino|polish|portuguese|russian|saudi|singaporean|spanish|swedish|swiss|thai|turkish|"
    "ukrainian|british|uruguayan|venezuelan|vietnamese"
)


def _national(countries: str) -> re.Pattern[str]:
    return re.compile(
        r"\b(?:" + countries + r")(?:'s)?\b[^?]{0,80}\b(?:legali[sz]\w*|decriminali[sz]\w*|law|laws|"
        r"legislation|policy|policies|results?|statistics|prisons?|courts?|programmes?|programs?|experience|"
        r"approach|model)\b"
        r"|\b(?:legali[sz]\w*|decriminali[sz]\w*|policy|policies|results?|experience|approach|model)\b"
        r"[^?]{0,80}\b(?:" + countries + r")\b",
        re.IGNORECASE,
    )


_NATIONAL = _national(_COUNTRIES)
# the countries the resolution names (its sponsors; Salvador, Brazil): "What approach do Mexico and
# the United States propose in the draft?" is about the text
_COUNTRIES_IN_TEXT = "mexico|united states|brazil"
_NAMED_IN_TEXT = _national(_COUNTRIES_IN_TEXT + "|mexican|usa|american|brazilian")
# "What is the population of Brazil?": a world fact about a country
_WORLD_FACT = re.compile(
    r"\b(?:population|gdp|economy|currency|capital|president|prime minister|head of state|official language|"
    r"inhabitants|area|climate)\s+of\s+(?:the\s+)?(?:" + _COUNTRIES + "|" + _COUNTRIES_IN_TEXT + r")\b",
    re.IGNORECASE,
)
_ABOUT_THE_TEXT = re.compile(
    r"\b(draft|resolution|sponsor\w*|co-sponsor\w*|tabled|submitted|text|cited|cites|recall\w*|refer\w*|"
    r"mention\w*|preamble)\b",
    re.IGNORECASE,
)


def out_of_scope_reason(question: str) -> str | None:
    """Rule-based signs that the documents (all from 2012 or earlier, no statistics, no national
    practice, no personal advice) cannot answer."""
    if _LATER_YEAR.search(question) or _LATER_SESSION.search(question) or _OUTCOME.search(question):
        return "later events"
    if _NOW.search(question):
        return "the present day"
    if (_STATISTICS.search(question) and not _TREATY_COUNT.search(question)) or _WORLD_FACT.search(question):
        return "statistics"
    if _ADVICE.search(question):
        return "advice"
    if _NATIONAL.search(question) or (
        _NAMED_IN_TEXT.search(question) and not _ABOUT_THE_TEXT.search(question)
    ):
        return "national practice"
    return None
