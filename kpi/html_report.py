"""The report as one self-contained HTML page: inline CSS, the four charts as inline SVG, no script, no URL.

The tables are those of the text report (kpi.render's rows), so the two never disagree. Every text value is
escaped: theme titles and organisations come from user files.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Any

from kpi import __version__
from kpi.charts import CHARTS, percent_of
from kpi.fiscal import wareki
from kpi.render import (
    L,
    budget_rows,
    budget_total_line,
    element_rows,
    evaluation_rows,
    grants_line,
    headline_notes,
    headline_rows,
    list_rows,
    outputs_rows,
    rs_indicator_rows,
    rs_rows,
    stage_gate_rows,
    status_rows,
    trend_rows,
)

if TYPE_CHECKING:
    import duckdb

# Nothing may be fetched: no script, no font, no image, no frame; styles only from the page itself.
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"

H: dict[str, dict[str, Any]] = {
    "ja": {
        "title": "KPI報告",
        "charts": "グラフ",
        "tables": "集計表",
        "lists": "要確認テーマ",
        "figures": "その他の評価指標",
        "contents": "目次",
        "project_id": "予算事業ID",
        "cum_exec": "累計執行率（参考・目標なし）",
        "cum_exec_sub": "執行 {e} / 予算 {b} 億円",
        "of": "{n} / {d}",
        "generated": "kpi {v} により作成。データは読み込み済みのファイルによる。",
        "chart_notes": {
            "short_term": "各年度末時点の 目標達成 / 研究開発完了。点線が目標。▼は目標を下回る年度。",
            "long_term": "上: {h}年経過テーマのうち実用化（製品化・上市）の割合。下: 各年度に{h}年経過時点に達するテーマ数と累計。",
            "budget": "棒: 各年度の予算・執行（億円）。線: 累計執行率（右軸）。",
            "status": "先導研究を除く採択テーマの状況。数字はテーマ数。",
        },
    },
    "en": {
        "title": "KPI report",
        "charts": "Charts",
        "tables": "Tables",
        "lists": "Themes to follow up",
        "figures": "Other evaluation figures",
        "contents": "Contents",
        "project_id": "budget project ID",
        "cum_exec": "cumulative execution ratio (for reference, no target)",
        "cum_exec_sub": "executed {e} / budget {b} (100M yen)",
        "of": "{n} / {d}",
        "generated": "Made by kpi {v} from the files loaded.",
        "chart_notes": {
            "short_term": "Achieved / completed at each year's end. Dashed: the target. ▼: a year below target.",
            "long_term": "Top: commercialised share of themes {h} years past their end. Bottom: themes reaching that point each year, and the running total.",
            "budget": "Bars: budget and execution per year (100M yen). Line: cumulative execution ratio (right axis).",
            "status": "Adopted themes except leading research. Numbers are themes.",
        },
    },
}

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


def e(value: Any) -> str:
    """A value as escaped HTML text ('' for None)."""
    return "" if value is None else escape(str(value), quote=True)


def _is_number(text: str) -> bool:
    """Whether a table cell reads as a number, a percentage or a dash (right-aligned)."""
    core = text.replace(",", "").replace("%", "").replace("※", "").replace("*", "").strip()
    if core in ("—", "-"):
        return True
    try:
        float(core)
    except ValueError:
        return False
    return True


def table(headers: list[str], rows: list[list[Any]], css_class: str | None = None) -> str:
    """An HTML table; columns whose every cell is a number are right-aligned."""
    if not rows:
        return ""
    numeric = [all(_is_number(str(r[i])) for r in rows) for i in range(len(headers))]
    cls = [' class="num"' if n else "" for n in numeric]
    head = "".join(f'<th scope="col"{c}>{e(h)}</th>' for h, c in zip(headers, cls, strict=True))
    body = "\n".join(
        "<tr>" + "".join(f"<td{c}>{e(v)}</td>" for v, c in zip(r, cls, strict=True)) + "</tr>" for r in rows
    )
    attr = f' class="{e(css_class)}"' if css_class else ""
    return f'<div class="scroll"><table{attr}><thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody></table></div>'


def _verdict_class(met: bool | None) -> str:
    return "na" if met is None else ("met" if met else "not-met")


def _mark(met: bool | None) -> str:
    """A sign beside the verdict, so that met / not met never rests on colour alone."""
    return "" if met is None else ("✓ " if met else "✗ ")


def kpi_cards(report: dict[str, Any], lang: str) -> str:
    """The headline indicators as large cards: value, numerator / denominator, target, met or not."""
    t, h = L[lang], H[lang]
    st, lt = report["short_term"], report["long_term"]
    mets = [st["met"], lt["met"], lt["matured_met"]]
    cards = []
    for row, met in zip(headline_rows(report, t), mets, strict=True):
        label, num, den, actual, target, verdict = row
        frac = h["of"].format(n=num, d=den) if num != "—" else ""
        cards.append(
            f'<div class="kpi {_verdict_class(met)}">'
            f'<p class="label">{e(label)}</p>'
            f'<p class="value">{e(actual)}</p>'
            f'<p class="frac">{e(frac)}</p>'
            f'<p class="target">{e(t["target"])}: {e(target)}</p>'
            f'<span class="verdict">{e(_mark(met))}{e(verdict)}</span>'
            "</div>"
        )
    total = report["budget"]["total"]
    if report["budget"]["years"]:
        cards.append(
            '<div class="kpi na">'
            f'<p class="label">{e(h["cum_exec"])}</p>'
            f'<p class="value">{e(percent_of(total["executed"], total["budget"]))}</p>'
            f'<p class="frac">{e(h["cum_exec_sub"].format(e=_num(total["executed"]), b=_num(total["budget"])))}</p>'
            "</div>"
        )
    return '<div class="kpis">' + "\n".join(cards) + "</div>"


def _num(v: Any) -> str:
    if v is None:
        return "—"
    if isinstance(v, float):
        return f"{v:,.2f}".rstrip("0").rstrip(".")
    return f"{v:,}"


def charts_section(report: dict[str, Any], lang: str, charts_svg: dict[str, str]) -> str:
    """The four charts, each an inline SVG in a figure with a one-line caption."""
    h = H[lang]
    horizon = report["long_term"]["horizon_years"]
    figures = []
    for name in CHARTS:
        svg = charts_svg.get(name)
        if svg is None:
            continue
        note = h["chart_notes"][name].format(h=horizon)
        figures.append(
            f'<figure class="chart" id="chart-{e(name)}">\n{svg}\n<figcaption>{e(note)}</figcaption></figure>'
        )
    return '<div class="charts">\n' + "\n".join(figures) + "\n</div>"


def render_html(report: dict[str, Any], lang: str, charts_svg: dict[str, str]) -> str:
    """The whole report as one HTML document; charts_svg maps chart names to inline SVG (kpi.charts.svgs)."""
    if lang not in H:
        raise ValueError(f"unknown language {lang!r} (use ja or en)")
    t, h = L[lang], H[lang]
    prog = report["programme"]
    fy = report["as_of_fy"]
    as_of = t["as_of"].format(fy=fy, wareki=wareki(fy))
    heading = prog["name"] if prog else t["programme_missing"]
    sub = f"{h['project_id']} {prog['project_id']} · {as_of}" if prog else as_of
    page_title = f"{h['title']} {as_of} — {heading}"

    parts: list[str] = [
        "<!DOCTYPE html>",
        f'<html lang="{e(lang)}">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{e(CSP)}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="referrer" content="no-referrer">',
        f'<meta name="generator" content="kpi {e(__version__)}">',
        f"<title>{e(page_title)}</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>{e(heading)}</h1>",
        f'<p class="asof">{e(sub)}</p>',
        f'<nav aria-label="{e(h["contents"])}"><a href="#headline">{e(t["headline"])}</a>'
        f'<a href="#charts">{e(h["charts"])}</a><a href="#tables">{e(h["tables"])}</a>'
        f'<a href="#lists">{e(h["lists"])}</a><a href="#figures">{e(h["figures"])}</a></nav>',
        "</header>",
        "<main>",
        '<section id="headline">',
        f"<h2>{e(t['headline'])}</h2>",
        kpi_cards(report, lang),
        '<ul class="notes">' + "".join(f"<li>{e(n)}</li>" for n in headline_notes(report, t)) + "</ul>",
        "</section>",
        '<section id="charts">',
        f"<h2>{e(h['charts'])}</h2>",
        charts_section(report, lang, charts_svg),
        "</section>",
        '<section id="tables">',
        f"<h2>{e(h['tables'])}</h2>",
    ]
    for key, rows_of in (("status_summary", status_rows), ("by_element", element_rows)):
        headers, rows = rows_of(report, t)
        parts += [f"<h3>{e(t[key])}</h3>", table(headers, rows) or f'<p class="none">{e(t["none"])}</p>']
    headers, rows = budget_rows(report, t, lang)
    parts += [
        f"<h3>{e(t['budget'])}</h3>",
        table(headers, rows) or f'<p class="none">{e(t["none"])}</p>',
        f'<p class="total">{e(budget_total_line(report, t))}</p>',
    ]
    if any(y["draws_on_earlier"] for y in report["budget"]["years"]):
        parts.append(f'<p class="note">{e(t["draws_note"])}</p>')
    headers, rows = trend_rows(report, t)
    parts += [f"<h3>{e(t['trend'])}</h3>", table(headers, rows) or f'<p class="none">{e(t["none"])}</p>']
    parts += ["</section>", '<section id="lists">', f"<h2>{e(h['lists'])}</h2>"]
    for name, label in t["lists"].items():
        headers, rows = list_rows(report["themes"][name], t)
        total = report["theme_counts"][name]
        parts += [
            f'<h3 id="list-{e(name)}">{e(label)}（{total}）</h3>',
            table(headers, rows, "themes") or f'<p class="none">{e(t["none"])}</p>',
        ]
        if total > len(rows):
            parts.append(f'<p class="note">{e(t["more"].format(n=total - len(rows)))}</p>')
    parts += ["</section>", '<section id="figures">', f"<h2>{e(h['figures'])}</h2>"]
    none = f'<p class="none">{e(t["none"])}</p>'
    headers, rows = outputs_rows(report, t)
    parts += [
        f"<h3>{e(t['outputs'])}</h3>",
        table(headers, rows) or none,
        f'<p class="total">{e(grants_line(report, t))}</p>',
    ]
    headers, rows = stage_gate_rows(report, t)
    parts += [f"<h3>{e(t['stage_gate'])}</h3>", table(headers, rows) or none]
    parts.append(f'<p class="note">{e(t["not_reviewed"].format(n=report["stage_gate"]["not_reviewed_count"]))}</p>')
    headers, rows = evaluation_rows(report, t)
    parts += [f"<h3>{e(t['evaluation'])}</h3>", table(headers, rows) or none]
    if report.get("rs"):
        headers, rows = rs_rows(report, t)
        title = t["rs"].format(p=report["rs"]["project_id"])
        parts += [f"<h3>{e(title)}</h3>", table(headers, rows) or none, f'<p class="note">{e(t["rs_note"])}</p>']
        headers, rows = rs_indicator_rows(report, t)
        parts += [f"<h3>{e(t['rs_indicators'])}</h3>", table(headers, rows) or none]
    parts += [
        "</section>",
        "</main>",
        f"<footer>{e(as_of)} · {e(h['generated'].format(v=__version__))}</footer>",
        "</body>",
        "</html>",
    ]
    return "\n".join(parts) + "\n"


def report_html(report: dict[str, Any], con: duckdb.DuckDBPyConnection, lang: str) -> str:
    """The HTML report with its charts drawn (imports matplotlib); con is read for the long-term schedule only."""
    from kpi import charts

    schedule = charts.schedule_for(con, report)
    return render_html(report, lang, charts.svgs(report, lang, schedule))
