"""The progress line of a long load: shown after the delay, in the user's language, gone at the end."""

from __future__ import annotations

import io
import time

from kpi.present.catalogue import Words
from kpi.present.progress import Progress


def test_a_long_load_shows_its_phase_in_japanese_then_clears_it() -> None:
    stream = io.StringIO()
    with Progress(Words("ja"), stream, delay=0.0) as progress:
        time.sleep(0.2)
        progress("check")
        time.sleep(0.2)
    shown = stream.getvalue()
    assert "ファイルを読み込んでいます" in shown and "全行を検査しています" in shown


def test_english_words_come_from_the_catalogue() -> None:
    stream = io.StringIO()
    with Progress(Words("en"), stream, delay=0.0) as progress:
        progress("write")
        time.sleep(0.2)
    assert "writing to the database" in stream.getvalue()


def test_a_quick_load_shows_nothing() -> None:
    stream = io.StringIO()
    with Progress(Words("ja"), stream, delay=5.0) as progress:
        progress("check")
        progress("write")
    time.sleep(0.1)
    assert stream.getvalue() == ""
