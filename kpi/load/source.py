"""One input file as read: its kind, checksum, and its text frame, settings or RS data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class SourceFile:
    """One input file, read and checked on its own."""

    path: Path
    kind: str
    sha256: str
    frame: Any = None  # pl.DataFrame of text, with _line
    units: dict[str, str] = field(default_factory=dict)
    encoding: str | None = None
    settings: dict[str, str] | None = None  # programme settings (kind 'programme')
    rs: Any = None  # kpi.load.rs.RsData (kind 'rs')
    snapshot: dt.date | None = None  # themes: the date the list describes
    snapshot_from: str | None = None  # where that date came from: option, name or today
    skipped: int = 0  # rows left out on purpose (a survey sheet's rows whose 段階 is still blank)
    spec: Any = None  # the contract read with when not the kind's own: a theme list's with theme attributes
    staged: Any = None  # kpi.db.stage.Staged: a themes file DuckDB has parsed into the database (kpi.load.staged)
    headers: dict[str, str] = field(default_factory=dict)  # the contract's name of a column → the file's header
    ignored: list[str] = field(default_factory=list)  # the file's headers the contract does not know
    totals: list[int] = field(default_factory=list)  # the lines of totals rows (合計, 小計 …), left out
    header_line: int = 1  # the header's line (title and blank rows may stand above it)
    sheet: str | None = None  # the sheet read, of a workbook of several (or one --sheet chose)
    sheets: tuple[str, ...] = ()  # that workbook's sheets
    parts: tuple[str, ...] = ()  # the sheets whose rows were taken together (kpi.load.tables.on_sheet)
