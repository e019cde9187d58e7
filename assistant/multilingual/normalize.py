"""Text as the multilingual matchers compare it: one spelling per letter, per language."""

from __future__ import annotations

import re
import unicodedata

_AR_MARKS = re.compile("[\u064b-\u0652\u0670\u0640]")  # harakat, dagger alef, tatweel
_AR_LETTERS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ؤ": "و", "ئ": "ي"})
_AR_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


def normalize(text: str, lang: str) -> str:
    """Case-folded, NFKC (full-width digits and punctuation of Chinese become ASCII), curly
    apostrophes straight; accents dropped for es/fr, ё -> е for ru; for ar the short vowels and
    tatweel dropped, alef, ya, ta marbuta and hamza seats unified, Arabic-Indic digits ASCII."""
    text = unicodedata.normalize("NFKC", text).replace("’", "'").replace("‘", "'")
    text = text.casefold()
    if lang in ("es", "fr", "en"):
        decomposed = unicodedata.normalize("NFD", text)
        text = unicodedata.normalize(
            "NFC", "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
        )
    elif lang == "ru":
        text = text.replace("ё", "е")
    elif lang == "ar":
        text = _AR_MARKS.sub("", text).translate(_AR_LETTERS).translate(_AR_DIGITS)
    return text


def term_pattern(term: str, lang: str) -> str:
    """A regular expression (over normalized text) for one term of corpus/terms.yaml or
    corpus/languages.yaml: ``*`` ends a word that may go on; es/fr words take a plural, Arabic
    words their clitics and article; Chinese terms are plain substrings."""
    norm = normalize(term, lang)
    if lang == "zh":
        return re.escape(norm.replace("*", ""))
    parts: list[str] = []
    for word in norm.split():
        stem = word.rstrip("*")
        open_end = word.endswith("*")
        if lang == "ar":
            bare = stem[2:] if stem.startswith("ال") and len(stem) > 4 else stem
            prefix = r"(?:[وف])?(?:[بلك])?(?:ال|ل)?"
            tail = r"\w*" if open_end or len(bare) >= 4 else ""
            parts.append(prefix + re.escape(bare) + tail)
        else:
            tail = r"\w*" if open_end else (r"(?:s|es|x)?" if lang in ("es", "fr") else "")
            # "государств*-член*": a "*" inside a word too lets that part go on
            parts.append(r"\w*".join(re.escape(piece) for piece in stem.split("*")) + tail)
    return r"(?<!\w)" + r"[\s-]+".join(parts) + r"(?!\w)"
