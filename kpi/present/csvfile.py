"""CSV as Excel opens it: RFC 4180 quoting, formula-guarded text, and (for files) BOM and CRLF.

The formula guard is for CSV only: Excel evaluates a CSV cell that starts with = + - @, so such text is written
behind a '. In an xlsx workbook a text cell is never a formula, so kpi.present.xlsx writes text as typed. A CSV file
kpi writes starts with a BOM (Excel then reads UTF-8, not Shift_JIS: kpi.cli.output.Console.emit); CSV on stdout
never does (a pipe's reader does not expect one)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # OWASP CSV injection: cells Excel would evaluate


def guard(cell: Any) -> Any:
    """Prefix ' to text Excel would evaluate as a formula; numbers stay numbers."""
    if isinstance(cell, str) and cell.startswith(FORMULA_START):
        return "'" + cell
    return cell


def cell_text(cell: Any) -> str:
    """A cell as CSV text: blank for None, exact digits for numbers (no exponent, no binary float noise)."""
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return str(cell)
    if isinstance(cell, Fraction):
        cell = float(cell)
    if isinstance(cell, float):
        return repr(cell) if cell != int(cell) else str(int(cell))
    if isinstance(cell, Decimal):
        return str(int(cell)) if cell == cell.to_integral_value() else f"{cell.normalize():f}"
    return str(guard(cell))


def csv_text(records: Iterable[Sequence[Any]], line_end: str = "\r\n") -> str:
    """Records as CSV text, every text cell formula-guarded."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator=line_end)
    writer.writerows([cell_text(c) for c in row] for row in records)
    return buf.getvalue()


def excel_bytes(text: str, encoding: str = "utf-8-sig") -> bytes:
    """CSV text as the bytes of a file Excel opens right: UTF-8 with BOM unless told otherwise."""
    return text.encode(encoding)
