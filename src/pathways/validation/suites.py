"""Great Expectations suites generated from the data dictionary.

The data dictionary is the one source of truth: every expectation here is derived from
it, plus a few hand-written rules it cannot express (plausible wages). The suites are
committed as GX JSON under ``validations/`` so a reviewer can read them; a test fails
when they drift from what the dictionary generates (fix: ``pathways validate
--regenerate-suites``, i.e. :func:`regenerate_suites`).

The suites run on a *prepared* frame (see :mod:`pathways.validation.prepare`), not on
typed data: every contract column is the text the partner sent (a blank cell is null),
so type checks are regular expressions that accept exactly what the reader will coerce
(``2024.0``, ``TRUE``, ``n``...). Numbers and dates also get a derived column
(``<column>__number``, ``<column>__yyyymmdd``) holding the value where the text is of
the right type, so ranges and comparisons run vectorised; a value of the wrong type is
reported once, by the type check, not again by the range.

Every expectation carries ``meta`` with the file, the contract column, a stable check id
and the expected value in words: the clerk report is built from that, never from values.
"""

from __future__ import annotations

import json
import os
import re
from functools import cache
from pathlib import Path

from pathways.dictionary import PATTERN_WORDS, Column, FileSpec, load_dictionary

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

# Same spellings as pathways.submission (TRUE_SPELLINGS | FALSE_SPELLINGS, any case).
BOOL_REGEX = r"^(?i:true|false|yes|no|y|n|1|0)$"
# Same as submission._INT_RE / _FLOAT_RE: Excel writes 2024 as "2024.0" at times. ASCII digits
# only: Python's \d (and so GX on Python strings) also takes "２０２４".
INT_REGEX = r"^[+-]?[0-9]+(?:\.0*)?$"
FLOAT_REGEX = r"^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$"
# A real calendar date written YYYY-MM-DD (what pandas' "%Y-%m-%d" accepts), leap years included,
# so the gate and the reader agree on 2023-02-29.
_LEAP_YEAR = r"(?:[0-9][0-9](?:0[48]|[2468][048]|[13579][26])|(?:0[48]|[2468][048]|[13579][26])00)"
DATE_REGEX = (
    r"^(?:[0-9]{4}-(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])"
    r"|[0-9]{4}-(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)"
    r"|[0-9]{4}-02-(?:0[1-9]|1[0-9]|2[0-8])"
    rf"|{_LEAP_YEAR}-02-29)$"
)
SSN_REGEX = r"^[0-9]{3}-?[0-9]{2}-?[0-9]{4}$"

SUITE_PREFIX = "pathways"
CROSS_FILE_SUITE = "cross_file"
DEFAULT_SUITES_DIR = Path(__file__).resolve().parents[3] / "validations"
REGENERATE_HINT = "run `pathways validate --regenerate-suites` (pathways.validation.suites.write_suites)"

# Parameters supplied at validation time (the folder's year and its July-June window).
YEAR_PARAMETER = "school_year"
WINDOW_START_PARAMETER = "school_year_start_yyyymmdd"
WINDOW_END_PARAMETER = "school_year_end_yyyymmdd"


def number_column(name: str) -> str:
    """Derived column holding the numeric value of ``name`` (null when blank or not a number)."""
    return f"{name}__number"


def date_column(name: str) -> str:
    """Derived column holding a date of ``name`` as the number YYYYMMDD (null when blank or not a date)."""
    return f"{name}__yyyymmdd"


def parameters_for_year(year: int) -> dict[str, int]:
    """The suite parameters of one validation run (the school year ends in ``year``)."""
    return {
        YEAR_PARAMETER: int(year),
        WINDOW_START_PARAMETER: (int(year) - 1) * 10000 + 701,
        WINDOW_END_PARAMETER: int(year) * 10000 + 630,
    }


def _fmt_number(value: float) -> str:
    if float(value).is_integer():
        return f"{int(value):,}" if abs(value) >= 10000 else str(int(value))
    return f"{value:,}"


def describe(col: Column) -> str:
    """What a valid value of ``col`` is, in words a data clerk understands."""
    if col.type == "int":
        base = "a whole number"
    elif col.type == "float":
        base = "a number"
    elif col.type == "bool":
        return "true or false (yes/no, y/n and 1/0 are fine too)" + (
            ", or blank if unknown" if col.nullable else ""
        )
    elif col.type == "date":
        text = "a date written YYYY-MM-DD"
        if col.date_window == "school_year":
            text += " between July 1 and June 30 of the school year"
        return text
    elif col.type == "enum":
        return "one of: " + ", ".join(col.values)
    else:
        if col.pattern:
            return PATTERN_WORDS.get(col.pattern, f"text matching the pattern {col.pattern}")
        return "a value (not blank)"
    if col.year_rule == "folder":
        return f"{base} equal to the school year of the folder"
    if col.min is not None and col.max is not None:
        return f"{base} from {_fmt_number(col.min)} to {_fmt_number(col.max)}"
    if col.min is not None:
        return f"{base} of {_fmt_number(col.min)} or more"
    if col.max is not None:
        return f"{base} of {_fmt_number(col.max)} or less"
    return base


def _non_capturing(pattern: str) -> str:
    """Turn ``(`` groups into ``(?:`` (pandas warns about capturing groups in ``str.contains``)."""
    return re.sub(r"(?<!\\)\((?!\?)", "(?:", pattern)


def _meta(spec: FileSpec, column: str | None, check: str, expected: str, **extra) -> dict:
    return {"file": spec.filename, "column": column, "check": check, "expected": expected, **extra}


def _column_expectations(spec: FileSpec, col: Column) -> list:
    import great_expectations as gx

    E = gx.expectations
    out = []
    words = describe(col)

    def meta(check: str, expected: str = words, **extra) -> dict:
        return _meta(spec, col.name, check, expected, **extra)

    if not col.nullable:
        out.append(
            E.ExpectColumnValuesToNotBeNull(column=col.name, meta=meta("not_blank", f"{words} (never blank)"))
        )
    if col.type == "int":
        out.append(E.ExpectColumnValuesToMatchRegex(column=col.name, regex=INT_REGEX, meta=meta("type")))
    elif col.type == "float":
        out.append(E.ExpectColumnValuesToMatchRegex(column=col.name, regex=FLOAT_REGEX, meta=meta("type")))
    elif col.type == "bool":
        out.append(E.ExpectColumnValuesToMatchRegex(column=col.name, regex=BOOL_REGEX, meta=meta("type")))
    elif col.type == "date":
        out.append(E.ExpectColumnValuesToMatchRegex(column=col.name, regex=DATE_REGEX, meta=meta("type")))
    elif col.type == "enum":
        out.append(
            E.ExpectColumnValuesToBeInSet(
                column=col.name, value_set=list(col.values), meta=meta("allowed_values")
            )
        )
    if col.pattern:
        out.append(
            E.ExpectColumnValuesToMatchRegex(
                column=col.name, regex=f"^(?:{_non_capturing(col.pattern)})$", meta=meta("pattern")
            )
        )
    if col.not_ssn:
        out.append(
            E.ExpectColumnValuesToNotMatchRegex(
                column=col.name,
                regex=SSN_REGEX,
                meta=meta("not_ssn", "a pseudonymous key that does not look like a Social Security number"),
            )
        )
    if col.type in ("int", "float"):
        number = number_column(col.name)
        if col.year_rule == "folder":
            year = {"$PARAMETER": YEAR_PARAMETER}
            out.append(
                E.ExpectColumnValuesToBeBetween(
                    column=number, min_value=year, max_value=year, meta=meta("school_year")
                )
            )
        elif col.min is not None or col.max is not None:
            out.append(
                E.ExpectColumnValuesToBeBetween(
                    column=number, min_value=col.min, max_value=col.max, meta=meta("range")
                )
            )
    if col.type == "date" and col.date_window == "school_year":
        out.append(
            E.ExpectColumnValuesToBeBetween(
                column=date_column(col.name),
                min_value={"$PARAMETER": WINDOW_START_PARAMETER},
                max_value={"$PARAMETER": WINDOW_END_PARAMETER},
                meta=meta("date_window", "a date between July 1 and June 30 of the school year"),
            )
        )
    if col.at_most:
        out.append(
            E.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A=number_column(col.at_most),
                column_B=number_column(col.name),
                or_equal=True,
                ignore_row_if="either_value_is_missing",
                meta=meta("at_most", f"{col.name} no larger than {col.at_most}", compared_with=col.at_most),
            )
        )
    if col.less_than:
        out.append(
            E.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A=number_column(col.less_than),
                column_B=number_column(col.name),
                or_equal=False,
                ignore_row_if="either_value_is_missing",
                meta=meta(
                    "less_than", f"{col.name} earlier than {col.less_than}", compared_with=col.less_than
                ),
            )
        )
    return out


def _hand_written(spec: FileSpec) -> list:
    """Rules the dictionary cannot express; kept here, next to the generated ones, so both are reviewed together."""
    import great_expectations as gx

    out = []
    if spec.name == "employment":
        limit = spec.column("wages_usd").plausible_max  # the dictionary holds the number
        out.append(
            gx.expectations.ExpectColumnValuesToBeBetween(
                column=number_column("wages_usd"),
                max_value=limit,
                meta=_meta(
                    spec,
                    "wages_usd",
                    "plausible_wages",
                    f"quarterly wages of at most {_fmt_number(limit)} US dollars",
                    hand_written=True,
                ),
            )
        )
    return out


def build_file_suite(spec: FileSpec):
    """The GX suite of one contract file."""
    import great_expectations as gx

    # One table-level expectation names every missing required column: GX spends ~10 ms per
    # expectation on bookkeeping whatever the size of the file, so fewer expectations is faster.
    expectations = [
        gx.expectations.ExpectTableColumnsToMatchSet(
            column_set=spec.required_columns,
            exact_match=False,
            meta=_meta(spec, None, "required_column", "the column is present"),
        )
    ]
    for col in spec.columns:
        expectations.extend(_column_expectations(spec, col))
    if len(spec.unique) == 1:
        key = spec.unique[0]
        expectations.append(
            gx.expectations.ExpectColumnValuesToBeUnique(
                column=key, meta=_meta(spec, key, "unique_key", f"each {key} only once in the file")
            )
        )
    elif len(spec.unique) > 1:
        keys = list(spec.unique)
        expectations.append(
            gx.expectations.ExpectCompoundColumnsToBeUnique(
                column_list=keys,
                meta=_meta(
                    spec,
                    ", ".join(keys),
                    "unique_key",
                    f"each combination of {', '.join(keys)} only once in the file",
                ),
            )
        )
    expectations.extend(_hand_written(spec))
    return gx.ExpectationSuite(
        name=f"{SUITE_PREFIX}.{spec.name}",
        expectations=expectations,
        meta={
            "file": spec.filename,
            "generated_from": "src/pathways/data_dictionary.yml",
            "parameters": [YEAR_PARAMETER, WINDOW_START_PARAMETER, WINDOW_END_PARAMETER],
            "regenerate": REGENERATE_HINT,
        },
    )


def build_cross_file_suite():
    """The suite of the cross-file table (see :mod:`pathways.validation.crossfile`)."""
    from pathways.validation.crossfile import build_cross_file_suite as build

    return build()


@cache
def _suite_dicts() -> dict[str, dict]:
    dictionary = load_dictionary()
    out = {name: build_file_suite(spec).to_json_dict() for name, spec in dictionary.files.items()}
    out[CROSS_FILE_SUITE] = build_cross_file_suite().to_json_dict()
    return out


def suite_dicts() -> dict[str, dict]:
    """Every suite as GX JSON dict, keyed by contract file name (plus ``cross_file``)."""
    return json.loads(json.dumps(_suite_dicts()))


def load_suite(name: str):
    """A fresh ExpectationSuite object for ``name`` (a contract file or ``cross_file``)."""
    import great_expectations as gx

    data = dict(_suite_dicts()[name])
    return gx.ExpectationSuite(**data)


def suite_text(name: str) -> str:
    return json.dumps(_suite_dicts()[name], indent=2, sort_keys=True) + "\n"


def suite_filename(name: str) -> str:
    return f"{SUITE_PREFIX}.{name}.json"


def write_suites(directory: Path | str = DEFAULT_SUITES_DIR) -> list[Path]:
    """(Re)write every suite as GX JSON into ``directory``; returns the files written."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name in _suite_dicts():
        path = directory / suite_filename(name)
        path.write_text(suite_text(name), encoding="utf-8")
        written.append(path)
    return written


def drifted_suites(directory: Path | str = DEFAULT_SUITES_DIR) -> list[str]:
    """Names of the suite files in ``directory`` that are missing or differ from the dictionary's."""
    directory = Path(directory)
    drift = []
    expected = {suite_filename(name): suite_text(name) for name in _suite_dicts()}
    for filename, text in expected.items():
        path = directory / filename
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            drift.append(filename)
    extra = sorted(p.name for p in directory.glob(f"{SUITE_PREFIX}.*.json") if p.name not in expected)
    return drift + extra


def regenerate_suites(directory: Path | str = DEFAULT_SUITES_DIR) -> str:
    """CLI hook for ``pathways validate --regenerate-suites``: rewrite the suites and say what changed."""
    changed = drifted_suites(directory)
    for stale in Path(directory).glob(f"{SUITE_PREFIX}.*.json") if Path(directory).is_dir() else []:
        if stale.name not in {suite_filename(n) for n in _suite_dicts()}:
            stale.unlink()
    write_suites(directory)
    if not changed:
        return f"the suites in {directory} are up to date"
    return f"rewrote {len(changed)} suite file(s) in {directory}: {', '.join(changed)}"
