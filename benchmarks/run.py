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
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SAMPLE = ROOT / "sample_data"

# Targets of issue 13, as ratios measured side by side in one run.
LOAD_VS_FLOOR = 1.3  # canonical file; aim 1.2
RSS_VS_FLOOR = 1.5
PEER_VS_LOAD = 2.0  # the plain pandas + pandera script on the canonical file
OFFICE_VS_FLOOR = 1.6
REPORT_SECONDS = 0.6  # kpi report --format json on N themes
SAMPLE_REPORT_VS_IMPORT = 1.8
LISTS_VS_ONE = 1.5  # kpi report on N themes in 12 monthly lists against one list
LINEAR_FACTOR = 11.0
MONTHS = 12
VERSIONED_VS_LISTS = 1.3  # kpi report on 12 monthly lists + 3 corrected versions of one, against the 12 alone
CORRECTION_VS_LANDED = 1.2  # a same-date correction kept as a new version, against the landed kpi's replacement
CORRECTIONS = 3
# Issue 34: a same-date correction (100 statuses changed) and an unchanged file, against the first load of the file.
CORRECTION_VS_LOAD = 1.5
CORRECTION_RSS_VS_LOAD = 1.2
UNCHANGED_VS_LOAD = 1.2
CHANGED = 100  # statuses the correction changes
BEFORE_CLI_REF = "caca157"  # the last commit before kpi/cli/ became a package (the "today")
LANDED_REF = "c1bd489"  # the last commit before versions (schema 4): a correction replaced the date's list

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


def landed_python(args: argparse.Namespace, ref: str | None = None, name: str = ".venv-landed") -> Path:
    """An interpreter with the landed kpi (--landed-ref, before versions; else `ref`) installed, from
    `git archive`, in benchmarks/.venv-landed (else `name`): the replacement a same-date correction made before is
    measured beside the new one, and the start-up before the command-line package beside today's."""
    ref = ref or args.landed_ref
    venv = HERE / name
    python = venv_python(venv)
    if not python.exists():
        print(f"creating {venv} for kpi at {ref} ...", file=sys.stderr)
        run_quiet([sys.executable, "-m", "venv", str(venv)])
    with tempfile.TemporaryDirectory() as tmp:
        archive = Path(tmp) / "landed.tar"
        run_quiet(["git", "-C", str(ROOT), "archive", "--format=tar", "-o", str(archive), ref])
        source = Path(tmp) / "src"
        source.mkdir()
        shutil.unpack_archive(archive, source)
        run_quiet([str(python), "-m", "pip", "install", "--quiet", "--force-reinstall", "--no-deps", str(source)])
        run_quiet([str(python), "-m", "pip", "install", "--quiet", str(source)])
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


def generated(n: int, seed: int, workdir: Path, python: Path, exclude: list[str], canonical: bool = False) -> Path:
    """A folder with N generated themes, follow-ups and budget (reused while generator and arguments match): as an
    office writes them, or in the contract's own spellings (`canonical`)."""
    generator = HERE / "generate.py"
    key = hashlib.sha256(generator.read_bytes() + repr((n, seed, sorted(exclude), canonical)).encode()).hexdigest()[:12]
    folder = workdir / f"data-{n}-{'canonical-' if canonical else ''}{key}"
    if (folder / "done").exists():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    print(f"generating {n:,} themes into {folder} ...", file=sys.stderr)
    extra = [a for x in exclude for a in ("--exclude", x)]
    run_quiet(
        [
            str(python),
            str(generator),
            str(n),
            str(folder),
            "--seed",
            str(seed),
            *extra,
            *(["--canonical"] if canonical else []),
        ]
    )
    (folder / "done").write_text("ok\n")
    return folder


# ---------------------------------------------------------------------------------------------------------------
# Run inside subprocesses (the peers' environment): `python run.py _peer CSV DB`, `python run.py _plain_peer CSV DB`.


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


def plain_peer_load(csv_path: str, db_path: str) -> int:
    """The plain script a user would write for a file in the contract's own spellings: pandas, a pandera schema
    (pandas backend) with the contract's rules, DuckDB."""
    import duckdb
    import pandas as pd
    import pandera.pandas as pa
    from pandera.errors import SchemaErrors

    types = {"item": "Int8", "start_fy": "Int16", "end_fy": "Int16"}
    df = pd.read_csv(csv_path, dtype={"theme_id": str, "funding": str, "element": str, "status": str, **types})
    year = pa.Check.in_range(2000, 2100)
    schema = pa.DataFrameSchema(
        {
            "theme_id": pa.Column(str, unique=True),
            "item": pa.Column("Int8", pa.Check.isin([1, 2, 3])),
            "funding": pa.Column(str, pa.Check.isin(["委託", "助成"])),
            "element": pa.Column(str, pa.Check.str_matches(r"^[a-z](?:\d+(?:-\d+)?)?$")),
            "organizations": pa.Column(str),
            "title": pa.Column(str),
            "start_fy": pa.Column("Int16", year, nullable=True),
            "end_fy": pa.Column("Int16", year),
            "status": pa.Column(str, pa.Check.isin(["achieved", "not_achieved", "delayed", "on_track"])),
        },
        checks=pa.Check(lambda d: d["start_fy"].isna() | (d["start_fy"] <= d["end_fy"])),
        strict=True,
    )
    try:
        schema.validate(df, lazy=True)
    except SchemaErrors as exc:
        print(f"{len(exc.failure_cases)} failure(s)\n{exc.failure_cases.head(20)}", file=sys.stderr)
        return 3
    con = duckdb.connect(db_path)
    con.execute("CREATE TABLE themes AS SELECT * FROM df")
    con.close()
    return 0


def floor_peer_same(python: Path, kpi_db: Path, peer_db: Path) -> None:
    """The plain peer stores exactly the rows kpi stores (EXCEPT both ways)."""
    code = (
        "import sys, duckdb\ncon = duckdb.connect()\ncon.execute('SET enable_progress_bar = false')\n"
        "con.execute(f\"ATTACH '{sys.argv[1]}' AS k (READ_ONLY)\"); con.execute(f\"ATTACH '{sys.argv[2]}' AS p (READ_ONLY)\")\n"
        "cols = 'theme_id, item, funding, element, organizations, title, start_fy, end_fy, status'\n"
        "a = f'SELECT {cols} FROM k.theme_rows'; b = f'SELECT {cols} FROM p.themes'\n"
        "print(con.execute(f'SELECT (SELECT count(*) FROM ({a} EXCEPT ALL {b})) + (SELECT count(*) FROM ({b} EXCEPT ALL {a}))').fetchall()[0][0])\n"
    )
    differ = int(run_quiet([str(python), "-c", code, str(kpi_db), str(peer_db)]).strip())
    if differ:
        raise BenchError(f"the plain peer and kpi stored different rows ({differ})")


def month_ends(n: int) -> list[str]:
    """The last days of n months, April 2025 on (12: the fiscal year 2025, ending 2026-03-31)."""
    import calendar

    days = []
    for i in range(n):
        year, month = 2025 + (3 + i) // 12, (3 + i) % 12 + 1
        days.append(f"{year}-{month:02d}-{calendar.monthrange(year, month)[1]:02d}")
    return days


MONTH_CODE = """import sys, duckdb
m = int(sys.argv[3])
duckdb.sql(f\"\"\"COPY (SELECT theme_id, item, funding, element, organizations, title, start_fy, end_fy,
  CASE WHEN status = 'on_track' AND hash(theme_id) % 24 < {m} THEN 'achieved'
       WHEN status = 'delayed' AND hash(theme_id) % 24 < {m} THEN 'on_track' ELSE status END AS status
  FROM read_csv('{sys.argv[1]}', all_varchar = true)) TO '{sys.argv[2]}' (HEADER)\"\"\")
"""


# The same themes with CHANGED statuses moved on (on_track → achieved, chosen by a hash of theme_id), in file order.
CHANGED_CODE = """import sys, duckdb
duckdb.sql(\"\"\"COPY (SELECT theme_id, item, funding, element, organizations, title, start_fy, end_fy,
  CASE WHEN theme_id IN (SELECT theme_id FROM read_csv($src, all_varchar = true) WHERE status = 'on_track'
                         ORDER BY hash(theme_id), theme_id LIMIT $n) THEN 'achieved' ELSE status END AS status
  FROM read_csv($src, all_varchar = true)) TO '\"\"\" + sys.argv[2].replace("'", "''") + "' (HEADER)",
  params={"src": sys.argv[1], "n": int(sys.argv[3])})
"""

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
    kpi_versions = versions(python, ["kpi", "polars", "pandera", "duckdb", "typer", "tabulate", "rich"])
    small_n = max(args.n // 10, 1)
    office = generated(args.n, args.seed, workdir, python, args.exclude)
    canonical = generated(args.n, args.seed, workdir, python, args.exclude, canonical=True)
    small = generated(small_n, args.seed, workdir, python, args.exclude, canonical=True)
    csv, office_csv, small_csv = canonical / "themes.csv", office / "themes.csv", small / "themes.csv"
    peer = None if args.skip_peer else peer_python(args, kpi_versions["duckdb"])
    peer_versions = versions(peer, ["pandas", "pandera", "pyarrow", "numpy", "duckdb"]) if peer else {}
    dbs = workdir / "db"
    shutil.rmtree(dbs, ignore_errors=True)
    dbs.mkdir()
    env = dict(os.environ, KPI_WAIT="0")
    env.pop("KPI_DB", None)

    # The databases the report measurements read: the N office-format themes with follow-ups, budget and the
    # programme's settings; the N canonical themes as one list, and as 12 monthly lists (statuses moving on).
    print(f"loading {args.n:,} themes, follow-ups and budget for the report ...", file=sys.stderr)
    full_db, sample_db = dbs / "full.duckdb", dbs / "sample.duckdb"
    one_db, lists_db = dbs / "one_list.duckdb", dbs / "lists.duckdb"
    run_measured([*kpi, "load", str(office), str(SAMPLE / "programme.toml"), "--db", str(full_db), "-q"], env=env)
    run_measured([*kpi, "load", str(SAMPLE), "--db", str(sample_db), "-q"], env=env)
    days = month_ends(MONTHS)
    one = [*kpi, "load", str(csv), str(SAMPLE / "programme.toml"), "--snapshot", days[-1], "-q"]
    run_measured([*one, "--db", str(one_db)], env=env)
    print(f"loading {MONTHS} monthly lists of {args.n:,} themes ...", file=sys.stderr)
    run_measured([*kpi, "load", str(SAMPLE / "programme.toml"), "--db", str(lists_db), "-q"], env=env)
    for m, day in enumerate(days):
        month = workdir / "month.csv"
        run_quiet([str(python), "-c", MONTH_CODE, str(csv), str(month), str(m)])
        run_measured(
            [*kpi, "load", str(month), "--kind", "themes", "--snapshot", day, "--db", str(lists_db), "-q"], env=env
        )
        month.unlink()

    def fresh(name: str) -> Path:
        path = dbs / name
        for leftover in (path, path.with_name(path.name + ".wal")):
            leftover.unlink(missing_ok=True)
        return path

    # Versions: the 12 monthly lists with 3 corrected versions of the last month; and one list of N themes, by this
    # kpi and by the landed one, that each repeat copies and corrects once (the same corrected file).
    print(f"loading {CORRECTIONS} corrected versions of the list of {days[-1]} ...", file=sys.stderr)
    versioned_db = dbs / "versioned.duckdb"
    shutil.copy2(lists_db, versioned_db)
    corrected = [workdir / f"corrected_{c}.csv" for c in range(CORRECTIONS)]
    for c, path in enumerate(corrected):
        run_quiet([str(python), "-c", MONTH_CODE, str(csv), str(path), str(MONTHS + 2 * c + 1)])
        run_measured(
            [*kpi, "load", str(path), "--kind", "themes", "--snapshot", days[-1], "--db", str(versioned_db), "-q"],
            env=env,
        )
    landed = landed_python(args)
    landed_kpi = [str(landed.parent / "kpi")]
    kpi_versions["landed kpi"] = args.landed_ref
    base_new, base_landed = dbs / "base_new.duckdb", dbs / "base_landed.duckdb"
    for command, base in ((kpi, base_new), (landed_kpi, base_landed)):
        run_measured([*command, "load", str(csv), "--snapshot", days[-1], "--db", str(base), "-q"], env=env)

    def correct(command: list[str], base: Path, db: str) -> list[str]:
        target = fresh(db)
        shutil.copy2(base, target)
        with open(target, "rb") as f:  # read once, as the base was: the copy's pages are cached for both
            while f.read(1 << 24):
                pass
        return [
            *command,
            "load",
            str(corrected[0]),
            "--kind",
            "themes",
            "--snapshot",
            days[-1],
            "--db",
            str(target),
            "-q",
        ]

    def kpi_load(source: Path, db: str) -> list[str]:
        return [*kpi, "load", str(source), "--kind", "themes", "--db", str(fresh(db)), "-q"]

    def floor(source: Path, db: str) -> list[str]:
        return [str(python), "-c", FLOOR_CODE, str(fresh(db)), str(source)]

    me = str(Path(__file__).resolve())
    report = [*kpi, "report", "--as-of", "2025", "--format", "json", "--db"]
    plan: dict[str, tuple[str, Callable[[], list[str]]]] = {
        "load": (
            f"`kpi load` {args.n:,} canonical themes, full validation, new file",
            lambda: kpi_load(csv, "load.duckdb"),
        ),
        "floor": (
            "floor: DuckDB `CREATE TABLE AS SELECT * FROM read_csv`, the same file",
            lambda: floor(csv, "floor.duckdb"),
        ),
        "load_office": (
            f"`kpi load` {args.n:,} themes as an office writes them",
            lambda: kpi_load(office_csv, "load_office.duckdb"),
        ),
        "floor_office": ("floor: DuckDB alone, the same office file", lambda: floor(office_csv, "floor_office.duckdb")),
        "load_small": (f"`kpi load` {small_n:,} canonical themes", lambda: kpi_load(small_csv, "load_small.duckdb")),
        "floor_small": (f"floor {small_n:,} canonical themes", lambda: floor(small_csv, "floor_small.duckdb")),
        "report_json": (f"`kpi report --format json` on {args.n:,} themes", lambda: [*report, str(full_db)]),
        "report_one": (f"`kpi report --format json`, {args.n:,} themes in one list", lambda: [*report, str(one_db)]),
        "report_lists": (
            f"`kpi report --format json`, {args.n:,} themes in {MONTHS} monthly lists",
            lambda: [*report, str(lists_db)],
        ),
        "report_versioned": (
            f"`kpi report --format json`, {MONTHS} monthly lists + {CORRECTIONS} corrected versions of one",
            lambda: [*report, str(versioned_db)],
        ),
        "correct": (
            f"`kpi load` a same-date correction of {args.n:,} themes (kept as a new version)",
            lambda: correct(kpi, base_new, "correct.duckdb"),
        ),
        "correct_landed": (
            f"the same correction by the landed kpi ({args.landed_ref}: replaces the list)",
            lambda: correct(landed_kpi, base_landed, "correct_landed.duckdb"),
        ),
        "report_sample": ("`kpi report` on the sample data", lambda: [*kpi, "report", "--db", str(sample_db)]),
        "import_duckdb": ('`python -c "import duckdb"`', lambda: [str(python), "-c", "import duckdb"]),
        "help": ("`kpi --help`", lambda: [*kpi, "--help"]),
    }
    if peer:
        plan["plain_peer"] = (
            "plain peer: pandas + pandera (pandas) + DuckDB, the canonical file",
            lambda: [str(peer), me, "_plain_peer", str(csv), str(fresh("plain_peer.duckdb"))],
        )
        if not args.skip_full_peer:
            plan["peer"] = (
                "peer re-implementing every spelling in pandas + pandera, the office file",
                lambda: [str(peer), me, "_peer", str(office_csv), str(fresh("peer.duckdb"))],
            )
        order = ["load", "floor", "plain_peer", "load_office", "floor_office", "peer"]
        plan = {k: plan[k] for k in [k for k in order if k in plan] + [k for k in plan if k not in order]}
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
    for path in corrected:
        path.unlink(missing_ok=True)
    for db in ["load.duckdb", "floor.duckdb", "plain_peer.duckdb", "load_office.duckdb", "peer.duckdb"]:
        if (dbs / db).exists() and (rows := count_rows(python, dbs / db)) != args.n:
            raise BenchError(f"{db} holds {rows} themes, expected {args.n}")
    if (dbs / "plain_peer.duckdb").exists():
        floor_peer_same(python, dbs / "load.duckdb", dbs / "plain_peer.duckdb")
    shutil.rmtree(dbs, ignore_errors=True)
    return {
        "n": args.n,
        "small_n": small_n,
        "repeats": args.repeats,
        "machine": machine(),
        "kpi_env": kpi_versions,
        "peer_env": peer_versions,
        "input_bytes": csv.stat().st_size,
        "office_bytes": office_csv.stat().st_size,
        "series": {k: asdict(v) for k, v in series.items()},
    }


def count_rows(python: Path, db: Path) -> int:
    """Themes stored in a database file (kpi's theme_rows, the others' themes)."""
    code = (
        "import sys, duckdb\ncon = duckdb.connect(sys.argv[1], read_only=True)\n"
        "con.execute('SET enable_progress_bar = false')\n"
        "t = 'theme_rows' if con.execute(\"SELECT count(*) FROM duckdb_tables() WHERE table_name = 'theme_rows'\").fetchall()[0][0] else 'themes'\n"
        "print(con.execute(f'SELECT count(*) FROM {t}').fetchall()[0][0])\n"
    )
    return int(run_quiet([str(python), "-c", code, str(db)]).strip())


def series_of(results: dict) -> dict[str, Series]:
    """The measured series of a results file, as Series."""
    return {k: Series(v["label"], [Sample(**x) for x in v["samples"]]) for k, v in results["series"].items()}


def machine_lines(results: dict) -> list[str]:
    """The markdown lines naming the machine and the kpi environment a results file was measured on."""
    m = results["machine"]
    return [
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory']} RAM, {m['os']}, Python {m['python']}.  ",
        "kpi environment: " + ", ".join(f"{k} {v}" for k, v in results["kpi_env"].items()) + ".  ",
    ]


def markdown(results: dict) -> str:
    """The results as markdown: machine, measurements with ratios, and each target met or not."""
    s = series_of(results)
    peer_env = results["peer_env"]
    lines = machine_lines(results)
    if peer_env:
        lines.append("peer environment: " + ", ".join(f"{k} {v}" for k, v in peer_env.items()) + ".  ")
    lines += [
        f"Input: {results['n']:,} themes; canonical file {results['input_bytes'] / 1e6:.0f} MB (English headers, the "
        f"contract's own spellings), office file {results.get('office_bytes', 0) / 1e6:.0f} MB (Japanese headers, 和暦, "
        f"combined cells, padded cells); median of {results['repeats']} runs each, interleaved; ratios are medians of "
        "side-by-side ratios.",
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

    nan = float("nan")
    load_floor = paired(s["load"], s["floor"])
    rss_ratio = paired(s["load"], s["floor"], "rss_mb")
    row("1", "load", f"{ratio_text(load_floor)} floor; RSS {ratio_text(rss_ratio)}")
    row("1", "floor", "1.00×")
    plain = paired(s["plain_peer"], s["load"]) if "plain_peer" in s else nan
    row("2", "plain_peer", f"kpi load {ratio_text(plain)} faster")
    office = paired(s["load_office"], s["floor_office"])
    row("3", "load_office", f"{ratio_text(office)} DuckDB alone")
    row("3", "floor_office", "1.00×")
    full_peer = paired(s["peer"], s["load_office"]) if "peer" in s else nan
    row("3", "peer", f"kpi load {ratio_text(full_peer)} faster")
    report = s["report_json"].median()
    row("4", "report_json")
    lists = paired(s["report_lists"], s["report_one"])
    row("5", "report_one", "1.00×")
    row("5", "report_lists", f"{ratio_text(lists)} one list")
    versioned = paired(s["report_versioned"], s["report_lists"]) if "report_versioned" in s else nan
    row("8", "report_versioned", f"{ratio_text(versioned)} the {MONTHS} lists alone")
    correction = paired(s["correct"], s["correct_landed"]) if "correct" in s else nan
    row("9", "correct", f"{ratio_text(correction)} the landed replacement")
    row("9", "correct_landed", "1.00×")
    sample_import = paired(s["report_sample"], s["import_duckdb"])
    row("6", "report_sample", f"{ratio_text(sample_import)} import duckdb")
    row("6", "import_duckdb", "1.00×")
    row("", "help", f"{ratio_text(paired(s['help'], s['import_duckdb']))} import duckdb")
    small, big = f"{results['small_n']:,}", f"{results['n']:,}"
    lin_load = paired(s["load"], s["load_small"])
    lin_rss = paired(s["load"], s["load_small"], "rss_mb")
    row(
        "7",
        "load_small",
        f"{ratio_text(paired(s['load_small'], s['floor_small']))} floor; {big} rows take {ratio_text(lin_load)} "
        f"the time, {ratio_text(lin_rss)} the memory",
    )
    row("7", "floor_small", "1.00×")
    targets = [
        (f"canonical load ≤ {LOAD_VS_FLOOR}× floor (aim 1.2×)", ratio_text(load_floor), load_floor <= LOAD_VS_FLOOR),
        (f"canonical load peak RSS ≤ {RSS_VS_FLOOR:g}× floor's", ratio_text(rss_ratio), rss_ratio <= RSS_VS_FLOOR),
    ]
    if "plain_peer" in s:
        targets.append(
            (
                f"load ≥ {PEER_VS_LOAD:g}× faster than the plain peer (peer ÷ load)",
                ratio_text(plain),
                plain >= PEER_VS_LOAD,
            )
        )
    targets += [
        (f"office-format load ≤ {OFFICE_VS_FLOOR}× DuckDB alone", ratio_text(office), office <= OFFICE_VS_FLOOR),
        (
            f"`kpi report` on sample ≤ {SAMPLE_REPORT_VS_IMPORT:g}× `import duckdb`",
            ratio_text(sample_import),
            sample_import <= SAMPLE_REPORT_VS_IMPORT,
        ),
        (
            f"`kpi report --format json` on {big} themes ≤ {REPORT_SECONDS:g} s",
            f"{report:.3f} s",
            report <= REPORT_SECONDS,
        ),
        (f"`kpi report`, {MONTHS} lists ≤ {LISTS_VS_ONE:g}× one list", ratio_text(lists), lists <= LISTS_VS_ONE),
        (
            f"`kpi report`, {MONTHS} lists + {CORRECTIONS} versions ≤ {VERSIONED_VS_LISTS:g}× the {MONTHS} lists",
            ratio_text(versioned),
            versioned <= VERSIONED_VS_LISTS,
        ),
        (
            f"same-date correction of {big} themes ≤ {CORRECTION_VS_LANDED:g}× the landed replacement",
            ratio_text(correction),
            correction <= CORRECTION_VS_LANDED,
        ),
        (
            f"linear: load {small} → {big} within {LINEAR_FACTOR:g}× (time)",
            ratio_text(lin_load),
            lin_load <= LINEAR_FACTOR,
        ),
        (
            f"linear: load {small} → {big} within {LINEAR_FACTOR:g}× (memory)",
            ratio_text(lin_rss),
            lin_rss <= LINEAR_FACTOR,
        ),
    ]
    lines += ["", "| target | measured | met |", "|---|---:|---|"]
    lines += [f"| {name} | {value} | {'met' if ok else '**not met**'} |" for name, value, ok in targets]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------------------------------
# A correction at the speed of a load (issue 34): a same-date correction and an unchanged file against the first
# load of the same file, and that load against DuckDB's own ingest; with --correction-before, the same commands by
# an earlier kpi side by side.

LAST_LOAD_CODE = """import sys, duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
print(con.execute("SELECT count(*), max(load_id), max_by(inserted, load_id), max_by(updated, load_id) FROM loads").fetchall()[0])
"""


def correction_benchmark(args: argparse.Namespace) -> dict:
    """The first load of N canonical themes, DuckDB's ingest of the file, a same-date correction of it (CHANGED
    statuses) with and without the backup a load keeps first, and the same file loaded again (unchanged)."""
    workdir = Path(args.workdir).resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    python = kpi_python(args)
    kpis = {"": [str(python.parent / "kpi")]}
    kpi_versions = versions(python, ["kpi", "polars", "pandera", "duckdb"])
    if args.correction_before:
        before = landed_python(args, args.correction_before, ".venv-before-correction")
        kpis["_before"] = [str(before.parent / "kpi")]
        kpi_versions["kpi before"] = args.correction_before
    csv = generated(args.n, args.seed, workdir, python, args.exclude, canonical=True) / "themes.csv"
    changed = workdir / f"changed_{CHANGED}.csv"
    run_quiet([str(python), "-c", CHANGED_CODE, str(csv), str(changed), str(CHANGED)])
    dbs = workdir / "db-correction"
    shutil.rmtree(dbs, ignore_errors=True)
    dbs.mkdir()
    env = dict(os.environ, KPI_WAIT="0")
    env.pop("KPI_DB", None)
    day = month_ends(MONTHS)[-1]
    no_backups = workdir / "programme_no_backups.toml"
    no_backups.write_text((SAMPLE / "programme.toml").read_text(encoding="utf-8") + "\nbackups = 0\n", encoding="utf-8")

    def fresh(name: str) -> Path:
        path = dbs / name
        for leftover in (path, path.with_name(path.name + ".wal")):
            leftover.unlink(missing_ok=True)
        shutil.rmtree(path.with_name(path.name + ".backups"), ignore_errors=True)
        return path

    def themes(kpi: list[str], source: Path, db: Path) -> list[str]:
        return [*kpi, "load", str(source), "--kind", "themes", "--snapshot", day, "--db", str(db), "-q"]

    bases = {}
    print(f"loading the {args.n:,} themes each correction starts from ...", file=sys.stderr)
    for tag, kpi in kpis.items():
        bases[tag] = dbs / f"base{tag}.duckdb"
        run_measured(themes(kpi, csv, bases[tag]), env=env)
        bases["nb" + tag] = dbs / f"base_no_backups{tag}.duckdb"
        run_measured([*kpi, "load", str(no_backups), "--db", str(bases["nb" + tag]), "-q"], env=env)
        run_measured(themes(kpi, csv, bases["nb" + tag]), env=env)

    def copied(base: Path, name: str) -> Path:
        target = fresh(name)
        shutil.copy2(base, target)
        with open(target, "rb") as f:  # read once, as the base was: the copy's pages are cached for all alike
            while f.read(1 << 24):
                pass
        return target

    plan: dict[str, tuple[str, Callable[[], list[str]]]] = {}
    for tag, kpi in kpis.items():
        who = f" ({args.correction_before})" if tag else ""
        plan["load" + tag] = (
            f"first `kpi load` of {args.n:,} canonical themes, new file{who}",
            lambda kpi=kpi, tag=tag: themes(kpi, csv, fresh(f"load{tag}.duckdb")),
        )
        plan["correct" + tag] = (
            f"same-date correction, {CHANGED} statuses changed{who}",
            lambda kpi=kpi, tag=tag: themes(kpi, changed, copied(bases[tag], f"correct{tag}.duckdb")),
        )
        plan["unchanged" + tag] = (
            f"the same file again, unchanged{who}",
            lambda kpi=kpi, tag=tag: themes(kpi, csv, copied(bases[tag], f"unchanged{tag}.duckdb")),
        )
        plan["correct_nb" + tag] = (
            f"the correction with `backups = 0` (no copy kept first){who}",
            lambda kpi=kpi, tag=tag: themes(kpi, changed, copied(bases["nb" + tag], f"correct_nb{tag}.duckdb")),
        )
        plan["unchanged_nb" + tag] = (
            f"the unchanged file with `backups = 0`{who}",
            lambda kpi=kpi, tag=tag: themes(kpi, csv, copied(bases["nb" + tag], f"unchanged_nb{tag}.duckdb")),
        )
    plan["floor"] = (
        "floor: DuckDB `CREATE TABLE AS SELECT * FROM read_csv`, the same file",
        lambda: [str(python), "-c", FLOOR_CODE, str(fresh("floor.duckdb")), str(csv)],
    )
    series = {key: Series(label) for key, (label, _) in plan.items()}
    run_measured(plan["load"][1](), env=env)  # warm the page cache and the bytecode caches; not counted
    for r in range(args.repeats):
        for key, (label, make) in plan.items():
            sample = run_measured(make(), env=env)
            series[key].samples.append(sample)
            print(f"  [{r + 1}/{args.repeats}] {label}: {sample.wall:.3f} s, {sample.rss_mb:.0f} MB", file=sys.stderr)
    # What each command did: the correction one load of 0 new and CHANGED changed themes, the unchanged file none.
    for tag, nb in [(tag, nb) for tag in kpis for nb in ("", "_nb")]:
        base = run_quiet([str(python), "-c", LAST_LOAD_CODE, str(bases[nb.strip("_") + tag])]).strip()
        count, last = (int(n) for n in base.strip("()").split(", ")[:2])
        for name, expected in (
            (f"correct{nb}{tag}", f"({count + 1}, {last + 1}, 0, {CHANGED})"),
            (f"unchanged{nb}{tag}", base),
        ):
            got = run_quiet([str(python), "-c", LAST_LOAD_CODE, str(dbs / f"{name}.duckdb")]).strip()
            if got != expected:
                raise BenchError(f"{name}: loads {got}, expected {expected}")
    changed.unlink(missing_ok=True)
    shutil.rmtree(dbs, ignore_errors=True)
    return {
        "n": args.n,
        "repeats": args.repeats,
        "machine": machine(),
        "kpi_env": kpi_versions,
        "input_bytes": csv.stat().st_size,
        "before": args.correction_before,
        "series": {k: asdict(v) for k, v in series.items()},
    }


def correction_markdown(results: dict) -> str:
    """The correction measurements and their targets as markdown."""
    s = series_of(results)
    lines = [
        *machine_lines(results),
        f"Input: {results['n']:,} canonical themes ({results['input_bytes'] / 1e6:.0f} MB); median of "
        f"{results['repeats']} runs each, interleaved; ratios are medians of side-by-side ratios.",
        "",
        "| measurement | median wall (s) | min–max (s) | CPU (s) | max RSS (MB) | ratio |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    targets = []
    for tag in ["", "_before"]:
        if "load" + tag not in s:
            continue
        load = s["load" + tag]
        ratios = {
            key: (paired(s[key + tag], load), paired(s[key + tag], load, "rss_mb"))
            for key in ("correct", "unchanged", "correct_nb", "unchanged_nb")
        }
        for key in ("load", "correct", "unchanged", "correct_nb", "unchanged_nb"):
            x = s[key + tag]
            ratio = (
                "1.00×"
                if key == "load"
                else (f"{ratio_text(ratios[key][0])} the load; RSS {ratio_text(ratios[key][1])}")
            )
            if tag and key != "load":  # this kpi's time for the same command, side by side
                ratio += f"; now {ratio_text(paired(s[key], x))} of this"
            lines.append(
                f"| {x.label} | {x.median():.3f} | {x.spread()} | {x.median('cpu'):.2f} | {x.median('rss_mb'):.0f} | "
                f"{ratio} |"
            )
        if tag:
            continue
        floor = paired(load, s["floor"])
        targets = [
            (f"correction ≤ {CORRECTION_VS_LOAD:g}× the first load (time)", ratios["correct"][0], CORRECTION_VS_LOAD),
            (
                f"correction ≤ {CORRECTION_RSS_VS_LOAD:g}× the first load (peak RSS)",
                ratios["correct"][1],
                CORRECTION_RSS_VS_LOAD,
            ),
            (
                f"unchanged file ≤ {UNCHANGED_VS_LOAD:g}× the first load (time)",
                ratios["unchanged"][0],
                UNCHANGED_VS_LOAD,
            ),
            (f"load ≤ {LOAD_VS_FLOOR:g}× DuckDB's own ingest", floor, LOAD_VS_FLOOR),
        ]
    x = s["floor"]
    lines.append(
        f"| {x.label} | {x.median():.3f} | {x.spread()} | {x.median('cpu'):.2f} | {x.median('rss_mb'):.0f} | "
        f"load {ratio_text(paired(s['load'], x))} this |"
    )
    lines += ["", "| target | measured | met |", "|---|---:|---|"]
    lines += [f"| {name} | {ratio_text(v)} | {'met' if v <= t else '**not met**'} |" for name, v, t in targets]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------------------------------
# The portfolio at scale (issue 23): 50 programme files of 150 themes and 5 of N, read side by side.

PORTFOLIO_SMALL, PORTFOLIO_LARGE, PORTFOLIO_SMALL_THEMES = 50, 5, 150
PORTFOLIO_VS_OWN = 2.0  # kpi portfolio --format json against every file's own report, run in one process
PORTFOLIO_RSS_VS_LARGEST = 1.5  # its peak memory against the largest file's own report

OWN_REPORTS_CODE = """import sys
from pathlib import Path
from kpi.db.store import Store
from kpi.figures.report import report
from kpi.present.json_out import dumps, report_json
for path in sorted(Path(sys.argv[2]).glob("*.duckdb")):
    with Store(path, 0).reading() as con:
        sys.stdout.write(dumps(report_json(report(con, int(sys.argv[1])))))
"""


def portfolio_settings(project_id: int) -> str:
    """The sample's settings under another name and 予算事業ID."""
    lines = []
    for line in (SAMPLE / "programme.toml").read_text(encoding="utf-8").splitlines():
        if line.startswith("name"):
            line = f'name = "programme {project_id}"'
        elif line.startswith("project_id"):
            line = f"project_id = {project_id}"
        lines.append(line)
    return "\n".join(lines) + "\n"


def portfolio_benchmark(args: argparse.Namespace) -> dict:
    """Build the programme files, then time `kpi portfolio` beside the files' own reports in one process."""
    workdir = Path(args.workdir).resolve()
    python = kpi_python(args)
    kpi = [str(python.parent / "kpi")]
    csv = generated(args.n, args.seed, workdir, python, args.exclude, canonical=True) / "themes.csv"
    folder = workdir / "portfolio"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    env = dict(os.environ, KPI_WAIT="0")
    env.pop("KPI_DB", None)
    head = "".join(csv.open(encoding="utf-8").readlines()[: PORTFOLIO_SMALL_THEMES + 1])
    print(
        f"building {PORTFOLIO_SMALL} files of {PORTFOLIO_SMALL_THEMES} themes, {PORTFOLIO_LARGE} of {args.n:,} ...",
        file=sys.stderr,
    )
    for i in range(PORTFOLIO_SMALL + PORTFOLIO_LARGE):
        source = workdir / "programme_source"
        shutil.rmtree(source, ignore_errors=True)
        source.mkdir()
        (source / "programme.toml").write_text(portfolio_settings(10_000 + i), encoding="utf-8")
        themes = source / "themes_2026-03-31.csv"
        if i < PORTFOLIO_SMALL:
            themes.write_text(head, encoding="utf-8")
        else:
            shutil.copy2(csv, themes)
        shutil.copy2(SAMPLE / "budget.csv", source / "budget.csv")
        run_measured([*kpi, "load", str(source), "--db", str(folder / f"p{i:03d}.duckdb"), "-q"], env=env)
    shutil.rmtree(workdir / "programme_source", ignore_errors=True)
    largest = folder / f"p{PORTFOLIO_SMALL + PORTFOLIO_LARGE - 1:03d}.duckdb"
    plan = {
        "portfolio": (
            f"`kpi portfolio --format json`, {PORTFOLIO_SMALL} × {PORTFOLIO_SMALL_THEMES} + {PORTFOLIO_LARGE} × {args.n:,} themes",
            [*kpi, "portfolio", str(folder), "--as-of", "2025", "--format", "json"],
        ),
        "own_reports": (
            "every file's own `kpi report --format json`, one after another in one process",
            [str(python), "-c", OWN_REPORTS_CODE, "2025", str(folder)],
        ),
        "largest_report": (
            f"`kpi report --format json` on one file of {args.n:,} themes",
            [*kpi, "report", "--as-of", "2025", "--format", "json", "--db", str(largest)],
        ),
    }
    series = {key: Series(label) for key, (label, _) in plan.items()}
    for _, cmd in plan.values():  # warm the page cache; not counted
        run_measured(cmd, env=env)
    for r in range(args.repeats):
        for key, (label, cmd) in plan.items():
            sample = run_measured(cmd, env=env)
            series[key].samples.append(sample)
            print(f"  [{r + 1}/{args.repeats}] {label}: {sample.wall:.3f} s, {sample.rss_mb:.0f} MB", file=sys.stderr)
    shutil.rmtree(folder, ignore_errors=True)
    return {
        "n": args.n,
        "repeats": args.repeats,
        "machine": machine(),
        "kpi_env": versions(python, ["kpi", "duckdb", "polars", "pandera"]),
        "series": {k: asdict(v) for k, v in series.items()},
    }


def portfolio_markdown(results: dict) -> str:
    """The portfolio measurements and their two targets as markdown."""
    s = series_of(results)
    time_ratio = paired(s["portfolio"], s["own_reports"])
    rss_ratio = paired(s["portfolio"], s["largest_report"], "rss_mb")
    lines = [
        *machine_lines(results),
        f"Median of {results['repeats']} runs each, interleaved; ratios are medians of side-by-side ratios.",
        "",
        "| measurement | median wall (s) | min–max (s) | max RSS (MB) | ratio |",
        "|---|---:|---:|---:|---:|",
    ]
    for key, note in (
        ("portfolio", f"{ratio_text(time_ratio)} the own reports; RSS {ratio_text(rss_ratio)} the largest file's"),
        ("own_reports", "1.00×"),
        ("largest_report", ""),
    ):
        x = s[key]
        lines.append(f"| {x.label} | {x.median():.3f} | {x.spread()} | {x.median('rss_mb'):.0f} | {note} |")
    lines += [
        "",
        "| target | measured | met |",
        "|---|---:|---|",
        f"| portfolio ≤ {PORTFOLIO_VS_OWN:g}× the files' own reports in one process | {ratio_text(time_ratio)} | "
        f"{'met' if time_ratio <= PORTFOLIO_VS_OWN else '**not met**'} |",
        f"| portfolio peak RSS ≤ {PORTFOLIO_RSS_VS_LARGEST:g}× the largest file's own report | {ratio_text(rss_ratio)} | "
        f"{'met' if rss_ratio <= PORTFOLIO_RSS_VS_LARGEST else '**not met**'} |",
    ]
    return "\n".join(lines) + "\n"


def startup_benchmark(args: argparse.Namespace) -> dict:
    """`kpi report` on the sample and `kpi --help`, this checkout's and the kpi before the command-line package
    (--before-ref), beside `python -c "import duckdb"`: every command once per round, in turn."""
    workdir = Path(args.workdir).resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    python, before = kpi_python(args), landed_python(args, args.before_ref, ".venv-before")
    env = dict(os.environ, KPI_WAIT="0")
    env.pop("KPI_DB", None)
    commands: dict[str, tuple[str, list[str]]] = {"import_duckdb": ('`python -c "import duckdb"`', [])}
    for tag, interpreter in (("", python), ("_before", before)):
        kpi = [str(interpreter.parent / "kpi")]
        db = workdir / f"sample{tag}.duckdb"
        db.unlink(missing_ok=True)
        run_measured([*kpi, "load", str(SAMPLE), "--db", str(db), "-q"], env=env)
        who = "" if not tag else f" ({args.before_ref}, before the command-line package)"
        commands["report" + tag] = (f"`kpi report` on the sample data{who}", [*kpi, "report", "--db", str(db)])
        commands["help" + tag] = (f"`kpi --help`{who}", [*kpi, "--help"])
    commands["import_duckdb"] = (commands["import_duckdb"][0], [str(python), "-c", "import duckdb"])
    series = {key: Series(label) for key, (label, _) in commands.items()}
    for _, cmd in commands.values():  # warm the page cache and the bytecode caches; not counted
        run_measured(cmd, env=env)
    rounds = args.repeats * args.startup_runs
    for r in range(rounds):
        for key, (_, cmd) in commands.items():
            series[key].samples.append(run_measured(cmd, env=env))
        print(f"  [{r + 1}/{rounds}] start-up round", file=sys.stderr)
    return {
        "rounds": rounds,
        "machine": machine(),
        "kpi_env": versions(python, ["kpi", "duckdb", "typer", "tabulate"]),
        "series": {k: asdict(v) for k, v in series.items()},
    }


def startup_markdown(results: dict) -> str:
    """The start-up measurements as markdown: each command's median and its ratio to import duckdb, side by side."""
    s = series_of(results)
    lines = [
        *machine_lines(results),
        f"{results['rounds']} rounds, each command once per round in turn; ratios are medians of the rounds' ratios.",
        "",
        "| measurement | median wall (s) | min–max (s) | max RSS (MB) | ratio to import duckdb |",
        "|---|---:|---:|---:|---:|",
    ]
    for key in ["report", "report_before", "help", "help_before", "import_duckdb"]:
        x = s[key]
        lines.append(
            f"| {x.label} | {x.median():.3f} | {x.spread()} | {x.median('rss_mb'):.0f} | "
            f"{ratio_text(paired(x, s['import_duckdb']))} |"
        )
    report = paired(s["report"], s["import_duckdb"])
    help_now = paired(s["help"], s["help_before"])
    lines += [
        "",
        "| target | measured | met |",
        "|---|---:|---|",
        f"| `kpi report` on sample ≤ {SAMPLE_REPORT_VS_IMPORT}× `import duckdb` | {ratio_text(report)} | "
        f"{'met' if report <= SAMPLE_REPORT_VS_IMPORT else '**not met**'} |",
        f"| `kpi --help` no slower than before the command-line package | {ratio_text(help_now)} | "
        f"{'met' if help_now <= 1.0 else '**not met**'} |",
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Command line of the benchmark (and of the subprocess modes _peer and _plain_peer)."""
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["_peer"]:
        return peer_load(*argv[1:3])
    if argv[:1] == ["_plain_peer"]:
        return plain_peer_load(*argv[1:3])
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
    parser.add_argument("--skip-peer", action="store_true", help="leave out both pandas + pandera peers")
    parser.add_argument(
        "--skip-full-peer", action="store_true", help="leave out the peer re-implementing every spelling (36 s a run)"
    )
    parser.add_argument("--exclude", action="append", default=[], help="spelling the generator leaves out (repeatable)")
    parser.add_argument("--json", help="also write the raw results to this file")
    parser.add_argument(
        "--portfolio",
        action="store_true",
        help="measure only the portfolio at scale (50 files of 150 themes, 5 of --n)",
    )
    parser.add_argument(
        "--landed-ref", default=LANDED_REF, help=f"git commit of the kpi before versions (default {LANDED_REF})"
    )
    parser.add_argument(
        "--startup",
        action="store_true",
        help="measure only the start-up: kpi report on the sample and kpi --help, beside --before-ref's",
    )
    parser.add_argument(
        "--before-ref", default=BEFORE_CLI_REF, help=f"git commit before the command-line package ({BEFORE_CLI_REF})"
    )
    parser.add_argument(
        "--correction",
        action="store_true",
        help="measure only a same-date correction and an unchanged file against the first load (issue 34)",
    )
    parser.add_argument(
        "--correction-before", help="with --correction: also the same commands by kpi at this git commit"
    )
    args = parser.parse_args(argv)
    if args.repeats < 1 or args.n < 10:
        parser.error("--repeats must be ≥ 1 and --n ≥ 10")
    if args.startup:
        results = startup_benchmark(args)
        if args.json:
            Path(args.json).write_text(json.dumps(results, ensure_ascii=False, indent=1))
        print(startup_markdown(results))
        return 0
    if args.correction:
        try:
            results = correction_benchmark(args)
        except BenchError as exc:
            print(f"benchmark failed: {exc}", file=sys.stderr)
            return 1
        if args.json:
            Path(args.json).write_text(json.dumps(results, ensure_ascii=False, indent=1))
        print(correction_markdown(results))
        return 0
    if args.portfolio:
        results = portfolio_benchmark(args)
        if args.json:
            Path(args.json).write_text(json.dumps(results, ensure_ascii=False, indent=1))
        print(portfolio_markdown(results))
        return 0
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
