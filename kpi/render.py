"""Turning results into strings: tables (tabulate), markdown, CSV and JSON, in Japanese or English."""

from __future__ import annotations

import csv
import io
import json
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from kpi.errors import Failure
from kpi.fiscal import wareki

L: dict[str, dict[str, Any]] = {
    "ja": {
        "as_of": "{fy}年度（{wareki}）時点",
        "headline": "アウトカム指標",
        "indicator": "指標",
        "numerator": "分子",
        "denominator": "分母",
        "actual": "実績",
        "target": "目標",
        "met": "判定",
        "short": "短期: 目標達成 / 研究開発完了",
        "long": "長期: 実用化 / 採択（公式）",
        "long_matured": "長期: 実用化 / {h}年経過テーマ",
        "yes": "達成",
        "no": "未達",
        "not_measurable": "測定不能（分母0）",
        "no_followups": "追跡調査データなし",
        "no_target": "目標未設定",
        "target_fmt": "{p}以上",
        "notes": "注",
        "excluded": "先導研究{n}件は全アウトカム指標・状況表から除外。",
        "not_adopted": "開始年度が{fy}年度より後の未採択テーマ{n}件は除外。",
        "short_note": "遅延{d}件・最終評価待ち（終了年度経過・計画通り）{a}件は短期の分母に含まない。",
        "long_note": "長期（公式）は{fy}年度に判定。{h}年経過前で未測定のテーマ{n}件。",
        "no_followups_note": "追跡調査（followups）が未登録のため長期指標は算出しない（0%ではない）。",
        "status_summary": "研究開発の状況（先導研究除く）",
        "achieved": "目標達成",
        "on_track": "遅延なし",
        "delayed_or_not_achieved": "遅延・未達",
        "total": "合計",
        "by_element": "基盤要素別",
        "item": "研究開発項目",
        "element": "基盤要素",
        "budget": "予算執行（億円）",
        "fy": "年度",
        "wareki": "和暦",
        "budget_col": "予算",
        "executed": "執行",
        "ratio": "執行率",
        "cum_budget": "累計予算",
        "cum_executed": "累計執行",
        "cum_ratio": "累計執行率",
        "draws": "※",
        "draws_note": "※ 執行が当該年度予算を上回る年度（基金のため前年度までの予算を充当）。",
        "budget_total": "{fy}年度までの合計: 執行 {e} / 予算 {b} 億円 = {r}",
        "trend": "短期指標の推移（各年度末時点）",
        "completed": "研究開発完了",
        "lists": {
            "delayed": "遅延しているテーマ",
            "awaiting_final": "最終評価待ちのテーマ（終了年度経過・計画通り）",
            "not_achieved": "目標未達のテーマ",
        },
        "theme_id": "テーマID",
        "organizations": "機関名",
        "title": "開発テーマ名",
        "end_fy": "終了年度",
        "status": "結果/状況",
        "none": "（なし）",
        "more": "… ほか{n}件（すべては kpi report --all、または kpi export の themes.csv）",
        "programme_missing": "プログラム設定（programme.toml）が未登録: 目標値なし",
        "statuses": {"achieved": "目標達成", "not_achieved": "目標未達", "delayed": "遅延", "on_track": "計画通り"},
        "items": {1: "①", 2: "②", 3: "③"},
        "outputs": "特許出願・論文発表等",
        "output_cols": ["年度", "論文数", "発表", "国内特許出願", "国外特許出願", "PCT出願"],
        "total_row": "計",
        "grants_line": "権利化（{d}時点）: 国内 {gd}件 / 出願 {fd}件 = {rd}、国外 {gf}件 / 出願 {ff}件 = {rf}",
        "no_grants": "権利化件数: 未登録",
        "stage_gate": "ステージゲート審査",
        "sg_cols": ["テーマID", "研究開発項目", "基盤要素", "審査年度", "委員数", "平均点", "判定"],
        "decisions": {"continue": "原則継続", "consider": "特記事項を踏まえて継続可否を検討", "terminate": "原則終了"},
        "not_reviewed": "審査記録のないテーマ: {n}件",
        "not_reviewed_short": "審査記録なし",
        "evaluation": "評点法による評価結果",
        "criterion": "評価項目",
        "score": "評点",
        "points_note": "評点は {p} として換算し、評価した委員で平均（未記入は除く）。",
        "rs": "歳出予算と執行（行政事業レビュー RS、予算事業ID {p}、億円）",
        "rs_cols": [
            "予算年度",
            "当初",
            "補正",
            "前年度繰越",
            "予備費等",
            "歳出予算現額",
            "執行額",
            "執行率",
            "翌年度繰越",
        ],
        "rs_note": "執行率 = 執行額 / 歳出予算現額（RSの定義）。基金事業のRS執行は基金への繰入れであり研究開発の支出ではないため、上の予算執行表とは別に示す。当年度の執行は未公表（0ではない）。",
        "rs_indicators": "RSの成果指標（公表値、◎ = 目標年度）",
        "rs_kinds": {"activity": "活動", "output": "アウトプット", "outcome": "アウトカム"},
        "rs_periods": {"short": "短期", "medium": "中期", "long": "長期"},
        "rs_ind_cols": ["番号", "種別", "期間", "指標", "年度", "目標", "実績", "達成率"],
        "not_reported": "未公表",
    },
    "en": {
        "as_of": "as of FY{fy} ({wareki})",
        "headline": "Outcome indicators",
        "indicator": "indicator",
        "numerator": "numerator",
        "denominator": "denominator",
        "actual": "actual",
        "target": "target",
        "met": "met",
        "short": "short-term: achieved / completed",
        "long": "long-term: commercialised / adopted (official)",
        "long_matured": "long-term: commercialised / {h} years past end",
        "yes": "met",
        "no": "not met",
        "not_measurable": "not measurable (denominator 0)",
        "no_followups": "no follow-up data",
        "no_target": "no target",
        "target_fmt": "≥ {p}",
        "notes": "notes",
        "excluded": "{n} leading-research themes (item 3) are excluded from every outcome figure and status table.",
        "not_adopted": "{n} themes starting after FY{fy} are not yet adopted and excluded.",
        "short_note": "{d} delayed and {a} awaiting a final result (ended, still on track) are not in the short-term denominator.",
        "long_note": "The official long-term ratio is judged from FY{fy}; {n} themes have not reached their {h}-year point.",
        "no_followups_note": "No follow-up surveys loaded: the long-term ratios are not computed (they are not 0%).",
        "status_summary": "Status of themes (leading research excluded)",
        "achieved": "achieved",
        "on_track": "on track",
        "delayed_or_not_achieved": "delayed or not achieved",
        "total": "total",
        "by_element": "By element",
        "item": "item",
        "element": "element",
        "budget": "Budget execution (100M yen, 億円)",
        "fy": "FY",
        "wareki": "wareki",
        "budget_col": "budget",
        "executed": "executed",
        "ratio": "ratio",
        "cum_budget": "cum. budget",
        "cum_executed": "cum. executed",
        "cum_ratio": "cum. ratio",
        "draws": "*",
        "draws_note": "* execution above the year's budget: the fund draws on earlier appropriations.",
        "budget_total": "total to FY{fy}: executed {e} / budget {b} = {r}",
        "trend": "Short-term ratio by fiscal year (at each year's end)",
        "completed": "completed",
        "lists": {
            "delayed": "Delayed themes",
            "awaiting_final": "Awaiting a final result (ended, still on track)",
            "not_achieved": "Themes that did not achieve their goals",
        },
        "theme_id": "theme_id",
        "organizations": "organizations",
        "title": "title",
        "end_fy": "end FY",
        "status": "status",
        "none": "(none)",
        "more": "… and {n} more (all of them: kpi report --all, or themes.csv of kpi export)",
        "programme_missing": "no programme settings loaded (programme.toml): no targets",
        "statuses": {
            "achieved": "achieved",
            "not_achieved": "not achieved",
            "delayed": "delayed",
            "on_track": "on track",
        },
        "items": {1: "1", 2: "2", 3: "3"},
        "outputs": "Outputs: papers, presentations and patent applications",
        "output_cols": ["FY", "papers", "presentations", "patents (domestic)", "patents (foreign)", "PCT"],
        "total_row": "total",
        "grants_line": "granted as of {d}: domestic {gd} / filed {fd} = {rd}; foreign {gf} / filed {ff} = {rf}",
        "no_grants": "granted patents: none loaded",
        "stage_gate": "Stage-gate reviews",
        "sg_cols": ["theme_id", "item", "element", "review FY", "reviewers", "mean", "decision"],
        "decisions": {
            "continue": "continue",
            "consider": "consider with the special notes",
            "terminate": "terminate in principle",
        },
        "not_reviewed": "themes without a review: {n}",
        "not_reviewed_short": "not reviewed",
        "evaluation": "Working-group scores (評点法)",
        "criterion": "criterion",
        "score": "score",
        "points_note": "Grades count as {p}, averaged over the members who graded (blanks left out).",
        "rs": "Appropriations (RS open data, 予算事業ID {p}, 100M yen)",
        "rs_cols": [
            "budget FY",
            "initial",
            "supplementary",
            "carried in",
            "reserve",
            "current",
            "executed",
            "ratio",
            "carried out",
        ],
        "rs_note": "ratio = executed / current appropriation, as RS defines it. For a fund, RS execution is the transfer into the fund, not R&D spending, so it is shown apart from the budget table above. The sheet's own year has no execution yet (not 0).",
        "rs_indicators": "RS indicators (as published; ◎ = target year)",
        "rs_kinds": {"activity": "activity", "output": "output", "outcome": "outcome"},
        "rs_periods": {"short": "short", "medium": "medium", "long": "long"},
        "rs_ind_cols": ["no.", "kind", "period", "indicator", "FY", "target", "actual", "achievement %"],
        "not_reported": "not reported",
    },
}


def percent(numerator: int | Decimal | None, denominator: int | Decimal | None) -> str:
    """numerator / denominator in percent, one decimal, rounded half up; '—' when not computable."""
    if numerator is None or not denominator:
        return "—"
    exact = Fraction(numerator) / Fraction(denominator) * 100
    value = (Decimal(exact.numerator) / Decimal(exact.denominator)).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return f"{value}%"


def _target_text(target: str | None, t: dict[str, Any]) -> str:
    return t["no_target"] if target is None else t["target_fmt"].format(p=target)


def _met_text(met: bool | None, t: dict[str, Any], missing: str) -> str:
    if met is None:
        return missing
    return t["yes"] if met else t["no"]


def _num(v: Any) -> str:
    if v is None:
        return "—"
    if isinstance(v, float):
        return f"{v:,.2f}".rstrip("0").rstrip(".")
    return f"{v:,}" if isinstance(v, int) else str(v)


def headline_rows(rep: dict[str, Any], t: dict[str, Any]) -> list[list[str]]:
    """The outcome indicators: one row per ratio with numerator, denominator, actual, target, verdict."""
    s, lt = rep["short_term"], rep["long_term"]
    long_missing = t["no_followups"] if not lt["has_followups"] else t["not_measurable"]
    return [
        [
            t["short"],
            _num(s["achieved"]),
            _num(s["completed"]),
            percent(s["achieved"], s["completed"]),
            _target_text(s["target_text"], t),
            _met_text(s["met"], t, t["not_measurable"] if s["target"] is not None else t["no_target"]),
        ],
        [
            t["long"],
            _num(lt["commercialised"]),
            _num(lt["adopted"]),
            percent(lt["commercialised"], lt["adopted"]),
            _target_text(lt["target_text"], t),
            _met_text(lt["met"], t, long_missing),
        ],
        [
            t["long_matured"].format(h=lt["horizon_years"]),
            _num(lt["matured_commercialised"]),
            _num(lt["matured"]),
            percent(lt["matured_commercialised"], lt["matured"]),
            _target_text(lt["target_text"], t),
            _met_text(lt["matured_met"], t, long_missing),
        ],
    ]


def headline_notes(rep: dict[str, Any], t: dict[str, Any]) -> list[str]:
    """The exclusions and caveats printed under the outcome indicators."""
    ex, s, lt = rep["exclusions"], rep["short_term"], rep["long_term"]
    notes = [t["excluded"].format(n=ex["leading_research"])]
    if ex["not_yet_adopted"]:
        notes.append(t["not_adopted"].format(n=ex["not_yet_adopted"], fy=rep["as_of_fy"]))
    notes.append(t["short_note"].format(d=s["delayed"], a=s["awaiting_final"]))
    if lt["judged_from_fy"] is not None:
        notes.append(t["long_note"].format(fy=lt["judged_from_fy"], n=lt["not_yet_measurable"], h=lt["horizon_years"]))
    if not lt["has_followups"]:
        notes.append(t["no_followups_note"])
    return notes


def status_rows(rep: dict[str, Any], t: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    ss = rep["status_summary"]
    keys = ["achieved", "on_track", "delayed_or_not_achieved", "total"]
    return [t[k] for k in keys], [[ss[k] for k in keys]]


def element_rows(rep: dict[str, Any], t: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    keys = ["achieved", "on_track", "delayed_or_not_achieved", "total"]
    rows = [[t["items"].get(r["item"], r["item"]), r["element"], *(r[k] for k in keys)] for r in rep["by_element"]]
    return [t["item"], t["element"], *(t[k] for k in keys)], rows


def budget_rows(rep: dict[str, Any], t: dict[str, Any], lang: str) -> tuple[list[str], list[list[Any]]]:
    rows = []
    for y in rep["budget"]["years"]:
        mark = f" {t['draws']}" if y["draws_on_earlier"] else ""
        rows.append(
            [
                y["fy"],
                wareki(y["fy"]),
                _num(y["budget"]),
                _num(y["executed"]),
                percent(Decimal(str(y["executed"])) if y["executed"] is not None else None, Decimal(str(y["budget"])))
                + mark,
                _num(y["cumulative_budget"]),
                _num(y["cumulative_executed"]),
                percent(
                    Decimal(str(y["cumulative_executed"])) if y["cumulative_executed"] is not None else None,
                    Decimal(str(y["cumulative_budget"])),
                ),
            ]
        )
    headers = [
        t["fy"],
        t["wareki"],
        t["budget_col"],
        t["executed"],
        t["ratio"],
        t["cum_budget"],
        t["cum_executed"],
        t["cum_ratio"],
    ]
    return headers, rows


def budget_total_line(rep: dict[str, Any], t: dict[str, Any]) -> str:
    tot = rep["budget"]["total"]
    r = percent(Decimal(str(tot["executed"])), Decimal(str(tot["budget"]))) if tot["budget"] else "—"
    return t["budget_total"].format(fy=rep["as_of_fy"], e=_num(tot["executed"]), b=_num(tot["budget"]), r=r)


def trend_rows(rep: dict[str, Any], t: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    rows = [
        [y["fy"], wareki(y["fy"]), y["achieved"], y["completed"], percent(y["achieved"], y["completed"])]
        for y in rep["trend"]
    ]
    return [t["fy"], t["wareki"], t["achieved"], t["completed"], t["actual"]], rows


def list_rows(themes: list[dict[str, Any]], t: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    rows = [
        [
            r["theme_id"],
            t["items"].get(r["item"], r["item"]),
            r["element"],
            r["organizations"],
            r["title"],
            r["end_fy"],
            t["statuses"][r["status"]],
        ]
        for r in themes
    ]
    return [t["theme_id"], t["item"], t["element"], t["organizations"], t["title"], t["end_fy"], t["status"]], rows


def outputs_rows(rep: dict[str, Any], t: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    o = rep["outputs"]
    keys = ["papers", "presentations", "patents_domestic", "patents_foreign", "patents_pct"]
    rows = [[y["fy"], *(_num(y[k]) for k in keys)] for y in o["years"]]
    if rows:
        rows.append([t["total_row"], *(_num(o["total"][k]) for k in keys)])
    return t["output_cols"], rows


def grants_line(rep: dict[str, Any], t: dict[str, Any]) -> str:
    g = rep["outputs"]["grants"]
    if g is None:
        return t["no_grants"]
    return t["grants_line"].format(
        d=g["as_of_date"],
        gd=g["granted_domestic"],
        fd=_num(g["filed_domestic"]),
        rd=percent(g["granted_domestic"], g["filed_domestic"]),
        gf=g["granted_foreign"],
        ff=_num(g["filed_foreign"]),
        rf=percent(g["granted_foreign"], g["filed_foreign"]),
    )


def stage_gate_rows(rep: dict[str, Any], t: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    rows = [
        [
            r["theme_id"],
            t["items"].get(r["item"], r["item"]),
            r["element"],
            r["review_fy"],
            r["reviewers"],
            _mean(r["mean"], 2),
            t["decisions"][r["decision"]],
        ]
        for r in rep["stage_gate"]["reviewed"]
    ]
    return t["sg_cols"], rows


def _mean(value: float | None, places: int) -> str:
    """A mean for display, rounded half up (repr gives the shortest decimal that round-trips)."""
    if value is None:
        return "—"
    return str(Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP))


def evaluation_rows(rep: dict[str, Any], t: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    ev = rep["evaluation"]
    rows = [
        [c["criterion"], *((c["grades"].get(m) or "—") for m in ev["members"]), _mean(c["score"], 1)]
        for c in ev["criteria"]
    ]
    return [t["criterion"], *ev["members"], t["score"]], rows


def _oku(yen: int | None) -> str:
    """Yen as 億円 with two decimals (exact: yen are integers)."""
    if yen is None:
        return "—"
    return f"{(Decimal(yen) / Decimal(100_000_000)).quantize(Decimal('0.01'), ROUND_HALF_UP):,}"


def rs_rows(rep: dict[str, Any], t: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    rows = []
    for a in (rep["rs"] or {}).get("appropriations", []):
        executed = _oku(a["executed"]) if a["execution_reported"] else t["not_reported"]
        rate = percent(Decimal(repr(a["execution_rate"])), 1) if a["execution_rate"] is not None else "—"
        rows.append(
            [
                a["budget_fy"],
                _oku(a["initial"]),
                _oku(a["supplementary"]),
                _oku(a["carried_in"]),
                _oku(a["reserve"]),
                _oku(a["current"]),
                executed,
                rate,
                _oku(a["carried_out"]),
            ]
        )
    return t["rs_cols"], rows


def rs_indicator_rows(rep: dict[str, Any], t: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    rows = []
    for ind in (rep["rs"] or {}).get("indicators", []):
        for y in ind["years"]:
            flag = " ◎" if y["fy"] in ind["target_years"] else ""
            rows.append(
                [
                    ind["number"],
                    t["rs_kinds"].get(ind["kind"], ind["kind"] or ""),
                    t["rs_periods"].get(ind["period"], ""),
                    _clip(ind["indicator"] or ind["name"], 30),
                    f"{y['fy']}{flag}",
                    _num(y["target"]),
                    _num(y["actual"]),
                    _num(y["achievement_rate"]),
                ]
            )
    return t["rs_ind_cols"], rows


def _table(headers: list[str], rows: list[list[Any]], fmt: str) -> str:
    from tabulate import tabulate

    return tabulate(rows, headers=headers, tablefmt="github" if fmt == "markdown" else "simple", disable_numparse=True)


def report_text(rep: dict[str, Any], lang: str = "ja", fmt: str = "table") -> str:
    """The whole report as aligned tables (fmt 'table') or markdown (fmt 'markdown')."""
    t = L[lang]
    h = "## " if fmt == "markdown" else "■ "
    out: list[str] = []
    prog = rep["programme"]
    title = f"{prog['name']}（予算事業ID {prog['project_id']}）" if prog else t["programme_missing"]
    out += [
        ("# " if fmt == "markdown" else "") + title,
        t["as_of"].format(fy=rep["as_of_fy"], wareki=wareki(rep["as_of_fy"])),
        "",
    ]
    out += [
        h + t["headline"],
        _table(
            [t["indicator"], t["numerator"], t["denominator"], t["actual"], t["target"], t["met"]],
            headline_rows(rep, t),
            fmt,
        ),
    ]
    out += [f"{t['notes']}:", *(f"  - {note}" for note in headline_notes(rep, t)), ""]
    for section, rows_of in (("status_summary", status_rows), ("by_element", element_rows)):
        headers, rows = rows_of(rep, t)
        out += [h + t[section], _table(headers, rows, fmt), ""]
    headers, rows = budget_rows(rep, t, lang)
    out += [h + t["budget"], _table(headers, rows, fmt) if rows else t["none"], budget_total_line(rep, t)]
    if any(y["draws_on_earlier"] for y in rep["budget"]["years"]):
        out.append(t["draws_note"])
    out.append("")
    headers, rows = trend_rows(rep, t)
    out += [h + t["trend"], _table(headers, rows, fmt) if rows else t["none"], ""]
    for name, label in t["lists"].items():
        headers, rows = list_rows(rep["themes"][name], t)
        total = rep["theme_counts"][name]
        more = [t["more"].format(n=total - len(rows))] if total > len(rows) else []
        out += [f"{h}{label}（{total}）", _table(headers, rows, fmt) if rows else t["none"], *more, ""]
    out += figures_text(rep, t, fmt)
    return "\n".join(out).rstrip() + "\n"


def figures_text(rep: dict[str, Any], t: dict[str, Any], fmt: str) -> list[str]:
    """The evaluation's other figures: outputs and grants, stage-gate decisions, working-group scores."""
    h = "## " if fmt == "markdown" else "■ "
    out: list[str] = []
    headers, rows = outputs_rows(rep, t)
    out += [h + t["outputs"], _table(headers, rows, fmt) if rows else t["none"], grants_line(rep, t), ""]
    headers, rows = stage_gate_rows(rep, t)
    out += [h + t["stage_gate"], _table(headers, rows, fmt) if rows else t["none"]]
    out += [t["not_reviewed"].format(n=rep["stage_gate"]["not_reviewed_count"]), ""]
    headers, rows = evaluation_rows(rep, t)
    points = ", ".join(
        f"{g}={_num(int(p) if p == int(p) else p)}" for g, p in rep["evaluation"]["grade_points"].items()
    )
    out += [
        h + t["evaluation"],
        _table(headers, rows, fmt) if rows else t["none"],
        t["points_note"].format(p=points),
        "",
    ]
    if rep.get("rs"):
        headers, rows = rs_rows(rep, t)
        out += [
            h + t["rs"].format(p=rep["rs"]["project_id"]),
            _table(headers, rows, fmt) if rows else t["none"],
            t["rs_note"],
            "",
        ]
        headers, rows = rs_indicator_rows(rep, t)
        out += [h + t["rs_indicators"], _table(headers, rows, fmt) if rows else t["none"], ""]
    return out


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # OWASP CSV injection: cells Excel would evaluate


def guard(cell: Any) -> Any:
    """Prefix ' to text Excel would evaluate as a formula; numbers stay numbers."""
    if isinstance(cell, str) and cell.startswith(FORMULA_START):
        return "'" + cell
    return cell


def report_csv(rep: dict[str, Any], lang: str = "ja") -> str:
    """The report's tables one after another, each headed by its title row and followed by a blank line."""
    t = L[lang]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    sections = [
        (
            t["headline"],
            [t["indicator"], t["numerator"], t["denominator"], t["actual"], t["target"], t["met"]],
            headline_rows(rep, t),
        ),
        (t["status_summary"], *status_rows(rep, t)),
        (t["by_element"], *element_rows(rep, t)),
        (t["budget"], *budget_rows(rep, t, lang)),
        (t["trend"], *trend_rows(rep, t)),
        *((label, *list_rows(rep["themes"][name], t)) for name, label in t["lists"].items()),
        (t["outputs"], *outputs_rows(rep, t)),
        (t["stage_gate"], *stage_gate_rows(rep, t)),
        (t["evaluation"], *evaluation_rows(rep, t)),
        *(
            (
                (t["rs"].format(p=rep["rs"]["project_id"]), *rs_rows(rep, t)),
                (t["rs_indicators"], *rs_indicator_rows(rep, t)),
            )
            if rep.get("rs")
            else ()
        ),
    ]
    for title, headers, rows in sections:
        w.writerow([guard(title)])
        w.writerow([guard(h) for h in headers])
        w.writerows([guard(c) for c in row] for row in rows)
        w.writerow([])
    return buf.getvalue()


def to_json(data: Any) -> str:
    """Pretty JSON, Japanese kept readable."""
    return json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n"


def report(rep: dict[str, Any], fmt: str, lang: str) -> str:
    """The report in the requested format."""
    if fmt == "json":
        return to_json(rep)
    if fmt == "csv":
        return report_csv(rep, lang)
    return report_text(rep, lang, fmt)


def failures_table(failures: list[Failure], limit: int | None = None) -> str:
    """Every broken rule as file | line | column | value | rule."""
    from tabulate import tabulate

    shown = failures if limit is None else failures[:limit]
    rows = [[f.file, f.line if f.line is not None else "", _clip(f.column, 30), _clip(f.value), f.rule] for f in shown]
    text = tabulate(rows, headers=["file", "line", "column", "value", "rule"], tablefmt="simple", disable_numparse=True)
    if limit is not None and len(failures) > limit:
        text += f"\n… and {len(failures) - limit} more (kpi --log-format json load … lists every one)"
    return text


def _clip(value: str | None, width: int = 40) -> str:
    if value is None:
        return ""
    text = str(value).replace("\n", "\\n")
    return text if len(text) <= width else text[: width - 1] + "…"


def load_results(results: list[Any], skipped: list[Any]) -> str:
    """What `kpi load` did: per file, rows read, inserted, updated, or why nothing changed."""
    from tabulate import tabulate

    rows = [[r.file, r.kind, r.rows, r.inserted, r.updated, f"#{r.load_id}" if r.load_id else r.note] for r in results]
    text = tabulate(
        rows, headers=["file", "kind", "rows", "inserted", "updated", "load"], tablefmt="simple", disable_numparse=True
    )
    if skipped:
        text += "\nskipped (not a known kind): " + ", ".join(str(p) for p in skipped)
    return text


CHECK_NAMES = {
    "short_term": "short-term",
    "long_term_matured": "long-term (matured)",
    "long_term": "long-term (official)",
}


def check(as_of: int, results: list[dict[str, Any]], fmt: str) -> str:
    """`kpi check` output: one line per KPI, or the same as one JSON object."""
    if fmt == "json":
        ok = not any(r["counts"] and r["met"] is False for r in results)
        return to_json({"as_of_fy": as_of, "ok": ok, "kpis": results})
    lines = []
    for r in results:
        if not r["measurable"]:
            verdict = "not measurable"
        else:
            verdict = ("met" if r["met"] else "NOT MET") + (
                "" if r["counts"] else " (not judged before its target year)"
            )
        fraction = f"{_num(r['numerator'])}/{_num(r['denominator'])}"
        lines.append(
            f"{CHECK_NAMES[r['name']]:<22} {fraction:>9}  {percent(r['numerator'], r['denominator']):>7}  target {r['target_text'] or '—'}  {verdict}"
        )
    return f"FY{as_of}\n" + "\n".join(lines) + "\n"


def stage_gate(result: dict[str, Any], fmt: str, lang: str) -> str:
    """`kpi stagegate`: reviewed themes with mean and decision, then the themes not reviewed."""
    if fmt == "json":
        return to_json(result)
    t = L[lang]
    headers, rows = stage_gate_rows({"stage_gate": result}, t)
    missing = [
        [r["theme_id"], t["items"].get(r["item"], r["item"]), r["element"], "", "", "", t["not_reviewed_short"]]
        for r in result["not_reviewed"]
    ]
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(headers)
        w.writerows(rows + missing)
        return buf.getvalue()
    return _table(headers, rows + missing, fmt) + "\n"


def reconcile(results: list[dict[str, Any]], fmt: str) -> str:
    """`kpi reconcile`: figure, year, published, computed, agree, where, and the explanation."""
    if fmt == "json":
        return to_json({"agree": all(r["agree"] for r in results), "figures": results})
    headers = ["figure", "FY", "published", "computed", "agree", "source"]
    rows = [
        [r["figure"], r["as_of_fy"], r["published"], r["computed"] or "—", "yes" if r["agree"] else "NO", r["source"]]
        for r in results
    ]
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow([*headers, "note"])
        w.writerows([*row, r["note"]] for row, r in zip(rows, results, strict=True))
        return buf.getvalue()
    text = _table(headers, rows, fmt)
    differing = [r for r in results if not r["agree"]]
    lines = [text, "", f"{len(results) - len(differing)} of {len(results)} figures agree."]
    for r in differing:
        lines.append(
            f"- {r['figure']} (FY{r['as_of_fy']}): published {r['published']}, computed {r['computed'] or '—'}: {r['note']}"
        )
    return "\n".join(lines) + "\n"
