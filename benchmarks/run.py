"""Benchmark kpi side by side with DuckDB's own CSV ingest and a pandas + pandera peer; print a markdown table.

Run from anywhere: python benchmarks/run.py [--n 1000000] [--repeats 5]. Only the standard library is imported
here at the top: the same file also runs, in subprocesses, the floor, the peer (inside its own virtual environment
with pandas and pandera's pandas backend) and kpi's in-process validation timing.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SAMPLE = ROOT / "sample_data"

# Targets of issue 6, as ratios measured side by side in one run.
LOAD_VS_FLOOR = 1.5
PEER_VS_LOAD = 2.0
RSS_VS_FLOOR = 2.0
REPORT_SECONDS = 1.0
SAMPLE_REPORT_VS_IMPORT = 2.0
LINEAR_FACTOR = 12.0

FLOOR_CODE = (
    "import sys, duckdb\n"
    "con = duckdb.connect(sys.argv[1])\n"
    'con.execute("CREATE TABLE themes AS SELECT * FROM read_csv(\'" + sys.argv[2].replace("\'", "\'\'") + "\')")\n'
    "con.close()\n"
)


@dataclass
class Sample:
    """One timed subprocess: wall seconds, CPU seconds (user + system) and peak resident memory."""

    wall: float
    cpu: float
    rss_mb: float
    inner: float | None = None  # a time the process reported itself (in-process phases)


@dataclass
class Series:
    """The samples of one measurement."""

    label: str
    samples: list[Sample] = field(default_factory=list)

    def median(self, attr: str = "wall") -> float:
        """The median of one attribute over the samples."""
        values = [getattr(s, attr) for s in self.samples if getattr(s, attr) is not None]
        return statistics.median(values) if values else float("nan")

    def spread(self) -> str:
        """min–max of the wall times."""
        walls = [s.wall for s in self.samples]
        return f"{min(walls):.3g}–{max(walls):.3g}" if walls else ""


class BenchError(RuntimeError):
    """A benchmarked command failed: the numbers would be meaningless."""


# Each measured command is started by this small launcher, not by run.py itself: Linux carries the RSS high-water
# mark of the process that spawns a command into the command's ru_maxrss, so a lean parent keeps max RSS honest.
LAUNCHER = (
    "import json, os, sys, time\n"
    "start = time.perf_counter()\n"
    "pid = os.posix_spawnp(sys.argv[2], sys.argv[2:], os.environ)\n"
    "_, status, ru = os.wait4(pid, 0)\n"
    "wall = time.perf_counter() - start\n"
    "with open(sys.argv[1], 'w') as f:\n"
    "    json.dump({'wall': wall, 'cpu': ru.ru_utime + ru.ru_stime, 'rss_kb': ru.ru_maxrss,\n"
    "               'code': os.waitstatus_to_exitcode(status)}, f)\n"
)


def tail(handle, size: int = 8192) -> str:
    """The last bytes of an output file as text (outputs can be hundreds of MB: never read them whole)."""
    handle.seek(0, os.SEEK_END)
    handle.seek(max(0, handle.tell() - size))
    return handle.read().decode(errors="replace")


def run_measured(cmd: list[str], *, cwd: Path | None = None, env: dict[str, str] | None = None) -> Sample:
    """Run a command to its end through the launcher; its wall time, CPU time (user + system) and max RSS."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, tempfile.TemporaryDirectory() as tmp:
        result = Path(tmp) / "usage.json"
        launcher = [sys.executable, "-I", "-S", "-c", LAUNCHER, str(result), *map(str, cmd)]
        subprocess.run(launcher, stdout=out, stderr=err, stdin=subprocess.DEVNULL, cwd=cwd, env=env, check=False)
        stdout, stderr = tail(out), tail(err)
        if not result.exists():
            raise BenchError(f"the launcher failed for {' '.join(map(str, cmd))}\n{stderr}")
        usage = json.loads(result.read_text())
    if usage["code"] != 0:
        lines = "\n".join((stderr or stdout).strip().splitlines()[-25:])
        raise BenchError(f"exit {usage['code']}: {' '.join(map(str, cmd))}\n{lines}")
    inner = None
    for line in stdout.splitlines():
        if line.startswith("BENCH "):
            inner = float(json.loads(line[6:])["seconds"])
    return Sample(usage["wall"], usage["cpu"], usage["rss_kb"] / 1024, inner)


def run_quiet(cmd: list[str], **kwargs) -> str:
    """Run a setup command; raise with its output if it fails."""
    proc = subprocess.run(cmd, capture_output=True, text=True, **kwargs)
    if proc.returncode != 0:
        raise BenchError(
            f"exit {proc.returncode}: {' '.join(map(str, cmd))}\n{proc.stdout[-3000:]}{proc.stderr[-3000:]}"
        )
    return proc.stdout


def venv_python(venv: Path) -> Path:
    """The interpreter of a virtual environment."""
    return venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def kpi_python(args: argparse.Namespace) -> Path:
    """An interpreter with this checkout's kpi installed as users install it: --python, else benchmarks/.venv-kpi."""
    if args.python:
        return Path(args.python)
    venv = HERE / ".venv-kpi"
    python = venv_python(venv)
    first = not python.exists()
    if first:
        print(f"creating {venv} for kpi and its dependencies ...", file=sys.stderr)
        run_quiet([sys.executable, "-m", "venv", str(venv)])
    print(f"installing this checkout of kpi into {venv} (not editable, as the README installs it) ...", file=sys.stderr)
    with tempfile.TemporaryDirectory() as tmp:  # build from a copy: pip would leave build/ in the checkout
        source = Path(tmp) / "kpi-src"
        source.mkdir()
        for name in ["pyproject.toml", "README.md"]:
            shutil.copy2(ROOT / name, source / name)
        for package in ["kpi", "schemas"]:
            shutil.copytree(ROOT / package, source / package, ignore=shutil.ignore_patterns("__pycache__"))
        run_quiet([str(python), "-m", "pip", "install", "--quiet", str(source)])  # dependencies as pyproject pins them
        if not first:  # the same version number: make pip take this checkout's code
            run_quiet([str(python), "-m", "pip", "install", "--quiet", "--no-deps", "--force-reinstall", str(source)])
    return python


def peer_python(args: argparse.Namespace, duckdb_version: str) -> Path:
    """The peer's interpreter: its own virtual environment with pandas, pyarrow and pandera (pandas backend)."""
    venv = Path(args.peer_venv)
    python = venv_python(venv)
    wanted = ["pandas", "pyarrow", "pandera", f"duckdb=={duckdb_version}"]
    stamp = venv / "bench-requirements.txt"
    if python.exists() and stamp.exists() and stamp.read_text() == "\n".join(wanted):
        return python
    print(f"creating the peer's environment {venv} ({', '.join(wanted)}) ...", file=sys.stderr)
    if not python.exists():
        run_quiet([sys.executable, "-m", "venv", str(venv)])
    run_quiet([str(python), "-m", "pip", "install", "--quiet", *wanted])
    stamp.write_text("\n".join(wanted))
    return python


def versions(python: Path, packages: list[str]) -> dict[str, str]:
    """Installed versions of packages in an interpreter's environment."""
    code = (
        "import json, sys\nfrom importlib.metadata import version, PackageNotFoundError\nout = {}\n"
        "for p in sys.argv[1:]:\n    try:\n        out[p] = version(p)\n"
        "    except PackageNotFoundError:\n        out[p] = '-'\nprint(json.dumps(out))\n"
    )
    return json.loads(run_quiet([str(python), "-c", code, *packages]))


def machine() -> dict[str, str]:
    """CPU model, cores, memory, OS and Python of this machine."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return {
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "memory": memory,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
    }


def generated(n: int, seed: int, workdir: Path, python: Path, exclude: list[str]) -> Path:
    """A folder with N generated themes, follow-ups and budget (reused while generator and arguments match)."""
    generator = HERE / "generate.py"
    key = hashlib.sha256(generator.read_bytes() + repr((n, seed, sorted(exclude))).encode()).hexdigest()[:12]
    folder = workdir / f"data-{n}-{key}"
    if (folder / "done").exists():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    print(f"generating {n:,} themes into {folder} ...", file=sys.stderr)
    extra = [a for x in exclude for a in ("--exclude", x)]
    run_quiet([str(python), str(generator), str(n), str(folder), "--seed", str(seed), *extra])
    (folder / "done").write_text("ok\n")
    return folder


# ---------------------------------------------------------------------------------------------------------------
# Run inside subprocesses: `python run.py _peer CSV DB` (peer environment) and `python run.py _validate CSV`.


def peer_load(csv_path: str, db_path: str) -> int:
    """The script users would write instead: pandas read_csv, a pandera (pandas backend) schema, insert into DuckDB."""
    import re
    import unicodedata

    import duckdb
    import pandas as pd
    import pandera.pandas as pa
    from pandera.errors import SchemaErrors

    columns = {
        "theme_id": ["テーマID", "テーマ番号"],
        "item": ["研究開発項目", "項目"],
        "funding": ["契約形態"],
        "element": ["基盤要素"],
        "organizations": ["機関名", "実施者"],
        "title": ["開発テーマ名", "テーマ名"],
        "start_fy": ["開始年度"],
        "end_fy": ["終了年度"],
        "status": ["結果/状況", "結果", "状況"],
    }
    optional, free_text = {"start_fy", "end_fy"}, {"organizations", "title"}
    item_names = {"ポスト5G": 1, "先端半導体": 2, "先導半導体": 2, "先導研究": 3, "leading": 3}
    funding_words = {"委託": "委託", "助成": "助成", "contract": "委託", "grant": "助成"}
    status_words = {
        "目標達成": "achieved",
        "目標未達": "not_achieved",
        "遅延": "delayed",
        "計画通り": "on_track",
        "遅延なし": "on_track",
        "achieved": "achieved",
        "not achieved": "not_achieved",
        "delayed": "delayed",
        "on track": "on_track",
    }
    fy_re = re.compile(r"^(?:(\d{4})|(令和|平成|R|H)(\d{1,2}|元))(?:年度?)?$", re.IGNORECASE)
    words = "|".join(sorted(status_words, key=len, reverse=True))
    status_re = re.compile(r"^(?:(\S+?)終了)?\s*(" + words + r")$", re.IGNORECASE)

    aliases = {unicodedata.normalize("NFKC", n).strip().lower(): c for c, ns in columns.items() for n in [c, *ns]}
    raw = pd.read_csv(csv_path, dtype=str, keep_default_na=False)
    rename = {h: aliases.get(unicodedata.normalize("NFKC", h).strip().lower()) for h in raw.columns}
    unknown = [h for h, c in rename.items() if c is None]
    missing = [c for c in columns if c not in rename.values() and c not in optional]
    if unknown or missing:
        print(f"header does not match: unknown {unknown}, missing {missing}", file=sys.stderr)
        return 3
    df = raw.rename(columns=rename)
    for c in df.columns:
        text = df[c] if c in free_text else df[c].str.normalize("NFKC")
        df[c] = text.str.strip().replace("", None)
    df = df.dropna(how="all")
    for c in columns:
        if c not in df.columns:
            df[c] = pd.Series(None, index=df.index, dtype="str")
    df = df[list(columns)]

    def fy(s: pd.Series) -> pd.Series:
        parts = s.str.extract(fy_re)
        era = parts[1].str.upper().map({"令和": 2018, "R": 2018, "平成": 1988, "H": 1988})
        year = pd.to_numeric(parts[0], errors="coerce").fillna(era + pd.to_numeric(parts[2].replace("元", "1")))
        return year.where(year.between(2000, 2100))

    def choice(mapping: dict[str, str], s: pd.Series) -> pd.Series:
        return s.str.lower().str.replace(r"[\s_]+", " ", regex=True).map({k.lower(): v for k, v in mapping.items()})

    def item(s: pd.Series) -> pd.Series:
        code = pd.to_numeric(s.str.extract(r"^([123])(?:\D|$)")[0], errors="coerce")
        low = s.str.lower()
        for name, value in item_names.items():
            code = code.mask(code.isna() & low.str.contains(name.lower(), regex=False), value)
        return code

    # Each column is parsed once; the schema's checks read the parsed values (as a careful user would write it).
    cell = df["status"].str.extract(status_re)
    parsed = pd.DataFrame(
        {
            "item": item(df["item"]),
            "funding": choice(funding_words, df["funding"]),
            "start_fy": fy(df["start_fy"]),
            "end_col": fy(df["end_fy"]),
            "status": choice(status_words, cell[1]),
            "cell_year": cell[0],
            "status_end": fy(cell[0]),
        }
    )
    parsed["end_fy"] = parsed["end_col"].fillna(parsed["status_end"])

    def parses(name: str, rule: str) -> pa.Check:
        return pa.Check(lambda s: parsed.loc[s.index, name].notna(), error=rule)

    p = parsed
    schema = pa.DataFrameSchema(
        {
            "theme_id": pa.Column(str, unique=True),
            "item": pa.Column(str, parses("item", "research item 1, 2 or 3")),
            "funding": pa.Column(str, parses("funding", "委託 or 助成")),
            "element": pa.Column(str, pa.Check.str_matches(r"^[a-zA-Z](?:\d+(?:-\d+)?)?$")),
            "organizations": pa.Column(str),
            "title": pa.Column(str),
            "start_fy": pa.Column(str, parses("start_fy", "fiscal year"), nullable=True),
            "end_fy": pa.Column(str, parses("end_col", "fiscal year"), nullable=True),
            "status": pa.Column(
                str,
                [
                    parses("status", "status"),
                    pa.Check(lambda s: p["cell_year"].isna() | p["status_end"].notna(), error="year in 終了"),
                ],
            ),
        },
        checks=[
            pa.Check(lambda d: p["end_fy"].notna() | p["status"].isna(), error="end year required"),
            pa.Check(
                lambda d: p["end_col"].isna() | p["status_end"].isna() | (p["end_col"] == p["status_end"]),
                error="end_fy disagrees with the status cell",
            ),
            pa.Check(lambda d: p["start_fy"].isna() | (p["start_fy"] <= p["end_fy"]), error="start after end"),
        ],
        strict=True,
    )
    try:
        schema.validate(df, lazy=True)
    except SchemaErrors as exc:
        print(f"{len(exc.failure_cases)} failure(s)\n{exc.failure_cases.head(20)}", file=sys.stderr)
        return 3
    records = pd.DataFrame(
        {
            "theme_id": df["theme_id"],
            "item": p["item"].astype("Int8"),
            "funding": p["funding"],
            "element": df["element"].str.lower(),
            "organizations": df["organizations"],
            "title": df["title"],
            "start_fy": p["start_fy"].astype("Int16"),
            "end_fy": p["end_fy"].astype("Int16"),
            "status": p["status"],
        }
    )
    con = duckdb.connect(db_path)
    con.execute(
        "CREATE TABLE themes (theme_id VARCHAR NOT NULL, item TINYINT NOT NULL, funding VARCHAR NOT NULL, "
        "element VARCHAR NOT NULL, organizations VARCHAR NOT NULL, title VARCHAR NOT NULL, start_fy SMALLINT, "
        "end_fy SMALLINT NOT NULL, status VARCHAR NOT NULL)"
    )
    con.register("records", records)
    con.execute("INSERT INTO themes SELECT * FROM records")
    con.close()
    return 0


def kpi_validate(csv_path: str) -> int:
    """kpi's read + validate + typed records of one file, in process (no interpreter start, no imports, no write)."""
    import schemas  # noqa: F401  (imports pandera and polars before the clock starts)
    from kpi.load import ingest, validate  # noqa: F401

    start = time.perf_counter()
    batch = ingest.read_files([Path(csv_path)], "themes")
    seconds = time.perf_counter() - start
    if batch.failures:
        print(f"{len(batch.failures)} failure(s), first: {batch.failures[0]}", file=sys.stderr)
        return 3
    print("BENCH " + json.dumps({"seconds": seconds}))
    return 0


# ---------------------------------------------------------------------------------------------------------------


def paired(a: Series, b: Series, attr: str = "wall") -> float:
    """The median of the ratios a/b of samples taken side by side (the same repeat): robust to a drifting load."""
    ratios = [getattr(x, attr) / getattr(y, attr) for x, y in zip(a.samples, b.samples, strict=False)]
    return statistics.median(ratios) if ratios else float("nan")


def ratio_text(value: float) -> str:
    """A ratio as 1.23×."""
    return f"{value:.2f}×"


def benchmark(args: argparse.Namespace) -> dict:
    """Run every measurement round-robin (one of each per repeat) and return the results."""
    workdir = Path(args.workdir).resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    python = kpi_python(args)
    bindir = python.parent
    kpi = [str(bindir / "kpi")] if (bindir / "kpi").exists() else [str(python), "-m", "kpi"]
    kpi_versions = versions(python, ["kpi", "polars", "pandera", "duckdb", "typer", "tabulate", "pydantic"])
    small_n = max(args.n // 10, 1)
    data = generated(args.n, args.seed, workdir, python, args.exclude)
    small = generated(small_n, args.seed, workdir, python, args.exclude)
    csv, small_csv = data / "themes.csv", small / "themes.csv"
    peer = None if args.skip_peer else peer_python(args, kpi_versions["duckdb"])
    peer_versions = versions(peer, ["pandas", "pandera", "pyarrow", "numpy", "duckdb"]) if peer else {}
    dbs = workdir / "db"
    shutil.rmtree(dbs, ignore_errors=True)
    dbs.mkdir()
    env = dict(os.environ, KPI_WAIT="0")
    env.pop("KPI_DB", None)

    # The databases the report measurements read: the N themes with follow-ups, budget and the programme's settings.
    print(f"loading {args.n:,} themes, follow-ups and budget for the report ...", file=sys.stderr)
    full_db, sample_db = dbs / "full.duckdb", dbs / "sample.duckdb"
    run_measured([*kpi, "load", str(data), str(SAMPLE / "programme.toml"), "--db", str(full_db), "-q"], env=env)
    run_measured([*kpi, "load", str(SAMPLE), "--db", str(sample_db), "-q"], env=env)

    def fresh(name: str) -> Path:
        path = dbs / name
        for leftover in (path, path.with_name(path.name + ".wal")):
            leftover.unlink(missing_ok=True)
        return path

    def kpi_load(source: Path, db: str) -> list[str]:
        return [*kpi, "load", str(source), "--db", str(fresh(db)), "-q"]

    def floor(source: Path, db: str) -> list[str]:
        return [str(python), "-c", FLOOR_CODE, str(fresh(db)), str(source)]

    me = str(Path(__file__).resolve())
    plan: dict[str, tuple[str, Callable[[], list[str]]]] = {
        "load": (f"`kpi load` {args.n:,} themes, full validation, new file", lambda: kpi_load(csv, "load.duckdb")),
        "floor": (
            f"floor: DuckDB `CREATE TABLE AS SELECT * FROM read_csv` {args.n:,}, new file",
            lambda: floor(csv, "floor.duckdb"),
        ),
        "load_small": (f"`kpi load` {small_n:,} themes", lambda: kpi_load(small_csv, "load_small.duckdb")),
        "floor_small": (f"floor {small_n:,} themes", lambda: floor(small_csv, "floor_small.duckdb")),
        "validate": (
            f"kpi read + validate in process, {args.n:,}",
            lambda: [str(python), me, "_validate", str(csv)],
        ),
        "validate_small": (
            f"kpi read + validate in process, {small_n:,}",
            lambda: [str(python), me, "_validate", str(small_csv)],
        ),
        "report_json": (
            f"`kpi report --format json` on {args.n:,} themes",
            lambda: [*kpi, "report", "--format", "json", "--db", str(full_db)],
        ),
        "report_sample": ("`kpi report` on the sample data", lambda: [*kpi, "report", "--db", str(sample_db)]),
        "import_duckdb": ('`python -c "import duckdb"`', lambda: [str(python), "-c", "import duckdb"]),
        "help": ("`kpi --help`", lambda: [*kpi, "--help"]),
    }
    if peer:
        plan["peer"] = (
            f"peer: pandas read_csv + pandera (pandas) + DuckDB insert, {args.n:,}",
            lambda: [str(peer), me, "_peer", str(csv), str(fresh("peer.duckdb"))],
        )
        order = ["load", "floor", "peer"]
        plan = {k: plan[k] for k in order + [k for k in plan if k not in order]}
    series = {key: Series(label) for key, (label, _) in plan.items()}
    startup = ["report_sample", "import_duckdb", "help"]  # short: several runs per repeat, alternating
    for key in [*startup, "report_json"]:  # warm the page cache and the bytecode caches; not counted
        run_measured(plan[key][1](), env=env)
    for r in range(args.repeats):
        for key, (label, make) in plan.items():
            if key in startup:
                continue
            sample = run_measured(make(), env=env)
            series[key].samples.append(sample)
            print(f"  [{r + 1}/{args.repeats}] {label}: {sample.wall:.3f} s, {sample.rss_mb:.0f} MB", file=sys.stderr)
        for _ in range(args.startup_runs):
            for key in startup:
                series[key].samples.append(run_measured(plan[key][1](), env=env))
        print(
            f"  [{r + 1}/{args.repeats}] startup: {args.startup_runs} runs each of {', '.join(startup)}",
            file=sys.stderr,
        )
    for db in ["load.duckdb", "floor.duckdb", "peer.duckdb"]:
        if (dbs / db).exists() and (rows := count_rows(python, dbs / db)) != args.n:
            raise BenchError(f"{db} holds {rows} themes, expected {args.n}")
    shutil.rmtree(dbs, ignore_errors=True)
    return {
        "n": args.n,
        "small_n": small_n,
        "repeats": args.repeats,
        "machine": machine(),
        "kpi_env": kpi_versions,
        "peer_env": peer_versions,
        "input_bytes": csv.stat().st_size,
        "series": {k: asdict(v) for k, v in series.items()},
    }


def count_rows(python: Path, db: Path) -> int:
    """Themes stored in a database file."""
    code = "import sys, duckdb; print(duckdb.connect(sys.argv[1], read_only=True).execute('SELECT count(*) FROM themes').fetchall()[0][0])"
    return int(run_quiet([str(python), "-c", code, str(db)]).strip())


def markdown(results: dict) -> str:
    """The results as markdown: machine, measurements with ratios, and each target met or not."""
    s = {k: Series(v["label"], [Sample(**x) for x in v["samples"]]) for k, v in results["series"].items()}
    m, peer_env = results["machine"], results["peer_env"]
    lines = [
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory']} RAM, {m['os']}, Python {m['python']}.  ",
        "kpi environment: " + ", ".join(f"{k} {v}" for k, v in results["kpi_env"].items()) + ".  ",
    ]
    if peer_env:
        lines.append("peer environment: " + ", ".join(f"{k} {v}" for k, v in peer_env.items()) + ".  ")
    lines += [
        f"Input: {results['n']:,} themes, {results['input_bytes'] / 1e6:.0f} MB of CSV (UTF-8, Japanese headers); "
        f"median of {results['repeats']} runs each, interleaved; ratios are medians of side-by-side ratios.",
        "",
        "| # | measurement | median wall (s) | min–max (s) | CPU (s) | max RSS (MB) | ratio |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]

    def row(num: str, key: str, ratio: str = "") -> None:
        if key in s:
            x = s[key]
            lines.append(
                f"| {num} | {x.label} | {x.median():.3f} | {x.spread()} | {x.median('cpu'):.2f} | "
                f"{x.median('rss_mb'):.0f} | {ratio} |"
            )

    # Ratios are medians of the ratios of samples taken side by side (same repeat), so a load that drifts
    # during the run (a shared machine) moves both sides of each ratio together.
    load_floor = paired(s["load"], s["floor"])
    row("1", "load", f"{ratio_text(load_floor)} floor")
    row("2", "floor", "1.00×")
    peer_load = paired(s["peer"], s["load"]) if "peer" in s else float("nan")
    faster = f"{ratio_text(peer_load)} faster" if peer_load >= 1 else f"{ratio_text(1 / peer_load)} slower"
    row("3", "peer", f"kpi load {faster}")
    row("4", "report_json")
    sample_import = paired(s["report_sample"], s["import_duckdb"])
    row("5", "report_sample", f"{ratio_text(sample_import)} import duckdb")
    row("5", "import_duckdb", "1.00×")
    row("", "help", f"{ratio_text(paired(s['help'], s['import_duckdb']))} import duckdb")
    small, big = f"{results['small_n']:,}", f"{results['n']:,}"
    lin_load = paired(s["load"], s["load_small"])
    row(
        "7",
        "load_small",
        f"{ratio_text(paired(s['load_small'], s['floor_small']))} floor; {big} rows take {ratio_text(lin_load)}",
    )
    row("", "floor_small", "1.00×")
    lin_val = paired(s["validate"], s["validate_small"], "inner")
    for key, ratio in [("validate", f"{ratio_text(lin_val)} the {small}-row time"), ("validate_small", "")]:
        x = s[key]
        lines.append(f"| 7 | {x.label} (timed inside the process) | {x.median('inner'):.3f} | | | | {ratio} |")
    rss_ratio = s["load"].median("rss_mb") / s["floor"].median("rss_mb")
    report = s["report_json"].median()
    targets = [
        (f"load ≤ {LOAD_VS_FLOOR}× floor", ratio_text(load_floor), load_floor <= LOAD_VS_FLOOR),
    ]
    if "peer" in s:
        targets.append(
            (
                f"load ≥ {PEER_VS_LOAD:g}× faster than peer (peer ÷ load)",
                ratio_text(peer_load),
                peer_load >= PEER_VS_LOAD,
            )
        )
    targets += [
        (f"load peak RSS ≤ {RSS_VS_FLOOR:g}× floor's", ratio_text(rss_ratio), rss_ratio <= RSS_VS_FLOOR),
        (f"`kpi report` on {big} themes ≤ {REPORT_SECONDS:g} s", f"{report:.3f} s", report <= REPORT_SECONDS),
        (
            f"`kpi report` on sample ≤ {SAMPLE_REPORT_VS_IMPORT:g}× `import duckdb`",
            ratio_text(sample_import),
            sample_import <= SAMPLE_REPORT_VS_IMPORT,
        ),
        (f"linear: load {small} → {big} within {LINEAR_FACTOR:g}×", ratio_text(lin_load), lin_load <= LINEAR_FACTOR),
        (
            f"linear: validation {small} → {big} within {LINEAR_FACTOR:g}×",
            ratio_text(lin_val),
            lin_val <= LINEAR_FACTOR,
        ),
    ]
    lines += ["", "| target | measured | met |", "|---|---:|---|"]
    lines += [f"| {name} | {value} | {'met' if ok else '**not met**'} |" for name, value, ok in targets]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Command line of the benchmark (and of the subprocess modes _peer and _validate)."""
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["_peer"]:
        return peer_load(*argv[1:3])
    if argv[:1] == ["_validate"]:
        return kpi_validate(argv[1])
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="themes in the large file (default 1,000,000)")
    parser.add_argument("--repeats", type=int, default=5, help="runs of each measurement (default 5)")
    parser.add_argument("--startup-runs", type=int, default=3, help="runs of each short command per repeat")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--workdir", default=str(HERE / ".work"), help="generated data and scratch databases")
    parser.add_argument("--peer-venv", default=str(HERE / ".venv-peer"), help="the peer's virtual environment")
    parser.add_argument(
        "--python", help="interpreter with kpi installed (default: this one, else benchmarks/.venv-kpi)"
    )
    parser.add_argument("--skip-peer", action="store_true", help="leave out the pandas + pandera peer")
    parser.add_argument("--exclude", action="append", default=[], help="spelling the generator leaves out (repeatable)")
    parser.add_argument("--json", help="also write the raw results to this file")
    args = parser.parse_args(argv)
    if args.repeats < 1 or args.n < 10:
        parser.error("--repeats must be ≥ 1 and --n ≥ 10")
    try:
        results = benchmark(args)
    except BenchError as exc:
        print(f"benchmark failed: {exc}", file=sys.stderr)
        return 1
    if args.json:
        Path(args.json).write_text(json.dumps(results, ensure_ascii=False, indent=1))
    print(markdown(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
