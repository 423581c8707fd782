"""`kpi loads`, `kpi loads show N` and `kpi lists`: what is loaded and what one load changed, as a table, CSV for
Excel or JSON."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from kpi.db.backup import Copy, Restored
from kpi.figures.history import WITHHELD, ListRecord, LoadChanges, LoadRecord, RowChange
from kpi.figures.lists import NO_LIST
from kpi.fiscal import DEFAULT_TIMEZONE, fiscal_year_of, machine_time, shown_time, wareki
from kpi.present import labels
from kpi.present.catalogue import Lang, Words
from kpi.present.changes import cell_text, changes_record, kpi_table, status, title
from kpi.present.formats import Format
from kpi.present.tables import TEXT, Column, Table, block, emit, heading, is_text, text

SHA_SHOWN = 12  # hex digits of a sha256 in the terminal table (CSV and JSON carry all 64)
ROWS_SHOWN = 1000  # rows of `kpi loads show` as text (a first list of 1,000,000 themes: CSV and JSON carry all)


def _snapshot(record: LoadRecord, words: Words) -> str:
    if record.snapshot is None:
        return ""
    day = record.snapshot.isoformat()
    return words("load.snapshot_today", date=day) if record.snapshot_from == "today" else day


def load_table(records: list[LoadRecord], words: Words, timezone: str = DEFAULT_TIMEZONE) -> Table:
    """Every load: number, time, file, kind, the list date of a themes file, rows, inserted, updated, sha256 (cut
    short as text), what it undid or why it reopened a year."""
    columns = [
        Column(words("col.load"), lambda r: f"#{r.load_id}"),
        Column(words("col.loaded_at"), lambda r: shown_time(r.loaded_at, timezone)),
        Column(words("col.file"), lambda r: r.file_name, TEXT),
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


def _load_json(record: LoadRecord, timezone: str = DEFAULT_TIMEZONE) -> dict[str, Any]:
    return {
        "load": record.load_id,
        "loaded_at": machine_time(record.loaded_at, timezone),
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


def render_loads(records: list[LoadRecord], fmt: Format, words: Words, timezone: str = DEFAULT_TIMEZONE) -> str | bytes:
    """`kpi loads` in a format, its times in the programme's calendar (`timezone`)."""
    json = [_load_json(r, timezone) for r in records]
    return emit(load_table(records, words, timezone), fmt, json=json, empty=words("loads.none"))


# What happened to a row a load changed (kpi.figures.history.RowChange.change).
CHANGE = {
    "added": "loads.change_added",
    "changed": "loads.change_changed",
    "missing": "loads.change_missing",
    "removed": "loads.change_removed",
}


def _plain(value: object) -> object:
    """A stored value as the user wrote it: an amount without trailing zeros, a date in ISO form."""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral_value() else format(value, "f").rstrip("0")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _shown(row: RowChange, value: object, words: Words) -> str:
    """A changed value as the lists and files show it: a theme's status and item, and a reason (a theme list's or a
    survey answer's) by their names, none as —."""
    if value is None:
        return "—"
    if value is WITHHELD:
        return words("effects.withheld")
    if row.kind == "themes" and row.column == "status":
        return status(str(value), words)
    if row.kind == "themes" or row.column == "reason_code":
        return cell_text(row.column, str(value), words)
    return str(_plain(value))


def _kind(kind: str, words: Words) -> str:
    """A kind of row by its name (the RS tables by their own: rs_budget, rs_indicators, rs_values)."""
    return words(labels.KIND[kind]) if kind in labels.KIND else kind


# Stored columns no input header names, by their label.
STORED_ONLY = {("evaluation", "position"): "col.file_order", ("programme", "value"): "col.value"}


def header(kind: str, column: str, words: Words) -> str:
    """A stored column by the header of its kind's input contract in the user's language (Japanese: the first
    Japanese header the load accepts, 段階; English: the contract's own name, stage); a theme's field by its label;
    a column no contract has (the RS tables, the programme's settings, a theme attribute) as it is stored."""
    if kind == "themes" and column in labels.FIELD:
        return labels.field(column, words)
    if (kind, column) in STORED_ONLY:
        return words(STORED_ONLY[kind, column])
    if words.lang != Lang.ja:
        return column
    from schemas import KINDS

    spec = KINDS.get(kind)
    headers = spec.COLUMNS.get(column, []) if spec is not None else []
    return headers[0] if headers else column


def _key(row: RowChange, words: Words) -> str:
    """A changed row's key, each of its columns by its header (テーマID=T1-004, 調査年度=2026); a key of one column
    by its value."""
    if len(row.keyed) < 2:
        return row.key
    return ", ".join(
        f"{header(row.kind, column, words)}={_key_value(row.kind, column, value, words)}" for column, value in row.keyed
    )


def _key_value(kind: str, column: str, value: object, words: Words) -> object:
    """A key's value as the files write it: a schedule's event by its word (ステージゲート), any other as stored."""
    if (kind, column) == ("schedule", "event") and value in labels.SCHEDULE_EVENT:
        return words(labels.SCHEDULE_EVENT[str(value)])
    return value


def row_change_table(changes: LoadChanges, words: Words, limit: int | None = None) -> Table:
    """The rows a load changed (the first `limit`): kind, key, what happened, the column, before and after; the
    columns by the headers of the input contract in the user's language (JSON keeps the stored names)."""
    columns = [
        Column(words("col.kind"), lambda r: _kind(r.kind, words)),
        Column(words("col.key"), lambda r: _key(r, words)),
        Column(words("col.change"), lambda r: words(CHANGE[r.change])),
        Column(words("col.column"), lambda r: header(r.kind, r.column, words)),
        Column(words("col.before"), lambda r: _shown(r, r.before, words)),
        Column(words("col.after"), lambda r: _shown(r, r.after, words)),
    ]
    return Table.of("load_changes", columns, changes.rows[:limit])


def _load_heading(record: LoadRecord, words: Words, timezone: str) -> str:
    """The load: its number, file, kind (and list date), time, and what it undid or why it reopened a year."""
    kind = words(labels.KIND[record.kind])
    day = _snapshot(record, words)
    return words(
        "loads.show_heading",
        load=record.load_id,
        file=record.file_name,
        kind=f"{kind} {day}".strip(),
        at=shown_time(record.loaded_at, timezone),
    ) + (f" · {_note(record, words)}" if _note(record, words) else "")


def _json_value(value: object) -> object:
    """A changed value in JSON: an amount as a number, a date in ISO form, a confidential one as "withheld"."""
    if value is WITHHELD:
        return "withheld"
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return _plain(value)


def render_load_changes(
    changes: LoadChanges, fmt: Format, words: Words, timezone: str = DEFAULT_TIMEZONE
) -> str | bytes:
    """`kpi loads show N` in a format: the load (its time in the programme's calendar), the rows it changed, and
    for a theme list the KPIs before and after."""
    if not is_text(fmt):
        table = row_change_table(changes, words)
        rows = [  # the stored names of the kind, key and column (the table and CSV show the contract's headers)
            {**r._asdict(), "before": _json_value(r.before), "after": _json_value(r.after)} for r in changes.rows
        ]
        for row in rows:
            del row["keyed"]
        themes = changes_record(changes.themes) if changes.themes else None
        return emit(table, fmt, json={"load": _load_json(changes.record, timezone), "changes": rows, "themes": themes})
    out = [_load_heading(changes.record, words, timezone)]
    if changes.themes is not None:
        out.append(title(changes.themes, words))
    table = row_change_table(changes, words, ROWS_SHOWN)
    more = len(changes.rows) - len(table.rows)
    cut = [words("loads.more_rows", n=f"{more:,}")] if more > 0 else []
    title_line = words("loads.changed_rows", n=len(changes.rows))
    out += ["", *block(title_line, table, fmt, words("loads.nothing_changed"), *cut)]
    if changes.themes is not None and changes.themes.before.list_id != NO_LIST:
        out += [heading(words("changes.kpis"), fmt), text(kpi_table(changes.themes, words), fmt)]
    return "\n".join(out).rstrip() + "\n"


def stands_for(record: ListRecord, words: Words) -> str:
    """The fiscal years whose figures read a list, in words."""
    if record.first_fy is None and record.stands_in:  # (one sentence, not two parentheses run together)
        return words("lists.superseded_stands_in", fy=fiscal_year_of(record.snapshot))
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
