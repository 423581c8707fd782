"""The crontab lines of docs/reference.md (and of the Japanese guide), run as cron would run them (sh -c, their own environment), on real files: the
monthly check that mails the log when anything is not 0, then the monthly mail of what changed."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from kit import ROOT, SAMPLE, SAMPLE_THEMES, theme, themes_csv, write

STAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d ")


def crontab_block(document: str) -> str:
    text = (ROOT / document).read_text(encoding="utf-8")
    block = re.search(r"<!-- crontab -->\n```crontab\n(.*?)```\n<!-- /crontab -->", text, re.S)
    assert block, f"{document} has no crontab block"
    return block.group(1)


def test_the_guide_gives_the_references_crontab_lines() -> None:
    assert crontab_block("docs/guide.ja.md") == crontab_block("docs/reference.md")


def crontab() -> tuple[dict[str, str], list[str]]:
    """The environment lines and the commands of the reference's crontab block (the Japanese guide gives the same
    lines), with cron's \\% unescaped."""
    block = re.search(r"(.*)", crontab_block("docs/reference.md"), re.S)
    assert block
    env, commands = {}, []
    for line in block.group(1).strip().splitlines():
        if m := re.match(r"^([A-Z_]+)=(.*)$", line):
            env[m.group(1)] = m.group(2)
        else:
            commands.append(line.split(None, 5)[5].replace("\\%", "%"))
    return env, commands


def run_cron(home: Path, tmp_path: Path) -> tuple[int, str]:
    """Run the crontab's commands in order, with kpi on PATH and a `mail` that records each mail it is asked to
    send (mail.N.args, mail.N.body); returns the first command's exit code and the first mail's arguments."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    for old in tmp_path.glob("mail.*"):
        old.unlink()
    mail = bin_dir / "mail"
    mail.write_text(
        f'#!/bin/sh\nn=$(ls "{tmp_path}" | grep -c "^mail\\..*\\.args$")\n'
        f'echo "$@" > "{tmp_path}/mail.$n.args"\ncat > "{tmp_path}/mail.$n.body"\n',
        encoding="utf-8",
    )
    mail.chmod(0o755)
    kpi_bin = Path(sys.executable).parent
    assert (kpi_bin / "kpi").exists() or shutil.which("kpi"), "kpi is not installed as a command"
    env_lines, commands = crontab()
    assert len(commands) == 2, commands
    env = {"PATH": f"{bin_dir}:{kpi_bin}:/usr/bin:/bin", "HOME": str(tmp_path), "SHELL": "/bin/sh", **env_lines}
    env["KPI_HOME"] = str(home)
    codes = [
        subprocess.run(["/bin/sh", "-c", command], env=env, capture_output=True, text=True, timeout=300).returncode
        for command in commands
    ]
    mailed = (tmp_path / "mail.0.args").read_text(encoding="utf-8") if (tmp_path / "mail.0.args").exists() else ""
    return codes[0], mailed


def mails(tmp_path: Path) -> list[tuple[str, str]]:
    """Every mail sent by the last run: (arguments, body)."""
    found = sorted(tmp_path.glob("mail.*.args"), key=lambda p: int(p.name.split(".")[1]))
    return [(a.read_text(encoding="utf-8"), a.with_suffix(".body").read_text(encoding="utf-8")) for a in found]


@pytest.fixture
def home(tmp_path: Path) -> Path:
    home = tmp_path / "srv"
    (home / "inbox").mkdir(parents=True)
    return home


def test_crontab_line_mails_when_a_kpi_misses_its_target(home: Path, tmp_path: Path) -> None:
    for source in (SAMPLE / "programme.toml", SAMPLE_THEMES, SAMPLE / "budget.csv"):
        shutil.copy(source, home / "inbox" / source.name)
    code, mailed = run_cron(home, tmp_path)
    assert code == 0  # the mail went out
    assert mailed.startswith("-s kpi: exit 1 ")  # the sample data is below the 80% short-term target
    assert "未達" in (tmp_path / "mail.0.body").read_text(encoding="utf-8")
    assert len(mails(tmp_path)) == 1  # one list only: no changes to mail yet
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
    body = (tmp_path / "mail.0.body").read_text(encoding="utf-8")
    assert "研究開発項目: 1、2、3" in body
    _, mailed = run_cron(home, tmp_path)  # the next month fails again: the mail holds that run only
    assert (tmp_path / "mail.0.body").read_text(encoding="utf-8").count("研究開発項目: 1、2、3") == 1
    assert (home / "kpi.log").read_text(encoding="utf-8").count("研究開発項目: 1、2、3") == 2
    assert not (home / "exports").exists()
    assert os.path.exists(home / "inbox" / "themes.csv")


def test_the_second_line_mails_what_changed_once_there_are_two_lists(home: Path, tmp_path: Path) -> None:
    shutil.copy(SAMPLE / "programme.toml", home / "inbox" / "programme.toml")
    rows = [theme(f"A{i}", end_fy=2023) for i in range(4)] + [theme("N1", end_fy=2023, status="目標未達")]
    write(home / "inbox" / "themes_2026-03-31.csv", themes_csv([*rows, theme("W1", end_fy=2026, status="計画通り")]))
    run_cron(home, tmp_path)
    assert mails(tmp_path) == []  # every target met and nothing to compare yet: silent
    write(home / "inbox" / "themes_2026-04-30.csv", themes_csv([*rows, theme("W1", end_fy=2026, status="遅延")]))
    run_cron(home, tmp_path)
    [(subject, body)] = mails(tmp_path)
    assert subject.startswith("-s kpi: 今月の変化")
    assert "## 結果/状況が変わったテーマ（1）" in body and "| W1 " in body and "計画通り" in body and "遅延" in body
