"""Incremental runs: what a change to the code makes run again.

A notebook's hash covers the package modules it imports (followed through the package,
function-level imports included) and the package's data files, so a change to the book's look
or to publishing re-executes nothing, and a change to the engine re-executes what uses it.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest


def _report_modules(repo: Path) -> set[str]:
    from pathways.pipeline.notebook_specs import imported_modules

    return set().union(
        *(imported_modules(p.read_text(encoding="utf-8")) for p in (repo / "notebooks").glob("*.py"))
    )


def test_the_report_notebooks_hash_covers_the_engine_and_the_gate_but_not_the_book(repo):
    from pathways.pipeline.notebook_specs import PACKAGE, module_closure

    reached = {
        p.relative_to(PACKAGE).as_posix() for p in module_closure(_report_modules(repo) | {"pathways"})
    }
    assert {
        "report/context.py",
        "report/overview.py",
        "indicators/engine.py",
        "gate/validate.py",
        "__init__.py",
    } <= reached
    assert not [p for p in reached if p.startswith(("book/", "pipeline/", "book_assets/")) or p == "cli.py"]


def test_every_module_a_notebook_loads_is_in_its_hash(repo):
    """Independent of the static walk: import what the notebooks import in a fresh interpreter and
    list the package modules Python actually loaded."""
    from pathways.pipeline.notebook_specs import module_closure

    modules = sorted(_report_modules(repo))
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}:\n"
        "    try:\n        importlib.import_module(m)\n    except ImportError:\n        pass\n"
        "print('\\n'.join(sorted(getattr(sys.modules[m], '__file__', '') or '' for m in sys.modules "
        "if m.split('.')[0] == 'pathways')))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=300
    )
    loaded = {Path(line).resolve() for line in proc.stdout.split() if line}
    reached = {p.resolve() for p in module_closure(set(modules) | {"pathways"})}
    assert loaded, proc.stderr
    assert loaded <= reached, sorted(str(p) for p in loaded - reached)


@pytest.fixture
def package_copy(tmp_path, monkeypatch):
    """The notebook hash computed over a copy of the package that a test may edit."""
    from pathways.pipeline import notebook_specs

    copy = tmp_path / "pathways"
    shutil.copytree(notebook_specs.PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(notebook_specs, "PACKAGE", copy)
    notebook_specs._data_files_digest.cache_clear()
    yield copy
    notebook_specs._data_files_digest.cache_clear()


def test_a_change_reruns_exactly_the_notebooks_whose_code_it_touches(package_copy):
    from pathways.pipeline import notebook_specs

    def digests() -> tuple[str, str]:
        notebook_specs._data_files_digest.cache_clear()
        return notebook_specs.code_digest({"pathways.report"}), notebook_specs.code_digest(set())

    report, plain = digests()
    for name in (
        "book/assemble.py",
        "book/publish.py",
        "book_assets/_static/pathways.css",
        "book_assets/_templates/layout.html",
    ):
        with open(package_copy / name, "a", encoding="utf-8") as fh:
            fh.write("\n")
        assert digests() == (report, plain), f"{name} changed a notebook's hash"
    with open(package_copy / "indicators" / "engine.py", "a", encoding="utf-8") as fh:
        fh.write("\n# changed\n")
    changed_report, changed_plain = digests()
    assert changed_report != report  # the report uses the engine
    assert changed_plain == plain  # a notebook that imports nothing from the package does not
    with open(package_copy / "data_dictionary.yml", "a", encoding="utf-8") as fh:
        fh.write("\n")
    again_report, again_plain = digests()
    assert again_report != changed_report and again_plain != changed_plain  # data files: read at run time


def test_jobs_go_out_by_year_then_longest_notebook_first():
    from types import SimpleNamespace

    from pathways.pipeline.run import in_submission_order

    def job(year, notebook):
        return SimpleNamespace(year=year, notebook=notebook, key=f"p/{year}/{notebook}")

    def entry(notebook, seconds, status="ok"):
        return {"notebook": notebook, "seconds": seconds, "status": status}

    manifest = {
        "jobs": {
            # a brief that once paid for importing Great Expectations is still a short notebook
            "a": entry("brief", 2.0),
            "b": entry("brief", 8.0),
            "c": entry("brief", 2.2),
            "d": entry("report", 5.0),
            "e": entry("closer_look", 3.5),
            "f": entry("closer_look", 60.0, status="failed"),  # a timeout says nothing of its length
            "g": {"status": "ok", "seconds": 9.0},  # an entry of an older manifest, without its notebook
            "h": entry("brief", "9"),
        }
    }
    todo = [
        job(2024, "brief"),
        job(2024, "closer_look"),
        job(2023, "brief"),
        job(2024, "report"),
        job(2024, "new"),
    ]
    order = [(j.year, j.notebook) for j in in_submission_order(todo, manifest)]
    assert order == [(2023, "brief"), (2024, "new"), (2024, "report"), (2024, "closer_look"), (2024, "brief")]
