"""Every usage error of every command, in the user's language: the whole command tree is walked and each kind of
mistake that applies to a command is made — an unknown option, an option without its value, an argument too
many, a bad number or choice, a group without its command — in Japanese (no English sentence) and in English
(no Japanese), each exiting 2. Then the hints: 「もしかして」, the option written on the wrong side of a command,
the year that belongs after --as-of."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from kit import cli, cli_en
from typer._click import types as click_types
from typer.core import TyperArgument, TyperGroup, TyperOption

from kpi.cli.main import whole_app

# ---------------------------------------------------------------------------- the command tree


def _tree() -> Any:
    import typer

    return typer.main.get_command(whole_app())


def _walk(command: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    yield path, command
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        yield from _walk(sub, (*path, name))


TREE = list(_walk(_tree()))
GROUPS = [path for path, command in TREE if isinstance(command, TyperGroup)]
COMMANDS = [path for path, command in TREE if not isinstance(command, TyperGroup)]
COMMAND_OF = dict(TREE)


def _known_words() -> set[str]:
    """Words that are not English when they stand in a message: command names, option names, the choices and the
    names of every parameter (a value or a name is data, not a sentence)."""
    known = {"kpi"}
    for path, command in TREE:
        known.update(path)
        for param in command.params:
            known.update(o.lstrip("-") for o in (*param.opts, *param.secondary_opts))
            known.add(str(param.name))
            known.update(str(c) for c in getattr(param.type, "choices", None) or ())
    return {w.lower() for w in known}


KNOWN = _known_words()
WORD = re.compile(r"[A-Za-z]+(?:[-'][A-Za-z]+)*")
SEPARATORS = re.compile(r"[\s、。，：；（）「」【】:;,()\[\]]+")
JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff00-\uffef]")


def english_sentences(text: str) -> list[str]:
    """The lines holding an English sentence: three ASCII words in a row, none of them an option (`--as-of`), a
    path (`a/b`, `x.csv`), a quoted value (`'abc'`), a command's or a parameter's name or one of its choices."""
    found = []
    for line in text.splitlines():
        run = 0
        for token in SEPARATORS.split(line):
            word = token.rstrip(".!?")
            if WORD.fullmatch(word) and word.lower() not in KNOWN:
                run += 1
                if run >= 3:
                    found.append(line)
                    break
            elif token:
                run = 0
    return found


def test_the_english_detector_finds_the_sentences_the_issue_reported() -> None:
    """The check below is not blind: each English message the issue quotes is caught, kpi's Japanese is not."""
    for english in [
        "kpi: 使い方の誤り: Option '--as-of' requires an argument.",
        "kpi: 使い方の誤り: Got unexpected extra argument(s) (2025)",
        "kpi: load の値が正しくありません: 'abc' is not a valid int.",
        "kpi: データベース b.csv を開けません: Catalog Error: Cannot launch in-memory database in read-only mode!",
        "kpi: usage error: Missing command.",
    ]:
        assert english_sentences(english) == [english]
    for japanese in [
        "kpi: --format に 'foo' は使えません。使える値: table, markdown, csv, json, html",
        "使い方は kpi followups due --help で表示します",
        "kpi: 不明なオプション: --asof（もしかして: --as-of）",
    ]:
        assert english_sentences(japanese) == []


# ---------------------------------------------------------------------------- the mistakes


def _options(command: Any) -> list[Any]:
    return [p for p in command.params if isinstance(p, TyperOption) and not p.hidden]


def _sample(param: Any, command: Any) -> str | None:
    """A value the parameter accepts (to fill what is required and reach the mistake under test)."""
    choices = getattr(param.type, "choices", None)
    if choices:
        return str(choices[0])
    for value in ("2025", "2026-03-31", "1", "x.csv"):
        try:
            param.type.convert(value, param, None)
        except Exception:
            continue
        return value
    return None


def _required(command: Any) -> list[str]:
    """The arguments and required options of a command, each given a value it accepts."""
    given: list[str] = []
    for param in command.params:
        if not param.required:
            continue
        value = _sample(param, command)
        assert value is not None, (command.name, param.name)
        given += [value] if isinstance(param, TyperArgument) else [param.opts[0], value]
    return given


def mistakes(path: tuple[str, ...]) -> Iterator[tuple[str, list[str]]]:
    """Every kind of usage error that applies to the command: (kind, arguments)."""
    command = COMMAND_OF[path]
    if isinstance(command, TyperGroup):
        yield "missing command", list(path)
        yield "no such command", [*path, "nosuchcommand"]
        yield "unknown option", [*path, "--no-such-option"]
        return
    base = [*path, *_required(command)]
    yield "unknown option", [*base, "--no-such-option"]
    if not any(isinstance(p, TyperArgument) and p.nargs == -1 for p in command.params):
        yield "extra argument", [*base, "extra"]
    for option in _options(command):
        name = option.opts[0]
        if option.is_flag:
            yield "flag with a value", [*base, f"{name}=1"]
            continue
        yield "missing value", [*base, name]
        if getattr(option.type, "choices", None):
            yield "bad choice", [*base, name, "nosuchchoice"]
        if isinstance(option.type, click_types.IntParamType | click_types.FloatParamType):
            yield "bad number", [*base, name, "abc"]
    for i, param in enumerate(command.params):
        if isinstance(param, TyperArgument) and param.required and param.nargs == 1:
            bad = [*path, *_required(command)]
            at = len(path) + sum(1 for p in command.params[:i] if p.required and isinstance(p, TyperArgument))
            if getattr(param.type, "choices", None) or isinstance(param.type, click_types.IntParamType):
                bad[at] = "abc"
                yield "bad argument", bad


CASES = [(path, kind, args) for path, _ in TREE for kind, args in mistakes(path)]


def _id(path: tuple[str, ...]) -> str:
    return " ".join(path) or "kpi"


def test_the_walk_reaches_every_command_and_every_kind_of_mistake() -> None:
    assert {"report", "load", "export"} <= {p[0] for p in COMMANDS if p} and ("followups", "due") in COMMANDS
    assert ("followups",) in GROUPS and () in GROUPS
    kinds = {kind for _, kind, _ in CASES}
    assert kinds >= {
        "missing command",
        "unknown option",
        "extra argument",
        "missing value",
        "bad choice",
        "bad number",
        "flag with a value",
        "bad argument",
    }


def _said(result: subprocess.CompletedProcess[str]) -> str:
    return result.stderr


@pytest.mark.parametrize("path", [path for path, _ in TREE], ids=_id)
def test_every_usage_error_is_said_in_japanese(path: tuple[str, ...], tmp_path: Path) -> None:
    for kind, args in mistakes(path):
        result = cli(*args, cwd=tmp_path)
        assert result.returncode == 2, (kind, args, result.stderr)
        assert result.stdout == "" and result.stderr.startswith("kpi: "), (kind, args, result.stderr)
        assert JAPANESE.search(result.stderr), (kind, args, result.stderr)
        assert english_sentences(_said(result)) == [], (kind, args)
        assert "\\n" not in result.stderr and len(result.stderr.splitlines()) <= 2, (kind, args, result.stderr)
    assert list(tmp_path.iterdir()) == []  # a usage error writes nothing, not even a database


@pytest.mark.parametrize("path", [path for path, _ in TREE], ids=_id)
def test_every_usage_error_is_said_in_english(path: tuple[str, ...], tmp_path: Path) -> None:
    for kind, args in mistakes(path):
        result = cli_en(*args, cwd=tmp_path)
        assert result.returncode == 2, (kind, args, result.stderr)
        assert not JAPANESE.search(result.stderr), (kind, args, result.stderr)


# ---------------------------------------------------------------------------- the hints


@pytest.mark.parametrize(
    ("args", "ja", "en"),
    [
        (
            ["report", "--as-of"],
            "kpi: --as-of の後に値を書いてください",
            "kpi: --as-of needs a value after it",
        ),
        (
            ["report", "2025"],
            "kpi: 余分な引数があります: 2025（もしかして: --as-of 2025）",
            "kpi: unexpected argument(s): 2025 (did you mean: --as-of 2025?)",
        ),
        (
            ["report", "2025", "json"],
            "kpi: 余分な引数があります: 2025 json（もしかして: --as-of 2025 --format json）",
            "kpi: unexpected argument(s): 2025 json (did you mean: --as-of 2025 --format json?)",
        ),
        (
            ["changes", "2024-03-31", "2025-03-31"],
            "kpi: 余分な引数があります: 2024-03-31 2025-03-31（もしかして: --from 2024-03-31 --to 2025-03-31）",
            "kpi: unexpected argument(s): 2024-03-31 2025-03-31 (did you mean: --from 2024-03-31 --to 2025-03-31?)",
        ),
        (
            ["undo", "abc"],
            "kpi: 読込番号 の値 'abc' は整数ではありません",
            "kpi: load number: 'abc' is not an integer",
        ),
        (
            ["report", "--asof", "2025"],
            "kpi: 不明なオプション: --asof（もしかして: --as-of）",
            "kpi: no such option: --asof (did you mean: --as-of?)",
        ),
        (
            ["--db", "x.duckdb", "report", "--as-of", "2025"],
            "kpi: --db は kpi report のオプションです。コマンド名の後に書いてください: "
            "kpi report --db x.duckdb --as-of 2025",
            "kpi: --db is an option of kpi report: write it after the command's name: "
            "kpi report --db x.duckdb --as-of 2025",
        ),
        (
            ["--db", "x.duckdb", "followups", "due"],
            "kpi: --db は kpi followups due のオプションです。コマンド名の後に書いてください: "
            "kpi followups due --db x.duckdb",
            "kpi: --db is an option of kpi followups due: write it after the command's name: "
            "kpi followups due --db x.duckdb",
        ),
        (
            ["report", "--debug"],
            "kpi: --debug は kpi 自身のオプションです。コマンド名の前に書いてください: kpi --debug report",
            "kpi: --debug is an option of kpi itself: write it before the command's name: kpi --debug report",
        ),
        (
            ["followups", "due", "--debug"],
            "kpi: --debug は kpi 自身のオプションです。コマンド名の前に書いてください: kpi --debug followups due",
            "kpi: --debug is an option of kpi itself: write it before the command's name: kpi --debug followups due",
        ),
        (
            ["followups"],
            "kpi: kpi followups の後にコマンドを書いてください: due, sheets, status, remind",
            "kpi: kpi followups needs one of its commands: due, sheets, status, remind",
        ),
        (
            ["report", "--force=1"],
            "kpi: --force は値をとりません（--force だけを書きます）",
            "kpi: --force takes no value (write --force alone)",
        ),
        (
            ["report", "-f"],
            "kpi: -f の後に値を書いてください（使える値: table, markdown, csv, json, html）",
            "kpi: -f needs a value after it (one of table, markdown, csv, json, html)",
        ),
    ],
)
def test_each_mistake_is_said_with_what_to_write(args: list[str], ja: str, en: str, tmp_path: Path) -> None:
    result = cli(*args, cwd=tmp_path)
    assert result.returncode == 2 and result.stderr.splitlines()[0] == ja, result.stderr
    english = cli_en(*args, cwd=tmp_path)
    assert english.returncode == 2 and english.stderr.splitlines()[0] == en, english.stderr


def test_a_group_alone_is_one_line_not_its_help_with_escaped_newlines(tmp_path: Path) -> None:
    result = cli("followups", cwd=tmp_path)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.splitlines() == [
        "kpi: kpi followups の後にコマンドを書いてください: due, sheets, status, remind",
        "使い方は kpi followups --help で表示します",
    ]


def test_usage_errors_in_json_log_lines_are_in_the_users_words(tmp_path: Path) -> None:
    import json

    result = cli("report", "2025", "--log-format", "json", cwd=tmp_path)
    (line,) = result.stderr.splitlines()
    assert json.loads(line)["message"] == "余分な引数があります: 2025（もしかして: --as-of 2025）"


def test_help_says_each_default_once(tmp_path: Path) -> None:
    """An option whose help says its default in words keeps that one, not click's too (`[既定値: preliminary]`)."""
    text = cli("export", "--help", cwd=tmp_path).stdout
    assert text.count("preliminary]") == 1, text
    assert "[既定値: $KPI_DB、なければ ./kpi.duckdb]" in " ".join(cli("report", "--help").stdout.split()).replace(
        "なけ れば", "なければ"
    )


def test_the_help_of_load_points_to_the_input_contract_where_it_is() -> None:
    from kpi.present.catalogue import WORDS

    for text in WORDS["help.load"]:
        assert "docs/reference.md" in text and "README" not in text


def test_a_file_that_is_not_a_database_is_said_so_not_in_duckdbs_words(tmp_path: Path) -> None:
    """`kpi portfolio budget.csv`: DuckDB's 「Cannot launch in-memory database in read-only mode!」 never reaches the
    user (kpi.db.connect.explain says what it means)."""
    budget = tmp_path / "budget.csv"
    budget.write_text("fiscal_year,budget,executed\n2025,1,1\n", encoding="utf-8")
    result = cli("portfolio", str(budget), cwd=tmp_path)
    assert result.returncode == 3
    assert "DuckDB のデータベースファイルではありません" in result.stderr, result.stderr
    assert english_sentences(result.stderr) == [] and "Catalog Error" not in result.stderr
    english = cli_en("portfolio", str(budget), cwd=tmp_path)
    assert "it is not a DuckDB database file" in english.stderr and "Catalog Error" not in english.stderr


# ---------------------------------------------------------------------------- what the tester found (#35)


@pytest.mark.parametrize(
    ("args", "ja", "en"),
    [
        (["report", "--out", "--force"], "kpi: --out の後に値を書いてください", "kpi: --out needs a value after it"),
        (
            ["report", "--db", "--as-of", "2025"],
            "kpi: --db の後に値を書いてください",
            "kpi: --db needs a value after it",
        ),
        (
            ["report", "--out", "-"],
            "kpi: --out - は使えません。標準出力に出すときは --out を書かないでください",
            "kpi: --out - is not a file name: leave --out out to write to the standard output",
        ),
        (
            ["undo", "1", "2"],
            "kpi: kpi undo がとる読込番号は一つです: 2 は余分です",
            "kpi: kpi undo takes one load number: 2 is one too many",
        ),
        (
            ["loads", "show", "1", "2"],
            "kpi: kpi loads がとる読込番号は一つです: 2 は余分です",
            "kpi: kpi loads takes one load number: 2 is one too many",
        ),
        (
            ["loads", "show", "abc"],
            "kpi: 読込番号 の値 'abc' は整数ではありません",
            "kpi: load number: 'abc' is not an integer",
        ),
        (
            ["chart", "frob"],
            "kpi: グラフの名前 に 'frob' は使えません。使える値: short_term, long_term, budget, status, cohorts",
            "kpi: chart: 'frob' is not one of short_term, long_term, budget, status, cohorts",
        ),
        (
            ["report", "--stage", "final"],
            "kpi: 不明なオプション: --stage（--stage は kpi export のオプションです）",
            "kpi: no such option: --stage (--stage is an option of kpi export)",
        ),
        (
            ["report", "--sheet", "x"],
            "kpi: 不明なオプション: --sheet（--sheet は kpi load のオプションです）",
            "kpi: no such option: --sheet (--sheet is an option of kpi load)",
        ),
        (
            ["reconcile", "--out", "x"],
            "kpi: 不明なオプション: --out（--out は kpi report、kpi export など多くのコマンドのオプションです）",
            "kpi: no such option: --out (--out is an option of kpi report, kpi export and many other commands)",
        ),
        (
            ["portfolio", "--db", "a.duckdb"],
            "kpi: 不明なオプション: --db（--db は kpi load、kpi report など多くのコマンドのオプションです）",
            "kpi: no such option: --db (--db is an option of kpi load, kpi report and many other commands)",
        ),
        (
            ["followups", "--db", "a.duckdb"],
            "kpi: 不明なオプション: --db（--db は kpi followups due、kpi followups remind など多くのコマンドのオプションです）",
            "kpi: no such option: --db (--db is an option of kpi followups due, kpi followups remind and many other commands)",
        ),
        (
            ["init", "--out", "--db", "a.duckdb"],
            "kpi: --out の後に値を書いてください",
            "kpi: --out needs a value after it",
        ),
        (
            ["report", "--AS-OF", "2025"],
            "kpi: 不明なオプション: --AS-OF（もしかして: --as-of）",
            "kpi: no such option: --AS-OF (did you mean: --as-of?)",
        ),
        (
            ["report", "--format", "JSON"],
            "kpi: --format に 'JSON' は使えません。使える値: table, markdown, csv, json, html（もしかして: --format json）",
            "kpi: --format: 'JSON' is not one of table, markdown, csv, json, html (did you mean: --format json?)",
        ),
        (
            ["ｒｅｐｏｒｔ"],
            "kpi: 不明なコマンド: ｒｅｐｏｒｔ（もしかして: kpi report, kpi export, kpi restore）",
            "kpi: no such command: ｒｅｐｏｒｔ (did you mean: kpi report, kpi export, kpi restore?)",
        ),
        (
            ["help"],
            "kpi: 不明なコマンド: help（もしかして: kpi --help）",
            "kpi: no such command: help (did you mean: kpi --help?)",
        ),
    ],
)
def test_each_mistake_the_tester_found_is_said_with_what_to_write(
    args: list[str], ja: str, en: str, tmp_path: Path
) -> None:
    result = cli(*args, cwd=tmp_path)
    assert result.returncode == 2 and result.stderr.splitlines()[0] == ja, result.stderr
    assert english_sentences(result.stderr) == [], result.stderr
    english = cli_en(*args, cwd=tmp_path)
    assert english.returncode == 2 and english.stderr.splitlines()[0] == en, english.stderr
    assert list(tmp_path.iterdir()) == []  # not a file named --force, nor -


def test_a_language_written_where_a_value_belongs_is_not_the_language_asked_for(tmp_path: Path) -> None:
    """`kpi report --as-of --lang en`: --as-of lacks its value; the user, Japanese by default, is told in Japanese."""
    result = cli("report", "--as-of", "--lang", "en", cwd=tmp_path)
    assert result.returncode == 2 and result.stderr.splitlines()[0] == "kpi: --as-of の後に値を書いてください"


@pytest.mark.parametrize("path", COMMANDS, ids=_id)
def test_no_option_of_a_command_is_taken_as_the_value_of_another(path: tuple[str, ...], tmp_path: Path) -> None:
    """Every option that takes a value, followed by the command's first flag (or --debug), is missing its value."""
    command = COMMAND_OF[path]
    flag = next((o.opts[0] for o in _options(command) if o.is_flag), "--help")
    for option in _options(command):
        if option.is_flag:
            continue
        result = cli(*path, *_required(command), option.opts[0], flag, cwd=tmp_path)
        assert result.returncode == 2, (option.opts[0], flag, result.stderr)
        assert result.stderr.splitlines()[0].startswith(f"kpi: {option.opts[0]} の後に値を書いてください")
    assert list(tmp_path.iterdir()) == []


def _arguments() -> list[tuple[tuple[str, ...], Any]]:
    return [(path, p) for path, command in TREE for p in command.params if isinstance(p, TyperArgument)]


def test_every_argument_has_a_label_in_both_languages() -> None:
    from kpi.cli.help import ARGUMENT_LABELS
    from kpi.present.catalogue import WORDS

    for path, param in _arguments():
        assert param.name in ARGUMENT_LABELS, (path, param.name)
        assert all(WORDS[ARGUMENT_LABELS[param.name]]), param.name


@pytest.mark.parametrize("path", sorted({path for path, _ in _arguments()}), ids=_id)
def test_no_usage_error_or_help_names_a_python_parameter(path: tuple[str, ...], tmp_path: Path) -> None:
    """An argument refused, and the help's usage line, say the argument's label, never its parameter's name."""
    command = COMMAND_OF[path]
    names = {str(p.name) for p in command.params if isinstance(p, TyperArgument)} - {"kpi"}  # (kpi's own name)
    runs = [cli(*args, cwd=tmp_path) for kind, args in mistakes(path) if kind == "bad argument"]
    runs += [cli(*path, "frob", cwd=tmp_path), cli(*path, "show", "abc", cwd=tmp_path)]
    for text in [run.stderr for run in runs if run.returncode == 2]:
        first = text.splitlines()[0]
        assert not any(re.search(rf"(?<![\w-]){name}(?![\w-])", first.split(": ", 1)[1]) for name in names), first
    usage = cli(*path, "--help", cwd=tmp_path).stdout.splitlines()[0]
    assert not any(re.search(rf"[\[{{]{name}[\]}}:.]", usage) for name in names), usage
    assert "[OPTIONS]" not in usage


def test_help_names_no_python_type() -> None:
    for path, _ in TREE:
        text = cli(*path, "--help").stdout
        assert not re.search(r"<(str|int|float|path|reason|name|kind|id)>", text), (path, text)


@pytest.mark.parametrize("variable", ["KPI_LANG", "KPI_LOG_FORMAT"])
def test_a_bad_environment_value_names_the_variable(variable: str, tmp_path: Path) -> None:
    result = cli("report", env={variable: "xx"}, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert result.stderr.splitlines()[0].startswith(f"kpi: 環境変数 {variable} の値 'xx' は使えません（"), result.stderr


def test_a_load_that_does_not_exist_is_no_data_for_undo_and_loads_show_alike(sample_store: Path) -> None:
    shown = cli("loads", "show", "999", "--db", str(sample_store))
    undone = cli("undo", "999", "--db", str(sample_store))
    assert shown.returncode == undone.returncode == 3, (shown.stderr, undone.stderr)
    assert "第999回の読込はありません" in shown.stderr and "第999回の読込はありません" in undone.stderr


def _not_databases(folder: Path) -> dict[str, Path]:
    import duckdb

    real = folder / "real.duckdb"
    con = duckdb.connect(str(real))
    con.execute("CREATE TABLE t AS SELECT range AS i, range::VARCHAR AS s FROM range(300000)")
    con.close()
    files = {
        "empty": folder / "empty.duckdb",
        "random": folder / "random.duckdb",
        "text": folder / "text.duckdb",
        "cut": folder / "cut.duckdb",
    }
    files["empty"].write_bytes(b"")
    files["random"].write_bytes(bytes(range(256)) * 20)
    files["text"].write_text("hello\n", encoding="utf-8")
    files["cut"].write_bytes(real.read_bytes()[:300_000])
    real.unlink()
    return files


@pytest.mark.slow
def test_a_file_that_is_not_a_database_or_is_cut_short_is_said_in_japanese_only(tmp_path: Path) -> None:
    """Empty, random bytes, text, cut short: every command opening it says so in Japanese, no DuckDB English."""
    for kind, path in _not_databases(tmp_path).items():
        for args in (
            ["report", "--db", str(path)],
            ["load", "--db", str(path), str(tmp_path / "none.csv")],
            ["backup", "--db", str(path)],
            ["portfolio", str(path)],
        ):
            result = cli(*args, cwd=tmp_path)
            assert result.returncode in (3, 65), (kind, args, result.stderr)
            assert english_sentences(result.stderr) == [] and "Error" not in result.stderr, (kind, args, result.stderr)
            expected = "途中で切れています" if kind == "cut" else "DuckDB のデータベースファイルではありません"
            assert expected in result.stderr, (kind, args, result.stderr)
