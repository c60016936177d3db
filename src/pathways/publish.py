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

from pathways import __version__, standalone
from pathways.atomic import write_atomically
from pathways.book import ASSETS, assemble, build, successful_runs
from pathways.errors import PathwaysError
from pathways.registry import Registry
from pathways.run import REPO_ROOT, load_manifest, runs_dir

VERSION_PATTERN = r"^\d{4}\.\d{1,3}$"
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")


class PublishRefused(PathwaysError):
    """The version exists already, is not a calendar version, or failed the audit."""


def check_version(version: str) -> str:
    if not re.fullmatch(VERSION_PATTERN, version or ""):
        raise PublishRefused(f"version {version!r} is not a calendar version such as 2025.1 (year.number)")
    return version


def published_versions(out_dir: Path) -> list[str]:
    out_dir = Path(out_dir)
    if not out_dir.is_dir():
        return []
    found = [p.name for p in out_dir.iterdir()
             if p.is_dir() and re.fullmatch(VERSION_PATTERN, p.name) and (p / "manifest.json").is_file()]
    return sorted(found, key=lambda v: tuple(int(x) for x in v.split(".")))


def find_chromium() -> str | None:
    env = os.environ.get("PATHWAYS_CHROMIUM")
    for candidate in ((env,) if env else ()) + CHROMIUM_CANDIDATES:
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


def publish(version: str, *, registry: Registry, data_dir: Path, out_dir: Path, base_url: str = "",
            if_missing: bool = False, log=print) -> Path:
    check_version(version)
    out_dir = Path(out_dir)
    target = out_dir / version
    if target.exists():
        if if_missing:
            log(f"version {version} is already published; left untouched")
            return target
        raise PublishRefused(f"version {version} is already published at {target}; a published version is never "
                             "overwritten — publish a new version number instead")
    runs = successful_runs(out_dir, registry)
    if not any(k != "statewide" for k in runs):
        raise PublishRefused("there is no successful report to publish; run `pathways run` first")
    for stale in out_dir.glob(f".staging-{version}-*"):  # left by a publish that was killed
        shutil.rmtree(stale, ignore_errors=True)
    staging = out_dir / f".staging-{version}-{os.getpid()}"
    staging.mkdir(parents=True)
    try:
        published = datetime.now(UTC).date().isoformat()
        src = assemble(staging / "_src", out_dir=out_dir, registry=registry, version=version, base_url=base_url,
                       published=published)
        build(src, staging / "book")
        shutil.rmtree(src)
        _standalone_reports(staging, out_dir, runs, log)
        _copy_exports_and_validation(staging, out_dir, runs)
        _write_manifest(staging, version, published, registry, data_dir, out_dir)
        from pathways.audit import audit_version

        findings = audit_version(staging, data_dir=data_dir, registry=registry)
        if findings:
            listed = "\n".join(f"  - {f}" for f in findings[:20])
            raise PublishRefused(f"the disclosure audit found {len(findings)} problem(s); nothing was published:\n"
                                 f"{listed}")
        if target.exists():  # another publish won the race
            raise PublishRefused(f"version {version} appeared while building; left untouched")
        os.rename(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    update_index(out_dir)
    return target


def _standalone_reports(staging: Path, out_dir: Path, runs: dict[str, list[int]], log) -> None:
    from nbconvert import HTMLExporter

    folder = staging / "reports"
    folder.mkdir()
    exporter = HTMLExporter(template_name="lab", exclude_input=True, exclude_input_prompt=True,
                            exclude_output_prompt=True, embed_images=True)
    exporter.mathjax_url = ""
    exporter.require_js_url = ""
    exporter.widget_renderer_url = ""
    css = (Path(__file__).parent / "book_assets" / "_static" / "pathways.css").read_text(encoding="utf-8")
    chromium = find_chromium()
    if chromium is None:
        log("note: Debian's Chromium is not installed (apt-get install chromium), so the standalone reports are "
            "HTML only; install it and publish a new version to get PDFs")
    for pid, years in runs.items():
        for year in years:
            nb = runs_dir(out_dir) / pid / str(year) / ("overview.ipynb" if pid == "statewide" else "report.ipynb")
            body, _ = exporter.from_notebook_node(standalone.prepare(nbformat.read(nb, as_version=4)))
            body = _strip_remote(body).replace("</head>", f"<style>{css}</style></head>", 1)
            html_path = folder / f"{pid}-{year}.html"
            html_path.write_text(body, encoding="utf-8")
            if chromium:
                _print_pdf(chromium, html_path, html_path.with_suffix(".pdf"))


def _strip_remote(html: str) -> str:
    """Drop any script or stylesheet a template would fetch from the network."""
    html = re.sub(r"<script[^>]+src=\"https?://[^\"]*\"[^>]*>\s*</script>", "", html)
    return re.sub(r"<link[^>]+href=\"https?://[^\"]*\"[^>]*>", "", html)


def _print_pdf(chromium: str, html_path: Path, pdf_path: Path) -> None:
    profile = html_path.parent / f".chromium-{os.getpid()}"
    cmd = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
           "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
           f"--user-data-dir={profile}", "--no-pdf-header-footer", f"--print-to-pdf={pdf_path}",
           html_path.resolve().as_uri()]
    try:
        subprocess.run(cmd, capture_output=True, timeout=180, check=False)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    if not pdf_path.is_file() or pdf_path.stat().st_size == 0:
        raise PathwaysError(f"Chromium could not print {html_path.name} to PDF")


def _copy_exports_and_validation(staging: Path, out_dir: Path, runs: dict[str, list[int]]) -> None:
    exports, validation = staging / "exports", staging / "validation"
    exports.mkdir()
    validation.mkdir()
    combined: list[str] = []
    for pid, years in runs.items():
        if pid == "statewide":
            continue
        for year in years:
            run = runs_dir(out_dir) / pid / str(year)
            text = (run / "export.csv").read_text(encoding="utf-8")
            (exports / f"{pid}-{year}.csv").write_text(text, encoding="utf-8")
            lines = text.splitlines()
            combined.extend(lines if not combined else lines[1:])
            if (run / "validation.json").is_file():
                shutil.copy2(run / "validation.json", validation / f"{pid}-{year}.json")
    (exports / "all_partnerships.csv").write_text("\n".join(combined) + "\n", encoding="utf-8")


def _git_commit() -> str:
    try:
        proc = subprocess.run(["git", "-C", str(REPO_ROOT), "describe", "--always", "--dirty", "--tags"],
                              capture_output=True, text=True, timeout=10)
        return proc.stdout.strip() or "unknown"
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def _write_manifest(staging: Path, version: str, published: str, registry: Registry, data_dir: Path,
                    out_dir: Path) -> None:
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
        "runs": {k: {"input_hash": v.get("input_hash"), "finished_at": v.get("finished_at")}
                 for k, v in sorted(jobs.items()) if v.get("status") == "ok"},
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
    write_atomically(out_dir / "versions.js", f"window.PATHWAYS_VERSIONS = {payload};\n"
                     "if (window.pathwaysRenderSwitcher) { window.pathwaysRenderSwitcher(); }\n")
    write_atomically(out_dir / "versions.json", payload + "\n")
    redirect = (f'<!doctype html><meta charset="utf-8"><title>Latest version: {latest}</title>'
                '<link rel="icon" href="data:,">'
                f'<meta http-equiv="refresh" content="0; url=../{latest}/book/index.html">'
                f'<p>The latest version is <a href="../{latest}/book/index.html">{latest}</a>.</p>\n')
    (out_dir / "latest").mkdir(exist_ok=True)
    write_atomically(out_dir / "latest" / "index.html", redirect)
    write_atomically(out_dir / "index.html", redirect.replace("../", ""))
    # Browsers ask a host's root for /favicon.ico whatever the page declares (redirect pages
    # above all); served from the reports folder, that request finds the project's icon.
    write_atomically(out_dir / "favicon.ico", (ASSETS / "_static" / "pathways-favicon.ico").read_bytes())

