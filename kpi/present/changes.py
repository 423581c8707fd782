"""`kpi changes`: what moved between two theme lists, as tables (text or markdown) or JSON."""

from __future__ import annotations

import datetime as dt
from typing import Any, NamedTuple

from kpi.figures.changes import Changes
from kpi.figures.kpis import Kpi
from kpi.figures.lists import NO_LIST
from kpi.figures.status import ThemeRow
from kpi.present import labels, rows
from kpi.present.catalogue import Words
from kpi.present.effects import REASON
from kpi.present.formats import Format
from kpi.present.json_out import dumps, kpi_json
from kpi.present.numbers import number, percent
from kpi.present.tables import TEXT, Column, Table, block, heading, is_text, text


def _theme_columns(words: Words) -> list[Column]:
    """The columns every table of changed themes starts with; `theme` gives the theme of a row."""
    return [
        Column(words("col.theme_id"), lambda r: r.theme.theme_id),
        Column(words("col.item"), lambda r: rows.item_label(r.theme.item, words)),
        Column(words("col.element"), lambda r: r.theme.element),
        Column(words("col.organizations"), lambda r: r.theme.organizations, TEXT),
        Column(words("col.title"), lambda r: r.theme.title, TEXT),
        Column(words("col.end_fy"), lambda r: str(r.theme.end_fy)),
    ]


def cell_text(column: str, value: str | None, words: Words) -> str:
    """A changed cell as the lists show it: an item and a reason code by their names, a missing value as —."""
    if value is None:
        return "—"
    if column == "reason_code":
        return words(REASON[value])
    return rows.item_label(int(value), words) if column == "item" else value


def status(code: str, words: Words) -> str:
    return words(labels.STATUS[code])


def _figure(k: Kpi) -> str:
    return f"{number(k.numerator)}/{number(k.denominator)} ({percent(k.ratio)})"


class _Listed(NamedTuple):
    """A theme added to or missing from the newer list (a row of its table)."""

    theme: ThemeRow


def changes_text(c: Changes, words: Words, fmt: Format = Format.table) -> str:
    """The themes whose status moved, whose fields were edited, added and missing; then the KPIs before and after."""
    none, themes = words("none"), _theme_columns(words)
    moved = Table.of(
        "moved",
        [
            *themes,
            Column(words("col.before"), lambda s: status(s.before, words)),
            Column(words("col.after"), lambda s: status(s.theme.status, words)),
        ],
        c.status_changes,
    )
    edited = Table.of(
        "edited",
        [
            *themes,
            Column(words("col.field"), lambda f: labels.field(f.column, words)),
            Column(words("col.before"), lambda f: cell_text(f.column, f.before, words)),
            Column(words("col.after"), lambda f: cell_text(f.column, f.after, words)),
        ],
        c.field_changes,
    )
    out = [title(c, words), ""]
    out += block(words("changes.moved", n=len(moved.rows)), moved, fmt, none)
    out += block(words("changes.edited", n=len({f.theme.theme_id for f in c.field_changes})), edited, fmt, none)
    carried = tuple(t for t in c.missing if t.theme_id not in c.dropped)
    dropped = tuple(t for t in c.missing if t.theme_id in c.dropped)
    for key, listed in (("changes.added", c.added), ("changes.missing", carried), ("changes.dropped", dropped)):
        if key == "changes.dropped" and not listed:
            continue
        table = Table.of(
            key, [*themes, Column(words("col.status"), lambda r: status(r.theme.status, words))], map(_Listed, listed)
        )
        out += block(words(key, n=len(listed)), table, fmt, none)
    out += [heading(words("changes.kpis"), fmt), text(kpi_table(c, words), fmt)]
    for k in c.kpis:
        before, after = rows.outlook_brief(k.before, words), rows.outlook_brief(k.after, words)
        if before or after:
            name = rows.kpi_name(k.after, c.horizon_years, words)
            out.append(words("changes.outlook", name=name, before=before or "—", after=after or "—"))
    return "\n".join(out).rstrip() + "\n"


def title(c: Changes, words: Words) -> str:
    """What is compared: two dated lists, or two versions of one date (a same-date correction); and for a date
    asked that no list has, the list in force on it."""
    if c.before.list_id == NO_LIST:
        return words("changes.title_first", date=c.after.date.isoformat())
    if c.after.list_id == NO_LIST:
        return words("changes.title_none_left", date=c.before.date.isoformat())
    if c.versions is not None:
        line = words("changes.title_versions", date=c.after.date.isoformat(), before=c.versions[0], after=c.versions[1])
    else:
        line = words("changes.title", before=c.before.date.isoformat(), after=c.after.date.isoformat())
    return line + "".join(_in_force(c, words))


def _in_force(c: Changes, words: Words) -> list[str]:
    """For each date --from or --to gave that no list has, which list is in force on it (once per date)."""
    said: dict[dt.date, dt.date] = {}
    for asked, snapshot in zip(c.asked, (c.before, c.after), strict=True):
        if asked is not None and asked != snapshot.date:
            said.setdefault(asked, snapshot.date)
    return [words("changes.in_force", asked=a.isoformat(), date=d.isoformat()) for a, d in said.items()]


def kpi_table(c: Changes, words: Words) -> Table:
    """Each KPI before and after, and its verdict before and after."""
    if c.versions is not None:
        before = words("changes.col_before_version", load=c.versions[0], fy=c.before_fy)
        after = words("changes.col_after_version", load=c.versions[1], fy=c.after_fy)
    else:
        before = words("changes.col_before", fy=c.before_fy, date=c.before.date.isoformat())
        after = words("changes.col_after", fy=c.after_fy, date=c.after.date.isoformat())
    columns = [
        Column(words("col.indicator"), lambda k: rows.kpi_name(k.after, c.horizon_years, words)),
        Column(before, lambda k: _figure(k.before)),
        Column(after, lambda k: _figure(k.after)),
        Column(
            words("col.verdict"),
            lambda k: f"{rows.verdict_text(k.before, words)} → {rows.verdict_text(k.after, words)}",
        ),
    ]
    return Table.of("kpis", columns, c.kpis)


def _theme_json(t: ThemeRow) -> dict[str, object]:
    return t._asdict()


def changes_record(c: Changes) -> dict[str, Any]:
    """The comparison as JSON data (`kpi changes --format json`)."""
    return {
        "from": c.before.date.isoformat(),
        "to": c.after.date.isoformat(),
        "from_fy": c.before_fy,
        "to_fy": c.after_fy,
        "from_load": c.versions[0] if c.versions else None,
        "to_load": c.versions[1] if c.versions else None,
        "status_changes": [
            {"theme_id": s.theme.theme_id, "before": s.before, "after": s.theme.status} for s in c.status_changes
        ],
        "field_changes": [
            {"theme_id": f.theme.theme_id, "field": f.column, "before": f.before, "after": f.after}
            for f in c.field_changes
        ],
        "added": [_theme_json(t) for t in c.added],
        "missing": [_theme_json(t) for t in c.missing],
        "dropped": sorted(c.dropped),
        "kpis": {k.after.key: {"before": kpi_json(k.before), "after": kpi_json(k.after)} for k in c.kpis},
    }


def changes_json(c: Changes) -> str:
    return dumps(changes_record(c))


def render(c: Changes, fmt: Format, words: Words) -> str:
    """`kpi changes` in a format."""
    return changes_text(c, words, fmt) if is_text(fmt) else changes_json(c)
