"""The package's modules import each other without a cycle, at the top or inside functions.

A cycle hidden by an import inside a function still ties two modules together: a change to
either may break the other at run time, and neither can be understood alone. Each module
must also import on its own, in a fresh interpreter.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "xhs_extract"


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _imports(path: Path, name: str, known: set[str]) -> set[str]:
    """The package's modules `path` imports, wherever the import stands."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            # "from xhs_extract import context": the module context, not the package
            submodules = [f"{base}.{alias.name}" for alias in node.names]
            targets = [t for t in submodules if t in known] or [base]
        else:
            continue
        # A module's own packages are imported before it in any case: no edge.
        out.update(t for t in targets if t in known and not (name + ".").startswith(t + "."))
    return out


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    known = set(modules)
    return {name: _imports(path, name, known) for name, path in modules.items()}


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """Some cycle of `graph`, as the list of its modules, or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return path[path.index(nxt) :] + [nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def test_the_graph_walker_finds_a_cycle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_the_middle_of_the_pipeline_imports_one_way():
    graph = _graph()
    assert "xhs_extract.prefilter" not in graph["xhs_extract.rules"]
    assert "xhs_extract.rules" in graph["xhs_extract.prefilter"]
    for module in ("layout", "discourse", "context", "sentences"):
        assert "xhs_extract.rules" not in graph[f"xhs_extract.{module}"], module
        assert "xhs_extract.pipeline" not in graph[f"xhs_extract.{module}"], module


def test_no_import_cycle_between_the_package_modules():
    assert _cycle(_graph()) is None


@pytest.mark.parametrize(
    "module",
    ["rules", "prefilter", "pipeline", "context", "layout", "discourse", "sentences", "language"],
)
def test_each_module_imports_alone_in_a_fresh_interpreter(module):
    done = subprocess.run(
        [sys.executable, "-c", f"import xhs_extract.{module}"], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
