"""Which files a `kpi load` reads, and the kind each one holds."""

from __future__ import annotations

from pathlib import Path

from kpi.errors import InputRejected, UsageProblem

# Kinds in the order they are written: followups refer to themes loaded in the same command.
KIND_ORDER = [
    "programme",
    "themes",
    "budget",
    "followups",
    "outputs",
    "grants",
    "stagegate",
    "evaluation",
    "published",
    "rs",
]
# Every way Excel saves a sheet (kpi.load.tables), and parquet.
TABLE_SUFFIXES = {".csv", ".tsv", ".txt", ".xlsx", ".xls", ".ods", ".parquet"}


def kind_of(path: Path, kind: str | None) -> str | None:
    """The kind a file holds: --kind, else its name's stem (themes*.csv, budget*.xlsx, programme*.toml)."""
    if kind:
        return kind
    stem = path.stem.lower()
    if path.suffix.lower() == ".toml":
        return "programme" if stem.startswith("programme") else None
    if path.suffix.lower() not in TABLE_SUFFIXES:
        return None
    if "_rs_" in stem and path.suffix.lower() == ".csv":  # the government's files: 2-1_RS_2025_予算・執行_サマリ.csv
        return "rs"
    return next((k for k in KIND_ORDER if k not in ("programme", "rs") and stem.startswith(k)), None)


def find_files(paths: list[Path], kind: str | None) -> tuple[list[tuple[Path, str]], list[Path]]:
    """Expand folders into the files they hold; return (recognised files with kinds, skipped files)."""
    found: list[tuple[Path, str]] = []
    skipped: list[Path] = []
    for path in paths:
        if not path.exists():
            raise InputRejected("load.no_such_path", path=str(path))
        members = sorted(p for p in path.iterdir() if p.is_file()) if path.is_dir() else [path]
        for member in members:
            k = kind_of(member, kind if not path.is_dir() else None)
            if k is None:
                if path.is_dir():
                    skipped.append(member)
                    continue
                raise UsageProblem("load.kind_unknown_by_name", path=str(member))
            found.append((member, k))
    found.sort(key=lambda pk: KIND_ORDER.index(pk[1]) if pk[1] in KIND_ORDER else len(KIND_ORDER))
    return found, skipped
