"""Write the command reference from the command line itself: python tools/update_commands.py [--check].

docs/commands.md is every `--help` of `kpi` and of each of its commands, in English and in Japanese, as the
real command prints them (80 columns). Only this tool writes it; --check exits 1 when the file differs from
what the commands print today (tests/unit/test_cli.py runs it), so the reference cannot drift from the CLI.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "docs" / "commands.md"
LANGS = {"en": "English", "ja": "日本語"}
HEADER = """# Command reference

<!-- Written by `python tools/update_commands.py` from the commands' own --help; do not edit by hand.
     tests/unit/test_cli.py fails when this file and `kpi … --help` differ. -->

Every `--help` of `kpi`, as the commands print it: first in English (`--lang en` or `KPI_LANG=en`), then in
Japanese, kpi's default. The README explains what the commands do and why; this is the exact list of their
options, defaults and environment variables.
"""


def commands() -> list[tuple[str, ...]]:
    """The subcommands in the order `kpi --help` lists them, then each group and its own commands."""
    sys.path.insert(0, str(ROOT))
    from kpi.cli.main import whole_app

    app = whole_app()

    found: list[tuple[str, ...]] = [(c.name or "",) for c in app.registered_commands]
    for group in app.registered_groups:
        found.append((group.name or "",))
        found += [(group.name or "", c.name or "") for c in group.typer_instance.registered_commands]
    return found


def help_text(lang: str, *args: str) -> str:
    """`kpi ARGS --help` in one language, 80 columns wide, trailing spaces removed."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KPI_")} | {"KPI_LANG": lang, "COLUMNS": "80"}
    result = subprocess.run(
        [sys.executable, "-m", "kpi", *args, "--help"], capture_output=True, text=True, env=env, cwd=ROOT, timeout=120
    )
    if result.returncode != 0:
        raise SystemExit(f"kpi {' '.join(args)} --help exited {result.returncode}: {result.stderr}")
    return "\n".join(line.rstrip() for line in result.stdout.rstrip().splitlines())


def render() -> str:
    names = commands()
    parts = [HEADER]
    parts.append("Commands: " + ", ".join(f"`kpi {' '.join(name)}`" for name in names) + ".\n")
    for lang, title in LANGS.items():
        parts.append(f"## {title}\n")
        for args in [(), *names]:
            parts.append(f"### {' '.join(('kpi', *args))}{'' if lang == 'en' else '（日本語）'}\n")
            parts.append(f"```text\n{help_text(lang, *args)}\n```\n")
    return "\n".join(parts)


def main() -> int:
    fresh = render()
    if "--check" in sys.argv:
        current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
        if current != fresh:
            print(f"{TARGET.relative_to(ROOT)} is stale: run python tools/update_commands.py", file=sys.stderr)
            return 1
        return 0
    TARGET.write_text(fresh, encoding="utf-8")
    print(f"wrote {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
