"""publish.standalone_html: an executed notebook as the one self-contained page publish prints."""

from __future__ import annotations

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from pathways.book.publish import standalone_html
from pathways.report.glue import GLUE_PREFIX


def _executed() -> nbformat.NotebookNode:
    glued = new_code_cell('glue("who", "Denver", display=False)', metadata={"tags": ["remove-cell"]})
    glued.outputs = [
        new_output(
            "display_data",
            data={f"{GLUE_PREFIX}text/plain": "'Denver'"},
            metadata={"scrapbook": {"name": "who", "mime_prefix": GLUE_PREFIX}},
        )
    ]
    shown = new_code_cell("rate_table = ctx.table()  # analyst code", metadata={"tags": ["remove-input"]})
    shown.outputs = [new_output("display_data", data={"text/html": '<p class="pw-rate">38.0%</p>'})]
    nb = new_notebook(cells=[new_markdown_cell("# Progress of {glue:text}`who`"), glued, shown])
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    return nb


def test_the_page_has_the_outputs_and_glued_text_without_code_on_its_paper():
    html = standalone_html(_executed(), paper="a4")
    assert "Progress of Denver" in html and '<p class="pw-rate">38.0%</p>' in html
    assert "analyst code" not in html and "glue(" not in html  # no input is printed
    assert "@page { size: A4; }" in html
    assert "<title>Progress of Denver</title>" in html  # the heading, its glue pasted
    assert ".pw-tile-number" in html  # the project's stylesheet, inline
    assert '<script src="http' not in html and '<link rel="stylesheet" href="http' not in html
