"""Reading input files into polars frames of trimmed text, and `kpi load` (load_files) around them."""

from __future__ import annotations

import csv
import hashlib
import io
import re
import tomllib
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kpi.errors import Failure, InputRejected, UsageProblem

if TYPE_CHECKING:
    import duckdb
    import polars as pl

    from schemas.common import KindSpec

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
TABLE_SUFFIXES = {".csv", ".xlsx", ".parquet"}
UNIT_SUFFIX = re.compile(r"\s*[(\[](億円|円|yen|oku yen|oku_yen)[)\]]\s*$", re.IGNORECASE)
BOM = "\ufeff"


@dataclass
class SourceFile:
    """One input file, read and checked: its text frame, or the failures that stop it."""

    path: Path
    kind: str
    sha256: str
    frame: Any = None  # pl.DataFrame of text, with _line
    units: dict[str, str] = field(default_factory=dict)
    encoding: str | None = None
    settings: dict[str, str] | None = None  # programme settings (kind 'programme')
    rs: Any = None  # kpi.rs.RsData (kind 'rs')


@dataclass
class FileResult:
    """What a load did with one file."""

    file: str
    kind: str
    rows: int
    inserted: int
    updated: int
    load_id: int | None
    note: str = ""


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
            raise InputRejected(f"{path}: no such file or folder")
        members = sorted(p for p in path.iterdir() if p.is_file()) if path.is_dir() else [path]
        for member in members:
            k = kind_of(member, kind if not path.is_dir() else None)
            if k is None:
                if path.is_dir():
                    skipped.append(member)
                    continue
                raise UsageProblem(
                    f"{member}: cannot tell what it holds from its name; "
                    "name it themes*.csv, budget*.csv, followups*.csv or pass --kind"
                )
            found.append((member, k))
    found.sort(key=lambda pk: KIND_ORDER.index(pk[1]) if pk[1] in KIND_ORDER else len(KIND_ORDER))
    return found, skipped


def decode(path: Path, data: bytes, encoding: str | None) -> tuple[str, str]:
    """Text of a CSV file and the encoding used: BOM, else strict UTF-8, else CP932, unless told."""
    if encoding:
        try:
            return data.decode(encoding).removeprefix(BOM), encoding
        except (UnicodeDecodeError, LookupError) as exc:
            raise InputRejected(f"{path}: cannot decode as {encoding}: {exc}") from exc
    candidates = ["utf-8-sig"] if data.startswith(b"\xef\xbb\xbf") else ["utf-8", "cp932"]
    for name in candidates:
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        if name == "cp932":
            _refuse_mixed_encodings(path, data)
        return text, name
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputRejected(
            f"{path}: line {line}: neither UTF-8 nor CP932 (byte 0x{data[exc.start]:02x}); "
            "save it as UTF-8 or pass --encoding"
        ) from exc
    raise AssertionError("unreachable")


def _refuse_mixed_encodings(path: Path, data: bytes) -> None:
    """A file that is not UTF-8 as a whole but has UTF-8 lines was joined from two encodings: CP932 would
    turn its UTF-8 lines into mojibake (日本 → 譌･譛ｬ), so it is refused."""
    utf8_line = cp932_line = None
    for number, line in enumerate(data.split(b"\n"), start=1):
        if max(line, default=0) < 0x80:
            continue
        try:
            line.decode("utf-8")
            utf8_line = utf8_line or number
        except UnicodeDecodeError:
            cp932_line = cp932_line or number
        if utf8_line and cp932_line:
            raise InputRejected(
                f"{path}: mixed encodings: line {utf8_line} is UTF-8 but line {cp932_line} is not (CP932?); "
                "save the whole file in one encoding (UTF-8)"
            )


def row_lines(data: bytes, n_rows: int) -> list[int]:
    """The line each data row starts on (as an editor numbers lines), header on line 1; `data` is UTF-8."""
    body_lines = data.count(b"\n") + (0 if data.endswith(b"\n") else 1) - 1
    if body_lines == n_rows:
        return list(range(2, n_rows + 2))
    # Quoted fields hold line breaks: follow the records with the csv module (slow path, rare).
    reader = csv.reader(io.StringIO(data.decode("utf-8")))
    next(reader, None)
    lines, previous_end = [], reader.line_num
    for _ in reader:
        lines.append(previous_end + 1)
        previous_end = reader.line_num
    return lines[:n_rows] + list(range(previous_end + 1, previous_end + 1 + n_rows - len(lines)))


QUOTED_FIELD = r'"(?:[^"]|"")*"'


def ragged_rows(path: Path, data: bytes) -> list[Failure]:
    """Rows whose number of fields differs from the header's (polars would fill or reject them silently).

    Fast path: the file's lines as one polars column, quoted fields removed, commas counted. A quoted field
    that spans lines sends the file to the exact path (the csv module, record by record).
    """
    import polars as pl

    separator = next((c for c in "\x1f\x1e\x1d\x1c" if c.encode() not in data), None)
    found: list[tuple[int, int]] = []
    width = 0
    exact = separator is None
    if separator is not None:
        lines = pl.read_csv(
            data, has_header=False, separator=separator, quote_char=None, infer_schema=False, new_columns=["l"]
        )["l"]
        cells = lines.str.replace_all(QUOTED_FIELD, "")
        if cells.str.contains('"', literal=True).any():
            exact = True
        else:
            fields = cells.str.count_matches(",", literal=True) + 1
            width = int(fields[0])
            bad = ((fields != width) & (lines.str.strip_chars().str.len_chars() > 0)).arg_true()
            found = [(int(i) + 1, int(fields[int(i)])) for i in bad if int(i) > 0]
    if exact:
        reader = csv.reader(io.StringIO(data.decode("utf-8")), strict=True)
        previous_end = 0
        try:
            width = len(next(reader, []))
            previous_end = reader.line_num
            for record in reader:
                if record and len(record) != width and any(cell.strip() for cell in record):
                    found.append((previous_end + 1, len(record)))
                previous_end = reader.line_num
        except csv.Error as exc:
            rule = "a quote opened here is never closed" if "end of data" in str(exc) else f"malformed quoting: {exc}"
            return [Failure(str(path), previous_end + 1, "", None, rule)]
    return [
        Failure(str(path), line, "", None, f"{n} fields where the header has {width} (a missing or extra comma?)")
        for line, n in found
    ]


def _normalise_header(name: str) -> tuple[str, str | None]:
    """NFKC, trimmed, lower-case header text and the unit it names, if any."""
    text = unicodedata.normalize("NFKC", str(name)).strip().lstrip(BOM)
    unit = None
    if m := UNIT_SUFFIX.search(text):
        unit = "yen" if m.group(1) in ("円", "yen") else "oku_yen"
        text = text[: m.start()].strip()
    return text.lower(), unit


def map_headers(path: Path, headers: list[str], spec: KindSpec) -> tuple[dict[str, str], dict[str, str]]:
    """Canonical name of each header, and units; reject unknown, duplicated and missing columns."""
    aliases: dict[str, str] = {}
    for column, names in spec.COLUMNS.items():
        for name in [column, *names]:
            aliases[_normalise_header(name)[0]] = column
    mapping: dict[str, str] = {}
    units: dict[str, str] = {}
    failures: list[Failure] = []
    seen: dict[str, str] = {}
    for header in headers:
        key, unit = _normalise_header(header)
        canonical = aliases.get(key) or aliases.get(key.replace(" ", "_"))
        if canonical is None:
            expected = ", ".join(f"{c} [{n[0]}]" if n else c for c, n in spec.COLUMNS.items())
            failures.append(Failure(str(path), 1, header, header, f"unknown column; expected: {expected}"))
            continue
        if canonical in seen:
            failures.append(
                Failure(str(path), 1, header, header, f"duplicate column: {seen[canonical]!r} is also {canonical}")
            )
            continue
        seen[canonical] = header
        mapping[header] = canonical
        if unit:
            units[canonical] = unit
    for canonical in spec.COLUMNS:
        if canonical not in seen and canonical not in spec.OPTIONAL:  # type: ignore[attr-defined]
            names = spec.COLUMNS[canonical]
            failures.append(
                Failure(
                    str(path),
                    1,
                    canonical,
                    None,
                    f"required column missing ({canonical} or {names[0] if names else canonical})",
                )
            )
    if failures:
        raise InputRejected(f"{path}: the header row does not match the {spec.KIND} contract", failures)
    return mapping, units


MAX_HEADER_BYTES, MAX_COLUMNS = 64 * 1024, 1000


def check_header(path: Path, utf8: bytes) -> None:
    """Refuse a header row that is absurdly long or names a column twice (polars would rename the copy)."""
    end = utf8.find(b"\n")
    first = utf8 if end < 0 else utf8[:end]
    if len(first) > MAX_HEADER_BYTES:
        raise InputRejected(f"{path}: line 1: the header row is {len(first):,} bytes long; is this really a table?")
    header = next(csv.reader(io.StringIO(first.decode("utf-8"))), [])
    if len(header) > MAX_COLUMNS:
        raise InputRejected(f"{path}: line 1: the header row has {len(header):,} columns; is this really a table?")
    seen: dict[str, str] = {}
    for name in header:
        key = _normalise_header(name)[0]
        if key in seen:
            raise InputRejected(
                f"{path}: line 1: duplicate column {name!r}", [Failure(str(path), 1, name, name, "duplicate column")]
            )
        seen[key] = name


def csv_bytes(path: Path, data: bytes, encoding: str | None) -> tuple[bytes, str]:
    """The file as UTF-8 bytes for polars and the encoding it was in; decoded in Python only when it is not UTF-8."""
    if encoding:
        text, used = decode(path, data, encoding)
        utf8 = text.encode("utf-8")
    elif data.startswith(BOM.encode()):
        utf8, used = data[3:], "utf-8-sig"
    else:
        utf8, used = data, "utf-8"
        if not _is_utf8(data):  # a valid UTF-8 file is never decoded in Python: polars reads the bytes
            text, used = decode(path, data, None)
            utf8 = text.encode("utf-8")
    if BOM.encode() in utf8:
        line = utf8[: utf8.index(BOM.encode())].count(b"\n") + 1
        raise InputRejected(
            f"{path}: line {line}: a byte-order mark (BOM) inside the file; files were joined without removing it"
        )
    if b"\x00" in utf8:
        raise InputRejected(f"{path}: holds binary data (NUL bytes); is it really a CSV file?")
    return utf8, used


def _is_utf8(data: bytes) -> bool:
    """Whether bytes are valid UTF-8 (polars' check: twice as fast as bytes.decode, and nothing kept)."""
    import polars as pl

    try:
        pl.Series([data], dtype=pl.Binary).cast(pl.String)
    except pl.exceptions.ComputeError:
        return False
    return True


def read_table(path: Path, encoding: str | None, data: bytes) -> tuple[pl.DataFrame, list[int], str | None]:
    """A file's cells as text (nothing inferred), the line of each row, and the encoding used."""
    import polars as pl

    suffix = path.suffix.lower()
    if not data.strip(b" \t\r\n\x00" + BOM.encode()):
        raise InputRejected(f"{path}: the file is empty; an export that came out empty is refused")
    try:
        if suffix == ".csv":
            utf8, used = csv_bytes(path, data, encoding)
            check_header(path, utf8)
            if ragged := ragged_rows(path, utf8):
                raise InputRejected(f"{path}: rows with the wrong number of fields", ragged)
            df = pl.read_csv(utf8, infer_schema=False, raise_if_empty=False)
            return df, row_lines(utf8, df.height), used
        if suffix == ".xlsx":
            df = pl.read_excel(path, engine="calamine", infer_schema_length=0, raise_if_empty=False)
            return df, list(range(2, df.height + 2)), None
        if suffix == ".parquet":
            df = pl.read_parquet(path)
            return df.cast(pl.String), list(range(1, df.height + 1)), None
    except InputRejected:
        raise
    except Exception as exc:  # polars and fastexcel raise many types for malformed files
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise InputRejected(f"{path}: cannot read as {suffix[1:].upper()}: {first}") from exc
    raise UsageProblem(f"{path}: unsupported file type {suffix!r} (use .csv, .xlsx or .parquet)")


def read_source(path: Path, kind: str, encoding: str | None) -> SourceFile:
    """Read one file of a known kind into a text frame with canonical column names and `_line`."""
    import polars as pl

    from schemas import KINDS
    from schemas.common import LINE

    data = path.read_bytes()  # read once: hashed here, parsed below
    sha = hashlib.sha256(data).hexdigest()
    if kind == "programme":
        return SourceFile(path, kind, sha, settings=read_programme(path))
    if kind not in KINDS:
        raise UsageProblem(f"unknown kind {kind!r}; use one of: {', '.join(KIND_ORDER)}")
    spec = KINDS[kind]
    raw, lines, used = read_table(path, encoding, data)
    del data
    mapping, units = map_headers(path, raw.columns, spec)
    free_text = spec.FREE_TEXT  # type: ignore[attr-defined]
    text = pl.col(pl.String)
    frame = raw.rename(mapping).with_columns(pl.Series(LINE, lines, dtype=pl.Int64))
    frame = frame.with_columns(
        *(
            (pl.col(c).str.strip_chars() if c in free_text else pl.col(c).str.normalize("NFKC").str.strip_chars())
            for c in mapping.values()
        )
    ).with_columns(pl.when(text.str.len_chars() > 0).then(text).otherwise(None))
    frame = frame.filter(~pl.all_horizontal(pl.col(c).is_null() for c in mapping.values()))
    if frame.height == 0:
        raise InputRejected(f"{path}: no rows, only a header; an export that came out empty is refused")
    missing = [c for c in spec.COLUMNS if c not in frame.columns]
    frame = frame.with_columns(pl.lit(None, dtype=pl.String).alias(c) for c in missing)
    frame = frame.select(*spec.COLUMNS, LINE)
    return SourceFile(path, kind, sha, frame=frame, units=units, encoding=used)


PROGRAMME_KEYS = {
    "name": str,
    "project_id": int,
    "short_term_target": str,
    "long_term_target": str,
    "followup_horizon_years": int,
    "long_term_judged_from_fy": int,
}
OPTIONAL_PROGRAMME_KEYS = {"grade_points"}  # 評点法: "A=3, B=2, C=1, D=0" unless given


def read_programme(path: Path) -> dict[str, str]:
    """The programme's settings from a TOML file, checked key by key."""
    from kpi.fiscal import parse_fy
    from kpi.metrics import parse_grade_points, parse_target

    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputRejected(f"{path}: not valid TOML: {exc}") from exc
    failures = []
    for key in raw:
        if key not in PROGRAMME_KEYS and key not in OPTIONAL_PROGRAMME_KEYS:
            failures.append(
                Failure(str(path), None, key, str(raw[key]), f"unknown setting; expected: {', '.join(PROGRAMME_KEYS)}")
            )
    for key in PROGRAMME_KEYS:
        if key not in raw:
            failures.append(Failure(str(path), None, key, None, "required setting missing"))
    settings = {k: str(v) for k, v in raw.items() if k in PROGRAMME_KEYS or k in OPTIONAL_PROGRAMME_KEYS}

    def horizon(value: str) -> int:
        years = int(value)
        if not 0 <= years <= 30:
            raise ValueError("follow-up horizon must be 0–30 years")
        return years

    checks: dict[str, Callable[[str], object]] = {
        "short_term_target": parse_target,
        "long_term_target": parse_target,
        "long_term_judged_from_fy": parse_fy,
        "project_id": int,
        "followup_horizon_years": horizon,
        "grade_points": parse_grade_points,
    }
    for key, check in checks.items():
        if key in settings:
            try:
                check(settings[key])
            except (ValueError, ZeroDivisionError) as exc:
                failures.append(Failure(str(path), None, key, settings[key], str(exc) or "invalid value"))
    if failures:
        raise InputRejected(f"{path}: programme settings rejected", failures)
    settings["long_term_judged_from_fy"] = str(parse_fy(settings["long_term_judged_from_fy"]))
    return settings


@dataclass
class Batch:
    """The files of one `kpi load`, read and checked on their own (before the database is opened)."""

    sources: list[SourceFile]
    skipped: list[Path]
    failures: list[Failure]
    records: dict[int, Any]


def read_files(
    paths: list[Path],
    kind: str | None = None,
    encoding: str | None = None,
    project_id: int | None = None,
    stored_project_id: Callable[[], int | None] = lambda: None,
) -> Batch:
    """Read and validate every file; collect every failure instead of stopping at the first.

    RS files keep one project's rows: --project-id, else the programme settings of this load, else the stored ones.
    """
    from kpi import validate

    found, skipped = find_files(paths, kind)
    if not found:
        raise InputRejected(
            "no loadable files found (expected themes*.csv, budget*.csv, followups*.csv, programme*.toml, …)"
        )
    sources: list[SourceFile] = []
    failures: list[Failure] = []
    for path, k in found:
        try:
            if k == "rs":
                project_id = project_id or _programme_project_id(sources) or stored_project_id()
                if project_id is None:
                    raise UsageProblem(
                        f"{path}: which project? pass --project-id (the 予算事業ID) or load programme.toml first"
                    )
                sources.append(read_rs_source(path, project_id, encoding))
            else:
                sources.append(read_source(path, k, encoding))
        except InputRejected as exc:
            failures.extend(exc.failures or [Failure(str(path), None, "", None, str(exc).removeprefix(f"{path}: "))])
    records = validate.validate_sources(sources, failures)
    return Batch(sources, skipped, failures, records)


def _programme_project_id(sources: list[SourceFile]) -> int | None:
    return next((int(s.settings["project_id"]) for s in sources if s.settings), None)


def read_rs_source(path: Path, project_id: int, encoding: str | None) -> SourceFile:
    """One RS open-data file (2-1 or 3-1), the project's rows only."""
    from kpi.rs import read_rs

    data = read_rs(path, project_id, encoding)
    return SourceFile(path, "rs", data.sha256, encoding=data.encoding, rs=data)


def load_files(con: duckdb.DuckDBPyConnection, batch: Batch) -> list[FileResult]:
    """Check a batch against what is stored, then write it in one transaction: all of it, or nothing."""
    from kpi import store, validate

    failures = batch.failures + validate.check_references(con, batch.sources, batch.records)
    if failures:
        raise InputRejected(f"{len(failures)} problem(s) found; nothing was loaded", failures)
    return store.write_sources(con, batch.sources, batch.records)
