"""The bad-input corpus (tests/bad_inputs/): every file is refused with exit 3, its message, and no change.

Each case of tests/bad_inputs/cases.toml is loaded by `kpi load` (in this process: tests/kit.py's `cli`) into its
own copy of a database that already holds sample_data/, all of them once; each parametrised test then checks its
own case: exit 3, the message
fragments on stderr (on the named line), one closing `kpi:` line, no traceback, nothing on stdout, a
bounded stderr, and every table of the database unchanged (a checksum of all tables before and after).
stderr goes to a file, as in cron: its lines carry the time, which is checked and then set aside. The default run
keeps the first IN_DEFAULT cases of each kind of file; CI's slow step runs the whole corpus.
"""

from __future__ import annotations

import os
import re
import shutil
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from faultkit import rows, table_checksums
from kit import TESTS, cli, cli_en
from matrix import some_in_default

CORPUS = TESTS / "bad_inputs"
MANIFEST = tomllib.loads((CORPUS / "cases.toml").read_text(encoding="utf-8"))
CASES: list[dict[str, Any]] = MANIFEST["case"]
ACCEPTED: list[dict[str, Any]] = MANIFEST["accepted"]
MAX_STDERR = 64 * 1024  # one bad file is a screenful of failures, not a flood into a cron mail
STAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d ", re.M)  # a text log line written to a file


def single_line_50mb(folder: Path) -> Path:
    """50 MB with no line break (a log, a dump or a file whose line ends were lost)."""
    path = folder / "themes_single_line_50mb.csv"
    with path.open("wb") as f:
        for _ in range(50):
            f.write(b"A" * 1_000_000)
    return path


def header_of_20000_columns(folder: Path) -> Path:
    """A first line of 20,000 empty column names (a sheet whose used range ran off to the right)."""
    path = folder / "themes_header_of_20000_columns.csv"
    path.write_text("," * 20_000 + "\n", encoding="utf-8")
    return path


GENERATORS = {"single_line_50mb": single_line_50mb, "header_of_20000_columns": header_of_20000_columns}


def case_id(case: dict[str, Any]) -> str:
    if "files" in case:
        return "+".join(Path(f).stem for f in case["files"])
    return Path(case["file"]).stem if "file" in case else case["generate"]


def fragments(case: dict[str, Any]) -> list[str]:
    value = case["fragment"]
    return [value] if isinstance(value, str) else list(value)


IN_DEFAULT = 3  # cases of each kind of file (its name's prefix) the default run keeps; CI's slow step runs all
_kept: dict[str, int] = {}


def param(case: dict[str, Any]) -> Any:
    """A case as a parameter: the first IN_DEFAULT cases of each kind of file in the default run, the rest slow."""
    marks = [pytest.mark.xfail(strict=True, reason=f"defect: {case['defect']}")] if "defect" in case else []
    kind = case_id(case).split("_")[0]
    if "generate" in case or _kept.get(kind, 0) >= IN_DEFAULT:
        marks.append(pytest.mark.slow)
    else:
        _kept[kind] = _kept.get(kind, 0) + 1
    return pytest.param(case, id=case_id(case), marks=marks)


@dataclass
class Outcome:
    returncode: int
    stdout: str
    stderr: str
    stamped: bool
    stderr_bytes: int
    before: dict[str, tuple[int, str]]
    after: dict[str, tuple[int, str]]
    paths: list[Path]
    seconds: float


def _materialise(case: dict[str, Any], folder: Path) -> list[Path]:
    if "generate" in case:
        return [GENERATORS[case["generate"]](folder)]
    return [CORPUS / name for name in case.get("files", [case.get("file")])]


def _read_capped(path: Path, head: int = 2_000_000, tail: int = 65_536) -> str:
    """stderr as text, or its head and tail when it is huge (the size is checked separately)."""
    with path.open("rb") as f:
        if path.stat().st_size <= head + tail:
            data = f.read()
        else:
            data = f.read(head) + b"\n[...]\n"
            f.seek(-tail, os.SEEK_END)
            data += f.read()
    return data.decode("utf-8", errors="replace")


def _run_case(case: dict[str, Any], folder: Path, sample_db: Path, before: dict[str, tuple[int, str]]) -> Outcome:
    folder.mkdir(parents=True)
    db = folder / "kpi.duckdb"
    shutil.copy(sample_db, db)
    paths = _materialise(case, folder)
    kind = ["--kind", case["kind"]] if "kind" in case else []
    err = folder / "stderr.txt"
    started = time.monotonic()
    # the corpus's fragments are the English words of each rule
    result = cli_en("load", "--db", str(db), *kind, *map(str, paths), stderr_to=err)
    seconds = time.monotonic() - started
    raw = _read_capped(err)
    stamped = bool(raw.strip()) and all(STAMP.match(line) for line in raw.rstrip("\n").splitlines()[-3:])
    stderr_text = STAMP.sub("", raw)
    for path in paths:  # a fragment must be found in the message, not in the name of the file it is about
        stderr_text = stderr_text.replace(str(path), "#" * len(str(path)))
    return Outcome(
        result.returncode,
        result.stdout,
        stderr_text,
        stamped,
        err.stat().st_size,
        before,
        table_checksums(db),
        paths,
        seconds,
    )


@pytest.fixture(scope="module")
def outcomes(
    request: pytest.FixtureRequest, _sample_db: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Outcome]:
    """Run every selected case of the corpus, one after the other."""
    selected = [
        item.callspec.params["case"]
        for item in request.session.items
        if getattr(item, "originalname", "") == "test_bad_input_is_refused_and_changes_nothing"
    ]
    root = tmp_path_factory.mktemp("bad_inputs")
    before = table_checksums(_sample_db)
    ids = [case_id(c) for c in selected]
    return {i: _run_case(c, root / i, _sample_db, before) for i, c in zip(ids, selected, strict=True)}


def _failure_rows(stderr: str) -> tuple[int, int] | None:
    """Where the line column of the failures table starts and ends (the header row gives the offsets)."""
    for text in stderr.splitlines():
        m = re.match(r"^file\s+(line)\s+(column)\s+value\s+rule", text)
        if m:
            return m.start(1), m.start(2)
    return None


def names_line(stderr: str, fragment: str, line: int) -> bool:
    """Some line of stderr holds the fragment and points at `line`: in the table's line column, or as 'line N'."""
    span = _failure_rows(stderr)
    for text in stderr.splitlines():
        if fragment not in text:
            continue
        if re.search(rf"\bline {line}\b", text):
            return True
        if span and text[span[0] : span[1]].strip() == str(line):
            return True
    return False


@pytest.mark.parametrize("case", [param(c) for c in CASES])
def test_bad_input_is_refused_and_changes_nothing(case: dict[str, Any], outcomes: dict[str, Outcome]) -> None:
    result = outcomes[case_id(case)]
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    assert result.returncode == 3, f"exit {result.returncode}: {result.stderr[-3000:]}"
    assert result.stdout == ""
    assert result.after == result.before, "a refused load changed the database"
    assert result.stderr_bytes <= MAX_STDERR, f"{result.stderr_bytes:,} bytes of stderr for one bad file"
    for fragment in fragments(case):
        assert fragment in result.stderr, f"{fragment!r} not in:\n{result.stderr[-3000:]}"
    if "line" in case:
        assert any(names_line(result.stderr, f, case["line"]) for f in fragments(case)), (
            f"no message names line {case['line']}:\n{result.stderr[-3000:]}"
        )
    last = result.stderr.rstrip("\n").splitlines()[-1]
    assert last.startswith("kpi: "), f"the last line should be kpi's one-line summary, not {last!r}"
    assert result.stamped, "stderr went to a file: its last lines should start with the time"


@pytest.mark.parametrize("case", some_in_default([pytest.param(c, id=case_id(c)) for c in ACCEPTED], 4))
def test_awkward_but_valid_input_loads(case: dict[str, Any], sample_store: Path) -> None:
    # a case may give options (a one-theme list of a new ID is another programme's list unless --renumbered says not)
    args = [*case.get("args", []), "--kind", case["kind"], str(CORPUS / case["file"])]
    result = cli("load", "--db", str(sample_store), *args)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert case.get("said", "") in result.stderr  # what the load says it left out, when it leaves something out
    assert [list(r) for r in rows(sample_store, case["query"])] == case["rows"]
    report = cli("report", "--db", str(sample_store), "--as-of", "2025", "--format", "json")
    assert report.returncode == 0, report.stderr


def test_the_corpus_is_complete_and_every_file_is_a_case() -> None:
    named = {f for c in CASES for f in c.get("files", [c.get("file")]) if f} | {c["file"] for c in ACCEPTED}
    on_disk = {p.relative_to(CORPUS).as_posix() for p in CORPUS.rglob("*") if p.is_file() and p.name != "cases.toml"}
    assert named == on_disk, {"in the manifest only": named - on_disk, "on disk only": on_disk - named}
    assert len(CASES) >= 40
    assert len({case_id(c) for c in CASES}) == len(CASES), "case ids must be unique"
    for case in CASES:
        assert case.get("fragment") and case.get("breaks"), case
        assert set(case) <= {"file", "files", "generate", "kind", "fragment", "line", "breaks", "defect"}, case
        assert case.get("generate", "single_line_50mb") in GENERATORS, case
    # every kind of the input contract (issue 2) has cases; the later kinds are a TODO in cases.toml
    kinds = {c.get("kind") for c in CASES}
    assert {"themes", "budget", "followups", "programme"} <= kinds
