"""End to end: demo data -> gate -> papermill runs -> book -> published versions.

One small pipeline is built once for this module (xdist keeps a module on one worker).
"""

from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

pytestmark = pytest.mark.slow

PARTNERSHIP, YEAR = "san-luis-valley", 2024


def _pathways(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).with_name("pathways")
    return subprocess.run([str(exe), *args], cwd=cwd, capture_output=True, text=True, timeout=1800)


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory, repo):
    """Small demo data for two years of one partnership, run with the project's notebooks and two an
    analyst dropped into a copy of notebooks/ (one per partnership-year, one once), published as 2025.1."""
    from drops import closer_look, copy_notebooks, state_summary
    from pathways.demo import write_demo_data
    from pathways.io.registry import load_registry

    root = tmp_path_factory.mktemp("pipeline")
    data, out = root / "data", root / "reports"
    notebooks = copy_notebooks(repo, root / "notebooks")
    closer_look(notebooks)
    state_summary(notebooks)
    registry_path = repo / "partnerships.yml"
    write_demo_data(data, load_registry(registry_path), seed=11, scale=1.0, partnerships=[PARTNERSHIP])
    common = ("--data", str(data), "--out", str(out), "--registry", str(registry_path))
    selection = (
        "--partnership",
        PARTNERSHIP,
        "--year",
        "2023",
        "--year",
        str(YEAR),
        "--notebooks",
        str(notebooks),
    )
    first = _pathways("run", *common, *selection, cwd=repo)
    second = _pathways("run", *common, *selection, cwd=repo)
    published = _pathways("publish", "2025.1", *common, cwd=repo)
    return {
        "root": root,
        "data": data,
        "out": out,
        "registry": registry_path,
        "first": first,
        "second": second,
        "published": published,
        "notebooks": notebooks,
        "selection": selection,
    }


def test_run_executes_reports_and_overview(pipeline):
    first = pipeline["first"]
    assert first.returncode == 0, first.stdout + first.stderr
    runs = pipeline["out"] / "runs"
    for year in (2023, YEAR):
        report = runs / PARTNERSHIP / str(year) / "partnership_report"
        assert (report / "partnership_report.ipynb").is_file()
        assert (runs / PARTNERSHIP / str(year) / "export.csv").is_file()
        assert (runs / PARTNERSHIP / str(year) / "validation.json").is_file()
        assert (runs / "statewide" / str(year) / "statewide_overview" / "statewide_overview.ipynb").is_file()
    # 2 years x (report, brief, the shipped closer look, the dropped closer look) + 2 overviews + 1 once-notebook
    assert "ran 11," in first.stdout


def test_second_run_executes_nothing(pipeline):
    second = pipeline["second"]
    assert second.returncode == 0, second.stdout + second.stderr
    assert "ran 0, skipped 11" in second.stdout


def _outputs_text(nb) -> str:
    return "".join(
        str(o.get("text", "")) + str(o.get("data", {}).get("text/plain", ""))
        for c in nb.cells
        for o in c.get("outputs", [])
    )


def test_a_dropped_notebook_runs_per_partnership_year_with_only_what_it_declares(pipeline):
    import nbformat

    runs = pipeline["out"] / "runs"
    for year in (2023, YEAR):
        folder = runs / PARTNERSHIP / str(year) / "closer_look"
        assert (folder / "note.txt").read_text() == f"{PARTNERSHIP} {year}"  # its own output folder
        nb = nbformat.read(folder / "closer_look.ipynb", as_version=4)
        injected = next(c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", []))
        assert "data_dir" in injected.source and "output_dir" in injected.source
        assert "registry" not in injected.source and "runs_dir" not in injected.source
        # the analyst's own title, never rewritten; the seaborn chart drawn inline
        assert nb.cells[0].source == "# A closer look: work-based learning"
        assert any("image/png" in o.get("data", {}) for c in nb.cells for o in c.get("outputs", []))
        with open(pipeline["data"] / PARTNERSHIP / str(year) / "learners.csv") as fh:
            assert f"LEARNERS-IN-FILE {sum(1 for _ in fh) - 1}" in _outputs_text(nb)
    once = runs / "analyses" / "state_summary" / "state_summary.ipynb"
    assert "EXPORTS-READ 2" in _outputs_text(nbformat.read(once, as_version=4))  # after the partnership-years
    manifest = json.loads((runs / "manifest.json").read_text())
    entry = manifest["jobs"][f"{PARTNERSHIP}/{YEAR}/closer_look"]
    assert entry["scope"] == "partnership-year" and entry["title"] == "A closer look: work-based learning"
    assert entry["output_dir"] == f"{PARTNERSHIP}/{YEAR}/closer_look" and entry["status"] == "ok"
    assert manifest["jobs"]["analyses/state_summary"]["scope"] == "once"
    for field in (
        "key",
        "notebook",
        "scope",
        "partnership_id",
        "year",
        "output_dir",
        "status",
        "input_hash",
        "finished_at",
        "reason",
        "title",
    ):
        assert all(field in e for e in manifest["jobs"].values()), field


def test_dropped_notebooks_are_in_the_book_in_their_place(pipeline):
    assert pipeline["published"].returncode == 0, pipeline["published"].stdout + pipeline["published"].stderr
    book = pipeline["out"] / "2025.1" / "book"
    section = (book / "partnerships" / PARTNERSHIP / str(YEAR) / "closer_look.html").read_text(
        encoding="utf-8"
    )
    assert "<h1>A closer look: work-based learning" in section
    assert "paragraph about the partnership-year." in section
    assert "<title>A closer look: work-based learning" in section
    page = (book / "book" / "how_to_read.html").read_text(encoding="utf-8")
    # the section sits in the navigation under its year's chapter, the once-notebook in "Analyses"
    nav = page[page.index('class="bd-links') :]
    nav = nav[: nav.index("</nav>")]
    chapter = nav.index(f'{PARTNERSHIP}/{YEAR}.html">School year 2023-24</a>')
    section = nav.index(f'{PARTNERSHIP}/{YEAR}/closer_look.html">A closer look: work-based learning</a>')
    assert chapter < section < nav.index(f"{PARTNERSHIP}/2023.html")
    assert (
        nav.index("statewide/2024.html") < nav.index(">Analyses<") < nav.index("analyses/state_summary.html")
    )
    assert (book / "analyses" / "state_summary.html").is_file()
    version = pipeline["out"] / "2025.1"
    assert (version / "analyses" / f"closer_look-{PARTNERSHIP}-{YEAR}.html").is_file()
    assert (version / "analyses" / "state_summary.html").is_file()
    assert (version / "reports" / f"{PARTNERSHIP}-{YEAR}.html").is_file()
    assert (version / "reports" / f"statewide-{YEAR}.html").is_file()


def test_executed_notebooks_have_no_errors_or_warnings(pipeline):
    from conftest import notebook_noise

    assert not notebook_noise(pipeline["out"] / "runs")


def _independent_cte_participation(data: Path, year: int) -> tuple[int, int]:
    """Learners 9-12 with >= 1 completed CTE course / learners 9-12, with the csv module only."""
    folder = data / PARTNERSHIP / str(year)
    with open(folder / "learners.csv", newline="", encoding="utf-8-sig") as fh:
        high_school = {r["learner_id"] for r in csv.DictReader(fh) if 9 <= int(r["grade_level"]) <= 12}
    with open(folder / "cte_courses.csv", newline="", encoding="utf-8-sig") as fh:
        completed = {
            r["learner_id"]
            for r in csv.DictReader(fh)
            if r["is_completed"].strip().lower() in ("true", "1", "yes", "y")
        }
    return len(high_school & completed), len(high_school)


def test_rendered_report_shows_the_independently_computed_rate(pipeline):
    assert pipeline["published"].returncode == 0, pipeline["published"].stdout + pipeline["published"].stderr
    numerator, denominator = _independent_cte_participation(pipeline["data"], YEAR)
    page = pipeline["out"] / "2025.1" / "book" / "partnerships" / PARTNERSHIP / f"{YEAR}.html"
    text = page.read_text(encoding="utf-8")
    rate = f"CTE participation in {YEAR}: {numerator / denominator * 100:.1f}% of {denominator:,} learners in grades 9-12"
    counted = f"{numerator:,} learners in industry-aligned career pathways"
    assert rate in text and counted in text
    standalone = (pipeline["out"] / "2025.1" / "reports" / f"{PARTNERSHIP}-{YEAR}.html").read_text(
        encoding="utf-8"
    )
    assert rate in standalone and counted in standalone  # glued values pasted in the standalone copy too


def test_figures_and_tables_are_numbered_in_reading_order(pipeline):
    assert pipeline["published"].returncode == 0, pipeline["published"].stdout + pipeline["published"].stderr
    pages = sorted((pipeline["out"] / "2025.1" / "book").rglob("*.html"))
    numbered = 0
    for page in pages:
        text = page.read_text(encoding="utf-8")
        for kind in ("Figure", "Table"):
            numbers = [
                int(n) for n in re.findall(rf'class="pw-anchor" href="#[^"]+">{kind} (\d+)\.</a>', text)
            ]
            assert numbers == list(range(1, len(numbers) + 1)), (
                f"{page.name}: {kind.lower()}s in order {numbers}"
            )
            numbered += len(numbers)
    assert numbered > 20


def test_changing_one_year_reruns_exactly_it_and_its_overview(pipeline, tmp_path):
    out = tmp_path / "reports"
    shutil.copytree(pipeline["out"] / "runs", out / "runs")
    data = tmp_path / "data"
    shutil.copytree(pipeline["data"], data)
    survey = data / PARTNERSHIP / str(YEAR) / "stakeholder_survey.csv"
    lines = survey.read_text(encoding="utf-8").splitlines()
    survey.write_text("\n".join(lines[:-1]) + "\n", encoding="utf-8")  # one respondent fewer
    result = _pathways(
        "run",
        "--data",
        str(data),
        "--out",
        str(out),
        "--registry",
        str(pipeline["registry"]),
        *pipeline["selection"],
        cwd=pipeline["root"],
    )
    assert result.returncode == 0, result.stdout + result.stderr
    # that year's report, brief and two closer looks, its overview, and the once-notebook reading the
    # exports (the export changed); the 2023 notebooks and overview are skipped
    assert "ran 6, skipped 5" in result.stdout
    manifest = json.loads((out / "runs" / "manifest.json").read_text())
    assert manifest["jobs"][f"{PARTNERSHIP}/{YEAR}/partnership_report"]["status"] == "ok"


def test_publishing_again_refuses_and_a_second_version_leaves_the_first_identical(pipeline):
    out = pipeline["out"]
    first = out / "2025.1"

    def snapshot(folder: Path) -> dict[str, bytes]:
        return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}

    before = snapshot(first)
    again = _pathways(
        "publish",
        "2025.1",
        "--data",
        str(pipeline["data"]),
        "--out",
        str(out),
        "--registry",
        str(pipeline["registry"]),
        cwd=pipeline["root"],
    )
    assert again.returncode == 1
    assert "already published" in again.stderr
    second = _pathways(
        "publish",
        "2025.2",
        "--data",
        str(pipeline["data"]),
        "--out",
        str(out),
        "--registry",
        str(pipeline["registry"]),
        cwd=pipeline["root"],
    )
    assert second.returncode == 0, second.stdout + second.stderr
    assert snapshot(first) == before
    versions = (out / "versions.js").read_text(encoding="utf-8")
    assert '"latest": "2025.2"' in versions and '"2025.1"' in versions
    assert "2025.2/book/index.html" in (out / "latest" / "index.html").read_text(encoding="utf-8")


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.imgs: list[dict] = []
        self.remote: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "img":
            self.imgs.append(attrs)
        if tag == "script" and re.match(r"https?://", attrs.get("src") or ""):
            self.remote.append(attrs["src"])
        if (
            tag == "link"
            and re.match(r"https?://", attrs.get("href") or "")
            and attrs.get("rel") in ("stylesheet", "preload")
        ):
            self.remote.append(attrs["href"])


def test_published_pages_need_no_network_and_every_image_has_alt_text(pipeline):
    version = pipeline["out"] / "2025.1"
    pages = list((version / "book").rglob("*.html")) + list((version / "reports").glob("*.html"))
    assert pages
    for page in pages:
        parser = _Collector()
        parser.feed(page.read_text(encoding="utf-8"))
        assert not parser.remote, f"{page}: fetches {parser.remote}"
        for img in parser.imgs:
            assert (img.get("alt") or "").strip(), f"{page}: image without alt text"


def test_published_version_holds_everything(pipeline):
    version = pipeline["out"] / "2025.1"
    manifest = json.loads((version / "manifest.json").read_text())
    assert manifest["version"] == "2025.1"
    assert manifest["parameters"]["min_cell_size"] == 10
    assert f"{PARTNERSHIP}/{YEAR}/partnership_report" in manifest["runs"]
    assert (version / "exports" / f"{PARTNERSHIP}-{YEAR}.csv").is_file()
    assert (version / "validation" / f"{PARTNERSHIP}-{YEAR}.json").is_file()
    assert (version / "book" / "index.html").is_file()
    assert (version / "book" / "book" / "methods.html").is_file()
    cite = (version / "book" / "partnerships" / PARTNERSHIP / f"{YEAR}.html").read_text(encoding="utf-8")
    assert "Cite this report" in cite and "@techreport" in cite and "reports/2025.1/book/partnerships" in cite
    # beside the versions: the switcher's list, the redirects, and the icon browsers ask the host for
    for name in ("versions.json", "versions.js", "index.html", "latest/index.html", "favicon.ico"):
        assert (pipeline["out"] / name).is_file(), name


def test_the_printed_report_leaves_no_half_page_blank(pipeline):
    """A heading, a tall chart or a section's tables that do not fit the rest of a page must not leave
    half of it blank (the lab template kept each cell output whole, which did)."""
    from pypdf import PdfReader

    from conftest import lowest_text_share

    pdf = pipeline["out"] / "2025.1" / "reports" / f"{PARTNERSHIP}-{YEAR}.pdf"
    if not pdf.is_file():
        pytest.skip("Debian's chromium is not installed (.ci/run installs it)")
    pages = PdfReader(str(pdf)).pages
    filled = {number: lowest_text_share(page) for number, page in enumerate(pages[:-1], start=1)}
    assert len(pages) > 10  # the full report, every folded table printed open
    assert not {n: round(share, 2) for n, share in filled.items() if share < 0.55}


# ------------------------------------------------------------------ in a browser
@pytest.fixture(scope="module")
def served(pipeline):
    """The published folder on a localhost HTTP server (the switcher needs HTTP or a static host)."""
    import functools
    import http.server
    import threading

    handler = functools.partial(_QuietHandler, directory=str(pipeline["out"]))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


class _QuietHandler(__import__("http.server").server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep test output readable
        pass


@pytest.fixture(scope="module")
def browser():
    from conftest import chromium_path

    path = chromium_path()
    if path is None:
        pytest.skip("Debian's chromium is not installed (.ci/run installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=path, args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
        )
        yield b
        b.close()


def _open(browser, url):
    page = browser.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    failed: list[str] = []
    page.on("requestfailed", lambda r: failed.append(r.url))
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    response = page.goto(url, wait_until="networkidle")
    assert response is not None and response.ok, url
    return page, errors, failed


@pytest.mark.browser
def test_landing_page_and_report_render_without_errors(browser, served):
    page, errors, failed = _open(browser, f"{served}/2025.1/book/index.html")
    assert not failed, failed
    assert "partnership" in page.inner_text("main").lower()
    link = page.locator(f"nav a[href*='partnerships/{PARTNERSHIP}/{YEAR}']").first
    link.click()
    page.wait_for_load_state("networkidle")
    assert f"partnerships/{PARTNERSHIP}/{YEAR}" in page.url
    body = page.inner_text("main")
    assert "Figure 1" in body and "Cite this report" in body
    images = page.locator("main img")
    assert images.count() > 0
    for i in range(images.count()):
        assert (images.nth(i).get_attribute("alt") or "").strip()
    assert not errors, errors
    assert not failed, failed
    page.close()


@pytest.mark.browser
def test_version_switcher_lists_both_versions_and_marks_the_latest(browser, served, pipeline):
    assert (pipeline["out"] / "2025.2").is_dir(), "the publish test makes 2025.2 first"
    page, errors, _ = _open(browser, f"{served}/2025.1/book/index.html")
    switcher = page.locator(".pw-version").first
    switcher.locator("summary").click()
    items = switcher.locator(".pw-version-list a")
    labels = [items.nth(i).inner_text() for i in range(items.count())]
    assert any(label.startswith("2025.2 (latest)") for label in labels), labels
    assert any(label.startswith("2025.1") for label in labels), labels
    switcher.locator(".pw-version-list a", has_text="2025.2").first.click()
    page.wait_for_load_state("networkidle")
    assert "/2025.2/book/" in page.url
    page.goto(f"{served}/latest/index.html", wait_until="networkidle")
    assert "/2025.2/book/" in page.url
    assert not errors, errors
    page.close()


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 800, 400])
def test_the_sticky_header_holds_the_switcher_and_covers_nothing_of_the_sidebar(browser, served, width):
    """The version switcher sits inside the article's sticky header, beside the sidebar toggle (it
    hung below the bar over the first line of text), and no top bar covers the sidebar's title or
    search field (pydata-sphinx-theme 0.17 added one unless told otherwise)."""
    page = browser.new_page(viewport={"width": width, "height": 800})
    page.goto(f"{served}/2025.1/book/partnerships/{PARTNERSHIP}/{YEAR}.html", wait_until="networkidle")
    header, switcher, toggle = (
        page.locator(selector).first.bounding_box()
        for selector in (".bd-header-article", ".pw-version summary", ".bd-header-article .primary-toggle")
    )
    bottom = lambda box: box["y"] + box["height"]  # noqa: E731
    middle = lambda box: box["y"] + box["height"] / 2  # noqa: E731
    assert header["y"] <= switcher["y"] and bottom(switcher) <= bottom(header), (header, switcher)
    assert abs(middle(switcher) - middle(toggle)) < 4, (switcher, toggle)
    assert page.locator("#pst-header").evaluate("e => e.getBoundingClientRect().height") == 0
    if width >= 960:  # the primary sidebar is shown beside the article
        visible = page.evaluate(
            """() => [...document.querySelectorAll('.bd-sidebar-primary .search-button-field, .bd-sidebar-primary .navbar-brand')]
                 .map(e => { const r = e.getBoundingClientRect(), hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
                             return r.height > 0 && hit !== null && e.contains(hit); })"""
        )
        assert visible and all(visible), visible
    page.close()


@pytest.mark.browser
def test_search_finds_a_report(browser, served):
    page, errors, _ = _open(browser, f"{served}/2025.1/book/search.html?q=graduation")
    page.wait_for_selector("#search-results li", timeout=20_000)
    assert page.locator("#search-results li").count() > 0
    assert not errors, errors
    page.close()


def test_no_broken_internal_links(pipeline):
    from urllib.parse import unquote, urlparse

    book = pipeline["out"] / "2025.1" / "book"
    broken = []
    for page in book.rglob("*.html"):
        if "_static" in page.parts:  # theme templates shipped as files, not pages
            continue
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8"))
        for href in parser.hrefs:
            url = urlparse(href)
            if url.scheme or href.startswith(("#", "mailto:", "data:", "javascript:")) or not url.path:
                continue
            target = (page.parent / unquote(url.path)).resolve()
            inside_versions = pipeline["out"].resolve()
            if not target.exists() and inside_versions in target.parents:
                broken.append(f"{page.relative_to(book)} -> {href}")
    assert not broken, broken[:20]


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for key in ("href", "src"):
            if attrs.get(key) and tag in ("a", "link", "img", "script"):
                self.hrefs.append(attrs[key])


AXE = Path(__file__).resolve().parents[1] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.mark.browser
def test_every_kind_of_page_passes_axe_and_loads_nothing_from_another_host(pipeline):
    """axe-core (from npm, at test time only) with the WCAG 2.1 A and AA rules on each kind of
    page a reader opens: landing, report, brief, overview, methods, templates, cite, and the
    standalone report and brief. Every request a page makes stays on the reader's disk."""
    from conftest import chromium_path

    path = chromium_path()
    if path is None:
        pytest.skip("Debian's chromium is not installed (.ci/run installs it)")
    if not AXE.is_file():
        pytest.skip("axe-core is not installed: make test installs it with npm ci (needs Node)")
    from playwright.sync_api import sync_playwright

    assert pipeline["published"].returncode == 0, pipeline["published"].stdout + pipeline["published"].stderr
    version = pipeline["out"] / "2025.1"
    pages = [
        "book/book/index.html",
        f"book/partnerships/{PARTNERSHIP}/{YEAR}.html",
        f"book/partnerships/{PARTNERSHIP}/{YEAR}/partnership_brief.html",
        f"book/statewide/{YEAR}.html",
        "book/book/methods.html",
        "book/book/data_templates.html",
        "book/book/cite.html",
        f"reports/{PARTNERSHIP}-{YEAR}.html",
        f"briefs/{PARTNERSHIP}-{YEAR}.html",
    ]
    violations, outside = {}, []

    def check() -> None:  # in a thread of its own: an earlier test may leave an asyncio loop running here
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=path,
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            )
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.on(
                "request",
                lambda r: (
                    outside.append(f"{page.url} -> {r.url}")
                    if not r.url.startswith(("file://", "data:", "blob:", "about:"))
                    else None
                ),
            )
            for rel in pages:
                page.goto((version / rel).as_uri(), wait_until="load")
                page.add_script_tag(path=str(AXE))
                found = page.evaluate(
                    """async tags => (await axe.run(document, {runOnly: {type: 'tag', values: tags}}))
                    .violations.map(v => `${v.id} (${v.impact}, ${v.nodes.length}x): ${v.help}; ` +
                                         v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '))""",
                    WCAG_21_AA,
                )
                if found:
                    violations[rel] = found
            browser.close()

    for rel in pages:
        assert (version / rel).is_file(), rel
    with ThreadPoolExecutor(max_workers=1) as thread:
        thread.submit(check).result()
    assert not violations, "\n".join(f"{rel}:\n  " + "\n  ".join(v) for rel, v in violations.items())
    assert not outside, outside


def test_with_a_base_url_every_stable_address_is_absolute_and_they_agree(pipeline, tmp_path):
    """BibTeX, APA, the stable-address line, the canonical link and CITATION.cff name one absolute address."""
    from pathways.book.publish import _write_citation

    base = "https://data.example.org/pathways/"
    result = _pathways(
        "build",
        "--base-url",
        base,
        "--out",
        str(pipeline["out"]),
        "--registry",
        str(pipeline["registry"]),
        cwd=pipeline["root"],
    )
    assert result.returncode == 0, result.stdout + result.stderr
    page = f"partnerships/{PARTNERSHIP}/{YEAR}"
    address = f"{base}draft/book/{page}.html"  # a preview is the version "draft"
    text = (pipeline["root"] / "_build" / "html" / f"{page}.html").read_text(encoding="utf-8")
    assert f"Stable address:\n    <code>{address}</code>" in text and "a relative address" not in text
    assert re.search(rf'<p class="pw-apa">.*{re.escape(address)}</p>', text, flags=re.DOTALL)
    assert f"url         = {{{address}}}" in text
    assert f'<link rel="canonical" href="{address}"' in text
    _write_citation(tmp_path, "2025.2", "2026-12-03", base)
    cff = yaml.safe_load((tmp_path / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["url"] == cff["preferred-citation"]["url"] == f"{base}2025.2/book/index.html"
    # without one, the published page says its address is relative
    plain = (pipeline["out"] / "2025.1" / "book" / f"{page}.html").read_text(encoding="utf-8")
    assert f"<code>reports/2025.1/book/{page}.html</code> (a relative address" in plain


def test_a_base_url_that_is_no_web_address_is_refused(pipeline, tmp_path):
    result = _pathways(
        "publish",
        "2025.3",
        "--base-url",
        "javascript:alert(1)//",
        "--data",
        str(pipeline["data"]),
        "--out",
        str(pipeline["out"]),
        "--registry",
        str(pipeline["registry"]),
        cwd=pipeline["root"],
    )
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "is not a web address" in result.stderr
    assert not (pipeline["out"] / "2025.3").exists()
