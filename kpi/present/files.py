"""Writing output files, all or none: every file under a temporary name first, then all renamed into place.

An output never replaces what it must not: a path that is the database, its write-ahead log or a backup (the
caller names them), anything that is not a regular file (a folder, a device, a FIFO), or an existing file
without --force, is refused (exit 2) before anything is written.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Collection, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from kpi import interrupts
from kpi.errors import DISK_FULL, NOT_PERMITTED, CannotCreate, CannotWrite, UsageProblem

# What a path that is not a regular file is, for the message (its catalogue key).
KINDS = {
    stat.S_IFDIR: "out.kind.folder",
    stat.S_IFCHR: "out.kind.device",
    stat.S_IFBLK: "out.kind.device",
    stat.S_IFIFO: "out.kind.fifo",
    stat.S_IFSOCK: "out.kind.socket",
}


def _is_among(path: Path, kept: Collection[Path]) -> bool:
    """Whether a path is one of `kept`, or inside one of them (a backups folder), however it is spelled."""
    target = path.resolve()
    for other in kept:
        place = other.resolve()
        if target == place or place in target.parents:
            return True
        with suppress(OSError):
            if path.exists() and other.exists() and os.path.samefile(path, other):
                return True
    return False


def refuse_target(path: Path | None, force: bool, kept: Collection[Path] = ()) -> None:
    """Refuse an output file (exit 2) that is among `kept`, that exists and is not a regular file, or that exists
    and may be replaced only with --force (nothing to refuse without one: the output goes to stdout)."""
    if path is None:
        return
    if _is_among(path, kept):
        raise UsageProblem("out.protected", path=str(path))
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return
    except OSError:
        return  # a dangling link, a folder we cannot look into: the write itself will say
    if not stat.S_ISREG(mode):
        raise UsageProblem("out.not_a_file", path=str(path), kind=KINDS.get(stat.S_IFMT(mode), "out.kind.other"))
    if not force:
        raise UsageProblem("cli.would_replace", folder=str(path.parent), names=path.name)


def write_files(out: Path, files: dict[str, bytes], force: bool, kept: Collection[Path] = ()) -> list[Path]:
    """Write every file to a temporary name in `out`, then rename them all into place; refuse to overwrite
    without force, and refuse any target `refuse_target` refuses. A failure (a full disk, a read-only folder)
    or a signal before the renames leaves `out` as it was (a folder this call created is removed again); the
    renames run as one held section, so a signal waits for them."""
    with files_in_place(out, files, force, kept) as written:
        pass
    return written


@contextmanager
def files_in_place(
    out: Path, files: dict[str, bytes], force: bool, kept: Collection[Path] = ()
) -> Iterator[list[Path]]:
    """write_files in two steps: every file is written whole under a temporary name before the block runs, and
    renamed into place when it ends. An exception in the block (a submission that cannot be registered) removes
    the temporary files: `out` is as it was."""
    if out.exists() and not out.is_dir():
        raise UsageProblem("out.not_a_folder", path=str(out))
    if _is_among(out, kept):
        raise UsageProblem("out.protected", path=str(out))
    existing = [name for name in files if (out / name).exists() or (out / name).is_symlink()]
    for name in files:
        refuse_target(out / name, force=True, kept=kept)  # a folder, a device, the database: never, even with --force
    if existing and not force:
        raise UsageProblem("cli.would_replace", folder=str(out), names=", ".join(existing))
    created = not out.exists()
    temporary: dict[str, str] = {}
    writing, staged = "", False
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
        staged = True  # from here on, an error is the block's own (it is explained where it was raised)
        yield [out / name for name in files]
    except BaseException as exc:
        with interrupts.held():
            for tmp in temporary.values():
                Path(tmp).unlink(missing_ok=True)
            if created:
                with suppress(OSError):
                    out.rmdir()
        if not staged and isinstance(exc, OSError) and exc.errno in DISK_FULL:
            raise CannotWrite("io.disk_full", path=str(out / writing), committed=False) from exc
        if not staged and isinstance(exc, OSError) and exc.errno in NOT_PERMITTED:
            raise CannotCreate("out.cannot_create", path=str(out / writing), folder=str(out)) from exc
        raise
    with interrupts.held():
        for name, tmp in temporary.items():
            os.replace(tmp, out / name)
        if len(temporary) == 1:
            interrupts.keep("io.kept_file", path=str(out / next(iter(temporary))))
        else:
            interrupts.keep("io.kept_files", folder=str(out), n=len(temporary))


def write_file(path: Path, data: bytes, force: bool = False, kept: Collection[Path] = ()) -> Path:
    """One file, written atomically; an existing one is replaced only with force."""
    refuse_target(path, force, kept)
    return write_files(path.parent, {path.name: data}, force=True, kept=kept)[0]
