"""The fault matrices' cases: one case per moment in the default run, the rest of the matrix marked `slow`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest
from _pytest.mark import ParameterSet


def one_per_moment(moments: Sequence[Any], variants: Sequence[Any]) -> list[ParameterSet]:
    """Every moment with every variant (a signal, a command…) as pytest parameters: the moment's values then the
    variant's, ids `moment-variant`. The default run keeps one variant per moment, taken in turn so that every
    variant is in it; the others are marked `slow` (`python -m pytest -m slow`, CI's second step)."""
    cases = []
    for i, moment in enumerate(moments):
        for j, variant in enumerate(variants):
            slow = () if j == i % len(variants) else (pytest.mark.slow,)
            m, v = _param(moment), _param(variant)
            ids = "-".join(part for part in (m.id, v.id) if part)
            cases.append(pytest.param(*m.values, *v.values, marks=(*m.marks, *v.marks, *slow), id=ids))
    return cases


def first_in_default(variants: Sequence[Any]) -> list[ParameterSet]:
    """The variants of a single moment: the first in the default run, the others marked `slow`."""
    return one_per_moment([pytest.param(id="")], variants)


def _param(value: Any) -> ParameterSet:
    """A value as a pytest.param with an id (its own, its `name`, or its text)."""
    if isinstance(value, ParameterSet):
        return value
    return pytest.param(value, id=str(getattr(value, "name", value)))


def some_in_default(cases: Sequence[Any], keep: int = 1) -> list[ParameterSet]:
    """Cases of one rule (spellings, formats, languages…): `keep` of them, spread over the list, in the default run,
    the others marked `slow` (CI's second step runs them all). Ids are pytest's own, as for the bare cases."""
    kept = {round(i * len(cases) / keep) for i in range(min(keep, len(cases)))}
    params = []
    for i, case in enumerate(cases):
        if isinstance(case, ParameterSet):
            values, marks, ident = case.values, case.marks, case.id
        else:
            values, marks, ident = (case if isinstance(case, tuple) else (case,)), (), None
        slow = () if i in kept else (pytest.mark.slow,)
        params.append(pytest.param(*values, marks=(*marks, *slow), id=ident))
    return params
