"""Reading partner submissions: files on disk to typed pandas frames.

Two steps, so that nothing is read that the gate would refuse:

1. :func:`read_raw` reads one CSV as text exactly as the partner sent it (UTF-8 with or
   without a byte-order mark, CRLF, Excel quoting) and refuses files that cannot be
   read safely: a link, folder or special file in place of the file (never followed or
   opened), another encoding (UTF-16 included), NUL bytes anywhere, another delimiter, no
   header row, a column that looks like personal data or a repeated column name (refused
   before any value is read), ragged rows, cells over the dictionary's length limit, no
   records.
2. :func:`coerce` turns the text into the dictionary's types. It assumes the gate has
   passed and raises :class:`DataError` on a value it cannot convert.

:func:`load_history` gives the indicator engine every year of a partnership up to Y.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import ctypes
import hashlib
import io
import os
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from pathways.errors import PathwaysError, os_reason
from pathways.io.dictionary import FileSpec, load_dictionary
from pathways.io.hashing import file_digest
from pathways.io.paths import (
    NotARegularFile,
    check_partnership_id,
    check_year,
    entry_kind,
    file_identity,
    is_year_text,
    read_regular_file,
    submission_dir,
)

TRUE_SPELLINGS = frozenset({"true", "1", "yes", "y"})
FALSE_SPELLINGS = frozenset({"false", "0", "no", "n"})
# ASCII digits only ([0-9], not \d): "２０２４" is not a year, whatever Python's int() says.
_INT_RE = re.compile(r"^[+-]?[0-9]+(\.0*)?$")  # Excel writes 2024 as "2024.0" at times
_FLOAT_RE = re.compile(r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$")
_DATE_RE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


class FileRefused(PathwaysError):
    """A file the gate refuses before reading its values."""

    def __init__(self, path: Path, check: str, message: str, column: str | None = None):
        self.path = Path(path)
        self.check = check
        self.column = column
        super().__init__(f"{self.path.name}: {message}")


class DataError(PathwaysError):
    """A value that does not convert to its dictionary type (the gate should have refused it)."""


@dataclass
class RawTable:
    """A file as text: one string per cell, blanks as empty strings, headers as sent."""

    path: Path
    spec: FileSpec
    frame: pd.DataFrame
    extra_columns: list[str] = field(default_factory=list)
    # The spreadsheet row of each record (header = row 1) when blank lines sit between
    # records; None when records are rows 2, 3, ... in order.
    row_numbers: np.ndarray | None = None
    # What the file was when it was read (pathways.io.paths.file_identity), before the read.
    identity: tuple[int, ...] | None = None

    @property
    def n_rows(self) -> int:
        return len(self.frame)


def read_raw(path: Path, spec: FileSpec) -> RawTable:
    """One contract file as text, or :class:`FileRefused` saying why it cannot be read safely.

    The checks run in the order that keeps values unread and unechoed: what the path is (a
    link is never followed), the bytes (encoding, binary content), the header row (commas,
    present, personal data, repeated names), and only then the cells.
    """
    path = Path(path)
    identity = file_identity(path)  # before the read: a file changed meanwhile is not taken for this one
    data = _read_bytes(path)
    if not data.strip():
        raise FileRefused(
            path, "file_not_empty", "the file is empty; leave a file out instead of sending it empty"
        )
    wide = _wide_encoding(data)
    if wide:
        raise FileRefused(
            path,
            "file_is_utf8",
            f"the file is saved as {wide} text (Excel's \"Unicode Text\"), not UTF-8; save it as 'CSV UTF-8' from Excel",
        )
    nul = data.find(b"\x00")
    if 0 <= nul < 65536:
        raise FileRefused(
            path,
            "file_is_text",
            "the file is not a CSV text file (it looks like a binary or Excel file); save it as 'CSV UTF-8'",
        )
    if nul >= 0:
        line = data[:nul].count(b"\n") + 1
        raise FileRefused(
            path,
            "file_is_text",
            f"the file is not a CSV text file: line {line:,} holds a NUL byte (binary content); "
            "save it again as 'CSV UTF-8'",
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise FileRefused(
            path,
            "file_is_utf8",
            f"the file is not UTF-8 text (first unreadable byte on line {line}); save it as 'CSV UTF-8' from Excel",
        ) from None
    headers = _header_cells(path, text, spec)
    body = data[len(codecs.BOM_UTF8) :] if data.startswith(codecs.BOM_UTF8) else data
    del data
    try:
        frame = parse_text_cells(body, len(headers), check_length=True)
    except _CellTooLong as exc:
        _refuse_long_cells(path, headers, exc, _record_rows(text, exc.n_records))
    except pa.ArrowInvalid:
        # Arrow refuses any row whose width is not the header's (and a row longer than its block).
        # Say which rows; a file whose only oddity is a line of spaces (which Arrow also refuses)
        # reads as before.
        _refuse_ragged_rows(path, _ragged_rows(path, text, len(headers)), len(headers))
        frame = _parse_text_cells_pandas(path, text, headers)
        _check_lengths_pandas(path, headers, frame, text)
    named = [i for i, h in enumerate(headers) if h]
    if len(named) < len(headers):
        # Excel saves empty columns past the table as a header ending in commas: drop them, but
        # a column of values without a name is a shifted or damaged header.
        filled = [i for i in range(len(headers)) if not headers[i] and (frame.iloc[:, i] != "").any()]
        if filled:
            raise FileRefused(
                path,
                "file_has_header",
                f"the header row leaves column {filled[0] + 1} without a name, but rows hold values in it; "
                "give every column its name from the template",
            )
        frame = frame.iloc[:, named]
    frame.columns = [headers[i] for i in named]
    # Match contract names regardless of case and surrounding spaces.
    by_lower = {c.lower(): c for c in spec.column_names}
    frame = frame.rename(columns={h: by_lower[h.lower()] for h in frame.columns if h.lower() in by_lower})
    if frame.empty:
        raise FileRefused(
            path,
            "file_has_records",
            "the file has a header but no records; leave the file out when there is nothing to report",
        )
    extra = [c for c in frame.columns if c not in spec.column_names]
    return RawTable(
        path=path,
        spec=spec,
        frame=frame,
        extra_columns=extra,
        row_numbers=_record_rows(text, len(frame)),
        identity=identity,
    )


def _read_bytes(path: Path) -> bytes:
    try:
        return read_regular_file(path)
    except NotARegularFile as exc:
        what = {
            "a link (symlink)": "is a link (symlink) to another file, which the gate never follows; "
            "put the file itself in the folder",
            "a folder": "is a folder, not a file; put the CSV file itself in its place",
        }.get(
            exc.kind,
            "is not an ordinary file (a pipe, device or socket); put the CSV file itself in its place",
        )
        raise FileRefused(path, "file_is_regular", f"the entry {what}") from None
    except OSError as exc:
        raise FileRefused(
            path,
            "file_is_readable",
            f"the file could not be read ({os_reason(exc)}); make it readable by the account that runs the gate",
        ) from None


_WIDE_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)


def _wide_encoding(data: bytes) -> str | None:
    """``UTF-16`` or ``UTF-32`` when the bytes are text in one of them (with or without a BOM)."""
    for bom, name in _WIDE_BOMS:
        if data.startswith(bom):
            return name
    head = data[:512]
    if len(head) >= 4 and head.count(0) * 2 >= len(head) * 0.9:
        # ASCII text in UTF-16: every other byte is NUL (in UTF-32, three in four).
        return "UTF-32" if head.count(0) * 4 >= len(head) * 2.9 else "UTF-16"
    return None


_OTHER_DELIMITERS = ((";", "';'"), ("\t", "tabs"), ("|", "'|'"))


def _header_cells(path: Path, text: str, spec: FileSpec) -> list[str]:
    """The header row's names (blank for an unnamed column), refused before any value is read
    when it is not a header of this file, uses another delimiter, names personal data or
    repeats a name."""
    end = text.find("\n")  # not split: that copies the whole file to read one line
    header_line = text if end < 0 else text[:end]
    try:
        header = next(csv.reader([header_line]))
    except (csv.Error, StopIteration):
        header = []
    headers = [h.strip().lstrip("\ufeff").strip() for h in header]
    if not any(headers):
        raise FileRefused(
            path, "file_has_header", "the first line must be the header row with the column names"
        )
    known = {c.lower() for c in spec.column_names}

    def n_known(cells: list[str]) -> int:
        return sum(c.strip().lower() in known for c in cells)

    found = n_known(headers)
    for delimiter, words in _OTHER_DELIMITERS:
        try:
            cells = next(csv.reader([header_line], delimiter=delimiter))
        except (csv.Error, StopIteration):
            continue
        if n_known(cells) > found:
            raise FileRefused(
                path,
                "file_uses_commas",
                f"the file seems to use {words} between values; save it as CSV UTF-8 with commas",
            )
    if not found:
        # Most likely the first record: say so without repeating any of its values.
        raise FileRefused(
            path,
            "file_has_header",
            f"the first line is not the header row: it names none of the columns of {spec.filename}; "
            "make the template's header row (the column names) the first line",
        )

    # Privacy first: a personal-data column stops us before any value is read.
    personal = [
        h for h in headers if h and h.lower() not in known and load_dictionary().is_personal_data_column(h)
    ]
    if personal:
        raise FileRefused(
            path,
            "no_personal_data",
            f"the file has column(s) that look like personal data: {', '.join(personal)}. "
            "Remove names, birth dates, addresses, phone numbers, e-mail addresses and Social Security "
            "numbers before sending; the file was not read further",
            column=personal[0],
        )
    spellings: dict[str, list[str]] = {}
    for h in headers:
        if h:
            spellings.setdefault(h.lower(), []).append(h)
    repeated = [names for names in spellings.values() if len(names) > 1]
    if repeated:
        words = ", ".join(
            names[0] if len(set(names)) == 1 else f"{names[0]} (as {' and '.join(names)})"
            for names in repeated
        )
        raise FileRefused(
            path,
            "unique_headers",
            f"the header repeats column(s): {words}; keep one column of each name",
            column=repeated[0][0],
        )
    return headers


class _CellTooLong(Exception):
    def __init__(self, column: int, records: list[int], count: int, n_records: int):
        self.column, self.records, self.count, self.n_records = column, records, count, n_records


def _refuse_long_cells(
    path: Path, headers: list[str], exc: _CellTooLong, row_numbers: np.ndarray | None
) -> None:
    limit = load_dictionary().limits.max_cell_characters
    rows = [int(row_numbers[i]) if row_numbers is not None else i + 2 for i in exc.records[:5]]
    name = (
        headers[exc.column]
        if exc.column < len(headers) and headers[exc.column]
        else f"number {exc.column + 1}"
    )
    more = ", ..." if exc.count > len(rows) else ""
    where = f"row {rows[0]}" if len(rows) == 1 else f"rows {', '.join(map(str, rows))}{more}"
    raise FileRefused(
        path,
        "cell_length",
        f"column {name}: {exc.count:,} row(s) have a cell longer than {limit} characters ({where}); "
        "shorten them (a quote character that is never closed also makes one long cell)",
        column=name if headers[exc.column : exc.column + 1] else None,
    )


def _check_lengths_pandas(path: Path, headers: list[str], frame: pd.DataFrame, text: str) -> None:
    limit = load_dictionary().limits.max_cell_characters
    for i in range(frame.shape[1]):
        long = (frame.iloc[:, i].str.len() > limit).to_numpy(dtype=bool)
        if long.any():
            records = np.flatnonzero(long)
            _refuse_long_cells(
                path,
                headers,
                _CellTooLong(i, records[:5].tolist(), len(records), len(frame)),
                _record_rows(text, len(frame)),
            )


def _record_rows(text: str, n_records: int) -> np.ndarray | None:
    """Spreadsheet rows of the records when blank lines (which the parsers skip) sit among them.

    A spreadsheet shows a blank line as an empty row, so the rows a clerk is told to fix must
    count them; a cell with a line break inside quotes stays one row.
    """
    lines = text.count("\n") + (0 if text.endswith("\n") else 1)
    if lines - 1 == n_records:  # one record per line after the header: rows 2, 3, ...
        return None
    try:
        rows = np.array(
            [
                number
                for number, row in enumerate(csv.reader(io.StringIO(text)), start=1)
                if number > 1 and (len(row) > 1 or (row and row[0].strip()))
            ],
            dtype=np.int64,
        )
    except csv.Error:  # a cell past the csv module's size limit: keep the plain numbering
        return None
    in_order = np.array_equal(rows, np.arange(2, 2 + n_records))
    return None if in_order or len(rows) != n_records else rows


@cache
def _column_pool() -> ThreadPoolExecutor:
    _few_malloc_arenas()
    return ThreadPoolExecutor(max_workers=max(1, min(4, os.cpu_count() or 1)), thread_name_prefix="columns")


def _few_malloc_arenas() -> None:
    """Keep glibc from giving each pool thread an arena of its own.

    What a thread frees in its own arena stays there, unused by the others: a million-learner
    partnership-year peaked at 2,830 MiB with the threads, against 2,760 MiB with two arenas and
    2,700 MiB typing one column at a time, at the same speed either way. Elsewhere than glibc
    there is no ``mallopt`` and nothing to do.
    """
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).mallopt(_M_ARENA_MAX, 2)


_M_ARENA_MAX = -8  # glibc's malloc.h


# A forked process (a pool worker, a forked kernel) has none of its parent's threads: it
# starts its own pool rather than wait on one whose threads do not exist there.
os.register_at_fork(after_in_child=_column_pool.cache_clear)

# Below this many rows a column takes less time than handing it to a thread: on the pool, the
# tests' and the demo's small files were read about 5% slower.
ROWS_FOR_THREADS = 20_000


def _by_column(fn, n_rows: int, *columns):
    """``map(fn, *columns)``, on the pool for a file of many rows; the results in order either way."""
    return map(fn, *columns) if n_rows < ROWS_FOR_THREADS else _column_pool().map(fn, *columns)


def _trimmed(column: pa.ChunkedArray, limit: int | None) -> tuple[pa.ChunkedArray, int | None]:
    """A column with each cell's surrounding whitespace removed, and its longest cell's length
    in characters when ``limit`` asks for it (None for an empty column)."""
    column = pc.utf8_trim_whitespace(column)
    longest = pc.max(pc.utf8_length(column)).as_py() if limit is not None and len(column) else None
    return column, longest


def parse_text_cells(
    source: bytes, width: int, columns: list[int] | None = None, *, check_length: bool = False
) -> pd.DataFrame:
    """Every cell (of the ``columns`` at these positions, or all) as stripped text, blank = "",
    parsed by Arrow's multi-threaded CSV reader from the bytes after the header.

    ``check_length`` raises :class:`_CellTooLong` for a cell over the dictionary's limit, found
    on the Arrow columns before anything is copied into pandas.
    """
    names = [f"c{i}" for i in range(width)]
    kept = names if columns is None else [names[i] for i in columns]
    table = pa_csv.read_csv(
        io.BytesIO(source),
        read_options=pa_csv.ReadOptions(skip_rows=1, column_names=names),
        # Only a quoted cell can hold a line break; without any quote character Arrow may split
        # the file at every newline, which parses it about twice as fast (measured at 1M learners).
        parse_options=pa_csv.ParseOptions(newlines_in_values=b'"' in source),
        convert_options=pa_csv.ConvertOptions(
            include_columns=kept,
            column_types=dict.fromkeys(kept, pa.string()),
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    )
    limit = load_dictionary().limits.max_cell_characters if check_length else None
    # Arrow's compute functions run one column on one core and release the GIL: trimming the
    # columns side by side nearly halves that step on two cores (0.6 s of reading the report
    # year's files at a million learners).
    trimmed = list(_by_column(lambda n: _trimmed(table[n], limit), table.num_rows, kept))
    for i, (_, longest) in enumerate(trimmed):
        if longest is not None and longest > limit:
            long = pc.greater(pc.utf8_length(trimmed[i][0]), limit)
            records = pc.indices_nonzero(long.combine_chunks() if isinstance(long, pa.ChunkedArray) else long)
            raise _CellTooLong(i, records[:5].to_pylist(), len(records), table.num_rows)
    table = pa.table({n: column for n, (column, _) in zip(kept, trimmed, strict=True)})
    return table.to_pandas(types_mapper={pa.string(): pd.StringDtype("pyarrow", na_value=float("nan"))}.get)


def _parse_text_cells_pandas(path: Path, text: str, headers: list[str]) -> pd.DataFrame:
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=True,
            engine="c",
        )
    except pd.errors.ParserError:
        # Only reached when the fast ragged check was fooled; the exact check says where.
        _refuse_ragged_rows(path, _ragged_rows(path, text, len(headers), exact=True) or [0], len(headers))
    return frame.apply(lambda s: s.str.strip())


def _refuse_ragged_rows(path: Path, ragged: list[int], width: int) -> None:
    if ragged:
        raise FileRefused(
            path,
            "rows_have_header_width",
            f"{len(ragged)} row(s) do not have the {width} values the header names (row(s) "
            f"{', '.join(str(r) for r in ragged[:5])}); check for stray commas or unquoted text",
        )


def _ragged_rows(path: Path | None, text: str, width: int, exact: bool = False) -> list[int]:
    """Row numbers (as a spreadsheet shows them, header = 1) whose field count is not ``width``."""
    if '"' not in text and not exact:
        # Without quotes every comma is a delimiter. Fast path for big files: when the file
        # holds exactly (width - 1) commas per non-blank line and no line holds more (the
        # pandas C parser refuses those), no line holds fewer either.
        lines = text.count("\n") + (0 if text.endswith("\n") else 1)
        blank = text.count("\n\n") + text.count("\n\r\n")
        if text.count(",") == (width - 1) * (lines - blank) and not text.startswith("\n"):
            return []
        bad = []
        for number, line in enumerate(text.splitlines(), start=1):
            if line.count(",") != width - 1 and line.replace(",", "").strip():
                bad.append(number)
        return bad
    bad = []
    reader = csv.reader(io.StringIO(text))
    last_line = 0  # the line the last complete row ended on
    try:
        for number, row in enumerate(reader, start=1):
            if row and len(row) != width and any(cell.strip() for cell in row):
                bad.append(number)
            last_line = reader.line_num
    except csv.Error:
        # Only a cell past the csv module's size limit (128 KiB, far over the dictionary's) stops it.
        limit = load_dictionary().limits.max_cell_characters
        raise FileRefused(
            path or Path("?"),
            "cell_length",
            f"a cell that starts on line {last_line + 1:,} is longer than {limit} characters; shorten it "
            "(a quote character that is never closed also makes one long cell)",
        ) from None
    return bad


_TRUE_SET = pa.array(sorted(TRUE_SPELLINGS))
_FALSE_SET = pa.array(sorted(FALSE_SPELLINGS))
# A blank cell is valid text of every type: the same pattern with the value made optional lets
# one Arrow regex pass say "blank or of the type".
_BLANK_OR = {"int": _INT_RE, "float": _FLOAT_RE, "date": _DATE_RE}


def _strings(text: pd.Series) -> pa.Array | pa.ChunkedArray:
    """The Arrow strings under a text column (no copy for the reader's Arrow-backed columns)."""
    return pa.array(text, type=pa.string(), from_pandas=True)


def _bool_flags(text: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(is a spelling of true, is a spelling of false) per cell, in any letter case."""
    lowered = pc.utf8_lower(_strings(text))
    return tuple(
        pc.is_in(lowered, value_set=spellings).to_numpy(zero_copy_only=False)
        for spellings in (_TRUE_SET, _FALSE_SET)
    )


def _not_bool(text: pd.Series, is_true: np.ndarray, is_false: np.ndarray) -> np.ndarray:
    """Filled cells that spell neither true nor false."""
    return ~(is_true | is_false) & (text != "").to_numpy(bool)


def _booleans(is_true: np.ndarray, is_false: np.ndarray, index: pd.Index) -> pd.Series:
    return pd.Series(pd.arrays.BooleanArray(is_true, ~(is_true | is_false)), index=index)


def parse_bool(series: pd.Series) -> pd.Series:
    """True, False, or missing where the text is blank or no spelling of either."""
    return _booleans(*_bool_flags(series), series.index)


def _blank_or_of_type(text: pd.Series, column_type: str) -> np.ndarray:
    pattern = _BLANK_OR[column_type].pattern
    optional = f"^({pattern[1:-1]})?$"
    return pc.match_substring_regex(_strings(text), optional).to_numpy(zero_copy_only=False)


def invalid_mask(series: pd.Series, column_type: str) -> pd.Series:
    """True where a non-blank text value is not of ``column_type``."""
    if column_type == "bool":
        bad = _not_bool(series, *_bool_flags(series))
    elif column_type in ("int", "float"):
        bad = ~_blank_or_of_type(series, column_type)
    elif column_type == "date":
        # The pattern admits 2023-02-30; the calendar does not.
        bad = ~_blank_or_of_type(series, column_type) | (
            (series != "").to_numpy(bool)
            & pd.to_datetime(series, format="%Y-%m-%d", errors="coerce").isna().to_numpy(bool)
        )
    else:
        bad = np.zeros(len(series), dtype=bool)
    return pd.Series(bad, index=series.index)


def coerce(raw: RawTable) -> pd.DataFrame:
    """Typed frame with the contract's columns (absent optional columns as all-missing)."""
    columns = raw.spec.columns
    texts = [
        raw.frame[col.name] if col.name in raw.frame.columns else pd.Series("", index=raw.frame.index)
        for col in columns
    ]
    # Side by side like the trimming (Arrow's parts release the GIL); the results come back in
    # the contract's column order, so the first column that does not convert is the one named.
    typed_columns = _by_column(
        lambda col, text: _typed(raw.path, col.name, text, col.type), len(raw.frame), columns, texts
    )
    out = {col.name: series for col, series in zip(columns, typed_columns, strict=True)}
    return pd.DataFrame(out, index=raw.frame.index).reset_index(drop=True)


def _typed(path: Path, name: str, text: pd.Series, column_type: str) -> pd.Series:
    """One column converted to its type, or :class:`DataError` for a value that is not of it."""

    def refuse(what: str) -> DataError:
        return DataError(f"{path.name}: column {name} {what}")

    if column_type == "bool":
        # One lower-casing pass serves both the check and the conversion.
        is_true, is_false = _bool_flags(text)
        if _not_bool(text, is_true, is_false).any():
            raise refuse("has values that are not bool")
        return _booleans(is_true, is_false, text.index)
    if invalid_mask(text, column_type).any():
        raise refuse(f"has values that are not {column_type}")
    blank = text == ""
    if column_type in ("int", "float"):
        number = to_number(text.mask(blank))
        if np.isinf(number.to_numpy()).any():  # Int64 cannot hold it, and no count or wage is infinite
            raise refuse("has a number too large to be finite")
        return number.round().astype("Int64") if column_type == "int" else number
    if column_type == "date":
        return pd.to_datetime(text.mask(blank), format="%Y-%m-%d", errors="coerce")
    return text.astype("string").mask(blank, pd.NA)


def to_number(text: pd.Series) -> pd.Series:
    """Numbers of a text column, null where blank or not a number.

    Arrow's cast is over ten times faster than ``pd.to_numeric`` but refuses the whole
    column on one bad value, so a column with a bad value takes the slow path. Both accept a
    few spellings the type regex refuses ("inf"); :func:`invalid_mask` reports those.
    """
    try:
        values = pc.cast(pa.array(text, type=pa.string(), from_pandas=True), pa.float64())
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return pd.to_numeric(text, errors="coerce").astype("float64")
    return pd.Series(values.to_numpy(zero_copy_only=False), index=text.index, dtype="float64", name=text.name)


def read_table(path: Path, spec: FileSpec) -> pd.DataFrame:
    return coerce(read_raw(path, spec))


# ---------------------------------------------------------------- each file read once per process
# A cold `pathways indicators` gates every year up to Y, looks up the keys of earlier years for
# each, then computes from the same files; without this a million-learner file was parsed three
# times in one process. The gate hands what it read to typed(); the engine and the gate's
# cross-year lookups ask read_typed(), which reads only what no one has. Entries are keyed by
# the file's path and identity (paths.file_identity), so a file saved again, replaced or edited
# is read again. Only the files of one partnership folder (<data>/<partnership>/<year>/<file>)
# are kept: a long-lived worker that goes through many partnerships holds one partnership's
# frames at a time, as the engine would. Memory of this process only; nothing is written.


@dataclass(frozen=True)
class TypedTable:
    """A file's typed frame (:func:`pathways.io.submission.coerce`) and its contract columns
    that hold at least one value."""

    frame: pd.DataFrame
    filled: frozenset[str]


_entries: dict[tuple, TypedTable] = {}
_folder: str | None = None  # the partnership folder whose files _entries holds


def _key(path: Path, identity: tuple[int, ...]) -> tuple:
    return (os.path.abspath(path), *identity)


def _store(path: Path, identity: tuple[int, ...], table: TypedTable) -> None:
    global _folder
    folder = os.path.dirname(os.path.dirname(os.path.abspath(path)))
    if folder != _folder:
        _entries.clear()
        _folder = folder
    _entries[_key(path, identity)] = table


def typed(raw: RawTable) -> TypedTable:
    """Type a file read as text (:class:`pathways.io.submission.DataError` on a value that does
    not convert) and keep it for the rest of the process."""
    frame = coerce(raw)
    table = TypedTable(frame, frozenset(c for c in raw.spec.column_names if frame[c].notna().any()))
    if raw.identity is not None:
        _store(raw.path, raw.identity, table)
    return table


def read_typed(path: Path, spec: FileSpec) -> TypedTable:
    """The typed file at ``path``: from memory when this process already read it as it is now,
    else read (:class:`pathways.io.submission.FileRefused` when it cannot be read safely)."""
    identity = file_identity(path)
    if identity is not None:
        found = _entries.get(_key(path, identity))
        if found is not None:
            return found
    return typed(read_raw(path, spec))


def forget() -> None:
    """Drop every kept frame (tests; a process that is done with its partnership)."""
    global _folder
    _entries.clear()
    _folder = None


def submitted_years(data_dir: Path, partnership_id: str) -> list[int]:
    return year_folders(Path(data_dir) / check_partnership_id(partnership_id))


def year_folders(root: Path) -> list[int]:
    """The school years that have a folder under a partnership's folder ``root``."""
    if not Path(root).is_dir():
        return []
    return sorted(int(p.name) for p in list_folder(root) if is_year_text(p.name) and p.is_dir())


def list_folder(folder: Path) -> list[Path]:
    """The entries of a folder, sorted; a folder that cannot be listed is a message, not a traceback."""
    try:
        return sorted(Path(folder).iterdir())
    except OSError as exc:
        raise PathwaysError(
            f"could not list the folder {folder}: {os_reason(exc)}; make it readable by the account that "
            "runs pathways"
        ) from None


def submission_digest(data_dir: Path, partnership_id: str, year: int) -> str:
    """One hash of every file a partnership submitted for the years up to ``year``.

    What a gate result, a year's indicator rows and a report depend on; the caches and the
    run's manifest key on it, so any changed, added or removed file invalidates them.
    """
    root = Path(data_dir) / check_partnership_id(partnership_id)
    entries = [
        (y, path, entry_kind(path))
        for y in year_folders(root)
        if y <= year
        for path in list_folder(root / str(y))
    ]
    files = [path for _, path, kind in entries if kind == "file"]
    # hashlib lets go of the GIL while it hashes, so the files hash side by side on the pool.
    digests = dict(zip(files, _column_pool().map(_file_digest, files), strict=True))
    h = hashlib.blake2b(digest_size=20)
    for y, path, kind in entries:
        # A link, folder or pipe is never opened (the gate refuses it); its name and kind
        # still count, so adding or replacing one invalidates what was cached.
        content = digests[path] if kind == "file" else kind
        h.update(f"{y}/{path.name}:{content}".encode())
    return h.hexdigest()


def _file_digest(path: Path) -> str:
    try:
        return file_digest(path)
    except OSError as exc:  # unreadable: the gate refuses it, with its own message
        return f"unreadable:{exc.errno}"


@dataclass
class History:
    """Every submitted file of a partnership for every year up to ``year``.

    ``frames[name]`` stacks the years (each row keeps its own year column); a file that
    no year submitted is absent. ``columns[name]`` holds the columns that carry at least
    one value in the year ``year`` itself, so an indicator knows whether it was submitted.
    """

    partnership_id: str
    year: int
    years: list[int]
    frames: dict[str, pd.DataFrame]
    submitted: dict[str, set[str]]
    # Optional: an integer per row of frames[name] standing for its learner_id (-1 where
    # blank), one code per distinct id across files and years, so the engine can number
    # learners without hashing the id strings again for every year of a series.
    learner_codes: dict[str, np.ndarray] = field(default_factory=dict)

    def frame(self, name: str) -> pd.DataFrame:
        """The stacked frame, or an empty frame with the contract's columns."""
        if name in self.frames:
            return self.frames[name]
        spec = load_dictionary().file(name)
        return pd.DataFrame(
            {c: pd.Series(dtype=_EMPTY_DTYPES[spec.column(c).type]) for c in spec.column_names}
        )


_EMPTY_DTYPES = {
    "string": "string",
    "enum": "string",
    "bool": "boolean",
    "int": "Int64",
    "float": "float64",
    "date": "datetime64[ns]",
}


class Submissions:
    """Each year's files of one partnership up to ``up_to``, read and typed once.

    :meth:`history` stacks them into the :class:`History` of any of those years, so a
    series of years reads every file only once; a file the gate of this process has read
    already is not read again (:func:`read_typed`).
    """

    def __init__(self, data_dir: Path, partnership_id: str, up_to: int):
        self.partnership_id = partnership_id
        self.years = [y for y in submitted_years(data_dir, partnership_id) if y <= check_year(up_to)]
        self.tables: dict[int, dict[str, pd.DataFrame]] = {}
        self.filled: dict[int, dict[str, set[str]]] = {}
        dictionary = load_dictionary()
        for y in self.years:
            folder = submission_dir(data_dir, partnership_id, y)
            self.tables[y], self.filled[y] = {}, {}
            for name, spec in dictionary.files.items():
                path = folder / spec.filename
                if entry_kind(path) == "missing":
                    continue
                table = read_typed(path, spec)
                self.tables[y][name] = table.frame
                self.filled[y][name] = set(table.filled)
        self.codes = self._learner_codes()

    def _learner_codes(self) -> dict[int, dict[str, np.ndarray]]:
        keyed = [(y, n) for y in self.years for n, t in self.tables[y].items() if "learner_id" in t.columns]
        if not keyed:
            return {}
        ids = pd.concat([self.tables[y][n]["learner_id"] for y, n in keyed], ignore_index=True)
        codes, _ = pd.factorize(ids, use_na_sentinel=True)
        out: dict[int, dict[str, np.ndarray]] = {}
        start = 0
        for y, n in keyed:
            length = len(self.tables[y][n])
            out.setdefault(y, {})[n] = codes[start : start + length]
            start += length
        return out

    def history(self, year: int) -> History:
        years = [y for y in self.years if y <= year]
        names = {n for y in years for n in self.tables[y]}
        frames = {
            n: pd.concat([self.tables[y][n] for y in years if n in self.tables[y]], ignore_index=True)
            for n in sorted(names)
        }
        codes = {
            n: np.concatenate([self.codes[y][n] for y in years if n in self.codes.get(y, {})])
            for n in sorted(names)
            if any(n in self.codes.get(y, {}) for y in years)
        }
        return History(self.partnership_id, year, years, frames, dict(self.filled.get(year, {})), codes)


def load_history(data_dir: Path, partnership_id: str, year: int) -> History:
    """Read every contract file of ``partnership_id`` for every year up to ``year``."""
    return Submissions(data_dir, partnership_id, year).history(check_year(year))


__all__ = [
    "DataError",
    "FileRefused",
    "History",
    "RawTable",
    "Submissions",
    "TypedTable",
    "coerce",
    "forget",
    "invalid_mask",
    "load_history",
    "parse_bool",
    "parse_text_cells",
    "read_raw",
    "read_table",
    "read_typed",
    "submission_digest",
    "submitted_years",
    "to_number",
    "typed",
    "year_folders",
]
