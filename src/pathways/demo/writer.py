"""Turning simulated arrays into contract CSV files, fast and byte-for-byte reproducible.

Columns are built as Arrow string arrays from integer codes (a dictionary decode), so a
million learners cost a few vectorised passes, and every number has an explicit text
form: ``true``/``false``, blank for unknown, ``3.0`` credits, ``8450.25`` dollars.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from pathways.io.dictionary import FileSpec

BOOL_LABELS = ("false", "true")


def id_column(prefix: str, numbers: np.ndarray, width: int) -> pa.Array:
    """``DEN-0001234`` style keys: a prefix and a zero-padded number."""
    digits = pc.utf8_lpad(pc.cast(pa.array(np.asarray(numbers, dtype=np.int64)), pa.string()), width, "0")
    return pc.binary_join_element_wise(f"{prefix}-", digits, "")


def label_column(codes: np.ndarray, labels: list[str] | tuple[str, ...]) -> pa.Array:
    """Text of ``labels[code]``; a negative code is written blank."""
    codes = np.asarray(codes)
    missing = codes < 0
    indices = pa.array(np.where(missing, 0, codes).astype(np.int32), mask=missing)
    return pa.DictionaryArray.from_arrays(indices, pa.array(list(labels), pa.string())).dictionary_decode()


def bool_column(tristate: np.ndarray) -> pa.Array:
    """1 -> ``true``, 0 -> ``false``, -1 -> blank (unknown)."""
    return label_column(tristate, BOOL_LABELS)


def int_column(values: np.ndarray) -> pa.Array:
    return pc.cast(pa.array(np.asarray(values, dtype=np.int64)), pa.string())


def constant_column(value: object, n: int) -> pa.Array:
    return label_column(np.zeros(n, dtype=np.int32), [str(value)])


def money_column(cents: np.ndarray) -> pa.Array:
    """Dollars with two decimals from integer cents (``845025`` -> ``8450.25``)."""
    cents = np.asarray(cents, dtype=np.int64)
    dollars = pc.cast(pa.array(cents // 100), pa.string())
    rest = pc.utf8_lpad(pc.cast(pa.array(cents % 100), pa.string()), 2, "0")
    return pc.binary_join_element_wise(dollars, rest, ".")


def date_column(days: np.ndarray) -> pa.Array:
    """ISO dates (YYYY-MM-DD) from numpy ``datetime64[D]`` values."""
    return pc.cast(pa.array(np.asarray(days, dtype="datetime64[D]")), pa.string())


def write_csv(path: Path, spec: FileSpec, columns: dict[str, pa.Array]) -> Path:
    """Write the contract's columns in the dictionary's order: header line, then unquoted values.

    Values never contain commas, quotes or line breaks (the generator controls every
    string), so no quoting is needed and Arrow refuses if that ever stops being true.
    """
    if list(columns) != spec.column_names:
        raise ValueError(
            f"{spec.filename}: columns {list(columns)} differ from the dictionary's {spec.column_names}"
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    table = pa.table(columns)
    with open(path, "wb") as sink:
        sink.write((",".join(spec.column_names) + "\n").encode("utf-8"))
        pacsv.write_csv(table, sink, pacsv.WriteOptions(include_header=False, quoting_style="none"))
    return path
