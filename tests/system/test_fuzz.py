"""Fuzzing the loader: mutated valid files are loaded fine or refused by kpi's own error, nothing in between.

Hypothesis takes small valid themes, budget and follow-up files and breaks them: cells replaced by odd
values, headers dropped, doubled, renamed or widened, rows doubled, dropped, lengthened or shortened, the
text saved in another encoding (or one line of it), bytes inserted, deleted or overwritten, the file cut
short. Each result is loaded into a copy of a database holding sample_data/. The loader must either
accept it, and then `kpi report` must still work, or refuse it with kpi's own error (exit 3 and a
message): never another exception (exit 70), and never a write when it refuses.

For speed most examples run in-process (kpi.load.ingest.read_files, kpi.db.connect.open_for_write,
kpi.load.ingest.load_files, and `kpi report` through typer's CliRunner); a few run the real command in a
subprocess. The examples are derandomised so that the suite gives the same answer on every run; run
with FUZZ_EXAMPLES=5000 (and FUZZ_RANDOM=1) to search further.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import tempfile
from datetime import timedelta
from pathlib import Path

import pytest
from faultkit import table_checksums
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from kit import SAMPLE, run_kpi

pytestmark = pytest.mark.slow

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "60"))
RANDOM = bool(os.environ.get("FUZZ_RANDOM"))

SEEDS = {
    "themes": (
        "theme_id,item,funding,element,organizations,title,start_fy,end_fy,status\n"
        "FZ-001,1,委託,a1,株式会社試験,ファズ試験テーマ一,2021,2023,目標達成\n"
        "FZ-002,②,助成,d2-1,試験大学 試験研究所,ファズ試験テーマ二,令和3年度,,令和6年度終了 目標未達\n"
        "FZ-003,先導研究,contract,b,㈱試験,ファズ試験テーマ三,R4,R7,計画通り\n"
    ),
    "themes_ja": (
        "テーマID,研究開発項目,契約形態,基盤要素,機関名,開発テーマ名,開始年度,結果/状況\n"
        "FZ-101,1,委託,a1,日本試験株式会社,試験テーマ,,令和5年度終了 目標達成\n"
        "FZ-102,3,委託,c3,試験工業,試験テーマ二,令和4年度,令和6年度終了 遅延\n"
    ),
    "budget": '年度,予算額(億円),執行額(億円)\n2030,"1,100",151.5\n令和13年度,900,\n',
    "followups": "theme_id,survey_fy,stage\nT1-001,2025,上市\nT1-002,令和7年度,研究\nT1-003,R6,製品化\n",
}
KIND = {"themes": "themes", "themes_ja": "themes", "budget": "budget", "followups": "followups"}

ODD_CELLS = [
    "", " ", "　", "\t", "0", "-1", "１２３", "２０２３", "1,100", "1,10", "1.5", "1e3", "NaN", "null", "None",
    "令和元年度", "平成31年度", "R99", "9999", "1999", "2100", "2101", "令和5年4月1日", "2023/04/01", "45017",
    "令和5年度終了 目標達成", "令和X年度終了 遅延", "目標達成", "achieved", "①", "④", "委託", "grant", "z9-9",
    "上市", "実用化", '"', "'", ",", ";", "\n", "\r\n", "\x00", "\ufeff", "=1+1", "@SUM(A1)", "x'); DROP TABLE themes; --",
    "ｱｲｳ", "髙", "𠮷", "🚀", "e\u0301", "A" * 300, "T1-001", "FZ-001",
]  # fmt: skip
HEADER_ALIASES = [
    "テーマID",
    "研究開発項目",
    "年度",
    "予算額",
    "予算額(円)",
    "調査年度",
    "段階",
    "ＴＨＥＭＥ＿ＩＤ",
    " Item ",
    "note",
    "",
]
ENCODINGS = ["utf-8", "utf-8-sig", "cp932", "utf-16", "latin-1"]


def to_csv(table: list[list[str]]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(table)
    return buf.getvalue()


@st.composite
def mutated_files(draw: st.DrawFn) -> tuple[str, bytes]:
    """A seed file with one to three mutations of its cells, header, rows, encoding or bytes."""
    seed = draw(st.sampled_from(sorted(SEEDS)))
    table = list(csv.reader(io.StringIO(SEEDS[seed])))
    for _ in range(draw(st.integers(1, 3))):
        width = max(len(r) for r in table) if table else 1
        op = draw(st.sampled_from(["cell", "cell", "cell", "header", "row"]))
        if op == "cell" and len(table) > 1:
            r = draw(st.integers(1, len(table) - 1))
            c = draw(st.integers(0, max(len(table[r]) - 1, 0)))
            value = draw(st.one_of(st.sampled_from(ODD_CELLS), st.text(max_size=12)))
            if table[r]:
                table[r][c] = value
        elif op == "header" and table:
            c = draw(st.integers(0, len(table[0]) - 1))
            how = draw(st.sampled_from(["drop", "double", "rename", "swap", "widen", "case"]))
            if how == "drop":
                for row in table:
                    if c < len(row):
                        del row[c]
            elif how == "double":
                for row in table:
                    if c < len(row):
                        row.insert(c, row[c])
            elif how == "rename":
                table[0][c] = draw(st.one_of(st.sampled_from(HEADER_ALIASES), st.text(max_size=8)))
            elif how == "swap":
                d = draw(st.integers(0, len(table[0]) - 1))
                table[0][c], table[0][d] = table[0][d], table[0][c]
            elif how == "widen":  # full-width letters: the same header after NFKC
                table[0][c] = "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in table[0][c])
            else:
                table[0][c] = table[0][c].upper()
        elif op == "row" and len(table) > 1:
            r = draw(st.integers(1, len(table) - 1))
            how = draw(st.sampled_from(["double", "drop", "longer", "shorter", "blank"]))
            if how == "double":
                table.insert(r, list(table[r]))
            elif how == "drop":
                del table[r]
            elif how == "longer":
                table[r].append(draw(st.sampled_from(ODD_CELLS)))
            elif how == "shorter" and table[r]:
                table[r].pop()
            else:
                table.insert(r, [""] * width)
    text = to_csv(table)
    encoding = draw(st.sampled_from(ENCODINGS + ["utf-8"] * 5))
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        data = text.encode("utf-8")
    how = draw(st.sampled_from(["none"] * 4 + ["mixed", "insert", "delete", "overwrite", "truncate", "bom"]))
    if how == "mixed":  # one line saved in the other encoding
        lines = text.splitlines(keepends=True)
        k = draw(st.integers(0, len(lines) - 1))
        other = "cp932" if encoding != "cp932" else "utf-8"
        data = b"".join(line.encode(other if i == k else encoding, errors="replace") for i, line in enumerate(lines))
    elif how in ("insert", "overwrite", "delete") and data:
        for _ in range(draw(st.integers(1, 4))):
            at = draw(st.integers(0, max(len(data) - 1, 0)))
            byte = bytes([draw(st.integers(0, 255))])
            if how == "insert":
                data = data[:at] + byte + data[at:]
            elif how == "overwrite":
                data = data[:at] + byte + data[at + 1 :]
            else:
                data = data[:at] + data[at + 1 :]
    elif how == "truncate":
        data = data[: draw(st.integers(0, len(data)))]
    elif how == "bom":
        at = draw(st.integers(0, len(data)))
        data = data[:at] + b"\xef\xbb\xbf" + data[at:]
    return KIND[seed], data


def load_in_process(db: Path, path: Path, kind: str) -> BaseException | None:
    """`kpi load --kind KIND PATH` without the process: the exception it ended with, or None."""
    from kpi.db import connect as store
    from kpi.load import ingest

    try:
        batch = ingest.read_files([path], kind, None)
        with store.open_for_write(db, wait=10) as con:
            ingest.load_files(con, batch)
    except Exception as exc:
        return exc
    return None


def report_in_process(db: Path) -> None:
    from typer.testing import CliRunner

    from kpi.cli.main import whole_app

    result = CliRunner().invoke(whole_app(), ["report", "--db", str(db), "--as-of", "2025"])
    assert result.exit_code == 0, (result.output, result.exception)


@pytest.fixture(scope="module")
def base_db(_sample_db: Path) -> tuple[Path, dict[str, tuple[int, str]]]:
    """The sample database (copied by each example) and its checksums."""
    from kpi.cli.main import whole_app

    whole_app()
    from kpi.db import connect  # noqa: F401 (import once, outside the examples' deadline)
    from kpi.load import ingest  # noqa: F401

    return _sample_db, table_checksums(_sample_db)


FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=timedelta(seconds=10),
    derandomize=not RANDOM,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
    database=None,
)


@FUZZ_SETTINGS
@given(case=mutated_files())
def test_the_loader_accepts_or_refuses_with_its_own_error_and_never_writes_on_refusal(
    base_db: tuple[Path, dict[str, tuple[int, str]]], case: tuple[str, bytes]
) -> None:
    from kpi.errors import ExitCode, KpiError

    kind, data = case
    base, before = base_db
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "kpi.duckdb"
        shutil.copy(base, db)
        source = Path(tmp) / f"{kind}_fuzz.csv"
        source.write_bytes(data)
        error = load_in_process(db, source, kind)
        if error is None:
            report_in_process(db)
            return
        if not isinstance(error, KpiError) or error.exit_code != ExitCode.INPUT_REJECTED:
            raise AssertionError(f"the loader failed with {type(error).__name__} (not exit 3): {error}") from error
        assert str(error).strip(), "a refusal without a message"
        assert table_checksums(db) == before, "a refused load changed the database"


@settings(
    max_examples=5,
    deadline=None,
    derandomize=not RANDOM,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
    database=None,
)
@given(case=mutated_files())
def test_the_real_command_on_mutated_files(
    base_db: tuple[Path, dict[str, tuple[int, str]]], case: tuple[str, bytes]
) -> None:
    kind, data = case
    base, before = base_db
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "kpi.duckdb"
        shutil.copy(base, db)
        source = Path(tmp) / f"{kind}_fuzz.csv"
        source.write_bytes(data)
        result = run_kpi("load", "--db", str(db), "--kind", kind, str(source))
        assert "Traceback" not in result.stderr
        assert result.returncode in (0, 3), result.stderr
        if result.returncode == 3:
            assert result.stderr.rstrip().splitlines()[-1].startswith("kpi: ")
            assert table_checksums(db) == before
        else:
            report = run_kpi("report", "--db", str(db), "--as-of", "2025")
            assert report.returncode == 0, report.stderr


CELL_VALUES = st.one_of(
    st.sampled_from(ODD_CELLS),
    st.text(max_size=12),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(),
)


@st.composite
def mutated_workbooks(draw: st.DrawFn) -> tuple[str, bytes]:
    """A seed table written as an .xlsx workbook (cells as text, numbers, dates, booleans; a cell far away; title
    rows above the header), then maybe broken at the byte level (truncated, bytes overwritten)."""
    import datetime as dt

    import xlsxwriter

    seed = draw(st.sampled_from(sorted(SEEDS)))
    table = list(csv.reader(io.StringIO(SEEDS[seed])))
    buf = io.BytesIO()
    with xlsxwriter.Workbook(
        buf, {"in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False}
    ) as book:
        sheet = book.add_worksheet()
        top = draw(st.integers(0, 2))
        for r, row in enumerate(table):
            for c, cell in enumerate(row):
                value: object = cell
                if r > 0 and draw(st.integers(0, 4)) == 0:
                    value = draw(CELL_VALUES)
                if isinstance(value, dt.date):
                    sheet.write_datetime(top + r, c, dt.datetime(value.year, value.month, value.day))
                elif isinstance(value, bool):
                    sheet.write_boolean(top + r, c, value)
                elif isinstance(value, int | float):
                    if value != value or abs(value) == float("inf") or abs(value) > 1e300:
                        sheet.write_string(top + r, c, str(value))
                    else:
                        sheet.write_number(top + r, c, float(value))
                else:
                    sheet.write_string(top + r, c, str(value))
        if draw(st.booleans()):
            sheet.write_string(draw(st.integers(0, 2000)), draw(st.integers(0, 1200)), "far")
    data = buf.getvalue()
    how = draw(st.sampled_from(["none"] * 5 + ["truncate", "overwrite"]))
    if how == "truncate":
        data = data[: draw(st.integers(0, len(data)))]
    elif how == "overwrite":
        for _ in range(draw(st.integers(1, 8))):
            at = draw(st.integers(0, len(data) - 1))
            data = data[:at] + bytes([draw(st.integers(0, 255))]) + data[at + 1 :]
    return KIND[seed], data


@settings(
    max_examples=max(EXAMPLES // 2, 10),
    deadline=timedelta(seconds=10),
    derandomize=not RANDOM,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
    database=None,
)
@given(case=mutated_workbooks())
def test_the_loader_accepts_or_refuses_a_mutated_workbook_with_its_own_error(
    base_db: tuple[Path, dict[str, tuple[int, str]]], case: tuple[str, bytes]
) -> None:
    from kpi.errors import ExitCode, KpiError

    kind, data = case
    base, before = base_db
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "kpi.duckdb"
        shutil.copy(base, db)
        source = Path(tmp) / f"{kind}_fuzz.xlsx"
        source.write_bytes(data)
        error = load_in_process(db, source, kind)
        if error is None:
            report_in_process(db)
            return
        if not isinstance(error, KpiError) or error.exit_code != ExitCode.INPUT_REJECTED:
            raise AssertionError(f"the loader failed with {type(error).__name__} (not exit 3): {error}") from error
        assert table_checksums(db) == before, "a refused load changed the database"


SETTINGS_SEED = (SAMPLE / "programme.toml").read_text(encoding="utf-8")
TOML_VALUES = [
    '""', '"　"', "0", "-1", "3522", '"３５２２"', "３５２２", "1e400", "99999999999999999999999", "true", "[]", "[1, 2]",
    "{}", '{ a = 1 }', '"80%"', '"120%"', '"4/5"', '"1/0"', '"abc"', "2030", '"R12"', '"令和12年度"', '"平成40年度"',
    '"A=3, B=2"', '"Asia/Tokyo"', '"Mars/Olympus"', '"../../etc/passwd"', "1979-05-27", '"\\u0000"', "nan", "inf",
]  # fmt: skip


@st.composite
def mutated_settings(draw: st.DrawFn) -> bytes:
    """The sample's programme.toml with values replaced, lines dropped, doubled or added, or bytes broken."""
    lines = SETTINGS_SEED.splitlines()
    for _ in range(draw(st.integers(1, 3))):
        i = draw(st.integers(0, len(lines) - 1))
        how = draw(st.sampled_from(["value", "value", "drop", "double", "add", "section"]))
        key, sep, _ = lines[i].partition("=")
        if how == "value" and sep:
            lines[i] = f"{key}= {draw(st.one_of(st.sampled_from(TOML_VALUES), st.text(max_size=10)))}"
        elif how == "drop":
            del lines[i]
        elif how == "double":
            lines.insert(i, lines[i])
        elif how == "add":
            name = draw(st.sampled_from(["backups", "timezone", "unknown_key", "name", "grade_points"]))
            lines.append(f"{name} = {draw(st.sampled_from(TOML_VALUES))}")
        else:
            lines.insert(i, "[programme]")
    data = ("\n".join(lines) + "\n").encode(draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp932"])), "replace")
    if draw(st.integers(0, 4)) == 0 and data:
        at = draw(st.integers(0, len(data) - 1))
        data = data[:at] + bytes([draw(st.integers(0, 255))]) + data[at + 1 :]
    return data


@settings(
    max_examples=max(EXAMPLES // 2, 10),
    deadline=timedelta(seconds=10),
    derandomize=not RANDOM,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
    database=None,
)
@given(data=mutated_settings())
def test_the_loader_accepts_or_refuses_a_mutated_settings_file_with_its_own_error(
    base_db: tuple[Path, dict[str, tuple[int, str]]], data: bytes
) -> None:
    from kpi.errors import ExitCode, KpiError

    base, before = base_db
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "kpi.duckdb"
        shutil.copy(base, db)
        source = Path(tmp) / "programme.toml"
        source.write_bytes(data)
        error = load_in_process(db, source, "programme")
        if error is None:
            report_in_process(db)
            return
        if not isinstance(error, KpiError) or error.exit_code != ExitCode.INPUT_REJECTED:
            raise AssertionError(f"the loader failed with {type(error).__name__} (not exit 3): {error}") from error
        assert table_checksums(db) == before, "a refused load changed the database"
