"""Submission files for the ministry: CSV (or one xlsx workbook) plus manifest.json, written atomically."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kpi import __version__
from kpi.errors import ExitCode, KpiError, UsageProblem
from kpi.fiscal import wareki
from kpi.metrics import RS_AMOUNTS
from kpi.render import L, guard, percent

ENCODINGS = {"utf-8-sig": "utf-8-sig", "utf-8": "utf-8", "cp932": "cp932"}


class CannotEncode(KpiError):
    """A character has no form in the requested encoding (never written as '?')."""

    exit_code = ExitCode.INPUT_REJECTED


@dataclass
class Table:
    """One submission table: a file name, headers and rows of cells (str, int, float or None)."""

    name: str
    headers: list[str]
    rows: list[list[Any]]
    key_column: int = 0  # the cell that names a row in error messages (a theme_id, a year)


H: dict[str, dict[str, str]] = {
    "ja": {
        "indicator": "指標",
        "definition": "定義",
        "target": "目標",
        "actual": "実績",
        "numerator": "分子",
        "denominator": "分母",
        "met": "達成",
        "as_of": "時点（年度）",
        "as_of_wareki": "時点（和暦）",
        "group": "区分",
        "count": "件数",
        "fy": "年度",
        "wareki": "和暦",
        "draws": "前年度までの予算を充当",
        "funding": "契約形態",
        "start_fy": "開始年度",
        "start_wareki": "開始年度（和暦）",
        "end_wareki": "終了年度（和暦）",
        "short_name": "短期目標",
        "short_def": "開発テーマごとに設定した目標を達成したテーマ数／当該時点までに研究開発を完了したテーマ数（先導研究は除く）",
        "long_name": "長期目標",
        "long_def": "開発した技術が実用化に至ったテーマ数／先導研究以外の採択テーマ数",
        "matured_name": "長期目標（終了後{h}年経過テーマ）",
        "matured_def": "実用化に至ったテーマ数／終了後{h}年を経過した先導研究以外の採択テーマ数",
        "true": "達成",
        "false": "未達",
        "none": "測定不能",
        "mark": "○",
        "sheet": "RSシート年度",
        "target_year": "目標年度",
    },
    "en": {
        "indicator": "indicator",
        "definition": "definition",
        "target": "target",
        "actual": "actual",
        "numerator": "numerator",
        "denominator": "denominator",
        "met": "met",
        "as_of": "as_of_fy",
        "as_of_wareki": "as_of_wareki",
        "group": "group",
        "count": "count",
        "fy": "fy",
        "wareki": "wareki",
        "draws": "draws_on_earlier_appropriations",
        "funding": "funding",
        "start_fy": "start_fy",
        "start_wareki": "start_wareki",
        "end_wareki": "end_wareki",
        "short_name": "short-term",
        "short_def": "themes that met their goals / themes that completed R&D by the as-of year (leading research excluded)",
        "long_name": "long-term",
        "long_def": "themes whose technology reached practical use / adopted themes (leading research excluded)",
        "matured_name": "long-term (themes {h} years past their end)",
        "matured_def": "themes in practical use / adopted themes {h} or more years past their end (leading research excluded)",
        "true": "yes",
        "false": "no",
        "none": "not measurable",
        "mark": "yes",
        "sheet": "rs_sheet_fy",
        "target_year": "target_year",
    },
}


def _pct(numerator: int | None, denominator: int | None) -> str | None:
    """Percent text, or an empty cell when not computable (the report's '—' has no CP932 form)."""
    return None if numerator is None or not denominator else percent(numerator, denominator)


def _met(value: bool | None, h: dict[str, str]) -> str:
    return h["none"] if value is None else h["true" if value else "false"]


def tables(rep: dict[str, Any], themes: list[dict[str, Any]], lang: str) -> list[Table]:
    """The submission tables for one as-of year, in a fixed row and column order."""
    t, h = L[lang], H[lang]
    fy = rep["as_of_fy"]
    s, lt = rep["short_term"], rep["long_term"]
    horizon = lt["horizon_years"]
    outcome = Table(
        "outcome_kpis",
        [
            h["indicator"],
            h["definition"],
            h["target"],
            h["actual"],
            h["numerator"],
            h["denominator"],
            h["met"],
            h["as_of"],
            h["as_of_wareki"],
        ],
        [
            [
                h["short_name"],
                h["short_def"],
                s["target_text"],
                _pct(s["achieved"], s["completed"]),
                s["achieved"],
                s["completed"],
                _met(s["met"], h),
                fy,
                wareki(fy),
            ],
            [
                h["long_name"],
                h["long_def"],
                lt["target_text"],
                _pct(lt["commercialised"], lt["adopted"]),
                lt["commercialised"],
                lt["adopted"],
                _met(lt["met"], h),
                fy,
                wareki(fy),
            ],
            [
                h["matured_name"].format(h=horizon),
                h["matured_def"].format(h=horizon),
                lt["target_text"],
                _pct(lt["matured_commercialised"], lt["matured"]),
                lt["matured_commercialised"],
                lt["matured"],
                _met(lt["matured_met"], h),
                fy,
                wareki(fy),
            ],
        ],
    )
    groups = ["achieved", "on_track", "delayed_or_not_achieved", "total"]
    status = Table("status_summary", [h["group"], h["count"]], [[t[g], rep["status_summary"][g]] for g in groups])
    element = Table(
        "by_element",
        [t["item"], t["element"], *(t[g] for g in groups)],
        [[r["item"], r["element"], *(r[g] for g in groups)] for r in rep["by_element"]],
    )
    budget = Table(
        "budget_execution",
        [
            h["fy"],
            h["wareki"],
            t["budget_col"],
            t["executed"],
            t["ratio"],
            t["cum_budget"],
            t["cum_executed"],
            t["cum_ratio"],
            h["draws"],
        ],
        [
            [
                y["fy"],
                wareki(y["fy"]),
                y["budget"],
                y["executed"],
                _ratio(y["ratio"]),
                y["cumulative_budget"],
                y["cumulative_executed"],
                _ratio(y["cumulative_ratio"]),
                h["mark"] if y["draws_on_earlier"] else "",
            ]
            for y in rep["budget"]["years"]
        ],
    )
    theme_rows = [
        [
            r["theme_id"],
            r["item"],
            r["funding"],
            r["element"],
            r["organizations"],
            r["title"],
            r["start_fy"],
            wareki(r["start_fy"]) if r["start_fy"] else None,
            r["end_fy"],
            wareki(r["end_fy"]),
            t["statuses"][r["status"]],
        ]
        for r in themes
    ]
    theme_table = Table(
        "themes",
        [
            t["theme_id"],
            t["item"],
            h["funding"],
            t["element"],
            t["organizations"],
            t["title"],
            h["start_fy"],
            h["start_wareki"],
            t["end_fy"],
            h["end_wareki"],
            t["status"],
        ],
        theme_rows,
    )
    o = rep["outputs"]
    counts = ["papers", "presentations", "patents_domestic", "patents_foreign", "patents_pct"]
    outputs = Table(
        "outputs",
        [h["fy"], h["wareki"], *t["output_cols"][1:]],
        [[y["fy"], wareki(y["fy"]), *(y[c] for c in counts)] for y in o["years"]]
        + ([[t["total_row"], None, *(o["total"][c] for c in counts)]] if o["years"] else []),
    )
    stage = Table(
        "stage_gate",
        t["sg_cols"],
        [
            [
                r["theme_id"],
                r["item"],
                r["element"],
                r["review_fy"],
                r["reviewers"],
                round(r["mean"], 6),
                t["decisions"][r["decision"]],
            ]
            for r in rep["stage_gate"]["reviewed"]
        ]
        + [
            [r["theme_id"], r["item"], r["element"], None, 0, None, t["not_reviewed_short"]]
            for r in rep["stage_gate"]["not_reviewed"]
        ],
    )
    ev = rep["evaluation"]
    evaluation = Table(
        "evaluation",
        [t["criterion"], *ev["members"], t["score"]],
        [
            [
                c["criterion"],
                *(c["grades"].get(m) for m in ev["members"]),
                None if c["score"] is None else round(c["score"], 6),
            ]
            for c in ev["criteria"]
        ],
    )
    tables_ = [outcome, status, element, budget, theme_table, outputs, stage, evaluation]
    if rep.get("rs"):
        rs = rep["rs"]
        keys = ["budget_fy", *RS_AMOUNTS]
        tables_.append(
            Table(
                "rs_appropriations",
                [
                    *t["rs_cols"][:1],
                    h["wareki"],
                    *(f"{c}（円）" if lang == "ja" and i not in (7,) else c for i, c in enumerate(t["rs_cols"][1:], 1)),
                    h["sheet"],
                ],
                [
                    [a["budget_fy"], wareki(a["budget_fy"]), *(a[k] for k in keys[1:]), a["sheet_fy"]]
                    for a in rs["appropriations"]
                ],
            )
        )
        tables_.append(
            Table(
                "rs_indicators",
                [*t["rs_ind_cols"][:4], h["target_year"], *t["rs_ind_cols"][4:]],
                [
                    [
                        i["number"],
                        i["kind"],
                        i["period"],
                        i["indicator"] or i["name"],
                        h["mark"] if y["fy"] in i["target_years"] else "",
                        y["fy"],
                        y["target"],
                        y["actual"],
                        y["achievement_rate"],
                    ]
                    for i in rs["indicators"]
                    for y in i["years"]
                ],
            )
        )
    return tables_


def _ratio(value: float | None) -> float | None:
    """A ratio kept as a number (rounded to 6 places so files are stable across platforms)."""
    return None if value is None else round(value, 6)


def _cell_text(cell: Any) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float):
        return repr(cell) if cell != int(cell) else str(int(cell))
    return str(cell)


def to_csv(table: Table) -> str:
    """RFC 4180 CSV with CRLF line ends and formula-guarded text."""
    import csv
    import io

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([guard(c) for c in table.headers])
    for row in table.rows:
        writer.writerow([_cell_text(guard(c)) for c in row])
    return buf.getvalue()


def encode(table: Table, text: str, encoding: str) -> bytes:
    """The file's bytes; a character with no form in the encoding names its row and stops the export."""
    try:
        return text.encode(encoding)
    except UnicodeEncodeError as exc:
        char = exc.object[exc.start : exc.end]
        where = next(
            (
                f"row {row[table.key_column]!s} ({table.headers[i]})"
                for row in table.rows
                for i, cell in enumerate(row)
                if isinstance(cell, str) and char in cell
            ),
            "a header",
        )
        raise CannotEncode(
            f"{table.name}.csv: {where} holds {char!r} (U+{ord(char[0]):04X}), which has no {encoding.upper()} form; "
            "nothing was written (use --encoding utf-8-sig, or change the text at its source)"
        ) from None


def to_xlsx(tables_: list[Table]) -> bytes:
    """One workbook, a sheet per table: text cells written as text, numbers as numbers."""
    import io

    import xlsxwriter

    buf = io.BytesIO()
    with xlsxwriter.Workbook(
        buf, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
    ) as book:
        bold = book.add_format({"bold": True})
        for table in tables_:
            sheet = book.add_worksheet(table.name[:31])
            for col, header in enumerate(table.headers):
                sheet.write_string(0, col, guard(header), bold)
            for r, row in enumerate(table.rows, start=1):
                for c, cell in enumerate(row):
                    if isinstance(cell, bool) or cell is None:
                        sheet.write_blank(r, c, None) if cell is None else sheet.write_string(r, c, str(cell))
                    elif isinstance(cell, int | float):
                        sheet.write_number(r, c, cell)
                    else:
                        sheet.write_string(r, c, guard(str(cell)))
    return buf.getvalue()


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def build_files(
    rep: dict[str, Any], themes: list[dict[str, Any]], sources: list[dict[str, Any]], lang: str, encoding: str, fmt: str
) -> dict[str, bytes]:
    """Every file of the submission, as bytes, before anything touches the disk."""
    if encoding not in ENCODINGS:
        raise UsageProblem(f"--encoding must be one of {', '.join(ENCODINGS)}, not {encoding!r}")
    built = tables(rep, themes, lang)
    files: dict[str, bytes] = {}
    if fmt == "xlsx":
        files["kpi_submission.xlsx"] = to_xlsx(built)
    else:
        for table in built:
            files[f"{table.name}.csv"] = encode(table, to_csv(table), ENCODINGS[encoding])
    manifest = {
        "as_of_fy": rep["as_of_fy"],
        "as_of_wareki": wareki(rep["as_of_fy"]),
        "tool": "kpi",
        "version": __version__,
        "format": fmt,
        "encoding": encoding if fmt == "csv" else None,
        "lang": lang,
        "files": {name: _sha256(data) for name, data in sorted(files.items())},
        "sources": sources,
        "written_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    files["manifest.json"] = (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    return files


def write_files(out: Path, files: dict[str, bytes], force: bool) -> list[Path]:
    """Write each file to a temporary name in `out`, then rename it into place; refuse to overwrite without force."""
    out.mkdir(parents=True, exist_ok=True)
    existing = [name for name in files if (out / name).exists()]
    if existing and not force:
        raise UsageProblem(f"{out}: would replace {', '.join(existing)}; pass --force to replace them")
    written = []
    for name, data in files.items():
        fd, tmp = tempfile.mkstemp(dir=out, prefix=f".{name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.chmod(tmp, 0o644)
            os.replace(tmp, out / name)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        written.append(out / name)
    return written
