"""`kpi report` as aligned text, markdown, CSV, JSON or an HTML page: every section, from the shared rows."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from kpi.errors import UsageProblem
from kpi.figures.breakdown import Breakdown
from kpi.figures.report import Report
from kpi.fiscal import wareki
from kpi.present import rows
from kpi.present.catalogue import Words
from kpi.present.csvfile import csv_text, excel_bytes
from kpi.present.formats import Format
from kpi.present.milestones import next_evaluation_line
from kpi.present.tables import block, markdown_text, text
from kpi.present.tables import heading as section


def heading(report: Report, words: Words) -> tuple[str, str]:
    """The report's title (programme and 予算事業ID, and the next evaluation when the settings declare the calendar) and
    its as-of line with the date of its theme list."""
    prog = report.programme
    title = words("report.title", name=prog.name, project_id=prog.project_id) if prog else words("report.no_programme")
    if (evaluation := next_evaluation_line(prog, report.as_of_fy, words)) is not None:
        title = f"{title} · {evaluation}"  # only when the settings declare an evaluation calendar
    as_of = words("report.as_of", fy=report.as_of_fy, wareki=wareki(report.as_of_fy))
    return title, f"{as_of} · {rows.snapshot_line(report.snapshot, words)}"


def report_notes(report: Report, words: Words) -> list[str]:
    """Under the heading: the load a --known-at read is as of; figures that differ from the latest submission."""
    if report.known_at is None and (report.standing is None or not report.standing.differences):
        return []  # (kpi.present.submissions and the export tables it builds on are not imported: start-up time)
    from kpi.fiscal import calendar_of
    from kpi.present.submissions import known_at_line, standing_line

    known_at = known_at_line(report.known_at, words, calendar_of(report.programme))
    return [line for line in (known_at, standing_line(report.standing, words)) if line]


def report_text(report: Report, words: Words, fmt: Format = Format.table) -> str:
    """The whole report as aligned tables (Format.table) or markdown (Format.markdown)."""
    title, as_of = heading(report, words)
    if fmt is Format.markdown:  # the programme's name is data: inert as markdown
        title, as_of = "# " + markdown_text(title), markdown_text(as_of)
    out = [title, as_of, *report_notes(report, words), ""]
    out += [section(words("section.headline"), fmt), text(rows.headline(report, words), fmt)]
    out += [f"{words('notes')}:", *(f"  - {note}" for note in rows.headline_notes(report, words)), ""]
    if outlook := rows.outlook_lines(report.outcome, words):
        bullet = "- " if fmt is Format.markdown else ""
        out += [section(words("section.outlook"), fmt), *(bullet + line for line in outlook), ""]
    for s in rows.sections(report, words):
        out += block(s.heading, s.table, fmt, words("none"), *(line.text for line in s.lines))
    return "\n".join(out).rstrip() + "\n"


def report_csv(report: Report, words: Words, line_end: str = "\n") -> str:
    """The report's tables one after another, each headed by its title row and followed by a blank line; the
    programme's name and the as-of year first, as the table report starts."""
    programme, as_of = heading(report, words)
    head = rows.headline(report, words)
    records: list[Sequence[Any]] = [[programme], [as_of], []]
    records += [[words("section.headline")], head.headers, *head.rows, []]
    records += [[words("notes")], *([note] for note in rows.headline_notes(report, words)), []]
    records += [[words("section.outlook")], *([line] for line in rows.outlook_lines(report.outcome, words)), []]
    for s in rows.sections(report, words):
        records += [[s.csv_heading or s.heading], s.table.headers, *s.table.rows, []]
    return csv_text(records, line_end)


def needs_schedule(fmt: Format) -> bool:
    """Whether the format draws the charts (whose long-term one reads the maturity schedule)."""
    return fmt is Format.html


def check_options(fmt: Format, out: Path | None, by: str | None = None) -> None:
    """The HTML page (of the report, or of a breakdown: --by) is a file (--out) and needs the charts extra: usage
    errors otherwise, before any work."""
    if fmt is Format.html:
        if out is None:
            raise UsageProblem("cli.html_needs_out")
        from kpi.present import charts

        charts.require()


def render_breakdown(found: Breakdown, fmt: Format, words: Words, to_file: bool) -> str | bytes:
    """`kpi report --by` in a format: the page with its charts (HTML), else kpi.present.breakdown's tables."""
    if fmt is Format.html:
        from kpi.present import html

        return html.breakdown_html(found, words)
    from kpi.present import breakdown

    return breakdown.render(found, fmt, words, to_file)


def render(report: Report, fmt: Format, words: Words, to_file: bool) -> str | bytes:
    """`kpi report` in a format: a CSV file as Excel opens it (BOM, CRLF), on stdout plain; HTML with its charts."""
    if fmt is Format.html:
        from kpi.present import charts, html

        assert report.schedule is not None, "an HTML report needs the maturity schedule (needs_schedule)"
        return html.render_html(report, words, charts.svgs(report, words, report.schedule))
    if fmt is Format.json:
        from kpi.present.json_out import dumps, report_json

        return dumps(report_json(report))
    if fmt is Format.csv:
        text = report_csv(report, words, "\r\n" if to_file else "\n")
        return excel_bytes(text) if to_file else text
    return report_text(report, words, fmt)
