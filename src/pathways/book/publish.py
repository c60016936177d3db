"""``pathways publish <version>``: freeze the book into ``reports/<version>/``.

A version is built aside in a staging folder and appears in one step (a rename on the
same file system), after the disclosure audit passed. An existing version is never
overwritten. The switcher list (``reports/versions.js``), ``reports/latest/`` and
``reports/index.html`` live outside the version folders and are replaced atomically.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import nbformat
import yaml

from pathways import __version__
from pathways.book import standalone
from pathways.book.assemble import (
    ASSETS,
    Page,
    assemble,
    book_identity,
    build,
    check_base_url,
    configured_base_url,
    published_pages,
)
from pathways.book.generated_pages import stable_address
from pathways.errors import PathwaysError
from pathways.io.atomic import write_atomically
from pathways.io.project import checkout_root
from pathways.io.registry import Registry
from pathways.pipeline.notebook_specs import PAPERS
from pathways.pipeline.run import job_folder, load_manifest, runs_dir

# ASCII digits only: "٢٠٩٩.٢" is not a version (re's \d would take it, and it would sort as "latest").
VERSION_PATTERN = r"^[0-9]{4}\.[0-9]{1,3}$"
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")


class PublishRefused(PathwaysError):
    """The version exists already, is not a calendar version, or failed the audit."""


def check_version(version: str) -> str:
    if not isinstance(version, str) or not re.fullmatch(VERSION_PATTERN, version, flags=re.ASCII):
        raise PublishRefused(f"version {version!r} is not a calendar version such as 2025.1 (year.number)")
    return version


def published_versions(out_dir: Path) -> list[str]:
    out_dir = Path(out_dir)
    if not out_dir.is_dir():
        return []
    found = [
        p.name
        for p in out_dir.iterdir()
        if p.is_dir()
        and re.fullmatch(VERSION_PATTERN, p.name, flags=re.ASCII)
        and (p / "manifest.json").is_file()
    ]
    return sorted(found, key=lambda v: tuple(int(x) for x in v.split(".")))


def find_chromium() -> str | None:
    env = os.environ.get("PATHWAYS_CHROMIUM")
    for candidate in ((env,) if env else ()) + CHROMIUM_CANDIDATES:
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


def publish(
    version: str,
    *,
    registry: Registry,
    data_dir: Path,
    out_dir: Path,
    base_url: str | None = None,
    if_missing: bool = False,
    log=print,
) -> Path:
    from pathways.pipeline.runlock import folder_lock

    check_version(version)
    base_url = configured_base_url() if base_url is None else check_base_url(base_url)
    out_dir = Path(out_dir)
    target = out_dir / version
    if target.exists():
        if if_missing:
            log(f"version {version} is already published; left untouched")
            return target
        raise PublishRefused(
            f"version {version} is already published at {target}; a published version is never "
            "overwritten — publish a new version number instead"
        )
    with folder_lock(out_dir, "publish", log=log):
        return _publish_locked(
            version, target, registry=registry, data_dir=data_dir, out_dir=out_dir, base_url=base_url, log=log
        )


def _publish_locked(
    version: str, target: Path, *, registry: Registry, data_dir: Path, out_dir: Path, base_url: str, log
) -> Path:
    pages = published_pages(out_dir, registry)
    if not any(p.entry["scope"] == "partnership-year" for p in pages):
        raise PublishRefused("there is no successful report to publish; run `pathways run` first")
    for stale in out_dir.glob(f".staging-{version}-*"):  # left by a publish that was killed
        shutil.rmtree(stale, ignore_errors=True)
    staging = out_dir / f".staging-{version}-{os.getpid()}"
    staging.mkdir(parents=True)
    try:
        published = datetime.now(UTC).date().isoformat()
        src = assemble(
            staging / "_src",
            out_dir=out_dir,
            registry=registry,
            version=version,
            base_url=base_url,
            published=published,
        )
        build(src, staging / "book")
        shutil.rmtree(src)
        _standalone(staging, out_dir, pages, log)
        _copy_exports_and_validation(staging, out_dir, pages)
        _write_citation(staging, version, published, base_url)
        _write_manifest(staging, version, published, registry, data_dir, out_dir)
        from pathways.book.audit import audit_version

        findings = audit_version(staging, data_dir=data_dir, registry=registry)
        if findings:
            listed = "\n".join(f"  - {f}" for f in findings[:20])
            raise PublishRefused(
                f"the disclosure audit found {len(findings)} problem(s); nothing was published:\n{listed}"
            )
        if target.exists():  # another publish won the race
            raise PublishRefused(f"version {version} appeared while building; left untouched")
        os.rename(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    update_index(out_dir)
    return target


def standalone_name(page: Page, used: set[str]) -> str:
    """File name (no suffix) of a page's standalone copy in its collection folder."""
    e = page.entry
    owner = {
        "partnership-year": f"{e.get('partnership_id')}-{e.get('year')}",
        "year": f"statewide-{e.get('year')}",
        "once": "",
    }[e["scope"]]
    if e.get("collection") == "analyses" or not owner:
        name = "-".join(x for x in (e["notebook"], owner) if x)
    else:
        name = owner if owner not in used else f"{owner}-{e['notebook']}"
    used.add(name)
    return name


def standalone_html(notebook: nbformat.NotebookNode, paper: str = "letter") -> str:
    """An executed notebook as one self-contained HTML file: no code, the project's stylesheet and
    images inline, printed on ``paper`` ("letter" or "a4"); its title is the notebook's heading."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        template_name="standalone",
        extra_template_basedirs=[str(ASSETS)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
    )
    resources = {
        "pathways_css": (ASSETS / "_static" / "pathways.css").read_text(encoding="utf-8"),
        "pathways_paper": {"a4": "A4"}.get(paper, paper),
    }
    body, _ = exporter.from_notebook_node(standalone.prepare(notebook), resources=resources)
    return body


def _standalone(staging: Path, out_dir: Path, pages: list[Page], log) -> None:
    """Every page as standalone HTML (and PDF, with Chromium) in its collection folder; a notebook's
    ``max_pages`` is checked on its paper."""
    chromium = find_chromium()
    if chromium is None:
        log(
            "note: Debian's Chromium is not installed (apt-get install chromium), so the standalone reports are "
            "HTML only and page limits (max_pages) are not checked; install it and publish a new version to get "
            "PDFs"
        )
    used: dict[str, set[str]] = {}
    too_long: list[str] = []
    for page in pages:
        e = page.entry
        folder = staging / e.get("collection", "analyses")
        folder.mkdir(exist_ok=True)
        name = standalone_name(page, used.setdefault(folder.name, set()))
        paper = e.get("paper", "letter")
        notebook = nbformat.read(job_folder(out_dir, e) / f"{e['notebook']}.ipynb", as_version=4)
        html_path = folder / f"{name}.html"
        html_path.write_text(standalone_html(notebook, paper), encoding="utf-8")
        if chromium:
            pdf = html_path.with_suffix(".pdf")
            print_pdf(chromium, html_path, pdf)
            if e.get("max_pages"):
                printed = pdf_pages(pdf, paper)
                if printed > int(e["max_pages"]):
                    too_long.append(
                        f"{folder.name}/{pdf.name} ({e['key']}) prints on {printed} pages of {paper} "
                        f"paper; its notebook allows at most {e['max_pages']} (max_pages)"
                    )
    if too_long:
        raise PublishRefused(
            "a report is longer than its notebook allows, so nothing was published: "
            + "; ".join(too_long)
            + ". Shorten it, or raise max_pages in the notebook's metadata."
        )


def pdf_pages(pdf: Path, paper: str) -> int:
    from pypdf import PdfReader

    reader = PdfReader(str(pdf))
    width, height = (float(x) / 72 for x in reader.pages[0].mediabox[2:])
    expected = PAPERS[paper]
    if abs(width - expected[0]) > 0.1 or abs(height - expected[1]) > 0.1:
        raise PathwaysError(f"{pdf.name} printed on {width:.2f} x {height:.2f} in paper instead of {paper}")
    return len(reader.pages)


def print_pdf(chromium: str, html_path: Path, pdf_path: Path) -> None:
    profile = html_path.parent / f".chromium-{os.getpid()}"
    cmd = [
        chromium,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
        f"--user-data-dir={profile}",
        "--no-pdf-header-footer",
        f"--print-to-pdf={pdf_path}",
        html_path.resolve().as_uri(),
    ]
    try:
        subprocess.run(cmd, capture_output=True, timeout=180, check=False)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    if not pdf_path.is_file() or pdf_path.stat().st_size == 0:
        raise PathwaysError(f"Chromium could not print {html_path.name} to PDF")


def _copy_exports_and_validation(staging: Path, out_dir: Path, pages: list[Page]) -> None:
    """Each published partnership-year's export and gate results, from the one place the run writes them."""
    exports, validation = staging / "exports", staging / "validation"
    exports.mkdir()
    validation.mkdir()
    combined: list[str] = []
    pys = sorted(
        {
            (p.entry["partnership_id"], int(p.entry["year"]))
            for p in pages
            if p.entry["scope"] == "partnership-year"
        },
        key=lambda x: (x[0], x[1]),
    )
    for pid, year in pys:
        run = runs_dir(out_dir) / pid / str(year)
        if not (run / "export.csv").is_file():
            continue
        text = (run / "export.csv").read_text(encoding="utf-8")
        (exports / f"{pid}-{year}.csv").write_text(text, encoding="utf-8")
        lines = text.splitlines()
        combined.extend(lines if not combined else lines[1:])
        if (run / "validation.json").is_file():
            shutil.copy2(run / "validation.json", validation / f"{pid}-{year}.json")
    (exports / "all_partnerships.csv").write_text("\n".join(combined) + "\n", encoding="utf-8")


def _write_citation(staging: Path, version: str, published: str, base_url: str) -> None:
    """``CITATION.cff`` of this version of the book: the reference the cite page gives, for reference managers."""
    url = stable_address(version, "index", base_url)
    title, publisher = book_identity()
    reference = {
        "type": "report",
        "title": title,
        "authors": [{"name": publisher}],
        "publisher": {"name": publisher},
        "version": version,
        "year": int(published[:4]),
        "date-released": published,
    }
    if base_url:
        reference["url"] = url
    cff = {
        "cff-version": "1.2.0",
        "message": "To cite this version of the book, use this reference. A partnership's own pages name its "
        "convener as author in their 'Cite this report' block."
        + ("" if base_url else f" Published without a base address: its address is relative ({url})."),
        "type": "dataset",
        "title": title,
        "authors": [{"name": publisher}],
        "version": version,
        "date-released": published,
        **({"url": url} if base_url else {}),
        "preferred-citation": reference,
    }
    (staging / "CITATION.cff").write_text(
        yaml.safe_dump(cff, sort_keys=False, allow_unicode=True), encoding="utf-8"
    )


def _git_commit() -> str:
    """The commit of the code that built the version (an installed package has none: "unknown")."""
    checkout = checkout_root()
    if checkout is None:
        return "unknown"
    try:
        proc = subprocess.run(
            ["git", "-C", str(checkout), "describe", "--always", "--dirty", "--tags"],
            capture_output=True,
            text=True,
            timeout=10,
        )
        return proc.stdout.strip() or "unknown"
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def _write_manifest(
    staging: Path, version: str, published: str, registry: Registry, data_dir: Path, out_dir: Path
) -> None:
    jobs = load_manifest(out_dir)["jobs"]
    files = {}
    for path in sorted(staging.rglob("*")):
        if path.is_file():
            files[str(path.relative_to(staging))] = hashlib.sha256(path.read_bytes()).hexdigest()
    manifest = {
        "version": version,
        "published": published,
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "code": {"package_version": __version__, "git": _git_commit()},
        "parameters": {"min_cell_size": registry.min_cell_size, "partnerships": registry.ids},
        "runs": {
            k: {"input_hash": v.get("input_hash"), "finished_at": v.get("finished_at")}
            for k, v in sorted(jobs.items())
            if v.get("status") == "ok"
        },
        "files": files,
    }
    (staging / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")


def update_index(out_dir: Path) -> None:
    """Rewrite the switcher list, ``latest/`` and the top index from the versions on disk."""
    out_dir = Path(out_dir)
    versions = published_versions(out_dir)
    if not versions:
        return
    latest = versions[-1]
    entries = []
    for v in reversed(versions):
        meta = json.loads((out_dir / v / "manifest.json").read_text(encoding="utf-8"))
        entries.append({"version": v, "date": meta.get("published", "")})
    payload = json.dumps({"latest": latest, "versions": entries}, indent=1)
    write_atomically(
        out_dir / "versions.js",
        f"window.PATHWAYS_VERSIONS = {payload};\n"
        "if (window.pathwaysRenderSwitcher) { window.pathwaysRenderSwitcher(); }\n",
    )
    write_atomically(out_dir / "versions.json", payload + "\n")
    redirect = (
        f'<!doctype html><meta charset="utf-8"><title>Latest version: {latest}</title>'
        '<link rel="icon" href="data:,">'
        f'<meta http-equiv="refresh" content="0; url=../{latest}/book/index.html">'
        f'<p>The latest version is <a href="../{latest}/book/index.html">{latest}</a>.</p>\n'
    )
    (out_dir / "latest").mkdir(exist_ok=True)
    write_atomically(out_dir / "latest" / "index.html", redirect)
    write_atomically(out_dir / "index.html", redirect.replace("../", ""))
    # Browsers ask a host's root for /favicon.ico whatever the page declares (redirect pages
    # above all); served from the reports folder, that request finds the project's icon.
    write_atomically(out_dir / "favicon.ico", (ASSETS / "_static" / "pathways-favicon.ico").read_bytes())
