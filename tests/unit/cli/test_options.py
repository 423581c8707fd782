"""The parsers of the options every command shares: waits that are numbers of seconds, reasons that are text; the
formats --format offers."""

from __future__ import annotations

import math

import pytest
import typer
from typer.testing import CliRunner

from kpi.cli.options import ChangesFormatOption, Refused, finite_wait, reason, wait_of
from kpi.present.catalogue import Lang, Words
from kpi.present.formats import ChangesFormat, Format


@pytest.mark.parametrize("seconds", [math.nan, math.inf, -math.inf, -1.0, -0.001])
def test_a_wait_must_be_a_finite_number_of_seconds_not_below_zero(seconds: float) -> None:
    with pytest.raises(Refused) as refused:
        finite_wait(seconds)
    assert "待つ秒数は 0 以上の有限の数で指定してください" in refused.value.words
    with pytest.raises(Refused):
        wait_of(seconds)


def test_a_finite_wait_is_kept_and_none_is_the_default() -> None:
    assert finite_wait(None) is None and finite_wait(0.0) == 0.0 and finite_wait(2.5) == 2.5
    assert wait_of(2.5) == 2.5


@pytest.mark.parametrize("text", ["", " ", "   ", "\u3000", "\t\n"])
def test_a_reason_to_reopen_is_text_not_blanks(text: str) -> None:
    with pytest.raises(Refused) as refused:
        reason(text)
    assert "理由を文字で書いてください" in refused.value.words
    assert reason("  機関からの訂正報告 ") == "機関からの訂正報告"


def test_both_refusals_are_in_japanese_and_english() -> None:
    for key, params in (("cli.wait_invalid", {"value": "nan"}), ("cli.reopen_blank", {})):
        ja, en = (Words(lang)(key, **params) for lang in (Lang.ja, Lang.en))
        assert ja != en and ("nan" in ja and "nan" in en if params else True)
    assert "finite number" in Words(Lang.en)("cli.wait_invalid", value="inf")


def test_format_offers_the_commands_formats_and_gives_one_enum() -> None:
    """--format of each command offers its own formats (kpi.present.formats.Formats) and hands the command a Format,
    the one enum every presenter compares with."""
    seen: list[object] = []
    app = typer.Typer()

    @app.command()
    def changes(fmt: ChangesFormatOption = ChangesFormat.table) -> None:
        seen.append(fmt)

    runner = CliRunner()
    assert runner.invoke(app, ["--format", "markdown"]).exit_code == 0
    assert runner.invoke(app, []).exit_code == 0
    assert seen == [Format.markdown, Format.table] and all(type(f) is Format for f in seen)
    refused = runner.invoke(app, ["--format", "csv"])  # kpi changes offers no CSV
    assert refused.exit_code == 2


def test_an_out_name_says_its_format_or_is_refused() -> None:
    """options.file_format: the extensions kpi writes, any other name left to --format, the rest refused."""
    from kpi.cli.options import Refused, extension, file_format
    from kpi.present.formats import DueFormat, Format

    assert [extension(n) for n in ("r.CSV", ".csv", "a/b.c/r", "r", "dir\\r.xlsx")] == [".csv", ".csv", "", "", ".xlsx"]
    assert [file_format(n, DueFormat) for n in ("r.xlsx", ".csv", "r.txt", "r.dat", "r", "r.2025")] == [
        Format.xlsx,
        Format.csv,
        None,
        None,
        None,
        None,
    ]
    for name, key in [("r.xls", "not_offered"), ("r.xslx", "typo"), ("r.jsno", "typo"), ("r.csv.", "trailing")]:
        with pytest.raises(Refused) as refused:
            file_format(name, DueFormat)
        assert key in refused.value.key and ".csv .json .xlsx" in refused.value.words, name
