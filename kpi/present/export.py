"""Submission files for the ministry: CSV (or one xlsx workbook) plus manifest.json, built in memory."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from kpi import __version__
from kpi.errors import CannotEncode
from kpi.figures.kpis import Kpi
from kpi.figures.outlook import Pending, ToReach
from kpi.figures.report import Report, Submission
from kpi.figures.rs import RS_AMOUNTS
from kpi.figures.status import GROUPS
from kpi.fiscal import wareki
from kpi.present.catalogue import Words
from kpi.present.csvfile import csv_text
from kpi.present.formats import ExportFormat, OutEncoding
from kpi.present.numbers import Percent
from kpi.present.rows import OUTPUT_COLUMNS, RS_COLUMNS, fallback_note, kpi_name, outlook_line, verdict_text


@dataclass
class Table:
    """One submission table: a file name, headers and rows of cells (str, int, float, Decimal, Percent or None).

    `formats` says what each column's numbers are (kpi.present.xlsx.NUMBER_FORMATS: year, count, oku, yen,
    percent, mean, score, id; "" for text and general numbers): a workbook shows them so, a CSV file ignores it.
    `title` is the sheet's name in the user's language.
    """

    name: str
    headers: list[str]
    rows: list[list[Any]]
    key_column: int = 0  # the cell that names a row in error messages (a theme_id, a year)
    formats: list[str] = field(default_factory=list)
    title: str = ""


def _ratio(value: Any) -> float | None:
    """A ratio kept as a number (rounded to 6 places so files are stable across platforms)."""
    return None if value is None else round(float(value), 6)


def _outlook_cells(k: Kpi, w: Words) -> list[Any]:
    """What a KPI can still become: the sentence, the best and worst ratios (pending themes), the themes needed."""
    o = k.outlook
    best = Percent(o.best) if isinstance(o, Pending) and o.best is not None else None
    worst = Percent(o.worst) if isinstance(o, Pending) and o.worst is not None else None
    needed = o.needed if isinstance(o, Pending | ToReach) else None
    return [outlook_line(k, w), best, worst, needed]


def outcome_table(rep: Report, w: Words) -> Table:
    """The outcome KPIs as the report's アウトカム指標 table, one row per KPI, with each one's outlook."""
    fy, horizon = rep.as_of_fy, rep.outcome.horizon_years
    keys = ["col.indicator", "col.definition", "col.target", "col.actual", "col.numerator", "col.denominator"]
    outlook = ["col.outlook", "col.best", "col.worst", "col.needed"]
    return Table(
        "outcome_kpis",
        [*(w(k) for k in keys), w("col.verdict"), w("col.as_of"), w("col.as_of_wareki"), *(w(k) for k in outlook)],
        [
            [
                kpi_name(k, horizon, w, "title"),
                kpi_name(k, horizon, w, "definition"),
                k.target_text,
                Percent(k.ratio) if k.ratio is not None else None,
                k.numerator,
                k.denominator,
                verdict_text(k, w),
                fy,
                wareki(fy),
                *_outlook_cells(k, w),
            ]
            for k in rep.outcome.kpis
        ],
        formats=["", "", "", "percent", "count", "count", "", "year", "", "", "percent", "percent", "count"],
    )


def tables(rep: Report, themes: list[dict[str, Any]], w: Words) -> list[Table]:
    """The submission tables for one as-of year, in a fixed row and column order."""
    group_names = [w(f"group.{g}") for g in GROUPS]
    status = Table(
        "status_summary",
        [w("col.group"), w("col.count")],
        [[name, getattr(rep.status_summary, g)] for name, g in zip(group_names, GROUPS, strict=True)],
        formats=["", "count"],
    )
    element = Table(
        "by_element",
        [w("col.item"), w("col.element"), *group_names],
        [[r.item, r.element, *(getattr(r, g) for g in GROUPS)] for r in rep.by_element],
        formats=["", "", *("count" for _ in GROUPS)],
    )
    budget_keys = [
        "col.fy",
        "col.wareki",
        "col.budget",
        "col.executed",
        "col.execution_ratio",
        "col.cumulative_budget",
        "col.cumulative_executed",
        "col.cumulative_ratio",
        "col.draws",
    ]
    budget = Table(
        "budget_execution",
        [w(k) for k in budget_keys],
        [
            [
                y.fy,
                wareki(y.fy),
                y.budget,
                y.executed,
                _ratio(y.ratio),
                y.cumulative_budget,
                y.cumulative_executed,
                _ratio(y.cumulative_ratio),
                w("mark.yes") if y.draws_on_earlier else "",
            ]
            for y in rep.budget.years
        ],
        formats=["year", "", "oku", "oku", "percent", "oku", "oku", "percent", ""],
    )
    theme_keys = [
        "col.theme_id",
        "col.item",
        "col.funding",
        "col.element",
        "col.organizations",
        "col.title",
        "col.start_fy",
        "col.start_wareki",
        "col.end_fy",
        "col.end_wareki",
        "col.status",
    ]
    theme_table = Table(
        "themes",
        [w(k) for k in theme_keys],
        [
            [
                r["theme_id"],
                r["item"],
                r["funding"],
                r["element"],
                r["organizations"],
                r["title"],
                r["start_fy"],
                wareki(int(r["start_fy"])) if r["start_fy"] else None,
                r["end_fy"],
                wareki(int(r["end_fy"])),
                w(f"status.{r['status']}"),
            ]
            for r in themes
        ],
        formats=["", "", "", "", "", "", "year", "", "year", "", ""],
    )
    o = rep.outputs
    outputs = Table(
        "outputs",
        [w("col.fy"), w("col.wareki"), *(w(f"col.{c}") for c in OUTPUT_COLUMNS)],
        [[y.fy, wareki(y.fy), *(getattr(y, c) for c in OUTPUT_COLUMNS)] for y in o.years]
        + ([[w("row.total"), None, *(o.total[c] for c in OUTPUT_COLUMNS)]] if o.years else []),
        formats=["year", "", *("count" for _ in OUTPUT_COLUMNS)],
    )
    sg = rep.stage_gate
    sg_keys = ["col.theme_id", "col.item", "col.element", "col.review_fy", "col.reviewers", "col.mean", "col.decision"]
    stage = Table(
        "stage_gate",
        [w(k) for k in sg_keys],
        [
            [r.theme_id, r.item, r.element, r.review_fy, r.reviewers, _ratio(r.mean), w(f"decision.{r.decision}")]
            for r in sg.reviewed
        ]
        + [[r.theme_id, r.item, r.element, None, 0, None, w("stagegate.not_reviewed")] for r in sg.not_reviewed],
        formats=["", "", "", "year", "count", "mean", ""],
    )
    ev = rep.evaluation
    evaluation = Table(
        "evaluation",
        [w("col.criterion"), *ev.members, w("col.score")],
        [[c.criterion, *(c.grades.get(m) for m in ev.members), _ratio(c.score)] for c in ev.criteria],
        formats=["", *("" for _ in ev.members), "score"],
    )
    built = [outcome_table(rep, w), status, element, budget, theme_table, outputs, stage, evaluation]
    if rep.rs:
        built += rs_tables(rep, w)
    for table in built:
        table.title = w(f"sheet.{table.name}")
    return built


def rs_tables(rep: Report, w: Words) -> list[Table]:
    """The RS appropriations (yen) and indicators, as published."""
    assert rep.rs is not None
    amounts = [
        w("col.rs.yen", column=w(f"col.rs.{c}")) if c != "execution_rate" else w(f"col.rs.{c}") for c in RS_COLUMNS[1:]
    ]
    appropriations = Table(
        "rs_appropriations",
        [w("col.rs.budget_fy"), w("col.wareki"), *amounts, w("col.rs.sheet_fy")],
        [
            [a.budget_fy, wareki(a.budget_fy), *(getattr(a, k) for k in RS_AMOUNTS), a.sheet_fy]
            for a in rep.rs.appropriations
        ],
        formats=["year", "", *("percent" if k == "execution_rate" else "yen" for k in RS_AMOUNTS), "year"],
    )
    keys = ["col.rs.number", "col.rs.kind", "col.rs.period", "col.indicator", "col.rs.target_year", "col.fy"]
    indicators = Table(
        "rs_indicators",
        [*(w(k) for k in keys), w("col.rs.target"), w("col.actual"), w("col.rs.achievement_rate")],
        [
            [
                i.number,
                w(f"rs.kind.{i.kind}") if w.has(f"rs.kind.{i.kind}") else i.kind,
                w(f"rs.period.{i.period}") if w.has(f"rs.period.{i.period}") else i.period,
                i.indicator or i.name,
                w("mark.yes") if y.fy in i.target_years else "",
                y.fy,
                y.target,
                y.actual,
                y.achievement_rate,
            ]
            for i in rep.rs.indicators
            for y in i.years
        ],
        formats=["", "", "", "", "", "year", "", "", ""],
    )
    return [appropriations, indicators]


def encode(table: Table, text: str, encoding: str, w: Words) -> bytes:
    """The file's bytes; a character with no form in the encoding names its row and stops the export."""
    try:
        return text.encode(encoding)
    except UnicodeEncodeError as exc:
        char = exc.object[exc.start : exc.end]
        where = next(
            (
                w("cli.cannot_encode.row", row=row[table.key_column], column=table.headers[i])
                for row in table.rows
                for i, cell in enumerate(row)
                if isinstance(cell, str) and char in cell
            ),
            w("cli.cannot_encode.header"),
        )
        raise CannotEncode(
            "cli.cannot_encode",
            file=f"{table.name}.csv",
            where=where,
            char=char,
            code=f"{ord(char[0]):04X}",
            encoding=encoding.upper(),
        ) from None


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def summary_rows(
    rep: Report, sources: list[dict[str, Any]], w: Words, written_at: dt.datetime
) -> list[tuple[str, Any]]:
    """The workbook's first sheet as (label, value) rows: programme, 予算事業ID, as-of year, the date of the theme
    list used, kpi's version, the export time and every source file loaded (from the manifest's sources)."""
    prog = rep.programme
    rows: list[tuple[str, Any]] = [
        (w("summary.programme"), prog.name if prog else w("summary.no_programme")),
        (w("html.project_id"), prog.project_id if prog else None),
        (w("summary.as_of"), w("report.as_of", fy=rep.as_of_fy, wareki=wareki(rep.as_of_fy))),
        (w("col.snapshot"), rep.snapshot.date.isoformat() if rep.snapshot else None),
        *((w("notes"), note) for note in fallback_note(rep.as_of_fy, rep.snapshot, w)),
        (w("summary.version"), f"kpi {__version__}"),
        (w("summary.written_at"), written_at.astimezone().isoformat(sep=" ", timespec="seconds")),
    ]
    rows += [
        (
            w("summary.source"),
            w(
                "summary.source_value",
                n=s["load_id"],
                file=s["file_name"],
                kind=w(f"kind.{s['kind']}") if w.has(f"kind.{s['kind']}") else s["kind"],
                rows=s["row_count"],
                at=str(s["loaded_at"])[:16],
            ),
        )
        for s in sources
    ]
    return rows


def summary_table(rows: list[tuple[str, Any]], w: Words) -> Table:
    """The (label, value) rows as the workbook's first sheet."""
    return Table("summary", [w("col.summary_item"), w("col.summary_value")], [list(r) for r in rows], 0, ["", "id"])


def build_files(submission: Submission, w: Words, encoding: OutEncoding, fmt: ExportFormat) -> dict[str, bytes]:
    """Every file of the submission, as bytes, before anything touches the disk."""
    rep, sources = submission.report, submission.sources
    built = tables(rep, submission.themes, w)
    written_at = dt.datetime.now(dt.UTC)
    files: dict[str, bytes] = {}
    if fmt is ExportFormat.xlsx:
        from kpi.present.xlsx import workbook

        summary = summary_table(summary_rows(rep, sources, w, written_at), w)
        summary.title = w("sheet.summary")
        files["kpi_submission.xlsx"] = workbook(built, summary)
    else:
        for table in built:
            files[f"{table.name}.csv"] = encode(table, csv_text([table.headers, *table.rows]), str(encoding), w)
    manifest = {
        "as_of_fy": rep.as_of_fy,
        "as_of_wareki": wareki(rep.as_of_fy),
        "snapshot": rep.snapshot.date.isoformat() if rep.snapshot else None,
        "snapshot_fallback": rep.snapshot.fallback if rep.snapshot else False,
        "tool": "kpi",
        "version": __version__,
        "format": str(fmt),
        "encoding": str(encoding) if fmt is ExportFormat.csv else None,
        "lang": str(w.lang),
        "files": {name: _sha256(data) for name, data in sorted(files.items())},
        "sources": sources,
        "written_at": written_at.isoformat(timespec="seconds"),
    }
    files["manifest.json"] = (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    return files
