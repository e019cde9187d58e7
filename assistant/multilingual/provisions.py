"""Provision references in es/fr/ru/zh/ar, written the English way the reference parser reads.

"artículo 36, párrafo 1, apartado b)", "l'alinéa b du paragraphe 1 de l'article 36",
"подпункт b пункта 1 статьи 36", "第三十六条第一款(b)项", "الفقرة الفرعية (ب) من الفقرة 1 من
المادة 36" all become "article 36, paragraph 1 (b)"; "párrafo 5 de la parte dispositiva",
"执行部分第5段" become "operative paragraph 5"; "Lista I" / "附表一" "schedule I", "Cuadro I" /
"表一" "table I".  Works on normalized text (see normalize.py).
"""

from __future__ import annotations

import re

_ROMAN = r"(?:iv|i{1,3}|[1-4])"
_CN_DIGITS = {
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_AR_LETTERS = {
    "ا": "a",
    "ب": "b",
    "ج": "c",
    "د": "d",
    "ه": "e",
    "و": "f",
    "ز": "g",
    "ح": "h",
    "ط": "i",
    "ي": "j",
}
_AR_ORDINALS = {"الاول": "i", "الثاني": "ii", "الثالث": "iii", "الرابع": "iv"}
_LEVEL = {"article": 0, "paragraph": 1, "sub": 2, "roman": 3}


def chinese_number(text: str) -> int | None:
    """ "三十六" -> 36, "一百" -> 100, "36" -> 36 (up to 999)."""
    if text.isdigit():
        return int(text)
    total, current = 0, 0
    for ch in text:
        if ch in _CN_DIGITS:
            current = _CN_DIGITS[ch]
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
        else:
            return None
    return total + current if text else None


def _roman(value: str) -> str:
    return {"1": "i", "2": "ii", "3": "iii", "4": "iv"}.get(value, value)


_NUM = r"(\d+(?:\s*bis)?)"
_LETTER = r"\(?([a-z])\)"  # "b)" or "(b)"
_LETTER_FREE = r"\(?([a-z])\)?(?!\w)"
# (pattern, kind) per language; the first group is the value
_PATTERNS: dict[str, list[tuple[str, str]]] = {
    "es": [
        (rf"\barticulos?\s+{_NUM}", "article"),
        (rf"\bparrafos?\s+dispositivos?\s+{_NUM}", "operative"),
        (rf"\bparrafos?\s+{_NUM}\s+(?:de\s+la\s+)?parte\s+dispositiva", "operative"),
        (rf"\bparrafos?\s+{_NUM}\s+del\s+preambulo", "preambular"),
        (rf"\bparrafos?\s+{_NUM}", "paragraph"),
        (rf"\b(?:apartado|inciso|subparrafo)s?\s+{_LETTER_FREE}", "sub"),
        (rf"\bnotas?\s+(?:de\s+pie\s+de\s+pagina\s+)?{_NUM}", "footnote"),
        (rf"\blistas?\s+({_ROMAN})\b", "schedule"),
        (rf"\bcuadros?\s+({_ROMAN})\b", "table"),
    ],
    "fr": [
        (rf"\barticles?\s+{_NUM}", "article"),
        (rf"\bparagraphes?\s+{_NUM}\s+du\s+dispositif", "operative"),
        (rf"\bparagraphes?\s+{_NUM}\s+du\s+preambule", "preambular"),
        (rf"\bparagraphes?\s+{_NUM}", "paragraph"),
        (rf"\b(?:alineas?|sous-alineas?)\s+{_LETTER_FREE}", "sub"),
        (rf"\bnotes?\s+(?:de\s+bas\s+de\s+page\s+)?{_NUM}", "footnote"),
        (rf"\btableaux?\s+({_ROMAN})\b", "list"),
    ],
    "ru": [
        (rf"\bстат(?:ья|ьи|ье|ью|ей|ьям|ьях)\s+{_NUM}", "article"),
        (rf"\bпункт\w*\s+{_NUM}\s+постановляющей\s+части", "operative"),
        (rf"\bпункт\w*\s+{_NUM}\s+преамбулы", "preambular"),
        (rf"\bподпункт\w*\s+{_LETTER_FREE}", "sub"),
        (rf"\bпункт\w*\s+{_NUM}", "paragraph"),
        (rf"\bсноск\w*\s+{_NUM}", "footnote"),
        (rf"\bсписк?\w*\s+({_ROMAN})\b", "schedule"),
        (rf"\bтаблиц\w*\s+({_ROMAN})\b", "table"),
    ],
    "zh": [
        (r"执行部分第?([0-9一二三四五六七八九十]+)段", "operative"),
        (r"序言部分第?([0-9一二三四五六七八九十]+)段", "preambular"),
        (r"第([0-9一二三四五六七八九十百]+)条", "article"),
        (r"第([0-9一二三四五六七八九十]+)款", "paragraph"),
        (r"\(?([a-z])\)?项", "sub"),
        (r"脚注\s*([0-9一二三四五六七八九十]+)", "footnote"),
        (r"附表\s*([一二三四1-4]|iv|i{1,3})", "schedule"),
        (r"(?<!附)表\s*([一二1-2]|i{1,2})(?![\w])", "table"),
    ],
    "ar": [
        (rf"(?<!\w)(?:[وف]?(?:ب|ل)?ال)?ماده\s+{_NUM}", "article"),
        (rf"(?<!\w)(?:[وف]?(?:ب|ل)?ال)?فقره\s+{_NUM}\s+من\s+المنطوق", "operative"),
        (rf"(?<!\w)(?:[وف]?(?:ب|ل)?ال)?فقره\s+{_NUM}\s+من\s+الديباجه", "preambular"),
        (r"(?<!\w)(?:[وف]?(?:ب|ل)?ال)?فقره\s+الفرعيه\s+\(?([ابجدهوزحطي])\)?", "sub"),
        (r"(?<!\w)(?:[وف]?(?:ب|ل)?ال)?فقره\s+الفرعيه\s+\(?([a-z])\)?", "sub"),
        (rf"(?<!\w)(?:[وف]?(?:ب|ل)?ال)?فقره\s+{_NUM}", "paragraph"),
        (rf"(?<!\w)(?:[وف]?(?:ب|ل)?ال)?حاشيه\s+{_NUM}", "footnote"),
        (r"(?<!\w)(?:[وف]?(?:ب|ل)?ال)?جدول\s+(الاول|الثاني|الثالث|الرابع|" + _ROMAN + r")(?!\w)", "list"),
    ],
}
_COMPILED = {lang: [(re.compile(p), kind) for p, kind in pats] for lang, pats in _PATTERNS.items()}
# what may stand between the parts of one reference ("artículo 36, párrafo 1", "du paragraphe 1 de
# l'article 36", "пункта 1 статьи 36", "第三十六条第一款", "من الفقرة 1 من المادة 36")
_GLUE = re.compile(r"^[\s,;:()]*(?:(?:del?|de\s+la|du|de\s+l'|of|из|من|l'|la|el|en)\s*)*$")


def _value(kind: str, raw: str, lang: str) -> str:
    raw = raw.strip()
    if lang == "zh" and kind != "sub":
        table = {"一": "1", "二": "2", "三": "3", "四": "4"}
        if kind in ("schedule", "table"):
            return _roman(table.get(raw, raw))
        return str(chinese_number(raw) or raw)
    if lang == "ar" and kind == "sub":
        return _AR_LETTERS.get(raw, raw)
    if lang == "ar" and kind == "list":
        return _AR_ORDINALS.get(raw, _roman(raw))
    if kind in ("schedule", "table", "list"):
        return _roman(raw)
    return re.sub(r"\s+", " ", raw)


def find_provisions(norm: str, lang: str, about_1988: bool = False) -> list[tuple[int, int, str]]:
    """(start, end, English reference) for each provision ``norm`` names (``norm``: the
    normalized question).  ``about_1988``: the question names the 1988 Convention, whose
    lists are tables ("Tableau I", "الجدول الأول" are schedules of the 1961 and 1971
    Conventions otherwise)."""
    parts: list[tuple[int, int, str, str]] = []
    taken: list[tuple[int, int]] = []
    for pattern, kind in _COMPILED.get(lang, []):
        for m in pattern.finditer(norm):
            if all(m.end() <= a or m.start() >= b for a, b in taken):
                taken.append((m.start(), m.end()))
                parts.append((m.start(), m.end(), kind, _value(kind, m.group(1), lang)))
    parts.sort()
    out: list[tuple[int, int, str]] = []
    group: list[tuple[int, int, str, str]] = []

    def flush() -> None:
        if not group:
            return
        by_level = sorted((p for p in group if p[2] in _LEVEL), key=lambda p: _LEVEL[p[2]])
        if by_level:
            text = ""
            for _s, _e, kind, value in by_level:
                if kind == "article":
                    text = f"article {value}"
                elif kind == "paragraph":
                    text += (", " if text else "") + f"paragraph {value}"
                else:
                    text += f" ({value})" if text else f"subparagraph ({value})"
            out.append((group[0][0], group[-1][1], text.strip()))
        for start, end, kind, value in group:
            if kind in _LEVEL:
                continue
            if kind == "list":
                kind = "table" if about_1988 else "schedule"
            name = {"operative": "operative paragraph", "preambular": "preambular paragraph"}.get(kind, kind)
            out.append((start, end, f"{name} {value}"))
        group.clear()

    for part in parts:
        joinable = part[2] in _LEVEL and group and all(p[2] in _LEVEL for p in group)
        if joinable and _GLUE.match(norm[group[-1][1] : part[0]]):
            group.append(part)
            continue
        flush()
        group.append(part)
    flush()
    return sorted(out)
