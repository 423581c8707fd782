"""A table file as a polars frame of trimmed text with the contract's column names and the line each row starts
on (`_line`, as a spreadsheet numbers rows: the header is row 1); nothing is inferred or typed here.

Every way Excel saves a sheet: .csv (comma-separated; UTF-8, UTF-8 with BOM or CP932; LF, CRLF or CR-only
rows), .tsv and .txt (tab-separated, the same encodings and UTF-16 with BOM: 「Unicode テキスト」), .xlsx,
.xls and .ods (read with calamine), and .parquet."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from kpi.errors import Failure, InputRejected, UsageProblem
from kpi.load.decode import (
    BOM,
    MAX_HEADER_BYTES,
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


def names_every_required(path: Path, data: bytes, spec: Columns) -> bool:
    """Whether a file's header (found as read_tables finds it) names every column a kind requires."""
    try:
        headers = read_tables(path, None, data, spec)[0].frame.columns
    except Exception:  # (a file no kind reads: not this kind)
        return False
    aliases = _aliases(spec)
    return set(spec.COLUMNS) - spec.OPTIONAL <= {_known(aliases, str(h)) for h in headers}


def map_headers(path: Path, headers: list[str], spec: Columns, line: int = 1) -> Headers:
    """Canonical name of each header, its units, and the headers the contract does not know (ignored); reject a
    column named twice and a column missing (on the header's `line`)."""
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
                    line,
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
            failures.append(Failure(str(path), line, canonical, None, rule, {**params, "unused": unused}))
    if failures:
        raise InputRejected("load.header_mismatch", failures, kind=spec.KIND)
    return Headers(mapping, units, ignored)


class Table(NamedTuple):
    """A file's cells as text (nothing inferred), the line of each row, the encoding used, the header's line, and
    the sheet read (a workbook of several sheets, or one `--sheet` chose; else None) with the sheets it has."""

    frame: pl.DataFrame
    lines: list[int]
    encoding: str | None
    header_line: int
    sheet: str | None = None
    sheets: tuple[str, ...] = ()


def read_tables(
    path: Path, encoding: str | None, data: bytes, spec: Columns | None = None, sheet: str | None = None
) -> list[Table]:
    """A file's cells as text; its header is the row among its first ones that names the most of `spec`'s columns
    (named_header, for delimited text and workbooks alike), and a workbook's sheet is `sheet` or found (spreadsheet:
    several sheets for a kind whose rows may be split across them)."""
    import polars as pl

    suffix = path.suffix.lower()
    if not data.strip(b" \t\r\n\x00" + BOM.encode()):
        raise InputRejected("load.empty")
    try:
        if suffix in DELIMITED:
            return [delimited(path, data, encoding, spec)]
        if suffix in SPREADSHEETS:
            return spreadsheet(path, data, spec, sheet)
        if suffix == ".parquet":
            df = pl.read_parquet(path)
            return [Table(df.cast(pl.String), list(range(1, df.height + 1)), None, 1)]
    except InputRejected:
        raise
    except Exception as exc:  # polars and fastexcel raise many types for malformed files
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise InputRejected("load.cannot_read", format=suffix[1:].upper(), detail=first) from exc
    raise UsageProblem("load.unsupported_type", path=str(path), suffix=suffix)


def delimited(path: Path, data: bytes, encoding: str | None, spec: Columns | None = None) -> Table:
    """A comma- or tab-separated file: decoded, its header found below any title and blank rows (named_header), its
    layout checked from there, its rows with the line each starts on."""
    import polars as pl

    utf8, used = csv_bytes(path, data, encoding)
    above = lines_above_header(path, utf8, spec)
    body = after_lines(utf8, above)
    sep = separator(path, body, above + 1)
    check_header(path, body, sep, above + 1)
    if ragged := ragged_rows(path, body, sep):
        raise InputRejected("load.ragged", [replace(f, line=f.line + above) if f.line else f for f in ragged])
    df = pl.read_csv(body, separator=sep, infer_schema=False, raise_if_empty=False)
    return Table(df, [n + above for n in row_lines(body, df.height, sep)], used, above + 1)


def lines_above_header(path: Path, utf8: bytes, spec: Columns | None) -> int:
    """How many lines stand above a delimited file's header (title rows, a date, blank rows): its first rows read
    as a workbook's are (named_header), their cells split on the separator of the file's type and on those Excel
    writes in other regional settings, so that a header split on the wrong one is still found (and refused by
    `separator` naming it)."""
    if spec is None:
        return 0
    head = utf8[: HEADER_SEARCH_ROWS * MAX_HEADER_BYTES].decode("utf-8", errors="replace")
    seps = ("\t", ",", ";") if path.suffix.lower() in TAB_SUFFIXES else (",", ";", "\t")
    best = (0, 0)  # (columns named, -line above the header)
    for sep in seps:
        rows = _first_records(head, sep)
        if rows:
            above, named = named_header(rows, spec)
            best = max(best, (named, -above))
    return -best[1] if best[0] else _first_filled_line(head)


def _first_records(text: str, sep: str) -> list[tuple[int, list[str]]]:
    """The first HEADER_SEARCH_ROWS records of a text holding anything, each with the number of lines above it."""
    import csv
    import io

    reader = csv.reader(io.StringIO(text), delimiter=sep)
    rows: list[tuple[int, list[str]]] = []
    above = 0
    try:
        for record in reader:
            if any(cell.strip(" \t\u3000" + BOM) for cell in record):
                rows.append((above, record))
                if len(rows) == HEADER_SEARCH_ROWS:
                    break
            above = reader.line_num
    except csv.Error:
        pass  # a quote left open: the rows before it are all there is to judge (the layout check says the rest)
    return rows


def _first_filled_line(text: str) -> int:
    """The number of blank lines (nothing but separators and spaces) above a text's first filled one."""
    for n, line in enumerate(text.split("\n")):
        if line.strip(" \t\r,;\u3000" + BOM):
            return n
    return 0


def after_lines(utf8: bytes, n: int) -> bytes:
    """The bytes after a text's first `n` lines (the bytes themselves when `n` is 0: a large file is not copied)."""
    if n == 0:
        return utf8
    at = 0
    for _ in range(n):
        at = utf8.index(b"\n", at) + 1
    return utf8[at:]


UNNAMED = "__UNNAMED__"  # a column with values under no header: UNNAMED + its index from 0 (column A)
HEADER_SEARCH_ROWS = 20  # a sheet's header is looked for in its first rows holding anything (title rows above)


def named_header(rows: Sequence[tuple[int, Sequence[object]]], spec: Columns) -> tuple[int, int]:
    """Which of a table's first rows holding anything (each given as its position and its cells) is its header, and
    how many of the contract's columns it names: the first that names the most (title rows, a date, a blank row
    may stand above it). One rule for delimited text and workbooks."""
    aliases = _aliases(spec)

    def named(cells: Sequence[object]) -> int:
        return len({_known(aliases, str(cell)) for cell in cells if cell is not None} - {None})

    scored = [(named(cells), -k, at) for k, (at, cells) in enumerate(rows[:HEADER_SEARCH_ROWS])]
    count, _, at = max(scored)
    return (at, count) if count else (rows[0][0], 0)


def spreadsheet(path: Path, data: bytes, spec: Columns | None = None, sheet: str | None = None) -> list[Table]:
    """A workbook's sheets read (.xlsx, .xls, .ods) as text, with each row's number as the sheet shows it.

    The sheet is `sheet` (--sheet), else the workbook's only one, else the sheets whose header names every column
    the contract requires (holding): every one of them for a kind in SPLIT_KINDS, else the one (several are refused:
    --sheet chooses); with none, the sheet naming the most is read, and refused naming what it lacks. A refusal of a
    workbook of several sheets names the sheet read and the sheets seen. The sheet is read whole, from row 1, as text (calamine turns numbers and dates into
    their text): the header is found by named_header, blank rows keep their numbers, a column with neither a header
    nor a value is dropped.
    """
    import fastexcel
    import polars as pl

    from kpi.load.sheets import check_workbook, sheet_names

    reader = None
    names = sheet_names(path, data)  # before calamine opens the workbook (kpi.load.sheets checks it first)
    if names is None:
        reader = fastexcel.read_excel(data)
        names = tuple(reader.sheet_names)
    if sheet is not None:
        candidates = [_sheet_named(path, names, sheet)]
    elif spec is None or len(names) <= 1:
        candidates = [0]
    else:
        candidates = list(range(len(names)))
    told = sheet is not None or len(names) > 1  # whether the sheet read is named in refusals and in the load's output
    errors: dict[int, list[tuple[int, int, str]]] = {}
    for i in candidates:  # every sheet to be read is checked before calamine makes a dense grid of any
        with naming_sheet(path, names[i] if told else None, names):
            errors[i] = check_workbook(path, data, i)
    reader = reader or fastexcel.read_excel(data)
    grids: dict[int, _Grid | None] = {}
    for i in candidates:
        with naming_sheet(path, names[i] if told else None, names):
            grids[i] = _grid(reader, i, spec, errors[i])
    indices = [candidates[0]] if len(candidates) == 1 else _holding(path, names, grids, spec)
    tables = []
    for index in indices:
        name = names[index] if told else None
        with naming_sheet(path, name, names):
            found = grids[index]
            if found is None:
                raise InputRejected("load.empty")
            grid, filled, top, cells_in_error = found
            header = ["" if cell is None else str(cell) for cell in grid.row(top)]
            body, body_filled = grid.slice(top + 1), filled.slice(top + 1)
            keep = [i for i, title in enumerate(header) if title.strip() or body_filled[:, i].any()]
            columns = [header[i] if header[i].strip() else f"{UNNAMED}{i}" for i in keep]
            refuse_errors(path, cells_in_error, header, top + 1)
            check_names(path, columns, top + 1)
            frame = body.select(pl.col(grid.columns[i]).alias(title) for i, title in zip(keep, columns, strict=True))
        lines = list(range(top + 2, top + 2 + frame.height))
        tables.append(Table(frame, lines, None, top + 1, name, names if told else ()))
    return tables


class _Grid(NamedTuple):
    """A sheet read whole: its cells, which of them hold anything, its header's row (from 0), its error cells."""

    grid: pl.DataFrame
    filled: pl.DataFrame
    top: int
    errors: list[tuple[int, int, str]]


def _grid(reader: Any, index: int, spec: Columns | None, errors: list[tuple[int, int, str]]) -> _Grid | None:
    """A workbook's sheet read whole as text (once its size is checked: kpi.load.sheets), with its error cells;
    None when it holds nothing."""
    import polars as pl

    grid = reader.load_sheet(index, header_row=None, skip_rows=0, dtypes="string").to_polars()
    filled = grid.select((pl.col(c).str.strip_chars().str.len_chars() > 0).fill_null(False) for c in grid.columns)
    rows_filled = filled.select(pl.any_horizontal(pl.all())).to_series().to_list() if grid.width else []
    rows = [(i, grid.row(i)) for i, full in enumerate(rows_filled) if full][:HEADER_SEARCH_ROWS]
    if not rows:
        return None
    top = named_header(rows, spec)[0] if spec is not None else rows[0][0]
    return _Grid(grid, filled, top, errors)


def _sheet_named(path: Path, names: tuple[str, ...], sheet: str) -> int:
    """The position of the sheet `--sheet` names: its exact name, else the one name that is the same after NFKC,
    trimming and case; else the workbook is refused naming the sheets it has."""
    if sheet in names:
        return names.index(sheet)
    alike = [i for i, name in enumerate(names) if normalise_header(name) == normalise_header(sheet)]
    if len(alike) == 1:
        return alike[0]
    params = {"sheet": sheet, "sheets": ", ".join(names)}
    raise InputRejected("load.no_such_sheet", [Failure(str(path), None, "", sheet, "rule.no_such_sheet", params)])


# Kinds whose rows are keyed answers a workbook may split across sheets (kpi followups due writes one sheet per
# organisation): every sheet holding the contract's headers is read, their rows taken together. A theme list is the
# list of one date: two sheets holding its headers stay ambiguous.
SPLIT_KINDS = frozenset({"followups", "stagegate"})


def _holding(path: Path, names: tuple[str, ...], grids: dict[int, _Grid | None], spec: Columns | None) -> list[int]:
    """Of a workbook's sheets, those whose header names every column the contract requires: all of them for a kind
    in SPLIT_KINDS, else the one (several are refused: --sheet chooses); with none, the sheet naming the most (the
    first of equals) is read."""
    assert spec is not None
    aliases = _aliases(spec)
    required = {c for c in spec.COLUMNS if c not in spec.OPTIONAL}
    named: dict[int, set[str]] = {}
    for i, found in grids.items():
        if found is not None:
            cells = found.grid.row(found.top)
            named[i] = {k for cell in cells if cell is not None and (k := _known(aliases, str(cell))) is not None}
    holders = [i for i, columns in named.items() if required <= columns]
    if len(holders) > 1 and spec.KIND not in SPLIT_KINDS:
        params = {"holders": ", ".join(names[i] for i in holders), "sheets": ", ".join(names), "kind": spec.KIND}
        raise InputRejected(
            "load.sheet_ambiguous", [Failure(str(path), None, "", None, "rule.sheet_ambiguous", params)]
        )
    if holders:
        return holders
    return [max(named, key=lambda i: (len(named[i]), -i)) if named else 0]


@contextmanager
def naming_sheet(path: Path, sheet: str | None, sheets: tuple[str, ...]) -> Iterator[None]:
    """A refusal of a workbook's sheet that names the sheet read and the sheets seen (nothing added without a
    sheet: a delimited file, a workbook of one sheet read without --sheet)."""
    try:
        yield
    except InputRejected as exc:
        if sheet is None:
            raise
        failures = exc.failures or [Failure(str(path), None, "", None, exc.key, exc.params)]
        raise InputRejected(exc.key, [*failures, sheet_read(path, sheet, sheets)], **exc.params) from None


SHEET_READ = "rule.sheet_read"  # a refusal's line that says which sheet was read: not a problem of its own


def sheet_read(path: Path, sheet: str, sheets: tuple[str, ...]) -> Failure:
    """The line of a refusal that names a workbook's sheet read and the sheets seen."""
    return Failure(str(path), None, "", sheet, SHEET_READ, {"sheet": sheet, "sheets": ", ".join(sheets)})


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
    header_line: int  # the line of the header (below title and blank rows)
    sheet: str | None = None  # the sheet read (a workbook of several sheets, or one --sheet chose)
    sheets: tuple[str, ...] = ()  # the workbook's sheets, when `sheet` is given
    parts: tuple[str, ...] = ()  # the sheets whose rows were taken together (SPLIT_KINDS), in `_line`'s order


SHEET_SPAN = 1 << 32  # rows taken from several sheets: `_line` is the row + SHEET_SPAN × the sheet's place in parts


def on_sheet(line: int, parts: tuple[str, ...]) -> tuple[str, int]:
    """The sheet and row of a `_line` of rows taken from several sheets."""
    place, row = divmod(line, SHEET_SPAN)
    return parts[place], row


def _is_total(value: pl.Expr) -> pl.Expr:
    return value.str.replace_all(r"\s+", "").str.to_lowercase().is_in(list(TOTALS)).fill_null(False)


def text_frame(path: Path, data: bytes, spec: KindSpec, encoding: str | None, sheet: str | None = None) -> TextFrame:
    """The file's rows as trimmed text under the contract's column names, with `_line`; its units, encoding and
    own headers, the headers ignored, and the totals rows left out: a row whose ID is a totals word (合計, 計,
    小計, Total …), or that has no ID and whose first filled cell is one. A workbook's sheet: read_tables; the
    rows of several sheets are taken together, each `_line` telling its sheet (on_sheet)."""
    import polars as pl

    from schemas.common import LINE

    tables = read_tables(path, encoding, data, spec, sheet)
    read = []
    for table in tables:
        with naming_sheet(path, table.sheet, table.sheets):
            try:
                read.append(_text_frame(path, table, spec))
            except InputRejected as exc:  # of sheets read together, one with no rows yet is no fault
                if exc.key != "load.header_only" or len(tables) == 1 or (not read and table is tables[-1]):
                    raise
    if len(read) == 1:
        return read[0]
    first = read[0]
    parts = tuple(str(part.sheet) for part in read)
    frame = pl.concat(part.frame.with_columns(pl.col(LINE) + place * SHEET_SPAN) for place, part in enumerate(read))
    return first._replace(
        frame=frame,
        units={k: v for part in read for k, v in part.units.items()},
        ignored=list(dict.fromkeys(h for part in read for h in part.ignored)),
        totals=sorted({line for part in read for line in part.totals}),
        sheet=", ".join(parts),
        parts=parts,
    )


def _text_frame(path: Path, table: Table, spec: KindSpec) -> TextFrame:
    import polars as pl

    from schemas.common import LINE

    raw, lines, used, header_line = table.frame, table.lines, table.encoding, table.header_line
    mapping, units, ignored = map_headers(path, raw.columns, spec, header_line)
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
    return TextFrame(
        frame.select(*spec.COLUMNS, LINE), units, used, headers, ignored, totals, header_line, table.sheet, table.sheets
    )
