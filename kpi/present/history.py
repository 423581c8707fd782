"""`kpi loads` and `kpi lists`: what is loaded, as a table, CSV for Excel or JSON."""

from __future__ import annotations

from typing import Any

from kpi.db.backup import Copy, Restored
from kpi.figures.history import ListRecord, LoadRecord
from kpi.fiscal import wareki
from kpi.present import json_out, labels
from kpi.present.catalogue import Words
from kpi.present.csvfile import csv_text
from kpi.present.formats import ListingFormat
from kpi.present.tables import table

SHA_SHOWN = 12  # hex digits of a sha256 in the terminal table (CSV and JSON carry all 64)

LOAD_KEYS = (
    "col.load",
    "col.loaded_at",
    "col.file",
    "col.kind",
    "col.snapshot",
    "col.rows",
    "col.inserted",
    "col.updated",
    "col.sha256",
    "col.load_note",
)
LIST_KEYS = ("col.snapshot", "col.themes", "col.load", "col.stands_for")


def _snapshot(record: LoadRecord, words: Words) -> str:
    if record.snapshot is None:
        return ""
    day = record.snapshot.isoformat()
    return words("load.snapshot_today", date=day) if record.snapshot_from == "today" else day


def _load_cells(record: LoadRecord, words: Words, short: bool) -> list[Any]:
    return [
        f"#{record.load_id}",
        record.loaded_at.strftime("%Y-%m-%d %H:%M"),
        record.file_name,
        words(labels.KIND[record.kind]),
        _snapshot(record, words),
        record.rows,
        record.inserted,
        record.updated,
        record.sha256[:SHA_SHOWN] if short else record.sha256,
        _note(record, words),
    ]


def _note(record: LoadRecord, words: Words) -> str:
    """An undo names the load it reverted; a load that reopened a closed year, or was accepted as a renumbering,
    gives its reason."""
    notes = []
    if record.undoes is not None:
        notes.append(words("loads.undoes", load=record.undoes))
    if record.reopened:
        notes.append(words("loads.reopened", reason=record.reopened))
    if record.renumbered:
        notes.append(words("loads.renumbered", reason=record.renumbered))
    return " · ".join(notes)


def _load_json(record: LoadRecord) -> dict[str, Any]:
    return {
        "load": record.load_id,
        "loaded_at": record.loaded_at.isoformat(timespec="seconds"),
        "file": record.file_name,
        "sha256": record.sha256,
        "kind": record.kind,
        "rows": record.rows,
        "inserted": record.inserted,
        "updated": record.updated,
        "snapshot": record.snapshot.isoformat() if record.snapshot else None,
        "snapshot_from": record.snapshot_from,
        "undoes": record.undoes,
        "reopened": record.reopened,
        "renumbered": record.renumbered,
    }


def render_loads(records: list[LoadRecord], fmt: ListingFormat, words: Words) -> str:
    """Every load: number, time, file, kind, the list date of a themes file, rows, inserted, updated, sha256."""
    if fmt is ListingFormat.json:
        return json_out.dumps([_load_json(r) for r in records])
    headers = [words(k) for k in LOAD_KEYS]
    if fmt is ListingFormat.csv:
        return csv_text([headers, *(_load_cells(r, words, short=False) for r in records)])
    if not records:
        return words("loads.none") + "\n"
    return table(headers, [_load_cells(r, words, short=True) for r in records]) + "\n"


def stands_for(record: ListRecord, words: Words) -> str:
    """The fiscal years whose figures read a list, in words."""
    if record.first_fy is None:
        text = words("lists.superseded")
    elif record.last_fy is None:
        text = words("lists.years_onwards", first=record.first_fy, wareki=wareki(record.first_fy))
    elif record.first_fy == record.last_fy:
        text = words("lists.year", fy=record.first_fy, wareki=wareki(record.first_fy))
    else:
        text = words("lists.years", first=record.first_fy, last=record.last_fy)
    return text + (words("lists.stands_in") if record.stands_in else "")


def _list_json(record: ListRecord) -> dict[str, Any]:
    return {
        "snapshot": record.snapshot.isoformat(),
        "themes": record.themes,
        "load": record.load_id,
        "first_fy": record.first_fy,
        "last_fy": record.last_fy,
        "stands_in_for_earlier_years": record.stands_in,
    }


def render_lists(records: list[ListRecord], fmt: ListingFormat, words: Words) -> str:
    """Every dated theme list: its date, its themes, the load that wrote it, the years it stands for."""
    if fmt is ListingFormat.json:
        return json_out.dumps([_list_json(r) for r in records])
    headers = [words(k) for k in LIST_KEYS]
    cells = [[r.snapshot.isoformat(), r.themes, f"#{r.load_id}", stands_for(r, words)] for r in records]
    if fmt is ListingFormat.csv:
        return csv_text([headers, *cells])
    if not records:
        return words("lists.none") + "\n"
    return table(headers, cells) + "\n"


def backup_line(copy: Copy, words: Words) -> str:
    """What `kpi backup` made."""
    return words("backup.wrote", path=copy.path, size=f"{copy.size:,}", loads=copy.loads)


def restored_line(done: Restored, words: Words) -> str:
    """What `kpi restore` did, and where the replaced file was kept."""
    aside = words("restore.aside", aside=done.kept_aside) if done.kept_aside else ""
    return words("restore.done", db=done.db, backup=done.backup, aside_text=aside)
