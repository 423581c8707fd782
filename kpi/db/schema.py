"""The tables of a kpi database, their versions, and the natural key of each table."""

from __future__ import annotations

# Each entry upgrades the schema by one version; SCHEMA_VERSION is how many there are.
# A database is upgraded in one transaction on the first write; never edit a released entry.
MIGRATIONS: list[str] = [
    # 1: the registry (themes, budget, follow-up surveys), the programme's settings, the audit trail.
    """
    CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL);
    CREATE TABLE loads (
        load_id INTEGER PRIMARY KEY, file_name VARCHAR NOT NULL, sha256 VARCHAR NOT NULL,
        kind VARCHAR NOT NULL, row_count BIGINT NOT NULL, inserted BIGINT NOT NULL,
        updated BIGINT NOT NULL, loaded_at TIMESTAMP NOT NULL);
    CREATE TABLE themes (
        theme_id VARCHAR NOT NULL, item TINYINT NOT NULL, funding VARCHAR NOT NULL,
        element VARCHAR NOT NULL, organizations VARCHAR NOT NULL, title VARCHAR NOT NULL,
        start_fy SMALLINT, end_fy SMALLINT NOT NULL, status VARCHAR NOT NULL, load_id INTEGER NOT NULL);
    CREATE TABLE theme_history (
        theme_id VARCHAR NOT NULL, load_id INTEGER NOT NULL,
        old_status VARCHAR NOT NULL, new_status VARCHAR NOT NULL,
        old_end_fy SMALLINT NOT NULL, new_end_fy SMALLINT NOT NULL);
    CREATE TABLE budget (
        fy SMALLINT NOT NULL, budget DECIMAL(24, 8) NOT NULL, executed DECIMAL(24, 8),
        load_id INTEGER NOT NULL);
    CREATE TABLE followups (
        theme_id VARCHAR NOT NULL, survey_fy SMALLINT NOT NULL, stage VARCHAR NOT NULL,
        load_id INTEGER NOT NULL);
    CREATE TABLE programme (key VARCHAR NOT NULL, value VARCHAR NOT NULL, load_id INTEGER NOT NULL);
    """,
    # 2: the evaluation's other figures: outputs and patents, grants, stage-gate scores, working-group grades.
    """
    CREATE TABLE outputs (
        fy SMALLINT NOT NULL, papers BIGINT NOT NULL, presentations BIGINT NOT NULL,
        patents_domestic BIGINT NOT NULL, patents_foreign BIGINT NOT NULL, patents_pct BIGINT NOT NULL,
        load_id INTEGER NOT NULL);
    CREATE TABLE grants (
        as_of_date DATE NOT NULL, granted_domestic BIGINT NOT NULL, granted_foreign BIGINT NOT NULL,
        load_id INTEGER NOT NULL);
    CREATE TABLE stagegate (
        theme_id VARCHAR NOT NULL, review_fy SMALLINT NOT NULL, reviewer VARCHAR NOT NULL,
        score DECIMAL(5, 2) NOT NULL, load_id INTEGER NOT NULL);
    CREATE TABLE evaluation (
        criterion VARCHAR NOT NULL, member VARCHAR NOT NULL, grade VARCHAR, position INTEGER NOT NULL,
        load_id INTEGER NOT NULL);
    CREATE TABLE published (
        figure VARCHAR NOT NULL, as_of_fy SMALLINT NOT NULL, value VARCHAR NOT NULL, source VARCHAR NOT NULL,
        load_id INTEGER NOT NULL);
    CREATE TABLE rs_budget (
        sheet_fy BIGINT NOT NULL, project_id BIGINT NOT NULL, project_name VARCHAR, budget_fy BIGINT NOT NULL,
        initial BIGINT, supplementary BIGINT, carried_in BIGINT, reserve BIGINT, "current" BIGINT, executed BIGINT,
        execution_rate DECIMAL(38, 10), carried_out BIGINT, requested_next BIGINT, execution_reported BOOLEAN NOT NULL,
        load_id INTEGER NOT NULL);
    CREATE TABLE rs_indicators (
        sheet_fy BIGINT NOT NULL, project_id BIGINT NOT NULL, project_name VARCHAR, seq BIGINT NOT NULL,
        number BIGINT, kind VARCHAR, period VARCHAR, goal_type VARCHAR, name VARCHAR, indicator VARCHAR,
        unit VARCHAR, direction VARCHAR, direction_text VARCHAR, source VARCHAR, target_years BIGINT[],
        load_id INTEGER NOT NULL);
    CREATE TABLE rs_values (
        sheet_fy BIGINT NOT NULL, project_id BIGINT NOT NULL, seq BIGINT NOT NULL, number BIGINT, fy BIGINT NOT NULL,
        target DECIMAL(38, 10), actual DECIMAL(38, 10), achievement_rate DECIMAL(38, 10), is_target_year BOOLEAN,
        load_id INTEGER NOT NULL);
    """,
    # 3: dated theme lists. A themes file is the programme's list as known on a date (its snapshot); each list
    # keeps its own rows, and `themes` becomes a view: every theme ever listed, as its latest list has it. The
    # statuses stored so far become one list dated by the last themes load. theme_history is kept as it was
    # (the lists hold the history from now on).
    """
    CREATE TABLE theme_lists (
        list_id INTEGER PRIMARY KEY, snapshot DATE NOT NULL UNIQUE, load_id INTEGER NOT NULL);
    CREATE TABLE theme_rows (
        list_id INTEGER NOT NULL, theme_id VARCHAR NOT NULL, item TINYINT NOT NULL, funding VARCHAR NOT NULL,
        element VARCHAR NOT NULL, organizations VARCHAR NOT NULL, title VARCHAR NOT NULL,
        start_fy SMALLINT, end_fy SMALLINT NOT NULL, status VARCHAR NOT NULL, load_id INTEGER NOT NULL);
    INSERT INTO theme_lists
        SELECT 1, CAST(max(l.loaded_at) AS DATE), max(l.load_id) FROM loads l
        WHERE l.kind = 'themes' AND EXISTS (SELECT 1 FROM themes) HAVING count(*) > 0;
    INSERT INTO theme_rows
        SELECT 1, theme_id, item, funding, element, organizations, title, start_fy, end_fy, status, load_id
        FROM themes WHERE EXISTS (SELECT 1 FROM theme_lists);
    DROP TABLE themes;
    CREATE VIEW themes AS
        SELECT r.theme_id, r.item, r.funding, r.element, r.organizations, r.title, r.start_fy, r.end_fy, r.status,
               r.load_id, l.snapshot
        FROM theme_rows r JOIN theme_lists l USING (list_id)
        QUALIFY row_number() OVER (PARTITION BY r.theme_id ORDER BY l.snapshot DESC) = 1;
    """,
    # 4: a load records the date of the list a themes file made or replaced, and where that date came from
    # (--snapshot, the file's name, or today in the programme's calendar). Earlier loads get the date of the
    # list they last wrote.
    """
    ALTER TABLE loads ADD COLUMN snapshot DATE;
    ALTER TABLE loads ADD COLUMN snapshot_from VARCHAR;
    UPDATE loads SET snapshot = l.snapshot FROM theme_lists l WHERE l.load_id = loads.load_id;
    """,
    # 5: nothing loaded is overwritten. Every row of every kind is kept in `<table>_versions` with the load that
    # brought it (load_id) and the load that superseded it (superseded_by, null while current); `<table>` becomes
    # the view of the current rows. A theme list's versions are rows of theme_lists_versions (a list_id names a
    # set of theme_rows, which are never changed; an undo makes an earlier set current again under a new
    # version). A load records the load it undid and the reason a closed year was reopened. The register of
    # submissions. Every stored row becomes the first version.
    """
    CREATE TABLE theme_lists_versions (
        list_id INTEGER NOT NULL, snapshot DATE NOT NULL, load_id INTEGER NOT NULL, superseded_by INTEGER);
    INSERT INTO theme_lists_versions SELECT list_id, snapshot, load_id, NULL FROM theme_lists;
    DROP VIEW themes;
    DROP TABLE theme_lists;
    CREATE VIEW theme_lists AS
        SELECT list_id, snapshot, load_id FROM theme_lists_versions WHERE superseded_by IS NULL;
    CREATE VIEW themes AS
        SELECT r.theme_id, r.item, r.funding, r.element, r.organizations, r.title, r.start_fy, r.end_fy, r.status,
               r.load_id, l.snapshot
        FROM theme_rows r JOIN theme_lists l USING (list_id)
        QUALIFY row_number() OVER (PARTITION BY r.theme_id ORDER BY l.snapshot DESC) = 1;
    ALTER TABLE programme ADD COLUMN superseded_by INTEGER;
    ALTER TABLE programme RENAME TO programme_versions;
    CREATE VIEW programme AS SELECT * EXCLUDE (superseded_by) FROM programme_versions WHERE superseded_by IS NULL;
    ALTER TABLE budget ADD COLUMN superseded_by INTEGER;
    ALTER TABLE budget RENAME TO budget_versions;
    CREATE VIEW budget AS SELECT * EXCLUDE (superseded_by) FROM budget_versions WHERE superseded_by IS NULL;
    ALTER TABLE followups ADD COLUMN superseded_by INTEGER;
    ALTER TABLE followups RENAME TO followups_versions;
    CREATE VIEW followups AS SELECT * EXCLUDE (superseded_by) FROM followups_versions WHERE superseded_by IS NULL;
    ALTER TABLE outputs ADD COLUMN superseded_by INTEGER;
    ALTER TABLE outputs RENAME TO outputs_versions;
    CREATE VIEW outputs AS SELECT * EXCLUDE (superseded_by) FROM outputs_versions WHERE superseded_by IS NULL;
    ALTER TABLE grants ADD COLUMN superseded_by INTEGER;
    ALTER TABLE grants RENAME TO grants_versions;
    CREATE VIEW grants AS SELECT * EXCLUDE (superseded_by) FROM grants_versions WHERE superseded_by IS NULL;
    ALTER TABLE stagegate ADD COLUMN superseded_by INTEGER;
    ALTER TABLE stagegate RENAME TO stagegate_versions;
    CREATE VIEW stagegate AS SELECT * EXCLUDE (superseded_by) FROM stagegate_versions WHERE superseded_by IS NULL;
    ALTER TABLE evaluation ADD COLUMN superseded_by INTEGER;
    ALTER TABLE evaluation RENAME TO evaluation_versions;
    CREATE VIEW evaluation AS
        SELECT * EXCLUDE (superseded_by) FROM evaluation_versions WHERE superseded_by IS NULL;
    ALTER TABLE published ADD COLUMN superseded_by INTEGER;
    ALTER TABLE published RENAME TO published_versions;
    CREATE VIEW published AS
        SELECT * EXCLUDE (superseded_by), rowid AS position FROM published_versions WHERE superseded_by IS NULL;
    ALTER TABLE rs_budget ADD COLUMN superseded_by INTEGER;
    ALTER TABLE rs_budget RENAME TO rs_budget_versions;
    CREATE VIEW rs_budget AS SELECT * EXCLUDE (superseded_by) FROM rs_budget_versions WHERE superseded_by IS NULL;
    ALTER TABLE rs_indicators ADD COLUMN superseded_by INTEGER;
    ALTER TABLE rs_indicators RENAME TO rs_indicators_versions;
    CREATE VIEW rs_indicators AS
        SELECT * EXCLUDE (superseded_by) FROM rs_indicators_versions WHERE superseded_by IS NULL;
    ALTER TABLE rs_values ADD COLUMN superseded_by INTEGER;
    ALTER TABLE rs_values RENAME TO rs_values_versions;
    CREATE VIEW rs_values AS SELECT * EXCLUDE (superseded_by) FROM rs_values_versions WHERE superseded_by IS NULL;
    ALTER TABLE loads ADD COLUMN undoes INTEGER;
    ALTER TABLE loads ADD COLUMN reopened VARCHAR;
    CREATE TABLE submissions (
        submission_id INTEGER PRIMARY KEY, made_at TIMESTAMP NOT NULL, as_of_fy SMALLINT NOT NULL,
        stage VARCHAR NOT NULL, load_id INTEGER NOT NULL, format VARCHAR NOT NULL, encoding VARCHAR,
        lang VARCHAR NOT NULL, figures VARCHAR NOT NULL, files VARCHAR NOT NULL);
    """,
    # 6: a load records the reason given (--renumbered) for accepting a theme list that shares few IDs with the
    # stored one, or settings of another 予算事業ID: a genuine renumbering, not another programme's files.
    """
    ALTER TABLE loads ADD COLUMN renumbered VARCHAR;
    """,
    # 7: follow-up surveys per organisation, with their effects, and the survey rounds sent. An answer names the
    # organisation it is from ('' = the theme as a whole, as every survey stored so far becomes) and may give the
    # year's sales and the cumulative sales (億円), product names, effects, and a coded reason for 中止・中断. A
    # round sent (`kpi followups sheets`) is a load of kind followup_sent: one row per theme, organisation and
    # survey year, with the years since the theme's end, the kind of survey, the day sent and the deadline.
    """
    DROP VIEW followups;
    ALTER TABLE followups_versions ADD COLUMN organisation VARCHAR NOT NULL DEFAULT '';
    ALTER TABLE followups_versions ADD COLUMN sales DECIMAL(18, 4);
    ALTER TABLE followups_versions ADD COLUMN cumulative_sales DECIMAL(18, 4);
    ALTER TABLE followups_versions ADD COLUMN products VARCHAR;
    ALTER TABLE followups_versions ADD COLUMN effects VARCHAR;
    ALTER TABLE followups_versions ADD COLUMN reason_code VARCHAR;
    ALTER TABLE followups_versions ADD COLUMN reason_text VARCHAR;
    CREATE VIEW followups AS SELECT * EXCLUDE (superseded_by) FROM followups_versions WHERE superseded_by IS NULL;
    CREATE TABLE followup_sent_versions (
        survey_fy SMALLINT NOT NULL, theme_id VARCHAR NOT NULL, organisation VARCHAR NOT NULL,
        years_after SMALLINT NOT NULL, kind VARCHAR NOT NULL, sent_on DATE NOT NULL, deadline DATE NOT NULL,
        load_id INTEGER NOT NULL, superseded_by INTEGER);
    CREATE VIEW followup_sent AS
        SELECT * EXCLUDE (superseded_by) FROM followup_sent_versions WHERE superseded_by IS NULL;
    """,
    # 8: a theme list may say why a theme missed its goals or ended early (目標未達, 中止): a reason code and details.
    """
    DROP VIEW themes;
    ALTER TABLE theme_rows ADD COLUMN reason_code VARCHAR;
    ALTER TABLE theme_rows ADD COLUMN reason_text VARCHAR;
    CREATE VIEW themes AS
        SELECT r.theme_id, r.item, r.funding, r.element, r.organizations, r.title, r.start_fy, r.end_fy, r.status,
               r.load_id, l.snapshot, r.reason_code, r.reason_text
        FROM theme_rows r JOIN theme_lists l USING (list_id)
        QUALIFY row_number() OVER (PARTITION BY r.theme_id ORDER BY l.snapshot DESC) = 1;
    """,
    # 9: the working group's grades name their evaluation round (interim-2026; '' = the one unnamed round, as every
    # grade stored so far becomes), so that rounds coexist; the recommendations of each round, their 対処方針, and
    # what has been done about them (status, evidence, date) in the order of their file.
    """
    DROP VIEW evaluation;
    ALTER TABLE evaluation_versions ADD COLUMN round VARCHAR NOT NULL DEFAULT '';
    CREATE VIEW evaluation AS
        SELECT * EXCLUDE (superseded_by) FROM evaluation_versions WHERE superseded_by IS NULL;
    CREATE TABLE recommendations_versions (
        round VARCHAR NOT NULL, section VARCHAR NOT NULL, number VARCHAR NOT NULL, member VARCHAR,
        recommendation VARCHAR NOT NULL, response VARCHAR, status VARCHAR NOT NULL, evidence VARCHAR,
        status_date DATE, position INTEGER NOT NULL, load_id INTEGER NOT NULL, superseded_by INTEGER);
    CREATE VIEW recommendations AS
        SELECT * EXCLUDE (superseded_by) FROM recommendations_versions WHERE superseded_by IS NULL;
    """,
    # 10: stage-gate scores per criterion (技術的評価, 事業化評価; '' = a reviewer's total score, as every score stored
    # so far becomes), and the committee's decision on the review (continue, conditional, revise, stop) with its date.
    """
    DROP VIEW stagegate;
    ALTER TABLE stagegate_versions ADD COLUMN criterion VARCHAR NOT NULL DEFAULT '';
    ALTER TABLE stagegate_versions ADD COLUMN decision VARCHAR;
    ALTER TABLE stagegate_versions ADD COLUMN decided_on DATE;
    CREATE VIEW stagegate AS SELECT * EXCLUDE (superseded_by) FROM stagegate_versions WHERE superseded_by IS NULL;
    """,
    # 11: the theme attributes the settings declare (分野, 企業規模, 予算額 …), as a list gives them: a value (its
    # stored text: kpi.settings.Attribute) per theme and attribute, tied to the list's set of rows like theme_rows
    # (never changed; a corrected list writes its own). A blank cell, or a column the list does not have, is no row.
    """
    CREATE TABLE theme_attributes (
        list_id INTEGER NOT NULL, theme_id VARCHAR NOT NULL, name VARCHAR NOT NULL, value VARCHAR NOT NULL);
    """,
    # each theme's plan (3-3's schedule): the planned and actual fiscal years of its start, stage gate, end and the
    # milestones it names (event milestone, its name; '' for the others).
    """
    CREATE TABLE schedule_versions (
        theme_id VARCHAR NOT NULL, event VARCHAR NOT NULL, name VARCHAR NOT NULL, planned_fy SMALLINT NOT NULL,
        actual_fy SMALLINT, load_id INTEGER NOT NULL, superseded_by INTEGER);
    CREATE VIEW schedule AS SELECT * EXCLUDE (superseded_by) FROM schedule_versions WHERE superseded_by IS NULL;
    """,
]
SCHEMA_VERSION = len(MIGRATIONS)

# The kinds of rows kept in versions: each is stored in `<name>_versions` (with load_id and superseded_by) and
# read through the view `<name>`, its current rows.
VERSIONED = (
    "programme",
    "theme_lists",
    "budget",
    "followups",
    "outputs",
    "grants",
    "stagegate",
    "evaluation",
    "published",
    "rs_budget",
    "rs_indicators",
    "rs_values",
    "followup_sent",
    "recommendations",
    "schedule",
)


# The kinds whose rows are read in the order they were stored (the order of their file): their views give it as
# `position`.
IN_FILE_ORDER = ("published",)


def versions_of(name: str) -> str:
    """The table that keeps every version of a kind of row (VERSIONED)."""
    return f"{name}_versions"


# Every table of the current schema (a damaged block is looked for in each of them before a load writes).
TABLES = (
    "meta",
    "loads",
    "theme_rows",
    "theme_attributes",
    "theme_history",
    "submissions",
    *(versions_of(n) for n in VERSIONED),
)

# Columns kept confidential: a row's value is shown only by `kpi export --confidential` (issue 36: each
# organisation's sales); every other output shows sums over enough themes (kpi.figures.suppress) or says it is withheld.
CONFIDENTIAL = {"followups": ("sales", "cumulative_sales")}

# The natural key of each kind of row: a reload supersedes the current rows whose key it gives.
TABLE_KEYS = {
    "budget": ["fy"],
    "followups": ["theme_id", "organisation", "survey_fy"],
    "followup_sent": ["theme_id", "organisation", "survey_fy"],
    "outputs": ["fy"],
    "grants": ["as_of_date"],
    "stagegate": ["theme_id", "review_fy", "reviewer", "criterion"],
    "evaluation": ["criterion", "member", "round"],
    "recommendations": ["round", "section", "number"],
    "schedule": ["theme_id", "event", "name"],
    "published": ["figure", "as_of_fy"],
    "rs_budget": ["project_id", "sheet_fy", "budget_fy"],
    "rs_indicators": ["project_id", "sheet_fy", "seq"],
    "rs_values": ["project_id", "sheet_fy", "seq", "fy"],
}

# The kinds of survey a round sends a theme's organisation (followup_sent.kind): 終了直後, 簡易, 詳細.
SENT_KINDS = ("immediate", "simple", "detailed")

# The amounts of an RS appropriation row (rs_budget), in yen, in the order RS publishes them: the appropriation's
# parts and its execution (shown beside their rate), then what is carried out and asked for next year.
RS_APPROPRIATION = ("initial", "supplementary", "carried_in", "reserve", "current", "executed")
RS_YEN = (*RS_APPROPRIATION, "carried_out", "requested_next")

# The columns of a theme as a list stores it (between list_id and load_id).
THEME_COLUMNS = (
    "theme_id",
    "item",
    "funding",
    "element",
    "organizations",
    "title",
    "start_fy",
    "end_fy",
    "status",
    "reason_code",
    "reason_text",
)
THEME_FIELDS = THEME_COLUMNS[1:]  # what a later list may change of a theme (its ID names it)
