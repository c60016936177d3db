"""The package's imports run one way, by layer, and never in a cycle (docs/architecture.md).

Every import counts, function-level ones included: a lazy import still couples two modules.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "pathways"

# Lower layers never import higher ones; packages of one layer never import each other.
LAYERS = {
    "pathways": 0,
    "pathways.errors": 0,
    "pathways.io": 1,
    "pathways.gate": 2,
    "pathways.indicators": 2,
    "pathways.report": 3,
    "pathways.demo": 3,
    "pathways.pipeline": 4,
    "pathways.book_assets": 4,  # the book's Sphinx extension, CSS and templates
    "pathways.book": 5,
    "pathways.cli": 6,
}


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def unit_of(module: str) -> str:
    """The layer unit a module belongs to: its top-level subpackage or module (``pathways.io``)."""
    parts = module.split(".")
    return ".".join(parts[:2]) if len(parts) > 1 else "pathways"


def imports_of(path: Path, root: Path) -> set[str]:
    """The package modules a file imports (``from pathways.x import y`` names ``pathways.x.y`` if it is one)."""
    modules = {module_name(p, root) for p in root.rglob("*.py")}
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.ImportFrom)
            and node.level == 0
            and node.module
            and node.module.split(".")[0] == root.name
        ):
            for alias in node.names:
                sub = f"{node.module}.{alias.name}"
                found.add(sub if sub in modules else node.module)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.split(".")[0] == root.name}
    return found


def import_graph(root: Path) -> dict[str, set[str]]:
    return {
        module_name(p, root): imports_of(p, root) - {module_name(p, root)} for p in sorted(root.rglob("*.py"))
    }


def layer_violations(graph: dict[str, set[str]], layers: dict[str, int]) -> list[str]:
    out = []
    for module, targets in graph.items():
        unit = unit_of(module)
        if unit not in layers:
            out.append(f"{module} is in no layer (add {unit} to LAYERS and docs/architecture.md)")
            continue
        for target in sorted(targets):
            other = unit_of(target)
            if other == unit or other == "pathways":
                continue
            if layers.get(other, 99) >= layers[unit]:
                out.append(f"{module} (layer {layers[unit]}) imports {target} (layer {layers.get(other)})")
    return out


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), each a cycle of imports."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in graph:
                continue
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def _subpackage_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """A package's ``__init__`` re-exporting its modules is not a cycle; modules importing each other is."""
    return cycles({m: {t for t in ts if t != unit_of(m) or m == unit_of(m)} for m, ts in graph.items()})


def test_imports_follow_the_layer_order():
    assert layer_violations(import_graph(PACKAGE), LAYERS) == []


def test_no_import_cycle():
    assert _subpackage_cycles(import_graph(PACKAGE)) == []


@pytest.fixture
def toy(tmp_path):
    root = tmp_path / "pathways"
    for rel, text in {
        "__init__.py": "",
        "io/__init__.py": "",
        "gate/__init__.py": "",
        "report/__init__.py": "",
        "io/reader.py": "from pathways.gate import checks\n",  # upward
        "gate/checks.py": "def f():\n    from pathways.gate.names import X\n",
        "gate/names.py": "def g():\n    from pathways.gate.checks import f\n",  # a lazy cycle
        "report/view.py": "from pathways.io import reader\n",
    }.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


def test_the_checks_catch_an_upward_import_and_a_lazy_cycle(toy):
    graph = import_graph(toy)
    layers = {"pathways": 0, "pathways.io": 1, "pathways.gate": 2, "pathways.report": 3}
    assert layer_violations(graph, layers) == [
        "pathways.io.reader (layer 1) imports pathways.gate.checks (layer 2)"
    ]
    assert _subpackage_cycles(graph) == [["pathways.gate.checks", "pathways.gate.names"]]
    assert (
        "pathways.report.view is in no layer (add pathways.report to LAYERS and docs/architecture.md)"
        in layer_violations(graph, {"pathways": 0, "pathways.io": 1, "pathways.gate": 2})
    )
