"""Charts of the reports, drawn with seaborn on the project's theme.

Each function takes rows of the export (a filtered copy, plus a ``label`` column where a
chart needs one) and returns a :class:`~pathways.report.render.Chart`: the figure, the rows a reader
downloads, alt text written from the same numbers, and a caption. A chart is shown as the
last expression of a notebook cell, numbered in reading order.

What a chart draws for a row follows :mod:`pathways.report.cells`: a suppressed cell is a labelled
gap (never a zero bar), a top- or bottom-coded rate a lighter, hatched bar to its bound
labelled "≥ 95%". An analyst's own seaborn or matplotlib figure becomes a Chart the same way
with :func:`figure`.
"""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import matplotlib.transforms as mtransforms
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties

from pathways.io.catalogue import load_catalogue
from pathways.report import cells, theme
from pathways.report.labels import GAP_TRENDS, chart_label, group_type_label, group_value_label
from pathways.report.render import Block, Chart, block, paragraph
from pathways.report.theme import MUTED, PALETTE, is_missing, signed

CODED_COLOR = "#9cc3e0"  # the bar colour, lighter: a bound, not a measured value
GAP_COLORS = {"narrowing": PALETTE[0], "widening": PALETTE[5], "no_clear_change": MUTED}
# Sector groups overlap (a learner counts in each sector of a completed course), unlike the others.
_HEADING_NOTES = {
    "industry_sector": " (learners with a completed course in the sector, compared with all learners)"
}

__all__ = [
    "Chart",
    "compare_bars",
    "describe",
    "figure",
    "gap_change",
    "gap_dots",
    "gap_panels",
    "group_bars",
    "odds_forest",
    "trend_lines",
    "value_bars",
]


def figure(
    fig: Figure, caption: str, data: pd.DataFrame, alt: str | None = None, unit: str = "rate"
) -> Chart:
    """An analyst's own seaborn or matplotlib figure as a report figure: numbered, with alt text
    (written from ``data`` by :func:`describe` unless given) and ``data`` as its CSV download.

    ``data`` should be the export rows the figure draws (``ctx.breakdown(...)``,
    ``ctx.trend(...)``), so the download carries the export's columns.
    """
    plt.close(fig)  # shown once, by the report, not a second time by the inline backend
    return Chart(
        fig, data.reset_index(drop=True), alt or f"Chart: {caption}. {describe(data, unit)}", caption
    )


def describe(rows: pd.DataFrame, unit: str = "rate", min_cell_size: int = 10) -> str:
    """Alt text for rows of the export: each row's label and what a reader sees for it."""
    if rows.empty:
        return "No data."
    labels = (
        rows["label"]
        if "label" in rows
        else [
            group_value_label(t, v)
            for t, v in zip(
                rows.get("group_type", ["all"] * len(rows)),
                rows.get("group_value", ["all"] * len(rows)),
                strict=True,
            )
        ]
    )
    years = (
        rows["school_year"].astype(int).astype(str)
        if "school_year" in rows and rows["school_year"].nunique() > 1
        else None
    )
    # rows of several indicators (an analyst's own chart of two rates) name each row's indicator
    titles = (
        rows["indicator_id"].map(_title)
        if "indicator_id" in rows and rows["indicator_id"].nunique() > 1
        else None
    )
    parts = []
    for i, (label, (_, r)) in enumerate(zip(labels, rows.iterrows(), strict=True)):
        where = f"{label} {years.iloc[i]}" if years is not None else str(label)
        where = f"{titles.iloc[i]}, {where}" if titles is not None else where
        parts.append(f"{where}: {cells.shown_with_reason(r, _unit_of(r, unit), min_cell_size)}")
    return "; ".join(parts) + "."


def _title(indicator_id: str) -> str:
    try:
        return load_catalogue().get(indicator_id).title
    except KeyError:
        return str(indicator_id)


def _unit_of(row, default: str) -> str:
    measure = row.get("measure") if hasattr(row, "get") else None
    if measure == "rate":
        return "rate"
    if measure == "usd":
        return "usd"
    if measure in ("mean", "odds_ratio"):
        return measure
    return default if measure is None or default != "rate" else "count"


def _nothing(title: str) -> Block:
    """What a chart of no rows shows: a line saying so (a notebook cell needs no condition)."""
    return block(paragraph(f"{title}: nothing to draw for this year.", "pw-small"))


# ------------------------------------------------------------------ layout
def _new(width_in: float, height_in: float):
    """A figure outside pyplot (the inline backend never shows it by itself), on the theme."""
    fig = Figure(figsize=(width_in, height_in))
    FigureCanvasAgg(fig)  # a canvas to measure text with; the kernel's backend is left alone
    return fig, fig.subplots()


def _pct_axis(ax, axis: str = "y") -> None:
    fmt = plt.FuncFormatter(lambda v, _: f"{v * 100:.0f}%")
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(fmt)


def _floats(column) -> np.ndarray:
    return pd.to_numeric(pd.Series(column), errors="coerce").to_numpy(dtype=float)


def _text_width_in(fig: Figure, texts: list[str], size: float, weight: str = "normal") -> float:
    renderer = fig.canvas.get_renderer()
    prop = FontProperties(family=plt.rcParams["font.family"], size=size, weight=weight)
    lines = [line for t in texts for line in str(t).split("\n") if line]
    widths = [renderer.get_text_width_height_descent(line, prop, ismath=False)[0] for line in lines]
    return max(widths, default=0.0) / fig.dpi


def _note_in_plot(fig: Figure, tick_labels: list[str], text: str, size: float) -> str:
    """A hidden row's note, cut (with its ellipsis) only where it would run off the figure.

    The note starts at the plot's left edge, which :func:`_fit` puts beside the widest bold tick
    label, and may run on into the empty margin right of the plot. The figure's data and alt text
    keep the whole note.
    """
    width_in = fig.get_figwidth()
    tick_size = plt.rcParams["ytick.labelsize"]
    left_in = min(0.6 * width_in, _text_width_in(fig, tick_labels, tick_size, "bold") + 0.2)
    room_in = width_in - left_in - 0.2  # the plot and the empty margin right of it
    chars = len(text)
    while chars > 20 and _text_width_in(fig, [chart_label(text, chars, 1)], size) > room_in:
        chars -= 3
    return chart_label(text, chars, 1)


def _wrap(fig: Figure, text: str, size: float, width_in: float, weight: str = "normal") -> str:
    """``text`` broken into lines no wider than ``width_in`` (by its measured width)."""
    measured = _text_width_in(fig, [text], size, weight)
    if measured <= width_in or not text:
        return text
    return textwrap.fill(text, width=max(12, int(len(text) * width_in / measured)))


def _fit(fig: Figure, ax, title: str, *, right_in: float = 0.6, legend_below: int = 0) -> None:
    """Margins from the widest labels, the title in a band across the top, long titles wrapped.

    Measuring only the labels costs a fraction of ``tight_layout``, which lays out every
    artist and, by leaving a layout engine attached, makes ``savefig`` draw the figure twice.
    ``legend_below``: the lines of a legend placed under the axes.
    """
    width_in, height_in = fig.get_size_inches()
    tick_labels = ax.get_yticklabels()
    tick_size = max((t.get_fontsize() for t in tick_labels), default=plt.rcParams["ytick.labelsize"])
    left_in = _text_width_in(fig, [t.get_text() for t in tick_labels], tick_size, "bold") + 0.2
    left_in += 0.3 if ax.get_ylabel() else 0.0
    legend = ax.get_legend()
    if legend is not None and not legend_below:
        labels = [t.get_text() for t in legend.get_texts()]
        right_in = _text_width_in(fig, labels, plt.rcParams["legend.fontsize"]) + 0.75
    line_in = 0.22
    title = _wrap(fig, title, plt.rcParams["axes.titlesize"], width_in - 0.2, "bold")
    top_in = 0.35 + line_in * (title.count("\n") + 1)
    xlabel = _wrap(
        fig, ax.get_xlabel(), plt.rcParams["axes.labelsize"], max(2.0, width_in - left_in - right_in)
    )
    ax.set_xlabel(xlabel)
    bottom_in = 0.45 + line_in * (xlabel.count("\n") + 1 if xlabel else 0)
    below_in = (0.25 * legend_below + 0.1) if legend_below else 0.0
    bottom_in += below_in
    fig.set_size_inches(width_in, height_in + below_in + line_in * (title.count("\n") + xlabel.count("\n")))
    height_in = fig.get_figheight()
    left = min(0.6, left_in / width_in)  # a very long label is cut by its ellipsis, never the plot
    fig.subplots_adjust(
        left=left, right=1 - right_in / width_in, bottom=bottom_in / height_in, top=1 - top_in / height_in
    )
    fig.suptitle(
        title,
        x=0.08 / width_in,
        y=1 - 0.08 / height_in,
        ha="left",
        va="top",
        fontsize=plt.rcParams["axes.titlesize"],
        fontweight="bold",
    )


def _data(rows: pd.DataFrame) -> pd.DataFrame:
    """The rows a reader downloads: the export rows drawn (no number of a hidden cell), display columns kept."""
    return cells.scrub_hidden(rows.reset_index(drop=True))


# ------------------------------------------------------------------ charts
def trend_lines(rows: pd.DataFrame, title: str, unit: str = "rate", min_cell_size: int = 10) -> Chart | Block:
    """Lines over school years, one per ``label``, with 95% bands for rates.

    ``rows``: export rows of several years (``school_year``, ``value``, ``ci_low``, ``ci_high``,
    ``shown_as``/``suppressed``, ``bound``) and a ``label`` per line.
    """
    if rows.empty:
        return _nothing(title)
    rows = rows.reset_index(drop=True)
    with theme.context():
        fig, ax = _new(8.2, 3.0)
        years = sorted(int(y) for y in rows["school_year"].unique())
        states = cells.states(rows)
        labels = list(dict.fromkeys(rows["label"]))
        palette = {lbl: PALETTE[i % len(PALETTE)] for i, lbl in enumerate(labels)}
        exact = rows[states == "exact"].assign(value=lambda f: f["value"].astype(float))
        if not exact.empty:
            sns.lineplot(
                data=exact,
                x="school_year",
                y="value",
                hue="label",
                hue_order=labels,
                palette=palette,
                marker="o",
                lw=2,
                errorbar=None,
                ax=ax,
                legend=len(labels) > 1,
            )
        alt_parts = []
        for label in labels:
            part = rows[rows["label"] == label].sort_values("school_year")
            part_states = states[part.index]
            color = palette[label]
            shown = part[part_states == "exact"]
            if unit == "rate" and not shown.empty and shown["ci_low"].notna().any():
                ax.fill_between(
                    shown["school_year"].astype(int),
                    _floats(shown["ci_low"]),
                    _floats(shown["ci_high"]),
                    color=color,
                    alpha=0.15,
                    lw=0,
                )
            for (_, r), st in zip(part.iterrows(), part_states, strict=True):
                if st in cells.CODED:  # a bound: a hollow marker at it, labelled
                    ax.plot(
                        [int(r["school_year"])], [float(r["bound"])], marker="o", mfc="white", mec=color, ms=7
                    )
                    ax.annotate(
                        cells.fmt_bound(r["bound"], st),
                        (int(r["school_year"]), float(r["bound"])),
                        xytext=(0, 7),
                        textcoords="offset points",
                        ha="center",
                        fontsize=8,
                        color=color,
                    )
                elif st == "suppressed":
                    ax.annotate(
                        "suppressed",
                        (int(r["school_year"]), 0),
                        xycoords=("data", "axes fraction"),
                        xytext=(0, 4),
                        textcoords="offset points",
                        ha="center",
                        fontsize=8,
                        color=MUTED,
                        rotation=90,
                        va="bottom",
                    )
            alt_parts.append(
                f"{label} — "
                + "; ".join(
                    f"{int(r['school_year'])}: {cells.shown(r, unit, min_cell_size)}"
                    for _, r in part.iterrows()
                )
            )
        ax.set_xticks(years)
        ax.set_xticklabels([str(y) for y in years])
        ax.set_xlim(years[0] - 0.3, years[-1] + 0.3)
        ax.set_xlabel("School year (the year it ends)")
        if unit == "rate":
            _pct_axis(ax)
            ax.set_ylabel("Share")
            top = np.nanmax(
                np.concatenate(
                    [
                        _floats(rows["ci_high"]),
                        _floats(rows["value"]),
                        _floats(rows.get("bound", pd.Series(dtype=float))),
                    ]
                ),
                initial=0.1,
            )
            ax.set_ylim(0, min(1.0, max(0.1, top * 1.15)))
        else:
            ax.set_ylabel("Number")
            ax.set_ylim(bottom=0)
        legend = ax.get_legend() is not None
        if legend:  # under the plot: long names (who each rate covers) keep the plot wide
            sns.move_legend(ax, "upper left", bbox_to_anchor=(0, -0.2), frameon=False, title=None, ncol=1)
        _fit(fig, ax, title, legend_below=len(ax.get_legend().get_texts()) if legend else 0)
        if legend:
            below = (0.2 + 0.22 * (ax.get_xlabel().count("\n") + 1)) / fig.get_figheight()
            ax.get_legend().set_bbox_to_anchor((0, -below / (fig.subplotpars.top - fig.subplotpars.bottom)))
    alt = f"Line chart: {title}, {years[0]} to {years[-1]}. " + " | ".join(alt_parts) + "."
    return Chart(fig, _data(rows), alt, title)


def _group_layout(rows: pd.DataFrame) -> tuple[list[str], np.ndarray, list[tuple[int, str]]]:
    """Tick labels (headings included), each row's position, and the headings' positions."""
    types = list(dict.fromkeys(rows["group_type"]))
    ticks: list[str] = []
    pos = np.empty(len(rows), dtype=int)
    headings = []
    type_arr = rows["group_type"].to_numpy()
    for t in types:
        headings.append((len(ticks), t))
        ticks.append(chart_label(group_type_label(t), 40, 1))
        for i in np.flatnonzero(type_arr == t):
            pos[i] = len(ticks)
            ticks.append(chart_label(group_value_label(t, rows.at[i, "group_value"])))
    return ticks, pos, headings


def group_bars(
    rows: pd.DataFrame,
    title: str,
    overall: pd.Series | None = None,
    unit: str = "rate",
    min_cell_size: int = 10,
    xlabel: str = "Share of learners",
) -> Chart | Block:
    """Horizontal bars of a rate by group, under a heading per breakdown, with 95% intervals.

    ``rows``: export rows of one indicator's groups (``group_type``, ``group_value``, ``value``,
    ``ci_low``, ``ci_high``, ``shown_as``, ``bound``, ``suppression_reason``); ``overall``: its
    all-learners row, drawn as a dashed line.
    """
    if rows.empty:
        return _nothing(title)
    rows = rows.reset_index(drop=True)
    ticks, pos, headings = _group_layout(rows)
    states = cells.states(rows)
    value, low, high = (_floats(rows[c]) for c in ("value", "ci_low", "ci_high"))
    bound = _floats(rows["bound"]) if "bound" in rows else np.full(len(rows), np.nan)
    exact, coded = states == "exact", np.isin(states, cells.CODED)
    drawn = np.where(exact, value, np.where(coded, bound, np.nan))
    overall_value = None if overall is None or not cells.is_exact(overall) else float(overall["value"])
    xmax = np.nanmax(np.concatenate([high[exact], drawn[exact | coded]]), initial=0.0)
    xmax = min(1.0, max(0.1, xmax * 1.12, 0.0 if overall_value is None else overall_value * 1.2))
    with theme.context():
        fig, ax = _new(8.2, 0.22 * len(ticks) + 1.2)
        plot = pd.DataFrame({"pos": pos, "x": drawn, "kind": np.where(coded, "coded", "exact")})[
            exact | coded
        ]
        if not plot.empty:
            sns.barplot(
                data=plot,
                y="pos",
                x="x",
                hue="kind",
                hue_order=["exact", "coded"],
                order=range(len(ticks)),
                palette={"exact": PALETTE[0], "coded": CODED_COLOR},
                dodge=False,
                legend=False,
                errorbar=None,
                orient="h",
                width=0.66,
                ax=ax,
            )
        coded_pos = set(pos[coded].tolist())
        for bar in ax.patches:
            if round(bar.get_y() + bar.get_height() / 2) in coded_pos:
                bar.set_hatch("///")
                bar.set_edgecolor(PALETTE[0])
        ci = exact & ~np.isnan(low) & ~np.isnan(high)
        if ci.any():
            ax.errorbar(
                value[ci],
                pos[ci],
                xerr=[value[ci] - low[ci], high[ci] - value[ci]],
                fmt="none",
                ecolor="#333333",
                capsize=3,
                lw=1,
            )
        for i in range(len(rows)):
            r = rows.iloc[i]
            if exact[i] or coded[i]:
                end = high[i] if exact[i] and not np.isnan(high[i]) else drawn[i]
                ax.text(
                    min(end, xmax) + xmax * 0.012,
                    pos[i],
                    cells.shown(r, unit, min_cell_size),
                    va="center",
                    fontsize=9,
                )
            else:
                ax.text(
                    xmax * 0.004,
                    pos[i],
                    _note_in_plot(fig, ticks, cells.shown_with_reason(r, unit, min_cell_size), 8.5),
                    va="center",
                    ha="left",
                    fontsize=8.5,
                    color=MUTED,
                    style="italic",
                )
        ax.set_yticks(range(len(ticks)))
        ax.set_yticklabels(ticks)
        for p, _ in headings:
            ax.get_yticklabels()[p].set_fontweight("bold")
            if p:
                ax.axhline(p - 0.5, color="#cccccc", lw=0.8)
        note_axis = mtransforms.blended_transform_factory(ax.transAxes, ax.transData)
        for p, t in headings:
            if t in _HEADING_NOTES:
                ax.text(
                    0.0,
                    p,
                    _HEADING_NOTES[t].strip(" ()"),
                    transform=note_axis,
                    fontsize=8,
                    color=MUTED,
                    va="center",
                    ha="left",
                    style="italic",
                )
        if overall_value is not None:
            ax.axvline(overall_value, color=PALETTE[5], ls="--", lw=1.2)
        ax.set_ylim(len(ticks) - 0.5, -0.5)  # fixed, top row first: a hidden row keeps its place
        ax.set_ylabel("")
        ax.grid(axis="y", visible=False)
        ax.set_xlim(0, xmax)
        if unit == "rate":
            _pct_axis(ax, "x")
        extra = ("; dashed line: all learners" if overall_value is not None else "") + (
            "; hatched: a bound" if coded.any() else ""
        )
        ax.set_xlabel(f"{xlabel} (lines: 95% interval{extra})")
        _fit(fig, ax, title)
    by_type = []
    for _, t in headings:
        members = [i for i in range(len(rows)) if rows.at[i, "group_type"] == t]
        by_type.append(
            group_type_label(t)
            + ": "
            + "; ".join(
                f"{group_value_label(t, rows.at[i, 'group_value'])}: "
                f"{cells.shown_with_reason(rows.iloc[i], unit, min_cell_size)}"
                for i in members
            )
        )
    overall_txt = "" if overall is None else f" All learners: {cells.shown(overall, unit, min_cell_size)}."
    alt = f"Bar chart: {title}.{overall_txt} " + " | ".join(by_type) + "."
    return Chart(fig, _data(rows), alt, title)


def gap_dots(rows: pd.DataFrame, title: str) -> Chart | Block:
    """Equity gaps in points with their 95% margin; flagged gaps (whole interval below zero) in
    vermillion diamonds, the others blue circles. ``rows``: export rows with ``label``."""
    if rows.empty:
        return _nothing(title)
    rows = rows.reset_index(drop=True)
    gap, moe = _floats(rows["gap_pp"]), _floats(rows["gap_moe_pp"])
    flag = (
        rows["is_gap"].fillna(False).astype(bool).to_numpy()
        if "is_gap" in rows
        else np.zeros(len(rows), bool)
    )
    labels = [chart_label(lbl, 62) for lbl in rows["label"]]
    with theme.context():
        fig, ax = _new(8.2, (0.38 if any("\n" in x for x in labels) else 0.3) * len(rows) + 1.3)
        y = np.arange(len(rows))
        ax.errorbar(gap, y, xerr=moe, fmt="none", ecolor="#555555", capsize=3, lw=1)
        plot = pd.DataFrame({"gap": gap, "y": y, "kind": np.where(flag, "gap", "other")})
        sns.scatterplot(
            data=plot,
            x="gap",
            y="y",
            hue="kind",
            style="kind",
            hue_order=["gap", "other"],
            style_order=["gap", "other"],
            palette={"gap": PALETTE[5], "other": PALETTE[0]},
            markers={"gap": "D", "other": "o"},
            s=46,
            zorder=3,
            legend=False,
            ax=ax,
        )
        ax.axvline(0, color="#333333", lw=1)
        ax.set_yticks(y)
        ax.set_yticklabels(labels, fontsize=9)
        ax.set_ylim(len(rows) - 0.5, -0.5)
        ax.set_ylabel("")
        ax.set_xlabel(
            "Gap in percentage points: the group's rate minus that of all other learners "
            "(lines: 95% margin of error)"
        )
        _fit(fig, ax, title)
    alt = (
        f"Dot chart: {title}. "
        + "; ".join(
            f"{lbl}: {signed(g)} points (±{m:.1f}){' — a gap' if f else ''}"
            for lbl, g, m, f in zip(rows["label"], gap, moe, flag, strict=True)
        )
        + "."
    )
    return Chart(fig, _data(rows), alt, title)


def gap_change(rows: pd.DataFrame, title: str) -> Chart | Block:
    """Each gap in the baseline year and now, an arrow between them, coloured by its trend.

    ``rows``: export rows with ``label``, ``gap_baseline_pp``, ``gap_pp``, ``gap_trend``, ``baseline_year``.
    """
    if rows.empty:
        return _nothing(title)
    rows = rows.reset_index(drop=True)
    then, now = _floats(rows["gap_baseline_pp"]), _floats(rows["gap_pp"])
    trend = rows["gap_trend"].fillna("no_clear_change").astype(str).to_numpy()
    labels = [chart_label(lbl, 62) for lbl in rows["label"]]
    with theme.context():
        fig, ax = _new(8.2, (0.38 if any("\n" in x for x in labels) else 0.32) * len(rows) + 1.5)
        y = np.arange(len(rows))
        plot = pd.DataFrame(
            {
                "gap": np.concatenate([then, now]),
                "y": np.concatenate([y, y]),
                "when": ["baseline"] * len(rows) + ["now"] * len(rows),
            }
        )
        sns.scatterplot(
            data=plot,
            x="gap",
            y="y",
            style="when",
            markers={"baseline": "o", "now": "D"},
            color=MUTED,
            s=30,
            legend=False,
            zorder=3,
            ax=ax,
        )
        for i in range(len(rows)):
            ax.annotate(
                "",
                xy=(now[i], y[i]),
                xytext=(then[i], y[i]),
                arrowprops={"arrowstyle": "-|>", "color": GAP_COLORS.get(trend[i], MUTED), "lw": 2},
            )
        ax.axvline(0, color="#333333", lw=1)
        ax.set_yticks(y)
        ax.set_yticklabels(labels, fontsize=9)
        ax.set_ylim(len(rows) - 0.5, -0.5)
        ax.set_ylabel("")
        base = rows["baseline_year"].dropna()
        since = f"{int(base.iloc[0])}" if not base.empty else "the baseline"
        ax.set_xlabel(
            f"Gap in percentage points, {since} (circle) to now (diamond); blue arrow: narrowing, "
            "vermillion: widening, grey: no clear change"
        )
        _fit(fig, ax, title)
    alt = (
        f"Arrow chart: {title}. "
        + "; ".join(
            f"{lbl}: from {signed(a)} to {signed(b)} points, {GAP_TRENDS.get(t, t)}"
            for lbl, a, b, t in zip(rows["label"], then, now, trend, strict=True)
        )
        + "."
    )
    return Chart(fig, _data(rows), alt, title)


def odds_forest(rows: pd.DataFrame, title: str) -> Chart | Block:
    """Adjusted odds ratios with 95% intervals on a log scale. ``rows``: export rows with ``label``."""
    if rows.empty:
        return _nothing(title)
    rows = rows.reset_index(drop=True)
    value, low, high = (_floats(rows[c]) for c in ("value", "ci_low", "ci_high"))
    with theme.context():
        fig, ax = _new(8.2, 0.45 * len(rows) + 1.3)
        y = np.arange(len(rows))
        ax.errorbar(value, y, xerr=[value - low, high - value], fmt="none", ecolor="#333333", capsize=4)
        sns.scatterplot(x=value, y=y, color=PALETTE[0], s=60, zorder=3, legend=False, ax=ax)
        ax.axvline(1, color="#333333", lw=1, ls="--")
        ax.set_xscale("log")
        ticks = [0.5, 1, 1.5, 2, 3, 5, 8]
        ax.set_xticks(ticks)
        ax.set_xticklabels([f"{t:g}" for t in ticks])
        ax.minorticks_off()
        ax.set_xlim(
            min(0.5, float(np.nanmin(low, initial=1)) * 0.9),
            max(2.0, float(np.nanmax(high, initial=1)) * 1.1),
        )
        ax.set_yticks(y)
        ax.set_yticklabels([chart_label(x, 44) for x in rows["label"]])
        ax.set_ylim(len(rows) - 0.5, -0.5)
        ax.set_ylabel("")
        ax.set_xlabel("Adjusted odds ratio of graduating on time (1 = same odds; log scale)")
        _fit(fig, ax, title)
    alt = (
        f"Forest plot: {title}. "
        + "; ".join(
            f"{lbl}: {v:.2f} (95% interval {lo:.2f} to {hi:.2f})"
            for lbl, v, lo, hi in zip(rows["label"], value, low, high, strict=True)
        )
        + "."
    )
    return Chart(fig, _data(rows), alt, title)


def value_bars(
    rows: pd.DataFrame, title: str, unit: str, xlabel: str, min_cell_size: int = 10
) -> Chart | Block:
    """Horizontal bars, one per ``label`` (years since graduation, survey items, partnerships)."""
    if rows.empty:
        return _nothing(title)
    rows = rows.reset_index(drop=True)
    states = cells.states(rows)
    value = _floats(rows["value"])
    bound = _floats(rows["bound"]) if "bound" in rows else np.full(len(rows), np.nan)
    exact, coded = states == "exact", np.isin(states, cells.CODED)
    drawn = np.where(exact, value, np.where(coded, bound, np.nan))
    xmax = float(np.nanmax(drawn, initial=0.0)) or 1.0
    # a rating's bars start from the scale's end points, so that 4 of 5 reads as it is
    xlim = min(1.0, xmax * 1.2) if unit == "rate" else 5.0 if unit == "mean" else xmax * 1.18
    with theme.context():
        fig, ax = _new(8.2, 0.3 * len(rows) + 1.2)
        plot = pd.DataFrame(
            {"pos": np.arange(len(rows)), "x": drawn, "kind": np.where(coded, "coded", "exact")}
        )[exact | coded]
        if not plot.empty:
            sns.barplot(
                data=plot,
                y="pos",
                x="x",
                hue="kind",
                hue_order=["exact", "coded"],
                order=range(len(rows)),
                palette={"exact": PALETTE[2], "coded": CODED_COLOR},
                dodge=False,
                legend=False,
                errorbar=None,
                orient="h",
                width=0.66,
                ax=ax,
            )
        for bar in ax.patches:
            if coded[round(bar.get_y() + bar.get_height() / 2)]:
                bar.set_hatch("///")
                bar.set_edgecolor(PALETTE[2])
        for i in range(len(rows)):
            r = rows.iloc[i]
            if exact[i] or coded[i]:
                ax.text(
                    drawn[i] + xlim * 0.01, i, cells.shown(r, unit, min_cell_size), va="center", fontsize=9
                )
            else:
                ax.text(
                    xlim * 0.004,
                    i,
                    _note_in_plot(
                        fig,
                        [chart_label(x) for x in rows["label"]],
                        cells.shown_with_reason(r, unit, min_cell_size),
                        8.5,
                    ),
                    va="center",
                    fontsize=8.5,
                    color=MUTED,
                    style="italic",
                )
        ax.set_yticks(range(len(rows)))
        ax.set_yticklabels([chart_label(x) for x in rows["label"]])
        ax.set_ylim(len(rows) - 0.5, -0.5)
        ax.set_xlim(0, xlim)
        if unit == "rate":
            _pct_axis(ax, "x")
        ax.set_xlabel(xlabel)
        ax.set_ylabel("")
        ax.grid(axis="y", visible=False)
        _fit(fig, ax, title)
    alt = f"Bar chart: {title}. " + describe(rows, unit, min_cell_size)
    return Chart(fig, _data(rows), alt, title)


def _gap_notes(rows: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Each row's gap (NaN where none is shown) and what its cell reads: the gap, a bound or why not."""
    st = cells.states(rows)
    gap = np.full(len(rows), np.nan)
    notes = np.full(len(rows), "—", dtype=object)
    for i in range(len(rows)):
        r = rows.iloc[i]
        if st[i] == "exact" and not is_missing(r.get("gap_pp")):
            gap[i] = float(r["gap_pp"])
            notes[i] = signed(gap[i])
        elif st[i] in cells.CODED:
            notes[i] = cells.fmt_bound(r["bound"], st[i])
        elif st[i] == "suppressed":
            notes[i] = "supp."
    return gap, notes


def gap_panels(
    rows: pd.DataFrame,
    title: str,
    *,
    panel: str,
    row: str = "label",
    column: str = "partnership",
    ncols: int = 3,
    min_cell_size: int = 10,
) -> Chart | Block:
    """Gaps in points as small grids side by side: a panel per ``panel`` value (a group of learners),
    in each a row per ``row`` value (an indicator) and a column per ``column`` value (a partnership).
    Each cell reads its gap, a bound ("≥ 95%": no gap computed) or "supp." (too few learners)."""
    if rows.empty:
        return _nothing(title)
    rows = rows.reset_index(drop=True)
    panels, row_names, col_names = (list(dict.fromkeys(rows[c])) for c in (panel, row, column))
    gap, notes = _gap_notes(rows)
    limit = max(5.0, float(np.nanmax(np.abs(gap), initial=0.0)))
    cmap = sns.color_palette(
        "vlag_r", as_cmap=True
    )  # red below other learners, blue above; no red-green pair
    ncols = min(ncols, len(panels))
    nrows = -(-len(panels) // ncols)
    cell_h, head_in, left_in, right_in = 0.26, 0.75, 2.1, 0.9
    panel_h = cell_h * len(row_names)
    width_in = 8.2
    key = "Columns: " + "; ".join(f"{n + 1} {name}" for n, name in enumerate(col_names))
    key_lines = textwrap.wrap(key, 120)
    title_lines = textwrap.wrap(title, 78)
    key_at = 0.15 + 0.24 * len(title_lines)
    top_in = key_at + 0.3 + 0.16 * len(key_lines)
    height_in = top_in + nrows * (panel_h + head_in) + 0.2
    with theme.context():
        fig = Figure(figsize=(width_in, height_in))
        FigureCanvasAgg(fig)
        panel_w = (width_in - left_in - right_in - 0.15 * (ncols - 1)) / ncols
        for k, name in enumerate(panels):
            r, c = divmod(k, ncols)
            x0 = left_in + c * (panel_w + 0.15)
            y0 = height_in - top_in - (r + 1) * (panel_h + head_in) + 0.1
            ax = fig.add_axes((x0 / width_in, y0 / height_in, panel_w / width_in, panel_h / height_in))
            part = rows[panel] == name
            grid = np.full((len(row_names), len(col_names)), np.nan)
            cell = np.full(grid.shape, "—", dtype=object)
            for i in np.flatnonzero(part.to_numpy()):
                a, b = row_names.index(rows.at[i, row]), col_names.index(rows.at[i, column])
                grid[a, b], cell[a, b] = gap[i], notes[i]
            sns.heatmap(
                grid,
                annot=cell,
                fmt="",
                cmap=cmap,
                vmin=-limit,
                vmax=limit,
                center=0,
                cbar=False,
                linewidths=0.6,
                linecolor="white",
                annot_kws={"fontsize": 7.5},
                ax=ax,
                xticklabels=[str(n + 1) for n in range(len(col_names))],
                yticklabels=[chart_label(x, 34, 1) for x in row_names] if c == 0 else False,
            )
            for a, b in zip(
                *np.nonzero(np.isnan(grid)), strict=True
            ):  # seaborn leaves empty cells unlabelled
                ax.text(b + 0.5, a + 0.5, cell[a, b], ha="center", va="center", fontsize=7, color="#444444")
            ax.set_facecolor("#eeeeee")  # no gap to show: grey with its reason
            ax.grid(False)
            ax.xaxis.tick_top()
            ax.tick_params(axis="x", labelrotation=0, labelsize=7, length=0)
            ax.tick_params(axis="y", labelsize=8.5, length=0)
            ax.set_title(chart_label(name, 20, 2), fontsize=9, fontweight="bold", pad=14)
        cax = fig.add_axes(
            (
                (width_in - right_in + 0.25) / width_in,
                0.2 / height_in,
                0.12 / width_in,
                min(3.0, height_in - 1.4) / height_in,
            )
        )
        fig.colorbar(plt.cm.ScalarMappable(norm=plt.Normalize(-limit, limit), cmap=cmap), cax=cax)
        cax.set_ylabel("Gap in points (below 0: below other learners)", fontsize=8)
        cax.tick_params(labelsize=7.5)
        fig.suptitle(
            "\n".join(title_lines),
            x=0.08 / width_in,
            y=1 - 0.08 / height_in,
            ha="left",
            va="top",
            fontsize=plt.rcParams["axes.titlesize"],
            fontweight="bold",
        )
        fig.text(
            0.08 / width_in,
            1 - key_at / height_in,
            "\n".join(key_lines),
            ha="left",
            va="top",
            fontsize=8,
            color="#333333",
        )
    alt = (
        f"Grids of equity gaps: {title}. "
        + " | ".join(
            f"{name}: "
            + "; ".join(
                f"{rows.at[i, row]}, {rows.at[i, column]}: "
                f"{notes[i] if notes[i] != 'supp.' else 'suppressed'}"
                for i in np.flatnonzero((rows[panel] == name).to_numpy())
            )
            for name in panels
        )
        + "."
    )
    return Chart(fig, _data(rows), alt, title)


def compare_bars(
    rows: pd.DataFrame,
    title: str,
    *,
    category: str = "label",
    hue: str = "partnership",
    xlabel: str = "Share of the learners each rate covers",
    min_cell_size: int = 10,
) -> Chart | Block:
    """Rates side by side: a group of bars per ``category`` (an indicator), a bar per ``hue`` (a
    partnership), each labelled; a bound hatched, a hidden cell labelled in its place."""
    if rows.empty:
        return _nothing(title)
    rows = rows.reset_index(drop=True)
    cats, hues = list(dict.fromkeys(rows[category])), list(dict.fromkeys(rows[hue]))
    states = cells.states(rows)
    exact, coded = states == "exact", np.isin(states, cells.CODED)
    bound = _floats(rows["bound"]) if "bound" in rows else np.full(len(rows), np.nan)
    drawn = np.where(exact, _floats(rows["value"]), np.where(coded, bound, np.nan))
    width = 0.8
    step = width / len(hues)
    y = np.array(
        [
            cats.index(c) - width / 2 + step * (hues.index(h) + 0.5)
            for c, h in zip(rows[category], rows[hue], strict=True)
        ]
    )
    palette = {h: PALETTE[i % len(PALETTE)] for i, h in enumerate(hues)}
    short = {h: chart_label(h, 60, 1) for h in hues}
    with theme.context():
        fig, ax = _new(8.2, len(cats) * (0.18 * len(hues) + 0.25) + 1.2)
        plot = rows.assign(x=drawn, hue_label=rows[hue].map(short), cat_pos=rows[category].map(cats.index))
        plot = plot[exact | coded]
        if not plot.empty:
            sns.barplot(
                data=plot,
                y="cat_pos",
                x="x",
                hue="hue_label",
                order=range(len(cats)),
                hue_order=[short[h] for h in hues],
                palette={short[h]: c for h, c in palette.items()},
                orient="h",
                errorbar=None,
                width=width,
                ax=ax,
            )
        coded_y = [round(v, 3) for v in y[coded]]
        for bar in ax.patches:
            if round(bar.get_y() + bar.get_height() / 2, 3) in coded_y:
                bar.set_hatch("///")
        xlim = min(1.0, max(0.1, float(np.nanmax(drawn, initial=0.0)) * 1.18))
        for i in range(len(rows)):
            r = rows.iloc[i]
            if exact[i] or coded[i]:
                ax.text(
                    drawn[i] + xlim * 0.01,
                    y[i],
                    cells.shown(r, "rate", min_cell_size),
                    va="center",
                    fontsize=8,
                )
            else:
                ax.text(
                    xlim * 0.004,
                    y[i],
                    cells.shown(r, "rate", min_cell_size),
                    va="center",
                    fontsize=8,
                    color=MUTED,
                    style="italic",
                )
        ax.set_yticks(range(len(cats)))
        ax.set_yticklabels([chart_label(c, 30) for c in cats])
        ax.set_ylim(len(cats) - 0.5, -0.5)
        ax.set_xlim(0, xlim)
        _pct_axis(ax, "x")
        ax.set_ylabel("")
        ax.set_xlabel(xlabel + ("; hatched: a bound" if coded.any() else ""))
        ax.grid(axis="y", visible=False)
        legend = ax.get_legend()
        if legend is not None:
            sns.move_legend(ax, "upper left", bbox_to_anchor=(0, -0.2), frameon=False, title=None, ncol=1)
        _fit(fig, ax, title, legend_below=len(hues) if legend is not None else 0)
        if legend is not None:
            below = (0.2 + 0.22 * (ax.get_xlabel().count("\n") + 1)) / fig.get_figheight()
            ax.get_legend().set_bbox_to_anchor((0, -below / (fig.subplotpars.top - fig.subplotpars.bottom)))
    alt = (
        f"Bar chart: {title}. "
        + " | ".join(
            f"{c}: "
            + "; ".join(
                f"{r[hue]}: {cells.shown_with_reason(r, 'rate', min_cell_size)}"
                for _, r in rows[rows[category] == c].iterrows()
            )
            for c in cats
        )
        + "."
    )
    return Chart(fig, _data(rows), alt, title)
