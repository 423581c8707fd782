"""`kpi changes`: what moved between two theme lists, as tables (text or markdown) or JSON."""

from __future__ import annotations

from kpi.figures.changes import Changes
from kpi.figures.kpis import Kpi
from kpi.figures.status import ThemeRow
from kpi.present import labels, rows
from kpi.present.catalogue import Words
from kpi.present.formats import ChangesFormat
from kpi.present.json_out import dumps, kpi_json
from kpi.present.numbers import number, percent
from kpi.present.tables import table

THEME_KEYS = ("col.theme_id", "col.item", "col.element", "col.organizations", "col.title", "col.end_fy")


def _theme_cells(t: ThemeRow, words: Words) -> list[str]:
    return [t.theme_id, rows.item_label(t.item, words), t.element, t.organizations, t.title, str(t.end_fy)]


def _value(column: str, value: str | None, words: Words) -> str:
    """A changed cell as the lists show it: an item by its name, a missing value as —."""
    if value is None:
        return "—"
    return rows.item_label(int(value), words) if column == "item" else value


def _figure(k: Kpi) -> str:
    return f"{number(k.numerator)}/{number(k.denominator)} ({percent(k.ratio)})"


def changes_text(c: Changes, words: Words, fmt: str = "table") -> str:
    h = "## " if fmt == "markdown" else "■ "
    none = words("none")
    out = [words("changes.title", before=c.before.date.isoformat(), after=c.after.date.isoformat()), ""]
    moved = [
        [*_theme_cells(s.theme, words), words(labels.STATUS[s.before]), words(labels.STATUS[s.theme.status])]
        for s in c.status_changes
    ]
    headers = [*(words(k) for k in THEME_KEYS), words("col.before"), words("col.after")]
    out += [h + words("changes.moved", n=len(moved)), table(headers, moved, fmt) if moved else none, ""]
    edited = [
        [
            *_theme_cells(f.theme, words),
            words(labels.FIELD[f.column]),
            _value(f.column, f.before, words),
            _value(f.column, f.after, words),
        ]
        for f in c.field_changes
    ]
    headers = [*(words(k) for k in THEME_KEYS), words("col.field"), words("col.before"), words("col.after")]
    themes_edited = len({f.theme.theme_id for f in c.field_changes})
    out += [h + words("changes.edited", n=themes_edited), table(headers, edited, fmt) if edited else none, ""]
    for key, themes in (("changes.added", c.added), ("changes.missing", c.missing)):
        body = [[*_theme_cells(t, words), words(labels.STATUS[t.status])] for t in themes]
        headers = [*(words(k) for k in THEME_KEYS), words("col.status")]
        out += [h + words(key, n=len(themes)), table(headers, body, fmt) if body else none, ""]
    kpi_rows = [
        [
            rows.kpi_name(k.after, c.horizon_years, words),
            _figure(k.before),
            _figure(k.after),
            f"{rows.verdict_text(k.before, words)} → {rows.verdict_text(k.after, words)}",
        ]
        for k in c.kpis
    ]
    headers = [
        words("col.indicator"),
        words("changes.col_before", fy=c.before_fy, date=c.before.date.isoformat()),
        words("changes.col_after", fy=c.after_fy, date=c.after.date.isoformat()),
        words("col.verdict"),
    ]
    out += [h + words("changes.kpis"), table(headers, kpi_rows, fmt)]
    for k in c.kpis:
        before, after = rows.outlook_brief(k.before, words), rows.outlook_brief(k.after, words)
        if before or after:
            name = rows.kpi_name(k.after, c.horizon_years, words)
            out.append(words("changes.outlook", name=name, before=before or "—", after=after or "—"))
    return "\n".join(out).rstrip() + "\n"


def _theme_json(t: ThemeRow) -> dict[str, object]:
    return t._asdict()


def changes_json(c: Changes) -> str:
    return dumps(
        {
            "from": c.before.date.isoformat(),
            "to": c.after.date.isoformat(),
            "from_fy": c.before_fy,
            "to_fy": c.after_fy,
            "status_changes": [
                {"theme_id": s.theme.theme_id, "before": s.before, "after": s.theme.status} for s in c.status_changes
            ],
            "field_changes": [
                {"theme_id": f.theme.theme_id, "field": f.column, "before": f.before, "after": f.after}
                for f in c.field_changes
            ],
            "added": [_theme_json(t) for t in c.added],
            "missing": [_theme_json(t) for t in c.missing],
            "kpis": {k.after.key: {"before": kpi_json(k.before), "after": kpi_json(k.after)} for k in c.kpis},
        }
    )


def render(c: Changes, fmt: ChangesFormat, words: Words) -> str:
    """`kpi changes` in a format."""
    return changes_json(c) if fmt is ChangesFormat.json else changes_text(c, words, str(fmt))
