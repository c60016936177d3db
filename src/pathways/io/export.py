"""The machine-readable indicator table: its columns, CSV/JSON writing and reading back.

Every figure of a report is a row here, already suppressed by the engine: ``shown_as`` says
whether a row is exact, a bound (``at_least``/``at_most``, the bound in ``bound``) or
suppressed, and every trend column carries one unit (points for rates, percent for counts and
dollars, rating points for means). CSV cells that a spreadsheet would run as a formula are
neutralised, because exports are opened in Excel by people who did not write them.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import IO

import numpy as np
import pandas as pd

# A group's gap at the baseline and how it moved (numbers; ``gap_trend`` says which way).
GAP_TREND_COLUMNS = ("gap_baseline_pp", "gap_change_pp", "gap_change_moe_pp")
# One unit per column: points for rates, per cent for counts and money, differences for means.
TREND_COLUMNS = (
    "baseline_year",
    "prior_year",
    "baseline_value",
    "prior_value",
    "change_from_baseline_pp",
    "change_from_prior_pp",
    "change_from_baseline_pct",
    "change_from_prior_pct",
    "change_from_baseline_diff",
    "change_from_prior_diff",
    "baseline_numerator",
    "prior_numerator",
    "numerator_change_from_baseline_pct",
    "numerator_change_from_prior_pct",
)
EXPORT_COLUMNS = [
    "partnership_id",
    "school_year",
    "indicator_id",
    "measure",
    "group_type",
    "group_value",
    "numerator",
    "denominator",
    "value",
    "ci_low",
    "ci_high",
    "suppressed",
    "shown_as",
    "bound",
    "suppression_reason",
    "status",
    "note",
    "gap_pp",
    "gap_moe_pp",
    "is_gap",
    *GAP_TREND_COLUMNS,
    "gap_trend",
    *TREND_COLUMNS,
    "change_label",
    "goal_measure",
    "goal_target",
    "goal_target_year",
    "goal_current",
    "goal_progress_share",
    "goal_on_track",
]
# How a row of status "ok" is shown: exactly, as a top/bottom-coded bound, or not at all.
SHOWN_AS = ("exact", "at_least", "at_most", "suppressed")
CODED = ("at_least", "at_most")
TEXT_COLUMNS = (
    "partnership_id",
    "indicator_id",
    "measure",
    "group_type",
    "group_value",
    "shown_as",
    "suppression_reason",
    "status",
    "note",
    "gap_trend",
    "change_label",
    "goal_measure",
)
BOOL_COLUMNS = ("suppressed",)
NULLABLE_BOOL_COLUMNS = ("is_gap", "goal_on_track")
INT_COLUMNS = ("school_year",)
FLOAT_COLUMNS = tuple(
    c for c in EXPORT_COLUMNS if c not in TEXT_COLUMNS + BOOL_COLUMNS + NULLABLE_BOOL_COLUMNS + INT_COLUMNS
)
# Characters that make a spreadsheet treat a cell as a formula (and the apostrophe itself, so
# that reading back strips exactly the one apostrophe writing added).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "'")


def neutralize_formulas(value: str) -> str:
    """Prefix an apostrophe to text a spreadsheet would run as a formula: ``=HYPERLINK(..)`` -> ``'=HYPERLINK(..)``."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def csv_text(frame: pd.DataFrame, text_columns: tuple[str, ...] | None = None) -> str:
    """The one way the project writes a table as CSV: every text cell (headers included) through
    :func:`neutralize_formulas`, numbers and blanks as they are. Figure downloads, exports and
    the clerks' templates all go through here, so no text a partner sent runs as a formula.

    ``text_columns`` names the text columns of a table whose numbers are already formatted as
    strings (the export); by default a column is text when its dtype is.
    """

    def is_text(col) -> bool:
        if text_columns is not None:
            return col in text_columns
        return frame[col].dtype.kind in "OSU" or isinstance(frame[col].dtype, pd.StringDtype)

    guarded = pd.DataFrame(
        {
            neutralize_formulas(str(col)): frame[col].map(neutralize_formulas) if is_text(col) else frame[col]
            for col in frame.columns
        },
        index=frame.index,
    )
    return guarded.to_csv(index=False, lineterminator="\n")


def _restore(value: object) -> object:
    if isinstance(value, str) and len(value) > 1 and value[0] == "'" and value[1] in "=+-@\t\r'":
        return value[1:]
    return value


def conform(table: pd.DataFrame) -> pd.DataFrame:
    """The table with exactly EXPORT_COLUMNS in order and the export's dtypes."""
    out = pd.DataFrame(index=table.index)
    for col in EXPORT_COLUMNS:
        values = (
            table[col] if col in table else pd.Series([None] * len(table), index=table.index, dtype=object)
        )
        if col in TEXT_COLUMNS:
            out[col] = values.astype(object).where(values.notna(), None)
        elif col in BOOL_COLUMNS:
            out[col] = values.fillna(False).astype(bool)
        elif col in NULLABLE_BOOL_COLUMNS:
            out[col] = values.astype(object).where(values.notna(), None).astype("boolean")
        elif col in INT_COLUMNS:
            out[col] = pd.to_numeric(values).astype("int64")
        else:
            out[col] = pd.to_numeric(values, errors="coerce").astype("float64")
    return out.reset_index(drop=True)


def _number(value: float) -> str:
    """Numbers as plain text: integers without ``.0``, others at full precision, NaN empty."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    f = float(value)
    if f.is_integer() and abs(f) < 1e15:
        return str(int(f))
    return repr(f)


def write_export(table: pd.DataFrame, stream: IO[str], fmt: str) -> None:
    """Write the table as ``csv`` (stable columns, neutralised formulas) or ``json`` (records, NaN as null)."""
    table = conform(table)
    if fmt == "csv":
        text = pd.DataFrame(
            {
                col: (
                    table[col].map(lambda v: "" if v is None else str(v))
                    if col in TEXT_COLUMNS
                    else table[col].map(
                        lambda v: "" if v is pd.NA or v is None else ("true" if v else "false")
                    )
                    if col in BOOL_COLUMNS + NULLABLE_BOOL_COLUMNS
                    else table[col].map(_number)
                )
                for col in EXPORT_COLUMNS
            },
            columns=EXPORT_COLUMNS,
        )
        stream.write(csv_text(text, TEXT_COLUMNS))
    elif fmt == "json":
        records = []
        for rec in table.to_dict(orient="records"):
            records.append({k: _json_value(v) for k, v in rec.items()})
        json.dump(records, stream, indent=1, allow_nan=False)
        stream.write("\n")
    else:
        raise ValueError(f"unknown export format {fmt!r} (csv or json)")


def _json_value(value: object) -> object:
    if value is None or value is pd.NA:
        return None
    if isinstance(value, (float, np.floating)):
        return None if math.isnan(value) else float(value)
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.bool_,)):
        return bool(value)
    return value


def read_export(path: str | Path) -> pd.DataFrame:
    """Read an export CSV back with its dtypes (bools, floats, int school_year, text without the guard)."""
    raw = pd.read_csv(path, dtype=str, keep_default_na=False, na_filter=False, encoding="utf-8")
    out = {}
    for col in EXPORT_COLUMNS:
        values = raw[col] if col in raw else pd.Series([""] * len(raw), dtype=object)
        blank = values == ""
        if col in TEXT_COLUMNS:
            out[col] = values.astype(object).map(_restore).where(~blank, None)
        elif col in BOOL_COLUMNS:
            out[col] = values.str.lower().eq("true")
        elif col in NULLABLE_BOOL_COLUMNS:
            out[col] = values.str.lower().map({"true": True, "false": False}).astype("boolean")
        elif col in INT_COLUMNS:
            out[col] = pd.to_numeric(values).astype("int64")
        else:
            out[col] = pd.to_numeric(values.mask(blank), errors="coerce").astype("float64")
    return conform(pd.DataFrame(out, columns=EXPORT_COLUMNS))


__all__ = [
    "CODED",
    "EXPORT_COLUMNS",
    "SHOWN_AS",
    "conform",
    "csv_text",
    "neutralize_formulas",
    "read_export",
    "write_export",
]
