"""The one table model: a table declared once — its columns (header, how an item gives its cell, the kind of its
numbers), its name and its title — and one emitter (`emit`) that writes it as aligned text (tabulate, East Asian
widths, numbers right-aligned, on a terminal as wide as the terminal: `fitting`), markdown, CSV, an xlsx workbook,
an HTML table or JSON rows."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from html import escape
from typing import Any

from kpi.present.formats import Format

# The width aligned tables must fit (a terminal's columns), or None: set once per command by kpi.cli.app.
_WIDTH: ContextVar[int | None] = ContextVar("kpi_table_width", default=None)
READABLE_TEXT = 20  # free text is first shortened to no fewer terminal columns than this (when it was wider)
TEXT_MIN = 10  # and then, after the other cells are folded, to no fewer than this
NARROWEST = 6  # and only on a terminal too narrow for anything else, to this
FILE_MIN = 12  # a file's name keeps this many before the last resort (themes_…03-31.csv: the date tells two apart)
WORTH_FOLDING = 4  # a header is folded onto two lines only when that makes its column this much narrower
FOLDED_NARROWEST = 16  # a folded cell keeps lines of this many before free text is shortened below READABLE_TEXT
GAP = 2  # tabulate's "simple" format puts two spaces between columns
HEADER_PADDING = 2  # and makes each column at least its header's width plus two
STEPS = ("empty", "shorten", "header", "fold", "headers", "shorten further", "tight", "fold all", "last resort")
TOO_WIDE = "table.too_wide"  # the notice of a table wider than the terminal, even with its text shortened
TEXT = "text"  # the kind of a column of free text (a title, a name) that gives way on a narrow terminal


@contextmanager
def fitting(width: int | None) -> Iterator[None]:
    """Aligned tables made within it fit `width` columns (None: as wide as their cells)."""
    token = _WIDTH.set(width)
    try:
        yield
    finally:
        _WIDTH.reset(token)


def display_width(text: str) -> int:
    """Columns a text takes on a terminal (East Asian wide characters count two; its longest line)."""
    from wcwidth import wcswidth

    return max((max(wcswidth(line), 0) or len(line) for line in text.split("\n")), default=0)


def shorten(text: str, width: int) -> str:
    """Text cut to `width` terminal columns, ending with … when cut."""
    if display_width(text) <= width:
        return text
    from wcwidth import wcwidth

    kept, used = [], 1  # the ellipsis takes one column
    for char in text:
        w = max(wcwidth(char), 0)
        if used + w > width:
            break
        kept.append(char)
        used += w
    return "".join(kept) + "…"


MIDDLE_EXTENSION = 12  # a file's name cut narrower than this keeps the end of its stem, not its extension
FILE_NAME = re.compile(r"^[^/\\]+\.[A-Za-z0-9]{1,5}$")  # a cell that is a file's name: its tail tells two apart
DATED = re.compile(r"\d{4}-\d{2}-\d{2}$")  # a name's date (themes_2026-03-31): kept whole when the name is cut


def shorten_middle(text: str, width: int) -> str:
    """A file's name cut to `width` columns in its middle, keeping its tail (themes_…03-31.csv; a date whole when
    MIDDLE_EXTENSION wide or more: th…2026-03-31.csv, t…2026-03-31; narrower, without the extension: t…3-31): two
    files of one kind differ at the end of their names."""
    if display_width(text) <= width:
        return text
    stem, _, extension = text.rpartition(".")
    dated = DATED.search(stem)
    if dated and width >= MIDDLE_EXTENSION:  # the date whole: th…2026-03-31.csv, or t…2026-03-31
        tail = dated.group() + ("." + extension if width >= len(dated.group()) + len(extension) + 3 else "")
        return shorten(stem[: dated.start()], width - len(tail)) + tail
    source = text if width >= MIDDLE_EXTENSION else stem
    tail_width, tail = width - 1 - max((width - 1) // 3, 1), ""
    for char in reversed(source):
        if display_width(char + tail) > tail_width:
            break
        tail = char + tail
    return shorten(text, width - display_width(tail)) + tail


def folded(text: str, width: int) -> str:
    """Text on lines of at most `width` columns, broken only where a line may break (kpi.present.wrap): no word,
    number or fraction is ever split."""
    from kpi.present.wrap import wrap

    return "\n".join(line for part in text.split("\n") for line in (wrap(part, width) or [""]))


def _longest_piece(text: str) -> int:
    """The widest piece of a text that a line cannot break (a word, a number)."""
    return display_width(folded(text, 1)) if text else 0


@dataclass
class _Fit:
    """One column's widths as the table is fitted: as wide as it is, and as narrow as each step may make it."""

    natural: int  # its header (with tabulate's padding) or its widest cell
    cells: int  # its widest cell
    header: int  # its header's width
    give_way: bool  # free text, shortened with … when the table must be narrower
    limit: int  # as wide as it is made so far
    empty: bool = False  # no cell holds anything: it gives way first, its header folded
    least: int = TEXT_MIN  # free text's least readable width (FILE_MIN for a column of files' names)
    pad: int = HEADER_PADDING  # the columns tabulate adds to a header: none in a table made narrower

    def floor(self, step: str, header_piece: int, cell_piece: int) -> int:
        """How narrow the column may become in a step (fit's STEPS, in order): a column without a value folds its
        header; free text shortened to a readable width, long headers folded onto two lines, the other cells
        folded, every other header folded onto two lines, free text shortened to its least readable width
        (`least`), every other column folded (its header too) to TEXT_MIN, then as far as they go; and only on a
        terminal too narrow for all that, free text shortened further. A header is folded, never cut."""
        header = max(header_piece, -(-self.header // 2) + 1) + self.pad
        if step == "empty":
            return max(header_piece, min(self.header, 2), -(-self.header // 2)) + self.pad if self.empty else self.limit
        if step == "headers":
            header = max(header_piece, -(-self.header // 2)) + self.pad
        elif step == "tight":  # (onto two lines, or more when they would be wider than TEXT_MIN)
            header = max(header_piece + self.pad, min(header, TEXT_MIN))
        elif step == "fold all":
            header = header_piece + self.pad
        elif self.header + self.pad - header < WORTH_FOLDING:
            header = self.header + self.pad  # (not worth a second line)
        if self.give_way:
            least = {"shorten": READABLE_TEXT, "shorten further": self.least, "last resort": NARROWEST}.get(step)
            if least is None:
                return self.limit
            header = header_piece + self.pad if step == "last resort" else header
            return min(self.limit, max(least, header))
        if step in ("header", "headers"):
            return min(self.limit, max(self.cells, header))
        if step in ("fold", "tight", "fold all"):
            least = {"fold": FOLDED_NARROWEST, "tight": TEXT_MIN}.get(step, 0)  # (fold all: as far as they go)
            return max(cell_piece, header, min(self.cells, least))
        return self.limit


def fit(
    headers: Sequence[str], rows: list[list[str]], aligns: list[str], width: int, give_way: Sequence[bool] = ()
) -> tuple[list[str], list[list[str]], bool, int]:
    """Headers and rows made to fit `width` columns, whether they could not, and the columns tabulate is to add to a
    header (none in a table made narrower: the gap parts its columns), in the steps of _Fit.floor: the
    free-text columns (`give_way`: titles, names) give way first, the overflow shared among them in proportion and
    never below a readable width but on a terminal too narrow for anything else; headers and the other cells are
    folded onto more lines at their spaces and between full-width characters. A table as wide as the terminal or
    narrower is shown as it is; a figure, a header or any other cell is never cut; a table that needed its cells
    folded or is still wider says so (True); one still wider is shown whole (the terminal wraps its lines)."""
    count = len(aligns)
    heads = [str(headers[i]) if i < len(headers) else "" for i in range(count)]
    columns = []
    for i in range(count):
        cells = max([0, *(display_width(r[i]) for r in rows if i < len(r))])
        header = display_width(heads[i])
        natural = max(header + HEADER_PADDING, cells)
        texts = [r[i] for r in rows if i < len(r) and r[i]]
        least = FILE_MIN if texts and all(FILE_NAME.match(t) for t in texts) else TEXT_MIN
        gives = i < len(give_way) and give_way[i]
        columns.append(_Fit(natural, cells, header, gives, natural, not texts, least))
    excess = sum(c.natural for c in columns) + GAP * (count - 1) - width
    if excess <= 0:
        return list(headers), rows, False, HEADER_PADDING
    for column in columns:  # (narrower: no header is padded)
        column.pad, column.natural = 0, max(column.header, column.cells)
        column.limit = column.natural
    excess = sum(c.natural for c in columns) + GAP * (count - 1) - width
    header_pieces = [_longest_piece(h) for h in heads]
    cell_pieces = [max([0, *(_longest_piece(r[i]) for r in rows if i < len(r))]) for i in range(count)]
    folded_cells = False
    for step in STEPS:
        room = {i: c.limit - c.floor(step, header_pieces[i], cell_pieces[i]) for i, c in enumerate(columns)}
        room = {i: r for i, r in room.items() if r > 0 and excess > 0}
        if step in ("shorten", "shorten further", "last resort"):  # free text: the overflow shared in proportion
            excess -= _share(columns, room, excess)
            continue
        while excess > 0 and room:
            widest = max(room, key=lambda i: (columns[i].limit, room[i]))
            level = max([columns[i].limit for i in room if i != widest], default=0)  # cut the widest down to the next
            cut = min(excess, room[widest], max(columns[widest].limit - level, 1))
            columns[widest].limit -= cut
            room[widest] -= cut
            room = {i: r for i, r in room.items() if r > 0}
            excess -= cut
            folded_cells |= step in ("fold", "tight", "fold all")
    shown = [_header(h, c) for h, c in zip(heads, columns, strict=True)] + list(headers[count:])
    body = [[_cell(cell, columns[i]) if i < count else cell for i, cell in enumerate(r)] for r in rows]
    return shown, body, folded_cells or excess > 0, 0


def _share(columns: list[_Fit], room: dict[int, int], excess: int) -> int:
    """Narrow the columns that have `room` by `excess` columns in all (or all their room), each in proportion to
    its room: the overflow shared, not taken from the widest alone. The columns taken."""
    total = sum(room.values())
    if total <= 0:
        return 0
    taken = min(excess, total)
    cuts = {i: taken * r // total for i, r in room.items()}
    for i in sorted(room, key=lambda i: -room[i])[: taken - sum(cuts.values())]:  # (what rounding left)
        cuts[i] += 1
    for i, cut in cuts.items():
        columns[i].limit -= cut
    return taken


def _header(header: str, column: _Fit) -> str:
    """A header within its column's width: folded onto more lines, never cut."""
    room = column.limit - column.pad
    if column.header <= room:
        return header
    lines = folded(header, max(room, 1)).count("\n") + 1  # as few lines, as even as they go (調査予/定年度)
    return next(f for w in range(1, max(room, 1) + 1) if (f := folded(header, w)).count("\n") < lines)


def _cell(cell: str, column: _Fit) -> str:
    """A cell within its column's width: free text shortened with … (a file's name in its middle, keeping its
    tail), any other cell folded, never cut."""
    if display_width(cell) <= column.limit:
        return cell
    if not column.give_way:
        return folded(cell, column.limit)
    return shorten_middle(cell, column.limit) if FILE_NAME.match(cell) else shorten(cell, column.limit)


_NUMERIC = re.compile(r"^[-+]?[\d,]*\.?\d+%?(?:\s*[※*])?$|^—$|^#\d+$|^\d+/\d+$|^—/\d+$")


def numeric(cell: Any) -> bool:
    """Whether a cell reads as a number, a percentage, a fraction or a dash (right-aligned)."""
    return bool(_NUMERIC.match(str(cell).strip()))


def alignments(rows: Sequence[Sequence[Any]], width: int) -> list[str]:
    """'right' for the columns whose every non-empty cell is a number, else 'left'."""
    out = []
    for i in range(width):
        cells = [r[i] for r in rows if i < len(r) and str(r[i]).strip() != ""]
        out.append("right" if cells and all(numeric(c) for c in cells) else "left")
    return out


MARKDOWN_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "|": "\\|", "\r\n": "<br>", "\n": "<br>", "\r": "<br>"}
_MARKDOWN = re.compile("|".join(re.escape(k) for k in sorted(MARKDOWN_ESCAPES, key=len, reverse=True)))
_LINE_MARKUP = re.compile(r"^(?:([#>*+\-=`~])|(\d+)([.)]))")


def markdown_cell(text: Any) -> str:
    """Text from the data made inert in a markdown table cell: no cell split by |, no row broken by a line
    break, no HTML tag (a title holding <script> shows as text)."""
    return _MARKDOWN.sub(lambda m: MARKDOWN_ESCAPES[m.group()], str(text))


def markdown_text(text: Any) -> str:
    """Text from the data made inert as a markdown line: as in a cell, and no heading, quote or list started by its
    first characters."""
    return _LINE_MARKUP.sub(lambda m: f"\\{m[1]}" if m[1] else f"{m[2]}\\{m[3]}", markdown_cell(text))


def tabulated(
    headers: Sequence[str], rows: Sequence[Sequence[Any]], fmt: str = "table", kinds: Sequence[str] = ()
) -> str:
    """A table as aligned text (fmt 'table'), markdown (fmt 'markdown') or headerless text (fmt 'plain'); aligned
    text on a terminal fits its width (`fit`: the columns whose kind is TEXT give way), or says that it cannot."""
    from tabulate import tabulate

    if fmt == "markdown":
        headers = [markdown_cell(h) for h in headers]
        rows = [[markdown_cell("" if c is None else c) for c in r] for r in rows]
    width = max([len(headers), *(len(r) for r in rows)]) if rows or headers else 0
    tablefmt = {"markdown": "github", "plain": "plain"}.get(fmt, "simple")
    cells = [[("" if c is None else str(c)) for c in r] for r in rows]
    aligns = alignments(rows, width) if rows else None
    fit_to = _WIDTH.get()
    padding = HEADER_PADDING
    if fmt == "table" and fit_to is not None and aligns is not None:
        headers, cells, too_wide, padding = fit(headers, cells, aligns, fit_to, [kind == TEXT for kind in kinds])
        if too_wide:
            _say_too_wide(fit_to)
    import tabulate as module

    module.MIN_PADDING = padding  # (tabulate's module setting, read as it runs: set for each table)
    try:
        shown: str = tabulate(
            cells,
            headers=list(headers) if fmt != "plain" else (),
            tablefmt=tablefmt,
            disable_numparse=True,
            colalign=aligns,
        )
    finally:
        module.MIN_PADDING = HEADER_PADDING
    return shown


def _say_too_wide(columns: int) -> None:
    """The notice that a table is wider than the terminal (said once after the command, however many are)."""
    from kpi.db.notices import notice, notices

    told = notices()
    for key, params in told:
        notice(key, **params)
    if all(key != TOO_WIDE for key, _ in told):
        notice(TOO_WIDE, columns=columns)


# ---------------------------------------------------------------------------- the model


@dataclass(frozen=True)
class Column:
    """One column: its header, how an item gives its cell (exact), its kind — what its numbers are
    (kpi.present.xlsx.NUMBER_FORMATS: year, count, oku, yen, percent, mean, score, id), TEXT for free text that gives
    way on a narrow terminal (a title, a name: shortened with …), "" for any other cell (never cut) — and how aligned
    text and markdown show the cell when they show it otherwise (a sha256 cut short)."""

    header: str
    cell: Callable[[Any], Any]
    kind: str = ""
    text: Callable[[Any], Any] | None = None


@dataclass
class Table:
    """One table: a name (its file, `themes.csv`), headers and rows of cells (str, int, float, Decimal, Percent or
    None), the kind of each column's numbers (`formats`), its title in the user's language (a sheet's name), and
    the rows as text shows them (`shown`) when a column shows its cells otherwise."""

    name: str
    headers: list[str]
    rows: list[list[Any]]
    key_column: int = 0  # the cell that names a row in error messages (a theme_id, a year)
    formats: list[str] = field(default_factory=list)
    title: str = ""
    shown: list[list[Any]] | None = None

    @classmethod
    def of(
        cls, name: str, columns: Sequence[Column], items: Iterable[Any], footer: Sequence[Any] = (), title: str = ""
    ) -> Table:
        """A table declared column by column: each column's header, cell and kind together; `footer` rows (a
        total) follow the items' rows as they are."""
        items = list(items)
        rows = [[column.cell(item) for column in columns] for item in items]
        shown = None
        if any(column.text for column in columns):
            shown = [[(column.text or column.cell)(item) for column in columns] for item in items]
            shown += [list(f) for f in footer]
        formats = [c.kind for c in columns]
        return cls(name, [c.header for c in columns], [*rows, *(list(f) for f in footer)], 0, formats, title, shown)

    @property
    def text_rows(self) -> list[list[Any]]:
        """The rows as aligned text and markdown show them."""
        return self.rows if self.shown is None else self.shown


# ---------------------------------------------------------------------------- the emitter


def emit(
    tables: Table | Sequence[Table],
    fmt: Format,
    *,
    json: Any = None,
    empty: str | None = None,
    line_end: str = "\r\n",
    to_file: bool = False,
) -> str | bytes:
    """Tables in a format: aligned text or markdown (`empty` instead of a table without rows, if given); CSV
    (formula-guarded, a blank line between tables, lines ending with `line_end`; as a file Excel opens `to_file`:
    BOM and CRLF); an xlsx workbook with a sheet per table; HTML tables; or JSON: `json` (a command's documented
    records) or a record per row keyed by the headers."""
    every = [tables] if isinstance(tables, Table) else list(tables)
    if fmt is Format.json:
        from kpi.present.json_out import dumps

        rows = [dict(zip(t.headers, row, strict=True)) for t in every for row in t.rows]
        return dumps(json if json is not None else rows)
    if fmt is Format.csv:
        from kpi.present.csvfile import csv_text, excel_bytes

        records = [r for i, t in enumerate(every) for r in [*([[]] if i else []), t.headers, *t.rows]]
        data = csv_text(records, "\r\n" if to_file else line_end)
        return excel_bytes(data) if to_file else data
    if fmt is Format.xlsx:
        from kpi.present.xlsx import workbook

        return workbook(every)
    if fmt is Format.html:
        return "\n".join(html_table(t.headers, t.text_rows) for t in every)
    return "".join(empty + "\n" if not t.rows and empty is not None else text(t, fmt) + "\n" for t in every)


def text(table: Table, fmt: Format = Format.table) -> str:
    """A table as aligned text (Format.table) or markdown (Format.markdown), without its last line break."""
    return tabulated(table.headers, table.text_rows, str(fmt), table.formats)


def heading(title: str, fmt: Format) -> str:
    """A section's heading in a document: ■ in aligned text, ## in markdown."""
    return ("## " if fmt is Format.markdown else "■ ") + title


def block(title: str, table: Table, fmt: Format, empty: str, *after: str) -> list[str]:
    """A section of a document: its heading, its table (`empty` when it has no row), the lines after it, a blank
    line."""
    return [heading(title, fmt), text(table, fmt) if table.rows else empty, *after, ""]


def is_file(fmt: Format) -> bool:
    """Whether a format is only ever a file (--out): a workbook or a page, never a terminal's text."""
    return fmt in (Format.xlsx, Format.html)


def is_text(fmt: Format) -> bool:
    """Whether a format is a document a person reads (aligned text, markdown, `kpi check`'s lines): a command writes
    its headings and notes around its tables; the other formats are its tables' data alone."""
    return fmt in (Format.table, Format.markdown, Format.text)


def e(value: Any) -> str:
    """A value as escaped HTML text ('' for None)."""
    return "" if value is None else escape(str(value), quote=True)


def html_table(headers: Sequence[str], body: Sequence[Sequence[Any]], css_class: str | None = None) -> str:
    """An HTML table ('' without rows); columns whose every cell is a number are right-aligned."""
    if not body:
        return ""
    cls = [' class="num"' if a == "right" else "" for a in alignments(body, len(headers))]
    head = "".join(f'<th scope="col"{c}>{e(h)}</th>' for h, c in zip(headers, cls, strict=True))
    lines = "\n".join(
        "<tr>" + "".join(f"<td{c}>{e(v)}</td>" for v, c in zip(r, cls, strict=True)) + "</tr>" for r in body
    )
    attr = f' class="{e(css_class)}"' if css_class else ""
    return f'<div class="scroll"><table{attr}><thead><tr>{head}</tr></thead>\n<tbody>\n{lines}\n</tbody></table></div>'
