"""The report's four charts (matplotlib, bundled Japanese font, Okabe–Ito colours) as PNG or SVG.

matplotlib and matplotlib-fontja are imported inside the functions only, so that every other command
starts without them. Each chart is drawn from the dict of kpi.metrics.report(); the long-term chart
also needs maturity_schedule(), the one query of its own here.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kpi.fiscal import wareki
from kpi.metrics import POPULATION, ratio
from kpi.render import L, percent
from kpi.store import fetch_one

if TYPE_CHECKING:
    import duckdb
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

CHARTS: tuple[str, ...] = ("short_term", "long_term", "budget", "status")
FORMATS: tuple[str, ...] = (".png", ".svg")
DPI = 300
FONT_FAMILY = "IPAexGothic"  # shipped by matplotlib-fontja (IPAexゴシック)
DEFAULT_JUDGED_FY = 2030

# Okabe & Ito (2008), a palette told apart with every common colour-vision deficiency.
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}
STATUS_COLOURS = {
    "achieved": OKABE_ITO["bluish_green"],
    "on_track": OKABE_ITO["sky_blue"],
    "delayed_or_not_achieved": OKABE_ITO["vermillion"],
}
SIZES = {"short_term": (6.4, 3.6), "long_term": (6.4, 4.8), "budget": (6.4, 3.6), "status": (6.4, 4.8)}

CL: dict[str, dict[str, str]] = {
    "ja": {
        "short_term": "短期指標の推移（目標達成 / 研究開発完了）",
        "long_term": "長期指標: {h}年経過テーマの実用化率と到達年度",
        "budget": "予算と執行（億円）、累計執行率",
        "status": "研究開発の状況（研究開発項目・基盤要素別、先導研究除く）",
        "ratio_axis": "目標達成率",
        "ratio_line": "目標達成 / 研究開発完了（各年度末）",
        "below": "目標を下回る年度",
        "target_line": "目標 {p}",
        "matured_axis": "実用化率",
        "matured_line": "実用化 / {h}年経過テーマ",
        "no_followups": "追跡調査データなし: 長期指標は未算出（0%ではない）",
        "no_matured": "{h}年経過テーマなし: 実用化率は未算出",
        "reaching": "{h}年経過時点に達するテーマ数",
        "cumulative": "累計（{h}年経過済み）",
        "later": "{fy}年度以降",
        "judged": "判定 {fy}年度",
        "themes_axis": "テーマ数",
        "oku_yen": "億円",
        "budget_bar": "予算",
        "executed_bar": "執行",
        "cum_ratio": "累計執行率（右軸）",
        "draws": "※ 執行が当該年度予算を上回る（前年度までの予算を充当）",
        "no_data": "データなし",
        "item_element": "{item} {element}",
    },
    "en": {
        "short_term": "Short-term ratio by fiscal year (achieved / completed)",
        "long_term": "Long-term: commercialised share of themes {h} years past end",
        "budget": "Budget and execution (100M yen) with cumulative execution ratio",
        "status": "Status of themes by item and element (leading research excluded)",
        "ratio_axis": "achieved / completed",
        "ratio_line": "achieved / completed (at each year's end)",
        "below": "below target",
        "target_line": "target {p}",
        "matured_axis": "commercialised",
        "matured_line": "commercialised / {h} years past end",
        "no_followups": "No follow-up surveys loaded: not computed (this is not 0%)",
        "no_matured": "No theme is {h} years past its end yet: not computed",
        "reaching": "themes reaching their {h}-year point",
        "cumulative": "cumulative ({h} years past end)",
        "later": "FY{fy}+",
        "judged": "judged FY{fy}",
        "themes_axis": "themes",
        "oku_yen": "100M yen (億円)",
        "budget_bar": "budget",
        "executed_bar": "executed",
        "cum_ratio": "cumulative execution ratio (right axis)",
        "draws": "* execution above the year's budget (earlier appropriations drawn on)",
        "no_data": "no data",
        "item_element": "item {item} {element}",
    },
}


def _labels(lang: str) -> tuple[dict[str, Any], dict[str, str]]:
    if lang not in CL:
        raise ValueError(f"unknown language {lang!r} (use one of: {', '.join(CL)})")
    return L[lang], CL[lang]


def _horizon(report: dict[str, Any]) -> int:
    return int(report["long_term"]["horizon_years"])


def title(report: dict[str, Any], name: str, lang: str) -> str:
    """The title drawn at the top of a chart."""
    _, c = _labels(lang)
    if name not in CHARTS:
        raise ValueError(f"unknown chart {name!r} (use one of: {', '.join(CHARTS)})")
    return c[name].format(h=_horizon(report))


def _fy_tick(fy: int, lang: str) -> str:
    if lang != "ja":
        return f"FY{fy}"
    era = f"R{fy - 2018}" if fy >= 2019 else f"H{fy - 1988}"
    return f"{fy}\n({era})"


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f}%"


def maturity_schedule(
    con: duckdb.DuckDBPyConnection, as_of: int, horizon: int = 3, until: int = DEFAULT_JUDGED_FY
) -> dict[str, Any]:
    """Per year up to `until`: themes reaching their horizon point, those matured by then and, to as_of, commercialised.

    Years run from the first theme's point (as_of when there is none) to max(until, as_of); themes whose point comes
    later are counted together in "later". The population is kpi.metrics' (adopted, non-leading as of as_of). A theme
    reaches its point in end_fy + horizon and counts as commercialised in year Y once a survey of a year ≤ min(Y, as_of)
    records 製品化 or 上市, so the row of as_of agrees with report()["long_term"]["matured"] and
    ["matured_commercialised"]. commercialised and ratio are None after as_of, and throughout when no follow-up
    survey is loaded (not measured is not 0%).
    """
    until = max(until, as_of)
    rows = con.execute(
        f"""
        WITH p AS (SELECT theme_id, end_fy + $horizon AS point FROM {POPULATION}),
        c AS (SELECT theme_id, min(survey_fy) AS first_fy FROM followups
              WHERE stage IN ('製品化', '上市') AND survey_fy <= $as_of GROUP BY theme_id),
        pc AS (SELECT p.theme_id, p.point, c.first_fy FROM p LEFT JOIN c USING (theme_id)),
        y AS (SELECT unnest(range(coalesce((SELECT min(point) FROM p), $as_of), $until + 1)) AS fy)
        SELECT y.fy,
               count(pc.theme_id) FILTER (pc.point = y.fy),
               count(pc.theme_id) FILTER (pc.point <= y.fy),
               count(pc.theme_id) FILTER (pc.point <= y.fy AND pc.first_fy <= y.fy)
        FROM y LEFT JOIN pc ON true
        GROUP BY y.fy ORDER BY y.fy
        """,
        {"as_of": as_of, "horizon": horizon, "until": until},
    ).fetchall()
    later, surveyed = fetch_one(
        con,
        f"""SELECT (SELECT count(*) FROM {POPULATION} WHERE end_fy + $horizon > $until),
                   (SELECT count(*) FROM followups WHERE survey_fy <= $as_of) > 0""",
        {"as_of": as_of, "horizon": horizon, "until": until},
    ) or (0, False)
    years = []
    for fy, reaching, matured, commercialised in rows:
        measured = int(fy) <= as_of and surveyed
        years.append(
            {
                "fy": int(fy),
                "reaching": int(reaching),
                "matured": int(matured),
                "commercialised": int(commercialised) if measured else None,
                "ratio": ratio(int(commercialised), int(matured)) if measured else None,
            }
        )
    return {
        "horizon_years": horizon,
        "until_fy": until,
        "has_followups": bool(surveyed),
        "years": years,
        "later": int(later),
    }


def schedule_for(con: duckdb.DuckDBPyConnection, report: dict[str, Any]) -> dict[str, Any]:
    """maturity_schedule() with the horizon and judgement year of the report's programme settings."""
    lt = report["long_term"]
    return maturity_schedule(
        con, report["as_of_fy"], horizon=_horizon(report), until=lt["judged_from_fy"] or DEFAULT_JUDGED_FY
    )


def _rc() -> dict[str, Any]:
    """matplotlib settings of every chart: the bundled font first, DejaVu Sans for any symbol it lacks."""
    return {
        "font.family": [FONT_FAMILY, "DejaVu Sans"],
        "font.size": 9,
        "axes.titlesize": 11,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.edgecolor": "#444444",
        "axes.labelcolor": "#222222",
        "xtick.color": "#222222",
        "ytick.color": "#222222",
        "legend.frameon": False,
        "svg.fonttype": "path",  # glyphs as outlines: the SVG needs no font on the reader's machine
        "svg.hashsalt": "kpi",  # stable ids, so the same data gives the same file
        "figure.dpi": 100,
    }


def font_path() -> str:
    """The TrueType file of the bundled Japanese font, registered with matplotlib."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib_fontja
    from matplotlib import font_manager

    path = str(matplotlib_fontja.get_font_ttf_path())
    if not any(f.fname == path for f in font_manager.fontManager.ttflist):
        font_manager.fontManager.addfont(path)
    return path


def _new_figure(
    report: dict[str, Any],
    name: str,
    lang: str,
    rows: int = 1,
    notes: tuple[str, ...] = (),
    height_ratios: list[float] | None = None,
) -> tuple[Figure, list[Axes]]:
    from matplotlib.figure import Figure

    t, _ = _labels(lang)
    fig = Figure(figsize=SIZES[name], layout="constrained")
    fig.suptitle(title(report, name, lang), fontsize=11)
    axes = list(fig.subplots(rows, 1, squeeze=False, height_ratios=height_ratios)[:, 0])
    fy = report["as_of_fy"]
    as_of = t["as_of"].format(fy=fy, wareki=wareki(fy))
    prog = report.get("programme")
    source = f"{as_of}  ·  {prog['name']}" if prog else as_of
    # A footer inside the layout (constrained layout makes room for it): notes, then the as-of year and source.
    fig.supxlabel("\n".join([*notes, source]), x=0.995, ha="right", fontsize=5.5, color="#555555", linespacing=1.4)
    return fig, axes


def _empty(ax: Axes, text: str) -> None:
    ax.text(0.5, 0.5, text, ha="center", va="center", transform=ax.transAxes, fontsize=10, color="#555555")
    ax.set_xticks([])
    ax.set_yticks([])


def _percent_axis(ax: Axes, top: float = 1.0) -> None:
    from matplotlib.ticker import PercentFormatter

    ax.set_ylim(0, top)
    ax.set_yticks([i / 5 for i in range(6)])  # 0–100%; the room above is for the labels of points near 100%
    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.grid(axis="y", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)


def _target_line(ax: Axes, target: float | None, text: str | None, c: dict[str, str]) -> None:
    if target is None:
        return
    ax.axhline(
        target,
        color=OKABE_ITO["black"],
        linestyle=(0, (4, 3)),
        linewidth=1.1,
        zorder=2,
        label=c["target_line"].format(p=text or _pct(target)),
    )


def _ratio_series(
    ax: Axes,
    xs: list[int],
    rows: list[dict[str, Any]],
    num: str,
    den: str,
    target: float | None,
    label: str,
    c: dict[str, str],
) -> None:
    """A ratio per year as a line; years below target drawn as vermillion triangles and labelled underneath."""
    from matplotlib.lines import Line2D

    ax.plot(xs, [r["ratio"] for r in rows], color=OKABE_ITO["blue"], linewidth=2, zorder=3)
    any_below = False
    for x, r in zip(xs, rows, strict=True):
        below = target is not None and r["ratio"] < target
        any_below = any_below or below
        ax.plot(
            x,
            r["ratio"],
            marker="v" if below else "o",
            markersize=7,
            color=OKABE_ITO["vermillion"] if below else OKABE_ITO["blue"],
            zorder=4,
        )
        under = below and r["ratio"] >= 0.3  # labelled underneath, unless that would run into the axis
        ax.annotate(
            f"{percent(r[num], r[den])}\n{r[num]}/{r[den]}",
            xy=(x, r["ratio"]),
            xytext=(0, -8 if under else 8),
            textcoords="offset points",
            ha="center",
            va="top" if under else "bottom",
            fontsize=7.5,
            zorder=5,
        )
    handles: list[Any] = [Line2D([], [], color=OKABE_ITO["blue"], marker="o", linewidth=2, label=label)]
    if any_below:
        handles.append(
            Line2D([], [], color=OKABE_ITO["vermillion"], marker="v", markersize=7, linestyle="", label=c["below"])
        )
    handles += ax.get_legend_handles_labels()[0]  # the target line, the only artist labelled so far
    # One row above the plot, where it can hide no point.
    ax.legend(
        handles=handles, loc="lower left", bbox_to_anchor=(0, 1.0), ncols=len(handles), fontsize=7, borderaxespad=0.2
    )


def short_term_figure(report: dict[str, Any], lang: str) -> Figure:
    """(1) The short-term ratio at each fiscal year's end, against the target line."""
    _, c = _labels(lang)
    fig, (ax,) = _new_figure(report, "short_term", lang)
    years = [y for y in report["trend"] if y["ratio"] is not None]
    if not years:
        _empty(ax, c["no_data"])
        return fig
    xs = list(range(len(years)))
    st = report["short_term"]
    _percent_axis(ax, 1.27)
    _target_line(ax, st["target"], st["target_text"], c)
    _ratio_series(ax, xs, years, "achieved", "completed", st["target"], c["ratio_line"], c)
    ax.set_xticks(xs, [_fy_tick(y["fy"], lang) for y in years])
    ax.set_xlim(-0.5, len(xs) - 0.5)
    ax.set_ylabel(c["ratio_axis"])
    return fig


def long_term_figure(report: dict[str, Any], lang: str, schedule: dict[str, Any]) -> Figure:
    """(2) The matured long-term ratio by year against its target, and themes reaching their horizon point per year."""
    _, c = _labels(lang)
    fig, (top, bottom) = _new_figure(report, "long_term", lang, rows=2, height_ratios=[1, 1.3])
    lt = report["long_term"]
    h = schedule["horizon_years"]
    years = schedule["years"]
    xs = list(range(len(years)))
    labels = [_fy_tick(y["fy"], lang) for y in years]
    later = schedule["later"]
    if later:
        xs_all = [*xs, len(xs)]
        labels = [*labels, c["later"].format(fy=schedule["until_fy"] + 1)]
    else:
        xs_all = xs

    # Top: commercialised / matured, years to as_of.
    _percent_axis(top, 1.27)
    top.set_ylabel(c["matured_axis"])
    points = [(x, y) for x, y in zip(xs, years, strict=True) if y["ratio"] is not None]
    if not lt["has_followups"]:
        top.text(0.5, 0.5, c["no_followups"], ha="center", va="center", transform=top.transAxes, fontsize=9)
    elif not points:
        top.text(0.5, 0.5, c["no_matured"].format(h=h), ha="center", va="center", transform=top.transAxes)
    else:
        _target_line(top, lt["target"], lt["target_text"], c)
        _ratio_series(
            top,
            [x for x, _ in points],
            [y for _, y in points],
            "commercialised",
            "matured",
            lt["target"],
            c["matured_line"].format(h=h),
            c,
        )
    top.set_xticks(xs_all, labels)
    top.tick_params(axis="x", labelbottom=False)  # the years are read off the panel below
    top.set_xlim(-0.6, len(xs_all) - 0.4)

    # Bottom: how many themes reach the point each year, and the running total.
    reaching = [y["reaching"] for y in years]
    total = max([*(y["matured"] for y in years), later, 1])
    bars = bottom.bar(xs, reaching, color=OKABE_ITO["sky_blue"], label=c["reaching"].format(h=h), zorder=2)
    # Counts inside the bars that have room, so that the running total's markers never cover them.
    tall = [v >= total * 0.08 for v in reaching]
    inside = [str(v) if fits else "" for v, fits in zip(reaching, tall, strict=True)]
    bottom.bar_label(bars, labels=inside, label_type="center", fontsize=7)
    bottom.bar_label(
        bars, labels=["" if fits else str(v) for v, fits in zip(reaching, tall, strict=True)], fontsize=7, padding=5
    )
    if later:
        extra = bottom.bar(
            [len(xs)], [later], color="white", edgecolor=OKABE_ITO["sky_blue"], hatch="///", linewidth=1, zorder=2
        )
        bottom.bar_label(extra, fontsize=7, padding=1)
    bottom.plot(
        xs,
        [y["matured"] for y in years],
        color=OKABE_ITO["orange"],
        marker="s",
        markersize=4,
        linewidth=1.6,
        label=c["cumulative"].format(h=h),
        zorder=3,
    )
    judged = lt["judged_from_fy"]
    for x, y in zip(xs, years, strict=True):
        if y["fy"] == judged:
            for ax in (top, bottom):
                ax.axvline(x, color="#777777", linestyle=":", linewidth=1, zorder=1)
            bottom.annotate(
                f"{c['judged'].format(fy=judged)}: {y['matured']}",
                xy=(x, y["matured"]),
                xytext=(-4, 2),
                textcoords="offset points",
                ha="right",
                va="bottom",
                fontsize=7,
                color="#333333",
            )
    bottom.set_ylim(0, total * 1.18)
    bottom.set_xticks(xs_all, labels)
    bottom.set_xlim(-0.6, len(xs_all) - 0.4)
    bottom.set_ylabel(c["themes_axis"])
    bottom.grid(axis="y", color="#dddddd", linewidth=0.6)
    bottom.set_axisbelow(True)
    bottom.legend(loc="upper left", fontsize=7.5)
    return fig


def budget_figure(report: dict[str, Any], lang: str) -> Figure:
    """(3) Budget and execution by fiscal year (bars) with the cumulative execution ratio (line, right axis)."""
    t, c = _labels(lang)
    years = report["budget"]["years"]
    notes = (c["draws"],) if any(y["draws_on_earlier"] for y in years) else ()
    fig, (ax,) = _new_figure(report, "budget", lang, notes=notes)
    if not years:
        _empty(ax, c["no_data"])
        return fig
    xs = list(range(len(years)))
    width = 0.38
    ax.bar(
        [x - width / 2 for x in xs],
        [float(y["budget"]) for y in years],
        width,
        color=OKABE_ITO["sky_blue"],
        label=c["budget_bar"],
        zorder=2,
    )
    executed = [(x, y) for x, y in zip(xs, years, strict=True) if y["executed"] is not None]
    ax.bar(
        [x + width / 2 for x, _ in executed],
        [float(y["executed"]) for _, y in executed],
        width,
        color=OKABE_ITO["blue"],
        label=c["executed_bar"],
        zorder=2,
    )
    top = max(max(float(y["budget"]), float(y["executed"] or 0)) for y in years) or 1.0
    for x, y in executed:
        if y["draws_on_earlier"]:
            ax.annotate(
                t["draws"],
                xy=(x + width / 2, float(y["executed"])),
                xytext=(0, 1),
                textcoords="offset points",
                ha="center",
                va="bottom",
                fontsize=9,
            )
    ax.set_ylim(0, top * 1.25)
    ax.set_ylabel(c["oku_yen"])
    ax.yaxis.set_major_formatter(lambda v, _pos: f"{v:,.0f}")
    ax.grid(axis="y", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.set_xticks(xs, [_fy_tick(y["fy"], lang) for y in years])

    right = ax.twinx()
    right.spines["right"].set_visible(True)
    cum = [(x, y) for x, y in zip(xs, years, strict=True) if y["cumulative_ratio"] is not None]
    peak = max([y["cumulative_ratio"] for _, y in cum] + [1.0])
    right.set_ylim(0, peak * 1.25)
    from matplotlib.ticker import PercentFormatter

    right.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    right.plot(
        [x for x, _ in cum],
        [y["cumulative_ratio"] for _, y in cum],
        color=OKABE_ITO["vermillion"],
        marker="D",
        markersize=4,
        linewidth=1.8,
        label=c["cum_ratio"],
        zorder=4,
    )
    for x, y in cum[-1:]:
        right.annotate(
            percent_of(y["cumulative_executed"], y["cumulative_budget"]),
            xy=(x, y["cumulative_ratio"]),
            xytext=(-6, 4),
            textcoords="offset points",
            ha="right",
            va="bottom",
            fontsize=8,
            color=OKABE_ITO["vermillion"],
        )
    handles = ax.get_legend_handles_labels()[0] + right.get_legend_handles_labels()[0]
    ax.legend(handles=handles, loc="upper left", fontsize=7.5)
    return fig


def percent_of(numerator: float | int | None, denominator: float | int | None) -> str:
    """render.percent() for the JSON numbers of the budget (exact via their decimal text)."""
    from decimal import Decimal

    if numerator is None or denominator is None:
        return "—"
    return percent(Decimal(str(numerator)), Decimal(str(denominator)))


def status_figure(report: dict[str, Any], lang: str) -> Figure:
    """(4) Theme status per research item and element letter as horizontal stacked bars."""
    t, c = _labels(lang)
    fig, (ax,) = _new_figure(report, "status", lang)
    rows = report["by_element"]
    if not rows:
        _empty(ax, c["no_data"])
        return fig
    # One bar per item and element, items separated by a gap, first row at the top.
    positions, names, previous, y = [], [], None, 0.0
    for r in rows:
        if previous is not None and r["item"] != previous:
            y += 0.6
        positions.append(y)
        names.append(c["item_element"].format(item=t["items"].get(r["item"], r["item"]), element=r["element"]))
        previous = r["item"]
        y += 1
    left = [0] * len(rows)
    widest = max(r["total"] for r in rows) or 1
    for key, colour in STATUS_COLOURS.items():
        values = [int(r[key]) for r in rows]
        bars = ax.barh(positions, values, 0.75, left=left, color=colour, label=t[key], zorder=2)
        labels = [str(v) if v and v >= widest * 0.035 else "" for v in values]
        ax.bar_label(
            bars, labels=labels, label_type="center", fontsize=6.5, color="white" if key != "on_track" else "black"
        )
        left = [a + b for a, b in zip(left, values, strict=True)]
    for pos, total in zip(positions, left, strict=True):
        ax.text(total + widest * 0.01, pos, str(total), va="center", fontsize=6.5, color="#333333")
    ax.set_yticks(positions, names)
    ax.invert_yaxis()
    ax.set_xlim(0, widest * 1.08)
    ax.set_xlabel(c["themes_axis"])
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.tick_params(axis="y", length=0)
    ax.legend(loc="lower right", fontsize=7.5)
    return fig


def figure(report: dict[str, Any], name: str, lang: str, schedule: dict[str, Any] | None = None) -> Figure:
    """The named chart as a matplotlib Figure (call inside charts.style(), as save_chart and svg do)."""
    if name not in CHARTS:
        raise ValueError(f"unknown chart {name!r} (use one of: {', '.join(CHARTS)})")
    if name == "short_term":
        return short_term_figure(report, lang)
    if name == "long_term":
        if schedule is None:
            raise ValueError("the long_term chart needs maturity_schedule(); use schedule_for(con, report)")
        return long_term_figure(report, lang, schedule)
    if name == "budget":
        return budget_figure(report, lang)
    return status_figure(report, lang)


@contextmanager
def style() -> Iterator[None]:
    """Agg backend, the bundled font and the charts' rc settings, for the duration of a with block."""
    import matplotlib

    font_path()
    settings: Any = _rc()  # matplotlib types the keys as a Literal of every rc name
    with matplotlib.rc_context(settings):
        yield


def render(report: dict[str, Any], name: str, lang: str, fmt: str, schedule: dict[str, Any] | None = None) -> bytes:
    """The named chart as PNG (300 dpi) or SVG bytes; fmt is 'png' or 'svg'."""
    if fmt not in ("png", "svg"):
        raise ValueError(f"unknown chart format {fmt!r} (use png or svg)")
    with style():
        fig = figure(report, name, lang, schedule)
        buf = io.BytesIO()
        metadata: dict[str, Any] = {"Software": "kpi"} if fmt == "png" else {"Date": None, "Creator": "kpi"}
        fig.savefig(buf, format=fmt, dpi=DPI, metadata=metadata, facecolor="white")
    return buf.getvalue()


def save_chart(report: dict[str, Any], con: duckdb.DuckDBPyConnection | None, name: str, lang: str, path: Path) -> Path:
    """Write the named chart to path, PNG at 300 dpi or SVG by its suffix; con is needed for long_term only."""
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise ValueError(f"cannot write a chart to {path.name}: name it .png or .svg")
    if name not in CHARTS:
        raise ValueError(f"unknown chart {name!r} (use one of: {', '.join(CHARTS)})")
    schedule = None
    if name == "long_term":
        if con is None:
            raise ValueError("the long_term chart needs a database connection")
        schedule = schedule_for(con, report)
    data = render(report, name, lang, suffix[1:], schedule)
    path.write_bytes(data)
    return path


_XML_PROLOGUE = re.compile(r"^.*?(?=<svg\b)", re.DOTALL)
_METADATA = re.compile(r"\s*<metadata>.*?</metadata>", re.DOTALL)
_ID = re.compile(r'\bid="([^"]+)"')


def inline_svg(svg: str, prefix: str, label: str) -> str:
    """matplotlib's SVG made to sit inside HTML: no prologue or metadata, ids prefixed, sized by CSS, labelled."""
    from html import escape

    body = _METADATA.sub("", _XML_PROLOGUE.sub("", svg, count=1), count=1).strip()
    ids = sorted(set(_ID.findall(body)), key=len, reverse=True)
    if ids:
        names = "|".join(re.escape(i) for i in ids)
        body = re.sub(rf'\bid="({names})"', lambda m: f'id="{prefix}-{m.group(1)}"', body)
        body = re.sub(rf"#({names})(?=[\")\s])", lambda m: f"#{prefix}-{m.group(1)}", body)
    # The HTML parser puts <svg> and xlink:href in their namespaces itself; the viewBox keeps the proportions
    # once the fixed width and height (pt) are gone, so CSS can size the chart.
    start = re.match(r"<svg\b[^>]*>", body)
    if not start:
        raise ValueError("not an SVG document")
    viewbox = re.search(r'viewBox="([^"]+)"', start.group(0))
    opening = (
        f'<svg viewBox="{viewbox.group(1) if viewbox else ""}" role="img" aria-label="{escape(label)}"'
        f' class="kpi-chart" id="{escape(prefix)}">'
    )
    return opening + body[start.end() :]


def svgs(report: dict[str, Any], lang: str, schedule: dict[str, Any]) -> dict[str, str]:
    """Every chart as an SVG string ready to inline in HTML, keyed by chart name."""
    return {
        name: inline_svg(
            render(report, name, lang, "svg", schedule).decode("utf-8"), f"kpi-{name}", title(report, name, lang)
        )
        for name in CHARTS
    }
