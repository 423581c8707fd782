"""A full disk: a load, an export, a chart and an HTML report that run out of space exit 74 naming the file
and saying what was kept; the database still opens and holds all of the load or none of it; no half-written
output file is left under its final name (nor a temporary one).

The disk fills by a file-size limit (RLIMIT_FSIZE, with SIGXFSZ ignored: writes past it fail with EFBIG,
as they fail with ENOSPC on a full disk): set before the command starts, or set on the running load while
it is paused at a phase (tests/faultkit.py), so that the write that fails is the one the test names.
"""

from __future__ import annotations

import resource
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from faultkit import BigLoad, Spy, big_themes_file, kpi_env, table_checksums
from kit import SAMPLE_THEMES, cli, write

FULL = " に書き込めません: ディスクの空きがありません（またはファイルの大きさの上限に達しました）。"
NOTHING = "何も書き込んでいません"
COMMITTED = "読み込みは確定済みです: データは保存されています"


def ignore_sigxfsz() -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG) instead of killing


def file_size_limit(limit: int) -> Callable[[], None]:
    def limited() -> None:
        ignore_sigxfsz()
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return limited


def run_limited(limit: int, *args: str) -> subprocess.CompletedProcess[str]:
    """`python -m kpi ARGS` whose files may not grow past `limit` bytes (stdout and stderr are pipes)."""
    return subprocess.run(
        [sys.executable, "-m", "kpi", *args],
        capture_output=True,
        text=True,
        env=kpi_env(),
        preexec_fn=file_size_limit(limit),
        timeout=300,
    )


def one_line(stderr: str, path: Path, kept: str) -> None:
    assert "Traceback" not in stderr, stderr
    assert stderr.splitlines() == [f"kpi: {path}{FULL}{kept}。空きを作ってからもう一度実行してください"], stderr


@pytest.mark.parametrize(
    ("pause_at", "fails", "expected"),
    [
        pytest.param(
            "before COMMIT", [".wal"], "before", id="writing-the-log-at-commit", marks=pytest.mark.slow
        ),  # (CI's slow step; the default run keeps the phase after the commit)
        pytest.param("after COMMIT", ["", ".wal"], "after", id="checkpointing-after-the-commit"),
    ],
)
def test_a_load_that_fills_the_disk_at_a_phase_exits_74_and_keeps_all_or_nothing(
    big_load: BigLoad, tmp_path: Path, pause_at: str, fails: list[str], expected: str
) -> None:
    db = big_load.copy(tmp_path / "kpi.duckdb")
    with Spy("load", "--db", str(db), str(big_load.source), pause_at=pause_at, preexec_fn=ignore_sigxfsz) as spy:
        spy.wait_for("paused")
        resource.prlimit(spy.pid, resource.RLIMIT_FSIZE, (0, 0))  # from here on, no file may grow: the disk is full
        spy.resume()
        returncode = spy.finish()
    assert returncode == 74, spy.stderr()
    # (the checkpoint writes the database file and marks the log: either may be the one that fails)
    named = [Path(f"{db}{suffix}") for suffix in fails if f"kpi: {db}{suffix} " in spy.stderr()]
    assert named, spy.stderr()
    one_line(spy.stderr(), named[0], COMMITTED if expected == "after" else NOTHING)
    assert big_load.state(db) == expected
    again = cli("load", "--db", str(db), str(big_load.source))  # with space again, it completes
    assert again.returncode == 0, again.stderr
    assert big_load.state(db, command=False) == "after"


@pytest.fixture(scope="module")
def huge_themes(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """200,000 new themes: a load DuckDB writes into the database file itself before its COMMIT."""
    return big_themes_file(tmp_path_factory.mktemp("huge") / "themes_huge.csv", 200_000, 0)


def test_a_load_with_2_mb_left_on_the_disk_exits_74_and_writes_nothing(sample_store: Path, huge_themes: Path) -> None:
    """The issue's case: a file-size limit 2 MB above the database's size, reached inside the transaction."""
    before, size = table_checksums(sample_store), sample_store.stat().st_size
    result = run_limited(size + 2_000_000, "load", "--db", str(sample_store), str(huge_themes))
    assert result.returncode == 74, result.stderr
    one_line(result.stderr, sample_store, NOTHING)
    assert table_checksums(sample_store) == before
    report = cli("report", "--db", str(sample_store), "--as-of", "2025")
    assert report.returncode == 0, report.stderr


def test_a_first_load_that_fills_the_disk_leaves_no_file(big_load: BigLoad, tmp_path: Path) -> None:
    db = tmp_path / "new.duckdb"
    for limit in (0, 4096, 65536):  # the header, the first blocks, the log
        result = run_limited(limit, "load", "--db", str(db), str(big_load.source))
        assert result.returncode == 74, result.stderr
        assert FULL in result.stderr and NOTHING in result.stderr and "Traceback" not in result.stderr
        assert not db.exists() and not db.with_name(db.name + ".wal").exists(), limit
    report = cli("report", "--db", str(db))
    assert report.returncode == 3 and "にデータベースがありません" in report.stderr


def test_a_full_disk_with_the_log_on_it_still_exits_74(sample_store: Path, tmp_path: Path) -> None:
    """cron's `kpi load … > kpi.log 2>&1` on the full disk: the message cannot be written, the exit code tells."""
    # a correction the load would store (a one-theme list would be refused as another programme's before any write)
    corrected = SAMPLE_THEMES.read_text(encoding="utf-8-sig").replace("目標達成", "目標未達", 1)
    source = write(tmp_path / SAMPLE_THEMES.name, corrected)
    before = table_checksums(sample_store)
    log = tmp_path / "kpi.log"
    with log.open("wb") as stderr:
        result = subprocess.run(
            [sys.executable, "-m", "kpi", "load", "--db", str(sample_store), str(source)],
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            env=kpi_env(),
            preexec_fn=file_size_limit(0),
            timeout=120,
        )
    assert result.returncode == 74
    assert log.stat().st_size == 0
    assert table_checksums(sample_store) == before


def folder(path: Path) -> dict[str, bytes]:
    """Every file in a folder, hidden (temporary) ones included."""
    return {p.name: p.read_bytes() for p in sorted(path.iterdir())} if path.exists() else {}


def test_an_export_that_fills_the_disk_exits_74_and_leaves_the_folder_as_it_was(
    sample_store: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    assert cli("export", "--db", str(sample_store), "--as-of", "2024", "--out", str(out)).returncode == 0
    old = folder(out)
    largest = max(len(data) for data in old.values())
    result = run_limited(
        largest // 2, "export", "--db", str(sample_store), "--as-of", "2025", "--out", str(out), "--force"
    )
    assert result.returncode == 74, result.stderr
    assert FULL in result.stderr and NOTHING in result.stderr and "Traceback" not in result.stderr
    assert str(out) in result.stderr  # it names the file it could not write
    assert folder(out) == old  # the earlier export, whole: no new file, no half file, no temporary file
    fresh = tmp_path / "fresh"
    result = run_limited(largest // 2, "export", "--db", str(sample_store), "--as-of", "2025", "--out", str(fresh))
    assert result.returncode == 74, result.stderr
    assert not fresh.exists()  # the folder it would have created is not left behind, empty


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["chart", "short_term", "--out", "{out}/short_term.png"], id="chart"),
        pytest.param(  # (the default run keeps the chart; the slow step the page too)
            ["report", "--format", "html", "--out", "{out}/report.html"], id="html-report", marks=pytest.mark.slow
        ),
    ],
)
def test_a_chart_or_page_that_fills_the_disk_exits_74_and_leaves_no_file(
    sample_store: Path, tmp_path: Path, args: list[str]
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    command = [a.format(out=out) for a in args]
    result = run_limited(2048, *command, "--db", str(sample_store), "--as-of", "2025")
    assert result.returncode == 74, result.stderr
    one_line(result.stderr, Path(command[-1]), NOTHING)
    assert folder(out) == {}
