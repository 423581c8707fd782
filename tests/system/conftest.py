"""The large load the crash and signal suites interrupt, measured once per session."""

from __future__ import annotations

from pathlib import Path

import pytest
from faultkit import (
    CLOCK_COLUMNS,
    BigLoad,
    Spy,
    big_themes_file,
    copy_db,
    longest_in_transaction,
    rows,
    table_checksums,
)

NEW_THEMES = 40_000
CHANGED = 20


@pytest.fixture(scope="session")
def big_load(_sample_db: Path, tmp_path_factory: pytest.TempPathFactory) -> BigLoad:
    folder = tmp_path_factory.mktemp("bigload")
    source = big_themes_file(folder / "themes_big.csv", NEW_THEMES, CHANGED)
    before = table_checksums(_sample_db, CLOCK_COLUMNS)
    reference = copy_db(_sample_db, folder / "reference.duckdb")
    with Spy("load", "--db", str(reference), str(source)) as spy:
        assert spy.finish(timeout=300) == 0, spy.stderr()
    after = table_checksums(reference, CLOCK_COLUMNS)
    assert after != before
    assert rows(reference, "SELECT updated FROM loads ORDER BY load_id DESC LIMIT 1") == [(CHANGED,)]
    return BigLoad(source, _sample_db, before, after, spy.durations(), longest_in_transaction(spy))
