"""The README's crontab line, run as cron would run it (sh -c, its own environment), on real files."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from kit import ROOT, SAMPLE, theme, themes_csv, write

STAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d ")


def crontab() -> tuple[dict[str, str], str]:
    """The environment lines and the command of the README's crontab block, with cron's \\% unescaped."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- crontab -->\n```crontab\n(.*?)```\n<!-- /crontab -->", readme, re.S)
    assert block, "README has no crontab block"
    env, command = {}, ""
    for line in block.group(1).strip().splitlines():
        if m := re.match(r"^([A-Z_]+)=(.*)$", line):
            env[m.group(1)] = m.group(2)
        else:
            fields = line.split(None, 5)
            command = fields[5].replace("\\%", "%")
    return env, command


def run_cron(home: Path, tmp_path: Path) -> tuple[int, str]:
    """Run the crontab command with kpi on PATH and a `mail` that records what it was asked to send."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    mail = bin_dir / "mail"
    mail.write_text(f'#!/bin/sh\necho "$@" > "{tmp_path}/mail.args"\ncat > "{tmp_path}/mail.body"\n', encoding="utf-8")
    mail.chmod(0o755)
    kpi_bin = Path(sys.executable).parent
    assert (kpi_bin / "kpi").exists() or shutil.which("kpi"), "kpi is not installed as a command"
    env_lines, command = crontab()
    env = {"PATH": f"{bin_dir}:{kpi_bin}:/usr/bin:/bin", "HOME": str(tmp_path), "SHELL": "/bin/sh", **env_lines}
    env["KPI_HOME"] = str(home)
    result = subprocess.run(["/bin/sh", "-c", command], env=env, capture_output=True, text=True, timeout=300)
    mailed = (tmp_path / "mail.args").read_text(encoding="utf-8") if (tmp_path / "mail.args").exists() else ""
    return result.returncode, mailed


@pytest.fixture
def home(tmp_path: Path) -> Path:
    home = tmp_path / "srv"
    (home / "inbox").mkdir(parents=True)
    return home


def test_crontab_line_mails_when_a_kpi_misses_its_target(home: Path, tmp_path: Path) -> None:
    for name in ("programme.toml", "themes.csv", "budget.csv"):
        shutil.copy(SAMPLE / name, home / "inbox" / name)
    code, mailed = run_cron(home, tmp_path)
    assert code == 0  # the mail went out
    assert mailed.startswith("-s kpi: exit 1 ")  # the sample data is below the 80% short-term target
    assert "未達" in (tmp_path / "mail.body").read_text(encoding="utf-8")
    month_dirs = list((home / "exports").iterdir())
    assert len(month_dirs) == 1 and (month_dirs[0] / "outcome_kpis.csv").exists()
    assert (home / "kpi.duckdb").exists()


def test_crontab_line_is_silent_when_every_target_is_met(home: Path, tmp_path: Path) -> None:
    shutil.copy(SAMPLE / "programme.toml", home / "inbox" / "programme.toml")
    write(
        home / "inbox" / "themes.csv",
        themes_csv([theme(f"A{i}", end_fy=2023) for i in range(4)] + [theme("N1", end_fy=2023, status="目標未達")]),
    )
    code, mailed = run_cron(home, tmp_path)
    assert (code, mailed) == (0, "")
    first = (home / "kpi.log").read_text(encoding="utf-8")
    code, mailed = run_cron(home, tmp_path)  # next month, same files: still fine (exports replaced with --force)
    assert (code, mailed) == (0, "")
    log = (home / "kpi.log").read_text(encoding="utf-8")
    assert log.startswith(first) and len(log) == 2 * len(first)  # appended, never overwritten
    messages = [line for line in log.splitlines() if "outcome_kpis.csv" in line]
    assert len(messages) == 2 and all(STAMP.match(line) for line in messages)  # kpi's messages carry the time
    assert (home / "last-run.log").read_text(encoding="utf-8").count("outcome_kpis.csv") == 1


def test_crontab_line_mails_a_rejected_file(home: Path, tmp_path: Path) -> None:
    shutil.copy(SAMPLE / "programme.toml", home / "inbox" / "programme.toml")
    write(home / "inbox" / "themes.csv", themes_csv([theme("A1", item=9)]))
    _, mailed = run_cron(home, tmp_path)
    assert mailed.startswith("-s kpi: exit 3 ")
    body = (tmp_path / "mail.body").read_text(encoding="utf-8")
    assert "研究開発項目: 1、2、3" in body
    _, mailed = run_cron(home, tmp_path)  # the next month fails again: the mail holds that run only
    assert (tmp_path / "mail.body").read_text(encoding="utf-8").count("研究開発項目: 1、2、3") == 1
    assert (home / "kpi.log").read_text(encoding="utf-8").count("研究開発項目: 1、2、3") == 2
    assert not (home / "exports").exists()
    assert os.path.exists(home / "inbox" / "themes.csv")
