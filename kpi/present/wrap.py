"""Text wrapped to a terminal's columns, a full-width character counting two.

click wraps by characters, so a Japanese help line of 78 characters is 150 columns wide. Here a line may
break at a space or beside any full-width character, never before closing punctuation (、。）」) or after
an opening bracket (（「), as Japanese is typeset.
"""

from __future__ import annotations

import unicodedata

CLOSING = set("、。，．）」』】〕・：；！？ー])")
OPENING = set("（「『【〔[(")


def width(text: str) -> int:
    """The columns a terminal gives the text."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _wide(c: str) -> bool:
    return unicodedata.east_asian_width(c) in "WF"


def _tokens(text: str) -> list[str]:
    """The pieces a line may break between: words, single spaces, full-width characters with their punctuation."""
    tokens: list[str] = []
    for c in text:
        last = tokens[-1] if tokens else ""
        if c == " ":
            tokens.append(c)
        elif last and last != " " and (c in CLOSING or last[-1] in OPENING):
            tokens[-1] = last + c
        elif _wide(c) or not last or last == " " or _wide(last[-1]):
            tokens.append(c)
        else:
            tokens[-1] = last + c
    return tokens


def wrap(text: str, columns: int, first: str = "", rest: str = "") -> list[str]:
    """One paragraph as lines of at most `columns` columns (a longer word stands alone), with indents."""
    lines: list[str] = []
    line, used = first, width(first)
    for token in _tokens(" ".join(text.split("\n"))):
        size = width(token)
        if used + size > columns and line.strip():
            lines.append(line.rstrip())
            line, used = rest, width(rest)
            if token == " ":
                continue
        if token == " " and not line.strip():
            continue
        line += token
        used += size
    if line.strip():
        lines.append(line.rstrip())
    return lines


def wrap_paragraphs(text: str, columns: int, indent: str = "") -> str:
    """Paragraphs (separated by a blank line) each wrapped, kept apart by a blank line.

    A paragraph whose first line is \\b (click's convention) keeps its lines as written, e.g. a list.
    """
    paragraphs = [p.strip("\n") for p in text.split("\n\n") if p.strip()]
    return "\n\n".join(
        "\n".join(indent + line for line in p.split("\n")[1:])
        if p.startswith("\b")
        else "\n".join(wrap(p.strip(), columns, indent, indent))
        for p in paragraphs
    )


def first_sentence(text: str) -> str:
    """A help text's first sentence, for the list of commands (click finds only English full stops)."""
    paragraph = text.split("\n\n")[0]
    for stop in ("。", ". "):
        if stop in paragraph:
            return paragraph.split(stop)[0] + stop.strip()
    return paragraph
