"""Reading the government's RS open data (行政事業レビュー): 2-1 予算・執行_サマリ and 3-1 効果発現経路_目標・実績."""

# A pure reader: one file and one 予算事業ID in, polars frames out; nothing is stored here.
# - 2-1 keeps the project's total rows (会計区分 empty), one per 予算年度, in exact integer yen. The sheet for
#   事業年度 N has execution only up to FY N−1, so the sheet's own year is "not reported" (null), never 0.
# - 3-1 keeps the project's indicators and, per indicator and fiscal year, the target, the actual, the
#   achievement rate (percent, as published) and the flagged target year(s), from the wide year columns.
# Amounts are Int64 yen; rates and indicator values are Decimal(38, 10), exact as published.

from __future__ import annotations

import csv
import hashlib
import io
import re
import unicodedata
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from kpi.db.schema import RS_YEN
from kpi.errors import Failure, InputRejected
from kpi.load.decode import decode

if TYPE_CHECKING:
    import polars as pl

Sheet = Literal["2-1", "3-1"]
BUDGET: Sheet = "2-1"
INDICATORS: Sheet = "3-1"
TITLES: dict[Sheet, str] = {BUDGET: "2-1 予算・執行_サマリ", INDICATORS: "3-1 効果発現経路_目標・実績"}

DECIMAL_PRECISION, DECIMAL_SCALE = 38, 10  # rates and indicator values: Decimal(38, 10)

# Output column -> the header RS publishes (verbatim; matched after NFKC, so （）/() and ／// mix freely).
COMMON_COLUMNS = {"sheet_fy": "事業年度", "project_id": "予算事業ID", "project_name": "事業名"}
BUDGET_COLUMNS = {
    **COMMON_COLUMNS,
    "budget_fy": "予算年度",
    "initial": "当初予算（合計）",
    "supplementary": "補正予算（合計）",
    "carried_in": "前年度からの繰越し（合計）",
    "reserve": "予備費等（合計）",
    "current": "計（歳出予算現額合計）",
    "executed": "執行額（合計）",
    "execution_rate": "執行率",
    "carried_out": "翌年度への繰越し(合計）",
    "requested_next": "翌年度要求額（合計）",
    "account_class": "会計区分",
}
BUDGET_AMOUNTS = RS_YEN
# Known only once the year is over: null (not reported) in the rows for the sheet's own year.
BUDGET_LATENT = {"executed", "execution_rate", "carried_out"}
INDICATOR_COLUMNS = {
    **COMMON_COLUMNS,
    "number": "アクティビティ・アウトプット・アウトカムの番号",
    "kind": "種別（アクティビティ・アウトプット・アウトカム）",
    "period": "アウトカムの期間",
    "goal_type": "成果目標の種類",
    "name": "アクティビティ／活動目標／成果目標",
    "indicator": "活動指標／成果指標",
    "unit": "単位",
    "direction": "改善の上向き／下向き",
    "source": "成果実績及び目標値の根拠として用いた統計・データ名（出典）",
    "row_type": "目標年度／目標値／実績値／達成率",
}
SPECS: dict[Sheet, dict[str, str]] = {BUDGET: BUDGET_COLUMNS, INDICATORS: INDICATOR_COLUMNS}

KINDS = {"アクティビティ": "activity", "アウトプット": "output", "アウトカム": "outcome"}
PERIODS = {"短期": "short", "中期": "medium", "長期": "long"}
GOAL_TYPES = {"定量的": "quantitative", "定性的": "qualitative"}
ROW_TYPES = {"目標年度": "target_year", "目標値": "target", "実績値": "actual", "達成率": "achievement_rate"}

YEAR_HEADER = re.compile(r"^[0-9]{4}$")
NUMBERED = re.compile(r"^[0-9]+\s*\.\s*")  # the 「1.」 of 「1.短期」 and 「3.実績値」 (after NFKC)
NUMBER = re.compile(r"^([-+△▲]?)([0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(\.[0-9]+)?$")
DASHES = {"-", "ー", "―", "‐", "−", "—", "–", "ｰ"}  # a dash alone means "none", like a blank

AMOUNT_RULE = "rule.rs.amount"
NUMBER_RULE = "rule.rs.number"
PERCENT_RULE = "rule.rs.percent"
RATE_RULE = "rule.rs.rate"
FLAG_RULE = "rule.rs.flag"
FY_RULE = "rule.rs.fiscal_year"


@dataclass(frozen=True)
class RsData:
    """What read_rs found for one project in one RS file."""

    path: Path
    sheet: Sheet
    project_id: int
    sha256: str
    encoding: str
    budget: pl.DataFrame | None = None  # 2-1 only
    indicators: pl.DataFrame | None = None  # 3-1 only
    values: pl.DataFrame | None = None  # 3-1 only
    rows: int = 0  # data records in the file
    project_rows: int = 0  # records of this project
    skipped_account_rows: int = 0  # 2-1: the project's per-account rows (会計別行), not kept

    @property
    def title(self) -> str:
        """The sheet's published name, such as 「2-1 予算・執行_サマリ」."""
        return TITLES[self.sheet]


def norm(text: str) -> str:
    """NFKC, trimmed text (a stray BOM removed)."""
    return unicodedata.normalize("NFKC", text).strip().strip("\ufeff").strip()


def parse_number(raw: str) -> Decimal | None:
    """An exact Decimal from an RS cell; None for blank or a lone dash; ValueError if not a number."""
    text = norm(raw)
    if not text or text in DASHES:
        return None
    m = NUMBER.match(text)
    if not m:
        raise ValueError(text)
    try:
        value = Decimal(m.group(2).replace(",", "") + (m.group(3) or ""))
    except InvalidOperation as exc:  # pragma: no cover - the pattern admits only digits
        raise ValueError(text) from exc
    return -value if m.group(1) in ("-", "△", "▲") else value


def parse_whole(raw: str) -> int | None:
    """A whole number (yen, an indicator's number; `34482000.0` included); ValueError if fractional or not a number."""
    value = parse_number(raw)
    if value is None:
        return None
    if value != value.to_integral_value():
        raise ValueError(raw)
    return int(value)


def parse_exact(raw: str) -> Decimal | None:
    """A number that fits Decimal(38, 10) exactly; ValueError otherwise."""
    value = parse_number(raw)
    if value is None:
        return None
    exponent = value.normalize().as_tuple().exponent
    if isinstance(exponent, int) and -exponent > DECIMAL_SCALE:
        raise ValueError(raw)
    if abs(value) >= Decimal(10) ** (DECIMAL_PRECISION - DECIMAL_SCALE):
        raise ValueError(raw)
    return value


def _project_key(raw: str) -> str:
    """予算事業ID as compared: NFKC digits without leading zeros."""
    text = raw.strip() if raw.isascii() else norm(raw)
    if text.isdigit():
        return text.lstrip("0") or "0"
    return text


def _detect(path: Path, header: list[str]) -> tuple[Sheet, dict[str, int], dict[int, int]]:
    """Which sheet a header belongs to, the index of each needed column, and the year columns (index → year)."""
    positions: dict[str, int] = {}
    for i, name in enumerate(header):
        positions.setdefault(norm(name), i)
    years = {i: int(norm(h)) for i, h in enumerate(header) if YEAR_HEADER.match(norm(h))}
    missing: dict[Sheet, list[str]] = {}
    for sheet, spec in SPECS.items():
        lacking = [published for published in spec.values() if norm(published) not in positions]
        if sheet == INDICATORS and not years:
            lacking.append("2007…2060")
        if not lacking:
            index = {column: positions[norm(published)] for column, published in spec.items()}
            return sheet, index, (years if sheet == INDICATORS else {})
        missing[sheet] = lacking
    expected = "; ".join(
        f"RS {TITLES[s]} ({', '.join(spec.values())}{', 2007…2060' if s == INDICATORS else ''})"
        for s, spec in SPECS.items()
    )
    closest = min(missing, key=lambda s: len(missing[s]) / (len(SPECS[s]) + (s == INDICATORS)))
    if len(missing[closest]) <= len(SPECS[closest]) // 2:
        raise InputRejected(
            "load.rs.not_rs_near",
            budget=TITLES[BUDGET],
            indicators=TITLES[INDICATORS],
            closest=TITLES[closest],
            lacks=", ".join(missing[closest]),
            expected=expected,
        )
    raise InputRejected("load.rs.not_rs", budget=TITLES[BUDGET], indicators=TITLES[INDICATORS], expected=expected)


def _read_text(path: Path, encoding: str | None) -> tuple[str, str, str]:
    """The file's text, the encoding used and its SHA-256."""
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise InputRejected("load.no_such_path", path=str(path)) from exc
    except OSError as exc:
        raise InputRejected("load.cannot_read_file", detail=exc.strerror or str(exc)) from exc
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf"):
        raise InputRejected("load.empty")
    text, used = decode(path, data, encoding)
    return text.removeprefix("\ufeff"), used, hashlib.sha256(data).hexdigest()


def _scan(
    text: str, path: Path, project_id: int
) -> tuple[list[str], Sheet, dict[str, int], dict[int, int], int, list[tuple[int, list[str]]], set[str]]:
    """One pass: header, sheet, columns, year columns, record count, the project's (line, record)s, other IDs."""
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None) or []
    sheet, index, years = _detect(path, header)
    key, id_at = str(project_id), index["project_id"]
    id_header = norm(header[id_at])
    mine: list[tuple[int, list[str]]] = []
    others: set[str] = set()
    count = 0
    previous_end = reader.line_num
    for row in reader:
        line, previous_end = previous_end + 1, reader.line_num
        cell = row[id_at] if id_at < len(row) else ""
        pid = cell if cell.isdigit() and cell.isascii() and cell[0] != "0" else _project_key(cell)
        if pid == key:
            mine.append((line, row))
        elif pid == id_header:
            continue  # the header repeated (files joined without removing it)
        elif pid:
            others.add(pid)
        elif not any(c.strip() for c in row):
            continue  # a blank line
        count += 1
    return header, sheet, index, years, count, mine, others


class _Cells:
    """Reads one record's cells by output column, collecting failures instead of stopping."""

    def __init__(self, path: Path, header: list[str], index: dict[str, int], failures: list[Failure]) -> None:
        self.path, self.header, self.index, self.failures = str(path), header, index, failures

    def raw(self, row: list[str], column: str) -> str:
        """The cell as published ('' when the record is short)."""
        i = self.index[column]
        return row[i] if i < len(row) else ""

    def text(self, row: list[str], column: str, nfkc: bool = False) -> str | None:
        """Trimmed text, or None when blank."""
        value = self.raw(row, column).strip()
        if nfkc:
            value = norm(value)
        return value or None

    def convert(
        self,
        line: int,
        row: list[str],
        column: str,
        parse: Any,
        rule: str,
        at: int | None = None,
        params: dict[str, Any] | None = None,
    ) -> Any:
        """parse(cell), or None plus a Failure when the cell breaks `rule` (a catalogue key)."""
        raw = row[at] if at is not None else self.raw(row, column)
        try:
            return parse(raw)
        except ValueError:
            name = self.header[at] if at is not None else self.header[self.index[column]]
            self.failures.append(Failure(self.path, line, name, raw, rule, params or {}))
            return None

    def fy(self, line: int, row: list[str], column: str) -> int | None:
        """A fiscal year cell (2025, or a 令和 spelling); a Failure when blank or malformed."""
        from kpi.fiscal import parse_fy

        raw = self.raw(row, column)
        try:
            return parse_fy(raw)
        except ValueError:
            self.failures.append(Failure(self.path, line, self.header[self.index[column]], raw, FY_RULE))
            return None

    def choice(self, line: int, row: list[str], column: str, mapping: dict[str, str]) -> str | None:
        """The code of a controlled-vocabulary cell (「1.短期」 and 「短期」 alike); None when blank."""
        value = self.text(row, column, nfkc=True)
        if value is None:
            return None
        code = mapping.get(NUMBERED.sub("", value)) or (value.lower() if value.lower() in mapping.values() else None)
        if code is None:
            self.failures.append(
                Failure(
                    self.path,
                    line,
                    self.header[self.index[column]],
                    self.raw(row, column),
                    "rule.rs.choice",
                    {"choices": ", ".join(mapping)},
                )
            )
        return code


def read_rs(path: Path, project_id: int, encoding: str | None = None) -> RsData:
    """Read one RS CSV (2-1 or 3-1, told apart by its header) for one 予算事業ID."""
    text, used, sha = _read_text(path, encoding)
    header, sheet, index, years, count, mine, others = _scan(text, path, project_id)
    if not mine:
        listed = sorted(others, key=lambda p: (not p.isdigit(), int(p) if p.isdigit() else 0, p))
        raise InputRejected(
            "load.rs.project_absent",
            project_id=project_id,
            sheet=TITLES[sheet],
            others=len(listed),
            held=", ".join(listed[:10]),
            more=max(len(listed) - 10, 0),
        )
    failures: list[Failure] = []
    cells = _Cells(path, header, index, failures)
    for line, row in mine:
        if len(row) != len(header):
            failures.append(
                Failure(str(path), line, "", None, "rule.field_count", {"n": len(row), "width": len(header)})
            )
    base = RsData(path, sheet, project_id, sha, used, rows=count, project_rows=len(mine))
    if sheet == BUDGET:
        budget, skipped = _budget(path, cells, mine, project_id)
        data = replace(base, budget=budget, skipped_account_rows=skipped)
    else:
        indicators, values = _indicators(cells, mine, years, project_id)
        data = replace(base, indicators=indicators, values=values)
    if failures:
        raise InputRejected("load.rs.rows_rejected", failures, project_id=project_id, sheet=TITLES[sheet])
    return data


def _budget(path: Path, cells: _Cells, mine: list[tuple[int, list[str]]], project_id: int) -> tuple[pl.DataFrame, int]:
    """The project's total rows of a 2-1 sheet as a frame, and how many per-account rows were skipped."""
    import polars as pl

    rows: list[dict[str, Any]] = []
    seen: dict[tuple[int | None, int | None], int] = {}
    skipped = 0
    for line, row in mine:
        if cells.text(row, "account_class") is not None:
            skipped += 1
            continue
        sheet_fy = cells.fy(line, row, "sheet_fy")
        budget_fy = cells.fy(line, row, "budget_fy")
        if sheet_fy is not None and budget_fy is not None:
            if (sheet_fy, budget_fy) in seen:
                cells.failures.append(
                    Failure(
                        str(path),
                        line,
                        cells.header[cells.index["budget_fy"]],
                        cells.raw(row, "budget_fy"),
                        "rule.rs.second_total",
                        {"fy": budget_fy, "first": seen[sheet_fy, budget_fy]},
                    )
                )
            seen.setdefault((sheet_fy, budget_fy), line)
        record: dict[str, Any] = {
            "sheet_fy": sheet_fy,
            "project_id": project_id,
            "project_name": cells.text(row, "project_name"),
            "budget_fy": budget_fy,
        }
        for column in BUDGET_AMOUNTS:
            record[column] = cells.convert(line, row, column, parse_whole, AMOUNT_RULE)
        record["execution_rate"] = cells.convert(line, row, "execution_rate", parse_exact, RATE_RULE)
        reported = sheet_fy is not None and budget_fy is not None and budget_fy < sheet_fy
        record["execution_reported"] = reported
        if not reported:
            record.update(dict.fromkeys(BUDGET_LATENT))
        record["_line"] = line
        rows.append(record)
    if not rows and not cells.failures:
        raise InputRejected("load.rs.no_total_row", project_id=project_id)
    money = pl.Int64
    schema: dict[str, Any] = {
        "sheet_fy": pl.Int64,
        "project_id": pl.Int64,
        "project_name": pl.String,
        "budget_fy": pl.Int64,
        "initial": money,
        "supplementary": money,
        "carried_in": money,
        "reserve": money,
        "current": money,
        "executed": money,
        "execution_rate": pl.Decimal(DECIMAL_PRECISION, DECIMAL_SCALE),
        "carried_out": money,
        "requested_next": money,
        "execution_reported": pl.Boolean,
        "_line": pl.Int64,
    }
    frame = pl.DataFrame(rows, schema=schema, orient="row") if rows else pl.DataFrame(schema=schema)
    return frame.sort("sheet_fy", "budget_fy", nulls_last=True), skipped


def _indicators(
    cells: _Cells, mine: list[tuple[int, list[str]]], years: dict[int, int], project_id: int
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The project's indicators of a 3-1 sheet, and their long table per fiscal year."""
    import polars as pl

    path = cells.path
    indicators: dict[tuple[Any, ...], dict[str, Any]] = {}
    values: dict[tuple[int, int], dict[str, Any]] = {}  # (seq, fy) -> target, actual, ...
    row_types: dict[tuple[int, str], int] = {}  # (seq, row type) -> line
    for line, row in mine:
        sheet_fy = cells.fy(line, row, "sheet_fy")
        number = cells.convert(line, row, "number", parse_whole, "rule.rs.indicator_number")
        kind = cells.choice(line, row, "kind", KINDS)
        period = cells.choice(line, row, "period", PERIODS)
        name = cells.text(row, "name")
        indicator = cells.text(row, "indicator")
        # RS may give several indicators the same number (one goal, several measures): key on the texts too.
        key = (sheet_fy, number, kind, period, name, indicator)
        if key not in indicators:
            direction_text = cells.text(row, "direction", nfkc=True)
            indicators[key] = {
                "sheet_fy": sheet_fy,
                "project_id": project_id,
                "project_name": cells.text(row, "project_name"),
                "seq": len(indicators) + 1,
                "number": number,
                "kind": kind,
                "period": period,
                "goal_type": cells.choice(line, row, "goal_type", GOAL_TYPES),
                "name": name,
                "indicator": indicator,
                "unit": cells.text(row, "unit", nfkc=True),
                "direction": _direction(direction_text),
                "direction_text": direction_text,
                "source": cells.text(row, "source"),
                "target_years": [],
                "_line": line,
            }
        entry = indicators[key]
        seq = entry["seq"]
        row_type_text = cells.text(row, "row_type", nfkc=True)
        filled = {i: row[i] for i in years if i < len(row) and norm(row[i])}
        if row_type_text is None:
            for i, raw in filled.items():
                cells.failures.append(
                    Failure(
                        path,
                        line,
                        cells.header[i],
                        raw,
                        "rule.rs.value_without_row_type",
                        {"column": cells.header[cells.index["row_type"]]},
                    )
                )
            continue
        row_type = ROW_TYPES.get(NUMBERED.sub("", row_type_text))
        if row_type is None:
            cells.failures.append(
                Failure(
                    path,
                    line,
                    cells.header[cells.index["row_type"]],
                    cells.raw(row, "row_type"),
                    "rule.rs.row_type",
                )
            )
            continue
        if (seq, row_type) in row_types:
            cells.failures.append(
                Failure(
                    path,
                    line,
                    cells.header[cells.index["row_type"]],
                    cells.raw(row, "row_type"),
                    "rule.rs.second_row_type",
                    {"row_type": row_type_text, "number": number, "first": row_types[seq, row_type]},
                )
            )
            continue
        row_types[seq, row_type] = line
        for i in filled:
            fy = years[i]
            if row_type == "target_year":
                flag = cells.convert(line, row, "", _flag, FLAG_RULE, at=i)
                if flag:
                    entry["target_years"].append(fy)
                    values.setdefault((seq, fy), {})["is_target_year"] = True
                continue
            rule = PERCENT_RULE if row_type == "achievement_rate" else NUMBER_RULE
            value = cells.convert(line, row, "", parse_exact, rule, at=i, params={"row_type": row_type_text})
            if value is not None:
                values.setdefault((seq, fy), {})[row_type] = value
    decimal = pl.Decimal(DECIMAL_PRECISION, DECIMAL_SCALE)
    indicator_schema: dict[str, Any] = {
        "sheet_fy": pl.Int64,
        "project_id": pl.Int64,
        "project_name": pl.String,
        "seq": pl.Int64,
        "number": pl.Int64,
        "kind": pl.String,
        "period": pl.String,
        "goal_type": pl.String,
        "name": pl.String,
        "indicator": pl.String,
        "unit": pl.String,
        "direction": pl.String,
        "direction_text": pl.String,
        "source": pl.String,
        "target_years": pl.List(pl.Int64),
        "_line": pl.Int64,
    }
    by_seq = {entry["seq"]: entry for entry in indicators.values()}
    value_rows = [
        {
            "sheet_fy": by_seq[seq]["sheet_fy"],
            "project_id": project_id,
            "seq": seq,
            "number": by_seq[seq]["number"],
            "fy": fy,
            "target": cell.get("target"),
            "actual": cell.get("actual"),
            "achievement_rate": cell.get("achievement_rate"),
            "is_target_year": cell.get("is_target_year", False),
        }
        for (seq, fy), cell in sorted(values.items())
    ]
    value_schema: dict[str, Any] = {
        "sheet_fy": pl.Int64,
        "project_id": pl.Int64,
        "seq": pl.Int64,
        "number": pl.Int64,
        "fy": pl.Int64,
        "target": decimal,
        "actual": decimal,
        "achievement_rate": decimal,
        "is_target_year": pl.Boolean,
    }
    for entry in indicators.values():
        entry["target_years"] = sorted(entry["target_years"])
    frame = pl.DataFrame(list(indicators.values()), schema=indicator_schema, orient="row")
    long = (
        pl.DataFrame(value_rows, schema=value_schema, orient="row") if value_rows else pl.DataFrame(schema=value_schema)
    )
    return frame, long


def _flag(raw: str) -> bool:
    """The 1 that flags a target year (blank and 0 do not); ValueError for anything else."""
    value = parse_number(raw)
    if value is None or value == 0:
        return False
    if value == 1:
        return True
    raise ValueError(raw)


def _direction(text: str | None) -> str | None:
    """'up' for 「上がると良い指標」, 'down' for 「下がると良い指標」, else None (the text is kept alongside)."""
    if text is None:
        return None
    up, down = "上" in text, "下" in text
    return "up" if up and not down else "down" if down and not up else None
