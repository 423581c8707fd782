"""A breakdown (`--by`) as tables: each KPI per group with its outlook, and the status table with each group's share
of the adopted themes; the whole's line last, which each count sums to."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from kpi.figures.breakdown import Breakdown, Group, Grouping
from kpi.figures.kpis import KPIS, Kpi, Outcome
from kpi.figures.status import GROUPS, StatusCounts
from kpi.present import labels
from kpi.present.catalogue import Words
from kpi.present.formats import Format
from kpi.present.numbers import number, percent
from kpi.present.rows import item_label, kpi_name, outlook_line, verdict_text
from kpi.present.tables import TEXT, Column, Table, block, markdown_text


class Line(NamedTuple):
    """One row of a breakdown's tables: a group's, or the whole's (`group` None)."""

    label: str
    outcome: Outcome
    status: StatusCounts
    share: Any  # a Fraction, or None without adopted themes
    group: Group | None


def group_label(grouping: Grouping, key: tuple[object, ...], words: Words) -> str:
    """A group as a person reads it: ① (an item), ①(a) (an element), an attribute's value, or (未設定)."""
    if grouping.by == "item":
        return item_label(int(str(key[0])), words)
    if grouping.by == "element":
        return words("breakdown.element", item=item_label(int(str(key[0])), words), letter=key[1])
    return words("breakdown.not_given") if key[0] is None else str(key[0])


def by_header(grouping: Grouping, words: Words) -> str:
    """The group column's header: 研究開発項目, 基盤要素, or the attribute's name."""
    if grouping.attribute is None:
        return words(labels.FIELD[grouping.by])
    return grouping.attribute.name


def lines(found: Breakdown, words: Words) -> list[Line]:
    """Every group's line, then the whole's."""
    out = [
        Line(group_label(found.grouping, g.key, words), g.outcome, g.status, found.share(g), g) for g in found.groups
    ]
    whole_share = 1 if found.whole_status.total else None
    return [*out, Line(words("row.total"), found.whole, found.whole_status, whole_share, None)]


def left_out(line: Line) -> int:
    """The themes of a line in no figure: leading research, not yet adopted, adoption cancelled."""
    return sum(n for _, _, n in line.outcome[KPIS[0].key].placement.counts) - line.status.total


def note(line: Line, small: int, words: Words) -> str:
    """A group with fewer adopted themes than the setting: said, not hidden."""
    return words("breakdown.small", n=small) if line.group is not None and line.group.small else ""


def kpi_table(found: Breakdown, key: str, words: Words, outlook: bool = False) -> Table:
    """One KPI per group: numerator, denominator, pending, actual and verdict (and the outlook's sentence, for a
    file: a terminal reads it under the table)."""
    head = by_header(found.grouping, words)

    def of(line: Line) -> Kpi:
        return line.outcome[key]

    columns = [
        Column(head, lambda line: line.label),
        Column(
            words("col.numerator"), lambda line: of(line).numerator, "count", lambda line: number(of(line).numerator)
        ),
        Column(
            words("col.denominator"),
            lambda line: of(line).denominator,
            "count",
            lambda line: number(of(line).denominator),
        ),
        Column(
            words("col.pending"),
            lambda line: of(line).placement.pending,
            "count",
            lambda line: number(of(line).placement.pending),
        ),
        Column(
            words("col.actual"), lambda line: exact(of(line).ratio), "percent", lambda line: percent(of(line).ratio)
        ),
        Column(words("col.verdict"), lambda line: verdict_text(of(line), words)),
        Column(words("col.note"), lambda line: note(line, found.small_group, words)),
        *([Column(words("col.outlook"), lambda line: outlook_line(of(line), words) or "", TEXT)] if outlook else []),
    ]
    title = kpi_name(found.whole[key], horizon(found), words)
    return Table.of(f"breakdown_{key}", columns, lines(found, words), title=title)


def status_table(found: Breakdown, words: Words) -> Table:
    """The status groups per group, with each group's adopted themes and their share of the whole's."""
    shown = [g for g in GROUPS if g != "terminated" or found.whole_status.terminated]
    columns = [
        Column(by_header(found.grouping, words), lambda line: line.label),
        *(Column(words(labels.GROUP[g]), _status(g), "count", _status(g, number)) for g in shown),
        Column(
            words("col.share_of_adopted"), lambda line: exact(line.share), "percent", lambda line: percent(line.share)
        ),
        Column(words("col.left_out"), left_out, "count", lambda line: number(left_out(line))),
        Column(words("col.note"), lambda line: note(line, found.small_group, words)),
    ]
    return Table.of("breakdown_status", columns, lines(found, words), title=words("section.breakdown_status"))


def _status(group: str, shown: Callable[[int], Any] = int) -> Callable[[Line], Any]:
    """A line's themes of one status group (as `shown` gives the count)."""
    return lambda line: shown(getattr(line.status, group))


def exact(ratio: Any) -> float | None:
    """A ratio as a file keeps it (rounded to 6 places so that files are stable across platforms)."""
    return None if ratio is None else round(float(ratio), 6)


def horizon(found: Breakdown) -> int:
    return found.whole.horizon_years


def tables(found: Breakdown, words: Words, outlook: bool = False) -> list[Table]:
    """Every table of a breakdown, in the order the outputs show them (`outlook`: each KPI's as a column)."""
    return [*(kpi_table(found, spec.key, words, outlook) for spec in KPIS), status_table(found, words)]


def outlooks(found: Breakdown, key: str, words: Words) -> list[str]:
    """A KPI's outlook per group (those that have one), each line headed by its group."""
    return [
        f"{line.label}: {said}"
        for line in lines(found, words)
        if (said := outlook_line(line.outcome[key], words)) is not None
    ]


def heading(found: Breakdown, words: Words) -> str:
    """What the breakdown is of: the grouping, the year and the list."""
    date = found.snapshot.date.isoformat() if found.snapshot else "—"
    return words("breakdown.heading", by=by_header(found.grouping, words), fy=found.as_of_fy, date=date)


def footnotes(found: Breakdown, words: Words) -> list[str]:
    """What a reader needs beside the tables, as the report says it: the list that stands in for the year, themes
    carried, ended early, cancelled and surveys set aside; then that the groups partition the list and how small is
    marked."""
    from kpi.present.rows import fallback_note, placement_notes

    valued = [line for line in lines(found, words)[:-1] if line.group is not None and line.group.key[0] is not None]
    unvalued = found.grouping.attribute is not None and not any(left_out(line) + line.status.total for line in valued)
    return [
        *fallback_note(found.as_of_fy, found.snapshot, words),
        *placement_notes(found.whole, words),
        *([words("breakdown.note.no_values", by=found.grouping.by)] if unvalued else []),
        words("breakdown.note.partition"),
        words("breakdown.note.small", n=found.small_group),
    ]


def known_at(found: Breakdown, words: Words) -> list[str]:
    """Under the heading, for a --known-at read: the load the figures are as known right after."""
    if found.known_at is None:
        return []
    from kpi.fiscal import calendar_of
    from kpi.present.submissions import known_at_line

    line = known_at_line(found.known_at, words, calendar_of(found.programme))
    return [line] if line else []


def json_of(found: Breakdown, words: Words) -> dict[str, Any]:
    """A breakdown in its JSON contract: every group's KPIs (as `kpi check` gives them), status and share, then the
    whole's."""
    from kpi.present.json_out import kpi_json, placement_notes_json
    from kpi.present.numbers import as_float

    def line_json(line: Line) -> dict[str, Any]:
        return {
            "group": None if line.group is None else list(line.group.key),
            "label": line.label,
            "adopted": line.status.total,
            "share": as_float(line.share),
            "left_out": left_out(line),
            "small": bool(line.group and line.group.small),
            "status": line.status._asdict(),
            "kpis": [kpi_json(k) for k in line.outcome.kpis],
        }

    every = [line_json(line) for line in lines(found, words)]
    return {
        "as_of_fy": found.as_of_fy,
        "list_date": found.snapshot.date.isoformat() if found.snapshot else None,
        "by": found.grouping.by,
        "snapshot_fallback": found.snapshot.fallback if found.snapshot else False,
        "known_at_load": found.known_at.load_id if found.known_at else None,
        "placement": placement_notes_json(found.whole),
        "small_group": found.small_group,
        "groups": every[:-1],
        "total": every[-1],
    }


# The chart (kpi.present.charts.BY_CHARTS) the HTML page draws above each table.
CHART_OF_TABLE = {
    "breakdown_short_term": "short_term",
    "breakdown_long_term_matured": "long_term",
    "breakdown_status": "status",
}


def every_outlook(found: Breakdown, words: Words) -> list[list[str]]:
    """The lines under each of tables(): each KPI's outlook per group, none under the status table."""
    return [outlooks(found, spec.key, words) for spec in KPIS] + [[]]


def render(found: Breakdown, fmt: Format, words: Words, to_file: bool) -> str | bytes:
    """A breakdown in a format: aligned text or markdown (each KPI's table with its outlook per group, then the
    status table), CSV (the same, a table after another; as a file Excel opens), or JSON (the HTML page:
    kpi.present.html.breakdown_html)."""
    if fmt is Format.json:
        from kpi.present.json_out import dumps

        return dumps(json_of(found, words))
    every = tables(found, words)
    after = every_outlook(found, words)
    if fmt is Format.csv:
        from kpi.present.csvfile import csv_text, excel_bytes

        records: list[list[Any]] = [[heading(found, words)], *([line] for line in known_at(found, words)), []]
        for table, said in zip(every, after, strict=True):
            records += [[table.title], table.headers, *table.text_rows, *([s] for s in said), []]
        records += [[n] for n in footnotes(found, words)]
        data = csv_text(records, "\r\n" if to_file else "\n")
        return excel_bytes(data) if to_file else data
    title = heading(found, words)
    out = ["# " + markdown_text(title) if fmt is Format.markdown else title, *known_at(found, words), ""]
    bullet = "- " if fmt is Format.markdown else ""
    for table, said in zip(every, after, strict=True):
        out += block(table.title, table, fmt, words("none"), *(bullet + s for s in said))
    out += [f"{words('notes')}:", *(f"  - {n}" for n in footnotes(found, words))]
    return "\n".join(out).rstrip() + "\n"
