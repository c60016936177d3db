"""HTML of a report: numbered figures with alt text and their data, numbered tables (folded when
long) with their data, paragraphs, lists and notes.

This is the one place where anything becomes HTML, and every value is escaped here, so a
pathway or partnership named ``<script>`` is shown as text in the book, the standalone
report and the PDF. The objects returned (:class:`Chart`, :class:`Table`, :class:`Block`)
display themselves in a notebook (``_repr_html_``): the last expression of a cell shows it.
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
from matplotlib.figure import Figure

from pathways.io.export import csv_text
from pathways.report import theme
from pathways.report.cells import scrub_hidden


def esc(text: object) -> str:
    return html.escape("" if text is None else str(text), quote=True)


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", str(text).lower()).strip("-")[:60] or "item"


# Readers without DejaVu Sans get a similar sans-serif rather than the browser's default serif.
_SVG_FONT = "'DejaVu Sans'"
_SVG_FONT_STACK = "'DejaVu Sans', 'Helvetica Neue', Arial, sans-serif"
# A table longer than this is folded (a click opens it); its data is a click away as CSV.
FOLD_ROWS = 8


@dataclass
class Numbering:
    """Figures and tables numbered in reading order, each with a stable anchor; figure data
    written as CSV into ``figure_dir`` (the job's ``figures/``) when it is set."""

    figure_dir: Path | None = None
    figures: int = 0
    tables: int = 0
    written: list[Path] = field(default_factory=list)

    def next_figure(self, caption: str) -> tuple[int, str]:
        self.figures += 1
        return self.figures, f"figure-{self.figures}-{slug(caption)}"

    def next_table(self, caption: str) -> tuple[int, str]:
        self.tables += 1
        return self.tables, f"table-{self.tables}-{slug(caption)}"

    def keep(self, name: str, text: str) -> None:
        if self.figure_dir is None:
            return
        self.figure_dir.mkdir(parents=True, exist_ok=True)
        path = self.figure_dir / name
        path.write_text(text, encoding="utf-8")
        self.written.append(path)


_active = Numbering()


def start_numbering(figure_dir: Path | None = None) -> Numbering:
    """Number figures and tables from 1 again (a report opened anew), writing data into ``figure_dir``."""
    global _active
    _active = Numbering(figure_dir=None if figure_dir is None else Path(figure_dir))
    return _active


def numbering() -> Numbering:
    return _active


def _download(name: str, frame: pd.DataFrame, numbering_: Numbering) -> str:
    text = csv_text(scrub_hidden(frame))
    numbering_.keep(name, text)
    b64 = base64.b64encode(text.encode("utf-8")).decode("ascii")
    return (
        f'<a class="pw-download" download="{esc(name)}" href="data:text/csv;base64,{b64}">'
        "Download the data (CSV)</a>"
    )


class _Shown:
    """Rendered once, the first time it is shown, so its number stays the same if shown again."""

    _html: str | None = None

    def _repr_html_(self) -> str:
        if self._html is None:
            self._html = self._render(numbering())
        return self._html

    def _render(self, numbering_: Numbering) -> str:
        raise NotImplementedError


@dataclass(eq=False)
class Chart(_Shown):
    """A figure, the rows behind it (what a reader downloads) and its alt text."""

    figure: Figure
    data: pd.DataFrame
    alt: str
    caption: str

    def _render(self, numbering_: Numbering) -> str:
        number, anchor = numbering_.next_figure(self.caption)
        buf = io.BytesIO()
        # SVG: small, sharp at any zoom; text stays text (svg.fonttype none).
        with theme.context():
            self.figure.savefig(buf, format="svg", metadata={"Date": None})
        plt.close(self.figure)
        svg = buf.getvalue().decode("utf-8").replace(_SVG_FONT, _SVG_FONT_STACK)
        image = base64.b64encode(svg.encode("utf-8")).decode("ascii")
        return (
            f'<figure class="pw-figure" id="{anchor}">'
            f'<img src="data:image/svg+xml;base64,{image}" alt="{esc(self.alt)}" style="max-width:100%;height:auto">'
            f'<figcaption><a class="pw-anchor" href="#{anchor}">Figure {number}.</a> {esc(self.caption)} '
            f"{_download(f'{anchor}.csv', self.data, numbering_)}</figcaption></figure>"
        )


@dataclass(eq=False)
class Table(_Shown):
    """A numbered table of display strings, with the export rows behind it as its CSV.

    ``folded``: None folds a table longer than :data:`FOLD_ROWS` (a ``<details>`` a click
    opens, its caption and size in the summary line); printing opens every fold.
    """

    frame: pd.DataFrame
    caption: str
    data: pd.DataFrame | None = None
    numeric: tuple[str, ...] = ()
    folded: bool | None = None
    note: str = ""

    def _render(self, numbering_: Numbering) -> str:
        number, anchor = numbering_.next_table(self.caption)
        head = "".join(f'<th scope="col">{esc(c)}</th>' for c in self.frame.columns)
        body = []
        for row in self.frame.itertuples(index=False):
            cells = []
            for col, value in zip(self.frame.columns, row, strict=True):
                cls = ' class="pw-num"' if col in self.numeric else ""
                cells.append(f"<td{cls}>{esc('' if value is None else value)}</td>")
            body.append("<tr>" + "".join(cells) + "</tr>")
        download = "" if self.data is None else " " + _download(f"{anchor}.csv", self.data, numbering_)
        label = f'<a class="pw-anchor" href="#{anchor}">Table {number}.</a> {esc(self.caption)}'
        note = f'<p class="pw-table-note">{esc(self.note)}</p>' if self.note else ""
        folded = len(self.frame) > FOLD_ROWS if self.folded is None else self.folded
        table = (
            f'<div class="pw-table-wrap"><table class="pw-table"><caption>{label}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
        )
        if not folded:
            return f'<div class="pw-table-block" id="{anchor}">{table}{note}<p class="pw-table-data">{download}</p></div>'
        rows = len(self.frame)
        # the summary is a button already: no link inside it (the caption within carries the table's link)
        return (
            f'<details class="pw-fold" id="{anchor}"><summary>Table {number}. {esc(self.caption)} '
            f'<span class="pw-fold-size">({rows} row{"" if rows == 1 else "s"})</span></summary>'
            f'{table}{note}<p class="pw-table-data">{download}</p></details>'
        )


@dataclass(eq=False)
class Block(_Shown):
    """HTML pieces made by the functions below, shown together."""

    parts: list[str]
    cls: str = "pw-report"

    def _render(self, numbering_: Numbering) -> str:
        return f'<div class="{esc(self.cls)}">' + "".join(self.parts) + "</div>"


def block(*parts: str, cls: str = "pw-report") -> Block:
    return Block([p for p in parts if p], cls)


def fold(summary: str, parts: list[str]) -> str:
    """Pieces behind one line a click opens (a section's tables)."""
    return (
        f'<details class="pw-fold pw-fold-group"><summary>{esc(summary)}</summary>'
        + "".join(parts)
        + "</details>"
    )


def paragraph(text: str, cls: str = "") -> str:
    klass = f' class="{esc(cls)}"' if cls else ""
    return f"<p{klass}>{esc(text)}</p>"


def bullet_list(items: list[str], cls: str = "") -> str:
    klass = f' class="{esc(cls)}"' if cls else ""
    return f"<ul{klass}>" + "".join(f"<li>{esc(i)}</li>" for i in items) + "</ul>"


def note(text: str) -> str:
    return f'<div class="pw-note">{esc(text)}</div>'


def heading(text: str, level: int = 3) -> str:
    return f"<h{level}>{esc(text)}</h{level}>"


def link(text: str, href: str, cls: str = "", **data: str) -> str:
    """A link; ``data`` become ``data-*`` attributes (``report="denver/2024"`` -> ``data-pw-report``)."""
    klass = f' class="{esc(cls)}"' if cls else ""
    extra = "".join(f' data-pw-{esc(k)}="{esc(v)}"' for k, v in data.items())
    return f'<a{klass}{extra} href="{esc(href)}">{esc(text)}</a>'


def linked_paragraph(before: str, text: str, href: str, after: str = "", cls: str = "", **data: str) -> str:
    klass = f' class="{esc(cls)}"' if cls else ""
    return f"<p{klass}>{esc(before)}{link(text, href, **data)}{esc(after)}</p>"


def tiles(items: list[tuple[str, str, str]], cls: str = "pw-tiles") -> str:
    """Large numbers with what they count and their change: ``[(number, what, change), ...]``."""
    out = []
    for number, what, change in items:
        out.append(
            f'<div class="pw-tile"><div class="pw-tile-number">{esc(number)}</div>'
            f'<div class="pw-tile-what">{esc(what)}</div>'
            + (f'<div class="pw-tile-change">{esc(change)}</div>' if change else "")
            + "</div>"
        )
    return f'<div class="{esc(cls)}">' + "".join(out) + "</div>"


def definition_list(items: list[tuple[str, str]], cls: str = "pw-facts") -> str:
    return (
        f'<dl class="{esc(cls)}">'
        + "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in items)
        + "</dl>"
    )


__all__ = [
    "Block",
    "Chart",
    "Numbering",
    "Table",
    "block",
    "bullet_list",
    "definition_list",
    "esc",
    "fold",
    "heading",
    "link",
    "linked_paragraph",
    "note",
    "numbering",
    "paragraph",
    "slug",
    "start_numbering",
    "tiles",
]
