"""Every submission is a record: figures as known at any load, submissions written again byte for byte, why two
differ, undo, and a year closed by its final figures. Each step is the real command on the sample database."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from faultkit import rows
from kit import SAMPLE_THEMES, cli
from kit import write as write_file

CORRECTED = ("T1-001", "T1-002", "T1-003")  # the first three achieved themes of the sample, corrected to 未達


def corrected_list(folder: Path) -> Path:
    """The sample's 2026-03-31 list with three statuses corrected from 目標達成 to 目標未達."""
    lines = SAMPLE_THEMES.read_text(encoding="utf-8-sig").splitlines()
    out, changed = [lines[0]], []
    for line in lines[1:]:
        if len(changed) < 3 and "目標達成" in line:
            line = line.replace("目標達成", "目標未達")
            changed.append(line.split(",")[0])
        out.append(line)
    assert tuple(changed) == CORRECTED
    return write(folder / SAMPLE_THEMES.name, "\n".join(out) + "\n")


def write(path: Path, text: str) -> Path:
    """A file in a folder of its own (created)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_file(path, text)


def ok(*args: str, code: int = 0) -> Any:
    result = cli(*args)
    assert result.returncode == code, result.stderr
    return result


def report(db: Path, *extra: str) -> dict[str, Any]:
    given = json.loads(ok("report", "--db", str(db), "--as-of", "2025", "--format", "json", *extra).stdout)
    return given


def short_term(figures: dict[str, Any]) -> tuple[int, int]:
    kpi = next(k for k in figures["kpis"] if k["name"] == "short_term")
    return kpi["numerator"], kpi["denominator"]


def without(figures: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {k: v for k, v in figures.items() if k not in keys}


def latest_load(db: Path) -> int:
    return int(rows(db, "SELECT max(load_id) FROM loads")[0][0])


@pytest.fixture
def corrected(sample_store: Path, tmp_path: Path) -> tuple[Path, int, dict[str, Any]]:
    """The sample exported as submission 1 into a/, then the corrected list loaded: the database, the load the
    submission was computed from, and the report as it was before the correction."""
    before = report(sample_store)
    ok("export", "--db", str(sample_store), "--as-of", "2025", "--out", str(tmp_path / "a"))
    submitted_at = latest_load(sample_store)
    ok("load", "--db", str(sample_store), str(corrected_list(tmp_path / "fix")))
    return sample_store, submitted_at, before


def test_figures_as_known_at_an_earlier_load_are_exactly_the_old_ones(corrected, tmp_path: Path) -> None:
    db, submitted_at, before = corrected
    assert short_term(before) == (39, 56)
    now = report(db)
    assert short_term(now) == (36, 56)
    assert now["latest_submission"]["submission"] == 1 and now["latest_submission"]["differs"] is True
    then = report(db, "--known-at", str(submitted_at))
    assert then["known_at_load"] == submitted_at
    assert without(then, "known_at_load") == without(before, "known_at_load")
    text = ok("report", "--db", str(db), "--as-of", "2025", "--known-at", f"#{submitted_at}").stdout
    assert f"第{submitted_at}回の読込の直後の時点" in text
    # A time names the last load at or before it; before the first load there is nothing to show.
    day = rows(db, "SELECT strftime(max(loaded_at), '%Y-%m-%d') FROM loads")[0][0]
    assert short_term(report(db, "--known-at", day)) == (36, 56)
    refused = cli("report", "--db", str(db), "--known-at", "2001-01-01T00:00")
    assert refused.returncode == 2 and "最初の読込" in refused.stderr
    assert cli("report", "--db", str(db), "--known-at", "999").returncode == 2


def test_a_submission_is_written_again_byte_for_byte(corrected, tmp_path: Path) -> None:
    db, _, _ = corrected
    ok("export", "--db", str(db), "--submission", "1", "--out", str(tmp_path / "b"))
    a, b = tmp_path / "a", tmp_path / "b"
    assert sorted(p.name for p in a.iterdir()) == sorted(p.name for p in b.iterdir())
    for path in a.iterdir():
        if path.name != "manifest.json":
            assert path.read_bytes() == (b / path.name).read_bytes(), path.name
    ma, mb = (json.loads((d / "manifest.json").read_text(encoding="utf-8")) for d in (a, b))
    assert without(ma, "written_at") == without(mb, "written_at")
    assert ma["submission"]["number"] == 1 and ma["submission"]["stage"] == "preliminary"
    assert cli("export", "--db", str(db), "--submission", "1", "--as-of", "2024", "--out", str(b)).returncode == 2


def test_a_workbook_submission_is_written_again_byte_for_byte(sample_store: Path, tmp_path: Path) -> None:
    ok("export", "--db", str(sample_store), "--as-of", "2025", "--format", "xlsx", "--out", str(tmp_path / "a"))
    ok("export", "--db", str(sample_store), "--submission", "1", "--out", str(tmp_path / "b"))
    name = "kpi_submission.xlsx"
    assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_the_diff_names_the_three_themes_and_both_figures(corrected) -> None:
    db, submitted_at, _ = corrected
    diff = json.loads(ok("submissions", "diff", "1", "--db", str(db), "--format", "json").stdout)
    changed = {d["figure"]: (d["before"], d["after"]) for d in diff["differences"]}
    assert changed["short_term.numerator"] == (39, 36)
    assert changed["short_term.ratio"] == ("39/56", "9/14")  # 36/56, exactly
    assert "short_term.denominator" not in changed
    assert [(t["theme_id"], t["change"], t["status_before"], t["status_after"]) for t in diff["themes"]] == [
        (theme_id, "status", "achieved", "not_achieved") for theme_id in CORRECTED
    ]
    correction = latest_load(db)
    assert {t["load"] for t in diff["themes"]} == {correction}
    assert {t["roles_before"]["short_term"] for t in diff["themes"]} == {"numerator"}
    assert {t["roles_after"]["short_term"] for t in diff["themes"]} == {"denominator"}
    table = ok("submissions", "diff", "1", "--db", str(db)).stdout
    assert all(theme_id in table for theme_id in CORRECTED) and "状況の訂正" in table
    listing = json.loads(ok("submissions", "--db", str(db), "--format", "json").stdout)
    assert [(s["submission"], s["stage"], s["known_at_load"]) for s in listing] == [(1, "preliminary", submitted_at)]
    assert listing[0]["figures"]["short_term.numerator"] == 39
    shown = ok("submissions", "show", "1", "--db", str(db)).stdout
    assert "提出 #1（速報値）" in shown and "outcome_kpis.csv" in shown


def test_a_submission_against_the_same_figures_says_nothing_differs(sample_store: Path, tmp_path: Path) -> None:
    ok("export", "--db", str(sample_store), "--as-of", "2025", "--out", str(tmp_path / "a"))
    diff = json.loads(ok("submissions", "diff", "1", "--db", str(sample_store), "--format", "json").stdout)
    assert diff["same"] is True and diff["differences"] == [] and diff["themes"] == []
    assert "数値に違いはありません" in ok("submissions", "diff", "1", "--db", str(sample_store)).stdout
    assert report(sample_store)["latest_submission"]["differs"] is False


def test_undo_brings_back_the_first_figures_and_an_undo_is_not_undone(corrected) -> None:
    db, _, before = corrected
    correction = latest_load(db)
    result = ok("undo", "--db", str(db))
    assert f"第{correction}回の読込" in result.stderr
    assert without(report(db), "latest_submission") == without(before, "latest_submission")
    again = cli("undo", "--db", str(db))
    assert again.returncode == 3 and "取り消しは取り消せません" in again.stderr
    loads = json.loads(ok("loads", "--db", str(db), "--format", "json").stdout)
    assert loads[-1]["undoes"] == correction
    # Nothing was deleted: the corrected version is still known at its load.
    assert short_term(report(db, "--known-at", str(correction))) == (36, 56)


def test_undo_refuses_a_load_a_later_load_built_on(sample_store: Path, tmp_path: Path) -> None:
    first = corrected_list(tmp_path / "one")
    ok("load", "--db", str(sample_store), str(first))
    second = write(tmp_path / "two" / SAMPLE_THEMES.name, first.read_text(encoding="utf-8").replace("遅延", "計画通り"))
    ok("load", "--db", str(sample_store), str(second))
    latest = latest_load(sample_store)
    refused = cli("undo", str(latest - 1), "--db", str(sample_store))
    assert refused.returncode == 3 and f"#{latest}" in refused.stderr


def test_a_final_submission_closes_its_year(sample_store: Path, tmp_path: Path) -> None:
    ok("export", "--db", str(sample_store), "--as-of", "2025", "--stage", "final", "--out", str(tmp_path / "f"))
    loads_before = latest_load(sample_store)
    fix = corrected_list(tmp_path / "fix")
    refused = cli("load", "--db", str(sample_store), str(fix))
    assert refused.returncode == 3
    assert "2025年度は確定値を提出済みです（提出 #1" in refused.stderr
    assert latest_load(sample_store) == loads_before
    reason = "機関からの訂正報告（2026年11月）"
    ok("load", "--db", str(sample_store), "--reopen", reason, str(fix))
    assert short_term(report(sample_store)) == (36, 56)
    loads = json.loads(ok("loads", "--db", str(sample_store), "--format", "json").stdout)
    assert loads[-1]["reopened"] == reason
    assert reason in ok("loads", "--db", str(sample_store)).stdout
    diff = json.loads(ok("submissions", "diff", "1", "--db", str(sample_store), "--format", "json").stdout)
    assert diff["reopened"] == [{"load": loads[-1]["load"], "reason": reason}]
    # A load that changes nothing of the closed year is not refused.
    budget = write(tmp_path / "b" / "budget.csv", "fy,budget,executed\n2031,10,\n")
    ok("load", "--db", str(sample_store), str(budget))
