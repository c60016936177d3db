"""Turn a file read as text into the frame the GX suites run on.

Why a prepared frame rather than typed data: the gate must judge the text exactly as the
reader (:func:`pathways.io.submission.coerce`) will convert it, and report a bad value as a
type problem rather than crash while converting. So contract columns stay text (a blank
cell becomes null, so "not blank" is GX's not-null and every other check skips blanks),
and numbers and dates get a derived column with the converted value (null where the text
is blank or of the wrong type; the type check reports those once).

The index is the row number a spreadsheet shows (header = row 1), so the row numbers GX
returns for failing values are the clerk's row numbers. Columns outside the contract are
dropped: their values never reach GX.
"""

from __future__ import annotations

import pandas as pd

from pathways.gate.suites import date_column, number_column
from pathways.io.submission import RawTable, invalid_mask, to_number

FIRST_DATA_ROW = 2


def spreadsheet_index(n: int) -> pd.RangeIndex:
    return pd.RangeIndex(FIRST_DATA_ROW, FIRST_DATA_ROW + n)


def prepare(raw: RawTable) -> pd.DataFrame:
    """The GX frame of one file: contract columns as text (blank = null) plus numeric/date views."""
    spec = raw.spec
    src = raw.frame
    out: dict[str, pd.Series] = {}
    for col in spec.columns:
        if col.name not in src.columns:
            continue
        text = src[col.name]
        blank = text == ""
        out[col.name] = text.mask(blank)
        if col.type in ("int", "float"):
            # Only text of the right type has a number ("inf" is a type problem, reported once).
            # Infinity written as a number ("1e309") stays: every number column is bounded on
            # both sides, so the range check refuses it rather than skipping it as blank.
            number = to_number(text.mask(blank))
            out[number_column(col.name)] = number.mask(invalid_mask(text, col.type).to_numpy(bool))
        elif col.type == "date":
            dates = pd.to_datetime(text.mask(blank), format="%Y-%m-%d", errors="coerce")
            out[date_column(col.name)] = (dates.dt.year * 10000 + dates.dt.month * 100 + dates.dt.day).astype(
                "float64"
            )
    frame = pd.DataFrame(out, index=src.index)
    frame.index = spreadsheet_index(len(frame)) if raw.row_numbers is None else pd.Index(raw.row_numbers)
    return frame
