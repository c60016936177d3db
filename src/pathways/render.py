"""HTML pieces of a report: numbered figures with alt text and their data, numbered tables,
paragraphs. Every partner-supplied string is escaped here, so a pathway named
``<script>`` is shown as text in the book and in the standalone report.
"""

from __future__ import annotations

import base64
import html
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

from pathways.charts import Chart
from pathways.export import csv_text


def esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "item"


# Text stays text in the SVG (smaller, selectable); readers without DejaVu Sans get a
# similar sans-serif rather than the browser's default serif.
_SVG_FONT = "'DejaVu Sans'"
_SVG_FONT_STACK = "'DejaVu Sans', 'Helvetica Neue', Arial, sans-serif"


@dataclass
class Numbering:
    """Figures and tables numbered in reading order, each with a stable anchor."""

    figure_dir: Path | None = None
    figures: int = 0
    tables: int = 0
    written: list[Path] = field(default_factory=list)

    def figure(self, chart: Chart) -> str:
        self.figures += 1
        number = self.figures
        anchor = f"figure-{number}-{slug(chart.caption)}"
        buf = io.BytesIO()
        # SVG: a third of the PNG's size, sharp at any zoom, and twice as fast to write.
        chart.figure.savefig(buf, format="svg", metadata={"Date": None})
        plt.close(chart.figure)
        svg = buf.getvalue().decode("utf-8").replace(_SVG_FONT, _SVG_FONT_STACK)
        image = base64.b64encode(svg.encode("utf-8")).decode("ascii")
        data_csv = csv_text(chart.data)
        csv_name = f"{anchor}.csv"
        if self.figure_dir is not None:
            self.figure_dir.mkdir(parents=True, exist_ok=True)
            path = self.figure_dir / csv_name
            path.write_text(data_csv, encoding="utf-8")
            self.written.append(path)
        csv_b64 = base64.b64encode(data_csv.encode("utf-8")).decode("ascii")
        return (
            f'<figure class="pw-figure" id="{anchor}">'
            f'<img src="data:image/svg+xml;base64,{image}" alt="{esc(chart.alt)}" style="max-width:100%;height:auto">'
            f'<figcaption><a class="pw-anchor" href="#{anchor}">Figure {number}.</a> {esc(chart.caption)} '
            f'<a class="pw-download" download="{esc(csv_name)}" href="data:text/csv;base64,{csv_b64}">'
            f"Download the data (CSV)</a></figcaption></figure>"
        )

    def table(self, frame: pd.DataFrame, caption: str, *, numeric: tuple[str, ...] = ()) -> str:
        """A numbered table. ``frame`` holds display strings already (numbers formatted)."""
        self.tables += 1
        anchor = f"table-{self.tables}-{slug(caption)}"
        head = "".join(f'<th scope="col">{esc(c)}</th>' for c in frame.columns)
        body = []
        for row in frame.itertuples(index=False):
            cells = []
            for col, value in zip(frame.columns, row, strict=True):
                cls = ' class="pw-num"' if col in numeric else ""
                cells.append(f"<td{cls}>{esc('' if value is None else value)}</td>")
            body.append("<tr>" + "".join(cells) + "</tr>")
        return (
            f'<table class="pw-table" id="{anchor}"><caption><a class="pw-anchor" href="#{anchor}">'
            f"Table {self.tables}.</a> {esc(caption)}</caption><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(body)}</tbody></table>"
        )


def paragraph(text: str, cls: str = "") -> str:
    klass = f' class="{cls}"' if cls else ""
    return f"<p{klass}>{esc(text)}</p>"


def bullet_list(items: list[str], cls: str = "") -> str:
    klass = f' class="{cls}"' if cls else ""
    return f"<ul{klass}>" + "".join(f"<li>{esc(i)}</li>" for i in items) + "</ul>"


def note(text: str) -> str:
    return f'<div class="pw-note">{esc(text)}</div>'


def heading(text: str, level: int = 3) -> str:
    return f"<h{level}>{esc(text)}</h{level}>"
