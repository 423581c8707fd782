"""What `kpi export` says when something fails after its submission was committed: what it recorded and wrote."""

from __future__ import annotations

import errno
from pathlib import Path

from kpi.errors import CannotCreate, CannotWrite, DatabaseDamaged, ExitCode
from kpi.present.catalogue import Lang, Words
from kpi.present.messages import error_text
from kpi.present.submit import Submitted, after_recording

RECORDED = Submitted(3, "final", [Path("out/a.csv"), Path("out/manifest.json")], 2025)
JA, EN = Words(Lang.ja), Words(Lang.en)


def test_a_full_disk_once_the_files_are_in_place_says_the_submission_is_recorded() -> None:
    full = CannotWrite("io.disk_full", path="kpi.duckdb.wal", committed=True)
    said = after_recording(full, RECORDED, Path("kpi.duckdb"), Path("out"), True, JA)
    assert said.key == "submission.recorded_disk_full" and said.exit_code == ExitCode.IO_ERROR
    text = error_text(said, JA)
    assert text.startswith("提出 #3（確定値）を記録し、out に 2 個のファイルを書き出しました")
    assert "kpi.duckdb.wal に書き込めませんでした" in text and "もう一度実行してください" not in text
    english = after_recording(full, RECORDED, Path("kpi.duckdb"), Path("out"), True, EN)
    assert "submission #3 (final) is recorded and its 2 files are written in out" in error_text(english, EN)


def test_files_not_put_in_place_name_the_command_that_writes_them_as_recorded() -> None:
    for cause, kind in (
        (OSError(errno.ENOSPC, "full", "out/a.csv"), CannotWrite),
        (PermissionError(errno.EACCES, "no", "out"), CannotCreate),
    ):
        said = after_recording(cause, RECORDED, Path("my db.duckdb"), Path("out"), False, JA)
        assert said.key == "submission.recorded_not_placed" and isinstance(said, kind)
        text = error_text(said, JA)
        assert "kpi export --db 'my db.duckdb' --submission 3 --out out --force" in text
    assert "out/a.csv に書き込めません: ディスクの空きがありません" in error_text(
        after_recording(OSError(errno.ENOSPC, "full", "out/a.csv"), RECORDED, Path("k"), Path("out"), False, JA), JA
    )


def test_another_failure_after_the_files_keeps_its_exit_code_and_says_what_was_recorded() -> None:
    damaged = DatabaseDamaged("db.damaged_after_commit", path="kpi.duckdb", detail="bad block", backup=None)
    said = after_recording(damaged, RECORDED, Path("kpi.duckdb"), Path("out"), True, EN)
    assert said.key == "submission.recorded_then_failed" and said.exit_code == ExitCode.DAMAGED
    assert error_text(said, EN).startswith("submission #3 (final) is recorded and its 2 files are written in out")
    # the cause's own sentence follows (DuckDB's words stay in the --debug traceback, not in the message: #35)
    assert "database kpi.duckdb was then found damaged" in error_text(said, EN)
    assert "bad block" not in error_text(said, EN)
