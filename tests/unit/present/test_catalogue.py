"""The catalogue: every entry in both languages with the same placeholders, every key the code uses present."""

from __future__ import annotations

import ast
import re
from fractions import Fraction

import pytest
from kit import ROOT

from kpi.codes import STATUSES
from kpi.figures.kpis import KPIS
from kpi.figures.status import GROUPS, LISTS
from kpi.figures.verdict import Verdict
from kpi.load.files import KIND_ORDER
from kpi.present.catalogue import WORDS, Lang, Words, lang_from_env, placeholders, text

# Entries whose two languages are rightly the same text (symbols, numbers, names).
SAME_IN_BOTH = {
    "load.number",
    "html.fraction",
    "cli.version",
    "cli.error",
    "kind.rs",
    "chart.wrote",
    "col.rs.yen",
}
# Literals that look like keys but are data: figure identifiers of `kpi reconcile`, the default file name.
NOT_KEYS = {
    "kpi.duckdb",
    "kpi.cli.commands",  # module names (the command line imports them by name)
    "kpi.cli.main",
    "rs.appropriation",
    "rs.long_term.target",
    "rs.long_term.target_year",
    "rs.short_term.actual",
    "rs.short_term.target",
}


def faults(key: str) -> list[str]:
    """What is wrong with a catalogue entry: a language empty, placeholders that differ between them."""
    ja, en = WORDS[key]
    found = [] if ja.strip() and en.strip() else [f"{key}: a language is empty"]
    if placeholders(ja) != placeholders(en):
        found.append(f"{key}: {placeholders(ja)} ≠ {placeholders(en)}")
    return found


def test_every_entry_has_both_languages_with_the_same_placeholders() -> None:
    assert [fault for key in sorted(WORDS) for fault in faults(key)] == []


def test_japanese_is_written_in_japanese() -> None:
    """An entry copied from English into the Japanese column is a missing translation."""
    untranslated = [
        k for k, (ja, en) in WORDS.items() if ja == en and k not in SAME_IN_BOTH and re.search(r"[a-z]{3}", en)
    ]
    assert untranslated == []


def test_a_missing_language_fails_the_check() -> None:
    """The check above is not blind: an entry without English, or with other placeholders, is caught."""
    for broken, expected in [
        (("{n}件", ""), ["test.broken: a language is empty", "test.broken: {'n'} ≠ set()"]),
        (("{n}件", "{count} items"), ["test.broken: {'n'} ≠ {'count'}"]),
    ]:
        WORDS["test.broken"] = broken
        try:
            assert faults("test.broken") == expected
            with pytest.raises(AssertionError):
                test_every_entry_has_both_languages_with_the_same_placeholders()
        finally:
            del WORDS["test.broken"]


def _literals(skip: str = "catalogue.py") -> set[str]:
    """Every string literal in kpi/ and schemas/ (the catalogue itself left out)."""
    found: set[str] = set()
    for path in [*(ROOT / "kpi").rglob("*.py"), *(ROOT / "schemas").rglob("*.py")]:
        if path.name == skip:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                found.add(node.value)
    return found


def _literal_keys() -> set[str]:
    """Every string literal in kpi/ and schemas/ that reads as a catalogue key (a known prefix and a dot)."""
    prefixes = {key.split(".")[0] for key in WORDS}
    return {
        value
        for value in _literals()
        if re.fullmatch(r"[a-z_]+(\.[a-z0-9_]+)+", value) and value.split(".")[0] in prefixes
    }


def test_every_key_written_in_the_code_is_in_the_catalogue() -> None:
    keys = _literal_keys()
    assert len(keys) > 100  # the scan finds the keys (rules, messages, labels)
    assert sorted(k for k in keys - NOT_KEYS if k not in WORDS) == []


def unused(words: dict[str, tuple[str, str]]) -> list[str]:
    """The entries no code uses: keys are written whole where they are used, so a key nothing writes is dead."""
    literals = _literals()
    return sorted(k for k in words if k not in literals)


def test_every_entry_of_the_catalogue_is_used_by_the_code() -> None:
    assert unused(WORDS) == []


def test_an_unused_entry_fails_the_check() -> None:
    """The check above is not blind: a key that no code writes is found."""
    assert unused({**WORDS, "report.never_printed": ("使われない", "never printed")}) == ["report.never_printed"]


def test_no_key_is_built_at_run_time() -> None:
    """A key composed with an f-string (words(f"status.{s}")) cannot be found by a search: every key is whole."""
    built = []
    for path in [*(ROOT / "kpi").rglob("*.py"), *(ROOT / "schemas").rglob("*.py")]:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if re.search(r"""(?:words|HELP|w)\(f["']""", line):
                built.append(f"{path.relative_to(ROOT)}:{number}")
    assert built == []


def test_each_entry_sits_under_the_module_that_uses_it() -> None:
    """The catalogue's sections name the module whose code writes their keys ("used by several modules" else)."""
    users: dict[str, set[str]] = {}
    for path in [*(ROOT / "kpi").rglob("*.py"), *(ROOT / "schemas").rglob("*.py")]:
        if path.name == "catalogue.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in WORDS:
                users.setdefault(node.value, set()).add(path.relative_to(ROOT).as_posix())
    section, misplaced = "", []
    for line in (ROOT / "kpi" / "present" / "catalogue.py").read_text(encoding="utf-8").splitlines():
        if m := re.match(r"^    # -+ (.+)$", line):
            section = m.group(1)
        elif m := re.match(r'^    "([^"]+)": ', line):
            modules = users.get(m.group(1), set())
            expected = next(iter(modules)) if len(modules) == 1 else "used by several modules"
            if section != expected:
                misplaced.append(f"{m.group(1)}: under {section!r}, used by {sorted(modules)}")
    assert misplaced == []


def test_every_code_the_layers_below_return_has_its_words() -> None:
    """Each stored or returned code (a status, a group, a kind, a verdict, a KPI…) has its key in present/labels."""
    from kpi.db.sent import KIND as SENT
    from kpi.figures.outlook import Reach
    from kpi.figures.stagegate import decision
    from kpi.present import labels
    from kpi.present.formats import ChartName

    assert set(labels.STATUS) == set(STATUSES)
    assert set(labels.GROUP) == set(GROUPS)
    assert set(labels.THEME_LIST) == set(LISTS)
    assert set(labels.KIND) == {*KIND_ORDER, SENT}  # the kinds of files, and a survey round sent
    assert set(labels.VERDICT) == {str(v) for v in Verdict}
    assert set(labels.REACH) == {str(r) for r in Reach}
    assert set(labels.KPI) == {spec.key for spec in KPIS}
    assert set(labels.CHART_TITLE) == set(labels.CHART_NOTE) == {str(c) for c in ChartName}
    assert {decision(Fraction(m)) for m in (0, 50, 100)} == set(labels.DECISION)
    for table in (labels.STATUS, labels.GROUP, labels.KIND, labels.VERDICT, labels.SHEET, labels.OUTPUT):
        assert all(key in WORDS for key in table.values())


def test_words_fill_their_placeholders_in_the_language_asked() -> None:
    assert text("db.missing", "ja", path="x.duckdb").startswith("x.duckdb にデータベースがありません")
    assert (
        text("db.missing", Lang.en, path="x.duckdb")
        == "no database at x.duckdb; load data first: kpi load sample_data/"
    )
    assert Words("en")("verdict.not_judged_yet", fy=2030) == "judged from FY2030"
    with pytest.raises(ValueError):
        Words("fr")


def test_kpi_lang_chooses_english_and_anything_else_is_japanese(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KPI_LANG", "en")
    assert lang_from_env() is Lang.en
    monkeypatch.setenv("KPI_LANG", "fr")
    assert lang_from_env() is Lang.ja
    monkeypatch.delenv("KPI_LANG")
    assert lang_from_env() is Lang.ja


@pytest.mark.parametrize("lang", list(Lang))
def test_the_settings_template_sets_every_setting_once_and_waits_for_two(lang: Lang) -> None:
    """kpi init's template (both languages): valid TOML with every setting, only name and project_id empty."""
    import tomllib

    from kpi import settings

    template = Words(lang)("init.template")
    raw = tomllib.loads(template)
    assert list(raw) == [*settings.REQUIRED, *settings.OPTIONAL]
    assert [(p.key, p.rule) for p in settings.problems(raw)] == [
        ("name", "rule.setting.empty"),
        ("project_id", "rule.setting.empty"),
    ]
    filled = {**raw, "name": "ポスト5G", "project_id": 3522}
    assert settings.problems(filled) == []
    assert settings.normalise(filled)["short_term_target"] == "80%"
    # after the heading: one block per setting, its comments above it; last, the theme attributes' commented example
    *blocks, example = template.split("\n\n")[1:]
    assert all(line.startswith("#") for line in example.splitlines()) and '[attributes."分野"]' in example
    assert [b.splitlines()[-1].split(" =")[0] for b in blocks] == list(raw)
    for block in blocks:
        comments = block.splitlines()[:-1]
        assert len(comments) >= 2 and all(c.startswith("#") for c in comments), block
        if lang is Lang.ja:
            assert re.search(r"[ぁ-んァ-ヶ]", comments[0]), block  # explained in Japanese


@pytest.mark.parametrize("lang", list(Lang))
def test_the_settings_templates_attribute_example_uncommented_declares_sound_attributes(lang: Lang) -> None:
    """kpi init's commented example of theme attributes, its "# " taken off from its first table on, is sound."""
    import tomllib

    from kpi import settings

    lines = Words(lang)("init.template").splitlines()
    first = lines.index('# [attributes."分野"]')
    text = "\n".join([*lines[:first], *(line.removeprefix("#").removeprefix(" ") for line in lines[first:])])
    raw = {**tomllib.loads(text), "name": "ポスト5G", "project_id": 3522}
    assert settings.problems(raw) == []
    assert [a.name for a in settings.parse_attributes(raw["attributes"])] == ["分野", "企業規模", "予算額"]
