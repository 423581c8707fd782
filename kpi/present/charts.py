"""The report's four charts (matplotlib, bundled Japanese font, Okabe–Ito colours) as PNG or SVG.

matplotlib and matplotlib-fontja are imported inside the functions only, so that every other command
starts without them. Each chart is drawn from a figures.report.Report; the long-term chart also needs the
maturity schedule (figures.schedule). Per group (`kpi chart … --by`), the KPI and status charts are drawn from a
figures.breakdown.Breakdown.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from kpi.errors import UsageProblem
from kpi.figures.breakdown import Breakdown
from kpi.figures.kpis import KPIS, LONG_TERM, LONG_TERM_MATURED, SHORT_TERM, Outcome
from kpi.figures.lists import Snapshot
from kpi.figures.portfolio import Portfolio
from kpi.figures.report import Report
from kpi.figures.schedule import Schedule
from kpi.figures.verdict import Verdict
from kpi.fiscal import wareki
from kpi.present import labels
from kpi.present.breakdown import Line, by_header, lines
from kpi.present.catalogue import Words
from kpi.present.formats import ChartName
from kpi.present.numbers import percent

if TYPE_CHECKING:
    from fractions import Fraction

    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

CHARTS: tuple[str, ...] = tuple(ChartName)
FORMATS: tuple[str, ...] = (".png", ".svg")
DPI = 300
FONT_FAMILY = "IPAexGothic"  # shipped by matplotlib-fontja (IPAexゴシック)

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
SIZES = {
    "short_term": (6.4, 3.6),
    "long_term": (6.4, 4.8),
    "budget": (6.4, 3.6),
    "status": (6.4, 4.8),
    "cohorts": (6.4, 4.0),
}


def require() -> None:
    """The charts need the charts extra (matplotlib, matplotlib-fontja): without it, a usage error saying so."""
    import importlib.util

    if importlib.util.find_spec("matplotlib") is None or importlib.util.find_spec("matplotlib_fontja") is None:
        raise UsageProblem("cli.charts_missing")


def format_of(path: Path) -> str:
    """A chart file's format from its suffix (png or svg); another suffix is a usage error."""
    if path.suffix.lower() not in FORMATS:
        raise UsageProblem("cli.chart_suffix", formats=" / ".join(FORMATS), name=path.name)
    return path.suffix.lower()[1:]


def needs_schedule(name: ChartName) -> bool:
    """Whether a chart draws the maturity schedule (figures.schedule), so the report must carry it."""
    return name is ChartName.long_term


def chart_file(report: Report, name: ChartName, words: Words, path: Path) -> bytes:
    """`kpi chart NAME --out PATH`: the chart in the file's format."""
    return render(report, str(name), words, format_of(path), report.schedule)


def title(report: Report, name: str, words: Words) -> str:
    """The title drawn at the top of a chart."""
    if name not in CHARTS:
        raise ValueError(f"unknown chart {name!r} (use one of: {', '.join(CHARTS)})")
    return words(labels.CHART_TITLE[name], horizon=report.outcome.horizon_years)


def _fy_tick(fy: int, words: Words) -> str:
    era = f"R{fy - 2018}" if fy >= 2019 else f"H{fy - 1988}"
    return words("chart.fy_tick", fy=fy, era=era)


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
        "text.parse_math": False,  # text from the data is text: US$20億 is not mathtext
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
    report: Report,
    name: str,
    words: Words,
    rows: int = 1,
    notes: tuple[str, ...] = (),
    height_ratios: list[float] | None = None,
) -> tuple[Figure, list[Axes]]:
    programme = report.programme.name if report.programme else None
    return _framed(
        SIZES[name],
        title(report, name, words),
        Footer(report.as_of_fy, report.snapshot, report.outcome, programme),
        words,
        rows,
        notes,
        height_ratios,
    )


class Footer(NamedTuple):
    """What a chart's footer says: the as-of year, the theme list, the programme, the notes on its themes."""

    as_of_fy: int
    snapshot: Snapshot | None
    outcome: Outcome
    programme: str | None


def _framed(
    size: tuple[float, float],
    heading: str,
    footer: Footer,
    words: Words,
    rows: int = 1,
    notes: tuple[str, ...] = (),
    height_ratios: list[float] | None = None,
) -> tuple[Figure, list[Axes]]:
    """A figure of the size with its title, its axes (one per row) and the footer every chart carries."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=size, layout="constrained")
    fig.suptitle(heading, fontsize=11)
    axes = list(fig.subplots(rows, 1, squeeze=False, height_ratios=height_ratios)[:, 0])
    fy = footer.as_of_fy
    from kpi.present.rows import fallback_note, placement_notes, snapshot_line

    as_of = f"{words('report.as_of', fy=fy, wareki=wareki(fy))}  ·  {snapshot_line(footer.snapshot, words)}"
    source = f"{as_of}  ·  {footer.programme}" if footer.programme else as_of
    notes = (*notes, *fallback_note(fy, footer.snapshot, words), *placement_notes(footer.outcome, words))
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


def _target_line(ax: Axes, target: Fraction | None, text: str | None, words: Words) -> None:
    if target is None:
        return
    ax.axhline(
        float(target),
        color=OKABE_ITO["black"],
        linestyle=(0, (4, 3)),
        linewidth=1.1,
        zorder=2,
        label=words("chart.target_line", target=text or percent(target, 0)),
    )


def _ratio_series(
    ax: Axes,
    xs: list[int],
    points: list[tuple[int, int, Verdict]],
    label: str,
    words: Words,
) -> None:
    """A ratio per year as a line (points: numerator, denominator, verdict); years whose verdict is not met drawn
    as vermillion triangles and labelled underneath."""
    from matplotlib.lines import Line2D

    ratios = [n / d for n, d, _ in points]
    ax.plot(xs, ratios, color=OKABE_ITO["blue"], linewidth=2, zorder=3)
    any_below = False
    for x, (n, d, verdict), r in zip(xs, points, ratios, strict=True):
        below = verdict is Verdict.NOT_MET
        any_below = any_below or below
        ax.plot(
            x,
            r,
            marker="v" if below else "o",
            markersize=7,
            color=OKABE_ITO["vermillion"] if below else OKABE_ITO["blue"],
            zorder=4,
        )
        under = below and r >= 0.3  # labelled underneath, unless that would run into the axis
        from fractions import Fraction

        ax.annotate(
            f"{percent(Fraction(n, d))}\n{n}/{d}",
            xy=(x, r),
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
            Line2D(
                [],
                [],
                color=OKABE_ITO["vermillion"],
                marker="v",
                markersize=7,
                linestyle="",
                label=words("chart.below"),
            )
        )
    handles += ax.get_legend_handles_labels()[0]  # the target line, the only artist labelled so far
    # One row above the plot, where it can hide no point.
    ax.legend(
        handles=handles, loc="lower left", bbox_to_anchor=(0, 1.0), ncols=len(handles), fontsize=7, borderaxespad=0.2
    )


def short_term_figure(report: Report, words: Words) -> Figure:
    """(1) The short-term ratio at each fiscal year's end, against the target line."""
    fig, (ax,) = _new_figure(report, "short_term", words)
    years = [y for y in report.trend if y.ratio is not None]
    if not years:
        _empty(ax, words("chart.no_data"))
        return fig
    xs = list(range(len(years)))
    st = report.outcome[SHORT_TERM.key]
    _percent_axis(ax, 1.27)
    _target_line(ax, st.target, st.target_text, words)
    _ratio_series(ax, xs, [(y.achieved, y.completed, y.verdict) for y in years], words("chart.ratio_line"), words)
    _outlook_range(ax, xs, years, st, report.as_of_fy, words)
    ax.set_xticks(xs, [_fy_tick(y.fy, words) for y in years])
    ax.set_xlim(-0.5, len(xs) - 0.3)
    ax.set_ylabel(words("chart.ratio_axis"))
    return fig


def _outlook_range(ax: Axes, xs: list[int], years: list[Any], kpi: Any, as_of: int, words: Words) -> None:
    """The as-of year's best–worst range: where the ratio can end once its pending themes are judged."""
    from kpi.figures.outlook import Pending

    o = kpi.outlook
    if not isinstance(o, Pending) or o.pending == 0 or not years or years[-1].fy != as_of:
        return
    if o.best is None or o.worst is None:
        return
    x = xs[-1] + 0.22
    label = words("chart.outlook", fy=as_of, worst=percent(o.worst), best=percent(o.best))
    ax.vlines(
        x, float(o.worst), float(o.best), color=OKABE_ITO["orange"], linewidth=5, alpha=0.8, zorder=3, label=label
    )
    for end, place in ((o.worst, "top"), (o.best, "bottom")):  # clear of the target line between them
        ax.annotate(
            percent(end),
            xy=(x, float(end)),
            xytext=(5, 2 if place == "bottom" else -2),
            textcoords="offset points",
            ha="left",
            va=place,
            fontsize=6.5,
            color="#333333",
        )
    handles, labels = ax.get_legend_handles_labels()
    legend = ax.get_legend()
    if legend is not None:
        ax.legend(
            handles=[*legend.legend_handles, handles[labels.index(label)]],
            loc="lower left",
            bbox_to_anchor=(0, 1.0),
            ncols=2,  # two rows: the range's label is long
            fontsize=7,
            borderaxespad=0.2,
        )


def long_term_figure(report: Report, words: Words, schedule: Schedule) -> Figure:
    """(2) The matured long-term ratio by year against its target, and themes reaching their horizon point per year."""
    from kpi.figures.verdict import judge

    fig, (top, bottom) = _new_figure(report, "long_term", words, rows=2, height_ratios=[1, 1.3])
    matured_kpi = report.outcome[LONG_TERM_MATURED.key]
    h = schedule.horizon_years
    years = schedule.years
    xs = list(range(len(years)))
    labels = [_fy_tick(y.fy, words) for y in years]
    later = schedule.later
    if later:
        xs_all = [*xs, len(xs)]
        labels = [*labels, words("chart.later", fy=schedule.until_fy + 1)]
    else:
        xs_all = xs

    # Top: commercialised / matured, years to as_of.
    _percent_axis(top, 1.27)
    top.set_ylabel(words("chart.matured_axis"))
    points = [(x, y) for x, y in zip(xs, years, strict=True) if y.ratio is not None]
    if not report.outcome.has_followups:
        top.text(0.5, 0.5, words("chart.no_followups"), ha="center", va="center", transform=top.transAxes, fontsize=9)
    elif not points:
        top.text(0.5, 0.5, words("chart.no_matured", horizon=h), ha="center", va="center", transform=top.transAxes)
    else:
        _target_line(top, matured_kpi.target, matured_kpi.target_text, words)
        series = [
            (
                int(y.commercialised or 0),
                int(y.measured or 0),
                judge(y.commercialised, int(y.measured or 0), matured_kpi.target, y.fy),
            )
            for _, y in points
        ]
        _ratio_series(top, [x for x, _ in points], series, words("chart.matured_line", horizon=h), words)
    top.set_xticks(xs_all, labels)
    top.tick_params(axis="x", labelbottom=False)  # the years are read off the panel below
    top.set_xlim(-0.6, len(xs_all) - 0.4)

    # Bottom: how many themes reach the point each year, and the running total.
    reaching = [y.reaching for y in years]
    total = max([*(y.matured for y in years), later, 1])
    bars = bottom.bar(xs, reaching, color=OKABE_ITO["sky_blue"], label=words("chart.reaching", horizon=h), zorder=2)
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
        [y.matured for y in years],
        color=OKABE_ITO["orange"],
        marker="s",
        markersize=4,
        linewidth=1.6,
        label=words("chart.cumulative", horizon=h),
        zorder=3,
    )
    judged = report.outcome[LONG_TERM.key].judged_from_fy
    for x, y in zip(xs, years, strict=True):
        if y.fy == judged:
            for ax in (top, bottom):
                ax.axvline(x, color="#777777", linestyle=":", linewidth=1, zorder=1)
            bottom.annotate(
                f"{words('chart.judged', fy=judged)}: {y.matured}",
                xy=(x, y.matured),
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
    bottom.set_ylabel(words("chart.themes_axis"))
    bottom.grid(axis="y", color="#dddddd", linewidth=0.6)
    bottom.set_axisbelow(True)
    bottom.legend(loc="upper left", fontsize=7.5)
    return fig


def budget_figure(report: Report, words: Words) -> Figure:
    """(3) Budget and execution by fiscal year (bars) with the cumulative execution ratio (line, right axis)."""
    years = report.budget.years
    notes = (words("chart.draws"),) if any(y.draws_on_earlier for y in years) else ()
    fig, (ax,) = _new_figure(report, "budget", words, notes=notes)
    if not years:
        _empty(ax, words("chart.no_data"))
        return fig
    xs = list(range(len(years)))
    width = 0.38
    ax.bar(
        [x - width / 2 for x in xs],
        [float(y.budget) for y in years],
        width,
        color=OKABE_ITO["sky_blue"],
        label=words("chart.budget_bar"),
        zorder=2,
    )
    executed = [(x, y) for x, y in zip(xs, years, strict=True) if y.executed is not None]
    ax.bar(
        [x + width / 2 for x, _ in executed],
        [float(y.executed or 0) for _, y in executed],
        width,
        color=OKABE_ITO["blue"],
        label=words("chart.executed_bar"),
        zorder=2,
    )
    top = max(max(float(y.budget), float(y.executed or 0)) for y in years) or 1.0
    for x, y in executed:
        if y.draws_on_earlier:
            ax.annotate(
                words("mark.draws"),
                xy=(x + width / 2, float(y.executed or 0)),
                xytext=(0, 1),
                textcoords="offset points",
                ha="center",
                va="bottom",
                fontsize=9,
            )
    ax.set_ylim(0, top * 1.25)
    ax.set_ylabel(words("chart.oku_yen"))
    ax.yaxis.set_major_formatter(lambda v, _pos: f"{v:,.0f}")
    ax.grid(axis="y", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.set_xticks(xs, [_fy_tick(y.fy, words) for y in years])

    right = ax.twinx()
    right.spines["right"].set_visible(True)
    cum = [(x, y) for x, y in zip(xs, years, strict=True) if y.cumulative_ratio is not None]
    peak = max([float(y.cumulative_ratio or 0) for _, y in cum] + [1.0])
    right.set_ylim(0, peak * 1.25)
    from matplotlib.ticker import PercentFormatter

    right.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    right.plot(
        [x for x, _ in cum],
        [float(y.cumulative_ratio or 0) for _, y in cum],
        color=OKABE_ITO["vermillion"],
        marker="D",
        markersize=4,
        linewidth=1.8,
        label=words("chart.cumulative_ratio"),
        zorder=4,
    )
    for x, y in cum[-1:]:
        right.annotate(
            percent(y.cumulative_ratio),
            xy=(x, float(y.cumulative_ratio or 0)),
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


def status_figure(report: Report, words: Words) -> Figure:
    """(4) Theme status per research item and element letter as horizontal stacked bars."""
    from kpi.present.rows import item_label

    fig, (ax,) = _new_figure(report, "status", words)
    rows = report.by_element
    if not rows:
        _empty(ax, words("chart.no_data"))
        return fig
    # One bar per item and element, items separated by a gap, first row at the top.
    positions: list[float] = []
    names: list[str] = []
    previous: int | None = None
    y = 0.0
    for r in rows:
        if previous is not None and r.item != previous:
            y += 0.6
        positions.append(y)
        names.append(words("chart.item_element", item=item_label(r.item, words), element=r.element))
        previous = r.item
        y += 1
    _stacked(ax, positions, names, rows, STATUS_COLOURS, max(r.total for r in rows) or 1, words)
    ax.legend(loc="lower right", fontsize=7.5)
    return fig


def _stacked(
    ax: Axes,
    positions: list[float],
    names: list[str],
    rows: list[Any],
    colours: dict[str, str],
    widest: int,
    words: Words,
    totals: list[str] | None = None,
) -> None:
    """Horizontal bars, one per row, stacking the status groups of `colours` (each row has them as attributes),
    each bar's sum (or the text in `totals`) at its end; the first row at the top."""
    left = [0] * len(rows)
    for key, colour in colours.items():
        values = [int(getattr(r, key)) for r in rows]
        bars = ax.barh(positions, values, 0.75, left=left, color=colour, label=words(labels.GROUP[key]), zorder=2)
        shown = [str(v) if v and v >= widest * 0.035 else "" for v in values]
        ax.bar_label(
            bars, labels=shown, label_type="center", fontsize=6.5, color="white" if key != "on_track" else "black"
        )
        left = [a + b for a, b in zip(left, values, strict=True)]
    for pos, total, text in zip(positions, left, totals or [str(t) for t in left], strict=True):
        ax.text(total + widest * 0.01, pos, text, va="center", fontsize=6.5, color="#333333")
    ax.set_yticks(positions, names)
    ax.invert_yaxis()
    ax.set_xlim(0, widest * 1.08)
    ax.set_xlabel(words("chart.themes_axis"))
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.tick_params(axis="y", length=0)


def cohorts_figure(report: Report, words: Words) -> Figure:
    """(5) The cohort table (kpi.figures.effects): a line per end-year cohort, its share commercialised by years
    since the end, each point labelled with its themes and, where sheets were sent, the round's response rate."""
    fig, (ax,) = _new_figure(report, "cohorts", words)
    table = report.effects.cohorts if report.effects else None
    if table is None or not table.rows:
        _empty(ax, words("chart.no_data"))
        return fig
    colours = list(OKABE_ITO.values())[1:]
    for i, row in enumerate(table.rows):
        cells = [c for c in row.cells if c is not None and c.ratio is not None]
        if not cells:
            continue
        xs, ys = [c.years_after for c in cells], [float(c.ratio or 0) for c in cells]
        colour = colours[i % len(colours)]
        ax.plot(xs, ys, marker="o", color=colour, label=words("effects.chart.cohort", fy=row.end_fy), zorder=3)
        for c, x, y in zip(cells, xs, ys, strict=True):
            text = f"{c.commercialised}/{c.themes}"
            if c.sent:
                text += "\n" + words("effects.chart.response", rate=percent(c.response_rate, 0))
            ax.annotate(text, (x, y), textcoords="offset points", xytext=(4, 4), fontsize=6, color=colour)
    ax.set_xticks(list(table.rounds), [words("effects.chart.years_after", n=y) for y in table.rounds])
    _percent_axis(ax)
    ax.grid(axis="y", color="#dddddd", linewidth=0.6)
    ax.legend(loc="upper left", fontsize=7)
    return fig


def figure(report: Report, name: str, words: Words, schedule: Schedule | None = None) -> Figure:
    """The named chart as a matplotlib Figure (call inside charts.style(), as render does)."""
    if name not in CHARTS:
        raise ValueError(f"unknown chart {name!r} (use one of: {', '.join(CHARTS)})")
    if name == "short_term":
        return short_term_figure(report, words)
    if name == "long_term":
        if schedule is None:
            raise ValueError("the long_term chart needs the maturity schedule (figures.schedule)")
        return long_term_figure(report, words, schedule)
    if name == "budget":
        return budget_figure(report, words)
    if name == "cohorts":
        return cohorts_figure(report, words)
    return status_figure(report, words)


@contextmanager
def style() -> Iterator[None]:
    """Agg backend, the bundled font and the charts' rc settings, for the duration of a with block."""
    import matplotlib

    font_path()
    settings: Any = _rc()  # matplotlib types the keys as a Literal of every rc name
    with matplotlib.rc_context(settings):
        yield


def render(report: Report, name: str, words: Words, fmt: str, schedule: Schedule | None = None) -> bytes:
    """The named chart as PNG (300 dpi) or SVG bytes; fmt is 'png' or 'svg'."""
    if fmt not in ("png", "svg"):
        raise ValueError(f"unknown chart format {fmt!r} (use png or svg)")
    with style():
        return _saved(figure(report, name, words, schedule), fmt)


def _saved(fig: Figure, fmt: str) -> bytes:
    """A figure as PNG (300 dpi) or SVG bytes, with no timestamp (call inside style())."""
    buf = io.BytesIO()
    metadata: dict[str, Any] = {"Software": "kpi"} if fmt == "png" else {"Date": None, "Creator": "kpi"}
    fig.savefig(buf, format=fmt, dpi=DPI, metadata=metadata, facecolor="white")
    return buf.getvalue()


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


def svgs(report: Report, words: Words, schedule: Schedule) -> dict[str, str]:
    """Every chart as an SVG string ready to inline in HTML, keyed by chart name."""
    return {
        name: inline_svg(
            render(report, name, words, "svg", schedule).decode("utf-8"), f"kpi-{name}", title(report, name, words)
        )
        for name in CHARTS
    }


# ---------------------------------------------------------------------------- the portfolio's charts


def portfolio_figure(result: Portfolio, key: str, words: Words) -> Figure:
    """One KPI, programmes side by side: each one's ratio as a bar (none when not measured), the portfolio's as the
    last, the target line when the programmes share one, and each programme's best–worst range where its outlook
    gives one (the short-term KPI: all pending themes achieving, or none)."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(7.2, 3.6), layout="constrained")
    ax = fig.subplots()
    total = next(t for t in result.totals if t.key == key)
    horizon = result.programmes[0].report.outcome.horizon_years if result.programmes else 3
    fig.suptitle(words(labels.KPI[key].name, horizon=horizon), fontsize=11)
    names = [p.report.programme.name if p.report.programme else p.path.name for p in result.programmes]
    names.append(words("portfolio.line", n=len(result.programmes)))
    values = [p.report.outcome[key].ratio for p in result.programmes] + [total.ratio]
    xs = list(range(len(values)))
    bars = [float(v) if v is not None else 0.0 for v in values]
    colours = [OKABE_ITO["blue"]] * len(result.programmes) + [OKABE_ITO["black"]]
    ax.bar(xs, bars, color=colours, width=0.6, zorder=3)
    for x, value in zip(xs, values, strict=True):
        ax.text(x, (float(value) if value is not None else 0) + 0.02, percent(value), ha="center", fontsize=7)
    ranged = False
    for x, p in enumerate(result.programmes):
        outlook = p.report.outcome[key].outlook
        best, worst = getattr(outlook, "best", None), getattr(outlook, "worst", None)
        if best is not None and worst is not None:
            label = "_nolegend_" if ranged else words("portfolio.range")
            ax.vlines(x, float(worst), float(best), color=OKABE_ITO["vermillion"], linewidth=2, zorder=4, label=label)
            ranged = True
    _percent_axis(ax, 1.12)
    _target_line(ax, total.target, None, words)
    ax.set_xticks(xs, [n if len(n) <= 14 else n[:13] + "…" for n in names], fontsize=7, rotation=20, ha="right")
    if total.target is not None or ranged:
        ax.legend(loc="upper right", fontsize=7)
    return fig


def portfolio_svgs(result: Portfolio, words: Words) -> dict[str, str]:
    """One chart per KPI, as SVG ready to inline in the portfolio page."""
    out = {}
    with style():
        for spec in KPIS:
            fig = portfolio_figure(result, spec.key, words)
            buf = io.BytesIO()
            fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": "kpi"}, facecolor="white")
            out[spec.key] = inline_svg(buf.getvalue().decode("utf-8"), f"kpi-portfolio-{spec.key}", spec.key)
    return out


# ---------------------------------------------------------------------------- breakdowns (kpi chart … --by)

BY_KPI = {"short_term": SHORT_TERM.key, "long_term": LONG_TERM_MATURED.key}  # the KPI a chart draws per group
BY_CHARTS: tuple[str, ...] = (*BY_KPI, "status")
BY_UNMEASURED = {"denominator_zero": "chart.by.denominator_zero", "no_followups": "chart.by.no_followups"}
MOST_BARS = 60  # groups a chart draws at most: beyond, no bar can be read (kpi report --by lists them all)
BY_GAP = 0.6  # the room between the last group's bar and the whole's
LABEL: dict[str, Any] = {
    "zorder": 5,
    "bbox": {"facecolor": "white", "edgecolor": "none", "pad": 0.6},
}  # over the target


def check_by(name: ChartName, by: str | None) -> None:
    """--by draws the KPI charts and the status chart per group; the other charts have no groups: a usage error."""
    if by is not None and str(name) not in BY_CHARTS:
        raise UsageProblem("chart.by.refused", name=str(name), charts=", ".join(BY_CHARTS))


def breakdown_file(found: Breakdown, name: ChartName, words: Words, path: Path, programme: str | None) -> bytes:
    """`kpi chart NAME --by ATTRIBUTE --out PATH`: the chart per group in the file's format."""
    return render_breakdown(found, str(name), words, format_of(path), programme)


def render_breakdown(found: Breakdown, name: str, words: Words, fmt: str, programme: str | None = None) -> bytes:
    """The named chart per group as PNG (300 dpi) or SVG bytes."""
    if fmt not in ("png", "svg"):
        raise ValueError(f"unknown chart format {fmt!r} (use png or svg)")
    with style():
        return _saved(breakdown_figure(found, name, words, programme), fmt)


def breakdown_figure(found: Breakdown, name: str, words: Words, programme: str | None = None) -> Figure:
    """The named chart per group: a KPI's ratio (short_term, long_term) or the status groups (status)."""
    if name not in BY_CHARTS:
        raise ValueError(f"no chart {name!r} by group (use one of: {', '.join(BY_CHARTS)})")
    if len(found.groups) > MOST_BARS:
        raise UsageProblem("chart.by.too_many", n=len(found.groups), most=MOST_BARS)
    if name == "status":
        return breakdown_status_figure(found, words, programme)
    return breakdown_kpi_figure(found, BY_KPI[name], words, programme)


def _by_frame(found: Breakdown, heading: str, words: Words, programme: str | None) -> tuple[Figure, Axes]:
    """A breakdown chart's figure: tall enough for a bar per group and the whole's, with the notes on groups."""
    notes = [words("chart.by.partition")]
    if any(g.small for g in found.groups):
        notes.append(words("chart.by.small_note", n=found.small_group))
    height = max(3.0, 1.9 + 0.3 * (len(found.groups) + 1))
    footer = Footer(found.as_of_fy, found.snapshot, found.whole, programme)
    fig, (ax,) = _framed((6.4, height), heading, footer, words, notes=tuple(notes))
    return fig, ax


def _by_rows(every: list[Line], words: Words) -> tuple[list[float], list[str]]:
    """Each line's place (groups from the top, the whole's after a gap) and name (a small group marked)."""
    positions = [float(i) for i in range(len(every) - 1)] + [len(every) - 1 + BY_GAP]
    names = [
        words("chart.by.small", label=line.label) if line.group is not None and line.group.small else line.label
        for line in every
    ]
    return positions, names


def _set_apart(ax: Axes, positions: list[float]) -> None:
    """The whole's bar (the last) set apart from the groups': a rule across the gap above it (the bundled font has no
    bold to mark its name with)."""
    ax.axhline(positions[-1] - (1 + BY_GAP) / 2, color="#777777", linewidth=0.8, zorder=1)


def breakdown_kpi_figure(found: Breakdown, key: str, words: Words, programme: str | None = None) -> Figure:
    """One KPI per group as horizontal bars against the target, each labelled with its exact numerator/denominator;
    a group whose ratio is not measurable drawn as an empty bar saying why (not 0%); the whole's bar last."""
    whole = found.whole[key]
    kpi_name = words(labels.KPI[key].name, horizon=found.whole.horizon_years)
    heading = words("chart.by.kpi_title", kpi=kpi_name, by=by_header(found.grouping, words))
    fig, ax = _by_frame(found, heading, words, programme)
    every = lines(found, words)
    positions, names = _by_rows(every, words)
    for pos, line in zip(positions, every, strict=True):
        kpi = line.outcome[key]
        counts = f"{'—' if kpi.numerator is None else kpi.numerator}/{kpi.denominator}"
        if kpi.ratio is None:
            ax.barh(pos, 1.0, 0.7, color="none", edgecolor="#888888", linestyle=(0, (3, 2)), linewidth=0.8, zorder=2)
            why = words(BY_UNMEASURED[kpi.unmeasured_reason or "denominator_zero"])
            ax.text(0.015, pos, f"{why}  {counts}", va="center", ha="left", fontsize=7, color="#333333", **LABEL)
            continue
        colour = OKABE_ITO["blue"] if line.group is not None else OKABE_ITO["black"]
        ax.barh(pos, float(kpi.ratio), 0.7, color=colour, zorder=2)
        text = f"{percent(kpi.ratio)}  {counts}"
        ax.text(float(kpi.ratio) + 0.015, pos, text, va="center", ha="left", fontsize=7, color="#222222", **LABEL)
    from matplotlib.ticker import PercentFormatter

    ax.set_yticks(positions, names)
    ax.invert_yaxis()
    ax.set_xlim(0, 1.32)  # room right of a full bar for its label
    ax.set_xticks([i / 5 for i in range(6)])
    ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.tick_params(axis="y", length=0)
    _set_apart(ax, positions)
    if whole.target is not None:
        target = whole.target_text or percent(whole.target, 0)
        ax.axvline(
            float(whole.target),
            color=OKABE_ITO["black"],
            linestyle=(0, (4, 3)),
            linewidth=1.1,
            zorder=4,
            label=words("chart.target_line", target=target),
        )
        ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), fontsize=7, borderaxespad=0.2)
    return fig


def breakdown_status_figure(found: Breakdown, words: Words, programme: str | None = None) -> Figure:
    """The status groups stacked per group, each bar's adopted themes and share of the whole's at its end; the
    whole's bar last."""
    heading = words("chart.by.status_title", by=by_header(found.grouping, words))
    fig, ax = _by_frame(found, heading, words, programme)
    every = lines(found, words)
    positions, names = _by_rows(every, words)
    colours = dict(STATUS_COLOURS)
    if found.whole_status.terminated:  # shown when there are some, as the status table shows them
        colours["terminated"] = OKABE_ITO["reddish_purple"]
    totals = [
        str(line.status.total) if line.group is None else f"{line.status.total} ({percent(line.share)})"
        for line in every
    ]
    rows = [line.status for line in every]
    _stacked(ax, positions, names, rows, colours, found.whole_status.total or 1, words, totals)
    _set_apart(ax, positions)
    ax.set_xlim(0, (found.whole_status.total or 1) * 1.16)  # room for the share after the widest bar
    ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncols=len(colours), fontsize=7, borderaxespad=0.2)
    return fig
