"""Writing output files atomically: each under a temporary name, then renamed into place."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from kpi.errors import UsageProblem


def write_files(out: Path, files: dict[str, bytes], force: bool) -> list[Path]:
    """Write each file to a temporary name in `out`, then rename it into place; refuse to overwrite without force."""
    out.mkdir(parents=True, exist_ok=True)
    existing = [name for name in files if (out / name).exists()]
    if existing and not force:
        raise UsageProblem("cli.would_replace", folder=str(out), names=", ".join(existing))
    written = []
    for name, data in files.items():
        fd, tmp = tempfile.mkstemp(dir=out, prefix=f".{name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.chmod(tmp, 0o644)
            os.replace(tmp, out / name)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        written.append(out / name)
    return written


def write_file(path: Path, data: bytes) -> Path:
    """One file, written atomically (an existing file is replaced)."""
    return write_files(path.parent, {path.name: data}, force=True)[0]
