"""`kpi export` as a submission: its files and its entry in the register, written together; and the files of a
registered submission written again, byte for byte.

The figures are read, the files written whole under temporary names and the register's entry added in one
transaction of the write connection, so that no load can change the figures between their reading and their
recording; the files are renamed into place once it is committed. Whatever fails after that COMMIT is said with
the submission it recorded: running the export again would record a second one.
"""

from __future__ import annotations

import datetime as dt
import shlex
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from kpi import __version__
from kpi.db import submissions as register
from kpi.db.connect import transaction
from kpi.db.gate import files_in_place, write_files
from kpi.db.known import KnownAt
from kpi.db.store import Store
from kpi.errors import DISK_FULL, NOT_PERMITTED, CannotCreate, CannotExport, CannotWrite, KpiError, UsageProblem
from kpi.fiscal import current_fy
from kpi.present import labels
from kpi.present.catalogue import Lang, Words
from kpi.present.export import CONFIDENTIAL_CSV, Tag, build_files, data_hashes, submission_title, zone_of
from kpi.present.formats import Format, OutEncoding

if TYPE_CHECKING:
    import duckdb

    from kpi.figures.report import Submission


class Submitted(NamedTuple):
    """A submission written: its number and stage, the files, and the fiscal year it is of."""

    number: int
    stage: str
    written: list[Path]
    as_of_fy: int


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
    confidential: bool = False,
) -> Submitted:
    """Compute the submission for fiscal year `as_of` (which must be named), write its files into `out` and register
    it (number, stage, figures, sha256); a final one only for a year that has ended in the programme's calendar;
    with `confidential`, the survey answers with their sales too."""
    from kpi.figures.programme import require_data
    from kpi.figures.submissions import require_ended

    if as_of is None:  # the year a submission is of is named, never today's by default: FY2026 is not FY2025
        now = current_fy()
        raise UsageProblem("submission.as_of_required", last=now - 1, now=now)
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
                    content, figures, load_id = _read(con, as_of, known_at, confidential)
                    number = register.next_id(con)  # (this process holds the database: no other takes the number)
                    made_at = made_at.astimezone(zone_of(content.report.programme))  # (the manifest says +09:00)
                    files = build_files(content, words, encoding, fmt, Tag(number, stage, made_at, load_id))
                    written_as = (str(fmt), str(encoding) if fmt is Format.csv else None, str(words.lang))
                    local = made_at.replace(tzinfo=None)  # (the register keeps the programme's calendar's time)
                    written = placing.enter_context(files_in_place(out, files, force))
                    fy, hashes = content.report.as_of_fy, data_hashes(files)
                    register.add(con, number, fy, stage, load_id, local, written_as, figures, hashes, __version__)
                recorded = Submitted(number, stage, written, fy)
            placed = True
    except Exception as exc:
        if recorded is None:
            raise
        raise after_recording(exc, recorded, store.path, out, placed, words) from exc
    return recorded


def _read(
    con: duckdb.DuckDBPyConnection, as_of: int | None, known_at: KnownAt | None, confidential: bool = False
) -> tuple[Submission, dict[str, Any], int]:
    """The submission's content, figures and load, read in the transaction that records it (as known at
    `known_at`: the connection is shown the current rows again before the register is written)."""
    from kpi.db import versions
    from kpi.figures.report import submission
    from kpi.figures.submissions import figures_of

    if known_at is not None:
        versions.show_as_of(con, versions.resolve(con, known_at))
    try:
        content = submission(con, as_of, confidential)
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


def resubmit(store: Store, number: int, out: Path, force: bool, confidential: bool = False) -> Submitted:
    """The files of submission `number` again, as they were registered: computed from the load it was computed
    from, in its format, encoding and language (and with its confidential answers when it has their file, or when
    asked); refused (nothing written) when any file's bytes would differ."""
    from kpi.figures.report import submission

    with store.reading() as con:
        stored = register.get(con, number)
        version = register.made_with(con, number)
    with store.reading(stored.load_id) as con:
        confidential = confidential or CONFIDENTIAL_CSV in stored.files
        content = submission(con, stored.as_of_fy, confidential)
        programme = content.report.programme
    made_at = stored.made_at.replace(tzinfo=zone_of(programme))
    words = Words(Lang(stored.lang))
    fmt = Format(stored.format)
    encoding = OutEncoding(stored.encoding) if stored.encoding else OutEncoding.utf_8_sig
    files = build_files(content, words, encoding, fmt, Tag(number, stored.stage, made_at, stored.load_id))
    hashes = data_hashes(files)
    differ = sorted({n for n, sha in hashes.items() if stored.files.get(n) != sha} | (set(stored.files) ^ set(hashes)))
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
    return Submitted(number, stored.stage, write_files(out, files, force), stored.as_of_fy)


def year_line(done: Submitted, out: Path, words: Words) -> str:
    """The first line `kpi export` says: the fiscal year the files are of (西暦 and 和暦), their stage, the folder."""
    return words("submission.year_line", title=submission_title(done.as_of_fy, done.stage, words), folder=str(out))


def refuse_with_number(number: int | None, given: dict[str, bool]) -> None:
    """--submission writes a submission as registered: the options that would change it are usage errors."""
    named = [name for name, present in given.items() if present]
    if number is not None and named:
        raise UsageProblem("submission.options_with_number", options=", ".join(named))
