"""What a reader sees for one row of the export: the number, a bound, or why it is hidden.

Every table, chart, sentence and alt text of a report goes through here, so a top- or
bottom-coded rate reads "≥ 95%" everywhere (never a blank or a zero) and a suppressed
cell says why. Rows follow the export contract: ``shown_as`` is ``exact``, ``at_least``,
``at_most`` or ``suppressed`` for rows whose ``status`` is ``ok``; a coded row carries its
``bound`` and denominator and no other number.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pathways.report.theme import fmt_count, fmt_value, is_missing

CODED = ("at_least", "at_most")
# Columns a coded row keeps: its place in the export, its bound and how many learners it covers.
_CODED_KEEPS = (
    "school_year",
    "denominator",
    "bound",
    "baseline_year",
    "prior_year",
    "goal_target",
    "goal_target_year",
)


def _get(row, name: str, default=None):
    """A field of a row given as a Series, a dict or a namedtuple (``itertuples``)."""
    if isinstance(row, (pd.Series, dict)):
        return row.get(name, default)
    return getattr(row, name, default)


def state(row) -> str:
    """``exact``, ``at_least``, ``at_most``, ``suppressed``, ``missing`` (no value, none hidden) or the row's status."""
    status = _get(row, "status", "ok") or "ok"
    if status != "ok":
        return str(status)
    shown_as = _get(row, "shown_as")
    if isinstance(shown_as, str) and shown_as:
        if shown_as in CODED and is_missing(_get(row, "bound")):
            return "suppressed"  # a bound without its number reads as hidden, never as a zero
        if shown_as == "exact" and is_missing(_get(row, "value")):
            return "missing"
        return shown_as
    if bool(_get(row, "suppressed", False)):
        return "suppressed"
    return "missing" if is_missing(_get(row, "value")) else "exact"


def states(frame: pd.DataFrame) -> np.ndarray:
    """:func:`state` of every row of a frame at once."""
    n = len(frame)

    def column(name: str, fill) -> pd.Series:
        return frame[name] if name in frame else pd.Series([fill] * n, index=frame.index, dtype=object)

    status = column("status", "ok").astype(object).where(column("status", "ok").notna(), "ok").to_numpy()
    value_missing = column("value", None).isna().to_numpy()
    shown_as = column("shown_as", None).astype(object)
    shown_as = shown_as.where(shown_as.notna(), "").to_numpy()
    out = np.where(value_missing, "missing", "exact").astype(object)
    out[column("suppressed", False).fillna(False).astype(bool).to_numpy()] = "suppressed"
    given = shown_as != ""
    out[given] = shown_as[given]
    out[np.isin(out, CODED) & column("bound", None).isna().to_numpy()] = "suppressed"
    out[given & (shown_as == "exact") & value_missing] = "missing"
    out[status != "ok"] = status[status != "ok"]
    return out


def is_exact(row) -> bool:
    return state(row) == "exact"


def is_coded(row) -> bool:
    return state(row) in CODED


def fmt_bound(bound: object, shown_as: str) -> str:
    """``≥ 95%`` or ``≤ 2%``: the bound of a coded rate."""
    pct = float(bound) * 100
    text = f"{pct:.0f}%" if abs(pct - round(pct)) < 0.05 else f"{pct:.1f}%"
    return ("≥ " if shown_as == "at_least" else "≤ ") + text


def reason(row, min_cell_size: int) -> str:
    text = _get(row, "suppression_reason")
    if isinstance(text, str) and text.strip():
        return text.strip()
    return f"fewer than {min_cell_size} learners"


def shown(row, unit: str, min_cell_size: int, *, column: str = "value") -> str:
    """The cell as a reader sees it, without the reason (tables add it in a column of its own)."""
    st = state(row)
    if st == "exact":
        return fmt_value(_get(row, column), unit)
    if st in CODED:
        return fmt_bound(_get(row, "bound"), st)
    if st == "suppressed":
        # Rule 2: a small count read on its own is "<N"; a cell hidden for another reason says so.
        small = reason(row, min_cell_size).startswith("fewer than")
        return f"<{min_cell_size}" if unit != "rate" and unit != "mean" and small else "suppressed"
    if st == "missing":
        return "not estimable" if unit == "odds_ratio" else "—"
    return "not submitted" if st == "not_submitted" else "not available"


def shown_with_reason(row, unit: str, min_cell_size: int) -> str:
    """``38.2%``, ``≥ 95% (fewer than 10 learners not counted in the rate)``, ``suppressed (fewer than 10 learners)``."""
    st = state(row)
    text = shown(row, unit, min_cell_size)
    if st in CODED or st == "suppressed":
        why = reason(row, min_cell_size)
        return why if st == "suppressed" and why.startswith("suppressed") else f"{text} ({why})"
    return text


def denominator_text(row) -> str:
    """How many learners a shown or coded rate covers; nothing for a hidden one."""
    return fmt_count(_get(row, "denominator")) if state(row) in ("exact", *CODED) else ""


def scrub_hidden(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of export rows with no number left in a suppressed row, and only bound and denominator in a coded one.

    The export already holds no such number; figure and table downloads go through here too,
    so that no code path can put one back.
    """
    if frame.empty:
        return frame.copy()
    out = frame.copy()
    st = states(out)
    hidden = st == "suppressed"
    coded = np.isin(st, CODED)
    for col in out.columns:
        if (
            col in ("school_year",)
            or not pd.api.types.is_numeric_dtype(out[col])
            or pd.api.types.is_bool_dtype(out[col])
        ):
            continue
        mask = hidden | (coded & (col not in _CODED_KEEPS))
        if mask.any():
            out[col] = out[col].astype("float64")
            out.loc[mask, col] = np.nan
    for col in ("is_gap", "gap_trend", "change_label", "note", "goal_on_track"):
        if col in out:
            out[col] = out[col].astype(object)
            out.loc[hidden | coded, col] = None
    return out


__all__ = [
    "CODED",
    "denominator_text",
    "fmt_bound",
    "is_coded",
    "is_exact",
    "reason",
    "scrub_hidden",
    "shown",
    "shown_with_reason",
    "state",
    "states",
]
