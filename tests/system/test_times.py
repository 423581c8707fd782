"""Every time a user reads is in the programme's calendar (Japan's by default) with its zone said, whatever the
machine's clock zone (a cron server on UTC): log lines, `kpi loads`, the register of submissions, the manifest.
A submission's money and counts read as the report prints them."""

from __future__ import annotations

import json
import re
from pathlib import Path

from kit import SAMPLE, cli, write

ISO_JST = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+09:00$")
SHOWN_JST = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d JST")
UTC_MACHINE = {"TZ": "UTC"}


def test_log_lines_in_a_file_carry_japans_time_on_a_utc_machine(sample_store: Path, tmp_path: Path) -> None:
    log = tmp_path / "kpi.log"
    result = cli("report", "--db", str(sample_store), "2025", env=UTC_MACHINE, stderr_to=log)
    assert result.returncode == 2
    lines = log.read_text(encoding="utf-8").splitlines()
    assert lines and all(ISO_JST.match(line.split(" ", 1)[0]) for line in lines), lines
    as_json = cli("report", "2025", "--log-format", "json", env=UTC_MACHINE)
    assert ISO_JST.match(json.loads(as_json.stderr)["time"])


def test_loads_and_submissions_say_their_times_in_japans_calendar(sample_store: Path, tmp_path: Path) -> None:
    db = str(sample_store)
    table = cli("loads", "--db", db, env=UTC_MACHINE).stdout
    assert SHOWN_JST.search(table.splitlines()[2]), table
    loads = json.loads(cli("loads", "--db", db, "--format", "json", env=UTC_MACHINE).stdout)
    assert all(ISO_JST.match(r["loaded_at"]) for r in loads)

    out = tmp_path / "out"
    assert cli("export", "--db", db, "--as-of", "2025", "--out", str(out), env=UTC_MACHINE).returncode == 0
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    times = [manifest["written_at"], manifest["submission"]["made_at"], *(s["loaded_at"] for s in manifest["sources"])]
    assert all(ISO_JST.match(t) for t in times), times

    register = cli("submissions", "--db", db, env=UTC_MACHINE).stdout
    assert SHOWN_JST.search(register), register
    (record,) = json.loads(cli("submissions", "--db", db, "--format", "json", env=UTC_MACHINE).stdout)
    assert ISO_JST.match(record["made_at"]) and record["made_at"][:16] == manifest["submission"]["made_at"][:16]
    shown = cli("submissions", "show", "1", "--db", db, env=UTC_MACHINE).stdout
    assert SHOWN_JST.search(shown.splitlines()[0]), shown


def test_a_programme_in_another_zone_says_its_own(tmp_path: Path) -> None:
    settings = (SAMPLE / "programme.toml").read_text(encoding="utf-8") + 'timezone = "UTC"\n'
    db = str(tmp_path / "k.duckdb")
    assert cli("load", "--db", db, str(write(tmp_path / "programme.toml", settings))).returncode == 0
    assert cli("load", "--db", db, str(SAMPLE / "themes_2026-03-31.csv")).returncode == 0
    assert re.search(r"\d\d:\d\d UTC", cli("loads", "--db", db).stdout)
    loads = json.loads(cli("loads", "--db", db, "--format", "json").stdout)
    assert all(r["loaded_at"].endswith("+00:00") for r in loads)


def test_a_submission_shows_money_and_counts_as_the_report_prints_them(sample_store: Path, tmp_path: Path) -> None:
    db = str(sample_store)
    assert cli("export", "--db", db, "--as-of", "2025", "--out", str(tmp_path / "out")).returncode == 0
    shown = cli("submissions", "show", "1", "--db", db).stdout
    assert re.search(r"予算 累計（億円）\s+27,759\n", shown) and re.search(r"執行 累計（億円）\s+22,867\n", shown)
    figures = shown.split("ファイル（sha256）")[0]
    assert ".00000000" not in figures and "status_summary." not in figures and "状況 中止（途中終了）" in figures
    report = cli("report", "--db", db, "--as-of", "2025").stdout
    assert "執行 22,867 / 予算 27,759 億円" in report  # the same figures, written the same way
