"""The organisations of a theme: how a theme list's 機関名 cell names them (one rule, in Python, for loading and for
figures: DuckDB has no NFKC, so the figures split the cells they read here rather than in SQL).

The cell is NFKC-normalised, then split on 、 , ; / and line breaks (after NFKC the full-width ，；／ are these);
each part is trimmed, empty parts are dropped and a name given twice is kept once, where it first appears. A blank
cell names no organisation: the theme as a whole, written ''. ・ and spaces are not separators (names hold them).
"""

from __future__ import annotations

import re
import unicodedata

# What separates two organisations (after NFKC): 、 , ; / and every line break Python's splitlines knows.
SEPARATORS = "、,;/\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
# What is trimmed from each (every other character str.isspace() knows).
SPACES = " \t\x1f\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
WHOLE_THEME = ""  # the organisation of an answer for the theme as a whole

_SPLIT = re.compile("[" + re.escape(SEPARATORS) + "]")


def normal(name: str) -> str:
    """An organisation's name as compared: NFKC, trimmed."""
    return unicodedata.normalize("NFKC", name).strip(SPACES + SEPARATORS)


def split(cell: str | None) -> tuple[str, ...]:
    """A theme's 機関名 cell as its organisations, in order; a blank cell as ('',), the theme as a whole."""
    parts = (part.strip(SPACES) for part in _SPLIT.split(unicodedata.normalize("NFKC", cell or "")))
    names = tuple(dict.fromkeys(part for part in parts if part))
    return names or (WHOLE_THEME,)
