"""A workbook's size as its cells have it, before calamine reads it: the used range of a sheet, counted
from the cells that hold a value (never trusted from its `dimension` or stretched by one far cell), and the
uncompressed size of its parts. calamine makes a dense grid of the range, so a 2.6 KB .xlsx with one cell at
XFD1048576 would ask for 512 GiB; such a file is refused here, by the limit it breaks, in bounded memory."""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO
from xml.parsers import expat

from kpi.errors import Failure, InputRejected

MAX_CELLS = 12_000_000  # a sheet's used range: rows × columns (calamine keeps every cell of it)
MAX_COLUMNS = 1_000  # as for a CSV header (kpi.load.decode)
MAX_PART_BYTES = 512 * 1024 * 1024  # one uncompressed part of a workbook (a sheet, the shared strings)
CHUNK = 1 << 16

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
CALCEXT = "urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"
CELL_REF = re.compile(r"^([A-Z]{1,3})([0-9]{1,7})$")


@dataclass
class Extent:
    """The rows and columns the valued cells of a sheet span (1-based), and how many cells hold a value."""

    top: int = 0
    left: int = 0
    bottom: int = 0
    right: int = 0
    cells: int = 0
    errors: list[tuple[int, int, str]] = field(default_factory=list)  # (row, column, text) of each Excel error cell

    def add(self, row: int, column: int, width: int = 1) -> None:
        self.cells += width
        if self.cells == width:
            self.top, self.left, self.bottom, self.right = row, column, row, column + width - 1
            return
        self.top, self.bottom = min(self.top, row), max(self.bottom, row)
        self.left, self.right = min(self.left, column), max(self.right, column + width - 1)

    @property
    def rows(self) -> int:
        return self.bottom - self.top + 1 if self.cells else 0

    @property
    def columns(self) -> int:
        return self.right - self.left + 1 if self.cells else 0


def column_number(letters: str) -> int:
    """A column's number from its letters (A = 1, XFD = 16384)."""
    n = 0
    for letter in letters:
        n = n * 26 + ord(letter) - 64
    return n


def column_letters(n: int) -> str:
    """A column's letters from its number."""
    out = ""
    while n:
        n, rest = divmod(n - 1, 26)
        out = chr(65 + rest) + out
    return out


def _feed(parser: expat.XMLParserType, part: IO[bytes]) -> None:
    while chunk := part.read(CHUNK):
        parser.Parse(chunk, False)
    parser.Parse(b"", True)


def _xlsx_sheet(book: zipfile.ZipFile, index: int = 0) -> str:
    """The part of the workbook's sheet at `index`, in the workbook's order (xl/worksheets/sheet1.xml for the first
    of most files)."""
    ids: list[str] = []
    targets: dict[str, str] = {}

    def start_workbook(name: str, attrs: dict[str, str]) -> None:
        if name == f"{MAIN} sheet":
            ids.append(attrs.get(f"{RELS} id", ""))

    def start_rels(name: str, attrs: dict[str, str]) -> None:
        if name == f"{PACKAGE_RELS} Relationship":
            targets[attrs.get("Id", "")] = attrs.get("Target", "")

    for part, handler in (("xl/workbook.xml", start_workbook), ("xl/_rels/workbook.xml.rels", start_rels)):
        parser = expat.ParserCreate(namespace_separator=" ")
        parser.StartElementHandler = handler
        with book.open(part) as f:
            _feed(parser, f)
    target = targets.get(ids[index], "") if index < len(ids) else ""
    target = target.lstrip("/")
    return target if target.startswith("xl/") else f"xl/{target}"


@dataclass
class _Cursor:
    """Where a scan of a sheet is: the row and column of the cell last seen, the cell being read."""

    row: int = 0
    column: int = 0
    ref: str = ""
    valued: bool = False
    error: bool = False
    text: str = ""
    in_value: bool = False
    repeat: int = 1
    repeat_rows: int = 1
    tables: int = 0
    past: bool = False  # past the table read: the rest of the book is not


def xlsx_extent(book: zipfile.ZipFile, index: int = 0) -> Extent:
    """The extent of the valued cells of the sheet at `index` (a <c> with a <v>, an inline string or a formula), and its
    cells holding an Excel error (t="e": #DIV/0!, #N/A, …), which calamine reads as empty."""
    extent, at = Extent(), _Cursor()

    def start(name: str, attrs: dict[str, str]) -> None:
        if name == f"{MAIN} row":
            at.row = int(attrs.get("r") or at.row + 1)
            at.column = 0
        elif name == f"{MAIN} c":
            at.ref, at.valued, at.error, at.text = attrs.get("r", ""), False, attrs.get("t") == "e", ""
        elif name in (f"{MAIN} v", f"{MAIN} is", f"{MAIN} f"):
            at.valued = True
            at.in_value = name == f"{MAIN} v"

    def text(data: str) -> None:
        if at.in_value and at.error:
            at.text += data

    def end(name: str) -> None:
        if name == f"{MAIN} v":
            at.in_value = False
        if name != f"{MAIN} c":
            return
        m = CELL_REF.match(at.ref)
        row, column = (int(m.group(2)), column_number(m.group(1))) if m else (at.row, at.column + 1)
        at.column = column
        if at.valued:
            extent.add(row, column)
        if at.error:
            extent.errors.append((row, column, at.text.strip() or "#?"))

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler, parser.EndElementHandler, parser.CharacterDataHandler = start, end, text
    with book.open(_xlsx_sheet(book, index)) as f:
        _feed(parser, f)
    return extent


def ods_extent(book: zipfile.ZipFile, index: int = 0) -> Extent:
    """The extent of the valued cells (a value type or text) of the table at `index`, repeats counted as calamine
    expands them."""
    extent, at = Extent(), _Cursor()
    cells = (f"{TABLE} table-cell", f"{TABLE} covered-table-cell")

    def start(name: str, attrs: dict[str, str]) -> None:
        if name == f"{TABLE} table":
            at.tables += 1
        if at.past or at.tables != index + 1:
            return
        if name == f"{TABLE} table-row":
            at.repeat_rows = int(attrs.get(f"{TABLE} number-rows-repeated") or 1)
            at.column = 0
        elif name in cells:
            at.repeat = int(attrs.get(f"{TABLE} number-columns-repeated") or 1)
            at.valued = f"{OFFICE} value-type" in attrs
            at.error, at.text = attrs.get(f"{CALCEXT} value-type") == "error", ""
        elif name == f"{TEXT} p":
            at.valued = at.in_value = True

    def text(data: str) -> None:
        if at.in_value and at.error:
            at.text += data

    def end(name: str) -> None:
        if at.past or at.tables != index + 1:
            return
        if name == f"{TEXT} p":
            at.in_value = False
        if name in cells:
            first = at.column + 1
            at.column += at.repeat
            if at.valued:  # a valued cell of a repeated row stands in each of its rows: the first and the last
                extent.add(at.row + 1, first, at.repeat)
                extent.add(at.row + at.repeat_rows, first, at.repeat)
            if at.error:
                extent.errors.append((at.row + 1, first, at.text.strip() or "#?"))
        elif name == f"{TABLE} table-row":
            at.row += at.repeat_rows
        elif name == f"{TABLE} table":
            at.past = True

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler, parser.EndElementHandler, parser.CharacterDataHandler = start, end, text
    with book.open("content.xml") as f:
        _feed(parser, f)
    return extent


def sheet_names(path: Path, data: bytes) -> tuple[str, ...] | None:
    """The names of a workbook's sheets in its order, read from its parts before calamine opens it (.xlsx: the
    workbook part, .ods: its tables); None for an .xls (calamine names them)."""
    import io

    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".ods"):
        return None
    names: list[str] = []
    element, attribute, part = (
        (f"{MAIN} sheet", "name", "xl/workbook.xml")
        if suffix == ".xlsx"
        else (f"{TABLE} table", f"{TABLE} name", "content.xml")
    )

    def start(name: str, attrs: dict[str, str]) -> None:
        if name == element:
            names.append(attrs.get(attribute, ""))

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            if any(info.filename == part and info.file_size > MAX_PART_BYTES for info in book.infolist()):
                return None  # refused by its size in check_workbook, naming it
            parser = expat.ParserCreate(namespace_separator=" ")
            parser.StartElementHandler = start
            with book.open(part) as f:
                _feed(parser, f)
    except (zipfile.BadZipFile, KeyError, expat.ExpatError, ValueError) as exc:
        raise InputRejected("load.cannot_read", format=suffix[1:].upper(), detail=str(exc)) from exc
    return tuple(names)


def check_workbook(path: Path, data: bytes, index: int = 0) -> list[tuple[int, int, str]]:
    """Refuse a workbook whose parts or sheet at `index` are beyond what kpi reads (exit 3, naming the limit); that
    sheet's Excel error cells (row, column, text), which the caller refuses by the header of their column."""
    import io

    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".ods"):
        return []
    try:
        book = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise InputRejected("load.cannot_read", format=suffix[1:].upper(), detail=str(exc)) from exc
    with book:
        for info in book.infolist():
            if info.file_size > MAX_PART_BYTES:
                raise _refused(
                    path, "load.limit_part", part=info.filename, size=f"{info.file_size:,}", limit=f"{MAX_PART_BYTES:,}"
                )
        try:
            extent = xlsx_extent(book, index) if suffix == ".xlsx" else ods_extent(book, index)
        except (KeyError, expat.ExpatError, ValueError) as exc:
            raise InputRejected("load.cannot_read", format=suffix[1:].upper(), detail=str(exc)) from exc
    if extent.columns > MAX_COLUMNS or extent.rows * extent.columns > MAX_CELLS:
        far = f"{column_letters(extent.right)}{extent.bottom}"
        raise _refused(
            path,
            "load.limit_cells",
            rows=f"{extent.rows:,}",
            columns=f"{extent.columns:,}",
            far=far,
            limit=f"{MAX_CELLS:,}",
            max_columns=f"{MAX_COLUMNS:,}",
        )
    return extent.errors


def _refused(path: Path, key: str, **params: str) -> InputRejected:
    return InputRejected(key, [Failure(str(path), None, "", None, key, params)], **params)
