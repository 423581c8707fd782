"""Helpers of the tests: the project's folders, the real CLI in a subprocess, small input files."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TESTS = ROOT / "tests"
SAMPLE = ROOT / "sample_data"
SAMPLE_THEMES = SAMPLE / "themes_2026-03-31.csv"  # the evaluation's theme list, as of the end of FY2025
THEMES_HEADER = "theme_id,item,funding,element,organizations,title,start_fy,end_fy,status"


def run_kpi(
    *args: str, env: dict[str, str] | None = None, cwd: Path | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run `python -m kpi ARGS` in a real subprocess; text output. KPI_ settings of the person running the
    tests are dropped, so every run starts from kpi's defaults (Japanese, text logs)."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("KPI_")}
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "kpi", *args], capture_output=True, text=True, env=full_env, cwd=cwd, timeout=timeout
    )


def run_kpi_en(*args: str, env: dict[str, str] | None = None, **kwargs: object) -> subprocess.CompletedProcess[str]:
    """run_kpi with English messages (KPI_LANG=en)."""
    return run_kpi(*args, env={"KPI_LANG": "en", **(env or {})}, **kwargs)  # type: ignore[arg-type]


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


def english(exc: Exception) -> str:
    """A kpi error's message as the user reads it in English (errors carry catalogue keys, not words)."""
    from kpi.errors import KpiError
    from kpi.present.catalogue import Words
    from kpi.present.messages import error_text

    assert isinstance(exc, KpiError), exc
    return error_text(exc, Words("en"))


def in_english(failures: list) -> list:
    """Failures with their rule in English words (failures carry catalogue keys, not words)."""
    from dataclasses import replace

    from kpi.present.catalogue import Words
    from kpi.present.messages import rule_text

    return [replace(f, rule=rule_text(f, Words("en"))) for f in failures]


_runner = None


def invoke(*args: str, env: dict[str, str] | None = None) -> Any:
    """`kpi ARGS` in this process, through typer's runner (no KPI_ settings of the person running the tests)."""
    global _runner
    from typer.testing import CliRunner

    from kpi.cli.main import whole_app
    from kpi.cli.output import Voice

    _runner = _runner or CliRunner()
    clean: dict[str, str | None] = {k: None for k in os.environ if k.startswith("KPI_")}
    env = {**clean, **(env or {})}
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update({k: v for k, v in env.items() if v is not None})
    try:  # the voice (--lang, --log-format, else KPI_LANG…) as kpi.cli.main decides it for a process
        voice = Voice.early(list(args))
    finally:
        for k, v in saved.items():
            os.environ.pop(k, None) if v is None else os.environ.__setitem__(k, v)
    return _runner.invoke(whole_app(), list(args), env=env, obj=voice)


def ok(*args: str, env: dict[str, str] | None = None) -> Any:
    """`kpi ARGS` in this process, which must exit 0."""
    result = invoke(*args, env=env)
    assert result.exit_code == 0, (args, result.exit_code, result.output, result.exception)
    return result
