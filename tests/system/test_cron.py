"""The crontab lines of docs/reference.md (the Japanese guide gives the same lines), run as cron runs them: `env -i`
with cron's PATH (/usr/bin:/bin), HOME, SHELL and LOGNAME and the crontab's own variables, `/bin/sh -c` the line
with cron's \\% unescaped — the venv's kpi by the full path the crontab names (substituted with the installed one),
`mail` a shell function recording each mail. The monthly check mails the log when anything is not 0; then the
monthly mail of what changed."""

from __future__ import annotations

import getpass
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from kit import ROOT, SAMPLE, SAMPLE_THEMES, theme, themes_csv, write

STAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d ")
MARK, END = "<!-- cron -->", "<!-- /cron -->"  # the crontab block of the guide and the reference
CRON_PATH = "/usr/bin:/bin"  # cron's own PATH (Debian's and cronie's), not the shell's
DOCUMENTS = ("docs/reference.md", "docs/guide.ja.md")


def crontab_block(document: str) -> str | None:
    """The crontab lines between the marks of a document (None when it has none)."""
    text = (ROOT / document).read_text(encoding="utf-8")
    block = re.search(rf"{re.escape(MARK)}\n```crontab\n(.*?)```\n{re.escape(END)}", text, re.S)
    return block.group(1) if block else None


@pytest.fixture(scope="module")
def crontab() -> tuple[dict[str, str], list[str]]:
    """The environment lines and the commands of the reference's crontab block, cron's \\% unescaped."""
    blocks = {document: crontab_block(document) for document in DOCUMENTS}
    missing = [document for document, block in blocks.items() if block is None]
    if missing:
        pytest.skip(f"{', '.join(missing)}: no crontab block marked {MARK} … {END} yet")
    block = blocks["docs/reference.md"]
    assert block is not None and block == blocks["docs/guide.ja.md"]  # the guide gives the reference's lines
    env, commands = {}, []
    for line in block.strip().splitlines():
        if m := re.match(r"^([A-Z_]+)=(.*)$", line):
            env[m.group(1)] = m.group(2)
        else:
            commands.append(line.split(None, 5)[5].replace("\\%", "%"))
    return env, commands


def installed_kpi() -> Path:
    """The kpi command of the environment the tests run in (a venv's bin/kpi)."""
    found = Path(sys.executable).parent / "kpi"
    assert found.exists() or shutil.which("kpi"), "kpi is not installed as a command"
    return found if found.exists() else Path(str(shutil.which("kpi")))


def mail_function(folder: Path) -> str:
    """A shell function `mail` that records each mail it is asked to send (mail.N.args, mail.N.body)."""
    return (
        f'mail() {{ n=0; while [ -e "{folder}/mail.$n.args" ]; do n=$((n+1)); done; '
        f'echo "$@" > "{folder}/mail.$n.args"; cat > "{folder}/mail.$n.body"; }}\n'
    )


def as_cron(command: str, env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """One crontab command as cron runs it: `env -i`, cron's variables and the crontab's, `/bin/sh -c`."""
    cron_env = {"PATH": CRON_PATH, "HOME": str(tmp_path), "SHELL": "/bin/sh", "LOGNAME": getpass.getuser(), **env}
    return subprocess.run(
        [
            "/usr/bin/env",
            "-i",
            *(f"{k}={v}" for k, v in cron_env.items()),
            "/bin/sh",
            "-c",
            mail_function(tmp_path) + command,
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )


def run_cron(crontab: tuple[dict[str, str], list[str]], home: Path, tmp_path: Path) -> tuple[int, str]:
    """Run the crontab's commands in order, the installed kpi as KPI and `home` as KPI_HOME; returns the first
    command's exit code and the first mail's arguments. Cron mails whatever a job prints: the lines print nothing."""
    for old in tmp_path.glob("mail.*"):
        old.unlink()
    env_lines, commands = crontab
    assert len(commands) == 2, commands
    env = {**env_lines, "KPI_HOME": str(home), "KPI": str(installed_kpi())}
    results = [as_cron(command, env, tmp_path) for command in commands]
    assert [(r.stdout, r.stderr) for r in results] == [("", "")] * 2  # nothing for cron to mail on its own
    mailed = (tmp_path / "mail.0.args").read_text(encoding="utf-8") if (tmp_path / "mail.0.args").exists() else ""
    return results[0].returncode, mailed


def mails(tmp_path: Path) -> list[tuple[str, str]]:
    """Every mail sent by the last run: (arguments, body)."""
    found = sorted(tmp_path.glob("mail.*.args"), key=lambda p: int(p.name.split(".")[1]))
    return [(a.read_text(encoding="utf-8"), a.with_suffix(".body").read_text(encoding="utf-8")) for a in found]


@pytest.fixture
def home(tmp_path: Path) -> Path:
    home = tmp_path / "srv"
    (home / "inbox").mkdir(parents=True)
    return home


def test_the_lines_name_the_venvs_kpi_by_its_full_path(crontab: tuple[dict[str, str], list[str]]) -> None:
    env, commands = crontab
    assert env["KPI"].startswith("/") and env["KPI"].endswith("/.venv/bin/kpi")
    bare = re.compile(r"(^|[;&|{(]\s*)kpi\s")  # kpi where the shell would look it up on cron's PATH
    assert all('"$KPI" ' in command and not bare.search(command) for command in commands)
    assert env.get("CRON_TZ") == env.get("TZ") == "Asia/Tokyo"  # the month's dates and times in Japan's time


def test_kpi_by_name_is_not_found_on_crons_path(
    crontab: tuple[dict[str, str], list[str]], home: Path, tmp_path: Path
) -> None:
    """The failure the full path prevents (「kpi: not found」, exit 127), under the same environment."""
    if any((Path(d) / "kpi").exists() for d in CRON_PATH.split(":")):
        pytest.skip("kpi is installed in /usr/bin or /bin: a bare kpi is found on cron's PATH here")
    result = as_cron('cd "$KPI_HOME" && kpi check', {"KPI_HOME": str(home)}, tmp_path)
    assert result.returncode == 127 and "kpi" in result.stderr and "not found" in result.stderr  # dash, bash alike


def test_crontab_line_mails_when_a_kpi_misses_its_target(crontab, home: Path, tmp_path: Path) -> None:
    for source in (SAMPLE / "programme.toml", SAMPLE_THEMES, SAMPLE / "budget.csv"):
        shutil.copy(source, home / "inbox" / source.name)
    code, mailed = run_cron(crontab, home, tmp_path)
    assert code == 0  # the mail went out
    assert mailed.startswith("-s kpi: exit 1 ")  # the sample data is below the 80% short-term target
    body = (tmp_path / "mail.0.body").read_text(encoding="utf-8")
    assert "未達" in body and "短期" in body  # kpi check's lines, in Japanese as kpi speaks by default
    assert len(mails(tmp_path)) == 1  # one list only: no changes to mail yet
    month_dirs = list((home / "exports").iterdir())
    assert len(month_dirs) == 1 and (month_dirs[0] / "outcome_kpis.csv").exists()
    assert (home / "kpi.duckdb").exists()


@pytest.mark.slow  # (a real cron-like run: 3 s; the default run keeps the one that mails, CI's slow step both)
def test_crontab_line_is_silent_when_every_target_is_met(crontab, home: Path, tmp_path: Path) -> None:
    shutil.copy(SAMPLE / "programme.toml", home / "inbox" / "programme.toml")
    write(
        home / "inbox" / "themes.csv",
        themes_csv([theme(f"A{i}", end_fy=2023) for i in range(4)] + [theme("N1", end_fy=2023, status="目標未達")]),
    )
    code, mailed = run_cron(crontab, home, tmp_path)
    assert (code, mailed) == (0, "")
    first = (home / "kpi.log").read_text(encoding="utf-8")
    code, mailed = run_cron(
        crontab, home, tmp_path
    )  # next month, same files: still fine (exports replaced with --force)
    assert (code, mailed) == (0, "")
    log = (home / "kpi.log").read_text(encoding="utf-8")
    assert log.startswith(first) and len(log) == 2 * len(first)  # appended, never overwritten
    messages = [line for line in log.splitlines() if "outcome_kpis.csv" in line]
    assert len(messages) == 2 and all(STAMP.match(line) for line in messages)  # kpi's messages carry the time
    assert (home / "last-run.log").read_text(encoding="utf-8").count("outcome_kpis.csv") == 1


@pytest.mark.slow  # a real cron-like run of several processes (the default run keeps two)
def test_crontab_line_mails_a_rejected_file(crontab, home: Path, tmp_path: Path) -> None:
    shutil.copy(SAMPLE / "programme.toml", home / "inbox" / "programme.toml")
    write(home / "inbox" / "themes.csv", themes_csv([theme("A1", item=9)]))
    _, mailed = run_cron(crontab, home, tmp_path)
    assert mailed.startswith("-s kpi: exit 3 ")
    body = (tmp_path / "mail.0.body").read_text(encoding="utf-8")
    assert "研究開発項目: 1、2、3" in body
    _, mailed = run_cron(crontab, home, tmp_path)  # the next month fails again: the mail holds that run only
    assert (tmp_path / "mail.0.body").read_text(encoding="utf-8").count("研究開発項目: 1、2、3") == 1
    assert (home / "kpi.log").read_text(encoding="utf-8").count("研究開発項目: 1、2、3") == 2
    assert not (home / "exports").exists()
    assert os.path.exists(home / "inbox" / "themes.csv")


@pytest.mark.slow  # a real cron-like run of several processes (the default run keeps two)
def test_the_second_line_mails_what_changed_once_there_are_two_lists(crontab, home: Path, tmp_path: Path) -> None:
    shutil.copy(SAMPLE / "programme.toml", home / "inbox" / "programme.toml")
    rows = [theme(f"A{i}", end_fy=2023) for i in range(4)] + [theme("N1", end_fy=2023, status="目標未達")]
    write(home / "inbox" / "themes_2026-03-31.csv", themes_csv([*rows, theme("W1", end_fy=2026, status="計画通り")]))
    run_cron(crontab, home, tmp_path)
    assert mails(tmp_path) == []  # every target met and nothing to compare yet: silent
    write(home / "inbox" / "themes_2026-04-30.csv", themes_csv([*rows, theme("W1", end_fy=2026, status="遅延")]))
    run_cron(crontab, home, tmp_path)
    [(subject, body)] = mails(tmp_path)
    assert subject.startswith("-s kpi: 今月の変化")
    assert "## 結果/状況が変わったテーマ（1）" in body and "| W1 " in body and "計画通り" in body and "遅延" in body
