"""Sales kept confidential: which cells and totals of a table of sales sums may be printed (the disclosure rule).

A table's cell is the sum of sales (億円) over a set of themes. A cell or total summing fewer than k themes (but at
least one) is suppressed (`small`); a cell of no theme is empty, printed blank, never as suppressed (`empty`). A
published total must not let a suppressed figure be derived by subtraction: in every relation an output prints (a row
with its total, a column with its total, the grand total with its rows, columns or cells), a lone suppressed figure
takes another with it (`complementary`): the shown non-empty cell with the fewest themes (then the smallest value,
then the first), else the relation's total. Then every suppressed figure is checked exactly: it is derivable when its
unit vector lies in the row space of the printed relations' matrix over its suppressed figures (Fractions); more are
suppressed until none is. The rule is linear: it does not hide the bounds a total sets (0 ≤ cell ≤ total).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal, Inexact, localcontext
from enum import StrEnum
from fractions import Fraction
from typing import NamedTuple

DEFAULT_K = 3  # the programme setting suppression_k when unset


class Cell(NamedTuple):
    """The sum of sales over a set of themes: how many themes, the exact sum and (optionally) which themes."""

    themes: int
    value: Decimal
    theme_ids: frozenset[str] | None = None


class Table(NamedTuple):
    """Cells as rows × columns and which totals the output prints (totals are the sums of their cells)."""

    cells: tuple[tuple[Cell, ...], ...]
    row_totals: bool = True
    column_totals: bool = True
    grand_total: bool = True


class Withheld(StrEnum):
    """Why a figure's value is not printed."""

    SMALL = "small"  # fewer than k themes (primary suppression)
    COMPLEMENTARY = "complementary"  # would let a suppressed figure be derived
    EMPTY = "empty"  # no theme: printed blank, not a suppression


class Figure(NamedTuple):
    """One printed place: its number of themes, and its exact value when shown or why it is withheld."""

    themes: int
    value: Decimal | None
    withheld: Withheld | None

    @property
    def suppressed(self) -> bool:
        """True when the value is kept confidential (small or complementary), not when the figure is empty."""
        return self.withheld in (Withheld.SMALL, Withheld.COMPLEMENTARY)


class Suppressed(NamedTuple):
    """A table as an output may print it: every cell and printed total, None for totals not printed."""

    cells: tuple[tuple[Figure, ...], ...]
    row_totals: tuple[Figure, ...] | None
    column_totals: tuple[Figure, ...] | None
    grand_total: Figure | None
    k: int


def cell(sales: Mapping[str, Decimal]) -> Cell:
    """The cell of the given themes' sales (theme id → sales)."""
    return Cell(len(sales), _sum(sales.values()), frozenset(sales))


def one_row(cells: Sequence[Cell], total: bool = True) -> Table:
    """A list of cells as a table of one row, with or without its total."""
    return Table((tuple(cells),), row_totals=total, column_totals=False, grand_total=False)


class _Item(NamedTuple):
    """A cell or total as the rule sees it: its themes, exact value, whether a total, and its place in the order."""

    themes: int
    value: Decimal
    total: bool
    position: int


class _Relation(NamedTuple):
    """A printed relation: the total is the sum of the members."""

    members: tuple[int, ...]
    total: int


def suppress(table: Table, k: int = DEFAULT_K) -> Suppressed:
    """The table with every figure of fewer than k themes, and every figure derivable from what is shown, withheld."""
    if k < 1:
        raise ValueError(f"k must be at least 1, not {k}")
    items, relations, places = _layout(table)
    withheld: list[Withheld | None] = [
        Withheld.EMPTY if item.themes == 0 else Withheld.SMALL if item.themes < k else None for item in items
    ]
    while True:
        _complete(items, relations, withheld)
        hidden = [i for i, why in enumerate(withheld) if why in (Withheld.SMALL, Withheld.COMPLEMENTARY)]
        leaked = _derivable(relations, hidden)
        if not leaked:
            break
        withheld[_cover(items, relations, withheld, min(leaked))] = Withheld.COMPLEMENTARY
    figures = [
        Figure(item.themes, item.value if why is None else None, why) for item, why in zip(items, withheld, strict=True)
    ]
    cells, rows, columns, grand = places
    return Suppressed(
        tuple(tuple(figures[i] for i in row) for row in cells),
        None if rows is None else tuple(figures[i] for i in rows),
        None if columns is None else tuple(figures[i] for i in columns),
        None if grand is None else figures[grand],
        k,
    )


_Places = tuple[list[list[int]], list[int] | None, list[int] | None, int | None]


def _layout(table: Table) -> tuple[list[_Item], list[_Relation], _Places]:
    """The cells and printed totals as numbered items, the relations among them, and where each item is printed."""
    rows = table.cells
    width = len(rows[0]) if rows else 0
    if any(len(row) != width for row in rows):
        raise ValueError("every row of a table has the same number of cells")
    flat = [c for row in rows for c in row]
    for c in flat:
        if c.themes < 0 or (c.theme_ids is not None and len(c.theme_ids) != c.themes):
            raise ValueError(f"a cell's themes do not match its theme ids: {c}")
        if c.themes == 0 and c.value != 0:
            raise ValueError(f"a cell of no theme has no sales: {c}")
    if len({c.theme_ids is None for c in flat}) > 1:
        raise ValueError("either every cell names its themes or none does")
    items = [_Item(c.themes, c.value, False, i) for i, c in enumerate(flat)]
    cells = [[r * width + j for j in range(width)] for r in range(len(rows))]
    columns_of = [[row[j] for row in cells] for j in range(width)]
    relations: list[_Relation] = []

    def add_total(members: list[int]) -> int:
        """A new total item over the given cells."""
        items.append(_Item(_themes([flat[i] for i in members]), _sum(flat[i].value for i in members), True, len(items)))
        return len(items) - 1

    row_totals = [add_total(row) for row in cells] if table.row_totals else None
    column_totals = [add_total(column) for column in columns_of] if table.column_totals else None
    grand = add_total(list(range(len(flat)))) if table.grand_total else None
    for members, totals in ((cells, row_totals), (columns_of, column_totals)):
        if totals is not None:
            relations += [_Relation(tuple(line), total) for line, total in zip(members, totals, strict=True)]
    if grand is not None:
        if row_totals is not None:
            relations.append(_Relation(tuple(row_totals), grand))
        if column_totals is not None:
            relations.append(_Relation(tuple(column_totals), grand))
        if row_totals is None and column_totals is None:
            relations.append(_Relation(tuple(range(len(flat))), grand))
    return items, relations, (cells, row_totals, column_totals, grand)


def _themes(cells: Sequence[Cell]) -> int:
    """How many themes some cells sum: the distinct themes when the cells name them, else the sum of their counts."""
    if cells and cells[0].theme_ids is not None:
        return len(frozenset().union(*(c.theme_ids or frozenset() for c in cells)))
    return sum(c.themes for c in cells)


def _sum(values: Iterable[Decimal]) -> Decimal:
    """The exact sum of Decimals (an inexact one raises rather than rounds)."""
    with localcontext() as context:
        context.prec = 1000
        context.traps[Inexact] = True
        return sum(values, Decimal(0))


def _complete(items: Sequence[_Item], relations: Sequence[_Relation], withheld: list[Withheld | None]) -> None:
    """Until nothing changes: in every relation whose only suppressed figure is one, suppress a second."""
    changed = True
    while changed:
        changed = False
        for relation in relations:
            places = (*relation.members, relation.total)
            if sum(withheld[i] in (Withheld.SMALL, Withheld.COMPLEMENTARY) for i in places) != 1:
                continue
            shown = [i for i in relation.members if withheld[i] is None]
            if shown:
                chosen = min(shown, key=lambda i: (items[i].themes, items[i].value, items[i].position))
            elif withheld[relation.total] is None:
                chosen = relation.total
            else:  # cannot happen: a suppressed total has a non-empty member, and all of them are shown
                continue
            withheld[chosen] = Withheld.COMPLEMENTARY
            changed = True


def _cover(items: Sequence[_Item], relations: Sequence[_Relation], withheld: list[Withheld | None], leak: int) -> int:
    """The shown figure to suppress next for a derivable one: one of its relations' that hides it, else the first."""
    near = {i for r in relations if leak in (*r.members, r.total) for i in (*r.members, r.total)}
    shown = [i for i in range(len(items)) if withheld[i] is None]
    candidates = sorted(
        [i for i in shown if i in near] or shown,  # never empty: with every figure suppressed none is derivable
        key=lambda i: (items[i].total, items[i].themes, items[i].value, items[i].position),
    )
    hidden = [i for i, why in enumerate(withheld) if why in (Withheld.SMALL, Withheld.COMPLEMENTARY)]
    for candidate in candidates:
        if leak not in _derivable(relations, [*hidden, candidate]):
            return candidate
    return candidates[0]


def _derivable(relations: Sequence[_Relation], hidden: Sequence[int]) -> set[int]:
    """The hidden items whose value the printed relations determine from the shown ones (exact, over Fractions)."""
    column = {item: j for j, item in enumerate(sorted(set(hidden)))}
    matrix: list[list[Fraction]] = []
    for relation in relations:
        row = [Fraction(0)] * len(column)
        for i in relation.members:
            if i in column:
                row[column[i]] += 1
        if relation.total in column:
            row[column[relation.total]] -= 1
        if any(row):
            matrix.append(row)
    pivots = _reduce(matrix, len(column))
    items = sorted(column)
    return {items[j] for r, j in pivots if sum(1 for x in matrix[r] if x) == 1}


def _reduce(matrix: list[list[Fraction]], width: int) -> list[tuple[int, int]]:
    """Bring the matrix to reduced row echelon form in place; its pivots as (row, column)."""
    pivots: list[tuple[int, int]] = []
    top = 0
    for j in range(width):
        found = next((r for r in range(top, len(matrix)) if matrix[r][j]), None)
        if found is None:
            continue
        matrix[top], matrix[found] = matrix[found], matrix[top]
        lead = matrix[top][j]
        matrix[top] = [x / lead for x in matrix[top]]
        for r in range(len(matrix)):
            if r != top and matrix[r][j]:
                factor = matrix[r][j]
                matrix[r] = [x - factor * y for x, y in zip(matrix[r], matrix[top], strict=True)]
        pivots.append((top, j))
        top += 1
    return pivots
