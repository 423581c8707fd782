"""A delimited text file's bytes as UTF-8: the encoding detected (BOM, UTF-8, CP932, UTF-16 with BOM), its row
ends made LF, its separator (comma for .csv, tab for .tsv and .txt), and the faults of its layout (a BOM or NUL
inside, a header that is not one, rows with the wrong number of fields), each with its line."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from enum import StrEnum
from pathlib import Path

from kpi.errors import Failure, InputRejected


class InEncoding(StrEnum):
    """The encodings `kpi load --encoding` may name (else detected: BOM, UTF-8, CP932, UTF-16 with BOM)."""

    utf_8 = "utf-8"
    utf_8_sig = "utf-8-sig"
    cp932 = "cp932"


BOM = "\ufeff"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")  # Excel's 「Unicode テキスト」: UTF-16 (LE) with BOM, tab-separated
MAX_HEADER_BYTES, MAX_COLUMNS = 64 * 1024, 1000
TAB_SUFFIXES = (".tsv", ".txt")  # tab-separated text; .csv is comma-separated
# A .csv split on another separator is refused naming it (the key of the message that says how to save it).
OTHER_SEPARATORS = {";": "load.separator_semicolon", "\t": "load.separator_tab"}


def decode(path: Path, data: bytes, encoding: str | None) -> tuple[str, str]:
    """Text of a CSV file and the encoding used: BOM, else strict UTF-8, else CP932, unless told."""
    if encoding:
        try:
            return data.decode(encoding).removeprefix(BOM), encoding
        except (UnicodeDecodeError, LookupError) as exc:
            raise InputRejected("load.cannot_decode", encoding=encoding, detail=str(exc)) from exc
    candidates = ["utf-8-sig"] if data.startswith(b"\xef\xbb\xbf") else ["utf-8", "cp932"]
    for name in candidates:
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        if name == "cp932":
            _refuse_mixed_encodings(data)
        return text, name
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputRejected("load.not_utf8_or_cp932", line=line, byte=f"0x{data[exc.start]:02x}") from exc
    raise AssertionError("unreachable")


def _refuse_mixed_encodings(data: bytes) -> None:
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
            raise InputRejected("load.mixed_encodings", utf8_line=utf8_line, other_line=cp932_line)


def row_lines(data: bytes, n_rows: int, sep: str = ",") -> list[int]:
    """The line each data row starts on (as an editor numbers lines), header on line 1; `data` is UTF-8."""
    body_lines = data.count(b"\n") + (0 if data.endswith(b"\n") else 1) - 1
    if body_lines == n_rows:
        return list(range(2, n_rows + 2))
    # Quoted fields hold line breaks: follow the records with the csv module (slow path, rare).
    reader = csv.reader(io.StringIO(data.decode("utf-8")), delimiter=sep)
    next(reader, None)
    lines, previous_end = [], reader.line_num
    for _ in reader:
        lines.append(previous_end + 1)
        previous_end = reader.line_num
    return lines[:n_rows] + list(range(previous_end + 1, previous_end + 1 + n_rows - len(lines)))


QUOTED_FIELD = r'"(?:[^"]|"")*"'


def ragged_rows(path: Path, data: bytes, sep: str = ",") -> list[Failure]:
    """Rows whose number of fields differs from the header's (polars would fill or reject them silently).

    Fast path: the file's lines as one polars column, quoted fields removed, separators counted. A quoted field
    that spans lines sends the file to the exact path (the csv module, record by record).
    """
    import polars as pl

    line_sep = next((c for c in "\x1f\x1e\x1d\x1c" if c.encode() not in data), None)
    found: list[tuple[int, int]] = []
    width = rows = 0
    exact = line_sep is None
    if line_sep is not None:
        lines = pl.read_csv(
            data, has_header=False, separator=line_sep, quote_char=None, infer_schema=False, new_columns=["l"]
        )["l"]
        cells = lines.str.replace_all(QUOTED_FIELD, "")
        if cells.str.contains('"', literal=True).any():
            exact = True
        else:
            fields = cells.str.count_matches(sep, literal=True) + 1
            width = int(fields[0])
            filled = lines.str.strip_chars().str.len_chars() > 0
            bad = ((fields != width) & filled).arg_true()
            found = [(int(i) + 1, int(fields[int(i)])) for i in bad if int(i) > 0]
            rows = int(filled.sum()) - 1
    if exact:
        reader = csv.reader(io.StringIO(data.decode("utf-8")), delimiter=sep, strict=True)
        previous_end = 0
        try:
            width = len(next(reader, []))
            previous_end = reader.line_num
            rows = 0
            for record in reader:
                if record and any(cell.strip() for cell in record):
                    rows += 1
                    if len(record) != width:
                        found.append((previous_end + 1, len(record)))
                previous_end = reader.line_num
        except csv.Error as exc:
            if "end of data" in str(exc):
                return [Failure(str(path), previous_end + 1, "", None, "rule.unclosed_quote")]
            return [Failure(str(path), previous_end + 1, "", None, "rule.bad_quoting", {"detail": str(exc)})]
    counts = {n for _, n in found}
    if len(found) > 1 and len(found) == rows and len(counts) == 1:  # every row disagrees alike: the header is off
        n = counts.pop()
        return [Failure(str(path), 1, "", None, "rule.header_field_count", {"n": n, "width": width, "rows": rows})]
    return [Failure(str(path), line, "", None, "rule.field_count", {"n": n, "width": width}) for line, n in found]


def normalise_header(name: str) -> str:
    """A header cell as compared: NFKC, trimmed, lower-case, without a stray BOM."""
    return unicodedata.normalize("NFKC", str(name)).strip().lstrip(BOM).lower()


def _first_line(utf8: bytes) -> bytes:
    end = utf8.find(b"\n")
    return utf8 if end < 0 else utf8[:end]


def separator(path: Path, utf8: bytes, line: int = 1) -> str:
    """The field separator: a tab for .tsv and .txt, else a comma. A .csv whose header splits on ';' or tabs
    (a European Excel, a renamed text export) and a .txt or .tsv without a tab in its header are refused,
    saying what was found and how to save the sheet (the header's `line` in the file named)."""
    first = _first_line(utf8)[:MAX_HEADER_BYTES].decode("utf-8", errors="replace")
    fields = {sep: len(next(csv.reader([first], delimiter=sep), [])) for sep in (",", ";", "\t")}
    suffix = path.suffix.lower()
    if suffix in TAB_SUFFIXES:
        if fields["\t"] > 1:
            return "\t"
        key = "load.not_tab_separated_commas" if fields[","] > 1 else "load.not_tab_separated"
        raise InputRejected(key, [Failure(str(path), line, "", None, key, {"suffix": suffix})], suffix=suffix)
    other = max(OTHER_SEPARATORS, key=lambda sep: fields[sep])
    if fields[other] > max(fields[","], 1):
        key = OTHER_SEPARATORS[other]
        raise InputRejected(key, [Failure(str(path), line, "", None, key)])
    return ","


def check_header(path: Path, utf8: bytes, sep: str = ",", line: int = 1) -> None:
    """Refuse a header row (the first of `utf8`, the file's `line`) that is absurdly long or names a column twice
    (polars would rename the copy)."""
    first = _first_line(utf8)
    if len(first) > MAX_HEADER_BYTES:
        raise InputRejected("load.header_too_long", bytes=f"{len(first):,}")
    header = next(csv.reader(io.StringIO(first.decode("utf-8")), delimiter=sep), [])
    if len(header) > MAX_COLUMNS:
        raise InputRejected("load.too_many_columns", columns=f"{len(header):,}")
    check_names(path, header, line)


def check_names(path: Path, header: list[str], line: int = 1) -> None:
    """Refuse a header (on the file's `line`) that names a column twice (after NFKC, trimming and case)."""
    seen: dict[str, str] = {}
    for name in header:
        key = normalise_header(name)
        if key in seen:
            raise InputRejected(
                "load.duplicate_column",
                [Failure(str(path), line, name, name, "rule.duplicate_column")],
                name=name,
                line=line,
            )
        seen[key] = name


def csv_bytes(path: Path, data: bytes, encoding: str | None) -> tuple[bytes, str]:
    """The file as UTF-8 bytes with LF or CRLF row ends for polars, and the encoding it was in; decoded in Python
    only when it is not UTF-8."""
    if encoding:
        text, used = decode(path, data, encoding)
        utf8 = text.encode("utf-8")
    elif data.startswith(UTF16_BOMS):
        try:
            utf8, used = data.decode("utf-16").removeprefix(BOM).encode("utf-8"), "utf-16"
        except UnicodeDecodeError as exc:
            raise InputRejected("load.cannot_decode", encoding="UTF-16", detail=str(exc)) from exc
    elif data.startswith(BOM.encode()):
        utf8, used = data[3:], "utf-8-sig"
    else:
        utf8, used = data, "utf-8"
        if not is_utf8(data):  # a valid UTF-8 file is never decoded in Python: polars reads the bytes
            text, used = decode(path, data, None)
            utf8 = text.encode("utf-8")
    if BOM.encode() in utf8:
        line = utf8[: utf8.index(BOM.encode())].count(b"\n") + 1
        raise InputRejected("load.bom_inside", line=line)
    if b"\x00" in utf8:
        raise InputRejected("load.binary")
    return lf_rows(utf8), used


def lf_rows(utf8: bytes) -> bytes:
    """Rows ended by CR alone (Excel for Mac's 「CSV（Macintosh）」) ended by LF instead, so that lines are counted
    as in any other file; a file whose first row ends otherwise is left as it is."""
    end = re.search(rb"\r\n?|\n", utf8)
    if end is None or end.group() != b"\r":
        return utf8
    return re.sub(rb"\r(?!\n)", b"\n", utf8)


def is_utf8(data: bytes) -> bool:
    """Whether bytes are valid UTF-8 (polars' check: twice as fast as bytes.decode, and nothing kept)."""
    import polars as pl

    try:
        pl.Series([data], dtype=pl.Binary).cast(pl.String)
    except pl.exceptions.ComputeError:
        return False
    return True
