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
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kpi import interrupts
from kpi.db import stage
from kpi.errors import InputRejected
from kpi.load.decode import BOM, MAX_HEADER_BYTES, UTF16_BOMS, check_header, separator
from kpi.load.source import SourceFile
from kpi.load.tables import DELIMITED, map_headers

if TYPE_CHECKING:
    import duckdb
    import polars as pl

UTF8_BOM = BOM.encode()
REFUSED = "[\x00\ufeff]"  # a NUL, a BOM (after the start of the file: the header's own BOM is not staged)
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


class _Worker(threading.Thread):
    """DuckDB work off the main thread, so that the main thread can do its own meanwhile (imports, hashing, the
    schema's checks) and stays where a signal (Ctrl-C, SIGTERM) is handled. Used as `with _Worker(…) as w:`.

    The work never outlives the block: whatever ends it early (a signal wherever it lands, an error) stops DuckDB
    and waits for the thread. A process that exits while DuckDB still runs on a worker thread is aborted by the
    C++ runtime as the interpreter finalises (SIGABRT, after kpi's own message)."""

    def __init__(self, con: duckdb.DuckDBPyConnection, work: Callable[[], Any]) -> None:
        super().__init__(daemon=True)
        self.con, self.work = con, work
        self.result: Any = None
        self.error: BaseException | None = None

    def __enter__(self) -> _Worker:
        try:
            with interrupts.held():  # start() waits for the thread: a signal there would leave it running unseen
                self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: Any) -> None:
        if kind is not None:
            self.stop()

    def run(self) -> None:
        try:
            self.result = self.work()
        except BaseException as exc:  # handed to the main thread by outcome()
            self.error = exc

    def wait(self) -> None:
        """Wait for the work; on a signal (or any error) in the main thread, stop it first."""
        try:
            while self.is_alive():
                self.join(0.1)
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        """Interrupt DuckDB's work and wait until the thread has ended (a third signal still ends the process).
        Interrupted again and again: an interruption that comes before a statement begins is lost with it."""
        while self.is_alive():
            self.con.interrupt()
            self.join(0.05)

    def outcome(self) -> Any:
        """The work's result; NotStaged for a DuckDB error (the transaction is then aborted)."""
        import duckdb

        self.wait()
        if isinstance(self.error, duckdb.Error):
            raise NotStaged(str(self.error).splitlines()[0]) from self.error
        if self.error is not None:
            raise self.error
        return self.result


def _sha256(path: Path) -> str:
    """The file's sha256 (read in chunks: the file is never held in memory whole)."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def read(
    con: duckdb.DuckDBPyConnection, path: Path, progress: Any = None, attributes: tuple[Any, ...] = ()
) -> SourceFile:
    """Stage and check a themes file in the load's transaction; NotStaged when it must be read the ordinary way
    (among others, a file with a column of the theme `attributes` the settings declare: kpi.settings.Attribute).

    A DuckDB error aborts the transaction, so the caller starts the load again without this path.
    """
    import duckdb

    from schemas import themes_columns

    sep, header, used = _header(path)
    try:
        mapping, _, ignored = map_headers(path, header, themes_columns.Declared(tuple(attributes)))
    except InputRejected as exc:
        raise NotStaged(str(exc)) from exc
    positions = {canonical: header.index(name) for name, canonical in mapping.items()}
    if set(positions) & {*themes_columns.REASONS, *(a.name for a in attributes)}:
        raise NotStaged("reasons or attributes")  # their rules are not judged here: read the ordinary way
    before = os.stat(path)
    text = themes_columns.FREE_TEXT | {"theme_id"}
    with _Worker(con, lambda: stage.stage_csv(con, path, sep, positions, len(header), text)) as staging:
        import polars  # noqa: F401

        from schemas import KINDS  # noqa: F401  (pandera, while DuckDB parses)

        sha256 = _sha256(path)
        staged: stage.Staged = staging.outcome()
    after = os.stat(path)
    if (before.st_size, before.st_mtime_ns) != (after.st_size, after.st_mtime_ns):
        raise NotStaged("changed while read")
    if staged.height == 0:
        raise NotStaged("no rows")
    if progress:
        progress("check")
    try:
        _check_and_recode(con, staged)
    except duckdb.Error as exc:
        raise NotStaged(str(exc).splitlines()[0]) from exc
    source = SourceFile(path, "themes", sha256, encoding=used, ignored=ignored)
    source.headers = {canonical: name for name, canonical in mapping.items()}
    source.staged = staged
    return source


def _normalised(values: Any, free_text: bool = False) -> pl.DataFrame:
    """Distinct raw cells and each one as the contract reads it (kpi.load.tables.cell_text)."""
    import polars as pl

    from kpi.load.tables import cell_text

    raw = pl.Series("raw", values, dtype=pl.String).unique(maintain_order=True)
    return pl.DataFrame({"raw": raw}).with_columns(cell_text("raw", free_text).alias("text"))


def _kinds(texts: pl.DataFrame, inputs: Callable[[pl.Expr], list[pl.Expr]]) -> pl.DataFrame:
    """Each distinct spelling (raw, text) with a number for what the rules read of it: alike spellings, alike kind."""
    import polars as pl

    key = pl.concat_str([e.cast(pl.String).fill_null("\x00") for e in inputs(pl.col("text"))], separator="\x1f")
    keyed = texts.with_columns(key.alias("key"))
    numbers = keyed.select("key").unique(maintain_order=True).with_row_index("kind")
    return keyed.join(numbers, on="key", how="left")


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
    single, together = ["item", "funding", "element"], ["start_fy", "end_fy", "status"]
    texts = {c: _normalised(pl.DataFrame(stage.distinct(con, staged, [c]))[c]) for c in single + together}
    # The cross-column rules see one spelling of each kind (themes.RULE_INPUTS) in every combination of kinds the
    # file holds: a few hundred rows, however many combinations of spellings it was written with.
    kinds = {c: _kinds(texts[c], themes.RULE_INPUTS[c]) for c in together}
    combos = pl.DataFrame(
        stage.distinct_kinds(con, staged, {c: kinds[c].select("raw", "kind").__arrow_c_stream__() for c in together}),
        schema={c: pl.UInt32 for c in together},
        orient="row",
    )
    for c in together:
        spelling = (
            kinds[c]
            .unique("kind", keep="first", maintain_order=True)
            .select(pl.col("kind").alias(c), pl.col("text").alias("t"))
        )
        combos = combos.join(spelling, on=c, how="left").drop(c).rename({"t": c})
    # Characters DuckDB reads as text but the contract refuses in a file (kpi.load.decode): a NUL, a BOM after
    # the start (two files joined into one). The coded columns' spellings are looked at here, the text columns by
    # DuckDB while it recodes.
    if any(t["raw"].str.contains(REFUSED).any() for t in texts.values()):
        raise NotStaged("NUL or BOM")
    # One frame the schema can judge: the distinct spellings of each single column (as the contract reads them)
    # and the distinct combinations of the columns the cross-column rules read, row-aligned (a shorter column
    # repeats its first value); the text columns whose rules the staged table holds get values that pass.
    height = max(combos.height, *(texts[c].height for c in single))

    def filled(values: pl.Series) -> pl.Series:
        return values.extend_constant(values[0], height - values.len())

    frame = pl.DataFrame(
        {
            "theme_id": pl.int_range(height, eager=True).cast(pl.String),
            "organizations": pl.repeat("-", height, eager=True),
            "title": pl.repeat("-", height, eager=True),
            **{c: pl.repeat(None, height, dtype=pl.String, eager=True) for c in themes.REASONS_COLUMNS},
            **{c: filled(texts[c]["text"]) for c in single},
            **{c: filled(combos[c]) for c in together},
            LINE: pl.int_range(height, dtype=pl.Int64, eager=True),
        }
    )
    # Every spelling's stored value, computed as to_records() computes it; the staged table is recoded (and its
    # theme_id counted) by DuckDB while pandera judges the frame: a file that fails is rolled back anyway.
    recodes = []
    for column in single + together:
        codes = texts[column].select("raw", themes.PARSERS[column](pl.col("text")).cast(pl.String).alias("value"))
        fallback = None
        if column == "end_fy":
            ends = texts["status"].select("raw", themes.STATUS_END(pl.col("text")).cast(pl.String).alias("value"))
            fallback = ends if ends["value"].is_not_null().any() else None
        recodes.append((column, codes, fallback))
    with _Worker(con, lambda: _recode(con, staged, recodes)) as recoding:
        try:
            themes.SCHEMA.validate(frame.select(*themes.COLUMNS, LINE), lazy=True)
        except pandera.errors.SchemaErrors as exc:
            recoding.wait()  # the recode ends as it would (no interruption), then the load starts again
            raise NotStaged("rules") from exc
        duplicated, refused = recoding.outcome()
    if duplicated or refused:
        raise NotStaged("duplicate theme_id" if duplicated else "NUL or BOM")
    staged.recoded = True


def _recode(
    con: duckdb.DuckDBPyConnection, staged: stage.Staged, recodes: list[tuple[str, Any, Any]]
) -> tuple[int, int]:
    """Recode every coded column of the staged table; how many rows repeat a theme_id, and how many text cells
    hold a NUL or a BOM."""
    import polars as pl

    from schemas.themes_columns import FREE_TEXT

    duplicated = stage.duplicated(con, staged, "theme_id")
    refused = stage.containing(con, staged, ["theme_id", *sorted(FREE_TEXT)], ["\x00", BOM])
    for column, codes, fallback in recodes:
        if fallback is None and codes.filter(pl.col("raw").ne_missing(pl.col("value"))).is_empty():
            stage.cast(con, staged, column)  # every spelling is already its stored value
            continue
        stage.recode(
            con,
            staged,
            column,
            codes.__arrow_c_stream__(),
            None if fallback is None else ("status", fallback.__arrow_c_stream__()),
        )
    return duplicated, refused
