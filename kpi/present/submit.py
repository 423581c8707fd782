"""`kpi export` as a submission: its files and its entry in the register, written together; and the files of a
registered submission written again, byte for byte.

The figures are read, the files written whole under temporary names and the register's entry added in one
transaction of the write connection, so that no load can change the figures between their reading and their
recording; the files are renamed into place once it is committed. Whatever fails after that COMMIT is said with
the submission it recorded: running the export again would record a second one.

The confidential answers (per-theme sales, `--confidential FILE`) are never a submission's: they are written to the
file named for them, which may not be in the submission's folder, are not in its manifest nor in the register, and
are read in the same transaction as the submission's figures so that both say the same.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import shlex
import stat
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from kpi import __version__
from kpi.db import submissions as register
from kpi.db.connect import transaction
from kpi.db.gate import canonical, files_in_place, refuse
from kpi.db.known import KnownAt
from kpi.db.store import Store
from kpi.errors import DISK_FULL, NOT_PERMITTED, CannotCreate, CannotExport, CannotWrite, KpiError, UsageProblem
from kpi.fiscal import current_fy
from kpi.present import labels
from kpi.present.catalogue import Lang, Words
from kpi.present.export import (
    CONFIDENTIAL_CSV,
    Tag,
    build_files,
    confidential_file,
    confidential_format,
    confidential_notices,
    confidential_sheet,
    data_hashes,
    submission_manifest,
    submission_title,
    zone_of,
)
from kpi.present.formats import Format, OutEncoding, named_format

if TYPE_CHECKING:
    import duckdb

    from kpi.figures.report import Submission


class Submitted(NamedTuple):
    """A submission written: its number and stage, the files, and the fiscal year it is of; the confidential
    answers written apart (not the submission's), and a registered file no longer written into its folder."""

    number: int
    stage: str
    written: list[Path]
    as_of_fy: int
    confidential: Path | None = None
    set_apart: tuple[str, ...] = ()


def apart(out: Path, confidential: Path | None, force: bool) -> None:
    """Refuse (exit 2, before anything is read or written) a submission's folder that already holds a confidential
    file kpi wrote (see swept); and a confidential file that is not .csv or .xlsx, that would be written in the
    submission's folder or below it, or in another folder that holds a submission (its manifest), or that the gate
    refuses (an existing one without --force, a database, a folder)."""
    if (found := swept(out)) is not None:
        raise UsageProblem("submission.confidential_swept", path=str(found), folder=str(out))
    if confidential is None:
        return
    confidential_format(confidential)
    folder, path = canonical(out).resolve(), canonical(confidential)
    if folder == path or folder in path.parents:
        raise UsageProblem("submission.confidential_inside", path=str(confidential), folder=str(out))
    for up, parent in enumerate(path.parents):
        if (manifest := submission_manifest(parent)) is None:
            continue
        named = confidential.parents[up] if up < len(confidential.parents) else parent
        holder = parent if str(named) == "." else named  # (as named, but the working folder by its name)
        said = {"path": str(confidential), "folder": str(holder)}
        tag = manifest.get("submission")
        if isinstance(tag, dict) and isinstance(number := tag.get("number"), int):
            raise UsageProblem("submission.confidential_in_another", **said, n=number)
        raise UsageProblem("submission.confidential_in_another_folder", **said)
    refuse(confidential, force)


def swept(out: Path) -> Path | None:
    """The first confidential file kpi wrote in `out` or a folder below it, which a submission written there would
    carry: a .csv whose first line, or an .xlsx whose first sheet's first row, is kpi's confidential notice (in
    either language, in any encoding kpi writes). Only the names in the folder's tree are looked at, and only the
    first line (or row) of the .csv and .xlsx files among them."""
    notices = confidential_notices()
    for top, folders, names in os.walk(out):  # (a missing folder holds nothing; links to folders are not followed)
        folders.sort()
        for name in sorted(names):
            fmt = named_format(name)
            path = Path(top) / name
            if fmt in (Format.csv, Format.xlsx) and _regular(path) and _first_cell(path, fmt) in notices:
                return path
    return None


def _regular(path: Path) -> bool:
    """Whether a name is a regular file (through a link): a FIFO or a device is never opened, since opening a FIFO
    waits for a writer."""
    try:
        return stat.S_ISREG(path.stat().st_mode)
    except OSError:
        return False


NOTICE_ROOM = 4096  # bytes: the notice's first line is well within them (~400 in UTF-8)


def _first_cell(path: Path, fmt: Format) -> str | None:
    """The first cell of a .csv file's first line (UTF-8, with or without BOM, or CP932) or of an .xlsx
    workbook's first sheet, or None when the file cannot be read as one."""
    if fmt is Format.xlsx:
        return _first_cell_of_workbook(path)
    try:
        with path.open("rb") as f:
            head = f.read(NOTICE_ROOM)
    except OSError:
        return None
    line = head.split(b"\n", 1)[0].rstrip(b"\r")  # (no byte of a CP932 character is a line feed)
    for encoding in ("utf-8-sig", "cp932"):
        try:
            return next(csv.reader([line.decode(encoding)]), [None])[0]
        except (UnicodeDecodeError, csv.Error, IndexError):
            continue
    return None


def _first_cell_of_workbook(path: Path) -> str | None:
    """The first cell of an .xlsx workbook's first sheet (read-only: nothing but that row is read)."""
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True)
    except Exception:  # (not a workbook: openpyxl raises many types for a file it cannot read)
        return None
    try:
        row = next(book.worksheets[0].iter_rows(max_row=1, values_only=True), ()) if book.worksheets else ()
        return row[0] if row and isinstance(row[0], str) else None
    except Exception:
        return None
    finally:
        book.close()


def _place_apart(placing: ExitStack, path: Path | None, data: bytes | None, force: bool) -> Path | None:
    """The confidential file written under a temporary name beside its place, renamed into it with the submission's
    files (kpi.db.gate.files_in_place)."""
    if path is None or data is None:
        return None
    placing.enter_context(files_in_place(canonical(path).parent, {path.name: data}, force))
    return path


def submit(
    store: Store,
    words: Words,
    as_of: int | None,
    fmt: Format,
    encoding: OutEncoding,
    stage: str,
    out: Path,
    force: bool,
    known_at: KnownAt | None = None,
    confidential: Path | None = None,
    by: str | None = None,
) -> Submitted:
    """Compute the submission for fiscal year `as_of` (which must be named), write its files into `out` and register
    it (number, stage, figures, sha256); a final one only for a year that has ended in the programme's calendar;
    with `confidential`, the survey answers with their sales to that file, apart (see apart)."""
    from kpi.figures.programme import require_data
    from kpi.figures.submissions import require_ended

    if as_of is None:  # the year a submission is of is named, never today's by default: FY2026 is not FY2025
        now = current_fy()
        raise UsageProblem("submission.as_of_required", last=now - 1, now=now)
    apart(out, confidential, force)
    with store.reading() as con:  # a missing or empty database is refused as by every reading command, not created
        require_data(con)
        require_ended(con, as_of, stage)
    made_at = dt.datetime.now(dt.UTC).replace(microsecond=0)
    recorded: Submitted | None = None
    placed = False
    try:
        with store.writing() as con:
            with ExitStack() as placing:  # left after the COMMIT: only then are the files renamed into place
                with transaction(con, kept="submission.kept"):
                    content, figures, load_id = _read(con, as_of, known_at, confidential is not None, by)
                    number = register.next_id(con)  # (this process holds the database: no other takes the number)
                    made_at = made_at.astimezone(zone_of(content.report.programme))  # (the manifest says +09:00)
                    files = build_files(content, words, encoding, fmt, Tag(number, stage, made_at, load_id))
                    written_as = (str(fmt), str(encoding) if fmt is Format.csv else None, str(words.lang))
                    local = made_at.replace(tzinfo=None)  # (the register keeps the programme's calendar's time)
                    written = placing.enter_context(files_in_place(out, files, force))
                    secret = _secret(content, words, encoding, confidential)
                    kept = _place_apart(placing, confidential, secret, force)
                    fy, hashes = content.report.as_of_fy, data_hashes(files)
                    grouped = content.breakdown.grouping.by if content.breakdown else None
                    register.add(
                        con, number, fy, stage, load_id, local, written_as, figures, hashes, __version__, grouped
                    )
                recorded = Submitted(number, stage, written, fy, kept)
            placed = True
    except Exception as exc:
        if recorded is None:
            raise
        raise after_recording(exc, recorded, store.path, out, placed, words) from exc
    return recorded


def _secret(content: Submission, words: Words, encoding: OutEncoding, path: Path | None) -> bytes | None:
    """The confidential answers' file for `path` (in the format its name says), or None when none is asked."""
    if path is None:
        return None
    return confidential_file(content.answers or [], words, encoding, confidential_format(path))


def _read(
    con: duckdb.DuckDBPyConnection,
    as_of: int | None,
    known_at: KnownAt | None,
    confidential: bool = False,
    by: str | None = None,
) -> tuple[Submission, dict[str, Any], int]:
    """The submission's content, figures and load, read in the transaction that records it (as known at
    `known_at`: the connection is shown the current rows again before the register is written)."""
    from kpi.db import versions
    from kpi.figures.report import submission
    from kpi.figures.submissions import figures_of

    if known_at is not None:
        versions.show_as_of(con, versions.resolve(con, known_at))
    try:
        content = submission(con, as_of, confidential, by)
        return content, figures_of(con, content.report.as_of_fy), register.current_load(con)
    finally:
        if known_at is not None:
            versions.show_current(con)


def after_recording(exc: Exception, recorded: Submitted, db: Path, out: Path, placed: bool, words: Words) -> KpiError:
    """An error after the submission's COMMIT, said with what was recorded and written (exporting again would
    record a second submission): its files not put in place, or the database not written afterwards."""
    said = {"n": recorded.number, "stage": words(labels.STAGE[recorded.stage]), "folder": str(out)}
    if placed and isinstance(exc, CannotWrite) and exc.key == "io.disk_full":
        return CannotWrite(
            "submission.recorded_disk_full", **said, count=len(recorded.written), path=exc.params["path"]
        )
    kind: type[KpiError] = type(exc) if isinstance(exc, KpiError) else KpiError
    if isinstance(exc, OSError):
        kind = CannotCreate if exc.errno in NOT_PERMITTED else CannotWrite
    if not placed:
        again = f"kpi export --db {shlex.quote(str(db))} --submission {recorded.number} --out {shlex.quote(str(out))}"
        return kind("submission.recorded_not_placed", **said, detail=_detail(exc, words), command=f"{again} --force")
    return kind("submission.recorded_then_failed", **said, count=len(recorded.written), detail=_detail(exc, words))


def _detail(exc: Exception, words: Words) -> str:
    """What failed, without what kpi's own message for it adds (what was kept, to run the command again)."""
    from kpi.present.messages import error_text

    if isinstance(exc, CannotWrite) and exc.key in ("io.disk_full", "io.write_failed"):
        if exc.key == "io.disk_full":
            return words("submission.disk_full_detail", path=exc.params["path"])
        return f"{exc.params['path']}: {exc.params['detail']}"
    if isinstance(exc, OSError):
        if exc.errno in DISK_FULL:
            return words("submission.disk_full_detail", path=exc.filename)
        return f"{exc.filename}: {exc.strerror}"
    return error_text(exc, words) if isinstance(exc, KpiError) else f"{type(exc).__name__}: {exc}"


def resubmit(store: Store, number: int, out: Path, force: bool, confidential: Path | None = None) -> Submitted:
    """The files of submission `number` again, as they were registered: computed from the load it was computed
    from, in its format, encoding and language; refused (nothing written) when any file's bytes would differ.

    The confidential answers are written only when asked, to their own file (see apart), as of that load. A
    submission registered when they were one of its files (CONFIDENTIAL_CSV, before kpi wrote them apart) is
    written again without them, its other files checked as ever; to the file asked for, they are checked against
    the bytes the register kept when that file is a CSV. A workbook registered with them as its last sheet
    cannot be written again without them: refused, saying so (see _had_answers_sheet)."""
    from kpi.figures.report import submission

    apart(out, confidential, force)
    with store.reading() as con:
        stored = register.get(con, number)
        version = register.made_with(con, number)
        by = register.grouped_by(con, number)
    with store.reading(stored.load_id) as con:
        content = submission(con, stored.as_of_fy, confidential is not None, by)
        programme = content.report.programme
    made_at = stored.made_at.replace(tzinfo=zone_of(programme))
    words = Words(Lang(stored.lang))
    fmt = Format(stored.format)
    encoding = OutEncoding(stored.encoding) if stored.encoding else OutEncoding.utf_8_sig
    files = build_files(content, words, encoding, fmt, Tag(number, stored.stage, made_at, stored.load_id))
    hashes = data_hashes(files)
    registered = {n: sha for n, sha in stored.files.items() if n != CONFIDENTIAL_CSV}
    secret = _secret(content, words, encoding, confidential)
    legacy = CONFIDENTIAL_CSV in stored.files  # (registered as one of its files: its bytes are known)
    if confidential is not None and secret is not None and legacy and confidential_format(confidential) is Format.csv:
        registered[CONFIDENTIAL_CSV], hashes[CONFIDENTIAL_CSV] = stored.files[CONFIDENTIAL_CSV], _sha(secret)
    differ = sorted({n for n, sha in hashes.items() if registered.get(n) != sha} | (set(registered) ^ set(hashes)))
    if (
        differ
        and fmt is Format.xlsx
        and _had_answers_sheet(store, stored, words, Tag(number, stored.stage, made_at, stored.load_id))
    ):
        raise CannotExport(
            "submission.not_reproduced_answers_sheet",
            n=number,
            files=", ".join(differ),
            sheet=confidential_sheet(words),
            fy=stored.as_of_fy,
            stage=stored.stage,
        )
    if differ and version is not None and version != __version__:
        raise CannotExport(
            "submission.not_reproduced_version",
            n=number,
            files=", ".join(differ),
            recorded=version,
            version=__version__,
        )
    if differ:
        raise CannotExport("submission.not_reproduced", n=number, files=", ".join(differ))
    set_apart = (CONFIDENTIAL_CSV,) if legacy else ()
    with ExitStack() as placing:
        written = placing.enter_context(files_in_place(out, files, force))
        kept = _place_apart(placing, confidential, secret, force)
    return Submitted(number, stored.stage, written, stored.as_of_fy, kept, set_apart)


def _had_answers_sheet(store: Store, stored: register.Stored, words: Words, tag: Tag) -> bool:
    """Whether a workbook registered with a submission held the confidential answers as its last sheet, as kpi
    wrote them before they were written apart: the workbook made again with that sheet has the registered bytes."""
    from kpi.figures.report import submission

    with store.reading(stored.load_id) as con:
        content = submission(con, stored.as_of_fy, confidential=True)
    files = build_files(content, words, OutEncoding.utf_8_sig, Format.xlsx, tag, answers_sheet=True)
    return data_hashes(files) == stored.files


def _sha(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()


def apart_lines(done: Submitted, words: Words) -> list[str]:
    """What `kpi export` says of the confidential answers: where they were written, apart from the submission, or
    that a submission registered with them among its files was written again without them."""
    lines = [words("submission.confidential_wrote", path=str(done.confidential))] if done.confidential else []
    if done.set_apart and done.confidential is None:
        lines.append(words("submission.confidential_set_apart", n=done.number, files=", ".join(done.set_apart)))
    return lines


def year_line(done: Submitted, out: Path, words: Words) -> str:
    """The first line `kpi export` says: the fiscal year the files are of (西暦 and 和暦), their stage, the folder."""
    return words("submission.year_line", title=submission_title(done.as_of_fy, done.stage, words), folder=str(out))


def refuse_with_number(number: int | None, given: dict[str, bool]) -> None:
    """--submission writes a submission as registered: the options that would change it are usage errors."""
    named = [name for name, present in given.items() if present]
    if number is not None and named:
        raise UsageProblem("submission.options_with_number", options=", ".join(named))
