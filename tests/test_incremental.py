"""Incremental runs: what a change to the code makes run again."""

from __future__ import annotations

from pathlib import Path


def test_code_left_out_of_the_notebooks_hash_is_never_imported_by_a_notebook(repo):
    """Changing the book's look must not re-execute every notebook, and leaving a module
    out of the hash must never leave a notebook stale: follow every import, function-level
    ones included, from what the notebooks import."""
    import ast

    from pathways.run import NOT_IN_NOTEBOOKS

    package = repo / "src" / "pathways"

    def imported(path: Path) -> set[str]:
        names = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("pathways"):
                names.add(node.module)
                names.update(f"{node.module}.{a.name}" for a in node.names)
            elif isinstance(node, ast.Import):
                names.update(a.name for a in node.names if a.name.startswith("pathways"))
        return names

    def source(module: str) -> Path | None:
        parts = module.split(".")[1:]
        for candidate in (package.joinpath(*parts[:-1], f"{parts[-1]}.py") if parts else None,
                          package.joinpath(*parts, "__init__.py")):
            if candidate is not None and candidate.is_file():
                return candidate
        return None

    todo = set().union(*(imported(nb) for nb in (repo / "notebooks").glob("*.py"))) | {"pathways"}
    reached: set[Path] = set()
    while todo:
        path = source(todo.pop())
        if path is not None and path not in reached:
            reached.add(path)
            todo |= imported(path)
    reached_names = {str(p.relative_to(package)) for p in reached}
    assert "report.py" in reached_names and "overview.py" in reached_names
    assert "indicators/engine.py" in reached_names and "validation/gate.py" in reached_names
    left_out = {name for name in reached_names if name.startswith(NOT_IN_NOTEBOOKS)}
    assert not left_out, f"notebooks import {left_out}, which code_hash leaves out"
