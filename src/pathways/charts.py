"""Charts of the report. Each returns a :class:`Chart`: the figure, the data behind it
(the rows a reader can download) and alt text written from the same numbers.

Suppressed cells are drawn as such — a labelled gap — never as zero.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

import matplotlib.pyplot as plt
import matplotlib.transforms as mtransforms
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties

from pathways.labels import group_type_label, group_value_label
from pathways.theme import MUTED, PALETTE, apply_theme, fmt_bound, fmt_value, is_missing

apply_theme()

# Sector groups overlap (a learner counts in each sector of a completed course), unlike the others.
_HEADING_NOTES = {"industry_sector": " (learners who completed a course in the sector)"}


@dataclass
class Chart:
    figure: Figure
    data: pd.DataFrame
    alt: str
    caption: str


def _pct_axis(ax, axis: str = "y") -> None:
    fmt = plt.FuncFormatter(lambda v, _: f"{v * 100:.0f}%")
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(fmt)


def _floats(column: pd.Series) -> np.ndarray:
    return pd.to_numeric(column, errors="coerce").to_numpy(dtype=float)


def _text_width_in(fig: Figure, texts: list[str], size: float, weight: str = "normal") -> float:
    renderer = fig.canvas.get_renderer()
    prop = FontProperties(family=plt.rcParams["font.family"], size=size, weight=weight)
    lines = [line for t in texts for line in t.split("\n") if line]
    widths = [renderer.get_text_width_height_descent(line, prop, ismath=False)[0] for line in lines]
    return max(widths, default=0.0) / fig.dpi


def _wrap(fig: Figure, text: str, size: float, width_in: float, weight: str = "normal") -> str:
    """``text`` broken into lines no wider than ``width_in`` (by its measured width)."""
    measured = _text_width_in(fig, [text], size, weight)
    if measured <= width_in:
        return text
    return textwrap.fill(text, width=max(12, int(len(text) * width_in / measured)))


def _fit(fig: Figure, ax, title: str) -> None:
    """Margins from the widest labels, the title in a band across the top, long titles wrapped.

    Measuring only the labels costs a fraction of ``tight_layout``, which lays out every
    artist and, by leaving a layout engine attached, makes ``savefig`` draw the figure twice.
    """
    width_in, height_in = fig.get_size_inches()
    tick_labels = ax.get_yticklabels()
    tick_size = max((t.get_fontsize() for t in tick_labels), default=plt.rcParams["ytick.labelsize"])
    left_in = _text_width_in(fig, [t.get_text() for t in tick_labels], tick_size) + 0.2
    left_in += 0.3 if ax.get_ylabel() else 0.0
    right_in = 0.55  # room for a value label just past the axis end
    legend = ax.get_legend()
    if legend is not None:
        labels = [t.get_text() for t in legend.get_texts()]
        right_in = _text_width_in(fig, labels, plt.rcParams["legend.fontsize"]) + 0.75
    line_in = 0.22
    title = _wrap(fig, title, plt.rcParams["axes.titlesize"], width_in - 0.2, "bold")
    top_in = 0.35 + line_in * (title.count("\n") + 1)
    xlabel = _wrap(fig, ax.get_xlabel(), plt.rcParams["axes.labelsize"], width_in - left_in - right_in)
    ax.set_xlabel(xlabel)
    bottom_in = 0.45 + line_in * (xlabel.count("\n") + 1 if xlabel else 0)
    fig.set_size_inches(width_in, height_in + line_in * (title.count("\n") + xlabel.count("\n")))
    height_in = fig.get_figheight()
    fig.subplots_adjust(left=left_in / width_in, right=1 - right_in / width_in,
                        bottom=bottom_in / height_in, top=1 - top_in / height_in)
    fig.suptitle(title, x=0.08 / width_in, y=1 - 0.08 / height_in, ha="left", va="top",
                 fontsize=plt.rcParams["axes.titlesize"], fontweight="bold")


def _describe_points(points: list[tuple], unit: str) -> str:
    """``points``: (label, value, hidden[, bound text of a coded rate])."""
    parts = [f"{p[0]}: {p[3]}" if len(p) > 3 and p[3] else f"{p[0]}: suppressed" if p[2]
             else f"{p[0]}: {fmt_value(p[1], unit)}" for p in points]
    return "; ".join(parts)


def _bounds(rows: pd.DataFrame) -> list[str | None]:
    """Each row's bound as text ("≥ 95%") where it is a top/bottom-coded rate."""
    if "shown_as" not in rows or "bound" not in rows:
        return [None] * len(rows)
    return [fmt_bound(s, b) for s, b in zip(rows["shown_as"], rows["bound"], strict=True)]


def _with_bounds(data: pd.DataFrame, rows: pd.DataFrame) -> pd.DataFrame:
    """The downloadable data with the rows' shown_as and bound, so a coded rate reads as one."""
    extra = [c for c in ("shown_as", "bound") if c in rows and c not in data]
    return pd.concat([data, rows[extra]], axis=1) if extra else data


def trend_lines(rows: pd.DataFrame, title: str, unit: str, min_cell_size: int) -> Chart:
    """Lines over school years, one per indicator (``label`` column), with 95% bands for rates.

    ``rows``: label, school_year, value, ci_low, ci_high, suppressed.
    """
    fig, ax = plt.subplots(figsize=(8.2, 4.2))
    years = sorted(rows["school_year"].unique())
    alt_parts = []
    for i, (label, part) in enumerate(rows.groupby("label", sort=False)):
        part = part.sort_values("school_year")
        color = PALETTE[i % len(PALETTE)]
        shown = part[~part["suppressed"].astype(bool) & part["value"].notna()]
        ax.plot(shown["school_year"], shown["value"].astype(float), marker="o", color=color, label=label, lw=2)
        if unit == "rate" and shown["ci_low"].notna().any():
            ax.fill_between(shown["school_year"], shown["ci_low"].astype(float), shown["ci_high"].astype(float),
                            color=color, alpha=0.15, lw=0)
        bounds = _bounds(part)
        for (_, r), bound in zip(part.iterrows(), bounds, strict=True):
            if bool(r["suppressed"]) or bound:
                ax.annotate(bound or "suppressed", (r["school_year"], 0), xycoords=("data", "axes fraction"),
                            xytext=(0, 4), textcoords="offset points", ha="center", fontsize=8, color=MUTED,
                            rotation=90, va="bottom")
        alt_parts.append(
            f"{label} — " + _describe_points(
                [(str(int(r.school_year)), r.value, bool(r.suppressed), b)
                 for r, b in zip(part.itertuples(), bounds, strict=True)], unit)
        )
    ax.set_xticks(years)
    ax.set_xticklabels([str(int(y)) for y in years])
    ax.set_xlabel("School year (year it ends)")
    if unit == "rate":
        _pct_axis(ax)
        ax.set_ylabel("Share of learners")
        top = np.nanmax(pd.to_numeric(rows["ci_high"], errors="coerce").fillna(rows["value"]).to_numpy(dtype=float),
                        initial=0.1)
        ax.set_ylim(0, min(1.0, max(0.1, top * 1.15)))
    else:
        ax.set_ylabel("Number" if unit == "count" else unit)
        ax.set_ylim(bottom=0)
    if rows["label"].nunique() > 1:
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    _fit(fig, ax, title)
    alt = f"Line chart: {title}, {int(years[0])} to {int(years[-1])}. " + " | ".join(alt_parts) + "."
    data = _with_bounds(rows[["label", "school_year", "value", "ci_low", "ci_high", "suppressed"]], rows).rename(
        columns={"label": "indicator"})
    return Chart(fig, data, alt, title)


def group_bars(rows: pd.DataFrame, overall: object, title: str, unit: str, min_cell_size: int) -> Chart:
    """Horizontal bars of a rate by group, under a heading per kind of group, with 95% intervals.

    ``rows``: group_type, group_value, value, ci_low, ci_high, suppressed, suppression_reason.
    """
    rows = rows.reset_index(drop=True)
    rows["group"] = [group_value_label(t, v) for t, v in zip(rows["group_type"], rows["group_value"], strict=True)]
    types = list(dict.fromkeys(rows["group_type"]))
    # One axes, a heading row per kind of group: an axes per kind (its ticks, its layout)
    # cost most of a report's drawing time.
    members = [np.flatnonzero(rows["group_type"].to_numpy() == t) for t in types]
    y_of = np.empty(len(rows))
    heading_y = []
    y = 0
    for idx in members:
        heading_y.append(y)
        y_of[idx] = np.arange(y + 1, y + 1 + len(idx))
        y += len(idx) + 1
    fig, ax = plt.subplots(figsize=(8.2, 0.42 * y + 1.4))
    value, low, high = (_floats(rows[c]) for c in ("value", "ci_low", "ci_high"))
    hidden = rows["suppressed"].astype(bool).to_numpy() | np.isnan(value)
    xmax = np.nanmax(high, initial=0.0)
    xmax = min(1.0, max(0.1, xmax * 1.1, 0.0 if is_missing(overall) else float(overall) * 1.2))
    ax.barh(y_of[~hidden], value[~hidden], color=PALETTE[0], height=0.62)
    ci = ~hidden & ~np.isnan(low) & ~np.isnan(high)
    ax.errorbar(value[ci], y_of[ci], xerr=[value[ci] - low[ci], high[ci] - value[ci]],
                fmt="none", ecolor="#333333", capsize=3, lw=1)
    reasons = rows["suppression_reason"] if "suppression_reason" in rows else pd.Series(None, index=rows.index)
    bounds = _bounds(rows)
    for i in range(len(rows)):
        if hidden[i]:
            reason = reasons.iloc[i]
            reason = f"fewer than {min_cell_size} learners" if is_missing(reason) or not reason else str(reason)
            shown = reason if reason.startswith("suppressed") else f"suppressed ({reason})"
            if bounds[i]:
                shown = f"{bounds[i]} ({reason})"
            ax.text(0.002, y_of[i], shown, va="center", ha="left", fontsize=9, color=MUTED, style="italic")
        else:
            end = min(value[i], xmax) if np.isnan(high[i]) else high[i]
            ax.text(end + xmax * 0.012, y_of[i], fmt_value(value[i], unit), va="center", fontsize=9)
    heading = mtransforms.blended_transform_factory(ax.transAxes, ax.transData)
    for hy, gtype in zip(heading_y, types, strict=True):
        ax.text(0, hy + 0.1, group_type_label(gtype) + _HEADING_NOTES.get(gtype, ""), transform=heading,
                ha="left", va="center", fontsize=10, fontweight="bold")
        if hy:
            ax.axhline(hy - 0.5, color="#cccccc", lw=0.8)
    if not is_missing(overall):
        ax.axvline(float(overall), color=PALETTE[5], ls="--", lw=1.2)
    ax.set_yticks(y_of)
    ax.set_yticklabels(rows["group"])
    ax.set_ylim(y - 0.5, -0.5)  # fixed, top row first: a suppressed row keeps its place
    ax.grid(axis="y", visible=False)
    ax.set_xlim(0, xmax)
    if unit == "rate":
        _pct_axis(ax, "x")
    ax.set_xlabel("Share of learners (bars: 95% interval; dashed line: all learners)")
    _fit(fig, ax, title)
    alt_parts = [group_type_label(t) + ": " + _describe_points(
        [(rows.at[i, "group"], rows.at[i, "value"], bool(hidden[i]), bounds[i]) for i in idx], unit)
        for t, idx in zip(types, members, strict=True)]
    overall_txt = "" if is_missing(overall) else f" All learners: {fmt_value(overall, unit)}."
    alt = f"Bar chart: {title}.{overall_txt} " + " | ".join(alt_parts) + "."
    data = _with_bounds(rows[["group_type", "group_value", "value", "ci_low", "ci_high", "suppressed",
                              "suppression_reason"]], rows)
    return Chart(fig, data, alt, title)


def gap_dots(rows: pd.DataFrame, title: str) -> Chart:
    """Equity gaps in points with their 95% margin; red where the whole interval is below zero.

    ``rows``: label (indicator), group (reader's words), gap_pp, gap_moe_pp, is_gap.
    """
    rows = rows.reset_index(drop=True)
    labels = [textwrap.fill(f"{lbl}: {grp}", 48) for lbl, grp in zip(rows["label"], rows["group"], strict=True)]
    row_in = 0.48 if any("\n" in lbl for lbl in labels) else 0.36
    fig, ax = plt.subplots(figsize=(8.2, row_in * len(rows) + 1.4))
    y = np.arange(len(rows))
    colors = [PALETTE[5] if bool(g) else PALETTE[0] for g in rows["is_gap"]]
    ax.errorbar(rows["gap_pp"], y, xerr=rows["gap_moe_pp"], fmt="none", ecolor="#555555", capsize=3, lw=1)
    ax.scatter(rows["gap_pp"], y, c=colors, zorder=3, s=36)
    ax.axvline(0, color="#333333", lw=1)
    ax.set_yticks(y)
    ax.set_yticklabels(labels, fontsize=9)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.set_xlabel("Gap in percentage points against all other learners (95% margin of error)")
    _fit(fig, ax, title)
    alt = f"Dot chart: {title}. " + "; ".join(
        f"{lbl}, {grp}: {gap:+.1f} points (±{moe:.1f}){' — gap' if flag else ''}"
        for lbl, grp, gap, moe, flag in zip(rows["label"], rows["group"], rows["gap_pp"], rows["gap_moe_pp"],
                                            rows["is_gap"], strict=True)
    ) + "."
    return Chart(fig, rows, alt, title)


def odds_forest(rows: pd.DataFrame, title: str) -> Chart:
    """Adjusted odds ratios with 95% intervals on a log scale. ``rows``: label, value, ci_low, ci_high."""
    rows = rows.reset_index(drop=True)
    fig, ax = plt.subplots(figsize=(8.2, 0.6 * len(rows) + 1.4))
    y = np.arange(len(rows))
    ax.errorbar(rows["value"], y, xerr=[rows["value"] - rows["ci_low"], rows["ci_high"] - rows["value"]],
                fmt="o", color=PALETTE[0], ecolor="#333333", capsize=4, ms=7)
    ax.axvline(1, color="#333333", lw=1, ls="--")
    ax.set_xscale("log")
    ticks = [0.5, 1, 1.5, 2, 3, 5, 8]
    ax.set_xticks(ticks)
    ax.set_xticklabels([f"{t:g}" for t in ticks])
    ax.minorticks_off()
    lo = min(0.5, float(rows["ci_low"].min()) * 0.9)
    hi = max(2.0, float(rows["ci_high"].max()) * 1.1)
    ax.set_xlim(lo, hi)
    ax.set_yticks(y)
    ax.set_yticklabels(rows["label"])
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.set_xlabel("Adjusted odds ratio of on-time graduation (1 = same odds; log scale)")
    _fit(fig, ax, title)
    alt = f"Forest plot: {title}. " + "; ".join(
        f"{r.label}: {r.value:.2f} (95% interval {r.ci_low:.2f} to {r.ci_high:.2f})" for r in rows.itertuples()
    ) + "."
    return Chart(fig, rows, alt, title)


def value_bars(rows: pd.DataFrame, title: str, unit: str, xlabel: str, min_cell_size: int) -> Chart:
    """Simple horizontal bars: ``rows``: label, value, suppressed."""
    rows = rows.reset_index(drop=True)
    fig, ax = plt.subplots(figsize=(8.2, 0.45 * len(rows) + 1.3))
    values = _floats(rows["value"])
    xmax = float(np.nanmax(values, initial=0.0)) or 1.0
    hidden = rows["suppressed"].astype(bool).to_numpy() | np.isnan(values)
    y = np.arange(len(rows))
    ax.barh(y[~hidden], values[~hidden], color=PALETTE[2], height=0.62)
    bounds = _bounds(rows)
    reasons = rows["suppression_reason"] if "suppression_reason" in rows else pd.Series(None, index=rows.index)
    for i in y:
        if hidden[i]:
            text = f"{bounds[i]} ({reasons.iloc[i]})" if bounds[i] else f"suppressed (fewer than {min_cell_size})"
            ax.text(xmax * 0.005, i, text, va="center", fontsize=9, color=MUTED, style="italic")
        else:
            ax.text(values[i] + xmax * 0.01, i, fmt_value(values[i], unit), va="center", fontsize=9)
    ax.set_yticks(y)
    ax.set_yticklabels(rows["label"])
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.set_xlim(0, xmax * 1.15 if unit != "rate" else min(1.0, xmax * 1.2))
    if unit == "rate":
        _pct_axis(ax, "x")
    ax.set_xlabel(xlabel)
    ax.grid(axis="y", visible=False)
    _fit(fig, ax, title)
    alt = f"Bar chart: {title}. " + _describe_points(
        [(label, value, bool(hide), b) for label, value, hide, b in zip(rows["label"], values, hidden, bounds,
                                                                       strict=True)],
        unit) + "."
    return Chart(fig, rows, alt, title)
