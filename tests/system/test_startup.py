"""The import budget of quick commands: `kpi --help`, `kpi report` and `kpi check` import nothing they don't use."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from kit import ROOT

SAMPLE = ROOT / "sample_data"

# Heavy packages the quick commands never need (issue 6): the validation stack and data-frame libraries.
NEVER = {"polars", "pandera", "pandas", "numpy", "pyarrow", "matplotlib"}
NEVER_FOR_HELP = NEVER | {"tabulate"}


def run(*args: str, importtime: bool = False) -> subprocess.CompletedProcess[str]:
    """`python [-X importtime] -m kpi ARGS` in a real subprocess, without the caller's KPI_* settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KPI_") and k != "PYTHONPROFILEIMPORTTIME"}
    flags = ["-X", "importtime"] if importtime else []
    return subprocess.run(
        [sys.executable, *flags, "-m", "kpi", *args], capture_output=True, text=True, env=env, timeout=120
    )


def imports(stderr: str) -> list[tuple[int, str]]:
    """(depth, module) of every import `-X importtime` reported, in the order it printed them."""
    found = []
    for line in stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        name = line.rsplit("|", 1)[1]
        found.append(((len(name) - len(name.lstrip())) // 2, name.strip()))
    return found


def importers(found: list[tuple[int, str]], package: str) -> str:
    """Where a package was first imported from: the chain of modules above it (importtime prints children first)."""
    for i, (depth, name) in enumerate(found):
        if name.split(".")[0] == package:
            chain, want = [name], depth
            for parent_depth, parent in found[i + 1 :]:
                if parent_depth < want:
                    chain.append(parent)
                    want = parent_depth
                if want == 0:
                    break
            return " <- ".join(chain)
    return ""


def forbidden(stderr: str, never: set[str]) -> dict[str, str]:
    """Forbidden top-level packages that were imported, each with the chain of modules that imported it."""
    found = imports(stderr)
    assert found, "python -X importtime printed nothing: cannot check the import budget"
    packages = {name.split(".")[0] for _, name in found}
    return {p: importers(found, p) for p in sorted(packages & never)}


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database holding the sample data, loaded with the real CLI."""
    db = tmp_path_factory.mktemp("startup") / "kpi.duckdb"
    loaded = run("load", str(SAMPLE), "--db", str(db), "-q")
    assert loaded.returncode == 0, loaded.stderr
    return db


def test_help_imports_no_heavy_package() -> None:
    """`kpi --help` imports neither the validation stack nor tabulate."""
    result = run("--help", importtime=True)
    assert result.returncode == 0, result.stderr[-2000:]
    assert forbidden(result.stderr, NEVER_FOR_HELP) == {}


def test_report_imports_no_heavy_package(sample_db: Path) -> None:
    """`kpi report` reads the store with DuckDB only: no polars, pandera, pandas, numpy, pyarrow or matplotlib."""
    result = run("report", "--db", str(sample_db), importtime=True)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "■" in result.stdout
    assert forbidden(result.stderr, NEVER) == {}


def test_report_json_imports_no_heavy_package(sample_db: Path) -> None:
    """`kpi report --format json` (what cron jobs read) stays as light as the table."""
    result = run("report", "--format", "json", "--db", str(sample_db), importtime=True)
    assert result.returncode == 0, result.stderr[-2000:]
    assert forbidden(result.stderr, NEVER) == {}


def test_check_imports_no_heavy_package(sample_db: Path) -> None:
    """`kpi check` (exit 0 or 1 on the targets) stays as light as the report."""
    result = run("check", "--db", str(sample_db), importtime=True)
    assert result.returncode in (0, 1), result.stderr[-2000:]
    assert forbidden(result.stderr, NEVER) == {}


def test_the_signal_handlers_come_before_every_other_import() -> None:
    """The entry point installs kpi's Ctrl-C / SIGTERM handlers having imported nothing but itself and
    kpi.interrupts (no typing, no signal enums): Python's own KeyboardInterrupt answers for as short a time
    as possible (README, "Guarantees")."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPROFILEIMPORTTIME"}
    code = "import sys; before = set(sys.modules); import kpi.entry; print(sorted(set(sys.modules) - before))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['kpi', 'kpi.entry', 'kpi.interrupts']"
    found = [name for _, name in imports(run("--version", importtime=True).stderr)]
    assert found.index("kpi.interrupts") < found.index("typer") < found.index("kpi.cli.main")


def test_the_guard_sees_an_import() -> None:
    """The parser finds a package and its importer in real importtime output (so an empty result means something)."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import json"], capture_output=True, text=True, timeout=60
    )
    found = forbidden(result.stderr, {"json"})
    assert "json" in found
    assert found["json"].startswith("json")
