"""`kpi load`: read and check every file, then write them all in one transaction, or none."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Collection
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kpi import settings
from kpi.db.connect import transaction
from kpi.db.files import store_files
from kpi.db.versions import Undone
from kpi.db.write import (
    FileResult,
    Incoming,
    mark_reopened,
    stored_setting,
    write_checked,
    write_sources,
)
from kpi.errors import Failure, InputRejected, UsageProblem
from kpi.fiscal import DEFAULT_TIMEZONE, fiscal_year_of, now_in, today_in
from kpi.load.files import KIND_ORDER, MAX_FILE_BYTES, Skipped, find_files
from kpi.load.programme import read_programme
from kpi.load.source import SourceFile
from kpi.settings import DEFAULT_BACKUPS, Attribute

if TYPE_CHECKING:
    import duckdb


Progress = Callable[[str], None]  # told each phase of a load as it starts: "read", "check", "write"
# Given the load's connection before it writes, the check to run once it has written: it refuses the load (an
# exception) or says whether the load reopened a closed year (kpi.figures.submissions.closing).
Guard = Callable[["duckdb.DuckDBPyConnection"], Callable[[], bool]]


@dataclass
class Batch:
    """The files of one `kpi load`, read and checked on their own (before the database is opened)."""

    sources: list[SourceFile]
    skipped: list[Skipped]
    failures: list[Failure]
    records: dict[int, Any]
    kinds: dict[str, str] = field(default_factory=dict)  # each file read (as its failures name it) → its kind


def snapshot_of(path: Path, option: dt.date | None, today: dt.date) -> tuple[dt.date, str]:
    """The date a themes file's list describes and where it came from: --snapshot ("option"), else a date in its
    name in any form kpi.load.dates reads ("name": themes_2026-03-31.csv, テーマ一覧_令和8年3月31日.xlsx), else
    today in the programme's calendar ("today"). A name's date-like text that is no date, two dates, or a date in
    the future is refused (exit 2)."""
    from kpi.load import dates

    if option is not None:
        return option, "option"
    try:
        day = dates.date_in_name(path.stem)
    except dates.NotADate as exc:
        raise UsageProblem("load.snapshot_name_not_a_date", path=str(path), text=exc.text, forms=dates.FORMS) from None
    except dates.TwoDates as exc:
        raise UsageProblem("load.snapshot_name_two_dates", path=str(path), first=exc.first, second=exc.second) from None
    if day is None:
        return today, "today"
    if day > today:
        raise UsageProblem("load.snapshot_name_future", path=str(path), date=day.isoformat())
    return day, "name"


# A survey sheet's cells that hold an answer even while 段階 is blank: not the 累積売上高 and 製品名 kpi pre-fills in
# every row (kpi.present.followups), which a row not answered yet carries too.
ANSWERED_WITHOUT_STAGE = ("reason_code", "reason_text", "sales", "effects")


def read_source(
    path: Path, kind: str, encoding: str | None, sheet: str | None = None, attributes: tuple[Attribute, ...] = ()
) -> SourceFile:
    """Read one file of a known kind: programme settings, or a text frame with canonical columns and `_line` (a
    workbook's sheet: `sheet`, else found: kpi.load.tables.spreadsheet); a theme list with the theme `attributes`
    the settings declare.

    A follow-up survey sheet's rows whose 段階 is still blank (not answered yet) are left out and counted; one that
    carries an answer all the same (ANSWERED_WITHOUT_STAGE) is kept, for the checks to refuse.
    """
    from kpi.load.tables import text_frame
    from schemas import KINDS

    data = path.read_bytes()  # read once: hashed here, parsed below
    sha = hashlib.sha256(data).hexdigest()
    if kind == "programme":
        return SourceFile(path, kind, sha, settings=read_programme(path, data))
    if kind not in KINDS:
        raise UsageProblem("load.unknown_kind", kind=kind, kinds=", ".join(KIND_ORDER))
    spec = KINDS[kind]
    if kind == "themes" and attributes:
        from schemas.themes import with_attributes

        spec = with_attributes(attributes)
    read = text_frame(path, data, spec, encoding, sheet)
    frame = read.frame
    skipped = 0
    if kind == "followups":
        import polars as pl

        given = [pl.col(c).is_not_null() for c in ANSWERED_WITHOUT_STAGE if c in frame.columns]
        answered = frame.filter(pl.col("stage").is_not_null() | pl.any_horizontal(pl.lit(False), *given))
        skipped, frame = frame.height - answered.height, answered
        if frame.height == 0:
            raise InputRejected("load.no_answers", skipped=skipped)
    return SourceFile(
        path,
        kind,
        sha,
        frame=frame,
        units=read.units,
        encoding=read.encoding,
        skipped=skipped,
        headers=read.headers,
        ignored=read.ignored,
        totals=read.totals,
        header_line=read.header_line,
        sheet=read.sheet,
        sheets=read.sheets,
        parts=read.parts,
        spec=None if spec is KINDS[kind] else spec,
    )


def read_rs_source(path: Path, project_id: int, encoding: str | None) -> SourceFile:
    """One RS open-data file (2-1 or 3-1), the project's rows only."""
    from kpi.load.rs import read_rs

    data = read_rs(path, project_id, encoding)
    return SourceFile(path, "rs", data.sha256, encoding=data.encoding, rs=data)


def read_files(
    paths: list[Path],
    kind: str | None = None,
    encoding: str | None = None,
    project_id: int | None = None,
    stored_project_id: Callable[[], int | None] = lambda: None,
    snapshot: dt.date | None = None,
    today: dt.date | None = None,
    con: duckdb.DuckDBPyConnection | None = None,
    progress: Progress | None = None,
    stored_timezone: Callable[[], str | None] = lambda: None,
    max_bytes: int = MAX_FILE_BYTES,
    kept: Collection[Path] = (),
    sheet: str | None = None,
    stored_attributes: Callable[[], str | None] = lambda: None,
) -> Batch:
    """Read and validate every file; collect every failure instead of stopping at the first.

    RS files keep one project's rows: --project-id, else the programme settings of this load, else the stored ones.
    Each themes file is the list of one date (`snapshot_of`); lists are written oldest first. "Today" is the
    programme's: in the time zone of this load's settings file, else of the stored settings, else Japan's. A theme
    list is read with the theme attributes this load's settings file declares, else the stored settings.

    With `con` (inside the load's transaction), a lone themes file in UTF-8 is staged by DuckDB in the database
    (kpi.load.staged); when it cannot be accepted that way this raises staged.NotStaged, after which the load
    starts again without `con`. `sheet` (--sheet) names the sheet of every workbook read.
    """
    from kpi.load import staged, validate
    from kpi.load.tables import SPREADSHEETS

    found, skipped = find_files(paths, kind, max_bytes, kept)
    if not found:
        raise InputRejected("load.no_files")
    if sheet is not None and not any(path.suffix.lower() in SPREADSHEETS for path, _ in found):
        raise UsageProblem("load.sheet_without_workbook", sheet=sheet)
    sources: list[SourceFile] = []
    failures: list[Failure] = []
    for path, k in found:  # the settings first: their time zone dates the lists
        if k == "programme":
            try:
                sources.append(read_source(path, k, encoding))
            except InputRejected as exc:
                failures.extend(exc.failures or [Failure(str(path), None, "", None, exc.key, exc.params)])
    timezone = _programme_setting(sources, "timezone") or stored_timezone() or DEFAULT_TIMEZONE
    today = today or today_in(timezone)
    given = any(s.settings is not None for s in sources)
    attributes = settings.stored_attributes(_programme_setting(sources, "attributes") if given else stored_attributes())
    if snapshot is not None and snapshot > today:
        raise UsageProblem("load.snapshot_future", date=snapshot.isoformat())
    dates = {path: snapshot_of(path, snapshot, today) for path, k in found if k == "themes"}
    order = {k: i for i, k in enumerate(KIND_ORDER)}
    found.sort(key=lambda pk: (order.get(pk[1], len(order)), dates.get(pk[0], (dt.date.min, ""))[0]))
    themes_files = [path for path, k in found if k == "themes"]
    fast = con is not None and len(themes_files) == 1 and staged.eligible(themes_files[0], "themes", encoding)
    if progress:
        progress("read")
    for path, k in found:
        try:
            if k == "programme":
                continue  # read above
            if fast and con is not None and path == themes_files[0]:
                source = staged.read(con, path, progress, attributes)
                source.snapshot, source.snapshot_from = dates[path]
                sources.append(source)
            elif k == "rs":
                project_id = project_id or _programme_project_id(sources) or stored_project_id()
                if project_id is None:
                    raise UsageProblem("load.rs_which_project", path=str(path))
                sources.append(read_rs_source(path, project_id, encoding))
            else:
                source = read_source(path, k, encoding, sheet, attributes)
                source.snapshot, source.snapshot_from = dates.get(path, (None, None))
                sources.append(source)
        except InputRejected as exc:
            failures.extend(exc.failures or [Failure(str(path), None, "", None, exc.key, exc.params)])
    if progress:
        progress("check")
    records = validate.validate_sources(sources, failures)
    failures.extend(future_years(sources, records, fiscal_year_of(today)))
    kinds = {str(path): k for path, k in found}
    return Batch(sources, skipped + read_notes(sources, attributes), failures, records, kinds)


# The years a row records as past that cannot be after the current fiscal year: each kind's column and its rule.
PAST_YEARS = {"followups": ("survey_fy", "rule.survey_future"), "schedule": ("actual_fy", "rule.actual_future")}


def future_years(sources: list[SourceFile], records: dict[int, Any], current_fy: int) -> list[Failure]:
    """A row whose year of something done (a follow-up's survey, a schedule's actual year) is after the current
    fiscal year (of the programme's calendar): a year that has not come yet, so mistyped; its value as written."""
    import polars as pl

    failures = []
    for i, frame in records.items():
        source = sources[i]
        if source.kind not in PAST_YEARS or source.frame is None:
            continue
        column, rule = PAST_YEARS[source.kind]
        late = frame.filter(pl.col(column) > current_fy).select("_line")
        written = source.frame.join(late, on="_line").select("_line", column).sort("_line")
        for line, value in written.iter_rows():
            failures.append(Failure(str(source.path), line, column, value, rule, {"fy": current_fy}))
    return failures


def read_notes(sources: list[SourceFile], attributes: tuple[Attribute, ...] = ()) -> list[Skipped]:
    """What the load's output says of how each file was read: the sheet of a workbook of several, a header below
    title rows, the headers ignored, the totals rows left out, and a theme list without the column of an attribute
    the settings declare (its themes then have none: a list that dropped the column by mistake is said)."""
    notes = []
    for source in sources:
        missing = [a.name for a in attributes if source.kind == "themes" and a.name not in source.headers]
        if missing:
            notes.append(Skipped(source.path, "load.note.no_attribute_column", {"names": "、".join(missing)}))
        if source.parts:
            notes.append(
                Skipped(source.path, "load.note.sheets_together", {"n": len(source.parts), "sheet": source.sheet})
            )
        elif source.sheet is not None:
            notes.append(
                Skipped(source.path, "load.note.sheet", {"sheet": source.sheet, "sheets": ", ".join(source.sheets)})
            )
        if source.header_line > 1:
            notes.append(Skipped(source.path, "load.note.header_line", {"line": source.header_line}))
        if source.ignored:
            notes.append(Skipped(source.path, "load.note.ignored", {"headers": source.ignored}))
        if source.totals:
            notes.append(Skipped(source.path, "load.note.totals", {"lines": source.totals}))
    return notes


def sheets_read(failures: list[Failure], sources: list[SourceFile]) -> list[Failure]:
    """For each workbook of several sheets whose rows failed, the line naming the sheet read and the sheets seen
    (as a refusal while it was read names them: kpi.load.tables.naming_sheet)."""
    from kpi.load.tables import SHEET_READ, sheet_read

    named = {f.file for f in failures if f.rule == SHEET_READ}
    return [
        sheet_read(s.path, s.sheet, s.sheets)
        for s in sources
        if s.sheet is not None
        and not s.parts
        and str(s.path) not in named
        and any(f.file == str(s.path) for f in failures)
    ]


def on_its_sheet(failure: Failure, sources: list[SourceFile]) -> Failure:
    """A failure of a row of a file whose sheets were read together, naming the sheet (file [sheet]) and its row."""
    from kpi.load.tables import on_sheet

    source = next((s for s in sources if s.parts and str(s.path) == failure.file), None)
    if source is None or failure.line is None:
        return failure
    sheet, row = on_sheet(failure.line, source.parts)
    return replace(failure, file=f"{failure.file} [{sheet}]", line=row)


def in_own_words(failure: Failure, sources: list[SourceFile]) -> Failure:
    """A failure naming the file's own header for its column (or, for a column the file does not have, such as an
    end year read from the status, the contract's first header), the contract's name in brackets when different."""
    from schemas import KINDS

    source = next((s for s in sources if str(s.path) == failure.file), None)
    header = source.headers.get(failure.column) if source is not None else None
    if header is None and source is not None and source.kind in KINDS:
        spec = source.spec or KINDS[source.kind]
        header = next(iter(spec.COLUMNS.get(failure.column, [])), None)
    if header is None or header == failure.column:
        return failure
    return replace(failure, column=f"{header} [{failure.column}]")


def _programme_project_id(sources: list[SourceFile]) -> int | None:
    value = _programme_setting(sources, "project_id")
    return int(value) if value else None


def _whole(value: str | None) -> int | None:
    return None if value is None else int(value)


def _programme_setting(sources: list[SourceFile], key: str) -> str | None:
    """A setting of the programme file read in this load, if any."""
    return next((s.settings.get(key) for s in sources if s.settings), None)


def _incoming(source: SourceFile, records: Any, loaded_at: dt.datetime | None = None) -> Incoming:
    """What the database writes for one checked file (at `loaded_at`, else now in Japan)."""
    loaded_at = loaded_at or now_in()
    if source.settings is not None:
        return Incoming(source.path, source.kind, source.sha256, loaded_at, settings=source.settings)
    if source.rs is not None:
        rs = source.rs
        tables = (
            {"rs_budget": rs.budget}
            if rs.budget is not None
            else {"rs_indicators": rs.indicators, "rs_values": rs.values}
        )
        return Incoming(source.path, source.kind, source.sha256, loaded_at, tables=tables)
    return Incoming(
        source.path,
        source.kind,
        source.sha256,
        loaded_at,
        tables={source.kind: records},
        snapshot=source.snapshot,
        snapshot_from=source.snapshot_from,
        skipped=source.skipped,
    )


def _checked(con: duckdb.DuckDBPyConnection, batch: Batch) -> list[Incoming]:
    """A batch checked against what is stored, as the files to write; every failure refuses the whole load."""
    from kpi.load import validate
    from kpi.load.tables import SHEET_READ

    failures = batch.failures + validate.check_references(con, batch.sources, batch.records)
    failures = [in_own_words(f, batch.sources) for f in validate.follow_on(failures, batch.sources, batch.kinds)]
    failures += sheets_read(failures, batch.sources)
    failures = [on_its_sheet(f, batch.sources) for f in failures]
    if failures:
        count = sum(f.rule != SHEET_READ for f in failures)  # the lines naming a sheet read are no problem
        raise InputRejected("load.problems", failures, count=count)
    timezone = _programme_setting(batch.sources, "timezone") or stored_setting(con, "timezone") or DEFAULT_TIMEZONE
    loaded_at = now_in(timezone)
    return [_incoming(s, batch.records.get(i), loaded_at) for i, s in enumerate(batch.sources)]


def load_files(con: duckdb.DuckDBPyConnection, batch: Batch, renumbered: str | None = None) -> list[FileResult]:
    """Check a batch against what is stored, then write it in one transaction: all of it, or nothing."""
    return write_sources(con, _checked(con, batch), renumbered)


def load(
    con: duckdb.DuckDBPyConnection,
    paths: list[Path],
    kind: str | None = None,
    encoding: str | None = None,
    project_id: int | None = None,
    snapshot: dt.date | None = None,
    progress: Progress | None = None,
    db: Path | None = None,
    max_bytes: int | None = None,
    guard: Guard | None = None,
    reopen: str | None = None,
    renumbered: str | None = None,
    sheet: str | None = None,
) -> tuple[list[FileResult], list[Skipped]]:
    """`kpi load`: read, check and write every file in one transaction, all of it or nothing; the results and the
    files skipped. `guard` checks the written state before it is committed; `reopen` is kept with the loads when
    the guard says they reopened a closed year. A theme list sharing few IDs with the stored one, or settings of
    another 予算事業ID, are refused unless `renumbered` gives the reason (kept with their loads: kpi.db.write).
    `sheet` (--sheet) is the sheet read of every workbook.

    A lone themes file is staged by DuckDB where it will be stored (kpi.load.staged); if it cannot be accepted
    that way the transaction is rolled back and the load starts again, reading every file the ordinary way.
    With `db` (the file `con` holds), the database as it was is kept in its backups folder before the load commits
    (the newest `backups` of the settings); a load that changes nothing takes no copy.
    """
    from kpi.db import backup
    from kpi.load.staged import NotStaged

    own = store_files(db) if db is not None else []
    keep = int(stored_setting(con, "backups") or DEFAULT_BACKUPS)
    timezone = stored_setting(con, "timezone") or DEFAULT_TIMEZONE
    kept: backup.BeforeLoad | None = None

    def attempt(stage: bool) -> tuple[list[FileResult], list[Skipped]]:
        nonlocal kept
        with transaction(con):
            check = guard(con) if guard is not None else None
            batch = read_files(
                paths,
                kind,
                encoding,
                project_id,
                lambda: _whole(stored_setting(con, "project_id")),
                snapshot,
                con=con if stage else None,
                progress=progress,
                stored_timezone=lambda: stored_setting(con, "timezone"),
                max_bytes=max_bytes or MAX_FILE_BYTES,
                kept=own,
                sheet=sheet,
                stored_attributes=lambda: stored_setting(con, settings.ATTRIBUTES),
            )
            incoming = _checked(con, batch)
            if progress:
                progress("write")
            results = write_checked(con, incoming, renumbered)
            if check is not None and check() and reopen:
                mark_reopened(con, [r.load_id for r in results if r.load_id is not None], reopen)
            if db is not None:
                kept = backup.before_commit(con, db, keep, now_in(timezone))
            return results, batch.skipped

    try:
        try:
            return attempt(stage=True)
        except NotStaged:
            return attempt(stage=False)
    finally:
        if db is not None:
            backup.after_load(con, db, kept, keep)


def undo(
    con: duckdb.DuckDBPyConnection,
    asked: int | None,
    db: Path | None = None,
    guard: Guard | None = None,
    reopen: str | None = None,
) -> Undone:
    """`kpi undo`: revert a load (the one asked, else the latest) as a new load, in one transaction;
    the database as it was is kept in its backups folder first, as before any load."""
    from kpi.db import backup
    from kpi.db.versions import undo_load

    keep = int(stored_setting(con, "backups") or DEFAULT_BACKUPS)
    timezone = stored_setting(con, "timezone") or DEFAULT_TIMEZONE
    kept = backup.before_load(con, db, keep, now_in(timezone)) if db is not None else None
    try:
        with transaction(con):
            check = guard(con) if guard is not None else None
            done = undo_load(con, asked, now_in(timezone))
            if check is not None and check() and reopen:
                mark_reopened(con, [done.load_id], reopen)
            return done
    finally:
        if db is not None:
            backup.after_load(con, db, kept, keep)
