"""What --known-at names: a load, by its number or by a time."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class KnownAt:
    """--known-at: a load number from `kpi loads`, or a time in the programme's calendar (the last load at or
    before it)."""

    load: int | None = None
    time: dt.datetime | None = None
