"""What the runner knows about a report notebook before running it (contract section 2).

A notebook in the notebooks folder is a report notebook when it has a cell tagged
``parameters``. The names that cell assigns decide its scope (``partnership`` and ``year``:
once per partnership-year; ``year``: once per year; neither: once per run) and which of the
runner's values it receives. Its notebook-level metadata (``metadata.pathways``, the
jupytext header of the ``.py`` pair) may set ``order``, ``collection``, ``paper`` and
``max_pages``. A notebook's code hash covers exactly the package modules it imports
(followed through the package, function-level imports included) and the package's data files.
"""

from __future__ import annotations

import ast
import hashlib
import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path

import nbformat

from pathways import __version__
from pathways.errors import PathwaysError

SCOPES = ("partnership-year", "year", "once")
# The values the runner can inject, by the name a parameters cell assigns.
INJECTABLE = ("partnership", "year", "data_dir", "registry", "output_dir", "runs_dir")
COLLECTIONS = ("reports", "briefs", "analyses")
PAPERS = {"letter": (8.5, 11.0), "a4": (8.27, 11.69), "legal": (8.5, 14.0)}  # inches, portrait
# Default places among notebooks of one scope: the full report is the chapter, the brief the
# first section after it, then everything else by file name.
DEFAULT_ORDER = {"reports": 0, "briefs": 1, "analyses": 100}


class NotebookError(PathwaysError):
    """A notebook in the notebooks folder cannot be run as it is."""


@dataclass(frozen=True)
class NotebookSpec:
    path: Path
    stem: str
    scope: str  # partnership-year | year | once
    declared: tuple[str, ...]  # the injectable names its parameters cell assigns
    order: float
    collection: str
    paper: str
    max_pages: int | None
    title: str  # its first H1 as written (the book shows the page's own rendering of it)

    @property
    def sort_key(self) -> tuple:
        return (self.order, self.stem)


def discover(notebook_dir: Path) -> list[NotebookSpec]:
    """Every report notebook of ``notebook_dir``, in the order the book shows them."""
    notebook_dir = Path(notebook_dir)
    if not notebook_dir.is_dir():
        raise NotebookError(f"the notebooks folder {notebook_dir} does not exist")
    specs = []
    for path in sorted(notebook_dir.glob("*.ipynb")):
        spec = read_spec(path)
        if spec is not None:
            specs.append(spec)
    orphans = [
        p.name
        for p in sorted(notebook_dir.glob("*.py"))
        if not p.with_suffix(".ipynb").exists() and _is_jupytext(p)
    ]
    if orphans:
        raise NotebookError(
            f"{', '.join(orphans)} in {notebook_dir} has no .ipynb beside it: make it with "
            f"`jupytext --to notebook --set-kernel python3 {orphans[0]}` (or `make notebooks` for a pair that "
            "exists), so the runner and JupyterLab read the same notebook"
        )
    return sorted(specs, key=lambda s: (SCOPES.index(s.scope), *s.sort_key))


def _is_jupytext(path: Path) -> bool:
    head = path.read_text(encoding="utf-8", errors="replace")[:2000]
    return "jupytext:" in head and "# %%" in path.read_text(encoding="utf-8", errors="replace")


def read_spec(path: Path) -> NotebookSpec | None:
    """The spec of one notebook, or None when it has no parameters cell (not a report notebook)."""
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as exc:  # nbformat raises several kinds for a damaged file
        raise NotebookError(
            f"notebook {path} cannot be read as a Jupyter notebook ({type(exc).__name__}); "
            "open it in JupyterLab or restore it from git"
        ) from None
    cells = [c for c in nb.cells if "parameters" in (c.get("metadata", {}).get("tags") or [])]
    if not cells:
        return None
    if len(cells) > 1:
        raise NotebookError(f"notebook {path.name} has {len(cells)} cells tagged `parameters`; keep one")
    names = _assigned_names(cells[0].source, path)
    if "partnership" in names and "year" not in names:
        raise NotebookError(
            f"notebook {path.name} declares `partnership` but not `year` in its parameters cell: a notebook runs "
            "per partnership-year (declare both), per year (`year` only) or once (neither)"
        )
    scope = "partnership-year" if "partnership" in names else "year" if "year" in names else "once"
    meta = dict(nb.metadata.get("pathways") or {})
    collection = str(meta.get("collection", "analyses"))
    if collection not in COLLECTIONS:
        raise NotebookError(
            f"notebook {path.name}: collection {collection!r} is not one of {', '.join(COLLECTIONS)}"
        )
    paper = str(meta.get("paper", "letter")).lower()
    if paper not in PAPERS:
        raise NotebookError(f"notebook {path.name}: paper {paper!r} is not one of {', '.join(PAPERS)}")
    max_pages = meta.get("max_pages")
    if max_pages is not None and (
        not isinstance(max_pages, int) or isinstance(max_pages, bool) or max_pages < 1
    ):
        raise NotebookError(f"notebook {path.name}: max_pages must be a whole number of pages, at least 1")
    order = meta.get("order", DEFAULT_ORDER[collection])
    if not isinstance(order, int | float) or isinstance(order, bool):
        raise NotebookError(f"notebook {path.name}: order must be a number")
    return NotebookSpec(
        path.resolve(),
        path.stem,
        scope,
        tuple(n for n in INJECTABLE if n in names),
        float(order),
        collection,
        paper,
        max_pages,
        first_heading(nb),
    )


def _assigned_names(source: str, path: Path) -> set[str]:
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        raise NotebookError(
            f"the parameters cell of {path.name} is not valid Python (line {exc.lineno}): "
            "it should only assign values, such as `year = 2024`"
        ) from None
    names: set[str] = set()
    for node in tree.body:
        targets = (
            node.targets
            if isinstance(node, ast.Assign)
            else [node.target]
            if isinstance(node, ast.AnnAssign)
            else []
        )
        for target in targets:
            names.update(n.id for n in ast.walk(target) if isinstance(n, ast.Name))
    return names


def first_heading(nb) -> str:
    """The text of the notebook's first level-1 Markdown heading, as the analyst wrote it."""
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        for line in cell.source.splitlines():
            match = re.match(r"^#\s+(.+?)\s*#*\s*$", line)
            if match:
                return match.group(1)
    return ""


# ------------------------------------------------------------------ code a notebook runs
PACKAGE = Path(str(files("pathways")))
DATA_SUFFIXES = (".yml", ".yaml", ".json", ".md", ".csv", ".j2")
# Files the package reads at run time that no import names: every data file, except the book's
# own look, which only `pathways build` reads, and the project files a wheel ships (notebooks
# are hashed as notebooks; the book pages only `pathways build` reads).
NOT_RUN_BY_NOTEBOOKS = ("book_assets/", "project_files/")


def imported_modules(source: str) -> set[str]:
    """``pathways`` modules a piece of code imports, at any depth (magics are skipped)."""
    lines = [line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))]
    try:
        tree = ast.parse("\n".join(lines))
    except SyntaxError:
        return set()
    names: set[str] = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.ImportFrom)
            and node.module
            and node.level == 0
            and node.module.split(".")[0] == "pathways"
        ):
            names.add(node.module)
            names.update(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            names.update(a.name for a in node.names if a.name.split(".")[0] == "pathways")
    return names


def _source_of(module: str) -> Path | None:
    parts = module.split(".")[1:]
    candidates = [PACKAGE.joinpath(*parts, "__init__.py")]
    if parts:
        candidates.insert(0, PACKAGE.joinpath(*parts[:-1], f"{parts[-1]}.py"))
    return next((c for c in candidates if c.is_file()), None)


def module_closure(modules: set[str]) -> set[Path]:
    """Source files of ``modules``, their parent packages and everything they import in turn."""
    todo = set(modules)
    reached: set[Path] = set()
    while todo:
        module = todo.pop()
        parts = module.split(".")
        for i in range(1, len(parts) + 1):  # importing a.b.c runs a/__init__ and a/b/__init__
            path = _source_of(".".join(parts[:i]))
            if path is not None and path not in reached:
                reached.add(path)
                stat = path.stat()
                todo |= _file_imports(path, stat.st_mtime_ns, stat.st_size)
    return reached


@cache
def _file_imports(path: Path, mtime_ns: int, size: int) -> frozenset[str]:
    """:func:`imported_modules` of one source file, parsed once per version of it: a run hashes
    the same closure for every notebook and every overview job."""
    return frozenset(imported_modules(path.read_text(encoding="utf-8")))


@cache
def _data_files_digest() -> str:
    h = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*")):
        rel = path.relative_to(PACKAGE).as_posix()
        if (
            path.is_file()
            and path.suffix in DATA_SUFFIXES
            and not rel.startswith(NOT_RUN_BY_NOTEBOOKS)
            and "__pycache__" not in rel
        ):
            h.update(rel.encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def code_digest(modules: set[str]) -> str:
    """Hash of the package code that ``modules`` run, the package's data files and its version."""
    h = hashlib.sha256()
    for path in sorted(module_closure(modules | {"pathways"})):
        h.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0" + path.read_bytes())
    h.update(_data_files_digest().encode())
    h.update(__version__.encode())
    return h.hexdigest()


def notebook_code_digest(path: Path) -> str:
    """Hash of the package code a notebook's cells import."""
    nb = nbformat.read(path, as_version=4)
    modules = set().union(*(imported_modules(c.source) for c in nb.cells if c.cell_type == "code"), set())
    return code_digest(modules)
