"""The report as one self-contained HTML page: inline CSS, the charts as inline SVG, no script, no URL.

The tables are those of the text report (kpi.present.rows), so the two never disagree. Every text value is
escaped: theme titles and organisations come from user files.
"""

from __future__ import annotations

from kpi import __version__
from kpi.figures.breakdown import Breakdown
from kpi.figures.kpis import Kpi
from kpi.figures.report import Report
from kpi.figures.verdict import Verdict
from kpi.fiscal import wareki
from kpi.present import labels, rows
from kpi.present.catalogue import Words
from kpi.present.charts import CHARTS
from kpi.present.numbers import number, percent
from kpi.present.tables import e, html_table

# Nothing may be fetched: no script, no font, no image, no frame; styles only from the page itself.
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"

CSS = """
:root { --ink: #1a1a1a; --muted: #555; --line: #d0d0d0; --bg-soft: #f5f6f7;
  --met: #00664a; --met-bg: #e3f4ee; --not: #a33a00; --not-bg: #fbe7dc; --na: #4d4d4d; --na-bg: #ececec; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body { margin: 0 auto; max-width: 1120px; padding: 16px; color: var(--ink); background: #fff; line-height: 1.6;
  font-family: "Hiragino Sans", "Hiragino Kaku Gothic ProN", "Yu Gothic UI", "Yu Gothic", YuGothic, Meiryo,
    "Noto Sans JP", "Noto Sans CJK JP", "IPAexGothic", "IPAGothic", sans-serif; font-size: 15px; }
h1 { font-size: 1.35rem; line-height: 1.4; margin: 0 0 .25rem; }
h2 { font-size: 1.15rem; border-bottom: 2px solid var(--ink); padding-bottom: .2rem; margin: 2rem 0 .8rem;
  break-after: avoid; }
h3 { font-size: 1rem; margin: 1.4rem 0 .4rem; break-after: avoid; }
.asof { color: var(--muted); margin: 0; }
nav { margin: .8rem 0 0; font-size: .9rem; color: var(--muted); }
nav a { color: inherit; margin-right: .9rem; }
.kpis { display: grid; grid-template-columns: repeat(auto-fit, minmax(230px, 1fr)); gap: 12px; margin: 1rem 0; }
.kpi { border: 1px solid var(--line); border-left: 8px solid var(--na); border-radius: 6px; padding: .7rem .9rem;
  break-inside: avoid; background: #fff; }
.kpi.met { border-left-color: var(--met); }
.kpi.not-met { border-left-color: var(--not); }
.kpi .label { font-size: .88rem; color: var(--muted); margin: 0; min-height: 2.6em; }
.kpi .value { font-size: 2.5rem; font-weight: 700; line-height: 1.15; margin: .2rem 0 0;
  font-variant-numeric: tabular-nums; }
.kpi .frac { font-size: .9rem; color: var(--muted); margin: 0; }
.kpi .target { font-size: .95rem; margin: .3rem 0 0; }
.verdict { display: inline-block; font-weight: 700; font-size: 1.05rem; padding: .1rem .6rem; border-radius: 4px;
  margin-top: .35rem; color: var(--na); background: var(--na-bg); }
.met .verdict { color: var(--met); background: var(--met-bg); }
.not-met .verdict { color: var(--not); background: var(--not-bg); }
.kpi .outlook { font-size: .85rem; margin: .45rem 0 0; color: var(--ink); border-top: 1px dashed var(--line);
  padding-top: .35rem; }
.notes { font-size: .88rem; color: var(--muted); margin: .4rem 0 0; padding-left: 1.2rem; }
.charts { display: grid; grid-template-columns: minmax(0, 1fr); gap: 16px; max-width: 960px; }
figure.chart { margin: 0; border: 1px solid var(--line); border-radius: 6px; padding: 8px; background: #fff;
  break-inside: avoid; page-break-inside: avoid; }
figure.chart svg { display: block; width: 100%; height: auto; }
figure.chart figcaption { font-size: .85rem; color: var(--muted); margin-top: .3rem; }
.scroll { overflow-x: auto; -webkit-overflow-scrolling: touch; }
table { border-collapse: collapse; font-size: .9rem; margin: .3rem 0 .4rem; min-width: 50%; }
th, td { border: 1px solid var(--line); padding: .3rem .55rem; text-align: left; vertical-align: top; }
th { background: var(--bg-soft); font-weight: 600; white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr { break-inside: avoid; page-break-inside: avoid; }
p.total, p.note { font-size: .88rem; margin: .2rem 0 0; }
p.none { color: var(--muted); }
footer { margin-top: 2.5rem; font-size: .8rem; color: var(--muted); border-top: 1px solid var(--line); padding-top: .5rem; }
table.themes { width: 100%; }
table.themes td:nth-child(4) { min-width: 9em; }
table.themes td:nth-child(5) { min-width: 16em; }
@media (max-width: 600px) {
  body { padding: 10px; font-size: 14px; }
  .kpis { grid-template-columns: 1fr 1fr; gap: 8px; }
  .kpi { padding: .5rem .6rem; border-left-width: 6px; }
  .kpi .value { font-size: 1.9rem; }
  .verdict { font-size: .95rem; padding: .1rem .4rem; }
  table { font-size: .8rem; }
  table.themes td:nth-child(5) { min-width: 12em; }
}
@page { size: A4; margin: 14mm 12mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  nav { display: none; }
  .kpis { grid-template-columns: repeat(4, 1fr); gap: 3mm; }
  .kpi { padding: 2mm 3mm; }
  .kpi .value { font-size: 20pt; }
  .verdict { font-size: 10pt; }
  .charts { display: block; max-width: none; }
  figure.chart { margin: 0 0 5mm; border: none; padding: 0; }
  table { font-size: 8.5pt; }
  a { color: inherit; text-decoration: none; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""


# The parts of the page the report's sections fall in (kpi.present.rows.Section.part), by their heading.
PART = {"tables": "html.tables", "lists": "html.lists", "figures": "html.figures"}

VERDICT_CLASS = {Verdict.MET: "met", Verdict.NOT_MET: "not-met"}
VERDICT_MARK = {Verdict.MET: "✓ ", Verdict.NOT_MET: "✗ "}  # so that met / not met never rests on colour alone


def card(kpi: Kpi, label: str, target: str, verdict: str, words: Words) -> str:
    """One KPI as a large card: value, numerator / denominator, target, verdict, and what it can still become."""
    frac = (
        words("html.fraction", n=number(kpi.numerator), d=number(kpi.denominator)) if kpi.numerator is not None else ""
    )
    outlook = rows.outlook_line(kpi, words)
    reach = getattr(kpi.outlook, "reach", None)
    note = (
        f'<p class="outlook" data-outlook="{e(reach or "count")}">{e(outlook.split(": ", 1)[-1])}</p>'
        if outlook
        else ""
    )
    return (
        f'<div class="kpi {VERDICT_CLASS.get(kpi.verdict, "na")}" data-verdict="{e(kpi.verdict)}">'
        f'<p class="label">{e(label)}</p>'
        f'<p class="value">{e(percent(kpi.ratio))}</p>'
        f'<p class="frac">{e(frac)}</p>'
        f'<p class="target">{e(words("col.target"))}: {e(target)}</p>'
        f'<span class="verdict">{e(VERDICT_MARK.get(kpi.verdict, ""))}{e(verdict)}</span>'
        f"{note}"
        "</div>"
    )


def kpi_cards(report: Report, words: Words) -> str:
    """The headline indicators as large cards, then the cumulative execution ratio (no target)."""
    headline = rows.headline(report, words).rows
    cards = [
        card(kpi, label, target, verdict, words)
        for kpi, (label, _, _, _, target, verdict) in zip(report.outcome.kpis, headline, strict=True)
    ]
    b = report.budget
    if b.years:
        sub = words("html.cumulative_execution_sub", executed=number(b.total_executed), budget=number(b.total_budget))
        cards.append(
            '<div class="kpi na">'
            f'<p class="label">{e(words("html.cumulative_execution"))}</p>'
            f'<p class="value">{e(percent(b.ratio))}</p>'
            f'<p class="frac">{e(sub)}</p>'
            "</div>"
        )
    return '<div class="kpis">' + "\n".join(cards) + "</div>"


def charts_section(report: Report, words: Words, charts_svg: dict[str, str]) -> str:
    """The charts, each an inline SVG in a figure with a one-line caption."""
    figures = []
    for name in CHARTS:
        svg = charts_svg.get(name)
        if svg is None:
            continue
        note = words(labels.CHART_NOTE[name], horizon=report.outcome.horizon_years)
        figures.append(
            f'<figure class="chart" id="chart-{e(name)}">\n{svg}\n<figcaption>{e(note)}</figcaption></figure>'
        )
    return '<div class="charts">\n' + "\n".join(figures) + "\n</div>"


def head(title: str, words: Words) -> list[str]:
    """A page's start up to <body>: its language, the policy that nothing is fetched, its title (text, escaped here)
    and its styles."""
    return [
        "<!DOCTYPE html>",
        f'<html lang="{e(words.lang)}">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{e(CSP)}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="referrer" content="no-referrer">',
        f'<meta name="generator" content="kpi {e(__version__)}">',
        f"<title>{e(title)}</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
    ]


def render_html(report: Report, words: Words, charts_svg: dict[str, str]) -> str:
    """The whole report as one HTML document; charts_svg maps chart names to inline SVG (kpi.present.charts.svgs)."""
    prog = report.programme
    fy = report.as_of_fy
    as_of = words("report.as_of", fy=fy, wareki=wareki(fy))
    heading = prog.name if prog else words("report.no_programme")
    listed = rows.snapshot_line(report.snapshot, words)
    sub = f"{words('html.project_id')} {prog.project_id} · {as_of} · {listed}" if prog else f"{as_of} · {listed}"
    none = f'<p class="none">{e(words("none"))}</p>'

    parts: list[str] = [
        *head(f"{words('html.title')} {as_of} — {heading}", words),
        "<header>",
        f"<h1>{e(heading)}</h1>",
        f'<p class="asof">{e(sub)}</p>',
        f'<nav aria-label="{e(words("html.contents"))}"><a href="#headline">{e(words("section.headline"))}</a>'
        f'<a href="#charts">{e(words("html.charts"))}</a><a href="#tables">{e(words("html.tables"))}</a>'
        f'<a href="#lists">{e(words("html.lists"))}</a><a href="#figures">{e(words("html.figures"))}</a></nav>',
        "</header>",
        "<main>",
        '<section id="headline">',
        f"<h2>{e(words('section.headline'))}</h2>",
        kpi_cards(report, words),
        '<ul class="notes">' + "".join(f"<li>{e(n)}</li>" for n in rows.headline_notes(report, words)) + "</ul>",
        "</section>",
        '<section id="charts">',
        f"<h2>{e(words('html.charts'))}</h2>",
        charts_section(report, words, charts_svg),
        "</section>",
    ]
    part = None
    for section in rows.sections(report, words):
        if section.part != part:
            parts += [*(["</section>"] if part else []), f'<section id="{e(section.part)}">']
            parts.append(f"<h2>{e(words(PART[section.part]))}</h2>")
            part = section.part
        anchor = f' id="{e(section.anchor)}"' if section.anchor else ""
        table = section.table
        shown = html_table(table.headers, table.text_rows, "themes" if section.anchor else None)
        parts += [f"<h3{anchor}>{e(section.heading)}</h3>", shown or none]
        parts += [f'<p class="{line.page}">{e(line.text)}</p>' for line in section.lines if line.page]
    parts += [
        "</section>",
        "</main>",
        f"<footer>{e(as_of)} · {e(words('html.generated', version=__version__))}</footer>",
        "</body>",
        "</html>",
    ]
    return "\n".join(parts) + "\n"


def breakdown_html(found: Breakdown, words: Words) -> str:
    """A breakdown (`kpi report --by … --format html`) as one HTML document: each KPI's chart and table per group with
    its outlook, then the status chart and table (the charts of `kpi chart … --by`, inline SVG)."""
    from kpi.present import breakdown as shown
    from kpi.present.charts import BY_CHARTS, inline_svg, render_breakdown

    programme = found.programme.name if found.programme else None
    charts_svg = {
        name: inline_svg(render_breakdown(found, name, words, "svg", programme).decode("utf-8"), f"kpi-by-{name}", name)
        for name in BY_CHARTS
    }
    title = shown.heading(found, words)
    none = f'<p class="none">{e(words("none"))}</p>'
    parts = [
        *head(f"{title} — {programme}" if programme else title, words),
        "<header>",
        f"<h1>{e(programme or title)}</h1>",
        *([f'<p class="asof">{e(title)}</p>'] if programme else []),
        *(f'<p class="asof">{e(line)}</p>' for line in shown.known_at(found, words)),
        "</header>",
        "<main>",
    ]
    charts = [*shown.CHART_OF_TABLE.values()]
    for table, said in zip(shown.tables(found, words), shown.every_outlook(found, words), strict=True):
        chart = shown.CHART_OF_TABLE.get(table.name)
        parts += ["<section>", f"<h2>{e(table.title)}</h2>"]
        if chart in charts_svg:
            parts.append(f'<div class="charts"><figure class="chart">{charts_svg[chart]}</figure></div>')
        parts.append(html_table(table.headers, table.text_rows) or none)
        parts += [f'<p class="note">{e(line)}</p>' for line in said]
        parts.append("</section>")
    assert set(charts) >= set(charts_svg), "a chart the page has no place for"
    parts += [
        '<ul class="notes">' + "".join(f"<li>{e(n)}</li>" for n in shown.footnotes(found, words)) + "</ul>",
        "</main>",
        f"<footer>{e(words('html.generated', version=__version__))}</footer>",
        "</body>",
        "</html>",
    ]
    return "\n".join(parts) + "\n"
