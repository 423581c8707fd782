"""Money per theme (`kpi money`): each theme's budget and execution where the list gives them (a money attribute the
settings name), how concentrated the budget is, the budget per achieved theme, and outputs per 100億円 executed.

Every figure is exact (Decimal 億円, Fraction shares) until it is presented. The themes are the list in force as of
the year, carried ones included, as the KPIs read them:

- coverage: the status population (kpi.figures.population.counted: adopted, not leading research, not cancelled);
- concentration: those of them with a budget, largest first (ties by theme ID);
- cost per achieved theme: the short-term KPI's own placement (kpi.figures.kpis.placed_sql): the budget of its
  denominator's themes (finished R&D) that have one, over its numerator's themes (achieved) that have one;
- outputs per 100億円: the programme's outputs and budget tables (kpi.figures.outputs, kpi.figures.budget), a year
  by its own execution; a year without execution is not computable, never 0.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import NamedTuple

import duckdb

from kpi.db.carried import attribute_join
from kpi.db.versions import KnownLoad, shown_load
from kpi.exact import ratio
from kpi.figures.budget import budget
from kpi.figures.kpis import SHORT_TERM, placed_sql, terminated_excluded
from kpi.figures.lists import Snapshot, in_force, list_id
from kpi.figures.outputs import outputs
from kpi.figures.placement import IN_DENOMINATOR
from kpi.figures.population import counted
from kpi.figures.programme import as_of_year, settings
from kpi.settings import DEFAULT_HORIZON, Settings

DEFAULT_TOP = 10  # the largest themes listed
TOP_SHARES = (1, 5, 10)  # the largest themes' shares of the budget shown
DECILES = 10  # the Lorenz table's rows
PER = 100  # outputs per this many 億円 executed


class ThemeMoney(NamedTuple):
    """A theme of the population: its budget and execution as the list gives them (None: not given, not 0) and its
    role in the short-term KPI (kpi.figures.placement.ROLES)."""

    theme_id: str
    item: int
    title: str
    budget: Decimal | None
    executed: Decimal | None
    role: str


class Coverage(NamedTuple):
    """The themes of one 研究開発項目 (item None: all of them), how many have a budget and its sum; with execution
    declared, how many have both and their sums (the execution ratio is over those themes only)."""

    item: int | None
    themes: int
    budgeted: int
    budget: Decimal
    paired: int  # themes with both a budget and an execution
    paired_budget: Decimal
    executed: Decimal

    @property
    def execution_ratio(self) -> Fraction | None:
        return ratio(self.executed, self.paired_budget)


class Ranked(NamedTuple):
    """One of the largest themes: its rank, its budget and its share of the whole budget (and the running share)."""

    rank: int
    theme_id: str
    item: int
    title: str
    budget: Decimal
    share: Fraction
    cumulative: Fraction


class TopShare(NamedTuple):
    """The largest `top` themes' share of the budget (`themes`: fewer when fewer have a budget)."""

    top: int
    themes: int
    budget: Decimal
    share: Fraction | None


class LorenzRow(NamedTuple):
    """The smallest ⌈decile × n / 10⌉ budgeted themes: their share of the themes and of the budget."""

    decile: int
    themes: int
    theme_share: Fraction
    budget_share: Fraction | None


class Concentration(NamedTuple):
    """How concentrated the budget is over the themes that have one."""

    themes: int
    total: Decimal
    largest: tuple[Ranked, ...]
    shares: tuple[TopShare, ...]
    lorenz: tuple[LorenzRow, ...]
    gini: Fraction | None


class CostPerAchieved(NamedTuple):
    """The short-term KPI's finished themes (its denominator) and achieved ones (its numerator), those of each with a
    budget, and the budget of the finished ones that have one."""

    finished: int
    achieved: int
    finished_budgeted: int
    achieved_budgeted: int
    budget: Decimal

    @property
    def per_achieved(self) -> Fraction | None:
        """億円 per achieved theme, over the themes with a budget; None when none of them achieved."""
        return ratio(self.budget, self.achieved_budgeted)

    @property
    def finished_without_budget(self) -> int:
        return self.finished - self.finished_budgeted


class OutputsPerMoney(NamedTuple):
    """One fiscal year's outputs against its execution (None: no row, or no execution: not computable)."""

    fy: int
    executed: Decimal | None
    papers: int | None
    patents: int | None  # national applications: 国内 + 国外 (PCT applications are not national filings)

    @property
    def papers_per(self) -> Fraction | None:
        return per_money(self.papers, self.executed)

    @property
    def patents_per(self) -> Fraction | None:
        return per_money(self.patents, self.executed)


class Money(NamedTuple):
    """`kpi money`: the year, the list read, the attributes read (None: not declared) and every figure."""

    as_of: int
    snapshot: Snapshot | None
    budget_attribute: str | None
    executed_attribute: str | None
    themes: tuple[ThemeMoney, ...]
    coverage: tuple[Coverage, ...]  # per item, then the whole (item None)
    concentration: Concentration
    cost: CostPerAchieved
    outputs: tuple[OutputsPerMoney, ...]
    outputs_total: OutputsPerMoney  # the years with execution and outputs (fy 0)
    known_at: KnownLoad | None = None  # the load the figures are as known right after (--known-at)

    @property
    def has_theme_budget(self) -> bool:
        return self.budget_attribute is not None


def per_money(count: int | None, executed: Decimal | None) -> Fraction | None:
    """count per PER 億円 executed; None when either is unknown or nothing was executed."""
    return None if count is None else ratio(count * PER, executed)


def money(con: duckdb.DuckDBPyConnection, asked: int | None, top: int = DEFAULT_TOP) -> Money:
    """Every figure of `kpi money` as of the year asked (else the current one), over the list in force then."""
    programme = settings(con)
    as_of = as_of_year(con, asked, programme)
    snapshot = in_force(con, as_of)
    budget_name = programme.budget_attribute if programme else None
    executed_name = programme.theme_executed if programme else None
    themes = theme_money(con, as_of, programme, snapshot, budget_name, executed_name)
    by_year, total = outputs_per_money(con, as_of)
    return Money(
        as_of,
        snapshot,
        budget_name,
        executed_name,
        tuple(themes),
        coverage(themes),
        concentration(themes, top),
        cost_per_achieved(themes),
        by_year,
        total,
        shown_load(con),
    )


def theme_money(
    con: duckdb.DuckDBPyConnection,
    as_of: int,
    programme: Settings | None,
    snapshot: Snapshot | None,
    budget_name: str | None,
    executed_name: str | None,
) -> list[ThemeMoney]:
    """The population's themes (by item, theme ID) with their money and short-term role, from the KPIs' placement."""
    horizon = programme.followup_horizon_years if programme else DEFAULT_HORIZON
    rows = con.execute(
        f"""{placed_sql(terminated_excluded(programme))}
        SELECT p.theme_id, p.item, p.title, b.value, e.value, p.role_{SHORT_TERM.key}
        FROM placed_roles p {attribute_join("p", "$budget", "b")} {attribute_join("p", "$executed", "e")}
        WHERE {counted("$as_of")}
        ORDER BY p.item, p.theme_id""",
        {
            "as_of": as_of,
            "horizon": horizon,
            "list": list_id(snapshot),
            "budget": budget_name,
            "executed": executed_name,
        },
    ).fetchall()
    return [
        ThemeMoney(str(i), int(item), str(title), _amount(b), _amount(e), str(role))
        for i, item, title, b, e, role in rows
    ]


def _amount(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def coverage(themes: list[ThemeMoney]) -> tuple[Coverage, ...]:
    """Per item (in order), then all of them: themes, those with a budget and its sum, those with both and theirs."""
    items = sorted({t.item for t in themes})
    return (*(_cover(item, [t for t in themes if t.item == item]) for item in items), _cover(None, themes))


def _cover(item: int | None, themes: list[ThemeMoney]) -> Coverage:
    budgeted = [t.budget for t in themes if t.budget is not None]
    paired = [(t.budget, t.executed) for t in themes if t.budget is not None and t.executed is not None]
    return Coverage(
        item,
        len(themes),
        len(budgeted),
        sum(budgeted, Decimal(0)),
        len(paired),
        sum((b for b, _ in paired), Decimal(0)),
        sum((e for _, e in paired), Decimal(0)),
    )


def concentration(themes: list[ThemeMoney], top: int = DEFAULT_TOP) -> Concentration:
    """The largest `top` themes with their shares, the largest 1, 5 and 10 themes' shares, the Lorenz table and the
    Gini coefficient of the budgeted themes."""
    budgeted = sorted((t for t in themes if t.budget is not None), key=lambda t: (-_of(t), t.theme_id))
    amounts = [_of(t) for t in budgeted]
    total = sum(amounts, Decimal(0))
    largest, running = [], Decimal(0)
    for rank, t in enumerate(budgeted[:top], 1):
        running += _of(t)
        largest.append(
            Ranked(
                rank, t.theme_id, t.item, t.title, _of(t), ratio(_of(t), total) or Fraction(0), _share(running, total)
            )
        )
    shares = tuple(
        TopShare(k, min(k, len(amounts)), sum(amounts[:k], Decimal(0)), ratio(sum(amounts[:k], Decimal(0)), total))
        for k in TOP_SHARES
    )
    return Concentration(len(amounts), total, tuple(largest), shares, lorenz(amounts[::-1]), gini(amounts[::-1]))


def _of(t: ThemeMoney) -> Decimal:
    return t.budget if t.budget is not None else Decimal(0)


def _share(part: Decimal, total: Decimal) -> Fraction:
    return ratio(part, total) or Fraction(0)


def lorenz(ascending: list[Decimal]) -> tuple[LorenzRow, ...]:
    """For each decile d (1–10), the smallest ⌈d·n/10⌉ amounts: their share of the n themes and of the total (None
    when the total is 0); no rows without an amount."""
    n, total = len(ascending), sum(ascending, Decimal(0))
    if not n:
        return ()
    rows = []
    for d in range(1, DECILES + 1):
        k = -(-d * n // DECILES)
        rows.append(LorenzRow(d, k, Fraction(k, n), ratio(sum(ascending[:k], Decimal(0)), total)))
    return tuple(rows)


def gini(ascending: list[Decimal]) -> Fraction | None:
    """The Gini coefficient of amounts sorted smallest first, exactly: 2·Σ i·xᵢ / (n·Σ x) − (n + 1) / n (0: all
    equal; (n − 1) / n: one theme holds everything); None without amounts or when they sum to 0."""
    n, total = len(ascending), sum(ascending, Decimal(0))
    if not n or not total:
        return None
    weighted = sum((Fraction(i) * Fraction(x) for i, x in enumerate(ascending, 1)), Fraction(0))
    return 2 * weighted / (n * Fraction(total)) - Fraction(n + 1, n)


def cost_per_achieved(themes: list[ThemeMoney]) -> CostPerAchieved:
    """The short-term KPI's denominator (finished R&D) and numerator (achieved), as its placement gives them, and the
    budget of the finished themes that have one."""
    finished = [t for t in themes if t.role in IN_DENOMINATOR]
    achieved = [t for t in finished if t.role == "numerator"]
    return CostPerAchieved(
        len(finished),
        len(achieved),
        sum(t.budget is not None for t in finished),
        sum(t.budget is not None for t in achieved),
        sum((t.budget for t in finished if t.budget is not None), Decimal(0)),
    )


def outputs_per_money(
    con: duckdb.DuckDBPyConnection, as_of: int
) -> tuple[tuple[OutputsPerMoney, ...], OutputsPerMoney]:
    """Each fiscal year up to as_of that the budget or outputs table holds: papers and national patent applications
    against that year's execution; and their total over the years that have both outputs and execution (fy 0)."""
    executed = {y.fy: y.executed for y in budget(con, as_of).years}
    counted_years = {y.fy: (y.papers, y.patents_domestic + y.patents_foreign) for y in outputs(con, as_of).years}
    years = tuple(
        OutputsPerMoney(fy, executed.get(fy), *counted_years.get(fy, (None, None)))
        for fy in sorted({*executed, *counted_years})
    )
    both = [y for y in years if y.executed and y.papers is not None and y.patents is not None]
    total = OutputsPerMoney(
        0,
        sum((y.executed for y in both if y.executed), Decimal(0)) if both else None,
        sum(y.papers or 0 for y in both) if both else None,
        sum(y.patents or 0 for y in both) if both else None,
    )
    return years, total
