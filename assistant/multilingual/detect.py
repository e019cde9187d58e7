"""The language of a question: en, es, fr, ru, zh, ar, or "unknown".

Three layers, cheapest first:

1. **Script.** Letters are counted by Unicode script once English names (treaty and body names,
   acronyms such as INCB or MDMA, provision numbers, URLs) are set aside, so that "¿Qué dice la
   Single Convention on Narcotic Drugs?" is judged by its Spanish words.  Han without kana is
   Chinese, Arabic script without the letters of Persian or Urdu is Arabic, Cyrillic without
   the letters of Ukrainian, Belarusian, Serbian, Macedonian or Kazakh is Russian; kana,
   hangul, Devanagari and other scripts are languages the model does not serve.
2. **Function words** (Latin script): English, Spanish and French, and as decoys German,
   Italian, Portuguese and Dutch; a word shared by several lists counts for each a share.
   The grammar of a question decides its language, not the names in it.
3. **A statistical classifier** (``py3langid``: naive Bayes over byte n-grams for 97 languages,
   its model inside the package, BSD-3-Clause) breaks ties and recognises languages outside
   the lists; it is loaded at the first question that needs it, never for a plain English one.

A question with no sign of any language ("MDMA?", "36(1)(b)") is English, or, in a
conversation, the language of the earlier question.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections import Counter
from typing import Any

from assistant.types import UNKNOWN_LANGUAGE, LanguageGuess, last_question

# -- 1. English names and what is not language ----------------------------------------------------
# words only English names use (not "Convention", "Commission", "International": French too)
_EN_NAME_WORDS = (
    r"Single|Narcotic|Narcotics|Drugs?|Psychotropic|Substances|Illicit|Traffic|Board|Against|Office|"
    r"Crime|Council|Assembly|General|Economic|Social|Political|Declaration|Plan|Action|Nations|United|"
    r"Secretary|Commission|Convention|Protocol|Resolution|Treaty"
)
_CAP = r"[A-Z][a-zA-Z-]+"
_EN_NAME = re.compile(
    rf"\b(?:{_CAP}|\d{{4}})(?:\s+(?:on|of|the|and|against|in|for|to)?\s*(?:{_CAP}|\d{{4}}))+\b"
)
_EN_ONLY = re.compile(rf"\b(?:{_EN_NAME_WORDS})\b")
_EN_SIGNAL_WORD = re.compile(r"\b(?:on|of|the|against)\b")
_NOT_LANGUAGE = re.compile(
    r"https?://\S+|\b[A-Z][A-Z0-9-]{1,}\b|\b(?:art|arts|para|paras|op|pp|fn)\.?\s*\d[\w()., -]*|[\d()./,:;-]+"
)


def _without_english_names(text: str) -> str:
    """Set aside English treaty/body names, acronyms, numbers and URLs."""

    def drop(m: re.Match[str]) -> str:
        name = m.group(0)
        english = len(_EN_ONLY.findall(name))
        # "Single Convention on Narcotic Drugs": English words, or an English connector
        return " " if english >= 2 or (english and _EN_SIGNAL_WORD.search(name)) else name

    return _NOT_LANGUAGE.sub(" ", _EN_NAME.sub(drop, text))


# -- 1. scripts ----------------------------------------------------------------------------------
def _script(ch: str) -> str:
    name = unicodedata.name(ch, "")
    if not name:
        return "OTHER"
    if name.startswith("CJK") or "IDEOGRAPH" in name:
        return "HAN"
    head = name.split(" ", 1)[0]
    return head if head in _KNOWN_SCRIPTS else "OTHER"


_KNOWN_SCRIPTS = {
    "LATIN",
    "CYRILLIC",
    "ARABIC",
    "HIRAGANA",
    "KATAKANA",
    "HANGUL",
    "DEVANAGARI",
    "GREEK",
    "HEBREW",
    "THAI",
    "BENGALI",
    "TAMIL",
    "ARMENIAN",
    "GEORGIAN",
}
# scripts of languages the model does not serve -> a language code for the notice
_OTHER_SCRIPTS = {
    "HIRAGANA": "ja",
    "KATAKANA": "ja",
    "HANGUL": "ko",
    "DEVANAGARI": "hi",
    "GREEK": "el",
    "HEBREW": "he",
    "THAI": "th",
    "BENGALI": "bn",
    "TAMIL": "ta",
    "ARMENIAN": "hy",
    "GEORGIAN": "ka",
    "OTHER": "",
}
# letters of other languages written in Cyrillic or Arabic script
_CYRILLIC_OTHERS = {
    "uk": set("іїєґІЇЄҐ"),
    "be": set("ўЎ"),
    "sr": set("ђћџјљњЂЋЏЈЉЊ"),
    "mk": set("ѓќѕЃЌЅ"),
    "kk": set("әғқңөұүһӘҒҚҢӨҰҮҺ"),
}
_RUSSIAN_ONLY = set("ыэЫЭ")
_ARABIC_OTHERS = {"fa": set("پچژگکی"), "ur": set("ٹڈڑںےھ")}

# -- 2. function words ---------------------------------------------------------------------------
_WORDS: dict[str, frozenset[str]] = {
    lang: frozenset(words.split())
    for lang, words in {
        "en": "the of and to in is are does do did what which who whom whose how when where why can could "
        "should must may might shall will would it its this that these those be been was were has have "
        "there their they an about under for with by from on any between or not also than as at if",
        "es": "el la los las del de en y que qué cuál cuáles quién quiénes cómo cuándo dónde por para con "
        "una uno un es son está están se su sus sobre entre puede pueden debe deben al lo le les "
        "hay ¿ según qué también este esta estos estas o ni sin tiene tienen ser cuando dice",
        "fr": "le la les des du de et que qui quoi quel quelle quels quelles comment quand où pourquoi "
        "est sont un une dans pour par avec sur entre peut peuvent doit doivent au aux ce cette ces "
        "il elle ils elles se sa son ses leur leurs ne pas y a-t-il selon aussi ou sans qu'est-ce "
        "lorsque dit prévoit",
        "de": "der die das und ist sind ein eine einen was wer wie wann wo warum können kann muss "
        "müssen nicht mit für auf über zu im dem den des sich oder auch nach bei statt",
        "it": "il lo gli le della dei delle di del e è sono che chi come quando dove perché possono può "
        "deve devono un una per con su tra nel nella degli anche invece",
        "pt": "o os as do da dos das de e é são que quem como quando onde porque podem pode deve devem "
        "um uma para com em no na nos nas ao pelo pela também não sobre",
        "nl": "de het een en is zijn wat wie hoe wanneer waar waarom kunnen kan moet moeten niet met "
        "voor op over te in van bij ook of dat die",
    }.items()
}
_SHARE: Counter[str] = Counter(w for words in _WORDS.values() for w in words)
_LATIN_CUES = {  # letters and marks that tell Latin-script languages apart
    "es": re.compile(r"[¿¡ñÑ]|ción\b|ciones\b"),
    "fr": re.compile(r"[çœèêëàâùûîôÇŒÈÊÀ]|\b(?:qu|l|d|n|j|c|s)['’]\w|\b(?:est-ce|y a-t-il)\b"),
    "de": re.compile(r"[äöüßÄÖÜ]"),
    "pt": re.compile(r"[ãõÃÕ]|ção\b|ções\b"),
}
_TOKEN = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*|¿")

# -- 3. the classifier ---------------------------------------------------------------------------
_CLASSIFIER: Any = None
_CLASSIFIER_LOCK = threading.Lock()
_MACRO = {"wuu": "zh", "yue": "zh", "cmn": "zh", "arz": "ar", "ary": "ar", "arb": "ar"}


def _classifier() -> Any:
    """py3langid's identifier, probabilities normalised; loaded once (~1 s), on first need."""
    global _CLASSIFIER
    with _CLASSIFIER_LOCK:
        if _CLASSIFIER is None:
            from py3langid.langid import MODEL_FILE, LanguageIdentifier

            _CLASSIFIER = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        return _CLASSIFIER


def classify(text: str, among: tuple[str, ...] | None = None) -> tuple[str, float]:
    """(language code, probability) by the statistical classifier, optionally among some codes."""
    ranked: list[tuple[str, float]] = _classifier().rank(text)
    if among:
        ranked = [(code, p) for code, p in ranked if _MACRO.get(code, code) in among]
        total = sum(p for _c, p in ranked) or 1.0
        ranked = [(code, p / total) for code, p in ranked]
    if not ranked:
        return "", 0.0
    code, p = ranked[0]
    return _MACRO.get(code, code), float(p)


# -- the decision --------------------------------------------------------------------------------
def _guess(code: str, detected: str, confidence: float, reason: str) -> LanguageGuess:
    return LanguageGuess(code, detected, round(min(max(confidence, 0.0), 1.0), 3), reason)


def _letters_by_script(text: str) -> Counter[str]:
    counts: Counter[str] = Counter()
    for ch in text:
        if ch.isalpha():
            script = _script(ch)
            counts[script] += 2 if script == "HAN" else 1  # a Han character is about a word
    return counts


def word_scores(text: str) -> dict[str, float]:
    """Function words of each language in the text; a word in k lists counts 1/k for each."""
    scores: dict[str, float] = dict.fromkeys(_WORDS, 0.0)
    for token in _TOKEN.findall(text.lower()):
        parts = [token, *re.split(r"['’]", token)] if "'" in token or "’" in token else [token]
        for word in parts:
            for lang, words in _WORDS.items():
                if word in words:
                    scores[lang] += 1.0 / _SHARE[word]
    for lang, cue in _LATIN_CUES.items():
        scores[lang] += 1.5 * len(cue.findall(text))
    return scores


def _latin(text: str, stripped: str) -> LanguageGuess | None:
    """es / fr / en / unknown for a question in Latin script; None when it shows nothing."""
    scores = word_scores(stripped)
    best = max(scores, key=lambda lang: scores[lang])
    words = _TOKEN.findall(stripped)
    if scores[best] == 0:
        if len(words) < 4:
            return None
        code, p = classify(stripped)
        if code in ("es", "fr") and p >= 0.9:
            return _guess(code, code, p, "classifier")
        if code != "en" and p >= 0.9:
            return _guess(UNKNOWN_LANGUAGE, code, p, "classifier")
        return None
    ranked = sorted(scores.values(), reverse=True)
    margin = ranked[0] - ranked[1]
    if best == "en" and margin > 0:
        return _guess("en", "en", min(1.0, 0.5 + margin / 4), "words")
    if margin < 1.0:
        # close call (short question, words shared by Romance languages): ask the classifier
        # among the languages whose words are there
        close = tuple(lang for lang, s in scores.items() if s >= ranked[0] - 1.0 and s > 0)
        code, p = classify(stripped, close)
        if code in close:
            best = code
    if best in ("en", "es", "fr"):
        return _guess(best, best, min(1.0, 0.5 + scores[best] / 6), "words")
    return _guess(UNKNOWN_LANGUAGE, best, min(1.0, 0.5 + scores[best] / 6), "words")


def detect_language(question: str, previous: LanguageGuess | None = None) -> LanguageGuess:
    """The language of ``question``; ``previous`` (the guess for the earlier question of the
    conversation) decides when the question itself shows no language ("1971?")."""
    stripped = _without_english_names(question)
    scripts = _letters_by_script(stripped)
    if not scripts:
        scripts = _letters_by_script(question)  # nothing but names: judge the names
        stripped = question
    if not scripts:
        if previous is not None:
            return LanguageGuess(previous.code, previous.detected, previous.confidence, "history")
        return _guess("en", "", 0.0, "default")
    script, count = scripts.most_common(1)[0]
    total = sum(scripts.values())
    share = count / total
    if script == "HAN":
        if scripts["HIRAGANA"] or scripts["KATAKANA"]:
            return _guess(UNKNOWN_LANGUAGE, "ja", 1.0, "script")
        if scripts["HANGUL"]:
            return _guess(UNKNOWN_LANGUAGE, "ko", 1.0, "script")
        return _guess("zh", "zh", share, "script")
    if script == "CYRILLIC":
        letters = set(stripped)
        for code, marks in _CYRILLIC_OTHERS.items():
            if letters & marks and not letters & _RUSSIAN_ONLY:
                return _guess(UNKNOWN_LANGUAGE, code, share, "script")
        if letters & _RUSSIAN_ONLY:
            return _guess("ru", "ru", share, "script")
        code, p = classify(stripped, ("ru", "uk", "bg", "be", "sr", "mk", "kk", "ky", "mn"))
        if code != "ru" and p >= 0.9 and len(_TOKEN.findall(stripped)) >= 4:
            return _guess(UNKNOWN_LANGUAGE, code, p, "classifier")
        return _guess("ru", "ru", share, "script")
    if script == "ARABIC":
        letters = set(stripped)
        for code, marks in _ARABIC_OTHERS.items():
            if letters & marks:
                return _guess(UNKNOWN_LANGUAGE, code, share, "script")
        return _guess("ar", "ar", share, "script")
    if script in ("HIRAGANA", "KATAKANA"):
        return _guess(UNKNOWN_LANGUAGE, "ja", share, "script")
    if script != "LATIN":
        detected = _OTHER_SCRIPTS.get(script, "") or classify(stripped)[0]
        return _guess(UNKNOWN_LANGUAGE, detected, share, "script")
    guess = _latin(question, stripped)
    if guess is not None:
        return guess
    if previous is not None:
        return LanguageGuess(previous.code, previous.detected, previous.confidence, "history")
    return _guess("en", "", 0.5, "default")


def history_language(history: list[str] | tuple[str, ...]) -> LanguageGuess | None:
    """The language of the last question of a conversation (None without one)."""
    previous = last_question(history)
    return detect_language(previous) if previous is not None else None
