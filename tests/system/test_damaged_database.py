"""A damaged or wrong database: every command says what is wrong with the file and what to do, exits with
its documented code (65 for a damaged file, 2 for --db naming a folder), never prints a traceback, and never
changes a byte of the file (nor leaves a write-ahead log beside it).

A damaged file is opened by a process of its own (what DuckDB makes of it stays there); the default run tries each
damage with one command, `-m slow` with every command (tests/matrix.py)."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from faultkit import copy_db, rows
from kit import cli, cli_en, run_kpi, run_kpi_en, theme, themes_csv, write
from matrix import one_per_moment

HEADER = 3 * 4096  # a DuckDB file's headers; its blocks follow, 256 KiB each
BLOCK = 262144


def cut_short_by_half(db: Path) -> None:
    """A copy interrupted halfway: the header is there, half of the blocks are not."""
    os.truncate(db, db.stat().st_size // 2)


def cut_short_in_the_first_block(db: Path) -> None:
    """A copy interrupted early: the first block (the catalogue) is cut."""
    os.truncate(db, 100_000)


def garble(db: Path, offset: int, length: int = 4096) -> None:
    data = bytearray(db.read_bytes())
    data[offset : offset + length] = bytes((b ^ 0x5A) for b in data[offset : offset + length])
    db.write_bytes(bytes(data))


def damaged_catalogue_block(db: Path) -> None:
    """Bad bytes in the first block (DuckDB's catalogue): noticed on opening."""
    garble(db, HEADER + 512)


def damaged_themes_block(db: Path) -> None:
    """Bad bytes in the block holding the themes (found by DuckDB's own storage info): noticed on reading them."""
    block = rows(db, "SELECT max(block_id) FROM pragma_storage_info('theme_rows') WHERE block_id >= 0")[0][0]
    garble(db, HEADER + block * BLOCK + 512)


DAMAGE: dict[str, tuple[Callable[[Path], None], str]] = {
    "cut-short-by-half": (cut_short_by_half, "は途中で切れています"),
    "cut-short-in-the-first-block": (cut_short_in_the_first_block, "は途中で切れています"),
    "damaged-catalogue-block": (damaged_catalogue_block, "の一部が壊れています"),
    "damaged-themes-block": (damaged_themes_block, "の一部が壊れています"),
}
ADVICE = "ファイルは変更していません。バックアップから戻すか、元のデータを新しい --db に読み込み直してください"


def commands(tmp_path: Path) -> dict[str, list[str]]:
    new = write(tmp_path / "themes_new.csv", themes_csv([theme("NEW-1")]))
    return {
        "report": ["report", "--as-of", "2025"],
        "check": ["check", "--as-of", "2025"],
        "export": ["export", "--as-of", "2025", "--out", str(tmp_path / "out")],
        "load": ["load", str(new)],
    }


def fingerprint(path: Path) -> tuple[str, bool]:
    """The file's bytes (a digest), and whether a write-ahead log lies beside it."""
    return hashlib.sha256(path.read_bytes()).hexdigest(), path.with_name(path.name + ".wal").exists()


@pytest.mark.parametrize(("damage", "command"), one_per_moment(list(DAMAGE), ["report", "check", "export", "load"]))
def test_a_damaged_database_is_refused_with_exit_65_and_left_as_it_is(
    _sample_db: Path, tmp_path: Path, damage: str, command: str
) -> None:
    db = copy_db(_sample_db, tmp_path / "kpi.duckdb")
    spoil, words = DAMAGE[damage]
    spoil(db)
    before = fingerprint(db)
    result = run_kpi(*commands(tmp_path)[command], "--db", str(db))
    assert result.returncode == 65, result.stderr
    assert "Traceback" not in result.stderr
    [line] = result.stderr.splitlines()
    assert line.startswith(f"kpi: データベース {db} {words}") and line.endswith(ADVICE), line
    assert fingerprint(db) == before
    assert not (tmp_path / "out").exists()


def test_the_damage_is_explained_in_english_too(_sample_db: Path, tmp_path: Path) -> None:
    db = copy_db(_sample_db, tmp_path / "kpi.duckdb")
    cut_short_by_half(db)
    result = run_kpi_en("report", "--db", str(db))
    assert result.returncode == 65
    assert (
        result.stderr.startswith(f"kpi: database {db} is cut short: a copy was interrupted")
        and "restore it from a backup" in result.stderr
    )


@pytest.mark.parametrize("command", ["report", "check", "export", "load"])
def test_a_folder_given_as_the_database_is_a_usage_error(tmp_path: Path, command: str) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "notes.txt").write_text("keep me", encoding="utf-8")
    result = cli(*commands(tmp_path)[command], "--db", str(folder))
    assert result.returncode == 2, result.stderr
    assert result.stderr.splitlines() == [
        f"kpi: --db {folder} はフォルダです。データベースファイルを指定してください（例: --db {folder / 'kpi.duckdb'}）"
    ]
    assert sorted(p.name for p in folder.iterdir()) == ["notes.txt"]
    english = cli_en(*commands(tmp_path)[command], env={"KPI_DB": str(folder)})
    assert english.returncode == 2 and "is a folder; point --db (or $KPI_DB) at a database file" in english.stderr
