"""Rewrite the golden export files from a fresh run: python tools/update_golden.py

The test that compares (tests/unit/present/test_export.py) never writes them: run this after a change to the
export that is meant, read the diff (git diff tests/golden/), and commit it with the change.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden" / "export_2025"


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        db, out = Path(tmp) / "golden.duckdb", Path(tmp) / "out"
        env = {"PATH": "/usr/bin:/bin"}
        for args in (
            ["load", "--db", str(db), str(ROOT / "sample_data")],
            ["export", "--db", str(db), "--as-of", "2025", "--out", str(out)],
        ):
            result = subprocess.run(
                [sys.executable, "-m", "kpi", *args], capture_output=True, text=True, env=env, cwd=ROOT
            )
            if result.returncode != 0:
                print(result.stderr, file=sys.stderr)
                return result.returncode
        GOLDEN.mkdir(parents=True, exist_ok=True)
        for path in sorted(out.glob("*.csv")):
            (GOLDEN / path.name).write_bytes(path.read_bytes())
            print(f"wrote {GOLDEN / path.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
