"""UN document symbols ("A/RES/S-20/3", "E/CN.7/2012/L.15"): which ones an instrument may carry."""

from __future__ import annotations

import re
import urllib.parse

from assistant.types import Instrument

SYMBOL = re.compile(r"\b[A-Z]{1,10}(?:\.\d+)?(?:/[A-Za-z0-9.\-]+)+")
_LANGUAGE = re.compile(r"^(?:en|fr|es|ru|ar|zh)/")


def expected_symbols(inst: Instrument, url: str = "") -> list[str]:
    """The symbols the document may carry: those of the manifest entry ("A/CONF.213/18
    (endorsed by A/RES/65/230)" gives both) and the one its undocs.org address names."""
    found = SYMBOL.findall(inst.symbol)
    for address in (inst.url, url):
        parts = urllib.parse.urlparse(address)
        path = _LANGUAGE.sub("", urllib.parse.unquote(parts.path).strip("/"))
        if parts.netloc.endswith("undocs.org") and SYMBOL.fullmatch(path):
            found.append(path)
    return list(dict.fromkeys(found))


def squash(text: str) -> str:
    """Upper case without spaces: "A/RES/ S-20/3" and "a/res/s-20/3" compare equal."""
    return re.sub(r"\s+", "", text).upper()
