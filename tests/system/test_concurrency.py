"""Four commands on one database at once: two loads of different files, a report and an export.

Every process ends with exit 0, or 75 if it gave up waiting for the busy file, and each outcome is checked:
a 75 says so in one line and printed or wrote nothing; a 0 report saw the database before or after the
themes load, never in between, and a 0 export wrote every file its manifest lists and nothing else; the
loads both succeed, and the final database holds both loads exactly once. The race runs in a few start orders, one with readers that barely wait.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from faultkit import kpi_env, rows
from kit import SAMPLE_THEMES, cli
from matrix import first_in_default

from kpi.fiscal import current_fy

NEW_THEMES = 1500
FOLLOWUPS = 100  # follow-up surveys of sample themes that have ended (112 of them by FY2025)


def themes_file(path: Path) -> Path:
    """The sample's list of 2026-03-31 as a corrected file of the same date: its themes and NEW_THEMES more
    (loaded, it replaces that date's list)."""
    lines = SAMPLE_THEMES.read_text(encoding="utf-8-sig").splitlines()
    lines += [
        f"CC-{i:05d},{1 + i % 3},委託,b{i % 5},並行試験株式会社,並行読込テーマ{i},,令和6年度終了 目標達成"
        for i in range(NEW_THEMES)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def followups_file(path: Path, ended_ids: list[str]) -> Path:
    """Surveys of this fiscal year (a later year is refused: not surveyed yet) of themes that ended by it."""
    lines = ["theme_id,survey_fy,stage"]
    lines += [
        f"{theme_id},{current_fy()},{'上市' if i % 3 == 0 else '研究'}"
        for i, theme_id in enumerate(ended_ids[:FOLLOWUPS])
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def start(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "kpi", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=kpi_env()
    )


ORDERS = {
    "all-at-once": ["load-themes", "load-followups", "report", "export"],
    "readers-first": ["report", "export", "load-themes", "load-followups"],
    "impatient-readers": ["load-themes", "report", "load-followups", "export"],
}


@pytest.mark.parametrize("order", first_in_default(list(ORDERS)))
def test_two_loads_a_report_and_an_export_at_once(sample_store: Path, tmp_path: Path, order: str) -> None:
    db = str(sample_store)
    sample_ids = [r[0] for r in rows(sample_store, "SELECT theme_id FROM themes ORDER BY theme_id")]
    themes = themes_file(tmp_path / "themes_concurrent_2026-03-31.csv")
    ended = "SELECT theme_id FROM themes WHERE end_fy <= ? ORDER BY theme_id"
    ended_ids = [r[0] for r in rows(sample_store, ended, [current_fy()])]
    followups = followups_file(tmp_path / "followups_concurrent.csv", ended_ids)
    base = len(sample_ids)
    reader_wait = "0.2" if order == "impatient-readers" else "60"
    commands = {
        "load-themes": ["load", "--db", db, "--wait", "60", str(themes)],
        "load-followups": ["load", "--db", db, "--wait", "60", str(followups)],
        "report": ["report", "--db", db, "--wait", reader_wait, "--as-of", "2025", "--format", "json"],
        "export": ["export", "--db", db, "--wait", reader_wait, "--as-of", "2025", "--out", str(tmp_path / "out")],
    }
    procs = {}
    for name in ORDERS[order]:
        procs[name] = start(*commands[name])
        time.sleep(0.02)
    outputs = {name: p.communicate(timeout=240) for name, p in procs.items()}
    results = {name: (procs[name].returncode, *outputs[name]) for name in procs}

    for name, (code, printed, err) in results.items():
        assert "Traceback" not in err, (name, err)
        assert code in (0, 75), (name, code, err)
        if code == 75:  # gave up waiting, said so in one line, and printed or wrote nothing
            assert "は使用中です" in err and "待ちましたがあきらめました" in err, (name, err)
            assert len(err.splitlines()) == 1 and printed == "", (name, err, printed)
    # the loads waited for each other; neither gave up (they wait a minute)
    for name in ("load-themes", "load-followups"):
        code, _, err = results[name]
        assert code == 0, (name, code, err)
        assert "#" in err, (name, err)  # its load table: the file got a load number

    code, out, _ = results["report"]
    if code == 0:  # the report saw the database before or after the themes load, never half of it
        assert json.loads(out)["exclusions"]["themes_loaded"] in (base, base + NEW_THEMES)
    code, _, _ = results["export"]
    exported_files = sorted(p.name for p in (tmp_path / "out").iterdir()) if (tmp_path / "out").exists() else []
    if code == 0:
        manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
        for name, digest in manifest["files"].items():
            assert hashlib.sha256((tmp_path / "out" / name).read_bytes()).hexdigest() == digest
        exported = (tmp_path / "out" / "themes.csv").read_text(encoding="utf-8-sig").splitlines()
        assert len(exported) - 1 in (base, base + NEW_THEMES)
        assert exported_files == sorted([*manifest["files"], "manifest.json"])  # no temporary file left
    else:  # it gave up before writing: no file at all, not even a temporary one
        assert exported_files == [], exported_files

    # both loads, exactly once
    assert rows(sample_store, "SELECT count(*), count(DISTINCT theme_id) FROM themes") == [
        (base + NEW_THEMES, base + NEW_THEMES)
    ]
    assert rows(sample_store, "SELECT count(*), count(DISTINCT (theme_id, survey_fy)) FROM followups") == [
        (FOLLOWUPS, FOLLOWUPS)
    ]
    assert rows(
        sample_store,
        "SELECT file_name, count(*) FROM loads WHERE file_name LIKE '%_concurrent%' GROUP BY ALL ORDER BY 1",
    ) == [("followups_concurrent.csv", 1), ("themes_concurrent_2026-03-31.csv", 1)]
    final = cli("report", "--db", db, "--as-of", "2025", "--format", "json")
    assert final.returncode == 0, final.stderr
    assert json.loads(final.stdout)["exclusions"]["themes_loaded"] == base + NEW_THEMES
