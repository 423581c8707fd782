"""Sales kept confidential: no printed figure sums fewer than k themes, and none withheld can be derived from the rest.

The property test judges each result with its own solver, written apart from the module's: the unknowns are the
cells (a world is any table of cell values), every printed figure is a linear form over them, and a withheld figure
is derivable exactly when its form lies in the span of the printed forms whose values are known (shown or empty):
rank(known + [form]) == rank(known), ranks by fraction-free integer elimination. Derandomised for CI; set
KPI_SUPPRESS_EXAMPLES (default 300) and KPI_SUPPRESS_RANDOM=1 to search further.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from decimal import Decimal
from math import gcd

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from kpi.figures.suppress import Cell, Figure, Suppressed, Table, Withheld, cell, one_row, suppress

EXAMPLES = int(os.environ.get("KPI_SUPPRESS_EXAMPLES", "300"))
RANDOM = bool(os.environ.get("KPI_SUPPRESS_RANDOM"))
S, C, E = Withheld.SMALL, Withheld.COMPLEMENTARY, Withheld.EMPTY


def c(themes: int, value: str = "1") -> Cell:
    """A cell of `themes` themes summing `value` 億円 (0 for no theme)."""
    return Cell(themes, Decimal(value) if themes else Decimal(0))


def marks(figures: Sequence[Figure]) -> list[Withheld | None]:
    """Why each figure is withheld (None = shown)."""
    return [f.withheld for f in figures]


# --- hand cases -------------------------------------------------------------------------------------------------


def test_a_row_with_one_small_cell_withholds_its_fewest_themes_neighbour_too() -> None:
    result = suppress(one_row([c(5, "10.5"), c(1, "0.25"), c(4, "3"), c(3, "7")]), 3)
    assert marks(result.cells[0]) == [None, S, None, C]  # the 3-theme cell, not the 4-theme one
    assert result.row_totals == (Figure(13, Decimal("20.75"), None),)
    assert result.column_totals is None and result.grand_total is None
    assert result.cells[0][1] == Figure(1, None, S)  # the count of themes is always known


def test_ties_go_to_the_smallest_value_then_the_first() -> None:
    assert marks(suppress(one_row([c(1), c(3, "2.0"), c(3, "1.5")]), 3).cells[0]) == [S, None, C]
    assert marks(suppress(one_row([c(1), c(3, "2"), c(3, "2")]), 3).cells[0]) == [S, C, None]


def test_a_two_way_table_withholds_until_no_line_has_a_lone_suppressed_cell() -> None:
    table = Table(((c(4, "10"), c(1, "2"), c(5, "7")), (c(3, "1"), c(6, "8"), c(2, "3"))))
    result = suppress(table, 3)
    # row 0's lone small cell takes c00 (4 themes < 5), row 1's takes c10; column 1 then takes c11, column 2 c02
    assert [marks(row) for row in result.cells] == [[C, S, C], [C, C, S]]
    assert result.row_totals == (Figure(10, Decimal(19), None), Figure(11, Decimal(12), None))
    assert result.column_totals == (
        Figure(7, Decimal(11), None),
        Figure(7, Decimal(10), None),
        Figure(7, Decimal(10), None),
    )
    assert result.grand_total == Figure(21, Decimal(31), None)
    assert_safe(table, result)


def test_a_rectangle_of_small_cells_needs_nothing_more() -> None:
    table = Table(((c(1), c(2), c(5)), (c(2), c(1), c(6)), (c(4), c(4), c(4))))
    result = suppress(table, 3)
    assert [marks(row) for row in result.cells] == [[S, S, None], [S, S, None], [None, None, None]]
    assert_safe(table, result)


def test_a_small_total_is_withheld_too() -> None:
    assert marks(suppress(one_row([c(1), c(1)]), 3).row_totals or ()) == [S]
    column = Table(((c(1), c(5)), (c(1), c(5))), row_totals=False, grand_total=False)
    assert marks(suppress(column, 3).column_totals or ()) == [S, None]


def test_a_total_counts_distinct_themes_when_the_cells_name_them() -> None:
    """Two organisations of the same two themes: the total sums 2 themes, not 4, so it is withheld."""
    same = {"T1": Decimal("1.5"), "T2": Decimal("2.5")}
    result = suppress(one_row([cell(same), cell(same)]), 3)
    assert result.row_totals == (Figure(2, None, S),)
    assert marks(suppress(one_row([c(2), c(2)]), 3).row_totals or ()) == [None]  # counts only: 4 themes


def test_k_1_withholds_nothing() -> None:
    table = Table(((c(1, "0.1"), c(0)), (c(2, "0.2"), c(1, "0.3"))))
    result = suppress(table, 1)
    assert [marks(row) for row in result.cells] == [[None, E], [None, None]]
    assert result.grand_total == Figure(4, Decimal("0.6"), None)


def test_an_empty_table_shows_empty_cells_never_suppressed_ones() -> None:
    result = suppress(Table(((c(0), c(0)), (c(0), c(0)))), 3)
    everything = [*result.cells[0], *result.cells[1], *(result.row_totals or ()), *(result.column_totals or ())]
    assert {f for f in [*everything, result.grand_total]} == {Figure(0, None, E)}
    assert not any(f.suppressed for f in everything)


def test_a_column_total_withheld_small_is_still_derived_through_the_row_totals_so_more_is_withheld() -> None:
    """c01 = R0 + R1 − C0 − C2 although C1 is withheld: the exact check finds it, the line rule alone does not."""
    table = Table(((c(1), c(1), c(5)), (c(6), c(0), c(1))), grand_total=False)
    result = suppress(table, 4)
    assert [marks(row) for row in result.cells] == [[S, S, C], [C, E, S]]
    assert marks(result.column_totals or ()) == [None, S, None]
    assert marks(result.row_totals or ()) == [C, None]
    assert_safe(table, result)


def test_a_table_with_no_total_printed_withholds_only_the_small_cells() -> None:
    table = Table(((c(1), c(3)), (c(4), c(5))), row_totals=False, column_totals=False, grand_total=False)
    assert [marks(row) for row in suppress(table, 3).cells] == [[S, None], [None, None]]


@pytest.mark.parametrize(
    ("table", "k"),
    [
        (Table(((c(1), c(1)), (c(1),))), 3),  # rows of different lengths
        (Table(((Cell(0, Decimal(1)),),)), 3),  # sales without a theme
        (Table(((Cell(2, Decimal(1), frozenset({"T1"})),),)), 3),  # two themes named as one
        (Table(((c(1),),)), 0),
    ],
)
def test_a_malformed_table_or_k_is_refused(table: Table, k: int) -> None:
    with pytest.raises(ValueError):
        suppress(table, k)


# --- the property -----------------------------------------------------------------------------------------------


def rank(rows: Sequence[Sequence[int]]) -> int:
    """The rank of an integer matrix by fraction-free elimination (exact)."""
    matrix = [list(row) for row in rows if any(row)]
    found = 0
    width = len(matrix[0]) if matrix else 0
    for j in range(width):
        pivot = next((r for r in range(found, len(matrix)) if matrix[r][j]), None)
        if pivot is None:
            continue
        matrix[found], matrix[pivot] = matrix[pivot], matrix[found]
        top = matrix[found]
        for r in range(found + 1, len(matrix)):
            if matrix[r][j]:
                row = [top[j] * x - matrix[r][j] * y for x, y in zip(matrix[r], top, strict=True)]
                divisor = gcd(*row) or 1
                matrix[r] = [x // divisor for x in row]
        found += 1
    return found


def printed(table: Table, result: Suppressed) -> list[tuple[list[int], Figure, int]]:
    """Every printed figure as (its linear form over the cells, the figure, the distinct themes it sums)."""
    height, width = len(table.cells), len(table.cells[0])

    def form(places: set[tuple[int, int]]) -> list[int]:
        return [int((r, j) in places) for r in range(height) for j in range(width)]

    def themes(places: set[tuple[int, int]]) -> int:
        cells = [table.cells[r][j] for r, j in places]
        if cells and cells[0].theme_ids is not None:
            return len({t for x in cells for t in x.theme_ids or ()})
        return sum(x.themes for x in cells)

    groups: list[tuple[set[tuple[int, int]], Figure]] = [
        ({(r, j)}, result.cells[r][j]) for r in range(height) for j in range(width)
    ]
    if result.row_totals is not None:
        groups += [({(r, j) for j in range(width)}, f) for r, f in enumerate(result.row_totals)]
    if result.column_totals is not None:
        groups += [({(r, j) for r in range(height)}, f) for j, f in enumerate(result.column_totals)]
    if result.grand_total is not None:
        groups.append(({(r, j) for r in range(height) for j in range(width)}, result.grand_total))
    return [(form(places), f, themes(places)) for places, f in groups]


def assert_safe(table: Table, result: Suppressed) -> None:
    """No figure below k is shown, every shown one is exact, and none withheld is derivable from what is known."""
    figures = printed(table, result)
    flat = [x for row in table.cells for x in row]
    known = [form for form, f, _ in figures if not f.suppressed]
    base = rank(known)
    for form, f, themes in figures:
        assert f.themes == themes
        assert (f.withheld is Withheld.EMPTY) == (themes == 0)
        if 0 < themes < result.k:
            assert f.withheld is Withheld.SMALL
        if f.withheld is None:
            assert f.value == sum((x.value for x, used in zip(flat, form, strict=True) if used), Decimal(0))
        if f.suppressed:
            assert rank([*known, form]) > base, f"derivable: {f} in {result}"


@st.composite
def tables(draw: st.DrawFn) -> tuple[Table, int]:
    """A table up to 4 × 5 of cells of 0..6 themes (named from a pool, or only counted), its totals, and k in 1..4."""
    height, width = draw(st.integers(1, 4)), draw(st.integers(1, 5))
    named = draw(st.booleans())
    pool = [f"T{i}" for i in range(8)]
    rows = []
    for _ in range(height):
        row = []
        for _ in range(width):
            themes = draw(st.integers(0, 6))
            value = draw(st.decimals(0, 1000, places=4)) if themes else Decimal(0)
            ids = frozenset(draw(st.permutations(pool))[:themes]) if named else None
            row.append(Cell(themes, value, ids))
        rows.append(tuple(row))
    printed_totals = draw(st.tuples(st.booleans(), st.booleans(), st.booleans()))
    return Table(tuple(rows), *printed_totals), draw(st.integers(1, 4))


def counted(*rows: Sequence[int], totals: tuple[bool, bool, bool] = (True, True, True)) -> Table:
    """A table of cells of the given numbers of themes, each summing as many 億円 plus a quarter."""
    return Table(tuple(tuple(c(n, f"{n}.25") for n in row) for row in rows), *totals)


# Tables the line rule alone leaves derivable (found by search; about 1 in 60 random tables): R0 = C0 + C1 − R1 in
# the first, although R0 is withheld small and each line has two withheld figures.
@example((counted([2, 1], [2, 6], totals=(True, True, False)), 4))
@example((counted([3, 1, 3], [0, 1, 4], [0, 0, 1]), 3))
@example((counted([1, 1, 5], [6, 0, 1], totals=(True, True, False)), 4))
@settings(max_examples=EXAMPLES, deadline=None, derandomize=not RANDOM)
@given(tables())
def test_no_withheld_figure_is_derivable_and_none_below_k_is_shown(drawn: tuple[Table, int]) -> None:
    table, k = drawn
    assert_safe(table, suppress(table, k))


@settings(max_examples=EXAMPLES // 3, deadline=None, derandomize=not RANDOM)
@given(tables())
def test_a_table_whose_every_cell_reaches_k_withholds_nothing(drawn: tuple[Table, int]) -> None:
    table, k = drawn
    full = table._replace(
        cells=tuple(
            tuple(Cell(max(x.themes, k), x.value if x.themes else Decimal(k)) for x in row) for row in table.cells
        )
    )
    result = suppress(full, k)
    everything = [*(f for row in result.cells for f in row), *(result.row_totals or ()), *(result.column_totals or ())]
    assert not any(f.withheld for f in everything) and (result.grand_total is None or not result.grand_total.withheld)
