"""Helpers of the tests: the project's folders, the CLI in this process or in a real subprocess, small input files."""

from __future__ import annotations

import contextlib
import io
import locale
import os
import subprocess
import sys
import time
import traceback
import warnings
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


# The warning filters a new Python starts with (no -W, no PYTHONWARNINGS), but the one for __main__ (kpi is not it here).
PROCESS_WARNINGS: list[tuple[Any, type[Warning]]] = [
    ("ignore", DeprecationWarning),
    ("ignore", PendingDeprecationWarning),
    ("ignore", ImportWarning),
    ("ignore", ResourceWarning),
]


def cli(
    *args: str,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    timeout: float = 120,
    stderr_to: Path | None = None,
) -> subprocess.CompletedProcess[str]:
    """`kpi ARGS` in this process, giving what run_kpi gives (exit code, stdout and stderr as text) without a new
    Python's ~0.9 s of imports; with `stderr_to`, stderr is that file (as cron's `2>` makes it), not captured. The
    process's own behaviour (signals, kills, locks held by another process, start-up, the installed entry point, a
    terminal, the real stdout's encoding) needs run_kpi; `timeout` is not enforced."""
    from kpi.cli import commands, help
    from kpi.cli.main import main
    from kpi.cli.output import Voice

    commands.register(None)  # every command and its help built once, in one language (help.HELP's, as imported)
    built_in = help.HELP.lang  # (usage errors are said in the run's own voice, by kpi.cli.main as in a process)
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("KPI_")}
    full_env.update(env or {})
    encoding = locale.getpreferredencoding(False)  # a pipe's, as in the subprocess
    out, err = io.BytesIO(), io.BytesIO()
    streams = (
        io.TextIOWrapper(io.BytesIO(), encoding=encoding),
        io.TextIOWrapper(out, encoding=encoding, write_through=True),
        io.TextIOWrapper(
            stderr_to.open("wb") if stderr_to else err, encoding=encoding, errors="backslashreplace", write_through=True
        ),
    )
    saved = (dict(os.environ), sys.argv, sys.stdin, sys.stdout, sys.stderr, sys.__stdout__, Path.cwd())
    _new_process()
    os.environ.clear()
    os.environ.update(full_env)
    _tzset_if_changed(saved[0])
    voice = Voice.early(list(args))
    shows_help = not args or "--help" in args or "-h" in args or "_KPI_COMPLETE" in full_env
    code: object = 0
    with warnings.catch_warnings():  # a new process's filters: what it would print goes to its stderr
        warnings.resetwarnings()
        for action, category in PROCESS_WARNINGS:
            warnings.filterwarnings(action, category=category, append=True)
        warnings.showwarning = _warn_on_stderr  # (not pytest's record of them)
        try:
            if shows_help and voice.lang is not built_in:  # (help in another language needs a process of its own)
                return run_kpi(*args, env=env, cwd=cwd, timeout=timeout)
            sys.argv = ["kpi", *args]
            sys.stdin, sys.stdout, sys.stderr = streams
            sys.__stdout__ = streams[1]  # (click's help width and shutil read the terminal size from it)
            if cwd is not None:
                os.chdir(cwd)
            main(list(args))
        except SystemExit as done:  # as kpi.entry.leave: None is 0, a number is itself, anything else 1
            code = done.code
        except Exception:  # what Python does with an uncaught exception (--debug): the traceback, exit 1
            traceback.print_exc()
            code = 1
        finally:
            for stream in streams[1:]:
                with contextlib.suppress(ValueError):
                    stream.flush()
            os.chdir(saved[6])
            os.environ.clear()
            os.environ.update(saved[0])
            _tzset_if_changed(full_env)
            sys.argv, sys.stdin, sys.stdout, sys.stderr, sys.__stdout__ = saved[1:6]
            _new_process()  # the tests that use kpi's modules directly see no trace of this run
    returncode = 0 if code is None else code if isinstance(code, int) else 1
    stdout, stderr = _as_text(out.getvalue(), encoding), _as_text(err.getvalue(), encoding)
    for stream in streams[:2]:
        stream.detach()  # (closing a wrapper would close its buffer)
    if stderr_to:
        streams[2].close()
    else:
        streams[2].detach()
    return subprocess.CompletedProcess(["kpi", *args], returncode, stdout, stderr)


def cli_en(*args: str, env: dict[str, str] | None = None, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    """cli with English messages (KPI_LANG=en)."""
    return cli(*args, env={"KPI_LANG": "en", **(env or {})}, **kwargs)


def _warn_on_stderr(
    message: Warning | str, category: type[Warning], filename: str, lineno: int, file: Any = None, line: Any = None
) -> None:
    sys.stderr.write(warnings.formatwarning(message, category, filename, lineno, line))


def _as_text(data: bytes, encoding: str) -> str:
    """Bytes as subprocess.run(text=True) reads them: decoded, every line end read as a newline."""
    return io.TextIOWrapper(io.BytesIO(data), encoding=encoding).read()


def _tzset_if_changed(before: dict[str, str]) -> None:
    if before.get("TZ") != os.environ.get("TZ"):
        time.tzset()


def _new_process() -> None:
    """kpi's per-process state as a new process has it: no signal noted, nothing kept, no database protected, the
    umask not yet read."""
    from kpi import interrupts
    from kpi.db import connect, gate, notices, versions

    interrupts._received, interrupts._raised, interrupts._count = None, False, 0
    interrupts._holds, interrupts._finished = 0, False
    interrupts._kept.clear()
    notices._notices.clear()
    connect._commits = 0
    connect._early.clear()
    gate._databases.clear()
    gate._umask_at_start = None
    versions._shown.clear()
    versions._used.clear()


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


def workbook(path: Path, sheets: dict[str, list[list[str]]]) -> Path:
    """A workbook as an office types it, one sheet per name: whole numbers as numbers, blank cells blank (a row []
    stays a blank row)."""
    import xlsxwriter

    with xlsxwriter.Workbook(str(path)) as book:
        for name, rows in sheets.items():
            sheet = book.add_worksheet(name)
            for r, row in enumerate(rows):
                for c, text in enumerate(row):
                    if text.isdigit():
                        sheet.write_number(r, c, int(text))
                    elif text:
                        sheet.write_string(r, c, text)
    return path


# A small programme with theme attributes, for the breakdowns (--by): six themes, three attributes, two surveys.
GROUPED_SETTINGS = """
small_group = 3

[attributes."分野"]
headers = ["技術分野"]
type = "category"
values = ["通信", "AI", "光"]

[attributes."企業規模"]
type = "category"
values = ["大企業", "中小企業"]

[attributes."採択年度"]
type = "year"

[attributes."予算額"]
type = "money"
"""
GROUPED_HEADER = THEMES_HEADER + ",分野,企業規模,採択年度,予算額(億円)"
GROUPED_ROWS = [  # as of FY2026: T1–T3 ended (achieved, not achieved, achieved), T4 runs to 2028, T5 delayed, T6 leading
    theme("T1", end_fy=2024) + ",通信,大企業,2021,10",
    theme("T2", end_fy=2025, status="目標未達") + ",通信,中小企業,2021,2.5",
    theme("T3", item=2, end_fy=2023, element="b1") + ",AI,中小企業,2020,",
    theme("T4", item=2, end_fy=2028, status="計画通り", element="b2") + ",AI,,2022,1",
    theme("T5", end_fy=2025, status="遅延", element="c1") + ",,大企業,,",
    theme("T6", item=3, end_fy=2022) + ",通信,,,",
]


def grouped_programme(folder: Path, project_id: int = 3522) -> Path:
    """GROUPED_ROWS with their settings (as the programme `project_id`) and two surveys, loaded through the library
    into folder/kpi.duckdb."""
    from kpi.db.connect import open_for_write
    from kpi.load import ingest

    sample = (SAMPLE / "programme.toml").read_text(encoding="utf-8")
    settings = sample.replace("project_id = 3522", f"project_id = {project_id}") + GROUPED_SETTINGS
    paths = [
        write(folder / "programme.toml", settings),
        write(folder / "themes_2026-03-31.csv", themes_csv(GROUPED_ROWS, GROUPED_HEADER)),
        write(folder / "followups.csv", "theme_id,survey_fy,stage\nT1,2025,製品化\nT3,2024,開発\n"),
    ]
    db = folder / "kpi.duckdb"
    with open_for_write(db, wait=5) as con:
        ingest.load_files(con, ingest.read_files(paths))
    return db
