"""The submission as one xlsx workbook, formatted as an office would by hand, and printable on A4.

A first sheet says what the workbook is (programme, 予算事業ID, as-of year, kpi's version, export time, the
source files); then a sheet per table, named in the user's language. Text is written as typed: a text cell of an
xlsx is never a formula, so the CSV files' formula guard (a leading ') is not added here. Numbers are numbers with
the format of their column (percentages as 0.0%, 億円 and counts with thousands separators, years without). Each
column is as wide as its content in East Asian width, up to a bound beyond which its text wraps onto more lines (the
row grows: no text is cut); the header row is frozen and filterable. Each sheet prints on A4, one page wide, upright
when its columns fit the width of a portrait page and landscape otherwise, its header row on every page, the sheet's
name and the page number in the margins.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any, Protocol

from kpi.errors import CannotExport
from kpi.present.numbers import Percent

# A column's kind (kpi.present.export.Table.formats) → Excel's number format; "" is General.
NUMBER_FORMATS = {
    "year": "0",
    "id": "0",
    "count": "#,##0",
    "oku": "#,##0",
    "yen": "#,##0",
    "percent": "0.0%",
    "mean": "0.00",
    "score": "0.0",
}
FRACTIONAL = {"oku": "#,##0.00"}  # an amount that is not whole keeps its two decimals
MIN_WIDTH, MAX_WIDTH = 6, 50  # in characters of the default font (a full-width character counts two); text wider wraps
HEADER_WRAP = 6  # a header wider than this wraps onto more lines rather than widen its column
TEXT_NARROWEST = 16  # a text column of a sheet too wide for a landscape page narrows to this, its cells wrapping
LINE_HEIGHT = 18  # points a line of wrapped text takes (Japanese text in an 11 pt font)
PORTRAIT = 95  # the columns (of the default font) a portrait A4 page holds at full size; a wider sheet is landscape
READABLE = 150  # the widest a sheet prints readably: fit to a landscape A4 page (LibreOffice: 73%, 11 pt → 8 pt)
A4 = 9  # Excel's paper size number
FILTER_BUTTON = 3  # room for the filter's drop-down button beside a header
SHEET_NAME_LIMIT = 31
CELL_LIMIT = 32_767  # characters an Excel cell holds: a longer text would be cut, so it is refused
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\\x00-\x1f\x7f]")  # (and control characters: XML holds none)
SHEET_NAME_RESERVED = {"history"}  # Excel's own sheet (of a shared workbook's changes)


class Choices(dict[int, list[str]]):
    """The columns (by index) of a table's sheet answered from a drop-down, and the values it offers."""


class Sheet(Protocol):
    """What a sheet is made from: a name, headers, rows, column formats and a title (kpi.present.export.Table)."""

    name: str
    headers: list[str]
    rows: list[list[Any]]
    formats: list[str]
    title: str


def utf16_length(text: str) -> int:
    """A text's length as Excel counts it: in UTF-16 code units (a character beyond the BMP, 𠮷, counts two)."""
    return len(text.encode("utf-16-le")) // 2


def sheet_name(title: str, taken: set[str] | None = None) -> str:
    """A title as Excel accepts a sheet name, made in one pass: at most 31 UTF-16 code units, none of [ ] : * ? / \\
    nor a control character, not starting or ending with ', not History (Excel's own), and, given the names already
    `taken` (lower case; the new one is added), unique regardless of case: a name taken gets " (2)", " (3)" …"""
    clean = SHEET_NAME_FORBIDDEN.sub("_", title)
    n = 1
    while True:
        suffix = f" ({n})" if n > 1 else ""
        base, room = "", SHEET_NAME_LIMIT - len(suffix)
        for char in clean:
            if utf16_length(base + char) > room:
                break
            base += char
        name = (base.strip("'") or "Sheet") + suffix
        if name.lower() not in SHEET_NAME_RESERVED and (taken is None or name.lower() not in taken):
            if taken is not None:
                taken.add(name.lower())
            return name
        n += 1


def _number(cell: Any) -> float | None:
    if isinstance(cell, bool):
        return None
    if isinstance(cell, int | float | Decimal | Fraction | Percent):
        return float(cell)
    return None


def number_format(kind: str, cell: Any) -> str:
    """The number format of one cell of a column of that kind."""
    value = _number(cell)
    if kind in FRACTIONAL and value is not None and value != int(value):
        return FRACTIONAL[kind]
    if isinstance(cell, Percent):
        return NUMBER_FORMATS["percent"]
    return NUMBER_FORMATS.get(kind, "")


def shown(kind: str, cell: Any) -> str:
    """A cell as Excel shows it (for the column's width)."""
    if cell is None:
        return ""
    value = _number(cell)
    if value is None:
        return str(cell)
    return {
        "0": f"{value:.0f}",
        "#,##0": f"{value:,.0f}",
        "#,##0.00": f"{value:,.2f}",
        "0.0%": f"{value:.1%}",
        "0.0": f"{value:.1f}",
        "0.00": f"{value:.2f}",
    }.get(number_format(kind, cell), str(cell))


def display_width(text: str) -> int:
    """Columns a text takes in a spreadsheet cell: East Asian wide characters count two (its longest line)."""
    from wcwidth import wcswidth

    return max((max(wcswidth(line), len(line)) for line in text.splitlines()), default=0)


def column_widths(headers: Sequence[str], rows: Sequence[Sequence[Any]], formats: Sequence[str]) -> list[int]:
    """Each column's width: its widest cell, or its header (up to HEADER_WRAP, then it wraps) with room for the
    filter button, within bounds (a wider text wraps onto more lines); when the columns are wider than a page prints
    readably (READABLE), the text columns give way, widest first, down to TEXT_NARROWEST."""
    widths = []
    for i, header in enumerate(headers):
        widest = max(_content(rows, formats, i), min(display_width(header), HEADER_WRAP) + FILTER_BUTTON)
        widths.append(min(max(widest + 1, MIN_WIDTH), MAX_WIDTH))
    text = [any(isinstance(row[i], str) for row in rows if i < len(row)) for i in range(len(headers))]
    while sum(widths) > READABLE:
        giving = [i for i in range(len(widths)) if text[i] and widths[i] > TEXT_NARROWEST]
        if not giving:
            break
        widest = max(giving, key=lambda i: widths[i])
        widths[widest] -= 1
    return widths


def _content(rows: Sequence[Sequence[Any]], formats: Sequence[str], i: int) -> int:
    """The width of a column's widest cell as Excel shows it."""
    kind = formats[i] if i < len(formats) else ""
    return max((display_width(shown(kind, row[i])) for row in rows if i < len(row)), default=0)


def lines(text: str, width: int) -> int:
    """The lines a text wraps onto in a column `width` wide (a full-width character taking two of its columns, as
    in Excel; LibreOffice's are narrower, so it may show fewer)."""
    room = max(width - 1, 1)
    return sum(max(-(-display_width(part) // room), 1) for part in text.split("\n"))


def refuse_long_text(tables: Sequence[Sheet]) -> None:
    """Refuse (exit 3) a text longer than an Excel cell holds, naming the sheet, the row (by its first cell, a
    theme's ID) and the column; xlsxwriter would cut it silently."""
    for table in tables:
        for row in table.rows:
            for c, cell in enumerate(row):
                if isinstance(cell, str) and len(cell) > CELL_LIMIT:
                    raise CannotExport(
                        "export.cell_too_long",
                        sheet=table.title or table.name,
                        row=str(row[0]),
                        column=table.headers[c] if c < len(table.headers) else str(c + 1),
                        length=f"{len(cell):,}",
                        limit=f"{CELL_LIMIT:,}",
                    )


def _high(sheet: Any, r: int, cells: Sequence[Any], widths: Sequence[int]) -> None:
    """A row as high as its most wrapped text cell (left to the spreadsheet when it is one line)."""
    most = max((lines(c, widths[i]) for i, c in enumerate(cells) if isinstance(c, str) and i < len(widths)), default=1)
    if most > 1:
        sheet.set_row(r, LINE_HEIGHT * most)


def workbook(
    tables: Sequence[Sheet],
    summary: Sheet | None = None,
    created: dt.datetime | None = None,
    choices: Choices | None = None,
    landscape: bool = False,
) -> bytes:
    """One workbook: the summary sheet first (when given), then a sheet per table; `created` is the time its
    properties give (xlsxwriter's default is now, so two writings of the same figures would differ); `choices` the
    drop-downs of the tables' columns (a list validation on every row); `landscape` prints every sheet landscape."""
    import xlsxwriter

    refuse_long_text([*tables, *([summary] if summary else [])])
    buf = io.BytesIO()
    with xlsxwriter.Workbook(
        buf, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
    ) as book:
        if created is not None:
            book.set_properties({"created": created.astimezone(dt.UTC).replace(tzinfo=None)})
        header = book.add_format({"bold": True, "bg_color": "#DDEBF7", "bottom": 1, "valign": "top", "text_wrap": True})
        label = book.add_format({"bold": True, "valign": "top", "text_wrap": True})
        text = book.add_format({"valign": "top", "text_wrap": True})  # (a text that fits stays on one line)
        formats: dict[str, Any] = {}

        def cell_format(fmt: str) -> Any:
            if fmt not in formats:
                formats[fmt] = book.add_format({"valign": "top", **({"num_format": fmt} if fmt else {})})
            return formats[fmt]

        def write_rows(sheet: Any, table: Sheet, widths: list[int], first_column_format: Any = None) -> None:
            """The header and the rows; a text wider than its column wraps, its row as high as its lines (set: not
            every spreadsheet sizes a row to its wrapped text)."""
            sheet.write_row(0, 0, list(table.headers), header)
            _high(sheet, 0, table.headers, [w - FILTER_BUTTON for w in widths])  # (beside the filter's button)
            for r, row in enumerate(table.rows, start=1):
                for c, cell in enumerate(row):
                    kind = table.formats[c] if c < len(table.formats) else ""
                    value = _number(cell)
                    if cell is None:
                        sheet.write_blank(r, c, None)
                    elif value is not None:
                        sheet.write_number(r, c, value, cell_format(number_format(kind, cell)))
                    else:
                        first = first_column_format if c == 0 else None
                        sheet.write_string(r, c, str(cell), first or text)
                _high(sheet, r, row, widths)

        def lay_out(sheet: Any, widths: list[int]) -> None:
            """The columns' widths, and the sheet printed on A4: one page wide, its header row on every page."""
            for c, width in enumerate(widths):
                sheet.set_column(c, c, width)
            sheet.set_paper(A4)
            if landscape or sum(widths) > PORTRAIT:
                sheet.set_landscape()
            else:
                sheet.set_portrait()
            sheet.fit_to_pages(1, 0)
            sheet.repeat_rows(0)
            sheet.set_margins(left=0.5, right=0.5, top=0.75, bottom=0.75)
            sheet.set_header("&L&A")  # the sheet's name
            sheet.set_footer("&C&P / &N")  # the page and the number of pages

        taken: set[str] = set()  # the sheet names so far, lower case (Excel's are unique regardless of case)
        if summary is not None:
            sheet = book.add_worksheet(sheet_name(summary.title or summary.name, taken))
            widths = column_widths(summary.headers, summary.rows, summary.formats)
            write_rows(sheet, summary, widths, label)
            lay_out(sheet, widths)
        for table in tables:
            sheet = book.add_worksheet(sheet_name(table.title or table.name, taken))
            widths = column_widths(table.headers, table.rows, table.formats)
            write_rows(sheet, table, widths)
            lay_out(sheet, widths)
            sheet.freeze_panes(1, 0)
            sheet.autofilter(0, 0, max(len(table.rows), 1), max(len(table.headers) - 1, 0))
            for c, values in (choices or {}).items():
                sheet.data_validation(1, c, max(len(table.rows), 1), c, {"validate": "list", "source": values})
    return buf.getvalue()
