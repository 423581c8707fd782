"""The staged load (DuckDB parses, pandera judges each distinct spelling): the same rows as the ordinary reading,
and every file it cannot accept as it is goes the ordinary way, which reports the same failures."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from kit import SAMPLE_THEMES, THEMES_HEADER, theme, themes_csv, write
from matrix import some_in_default

from kpi.db.connect import open_for_write, transaction
from kpi.db.schema import THEME_COLUMNS
from kpi.db.write import write_sources
from kpi.errors import InputRejected
from kpi.load import ingest, staged

COLUMNS = ", ".join(THEME_COLUMNS)
PADDED = "\u3000"  # a full-width space, as Japanese offices pad cells


def ordinary(tmp_path: Path, path: Path) -> list[tuple]:
    """The rows the ordinary reading (polars, the pandera schema on every row) stores for a file."""
    db = tmp_path / "ordinary.duckdb"
    batch = ingest.read_files([path], "themes")
    assert not batch.failures, batch.failures
    with open_for_write(db) as con:
        write_sources(con, [ingest._incoming(s, batch.records.get(i)) for i, s in enumerate(batch.sources)])
        return sorted(con.execute(f"SELECT list_id, {COLUMNS}, load_id FROM theme_rows").fetchall())


def staged_rows(tmp_path: Path, path: Path) -> list[tuple]:
    """The rows `kpi load` stores for a file, having checked that it took the staged path."""
    db = tmp_path / "staged.duckdb"
    with open_for_write(db) as con:
        with transaction(con):
            source = staged.read(con, path)
            assert source.staged is not None and source.staged.recoded
            con.execute("ROLLBACK")
            con.execute("BEGIN TRANSACTION")
        ingest.load(con, [path], "themes")
        assert con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name LIKE '%staged%'").fetchall() == [(0,)]
        return sorted(con.execute(f"SELECT list_id, {COLUMNS}, load_id FROM theme_rows").fetchall())


OFFICE = "\n".join(
    [
        "テーマID,研究開発項目,契約形態,基盤要素,機関名,開発テーマ名,開始年度,終了年度,結果/状況",
        f"T1-001{PADDED},①ポスト5G情報通信システムの開発（委託）,contract,Ａ１, 某社 ,テーマ1,令和元年度,,令和5年度終了 目標達成",
        'T１-002,２,助成,b2-1,"某社,別社","題\n二行",R2,2023年度,目標未達',
        "T3-003,先導研究,Grant,c,某社,テーマ3,,２０２４,令和６年度終了\u3000遅延",
        "T1-004, 1 ,委託,d1,某社,テーマ4,2020,令和4,on track",
        ",,,,,,,,",
        "T2-005,2,委託,e9,某社,テーマ5,H31,2019,Not Achieved",
    ]
)


@pytest.mark.parametrize(
    ("name", "text", "encoding"),
    [
        ("canonical.csv", themes_csv([theme("T1"), theme("T2", 2, 2024, "遅延", 2022), theme("T3", 3)]), "utf-8"),
        ("office.csv", OFFICE + "\n", "utf-8"),
        ("office_bom_crlf.csv", OFFICE.replace("\n", "\r\n").replace("題\r\n二行", "題\n二行"), "utf-8-sig"),
        ("office.tsv", OFFICE.replace(",", "\t").replace('"某社\t別社"', "某社、別社") + "\n", "utf-8"),
        (
            "no_optional.csv",
            "theme_id,item,funding,element,organizations,title,status\nT1,1,委託,a,x,y,R5終了 遅延\n",
            "utf-8",
        ),
    ],
)
def test_the_staged_load_stores_what_the_ordinary_reading_stores(
    tmp_path: Path, name: str, text: str, encoding: str
) -> None:
    path = write(tmp_path / name, text, encoding)
    assert staged_rows(tmp_path, path) == ordinary(tmp_path, path)


def test_the_sample_list_takes_the_staged_path_and_stores_the_same_rows(tmp_path: Path) -> None:
    assert staged_rows(tmp_path, SAMPLE_THEMES) == ordinary(tmp_path, SAMPLE_THEMES)


@pytest.mark.parametrize(
    ("name", "data"),
    some_in_default(
        [
            ("ragged.csv", (THEMES_HEADER + "\nT1,1,委託,a1,x,y,,2023\n").encode()),
            ("cp932.csv", themes_csv([theme("T1").replace("某社", "日本")]).encode("cp932")),
            ("bom_inside.csv", themes_csv([theme("T1"), "\ufeff" + theme("T2")]).encode()),
            ("nul.csv", themes_csv([theme("T1"), theme("T\x002")]).encode()),
            ("cr_only.csv", themes_csv([theme("T1")]).replace("\n", "\r").encode()),
            ("duplicate.csv", themes_csv([theme("T1"), theme("T１")]).encode()),
            ("rule.csv", themes_csv([theme("T1", status="完了")]).encode()),
            ("blank_id.csv", themes_csv([theme(" ")]).encode()),
            ("header_only.csv", (THEMES_HEADER + "\n").encode()),
            ("utf16.txt", ("\ufeff" + themes_csv([theme("T1")]).replace(",", "\t")).encode("utf-16-le")),
        ],
        4,
    ),
)
def test_a_file_the_staged_path_cannot_accept_is_read_the_ordinary_way(tmp_path: Path, name: str, data: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    db = tmp_path / "kpi.duckdb"
    with open_for_write(db) as con:
        if staged.eligible(path, "themes", None):
            with pytest.raises(staged.NotStaged), transaction(con):
                staged.read(con, path)
        try:
            expected: object = ingest.read_files([path], "themes").failures
        except InputRejected as exc:
            expected = exc.key
        try:
            results, _ = ingest.load(con, [path], "themes")
            got: object = [] if results else None
        except InputRejected as exc:
            got = exc.failures if exc.key == "load.problems" else exc.key
        assert got == expected
        if expected == []:  # loaded the ordinary way (CP932, UTF-16, CR-only rows)
            assert con.execute("SELECT count(*) FROM theme_rows").fetchall() == [(1,)]


def test_a_later_list_is_staged_then_copied_and_compared_with_the_one_before(tmp_path: Path) -> None:
    first = write(tmp_path / "themes_2025-03-31.csv", themes_csv([theme("T1", status="計画通り"), theme("T2")]))
    later = write(tmp_path / "themes_2025-04-30.csv", themes_csv([theme("T1", status="目標達成"), theme("T3")]))
    db = tmp_path / "kpi.duckdb"
    with open_for_write(db) as con:
        ingest.load(con, [first])
        results, _ = ingest.load(con, [later])
        (result,) = results
        assert (result.inserted, result.updated) == (1, 1)
        assert result.list_change is not None and result.list_change.missing_ids == ("T2",)
        assert con.execute("SELECT list_id, theme_id, status FROM theme_rows ORDER BY 1, 2").fetchall() == [
            (1, "T1", "on_track"),
            (1, "T2", "achieved"),
            (2, "T1", "achieved"),
            (2, "T3", "achieved"),
        ]


def test_the_first_list_becomes_theme_rows_with_its_constraints(tmp_path: Path) -> None:
    db = tmp_path / "kpi.duckdb"
    layout = "SELECT column_name, data_type, is_nullable FROM duckdb_columns() WHERE table_name = 'theme_rows'"
    with open_for_write(db) as con:
        before = con.execute(layout).fetchall()
        ingest.load(con, [SAMPLE_THEMES])
        assert con.execute(layout).fetchall() == before
        with pytest.raises(duckdb.ConstraintException):
            con.execute("INSERT INTO theme_rows (list_id, theme_id) VALUES (9, 'x')")


def test_spellings_of_one_kind_pass_or_fail_every_rule_alike() -> None:
    """The staged path judges one spelling of each kind (schemas.themes.RULE_INPUTS) in each combination of kinds:
    sound only if the rules read nothing else of the cells. Every combination of these spellings is validated;
    the combinations of one kind triple must all pass or all fail."""
    import itertools

    import pandera.errors
    import polars as pl

    from schemas import themes
    from schemas.common import LINE

    years = [
        "",
        "2023",
        "２０２３",
        "令和5年度",
        "R5",
        "2023年度",
        "令和元年度",
        "H31",
        "2019",
        "2030",
        "1999",
        "x5",
        "令和99年度",
    ]
    statuses = [
        "目標達成",
        "achieved",
        "Not Achieved",
        "計画通り",
        "遅延",
        "令和5年度終了 目標達成",
        "2023年度終了目標未達",
        "令和元年度終了 遅延",
        "R5終了 on track",
        "令和九年度終了 目標達成",
        "終わった",
    ]
    rows = list(itertools.product(years, years, statuses))
    n = len(rows)
    frame = pl.DataFrame(
        {
            "theme_id": [f"T{i}" for i in range(n)],
            "item": ["1"] * n,
            "funding": ["委託"] * n,
            "element": ["a1"] * n,
            "organizations": ["某社"] * n,
            "title": ["題"] * n,
            "start_fy": [r[0] or None for r in rows],
            "end_fy": [r[1] or None for r in rows],
            "status": [r[2] for r in rows],
            LINE: list(range(n)),
        }
    )
    try:
        themes.SCHEMA.validate(frame, lazy=True)
        failing: set[int] = set()
    except pandera.errors.SchemaErrors as exc:
        cases = exc.failure_cases.filter(pl.col("index").is_not_null())
        failing = set(cases["index"].cast(pl.Int64).to_list())
    assert 0 < len(failing) < n  # both outcomes occur

    kinds = {
        c: dict(
            staged._kinds(pl.DataFrame({"raw": frame[c], "text": frame[c]}).unique(), themes.RULE_INPUTS[c])
            .select("raw", "kind")
            .iter_rows()
        )
        for c in ("start_fy", "end_fy", "status")
    }
    outcome: dict[tuple[int, ...], set[bool]] = {}
    for i, (start, end, status) in enumerate(rows):
        key = (kinds["start_fy"][start or None], kinds["end_fy"][end or None], kinds["status"][status])
        outcome.setdefault(key, set()).add(i in failing)
    assert all(len(seen) == 1 for seen in outcome.values())
    assert len(outcome) < n / 4  # the kinds do merge spellings


WORKER_STOPPED_BY_A_SIGNAL = """
import os, signal, threading, duckdb
from kpi import interrupts
from kpi.load.staged import _Worker

interrupts.install()
interrupts.release()
con = duckdb.connect()
con.execute("SET enable_progress_bar = false")

def work():
    os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C as the worker begins: it lands wherever the main thread is
    return con.execute("SELECT count(*) FROM range(100000000000)").fetchall()

try:
    with _Worker(con, work) as worker:
        worker.outcome()
    print("finished")
except interrupts.Stopped:
    print("stopped", threading.active_count())
"""


@pytest.mark.parametrize("attempt", range(3))
def test_a_signal_as_duckdb_starts_on_the_worker_stops_it_before_the_process_goes_on(attempt: int) -> None:
    """Wherever the signal lands (in the thread's start, in the block, as the result is asked for), DuckDB is
    interrupted and the thread has ended when the exception leaves the block: a process exiting while DuckDB ran
    on a worker thread was aborted (SIGABRT, "FATAL: exception not rethrown") after kpi's message."""
    import signal
    import subprocess
    import sys

    def ctrl_c_as_a_terminal_gives_it() -> None:
        signal.signal(signal.SIGINT, signal.SIG_DFL)

    result = subprocess.run(
        [sys.executable, "-c", WORKER_STOPPED_BY_A_SIGNAL],
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=ctrl_c_as_a_terminal_gives_it,
    )
    assert (result.returncode, result.stdout) == (0, "stopped 1\n"), result.stderr


def test_a_file_with_a_declared_attributes_column_is_read_the_ordinary_way(tmp_path: Path) -> None:
    """Theme attributes (kpi.settings.Attribute) are judged by the ordinary reading only: a file giving one is not
    staged; a file giving none still is, whatever the settings declare."""
    from kpi.settings import Attribute

    declared = (Attribute("分野", "category", ("技術分野",), ("通信",)),)
    giving = write(tmp_path / "giving.csv", themes_csv([theme("T1") + ",通信"], THEMES_HEADER + ",技術分野"))
    without = write(tmp_path / "without.csv", themes_csv([theme("T1") + ",通信"], THEMES_HEADER + ",企業規模"))
    with open_for_write(tmp_path / "kpi.duckdb") as con, transaction(con):
        with pytest.raises(staged.NotStaged, match="attributes"):
            staged.read(con, giving, attributes=declared)
        source = staged.read(con, without, attributes=declared)
        assert source.staged is not None and source.ignored == ["企業規模"]
        con.execute("ROLLBACK")
        con.execute("BEGIN TRANSACTION")
