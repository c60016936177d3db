"""HTML of the reports: partner text escaped where it becomes HTML, folded tables with their data,
glue pasted into the standalone copy, and the default paths of a notebook run by hand."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import matplotlib
import nbformat
import numpy as np
import pandas as pd
import pytest

from pathways.book import standalone
from pathways.io import project
from pathways.report import charts, render

HOSTILE = '</script><script>alert("x")</script> & {glue}`k` $5 $$ **bold** [link](http://evil.example)'


def _has_no_markup(html: str) -> None:
    assert "<script>" not in html and "</script><script>" not in html
    assert "&lt;/script&gt;&lt;script&gt;" in html


def test_every_piece_escapes_partner_text():
    render.start_numbering()
    frame = pd.DataFrame({"Pathway": [HOSTILE], "Sector": ["x"]})
    _has_no_markup(render.Table(frame, HOSTILE)._repr_html_())
    _has_no_markup(
        render.block(
            render.paragraph(HOSTILE),
            render.bullet_list([HOSTILE]),
            render.note(HOSTILE),
            render.heading(HOSTILE),
            render.definition_list([(HOSTILE, HOSTILE)]),
            render.tiles([(HOSTILE, HOSTILE, HOSTILE)]),
            render.fold(HOSTILE, []),
            render.linked_paragraph(HOSTILE, HOSTILE, '"><script>', report=HOSTILE),
        )._repr_html_()
    )
    rows = pd.DataFrame({"label": [HOSTILE], "value": [0.5], "suppressed": [False]})
    html = charts.value_bars(rows, HOSTILE, "rate", HOSTILE)._repr_html_()
    _has_no_markup(html)
    alt = re.search(r'alt="([^"]*)"', html).group(1)
    assert "&lt;script&gt;" in alt and '"' not in alt


def test_a_long_table_is_folded_with_its_caption_and_size_and_its_rows_as_csv(tmp_path):
    render.start_numbering(tmp_path)
    data = pd.DataFrame(
        {
            "partnership_id": "p",
            "school_year": 2024,
            "indicator_id": "i",
            "measure": "rate",
            "group_type": "sex",
            "group_value": [f"g{i}" for i in range(12)],
            "value": 0.5,
            "shown_as": "exact",
            "status": "ok",
        }
    )
    short = render.Table(pd.DataFrame({"a": ["1", "2"]}), "Short")._repr_html_()
    long = render.Table(pd.DataFrame({"a": [str(i) for i in range(12)]}), "Long", data=data)._repr_html_()
    assert "<details" not in short and "Table 1." in short
    assert long.startswith('<details class="pw-fold" id="table-2-long"><summary>')
    assert "Table 2.</a> Long" in long and "(12 rows)" in long
    csv = base64.b64decode(re.search(r"data:text/csv;base64,([^\"]+)", long).group(1)).decode()
    assert csv.splitlines()[0].startswith(
        "partnership_id,school_year,indicator_id,measure,group_type,group_value"
    )
    assert (tmp_path / "table-2-long.csv").read_text(encoding="utf-8") == csv
    assert render.Table(pd.DataFrame({"a": ["1"]}), "One", folded=True)._repr_html_().startswith("<details")


def _executed(markdown: str, glued: dict[str, object]) -> nbformat.NotebookNode:
    """An executed notebook as papermill leaves it: a Markdown cell and a cell that glued values."""
    from IPython.core.formatters import format_display_data

    outputs = []
    for key, value in glued.items():
        data, _ = format_display_data(value)
        outputs.append(
            nbformat.v4.new_output(
                "display_data",
                data={standalone.GLUE_PREFIX + k: v for k, v in data.items()},
                metadata={"scrapbook": {"name": key, "mime_prefix": standalone.GLUE_PREFIX}},
            )
        )
    code = nbformat.v4.new_code_cell("glue(...)", metadata={"tags": ["remove-cell"]}, outputs=outputs)
    shown = nbformat.v4.new_code_cell(
        "ctx.cover()",
        metadata={"tags": ["remove-input"]},
        outputs=[
            nbformat.v4.new_output("display_data", data={"text/html": "<p>cover</p>", "text/plain": "x"})
        ],
    )
    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(markdown), code, shown])


def test_the_standalone_copy_pastes_glued_values_as_text():
    nb = _executed(
        "# {glue:text}`name`: report {glue:text}`year`\n\nWe had {glue:text}`n:,d` learners ({glue}`share`).",
        {"name": HOSTILE, "year": "2023-24", "n": 12345, "share": "38%"},
    )
    ready = standalone.prepare(nb)
    assert [c.cell_type for c in ready.cells] == [
        "markdown",
        "code",
    ]  # the glue cell is removed, as in the book
    assert ready.cells[1].outputs[0]["data"]["text/html"] == "<p>cover</p>"
    assert "{glue:text}" not in ready.cells[0].source
    from nbconvert import HTMLExporter

    body, _ = HTMLExporter(template_name="lab", exclude_input=True).from_notebook_node(ready)
    assert "We had 12,345 learners (38%)." in body
    assert "{glue}`k`" in body  # a role inside a glued value stays text: it is never pasted again
    assert "<script>alert" not in body and "&lt;/script&gt;&lt;script&gt;alert" in body
    assert 'evil.example">' not in body and "<strong>bold" not in body  # partner text is not Markdown either
    assert standalone.title(nb) == HOSTILE + ": report 2023-24"
    assert "<title>" in body and "&lt;/script&gt;" in body.split("<title>")[1].split("</title>")[0]


def test_pasting_a_value_no_cell_glued_is_a_clear_error():
    with pytest.raises(standalone.GlueError, match="no cell glued a value of that name"):
        standalone.prepare(_executed("{glue:text}`missing`", {"other": 1}))


def test_a_notebook_run_by_hand_reads_the_project_and_writes_into_scratch(tmp_path, monkeypatch):
    root = tmp_path / "project"
    (root / "notebooks").mkdir(parents=True)
    (root / "partnerships.yml").write_text("min_cell_size: 10\n", encoding="utf-8")
    monkeypatch.delenv("PATHWAYS_PROJECT", raising=False)
    monkeypatch.delenv("PATHWAYS_SCRATCH", raising=False)
    monkeypatch.chdir(root / "notebooks")
    assert project.project_root() == root
    assert project.resolve_paths(None, None, None, job="denver/2024") == (
        root / "data",
        root / "partnerships.yml",
        root / "scratch" / "denver" / "2024",
    )
    given = project.resolve_paths("/d", "/r.yml", "/o", job="x")
    assert given == (Path("/d"), Path("/r.yml"), Path("/o"))
    monkeypatch.setenv("PATHWAYS_SCRATCH", str(tmp_path / "elsewhere"))
    assert project.resolve_paths(None, None, None, job="j")[2] == tmp_path / "elsewhere" / "j"
    monkeypatch.setenv("PATHWAYS_PROJECT", str(tmp_path))
    assert project.project_root() == tmp_path
    monkeypatch.delenv("PATHWAYS_PROJECT")
    monkeypatch.chdir(tmp_path)  # no registry above: the cwd
    assert project.project_root() == tmp_path


def test_charts_draw_inside_the_theme_whatever_the_kernel_set():
    import matplotlib.pyplot as plt

    with plt.rc_context({"font.size": 30, "text.parse_math": True}):
        rows = pd.DataFrame({"label": ["a $x$"], "value": [0.5], "suppressed": [False]})
        chart = charts.value_bars(rows, "t", "rate", "x")
    tick = chart.figure.axes[0].get_yticklabels()[0]
    assert tick.get_fontsize() < 30 and tick.get_text() == "a $x$"
    assert matplotlib.rcParams["svg.fonttype"] in ("path", "none")
    assert np.isfinite(chart.figure.get_figheight())
