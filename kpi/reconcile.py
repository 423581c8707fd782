"""Comparing the computed figures with the ones the evaluation report printed (sample_data/published.csv).

The published figures are snapshots taken when they were reported, so a disagreement is explained, not
judged: each comparison carries both numbers and, for counts and ratios, the themes behind them.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import duckdb

from kpi import metrics


def _parse(value: str) -> tuple[Decimal, bool, int]:
    """A printed number: its value, whether it was a percentage, and its decimal places."""
    text = value.replace(",", "").strip()
    percent = text.endswith("%")
    text = text.rstrip("%")
    places = len(text.split(".")[1]) if "." in text else 0
    return Decimal(text), percent, places


def _shown(value: Decimal, percent: bool, grouped: bool) -> str:
    """The computed value written the way the report wrote its own (thousands separators, %)."""
    text = f"{value:,}" if grouped else str(value)
    return text + ("%" if percent else "")


def _rounded(value: float | int | Decimal | None, percent: bool, places: int) -> Decimal | None:
    """The computed value at the precision the report printed (half up)."""
    if value is None:
        return None
    number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if percent:
        number *= 100
    return number.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)


def _status_counts(con: duckdb.DuckDBPyConnection, as_of: int, where: str, params: dict[str, Any]) -> dict[str, int]:
    rows = con.execute(
        f"SELECT status, count(*) FROM {metrics.POPULATION} WHERE {where} GROUP BY status", {"as_of": as_of, **params}
    ).fetchall()
    return {status: int(n) for status, n in rows}


def _group_note(con: duckdb.DuckDBPyConnection, as_of: int, where: str, params: dict[str, Any], label: str) -> str:
    """How the theme list splits a group: its counts by status and the themes not achieved or delayed."""
    counts = _status_counts(con, as_of, where, params)
    ids = con.execute(
        f"SELECT theme_id FROM {metrics.POPULATION} WHERE {where} AND status IN ('delayed', 'not_achieved') ORDER BY theme_id",
        {"as_of": as_of, **params},
    ).fetchall()
    split = ", ".join(f"{k} {counts.get(k, 0)}" for k in ("achieved", "on_track", "delayed", "not_achieved"))
    listed = " ".join(i for (i,) in ids)
    return f"the theme list gives {label}: {split}" + (f"; delayed or not achieved: {listed}" if listed else "")


def _year_note(con: duckdb.DuckDBPyConnection, fy: int) -> str:
    counts = _status_counts(con, fy, "end_fy = $fy", {"fy": fy})
    split = ", ".join(f"{k} {counts.get(k, 0)}" for k in ("achieved", "not_achieved", "on_track", "delayed"))
    return f"themes ending in FY{fy} by status in the list: {split} (those still 'on_track' await their final result)"


def resolve(con: duckdb.DuckDBPyConnection, figure: str, as_of: int, rep: dict[str, Any]) -> tuple[Any, str]:
    """The computed value of a published figure and a note on where it comes from."""
    section, _, rest = figure.partition(".")
    if section == "status_summary":
        return rep["status_summary"][rest], _group_note(con, as_of, "true", {}, "overall")
    if section == "by_element":
        item, letter, group = rest.split(".")
        row = next((r for r in rep["by_element"] if str(r["item"]) == item and r["element"] == letter), None)
        where = "item = $item AND left(element, 1) = $letter"
        note = _group_note(con, as_of, where, {"item": int(item), "letter": letter}, f"item {item}, element {letter}")
        return (row[group] if row else 0), note
    if section == "short_term":
        return rep["short_term"][
            "ratio"
        ], f"{rep['short_term']['achieved']}/{rep['short_term']['completed']}; " + _year_note(con, as_of)
    if section == "budget":
        kind, field = rest.split(".")
        if kind == "total":
            return rep["budget"]["total"][field], f"sum of the budget table up to FY{as_of}"
        year = next((y for y in rep["budget"]["years"] if y["fy"] == as_of), None)
        return (year[field] if year else None), f"budget table, FY{as_of}"
    if section == "national_expenditure":
        all_years = metrics.budget(con, 2100)["total"]["budget"]
        return (
            all_years,
            "sum of every budget year loaded (appropriations); the report's 国費総額 may count another cut-off",
        )
    if section == "outputs":
        return rep["outputs"]["total"][rest.split(".")[1]], f"sum of the outputs table up to FY{as_of}"
    if section == "grants":
        grants = rep["outputs"]["grants"]
        return (grants[rest] if grants else None), (
            f"grants as of {grants['as_of_date']}" if grants else "no grants loaded"
        )
    if section.startswith("evaluation"):
        criterion = figure.split(":", 1)[1]
        row = next((c for c in rep["evaluation"]["criteria"] if c["criterion"] == criterion), None)
        return (row["score"] if row else None), (
            f"mean over {row['graded_by']} members" if row else "criterion not loaded"
        )
    raise ValueError(f"unknown figure {figure!r}")


def reconcile(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Every published figure with its computed value and whether the two agree at the printed precision."""
    published = con.execute("SELECT figure, as_of_fy, value, source FROM published ORDER BY rowid").fetchall()
    reports: dict[int, dict[str, Any]] = {}
    results = []
    for figure, as_of, value, source in published:
        rep = reports.setdefault(as_of, metrics.report(con, as_of))
        computed, note = resolve(con, figure, as_of, rep)
        number, percent, places = _parse(value)
        shown = _rounded(computed, percent, places)
        results.append(
            {
                "figure": figure,
                "as_of_fy": int(as_of),
                "published": value,
                "computed": None if shown is None else _shown(shown, percent, "," in value),
                "computed_exact": computed,
                "agree": shown is not None and shown == number,
                "source": source,
                "note": note,
            }
        )
    _point_at_element_groups(results)
    return results + rs_comparisons(con)


def _row(
    figure: str, fy: int, published: str, computed: str | None, agree: bool, source: str, note: str
) -> dict[str, Any]:
    return {
        "figure": figure,
        "as_of_fy": fy,
        "published": published,
        "computed": computed,
        "computed_exact": computed,
        "agree": agree,
        "source": source,
        "note": note,
    }


def _target_row(figure: str, indicator: dict[str, Any], setting: str, key: str) -> list[dict[str, Any]]:
    """RS's target in its flagged target year against the programme's setting."""
    published = next((y["target"] for y in indicator["years"] if y["fy"] in indicator["target_years"]), None)
    if published is None:
        return []
    ours = metrics.parse_target(setting) * 100
    agree = Decimal(str(published)) == Decimal(ours.numerator) / Decimal(ours.denominator)
    year = max(indicator["target_years"])
    return [
        _row(
            figure,
            year,
            f"{published}%",
            f"{float(ours):g}%",
            agree,
            "RS 3-1 効果発現経路_目標・実績",
            f"programme.toml {key}",
        )
    ]


def rs_comparisons(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """With RS data loaded: the short-term trend against RS's actuals, the settings against RS's targets and
    target years, and the budget table against RS's appropriations (歳出予算現額, rounded to 億円)."""
    settings = metrics.programme(con)
    if settings is None:
        return []
    latest = metrics.rs(con, 2100, settings)
    if latest is None:
        return []
    out: list[dict[str, Any]] = []
    source = "RS 3-1 効果発現経路_目標・実績"
    by_period = {i["period"]: i for i in latest["indicators"] if i["kind"] == "outcome"}
    short, long_ = by_period.get("short"), by_period.get("long")
    if short:
        trend = {y["fy"]: y for y in metrics.trend(con, max(y["fy"] for y in short["years"]))}
        for y in short["years"]:
            if y["actual"] is None:
                continue
            ours = trend.get(y["fy"])
            computed = _rounded(ours["ratio"], True, 0) if ours and ours["ratio"] is not None else None
            published = Decimal(str(y["actual"])).quantize(Decimal(1), ROUND_HALF_UP)
            note = (f"{ours['achieved']}/{ours['completed']} from today's theme list; " if ours else "") + _year_note(
                con, y["fy"]
            )
            out.append(
                _row(
                    "rs.short_term.actual",
                    y["fy"],
                    f"{published}%",
                    None if computed is None else f"{computed}%",
                    computed == published,
                    source,
                    note,
                )
            )
        out += _target_row("rs.short_term.target", short, settings["short_term_target"], "short_term_target")
    if long_:
        out += _target_row("rs.long_term.target", long_, settings["long_term_target"], "long_term_target")
        for year in long_["target_years"]:
            judged = settings["long_term_judged_from_fy"]
            out.append(
                _row(
                    "rs.long_term.target_year",
                    year,
                    str(year),
                    str(judged),
                    year == judged,
                    source,
                    f"RS flags FY{year} as the target year; programme.toml judges the official ratio from FY{judged} (長期目標 2030年度 in the report)",
                )
            )
    budget = {y["fy"]: y for y in metrics.budget(con, 2100)["years"]}
    for a in latest["appropriations"]:
        ours = budget.get(a["budget_fy"])
        rs_oku = (
            (Decimal(a["current"]) / Decimal(100_000_000)).quantize(Decimal(1), ROUND_HALF_UP)
            if a["current"] is not None
            else None
        )
        computed = None if ours is None else Decimal(str(ours["budget"])).quantize(Decimal(1), ROUND_HALF_UP)
        out.append(
            _row(
                "rs.appropriation",
                a["budget_fy"],
                f"{rs_oku:,}" if rs_oku is not None else "—",
                f"{computed:,}" if computed is not None else None,
                computed is not None and computed == rs_oku,
                "RS 2-1 予算・執行_サマリ (歳出予算現額)",
                f"RS 歳出予算現額 {a['current']:,} yen (当初 {a['initial']:,} + 補正 {a['supplementary']:,}); the budget table gives {ours['budget'] if ours else '—'} 億円",
            )
        )
    return out


def _point_at_element_groups(results: list[dict[str, Any]]) -> None:
    """A disagreeing summary count names the element groups whose published counts disagree too."""
    element = [r for r in results if r["figure"].startswith("by_element.") and not r["agree"]]
    for r in results:
        if r["figure"].startswith("status_summary.") and not r["agree"]:
            group = r["figure"].split(".")[1]
            parts = [
                f"item {e['figure'].split('.')[1]} element {e['figure'].split('.')[2]}: published {e['published']}, list {e['computed']}"
                for e in element
                if e["figure"].endswith("." + group) and e["as_of_fy"] == r["as_of_fy"]
            ]
            if parts:
                r["note"] = "the published element breakdown differs in " + "; ".join(parts) + ". " + r["note"]
