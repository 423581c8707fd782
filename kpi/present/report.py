"""`kpi report` as aligned text, markdown, CSV, JSON or an HTML page: every section, from the shared rows."""

from __future__ import annotations

from pathlib import Path

from kpi.errors import UsageProblem
from kpi.figures.report import Report
from kpi.fiscal import wareki
from kpi.present import rows
from kpi.present.catalogue import Words
from kpi.present.csvfile import csv_text, excel_bytes
from kpi.present.formats import ReportFormat
from kpi.present.tables import markdown_text, table

LISTS = ("delayed", "awaiting_final", "not_achieved")


def heading(rep: Report, w: Words) -> tuple[str, str]:
    """The report's title (programme and 予算事業ID) and its as-of line with the date of its theme list."""
    prog = rep.programme
    title = w("report.title", name=prog.name, project_id=prog.project_id) if prog else w("report.no_programme")
    as_of = w("report.as_of", fy=rep.as_of_fy, wareki=wareki(rep.as_of_fy))
    return title, f"{as_of} · {rows.snapshot_line(rep.snapshot, w)}"


def report_text(rep: Report, w: Words, fmt: str = "table") -> str:
    """The whole report as aligned tables (fmt 'table') or markdown (fmt 'markdown')."""
    h = "## " if fmt == "markdown" else "■ "
    none = w("none")

    def block(title: str, table_rows: rows.Table, *after: str) -> list[str]:
        headers, body = table_rows
        return [h + title, table(headers, body, fmt) if body else none, *after, ""]

    title, as_of = heading(rep, w)
    if fmt == "markdown":  # the programme's name is data: inert as markdown
        title, as_of = "# " + markdown_text(title), markdown_text(as_of)
    out = [title, as_of, ""]
    out += [h + w("section.headline"), table(*rows.headline(rep, w), fmt)]
    out += [f"{w('notes')}:", *(f"  - {note}" for note in rows.headline_notes(rep, w)), ""]
    if outlook := rows.outlook_lines(rep.outcome, w):
        out += [h + w("section.outlook"), *(f"- {line}" if fmt == "markdown" else line for line in outlook), ""]
    out += block(w("section.status_summary"), rows.status(rep, w))
    out += block(w("section.by_element"), rows.element(rep, w))
    draws = [w("note.draws")] if any(y.draws_on_earlier for y in rep.budget.years) else []
    out += block(w("section.budget"), rows.budget(rep, w), rows.budget_total(rep, w), *draws)
    out += block(w("section.trend"), rows.trend(rep, w))
    for name in LISTS:
        themes = rep.themes[name]
        more = [w("list.more", n=themes.count - len(themes.rows))] if themes.count > len(themes.rows) else []
        out += block(w("list.heading", label=w(f"list.{name}"), n=themes.count), rows.theme_list(themes, w), *more)
    out += block(w("section.outputs"), rows.outputs(rep, w), rows.grants_line(rep, w))
    out += block(
        w("section.stage_gate"),
        rows.stage_gate(rep.stage_gate, w),
        w("stagegate.not_reviewed_count", n=rep.stage_gate.not_reviewed_count),
    )
    out += block(
        w("section.evaluation"), rows.evaluation(rep, w), w("evaluation.points", points=rows.grade_points(rep))
    )
    if rep.rs:
        out += block(w("section.rs", project_id=rep.rs.project_id), rows.rs_appropriations(rep, w), w("rs.note"))
        out += block(w("section.rs_indicators"), rows.rs_indicators(rep, w))
    return "\n".join(out).rstrip() + "\n"


def report_csv(rep: Report, w: Words, line_end: str = "\n") -> str:
    """The report's tables one after another, each headed by its title row and followed by a blank line."""
    title, as_of = heading(rep, w)
    sections = [
        (w("section.headline"), rows.headline(rep, w)),
        (w("notes"), ([as_of], [[note] for note in rows.headline_notes(rep, w)])),
        (w("section.outlook"), ([w("section.outlook")], [[line] for line in rows.outlook_lines(rep.outcome, w)])),
        (w("section.status_summary"), rows.status(rep, w)),
        (w("section.by_element"), rows.element(rep, w)),
        (w("section.budget"), rows.budget(rep, w)),
        (w("section.trend"), rows.trend(rep, w)),
        *((w(f"list.{name}"), rows.theme_list(rep.themes[name], w)) for name in LISTS),
        (w("section.outputs"), rows.outputs(rep, w)),
        (w("section.stage_gate"), rows.stage_gate(rep.stage_gate, w)),
        (w("section.evaluation"), rows.evaluation(rep, w)),
    ]
    if rep.rs:
        sections += [
            (w("section.rs", project_id=rep.rs.project_id), rows.rs_appropriations(rep, w)),
            (w("section.rs_indicators"), rows.rs_indicators(rep, w)),
        ]
    records: list[list[object]] = []
    for title, (headers, body) in sections:
        records.append([title])
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


def render(rep: Report, fmt: ReportFormat, w: Words, to_file: bool) -> str | bytes:
    """`kpi report` in a format: a CSV file as Excel opens it (BOM, CRLF), on stdout plain; HTML with its charts."""
    if fmt is ReportFormat.html:
        from kpi.present import charts, html

        assert rep.schedule is not None, "an HTML report needs the maturity schedule (needs_schedule)"
        return html.render_html(rep, w, charts.svgs(rep, w, rep.schedule))
    if fmt is ReportFormat.json:
        from kpi.present.json_out import dumps, report_json

        return dumps(report_json(rep))
    if fmt is ReportFormat.csv:
        text = report_csv(rep, w, "\r\n" if to_file else "\n")
        return excel_bytes(text) if to_file else text
    return report_text(rep, w, str(fmt))
