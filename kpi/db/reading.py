"""Independent reads of one read-only connection, two at a time."""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from contextlib import suppress
from typing import Any, TypeVar

import duckdb

from kpi.db import versions

T = TypeVar("T")


def together(con: duckdb.DuckDBPyConnection, jobs: Mapping[str, Callable[[Any], T]]) -> dict[str, T]:
    """Independent reads, each on its own cursor of one read-only connection, two at a time: a report's twenty
    short queries spend most of their time in DuckDB (planning, reading blocks), which runs outside the GIL.

    A signal (or an error) in the main thread interrupts the cursors and waits for them, so that no DuckDB work
    outlives the connection."""
    cursors = {name: versions.cursor(con) for name in jobs}
    pending = list(jobs)
    results: dict[str, T] = {}
    errors: list[BaseException] = []
    lock = threading.Lock()

    def work() -> None:
        while True:
            with lock:
                if not pending or errors:
                    return
                name = pending.pop(0)
            try:
                results[name] = jobs[name](cursors[name])
            except BaseException as exc:  # handed to the main thread below
                errors.append(exc)

    helper = threading.Thread(target=work, daemon=True)
    try:
        helper.start()
        work()
        while helper.is_alive():
            helper.join(0.05)
    except BaseException:
        for cursor in cursors.values():
            with suppress(duckdb.Error):
                cursor.interrupt()
        with lock:
            pending.clear()
        helper.join()
        raise
    finally:
        for cursor in cursors.values():
            with suppress(duckdb.Error):
                cursor.close()
    if errors:
        raise errors[0]
    return {name: results[name] for name in jobs}
