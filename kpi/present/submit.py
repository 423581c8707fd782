"""`kpi export` as a submission: its files and its entry in the register, written together; and the files of a
registered submission written again, byte for byte.

The figures are read on a read-only connection (as known now, or at --known-at); the register's entry is added
on a write connection, in the transaction that writes the files, so that a submission is registered exactly
when its files were written.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import NamedTuple

from kpi import __version__
from kpi.db import submissions as register
from kpi.db.connect import transaction
from kpi.db.known import KnownAt
from kpi.db.store import Store
from kpi.errors import CannotExport, UsageProblem
from kpi.present.catalogue import Lang, Words
from kpi.present.export import Tag, build_files, data_hashes
from kpi.present.files import files_in_place, write_files
from kpi.present.formats import ExportFormat, OutEncoding


class Submitted(NamedTuple):
    """A submission written: its number and stage, and the files."""

    number: int
    stage: str
    written: list[Path]


def submit(
    store: Store,
    words: Words,
    as_of: int | None,
    fmt: ExportFormat,
    encoding: OutEncoding,
    stage: str,
    out: Path,
    force: bool,
    known_at: KnownAt | None = None,
) -> Submitted:
    """Compute the submission, write its files into `out` and register it (number, stage, figures, sha256)."""
    from kpi.figures.report import submission
    from kpi.figures.submissions import figures_of

    with store.reading(known_at) as con:
        content = submission(con, as_of)
        figures = figures_of(con, content.report.as_of_fy)
        load_id = register.current_load(con)
    made_at = dt.datetime.now(dt.UTC).replace(microsecond=0)
    with store.writing() as con:
        number = register.next_id(con)  # (this process holds the database: no other export takes the number)
        files = build_files(content, words, encoding, fmt, Tag(number, stage, made_at, load_id))
        written_as = (str(fmt), str(encoding) if fmt is ExportFormat.csv else None, str(words.lang))
        local = made_at.astimezone(_zone(content.report.programme)).replace(tzinfo=None)
        # The files are written whole first, registered, then renamed into place: a full disk or a signal before
        # the register's COMMIT leaves the folder and the register as they were.
        with files_in_place(out, files, force, store.own_files()) as written, transaction(con, kept="submission.kept"):
            register.add(
                con, number, content.report.as_of_fy, stage, load_id, local, written_as, figures, data_hashes(files)
            )
    return Submitted(number, stage, written)


def _zone(programme: object) -> dt.tzinfo:
    from zoneinfo import ZoneInfo

    from kpi.fiscal import DEFAULT_TIMEZONE

    return ZoneInfo(getattr(programme, "timezone", None) or DEFAULT_TIMEZONE)


def resubmit(store: Store, number: int, out: Path, force: bool) -> Submitted:
    """The files of submission `number` again, as they were registered: computed from the load it was computed
    from, in its format, encoding and language; refused (nothing written) when any file's bytes would differ."""
    from kpi.figures.report import submission

    with store.reading() as con:
        stored = register.get(con, number)
    with store.reading(stored.load_id) as con:
        content = submission(con, stored.as_of_fy)
        programme = content.report.programme
    made_at = stored.made_at.replace(tzinfo=_zone(programme)).astimezone(dt.UTC)
    words = Words(Lang(stored.lang))
    fmt = ExportFormat(stored.format)
    encoding = OutEncoding(stored.encoding) if stored.encoding else OutEncoding.utf_8_sig
    files = build_files(content, words, encoding, fmt, Tag(number, stored.stage, made_at, stored.load_id))
    differ = sorted(n for n, sha in data_hashes(files).items() if stored.files.get(n) != sha)
    if differ or set(stored.files) != set(data_hashes(files)):
        raise CannotExport("submission.not_reproduced", n=number, files=", ".join(differ), version=__version__)
    return Submitted(number, stored.stage, write_files(out, files, force, store.own_files()))


def refuse_with_number(number: int | None, given: dict[str, bool]) -> None:
    """--submission writes a submission as registered: the options that would change it are usage errors."""
    named = [name for name, present in given.items() if present]
    if number is not None and named:
        raise UsageProblem("submission.options_with_number", options=", ".join(named))
