"""Every figure per group (`--by`, kpi.figures.breakdown): hand-counted groups, each count of the whole the sum of
its groups', every way of grouping a programme declares."""

from __future__ import annotations

from pathlib import Path

import pytest

from kpi.errors import UsageProblem
from kpi.figures.breakdown import breakdown, grouping
from kpi.figures.kpis import KPIS
from kpi.settings import Attribute


def figures(db: Path, by: str) -> dict[object, dict[str, tuple[int | None, int, int]]]:
    """Each group's (numerator, denominator, pending) per KPI, and its adopted themes, keyed by its group."""
    from kpi.db.connect import open_for_read

    with open_for_read(db, wait=5) as con:
        found = breakdown(con, by, 2026)
    return {
        g.key if len(g.key) > 1 else g.key[0]: {
            **{k.key: (k.numerator, k.denominator, k.placement.pending) for k in g.outcome.kpis},
            "adopted": (g.adopted, int(g.small), found.share(g)),
        }
        for g in found.groups
    }


def test_each_group_is_counted_by_the_kpis_own_rules(grouped_store: Path) -> None:
    """分野 by hand: 通信 has T1 (achieved, commercialised) and T2 (not achieved); AI T3 (achieved) and T4 (running);
    T5 gives no 分野; T6 is leading research (in no figure); 光 has no theme and is shown all the same."""
    from fractions import Fraction

    found = figures(grouped_store, "分野")
    assert list(found) == ["通信", "AI", "光", None]
    assert found["通信"] == {
        "short_term": (1, 2, 0),
        "long_term": (1, 2, 0),
        "long_term_matured": (0, 0, 0),  # (T1 ended FY2024: its 3 years pass in FY2027)
        "adopted": (2, 1, Fraction(2, 5)),
    }
    assert found["AI"]["short_term"] == (1, 1, 0) and found["AI"]["long_term"] == (0, 2, 0)
    assert found["光"] == {
        "short_term": (0, 0, 0),
        "long_term": (0, 0, 0),
        "long_term_matured": (0, 0, 0),
        "adopted": (0, 1, Fraction(0)),
    }
    assert found[None]["short_term"] == (0, 0, 1)  # T5, delayed: pending
    sme = figures(grouped_store, "企業規模")["中小企業"]["adopted"]
    assert sme == (2, 1, Fraction(2, 5))  # the SME share: T2 and T3 of the five adopted themes


@pytest.mark.parametrize("by", ["item", "element", "分野", "企業規模", "採択年度"])
def test_the_groups_sum_to_the_whole_for_every_grouping(grouped_store: Path, by: str) -> None:
    """Every count of every KPI (per role and reason) and of the status table is the sum of the groups' (checked by
    breakdown itself as well); a year attribute's groups are its years."""
    from kpi.db.connect import open_for_read

    with open_for_read(grouped_store, wait=5) as con:
        found = breakdown(con, by, 2026)
    for spec in KPIS:
        whole = found.whole[spec.key].placement.counts
        for i, (_, _, n) in enumerate(whole):
            assert sum(g.outcome[spec.key].placement.counts[i][2] for g in found.groups) == n
    for i, n in enumerate(found.whole_status):
        assert sum(g.status[i] for g in found.groups) == n
    assert sum(g.adopted for g in found.groups) == found.whole_status.total == 5
    if by == "採択年度":
        assert [g.key for g in found.groups] == [("2020",), ("2021",), ("2022",), (None,)]


def test_by_names_an_attribute_by_any_of_its_headers_and_refuses_what_names_no_group() -> None:
    """--by takes an attribute's name or header in any width and case; item and element in English or Japanese; an
    amount names no group and an unknown name is refused with the choices."""
    from kit import english

    from kpi.settings import Settings

    attributes = (
        Attribute("分野", "category", ("技術分野",), ("通信",)),
        Attribute("予算額", "money"),
    )
    settings = Settings("p", 1, "80%", "50%", 3, 2030, "A=3", attributes=attributes)
    assert grouping("技術分野", settings).by == "分野"
    assert grouping(" ＩＴＥＭ ", settings).by == "item" and grouping("基盤要素", settings).by == "element"
    with pytest.raises(UsageProblem) as amount:
        grouping("予算額", settings)
    assert "an amount or number attribute" in english(amount.value)
    with pytest.raises(UsageProblem) as unknown:
        grouping("size", settings)
    assert "item, element, 分野" in english(unknown.value)
