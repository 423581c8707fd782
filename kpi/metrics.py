"""The programme's figures, computed in SQL as pure functions of a connection and an as-of fiscal year.

Every rule here is written out in the README ('How the figures are computed'); keep the two in step.
Results are plain dicts of ints, Fractions-derived floats and strings, ready for kpi.render.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

import duckdb

from kpi.store import fetch_one

LEADING_ITEM = 3  # 先導研究: excluded from every outcome figure and from the status tables
STATUS_GROUPS = {
    "achieved": "achieved",
    "on_track": "on_track",
    "delayed": "delayed_or_not_achieved",
    "not_achieved": "delayed_or_not_achieved",
}

# Adopted, non-leading themes as of the year bound to $as_of: the population of every outcome figure.
POPULATION = f"(SELECT * FROM themes WHERE item <> {LEADING_ITEM} AND (start_fy IS NULL OR start_fy <= $as_of))"


def parse_target(text: str) -> Fraction:
    """'80%', '0.8' or '4/5' as an exact fraction between 0 and 1."""
    value = str(text).strip()
    try:
        target = Fraction(value[:-1].strip()) / 100 if value.endswith("%") else Fraction(value)
    except (ValueError, ZeroDivisionError) as exc:
        raise ValueError(f"not a target: {text!r} (write it as 80% or 0.8)") from exc
    if not 0 <= target <= 1:
        raise ValueError(f"target {text!r} is outside 0–100%")
    return target


DEFAULT_GRADE_POINTS = "A=3, B=2, C=1, D=0"  # the report's 評点法 note; programme.toml may set another


def parse_grade_points(text: str) -> dict[str, Fraction]:
    """'A=3, B=2, C=1, D=0' as a grade → points mapping."""
    points: dict[str, Fraction] = {}
    for part in str(text).split(","):
        grade, sep, value = part.partition("=")
        if not sep or grade.strip().upper() not in "ABCD" or not grade.strip():
            raise ValueError(f"grade points must look like 'A=3, B=2, C=1, D=0', not {text!r}")
        points[grade.strip().upper()] = Fraction(value.strip())
    if sorted(points) != ["A", "B", "C", "D"]:
        raise ValueError(f"grade points must give A, B, C and D, not {text!r}")
    return points


def ratio(numerator: int | Decimal, denominator: int | Decimal) -> float | None:
    """numerator / denominator as a number, or None when the denominator is 0."""
    if not denominator:
        return None
    return float(Fraction(numerator) / Fraction(denominator))


def meets(numerator: int, denominator: int, target: Fraction | None) -> bool | None:
    """Whether numerator / denominator ≥ target, compared exactly; None when not measurable."""
    if not denominator or target is None:
        return None
    return Fraction(numerator, denominator) >= target


def programme(con: duckdb.DuckDBPyConnection) -> dict[str, Any] | None:
    """The programme's settings as loaded from programme.toml (None if never loaded)."""
    rows = dict(con.execute("SELECT key, value FROM programme").fetchall())
    if not rows:
        return None
    return {
        "name": rows["name"],
        "project_id": int(rows["project_id"]),
        "short_term_target": rows["short_term_target"],
        "long_term_target": rows["long_term_target"],
        "followup_horizon_years": int(rows["followup_horizon_years"]),
        "long_term_judged_from_fy": int(rows["long_term_judged_from_fy"]),
        "grade_points": rows.get("grade_points", DEFAULT_GRADE_POINTS),
    }


def _target(settings: dict[str, Any] | None, key: str) -> Fraction | None:
    return parse_target(settings[key]) if settings else None


def short_term(con: duckdb.DuckDBPyConnection, as_of: int, settings: dict[str, Any] | None) -> dict[str, Any]:
    """Achieved / completed: completed = ended by as_of with a final result (目標達成 or 目標未達)."""
    row = fetch_one(
        con,
        f"""
        SELECT
          count(*) FILTER (end_fy <= $as_of AND status = 'achieved'),
          count(*) FILTER (end_fy <= $as_of AND status IN ('achieved', 'not_achieved')),
          count(*) FILTER (status = 'delayed'),
          count(*) FILTER (end_fy <= $as_of AND status = 'on_track'),
          count(*) FILTER (end_fy <= $as_of AND status = 'not_achieved')
        FROM {POPULATION}
        """,
        {"as_of": as_of},
    )
    achieved, completed, delayed, awaiting, not_achieved = (int(v) for v in row or (0, 0, 0, 0, 0))
    target = _target(settings, "short_term_target")
    return {
        "achieved": achieved,
        "completed": completed,
        "ratio": ratio(achieved, completed),
        "target": float(target) if target is not None else None,
        "target_text": settings["short_term_target"] if settings else None,
        "met": meets(achieved, completed, target),
        "delayed": delayed,
        "awaiting_final": awaiting,
        "not_achieved": not_achieved,
    }


def long_term(con: duckdb.DuckDBPyConnection, as_of: int, settings: dict[str, Any] | None) -> dict[str, Any]:
    """Commercialised (a survey by as_of records 製品化 or 上市) / adopted; also over matured themes."""
    horizon = settings["followup_horizon_years"] if settings else 3
    row = fetch_one(
        con,
        f"""
        WITH surveyed AS (
          SELECT theme_id, bool_or(stage IN ('製品化', '上市')) AS commercialised
          FROM followups WHERE survey_fy <= $as_of GROUP BY theme_id),
        p AS (
          SELECT p.*, coalesce(s.commercialised, false) AS commercialised,
                 p.end_fy + $horizon <= $as_of AS matured
          FROM {POPULATION} p LEFT JOIN surveyed s USING (theme_id))
        SELECT count(*) FILTER (commercialised), count(*),
               count(*) FILTER (matured), count(*) FILTER (matured AND commercialised),
               (SELECT count(*) FROM surveyed)
        FROM p
        """,
        {"as_of": as_of, "horizon": horizon},
    )
    commercialised, adopted, matured, matured_comm, surveyed = (int(v) for v in row or (0, 0, 0, 0, 0))
    target = _target(settings, "long_term_target")
    has_data = surveyed > 0
    return {
        "commercialised": commercialised if has_data else None,
        "adopted": adopted,
        "ratio": ratio(commercialised, adopted) if has_data else None,
        "target": float(target) if target is not None else None,
        "target_text": settings["long_term_target"] if settings else None,
        "met": meets(commercialised, adopted, target) if has_data else None,
        "matured": matured,
        "matured_commercialised": matured_comm if has_data else None,
        "matured_ratio": ratio(matured_comm, matured) if has_data else None,
        "matured_met": meets(matured_comm, matured, target) if has_data else None,
        "not_yet_measurable": adopted - matured,
        "horizon_years": horizon,
        "judged_from_fy": settings["long_term_judged_from_fy"] if settings else None,
        "surveyed_themes": surveyed,
        "has_followups": has_data,
    }


def exclusions(con: duckdb.DuckDBPyConnection, as_of: int) -> dict[str, int]:
    """Themes left out of every outcome figure, by reason."""
    row = fetch_one(
        con,
        f"""
        SELECT count(*) FILTER (item = {LEADING_ITEM}),
               count(*) FILTER (item <> {LEADING_ITEM} AND start_fy > $as_of),
               count(*)
        FROM themes
        """,
        {"as_of": as_of},
    )
    leading, not_adopted, total = (int(v) for v in row or (0, 0, 0))
    return {"leading_research": leading, "not_yet_adopted": not_adopted, "themes_loaded": total}


def _money(value: Decimal | None) -> int | float | None:
    """億円 for JSON: an int when whole, else a float (values are stored exactly as DECIMAL)."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def budget(con: duckdb.DuckDBPyConnection, as_of: int) -> dict[str, Any]:
    """Per-year and cumulative execution / budget up to as_of; a fund may execute more than a year's budget."""
    rows = con.execute(
        """
        SELECT fy, budget, executed,
               sum(budget) OVER w, sum(executed) OVER w
        FROM budget WHERE fy <= $as_of
        WINDOW w AS (ORDER BY fy ROWS UNBOUNDED PRECEDING)
        ORDER BY fy
        """,
        {"as_of": as_of},
    ).fetchall()
    years = []
    for fy, bud, exe, cum_bud, cum_exe in rows:
        years.append(
            {
                "fy": int(fy),
                "budget": _money(bud),
                "executed": _money(exe),
                "ratio": ratio(exe, bud) if exe is not None else None,
                "cumulative_budget": _money(cum_bud),
                "cumulative_executed": _money(cum_exe),
                "cumulative_ratio": ratio(cum_exe, cum_bud) if cum_exe is not None else None,
                "draws_on_earlier": exe is not None and exe > bud,
            }
        )
    total_budget = sum((r[1] for r in rows), Decimal(0))
    total_exec = sum((r[2] for r in rows if r[2] is not None), Decimal(0))
    return {
        "unit": "oku_yen",
        "years": years,
        "total": {
            "budget": _money(total_budget),
            "executed": _money(total_exec),
            "ratio": ratio(total_exec, total_budget),
        },
    }


def _group_counts() -> str:
    return """
        count(*) FILTER (status = 'achieved') AS achieved,
        count(*) FILTER (status = 'on_track') AS on_track,
        count(*) FILTER (status IN ('delayed', 'not_achieved')) AS delayed_or_not_achieved,
        count(*) AS total
    """


def status_summary(con: duckdb.DuckDBPyConnection, as_of: int) -> dict[str, int]:
    """Adopted non-leading themes by status group: 目標達成, 遅延なし (計画通り), 遅延・未達, total."""
    row = fetch_one(con, f"SELECT {_group_counts()} FROM {POPULATION}", {"as_of": as_of})
    keys = ["achieved", "on_track", "delayed_or_not_achieved", "total"]
    return dict(zip(keys, (int(v) for v in row or (0, 0, 0, 0)), strict=True))


def by_element(con: duckdb.DuckDBPyConnection, as_of: int) -> list[dict[str, Any]]:
    """The status groups per research item and element letter (a, b, c…), as the working group asked."""
    rows = con.execute(
        f"""
        SELECT item, left(element, 1) AS letter, {_group_counts()}
        FROM {POPULATION} GROUP BY ALL ORDER BY item, letter
        """,
        {"as_of": as_of},
    ).fetchall()
    keys = ["item", "element", "achieved", "on_track", "delayed_or_not_achieved", "total"]
    return [dict(zip(keys, r, strict=True)) for r in rows]


def trend(con: duckdb.DuckDBPyConnection, as_of: int) -> list[dict[str, Any]]:
    """The short-term ratio as it stood at the end of each fiscal year, from the first completion to as_of."""
    rows = con.execute(
        f"""
        WITH done AS (SELECT end_fy, status FROM {POPULATION} WHERE status IN ('achieved', 'not_achieved')),
        years AS (SELECT unnest(range((SELECT min(end_fy) FROM done), $as_of + 1)) AS fy)
        SELECT y.fy,
               count(d.end_fy) FILTER (d.status = 'achieved'),
               count(d.end_fy)
        FROM years y LEFT JOIN done d ON d.end_fy <= y.fy
        GROUP BY y.fy ORDER BY y.fy
        """,
        {"as_of": as_of},
    ).fetchall()
    return [{"fy": int(fy), "achieved": int(a), "completed": int(c), "ratio": ratio(a, c)} for fy, a, c in rows]


LIST_LIMIT = 100  # rows per theme list in the report; the counts are always complete (kpi export has every theme)


def theme_lists(
    con: duckdb.DuckDBPyConnection, as_of: int, limit: int | None = LIST_LIMIT
) -> dict[str, list[dict[str, Any]]]:
    """The themes a reader acts on: delayed, awaiting a final result, not achieved (the first `limit` of each)."""
    conditions = {
        "delayed": "status = 'delayed'",
        "awaiting_final": "status = 'on_track' AND end_fy <= $as_of",
        "not_achieved": "status = 'not_achieved' AND end_fy <= $as_of",
    }
    lists = {}
    for name, condition in conditions.items():
        rows = con.execute(
            f"""SELECT theme_id, item, element, organizations, title, end_fy, status
                FROM {POPULATION} WHERE {condition} ORDER BY item, theme_id LIMIT $limit""",
            {"as_of": as_of, "limit": limit},
        ).fetchall()
        keys = ["theme_id", "item", "element", "organizations", "title", "end_fy", "status"]
        lists[name] = [dict(zip(keys, r, strict=True)) for r in rows]
    return lists


def theme_counts(con: duckdb.DuckDBPyConnection, as_of: int) -> dict[str, int]:
    """How many themes each list holds in full."""
    row = fetch_one(
        con,
        f"""SELECT count(*) FILTER (status = 'delayed'),
                   count(*) FILTER (status = 'on_track' AND end_fy <= $as_of),
                   count(*) FILTER (status = 'not_achieved' AND end_fy <= $as_of)
            FROM {POPULATION}""",
        {"as_of": as_of},
    )
    return dict(zip(["delayed", "awaiting_final", "not_achieved"], (int(v) for v in row or (0, 0, 0)), strict=True))


def outputs(con: duckdb.DuckDBPyConnection, as_of: int) -> dict[str, Any]:
    """Papers, presentations and patent applications per year up to as_of, their totals, and the latest grants."""
    counts = ["papers", "presentations", "patents_domestic", "patents_foreign", "patents_pct"]
    rows = con.execute(
        f"SELECT fy, {', '.join(counts)} FROM outputs WHERE fy <= $as_of ORDER BY fy", {"as_of": as_of}
    ).fetchall()
    years = [dict(zip(["fy", *counts], (int(v) for v in r), strict=True)) for r in rows]
    total = {c: sum(y[c] for y in years) for c in counts}
    latest = fetch_one(
        con, "SELECT as_of_date, granted_domestic, granted_foreign FROM grants ORDER BY as_of_date DESC LIMIT 1"
    )
    grants = None
    if latest:
        day, domestic, foreign = latest
        grants = {
            "as_of_date": day.isoformat(),
            "granted_domestic": int(domestic),
            "granted_foreign": int(foreign),
            "filed_domestic": total["patents_domestic"],
            "filed_foreign": total["patents_foreign"],
            "rate_domestic": ratio(domestic, total["patents_domestic"]),
            "rate_foreign": ratio(foreign, total["patents_foreign"]),
        }
    return {"years": years, "total": total, "grants": grants}


# The stage-gate rule (3-3 ③): mean ≥ 60 continue; 40 ≤ mean < 60 consider with the notes; < 40 terminate.
CONTINUE_FROM, CONSIDER_FROM = Fraction(60), Fraction(40)


def stage_gate_decision(mean: Fraction) -> str:
    """The rule's decision for a mean score, compared exactly."""
    if mean >= CONTINUE_FROM:
        return "continue"
    if mean >= CONSIDER_FROM:
        return "consider"
    return "terminate"


def stage_gate(con: duckdb.DuckDBPyConnection, as_of: int, limit: int | None = LIST_LIMIT) -> dict[str, Any]:
    """Each theme's latest review up to as_of: mean score over reviewers and the rule's decision.

    Themes without a review are counted in full and listed up to `limit` (the listing stays in SQL).
    """
    latest = """
        WITH latest AS (
          SELECT theme_id, max(review_fy) AS review_fy FROM stagegate WHERE review_fy <= $as_of GROUP BY theme_id)"""
    rows = con.execute(
        f"""{latest}
        SELECT t.theme_id, t.item, t.element, t.title, l.review_fy, sum(s.score), count(s.score)
        FROM latest l JOIN themes t USING (theme_id)
        JOIN stagegate s ON s.theme_id = l.theme_id AND s.review_fy = l.review_fy
        GROUP BY ALL ORDER BY t.item, t.theme_id
        """,
        {"as_of": as_of},
    ).fetchall()
    reviewed = []
    for theme_id, item, element, title, review_fy, total, n in rows:
        mean = Fraction(total) / n
        reviewed.append(
            {
                "theme_id": theme_id,
                "item": item,
                "element": element,
                "title": title,
                "review_fy": int(review_fy),
                "reviewers": int(n),
                "mean": float(mean),
                "decision": stage_gate_decision(mean),
            }
        )
    unreviewed = (
        f"{latest} SELECT {{}} FROM themes t WHERE NOT EXISTS (SELECT 1 FROM latest l WHERE l.theme_id = t.theme_id)"
    )
    count = fetch_one(con, unreviewed.format("count(*)"), {"as_of": as_of})
    listed = con.execute(
        unreviewed.format("theme_id, item, element, title") + " ORDER BY item, theme_id LIMIT $limit",
        {"as_of": as_of, "limit": limit},
    ).fetchall()
    keys = ["theme_id", "item", "element", "title"]
    return {
        "reviewed": reviewed,
        "not_reviewed": [dict(zip(keys, r, strict=True)) for r in listed],
        "not_reviewed_count": int(count[0]) if count else 0,
    }


def evaluation(con: duckdb.DuckDBPyConnection, settings: dict[str, Any] | None) -> dict[str, Any]:
    """The working group's grades: a row per criterion, a column per member, and the mean points.

    A missing grade is left out of the mean (it is not a D).
    """
    points = parse_grade_points(settings["grade_points"] if settings else DEFAULT_GRADE_POINTS)
    rows = con.execute(
        """SELECT criterion, member, grade,
                  min(position) OVER (PARTITION BY criterion) AS c_pos, min(position) OVER (PARTITION BY member) AS m_pos
           FROM evaluation ORDER BY c_pos, m_pos"""
    ).fetchall()
    members = sorted({(m_pos, member) for _, member, _, _, m_pos in rows})
    criteria: dict[str, dict[str, str | None]] = {}
    for criterion, member, grade, _, _ in rows:
        criteria.setdefault(criterion, {})[member] = grade
    result = []
    for criterion, grades in criteria.items():
        given = [points[g] for g in grades.values() if g]
        mean = sum(given, Fraction(0)) / len(given) if given else None
        result.append(
            {
                "criterion": criterion,
                "grades": {m: grades.get(m) for _, m in members},
                "score": float(mean) if mean is not None else None,
                "graded_by": len(given),
            }
        )
    return {
        "members": [m for _, m in members],
        "criteria": result,
        "grade_points": {g: float(p) for g, p in points.items()},
    }


# An RS appropriation row's figures, in the order RS publishes them (yen, and the rate as published).
RS_AMOUNTS = [
    "initial",
    "supplementary",
    "carried_in",
    "reserve",
    "current",
    "executed",
    "execution_rate",
    "carried_out",
]


def rs(con: duckdb.DuckDBPyConnection, as_of: int, settings: dict[str, Any] | None) -> dict[str, Any] | None:
    """The government's RS open data for the programme's project: appropriations and published indicators.

    For each budget year the newest sheet that reports its execution is used (a sheet reports execution only up
    to the year before its own); RS 執行 of a fund is the transfer into the fund, not R&D spending.
    """
    if settings is None:
        return None
    project = settings["project_id"]
    rows = con.execute(
        """
        SELECT budget_fy, sheet_fy, initial, supplementary, carried_in, reserve, "current", executed, execution_rate,
               carried_out, execution_reported
        FROM rs_budget WHERE project_id = $p AND budget_fy <= $as_of
        QUALIFY row_number() OVER (PARTITION BY budget_fy ORDER BY execution_reported DESC, sheet_fy DESC) = 1
        ORDER BY budget_fy
        """,
        {"p": project, "as_of": as_of},
    ).fetchall()
    keys = ["budget_fy", "sheet_fy", *RS_AMOUNTS, "execution_reported"]
    appropriations = []
    for r in rows:
        row = dict(zip(keys, r, strict=True))
        row["execution_rate"] = float(row["execution_rate"]) if row["execution_rate"] is not None else None
        appropriations.append(row)
    indicators = []
    for seq, sheet_fy, number, kind, period, name, indicator, unit, target_years in con.execute(
        """
        SELECT seq, sheet_fy, number, kind, period, name, indicator, unit, target_years FROM rs_indicators
        WHERE project_id = $p QUALIFY sheet_fy = max(sheet_fy) OVER () ORDER BY seq
        """,
        {"p": project},
    ).fetchall():
        values = con.execute(
            "SELECT fy, target, actual, achievement_rate FROM rs_values WHERE project_id = $p AND sheet_fy = $s AND seq = $q ORDER BY fy",
            {"p": project, "s": sheet_fy, "q": seq},
        ).fetchall()
        indicators.append(
            {
                "seq": int(seq),
                "number": number,
                "kind": kind,
                "period": period,
                "name": name,
                "indicator": indicator,
                "unit": unit,
                "target_years": [int(y) for y in target_years or []],
                "sheet_fy": int(sheet_fy),
                "years": [
                    {"fy": int(fy), "target": _money(t), "actual": _money(a), "achievement_rate": _money(rate)}
                    for fy, t, a, rate in values
                ],
            }
        )
    if not appropriations and not indicators:
        return None
    return {"project_id": project, "unit": "yen", "appropriations": appropriations, "indicators": indicators}


def has_data(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether any theme or budget row is stored."""
    row = fetch_one(con, "SELECT (SELECT count(*) FROM themes) + (SELECT count(*) FROM budget)")
    return bool(row and row[0])


def report(con: duckdb.DuckDBPyConnection, as_of: int, list_limit: int | None = LIST_LIMIT) -> dict[str, Any]:
    """Everything `kpi report` shows, as the documented JSON contract (README, 'kpi report --format json').

    Theme lists hold at most `list_limit` rows each (None: all); `theme_counts` gives their full sizes.
    """
    settings = programme(con)
    return {
        "as_of_fy": as_of,
        "programme": settings,
        "exclusions": exclusions(con, as_of),
        "short_term": short_term(con, as_of, settings),
        "long_term": long_term(con, as_of, settings),
        "budget": budget(con, as_of),
        "status_summary": status_summary(con, as_of),
        "by_element": by_element(con, as_of),
        "trend": trend(con, as_of),
        "themes": theme_lists(con, as_of, list_limit),
        "theme_counts": theme_counts(con, as_of),
        "outputs": outputs(con, as_of),
        "stage_gate": stage_gate(con, as_of, list_limit),
        "evaluation": evaluation(con, settings),
        "rs": rs(con, as_of, settings),
    }


def check(rep: dict[str, Any]) -> list[dict[str, Any]]:
    """The KPIs `kpi check` measures against their targets, each with whether it counts toward the exit code.

    Measured: the short-term ratio and the long-term matured ratio; the official long-term ratio only from
    the settings' judging year (FY2030 for the sample programme). A denominator of 0 is not measurable.
    """
    s, lt = rep["short_term"], rep["long_term"]
    judged_from = lt["judged_from_fy"]
    official_due = judged_from is not None and rep["as_of_fy"] >= judged_from
    rows = [
        ("short_term", s["achieved"], s["completed"], s["ratio"], s["target"], s["target_text"], s["met"], True),
        (
            "long_term_matured",
            lt["matured_commercialised"],
            lt["matured"],
            lt["matured_ratio"],
            lt["target"],
            lt["target_text"],
            lt["matured_met"],
            True,
        ),
        (
            "long_term",
            lt["commercialised"],
            lt["adopted"],
            lt["ratio"],
            lt["target"],
            lt["target_text"],
            lt["met"],
            official_due,
        ),
    ]
    results = []
    for name, num, den, value, target, target_text, met, due in rows:
        measurable = met is not None
        results.append(
            {
                "name": name,
                "numerator": num,
                "denominator": den,
                "ratio": value,
                "target": target,
                "target_text": target_text,
                "met": met,
                "measurable": measurable,
                "counts": due and measurable,
            }
        )
    return results


def all_themes(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Every stored theme (leading research included) with its status, in a fixed order."""
    keys = ["theme_id", "item", "funding", "element", "organizations", "title", "start_fy", "end_fy", "status"]
    rows = con.execute(f"SELECT {', '.join(keys)} FROM themes ORDER BY item, theme_id").fetchall()
    return [dict(zip(keys, r, strict=True)) for r in rows]


def sources(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """The audit trail of loads: file, sha256, kind, rows, time."""
    keys = ["load_id", "file_name", "sha256", "kind", "row_count", "loaded_at"]
    rows = con.execute(f"SELECT {', '.join(keys)} FROM loads ORDER BY load_id").fetchall()
    return [
        dict(zip(keys, (str(v) if k == "loaded_at" else v for k, v in zip(keys, r, strict=True)), strict=True))
        for r in rows
    ]
