"""The progress line of a long load: shown after the delay, in the user's language, gone at the end."""

from __future__ import annotations

import io
import time

from kpi.present.catalogue import Words
from kpi.present.progress import Progress


def shows(stream: io.StringIO, text: str, timeout: float = 60.0) -> bool:
    """Wait until the line shown holds `text` (the line is drawn by a timer thread: never sleep and hope)."""
    deadline = time.monotonic() + timeout
    while text not in stream.getvalue():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


def test_a_long_load_shows_its_phase_in_japanese_then_clears_it() -> None:
    stream = io.StringIO()
    with Progress(Words("ja"), stream, delay=0.0) as progress:
        assert shows(stream, "ファイルを読み込んでいます"), stream.getvalue()
        progress("check")
        assert shows(stream, "全行を検査しています"), stream.getvalue()
    assert stream.getvalue().endswith("\x1b[2K")  # cleared when the load ends


def test_english_words_come_from_the_catalogue() -> None:
    stream = io.StringIO()
    with Progress(Words("en"), stream, delay=0.0) as progress:
        progress("write")
        assert shows(stream, "writing to the database"), stream.getvalue()


def test_a_quick_load_shows_nothing() -> None:
    stream = io.StringIO()
    with Progress(Words("ja"), stream, delay=5.0) as progress:
        progress("check")
        progress("write")
    time.sleep(0.1)
    assert stream.getvalue() == ""
