"""Every path kpi writes, pointed at everything it must never replace: a matrix generated from the command tree.

The cells are not a list someone keeps: they are read from the command tree (`kpi.cli.app.app`, every command
registered), one per command, per parameter whose click type is `kpi.cli.options.OutputPath`, per protected
target, with and without `--force` (when the command has one). A command added tomorrow is in the matrix without
anyone adding it; `test_a_new_command_is_in_the_matrix_without_being_listed` shows it with a throwaway command.

The targets (`TARGETS`) are the database the command names (`--db`, `$KPI_DB`, or the first PATH of
`kpi portfolio`), its write-ahead log (absent: DuckDB would replay or delete a file put there), a backup taken by
`kpi backup`, a copy kept before a load, the backups folder itself and a file of someone's inside it, a copy
`kpi restore` kept aside, another programme's database (for `kpi portfolio` also one of its PATH arguments), a
DuckDB file with an innocent name, a folder, a FIFO, a device node and a symbolic link to the database. Every cell
must exit 2, name the target, and leave the whole world — every file, its bytes (sha256) and its type — as it was.

Each command's arguments are derived from its parameters (a choice: its first; a required PATH: the programme
databases; a format: each one the command accepts with a file); only the value of a required free-text argument
comes from `VALUES`. Before its cells run, each command is run once with a fresh path (its control): it must
succeed, so that a refusal in a cell is the target's doing, not a missing argument's. The control also tells a
file output from a folder output (`kpi export --out` names a folder): for a folder output the free-named targets
are folders in which every file the command writes is already taken by a target of that kind.

The commands run in this process (typer's CliRunner), against one world built per module; a cell that changes
anything fails and the world is rebuilt for the next.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import stat
import threading
import typing
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Annotated, Any

import pytest
import typer
from kit import SAMPLE, SAMPLE_THEMES, invoke, ok, run_kpi
from matrix import some_in_default
from typer.core import TyperArgument
from typer.models import TyperPath

from kpi.cli import options
from kpi.cli.output import Console
from kpi.db.store import Store

# The value of a required argument that is neither a path nor a choice, by (command, parameter). Only values:
# which commands and parameters there are is read from the tree.
VALUES: dict[tuple[str, str], str] = {("explain", "kpi"): "short_term"}
# The value of an option a command needs though it cannot be declared required (kpi export's --as-of, which
# --submission N goes without), by (command, parameter).
NEEDED: dict[tuple[str, str], str] = {("export", "as_of"): "2025"}

TARGETS = (
    "database",  # the database the command names (--db / $KPI_DB; kpi portfolio: its first PATH)
    "log",  # its write-ahead log X.wal, absent
    "backup",  # a copy `kpi backup` took, in X.backups/
    "automatic-backup",  # the copy `kpi load` kept before a load, in X.backups/
    "backups-folder",  # X.backups/ itself
    "in-backups-folder",  # a file of someone's (not a database) in X.backups/, under the name the command would write
    "kept-copy",  # X.replaced-TIME, the file `kpi restore` replaced
    "other-programme",  # another programme's database (kpi portfolio: also one of its PATHs)
    "duckdb-file",  # a DuckDB database under the innocent name the command would write
    "folder",  # a folder under that name
    "fifo",  # a FIFO under that name
    "device",  # a device node (/dev/null's numbers) under that name
    "link-to-database",  # a symbolic link under that name, to the database
)
FREE_NAMED = ("in-backups-folder", "duckdb-file", "folder", "fifo", "device", "link-to-database")


# ---------------------------------------------------------------------------- the command tree


def command_tree() -> Any:
    """`kpi` as a click group, with every command registered (as `kpi --help` builds it)."""
    from kpi.cli.main import whole_app

    return typer.main.get_command(whole_app())


def leaves(group: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    """Every command of the tree with its path of names (`("followups", "due")`), groups walked."""
    for name, sub in sorted(group.commands.items()):
        if isinstance(getattr(sub, "commands", None), dict):
            yield from leaves(sub, (*path, name))
        else:
            yield (*path, name), sub


def output_type() -> type | None:
    """The click type of a path kpi writes (None until the gate lands)."""
    return getattr(options, "OutputPath", None)


def input_type() -> type | None:
    """The click type of a path kpi reads."""
    return getattr(options, "InputPath", None)


def is_input(param: Any) -> bool:
    kind = input_type()
    return kind is not None and isinstance(param.type, kind)


def is_output(param: Any) -> bool:
    """Whether a parameter names a path to write: its type is OutputPath and not InputPath (before OutputPath
    existed, a path option named `out`: the only spelling the tree had)."""
    kind = output_type()
    if kind is not None:
        return isinstance(param.type, kind) and not is_input(param)
    return param.name == "out" and isinstance(param.type, TyperPath)


def names_a_path(command: Any, param: Any) -> bool:
    """Whether a parameter is a path: a path type of click or typer, kpi's own, or a Path in the function's
    annotation (whatever click type it was given)."""
    if isinstance(param.type, TyperPath) or is_output(param) or is_input(param):
        return True
    callback = getattr(command, "callback", None)
    signature = getattr(callback, "__signature__", None)
    if signature is None or param.name not in signature.parameters:
        return False
    return mentions_path(signature.parameters[param.name].annotation)


def mentions_path(annotation: Any) -> bool:
    """Whether a type is a Path or holds one (Path | None, list[Path], Annotated[Path, …])."""
    if isinstance(annotation, type) and issubclass(annotation, PurePath):
        return True
    args = typing.get_args(annotation)
    if typing.get_origin(annotation) is Annotated:
        args = args[:1]
    return any(mentions_path(arg) for arg in args)


@dataclass(frozen=True)
class Cell:
    command: tuple[str, ...]
    param: str
    target: str
    force: bool

    @property
    def id(self) -> str:
        return f"{' '.join(self.command)}-{self.param}-{self.target}-{'force' if self.force else 'no-force'}"


def has_force(command: Any) -> bool:
    return any(p.name == "force" for p in command.params)


def outputs_of(tree: Any) -> Iterator[tuple[tuple[str, ...], Any, Any]]:
    """(command path, command, parameter) for every parameter of the tree that names a path to write."""
    for path, command in leaves(tree):
        for param in command.params:
            if is_output(param):
                yield path, command, param


def matrix(tree: Any) -> list[Cell]:
    """Every cell of the matrix: command × output parameter × target × with/without --force."""
    cells = []
    for path, command, param in outputs_of(tree):
        for target in TARGETS:
            for force in (False, True) if has_force(command) else (False,):
                cells.append(Cell(path, param.name, target, force))
    return cells


CELLS = matrix(command_tree())


def in_default_run(cells: list[Cell]) -> set[str]:
    """The cells the default run keeps: every target once and every command's output once (with --force and
    without in turn), taken in turn; CI's slow step runs every cell."""
    outputs = list(dict.fromkeys((c.command, c.param) for c in cells))
    forces = list(dict.fromkeys(c.force for c in cells))
    variants = [(command, param, forces[i % len(forces)]) for i, (command, param) in enumerate(outputs)]
    keep = {(variants[i % len(variants)], t) for i, t in enumerate(TARGETS)}
    keep |= {(v, TARGETS[j % len(TARGETS)]) for j, v in enumerate(variants)}
    return {c.id for c in cells if ((c.command, c.param, c.force), c.target) in keep}


DEFAULT_CELLS = in_default_run(CELLS)


# ---------------------------------------------------------------------------- the world


def digest(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def snapshot(root: Path) -> dict[str, tuple[str, ...]]:
    """Every entry under `root` (links not followed, FIFOs never opened): its type and its content — a regular
    file's sha256, a link's target, a device's numbers."""
    found: dict[str, tuple[str, ...]] = {}
    for folder, dirs, files in os.walk(root, followlinks=False):
        for name in [*dirs, *files]:
            path = Path(folder) / name
            st = path.lstat()
            key = str(path.relative_to(root))
            if stat.S_ISREG(st.st_mode):
                found[key] = ("file", digest(path))
            elif stat.S_ISLNK(st.st_mode):
                found[key] = ("link", os.readlink(path))
            elif stat.S_ISDIR(st.st_mode):
                found[key] = ("folder",)
            elif stat.S_ISFIFO(st.st_mode):
                found[key] = ("fifo",)
            elif stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode):
                found[key] = ("device", str(st.st_rdev))
            else:
                found[key] = ("other", oct(stat.S_IFMT(st.st_mode)))
    return found


def make_device(path: Path) -> None:
    """A character device with /dev/null's numbers (root may make one); else a link to /dev/null. Never
    /dev/null itself: a refused cell must not be able to replace the machine's."""
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except OSError:
        path.symlink_to("/dev/null")


def make_duckdb(path: Path) -> None:
    """A DuckDB database that is not kpi's: someone's table, under whatever name."""
    import duckdb

    con = duckdb.connect(str(path))
    try:
        con.execute("CREATE TABLE figures (name VARCHAR, value INTEGER)")
        con.execute("INSERT INTO figures VALUES ('not yours', 42)")
    finally:
        con.close()


def make_entry(kind: str, path: Path, db: Path) -> None:
    """A free-named target of `kind` at `path`."""
    if kind == "duckdb-file":
        make_duckdb(path)
    elif kind == "in-backups-folder":
        path.write_text("notes kept with the backups\n", encoding="utf-8")
    elif kind == "folder":
        path.mkdir()
        (path / "inside.txt").write_text("a file someone keeps in the folder\n", encoding="utf-8")
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "device":
        make_device(path)
    elif kind == "link-to-database":
        path.symlink_to(db)
    else:
        raise AssertionError(kind)


def other_programme(folder: Path, db: Path) -> Path:
    """Another programme's database: the sample's settings with 予算事業ID 9001, 80 of its themes."""
    folder.mkdir()
    settings = (SAMPLE / "programme.toml").read_text(encoding="utf-8")
    (folder / "programme.toml").write_text(settings.replace("project_id = 3522", "project_id = 9001"), encoding="utf-8")
    rows = SAMPLE_THEMES.read_text(encoding="utf-8-sig").splitlines()
    (folder / "themes_2026-03-31.csv").write_text("\n".join(rows[:81]) + "\n", encoding="utf-8")
    ok("load", "--db", str(db), str(folder))
    return db


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory, _sample_db: Path) -> Path:
    """The world's regular files: the sample database with a load kept before (an automatic backup), a
    submission, a `kpi backup` copy and a kept copy of a restore; another programme's database."""
    root = tmp_path_factory.mktemp("matrix-template")
    db = root / "kpi.duckdb"
    shutil.copy(_sample_db, db)
    ok("load", "--db", str(db), str(SAMPLE / "illustrative" / "followups_illustrative.csv"))
    ok("export", "--db", str(db), "--as-of", "2025", "--out", str(root / "export"))
    shutil.rmtree(root / "export")
    ok("backup", "--db", str(db))
    backups = sorted((root / "kpi.duckdb.backups").iterdir())
    assert any("_backup" in p.name for p in backups) and any("_load-" in p.name for p in backups), backups
    taken = next(p for p in backups if "_backup" in p.name)
    restored = run_kpi("restore", "--db", str(db), str(taken))  # a process of its own: it replaces the file
    assert restored.returncode == 0, restored.stderr
    assert list(root.glob("kpi.duckdb.replaced-*")), sorted(root.iterdir())
    scratch = root / "other-files"
    other_programme(scratch, root / "other.duckdb")
    shutil.rmtree(scratch)
    for leftover in root.glob("*.wal"):
        raise AssertionError(f"a write-ahead log left in the template: {leftover}")
    return root


@dataclass
class Probe:
    """A command run once with a fresh path: the formats it writes a file in, the name it accepted, and whether
    it wrote a folder (with these files in it)."""

    formats: list[str | None]
    name: str
    folder: bool
    written: list[str] = field(default_factory=list)


@dataclass
class World:
    """The protected files of one programme, and every free-named target, in one folder."""

    root: Path
    template: Path
    made: dict[tuple[str, str, bool], set[str]] = field(default_factory=dict)
    before: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def db(self) -> Path:
        return self.root / "kpi.duckdb"

    @property
    def other(self) -> Path:
        return self.root / "other.duckdb"

    def build(self) -> None:
        if self.root.exists():
            shutil.rmtree(self.root)
        shutil.copytree(self.template, self.root)
        for (kind, name, folder), written in sorted(self.made.items()):
            self._make(kind, name, folder, written)
        self.before = snapshot(self.root)

    def _place(self, kind: str, name: str, folder: bool) -> Path:
        if kind == "in-backups-folder":
            return self.root / "kpi.duckdb.backups" / ("folder-output" if folder else "") / name
        return self.root / kind / ("folder-output" if folder else "file-output") / name

    def _make(self, kind: str, name: str, folder: bool, written: set[str]) -> None:
        path = self._place(kind, name, folder)
        path.parent.mkdir(parents=True, exist_ok=True)
        if not folder:
            if not path.is_symlink() and not path.exists():
                make_entry(kind, path, self.db)
            return
        path.mkdir(exist_ok=True)  # a folder whose every file the command writes is taken by one of `kind`
        for entry in sorted(written):
            if not (path / entry).is_symlink() and not (path / entry).exists():
                make_entry(kind, path / entry, self.db)

    def free_named(self, kind: str, probe: Probe) -> Path:
        key = (kind, probe.name, probe.folder)
        written = set(probe.written)
        if key not in self.made or not written <= self.made[key]:
            self.made[key] = self.made.get(key, set()) | written
            self._make(kind, probe.name, probe.folder, self.made[key])
            self.before = snapshot(self.root)
        return self._place(kind, probe.name, probe.folder)

    def target(self, name: str, probe: Probe) -> Path:
        backups = self.root / "kpi.duckdb.backups"
        fixed = {
            "database": self.db,
            "log": self.root / "kpi.duckdb.wal",
            "backup": next((p for p in sorted(backups.iterdir()) if "_backup" in p.name), None),
            "automatic-backup": next((p for p in sorted(backups.iterdir()) if "_load-" in p.name), None),
            "backups-folder": backups,
            "kept-copy": next(iter(sorted(self.root.glob("kpi.duckdb.replaced-*"))), None),
            "other-programme": self.other,
        }
        if name in FREE_NAMED:
            return self.free_named(name, probe)
        path = fixed[name]
        assert path is not None, name
        return path


def candidate_names(param: Any, fmt: str | None) -> list[str]:
    """Names to try for a fresh output: the parameter's default name, then one per format, then common ones."""
    names = []
    if isinstance(param.default, Path | str) and str(param.default):
        names.append(Path(param.default).name)
    names.append("out")
    if fmt is not None:
        names.append(f"out.{ {'markdown': 'md', 'table': 'txt'}.get(fmt, fmt) }")
    names += ["out.png", "out.svg", "out.pdf", "out.txt", "programme_out.toml"]
    return list(dict.fromkeys(names))


def format_param(command: Any) -> Any | None:
    return next((p for p in command.params if "--format" in getattr(p, "opts", [])), None)


def arguments(
    path: tuple[str, ...], command: Any, param: Any, world: World, fmt: str | None, out: Path, force: bool
) -> list[str]:
    """The command line of one run: the command's required arguments derived from its parameters, the store,
    the format, the output and --force."""
    opts: list[str] = []
    positional: list[str] = []
    for p in command.params:
        argument = isinstance(p, TyperArgument)
        if p is param:
            value: list[str] = [str(out)]
        elif p.name == "force":
            value = ["--force"] if force else []
            opts += value
            continue
        elif p.name == "db" and not argument:
            value = [str(world.db)]
        elif format_param(command) is p:
            value = [fmt] if fmt is not None else []
        elif (path[-1], p.name) in NEEDED:
            value = [NEEDED[(path[-1], p.name)]]
        elif is_output(p) and p.required:  # another output it needs (kpi export --out beside --confidential)
            value = [str(out.parent / f"{p.name}-beside")]
        elif not p.required:
            continue
        elif (path[-1], p.name) in VALUES:
            value = [VALUES[(path[-1], p.name)]]
        elif getattr(p.type, "choices", None):
            value = [str(getattr(p.type.choices[0], "value", p.type.choices[0]))]
        elif names_a_path(command, p):  # a required path it reads: the programme databases
            value = [str(world.db), str(world.other)] if p.nargs == -1 else [str(world.db)]
        else:
            raise AssertionError(f"kpi {' '.join(path)}: give the required {p.name!r} a value in VALUES")
        if argument:
            positional += value
        elif value:
            opts += [p.opts[0], *value] if p.nargs != -1 else [x for v in value for x in (p.opts[0], v)]
    return [*path, *opts, *positional]


def find(tree: Any, path: tuple[str, ...], name: str) -> tuple[Any, Any]:
    command = dict(leaves(tree))[path]
    return command, next(p for p in command.params if p.name == name)


PROBES: dict[tuple[tuple[str, ...], str], Probe] = {}


def probe(tree: Any, path: tuple[str, ...], name: str, world: World, scratch: Path) -> Probe:
    """Run the command with a fresh path for its output, in every format it has: it must write a file or a folder
    in at least one (its control); the formats it wrote and how (cached per command and parameter)."""
    key = (path, name)
    if key in PROBES:
        return PROBES[key]
    command, param = find(tree, path, name)
    chosen = format_param(command)
    formats: list[str | None] = list(chosen.type.choices) if chosen is not None else [None]
    formats = [str(getattr(f, "value", f)) if f is not None else None for f in formats]
    accepted: list[str | None] = []
    found: Probe | None = None
    tried = []
    for fmt in formats:
        for candidate in ([found.name] if found else []) + candidate_names(param, fmt):
            place = scratch / f"control-{len(list(scratch.iterdir()))}"
            place.mkdir()
            out = place / candidate
            result = invoke(*arguments(path, command, param, world, fmt, out, False), env={"KPI_DB": str(world.db)})
            tried.append((fmt, candidate, result.exit_code, result.output[-200:]))
            if result.exit_code == 0 and (out.exists() or out.is_symlink()):
                accepted.append(fmt)
                if found is None:
                    written = sorted(os.listdir(out)) if out.is_dir() else []
                    found = Probe(accepted, candidate, out.is_dir(), written)
                break
    assert found is not None, f"kpi {' '.join(path)} {name}: no control run wrote its output: {tried}"
    PROBES[key] = found
    return found


@pytest.fixture(scope="module")
def controls(template: Path, tmp_path_factory: pytest.TempPathFactory) -> World:
    """A world of its own for the control runs (an export records a submission)."""
    world = World(tmp_path_factory.mktemp("matrix-controls") / "world", template)
    world.build()
    return world


@pytest.fixture(scope="module")
def world(template: Path, tmp_path_factory: pytest.TempPathFactory) -> World:
    world = World(tmp_path_factory.mktemp("matrix") / "world", template)
    world.build()
    return world


@contextlib.contextmanager
def fifo_watchdog(root: Path, after: float = 30) -> Iterator[None]:
    """A command that opened a FIFO for writing would wait for a reader for ever: after `after` seconds every FIFO
    of the world is opened and closed by a reader, so that the write fails and the cell fails instead of hanging."""
    done = threading.Event()

    def watch() -> None:
        if done.wait(after):
            return
        while not done.is_set():
            for folder, _, names in os.walk(root):
                for name in names:
                    path = Path(folder) / name
                    with contextlib.suppress(OSError):
                        if stat.S_ISFIFO(path.lstat().st_mode):
                            os.close(os.open(path, os.O_RDONLY | os.O_NONBLOCK))
            done.wait(0.1)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        yield
    finally:
        done.set()
        watcher.join()


def run_cell(tree: Any, cell: Cell, world: World, controls: World, scratch: Path, fmt: str | None = None) -> None:
    """One cell: the command pointed at its target exits 2 and leaves every file of the world as it was."""
    found = probe(tree, cell.command, cell.param, controls, scratch)
    command, param = find(tree, cell.command, cell.param)
    target = world.target(cell.target, found)
    before = world.before
    args = arguments(cell.command, command, param, world, fmt or found.formats[0], target, cell.force)
    cwd = Path.cwd()
    os.chdir(world.root)
    try:
        with fifo_watchdog(world.root):
            result = invoke(*args, env={"KPI_DB": str(world.db)})
    finally:
        os.chdir(cwd)
    after = snapshot(world.root)
    changed = {k: (before.get(k), after.get(k)) for k in set(before) | set(after) if before.get(k) != after.get(k)}
    if changed or result.exit_code != 2:
        world.build()  # the next cell starts from the whole world again
    assert not changed, f"kpi {' '.join(args)} changed: {changed}"
    assert result.exit_code == 2, (args, result.exit_code, result.output, result.exception)
    assert target.name in result.output or os.path.realpath(target).rsplit("/", 1)[-1] in result.output, (
        f"the refusal does not name {target}: {result.output}"
    )
    assert "Traceback" not in result.output


# ---------------------------------------------------------------------------- the tests


def test_every_path_parameter_is_an_output_or_an_input() -> None:
    """No parameter that names a path is left unclassified: each is an OutputPath (guarded by the gate) or an
    InputPath."""
    assert output_type() is not None and input_type() is not None, "kpi.cli.options has no OutputPath/InputPath"
    tree = command_tree()
    unclassified = [
        f"kpi {' '.join(path)} {p.name}"
        for path, command in [((), tree), *leaves(tree)]
        for p in command.params
        if names_a_path(command, p) and not (is_output(p) or is_input(p))
    ]
    assert not unclassified, unclassified


def test_the_matrix_covers_every_command_that_writes_a_file() -> None:
    """The generator finds every command with an --out (whatever type it was given), and every one of its cells."""
    tree = command_tree()
    with_out = {path for path, command in leaves(tree) for p in command.params if "--out" in getattr(p, "opts", [])}
    covered = {cell.command for cell in CELLS}
    assert with_out and with_out <= covered, with_out - covered
    for path in covered:
        cells = [c for c in CELLS if c.command == path]
        assert {c.target for c in cells} == set(TARGETS)
        assert {c.force for c in cells} == ({False, True} if has_force(dict(leaves(tree))[path]) else {False})


@pytest.mark.parametrize(
    "cell", [pytest.param(c, id=c.id, marks=() if c.id in DEFAULT_CELLS else pytest.mark.slow) for c in CELLS]
)
def test_cell(cell: Cell, world: World, controls: World, tmp_path: Path) -> None:
    run_cell(command_tree(), cell, world, controls, tmp_path)


FORMATTED = sorted({(c.command, c.param) for c in CELLS})


@pytest.mark.parametrize(
    "command,param", some_in_default(FORMATTED, 7), ids=[f"{' '.join(c)}-{p}" for c, p in FORMATTED]
)
def test_every_format_over_the_database(
    command: tuple[str, ...], param: str, world: World, controls: World, tmp_path: Path
) -> None:
    """The database and another programme's, with --force, in every format the command writes a file in."""
    tree = command_tree()
    found = probe(tree, command, param, controls, tmp_path)
    force = has_force(find(tree, command, param)[0])
    for fmt in found.formats:
        for target in ("database", "other-programme", "backup"):
            run_cell(tree, Cell(command, param, target, force), world, controls, tmp_path, fmt)


def test_a_new_command_is_in_the_matrix_without_being_listed(world: World, controls: World, tmp_path: Path) -> None:
    """A throwaway command that writes the way `kpi report` does (its --out, console.emit) is found by the
    generator, every cell of it, and every cell holds; it is removed from the tree afterwards."""
    from kpi.cli.app import app, command

    name = "throwaway-write"

    def throwaway(
        console: Console,
        store: Store,
        out: Annotated[Path | None, options.out_option("help.opt.out_report")] = None,
        force: options.Force = False,
    ) -> None:
        console.emit("a throwaway command's page\n", out, force)

    registered = list(app.registered_commands)
    try:
        command(name, "help.report")(throwaway)
        tree = command_tree()
        cells = [c for c in matrix(tree) if c.command == (name,)]
        assert {(c.target, c.force) for c in cells} == {(t, f) for t in TARGETS for f in (False, True)}
        assert {c.param for c in cells} == {"out"}
        failed = []
        for cell in cells:
            try:
                run_cell(tree, cell, world, controls, tmp_path)
            except AssertionError as exc:
                failed.append(f"{cell.id}: {str(exc)[:300]}")
        assert not failed, "\n".join(failed)
    finally:
        app.registered_commands = registered
        PROBES.pop(((name,), "out"), None)
    assert name not in command_tree().commands


@pytest.mark.parametrize(
    "command,param", some_in_default(FORMATTED, 7), ids=[f"{' '.join(c)}-{p}" for c, p in FORMATTED]
)
def test_an_output_open_in_excel_is_never_replaced(
    command: tuple[str, ...], param: str, world: World, controls: World, tmp_path: Path
) -> None:
    """Every command's output, already there with Excel's lock file beside it (`~$NAME`: the file is open, maybe
    with unsaved changes), is refused even with --force: exit 75, the file named, every file left as it was. A
    folder output is refused when any file it would replace is open."""
    tree = command_tree()
    (tmp_path / "controls").mkdir()
    found = probe(tree, command, param, controls, tmp_path / "controls")
    cmd, parameter = find(tree, command, param)
    place = tmp_path / "desk"
    place.mkdir()
    out = place / found.name
    if found.folder:
        out.mkdir()
        for name in found.written:
            (out / name).write_text("kept by the office\n", encoding="utf-8")
        opened = out / found.written[-1]
    else:
        out.write_text("kept by the office\n", encoding="utf-8")
        opened = out
    (opened.parent / f"~${opened.name}").write_bytes(b"\x08Tanaka  ")
    before = snapshot(place)
    args = arguments(command, cmd, parameter, world, found.formats[0], out, has_force(cmd))
    result = invoke(*args, env={"KPI_DB": str(world.db)})
    assert result.exit_code == 75, (args, result.exit_code, result.output)
    assert f"{opened} は Excel（または LibreOffice）で開かれています" in result.output, result.output
    assert snapshot(place) == before
