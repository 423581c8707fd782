"""Shared fixtures: real DuckDB files, real CSV files, the real CLI in a subprocess."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data"
THEMES_HEADER = "theme_id,item,funding,element,organizations,title,start_fy,end_fy,status"


def run_kpi(
    *args: str, env: dict[str, str] | None = None, cwd: Path | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run `python -m kpi ARGS` in a real subprocess; text output."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("KPI_")}
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "kpi", *args], capture_output=True, text=True, env=full_env, cwd=cwd, timeout=timeout
    )


@pytest.fixture
def kpi() -> Callable[..., subprocess.CompletedProcess[str]]:
    """The CLI as a subprocess runner."""
    return run_kpi


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A path for a new database file (not yet created)."""
    return tmp_path / "kpi.duckdb"


@pytest.fixture(scope="session")
def _sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sample") / "sample.duckdb"
    result = run_kpi("load", "--db", str(path), str(SAMPLE))
    assert result.returncode == 0, result.stderr
    return path


@pytest.fixture
def sample_store(_sample_db: Path, tmp_path: Path) -> Path:
    """A database file loaded with sample_data/ (a private copy per test)."""
    path = tmp_path / "sample.duckdb"
    shutil.copy(_sample_db, path)
    return path


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    """Write a text file in a given encoding (newlines as given)."""
    path.write_bytes(text.encode(encoding))
    return path


def themes_csv(rows: list[str], header: str = THEMES_HEADER) -> str:
    """A themes file in the canonical English header."""
    return header + "\n" + "\n".join(rows) + "\n"


def theme(
    theme_id: str,
    item: int = 1,
    end_fy: int | str = 2023,
    status: str = "目標達成",
    start_fy: int | str = "",
    element: str = "a1",
) -> str:
    """One themes row with sensible defaults."""
    return f"{theme_id},{item},委託,{element},某社,テーマ{theme_id},{start_fy},{end_fy},{status}"


@pytest.fixture
def load(tmp_path: Path) -> Iterator[Callable[..., Path]]:
    """Load files (given as name → text) into a database with the library; returns the database path."""

    def _load(files: dict[str, str], db_path: Path | None = None) -> Path:
        from kpi import ingest, store

        path = db_path or tmp_path / "lib.duckdb"
        folder = tmp_path / f"in{len(list(tmp_path.glob('in*')))}"
        folder.mkdir()
        paths = [write(folder / name, text) for name, text in files.items()]
        batch = ingest.read_files(paths)
        with store.open_for_write(path, wait=5) as con:
            ingest.load_files(con, batch)
        return path

    yield _load
