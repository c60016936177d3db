"""The validation gate: run the GX suites on a submission, refuse it or let it pass.

Order matters for privacy: :func:`pathways.io.submission.read_raw` refuses unreadable files
and personal-data columns before any value is read; only then does GX see the contract
columns (never the extra ones). GX results are turned into :class:`Finding` objects that
hold counts and row numbers, never values, and the GX results are stripped of values
before they are written as Data Docs.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import logging
import os
import re
from functools import cache
from pathlib import Path

import pandas as pd
import pyarrow as pa

from pathways.errors import OutputNotWritten, PathwaysError, os_reason
from pathways.gate import suites
from pathways.gate.crossfile import build_cross_file_table, once_checks, reference_checks
from pathways.gate.data_docs import write_outputs
from pathways.gate.findings import MAX_ROWS_SHOWN, Finding, GateResult
from pathways.gate.prepare import prepare
from pathways.gate.screen import build_screen, screen_frame
from pathways.io.catalogue import load_catalogue
from pathways.io.dictionary import load_dictionary
from pathways.io.paths import check_year, entry_kind, read_regular_file
from pathways.io.submission import (
    DataError,
    FileRefused,
    RawTable,
    list_folder,
    parse_text_cells,
    read_raw,
    read_typed,
    typed,
    year_folders,
)

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

# Values GX puts into results; none of them may leave the gate.
_VALUE_KEYS = (
    "partial_unexpected_list",
    "partial_unexpected_counts",
    "unexpected_list",
    "unexpected_rows",
    "observed_value_list",
    "details",
)
RESULT_FORMAT = {"result_format": "SUMMARY", "partial_unexpected_count": MAX_ROWS_SHOWN}
FAST_FORMAT = {"result_format": "BOOLEAN_ONLY"}
ROW_CHANGE_WARN = 0.5  # a file's row count moved more than 50% from the prior year
ROW_CHANGE_MIN_ROWS = 20  # ... when the prior year had at least this many rows
UNKNOWN_SHARE_WARN = 0.2  # more than 20% of a demographic column unknown or blank
UNKNOWN_SHARE_MIN_ROWS = 20
# What typing a file the gate refuses may raise (a count too large for Int64 is a TypeError).
_UNTYPABLE = (DataError, TypeError, ValueError, OverflowError)


# --------------------------------------------------------------------------- GX plumbing


@cache
def _batch_definition():
    """One ephemeral context for the process: no files written, no progress bars, quiet logs."""
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig
    from great_expectations.execution_engine import pandas_execution_engine

    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    # GX fingerprints every frame it validates (an md5 over all values): ~2 s at 1M rows, and a
    # hash of learner data in the results. Nothing here uses it, so switch it off.
    pandas_execution_engine.HASH_THRESHOLD = 0
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    asset = context.data_sources.add_pandas("pathways").add_dataframe_asset("submission")
    return asset.add_batch_definition_whole_dataframe("whole_file")


def _present_expectations(name: str, frame: pd.DataFrame):
    """Suite ``name`` with the expectations on absent columns left out.

    Absent optional columns are allowed; an absent required column is reported once, by its
    ``required_column`` expectation, rather than again by every check on it.
    """
    suite = suites.load_suite(name)
    present = set(frame.columns)
    return suite, [e for e in suite.expectations if _columns_of(e) <= present]


def _passes_screen(name: str, frame: pd.DataFrame, year: int) -> bool:
    """The cheap first pass (:mod:`pathways.gate.screen`): True when the suite would pass."""
    import great_expectations as gx

    screen = _screen(name, tuple(frame.columns), year)
    parameters = suites.parameters_for_year(year)
    batches = [
        (screen.table_expectations, pd.DataFrame(columns=frame.columns)),
        (screen.expectations, screen_frame(frame, screen)),
    ]
    for expectations, data in batches:
        if expectations:
            batch = _batch_definition().get_batch(batch_parameters={"dataframe": data})
            result = batch.validate(
                gx.ExpectationSuite(name=f"{name}.screen", expectations=list(expectations)),
                result_format=FAST_FORMAT,
                expectation_parameters=parameters,
            )
            if not result.success:
                return False
    return True


@cache
def _screen(name: str, columns: tuple[str, ...], year: int):
    """The first pass of suite ``name`` for a frame with these columns in ``year`` (built once per
    process: the folder's year is part of its regular expression)."""
    kept = _present_expectations(name, pd.DataFrame(columns=list(columns)))[1]
    return build_screen(kept, suites.parameters_for_year(year))


def _validate_frame(name: str, frame: pd.DataFrame, year: int, *, detailed: bool):
    """The GX result of suite ``name`` on ``frame``, or None when the first pass shows it passes.

    ``detailed`` (Data Docs asked for) always runs the suite itself, so the docs show every
    expectation as before.
    """
    if not detailed and _passes_screen(name, frame, year):
        return None
    return _run_suite(name, frame, year)


def _run_suite(name: str, frame: pd.DataFrame, year: int):
    """Validate ``frame`` with suite ``name`` (expectations on absent columns left out)."""
    import great_expectations as gx

    suite, kept = _present_expectations(name, frame)
    run_suite = gx.ExpectationSuite(name=suite.name, expectations=kept, meta=suite.meta)
    batch = _batch_definition().get_batch(batch_parameters={"dataframe": frame})
    parameters = suites.parameters_for_year(year)
    # Two passes: GX's bookkeeping per expectation is ~3x lighter with BOOLEAN_ONLY, and most
    # expectations pass; only the failed ones are run again for counts and row numbers.
    result = batch.validate(run_suite, result_format=FAST_FORMAT, expectation_parameters=parameters)
    failed = [r for r in result.results if not r.success]
    if failed:
        detail_suite = gx.ExpectationSuite(
            name=suite.name, expectations=[r.expectation_config for r in failed]
        )
        detailed = batch.validate(
            detail_suite, result_format=RESULT_FORMAT, expectation_parameters=parameters
        )
        by_key = {_result_key(r): r for r in detailed.results}
        result.results = [by_key.get(_result_key(r), r) if not r.success else r for r in result.results]
    return result


def _result_key(r) -> str:
    config = r.expectation_config
    return json.dumps([config.type, config.kwargs, config.meta], sort_keys=True, default=str)


def _columns_of(expectation) -> set[str]:
    kwargs = expectation.configuration.kwargs
    cols = set()
    for key in ("column", "column_A", "column_B"):
        if kwargs.get(key):
            cols.add(kwargs[key])
    cols.update(kwargs.get("column_list") or [])
    return cols


def _scrub(validation_result) -> None:
    """Drop every learner value GX keeps in a result (values of failing rows, counts by value)."""
    for r in validation_result.results:
        if r.result:
            for key in _VALUE_KEYS:
                r.result.pop(key, None)
        if r.exception_info and r.exception_info.get("exception_message"):
            r.exception_info["exception_message"] = "the check could not run"
            r.exception_info["exception_traceback"] = None


def _findings(validation_result, row_of_index=None) -> list[Finding]:
    out = []
    for r in validation_result.results:
        if r.success:
            continue
        meta = dict(r.expectation_config.meta or {})
        result = r.result or {}
        count = int(result.get("unexpected_count") or 0)
        index = [i for i in result.get("partial_unexpected_index_list") or [] if isinstance(i, int | float)]
        rows = (
            [int(row_of_index[int(i)]) for i in index]
            if row_of_index is not None
            else [int(i) for i in index]
        )
        if meta.get("check") == "required_column":
            missing = ((result.get("details") or {}).get("mismatched") or {}).get("missing") or []
            out.extend(
                Finding(meta["file"], column, "required_column", meta["expected"], 0, [])
                for column in missing
            )
            continue
        if r.exception_info and r.exception_info.get("raised_exception"):
            out.append(
                Finding(
                    meta.get("file", "?"),
                    meta.get("column"),
                    meta.get("check", "check_failed"),
                    meta.get("expected", ""),
                    0,
                    [],
                    f"{meta.get('file', '?')}, column {meta.get('column')}: the check "
                    f"{meta.get('check')} could not run; please report this to the analyst.",
                )
            )
            continue
        out.append(
            Finding(meta["file"], meta.get("column"), meta["check"], meta["expected"], count, sorted(rows))
        )
    return out


# A number as a spreadsheet displays it: a thousands separator ("1,234.50"), a currency or percent
# sign. The type check refuses it; the message then says how to write it, with an example of
# its own (a learner's value is never shown).
_DISPLAYED_NUMBER = re.compile(
    r"^[-+]?[$€£]?\s*(\d{1,3}(,\d{3})+|\d+)([.]\d*)?\s*(%|[$€£]|USD)?$", re.IGNORECASE
)
_NUMBER_HINT = (
    " {who} written as a spreadsheet displays a number, with a thousands separator or a currency or "
    "percent sign: write plain digits, with a point for decimals (1234.50, not 1,234.50 or $1,234.50)."
)


def _with_number_hints(findings: list[Finding], frame: pd.DataFrame, spec) -> list[Finding]:
    """Type refusals of number columns, with a hint where the cells look like displayed numbers."""
    numeric = {c.name for c in spec.columns if c.type in ("int", "float")}
    for f in findings:
        if f.check != "type" or f.column not in numeric or f.column not in frame:
            continue
        # the cells the type check refused: text without a number in prepare's number column
        refused = frame[f.column].notna() & frame[suites.number_column(f.column)].isna()
        n = int(frame.loc[refused, f.column].astype(str).str.strip().str.match(_DISPLAYED_NUMBER).sum())
        if n:
            if f.count == 1:
                who = "It is"
            elif n >= f.count:
                who = "All of them are"
            else:
                who = f"{n:,} of them {'is' if n == 1 else 'are'}"
            f.message += _NUMBER_HINT.format(who=who)
    return findings


def _refusal_finding(exc: FileRefused) -> Finding:
    message = str(exc)
    return Finding(
        exc.path.name,
        exc.column,
        exc.check,
        "a readable UTF-8 CSV file without personal data",
        0,
        [],
        message if message.endswith(".") else message + ".",
    )


# --------------------------------------------------------------------------- history helpers


def _earlier_values(
    path: Path, spec, column: str, where: tuple[str, tuple[str, ...]] | None = None
) -> pd.Index | None:
    """The values of one column of an earlier year's file (``None`` when unreadable), of
    the rows whose ``where[0]`` column is one of ``where[1]`` when given.

    The whole file is read and typed, as the engine will read it in a run: a file read once
    serves both. A file the reader refuses (an earlier year that did not pass) is read as
    leniently as it can be, column by column."""
    try:
        frame = read_typed(path, spec).frame
    except (FileRefused, *_UNTYPABLE):
        st = path.stat()
        return _key_column(str(path), st.st_size, st.st_mtime_ns, column, where)
    values = frame[column]
    if where:
        values = values[frame[where[0]].isin(where[1]).to_numpy(bool)]
    # The dtype of the text reader's columns, so that keys of both kinds of read stack alike.
    # Not made distinct: the lookup's hash table does that, and a second pass would cost as much.
    return pd.Index(values.dropna().astype(pd.StringDtype("pyarrow", na_value=float("nan"))))


@cache
def _key_column(
    path: str, size: int, mtime_ns: int, column: str, where: tuple[str, tuple[str, ...]] | None = None
) -> pd.Index | None:
    """:func:`_earlier_values` of a file the reader refuses, from its text alone."""
    try:
        data = read_regular_file(Path(path))
        text_head = data.split(b"\n", 1)[0].decode("utf-8-sig")
        columns = [c.strip() for c in next(csv.reader([text_head]), [])]
        lowered = [c.lower() for c in columns]
        wanted = [column] + ([where[0]] if where else [])
        if any(w.lower() not in lowered for w in wanted):
            return pd.Index([])
        positions = [lowered.index(w.lower()) for w in wanted]
        try:
            cells = parse_text_cells(data, len(columns), positions)
        except pa.ArrowInvalid:  # ragged rows: pandas' parser is lenient where Arrow is not
            cells = pd.read_csv(
                io.BytesIO(data),
                usecols=positions,
                dtype=str,
                encoding="utf-8-sig",
                keep_default_na=False,
                na_filter=False,
            )
            cells = cells.iloc[:, [sorted(positions).index(i) for i in positions]].apply(
                lambda s: s.str.strip()
            )
        values = cells.iloc[:, 0]
        if where:
            values = values[cells.iloc[:, 1].isin(where[1]).to_numpy(bool)]
        return pd.Index(values[values != ""])
    except (UnicodeDecodeError, ValueError, csv.Error, pd.errors.ParserError, OSError):
        return None


def _earlier_keys(history_dir: Path, year: int) -> dict[tuple, pd.Index]:
    """Values of every referenced column (and of every once-across-years rule) in the files
    of the years before ``year``."""
    dictionary = load_dictionary()
    targets = {(c.target_file, c.target_column): None for c in reference_checks() if c.scope != "same_year"}
    targets.update(
        {once.key: (once.file, once.column, (once.when_column, once.when_values)) for once in once_checks()}
    )
    out: dict[tuple, pd.Index] = {}
    for y in year_folders(history_dir):
        if y >= year:
            continue
        for key, once in targets.items():
            file, column, where = once if once else (*key, None)
            spec = dictionary.file(file)
            path = history_dir / str(y) / spec.filename
            if entry_kind(path) == "file":
                keys = _earlier_values(path, spec, column, where)
                if keys is not None:
                    out[key] = out.get(key, pd.Index([])).append(keys)
    return out


def _count_records(path: Path) -> int | None:
    """Fast, approximate record count (lines minus header) for the year-on-year warning."""
    try:
        data = read_regular_file(path)
    except OSError:
        return None
    lines = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    return max(lines - 1, 0)


# --------------------------------------------------------------------------- warnings


def _warnings_for_file(raw: RawTable, frame: pd.DataFrame) -> list[Finding]:
    spec = raw.spec
    out = []
    for extra in raw.extra_columns:
        out.append(
            Finding(
                spec.filename,
                extra,
                "unknown_column",
                "only the columns of the data contract",
                0,
                [],
                f"{spec.filename}, column {extra}: this column is not part of the data contract and was "
                "not read; check that its name is spelled as in the template.",
            )
        )
    n = len(frame)
    if n >= UNKNOWN_SHARE_MIN_ROWS:
        for col in spec.columns:
            if col.name not in frame.columns:
                continue
            if col.required and (
                (col.type == "enum" and "unknown" in col.values) or (col.type == "bool" and col.nullable)
            ):
                values = frame[col.name]
                unknown = values.isna() | (values == "unknown") if col.type == "enum" else values.isna()
                share = float(unknown.mean())
                if share > UNKNOWN_SHARE_WARN:
                    out.append(
                        Finding(
                            spec.filename,
                            col.name,
                            "unknown_share",
                            f"at most {UNKNOWN_SHARE_WARN:.0%} unknown or blank",
                            int(unknown.sum()),
                            [],
                            f"{spec.filename}, column {col.name}: {share:.0%} of rows are unknown or blank; "
                            + _what_blanks_cost(spec.name, col.name, every_row=bool(unknown.all())),
                        )
                    )
    out.extend(_repeated_rows(spec, frame))
    return out


def _repeated_rows(spec, frame: pd.DataFrame) -> list[Finding]:
    """A file without a key whose rows repeat an earlier row in every contract column: what a
    file pasted or exported twice looks like. Not refused (two equal career-exploration events
    can both be real), but said, because every copy counts again: wages and hours add up twice."""
    if spec.unique or len(frame) < 2:
        return []
    columns = [c.name for c in spec.columns if c.name in frame.columns]  # as written: a copy is the same text
    # Hash the rows first (a quarter of a second for a million wage records); only rows whose hash
    # repeats are compared in full, so a hash collision is never called a copy.
    hashes = pd.util.hash_pandas_object(frame[columns], index=False)
    shared = hashes.duplicated(keep=False).to_numpy()
    if not shared.any():
        return []
    candidates = frame.loc[shared, columns]
    copies = candidates.index[candidates.duplicated(keep="first").to_numpy()]
    if not len(copies):
        return []
    finding = Finding(spec.filename, None, "repeated_row", "each record once", len(copies), list(copies))
    finding.message += (
        " If the file was pasted or exported twice, remove the copies: as sent, each copy is counted "
        "again (its wages, hours or participants are added again). If they are separate records, "
        "nothing needs to change."
    )
    return [finding]


def _what_blanks_cost(file: str, column: str, every_row: bool) -> str:
    """What a mostly (or wholly) unknown column does to the reports, from the catalogue."""
    needing = [ind.title for ind in load_catalogue().indicators if column in ind.input_columns.get(file, ())]
    if every_row and needing:
        return f'the indicators that need it read "not submitted" for this year: {", ".join(needing)}.'
    if needing:
        return 'the indicators that need it count a blank as "no", so their rates may read low.'
    return "indicators by this group will be less reliable."


def _row_change_warnings(
    folder: Path, year: int, history_dir: Path | None, files: dict[str, int]
) -> list[Finding]:
    if history_dir is None:
        return []
    prior_years = [y for y in year_folders(history_dir) if y < year]
    if not prior_years:
        return []
    prior = history_dir / str(prior_years[-1])
    out = []
    for spec in load_dictionary().files.values():
        before_path = prior / spec.filename
        if entry_kind(before_path) != "file":
            continue
        before = _count_records(before_path)
        if spec.filename not in files and entry_kind(folder / spec.filename) == "missing":
            if spec.required:
                continue  # refused as missing already: a warning that it reads "not submitted" would contradict it
            out.append(
                Finding(
                    spec.filename,
                    None,
                    "file_not_submitted",
                    f"{spec.filename} as in {prior.name}",
                    0,
                    [],
                    f"{spec.filename}: submitted for {prior.name} but not for {year}; indicators that "
                    'need it will read "not submitted".',
                )
            )
            continue
        now = files.get(spec.filename)
        if before is None or now is None or before < ROW_CHANGE_MIN_ROWS:
            continue
        change = (now - before) / before
        if abs(change) > ROW_CHANGE_WARN:
            out.append(
                Finding(
                    spec.filename,
                    None,
                    "row_count_change",
                    f"a row count within {ROW_CHANGE_WARN:.0%} of {prior.name}'s",
                    now,
                    [],
                    f"{spec.filename}: {now:,} rows, {change:+.0%} compared with about {before:,} rows "
                    f"in {prior.name}; check that the file is complete.",
                )
            )
    return out


def _missing_year_warnings(year: int, history_dir: Path | None) -> list[Finding]:
    """A school year missing between the first one submitted and this one: nothing is refused, but
    what counts earlier years (concentration, the trends, last year's graduates) counts without it."""
    if history_dir is None:
        return []
    earlier = [y for y in year_folders(history_dir) if y < year]
    if not earlier:
        return []
    missing = sorted(set(range(earlier[0] + 1, year)) - set(earlier))
    if not missing:
        return []
    years = ", ".join(str(y) for y in missing)
    return [
        Finding(
            "",
            None,
            "year_missing",
            f"a folder for every school year from {earlier[0]} to {year}",
            0,
            [],
            f"no folder for {years}, between the first school year submitted ({earlier[0]}) and {year}: "
            "what counts earlier years (CTE concentration, the trends, last year's graduates) counts "
            f"without {'it' if len(missing) == 1 else 'them'}. Send {'its' if len(missing) == 1 else 'their'} "
            "files if the partnership has them.",
        )
    ]


# --------------------------------------------------------------------------- the gate


def validate_submission(
    folder: Path,
    year: int,
    *,
    partnership_id: str | None = None,
    history_dir: Path | None = None,
    docs_dir: Path | None = None,
) -> GateResult:
    """Validate one year's folder of CSV files.

    ``history_dir`` (``<data>/<partnership>``) lets the gate check learners against earlier
    years; without it those cross-year checks are skipped with a warning. ``docs_dir``
    receives ``result.json`` and GX Data Docs (stripped of values).
    """
    folder = Path(folder)
    year = check_year(year)
    if not folder.is_dir():
        raise PathwaysError(f"there is no folder {folder} to validate")
    dictionary = load_dictionary()
    failures: list[Finding] = []
    warnings: list[Finding] = []
    files: dict[str, int] = {}
    frames: dict[str, pd.DataFrame] = {}
    gx_results = []

    extra_failures, extra_warnings = _other_files(folder)
    failures.extend(extra_failures)
    warnings.extend(extra_warnings)

    refused_files: set[str] = set()
    for name, spec in dictionary.files.items():
        path = folder / spec.filename
        if entry_kind(path) == "missing":
            if spec.required:
                failures.append(
                    Finding(
                        spec.filename,
                        None,
                        "required_file",
                        f"a {spec.filename} file",
                        0,
                        [],
                        f"{spec.filename}: the file is missing; every submission must include it.",
                    )
                )
                refused_files.add(name)
            continue
        try:
            raw = read_raw(path, spec)
        except FileRefused as exc:
            failures.append(_refusal_finding(exc))
            refused_files.add(name)
            continue
        files[spec.filename] = raw.n_rows
        frame = prepare(raw)
        # Kept for the engine, which then does not read the file again; a value its type cannot
        # hold keeps nothing (the suite below says where).
        with contextlib.suppress(*_UNTYPABLE):
            typed(raw)
        raw.frame = pd.DataFrame()  # the text copy is no longer needed: free it before GX runs
        warnings.extend(_warnings_for_file(raw, frame))
        result = _validate_frame(name, frame, year, detailed=docs_dir is not None)
        if result is not None:
            failures.extend(_with_number_hints(_findings(result), frame, spec))
            _scrub(result)
            gx_results.append((name, result))
        frames[name] = frame

    cross = _cross_file(frames, refused_files, year, history_dir)
    if cross is not None:
        result, table, skipped = cross
        failures.extend(_findings(result, row_of_index=table["row"].to_numpy()))
        _scrub(result)
        gx_results.append((suites.CROSS_FILE_SUITE, result))
        for ref in skipped:
            warnings.append(
                Finding(
                    f"{ref.file}.csv",
                    ref.column,
                    "cross_year_skipped",
                    ref.expected,
                    0,
                    [],
                    f"{ref.file}.csv, column {ref.column}: not checked against earlier years' "
                    f"{ref.target_file}.csv, which were not available here.",
                )
            )
    warnings.extend(_row_change_warnings(folder, year, history_dir, files))
    warnings.extend(_missing_year_warnings(year, history_dir))

    gate = GateResult(
        partnership_id=partnership_id,
        year=year,
        folder=folder,
        passed=not failures,
        failures=failures,
        warnings=warnings,
        files=files,
    )
    if docs_dir is not None:
        try:
            write_outputs(gate, gx_results, Path(docs_dir).resolve())
        except OSError as exc:
            error = OutputNotWritten(
                f"the validation ran, but its results could not be written to {docs_dir} "
                f"({os_reason(exc)}): make that folder writable and free some space, or give another --out"
            )
            error.result = gate
            raise error from None
    return gate


# Files that are not in the contract but may hold a table: their header is checked for
# personal data (a names list left in the folder refuses the submission); nothing else is read.
_TABLE_SUFFIXES = (".csv", ".tsv", ".txt")
_HEADER_BYTES = 65536

# A filled template workbook (or a sheet saved as one) sent instead of its CSV files: the gate
# reads CSV only, so the clerk is told which file to save, not left with "not submitted".
_WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".numbers")


def _workbook_warning(name: str, known: set[str]) -> Finding:
    csv_name = name.rsplit(".", 1)[0].strip().lower() + ".csv"
    if csv_name in known:
        advice = f"the gate reads only {csv_name}: save the sheet as CSV UTF-8 under that name"
    else:
        advice = "the gate reads only the CSV files of the data contract: save each sheet as CSV UTF-8 under its file name"
    return Finding(
        name,
        None,
        "workbook",
        "the CSV files of the data contract",
        0,
        [],
        f"{name}: a spreadsheet workbook, which was not read; {advice} (in Excel: File > Save As > "
        "CSV UTF-8) and send that instead.",
    )


def _other_files(folder: Path) -> tuple[list[Finding], list[Finding]]:
    """Refusals and warnings for the folder's entries that are not contract files."""
    known = {spec.filename for spec in load_dictionary().files.values()}
    failures, warnings = [], []
    for path in list_folder(folder):
        if path.name.lower().endswith(_WORKBOOK_SUFFIXES):
            warnings.append(_workbook_warning(path.name, known))
            continue
        if path.name in known or not path.name.lower().endswith(_TABLE_SUFFIXES):
            continue
        kind = entry_kind(path)
        if kind == "symlink":
            failures.append(
                Finding(
                    path.name,
                    None,
                    "file_is_regular",
                    "files themselves, not links",
                    0,
                    [],
                    f"{path.name}: the entry is a link (symlink) to another file, which the gate never follows; "
                    "remove it from the folder.",
                )
            )
            continue
        if kind != "file":
            continue
        personal = _header_names_personal_data(path)
        if personal is None:
            warnings.append(
                Finding(
                    path.name,
                    None,
                    "unknown_file",
                    "only the files of the data contract",
                    0,
                    [],
                    f"{path.name}: not a file of the data contract, and it could not be read to "
                    "check it for personal data; remove it from the folder.",
                )
            )
        elif personal:
            failures.append(
                Finding(
                    path.name,
                    None,
                    "no_personal_data",
                    "no personal data in any file of the folder",
                    0,
                    [],
                    f"{path.name}: this file is not part of the data contract, and its first line names columns that "
                    "look like personal data (names, birth dates, addresses, phone numbers, e-mail addresses or Social "
                    "Security numbers). Remove the file from the folder; it was not read further.",
                )
            )
        else:
            warnings.append(
                Finding(
                    path.name,
                    None,
                    "unknown_file",
                    "only the files of the data contract",
                    0,
                    [],
                    f"{path.name}: not a file of the data contract; it was not read.",
                )
            )
    return failures, warnings


def _header_names_personal_data(path: Path) -> bool | None:
    """Whether the first line of a file outside the contract names personal data (``None``: unreadable).

    Read in whatever encoding it seems to be in, split on any usual delimiter: the point is
    to find a names list, not to judge the file. The names are never echoed, since a file
    without a header row would have a learner's values there.
    """
    try:
        head = read_regular_file(path, _HEADER_BYTES)
    except OSError:
        return None
    for bom, encoding in (
        (b"\xff\xfe\x00\x00", "utf-32"),
        (b"\x00\x00\xfe\xff", "utf-32"),
        (b"\xff\xfe", "utf-16"),
        (b"\xfe\xff", "utf-16"),
    ):
        if head.startswith(bom):
            text = head.decode(encoding, errors="replace")
            break
    else:
        text = head.decode("utf-8-sig", errors="replace")  # Latin-1 names still read as names
    text = text.replace("\x00", "")  # UTF-16 without a byte-order mark
    first = text.lstrip("\ufeff").split("\n", 1)[0]
    dictionary = load_dictionary()
    cells = (cell.strip().strip('"').strip() for cell in re.split(r"[,;\t|]", first))
    return any(cell and dictionary.is_personal_data_column(cell) for cell in cells)


def _cross_file(frames, refused_files, year, history_dir):
    referencing = {c.file for c in reference_checks()}
    if not referencing & set(frames):
        return None
    earlier = _earlier_keys(Path(history_dir), year) if history_dir is not None else None
    table, skipped = build_cross_file_table(frames, earlier)
    # A check against a refused file (or one missing the key column) would call every row an
    # orphan: that file's own refusal says enough.
    drop = {
        c.table_column
        for c in reference_checks()
        if c.target_file in refused_files
        or (c.target_file in frames and c.target_column not in frames[c.target_file].columns)
    }
    drop |= {c.table_column for c in skipped}
    result = _run_suite(suites.CROSS_FILE_SUITE, table.drop(columns=sorted(drop & set(table.columns))), year)
    return result, table, skipped
