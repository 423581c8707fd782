"""Aligned text tables and markdown tables (tabulate, East Asian widths): numbers right-aligned, text left; on a
terminal, as wide as the terminal (`fitting`)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

# The width aligned tables must fit (a terminal's columns), or None: set once per command by kpi.cli.app.
_WIDTH: ContextVar[int | None] = ContextVar("kpi_table_width", default=None)
NARROWEST = 6  # a shortened text column keeps at least this many terminal columns
GAP = 2  # tabulate's "simple" format puts two spaces between columns
HEADER_PADDING = 2  # and makes each column at least its header's width plus two


@contextmanager
def fitting(width: int | None) -> Iterator[None]:
    """Aligned tables made within it fit `width` columns (None: as wide as their cells)."""
    token = _WIDTH.set(width)
    try:
        yield
    finally:
        _WIDTH.reset(token)


def display_width(text: str) -> int:
    """Columns a text takes on a terminal (East Asian wide characters count two)."""
    from wcwidth import wcswidth

    width = wcswidth(text)
    return width if width >= 0 else len(text)


def shorten(text: str, width: int) -> str:
    """Text cut to `width` terminal columns, ending with … when cut."""
    if display_width(text) <= width:
        return text
    from wcwidth import wcwidth

    kept, used = [], 1  # the ellipsis takes one column
    for char in text:
        w = max(wcwidth(char), 0)
        if used + w > width:
            break
        kept.append(char)
        used += w
    return "".join(kept) + "…"


def fit(
    headers: Sequence[str], rows: list[list[str]], aligns: list[str], width: int
) -> tuple[list[str], list[list[str]]]:
    """Headers and rows whose widest text columns (headers too) are shortened with … until the table fits
    `width`; numbers never are."""
    count = len(aligns)
    heads = [display_width(str(headers[i])) if i < len(headers) else 0 for i in range(count)]
    cells = [max([0, *(display_width(r[i]) for r in rows if i < len(r))]) for i in range(count)]
    widths = [max(heads[i] + HEADER_PADDING, cells[i]) for i in range(count)]
    limits = list(widths)
    excess = sum(widths) + GAP * (count - 1) - width
    while excess > 0:
        shrinkable = [i for i in range(count) if aligns[i] == "left" and limits[i] > NARROWEST]
        if not shrinkable:
            break
        widest = max(shrinkable, key=lambda i: limits[i])
        cut = min(excess, limits[widest] - NARROWEST)
        limits[widest] -= cut
        excess -= cut
    shown = [
        shorten(str(h), limits[i] - HEADER_PADDING) if i < count and limits[i] < widths[i] else str(h)
        for i, h in enumerate(headers)
    ]
    body = [[shorten(c, limits[i]) if i < count and limits[i] < cells[i] else c for i, c in enumerate(r)] for r in rows]
    return shown, body


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
    cells = [[("" if c is None else str(c)) for c in r] for r in rows]
    aligns = alignments(rows, width) if rows else None
    fit_to = _WIDTH.get()
    if fmt == "table" and fit_to is not None and aligns is not None:
        headers, cells = fit(headers, cells, aligns, fit_to)
    shown: str = tabulate(
        cells,
        headers=list(headers) if fmt != "plain" else (),
        tablefmt=tablefmt,
        disable_numparse=True,
        colalign=aligns,
    )
    return shown
