"""The submission as one xlsx workbook: a sheet per table, text written as text, numbers as numbers."""

from __future__ import annotations

import io
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any, Protocol

from kpi.present.csvfile import guard


class Sheet(Protocol):
    """What a sheet is made from: a name, headers and rows (kpi.present.export.Table)."""

    name: str
    headers: list[str]
    rows: list[list[Any]]


def workbook(tables: Sequence[Sheet]) -> bytes:
    """One workbook, a sheet per table."""
    import xlsxwriter

    buf = io.BytesIO()
    with xlsxwriter.Workbook(
        buf, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
    ) as book:
        bold = book.add_format({"bold": True})
        for table in tables:
            sheet = book.add_worksheet(table.name[:31])
            for col, header in enumerate(table.headers):
                sheet.write_string(0, col, guard(header), bold)
            for r, row in enumerate(table.rows, start=1):
                for c, cell in enumerate(row):
                    if cell is None:
                        sheet.write_blank(r, c, None)
                    elif isinstance(cell, bool):
                        sheet.write_string(r, c, str(cell))
                    elif isinstance(cell, int | float | Decimal | Fraction):
                        sheet.write_number(r, c, float(cell))
                    else:
                        sheet.write_string(r, c, guard(str(cell)))
    return buf.getvalue()
