"""A table file as a polars frame of trimmed text with the contract's column names and the line each row starts
on (`_line`, as a spreadsheet numbers rows: the header is row 1); nothing is inferred or typed here.

Every way Excel saves a sheet: .csv (comma-separated; UTF-8, UTF-8 with BOM or CP932; LF, CRLF or CR-only
rows), .tsv and .txt (tab-separated, the same encodings and UTF-16 with BOM: 「Unicode テキスト」), .xlsx,
.xls and .ods (read with calamine), and .parquet."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, Protocol

from kpi.errors import Failure, InputRejected, UsageProblem
from kpi.load.decode import (
    BOM,
    TAB_SUFFIXES,
    check_header,
    check_names,
    csv_bytes,
    normalise_header,
    ragged_rows,
    row_lines,
    separator,
)

if TYPE_CHECKING:
    import polars as pl

    from schemas.common import KindSpec

DELIMITED = (".csv", *TAB_SUFFIXES)
SPREADSHEETS = (".xlsx", ".xls", ".ods")
UNIT_SUFFIX = re.compile(r"\s*[(\[](億円|円|yen|oku yen|oku_yen)[)\]]\s*$", re.IGNORECASE)


class Columns(Protocol):
    """A kind's columns and the headers accepted for them (a schemas/ module, or schemas.themes_columns)."""

    KIND: str
    COLUMNS: dict[str, list[str]]
    OPTIONAL: set[str]


def header_and_unit(name: str) -> tuple[str, str | None]:
    """A header cell as compared (NFKC, trimmed, lower-case) and the unit it names, if any."""
    text = normalise_header(name)
    unit = None
    if m := UNIT_SUFFIX.search(text):
        unit = "yen" if m.group(1) in ("円", "yen") else "oku_yen"
        text = text[: m.start()].strip()
    return text, unit


class Headers(NamedTuple):
    """A file's header as the contract reads it: the contract's name of each header it knows, the units its headers
    name, and the headers it does not know (ignored, and said in the load's output)."""

    mapping: dict[str, str]
    units: dict[str, str]
    ignored: list[str]


def _aliases(spec: Columns) -> dict[str, str]:
    """Every header the contract accepts (as compared: NFKC, trimmed, lower-case) and the column it names."""
    aliases: dict[str, str] = {}
    for column, names in spec.COLUMNS.items():
        for name in [column, *names]:
            aliases[header_and_unit(name)[0]] = column
    return aliases


def _known(aliases: dict[str, str], header: str) -> str | None:
    key = header_and_unit(header)[0]
    return aliases.get(key) or aliases.get(key.replace(" ", "_"))


def map_headers(path: Path, headers: list[str], spec: Columns) -> Headers:
    """Canonical name of each header, its units, and the headers the contract does not know (ignored); reject a
    column named twice and a column missing."""
    aliases = _aliases(spec)
    mapping: dict[str, str] = {}
    units: dict[str, str] = {}
    failures: list[Failure] = []
    seen: dict[str, str] = {}
    ignored: list[str] = []
    for header in headers:
        unit = header_and_unit(header)[1]
        canonical = _known(aliases, header)
        if canonical is None:
            ignored.append(header)
            continue
        if canonical in seen:
            failures.append(
                Failure(
                    str(path),
                    1,
                    header,
                    header,
                    "rule.duplicate_alias",
                    {"other": seen[canonical], "column": canonical},
                )
            )
            continue
        seen[canonical] = header
        mapping[header] = canonical
        if unit:
            units[canonical] = unit
    for canonical in spec.COLUMNS:
        if canonical not in seen and canonical not in spec.OPTIONAL:
            names = spec.COLUMNS[canonical]
            params = {"column": canonical, "alias": names[0] if names else canonical}
            unused = ", ".join(h for h in ignored if h.strip() and not h.startswith(UNNAMED))
            rule = "rule.column_missing_unused" if unused else "rule.column_missing"  # a misspelled header?
            failures.append(Failure(str(path), 1, canonical, None, rule, {**params, "unused": unused}))
    if failures:
        raise InputRejected("load.header_mismatch", failures, kind=spec.KIND)
    return Headers(mapping, units, ignored)


def read_table(
    path: Path, encoding: str | None, data: bytes, spec: Columns | None = None
) -> tuple[pl.DataFrame, list[int], str | None, int]:
    """A file's cells as text (nothing inferred), the line of each row, the encoding used, and the header's line;
    a workbook's header is the row among its first ones that names the most of `spec`'s columns."""
    import polars as pl

    suffix = path.suffix.lower()
    if not data.strip(b" \t\r\n\x00" + BOM.encode()):
        raise InputRejected("load.empty")
    try:
        if suffix in DELIMITED:
            return (*delimited(path, data, encoding), 1)
        if suffix in SPREADSHEETS:
            frame, lines, header_line = spreadsheet(path, data, spec)
            return frame, lines, None, header_line
        if suffix == ".parquet":
            df = pl.read_parquet(path)
            return df.cast(pl.String), list(range(1, df.height + 1)), None, 1
    except InputRejected:
        raise
    except Exception as exc:  # polars and fastexcel raise many types for malformed files
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise InputRejected("load.cannot_read", format=suffix[1:].upper(), detail=first) from exc
    raise UsageProblem("load.unsupported_type", path=str(path), suffix=suffix)


def delimited(path: Path, data: bytes, encoding: str | None) -> tuple[pl.DataFrame, list[int], str | None]:
    """A comma- or tab-separated file: decoded, its layout checked, its rows with the line each starts on."""
    import polars as pl

    utf8, used = csv_bytes(path, data, encoding)
    sep = separator(path, utf8)
    check_header(path, utf8, sep)
    if ragged := ragged_rows(path, utf8, sep):
        raise InputRejected("load.ragged", ragged)
    df = pl.read_csv(utf8, separator=sep, infer_schema=False, raise_if_empty=False)
    return df, row_lines(utf8, df.height, sep), used


UNNAMED = "__UNNAMED__"  # a column with values under no header: UNNAMED + its index from 0 (column A)
HEADER_SEARCH_ROWS = 20  # a sheet's header is looked for in its first rows holding anything (title rows above)


def header_row(grid: pl.DataFrame, filled_rows: list[bool], spec: Columns | None) -> int:
    """The index of a sheet's header row: of its first HEADER_SEARCH_ROWS rows holding anything, the first that
    names the most of the contract's columns (title rows, a date, a blank row may stand above it); the first row
    holding anything when none names one."""
    candidates = [i for i, filled in enumerate(filled_rows) if filled][:HEADER_SEARCH_ROWS]
    if spec is None:
        return candidates[0]
    aliases = _aliases(spec)

    def named(i: int) -> int:
        return len({_known(aliases, str(cell)) for cell in grid.row(i) if cell is not None} - {None})

    best = max(candidates, key=lambda i: (named(i), -i))
    return best if named(best) else candidates[0]


def spreadsheet(path: Path, data: bytes, spec: Columns | None = None) -> tuple[pl.DataFrame, list[int], int]:
    """The first sheet of a workbook (.xlsx, .xls, .ods) as text, with each row's number as the sheet shows it.

    The sheet is read whole, from row 1, as text (calamine turns numbers and dates into their text): the header
    is found by header_row, blank rows keep their numbers, a column with neither a header nor a value is dropped.
    """
    import fastexcel
    import polars as pl

    from kpi.load.sheets import check_workbook

    errors = check_workbook(path, data)  # before calamine makes a dense grid of the sheet's range
    grid = fastexcel.read_excel(data).load_sheet(0, header_row=None, skip_rows=0, dtypes="string").to_polars()
    filled = grid.select((pl.col(c).str.strip_chars().str.len_chars() > 0).fill_null(False) for c in grid.columns)
    rows_filled = filled.select(pl.any_horizontal(pl.all())).to_series().to_list() if grid.width else []
    if not any(rows_filled):
        raise InputRejected("load.empty")
    top = header_row(grid, rows_filled, spec)
    header = ["" if cell is None else str(cell) for cell in grid.row(top)]
    body, body_filled = grid.slice(top + 1), filled.slice(top + 1)
    keep = [i for i, name in enumerate(header) if name.strip() or body_filled[:, i].any()]
    names = [header[i] if header[i].strip() else f"{UNNAMED}{i}" for i in keep]
    refuse_errors(path, errors, header, top + 1)
    check_names(path, names)
    frame = body.select(pl.col(grid.columns[i]).alias(name) for i, name in zip(keep, names, strict=True))
    return frame, list(range(top + 2, top + 2 + frame.height)), top + 1


def refuse_errors(path: Path, errors: list[tuple[int, int, str]], header: list[str], header_row: int) -> None:
    """Refuse a sheet with Excel error cells (#DIV/0!, #N/A, …) below its header, each named by its row, its
    column's header and its cell: calamine reads them as empty, which would load a wrong figure as unknown."""
    from kpi.load.sheets import column_letters

    failures = [
        Failure(
            str(path),
            row,
            header[column - 1].strip()
            if 0 < column <= len(header) and header[column - 1].strip()
            else column_letters(column),
            text,
            "rule.excel_error",
            {"cell": f"{column_letters(column)}{row}", "value": text},
        )
        for row, column, text in errors
        if row > header_row
    ]
    if failures:
        raise InputRejected("load.excel_errors", failures, n=len(failures))


def cell_text(column: str, free_text: bool) -> pl.Expr:
    """A cell as the contract reads it: trimmed (and NFKC-normalised unless it is free text), empty as null."""
    import polars as pl

    value = pl.col(column) if free_text else pl.col(column).str.normalize("NFKC")
    value = value.str.strip_chars()
    return pl.when(value.str.len_chars() > 0).then(value).otherwise(None).alias(column)


# A totals row's word, as compared (NFKC, no spaces, lower-case): 合計, 総計, 計, 小計, Total, Subtotal, Grand total.
TOTALS = frozenset({"合計", "総計", "計", "小計", "total", "subtotal", "grandtotal", "sum"})


class TextFrame(NamedTuple):
    """A file's rows as trimmed text under the contract's column names, with `_line`; what was read around them."""

    frame: pl.DataFrame
    units: dict[str, str]
    encoding: str | None
    headers: dict[str, str]  # the contract's name of a column → the file's own header for it
    ignored: list[str]  # the file's headers the contract does not know
    totals: list[int]  # the lines of totals rows, left out
    header_line: int  # the line of the header (below title rows in a workbook)


def _is_total(value: pl.Expr) -> pl.Expr:
    return value.str.replace_all(r"\s+", "").str.to_lowercase().is_in(list(TOTALS)).fill_null(False)


def text_frame(path: Path, data: bytes, spec: KindSpec, encoding: str | None) -> TextFrame:
    """The file's rows as trimmed text under the contract's column names, with `_line`; its units, encoding and
    own headers, the headers ignored, and the totals rows left out: a row whose ID is a totals word (合計, 計,
    小計, Total …), or that has no ID and whose first filled cell is one."""
    import polars as pl

    from schemas.common import LINE

    raw, lines, used, header_line = read_table(path, encoding, data, spec)
    mapping, units, ignored = map_headers(path, raw.columns, spec)
    frame = raw.with_columns(pl.Series(LINE, lines, dtype=pl.Int64))
    frame = frame.with_columns(cell_text(c, mapping.get(c) in spec.FREE_TEXT) for c in raw.columns)
    frame = frame.filter(~pl.all_horizontal(pl.col(c).is_null() for c in mapping))
    key = next((header for header, canonical in mapping.items() if canonical == spec.KEY[0]), None)
    first_filled = pl.coalesce(pl.col(c) for c in raw.columns)
    total = _is_total(pl.col(key)) if key else pl.lit(False)
    if key:
        total = total | (pl.col(key).is_null() & _is_total(first_filled))
    totals = frame.filter(total)[LINE].to_list()
    frame = frame.filter(~total).select(*mapping, LINE).rename(mapping)
    if frame.height == 0:
        raise InputRejected("load.header_only")
    missing = [c for c in spec.COLUMNS if c not in frame.columns]
    frame = frame.with_columns(pl.lit(None, dtype=pl.String).alias(c) for c in missing)
    headers = {canonical: header for header, canonical in mapping.items()}
    return TextFrame(frame.select(*spec.COLUMNS, LINE), units, used, headers, ignored, totals, header_line)
