"""Figures as they were known: one programme from three dated theme lists (statuses moving on, themes added and
dropped), each year's figures from the list in force at its end, the trend from each year's own list, and an
export for an earlier year unchanged by a later list."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from kit import theme, themes_csv, write
from matrix import some_in_default
from programmes import LISTS, load_lists


@pytest.fixture
def programme(kpi, db: Path, tmp_path: Path) -> Path:
    """The programme with all three lists loaded."""
    load_lists(kpi, db, tmp_path / "in", list(LISTS))
    return db


def short_term(kpi, db: Path, as_of: int) -> tuple[str, str | None, bool, int, int, int]:
    data = json.loads(kpi("report", "--db", str(db), "--as-of", str(as_of), "-f", "json").stdout)
    s = data["short_term"]
    return (
        data["snapshot"],
        s["verdict"],
        data["snapshot_fallback"],
        s["achieved"],
        s["completed"],
        s["awaiting_final"],
    )


def test_the_figures_of_each_year_come_from_the_list_in_force_at_its_end(kpi, programme: Path) -> None:
    assert short_term(kpi, programme, 2023) == ("2024-03-31", "met", False, 4, 5, 0)
    assert short_term(kpi, programme, 2024) == ("2025-03-31", "met", False, 5, 6, 0)
    # FY2025 ends on 2026-03-31: the April list belongs to FY2026, so FY2025 still reads the 2025-03-31 list
    assert short_term(kpi, programme, 2025) == ("2025-03-31", "met", False, 5, 6, 2)
    assert short_term(kpi, programme, 2026) == ("2026-04-30", "met", False, 5, 6, 0)


def test_a_year_before_every_list_reads_the_earliest_and_every_output_says_so(kpi, programme: Path) -> None:
    assert short_term(kpi, programme, 2022) == ("2024-03-31", "met", True, 1, 1, 0)
    note = "2022年度末（2023-03-31）までの日付のテーマ一覧がないため、最も古い一覧（2024-03-31 現在）の状況を使用。"
    for args in (["report"], ["report", "-f", "markdown"], ["report", "-f", "csv"], ["check"]):
        assert note in kpi(*args, "--db", str(programme), "--as-of", "2022").stdout, args
    assert json.loads(kpi("check", "--db", str(programme), "--as-of", "2022", "-f", "json").stdout)["snapshot_fallback"]
    report = kpi("report", "--db", str(programme), "--as-of", "2023").stdout
    assert "テーマ一覧: 2024-03-31 現在" in report and note.split("、")[0] not in report


def test_the_population_of_a_year_is_the_themes_of_its_list(kpi, programme: Path) -> None:
    def totals(as_of: int) -> tuple[int, int]:
        data = json.loads(kpi("report", "--db", str(programme), "--as-of", str(as_of), "-f", "json").stdout)
        return data["status_summary"]["total"], data["long_term"]["adopted"]

    assert totals(2023) == (7, 7)  # the 2024-03-31 list, leading research left out
    assert totals(2024) == (8, 8)  # B1 adopted
    assert totals(2026) == (8, 8)  # C1 adopted, N1 no longer listed


def test_the_trend_takes_each_year_from_its_own_list(kpi, programme: Path) -> None:
    data = json.loads(kpi("report", "--db", str(programme), "--as-of", "2026", "-f", "json").stdout)
    assert [(y["fy"], y["achieved"], y["completed"]) for y in data["trend"]] == [
        (2022, 1, 1),  # no list of its own: the earliest
        (2023, 4, 5),  # the 2024-03-31 list still had N1, not achieved (today's list would give 4/4)
        (2024, 5, 6),
        (2025, 5, 6),
        (2026, 5, 6),
    ]


@pytest.mark.parametrize("as_of", some_in_default([2024, 2025], 1))
def test_an_export_for_an_earlier_year_is_byte_identical_after_a_later_list(
    kpi, db: Path, tmp_path: Path, as_of: int
) -> None:
    load_lists(kpi, db, tmp_path / "in", ["2024-03-31", "2025-03-31"])
    before, after = tmp_path / "before", tmp_path / "after"
    assert kpi("export", "--db", str(db), "--as-of", str(as_of), "--out", str(before)).returncode == 0
    load_lists(kpi, db, tmp_path / "in", ["2026-04-30"])
    assert kpi("export", "--db", str(db), "--as-of", str(as_of), "--out", str(after)).returncode == 0
    for name in ("outcome_kpis.csv", "status_summary.csv", "by_element.csv"):
        assert (before / name).read_bytes() == (after / name).read_bytes(), name
    manifest = json.loads((after / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["snapshot"] == "2025-03-31"


def test_an_older_database_upgrades_its_statuses_into_one_list_dated_by_its_last_themes_load() -> None:
    """The schema-1 fixture (tests/fixtures) becomes one list dated by its last themes load."""
    import shutil
    import tempfile

    import duckdb
    from kit import TESTS

    from kpi.db.connect import open_for_write

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "v1.duckdb"
        shutil.copy(TESTS / "fixtures" / "schema_v1.duckdb", db)
        con = duckdb.connect(str(db), read_only=True)
        last = con.execute(
            "SELECT CAST(max(loaded_at) AS DATE), max(load_id) FROM loads WHERE kind = 'themes'"
        ).fetchall()
        statuses = con.execute("SELECT theme_id, status FROM themes ORDER BY 1").fetchall()
        con.close()
        with open_for_write(db, wait=5):
            pass
        con = duckdb.connect(str(db), read_only=True)
        assert con.execute("SELECT snapshot, load_id FROM theme_lists").fetchall() == last
        assert con.execute("SELECT theme_id, status FROM theme_rows ORDER BY 1").fetchall() == statuses
        con.close()


@pytest.mark.parametrize(("value", "code"), [("2026-02-30", 2), ("next week", 2), ("2999-01-01", 2)])
def test_a_snapshot_that_is_no_date_or_lies_in_the_future_exits_2(
    kpi, db: Path, tmp_path: Path, value: str, code: int
) -> None:
    path = write(tmp_path / "themes.csv", themes_csv([theme("T1")]))
    result = kpi("load", "--db", str(db), "--snapshot", value, str(path))
    assert result.returncode == code and "Traceback" not in result.stderr and not db.exists()
    named = write(tmp_path / "themes_2999-01-01.csv", themes_csv([theme("T1")]))
    result = kpi("load", "--db", str(db), str(named))
    assert result.returncode == 2 and "2999-01-01" in result.stderr and not db.exists()


def test_a_list_dated_before_a_themes_start_is_fine(kpi, db: Path, tmp_path: Path) -> None:
    path = write(tmp_path / "themes.csv", themes_csv([theme("T1", start_fy=2027, end_fy=2029, status="計画通り")]))
    assert kpi("load", "--db", str(db), "--snapshot", "2024-03-31", str(path)).returncode == 0
    data = json.loads(kpi("report", "--db", str(db), "--as-of", "2023", "-f", "json").stdout)
    assert data["exclusions"]["not_yet_adopted"] == 1 and data["status_summary"]["total"] == 0
