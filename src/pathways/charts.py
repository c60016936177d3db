"""Charts of the report. Each returns a :class:`Chart`: the figure, the data behind it
(the rows a reader can download) and alt text written from the same numbers.

Suppressed cells are drawn as such — a labelled gap — never as zero.
"""

from __future__ import annotations

from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from pathways.labels import group_type_label, group_value_label
from pathways.theme import MUTED, PALETTE, apply_theme, fmt_value, is_missing

apply_theme()


@dataclass
class Chart:
    figure: Figure
    data: pd.DataFrame
    alt: str
    caption: str


def _pct_axis(ax, axis: str = "y") -> None:
    fmt = plt.FuncFormatter(lambda v, _: f"{v * 100:.0f}%")
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(fmt)


def _describe_points(points: list[tuple[str, object, bool]], unit: str) -> str:
    parts = [f"{label}: suppressed" if sup else f"{label}: {fmt_value(v, unit)}" for label, v, sup in points]
    return "; ".join(parts)


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
        for _, r in part[part["suppressed"].astype(bool)].iterrows():
            ax.annotate("suppressed", (r["school_year"], 0), xycoords=("data", "axes fraction"),
                        xytext=(0, 4), textcoords="offset points", ha="center", fontsize=8, color=MUTED,
                        rotation=90, va="bottom")
        alt_parts.append(
            f"{label} — " + _describe_points(
                [(str(int(r.school_year)), r.value, bool(r.suppressed)) for r in part.itertuples()], unit)
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
    ax.set_title(title, loc="left")
    if rows["label"].nunique() > 1:
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    fig.tight_layout()
    alt = f"Line chart: {title}, {int(years[0])} to {int(years[-1])}. " + " | ".join(alt_parts) + "."
    data = rows[["label", "school_year", "value", "ci_low", "ci_high", "suppressed"]].rename(
        columns={"label": "indicator"})
    return Chart(fig, data, alt, title)


def group_bars(rows: pd.DataFrame, overall: object, title: str, unit: str, min_cell_size: int) -> Chart:
    """Horizontal bars of a rate by group, one panel per kind of group, with 95% intervals.

    ``rows``: group_type, group_value, value, ci_low, ci_high, suppressed, suppression_reason.
    """
    rows = rows.copy()
    rows["group"] = [group_value_label(t, v) for t, v in zip(rows["group_type"], rows["group_value"], strict=True)]
    types = list(dict.fromkeys(rows["group_type"]))
    heights = [max(1, (rows["group_type"] == t).sum()) for t in types]
    fig, axes = plt.subplots(len(types), 1, figsize=(8.2, 0.42 * sum(heights) + 0.9 * len(types) + 0.6),
                             gridspec_kw={"height_ratios": heights}, sharex=True, squeeze=False)
    xmax = np.nanmax(pd.to_numeric(rows["ci_high"], errors="coerce").to_numpy(dtype=float), initial=0.0)
    xmax = min(1.0, max(0.1, xmax * 1.1, 0.0 if is_missing(overall) else float(overall) * 1.2))
    alt_parts = []
    for ax, gtype in zip(axes[:, 0], types, strict=True):
        part = rows[rows["group_type"] == gtype].reset_index(drop=True)
        y = np.arange(len(part))
        for i, r in part.iterrows():
            if bool(r["suppressed"]) or is_missing(r["value"]):
                reason = r.get("suppression_reason") or f"fewer than {min_cell_size} learners"
                shown = reason if str(reason).startswith("suppressed") else f"suppressed ({reason})"
                ax.text(0.002, i, shown, va="center", ha="left", fontsize=9,
                        color=MUTED, style="italic")
                continue
            value = float(r["value"])
            ax.barh(i, value, color=PALETTE[0], height=0.62)
            if not is_missing(r["ci_low"]):
                ax.errorbar(value, i, xerr=[[value - float(r["ci_low"])], [float(r["ci_high"]) - value]],
                            fmt="none", ecolor="#333333", capsize=3, lw=1)
            ax.text(min(value, xmax) + xmax * 0.012 if is_missing(r["ci_high"]) else float(r["ci_high"]) + xmax * 0.012,
                    i, fmt_value(value, unit), va="center", fontsize=9)
        if not is_missing(overall):
            ax.axvline(float(overall), color=PALETTE[5], ls="--", lw=1.2)
        ax.set_yticks(y)
        ax.set_yticklabels(part["group"])
        # Fixed limits, top row first: a panel whose bars are all suppressed keeps its rows' places.
        ax.set_ylim(len(part) - 0.5, -0.5)
        ax.set_title(group_type_label(gtype), loc="left", fontsize=10, fontweight="bold")
        ax.grid(axis="y", visible=False)
        alt_parts.append(group_type_label(gtype) + ": " + _describe_points(
            [(g, v, bool(s) or is_missing(v)) for g, v, s in zip(part["group"], part["value"], part["suppressed"], strict=True)],
            unit))
    ax = axes[-1, 0]
    ax.set_xlim(0, xmax)
    if unit == "rate":
        _pct_axis(ax, "x")
    ax.set_xlabel("Share of learners (bars: 95% interval; dashed line: all learners)")
    fig.suptitle(title, x=0.01, ha="left", fontweight="bold", fontsize=12)
    # Keep a band at the top for the title: tight_layout alone lets the first panel's title run into it.
    fig.tight_layout(rect=(0, 0, 1, 1 - 0.45 / fig.get_figheight()))
    overall_txt = "" if is_missing(overall) else f" All learners: {fmt_value(overall, unit)}."
    alt = f"Bar chart: {title}.{overall_txt} " + " | ".join(alt_parts) + "."
    data = rows[["group_type", "group_value", "value", "ci_low", "ci_high", "suppressed", "suppression_reason"]]
    return Chart(fig, data, alt, title)


def gap_dots(rows: pd.DataFrame, title: str) -> Chart:
    """Equity gaps in points with their 95% margin; red where the whole interval is below zero.

    ``rows``: label (indicator), group (reader's words), gap_pp, gap_moe_pp, is_gap.
    """
    rows = rows.reset_index(drop=True)
    fig, ax = plt.subplots(figsize=(8.2, 0.36 * len(rows) + 1.4))
    y = np.arange(len(rows))
    colors = [PALETTE[5] if bool(g) else PALETTE[0] for g in rows["is_gap"]]
    ax.errorbar(rows["gap_pp"], y, xerr=rows["gap_moe_pp"], fmt="none", ecolor="#555555", capsize=3, lw=1)
    ax.scatter(rows["gap_pp"], y, c=colors, zorder=3, s=36)
    ax.axvline(0, color="#333333", lw=1)
    ax.set_yticks(y)
    ax.set_yticklabels([f"{lbl}: {grp}" for lbl, grp in zip(rows["label"], rows["group"], strict=True)], fontsize=9)
    ax.invert_yaxis()
    ax.set_xlabel("Gap in percentage points against all other learners (95% margin of error)")
    ax.set_title(title, loc="left")
    fig.tight_layout()
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
    ax.invert_yaxis()
    ax.set_xlabel("Adjusted odds ratio of on-time graduation (1 = same odds; log scale)")
    ax.set_title(title, loc="left")
    fig.tight_layout()
    alt = f"Forest plot: {title}. " + "; ".join(
        f"{r.label}: {r.value:.2f} (95% interval {r.ci_low:.2f} to {r.ci_high:.2f})" for r in rows.itertuples()
    ) + "."
    return Chart(fig, rows, alt, title)


def value_bars(rows: pd.DataFrame, title: str, unit: str, xlabel: str, min_cell_size: int) -> Chart:
    """Simple horizontal bars: ``rows``: label, value, suppressed."""
    rows = rows.reset_index(drop=True)
    fig, ax = plt.subplots(figsize=(8.2, 0.45 * len(rows) + 1.3))
    values = pd.to_numeric(rows["value"], errors="coerce")
    xmax = float(np.nanmax(values.to_numpy(dtype=float), initial=0.0)) or 1.0
    for i, r in rows.iterrows():
        if bool(r["suppressed"]) or is_missing(r["value"]):
            ax.text(xmax * 0.005, i, f"suppressed (fewer than {min_cell_size})", va="center", fontsize=9,
                    color=MUTED, style="italic")
            continue
        ax.barh(i, float(r["value"]), color=PALETTE[2], height=0.62)
        ax.text(float(r["value"]) + xmax * 0.01, i, fmt_value(r["value"], unit), va="center", fontsize=9)
    ax.set_yticks(np.arange(len(rows)))
    ax.set_yticklabels(rows["label"])
    ax.invert_yaxis()
    ax.set_xlim(0, xmax * 1.15 if unit != "rate" else min(1.0, xmax * 1.2))
    if unit == "rate":
        _pct_axis(ax, "x")
    ax.set_xlabel(xlabel)
    ax.grid(axis="y", visible=False)
    ax.set_title(title, loc="left")
    fig.tight_layout()
    alt = f"Bar chart: {title}. " + _describe_points(
        [(r.label, r.value, bool(r.suppressed)) for r in rows.itertuples()], unit) + "."
    return Chart(fig, rows, alt, title)
