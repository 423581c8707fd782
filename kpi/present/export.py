"""Submission files for the ministry: CSV (or one xlsx workbook) plus its manifest, built in memory.

Every file says the same numbers the same way: ratios are percentages (numbers in a CSV file, 0.0% cells in the
workbook), targets too; each header names its unit (億円, 件, %); research items are ①②③ as the report writes them."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from operator import attrgetter, itemgetter
from pathlib import Path
from typing import Any, NamedTuple

from kpi import __version__
from kpi.errors import CannotEncode, UsageProblem
from kpi.figures.breakdown import Breakdown
from kpi.figures.effects import CohortTable
from kpi.figures.kpis import Kpi
from kpi.figures.outlook import Pending, ToReach
from kpi.figures.report import Report, Submission
from kpi.figures.rs import RS_AMOUNTS
from kpi.fiscal import calendar_of, machine_time, wareki, zoned
from kpi.present import labels
from kpi.present.catalogue import Lang, Words
from kpi.present.csvfile import csv_text
from kpi.present.formats import ExportFormat, Format, OutEncoding, extensions_of, named_format
from kpi.present.json_out import placement_notes_json
from kpi.present.rows import (
    BUDGET_KEYS,
    OUTPUT_COLUMNS,
    fallback_note,
    groups,
    kpi_name,
    outlook_line,
    placement_notes,
    verdict_text,
)
from kpi.present.tables import Column, Table


def _ratio(value: Any) -> float | None:
    """A ratio kept as a number (rounded to 6 places so files are stable across platforms)."""
    return None if value is None else round(float(value), 6)


def _outlook_cells(k: Kpi, words: Words) -> list[Any]:
    """What a KPI can still become: the sentence, the best and worst ratios (pending themes), the themes needed."""
    o = k.outlook
    best = _ratio(o.best) if isinstance(o, Pending) else None
    worst = _ratio(o.worst) if isinstance(o, Pending) else None
    needed = o.needed if isinstance(o, Pending | ToReach) else None
    return [outlook_line(k, words), best, worst, needed]


def outcome_table(report: Report, words: Words) -> Table:
    """The outcome KPIs as the report's アウトカム指標 table, one row per KPI, with each one's outlook."""
    fy, horizon = report.as_of_fy, report.outcome.horizon_years
    outlook = _outlook_cells  # (sentence, best, worst, needed) of a KPI
    columns = [
        Column(words("col.indicator"), lambda k: kpi_name(k, horizon, words, "title")),
        Column(words("col.definition"), lambda k: kpi_name(k, horizon, words, "definition")),
        Column(words("col.target"), lambda k: _ratio(k.target), "percent"),
        Column(words("col.actual"), lambda k: _ratio(k.ratio), "percent"),
        Column(words("col.numerator"), lambda k: k.numerator, "count"),
        Column(words("col.denominator"), lambda k: k.denominator, "count"),
        Column(words("col.verdict"), lambda k: verdict_text(k, words)),
        Column(words("col.as_of"), lambda k: fy, "year"),
        Column(words("col.as_of_wareki"), lambda k: wareki(fy)),
        Column(words("col.outlook"), lambda k: outlook(k, words)[0]),
        Column(words("col.best"), lambda k: outlook(k, words)[1], "percent"),
        Column(words("col.worst"), lambda k: outlook(k, words)[2], "percent"),
        Column(words("col.needed"), lambda k: outlook(k, words)[3], "count"),
    ]
    return Table.of("outcome_kpis", columns, report.outcome.kpis)


def tables(report: Report, themes: list[dict[str, Any]], words: Words, grouped: Breakdown | None = None) -> list[Table]:
    """The submission tables for one as-of year, in a fixed row and column order; with `grouped`, every figure per
    group last (--by)."""
    shown = groups(report)
    group = {g: words(labels.GROUP[g]) for g in shown}
    status = Table.of(
        "status_summary",
        [
            Column(words("col.group"), lambda g: group[g]),
            Column(words("col.count"), lambda g: getattr(report.status_summary, g), "count"),
        ],
        shown,
    )
    element = Table.of(
        "by_element",
        [
            Column(words("col.item"), lambda r: words(labels.ITEM[r.item])),
            Column(words("col.element"), lambda r: r.element),
            *(Column(group[g], attrgetter(g), "count") for g in shown),
        ],
        report.by_element,
    )
    draws = Column(words("col.draws"), lambda y: words("mark.yes") if y.draws_on_earlier else "")
    budget = Table.of(
        "budget_execution",
        [*(Column(words(key), *BUDGET_CELLS[key]) for key in BUDGET_KEYS), draws],
        report.budget.years,
    )
    theme_table = Table.of(
        "themes",
        [
            *(Column(words(key), _theme_text(c, words)) for c, key in THEME_TEXT.items()),
            Column(words("col.start_fy"), lambda r: r["start_fy"], "year"),
            Column(words("col.start_wareki"), lambda r: wareki(int(r["start_fy"])) if r["start_fy"] else None),
            Column(words("col.end_fy"), lambda r: r["end_fy"], "year"),
            Column(words("col.end_wareki"), lambda r: wareki(int(r["end_fy"]))),
            Column(words("col.status"), lambda r: words(labels.STATUS[r["status"]])),
            *(_reason_columns(words) if any(t["reason_code"] or t["reason_text"] for t in themes) else ()),
            *_attribute_columns(report),
        ],
        themes,
    )
    o = report.outputs
    outputs = Table.of(
        "outputs",
        [
            Column(words("col.fy"), lambda y: y.fy, "year"),
            Column(words("col.wareki"), lambda y: wareki(y.fy)),
            *(Column(words(labels.OUTPUT[c]), attrgetter(c), "count") for c in OUTPUT_COLUMNS),
        ],
        o.years,
        footer=[[words("row.total"), None, *(o.total[c] for c in OUTPUT_COLUMNS)]] if o.years else [],
    )
    sg = report.stage_gate
    not_reviewed = words("stagegate.not_reviewed")
    stage = Table.of(
        "stage_gate",
        [
            Column(words("col.theme_id"), attrgetter("theme_id")),
            Column(words("col.item"), lambda r: words(labels.ITEM[r.item])),
            Column(words("col.element"), attrgetter("element")),
            Column(words("col.review_fy"), attrgetter("review_fy"), "year"),
            Column(words("col.reviewers"), attrgetter("reviewers"), "count"),
            Column(words("col.mean"), lambda r: _ratio(r.mean), "mean"),
            Column(words("col.decision"), lambda r: words(labels.DECISION[r.decision])),
        ],
        sg.reviewed,
        footer=[
            [r.theme_id, words(labels.ITEM[r.item]), r.element, None, 0, None, not_reviewed] for r in sg.not_reviewed
        ],
    )
    ev = report.evaluation
    evaluation = Table.of(
        "evaluation",
        [
            Column(words("col.criterion"), lambda c: c.criterion),
            *(Column(m, _grade_of(m)) for m in ev.members),
            Column(words("col.score"), lambda c: _ratio(c.score), "score"),
        ],
        ev.criteria,
    )
    built = [outcome_table(report, words), status, element, budget, theme_table, outputs, stage, evaluation]
    if ev.rounds:
        from kpi.present.recommendations import trend_table

        built.append(trend_table(ev, words, _ratio))
    if report.rs:
        built += rs_tables(report, words)
    if report.effects is not None and report.effects.cohorts is not None:
        built.append(cohort_table(report.effects.cohorts, words))
    if grouped is not None:
        from kpi.present import breakdown

        built += breakdown.tables(grouped, words, outlook=True)
    for table in built:
        table.title = words(labels.SHEET[table.name])
        table.headers = [with_unit(h, kind, words) for h, kind in zip(table.headers, table.formats, strict=True)]
    return built


def cohort_table(table: CohortTable, words: Words) -> Table:
    """The cohort table a row per cohort and round reached: commercialised of the cohort's themes, and the round's
    answered of sent (kpi.figures.effects)."""
    cells = [(r.end_fy, c) for r in table.rows for c in r.cells if c is not None]
    return Table.of(
        "cohorts",
        [
            Column(words("col.end_fy"), itemgetter(0), "year"),
            Column(words("effects.col.years_after_header"), lambda r: r[1].years_after),
            Column(words("effects.col.survey_fy"), lambda r: r[0] + r[1].years_after, "year"),
            Column(words("col.themes"), lambda r: r[1].themes, "count"),
            Column(words("effects.col.commercialised"), lambda r: r[1].commercialised, "count"),
            Column(words("effects.col.commercialised_ratio"), lambda r: _ratio(r[1].ratio), "percent"),
            Column(words("effects.col.sent"), lambda r: r[1].sent, "count"),
            Column(words("effects.col.answered"), lambda r: r[1].answered, "count"),
            Column(words("effects.col.response_rate"), lambda r: _ratio(r[1].response_rate), "percent"),
        ],
        cells,
    )


CONFIDENTIAL = "confidential_answers"  # the table of per-theme answers with sales (`kpi export --confidential FILE`)
# Its name among a submission's files when it was one of them (a register entry made before it was written apart).
CONFIDENTIAL_CSV = f"{CONFIDENTIAL}.csv"


def confidential_table(answers: list[tuple[Any, ...]], words: Words) -> Table:
    """Every survey answer with its sales, its first row (the CSV's first line) saying that it is confidential."""
    columns = [
        Column(words("col.theme_id"), itemgetter(0)),
        Column(words("col.title"), itemgetter(1)),
        Column(words("effects.col.organisation"), lambda a: a[2] or words("effects.whole_theme")),
        Column(words("effects.col.survey_fy"), itemgetter(3), "year"),
        Column(words("effects.col.stage"), itemgetter(4)),
        Column(with_unit(words("effects.col.sales"), "oku", words), itemgetter(5), "oku"),
        Column(with_unit(words("effects.col.cumulative_sales"), "oku", words), itemgetter(6), "oku"),
        Column(words("effects.col.products"), itemgetter(7)),
        Column(words("effects.col.effects"), itemgetter(8)),
    ]
    table = Table.of(CONFIDENTIAL, columns, answers, title=confidential_sheet(words))
    notice = [words("effects.confidential"), *([""] * (len(columns) - 1))]
    table.rows.insert(0, table.headers)
    table.headers = notice
    return table


def confidential_sheet(words: Words) -> str:
    """The name of the confidential answers' sheet: 回答（秘）."""
    return words("effects.sheet.confidential")


def confidential_notices() -> set[str]:
    """The first cell of a confidential file kpi writes (its first line, its first sheet's first row), in every
    language."""
    return {Words(lang)("effects.confidential") for lang in Lang}


def confidential_format(path: Path) -> Format:
    """The format of the confidential answers' file by its name: .csv or .xlsx; another name is a usage error."""
    fmt = named_format(path.name)
    if fmt is None or fmt not in ExportFormat:
        raise UsageProblem(
            "export.confidential_suffix", name=str(path), extensions=" ".join(extensions_of(ExportFormat))
        )
    return fmt


def confidential_file(answers: list[tuple[Any, ...]], words: Words, encoding: OutEncoding, fmt: Format) -> bytes:
    """The confidential answers as a file of their own, never one of a submission's: its first line (the workbook's
    first row) says that it is confidential."""
    table = confidential_table(answers, words)
    if fmt is Format.xlsx:
        from kpi.present.xlsx import workbook

        return workbook([table])
    return encode(table, csv_text([table.headers, *csv_rows(table)]), str(encoding), words)


# The unit a column's header names, by the kind of its numbers (kpi.present.xlsx.NUMBER_FORMATS).
UNITS = {"oku": "unit.oku", "yen": "unit.yen", "count": "unit.count", "percent": "unit.percent"}


def with_unit(header: str, kind: str, words: Words) -> str:
    """A header with the unit of its numbers, 「予算（億円）」, unless it names it already (「件数」)."""
    if kind not in UNITS:
        return header
    unit = words(UNITS[kind])
    return header if unit in header else words("export.header_unit", header=header, unit=unit)


def _theme_text(column: str, words: Words) -> Callable[[dict[str, Any]], Any]:
    """A text column of the themes table: the research item as the report writes it (①②③), the rest as stored."""
    if column == "item":
        return lambda r: words(labels.ITEM[int(r["item"])])
    return itemgetter(column)


def percent_number(cell: Any) -> Any:
    """A ratio as a CSV file writes it: its percentage as a number, to four places (0.167778 → 16.7778)."""
    if cell is None or isinstance(cell, bool | str):
        return cell
    return round(float(cell) * 100, 4)


def csv_rows(table: Table) -> list[list[Any]]:
    """A table's rows as its CSV file holds them: ratios as percentages (the header says %), the rest as is."""
    percent = [kind == "percent" for kind in table.formats]
    return [[percent_number(c) if i < len(percent) and percent[i] else c for i, c in enumerate(r)] for r in table.rows]


# Each column of the budget table (rows.BUDGET_KEYS) as the export writes it: its cell, exact, and its kind.
BUDGET_CELLS: dict[str, tuple[Callable[[Any], Any], str]] = {
    "col.fy": (attrgetter("fy"), "year"),
    "col.wareki": (lambda y: wareki(y.fy), ""),
    "col.budget": (attrgetter("budget"), "oku"),
    "col.executed": (attrgetter("executed"), "oku"),
    "col.execution_ratio": (lambda y: _ratio(y.ratio), "percent"),
    "col.cumulative_budget": (attrgetter("cumulative_budget"), "oku"),
    "col.cumulative_executed": (attrgetter("cumulative_executed"), "oku"),
    "col.cumulative_ratio": (lambda y: _ratio(y.cumulative_ratio), "percent"),
}


def _grade_of(member: str) -> Callable[[Any], Any]:
    """A working-group member's grade of a criterion (blank when the member gave none)."""
    return lambda criterion: criterion.grades.get(member)


def _reason_columns(words: Words) -> list[Column]:
    """The reason columns of the themes table, for a list that gives any reason (a list without has none)."""
    from kpi.present.effects import REASON

    return [
        Column(
            words(labels.FIELD["reason_code"]), lambda r: words(REASON[r["reason_code"]]) if r["reason_code"] else None
        ),
        Column(words(labels.FIELD["reason_text"]), lambda r: r["reason_text"]),
    ]


def _attribute_columns(report: Report) -> list[Column]:
    """A column per theme attribute the settings declare, under its name, with its stored text (blank: none given);
    none when none are declared."""
    declared = report.programme.attributes if report.programme is not None else ()

    def value(name: str) -> Callable[[dict[str, Any]], Any]:
        return lambda r: r.get("attributes", {}).get(name)

    return [Column(a.name, value(a.name)) for a in declared]


# The text columns of the themes table, in order (its years, their 和暦 and the status follow).
THEME_TEXT = {
    "theme_id": "col.theme_id",
    "item": "col.item",
    "funding": "col.funding",
    "element": "col.element",
    "organizations": "col.organizations",
    "title": "col.title",
}


def rs_tables(report: Report, words: Words) -> list[Table]:
    """The RS appropriations (yen) and indicators, as published."""
    assert report.rs is not None

    def amount(c: str) -> Column:
        if c == "execution_rate":
            return Column(words(labels.RS_COLUMN[c]), lambda a: a.execution_rate, "percent")
        return Column(words(labels.RS_COLUMN[c]), attrgetter(c), "yen")

    appropriations = Table.of(
        "rs_appropriations",
        [
            Column(words("col.rs.budget_fy"), lambda a: a.budget_fy, "year"),
            Column(words("col.wareki"), lambda a: wareki(a.budget_fy)),
            *(amount(c) for c in RS_AMOUNTS),
            Column(words("col.rs.sheet_fy"), lambda a: a.sheet_fy, "year"),
        ],
        report.rs.appropriations,
    )
    indicators = Table.of(
        "rs_indicators",
        [
            Column(words("col.rs.number"), lambda iy: iy[0].number),
            Column(
                words("col.rs.kind"),
                lambda iy: words(labels.RS_KIND[iy[0].kind]) if iy[0].kind in labels.RS_KIND else iy[0].kind,
            ),
            Column(
                words("col.rs.period"),
                lambda iy: words(labels.RS_PERIOD[iy[0].period]) if iy[0].period in labels.RS_PERIOD else iy[0].period,
            ),
            Column(words("col.indicator"), lambda iy: iy[0].indicator or iy[0].name),
            Column(words("col.rs.target_year"), lambda iy: words("mark.yes") if iy[1].fy in iy[0].target_years else ""),
            Column(words("col.fy"), lambda iy: iy[1].fy, "year"),
            Column(words("col.rs.target"), lambda iy: iy[1].target),
            Column(words("col.actual"), lambda iy: iy[1].actual),
            Column(words("col.rs.achievement_rate"), lambda iy: iy[1].achievement_rate),
        ],
        [(i, y) for i in report.rs.indicators for y in i.years],
    )
    return [appropriations, indicators]


def encode(table: Table, text: str, encoding: str, words: Words) -> bytes:
    """The file's bytes; a character with no form in the encoding names its row and stops the export."""
    try:
        return text.encode(encoding)
    except UnicodeEncodeError as exc:
        char = exc.object[exc.start : exc.end]
        where = next(
            (
                words("cli.cannot_encode.row", row=row[table.key_column], column=table.headers[i])
                for row in table.rows
                for i, cell in enumerate(row)
                if isinstance(cell, str) and char in cell
            ),
            words("cli.cannot_encode.header"),
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
    report: Report, sources: list[dict[str, Any]], words: Words, written_at: dt.datetime
) -> list[tuple[str, Any]]:
    """The workbook's first sheet as (label, value) rows: programme, 予算事業ID, as-of year, the date of the theme
    list used, kpi's version, the export time and every source file loaded (from the manifest's sources)."""
    prog = report.programme
    rows: list[tuple[str, Any]] = [
        (words("summary.programme"), prog.name if prog else words("summary.no_programme")),
        (words("html.project_id"), prog.project_id if prog else None),
        (words("summary.as_of"), words("report.as_of", fy=report.as_of_fy, wareki=wareki(report.as_of_fy))),
        (words("col.snapshot"), report.snapshot.date.isoformat() if report.snapshot else None),
        *((words("notes"), note) for note in fallback_note(report.as_of_fy, report.snapshot, words)),
        *((words("notes"), note) for note in placement_notes(report.outcome, words)),
        (words("summary.version"), f"kpi {__version__}"),
        (words("summary.written_at"), written_at.astimezone(zone_of(prog)).isoformat(sep=" ", timespec="seconds")),
    ]
    rows += [
        (
            words("summary.source"),
            words(
                "summary.source_value",
                n=s["load_id"],
                file=s["file_name"],
                kind=words(labels.KIND[s["kind"]]) if s["kind"] in labels.KIND else s["kind"],
                rows=s["row_count"],
                at=str(s["loaded_at"])[:16],
            ),
        )
        for s in sources
    ]
    return rows


def zone_of(programme: object) -> dt.tzinfo:
    """The programme's time zone (else Japan's): a submission's times are its, never the machine's, so that its files
    are the same bytes wherever they are written again."""
    from zoneinfo import ZoneInfo

    from kpi.fiscal import DEFAULT_TIMEZONE

    return ZoneInfo(getattr(programme, "timezone", None) or DEFAULT_TIMEZONE)


def summary_table(rows: list[tuple[str, Any]], words: Words) -> Table:
    """The (label, value) rows as the workbook's first sheet."""
    return Table(
        "summary", [words("col.summary_item"), words("col.summary_value")], [list(r) for r in rows], 0, ["", "id"]
    )


class Tag(NamedTuple):
    """The register's entry a set of files belongs to: its number, stage and time, the load it is computed from."""

    number: int
    stage: str
    made_at: dt.datetime  # aware
    load_id: int


MANIFEST = "manifest.json"


def build_files(
    submission: Submission,
    words: Words,
    encoding: OutEncoding,
    fmt: Format,
    tag: Tag | None = None,
    answers_sheet: bool = False,
) -> dict[str, bytes]:
    """Every file of the submission, as bytes, before anything touches the disk. The files of a registered
    submission (`tag`) carry its time, so that writing them again gives the same bytes; only the manifest says
    when it was written. `answers_sheet` adds the confidential answers as the workbook's last sheet, as kpi
    wrote them before they were written apart: only to recognise such a record (kpi.present.submit), never
    written."""
    report, sources = submission.report, submission.sources
    built = tables(report, submission.themes, words, submission.breakdown)  # (never the confidential answers)
    if answers_sheet:
        built.append(confidential_table(submission.answers or [], words))
    zone = calendar_of(report.programme)  # the manifest's times are the programme's calendar's (kpi.fiscal)
    written_at = zoned(dt.datetime.now(dt.UTC), zone)
    made_at = tag.made_at if tag is not None else written_at
    files: dict[str, bytes] = {}
    if fmt is Format.xlsx:
        from kpi.present.xlsx import workbook

        summary_items = summary_rows(report, sources, words, made_at)
        if tag is not None:
            summary_items.insert(3, (words("summary.submission"), submission_text(tag, words)))
        summary = summary_table(summary_items, words)
        summary.title = words("sheet.summary")
        files["kpi_submission.xlsx"] = workbook(built, summary, created=made_at)
    else:
        for table in built:
            files[f"{table.name}.csv"] = encode(
                table, csv_text([table.headers, *csv_rows(table)]), str(encoding), words
            )
    fy = report.as_of_fy
    manifest = {
        **({"title": submission_title(fy, tag.stage, words)} if tag is not None else {}),
        "as_of_fy": fy,
        "as_of_wareki": wareki(fy),
        "fiscal_year": {"begins": dt.date(fy, 4, 1).isoformat(), "ends": dt.date(fy + 1, 3, 31).isoformat()},
        "snapshot": report.snapshot.date.isoformat() if report.snapshot else None,
        "snapshot_fallback": report.snapshot.fallback if report.snapshot else False,
        "placement": placement_notes_json(report.outcome),
        "notes": placement_notes(report.outcome, words),
        "tool": "kpi",
        "version": __version__,
        "format": str(fmt),
        "encoding": str(encoding) if fmt is Format.csv else None,
        "lang": str(words.lang),
        **({"breakdown": {"by": submission.breakdown.grouping.by}} if submission.breakdown else {}),
        **(
            {
                "submission": {
                    "number": tag.number,
                    "stage": tag.stage,
                    "made_at": tag.made_at.isoformat(timespec="seconds"),
                    "known_at_load": tag.load_id,
                }
            }
            if tag is not None
            else {}
        ),
        "files": {name: _sha256(data) for name, data in sorted(files.items())},
        "sources": [
            {**s, "loaded_at": machine_time(dt.datetime.fromisoformat(str(s["loaded_at"])), zone)} for s in sources
        ],
        "written_at": written_at.isoformat(timespec="seconds"),
    }
    files[manifest_name(fmt)] = (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    return files


def manifest_name(fmt: Format) -> str:
    """One manifest per format, so that a folder can hold both exports: manifest.json (CSV), manifest_xlsx.json."""
    return MANIFEST if fmt is Format.csv else f"manifest_{fmt}.json"


def submission_title(fy: int, stage: str, words: Words) -> str:
    """「2025年度（令和7年度）の提出ファイル（速報値）」: what a submission is, as its manifest and `kpi export` name it."""
    return words("submission.title", fy=fy, wareki=wareki(fy), stage=words(labels.STAGE[stage]))


def submission_text(tag: Tag, words: Words) -> str:
    """「提出 #1（速報値）」: a submission's number and stage as the summary sheet says them."""
    return words("submission.tag", n=tag.number, stage=words(labels.STAGE[tag.stage]))


def submission_manifest(folder: Path) -> dict[str, Any] | None:
    """The manifest kpi wrote in a folder (tool "kpi"), which makes it a submission's folder, or None."""
    for fmt in ExportFormat:
        try:
            manifest = json.loads((folder / manifest_name(fmt)).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(manifest, dict) and manifest.get("tool") == "kpi":
            return manifest
    return None


def data_hashes(files: dict[str, bytes]) -> dict[str, str]:
    """The sha256 of each file but the manifest (which says when it was written)."""
    manifests = {manifest_name(f) for f in ExportFormat}
    return {name: _sha256(data) for name, data in sorted(files.items()) if name not in manifests}
