"""The portfolio: three programme databases read side by side, each exactly as its own report, the portfolio line as
their sums; a figure opened down to its themes; a busy file and a damaged one named while the other is shown."""

from __future__ import annotations

import json
import signal
from pathlib import Path
from typing import Any

import pytest
from faultkit import Spy
from kit import SAMPLE, SAMPLE_THEMES, cli, run_kpi


def ok(*args: str) -> Any:
    result = cli(*args)
    assert result.returncode == 0, result.stderr
    return result


def programme(folder: Path, name: str, project_id: int, target: str, themes: int, snapshot: str) -> Path:
    """A programme database of its own: the sample's settings with another name, 予算事業ID and target, the first
    `themes` themes of the sample's list dated `snapshot`, and the budget."""
    folder.mkdir(parents=True)
    settings = (SAMPLE / "programme.toml").read_text(encoding="utf-8")
    lines = []
    for line in settings.splitlines():
        if line.startswith("name"):
            line = f'name = "{name}"'
        elif line.startswith("project_id"):
            line = f"project_id = {project_id}"
        elif line.startswith("short_term_target"):
            line = f'short_term_target = "{target}"'
        lines.append(line)
    (folder / "programme.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    rows = SAMPLE_THEMES.read_text(encoding="utf-8-sig").splitlines()
    (folder / f"themes_{snapshot}.csv").write_text("\n".join(rows[: themes + 1]) + "\n", encoding="utf-8")
    (folder / "budget.csv").write_text((SAMPLE / "budget.csv").read_text(encoding="utf-8-sig"), encoding="utf-8")
    db = folder.parent / f"{folder.name}.duckdb"
    ok("load", "--db", str(db), str(folder))
    return db


@pytest.fixture(scope="module")
def three(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The sample, and two programmes with other targets and lists."""
    root = tmp_path_factory.mktemp("portfolio")
    sample = root / "sample.duckdb"
    ok("load", "--db", str(sample), str(SAMPLE))
    ok("load", "--db", str(sample), str(SAMPLE / "illustrative" / "followups_illustrative.csv"))
    b = programme(root / "b", "事業B", 9001, "70%", 80, "2026-03-31")
    c = programme(root / "c", "事業C", 9002, "85%", 120, "2025-12-31")
    return [sample, b, c]


def test_every_programme_is_its_own_report_and_the_line_is_their_sums(three: list[Path]) -> None:
    given = json.loads(ok("portfolio", *map(str, three), "--as-of", "2025", "--format", "json").stdout)
    assert [p["project_id"] for p in given["programmes"]] == [3522, 9001, 9002]
    for db, shown in zip(three, given["programmes"], strict=True):
        own = json.loads(ok("report", "--db", str(db), "--as-of", "2025", "--format", "json").stdout)
        assert shown["report"] == own, db
    line = {k["name"]: k for k in given["portfolio"]["kpis"]}
    for name in ("short_term", "long_term", "long_term_matured"):
        kpis = [next(k for k in p["report"]["kpis"] if k["name"] == name) for p in given["programmes"]]
        measured = [k for k in kpis if k["numerator"] is not None]
        assert line[name]["numerator"] == (sum(k["numerator"] for k in measured) if measured else None), name
        assert line[name]["denominator"] == sum(k["denominator"] for k in (measured or kpis)), name
        assert line[name]["programmes"] == len(measured)
    assert line["short_term"]["verdict"] is None  # three targets: no single verdict
    assert given["portfolio"]["lacking_followups"] == 2 and given["portfolio"]["lacking_settings"] == 0
    cohorts = given["portfolio"]["cohorts"]
    assert sum(c["themes"] for c in cohorts) == sum(c["themes"] for p in given["programmes"] for c in p["cohorts"])
    assert given["faults"] == [] and given["exit_code"] == 0
    table = ok("portfolio", *map(str, three), "--as-of", "2025").stdout
    assert "ポートフォリオ計（3事業）" in table and "事業B" in table and "終了年度別" in table


def test_a_folder_of_programmes_and_the_other_formats(three: list[Path], tmp_path: Path) -> None:
    folder = three[0].parent
    csv = ok("portfolio", str(folder), "--as-of", "2025", "--format", "csv").stdout
    assert csv.count("\n") > 5 and "事業C" in csv
    ok("portfolio", str(folder), "--as-of", "2025", "--format", "xlsx", "--out", str(tmp_path / "p.xlsx"))
    assert (tmp_path / "p.xlsx").stat().st_size > 0
    assert cli("portfolio", str(folder), "--format", "xlsx").returncode == 2  # a workbook is a file


def test_explain_lists_every_theme_of_the_sample_by_its_part(three: list[Path]) -> None:
    given = json.loads(ok("explain", "short_term", "--db", str(three[0]), "--as-of", "2025", "--format", "json").stdout)
    assert given["counts"] == {
        "numerator": 39,
        "denominator": 17,
        "pending": 27,
        "not_countable": 32,
        "excluded": 29,  # leading research
    }
    assert given["reasons"]["excluded"] == {"leading_research": 29}
    assert len(given["themes"]) == 144
    text = ok("explain", "short_term", "--db", str(three[0]), "--as-of", "2025").stdout
    assert "終了年度 ≤ 2025 かつ 目標達成" in text and "先導研究" in text
    from_portfolio = json.loads(
        ok(
            "portfolio",
            *map(str, three),
            "--as-of",
            "2025",
            "--explain",
            "short_term",
            "--programme",
            "3522",
            "--format",
            "json",
        ).stdout
    )
    assert [p["explain"]["counts"] for p in from_portfolio["programmes"]] == [given["counts"]]
    assert cli("explain", "medium_term", "--db", str(three[0])).returncode == 2
    assert cli("explain", "short_term", "--db", str(three[0]), "--programme", "9001").returncode == 2


def test_a_busy_file_and_a_damaged_one_are_named_and_the_other_is_shown(three: list[Path], tmp_path: Path) -> None:
    from faultkit import copy_db

    sample, b, c = (copy_db(db, tmp_path / db.name) for db in three)
    data = c.read_bytes()
    c.write_bytes(data[: len(data) // 2])  # cut short
    budget = tmp_path / "in" / "budget.csv"
    budget.parent.mkdir()
    budget.write_text("fy,budget,executed\n2031,1,\n", encoding="utf-8")
    with Spy("load", "--db", str(b), str(budget), pause_at="before COMMIT") as spy:
        spy.wait_for("paused")
        result = run_kpi("portfolio", str(sample), str(b), str(c), "--as-of", "2025", "--wait", "0", "--format", "json")
        spy.send(signal.SIGKILL)
        spy.finish()
    assert result.returncode == 75, result.stderr  # the worst of 75 (busy) and 65 (damaged)
    given = json.loads(result.stdout)
    assert [p["project_id"] for p in given["programmes"]] == [3522]
    assert {Path(f["file"]).name: f["exit_code"] for f in given["faults"]} == {b.name: 75, c.name: 65}
    assert str(b) in result.stderr and str(c) in result.stderr and "Traceback" not in result.stderr


def test_two_programmes_with_one_project_id_are_refused_by_name(three: list[Path], tmp_path: Path) -> None:
    from faultkit import copy_db

    twin = copy_db(three[0], tmp_path / "twin.duckdb")
    result = cli("portfolio", str(three[0]), str(twin), "--as-of", "2025")
    assert result.returncode == 3
    assert "予算事業ID 3522" in result.stderr and str(twin) in result.stderr


@pytest.mark.slow  # (a second programme loaded: 1 s; CI's slow step)
def test_by_a_grouping_each_groups_line_sums_the_programmes_groups(grouped_store: Path, tmp_path: Path) -> None:
    """`kpi portfolio --by 企業規模`: each group's portfolio line is its numerators and denominators summed over the
    programmes that have it; a programme that does not declare the attribute is a fault named with the choices, the
    others shown all the same."""
    from kit import grouped_programme

    other = grouped_programme(tmp_path, project_id=9999)
    plain = tmp_path / "plain.duckdb"
    assert cli("load", "--db", str(plain), str(SAMPLE / "programme.toml"), str(SAMPLE_THEMES)).returncode == 0
    result = cli("portfolio", str(grouped_store), str(other), "--by", "企業規模", "--as-of", "2026", "-f", "json")
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    groups = {tuple(g["group"]): g for g in found["portfolio"]["groups"]}
    each = [{tuple(g["group"]): g for g in p["breakdown"]["groups"]} for p in found["programmes"]]
    for key, line in groups.items():
        assert line["programmes"] == 2
        for i, kpi in enumerate(line["kpis"]):
            assert kpi["denominator"] == sum(e[key]["kpis"][i]["denominator"] for e in each)
    assert groups[("中小企業",)]["kpis"][0] == {"name": "short_term", "numerator": 2, "denominator": 4, "ratio": 0.5}
    faulty = cli("portfolio", str(other), str(plain), "--by", "企業規模", "--as-of", "2026")
    assert faulty.returncode == 2 and "item, element" in faulty.stderr
    assert f"読めましたが示せません: {plain}: --by 企業規模" in faulty.stderr  # read, but it has no such grouping
