"""Progress of a long `kpi load`: on a terminal's stderr only; never into a pipe or a file, nor with --quiet."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest
from kit import THEMES_HEADER

ROWS = 400_000  # a load of a few seconds: longer than the second before progress shows
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def big_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("progress") / "themes_2026-03-31.csv"
    statuses = ["目標達成", "計画通り", "遅延", "目標未達"]
    with path.open("w", encoding="utf-8") as f:
        f.write(THEMES_HEADER + "\n")
        for i in range(ROWS):
            f.write(f"T{i:07d},{i % 3 + 1},委託,a{i % 9},某社,テーマ{i},,{2020 + i % 6},{statuses[i % 4]}\n")
    return path


def run_on_terminal(*args: str) -> tuple[int, str]:
    """Run `kpi` with stderr on a pseudo-terminal; its exit code and what the terminal showed."""
    leader, follower = pty.openpty()
    env = {k: v for k, v in os.environ.items() if not k.startswith("KPI_")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "kpi", *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=follower,
        env=env,
    )
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closed with the process
            break
        if not chunk:
            break
        shown += chunk
    os.close(leader)
    return proc.wait(timeout=300), shown.decode("utf-8", errors="replace")


def test_a_long_load_on_a_terminal_shows_its_progress_then_its_table(big_file: Path, tmp_path: Path) -> None:
    code, shown = run_on_terminal("load", "--db", str(tmp_path / "kpi.duckdb"), str(big_file))
    assert code == 0, shown
    assert "ファイルを読み込んでいます" in shown or "全行を検査しています" in shown, shown
    assert "400000" in shown.replace(",", "")  # the load table follows


def test_quiet_shows_nothing_on_a_terminal(big_file: Path, tmp_path: Path) -> None:
    code, shown = run_on_terminal("load", "-q", "--db", str(tmp_path / "kpi.duckdb"), str(big_file))
    assert (code, shown) == (0, "")


def test_a_pipe_gets_no_progress(big_file: Path, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KPI_")}
    result = subprocess.run(
        [sys.executable, "-m", "kpi", "load", "--db", str(tmp_path / "kpi.duckdb"), str(big_file)],
        capture_output=True,
        text=True,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    assert "読み込んでいます" not in result.stderr and "\x1b[" not in result.stderr
