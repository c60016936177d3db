"""Reading partner submissions: files on disk to typed pandas frames.

Two steps, so that nothing is read that the gate would refuse:

1. :func:`read_raw` reads one CSV as text exactly as the partner sent it (UTF-8 with or
   without a byte-order mark, CRLF, Excel quoting) and refuses files that cannot be
   read safely: another encoding, binary content, no header, no records, ragged rows,
   or a column that looks like personal data (refused before any value is read).
2. :func:`coerce` turns the text into the dictionary's types. It assumes the gate has
   passed and raises :class:`DataError` on a value it cannot convert.

:func:`load_history` gives the indicator engine every year of a partnership up to Y.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from pathways.dictionary import FileSpec, load_dictionary
from pathways.errors import PathwaysError
from pathways.hashing import file_digest
from pathways.safety import check_partnership_id, check_year, submission_dir

TRUE_SPELLINGS = frozenset({"true", "1", "yes", "y"})
FALSE_SPELLINGS = frozenset({"false", "0", "no", "n"})
_INT_RE = re.compile(r"^[+-]?\d+(\.0*)?$")  # Excel writes 2024 as "2024.0" at times
_FLOAT_RE = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


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

    @property
    def n_rows(self) -> int:
        return len(self.frame)


def read_raw(path: Path, spec: FileSpec) -> RawTable:
    path = Path(path)
    data = path.read_bytes()
    if not data.strip():
        raise FileRefused(path, "file_not_empty", "the file is empty; leave a file out instead of sending it empty")
    if b"\x00" in data[:65536]:
        raise FileRefused(path, "file_is_text", "the file is not a CSV text file (it looks like a binary or Excel file); save it as 'CSV UTF-8'")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise FileRefused(
            path, "file_is_utf8",
            f"the file is not UTF-8 text (first unreadable byte on line {line}); save it as 'CSV UTF-8' from Excel",
        ) from None

    header_line = text.split("\n", 1)[0]
    try:
        header = next(csv.reader([header_line]))
    except (csv.Error, StopIteration):
        header = []
    headers = [h.strip() for h in header]
    if not any(headers):
        raise FileRefused(path, "file_has_header", "the first line must be the header row with the column names")

    # Privacy first: a personal-data column stops us before any value is read.
    known = {c.lower() for c in spec.column_names}
    personal = [h for h in headers if h.lower() not in known and load_dictionary().is_personal_data_column(h)]
    if personal:
        raise FileRefused(
            path, "no_personal_data",
            f"the file has column(s) that look like personal data: {', '.join(personal)}. "
            "Remove names, birth dates, addresses, phone numbers, e-mail addresses and Social Security "
            "numbers before sending; the file was not read further",
            column=personal[0],
        )
    duplicated = sorted({h for h in headers if headers.count(h) > 1})
    if duplicated:
        raise FileRefused(path, "unique_headers", f"the header repeats column(s): {', '.join(duplicated)}", column=duplicated[0])

    body = data[len(codecs.BOM_UTF8):] if data.startswith(codecs.BOM_UTF8) else data
    try:
        frame = parse_text_cells(body, len(headers))
    except pa.ArrowInvalid:
        # Arrow refuses any row whose width is not the header's. Say which rows; a file
        # whose only oddity is a line of spaces (which Arrow also refuses) reads as before.
        _refuse_ragged_rows(path, _ragged_rows(text, len(headers)), len(headers))
        frame = _parse_text_cells_pandas(path, text, headers)
    frame.columns = headers
    # Match contract names regardless of case and surrounding spaces.
    by_lower = {c.lower(): c for c in spec.column_names}
    frame = frame.rename(columns={h: by_lower[h.lower()] for h in headers if h.lower() in by_lower})
    if frame.empty:
        raise FileRefused(
            path, "file_has_records",
            "the file has a header but no records; leave the file out when there is nothing to report",
        )
    extra = [c for c in frame.columns if c not in spec.column_names]
    return RawTable(path=path, spec=spec, frame=frame, extra_columns=extra, row_numbers=_record_rows(text, len(frame)))


def _record_rows(text: str, n_records: int) -> np.ndarray | None:
    """Spreadsheet rows of the records when blank lines (which the parsers skip) sit among them.

    A spreadsheet shows a blank line as an empty row, so the rows a clerk is told to fix must
    count them; a cell with a line break inside quotes stays one row.
    """
    lines = text.count("\n") + (0 if text.endswith("\n") else 1)
    if lines - 1 == n_records:  # one record per line after the header: rows 2, 3, ...
        return None
    try:
        rows = np.array([number for number, row in enumerate(csv.reader(io.StringIO(text)), start=1)
                         if number > 1 and (len(row) > 1 or (row and row[0].strip()))], dtype=np.int64)
    except csv.Error:  # a cell past the csv module's size limit: keep the plain numbering
        return None
    in_order = np.array_equal(rows, np.arange(2, 2 + n_records))
    return None if in_order or len(rows) != n_records else rows


def parse_text_cells(source: bytes | str, width: int, columns: list[int] | None = None) -> pd.DataFrame:
    """Every cell (of the ``columns`` at these positions, or all) as stripped text, blank = "",
    parsed by Arrow's multi-threaded CSV reader from the bytes after the header or a file path."""
    names = [f"c{i}" for i in range(width)]
    kept = names if columns is None else [names[i] for i in columns]
    table = pa_csv.read_csv(
        io.BytesIO(source) if isinstance(source, bytes) else source,
        read_options=pa_csv.ReadOptions(skip_rows=1, column_names=names),
        parse_options=pa_csv.ParseOptions(newlines_in_values=True),
        convert_options=pa_csv.ConvertOptions(
            include_columns=kept, column_types=dict.fromkeys(kept, pa.string()),
            strings_can_be_null=False, quoted_strings_can_be_null=False),
    )
    table = pa.table({n: pc.utf8_trim_whitespace(table[n]) for n in kept})
    return table.to_pandas(types_mapper={pa.string(): pd.StringDtype("pyarrow", na_value=float("nan"))}.get)


def _parse_text_cells_pandas(path: Path, text: str, headers: list[str]) -> pd.DataFrame:
    try:
        frame = pd.read_csv(
            io.StringIO(text), dtype=str, keep_default_na=False, na_filter=False,
            skip_blank_lines=True, engine="c",
        )
    except pd.errors.ParserError:
        # Only reached when the fast ragged check was fooled; the exact check says where.
        _refuse_ragged_rows(path, _ragged_rows(text, len(headers), exact=True) or [0], len(headers))
    return frame.apply(lambda s: s.str.strip())


def _refuse_ragged_rows(path: Path, ragged: list[int], width: int) -> None:
    if ragged:
        raise FileRefused(
            path, "rows_have_header_width",
            f"{len(ragged)} row(s) do not have the {width} values the header names (row(s) "
            f"{', '.join(str(r) for r in ragged[:5])}); check for stray commas or unquoted text",
        )


def _ragged_rows(text: str, width: int, exact: bool = False) -> list[int]:
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
    for number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        if row and len(row) != width and any(cell.strip() for cell in row):
            bad.append(number)
    return bad


def parse_bool(series: pd.Series) -> pd.Series:
    lowered = series.str.lower()
    out = pd.Series(pd.NA, index=series.index, dtype="boolean")
    out[lowered.isin(TRUE_SPELLINGS)] = True
    out[lowered.isin(FALSE_SPELLINGS)] = False
    return out


def invalid_mask(series: pd.Series, column_type: str) -> pd.Series:
    """True where a non-blank text value is not of ``column_type``."""
    filled = series != ""
    if column_type == "int":
        ok = series.str.match(_INT_RE)
    elif column_type == "float":
        ok = series.str.match(_FLOAT_RE)
    elif column_type == "bool":
        ok = series.str.lower().isin(TRUE_SPELLINGS | FALSE_SPELLINGS)
    elif column_type == "date":
        ok = series.str.match(_DATE_RE) & pd.to_datetime(series, format="%Y-%m-%d", errors="coerce").notna()
    else:
        return pd.Series(False, index=series.index)
    return filled & ~ok


def coerce(raw: RawTable) -> pd.DataFrame:
    """Typed frame with the contract's columns (absent optional columns as all-missing)."""
    out = {}
    for col in raw.spec.columns:
        text = raw.frame[col.name] if col.name in raw.frame.columns else pd.Series("", index=raw.frame.index)
        bad = invalid_mask(text, col.type)
        if bad.any():
            raise DataError(f"{raw.path.name}: column {col.name} has values that are not {col.type}")
        out[col.name] = _convert(text, col.type)
    return pd.DataFrame(out, index=raw.frame.index).reset_index(drop=True)


def _convert(text: pd.Series, column_type: str) -> pd.Series:
    blank = text == ""
    if column_type == "bool":
        return parse_bool(text)
    if column_type == "int":
        return to_number(text.mask(blank)).round().astype("Int64")
    if column_type == "float":
        return to_number(text.mask(blank))
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


def submitted_years(data_dir: Path, partnership_id: str) -> list[int]:
    return year_folders(Path(data_dir) / check_partnership_id(partnership_id))


def year_folders(root: Path) -> list[int]:
    """The school years that have a folder under a partnership's folder ``root``."""
    if not Path(root).is_dir():
        return []
    return sorted(int(p.name) for p in Path(root).iterdir() if p.is_dir() and re.fullmatch(r"\d{4}", p.name))


def submission_digest(data_dir: Path, partnership_id: str, year: int) -> str:
    """One hash of every file a partnership submitted for the years up to ``year``.

    What a gate result, a year's indicator rows and a report depend on; the caches and the
    run's manifest key on it, so any changed, added or removed file invalidates them.
    """
    h = hashlib.blake2b(digest_size=20)
    root = Path(data_dir) / check_partnership_id(partnership_id)
    for y in year_folders(root):
        if y > year:
            continue
        for path in sorted((root / str(y)).iterdir()):
            if path.is_file():
                h.update(f"{y}/{path.name}:{file_digest(path)}".encode())
    return h.hexdigest()


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
        return pd.DataFrame({c: pd.Series(dtype=_EMPTY_DTYPES[spec.column(c).type]) for c in spec.column_names})


_EMPTY_DTYPES = {
    "string": "string", "enum": "string", "bool": "boolean", "int": "Int64",
    "float": "float64", "date": "datetime64[ns]",
}


class Submissions:
    """Each year's files of one partnership up to ``up_to``, read and typed once.

    :meth:`history` stacks them into the :class:`History` of any of those years, so a
    series of years reads every file only once.
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
                if not path.is_file():
                    continue
                raw = read_raw(path, spec)
                self.tables[y][name] = coerce(raw)
                self.filled[y][name] = {c for c in spec.column_names if c in raw.frame and (raw.frame[c] != "").any()}
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
            out.setdefault(y, {})[n] = codes[start:start + length]
            start += length
        return out

    def history(self, year: int) -> History:
        years = [y for y in self.years if y <= year]
        names = {n for y in years for n in self.tables[y]}
        frames = {n: pd.concat([self.tables[y][n] for y in years if n in self.tables[y]], ignore_index=True)
                  for n in sorted(names)}
        codes = {n: np.concatenate([self.codes[y][n] for y in years if n in self.codes.get(y, {})])
                 for n in sorted(names) if any(n in self.codes.get(y, {}) for y in years)}
        return History(self.partnership_id, year, years, frames, dict(self.filled.get(year, {})), codes)


def load_history(data_dir: Path, partnership_id: str, year: int) -> History:
    """Read every contract file of ``partnership_id`` for every year up to ``year``."""
    return Submissions(data_dir, partnership_id, year).history(check_year(year))


__all__ = [
    "DataError", "FileRefused", "History", "RawTable", "Submissions", "coerce", "invalid_mask", "load_history",
    "parse_bool", "parse_text_cells", "read_raw", "read_table", "submission_digest", "submitted_years",
    "to_number", "year_folders",
]
