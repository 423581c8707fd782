"""Writing output files, all or none: every file under a temporary name first, then all renamed into place."""

from __future__ import annotations

import os
import tempfile
from contextlib import suppress
from pathlib import Path

from kpi import interrupts
from kpi.errors import DISK_FULL, CannotWrite, UsageProblem


def write_files(out: Path, files: dict[str, bytes], force: bool) -> list[Path]:
    """Write every file to a temporary name in `out`, then rename them all into place; refuse to overwrite
    without force. A failure (a full disk) or a signal before the renames leaves `out` as it was (a folder
    this call created is removed again); the renames run as one held section, so a signal waits for them."""
    existing = [name for name in files if (out / name).exists()]
    if existing and not force:
        raise UsageProblem("cli.would_replace", folder=str(out), names=", ".join(existing))
    created = not out.exists()
    temporary: dict[str, str] = {}
    writing = ""
    try:
        out.mkdir(parents=True, exist_ok=True)
        for name, data in files.items():
            writing = name
            with interrupts.held():  # a temporary file is known (to be removed) as soon as it exists
                fd, temporary[name] = tempfile.mkstemp(dir=out, prefix=f".{name}.", suffix=".tmp")
            with os.fdopen(fd, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.chmod(temporary[name], 0o644)
    except BaseException as exc:
        with interrupts.held():
            for tmp in temporary.values():
                Path(tmp).unlink(missing_ok=True)
            if created:
                with suppress(OSError):
                    out.rmdir()
        if isinstance(exc, OSError) and exc.errno in DISK_FULL:
            raise CannotWrite("io.disk_full", path=str(out / writing), committed=False) from exc
        raise
    with interrupts.held():
        for name, tmp in temporary.items():
            os.replace(tmp, out / name)
        if len(temporary) == 1:
            interrupts.keep("io.kept_file", path=str(out / next(iter(temporary))))
        else:
            interrupts.keep("io.kept_files", folder=str(out), n=len(temporary))
    return [out / name for name in files]


def write_file(path: Path, data: bytes) -> Path:
    """One file, written atomically (an existing file is replaced)."""
    return write_files(path.parent, {path.name: data}, force=True)[0]
