"""The report notebooks as an analyst owns them (issue 15): paired, without outputs, prose with
glued numbers and short cells, safe to run by hand, an analyst's own chart shown like the rest."""

from __future__ import annotations

import ast
import re
import shutil
from pathlib import Path

import jupytext
import nbformat
import pytest
import yaml

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.py"))
PATH_PARAMETERS = ("data_dir", "registry", "output_dir", "runs_dir")


def _code_cells(path: Path):
    return [c for c in jupytext.read(path).cells if c.cell_type == "code"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_notebook_and_its_pair_are_in_sync_and_committed_without_outputs(path):
    ipynb = nbformat.read(path.with_suffix(".ipynb"), as_version=4)
    paired = jupytext.read(path)
    assert [(c.cell_type, c.source, c.metadata.get("tags", [])) for c in ipynb.cells] == [
        (c.cell_type, c.source, c.metadata.get("tags", [])) for c in paired.cells
    ], f"{path.name} and its .ipynb differ: run `jupytext --sync notebooks/*.ipynb`"
    for cell in ipynb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"{path.name}: outputs committed"
    assert ipynb.metadata["kernelspec"]["name"] == "python3"
    assert ipynb.metadata.get("pathways") == paired.metadata.get("pathways")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebooks_hold_no_function_definitions_file_paths_or_global_switches(path):
    cells = _code_cells(path)
    params = [c for c in cells if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1
    assigned = {t.id: n.value for n in ast.parse(params[0].source).body for t in n.targets}
    for name in PATH_PARAMETERS:
        if name in assigned:
            assert isinstance(assigned[name], ast.Constant) and assigned[name].value is None, (
                f"{path.name}: {name} defaults to a path; the package resolves None (contract 2)"
            )
    for cell in cells:
        tree = ast.parse(cell.source)
        for node in ast.walk(tree):
            assert not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Global)), (
                f"{path.name}: define functions in the package"
            )
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                assert not re.search(r"(^\.{0,2}/)|(\.(csv|yml|yaml|json|ipynb)$)", node.value), (
                    f"{path.name}: a file path {node.value!r}"
                )
            if isinstance(node, ast.Attribute) and node.attr in ("use", "rcParams", "set_theme"):
                pytest.fail(f"{path.name}: sets global drawing state ({node.attr}); the package's theme does")
        if "parameters" not in cell.metadata.get("tags", []):
            tags = set(cell.metadata.get("tags", []))
            assert tags & {"remove-input", "remove-cell"}, f"{path.name}: a code cell shown in the book"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_value_a_notebook_pastes_is_glued_once(path):
    nb = jupytext.read(path)
    pasted = {
        m.split(":")[0]
        for c in nb.cells
        if c.cell_type == "markdown"
        for m in re.findall(r"\{glue(?::\w*)?\}`([^`]+)`", c.source)
    }
    glued = [
        m for c in nb.cells if c.cell_type == "code" for m in re.findall(r"glue\(\"([^\"]+)\"", c.source)
    ]
    assert pasted <= set(glued), f"{path.name}: pastes {pasted - set(glued)} that no cell glues"
    assert len(glued) == len(set(glued)), f"{path.name}: a value glued twice (the book warns)"
    heading = next(c.source for c in nb.cells if c.cell_type == "markdown")
    assert heading.startswith("# "), f"{path.name}: its first cell is its title (H1)"


# ------------------------------------------------------------------ run by hand
@pytest.fixture(scope="module")
def hand_project(tmp_path_factory, demo_data_small, repo):
    """A project folder as an analyst has it: the registry, data of one partnership, a pipeline
    output folder, and the notebooks."""
    root = tmp_path_factory.mktemp("project")
    _with_a_larger_denver(repo / "partnerships.yml", root / "partnerships.yml")
    shutil.copytree(demo_data_small / "denver", root / "data" / "denver")
    shutil.copytree(repo / "notebooks", root / "notebooks")
    (root / "reports" / "runs").mkdir(parents=True)
    (root / "reports" / "runs" / "manifest.json").write_text('{"jobs": {}}\n', encoding="utf-8")
    return root


def _with_a_larger_denver(source: Path, target: Path) -> None:
    """The registry, Denver with the partner list and goals of a larger partnership (18 partners,
    seven goals): what a brief must still fit on two pages."""
    registry = yaml.safe_load(source.read_text(encoding="utf-8"))
    denver = next(p for p in registry["partnerships"] if p["id"] == "denver")
    denver["partners"] += [
        {"name": f"Metro Area Employer Council {n}", "sector": "employer"} for n in range(1, 9)
    ]
    denver["goals"] += [
        {"indicator": "seamless_enrollment", "measure": "rate", "target": 0.6, "target_year": 2026},
        {"indicator": "early_postsecondary_credit", "measure": "rate", "target": 0.3, "target_year": 2025},
        {"indicator": "concentrator_wbl", "measure": "rate", "target": 0.5, "target_year": 2026},
    ]
    target.write_text(yaml.safe_dump(registry, sort_keys=False), encoding="utf-8")


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _execute(path: Path, monkeypatch) -> nbformat.NotebookNode:
    """As `jupyter nbconvert --execute` runs it: nbclient, the notebook's folder as the cwd, the
    kernel's own backend (inline)."""
    from nbclient import NotebookClient

    monkeypatch.delenv("MPLBACKEND", raising=False)
    monkeypatch.delenv("PATHWAYS_PROJECT", raising=False)
    monkeypatch.delenv("PATHWAYS_SCRATCH", raising=False)
    nb = nbformat.read(path, as_version=4)
    NotebookClient(
        nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    ).execute()
    return nb


@pytest.mark.slow
@pytest.mark.parametrize(
    "stem", ["partnership_report", "partnership_brief", "closer_look_wbl_graduation", "statewide_overview"]
)
def test_a_notebook_run_by_hand_writes_only_into_scratch(stem, hand_project, monkeypatch, tmp_path):
    before = _snapshot(hand_project / "reports")
    nb = _execute(hand_project / "notebooks" / f"{stem}.ipynb", monkeypatch)
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors, errors
    assert _snapshot(hand_project / "reports") == before
    job = hand_project / "scratch" / ("statewide/2024" if stem == "statewide_overview" else "denver/2024")
    assert (job / "figures").is_dir() or stem == "statewide_overview"
    if stem != "statewide_overview":
        assert (job / "export.csv").is_file()
    if stem == "partnership_brief":
        _prints_on_two_pages_with_room_to_spare(nb, tmp_path)


def _prints_on_two_pages_with_room_to_spare(nb: nbformat.NotebookNode, tmp_path: Path) -> None:
    """The larger Denver's brief prints, as publish prints it, on two letter pages (publish refuses a
    third) with a fifth of the second spare."""
    from pypdf import PdfReader

    from conftest import lowest_text_share
    from pathways.book.publish import find_chromium, pdf_pages, print_pdf, standalone_html

    chromium = find_chromium()
    if chromium is None:
        pytest.skip("Debian's chromium is not installed (.ci/run installs it)")
    html, pdf = tmp_path / "brief.html", tmp_path / "brief.pdf"
    html.write_text(standalone_html(nb), encoding="utf-8")
    print_pdf(chromium, html, pdf)
    assert pdf_pages(pdf, "letter") == 2
    assert lowest_text_share(PdfReader(str(pdf)).pages[1]) < 0.8


@pytest.mark.slow
def test_an_analyst_s_own_seaborn_chart_shows_when_the_notebook_runs_by_hand(
    hand_project, monkeypatch, tmp_path
):
    """The package no longer forces the Agg backend: plt.show() in a cell of the kernel shows the figure."""
    source = hand_project / "notebooks" / "partnership_report.py"
    nb = jupytext.read(source)
    nb.cells.append(
        nbformat.v4.new_code_cell(
            "import seaborn as sns\nimport matplotlib.pyplot as plt\n"
            "rows = ctx.breakdown('cte_participation')\n"
            "sns.barplot(data=rows, x='value', y='label')\nplt.show()"
        )
    )
    path = tmp_path / "edited.ipynb"
    jupytext.write(nb, path)
    shutil.copy2(path, hand_project / "notebooks" / "edited.ipynb")
    executed = _execute(hand_project / "notebooks" / "edited.ipynb", monkeypatch)
    last = executed.cells[-1].outputs
    assert any("image/png" in o.get("data", {}) for o in last), last
