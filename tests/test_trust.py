"""Trust: hostile partner text stays text, raw data is never written, a killed publish changes
nothing, a refused or timed-out partnership-year is skipped while the rest publishes.

One small hostile pipeline is built once for this module (xdist keeps a module on one worker).
"""

from __future__ import annotations

import base64
import csv
import io
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

pytestmark = pytest.mark.slow

PID = "san-luis-valley"
SCRIPT = "</script><script>alert(1)</script>"
# Kept short: the overview's charts still fail on long names (issue 17: REPORT's side).
HOSTILE_NAME = f"SLV {SCRIPT} {{download}}`../../../../etc/hostname` [x](javascript:alert(1))"
HOSTILE_PATHWAYS = [
    "<img src=x onerror=alert(1)>",
    '=HYPERLINK("http://evil.example","click")',
    "```{eval-rst}",
    "$x$ & {raw}`html <b>bold</b>`",
]


def _pathways(*args: str, cwd: Path, timeout: int = 1800) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).with_name("pathways")
    return subprocess.run([str(exe), *args], cwd=cwd, capture_output=True, text=True, timeout=timeout)


def _snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {
        str(p.relative_to(folder)): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _set_writable(folder: Path, writable: bool) -> None:
    for path in [folder, *folder.rglob("*")]:
        mode = path.stat().st_mode
        path.chmod(mode | stat.S_IWUSR if writable else mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))


def _hostile_registry(repo: Path, target: Path) -> Path:
    raw = yaml.safe_load((repo / "partnerships.yml").read_text(encoding="utf-8"))
    entry = next(p for p in raw["partnerships"] if p["id"] == PID)
    entry["name"] = HOSTILE_NAME
    entry["convener"] = "Convener <b onmouseover=alert(2)>x</b> **bold**"
    entry["partners"][0]["name"] = "=cmd|' /C calc'!A0"
    target.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    return target


def _titled_by_the_registry(notebooks: Path) -> None:
    """A notebook whose first heading glues the partnership's name, as a report's title does: the name
    then reaches the page title, the print header and the navigation."""
    from drops import write_notebook

    write_notebook(
        notebooks,
        "named",
        [
            ("markdown", "# {glue:text}`partnership_name` — a closer look", []),
            ("code", 'partnership = "denver"\nyear = 2024\nregistry = None', ["parameters"]),
            (
                "code",
                "from myst_nb import glue\n\nfrom pathways.io.registry import load_registry\n\n"
                "glue('partnership_name', load_registry(registry).get(partnership).name, display=False)",
                ["remove-cell"],
            ),
            ("markdown", "Named by its registry entry.", []),
            # an analyst's own figure whose rows carry the registry's partner names (one is a formula)
            (
                "code",
                "import matplotlib.pyplot as plt\nimport pandas as pd\n\nfrom pathways.report import charts\n\n"
                "partners = [p.name for p in load_registry(registry).get(partnership).partners]\n"
                "rows = pd.DataFrame({'partner': partners, 'learners': range(1, len(partners) + 1)})\n"
                "fig, ax = plt.subplots()\nax.bar(range(len(rows)), rows['learners'])\n"
                "charts.figure(fig, 'Partners', rows, alt='Chart: one bar per partner.')",
                ["remove-input"],
            ),
        ],
    )


def _hostile_pathway_names(data: Path) -> None:
    for path in data.glob(f"{PID}/*/pathways.csv"):
        rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
        for row, name in zip(rows, HOSTILE_PATHWAYS, strict=False):
            row["pathway_name"] = name
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        path.write_text(buffer.getvalue(), encoding="utf-8")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory, repo):
    """Two years of one partnership with hostile text, run and published from a read-only data folder."""
    from drops import copy_notebooks
    from pathways.demo import write_demo_data
    from pathways.io.registry import load_registry

    root = tmp_path_factory.mktemp("trust")
    data, out = root / "data", root / "reports"
    registry = _hostile_registry(repo, root / "partnerships.yml")
    notebooks = copy_notebooks(repo, root / "notebooks")
    _titled_by_the_registry(notebooks)
    write_demo_data(
        data,
        load_registry(repo / "partnerships.yml"),
        seed=5,
        scale=0.5,
        partnerships=[PID],
        years=range(2023, 2025),
    )
    _hostile_pathway_names(data)
    _set_writable(data, False)
    before = _snapshot(data)
    common = ("--data", str(data), "--out", str(out), "--registry", str(registry))
    ran = _pathways("run", *common, "--partnership", PID, "--notebooks", str(notebooks), cwd=root)
    published = _pathways("publish", "2030.1", *common, cwd=root)
    after = _snapshot(data)
    yield {
        "root": root,
        "data": data,
        "out": out,
        "registry": registry,
        "common": common,
        "ran": ran,
        "published": published,
        "before": before,
        "after": after,
    }
    _set_writable(data, True)


def test_pipeline_ran_and_published_from_read_only_data(hostile):
    assert hostile["ran"].returncode == 0, hostile["ran"].stdout + hostile["ran"].stderr
    assert hostile["published"].returncode == 0, hostile["published"].stdout + hostile["published"].stderr
    # Root ignores permissions, so also prove it: not one byte or timestamp of the submissions changed.
    assert hostile["after"] == hostile["before"]


def _published_html(version: Path) -> list[Path]:
    return sorted(version.rglob("*.html"))


def test_hostile_text_is_shown_as_text_everywhere(hostile):
    version = hostile["out"] / "2030.1"
    pages = _published_html(version)
    assert pages
    for page in pages:
        html = page.read_text(encoding="utf-8")
        for raw in (SCRIPT, "<img src=x onerror", "<b onmouseover", "<b>bold</b>", 'href="javascript:'):
            assert raw not in html, f"{page.relative_to(version)} carries {raw!r} as markup"
    report = (version / "book" / "partnerships" / PID / "2024.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(" in report  # the name is there, as text
    assert "&lt;img src=x onerror=alert(1)&gt;" in report  # a pathway name, as text
    assert "{eval-rst}" in report or "eval-rst" in report
    standalone = (version / "reports" / f"{PID}-2024.html").read_text(encoding="utf-8")
    assert "&lt;img src=x onerror=alert(1)&gt;" in standalone
    # the MyST role in the name did not become a download of a file outside the book
    assert not list(version.rglob("hostname"))


def test_a_name_in_a_page_title_is_text_in_the_print_header_navigation_and_citation(hostile):
    page = hostile["out"] / "2030.1" / "book" / "partnerships" / PID / "2024" / "named.html"
    html = page.read_text(encoding="utf-8")
    escaped = "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;"
    printed = html[html.index('id="jb-print-docs-body"') :]
    assert escaped in printed[: printed.index("</h1>")]  # the print header: the theme printed it raw
    assert f"<title>SLV {escaped}" in html
    cite = html[html.index('class="pw-cite"') :]
    assert "Convener &lt;b onmouseover=alert(2)&gt;x&lt;/b&gt; **bold**" in cite  # the convener is the author
    for other in (hostile["out"] / "2030.1" / "book").rglob("*.html"):
        text = other.read_text(encoding="utf-8")
        assert "alert(1)</script>" not in text and "<script>alert" not in text, other


def test_exports_neutralise_spreadsheet_formulas(hostile):
    version = hostile["out"] / "2030.1"
    for path in (version / "exports").glob("*.csv"):
        for row in csv.reader(io.StringIO(path.read_text(encoding="utf-8"))):
            for cell in row:
                assert not cell.startswith(("=", "+", "@")), f"{path.name}: formula cell {cell!r}"
                assert not (cell.startswith("-") and not _is_number(cell)), f"{path.name}: {cell!r}"
    # every figure's data: the files beside the runs and the downloads embedded in the published pages
    downloads = {
        str(p): p.read_text(encoding="utf-8") for p in (hostile["out"] / "runs").rglob("figures/*.csv")
    }
    for page in (version / "book").rglob("*.html"):
        for i, b64 in enumerate(
            re.findall(r'href="data:text/csv;base64,([A-Za-z0-9+/=]+)"', page.read_text(encoding="utf-8"))
        ):
            downloads[f"{page.name} download {i}"] = base64.b64decode(b64).decode("utf-8")
    assert any("'=cmd|" in text for text in downloads.values()), (
        "the partner-name figure is not in the version"
    )
    for name, text in downloads.items():
        for row in csv.reader(io.StringIO(text)):
            for cell in row:
                assert not cell.startswith(("=", "+", "@")), f"{name}: formula cell {cell!r}"


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def test_ids_and_years_are_checked_before_they_become_paths(hostile):
    for args in (
        ("validate", "../../etc", "2024"),
        ("indicators", "../x", "2024"),
        ("indicators", PID, "20x4"),
        ("run", "--partnership", "../../tmp"),
    ):
        result = _pathways(*args, *hostile["common"], cwd=hostile["root"])
        assert result.returncode != 0
        assert "Traceback" not in result.stderr + result.stdout
    bad_version = _pathways("publish", "../2030.1", *hostile["common"], cwd=hostile["root"])
    assert bad_version.returncode != 0 and "calendar version" in bad_version.stderr


def test_a_publish_killed_mid_build_changes_nothing_and_a_rerun_succeeds(hostile):
    out = hostile["out"]
    versions_js = (out / "versions.js").read_bytes()
    first = _snapshot(out / "2030.1")
    exe = Path(sys.executable).with_name("pathways")
    proc = subprocess.Popen(
        [str(exe), "publish", "2030.2", *hostile["common"]],
        cwd=hostile["root"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and not any(out.glob(".staging-2030.2-*/_src")):
        time.sleep(0.2)
    assert any(out.glob(".staging-2030.2-*")), "the publish never started building"
    time.sleep(2)  # well inside the Jupyter Book build
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=60)
    assert not (out / "2030.2").exists()
    assert (out / "versions.js").read_bytes() == versions_js
    assert _snapshot(out / "2030.1") == first
    rerun = _pathways("publish", "2030.2", *hostile["common"], cwd=hostile["root"])
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    assert not list(out.glob(".staging-*"))
    assert '"latest": "2030.2"' in (out / "versions.js").read_text(encoding="utf-8")
    assert _snapshot(out / "2030.1") == first


def test_a_refused_year_is_skipped_while_the_rest_builds(hostile, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(hostile["data"], data)
    _set_writable(data, True)
    learners = data / PID / "2024" / "learners.csv"
    lines = learners.read_text(encoding="utf-8").splitlines()
    lines = [lines[0] + ",Student Name"] + [line + ",Ana Secretname" for line in lines[1:]]
    learners.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "reports"
    shutil.copytree(hostile["out"], out, symlinks=True)
    published_before = _snapshot(out / "2030.1")
    common = ("--data", str(data), "--out", str(out), "--registry", str(hostile["registry"]))
    result = _pathways("run", *common, "--partnership", PID, cwd=hostile["root"])
    assert result.returncode == 1
    assert f"{PID}/2024" in result.stdout and "refused" in result.stdout
    assert "personal data" in result.stdout and "Student Name" in result.stdout
    assert "Secretname" not in result.stdout + result.stderr
    # the project's own notebooks (root/notebooks, found from the cwd): the year's report, brief, closer
    # look and the analyst's named notebook; its overview reruns without it
    assert "refused 4" in result.stdout
    # withdrawn from the book and the overview, kept on disk
    assert not (out / "runs" / PID / "2024" / "partnership_report").exists()
    assert not (out / "runs" / PID / "2024" / "export.csv").exists()
    assert list(
        (out / "runs" / ".withdrawn" / PID / "2024").glob("partnership_report-*/partnership_report.ipynb")
    )
    assert "withdrawn" in result.stdout
    build = _pathways("publish", "2030.3", *common, cwd=hostile["root"])
    assert build.returncode == 0, build.stdout + build.stderr
    book = out / "2030.3" / "book"
    assert (book / "partnerships" / PID / "2023.html").is_file()
    assert not (book / "partnerships" / PID / "2024.html").exists()
    status = (book / "book" / "data_status.html").read_text(encoding="utf-8")
    assert "2024" in status and "refused" in status.lower()
    assert "Secretname" not in "".join(
        p.read_text(encoding="utf-8", errors="replace") for p in book.rglob("*.html")
    )
    assert _snapshot(out / "2030.1") == published_before


def test_a_small_partnership_s_notebooks_run_without_errors_or_warnings(hostile):
    """Half-scale San Luis Valley: most groups hidden, so charts may have nothing to draw; a warning
    saying so (matplotlib's "No artists with labels") would be printed on the published page."""
    from conftest import notebook_noise

    assert not notebook_noise(hostile["out"] / "runs")


@pytest.mark.browser
def test_no_page_of_the_published_version_runs_the_hostile_name(hostile):
    """Every page of the version, opened in Chromium: no dialog opens (alert() would open one)."""
    from conftest import chromium_path

    path = chromium_path()
    if path is None:
        pytest.skip("Debian's chromium is not installed (.ci/run installs it)")
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    version = hostile["out"] / "2030.1"
    pages = [p for p in sorted(version.rglob("*.html")) if "_static" not in p.parts]
    dialogs: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=path, args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
        )
        handlers: list[str] = []
        for html in pages:
            # A page of its own for each file: a redirect page's meta refresh, still pending after
            # "load", would otherwise interrupt the next file's navigation.
            page = browser.new_page()
            page.on("dialog", lambda d, page=page: (dialogs.append(f"{page.url}: {d.message}"), d.dismiss()))
            page.goto(html.as_uri(), wait_until="load")
            for _attempt in range(3):  # a redirect page (meta refresh) navigates on after "load"
                try:
                    # an event handler the hostile text would carry, were it markup (onmouseover, onerror)
                    handlers += page.evaluate("""() => [...document.querySelectorAll('*')].flatMap(el =>
                        [...el.attributes].filter(a => a.name.startsWith('on') && a.value.includes('alert'))
                        .map(a => el.tagName + ' ' + a.name))""")
                    break
                except PlaywrightError:
                    page.wait_for_load_state("load")
            page.close()
        browser.close()
    assert len(pages) > 10
    assert not dialogs, dialogs
    assert not handlers, handlers


def test_a_notebook_that_times_out_is_reported_as_such(hostile, repo, tmp_path):
    """An analyst's cell that runs past ``--timeout``: the brief is reported as timed out, the others build.
    (The project's own cells can finish within a second in a forked kernel, so the slow cell is added.)"""
    import nbformat

    from drops import copy_notebooks

    notebooks = copy_notebooks(repo, tmp_path / "notebooks")
    brief = notebooks / "partnership_brief.ipynb"
    nb = nbformat.read(brief, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("import time\n\ntime.sleep(20)"))
    nbformat.write(nb, brief)
    out = tmp_path / "reports"
    common = ("--data", str(hostile["data"]), "--out", str(out), "--registry", str(hostile["registry"]))
    result = _pathways(
        "run",
        *common,
        "--partnership",
        PID,
        "--year",
        "2023",
        "--timeout",
        "5",
        "--notebooks",
        str(notebooks),
        cwd=hostile["root"],
    )
    assert result.returncode == 1
    assert "timed out" in result.stdout
    assert "failed 1" in result.stdout, result.stdout[-600:]
    assert "Traceback" not in result.stdout
