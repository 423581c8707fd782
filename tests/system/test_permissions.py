"""A database or an input the user may not read or write: a message in the catalogue with what to check, exit 77
for the database (73 for an output, 3 for an input), never a traceback or click's English.

As root every file is readable, so the commands then run as the user `nobody` (setpriv); as any other user the
files' modes are enough."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from kit import ROOT

NOBODY = 65534


def as_a_user(*args: str, lang: str = "ja") -> subprocess.CompletedProcess[str]:
    """kpi as a user who is neither the files' owner nor root."""
    env = {**os.environ, "KPI_LANG": lang, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "kpi", *args]
    if os.geteuid() == 0:
        if shutil.which("setpriv") is None:
            pytest.skip("running as root without setpriv: no user to run as")
        reachable(Path(sys.prefix))  # CI's virtual environment lives in a folder made by mktemp -d (0700)
        command = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", *command]
    return subprocess.run(command, capture_output=True, text=True, env=env, cwd="/", check=False)


def reachable(folder: Path) -> None:
    """Let any user enter a folder and its parents (the test's own folders and interpreter, run as root)."""
    for parent in (folder, *folder.parents):
        mode = parent.stat().st_mode
        if mode & 0o005 != 0o005:
            parent.chmod(mode | 0o005)


@pytest.fixture
def open_folder(tmp_path: Path) -> Path:
    """A folder anyone may enter and write in (the test's own files are made unreadable inside it)."""
    folder = tmp_path / "shared"
    folder.mkdir()
    if os.geteuid() == 0:
        reachable(folder)
    folder.chmod(0o777)
    return folder


def test_a_database_the_user_may_not_read_is_refused_with_exit_77(sample_store: Path, open_folder: Path) -> None:
    db = open_folder / "kpi.duckdb"
    shutil.copy(sample_store, db)
    db.chmod(0o600)
    ja = as_a_user("report", "--db", str(db))
    assert ja.returncode == 77, ja.stderr
    assert f"データベース {db} を開けないか書き込めません" in ja.stderr and "権限を確かめてください" in ja.stderr
    en = as_a_user("check", "--db", str(db), lang="en")
    assert en.returncode == 77 and f"cannot open or write database {db}" in en.stderr
    assert "Traceback" not in ja.stderr + en.stderr and "is not readable" not in ja.stderr + en.stderr


def test_a_read_only_database_is_read_but_not_written(sample_store: Path, open_folder: Path) -> None:
    db = open_folder / "kpi.duckdb"
    shutil.copy(sample_store, db)
    db.chmod(0o644)
    report = as_a_user("report", "--db", str(db))
    assert report.returncode == 0, report.stderr
    load = as_a_user("load", "--db", str(db), str(ROOT / "sample_data" / "budget.csv"))
    assert load.returncode == 77, load.stderr
    assert f"データベース {db} を開けないか書き込めません" in load.stderr


def test_an_input_the_user_may_not_read_is_named(open_folder: Path) -> None:
    source = open_folder / "budget.csv"
    shutil.copy(ROOT / "sample_data" / "budget.csv", source)
    source.chmod(0o600)
    result = as_a_user("load", "--db", str(open_folder / "new.duckdb"), str(source))
    assert result.returncode == 3, result.stderr
    assert f"{source}: 読めません（権限がないか、読めない場所です）" in result.stderr
    assert not (open_folder / "new.duckdb").exists()
