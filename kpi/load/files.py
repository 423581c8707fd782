"""Which files a `kpi load` reads, the kind each one holds, and what it leaves out (and why).

Only regular files are read. A path named on the command line, or a file in a folder whose name says what it
holds, that is not a regular file (a FIFO, a device, a socket, a link to nothing) or is larger than the limit is
refused at once by name, before anything is read from it; a folder's other entries are left out and named.
"""

from __future__ import annotations

import os
import stat
import unicodedata
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from kpi.db.gate import office_lock
from kpi.errors import Failure, InputRejected, OpenInOffice, UsageProblem


class Kind(StrEnum):
    """What a file holds (`kpi load --kind`), in the order a load writes them: follow-ups refer to themes loaded
    in the same command."""

    themes = "themes"
    budget = "budget"
    followups = "followups"
    outputs = "outputs"
    grants = "grants"
    stagegate = "stagegate"
    schedule = "schedule"
    evaluation = "evaluation"
    recommendations = "recommendations"
    published = "published"
    rs = "rs"
    programme = "programme"


KIND_ORDER = ["programme", *(str(k) for k in Kind if k is not Kind.programme)]
# How a file's name begins for each kind, in English and as offices name them in Japanese (with or without a date
# after it: 予算2026.csv, テーマ一覧_2026-03-31.xlsx). The RS files are known by `_rs_` in their names.
NAMES = {
    "programme": ("programme", "設定"),
    "themes": ("themes", "テーマ一覧", "テーマ"),
    "budget": ("budget", "予算"),
    "followups": ("followups", "追跡調査"),
    "outputs": ("outputs", "成果"),
    "grants": ("grants", "権利化"),
    "stagegate": ("stagegate", "ステージゲート"),
    "schedule": ("schedule", "スケジュール", "研究開発計画", "マイルストーン"),
    "evaluation": ("evaluation", "評点"),
    "recommendations": ("recommendations", "指摘事項", "提言"),
    "published": ("published", "公表値"),
}
# Every way Excel saves a sheet (kpi.load.tables), and parquet.
TABLE_SUFFIXES = {".csv", ".tsv", ".txt", ".xlsx", ".xls", ".ods", ".parquet"}
MAX_FILE_BYTES = 2 * 1024**3  # --max-file-size: a larger input is refused before it is read

# Why an entry was not read (catalogue keys), for the load's output.
NOT_A_KIND = "load.skip.not_a_kind"
A_FOLDER = "load.skip.folder"
NOT_A_FILE = "load.skip.not_a_file"
OWN_FILE = "load.skip.database"
LOCK_FILE = "load.skip.lock_file"


def is_lock_file(path: Path) -> bool:
    """Whether a name is one Excel (`~$…`) or LibreOffice (`.~lock.…#`) gives the lock file of a file it has open."""
    return path.name.startswith("~$") or (path.name.startswith(".~lock.") and path.name.endswith("#"))


@dataclass(frozen=True)
class Skipped:
    """An entry of a folder the load did not read, and why (a catalogue key); or, with `params`, what the load
    left out of a file it read (kpi.load.ingest.read_notes)."""

    path: Path
    reason: str
    params: dict[str, Any] = field(default_factory=dict, compare=False)


def kind_of(path: Path, kind: str | None) -> str | None:
    """The kind a file holds: --kind, else its name's stem (themes*.csv, budget*.xlsx, programme*.toml)."""
    if kind:
        return kind
    stem = unicodedata.normalize("NFKC", path.stem).lower()
    if path.suffix.lower() == ".toml":
        return "programme" if stem.startswith(NAMES["programme"]) else None
    if path.suffix.lower() not in TABLE_SUFFIXES:
        return None
    if "_rs_" in stem and path.suffix.lower() == ".csv":  # the government's files: 2-1_RS_2025_予算・執行_サマリ.csv
        return "rs"
    return next((k for k, names in NAMES.items() if k != "programme" and stem.startswith(names)), None)


def kind_in_folder(member: Path, kind: str | None) -> str | None:
    """The kind of a file in a folder by its name, or --kind for every file of the folder that can hold it (a
    table; settings for programme), whatever its name: the kind named is never second-guessed by the headers."""
    if kind is None:
        return kind_of(member, None)
    holds = {".toml"} if kind == "programme" else TABLE_SUFFIXES
    return kind if member.suffix.lower() in holds else None


def kind_by_headers(path: Path) -> str | None:
    """The kind of a file its name does not tell (調査票.xlsx): the one kind whose every required column its header
    row names (the header found as a load finds it), said in the load's output; None when no kind's or several
    kinds' are named."""
    from kpi.db.notices import notice
    from kpi.load.tables import names_every_required
    from schemas import KINDS

    try:
        data = path.read_bytes()
    except OSError:
        return None
    fitting = [kind for kind, spec in KINDS.items() if names_every_required(path, data, spec)]
    if len(fitting) != 1:
        return None
    notice("load.kind_by_headers", path=str(path), kind=fitting[0], kind_ja=NAMES[fitting[0]][1])
    return fitting[0]


def _kind_inside(member: Path, max_bytes: int, kept: Collection[Path]) -> str | None:
    """The kind of a readable file in a folder whose name does not tell it (a workbook renamed 【回答】産総研.xlsx):
    judged by its headers, as when it is named alone; None when they fit no one kind (it is then skipped, named)."""
    if _what(member) is not None or check_input(member, max_bytes, kept) is not None:
        return None
    return kind_by_headers(member)


def _what(path: Path) -> str | None:
    """What a path is when it is not a regular file (a catalogue key), else None."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return "load.input.dangling" if path.is_symlink() else "load.input.missing"
    except OSError:
        return "load.input.unreadable"
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "load.input.folder"
    if stat.S_ISFIFO(mode):
        return "load.input.fifo"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "load.input.device"
    if stat.S_ISSOCK(mode):
        return "load.input.socket"
    return "load.input.other"


def _refusal(path: Path, key: str, **params: object) -> Failure:
    return Failure(str(path), None, "", None, key, {"path": str(path), **params})


def check_input(path: Path, max_bytes: int, kept: Collection[Path] = ()) -> Failure | None:
    """Why a file cannot be read as an input, if it cannot: not a regular file, larger than `max_bytes`, or one of
    the database's own files (reading it would drop the database's lock: kpi.db.connect._hold)."""
    what = _what(path)
    if what is not None:
        return _refusal(path, what)
    if any(_same(path, other) for other in kept):
        return _refusal(path, "load.input.database")
    size = path.stat().st_size
    if size > max_bytes:
        return _refusal(path, "load.limit_size", size=f"{size:,}", limit=f"{max_bytes:,}")
    return check_format(path)


HEAD_BYTES = 64 * 1024  # what a file's format is judged on, before the file is read
MAGIC = {  # the first bytes of formats an office's file may turn out to be
    b"PK\x03\x04": "zip",
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1": "ole",
    b"PAR1": "parquet",
    b"%PDF": "pdf",
    b"\x89PNG": "png",
    b"\xff\xd8\xff": "jpeg",
    b"GIF8": "gif",
    b"\x1f\x8b": "gzip",
}
FORMAT_WORDS = {  # what a format is, in the message (catalogue keys)
    "zip": "load.format.zip",
    "ole": "load.format.ole",
    "parquet": "load.format.parquet",
    "pdf": "load.format.pdf",
    "png": "load.format.png",
    "jpeg": "load.format.jpeg",
    "gif": "load.format.gif",
    "gzip": "load.format.gzip",
    "text": "load.format.text",
}
EXPECTED = {".xlsx": "zip", ".ods": "zip", ".xls": "ole", ".parquet": "parquet"}  # any other suffix: text
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def check_format(path: Path) -> Failure | None:
    """Why a file's first bytes are not what its suffix says, if they are not: a workbook or an image named .csv,
    a text file named .xlsx, NUL bytes in a text file (binary data). Judged on the first 64 KiB, so that a large
    file of the wrong kind is refused without being read."""
    try:
        with open(path, "rb") as f:
            head = f.read(HEAD_BYTES)
    except OSError:
        return _refusal(path, "load.input.unreadable")
    found = next((name for magic, name in MAGIC.items() if head.startswith(magic)), None)
    expected = EXPECTED.get(path.suffix.lower())
    if expected is not None and found != expected:
        return _refusal(path, "load.input.not_format", suffix=path.suffix.lower(), found=FORMAT_WORDS[found or "text"])
    if expected is None and found is not None:
        return _refusal(path, "load.input.binary_format", suffix=path.suffix.lower(), found=FORMAT_WORDS[found])
    if expected is None and b"\x00" in head and not head.startswith(UTF16_BOMS):
        return _refusal(path, "load.binary")
    return None


def _same(path: Path, other: Path) -> bool:
    try:
        return path.resolve() == other.resolve() or (other.exists() and os.path.samefile(path, other))
    except OSError:
        return False


def refuse_open(paths: Iterable[Path]) -> None:
    """Refuse a load (exit 75) whose inputs include a file open in Excel or LibreOffice (kpi.db.gate.office_lock):
    its last saved version may not be what the screen shows. Every such file is named, with its lock file."""
    open_now = [(path, lock) for path in paths if (lock := office_lock(path)) is not None]
    if open_now:
        raise OpenInOffice(
            "load.open_in_office",
            files=", ".join(str(path) for path, _ in open_now),
            locks=", ".join(lock.name for _, lock in open_now),
        )


def find_files(
    paths: list[Path], kind: str | None, max_bytes: int = MAX_FILE_BYTES, kept: Collection[Path] = ()
) -> tuple[list[tuple[Path, str]], list[Skipped]]:
    """Expand folders into the files they hold (with --kind, every table file of a folder is of that kind); return
    (recognised files with kinds, entries left out). A file the load must read but cannot (named on the command
    line, or known for its kind in a folder) is refused here, all of them at once (exit 3), before any is read."""
    found: list[tuple[Path, str]] = []
    skipped: list[Skipped] = []
    refused: list[Failure] = []
    for path in paths:
        if not path.exists() and not path.is_symlink():
            raise InputRejected("load.no_such_path", path=str(path))
        if not path.is_dir():
            problem = check_input(path, max_bytes, kept)
            k = kind_of(path, kind) or (None if problem else kind_by_headers(path))
            if k is None:
                raise UsageProblem("load.kind_unknown_by_name", path=str(path))
            refused += [problem] if problem else []
            found.append((path, k))
            continue
        for member in sorted(path.iterdir()):
            k = kind_in_folder(member, kind)
            if any(_same(member, other) for other in kept):
                skipped.append(Skipped(member, OWN_FILE))  # the database beside its inputs: never opened
                continue
            if member.is_dir() and not member.is_symlink():
                skipped.append(Skipped(member, A_FOLDER))
            elif is_lock_file(member):
                skipped.append(Skipped(member, LOCK_FILE))
            elif k is None and (kind is not None or (k := _kind_inside(member, max_bytes, kept)) is None):
                skipped.append(Skipped(member, NOT_A_KIND if _what(member) is None else NOT_A_FILE))
            elif problem := check_input(member, max_bytes, kept):
                refused.append(problem)
            else:
                found.append((member, k))
    if refused:
        raise InputRejected("load.inputs_refused", refused, count=len(refused))
    refuse_open(path for path, _ in found)
    found.sort(key=lambda pk: KIND_ORDER.index(pk[1]) if pk[1] in KIND_ORDER else len(KIND_ORDER))
    return found, skipped
