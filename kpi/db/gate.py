"""The one gate every file kpi writes passes through: which paths may never be replaced, how a new file is created,
and which mode it gets.

Never replaced, even with --force (exit 2): a database this process opened, attached or was named (`protect`),
its write-ahead log, its backups folder and everything in it, the copies a restore kept; any existing file that
DuckDB itself recognises as a database, whatever its name, and the log beside one; anything that is not a regular
file (a folder, a device, a FIFO, a socket, a /proc entry). Callers name no protected files: the gate knows them.
Nor, with exit 75, an existing file open in Excel or LibreOffice (its lock file beside it: `office_lock`).

Modes: what kpi writes for people (reports, exports, charts, survey sheets, their folders) follows the user's
umask as it was when kpi started (0644 and 0755 under the usual 022); the database, its log, its backups and kept
copies are owner-only (0600, folders 0700), whatever the umask.
"""

from __future__ import annotations

import errno
import os
import re
import secrets
import stat
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from kpi import interrupts
from kpi.db.files import SUFFIX, folder, wal_of
from kpi.errors import DISK_FULL, CannotCreate, CannotWrite, NoPermission, OpenInOffice, UsageProblem

# What a path that is not a regular file is, for the message (its catalogue key).
KINDS = {
    stat.S_IFDIR: "out.kind.folder",
    stat.S_IFCHR: "out.kind.device",
    stat.S_IFBLK: "out.kind.device",
    stat.S_IFIFO: "out.kind.fifo",
    stat.S_IFSOCK: "out.kind.socket",
}
KEPT_ASIDE = re.compile(r"\.replaced-\d{8}T\d{6}(?:-\d+)?(?:\.wal)?$")
OWNER_ONLY = 0o077

_databases: set[Path] = set()  # every database this process opened, attached or was named
_umask_at_start: int | None = None  # the user's umask, before kpi made the database's files owner-only


def protect(db: Path) -> None:
    """Remember a database this process opens, attaches or names: it and its own files are never written over."""
    _databases.add(Path(os.path.abspath(db)))
    with suppress(OSError):
        _databases.add(db.resolve())


def protected() -> list[Path]:
    """The databases this process protects (for tests and messages)."""
    return sorted(_databases)


def _user_umask() -> int:
    global _umask_at_start
    if _umask_at_start is None:
        _umask_at_start = os.umask(0o022)
        os.umask(_umask_at_start)
    return _umask_at_start


@contextmanager
def owner_only() -> Iterator[None]:
    """Files created meanwhile (the database and its log, by DuckDB) are the owner's alone."""
    _user_umask()  # read before it changes
    before = os.umask(OWNER_ONLY)
    try:
        yield
    finally:
        os.umask(before)


def _same(a: Path, b: Path) -> bool:
    with suppress(OSError):
        if a.resolve() == b.resolve():
            return True
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
    return False


def _belongs_to(path: Path, db: Path) -> bool:
    """Whether `path` is the database `db`, its log, its backups folder or inside it, or a copy a restore kept."""
    if _same(path, db) or _same(path, wal_of(db)) or _same(path, folder(db)):
        return True
    with suppress(OSError):
        if folder(db).resolve() in path.resolve().parents:
            return True
    return path.parent.resolve() == db.parent.resolve() and bool(
        path.name.startswith(db.name) and KEPT_ASIDE.search(path.name[len(db.name) :])
    )


def recognised_by_duckdb(path: Path) -> bool:
    """Whether DuckDB recognises an existing regular file as a database (it opens it read-only, or finds it held).

    DuckDB's own check, not ours: any answer but 'not a valid DuckDB database file' counts as a database."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode) or os.path.getsize(path) == 0:
            return False
    except OSError:
        return False
    import duckdb

    con = duckdb.connect()
    try:
        literal = "'" + str(path).replace("'", "''") + "'"
        con.execute(f"ATTACH {literal} AS kpi_probe (READ_ONLY, TYPE duckdb)")
        return True
    except duckdb.Error as exc:
        return "not a valid DuckDB database file" not in str(exc)
    finally:
        con.close()


def _protected_by_name(path: Path) -> bool:
    """A path that is a database's own by its name: the log beside a database, or anything in a backups folder."""
    if path.name.endswith(".wal") and recognised_by_duckdb(path.with_name(path.name[: -len(".wal")])):
        return True
    with suppress(OSError):
        return any(parent.name.endswith(SUFFIX) for parent in path.resolve().parents)
    return False


def is_protected(path: Path) -> bool:
    """Whether kpi must never write `path`: a database's own file, or a file DuckDB recognises as a database."""
    return any(_belongs_to(path, db) for db in _databases) or _protected_by_name(path) or recognised_by_duckdb(path)


def canonical(path: Path) -> Path:
    """The path as the system will follow it: its folder with links and `..` resolved (`new/../x` is `x`, which
    the write would replace), its own name kept (a link is replaced as a link)."""
    return Path(os.path.realpath(path.parent)) / path.name if path.name not in ("", ".", "..") else path.resolve()


SYSTEM_PLACES = ("proc", "sys", "dev")  # the kernel's own files: never an output, whatever they stat as


def office_lock(path: Path) -> Path | None:
    """The lock file beside `path` that says Excel or LibreOffice has it open, if there is one.

    Excel and Word name it `~$` and the file's name; for a long name (a stem of 7 characters or more) they let `~$`
    take the place of the name's first one or two characters (`~$ficeReport.docx` for OfficeReport.docx), so
    those names count too. LibreOffice names it `.~lock.NAME#`. The file being open means what is on the screen
    may not be saved: kpi neither reads it nor replaces it (kpi.errors.OpenInOffice, exit 75).
    """
    name, stem = path.name, len(path.stem)
    names = [f"~${name}", f".~lock.{name}#"]
    names += [f"~${name[1:]}"] if stem >= 7 else []
    names += [f"~${name[2:]}"] if stem >= 8 else []
    for candidate in names:
        lock = path.with_name(candidate)
        with suppress(OSError):
            if lock.is_file():
                return lock
    return None


def refuse(path: Path | None, force: bool) -> None:
    """Refuse an output path (exit 2) that is protected or not a regular file, or that exists and may be replaced
    only with --force (nothing to refuse without a path: the output goes to stdout)."""
    if path is None:
        return
    named, path = path, canonical(path)  # (messages name the path as the user wrote it)
    if is_protected(path):
        raise UsageProblem("out.protected", path=str(named))
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        if exc.errno == errno.ENAMETOOLONG:
            raise CannotCreate("out.name_too_long", path=str(named)) from exc
        if isinstance(exc, FileNotFoundError) and path.is_symlink():
            raise UsageProblem("out.not_a_file", path=str(named), kind="out.kind.other") from None
        mode = None  # absent (or a folder we cannot look into: the write itself will say)
    if mode is not None and not stat.S_ISREG(mode):
        raise UsageProblem("out.not_a_file", path=str(named), kind=KINDS.get(stat.S_IFMT(mode), "out.kind.other"))
    if len(path.parts) > 1 and path.parts[1] in SYSTEM_PLACES:
        raise UsageProblem("out.not_a_file", path=str(named), kind="out.kind.other")
    if mode is not None and (lock := office_lock(path)) is not None:  # open in Excel: not even with --force
        raise OpenInOffice("out.open_in_office", path=str(named), lock=lock.name)
    if mode is not None and not force:
        raise UsageProblem("cli.would_replace", folder=str(path.parent), names=path.name)


def _make_folder(out: Path, mode: int) -> None:
    """Create a folder and its missing parents, each with `mode` whatever the umask."""
    missing = [p for p in (out, *out.parents) if not p.exists()]
    out.mkdir(parents=True, exist_ok=True)
    for created in missing:
        with suppress(OSError):
            os.chmod(created, mode)


def write_files(out: Path, files: dict[str, bytes], force: bool) -> list[Path]:
    """Write every file to a temporary name in `out`, then rename them all into place (see files_in_place)."""
    with files_in_place(out, files, force) as written:
        pass
    return written


@contextmanager
def files_in_place(out: Path, files: dict[str, bytes], force: bool) -> Iterator[list[Path]]:
    """Every file written whole under a temporary name before the block runs, renamed into place when it ends.

    A failure (a full disk, a read-only folder), a signal or an exception in the block (a submission that cannot
    be registered) before the renames leaves `out` as it was (a folder this call created is removed again)."""
    named, out = out, canonical(out)
    if len(out.parts) > 1 and out.parts[1] in SYSTEM_PLACES:
        raise UsageProblem("out.not_a_file", path=str(named), kind="out.kind.other")
    if out.exists() and not out.is_dir():
        raise UsageProblem("out.not_a_folder", path=str(out))
    if is_protected(out) or any(place.name.endswith(SUFFIX) for place in (out, *out.parents)):
        raise UsageProblem("out.protected", path=str(out))  # (the folder, not a file in it: a backups folder)
    existing = [name for name in files if (out / name).exists() or (out / name).is_symlink()]
    for name in files:
        refuse(named / name, force=True)  # a folder, a device, a database, a file open in Excel: never
    if existing and not force:
        raise UsageProblem("cli.would_replace", folder=str(out), names=", ".join(existing))
    created = not out.exists()
    temporary: dict[str, str] = {}
    writing, staged = "", False
    file_mode, folder_mode = 0o666 & ~_user_umask(), 0o777 & ~_user_umask()
    try:
        _make_folder(out, folder_mode)
        for name, data in files.items():
            writing = name
            with interrupts.held():  # a temporary file is known (to be removed) as soon as it exists
                fd, temporary[name] = tempfile.mkstemp(dir=out, prefix=f".{name}.", suffix=".tmp")
            with os.fdopen(fd, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.chmod(temporary[name], file_mode)
        staged = True  # from here on, an error is the block's own (it is explained where it was raised)
        yield [named / name for name in files]
    except BaseException as exc:
        with interrupts.held():
            for tmp in temporary.values():
                Path(tmp).unlink(missing_ok=True)
            if created:
                with suppress(OSError):
                    out.rmdir()
        if not staged and isinstance(exc, OSError) and exc.errno in DISK_FULL:
            raise CannotWrite("io.disk_full", path=str(out / writing), committed=False) from exc
        if not staged and isinstance(exc, OSError) and exc.errno == errno.ENAMETOOLONG:
            raise CannotCreate("out.name_too_long", path=str(out / writing)) from exc
        if not staged and isinstance(exc, OSError):  # a read-only folder, a file where a folder goes
            raise CannotCreate("out.cannot_create", path=str(out / writing), folder=str(out)) from exc
        raise
    with interrupts.held():
        for name, tmp in temporary.items():
            refuse(out / name, force=True)  # nothing became a database or a folder meanwhile
            os.replace(tmp, out / name)
        if len(temporary) == 1:
            interrupts.keep("io.kept_file", path=str(named / next(iter(temporary))))
        else:
            interrupts.keep("io.kept_files", folder=str(named), n=len(temporary))


def write_file(path: Path, data: bytes, force: bool = False) -> Path:
    """One file, written atomically; an existing one is replaced only with force."""
    refuse(path, force)
    write_files(canonical(path).parent, {path.name: data}, force=True)
    return path


# ---------------------------------------------------------------------------- the store's own new files


STAGED = ".kpi-staged-"  # in the name of every database file staged before it takes its name


def staging_name(target: Path, store: bool = True) -> Path:
    """A new, unused name beside `target` for DuckDB to create a database under before it takes its place; a
    folder it needs is made owner-only. A place that cannot hold it is refused (kpi.db.gate.creating)."""
    try:
        if not target.parent.exists():
            _make_folder(target.parent, 0o700)
        if not target.parent.is_dir():
            raise NotADirectoryError(errno.ENOTDIR, "not a folder", str(target.parent))
    except OSError as exc:
        raise _cannot_create(exc, target, store) from exc
    return target.with_name(f".{target.name}{STAGED}{secrets.token_hex(6)}.tmp")


def creating(make: Callable[[], None], target: Path, store: bool) -> None:
    """Run `make`, which has DuckDB create a database file for `target`; a place that cannot hold it is said as
    such: no permission for the database's own files (77), an output that cannot be created (73), a full disk (74)."""
    import duckdb

    try:
        make()
    except (OSError, duckdb.IOException, duckdb.PermissionException) as exc:
        raise _cannot_create(exc, target, store) from exc


def _cannot_create(exc: BaseException, target: Path, store: bool) -> Exception:
    text = str(exc)
    if (isinstance(exc, OSError) and exc.errno in DISK_FULL) or any(
        w in text for w in ("No space left", "File too large", "Disk quota")
    ):
        return CannotWrite("io.disk_full", path=str(target), committed=False)
    if not isinstance(exc, OSError) and not any(
        w in text
        for w in (
            "Permission denied",
            "Read-only file system",
            "Operation not permitted",
            "Not a directory",
            "File name too long",
            "No such file or directory",
            "Cannot open",
        )
    ):
        return exc if isinstance(exc, Exception) else RuntimeError(text)
    if (isinstance(exc, OSError) and exc.errno == errno.ENAMETOOLONG) or "File name too long" in text:
        return CannotCreate("out.name_too_long", path=str(target))
    if store:
        return NoPermission("db.no_permission", path=str(target), detail=text.strip().splitlines()[0] if text else "")
    return CannotCreate("out.cannot_create", path=str(target), folder=str(target.parent))


def remove_staged(staged: Path) -> None:
    """A staged database that will not take its place, and its log."""
    with interrupts.held():
        for leftover in (staged, wal_of(staged)):
            with suppress(OSError):
                leftover.unlink(missing_ok=True)


def claim(staged: Path, target: Path, numbered: bool) -> Path:
    """Give a staged database its name, never replacing an existing file (a hard link fails on one); when
    `numbered`, a name taken already gets the next free number (`…-2`). The final name is returned."""
    candidate, n = target, 1
    with interrupts.held():
        while True:
            try:
                os.link(staged, candidate)
                break
            except FileExistsError:
                if not numbered:
                    raise UsageProblem("cli.would_replace", folder=str(target.parent), names=target.name) from None
                n += 1
                candidate = target.with_name(_numbered(target.name, n))
        staged.unlink()
        sync_folder(candidate.parent)
    return candidate


def replace_with(staged: Path, target: Path) -> Path:
    """`kpi backup --out FILE --force`: a staged database replaces an existing regular file the gate allows."""
    with interrupts.held():
        refuse(target, force=True)
        os.replace(staged, target)
        sync_folder(target.parent)
    return target


def _numbered(name: str, n: int) -> str:
    """`…_backup.duckdb` → `…_backup-2.duckdb`; `kpi.duckdb.replaced-TIME` → `kpi.duckdb.replaced-TIME-2`."""
    return f"{name[: -len('.duckdb')]}-{n}.duckdb" if name.endswith(".duckdb") else f"{name}-{n}"


def keep_aside(path: Path, aside: Path) -> Path:
    """A second name for a file about to be replaced (a hard link: the path itself never goes missing); a name
    taken already gets the next number. The name is returned."""
    candidate, n = aside, 1
    while True:
        try:
            os.link(path, candidate)
            return candidate
        except FileExistsError:
            n += 1
            candidate = aside.with_name(f"{aside.name}-{n}")


def swap_in(staged: Path, db: Path, aside: Path) -> Path:
    """A staged database takes the place of a damaged one, which is kept aside with its log under a new name: at
    every moment the old state is whole under one name or the other, and the database's name never goes with a
    log that is not its own. The name kept aside is returned."""
    with interrupts.held():
        kept = keep_aside(db, aside)
        if wal_of(db).exists():
            os.replace(wal_of(db), wal_of(kept))
        os.replace(staged, db)
        sync_folder(db.parent)
    return kept


def sync_folder(place: Path) -> None:
    """Make a rename in a folder durable (a crash right after it keeps the new name)."""
    with suppress(OSError):
        fd = os.open(place, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def leftovers(db: Path) -> list[Path]:
    """Staged files a killed backup or restore of this database left beside it or in its backups folder (never a
    file of another name: each staged name is the final name, STAGED and a random tag)."""
    tail = re.escape(STAGED) + r"[0-9a-f]{12}\.tmp(?:\.wal)?$"
    beside = re.compile(r"^\." + re.escape(db.name) + r"(?:\.replaced-\d{8}T\d{6}(?:-\d+)?)?" + tail)
    inside = re.compile(r"^\.\d{8}T\d{6}_[\w-]+\.duckdb" + tail)
    found: list[Path] = []
    for place, pattern in ((db.parent, beside), (folder(db), inside)):
        if place.is_dir():
            found += sorted(p for p in place.iterdir() if pattern.match(p.name) and p.is_file())
    return found
