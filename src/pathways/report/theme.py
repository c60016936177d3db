"""One look for every chart and table, and number formats.

:func:`apply` sets the project's seaborn theme for the whole kernel, so an analyst's own
seaborn or matplotlib chart in a report notebook looks like the built-in ones (opening a
report or the overview applies it). The built-in charts also draw inside :func:`context`,
so they look the same wherever they are drawn. Which matplotlib backend runs is the
runner's choice (papermill's kernel: inline), never this module's.
"""

from __future__ import annotations

import math
from contextlib import contextmanager

import matplotlib.pyplot as plt
import seaborn as sns

# Okabe-Ito: distinguishable with the common colour-vision deficiencies.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
MUTED = "#6b6b6b"
FONT_SIZE = 11

RC = {
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
    # Partner text reaches chart labels: "$" must stay a dollar sign, never start mathtext
    # (an odd number of them made matplotlib raise while drawing).
    "text.parse_math": False,
    "svg.fonttype": "none",  # text stays text in the SVG: smaller and selectable
    "svg.hashsalt": "pathways",  # stable element ids: same data, same bytes
}


def apply() -> None:
    """Set the project's seaborn theme for every chart drawn from now on in this kernel."""
    sns.set_theme(style="whitegrid", palette=PALETTE, rc=RC)


@contextmanager
def context():
    """Draw (and save) inside the project's theme whatever the kernel's global settings."""
    with sns.axes_style("whitegrid", rc=RC), plt.rc_context(RC), sns.color_palette(PALETTE):
        yield


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
    """Money as money: ``$8,506``; large sums in words a reader takes in (``$1.2 million``)."""
    if is_missing(value):
        return "—"
    amount = float(value)
    if abs(amount) >= 1_000_000:
        return f"${amount / 1_000_000:,.1f} million"
    return f"${amount:,.0f}"


def signed(value: object, digits: int = 1) -> str:
    """A number with its sign, and a true minus: ``+3.1``, ``−12.0``."""
    return "—" if is_missing(value) else f"{float(value):+.{digits}f}".replace("-", "−")


def fmt_value(value: object, unit: str) -> str:
    if unit == "rate":
        return fmt_rate(value)
    if unit == "usd":
        return fmt_usd(value)
    if unit in ("odds_ratio", "mean"):
        return "—" if is_missing(value) else f"{float(value):.2f}"
    return fmt_count(value)
