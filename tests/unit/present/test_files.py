"""kpi.present.files: every output file or none of them, under their final names; a full disk says which file."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from kit import ROOT

from kpi import interrupts
from kpi.errors import CannotWrite, UsageProblem
from kpi.present.files import write_file, write_files


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
from kpi.present.files import write_files
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
