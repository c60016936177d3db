"""An executed report notebook as nbconvert renders it for the standalone HTML and PDF.

In the book, myst-nb pastes each ``{glue:text}`name``` of a Markdown cell from the value the
notebook glued. nbconvert knows nothing of glue, so :func:`prepare` pastes the same values
into a copy of the notebook first (escaped, so a glued partner name stays text), drops the
glue records and the cells the book removes by tag. :func:`title` is the notebook's first
heading as a reader sees it, for a page's ``<title>`` or a run's manifest.
"""

from __future__ import annotations

import copy
import re

import nbformat
from myst_nb.core.variables import format_plain_text

from pathways.errors import PathwaysError
from pathways.io.markdown import md_escape

GLUE_PREFIX = "application/papermill.record/"
# {glue}`key`, {glue:}`key`, {glue:any}`key`, {glue:text}`key`, {glue:text}`key:.1f`, {glue:md}`key`
_ROLE = re.compile(r"\{glue(?::(?:any|text|md)?)?\}`([^`]+)`")


class GlueError(PathwaysError):
    """A Markdown cell pastes a value that no cell glued."""


def glued(nb: nbformat.NotebookNode) -> dict[str, str]:
    """Every glued value of an executed notebook, as its ``text/plain`` (a str glued is its repr)."""
    values = {}
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for output in cell.get("outputs", []):
            record = output.get("metadata", {}).get("scrapbook")
            if not record:
                continue
            data = output.get("data", {})
            text = data.get(GLUE_PREFIX + "text/plain", data.get("text/plain"))
            if text is None:
                continue
            values[record["name"]] = "".join(text) if isinstance(text, list) else text
    return values


def _paste(source: str, values: dict[str, str], *, escape) -> str:
    def one(match: re.Match) -> str:
        key, _, fmt = match.group(1).partition(":")
        if key not in values:
            raise GlueError(f"the notebook pastes {{glue}}`{key}`, but no cell glued a value of that name")
        return escape(format_plain_text(values[key], fmt or "s"))  # as myst-nb formats it in the book

    return _ROLE.sub(one, source)


def prepare(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy of an executed notebook ready for nbconvert: glue pasted, glue records and removed cells gone."""
    values = glued(nb)
    out = copy.deepcopy(nb)
    out.metadata["title"] = title(nb)  # the page's <title>; nbconvert's template escapes it
    cells = []
    for cell in out.cells:
        tags = set(cell.get("metadata", {}).get("tags", []))
        if "remove-cell" in tags:
            continue
        if cell.cell_type == "markdown":
            cell.source = _paste(cell.source, values, escape=md_escape)
        elif cell.cell_type == "code":
            if "remove-output" in tags:
                cell.outputs = []
            cell.outputs = [o for o in cell.get("outputs", []) if "scrapbook" not in o.get("metadata", {})]
        cells.append(cell)
    out.cells = cells
    return out


def title(nb: nbformat.NotebookNode) -> str:
    """The notebook's first ``# `` heading with its glued values pasted, as plain text."""
    values = glued(nb)
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        for line in cell.source.splitlines():
            if line.startswith("# "):
                return " ".join(_paste(line[2:], values, escape=str).split())
    return ""


__all__ = ["GlueError", "glued", "prepare", "title"]
