"""Aligned text tables and markdown tables (tabulate, East Asian widths): numbers right-aligned, text left."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

_NUMERIC = re.compile(r"^[-+]?[\d,]*\.?\d+%?(?:\s*[※*])?$|^—$|^#\d+$|^\d+/\d+$|^—/\d+$")


def numeric(cell: Any) -> bool:
    """Whether a cell reads as a number, a percentage, a fraction or a dash (right-aligned)."""
    return bool(_NUMERIC.match(str(cell).strip()))


def alignments(rows: Sequence[Sequence[Any]], width: int) -> list[str]:
    """'right' for the columns whose every non-empty cell is a number, else 'left'."""
    out = []
    for i in range(width):
        cells = [r[i] for r in rows if i < len(r) and str(r[i]).strip() != ""]
        out.append("right" if cells and all(numeric(c) for c in cells) else "left")
    return out


MARKDOWN_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "|": "\\|", "\r\n": "<br>", "\n": "<br>", "\r": "<br>"}
_MARKDOWN = re.compile("|".join(re.escape(k) for k in sorted(MARKDOWN_ESCAPES, key=len, reverse=True)))
_LINE_MARKUP = re.compile(r"^(?:([#>*+\-=`~])|(\d+)([.)]))")


def markdown_cell(text: Any) -> str:
    """Text from the data made inert in a markdown table cell: no cell split by |, no row broken by a line
    break, no HTML tag (a title holding <script> shows as text)."""
    return _MARKDOWN.sub(lambda m: MARKDOWN_ESCAPES[m.group()], str(text))


def markdown_text(text: Any) -> str:
    """Text from the data made inert as a markdown line: as in a cell, and no heading, quote or list started by its
    first characters."""
    return _LINE_MARKUP.sub(lambda m: f"\\{m[1]}" if m[1] else f"{m[2]}\\{m[3]}", markdown_cell(text))


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]], fmt: str = "table") -> str:
    """A table as aligned text (fmt 'table'), markdown (fmt 'markdown') or headerless text (fmt 'plain')."""
    from tabulate import tabulate

    if fmt == "markdown":
        headers = [markdown_cell(h) for h in headers]
        rows = [[markdown_cell("" if c is None else c) for c in r] for r in rows]
    width = max([len(headers), *(len(r) for r in rows)]) if rows or headers else 0
    tablefmt = {"markdown": "github", "plain": "plain"}.get(fmt, "simple")
    shown: str = tabulate(
        [[("" if c is None else str(c)) for c in r] for r in rows],
        headers=list(headers) if fmt != "plain" else (),
        tablefmt=tablefmt,
        disable_numparse=True,
        colalign=alignments(rows, width) if rows else None,
    )
    return shown
