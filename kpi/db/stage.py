"""A themes file staged where it will be stored.

DuckDB parses the file straight into a table of the database (`theme_rows_staged`, the layout of theme_rows with
its coded columns still text), inside the load's transaction; once their spellings are checked, the coded columns
are recoded in place, once per distinct spelling; the first list of an empty database then becomes theme_rows
itself, without a copy. Values from the file reach SQL only through the file, Arrow and bound parameters.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from kpi.db.connect import fetch_one

STAGED = "theme_rows_staged"
# What polars' str.strip_chars() trims: Unicode White_Space (Rust's char::is_whitespace), so not U+001C–U+001F.
WHITESPACE = (
    "\t\n\x0b\x0c\r \x85\xa0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + "\u2028\u2029\u202f\u205f\u3000"
)


@dataclass
class Staged:
    """A file DuckDB has parsed into `table`: `height` rows, in theme_rows' layout once `recoded`."""

    table: str
    path: Path
    height: int
    recoded: bool = False


def _layout(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple[str, str, bool]]:
    """A table's columns in order: name, type and whether they may be null."""
    return [
        (str(name), str(kind), bool(nullable))
        for name, kind, nullable in con.execute(
            "SELECT column_name, data_type, is_nullable FROM duckdb_columns() "
            "WHERE schema_name = 'main' AND table_name = ? ORDER BY column_index",
            [table],
        ).fetchall()
    ]


def _trimmed(column: str) -> str:
    """A cell as polars' strip_chars() leaves it, blank as null (the full trim only for a cell with a white end)."""
    codes = ", ".join(str(ord(c)) for c in WHITESPACE)
    white_end = f"unicode({column}) IN ({codes}) OR unicode(right({column}, 1)) IN ({codes})"
    return f"nullif(CASE WHEN {white_end} THEN trim({column}, $chars) ELSE {column} END, '')"


def stage_csv(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    separator: str,
    positions: Mapping[str, int],
    width: int,
    text: Iterable[str],
) -> Staged:
    """Parse a delimited UTF-8 file (header on line 1) into the staged table, in theme_rows' layout.

    `positions` gives each contract column's field in the file (a column the file lacks is null); the columns in
    `text` are trimmed as the contract trims free text, the others as text, as written (their spellings are
    normalised and checked once each, then recoded). Rows without a single cell are left out. A fault of the
    file's layout (a row of the wrong width, an unclosed quote, bytes that are not UTF-8) or a blank cell in a
    required text column raises duckdb.Error.
    """
    text = set(text)
    layout = _layout(con, "theme_rows")
    final = text | {"list_id", "load_id"}  # columns staged as stored; the others are text until recoded
    ddl = ", ".join(
        f'"{name}" {kind if name in final else "VARCHAR"}{" NOT NULL" if name in final and not nullable else ""}'
        for name, kind, nullable in layout
    )
    con.execute(f"DROP TABLE IF EXISTS {STAGED}")
    con.execute(f"CREATE TABLE {STAGED} ({ddl})")
    fields = {name: f"c{i}" for name, i in positions.items()}
    select = [
        "0"
        if name in ("list_id", "load_id")
        else _trimmed(fields[name])
        if name in text and name in fields
        else fields.get(name, "NULL")
        for name, _, _ in layout
    ]
    empty = " AND ".join(f"{field} IS NULL" for field in fields.values())
    spec = ", ".join(f"'c{i}': 'VARCHAR'" for i in range(width))
    row = fetch_one(
        con,
        f"INSERT INTO {STAGED} SELECT {', '.join(select)} FROM read_csv($path, header = false, skip = 1, "
        f"auto_detect = false, delim = $sep, quote = '\"', escape = '\"', strict_mode = true, "
        f"null_padding = false, encoding = 'utf-8', columns = {{{spec}}}) WHERE NOT ({empty})",
        {"path": str(path), "sep": separator, "chars": WHITESPACE},
    )
    return Staged(STAGED, path, int(row[0]) if row else 0)


def distinct(con: duckdb.DuckDBPyConnection, staged: Staged, columns: list[str]) -> duckdb.DuckDBPyRelation:
    """The distinct values (combinations) of columns of the staged table, as a relation."""
    names = ", ".join(f'"{c}"' for c in columns)
    return con.sql(f"SELECT DISTINCT {names} FROM {staged.table}")


def distinct_kinds(con: duckdb.DuckDBPyConnection, staged: Staged, kinds: Mapping[str, Any]) -> list[tuple[Any, ...]]:
    """The distinct combinations of kinds in the staged rows: `kinds` maps columns to an Arrow stream of (raw,
    kind), one row per distinct spelling (null included)."""
    names = list(kinds)
    try:
        for i, column in enumerate(names):
            con.register(f"kpi_kind_{i}", con.from_arrow(kinds[column]))
        spelled = ", ".join(f'"{c}"' for c in names)
        joins = " ".join(
            f'LEFT JOIN kpi_kind_{i} k{i} ON s."{c}" IS NOT DISTINCT FROM k{i}.raw' for i, c in enumerate(names)
        )
        chosen = ", ".join(f"k{i}.kind" for i in range(len(names)))
        return con.execute(
            f"SELECT DISTINCT {chosen} FROM (SELECT DISTINCT {spelled} FROM {staged.table}) s {joins}"
        ).fetchall()
    finally:
        for i in range(len(names)):
            con.unregister(f"kpi_kind_{i}")


def non_ascii(con: duckdb.DuckDBPyConnection, staged: Staged, column: str) -> list[str]:
    """The distinct values of a column that are not plain ASCII (the only ones NFKC can change)."""
    rows = con.execute(
        f'SELECT DISTINCT "{column}" FROM {staged.table} WHERE strlen("{column}") <> length("{column}")'
    ).fetchall()
    return [str(value) for (value,) in rows]


def replace(con: duckdb.DuckDBPyConnection, staged: Staged, column: str, mapping: Any) -> None:
    """Replace values of a column by a mapping (an Arrow stream of raw, value)."""
    con.register("kpi_replace", con.from_arrow(mapping))
    try:
        con.execute(
            f'UPDATE {staged.table} AS s SET "{column}" = m.value FROM kpi_replace m WHERE s."{column}" = m.raw'
        )
    finally:
        con.unregister("kpi_replace")


def containing(con: duckdb.DuckDBPyConnection, staged: Staged, columns: list[str], characters: list[str]) -> int:
    """How many rows hold any of the characters in any of the columns."""
    tests = " OR ".join(f'contains("{c}", ${i + 1})' for c in columns for i in range(len(characters)))
    row = fetch_one(con, f"SELECT count(*) FILTER ({tests}) FROM {staged.table}", characters)
    return int(row[0]) if row else 0


def duplicated(con: duckdb.DuckDBPyConnection, staged: Staged, column: str) -> int:
    """How many rows repeat a value of the column, compared without case (T1-002 and t1-002 are one theme)."""
    row = fetch_one(con, f'SELECT count("{column}") - count(DISTINCT lower("{column}")) FROM {staged.table}')
    return int(row[0]) if row else 0


def recode(
    con: duckdb.DuckDBPyConnection,
    staged: Staged,
    column: str,
    codes: Any,
    fallback: tuple[str, Any] | None = None,
) -> None:
    """Give a text column its stored values and type: `codes` is an Arrow stream of (raw, value), one row per
    distinct spelling, the value as text. With `fallback` (another text column and its codes), a row whose own
    value is null takes the other column's code instead (end_fy from the year written in the status cell).

    Only the rows whose spelling is not already their stored value are rewritten (an UPDATE joined to the codes),
    then a plain cast gives the column its type: statements whose log replays as data and casts, so that a file
    whose write-ahead log is replayed after a crash needs no function beyond the core.
    """
    kind = dict((n, k) for n, k, _ in _layout(con, "theme_rows"))[column]
    steps = [(column, codes, ""), *([(fallback[0], fallback[1], f'AND s."{column}" IS NULL')] if fallback else [])]
    try:
        for n, (source, stream, only) in enumerate(steps):
            con.register("kpi_stream", con.from_arrow(stream))
            con.execute(
                f"CREATE OR REPLACE TEMP TABLE kpi_codes_{n} AS SELECT raw, CAST(value AS VARCHAR) AS value "
                f"FROM kpi_stream WHERE raw IS NOT NULL AND raw IS DISTINCT FROM CAST(value AS VARCHAR)"
                + (" AND value IS NOT NULL" if only else "")
            )
            con.unregister("kpi_stream")
            con.execute(
                f'UPDATE {staged.table} AS s SET "{column}" = c.value FROM kpi_codes_{n} c '
                f'WHERE s."{source}" = c.raw {only}'
            )
        if kind != "VARCHAR":
            con.execute(f'ALTER TABLE {staged.table} ALTER "{column}" TYPE {kind}')
    finally:
        for n in range(len(steps)):
            con.execute(f"DROP TABLE IF EXISTS kpi_codes_{n}")


def cast(con: duckdb.DuckDBPyConnection, staged: Staged, column: str) -> None:
    """Give a text column its stored type by a plain cast (every spelling is already its stored value)."""
    kind = dict((n, k) for n, k, _ in _layout(con, "theme_rows"))[column]
    if kind != "VARCHAR":
        con.execute(f'ALTER TABLE {staged.table} ALTER "{column}" TYPE {kind}')


def finish(con: duckdb.DuckDBPyConnection, staged: Staged, list_id: int, load_id: int) -> bool:
    """Tag the staged rows with their list and load and give every column theme_rows' constraints; whether the
    staged table now has exactly theme_rows' layout (so that it can take its place)."""
    con.execute(f"ALTER TABLE {staged.table} ALTER list_id TYPE INTEGER USING ({int(list_id)})")
    con.execute(f"ALTER TABLE {staged.table} ALTER load_id TYPE INTEGER USING ({int(load_id)})")
    wanted = _layout(con, "theme_rows")
    have = dict((n, nullable) for n, _, nullable in _layout(con, staged.table))
    for name, _, nullable in wanted:
        if not nullable and have.get(name):
            con.execute(f'ALTER TABLE {staged.table} ALTER "{name}" SET NOT NULL')
    return _layout(con, staged.table) == wanted


def take_place(con: duckdb.DuckDBPyConnection, staged: Staged) -> None:
    """The staged table becomes theme_rows (which must be empty): no row is copied."""
    con.execute("DROP TABLE theme_rows")
    con.execute(f"ALTER TABLE {staged.table} RENAME TO theme_rows")


def rows(con: duckdb.DuckDBPyConnection, staged: Staged, columns: list[str]) -> duckdb.DuckDBPyRelation:
    """Columns of the staged rows, as a relation."""
    return con.sql(f"SELECT {', '.join(f'{chr(34)}{c}{chr(34)}' for c in columns)} FROM {staged.table}")


def drop(con: duckdb.DuckDBPyConnection, staged: Staged) -> None:
    """Remove the staged table."""
    con.execute(f"DROP TABLE IF EXISTS {staged.table}")
