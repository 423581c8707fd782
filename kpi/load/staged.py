"""A themes file loaded at DuckDB's speed: DuckDB parses it into the database, the contract is checked once per
distinct spelling, and the coded columns are recoded in place (kpi.db.stage).

The same pandera schema judges the file (schemas.themes.SCHEMA): its row-wise rules see every distinct spelling
of the coded columns and every distinct combination the cross-column rules read; the whole-column rules are
held by the staged table itself (a required text column is NOT NULL) and by one count (a unique column). This path
only ever accepts: a file it cannot accept as it is — a fault of layout, an encoding other than UTF-8, any rule
broken — is read again the ordinary way (kpi.load.tables, kpi.load.validate), which finds and reports every
failure with its line; so are the file types and encodings this path does not read.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kpi.db import stage
from kpi.errors import InputRejected
from kpi.load.decode import BOM, MAX_HEADER_BYTES, UTF16_BOMS, check_header, separator
from kpi.load.source import SourceFile
from kpi.load.tables import DELIMITED, map_headers

if TYPE_CHECKING:
    import duckdb
    import polars as pl

UTF8_BOM = BOM.encode()
CHUNK = 1 << 20


class NotStaged(Exception):
    """The file cannot be accepted as staged: read it the ordinary way (which reports why)."""


def eligible(path: Path, kind: str, encoding: str | None) -> bool:
    """Whether a file may take the staged path: a themes file, comma- or tab-separated, UTF-8 (or undeclared)."""
    return kind == "themes" and path.suffix.lower() in DELIMITED and encoding in (None, "utf-8", "utf-8-sig")


def _header(path: Path) -> tuple[str, list[str], str]:
    """The file's separator, header cells and encoding, from its first line; NotStaged when it is not plain."""
    with open(path, "rb") as f:
        head = f.read(MAX_HEADER_BYTES + 4)
    if head.startswith(UTF16_BOMS):
        raise NotStaged("UTF-16")
    used = "utf-8-sig" if head.startswith(UTF8_BOM) else "utf-8"
    head = head.removeprefix(UTF8_BOM)
    end = re.search(rb"\r\n?|\n", head)
    if end is None or end.group() == b"\r":  # a single line, or rows ended by CR alone
        raise NotStaged("line ends")
    first = head[: end.start()]
    try:
        text = first.decode("utf-8")
        sep = separator(path, first)
        check_header(path, first, sep)
    except (UnicodeDecodeError, InputRejected) as exc:
        raise NotStaged(str(exc)) from exc
    return sep, next(csv.reader(io.StringIO(text), delimiter=sep), []), used


class _Staging(threading.Thread):
    """DuckDB parsing the file into the staged table, off the main thread: the main thread meanwhile imports the
    schemas (pandera, polars) and hashes the file, and stays where a signal (Ctrl-C, SIGTERM) is handled."""

    def __init__(self, con: duckdb.DuckDBPyConnection, path: Path, sep: str, positions: dict[str, int], width: int):
        super().__init__(daemon=True)
        self.args = (con, path, sep, positions, width)
        self.staged: stage.Staged | None = None
        self.error: BaseException | None = None

    def run(self) -> None:
        from schemas.themes_columns import FREE_TEXT

        try:
            self.staged = stage.stage_csv(*self.args, FREE_TEXT | {"theme_id"})
        except BaseException as exc:  # handed to the main thread
            self.error = exc


def _hash_and_scan(path: Path) -> tuple[str, str]:
    """The file's sha256, and what DuckDB would accept but the contract refuses: a NUL byte, a BOM after the start."""
    digest = hashlib.sha256()
    refused, tail, first = "", b"", True
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
            body = chunk[3:] if first and chunk.startswith(UTF8_BOM) else chunk
            if b"\x00" in body:
                refused = "NUL"
            if UTF8_BOM in tail + body[:2] or UTF8_BOM in body:
                refused = "BOM"
            tail, first = body[-2:], False
    return digest.hexdigest(), refused


def read(con: duckdb.DuckDBPyConnection, path: Path, progress: Any = None) -> SourceFile:
    """Stage and check a themes file in the load's transaction; NotStaged when it must be read the ordinary way.

    A DuckDB error aborts the transaction, so the caller starts the load again without this path.
    """
    import duckdb

    from schemas import themes_columns

    sep, header, used = _header(path)
    try:
        mapping, _ = map_headers(path, header, themes_columns)
    except InputRejected as exc:
        raise NotStaged(str(exc)) from exc
    positions = {canonical: header.index(name) for name, canonical in mapping.items()}
    before = os.stat(path)
    staging = _Staging(con, path, sep, positions, len(header))
    staging.start()
    try:
        import polars  # noqa: F401

        from schemas import KINDS  # noqa: F401  (pandera, while DuckDB parses)

        sha256, refused = _hash_and_scan(path)
        while staging.is_alive():
            staging.join(0.1)
    except BaseException:
        con.interrupt()
        staging.join(5)
        raise
    if isinstance(staging.error, duckdb.Error):
        raise NotStaged(str(staging.error).splitlines()[0]) from staging.error
    if staging.error is not None:
        raise staging.error
    staged = staging.staged
    assert staged is not None
    after = os.stat(path)
    if refused or (before.st_size, before.st_mtime_ns) != (after.st_size, after.st_mtime_ns):
        raise NotStaged(refused or "changed while read")
    if staged.height == 0:
        raise NotStaged("no rows")
    if progress:
        progress("check")
    try:
        _check_and_recode(con, staged)
    except duckdb.Error as exc:
        raise NotStaged(str(exc).splitlines()[0]) from exc
    source = SourceFile(path, "themes", sha256, encoding=used)
    source.staged = staged
    return source


def _normalised(values: list[Any], free_text: bool = False) -> pl.DataFrame:
    """Distinct raw cells and each one as the contract reads it (kpi.load.tables.cell_text)."""
    import polars as pl

    from kpi.load.tables import cell_text

    raw = pl.Series("raw", values, dtype=pl.String).unique(maintain_order=True)
    return pl.DataFrame({"raw": raw}).with_columns(cell_text("raw", free_text).alias("text"))


def _check_and_recode(con: duckdb.DuckDBPyConnection, staged: stage.Staged) -> None:
    """The schema's rules on the distinct spellings; then every coded column recoded in place."""
    import pandera.errors
    import polars as pl

    from schemas import themes
    from schemas.common import LINE

    ids = _normalised(stage.non_ascii(con, staged, "theme_id"))
    changed = ids.filter(pl.col("raw") != pl.col("text").fill_null(""))
    if changed.height:
        stage.replace(
            con, staged, "theme_id", changed.select("raw", pl.col("text").alias("value")).__arrow_c_stream__()
        )
    if stage.duplicated(con, staged, "theme_id"):
        raise NotStaged("duplicate theme_id")
    single, together = ["item", "funding", "element"], ["start_fy", "end_fy", "status"]
    found = stage.distinct_values(con, staged, single, together)
    texts = {c: _normalised(found[c]) for c in single + together}
    # One frame the schema can judge: each single column's distinct spellings, the distinct combinations of the
    # columns the cross-column rules read, row-aligned (a shorter list repeats its first value); the text columns
    # whose rules the staged table holds get values that pass.
    height = max(len(found[c]) for c in [*single, together[0]])

    def filled(column: str) -> pl.Series:
        text = dict(zip(texts[column]["raw"], texts[column]["text"], strict=True))
        values = [text[v] for v in found[column]]
        return pl.Series(column, values + [values[0]] * (height - len(values)), dtype=pl.String)

    frame = pl.DataFrame(
        {
            "theme_id": [str(i) for i in range(height)],
            "organizations": ["-"] * height,
            "title": ["-"] * height,
        }
    ).with_columns(*(filled(c) for c in single + together), pl.int_range(height, dtype=pl.Int64).alias(LINE))
    try:
        themes.SCHEMA.validate(frame.select(*themes.COLUMNS, LINE), lazy=True)
    except pandera.errors.SchemaErrors as exc:
        raise NotStaged("rules") from exc
    for column in single + together:
        codes = texts[column].with_columns(themes.PARSERS[column](pl.col("text")).alias("value"))
        fallback = None
        if column == "end_fy":
            ends = texts["status"].with_columns(themes.STATUS_END(pl.col("text")).cast(pl.String).alias("value"))
            if ends["value"].is_not_null().any():
                fallback = ("status", ends.select("raw", "value").__arrow_c_stream__())
        codes = codes.select("raw", pl.col("value").cast(pl.String))
        if fallback is None and codes.filter(pl.col("raw").ne_missing(pl.col("value"))).is_empty():
            stage.cast(con, staged, column)
            continue  # every spelling is already its stored value
        stage.recode(con, staged, column, codes.__arrow_c_stream__(), fallback)
    staged.recoded = True
