"""kpi.db.gate: every output file or none of them, under their final names; a full disk says which file."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from kit import ROOT

from kpi import interrupts
from kpi.db.gate import write_file, write_files
from kpi.errors import CannotWrite, UsageProblem


def test_every_file_is_written_and_noted_as_kept(tmp_path: Path) -> None:
    out = tmp_path / "new" / "out"
    written = write_files(out, {"a.csv": b"a", "b.csv": b"bb"}, force=False)
    assert written == [out / "a.csv", out / "b.csv"]
    assert {p.name: p.read_bytes() for p in out.iterdir()} == {"a.csv": b"a", "b.csv": b"bb"}
    assert interrupts.kept()[-1] == ("io.kept_files", {"folder": str(out), "n": 2})
    assert write_file(out / "c.png", b"c") == out / "c.png"
    assert interrupts.kept()[-1] == ("io.kept_file", {"path": str(out / "c.png")})


def test_existing_files_are_kept_without_force(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_bytes(b"old")
    with pytest.raises(UsageProblem):
        write_files(tmp_path, {"a.csv": b"new", "b.csv": b"new"}, force=False)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == {"a.csv": b"old"}


FILL = """
import resource, signal, sys
from pathlib import Path
from kpi.errors import CannotWrite
from kpi.db.gate import write_files
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (1000, 1000))  # the disk is full after 1,000 bytes of a file
try:
    write_files(Path(sys.argv[1]), {"a.csv": b"a" * 10, "b.csv": b"b" * 10, "c.csv": b"c" * 5000}, force=True)
except CannotWrite as exc:
    print(exc.key, exc.params["path"])
"""


@pytest.mark.parametrize("exists", [True, False], ids=["replacing-an-export", "into-a-new-folder"])
def test_a_full_disk_leaves_the_folder_as_it_was(tmp_path: Path, exists: bool) -> None:
    out = tmp_path / "out"
    if exists:
        out.mkdir()
        (out / "a.csv").write_bytes(b"old")
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(FILL), str(out)], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert result.stdout.strip() == f"io.disk_full {out / 'c.csv'}", result.stderr
    if exists:  # the old file, whole; no new file, no temporary file
        assert {p.name: p.read_bytes() for p in out.iterdir()} == {"a.csv": b"old"}
    else:  # the folder it created is gone again
        assert not out.exists()
    assert CannotWrite.exit_code == 74


# ---------------------------------------------------------------------------- the gate is the only writer

# Calls that create or replace a file or folder. Only kpi.db.gate makes them (DuckDB writes its own files).
WRITING_CALLS = {
    ("os", "open"),
    ("os", "replace"),
    ("os", "rename"),
    ("os", "link"),
    ("os", "symlink"),
    ("os", "mkdir"),
    ("os", "makedirs"),
    ("os", "fdopen"),
    ("tempfile", "mkstemp"),
    ("tempfile", "NamedTemporaryFile"),
    ("shutil", "copy"),
    ("shutil", "copy2"),
    ("shutil", "copyfile"),
    ("shutil", "move"),
}
# Path's own writing methods (`.replace` and `.rename` are left out: strings and data frames have them too;
# `os.replace` and `os.rename` are found as calls of `os`).
WRITING_METHODS = {"write_bytes", "write_text", "mkdir", "touch", "hardlink_to", "symlink_to"}


def _writers(source: str) -> list[str]:
    """Every call in a module's source that creates or replaces a file: `os.replace(…)`, `p.write_bytes(…)`,
    `open(…, "w")` (a mode with w, a, x or +)."""
    import ast

    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if (
            isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Name)
            and (func.value.id, func.attr) in WRITING_CALLS
        ):
            found.append(f"{func.value.id}.{func.attr}")
            continue
        if isinstance(func, ast.Attribute) and func.attr in WRITING_METHODS and not isinstance(func.value, ast.Name):
            found.append(f"….{func.attr}")
        elif isinstance(func, ast.Attribute) and func.attr in WRITING_METHODS:
            found.append(f"{func.value.id}.{func.attr}")  # type: ignore[union-attr]
        if isinstance(func, ast.Name) and func.id == "open":
            modes = [a for a in node.args[1:2]] + [k.value for k in node.keywords if k.arg == "mode"]
            text = [m.value for m in modes if isinstance(m, ast.Constant) and isinstance(m.value, str)]
            if any(set(t) & set("wax+") for t in text) or (modes and not text):
                found.append("open(…, write)")
    return found


def test_no_module_but_the_gate_creates_or_replaces_a_file() -> None:
    """A command cannot write around the gate: no other module of kpi creates, replaces or renames a file."""
    offenders = {
        str(path.relative_to(ROOT)): calls
        for path in sorted((ROOT / "kpi").rglob("*.py"))
        if path.name != "gate.py" and (calls := _writers(path.read_text(encoding="utf-8")))
    }
    assert offenders == {}


def test_the_writer_scan_finds_each_kind_of_write() -> None:
    """The scan above is not blind: each way of writing a file is found in a planted module."""
    planted = textwrap.dedent(
        """
        import os, tempfile
        from pathlib import Path
        os.replace("a", "b")
        tempfile.mkstemp()
        Path("x").write_bytes(b"")
        out.mkdir()
        open("f", "w")
        open("f", mode="ab")
        """
    )
    assert _writers(planted) == [
        "os.replace",
        "tempfile.mkstemp",
        "….write_bytes",
        "out.mkdir",
        "open(…, write)",
        "open(…, write)",
    ]
    assert _writers('open("f", "rb")\nos.path.join("a")') == []


def test_a_name_too_long_for_the_file_system_is_said_as_such(tmp_path: Path) -> None:
    """A name over 255 bytes (90 Japanese characters) is refused naming that cause, not a read-only folder (F14)."""
    from kpi.errors import CannotCreate

    long = "あ" * 90 + ".csv"
    with pytest.raises(CannotCreate) as alone:
        write_file(tmp_path / long, b"x")
    with pytest.raises(CannotCreate) as among:
        write_files(tmp_path / "out", {"a.csv": b"x", long: b"y"}, force=False)
    assert alone.value.key == among.value.key == "out.name_too_long"
    assert among.value.params["path"].endswith(long) and not (tmp_path / "out").exists()


def test_a_backups_folder_is_refused_as_the_folder(tmp_path: Path) -> None:
    """--out a database's backups folder (by its name, no database opened): the folder is named, not a file (M5)."""
    with pytest.raises(UsageProblem) as refused:
        write_files(tmp_path / "kpi.duckdb.backups", {"a.xlsx": b"x"}, force=False)
    assert (refused.value.key, refused.value.params["path"]) == ("out.protected", str(tmp_path / "kpi.duckdb.backups"))
