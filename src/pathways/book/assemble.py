"""``pathways build``: assemble the Jupyter Book's source tree and build it.

The tree is made fresh in a build folder from: the top-level ``_config.yml`` (plus the
version, date and citation details), ``_toc.yml`` (plus a part per partnership with a
chapter per school year that has a successful full report and, as its sections, the other
partnership-year notebooks of that year; a part "Statewide" with the year notebooks; a part
"Analyses" with the once-notebooks), the hand-written pages in ``book/``, pages generated
from the indicator catalogue, the data dictionary and the run manifest, and the executed
notebooks, each under its own first heading. Jupyter Book never executes a notebook here;
warnings are errors.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.resources import files
from pathlib import Path

import yaml

from pathways.book import generated_pages
from pathways.errors import PathwaysError
from pathways.io.markdown import md_escape
from pathways.io.project import project_path
from pathways.io.registry import Registry
from pathways.pipeline.run import job_folder, load_manifest

ASSETS = Path(str(files("pathways").joinpath("book_assets")))
BASE_URL_PATTERN = r"^https?://[A-Za-z0-9.\-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~\-/%]*)?$"


class BuildError(PathwaysError):
    """Jupyter Book failed (a warning counts as a failure)."""


@dataclass(frozen=True)
class Page:
    """A successful notebook run and where it sits in the book."""

    entry: dict
    docname: str  # path in the book without suffix: partnerships/denver/2024
    chapter: bool  # a chapter of its part (else a section of its year's chapter)

    @property
    def key(self) -> str:
        return self.entry["key"]


def check_base_url(base_url: str) -> str:
    """The address the output folder is served from, normalised to end in ``/``; empty when unset."""
    base_url = (base_url or "").strip()
    if not base_url:
        return ""
    if not re.fullmatch(BASE_URL_PATTERN, base_url, flags=re.ASCII):
        raise PathwaysError(
            f"base_url {base_url!r} is not a web address such as https://data.example.org/pathways/ "
            "(http or https, ASCII, no spaces or quotes)"
        )
    return base_url.rstrip("/") + "/"


def configured_base_url() -> str:
    """``pathways.base_url`` of the top-level ``_config.yml`` (the ``--base-url`` option overrides it)."""
    config = yaml.safe_load(project_path("_config.yml").read_text(encoding="utf-8")) or {}
    return check_base_url(str((config.get("pathways") or {}).get("base_url") or ""))


def book_identity() -> tuple[str, str]:
    """The book's title and its publisher (the project: ``author`` in ``_config.yml``)."""
    config = yaml.safe_load(project_path("_config.yml").read_text(encoding="utf-8")) or {}
    return str(config.get("title") or "Partnership Progress Reports"), str(config.get("author") or "Pathways")


def _by_order(entries: list[dict]) -> list[dict]:
    return sorted(entries, key=lambda e: (float(e.get("order", 100)), e["notebook"]))


def _primary(entries: list[dict]) -> dict | None:
    """The notebook that owns the short address of its scope (``<year>.html``): the first full report."""
    return next((e for e in _by_order(entries) if e.get("collection") == "reports"), None)


def published_pages(out_dir: Path, registry: Registry) -> list[Page]:
    """Every successful run the book shows, in book order (partnerships in registry order, latest year
    first; then the statewide year notebooks; then the once-notebooks)."""
    jobs = load_manifest(out_dir)["jobs"]
    ok = [
        e
        for e in jobs.values()
        if e.get("status") == "ok" and (job_folder(out_dir, e) / f"{e['notebook']}.ipynb").is_file()
    ]
    pages: list[Page] = []

    def year_pages(entries: list[dict], owner_path: str) -> None:
        for year in sorted({e["year"] for e in entries}, reverse=True):
            of_year = [e for e in entries if e["year"] == year]
            primary = _primary(of_year)
            ordered = _by_order(of_year)
            chapter = primary or ordered[0]
            for e in [chapter, *(x for x in ordered if x is not chapter)]:
                name = f"{owner_path}/{year}" if e is primary else f"{owner_path}/{year}/{e['notebook']}"
                pages.append(Page(e, name, e is chapter))

    for pid in registry.ids:
        year_pages(
            [e for e in ok if e.get("scope") == "partnership-year" and e.get("partnership_id") == pid],
            f"partnerships/{pid}",
        )
    year_pages([e for e in ok if e.get("scope") == "year"], "statewide")
    for e in _by_order([e for e in ok if e.get("scope") == "once"]):
        pages.append(Page(e, f"analyses/{e['notebook']}", True))
    return pages


def school_year(year: int) -> str:
    return f"School year {year - 1}-{str(year)[-2:]}"


def assemble(
    src: Path,
    *,
    out_dir: Path,
    registry: Registry,
    version: str,
    base_url: str = "",
    published: str | None = None,
) -> Path:
    """Write the book's source tree into ``src`` (emptied first)."""
    src = Path(src)
    shutil.rmtree(src, ignore_errors=True)
    src.mkdir(parents=True)
    published = published or datetime.now(UTC).date().isoformat()
    base_url = check_base_url(base_url)
    pages = published_pages(out_dir, registry)
    config = yaml.safe_load(project_path("_config.yml").read_text(encoding="utf-8"))
    book_title, publisher = book_identity()

    shutil.copytree(ASSETS / "_templates", src / "_templates")
    shutil.copytree(ASSETS / "_static", src / "_static")
    shutil.copytree(ASSETS / "_ext", src / "_ext", ignore=shutil.ignore_patterns("__pycache__"))
    (src / "book").mkdir()
    for page in ("how_to_read.md", "editing_reports.md"):
        shutil.copy2(project_path("book") / page, src / "book" / page)
    shutil.copytree(project_path("data_templates"), src / "book" / "downloads", dirs_exist_ok=True)

    authors: dict[str, str] = {}
    for page in pages:
        target = src / f"{page.docname}.ipynb"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(job_folder(out_dir, page.entry) / f"{page.entry['notebook']}.ipynb", target)
        pid = page.entry.get("partnership_id")
        if pid:  # a partnership's pages are its convener's reports, published by the project
            authors[page.docname] = registry.get(pid).convener

    _write(src / "book" / "index.md", _index_page(registry, pages))
    _write(src / "book" / "methods.md", generated_pages.methods_page(registry))
    _write(src / "book" / "data_templates.md", generated_pages.templates_page())
    _write(src / "book" / "data_status.md", generated_pages.status_page(registry, load_manifest(out_dir)))
    _write(src / "book" / "changelog.md", project_path("CHANGELOG.md").read_text(encoding="utf-8"))
    _write(
        src / "book" / "cite.md",
        generated_pages.cite_page(version, published, base_url, publisher, book_title),
    )

    toc = yaml.safe_load(project_path("_toc.yml").read_text(encoding="utf-8"))
    parts = toc["parts"]
    at = next((i for i, p in enumerate(parts) if p.get("caption") == "Reference"), len(parts))
    toc["parts"] = parts[:at] + _toc_parts(pages, registry) + parts[at:]
    _write(src / "_toc.yml", yaml.safe_dump(toc, sort_keys=False, allow_unicode=True))

    config.pop("pathways", None)  # Pathways' own settings, not Jupyter Book's
    sphinx_config = config.setdefault("sphinx", {}).setdefault("config", {})
    sphinx_config["html_context"] = {
        "pathways_version": version,
        "pathways_date": published,
        "pathways_base_url": base_url,
        "pathways_publisher": publisher,
        "pathways_authors": authors,
        # Charts are drawn on white; an unset mode also makes the theme log a console error.
        "default_mode": "light",
    }
    if base_url:  # every page then names its stable address as its canonical link
        sphinx_config["html_baseurl"] = f"{base_url}{version}/book/"
    config["title"] = f"{config['title']} ({version})"
    config["copyright"] = published[:4]
    _write(src / "_config.yml", yaml.safe_dump(config, sort_keys=False, allow_unicode=True))
    return src


def _toc_parts(pages: list[Page], registry: Registry) -> list[dict]:
    """A part per partnership (a chapter per year, its other notebooks as sections), "Statewide", "Analyses"."""
    parts: list[dict] = []
    by_caption: dict[str, dict] = {}
    for page in pages:
        scope = page.entry["scope"]
        caption = (
            registry.get(page.entry["partnership_id"]).name
            if scope == "partnership-year"
            else "Statewide"
            if scope == "year"
            else "Analyses"
        )
        part = by_caption.get(caption)
        if part is None:
            part = by_caption[caption] = {"caption": caption, "chapters": []}
            parts.append(part)
        if page.chapter:
            chapter = {"file": page.docname}
            if scope != "once":  # the part names the partnership; the chapter needs only its school year
                chapter["title"] = school_year(int(page.entry["year"]))
            part["chapters"].append(chapter)
        else:  # a section keeps the title its notebook's own first heading gives its page
            part["chapters"][-1].setdefault("sections", []).append({"file": page.docname})
    return parts


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _index_page(registry: Registry, pages: list[Page]) -> str:
    intro = (project_path("book") / "index.md").read_text(encoding="utf-8").rstrip() + "\n\n"
    chapters = [p for p in pages if p.chapter]
    lines = ["## The partnerships", ""]
    for p in registry.partnerships:
        own = [c for c in chapters if c.entry.get("partnership_id") == p.id]
        demo = " *(demo: synthetic learner records)*" if p.is_demo else ""
        latest = (
            f" — latest report: [{own[0].entry['year']}](../{own[0].docname}.ipynb)"
            if own
            else " — no report yet"
        )
        lines.append(
            f"- **{md_escape(p.name)}**{demo}, {md_escape(p.region)}; convened by "
            f"{md_escape(p.convener)}; {len(p.partners)} partners{latest}."
        )
    statewide = [c for c in chapters if c.entry["scope"] == "year"]
    if statewide:
        y = statewide[0].entry["year"]
        lines += [
            "",
            f"Task forces: see the [statewide overview for {y}](../{statewide[0].docname}.ipynb), all "
            "partnerships side by side.",
        ]
    analyses = [c for c in chapters if c.entry["scope"] == "once"]
    if analyses:
        lines += [
            "",
            "Analyses across partnerships and years: "
            + ", ".join(
                f"[{md_escape(c.entry.get('title') or c.entry['notebook'])}](../{c.docname}.ipynb)"
                for c in analyses
            )
            + ".",
        ]
    lines += [
        "",
        "New to these reports? Start with [how to read a report](how_to_read.md). Definitions are on "
        "the [methods page](methods.md); partners send data using the [data templates](data_templates.md).",
    ]
    return intro + "\n".join(lines) + "\n"


def build(src: Path, html_out: Path) -> Path:
    """Run Jupyter Book on ``src``; the HTML ends in ``html_out``. Warnings fail the build."""
    jb = Path(sys.executable).with_name("jupyter-book")
    work = src.parent / (src.name + "-jb")
    shutil.rmtree(work, ignore_errors=True)
    cmd = [
        str(jb),
        "build",
        str(src),
        "--path-output",
        str(work),
        "--warningiserror",
        "--keep-going",
        "--all",
        "--builder",
        "html",
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=_env())
    if proc.returncode != 0:
        tail = "\n".join((proc.stdout + "\n" + proc.stderr).strip().splitlines()[-40:])
        raise BuildError(f"Jupyter Book failed:\n{tail}")
    built = work / "_build" / "html"
    shutil.rmtree(html_out, ignore_errors=True)
    html_out.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(str(built), html_out)
    shutil.rmtree(work, ignore_errors=True)
    return html_out


def _env() -> dict:
    import os

    env = dict(os.environ)
    env.setdefault("GX_ANALYTICS_ENABLED", "false")
    env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
    return env
