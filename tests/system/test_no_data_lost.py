"""Nothing a user does loses data: each failure of issue 32 about the store (data lost, locked out, integrity and
bounds), as it was reproduced, now a test.

One office per module: the sample loaded, a `kpi backup` (state S0), a load that keeps an automatic backup, a
submission, a second `kpi backup` (S2), and one more submission, so that the database's own state (S3) is in no
file but itself; another programme's database (予算事業ID 9001) and its backup. Each test works on its own copy.
An earlier state is "recoverable" when the database or another DuckDB file the store keeps beside it (a kept
copy, a backup) holds it table for table (tests/faultkit.py table_checksums).

The commands run in this process (typer's CliRunner) unless the process is the point: two restores at once,
a restore killed, a user who may not write, a umask, a descriptor of the process itself.
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import os
import shutil
import signal
import stat
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from faultkit import Spy, kpi_env, rows, table_checksums
from kit import ROOT, SAMPLE, SAMPLE_THEMES, TESTS, invoke, ok, run_kpi
from matrix import some_in_default

FOLLOWUPS = SAMPLE / "illustrative" / "followups_illustrative.csv"
NOBODY = 65534
INTERNAL = 70


# ---------------------------------------------------------------------------- helpers


@dataclass(frozen=True)
class Ran:
    """A command run in a process of its own, read like CliRunner's result."""

    exit_code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def alone(*args: str, expect: int | None = None) -> Ran:
    """`kpi ARGS` in a process of its own, as a user runs it: where what DuckDB keeps within a process would change
    the outcome (a file it still holds under a name a restore replaced; a damaged block it already read)."""
    done = run_kpi(*args)
    ran = Ran(done.returncode, done.stdout, done.stderr)
    assert expect is None or ran.exit_code == expect, (args, ran.exit_code, ran.output)
    return ran


def restore(*args: str, expect: int | None = None) -> Ran:
    """`kpi restore` in a process of its own: it replaces the database's contents."""
    return alone("restore", *args, expect=expect)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def kind(path: Path) -> str:
    """What is at a path (links not followed): file, folder, link, fifo, device, missing."""
    try:
        mode = path.lstat().st_mode
    except FileNotFoundError:
        return "missing"
    for name, test in (("file", stat.S_ISREG), ("folder", stat.S_ISDIR), ("link", stat.S_ISLNK)):
        if test(mode):
            return name
    return "fifo" if stat.S_ISFIFO(mode) else "device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "other"


def fingerprint(path: Path) -> tuple[str, str]:
    """A path's type and, for a regular file, its sha256."""
    what = kind(path)
    return what, sha(path) if what == "file" else ""


def state(path: Path) -> dict[str, tuple[int, str]] | None:
    """Every table of a DuckDB file (its write-ahead log replayed, read-only), or None for a file DuckDB cannot
    read as a database."""
    try:
        return table_checksums(path)
    except Exception:
        return None


def files_under(folder: Path) -> set[Path]:
    return {p for p in folder.rglob("*") if p.is_file() and not p.is_symlink() and not p.name.endswith(".wal")}


def held_states(folder: Path, besides: set[Path] | None = None) -> list[dict[str, tuple[int, str]]]:
    """The state of every DuckDB file under `folder` (the database, kept copies, backups; logs are read with their
    file), leaving out the files `besides` (the backups a test restores from: holding a state there proves
    nothing about what the restore kept)."""
    found = []
    for path in sorted(files_under(folder) - (besides or set())):
        held = state(path)
        if held:
            found.append(held)
    return found


def recoverable(wanted: dict[str, tuple[int, str]], folder: Path) -> bool:
    return wanted in held_states(folder)


def submissions(db: Path) -> int:
    return int(rows(db, "SELECT count(*) FROM submissions")[0][0])


def project_id(db: Path) -> str:
    found = rows(db, "SELECT value FROM programme WHERE key = 'project_id'")
    return str(found[0][0]) if found else ""


def names(output: str, path: Path) -> bool:
    """Whether a message names a file (as given, or by its name)."""
    return str(path) in output or path.name in output


def other_programme(folder: Path, db: Path) -> Path:
    """Another programme's database: the sample's settings with 予算事業ID 9001 and another name, 80 themes."""
    folder.mkdir()
    settings = (SAMPLE / "programme.toml").read_text(encoding="utf-8")
    lines = [
        'name = "別の研究開発事業（架空）"' if line.startswith("name") else line
        for line in settings.replace("project_id = 3522", "project_id = 9001").splitlines()
    ]
    (folder / "programme.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    themes = SAMPLE_THEMES.read_text(encoding="utf-8-sig").splitlines()
    (folder / "themes_2026-03-31.csv").write_text("\n".join(themes[:81]) + "\n", encoding="utf-8")
    ok("load", "--db", str(db), str(folder))
    return db


@dataclass(frozen=True)
class Office:
    """One office's folder: its database and what the store keeps beside it, and another programme's files."""

    folder: Path
    # The names of the two `kpi backup` copies in the order they were taken (two taken in one second are named
    # …_backup.duckdb and …_backup-2.duckdb, which sort the other way round).
    first: str = ""
    second: str = ""

    def at(self, folder: Path) -> Office:
        """The same office copied to `folder`."""
        return Office(folder, self.first, self.second)

    @property
    def db(self) -> Path:
        return self.folder / "kpi.duckdb"

    @property
    def backups(self) -> Path:
        return self.folder / "kpi.duckdb.backups"

    def taken(self) -> list[Path]:
        return sorted(p for p in self.backups.iterdir() if "_backup" in p.name)

    @property
    def b0(self) -> Path:
        """`kpi backup` of the sample (S0)."""
        return self.backups / self.first

    @property
    def b2(self) -> Path:
        """`kpi backup` after a load and a submission (S2)."""
        return self.backups / self.second

    @property
    def automatic(self) -> Path:
        return next(p for p in sorted(self.backups.iterdir()) if "_load-" in p.name)

    @property
    def other(self) -> Path:
        return self.folder.parent / "elsewhere" / "other.duckdb"

    @property
    def other_backup(self) -> Path:
        return next((self.folder.parent / "elsewhere" / "other.duckdb.backups").iterdir())

    def kept(self) -> list[Path]:
        return sorted(p for p in self.folder.glob("kpi.duckdb.replaced-*") if not p.name.endswith(".wal"))


@dataclass(frozen=True)
class States:
    s0: dict[str, tuple[int, str]]  # the sample (first backup)
    s2: dict[str, tuple[int, str]]  # after the follow-ups load and a submission (second backup)
    s3: dict[str, tuple[int, str]]  # the database: one more submission, in no other file


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory, _sample_db: Path) -> Office:
    root = tmp_path_factory.mktemp("office-template")
    folder = root / "office"
    folder.mkdir()
    db = folder / "kpi.duckdb"
    shutil.copy(_sample_db, db)
    ok("backup", "--db", str(db))
    (first,) = os.listdir(folder / "kpi.duckdb.backups")
    ok("load", "--db", str(db), str(FOLLOWUPS))
    ok("export", "--db", str(db), "--as-of", "2025", "--out", str(root / "export-1"))
    ok("backup", "--db", str(db))
    (second,) = {p for p in os.listdir(folder / "kpi.duckdb.backups") if "_backup" in p} - {first}
    office = Office(folder, first, second)
    ok("export", "--db", str(db), "--as-of", "2025", "--out", str(root / "export-2"))
    shutil.rmtree(root / "export-1")
    shutil.rmtree(root / "export-2")
    (root / "elsewhere").mkdir()
    other_programme(root / "other-files", office.other)
    ok("backup", "--db", str(office.other))
    assert len(office.taken()) == 2 and office.automatic.exists() and office.other_backup.exists()
    assert not list(root.rglob("*.wal"))
    return office


@pytest.fixture(scope="module")
def states(template: Office) -> States:
    found = States(state(template.b0), state(template.b2), state(template.db))  # type: ignore[arg-type]
    assert len({repr(sorted(s.items())) for s in (found.s0, found.s2, found.s3)}) == 3
    return found


@pytest.fixture
def office(template: Office, tmp_path: Path) -> Office:
    """A copy of the office of its own (and of the other programme's files)."""
    shutil.copytree(template.folder.parent, tmp_path / "root", symlinks=True)
    return template.at(tmp_path / "root" / "office")


# ---------------------------------------------------------------------------- data lost


def portfolio_formats() -> list[str]:
    from kpi.present.formats import PortfolioFormat

    return [f.value for f in PortfolioFormat]


@pytest.mark.parametrize("fmt", some_in_default(portfolio_formats(), 3))
def test_portfolio_out_never_replaces_a_programme_database_or_its_backup(office: Office, fmt: str) -> None:
    for target in (office.db, office.other, office.b2, office.automatic, office.other_backup):
        before = {p: fingerprint(p) for p in (office.db, office.other, target)}
        result = invoke("portfolio", str(office.db), str(office.other), "-f", fmt, "--out", str(target), "--force")
        assert result.exit_code == 2, (fmt, target, result.exit_code, result.output)
        assert {p: fingerprint(p) for p in before} == before, (fmt, target)


def restore_process(db: Path, backup: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "kpi", "restore", "--db", str(db), str(backup)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=kpi_env(),
        cwd=ROOT,
    )


def test_two_restores_at_once_keep_the_state_before_them(template: Office, states: States, tmp_path: Path) -> None:
    """Two `kpi restore` started together (three times): both succeed, one after the other; the database holds one
    of the two backups, and the state before them (in no backup) is still in a file the store kept."""
    for trial in range(3):
        shutil.copytree(template.folder.parent, tmp_path / f"trial-{trial}", symlinks=True)
        office = template.at(tmp_path / f"trial-{trial}" / "office")
        sources = files_under(office.folder) - {office.db}
        first, second = restore_process(office.db, office.b0), restore_process(office.db, office.b2)
        outcomes = [(p.communicate(timeout=120)[1], p.returncode) for p in (first, second)]
        assert [code for _, code in outcomes] == [0, 0], outcomes
        assert state(office.db) in (states.s0, states.s2), trial
        kept = held_states(office.folder, besides=sources)  # the database and what the restores kept
        assert states.s3 in kept, f"trial {trial}: the state before both restores is lost"
        assert states.s0 in kept and states.s2 in kept, f"trial {trial}: the state between the restores is lost"


def stamps(at: dt.datetime, seconds: int) -> list[str]:
    return [(at + dt.timedelta(seconds=s)).strftime("%Y%m%dT%H%M%S") for s in range(-2, seconds)]


def test_a_restore_never_replaces_a_copy_kept_in_the_same_second(office: Office, states: States) -> None:
    """Copies kept by an earlier restore in this very second (and the next two minutes, in Japan's, UTC's and this
    machine's clock) stay as they are; the state the restore replaces is kept in a file of its own."""
    from zoneinfo import ZoneInfo

    earlier = office.folder / "earlier-kept-copy"
    shutil.copy(office.b2, earlier)
    now = dt.datetime.now(dt.UTC)
    names = set()
    for clock in (ZoneInfo("Asia/Tokyo"), dt.UTC, None):
        names |= set(stamps(now.astimezone(clock).replace(tzinfo=None), 120))
    taken = [office.folder / f"kpi.duckdb.replaced-{name}" for name in sorted(names)]
    for path in taken:
        os.link(earlier, path)
    inode = earlier.stat().st_ino
    restore("--db", str(office.db), str(office.b0), expect=0)
    changed = [p.name for p in taken if p.lstat().st_ino != inode or not p.is_file()]
    assert not changed, f"kept copies replaced: {changed}"
    assert sha(earlier) == sha(office.b2)
    assert state(office.db) == states.s0
    kept = held_states(office.folder, besides={*taken, earlier, office.b0, office.b2, office.automatic})
    assert states.s3 in kept, "the state before the restore is lost"


def test_two_restores_in_the_same_second_keep_both_earlier_states(office: Office, states: States) -> None:
    """Two restores one right after the other, in this process to be quick (in one second, as a rule; the
    test above makes the second certain): each replaced state is kept."""
    sources = files_under(office.folder) - {office.db}
    ok("restore", "--db", str(office.db), str(office.b0))
    gc.collect()  # no connection of the first outlives it (DuckDB shares an open file within a process)
    ok("restore", "--db", str(office.db), str(office.b2))
    gc.collect()
    assert state(office.db) == states.s2
    kept = held_states(office.folder, besides=sources | {office.db})
    assert states.s3 in kept, "the state before the first restore is lost"
    assert states.s0 in kept, "the state between the restores is lost"


def make_device(path: Path) -> Path:
    """A character device with /dev/null's numbers (never /dev/null itself: a test must not be able to replace
    the machine's); a link to /dev/null where devices cannot be made."""
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except OSError:
        path.symlink_to("/dev/null")
    return path


@pytest.mark.parametrize(
    "target", some_in_default(["kept-copy", "automatic-backup", "backup", "log", "fifo", "device"], 3)
)
def test_backup_out_never_replaces_what_the_store_keeps(office: Office, target: str) -> None:
    if target == "kept-copy":
        restore("--db", str(office.db), str(office.b2), expect=0)
        path = office.kept()[0]
    elif target == "automatic-backup":
        path = office.automatic
    elif target == "backup":
        path = office.b0
    elif target == "log":
        path = office.folder / "kpi.duckdb.wal"
    elif target == "fifo":
        path = office.folder / "exports.fifo"
        os.mkfifo(path)
    else:
        path = make_device(office.folder / "null")
    before = fingerprint(path), fingerprint(office.db)
    for force in ([], ["--force"]):
        result = invoke("backup", "--db", str(office.db), "--out", str(path), *force)
        assert result.exit_code == 2, (force, result.exit_code, result.output)
        assert (fingerprint(path), fingerprint(office.db)) == before, force
    assert invoke("report", "--db", str(office.db)).exit_code == 0  # DuckDB finds no log of another file


def with_committed_log(source: Path, target: Path) -> Path:
    """A copy of a backup with a write-ahead log beside it holding a committed submission (a checkpoint that did
    not happen: a full disk, a killed process)."""
    import duckdb

    shutil.copy(source, target)
    con = duckdb.connect(str(target))
    try:
        con.execute("PRAGMA disable_checkpoint_on_shutdown")
        con.execute("INSERT INTO submissions SELECT submission_id + 100, * EXCLUDE (submission_id) FROM submissions")
    finally:
        con.close()
    assert target.with_name(target.name + ".wal").stat().st_size > 0
    return target


def test_restoring_a_backup_with_a_log_never_drops_its_rows(office: Office, states: States) -> None:
    backup = with_committed_log(office.b2, office.folder.parent / "copied.duckdb")
    log = backup.with_name(backup.name + ".wal")
    wanted = state(backup)
    assert wanted is not None and wanted != states.s2 and submissions(backup) == 2
    db_before, log_before = sha(office.db), sha(log)
    result = restore("--db", str(office.db), str(backup))
    if result.exit_code == 0:
        assert state(office.db) == wanted, "the rows of the backup's log were dropped"
        assert submissions(office.db) == 2
    else:
        assert result.exit_code != INTERNAL, result.output
        assert names(result.output, log), f"the refusal does not name the log: {result.output}"
        assert sha(office.db) == db_before and sha(log) == log_before


# ---------------------------------------------------------------------------- locked out


HEADER = 3 * 4096  # DuckDB's file header: three 4 KiB blocks
BLOCK = 262144  # its blocks


def indexes_hold(db: Path) -> bool | None:
    """Every table is read whole; then every table with a key is asked to take a row it already has: a healthy
    index refuses it as a duplicate. True when every index answered, False when one could not be read, None when
    the tables themselves cannot be read."""
    import duckdb

    try:
        con = duckdb.connect(str(db))
    except duckdb.Error:
        return None
    try:
        tables = [
            t
            for (t,) in con.execute(
                "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main' ORDER BY 1"
            ).fetchall()
        ]
        try:
            for table in tables:
                con.execute(f'SELECT * FROM "{table}"').fetchall()
        except duckdb.Error:
            return None
        keyed = [
            t
            for (t,) in con.execute(
                "SELECT DISTINCT table_name FROM duckdb_constraints() "
                "WHERE constraint_type IN ('PRIMARY KEY', 'UNIQUE') AND schema_name = 'main'"
            ).fetchall()
        ]
        for table in keyed:
            con.execute("BEGIN")
            try:
                con.execute(f'INSERT INTO "{table}" SELECT * FROM "{table}" LIMIT 1')
            except duckdb.ConstraintException:
                pass
            except duckdb.Error:
                return False
            finally:
                con.execute("ROLLBACK")
        return True
    finally:
        con.close()


def damage(source: Path, target: Path, block: int) -> Path:
    """A copy of `source` with 16 bytes of one block inverted (past its checksum)."""
    shutil.copy(source, target)
    with target.open("r+b") as f:
        f.seek(HEADER + block * BLOCK + 100)
        chunk = f.read(16)
        f.seek(HEADER + block * BLOCK + 100)
        f.write(bytes(b ^ 0xFF for b in chunk))
    return target


@pytest.fixture(scope="module")
def damaged_index(template: Office, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the first backup with one block damaged that no table scan reads but an index does, so that a
    load is refused: the first block, after the header, whose damage leaves every table readable, makes an insert
    fail, and locks `kpi load` out of a database that is this file."""
    folder = tmp_path_factory.mktemp("damaged-index")
    source = template.b0
    assert indexes_hold(source) is True
    for i in range((source.stat().st_size - HEADER) // BLOCK):
        tried = folder / f"tried-{i}"
        tried.mkdir()
        if indexes_hold(damage(source, tried / "index.duckdb", i)) is not False:
            continue
        if alone("load", "--db", str(damage(source, tried / "kpi.duckdb", i)), str(FOLLOWUPS)).exit_code != 0:
            return damage(source, folder / f"block-{i}.duckdb", i)
    raise AssertionError(f"no block of {source} is read by an index only")


@pytest.mark.slow  # (2 s of CPU; CI's slow step: a backup not of kpi's shape keeps a refused restore in the default run)
def test_a_backup_with_a_damaged_index_is_refused_or_restored_whole(office: Office, damaged_index: Path) -> None:
    backup = office.folder.parent / "damaged-index.duckdb"
    shutil.copy(damaged_index, backup)
    before = sha(office.db)
    result = restore("--db", str(office.db), str(backup))
    if result.exit_code != 0:
        assert result.exit_code != INTERNAL, result.output
        assert names(result.output, backup), result.output
        assert sha(office.db) == before
        return
    load = alone("load", "--db", str(office.db), str(FOLLOWUPS))
    assert load.exit_code == 0, f"locked out after restoring {backup}: {load.output}"
    undo = alone("undo", "--db", str(office.db))
    assert undo.exit_code == 0, f"locked out after restoring {backup}: {undo.output}"


def test_a_backup_never_copies_a_damaged_index(office: Office, damaged_index: Path) -> None:
    """A database whose index is damaged (say, restored by an earlier kpi): `kpi backup` refuses it, or writes a
    backup whose every index holds — never a copy of the damage said to be checked."""
    shutil.copy(damaged_index, office.db)
    out = office.folder.parent / "fresh-backup.duckdb"
    result = alone("backup", "--db", str(office.db), "--out", str(out))
    if result.exit_code != 0:
        assert result.exit_code != INTERNAL, result.output
        assert names(result.output, office.db), result.output
        return
    assert indexes_hold(out) is True, f"{out} carries the damaged index"


SCHEMA_V1 = TESTS / "fixtures" / "schema_v1.duckdb"


@pytest.mark.parametrize(
    "args",
    [("report", "--db", "{db}"), ("check", "--db", "{db}"), ("loads", "--db", "{db}")],
    ids=["report", "check", "loads"],
)
def test_reading_an_older_schema_never_changes_the_file(tmp_path: Path, args: tuple[str, ...]) -> None:
    db = tmp_path / "old-office.duckdb"
    shutil.copy(SCHEMA_V1, db)
    before = sha(db)
    result = invoke(*(a.format(db=db) for a in args))
    assert result.exit_code != INTERNAL, result.output
    assert sha(db) == before, f"kpi {args[0]} changed an older office's database"
    assert sorted(p.name for p in tmp_path.iterdir()) == [db.name]


def test_portfolio_never_advises_opening_an_older_file_with_a_writing_command(office: Office, tmp_path: Path) -> None:
    """An older office's file (予算事業ID 3522, schema 1) beside another programme (9001): read as it is, or named
    with advice for its own office — never `kpi report`/`kpi load` on it, which would upgrade it in place."""
    (tmp_path / "old").mkdir()
    old = tmp_path / "old" / "old-office.duckdb"
    shutil.copy(SCHEMA_V1, old)
    before = sha(old)
    result = invoke("portfolio", str(old), str(office.other), "--as-of", "2025")
    assert sha(old) == before and os.listdir(old.parent) == [old.name]
    assert result.exit_code != INTERNAL, result.output
    assert "9001" in result.stdout, "the other programme is shown"
    if result.exit_code == 0:
        assert "3522" in result.stdout
    else:
        assert names(result.stderr, old), result.stderr
    assert "kpi report" not in result.stderr and "kpi load" not in result.stderr, result.stderr


# ---------------------------------------------------------------------------- integrity, bounds, internal errors


@pytest.mark.parametrize("wait", ["nan", "inf", "-1", "-inf"])
@pytest.mark.parametrize("command", ["report", "backup", "portfolio"])
def test_a_wait_that_is_not_a_finite_non_negative_number_is_a_usage_error(
    office: Office, command: str, wait: str
) -> None:
    before = sha(office.db)
    args = ("portfolio", str(office.db)) if command == "portfolio" else (command, "--db", str(office.db))
    given = invoke(*args, f"--wait={wait}")
    assert given.exit_code == 2, (given.exit_code, given.output)
    assert "--wait" in given.output or "KPI_WAIT" in given.output, given.output
    from_env = invoke(*args, env={"KPI_WAIT": wait})
    assert from_env.exit_code == 2, (from_env.exit_code, from_env.output)
    assert sha(office.db) == before and len(office.taken()) == 2


def reachable(folder: Path) -> None:
    """Let any user enter a folder and its parents (the test's own folders and interpreter, run as root)."""
    for parent in (folder, *folder.parents):
        mode = parent.stat().st_mode
        if mode & 0o005 != 0o005:
            parent.chmod(mode | 0o005)


def as_a_user(*args: str) -> subprocess.CompletedProcess[str]:
    """kpi as a user who is neither the files' owner nor root (root: the user nobody, through setpriv)."""
    env = {**kpi_env(), "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "kpi", *args]
    if os.geteuid() == 0:
        if shutil.which("setpriv") is None:
            pytest.skip("running as root without setpriv: no user to run as")
        reachable(Path(sys.prefix))
        command = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", *command]
    return subprocess.run(command, capture_output=True, text=True, env=env, cwd="/", check=False)


def test_a_restore_into_a_read_only_folder_exits_77(office: Office, tmp_path: Path) -> None:
    """The database's folder may be read but not written: 77, naming it, nothing changed."""
    folder = tmp_path / "read-only"
    folder.mkdir()
    db = folder / "kpi.duckdb"
    shutil.copy(office.db, db)
    backup = tmp_path / "backup.duckdb"
    shutil.copy(office.b0, backup)
    db.chmod(0o644)
    backup.chmod(0o644)
    folder.chmod(0o555 if os.geteuid() != 0 else 0o755)  # as root, the command runs as nobody: 0755 is not theirs
    reachable(folder)
    before = sorted(os.listdir(folder)), sha(db)
    result = as_a_user("restore", "--db", str(db), str(backup))
    assert result.returncode == 77, (result.returncode, result.stderr)
    assert str(folder) in result.stderr or str(db) in result.stderr, result.stderr
    assert (sorted(os.listdir(folder)), sha(db)) == before


def test_backup_out_a_folder_is_a_usage_error(office: Office) -> None:
    folder = office.folder / "exports"
    folder.mkdir()
    (folder / "kept.txt").write_text("kept\n", encoding="utf-8")
    for force in ([], ["--force"]):
        result = invoke("backup", "--db", str(office.db), "--out", str(folder), *force)
        assert result.exit_code == 2, (force, result.exit_code, result.output)
        assert kind(folder) == "folder" and os.listdir(folder) == ["kept.txt"]


def test_backup_out_the_process_own_stdout_is_a_usage_error(office: Office) -> None:
    """/proc/self/fd/1 is the command's own stdout (a pipe here): not a file to replace."""
    for force in ([], ["--force"]):
        result = run_kpi("backup", "--db", str(office.db), "--out", "/proc/self/fd/1", *force)
        assert result.returncode == 2, (force, result.returncode, result.stderr)
        assert "/proc/self/fd" in result.stderr, result.stderr


def lookalike(kind_: str, office: Office, folder: Path) -> Path:
    """A DuckDB file that looks like kpi's and is not."""
    import duckdb

    path = folder / f"lookalike-{kind_}.duckdb"
    if kind_ == "meta-only":
        con = duckdb.connect(str(path))
        con.execute("CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)")
        from kpi.db.schema import SCHEMA_VERSION

        con.execute("INSERT INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)])
    else:
        shutil.copy(office.db, path)
        con = duckdb.connect(str(path))
        if kind_ == "version-abc":
            con.execute("UPDATE meta SET value = 'abc' WHERE key = 'schema_version'")
        else:
            con.execute("ALTER TABLE theme_rows RENAME COLUMN status TO state")
    con.close()
    return path


LOOKALIKES = ["meta-only", "version-abc", "renamed-column"]


@pytest.mark.parametrize("kind_", some_in_default(LOOKALIKES, 2))
def test_a_duckdb_file_that_is_not_kpis_is_named_with_exit_3(office: Office, tmp_path: Path, kind_: str) -> None:
    path = lookalike(kind_, office, tmp_path)
    before = sha(path)
    for args in (("report", "--db", str(path)), ("check", "--db", str(path))):
        result = invoke(*args)
        assert result.exit_code == 3, (args, result.exit_code, result.output)
        assert names(result.stderr, path), result.stderr
    assert sha(path) == before


@pytest.mark.parametrize("kind_", some_in_default(LOOKALIKES, 1))
def test_portfolio_shows_the_other_programmes_beside_a_lookalike(office: Office, tmp_path: Path, kind_: str) -> None:
    path = lookalike(kind_, office, tmp_path)
    result = invoke("portfolio", str(path), str(office.db), str(office.other), "--as-of", "2025")
    assert result.exit_code == 3, (result.exit_code, result.output)
    assert names(result.stderr, path), result.stderr
    assert "3522" in result.stdout and "9001" in result.stdout, result.stdout


def test_restoring_another_programmes_backup_is_refused_unless_asked(office: Office) -> None:
    before = sha(office.db)
    refused = restore("--db", str(office.db), str(office.other_backup))
    assert refused.exit_code not in (0, INTERNAL), refused.output
    assert "9001" in refused.output and "3522" in refused.output, refused.output
    assert sha(office.db) == before and project_id(office.db) == "3522"
    asked = restore("--db", str(office.db), str(office.other_backup), "--other-programme")
    assert asked.exit_code == 0, asked.output
    assert project_id(office.db) == "9001"
    assert state(office.db) == state(office.other_backup)


def test_restore_through_a_link_restores_the_file_it_points_to(office: Office, states: States) -> None:
    link = office.folder.parent / "kpi-link.duckdb"
    link.symlink_to(office.db)
    restore("--db", str(link), str(office.b0), expect=0)
    assert link.is_symlink() and os.readlink(link) == str(office.db)
    assert state(office.db) == states.s0, "the database the link points to was not restored"
    assert recoverable(states.s3, office.folder)


def leftovers(folder: Path, known: set[str]) -> list[str]:
    """Files in the database's folder (and its backups folder) that the store does not keep: temporary files."""
    found = []
    for path in sorted(folder.rglob("*")):
        name = str(path.relative_to(folder))
        if name in known or path.is_dir():
            continue
        if path.name.startswith(".") or path.name.endswith((".tmp", ".restoring")) or "tmp" in path.name:
            found.append(name)
    return found


def marker(line: str) -> str:
    """The stable start of an announcement: a temporary file's random name and a statement's quoted path (they
    differ from run to run) left out."""
    return "temp " if line.startswith("temp ") else line.split("'", 1)[0].rstrip()


def restore_points(office: Office) -> list[str]:
    """Every point a restore announces after kpi's handlers are installed (tests/faultkit.py), as the pause marker
    for it: its stable start and which occurrence of that start it is. Of a run of the same statement (DROP … of
    each table) the first and the last are kept."""
    with Spy("restore", "--db", str(office.db), str(office.b0)) as spy:
        assert spy.finish() == 0, spy.stderr()
    lines = spy.lines[spy.lines.index("handlers") + 1 :]
    lines = [marker(line) for line in lines if not line.startswith(("importing", "imported", "paused"))]
    points = []
    for i, start in enumerate(lines):
        inside_a_run = 2 <= i < len(lines) - 2 and lines[i - 2] == start == lines[i + 2]
        if not inside_a_run:
            nth = sum(1 for earlier in lines[: i + 1] if earlier.startswith(start))
            points.append(f"{start} #{nth}")
    return points


@pytest.mark.slow
def test_a_restore_killed_anywhere_leaves_old_or_new_and_no_leftovers(
    template: Office, states: States, tmp_path: Path
) -> None:
    """A restore killed (SIGKILL) at every point it announces, onto a database with a committed write-ahead log:
    the database then opens; it is the old state or the backup's, and the old one is recoverable; the next command
    that takes the database removes (or names) whatever the killed one left."""
    shutil.copytree(template.folder.parent, tmp_path / "reference", symlinks=True)
    reference = template.at(tmp_path / "reference" / "office")
    with_committed_log(template.db, reference.db)
    points = restore_points(reference)
    assert len(points) > 3, points
    problems = []
    for n, point in enumerate(points):
        shutil.copytree(template.folder.parent, tmp_path / f"kill-{n}", symlinks=True)
        office = template.at(tmp_path / f"kill-{n}" / "office")
        with_committed_log(template.db, office.db)
        old = state(office.db)
        known = {str(p.relative_to(office.folder)) for p in office.folder.rglob("*")}
        with Spy("restore", "--db", str(office.db), str(office.b0), pause_at=point) as spy:
            spy.wait_for("paused", timeout=60)
            spy.send(signal.SIGKILL)
            spy.finish()
        report = invoke("report", "--db", str(office.db))
        if report.exit_code != 0:
            problems.append(f"{point}: then `kpi report` exits {report.exit_code}: {report.output.strip()[-200:]}")
            continue
        now = state(office.db)
        if now not in (old, states.s0):
            problems.append(f"{point}: the database is neither the old state nor the backup's")
        if not recoverable(old, office.folder):  # type: ignore[arg-type]
            problems.append(f"{point}: the state before the restore is lost")
        left = leftovers(office.folder, known)
        after = invoke("backup", "--db", str(office.db))
        still = [name for name in leftovers(office.folder, known) if name not in after.output]
        if left and still:
            problems.append(f"{point}: left {left}; after `kpi backup` still there, unnamed: {still}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("command", ["load", "undo"])
def test_a_blank_reopen_reason_is_a_usage_error(office: Office, tmp_path: Path, command: str) -> None:
    """A year closed by a final submission, then a load (a budget figure corrected) or an undo that reopens it
    with a reason of blanks: a usage error, nothing written."""
    ok("export", "--db", str(office.db), "--as-of", "2025", "--stage", "final", "--out", str(tmp_path / "final"))
    budget = (SAMPLE / "budget.csv").read_text(encoding="utf-8-sig").splitlines()
    header, first, *rest = budget
    cells = first.split(",")
    cells[-1] = str(int(cells[-1].replace('"', "").replace(",", "") or 0) + 1)
    corrected = tmp_path / "budget.csv"
    corrected.write_text("\n".join([header, ",".join(cells), *rest]) + "\n", encoding="utf-8")
    before = sha(office.db)
    args = [str(corrected)] if command == "load" else []
    result = invoke(command, "--db", str(office.db), "--reopen", "   ", *args)
    assert result.exit_code == 2, (result.exit_code, result.output)
    assert "--reopen" in result.output, result.output
    assert sha(office.db) == before


def test_export_files_are_readable_by_colleagues_under_umask_022(office: Office) -> None:
    out = office.folder.parent / "shared" / "2026-12"
    result = subprocess.run(
        [sys.executable, "-m", "kpi", "export", "--db", str(office.db), "--as-of", "2026", "--out", str(out)],
        capture_output=True,
        text=True,
        env=kpi_env(),
        cwd=ROOT,
        preexec_fn=lambda: os.umask(0o022),
    )
    assert result.returncode == 0, result.stderr
    for folder in (out.parent, out):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o755, (folder, oct(folder.stat().st_mode))
    written = list(out.iterdir())
    assert written
    for path in written:
        assert stat.S_IMODE(path.stat().st_mode) == 0o644, (path, oct(path.stat().st_mode))


# ---------------------------------------------------------------------------- what the adversarial pass found


def lookalike_backup(office: Office, name: str, sql: str) -> Path:
    """A backup of the office changed by `sql` so that its tables are no longer those of the version it records."""
    import duckdb

    target = office.folder.parent / name
    shutil.copy(office.b2, target)
    con = duckdb.connect(str(target))
    con.execute(sql)
    con.close()
    return target


@pytest.mark.parametrize(
    ("name", "sql"),
    some_in_default(
        [
            ("labelled-v4.duckdb", "UPDATE meta SET value = '4' WHERE key = 'schema_version'"),
            ("labelled-minus-3.duckdb", "UPDATE meta SET value = '-3' WHERE key = 'schema_version'"),
            ("renamed-column.duckdb", "ALTER TABLE theme_rows RENAME COLUMN status TO stat"),
        ]
    ),
)
def test_a_backup_not_of_kpis_shape_is_refused_and_the_database_is_left_as_it_was(
    office: Office, states: States, name: str, sql: str
) -> None:
    bad = lookalike_backup(office, name, sql)
    ran = restore("--db", str(office.db), str(bad))
    assert ran.exit_code == 3 and names(ran.stderr, bad), ran.output
    assert state(office.db) == states.s3
    alone("load", "--db", str(office.db), str(SAMPLE / "budget.csv"), expect=0)  # not locked out


def test_an_output_through_a_folder_that_does_not_exist_and_dot_dot_is_not_new(office: Office) -> None:
    notes = office.folder / "notes.csv"
    notes.write_text("precious\n", encoding="utf-8")
    result = invoke(
        "report", "--db", str(office.db), "--format", "csv", "--out", str(office.folder / "sub/../notes.csv")
    )
    assert result.exit_code == 2 and notes.read_text(encoding="utf-8") == "precious\n", result.output
    assert not (office.folder / "sub").exists()
    kept = office.folder / "n.duckdb"
    kept.write_text("precious\n", encoding="utf-8")
    result = invoke("backup", "--db", str(office.db), "--out", str(office.folder / "s2/../n.duckdb"))
    assert result.exit_code == 2 and kept.read_text(encoding="utf-8") == "precious\n", result.output


def test_the_clean_up_of_leftovers_removes_only_this_databases_staged_files(office: Office) -> None:
    theirs = [
        office.folder / ".kpi.duckdb_notes.tmp.txt",
        office.folder / ".kpi.duckdb-old.replaced-20261205T120000.kpi-staged-abcdef012345.tmp",
    ]
    ours = office.folder / ".kpi.duckdb.kpi-staged-0123456789ab.tmp"
    for path in [*theirs, ours]:
        path.write_text("x", encoding="utf-8")
    result = ok("backup", "--db", str(office.db))
    assert all(p.exists() for p in theirs) and not ours.exists()
    assert str(ours) in result.output


def test_a_log_beside_the_database_that_is_not_its_own_is_mended_by_a_restore(office: Office, states: States) -> None:
    import duckdb

    donor = office.folder.parent / "donor.duckdb"
    con = duckdb.connect(str(donor))
    con.execute("PRAGMA disable_checkpoint_on_shutdown; CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1)")
    con.close()
    shutil.copy(files_wal(donor), files_wal(office.db))
    ran = alone("report", "--db", str(office.db))
    assert ran.exit_code == 65 and "kpi restore" in ran.stderr, ran.output  # named as damage, with the way out
    restore("--db", str(office.db), str(office.b2), expect=0)
    assert state(office.db) == states.s2
    alone("report", "--db", str(office.db), expect=0)


def files_wal(db: Path) -> Path:
    return db.with_name(db.name + ".wal")


def test_a_backup_is_not_written_under_a_name_that_has_a_log_beside_it(office: Office) -> None:
    target = office.folder.parent / "share.duckdb"
    files_wal(target).write_bytes(b"a stale log")
    result = invoke("backup", "--db", str(office.db), "--out", str(target))
    assert result.exit_code == 2 and not target.exists(), result.output


def test_a_second_kept_copy_in_the_same_second_keeps_the_databases_name(office: Office) -> None:
    from kpi.db.gate import _numbered

    assert _numbered("kpi.duckdb.replaced-20261205T120000", 2) == "kpi.duckdb.replaced-20261205T120000-2"
    assert _numbered("20261205T120000_backup.duckdb", 2) == "20261205T120000_backup-2.duckdb"


@pytest.mark.parametrize("where", ["proc", "parent-is-a-file", "long-name", "backups-is-a-file"])
def test_outputs_the_system_cannot_hold_are_said_with_their_code_never_70(office: Office, where: str) -> None:
    (office.folder / "notes.txt").write_text("x", encoding="utf-8")
    cases = {
        "proc": (["backup", "--out", "/proc/self/fd/2", "--force"], 2),
        "parent-is-a-file": (["backup", "--out", str(office.folder / "notes.txt" / "x.duckdb")], 73),
        "long-name": (["report", "--out", str(office.folder / ("x" * 300 + ".csv"))], 73),
    }
    if where == "backups-is-a-file":
        lone = office.folder.parent / "lone"
        lone.mkdir()
        shutil.copy(office.db, lone / "kpi.duckdb")
        (lone / "kpi.duckdb.backups").write_text("not a folder", encoding="utf-8")
        result = invoke("backup", "--db", str(lone / "kpi.duckdb"))
        assert result.exit_code == 77, result.output
        return
    args, code = cases[where]
    result = invoke(*args[:1], "--db", str(office.db), *args[1:])
    assert result.exit_code == code, result.output


def test_a_file_of_another_program_is_named_not_kpis_not_empty(office: Office) -> None:
    import duckdb

    foreign = office.folder.parent / "customers.duckdb"
    con = duckdb.connect(str(foreign))
    con.execute("CREATE TABLE customers (id INTEGER)")
    con.close()
    result = invoke("report", "--db", str(foreign))
    assert result.exit_code == 3 and "kpi load" not in result.output, result.output


def test_a_backup_leaves_an_older_schema_as_it_is(tmp_path: Path) -> None:
    v1 = tmp_path / "v1.duckdb"
    shutil.copy(TESTS / "fixtures" / "schema_v1.duckdb", v1)
    before = sha(v1)
    ok("backup", "--db", str(v1), "--out", str(tmp_path / "copy.duckdb"))
    assert sha(v1) == before


def test_a_blank_reason_of_invisible_characters_is_refused(office: Office) -> None:
    result = invoke("load", "--db", str(office.db), str(SAMPLE / "budget.csv"), "--reopen", "\u200b\ufeff")
    assert result.exit_code == 2, result.output
