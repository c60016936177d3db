"""``pathways build``: assemble the Jupyter Book's source tree and build it.

The tree is made fresh in a build folder from: the top-level ``_config.yml`` (plus the
version, date and citation details), ``_toc.yml`` (plus a part per partnership with a
chapter per year that has a successful run, and the statewide overview), the hand-written
pages in ``book/``, pages generated from the indicator catalogue, the data dictionary and
the run manifest, and the executed notebooks. Jupyter Book never executes a notebook
here; warnings are errors.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import UTC, datetime
from importlib.resources import files
from pathlib import Path

import yaml

from pathways import methods
from pathways.errors import PathwaysError
from pathways.registry import Registry
from pathways.run import REPO_ROOT, load_manifest
from pathways.safety import md_escape

BOOK_PAGES = REPO_ROOT / "book"
ASSETS = Path(str(files("pathways").joinpath("book_assets")))


class BuildError(PathwaysError):
    """Jupyter Book failed (a warning counts as a failure)."""


def successful_runs(out_dir: Path, registry: Registry) -> dict[str, list[int]]:
    """Years with a successful report per partnership (registry order), plus ``statewide``."""
    jobs = load_manifest(out_dir)["jobs"]
    found: dict[str, list[int]] = {}
    for key, entry in jobs.items():
        owner, _, year = key.partition("/")
        nb = "overview.ipynb" if owner == "statewide" else "report.ipynb"
        if entry.get("status") == "ok" and (Path(out_dir) / "runs" / owner / year / nb).is_file():
            found.setdefault(owner, []).append(int(year))
    ordered = {p: sorted(found[p]) for p in registry.ids if p in found}
    if "statewide" in found:
        ordered["statewide"] = sorted(found["statewide"])
    return ordered


def assemble(src: Path, *, out_dir: Path, registry: Registry, version: str, base_url: str = "",
             published: str | None = None) -> Path:
    """Write the book's source tree into ``src`` (emptied first)."""
    src = Path(src)
    shutil.rmtree(src, ignore_errors=True)
    src.mkdir(parents=True)
    published = published or datetime.now(UTC).date().isoformat()
    runs = successful_runs(out_dir, registry)

    shutil.copytree(ASSETS / "_templates", src / "_templates")
    shutil.copytree(ASSETS / "_static", src / "_static")
    shutil.copytree(ASSETS / "_ext", src / "_ext", ignore=shutil.ignore_patterns("__pycache__"))
    (src / "book").mkdir()
    for page in ("how_to_read.md", "editing_reports.md"):
        shutil.copy2(BOOK_PAGES / page, src / "book" / page)
    shutil.copytree(REPO_ROOT / "data_templates", src / "book" / "downloads", dirs_exist_ok=True)

    chapters_by_part = []
    for pid, years in runs.items():
        caption = "Statewide overview" if pid == "statewide" else registry.get(pid).name
        chapters = []
        for year in sorted(years, reverse=True):
            nb = "overview.ipynb" if pid == "statewide" else "report.ipynb"
            target = src / ("statewide" if pid == "statewide" else f"partnerships/{pid}") / f"{year}.ipynb"
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(Path(out_dir) / "runs" / pid / str(year) / nb, target)
            # The part caption names the partnership; the chapter needs only its school year.
            chapters.append({"file": str(target.relative_to(src).with_suffix("")),
                             "title": f"School year {year - 1}-{str(year)[-2:]}"})
        chapters_by_part.append({"caption": caption, "chapters": chapters})

    _write(src / "book" / "index.md", _index_page(registry, runs))
    _write(src / "book" / "methods.md", methods.methods_page(registry))
    _write(src / "book" / "data_templates.md", methods.templates_page())
    _write(src / "book" / "data_status.md", methods.status_page(registry, load_manifest(out_dir)))
    _write(src / "book" / "changelog.md", (REPO_ROOT / "CHANGELOG.md").read_text(encoding="utf-8"))
    _write(src / "book" / "cite.md", methods.cite_page(version, published, base_url))

    toc = yaml.safe_load((REPO_ROOT / "_toc.yml").read_text(encoding="utf-8"))
    parts = toc["parts"]
    at = next((i for i, p in enumerate(parts) if p.get("caption") == "Reference"), len(parts))
    toc["parts"] = parts[:at] + chapters_by_part + parts[at:]
    _write(src / "_toc.yml", yaml.safe_dump(toc, sort_keys=False, allow_unicode=True))

    config = yaml.safe_load((REPO_ROOT / "_config.yml").read_text(encoding="utf-8"))
    sphinx_config = config.setdefault("sphinx", {}).setdefault("config", {})
    sphinx_config["html_context"] = {
        "pathways_version": version, "pathways_date": published, "pathways_base_url": base_url,
        "pathways_author": config.get("author", "Pathways"),
        # Charts are drawn on white; an unset mode also makes the theme log a console error.
        "default_mode": "light",
    }
    config["title"] = f"{config['title']} ({version})"
    config["copyright"] = published[:4]
    _write(src / "_config.yml", yaml.safe_dump(config, sort_keys=False, allow_unicode=True))
    return src


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _index_page(registry: Registry, runs: dict[str, list[int]]) -> str:
    intro = (BOOK_PAGES / "index.md").read_text(encoding="utf-8").rstrip() + "\n\n"
    lines = ["## The partnerships", ""]
    for p in registry.partnerships:
        years = runs.get(p.id, [])
        demo = " *(demo: synthetic learner records)*" if p.is_demo else ""
        latest = f" — latest report: [{years[-1]}](../partnerships/{p.id}/{years[-1]}.ipynb)" if years else \
            " — no report yet"
        lines.append(f"- **{md_escape(p.name)}**{demo}, {md_escape(p.region)}; convened by "
                     f"{md_escape(p.convener)}; {len(p.partners)} partners{latest}.")
    if runs.get("statewide"):
        y = runs["statewide"][-1]
        lines += ["", f"Task forces: see the [statewide overview for {y}](../statewide/{y}.ipynb), all "
                      "partnerships side by side."]
    lines += ["", "New to these reports? Start with [how to read a report](how_to_read.md). Definitions are on "
                  "the [methods page](methods.md); partners send data using the [data templates](data_templates.md)."]
    return intro + "\n".join(lines) + "\n"


def build(src: Path, html_out: Path) -> Path:
    """Run Jupyter Book on ``src``; the HTML ends in ``html_out``. Warnings fail the build."""
    jb = Path(sys.executable).with_name("jupyter-book")
    work = src.parent / (src.name + "-jb")
    shutil.rmtree(work, ignore_errors=True)
    cmd = [str(jb), "build", str(src), "--path-output", str(work), "--warningiserror", "--keep-going", "--all",
           "--builder", "html"]
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
