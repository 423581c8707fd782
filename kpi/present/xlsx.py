"""The submission as one xlsx workbook, formatted as an office would by hand.

A first sheet says what the workbook is (programme, 予算事業ID, as-of year, kpi's version, export time, the
source files); then a sheet per table, named in the user's language. Text is written as text (formula-guarded),
numbers as numbers with the format of their column (percentages as 0.0%, 億円 and counts with thousands
separators, years without), each column as wide as its content in East Asian width, the header row frozen
and filterable, printed landscape one page wide with the header on every page.
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
from kpi.present.csvfile import guard
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
MIN_WIDTH, MAX_WIDTH = 6, 60  # in characters of the default font; a full-width character counts two
FILTER_BUTTON = 3  # room for the filter's drop-down button beside a header
SHEET_NAME_LIMIT = 31
CELL_LIMIT = 32_767  # characters an Excel cell holds: a longer text would be cut, so it is refused
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


class Sheet(Protocol):
    """What a sheet is made from: a name, headers, rows, column formats and a title (kpi.present.export.Table)."""

    name: str
    headers: list[str]
    rows: list[list[Any]]
    formats: list[str]
    title: str


def sheet_name(title: str) -> str:
    """A title as Excel accepts a sheet name: at most 31 characters, none of [ ] : * ? / \\."""
    return SHEET_NAME_FORBIDDEN.sub("_", title).strip("'")[:SHEET_NAME_LIMIT] or "Sheet"


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
        return str(guard(str(cell)))
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
    """Each column's width: its widest cell or header (with room for the filter button), within bounds."""
    widths = []
    for i, header in enumerate(headers):
        kind = formats[i] if i < len(formats) else ""
        content = max((display_width(shown(kind, row[i])) for row in rows if i < len(row)), default=0)
        widest = max(content, display_width(header) + FILTER_BUTTON)
        widths.append(min(max(widest + 1, MIN_WIDTH), MAX_WIDTH))
    return widths


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


def workbook(tables: Sequence[Sheet], summary: Sheet | None = None, created: dt.datetime | None = None) -> bytes:
    """One workbook: the summary sheet first (when given), then a sheet per table; `created` is the time its
    properties give (xlsxwriter's default is now, so two writings of the same figures would differ)."""
    import xlsxwriter

    refuse_long_text([*tables, *([summary] if summary else [])])
    buf = io.BytesIO()
    with xlsxwriter.Workbook(
        buf, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
    ) as book:
        if created is not None:
            book.set_properties({"created": created.astimezone(dt.UTC).replace(tzinfo=None)})
        header = book.add_format({"bold": True, "bg_color": "#DDEBF7", "bottom": 1, "valign": "top"})
        label = book.add_format({"bold": True, "valign": "top"})
        formats: dict[str, Any] = {}

        def cell_format(fmt: str) -> Any:
            if fmt and fmt not in formats:
                formats[fmt] = book.add_format({"num_format": fmt})
            return formats.get(fmt)

        def write_rows(sheet: Any, table: Sheet, first_column_format: Any = None) -> None:
            for r, row in enumerate(table.rows, start=1):
                for c, cell in enumerate(row):
                    kind = table.formats[c] if c < len(table.formats) else ""
                    value = _number(cell)
                    if cell is None:
                        sheet.write_blank(r, c, None)
                    elif value is not None:
                        sheet.write_number(r, c, value, cell_format(number_format(kind, cell)))
                    else:
                        sheet.write_string(r, c, guard(str(cell)), first_column_format if c == 0 else None)

        if summary is not None:
            sheet = book.add_worksheet(sheet_name(summary.title or summary.name))
            sheet.write_row(0, 0, [guard(h) for h in summary.headers], header)
            write_rows(sheet, summary, label)
            for c, width in enumerate(column_widths(summary.headers, summary.rows, summary.formats)):
                sheet.set_column(c, c, width)
        for table in tables:
            sheet = book.add_worksheet(sheet_name(table.title or table.name))
            sheet.write_row(0, 0, [guard(h) for h in table.headers], header)
            write_rows(sheet, table)
            for c, width in enumerate(column_widths(table.headers, table.rows, table.formats)):
                sheet.set_column(c, c, width)
            sheet.freeze_panes(1, 0)
            sheet.autofilter(0, 0, max(len(table.rows), 1), max(len(table.headers) - 1, 0))
            sheet.set_landscape()
            sheet.fit_to_pages(1, 0)
            sheet.repeat_rows(0)
    return buf.getvalue()
