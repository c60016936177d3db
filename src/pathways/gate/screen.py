"""The gate's first pass: a file's suite with its per-cell text checks fused into one expectation.

Great Expectations spends most of a gate on bookkeeping per expectation (building each one's
metric graph and kwargs), and filters the whole batch by each column's non-null mask for every
column check. A contract file has 5 to 25 such per-cell text checks: not blank, of its type (a
regular expression), one of the allowed values, matching its pattern. So the first pass joins
the checked text columns of a row into one string (a unit separator between cells) and runs
one anchored regular expression over it, field by field the same checks. A whole-number
column's range (``<column>__number`` between two whole numbers, the folder's year included) is
a regular expression on its text too, so it joins its column's field. Every other
expectation of the suite (ranges, years, dates, comparisons, keys, SSN-like ids, the required
columns) runs unchanged, on a frame of only the columns they read; the table-level ones (which
columns the file has) on an empty frame with the file's own columns.

The fused check passes exactly when every check it replaces passes: a field's pattern cannot
match the separator, so the row splits one way only, and each field's pattern is the replaced
regular expression without its anchors, the allowed values spelled out, or "not empty". When it
passes, so does the suite; when anything fails, the gate runs the suite itself for the file's
findings, so the messages come from the same expectations as ever.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

SEPARATOR = (
    "\x1f"  # ASCII unit separator: no contract value holds it (a cell that does only fails the screen)
)
ROW_COLUMN = "__row__"
_FUSABLE = {
    "expect_column_values_to_not_be_null",
    "expect_column_values_to_match_regex",
    "expect_column_values_to_be_in_set",
}


def _cannot_match_separator(body: str) -> bool:
    """True when no part of ``body`` can match the separator (or anchor anywhere but the ends):
    only literal characters, escaped punctuation, positive character sets, groups, ``(?i:``,
    alternation and repetition. Anything else (``.``, ``\\s``, ``[^...]``, anchors, other flags)
    and the expectation is not fused but runs on its own."""
    i = 0
    while i < len(body):
        ch = body[i]
        if ch == "\\":
            if i + 1 >= len(body) or body[i + 1].isalnum():  # \d \s \x1f \b ...: a class or an anchor
                return False
            i += 2
        elif ch == "[":
            if body[i + 1 : i + 2] == "^":
                return False
            end = body.find("]", i + 2)
            if end < 0 or "\\" in body[i:end]:
                return False
            i = end + 1
        elif ch == "(" and body[i + 1 : i + 2] == "?":
            if not (body.startswith("(?:", i) or body.startswith("(?i:", i)):
                return False
            i += 3 if body.startswith("(?:", i) else 4
        elif ch in ".^$" or ch == SEPARATOR:
            return False
        else:
            i += 1
    return True


@dataclass(frozen=True)
class Screen:
    table_expectations: tuple  # about the file's columns, run on an empty frame with those columns
    expectations: tuple  # the suite's own row checks that are not fused, then the fused one
    fused_columns: tuple[str, ...]  # the text columns joined into the row, in order
    frame_columns: tuple[str, ...]  # every other column the expectations read

    @property
    def fuses(self) -> bool:
        return bool(self.fused_columns)


def _plain(kwargs: dict, keys: set[str]) -> bool:
    """An expectation with nothing beyond ``keys`` that would change what it checks."""
    extra = {
        k: v
        for k, v in kwargs.items()
        if k
        not in keys
        | {
            "column",
            "mostly",
            "row_condition",
            "condition_parser",
            "result_format",
            "catch_exceptions",
            "meta",
        }
    }
    return not extra and kwargs.get("mostly", 1) in (1, 1.0, None) and not kwargs.get("row_condition")


def _body(regex: str) -> str | None:
    """A regular expression anchored at both ends, as a field of the row (None: not fusable)."""
    if not (regex.startswith("^") and regex.endswith("$")) or regex.endswith("\\$"):
        return None
    body = regex[1:-1]
    return f"(?:{body})" if _cannot_match_separator(body) else None


def _field(checks: dict) -> str | None:
    """The row pattern of one column's text checks, or None when they cannot be fused exactly."""
    not_null, regexes, sets = checks["not_null"], checks["regex"], checks["set"]
    if len(regexes) + len(sets) > 1:
        return None
    if regexes:
        body = _body(regexes[0])
        if body is None:
            return None
    elif sets:
        values = sets[0]
        if not values or any(not isinstance(v, str) or not v or SEPARATOR in v for v in values):
            return None
        body = "(?:" + "|".join(re.escape(v) for v in values) + ")"
    else:
        return f"[^{SEPARATOR}]+" if not_null else None  # no text check at all: not part of the row
    if not_null:
        # A blank cell is null in the frame and empty in the row: the field must not match "".
        return body if re.fullmatch(body, "") is None else None
    return f"(?:{body})?"


def int_range_regex(low: int, high: int) -> str:
    """Decimal spellings of the whole numbers ``low``..``high`` (0 <= low <= high) without leading zeros."""
    if not 0 <= low <= high:
        raise ValueError("a range of whole numbers from 0 up")

    def same_length(a: str, b: str) -> list[str]:
        if a == b:
            return [a]
        if set(a) == {"0"} and set(b) == {"9"}:
            return ["[0-9]" * len(a)]
        if len(a) == 1:
            return [f"[{a}-{b}]"]
        if a[0] == b[0]:
            return [a[0] + rest for rest in same_length(a[1:], b[1:])]
        out = [a[0] + rest for rest in same_length(a[1:], "9" * (len(a) - 1))]
        if int(b[0]) - int(a[0]) > 1:
            out.append(f"[{int(a[0]) + 1}-{int(b[0]) - 1}]" + "[0-9]" * (len(a) - 1))
        return out + [b[0] + rest for rest in same_length("0" * (len(b) - 1), b[1:])]

    parts: list[str] = []
    for digits in range(len(str(low)), len(str(high)) + 1):
        a = max(low, 10 ** (digits - 1) if digits > 1 else 0)
        b = min(high, 10**digits - 1)
        if a <= b:
            parts.extend(same_length(str(a), str(b)))
    return "(?:" + "|".join(parts) + ")"


def int_value_regex(low: int, high: int) -> str:
    """The text of a whole number (the gate's ``INT_REGEX``: sign, leading zeros and an Excel
    ``.0`` allowed) whose value lies in ``low``..``high``."""
    negative_zero = "|-0+" if low == 0 else ""
    return rf"(?:\+?0*{int_range_regex(low, high)}{negative_zero})(?:\.0*)?"


def _whole_number(value, parameters: dict) -> int | None:
    if isinstance(value, dict) and set(value) == {"$PARAMETER"}:
        value = parameters.get(value["$PARAMETER"])
    if isinstance(value, bool) or not isinstance(value, int | float) or not float(value).is_integer():
        return None
    return int(value)


def _fuse_int_ranges(expectations: list, per_column: dict, parameters: dict) -> None:
    """Replace a whole-number column's type regex by the regex of its range (the range
    expectation joins the column's checks, replaced with them if the column is fused)."""
    from pathways.gate.suites import INT_REGEX, number_column

    for e in expectations:
        config = e.configuration
        kwargs = config.kwargs
        if config.type != "expect_column_values_to_be_between" or not _plain(
            kwargs, {"min_value", "max_value", "strict_min", "strict_max"}
        ):
            continue
        if kwargs.get("strict_min") or kwargs.get("strict_max"):
            continue
        base = next((c for c in per_column if number_column(c) == kwargs["column"]), None)
        low, high = (_whole_number(kwargs.get(k), parameters) for k in ("min_value", "max_value"))
        checks = per_column.get(base)
        if (
            checks is None
            or low is None
            or high is None
            or not 0 <= low <= high
            or checks["regex"] != [INT_REGEX]
        ):
            continue
        checks["regex"] = ["^" + int_value_regex(low, high) + "$"]
        checks["all"].append(e)


def build_screen(expectations: list, parameters: dict | None = None) -> Screen:
    """The first pass of a suite's ``expectations`` (GX Expectation objects, already limited to
    the columns the frame has) for a run with these suite ``parameters`` (the year)."""
    import great_expectations as gx

    parameters = parameters or {}
    per_column: dict[str, dict] = {}
    for e in expectations:
        config = e.configuration
        kwargs = config.kwargs
        if config.type in _FUSABLE and _plain(kwargs, {"regex", "value_set"}):
            checks = per_column.setdefault(
                kwargs["column"], {"not_null": False, "regex": [], "set": [], "all": []}
            )
            checks["all"].append(e)
            if config.type == "expect_column_values_to_not_be_null":
                checks["not_null"] = True
            elif config.type == "expect_column_values_to_match_regex":
                checks["regex"].append(kwargs["regex"])
            else:
                checks["set"].append(list(kwargs["value_set"]))
    _fuse_int_ranges(expectations, per_column, parameters)
    fields = {column: _field(checks) for column, checks in per_column.items()}
    fused = tuple(c for c, f in fields.items() if f is not None)
    # A range joins its column's list only when fused; otherwise it stays, as does the type regex.
    replaced = {id(e) for c in fused for e in per_column[c]["all"]}
    table = [e for e in expectations if e.configuration.type.startswith("expect_table_")]
    kept = [
        e
        for e in expectations
        if id(e) not in replaced and not e.configuration.type.startswith("expect_table_")
    ]
    if fused:
        regex = "^" + SEPARATOR.join(fields[c] for c in fused) + "$"
        kept.append(
            gx.expectations.ExpectColumnValuesToMatchRegex(
                column=ROW_COLUMN, regex=regex, meta={"check": "screen", "fused_columns": list(fused)}
            )
        )
    read = []
    for e in kept:
        kwargs = e.configuration.kwargs
        for key in ("column", "column_A", "column_B"):
            if kwargs.get(key) and kwargs[key] != ROW_COLUMN:
                read.append(kwargs[key])
        read.extend(kwargs.get("column_list") or [])
    return Screen(tuple(table), tuple(kept), fused, tuple(dict.fromkeys(read)))


def screen_frame(frame: pd.DataFrame, screen: Screen) -> pd.DataFrame:
    """The columns the screen reads, plus the joined row (blank cells are empty fields)."""
    out = frame[list(screen.frame_columns)] if screen.frame_columns else pd.DataFrame(index=frame.index)
    if screen.fuses:
        parts = [_arrow_text(frame[c]) for c in screen.fused_columns]
        row = pc.binary_join_element_wise(*parts, SEPARATOR, null_handling="replace", null_replacement="")
        out = out.assign(
            **{ROW_COLUMN: pd.Series(row.to_pandas(types_mapper=_TEXT.get).array, index=frame.index)}
        )
    return out


_TEXT = {
    pa.string(): pd.StringDtype("pyarrow", na_value=float("nan")),
    pa.large_string(): pd.StringDtype("pyarrow", na_value=float("nan")),
}


def _arrow_text(series: pd.Series) -> pa.ChunkedArray:
    """Arrow view of a prepared text column (zero-copy for Arrow-backed strings)."""
    values = (
        pa.chunked_array(pa.array(series.array))
        if hasattr(series.array, "__arrow_array__")
        else pa.chunked_array([pa.array(series.to_numpy(dtype=object), type=pa.string(), from_pandas=True)])
    )
    return values.cast(pa.string()) if values.type != pa.string() else values
