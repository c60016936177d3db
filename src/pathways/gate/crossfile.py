"""Cross-file and cross-year checks as GX expectations on a derived table.

A reference ("learner_id of cte_courses.csv must be in the same year's learners.csv") is a
relation between two files, which a GX suite on one file cannot see. So the gate derives a
table with one row per row of every referencing file, the file's name and spreadsheet row,
and one column per reference check: ``True`` (found), ``False`` (an orphan) or null (the
check does not apply to that row, or the value is blank). The suite ``pathways.cross_file``
expects each check column to hold only ``True``; GX reports the orphans with row numbers
in the same result, and so in the same clerk report, as the per-file checks.

The same table carries the once-across-years rules (``graduates_once`` in the dictionary: a
learner graduates with a diploma in one cohort only): ``True`` where no earlier year's file
holds the value among such rows, ``False`` where one does.

Only a yes/no per row enters this table: learner ids stay in the per-file frames.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from pathways.io.dictionary import load_dictionary

SCOPE_WORDS = {
    "same_year": "the same year's {file}",
    "up_to_year": "{file} of this or an earlier year",
    "earlier_years": "{file} of an earlier year",
}


@dataclass(frozen=True)
class ReferenceCheck:
    file: str  # referencing contract file (name without .csv)
    column: str
    target_file: str
    target_column: str
    scope: str

    @property
    def table_column(self) -> str:
        return f"{self.file}__{self.column}__found"

    @property
    def check(self) -> str:
        return f"reference_{self.scope}"

    @property
    def expected(self) -> str:
        where = SCOPE_WORDS[self.scope].format(file=f"{self.target_file}.csv")
        return f"a {self.target_column} that appears in {where}"


@dataclass(frozen=True)
class OnceCheck:
    """A value that only one year's ``file`` may hold among rows whose ``when_column`` is in ``when_values``."""

    file: str
    column: str
    when_column: str
    when_values: tuple[str, ...]
    scope: str = "earlier_years"

    @property
    def target_file(self) -> str:
        return self.file

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.file, self.column, self.when_column)

    @property
    def table_column(self) -> str:
        return f"{self.file}__{self.column}__first_time"

    @property
    def check(self) -> str:
        return "graduated_once"

    @property
    def expected(self) -> str:
        return (
            f"a {self.column} that no earlier year's {self.file}.csv holds with {self.when_column} "
            f"{' or '.join(self.when_values)} (a learner graduates in one cohort only)"
        )


def once_checks() -> list[OnceCheck]:
    """Every once-across-years rule the dictionary declares."""
    return [
        OnceCheck(name, col.name, col.graduates_once.column, tuple(col.graduates_once.values))
        for name, spec in load_dictionary().files.items()
        for col in spec.columns
        if col.graduates_once
    ]


def reference_checks() -> list[ReferenceCheck]:
    """Every reference the dictionary declares, in dictionary order."""
    out = []
    for name, spec in load_dictionary().files.items():
        for col in spec.columns:
            if col.references:
                ref = col.references
                out.append(ReferenceCheck(name, col.name, ref.file, ref.column, ref.scope))
    return out


def build_cross_file_suite(name: str):
    """The GX suite named ``name`` (given by :mod:`pathways.gate.suites`, which names every suite)."""
    import great_expectations as gx

    expectations = [
        gx.expectations.ExpectColumnValuesToBeInSet(
            column=ref.table_column,
            value_set=[True],
            meta={
                "file": f"{ref.file}.csv",
                "column": ref.column,
                "check": ref.check,
                "expected": ref.expected,
                "references": f"{ref.target_file}.csv:{ref.target_column}",
                "scope": ref.scope,
            },
        )
        for ref in reference_checks()
    ] + [
        gx.expectations.ExpectColumnValuesToBeInSet(
            column=once.table_column,
            value_set=[True],
            meta={
                "file": f"{once.file}.csv",
                "column": once.column,
                "check": once.check,
                "expected": once.expected,
                "when": {once.when_column: list(once.when_values)},
                "scope": once.scope,
            },
        )
        for once in once_checks()
    ]
    return gx.ExpectationSuite(
        name=name,
        expectations=expectations,
        meta={
            "generated_from": "src/pathways/data_dictionary.yml (references)",
            "table": "one row per row of each referencing file; one column per reference check: "
            "True found, False orphan, null not applicable",
        },
    )


def build_cross_file_table(
    frames: dict[str, pd.DataFrame],
    earlier_keys: dict[tuple, pd.Index] | None,
) -> tuple[pd.DataFrame, list[ReferenceCheck | OnceCheck]]:
    """The derived table and the checks that could not run (no earlier years known).

    ``frames`` are the prepared frames of this year (index = spreadsheet row, blank = null);
    ``earlier_keys[(file, column)]`` holds the values of earlier years' files (and
    ``earlier_keys[once.key]`` those of a once-across-years rule), or ``None`` when the history
    is unknown (a clerk checking a single folder): cross-year checks are then skipped and
    reported as such.
    """
    checks = reference_checks()
    onces = once_checks()
    referencing = [
        name
        for name in dict.fromkeys([*(c.file for c in checks), *(c.file for c in onces)])
        if name in frames
    ]
    sizes = [len(frames[name]) for name in referencing]
    total = int(sum(sizes))
    offsets = dict(zip(referencing, np.cumsum([0, *sizes])[:-1].tolist(), strict=True))

    file_col = np.empty(total, dtype=object)
    row_col = np.empty(total, dtype=np.int64)
    for name in referencing:
        start, n = offsets[name], len(frames[name])
        file_col[start : start + n] = f"{name}.csv"
        row_col[start : start + n] = frames[name].index.to_numpy()
    table: dict[str, object] = {"file": pd.Categorical(file_col), "row": row_col}
    found_by_ref = _look_up_references(checks, frames, earlier_keys)
    skipped: list[ReferenceCheck | OnceCheck] = []
    for ref in checks:
        values = np.ones(total, dtype=bool)
        mask = np.ones(total, dtype=bool)  # True = null (not applicable)
        if ref.file in frames and ref.column in frames[ref.file].columns:
            if ref not in found_by_ref:
                skipped.append(ref)
            else:
                column = frames[ref.file][ref.column]
                start, n = offsets[ref.file], len(column)
                values[start : start + n] = found_by_ref[ref]
                mask[start : start + n] = ~column.notna().to_numpy()
        table[ref.table_column] = pd.arrays.BooleanArray(values, mask)
    for once in onces:
        values = np.ones(total, dtype=bool)
        mask = np.ones(total, dtype=bool)
        frame = frames.get(once.file)
        if frame is not None and {once.column, once.when_column} <= set(frame.columns):
            if earlier_keys is None:
                skipped.append(once)
            else:
                earlier = earlier_keys.get(once.key, pd.Index([]))
                start, n = offsets[once.file], len(frame)
                applies = frame[once.column].notna().to_numpy(bool) & _isin(
                    frame[once.when_column], pa.array(list(once.when_values), pa.string())
                )
                values[start : start + n] = ~_isin(frame[once.column], _value_set(earlier))
                mask[start : start + n] = ~applies
        table[once.table_column] = pd.arrays.BooleanArray(values, mask)
    return pd.DataFrame(table, index=pd.RangeIndex(total)), skipped


def _arrow(values) -> pa.Array | pa.ChunkedArray:
    """Arrow view of a text column (zero-copy for pandas' Arrow-backed strings)."""
    array = values.array if isinstance(values, pd.Series | pd.Index) else values
    if hasattr(array, "__arrow_array__"):
        return pa.array(array)
    return pa.array(np.asarray(values, dtype=object), type=pa.string(), from_pandas=True)


def _value_set(keys: pd.Index) -> pa.Array:
    value_set = _arrow(keys)
    return value_set.combine_chunks() if isinstance(value_set, pa.ChunkedArray) else value_set


def _isin(column: pd.Series, value_set: pa.Array) -> np.ndarray:
    """``column.isin(keys)`` through Arrow's hash lookup: pandas' isin on Arrow strings goes
    through Python objects and takes ~10 s for 3M rows; this takes a fraction of a second."""
    if len(value_set) == 0:
        return np.zeros(len(column), dtype=bool)
    values = _arrow(column)
    if value_set.type != values.type:
        value_set = value_set.cast(values.type)
    found = pc.is_in(values, value_set=value_set)
    return np.asarray(found.to_numpy(zero_copy_only=False), dtype=bool)


# Where each scope looks: this year's target file, the earlier years' files, or both.
_KEY_SOURCES = {"same_year": ("this",), "earlier_years": ("earlier",), "up_to_year": ("this", "earlier")}


def _look_up_references(
    checks: list[ReferenceCheck],
    frames: dict[str, pd.DataFrame],
    earlier_keys: dict[tuple, pd.Index] | None,
) -> dict[ReferenceCheck, np.ndarray]:
    """Whether each value of each referencing column is found where its check looks (a
    blank's answer is masked by the caller); a check that needs the earlier years when they
    are unknown is left out.

    Arrow builds a hash table of the value set on every lookup, which is most of its cost
    (0.15-0.4 s for one to four million learner ids), so every set of keys is looked up once,
    by all the columns that reference it together: this year's target column (``same_year``),
    the earlier years' values (``earlier_years``), or both (``up_to_year``: found in either)."""
    wanted: dict[tuple[str, str, str], list[ReferenceCheck]] = {}
    for ref in checks:
        if ref.file not in frames or ref.column not in frames[ref.file].columns:
            continue
        if ref.scope != "same_year" and earlier_keys is None:
            continue
        for source in _KEY_SOURCES[ref.scope]:
            wanted.setdefault((source, ref.target_file, ref.target_column), []).append(ref)
    found: dict[ReferenceCheck, np.ndarray] = {}
    for (source, target_file, target_column), refs in wanted.items():
        if source == "this":
            target = frames.get(target_file)
            has_column = target is not None and target_column in target.columns
            keys = target[target_column] if has_column else pd.Index([])
        else:
            keys = earlier_keys.get((target_file, target_column), pd.Index([]))
        columns = [frames[ref.file][ref.column] for ref in refs]
        for ref, hits in zip(refs, _isin_many(columns, _value_set(keys)), strict=True):
            found[ref] = hits if ref not in found else found[ref] | hits
    return found


def _isin_many(columns: list[pd.Series], value_set: pa.Array) -> list[np.ndarray]:
    """:func:`_isin` of several columns with one hash table of ``value_set``."""
    arrays = [_arrow(column) for column in columns]
    if len(value_set) == 0 or not arrays:
        return [np.zeros(len(column), dtype=bool) for column in columns]
    kind = arrays[0].type
    chunks = [
        chunk
        for array in arrays
        for chunk in (array.chunks if isinstance(array, pa.ChunkedArray) else [array])
    ]
    stacked = pa.chunked_array([chunk.cast(kind) for chunk in chunks], type=kind)
    if value_set.type != kind:
        value_set = value_set.cast(kind)
    hits = np.asarray(pc.is_in(stacked, value_set=value_set).to_numpy(zero_copy_only=False), dtype=bool)
    bounds = np.cumsum([0, *(len(column) for column in columns)])
    return [hits[start:end] for start, end in zip(bounds[:-1], bounds[1:], strict=True)]
