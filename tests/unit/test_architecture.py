"""The layering is checked by tools, not by memory: no import cycle among kpi's and schemas' modules (imports
inside functions count), and import-linter's contracts (make check runs lint-imports) hold."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import grimp
from kit import ROOT


def cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Every group of modules that import one another in a circle (Tarjan's strongly connected components)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for imported in sorted(graph.find_modules_directly_imported_by(module)):
            if imported not in graph.modules:
                continue
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in on_stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    sys.setrecursionlimit(10_000)
    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    return found


def test_no_import_cycle_among_the_projects_modules() -> None:
    graph = grimp.build_graph("kpi", "schemas", cache_dir=None)
    assert len(graph.modules) > 40
    assert cycles(graph) == []


def test_the_cycle_check_sees_a_cycle_made_by_an_import_inside_a_function(tmp_path: Path) -> None:
    """Not blind: a package whose modules import each other, one of them inside a function, is caught."""
    package = tmp_path / "planted"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "low.py").write_text("from planted import high\n")
    (package / "high.py").write_text(
        textwrap.dedent("""
        def late():
            from planted import low
            return low
    """)
    )
    sys.path.insert(0, str(tmp_path))
    try:
        graph = grimp.build_graph("planted", cache_dir=None)
    finally:
        sys.path.remove(str(tmp_path))
    assert cycles(graph) == [["planted.high", "planted.low"]]


def test_import_linter_contracts_are_kept() -> None:
    """The layers (cli → present → load | figures → schemas → db → settings → base) and no sibling cycles."""
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint) if lint.exists() else "lint-imports", "--no-cache"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout
