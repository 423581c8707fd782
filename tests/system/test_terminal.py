"""On a terminal, tables fit its width: long titles and organisations are shortened with …, never the numbers;
piped or written to a file, every character is kept. `kpi stagegate` sums up the themes without a review in one
row unless --all is given."""

from __future__ import annotations

import fcntl
import os
import pty
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest
from kit import ROOT
from wcwidth import wcswidth

THEME_ROW = ("T1-", "T2-", "T3-", "----------")  # the lines of theme tables: a theme, or the rule under the header


def on_a_terminal(*args: str, columns: int, lang: str = "ja") -> str:
    """What kpi shows on a terminal `columns` wide (a pseudo-terminal, as a person's window)."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    env.update(KPI_LANG=lang, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen(
        [sys.executable, "-m", "kpi", *args], stdout=follower, stderr=subprocess.DEVNULL, env=env, close_fds=True
    )
    os.close(follower)
    shown = b""
    try:
        while chunk := _read(leader):
            shown += chunk
    finally:
        os.close(leader)
    assert proc.wait(timeout=60) == 0
    return shown.decode("utf-8").replace("\r\n", "\n")


def _read(fd: int) -> bytes:
    try:
        return os.read(fd, 65536)
    except OSError:  # the terminal closed: the command has ended
        return b""


@pytest.mark.parametrize(("columns", "lang"), [(100, "ja"), (80, "en")])
def test_theme_tables_fit_the_terminal_and_keep_their_numbers(kpi, sample_store: Path, columns: int, lang: str) -> None:
    shown = on_a_terminal("report", "--db", str(sample_store), "--as-of", "2025", columns=columns, lang=lang)
    rows = [line for line in shown.splitlines() if line.startswith(THEME_ROW)]
    assert len(rows) > 40
    assert max(wcswidth(line) for line in rows) <= columns
    assert any("…" in line for line in rows)
    t1007 = next(line for line in rows if line.startswith("T1-007"))
    assert t1007.split()[-2:] == ["2025", "遅延" if lang == "ja" else "delayed"]  # the end year and status whole
    piped = kpi("report", "--db", str(sample_store), "--as-of", "2025").stdout
    assert "バス型海底ケーブルネットワーク" in piped and "…" not in "".join(
        line for line in piped.splitlines() if line.startswith("T1-")
    )


def test_stagegate_sums_up_the_themes_without_a_review(kpi, kpi_en, sample_store: Path) -> None:
    assert kpi("load", "--db", str(sample_store), str(ROOT / "sample_data" / "illustrative")).returncode == 0
    csv = kpi("stagegate", "--db", str(sample_store), "--format", "csv").stdout
    unreviewed = csv.count("審査記録なし")  # a file always holds every theme
    assert 0 < unreviewed < 144
    shown = kpi("stagegate", "--db", str(sample_store)).stdout
    assert shown.count("審査記録なし") == 1 and f"審査記録なし {unreviewed}件" in shown
    assert "kpi stagegate --all" in shown
    every = kpi("stagegate", "--db", str(sample_store), "--all").stdout
    assert every.count("審査記録なし") == unreviewed
    assert f"not reviewed: {unreviewed} themes" in kpi_en("stagegate", "--db", str(sample_store)).stdout


def test_stagegate_fits_the_terminal(sample_store: Path) -> None:
    shown = on_a_terminal("stagegate", "--db", str(sample_store), "--all", columns=80)
    assert max(wcswidth(line) for line in shown.splitlines() if line.startswith(THEME_ROW)) <= 80
