"""Running schemas/ on text frames and turning pandera's findings into row-level failures (rules as catalogue keys)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kpi.db import stage
from kpi.db.sent import stored_sent
from kpi.db.stage import Staged
from kpi.db.write import stored_end_years, stored_organisations, stored_theme_ids
from kpi.errors import Failure

if TYPE_CHECKING:
    import duckdb
    import polars as pl

    from kpi.load.source import SourceFile
    from schemas.common import KindSpec

# pandera's names for its built-in checks, as catalogue keys.
BUILTIN_RULES = {
    "not_nullable": "rule.required",
    "field_uniqueness": "rule.unique",
    "column_in_dataframe": "rule.column_missing_plain",
    "column_in_schema": "rule.unknown_column_plain",
}
# A required cell left blank, by a rule of its own: (kind, column) → catalogue key. A survey sheet's row reaches the
# checks with 段階 blank only when it carries an answer (kpi.load.ingest.ANSWERED_WITHOUT_STAGE).
BLANK_RULES = {("followups", "stage"): "rule.stage_blank_answered"}


def check_frame(source: SourceFile) -> list[Failure]:
    """Every rule a file's rows break (all of them, not just the first)."""
    import pandera.errors

    from schemas.common import LINE

    spec = spec_of(source)
    df: pl.DataFrame = source.frame
    try:
        spec.SCHEMA.validate(df, lazy=True)  # an eager frame: a LazyFrame would skip the value checks
    except pandera.errors.SchemaErrors as exc:
        columns_of_checks = {c.error: c.name for c in spec.SCHEMA.checks if c.name}
        failures = []
        cases = exc.failure_cases.unique(maintain_order=True)
        for case in cases.iter_rows(named=True):
            rule = BUILTIN_RULES.get(str(case["check"]), str(case["check"]))
            if case["schema_context"] == "DataFrameSchema":
                column = columns_of_checks.get(case["check"], "")
            else:
                column = case["column"] or ""
            if rule == "rule.required":
                rule = BLANK_RULES.get((source.kind, column), rule)
            index = case["index"]
            if index is None:
                failures.append(Failure(str(source.path), None, column or "", case["failure_case"], rule))
                continue
            value = df[column][index] if column in df.columns else case["failure_case"]
            params = getattr(spec, "RULE_PARAMS", {}).get((column, rule), {})
            failures.append(Failure(str(source.path), int(df[LINE][index]), column, value, rule, params))
        order = {c: i for i, c in enumerate(spec.COLUMNS)}
        return sorted(failures, key=lambda f: (f.line or 0, order.get(f.column, len(order))))
    return []


def spec_of(source: SourceFile) -> KindSpec:
    """The contract a file was read with: its kind's, or a theme list's with the theme attributes declared."""
    from schemas import KINDS

    return source.spec or KINDS[source.kind]


def _amounts_too_large(source: SourceFile) -> list[Failure]:
    """Amounts that would not fit once converted to 億円 (their unit is known only from the header)."""
    import polars as pl

    from schemas.common import AMOUNT_TOO_LARGE, LINE, amount_fits

    failures = []
    for column in getattr(spec_of(source), "AMOUNTS", []):
        bad = source.frame.filter(~amount_fits(column, source.units).fill_null(True))
        for value, line in bad.select(pl.col(column), pl.col(LINE)).iter_rows():
            failures.append(Failure(str(source.path), line, column, value, AMOUNT_TOO_LARGE))
    return failures


def validate_sources(sources: list[SourceFile], failures: list[Failure]) -> dict[int, pl.DataFrame]:
    """Typed records per source (keyed by position); appends every failure found to `failures`.

    A file with failing rows still gives the records of its sound rows, so that the rules across files and
    against the database report their failures too (nothing is written while any failure stands).
    """
    import polars as pl

    from schemas.common import LINE

    records: dict[int, pl.DataFrame] = {}
    for i, source in enumerate(sources):
        if source.staged is not None:  # checked as it was staged (kpi.load.staged)
            records[i] = source.staged
            continue
        if source.frame is None:  # programme settings and RS files: checked when read
            continue
        found = check_frame(source) or _amounts_too_large(source)
        failures.extend(found)
        if any(f.line is None for f in found):
            continue  # a fault of the file as a whole (a column missing): no row can be read
        sound = source.frame.filter(~pl.col(LINE).is_in([f.line for f in found])) if found else source.frame
        if sound.height:
            records[i] = spec_of(source).to_records(sound, source.units).with_columns(sound[LINE])
    failures.extend(_cross_file_duplicates(sources, records))
    return records


def check_references(
    con: duckdb.DuckDBPyConnection, sources: list[SourceFile], records: dict[int, pl.DataFrame]
) -> list[Failure]:
    """Rules that need the database: follow-ups must name a known theme and not predate its end, and an answer's
    organisation must be one of its theme's and, when that year's round was sent for the theme, one it was sent to."""
    return (
        _unknown_themes(con, sources, records)
        + _surveys_before_the_end(con, sources, records)
        + _organisations_answering(con, sources, records)
        + _stagegate_criteria(con, sources, records)
    )


def _stagegate_criteria(
    con: duckdb.DuckDBPyConnection, sources: list[SourceFile], records: dict[int, pl.DataFrame]
) -> list[Failure]:
    """Stage-gate scores by criterion name the criteria of the settings (this load's, else the stored ones, else the
    defaults) and score each of them in every review (schemas.stagegate.criteria_faults)."""
    from kpi import settings
    from schemas.stagegate import criteria_faults

    reviews = [(i, df) for i, df in records.items() if sources[i].kind == "stagegate"]
    if not reviews:
        return []
    text = next((s.settings.get("stagegate_criteria") for s in sources if s.settings), None)
    if text is None and not any(s.settings for s in sources):
        row = con.execute("SELECT value FROM programme WHERE key = 'stagegate_criteria'").fetchone()
        text = row[0] if row else None
    criteria = settings.parse_stagegate_criteria(text) if text else settings.DEFAULT_STAGEGATE_CRITERIA
    names = tuple(name for name, _ in criteria)
    return [
        Failure(str(sources[i].path), line, "criterion", value, rule, params)
        for i, df in reviews
        for line, value, rule, params in criteria_faults(df, names)
    ]


def _cross_file_duplicates(sources: list[SourceFile], records: dict[int, pl.DataFrame]) -> list[Failure]:
    """A key given by two files of one command is ambiguous (which should win?), so it is refused: one line per
    set of files that share keys (two lists of one date, a budget in two files), naming the files with their rows,
    the date of the lists, how many keys they share and how many rows that is, and the first keys; not a line per
    row. The key's columns are named by the message, in the user's words (kpi.present.messages)."""
    import polars as pl

    from schemas import KINDS

    failures: list[Failure] = []
    for kind in sorted({sources[i].kind for i in records}):
        if sum(sources[i].kind == kind for i in records) < 2:
            continue
        key = KINDS[kind].KEY
        parts = [
            df.select(*key, "_line").with_columns(
                pl.lit(str(sources[i].path)).alias("_file"), pl.lit(str(sources[i].snapshot)).alias("_list")
            )
            for i, df in records.items()
            if sources[i].kind == kind
        ]
        # two themes files of different dates are two lists: a theme may be in both
        both = pl.concat(parts).with_columns(pl.col("_file").n_unique().over(*key, "_list").alias("_files"))
        clashes = both.filter(pl.col("_files") > 1)
        for (listed,), rows in sorted(clashes.group_by("_list"), key=lambda group: str(group[0][0])):
            files = sorted(rows["_file"].unique().to_list())
            keys = rows.select(key).unique(maintain_order=True)
            params = {
                "kind": kind,
                "columns": list(key),
                "keys": [[str(v) for v in k] for k in keys.head(SHOWN_KEYS).iter_rows()],
                "files": files,
                "rows": {f: sorted(rows.filter(pl.col("_file") == f)["_line"].to_list()) for f in files},
                "n": keys.height,
                "lines": rows.height,
                "date": listed,
            }
            rule = "rule.key_in_two_files_of_a_date" if kind == "themes" else "rule.key_in_two_files"
            failures.append(Failure(files[0], None, key[0], None, rule, params))
    return failures


SHOWN_KEYS = 5  # the keys a line standing for many names


def follow_on(failures: list[Failure], sources: list[SourceFile], kinds: dict[str, str]) -> list[Failure]:
    """Failures that follow from an earlier one, as one line naming its cause: the rows of one file naming themes
    unknown because the themes file of this load that lists them was refused (`kinds`: each file's kind) become
    one line naming both files, with the count of rows it stands for."""
    refused = [file for file, kind in kinds.items() if kind == "themes" and any(f.file == file for f in failures)]
    if not refused:
        return failures
    listed: dict[str, set[str] | None] = {}  # the IDs a refused list holds; None: it could not be read at all
    for file in refused:
        source = next((s for s in sources if str(s.path) == file), None)
        frame = source.frame if source is not None else None
        listed[file] = None if frame is None else {str(v) for v in frame["theme_id"].drop_nulls()}
    kept: list[Failure] = []
    caused: dict[tuple[str, str], list[Failure]] = {}
    for failure in failures:
        cause = None
        if failure.rule == "rule.unknown_theme":
            ids = listed.items()
            cause = next((file for file, held in ids if held is None or str(failure.value) in held), None)
        if cause is None:
            kept.append(failure)
        else:
            caused.setdefault((failure.file, cause), []).append(failure)
    for (file, cause), rows in caused.items():
        lines = sorted(f.line for f in rows if f.line is not None)
        shown = ", ".join(str(n) for n in lines[:SHOWN_LINES]) + (" …" if len(lines) > SHOWN_LINES else "")
        params = {"cause": cause, "n": len(rows), "rows": shown}
        kept.append(Failure(file, None, "theme_id", None, "rule.unknown_theme_refused", params))
    return kept


SHOWN_LINES = 5  # the rows a line standing for many names


def _columns(con: duckdb.DuckDBPyConnection, records: Any, columns: list[str]) -> pl.DataFrame:
    """Columns of a file's checked rows: its polars frame, or its staged table read back."""
    import polars as pl

    if isinstance(records, Staged):
        return pl.DataFrame(stage.rows(con, records, columns))
    selected: pl.DataFrame = records.select(columns)
    return selected


def _unknown_themes(
    con: duckdb.DuckDBPyConnection, sources: list[SourceFile], records: dict[int, pl.DataFrame]
) -> list[Failure]:
    """Follow-up, stage-gate and schedule rows must name a theme already stored or loaded by the same command."""
    import polars as pl

    followups = [(i, df) for i, df in records.items() if sources[i].kind in ("followups", "stagegate", "schedule")]
    if not followups:
        return []
    stored = pl.DataFrame(stored_theme_ids(con))["theme_id"]
    loaded = [_columns(con, df, ["theme_id"])["theme_id"] for i, df in records.items() if sources[i].kind == "themes"]
    known = pl.concat([stored.cast(pl.String), *loaded])
    failures = []
    for i, df in followups:
        unknown = df.filter(~pl.col("theme_id").is_in(known.implode()))
        for theme_id, line in unknown.select("theme_id", "_line").iter_rows():
            failures.append(
                Failure(
                    str(sources[i].path),
                    line,
                    "theme_id",
                    theme_id,
                    "rule.unknown_theme",
                )
            )
    return failures


def _surveys_before_the_end(
    con: duckdb.DuckDBPyConnection, sources: list[SourceFile], records: dict[int, pl.DataFrame]
) -> list[Failure]:
    """A follow-up survey of a year before its theme ended is an error in the sheet (a year or a theme mistyped).

    The theme's end year is the one its newest list in this load gives, else its latest stored list's.
    """
    import polars as pl

    surveys = [(i, df) for i, df in records.items() if sources[i].kind == "followups"]
    if not surveys:
        return []
    loaded = [
        _columns(con, df, ["theme_id", "end_fy"]).with_columns(pl.lit(str(sources[i].snapshot)).alias("_list"))
        for i, df in records.items()
        if sources[i].kind == "themes"
    ]
    stored = pl.DataFrame(stored_end_years(con)).select(
        pl.col("theme_id").cast(pl.String), pl.col("end_fy").cast(pl.Int16), pl.lit("").alias("_list")
    )
    ends = (
        pl.concat([stored, *(frame.with_columns(pl.col("end_fy").cast(pl.Int16)) for frame in loaded)])
        .sort("_list")
        .unique("theme_id", keep="last")
    )
    failures = []
    for i, df in surveys:
        early = df.join(ends, on="theme_id", how="inner").filter(pl.col("survey_fy") < pl.col("end_fy"))
        for survey_fy, end_fy, line in early.select("survey_fy", "end_fy", "_line").iter_rows():
            failures.append(
                Failure(
                    str(sources[i].path),
                    line,
                    "survey_fy",
                    str(survey_fy),
                    "rule.survey_before_end",
                    {"end_fy": end_fy},
                )
            )
    return failures


def _organisations_answering(
    con: duckdb.DuckDBPyConnection, sources: list[SourceFile], records: dict[int, pl.DataFrame]
) -> list[Failure]:
    """An answer's organisation must be one its theme's 機関名 names (kpi.organisations.split, compared after NFKC
    and trimming) or blank (the theme as a whole); and when a round of that survey year was recorded as sent, an
    answer naming an organisation must be for a theme and organisation it was sent to. A theme unknown is refused on
    its own; an answer for the theme as a whole is not held to the round (the three-column survey file)."""
    import polars as pl

    from kpi import organisations

    answers = [(i, df) for i, df in records.items() if sources[i].kind == "followups"]
    if not answers:
        return []
    loaded = [
        _columns(con, df, ["theme_id", "organizations"]).with_columns(pl.lit(str(sources[i].snapshot)).alias("_list"))
        for i, df in records.items()
        if sources[i].kind == "themes"
    ]
    stored = pl.DataFrame(stored_organisations(con)).select(
        pl.col("theme_id").cast(pl.String), pl.col("organizations").cast(pl.String), pl.lit("").alias("_list")
    )
    cells = pl.concat([stored, *loaded]).sort("_list").unique("theme_id", keep="last")
    listed = {str(t): organisations.split(c) for t, c in cells.select("theme_id", "organizations").iter_rows()}
    named = {t: {organisations.normal(o) for o in names} for t, names in listed.items()}
    sent: dict[tuple[str, int], set[str]] = {}
    for theme_id, survey_fy, organisation in stored_sent(con):
        sent.setdefault((str(theme_id), int(survey_fy)), set()).add(organisations.normal(str(organisation)))
    sent_years = {fy for _, fy in sent}
    failures = []
    for i, df in answers:
        for theme_id, organisation, survey_fy, line in df.select(
            "theme_id", "organisation", "survey_fy", "_line"
        ).iter_rows():
            name = organisations.normal(organisation or "")
            if theme_id not in named:
                continue
            if name and name not in named[theme_id]:
                params = {"organisations": "、".join(listed[theme_id])}
                failures.append(
                    Failure(
                        str(sources[i].path), line, "organisation", organisation, "rule.not_an_organisation", params
                    )
                )
                continue
            if not name or int(survey_fy) not in sent_years:
                continue  # the theme as a whole (the three-column survey file), or a year no round was sent for
            round_sent = sent.get((theme_id, int(survey_fy)), set())
            if name not in round_sent:
                params = {"fy": survey_fy, "sent": "、".join(sorted(o or "—" for o in round_sent)) or "—"}
                failures.append(
                    Failure(
                        str(sources[i].path), line, "organisation", organisation or None, "rule.not_in_round", params
                    )
                )
    return failures
