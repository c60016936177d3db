"""One look for every chart and table, and number formats that respect suppression."""

from __future__ import annotations

import math

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import seaborn as sns  # noqa: E402

# Okabe-Ito: distinguishable with the common colour-vision deficiencies.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
MUTED = "#6b6b6b"
FONT_SIZE = 11


def apply_theme() -> None:
    sns.set_theme(
        style="whitegrid",
        palette=PALETTE,
        rc={
            "font.family": "DejaVu Sans",
            "font.size": FONT_SIZE,
            "axes.titlesize": FONT_SIZE + 2,
            "axes.titleweight": "bold",
            "axes.labelsize": FONT_SIZE,
            "xtick.labelsize": FONT_SIZE - 1,
            "ytick.labelsize": FONT_SIZE - 1,
            "legend.fontsize": FONT_SIZE - 1,
            "figure.dpi": 100,
            "savefig.dpi": 110,
            "axes.spines.top": False,
            "axes.spines.right": False,
        },
    )
    plt.rcParams["svg.fonttype"] = "none"
    plt.rcParams["svg.hashsalt"] = "pathways"  # stable element ids: same data, same bytes


def is_missing(value: object) -> bool:
    if value is None:
        return True
    try:
        return bool(value != value) or (isinstance(value, float) and math.isnan(value))
    except (TypeError, ValueError):
        return False


def fmt_rate(value: object, digits: int = 1) -> str:
    return "—" if is_missing(value) else f"{float(value) * 100:.{digits}f}%"


def fmt_count(value: object) -> str:
    return "—" if is_missing(value) else f"{round(float(value)):,}"


def fmt_usd(value: object) -> str:
    return "—" if is_missing(value) else f"${float(value):,.0f}"


def fmt_points(value: object) -> str:
    """Change of a rate, in percentage points, with its sign."""
    if is_missing(value):
        return "—"
    points = float(value) * 100
    return f"{points:+.1f} points"


def fmt_value(value: object, unit: str) -> str:
    if unit == "rate":
        return fmt_rate(value)
    if unit == "usd":
        return fmt_usd(value)
    if unit == "odds_ratio":
        return "—" if is_missing(value) else f"{float(value):.2f}"
    if unit == "mean":
        return "—" if is_missing(value) else f"{float(value):.2f}"
    return fmt_count(value)


def fmt_bound(shown_as: object, bound: object) -> str | None:
    """A top/bottom-coded rate as its bound ("≥ 95%", "≤ 4%"); None for a row shown otherwise."""
    if shown_as not in ("at_least", "at_most") or is_missing(bound):
        return None
    return f"{'≥' if shown_as == 'at_least' else '≤'} {float(bound) * 100:.0f}%"


def suppressed_label(min_cell_size: int, unit: str = "count") -> str:
    """What a reader sees in place of a suppressed number."""
    return f"<{min_cell_size}" if unit == "count" else "suppressed"
