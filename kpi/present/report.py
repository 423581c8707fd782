"""`kpi report` as aligned text, markdown, CSV, JSON or an HTML page: every section, from the shared rows."""

from __future__ import annotations

from pathlib import Path

from kpi.errors import UsageProblem
from kpi.figures.report import Report
from kpi.figures.status import LISTS
from kpi.fiscal import wareki
from kpi.present import labels, rows
from kpi.present.catalogue import Words
from kpi.present.csvfile import csv_text, excel_bytes
from kpi.present.formats import ReportFormat
from kpi.present.tables import markdown_text, table


def heading(report: Report, words: Words) -> tuple[str, str]:
    """The report's title (programme and 予算事業ID) and its as-of line with the date of its theme list."""
    prog = report.programme
    title = words("report.title", name=prog.name, project_id=prog.project_id) if prog else words("report.no_programme")
    as_of = words("report.as_of", fy=report.as_of_fy, wareki=wareki(report.as_of_fy))
    return title, f"{as_of} · {rows.snapshot_line(report.snapshot, words)}"


def report_notes(report: Report, words: Words) -> list[str]:
    """Under the heading: the load a --known-at read is as of; figures that differ from the latest submission."""
    if report.known_at is None and (report.standing is None or not report.standing.differences):
        return []  # (kpi.present.submissions and the export tables it builds on are not imported: start-up time)
    from kpi.present.submissions import known_at_line, standing_line

    return [line for line in (known_at_line(report.known_at, words), standing_line(report.standing, words)) if line]


def report_text(report: Report, words: Words, fmt: str = "table") -> str:
    """The whole report as aligned tables (fmt 'table') or markdown (fmt 'markdown')."""
    h = "## " if fmt == "markdown" else "■ "
    none = words("none")

    def block(title: str, table_rows: rows.Table, *after: str) -> list[str]:
        headers, body = table_rows
        return [h + title, table(headers, body, fmt) if body else none, *after, ""]

    title, as_of = heading(report, words)
    if fmt == "markdown":  # the programme's name is data: inert as markdown
        title, as_of = "# " + markdown_text(title), markdown_text(as_of)
    out = [title, as_of, *report_notes(report, words), ""]
    out += [h + words("section.headline"), table(*rows.headline(report, words), fmt)]
    out += [f"{words('notes')}:", *(f"  - {note}" for note in rows.headline_notes(report, words)), ""]
    if outlook := rows.outlook_lines(report.outcome, words):
        out += [h + words("section.outlook"), *(f"- {line}" if fmt == "markdown" else line for line in outlook), ""]
    out += block(words("section.status_summary"), rows.status(report, words))
    out += block(words("section.by_element"), rows.element(report, words))
    draws = [words("note.draws")] if any(y.draws_on_earlier for y in report.budget.years) else []
    out += block(words("section.budget"), rows.budget(report, words), rows.budget_total(report, words), *draws)
    out += block(words("section.trend"), rows.trend(report, words))
    for name in LISTS:
        themes = report.themes[name]
        more = [words("list.more", n=themes.count - len(themes.rows))] if themes.count > len(themes.rows) else []
        out += block(
            words("list.heading", label=words(labels.THEME_LIST[name]), n=themes.count),
            rows.theme_list(themes, words),
            *more,
        )
    out += block(words("section.outputs"), rows.outputs(report, words), rows.grants_line(report, words))
    out += block(
        words("section.stage_gate"),
        rows.stage_gate(report.stage_gate, words),
        words("stagegate.not_reviewed_count", n=report.stage_gate.not_reviewed_count),
    )
    out += block(
        words("section.evaluation"),
        rows.evaluation(report, words),
        words("evaluation.points", points=rows.grade_points(report)),
    )
    if report.rs:
        out += block(
            words("section.rs", project_id=report.rs.project_id),
            rows.rs_appropriations(report, words),
            words("rs.note"),
        )
        out += block(words("section.rs_indicators"), rows.rs_indicators(report, words))
    return "\n".join(out).rstrip() + "\n"


def report_csv(report: Report, words: Words, line_end: str = "\n") -> str:
    """The report's tables one after another, each headed by its title row and followed by a blank line; the
    programme's name and the as-of year first, as the table report starts."""
    programme, as_of = heading(report, words)
    sections = [
        (words("section.headline"), rows.headline(report, words)),
        (words("notes"), ([], [[note] for note in rows.headline_notes(report, words)])),
        (words("section.outlook"), ([], [[line] for line in rows.outlook_lines(report.outcome, words)])),
        (words("section.status_summary"), rows.status(report, words)),
        (words("section.by_element"), rows.element(report, words)),
        (words("section.budget"), rows.budget(report, words)),
        (words("section.trend"), rows.trend(report, words)),
        *((words(labels.THEME_LIST[name]), rows.theme_list(report.themes[name], words)) for name in LISTS),
        (words("section.outputs"), rows.outputs(report, words)),
        (words("section.stage_gate"), rows.stage_gate(report.stage_gate, words)),
        (words("section.evaluation"), rows.evaluation(report, words)),
    ]
    if report.rs:
        sections += [
            (words("section.rs", project_id=report.rs.project_id), rows.rs_appropriations(report, words)),
            (words("section.rs_indicators"), rows.rs_indicators(report, words)),
        ]
    records: list[list[object]] = [[programme], [as_of], []]
    for title, (headers, body) in sections:
        records.append([title])
        if headers:
            records.append(list(headers))
        records.extend(list(row) for row in body)
        records.append([])
    return csv_text(records, line_end)


def needs_schedule(fmt: ReportFormat) -> bool:
    """Whether the format draws the charts (whose long-term one reads the maturity schedule)."""
    return fmt is ReportFormat.html


def check_options(fmt: ReportFormat, out: Path | None) -> None:
    """The HTML page is a file (--out) and needs the charts extra: usage errors otherwise, before any work."""
    if fmt is ReportFormat.html:
        if out is None:
            raise UsageProblem("cli.html_needs_out")
        from kpi.present import charts

        charts.require()


def render(report: Report, fmt: ReportFormat, words: Words, to_file: bool) -> str | bytes:
    """`kpi report` in a format: a CSV file as Excel opens it (BOM, CRLF), on stdout plain; HTML with its charts."""
    if fmt is ReportFormat.html:
        from kpi.present import charts, html

        assert report.schedule is not None, "an HTML report needs the maturity schedule (needs_schedule)"
        return html.render_html(report, words, charts.svgs(report, words, report.schedule))
    if fmt is ReportFormat.json:
        from kpi.present.json_out import dumps, report_json

        return dumps(report_json(report))
    if fmt is ReportFormat.csv:
        text = report_csv(report, words, "\r\n" if to_file else "\n")
        return excel_bytes(text) if to_file else text
    return report_text(report, words, str(fmt))
