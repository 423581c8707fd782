"""`kpi loads` and `kpi lists`: what is loaded, as a table, CSV for Excel or JSON."""

from __future__ import annotations

from typing import Any

from kpi.db.backup import Copy, Restored
from kpi.figures.history import ListRecord, LoadRecord
from kpi.fiscal import wareki
from kpi.present import labels
from kpi.present.catalogue import Words
from kpi.present.formats import Format
from kpi.present.tables import Column, Table, emit

SHA_SHOWN = 12  # hex digits of a sha256 in the terminal table (CSV and JSON carry all 64)


def _snapshot(record: LoadRecord, words: Words) -> str:
    if record.snapshot is None:
        return ""
    day = record.snapshot.isoformat()
    return words("load.snapshot_today", date=day) if record.snapshot_from == "today" else day


def load_table(records: list[LoadRecord], words: Words) -> Table:
    """Every load: number, time, file, kind, the list date of a themes file, rows, inserted, updated, sha256 (cut
    short as text), what it undid or why it reopened a year."""
    columns = [
        Column(words("col.load"), lambda r: f"#{r.load_id}"),
        Column(words("col.loaded_at"), lambda r: r.loaded_at.strftime("%Y-%m-%d %H:%M")),
        Column(words("col.file"), lambda r: r.file_name),
        Column(words("col.kind"), lambda r: words(labels.KIND[r.kind])),
        Column(words("col.snapshot"), lambda r: _snapshot(r, words)),
        Column(words("col.rows"), lambda r: r.rows, "count"),
        Column(words("col.inserted"), lambda r: r.inserted, "count"),
        Column(words("col.updated"), lambda r: r.updated, "count"),
        Column(words("col.sha256"), lambda r: r.sha256, text=lambda r: r.sha256[:SHA_SHOWN]),
        Column(words("col.load_note"), lambda r: _note(r, words)),
    ]
    return Table.of("loads", columns, records)


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


def render_loads(records: list[LoadRecord], fmt: Format, words: Words) -> str | bytes:
    """`kpi loads` in a format."""
    return emit(load_table(records, words), fmt, json=[_load_json(r) for r in records], empty=words("loads.none"))


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


def list_table(records: list[ListRecord], words: Words) -> Table:
    """Every dated theme list: its date, its themes, the load that wrote it, the years it stands for."""
    columns = [
        Column(words("col.snapshot"), lambda r: r.snapshot.isoformat()),
        Column(words("col.themes"), lambda r: r.themes, "count"),
        Column(words("col.load"), lambda r: f"#{r.load_id}"),
        Column(words("col.stands_for"), lambda r: stands_for(r, words)),
    ]
    return Table.of("lists", columns, records)


def render_lists(records: list[ListRecord], fmt: Format, words: Words) -> str | bytes:
    """`kpi lists` in a format."""
    return emit(list_table(records, words), fmt, json=[_list_json(r) for r in records], empty=words("lists.none"))


def backup_line(copy: Copy, words: Words) -> str:
    """What `kpi backup` made."""
    return words("backup.wrote", path=copy.path, size=f"{copy.size:,}", loads=copy.loads)


def restored_line(done: Restored, words: Words) -> str:
    """What `kpi restore` did, and where the replaced file was kept."""
    aside = words("restore.aside", aside=done.kept_aside) if done.kept_aside else ""
    return words("restore.done", db=done.db, backup=done.backup, aside_text=aside)
