"""The validation gate: the good submission passes, each bad variant fails exactly one check.

The corpus lives in ``tests/bad_inputs/corpus.py``: a small valid two-year submission and
one variant per fault, built by editing it. Each refusal must name the file, column and
check id, and refusing must stop everything downstream (``require_history_pass`` raises).
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from bad_inputs import corpus
from pathways.errors import PathwaysError
from pathways.gate import (
    GateRefused,
    GateResult,
    gate_history,
    require_history_pass,
    validate_submission,
)


@pytest.fixture(scope="module")
def good(tmp_path_factory) -> Path:
    """``<data>/<PID>`` holding the valid submission of every year."""
    return corpus.write_good(tmp_path_factory.mktemp("good") / "data")


def _variant(good: Path, tmp_path: Path, edit) -> Path:
    return corpus.make_variant(good, tmp_path / "data" / corpus.PID, edit)


def test_good_submission_passes_every_year(good: Path) -> None:
    results = require_history_pass(good.parent, corpus.PID, 2024)
    assert sorted(results) == list(corpus.YEARS)
    for year, result in results.items():
        assert isinstance(result, GateResult)
        assert result.passed, result.render_text()
        assert result.failures == []
        assert result.files["learners.csv"] == 32
        assert result.year == year and result.partnership_id == corpus.PID
    assert results[2024].files["postsecondary.csv"] == 4


@pytest.mark.parametrize("name", sorted(corpus.BAD))
def test_bad_submission_is_refused_with_one_named_check(good: Path, tmp_path: Path, name: str) -> None:
    edit, file, column, check = corpus.BAD[name]
    root = _variant(good, tmp_path, edit)
    # Nothing downstream runs on refused data: the report's entry point raises.
    with pytest.raises(GateRefused) as refused:
        require_history_pass(root.parent, corpus.PID, 2024)
    assert isinstance(refused.value, PathwaysError)
    assert file in str(refused.value).splitlines()[0]
    assert [r.year for r in refused.value.results.values() if not r.passed] == [2024]
    result = refused.value.results[2024]
    assert not result.passed
    assert [(f.file, f.column, f.check) for f in result.failures] == [(file, column, check)], (
        result.render_text()
    )
    finding = result.failures[0]
    assert file in finding.message
    if finding.count:
        assert finding.rows and all(r >= 2 for r in finding.rows)  # spreadsheet rows: header is row 1
        assert f"row {finding.rows[0]}" in finding.message or f"rows {finding.rows[0]}" in finding.message


@pytest.mark.parametrize("name", sorted(corpus.GOOD))
def test_real_world_spellings_are_accepted(good: Path, tmp_path: Path, name: str) -> None:
    root = _variant(good, tmp_path, corpus.GOOD[name])
    result = validate_submission(root / "2024", 2024, partnership_id=corpus.PID, history_dir=root)
    assert result.passed, result.render_text()


@pytest.mark.parametrize("name", ["personal_data_first_name", "personal_data_dob", "personal_data_email"])
def test_personal_data_is_refused_without_reading_values(
    good: Path, tmp_path: Path, name: str, capsys
) -> None:
    from pathways.gate.command import run_validate

    edit, file, column, _ = corpus.BAD[name]
    root = _variant(good, tmp_path, edit)
    registry = corpus.write_registry(tmp_path / "registry.yml")
    out = tmp_path / "out"
    for as_json in (False, True):
        code = run_validate(
            corpus.PID, 2024, data_dir=root.parent, registry_path=registry, out_dir=out, as_json=as_json
        )
        assert code == 1
        printed = capsys.readouterr()
        assert corpus.SECRET not in printed.out + printed.err
        assert column in printed.out and file in printed.out
    for path in out.rglob("*"):
        if path.is_file():
            assert corpus.SECRET.encode() not in path.read_bytes(), path


def test_results_hold_no_learner_values(good: Path, tmp_path: Path) -> None:
    """Findings, result.json and the GX Data Docs carry row numbers, never the failing values."""

    def edit(folder: Path) -> None:
        corpus._set("learners", 3, sex="Zyx-Secret-Sex")(folder)
        corpus._set("cte_courses", 5, learner_id="L-SECRET-77")(folder)

    root = _variant(good, tmp_path, edit)
    docs = tmp_path / "docs"
    result = validate_submission(
        root / "2024", 2024, partnership_id=corpus.PID, history_dir=root, docs_dir=docs
    )
    assert {(f.file, f.check) for f in result.failures} == {
        ("learners.csv", "allowed_values"),
        ("cte_courses.csv", "reference_same_year"),
    }
    text = json.dumps(result.to_dict()) + result.render_text() + result.render_markdown()
    assert "Zyx-Secret-Sex" not in text and "L-SECRET-77" not in text
    assert (docs / "result.json").is_file()
    assert (docs / "data_docs" / "index.html").is_file()
    for path in docs.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json"):
            data = path.read_bytes()
            assert b"Zyx-Secret-Sex" not in data and b"L-SECRET-77" not in data, path
            assert b"L-0005" not in data, path  # no learner id at all


def test_to_dict_shape(good: Path, tmp_path: Path) -> None:
    root = _variant(good, tmp_path, corpus._set("learners", 2, grade_level="13"))
    data = validate_submission(root / "2024", 2024, history_dir=root).to_dict()
    json.dumps(data)
    assert data["passed"] is False and data["status"] == "refused"
    (finding,) = data["failures"]
    assert set(finding) == {"file", "column", "check", "expected", "count", "rows", "message"}
    assert finding["rows"] == [4] and finding["count"] == 1
    assert finding["message"] == (
        "learners.csv, column grade_level: 1 row has a value that is not a whole number "
        "from 6 to 12 (row 4). Expected: a whole number from 6 to 12."
    )
    assert GateResult.from_dict(data).to_dict() == data


def test_several_bad_rows_show_at_most_five_row_numbers(good: Path, tmp_path: Path) -> None:
    def fn(rows):
        for r in rows[:8]:
            r["grade_level"] = "5"
        return rows

    root = _variant(good, tmp_path, corpus._edit("learners", fn))
    (finding,) = validate_submission(root / "2024", 2024, history_dir=root).failures
    assert finding.count == 8
    assert finding.rows == [2, 3, 4, 5, 6]
    assert "8 rows" in finding.message and "(rows 2, 3, 4, 5, 6, ...)" in finding.message


def test_row_numbers_count_blank_lines_as_a_spreadsheet_shows_them(good: Path, tmp_path: Path) -> None:
    root = _variant(good, tmp_path, corpus._set("learners", 2, grade_level="13"))  # row 4 when no blank lines
    path = root / "2024" / "learners.csv"
    header, first, *rest = path.read_text(encoding="utf-8").splitlines(keepends=True)
    # A blank line and a line of spaces above the bad record: spreadsheet rows 3 and 4.
    path.write_text(header + first + "\n" + "   \n" + "".join(rest) + "\n\n", encoding="utf-8")
    (finding,) = validate_submission(root / "2024", 2024, history_dir=root).failures
    assert (finding.column, finding.rows) == ("grade_level", [6])
    assert "(row 6)" in finding.message


def test_cross_file_row_numbers_count_blank_lines(good: Path, tmp_path: Path) -> None:
    root = _variant(good, tmp_path, corpus._set("cte_courses", 1, learner_id="L-NOT-ENROLLED"))  # row 3
    path = root / "2024" / "cte_courses.csv"
    header, *rest = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text(header + "\r\n" + "".join(rest), encoding="utf-8")
    (finding,) = validate_submission(root / "2024", 2024, history_dir=root).failures
    assert (finding.file, finding.column, finding.rows) == ("cte_courses.csv", "learner_id", [4])


def test_unknown_extra_column_is_a_warning(good: Path, tmp_path: Path) -> None:
    root = _variant(good, tmp_path, corpus._add_column("learners", "homeroom", "B12"))
    result = validate_submission(root / "2024", 2024, history_dir=root)
    assert result.passed
    assert ("learners.csv", "homeroom", "unknown_column") in {
        (w.file, w.column, w.check) for w in result.warnings
    }


@pytest.mark.parametrize(
    "blank_every, says",
    [
        (1, 'the indicators that need it read "not submitted" for this year: CTE participation, '),
        (2, 'count a blank as "no"'),
    ],
)
def test_a_mostly_blank_completion_column_says_what_it_does_to_the_reports(
    good: Path, tmp_path: Path, blank_every: int, says: str
) -> None:
    """is_completed may be blank (unknown), so the file passes; the warning says what the blanks cost,
    from the catalogue: blank in every row, the indicators that count completions read "not submitted"."""
    blank = corpus._edit(
        "cte_courses",
        lambda rows: [
            {**r, "is_completed": "" if i % blank_every == 0 else r["is_completed"]}
            for i, r in enumerate(rows)
        ],
    )
    root = _variant(good, tmp_path, blank)
    result = validate_submission(root / "2024", 2024, history_dir=root)
    assert result.passed
    (warning,) = [w for w in result.warnings if w.check == "unknown_share"]
    assert (warning.file, warning.column) == ("cte_courses.csv", "is_completed")
    assert says in warning.message, warning.message


@pytest.mark.parametrize(
    "cells, says",
    [
        ({0: "12,345.50"}, "It is written as a spreadsheet displays a number"),
        ({0: "$12,345.50", 1: "12,345"}, "All of them are written as a spreadsheet displays a number"),
        ({0: "1,234,567", 1: "twelve"}, "1 of them is written as a spreadsheet displays a number"),
        ({0: "twelve"}, None),
        ({0: "12,5"}, None),  # a decimal comma is not a thousands separator: no hint that would mislead
    ],
)
def test_a_number_written_as_a_spreadsheet_displays_it_is_refused_with_how_to_write_it(
    good: Path, tmp_path: Path, cells: dict, says: str | None
) -> None:
    def edit(rows):
        for i, value in cells.items():
            rows[i]["wages_usd"] = value
        return rows

    root = _variant(good, tmp_path, corpus._edit("employment", edit))
    (finding,) = validate_submission(root / "2024", 2024, history_dir=root).failures
    assert (finding.file, finding.column, finding.check, finding.count) == (
        "employment.csv",
        "wages_usd",
        "type",
        len(cells),
    )
    if says is None:
        assert "spreadsheet displays" not in finding.message
    else:
        assert says in finding.message and "(1234.50, not 1,234.50 or $1,234.50)" in finding.message
        assert not any(value in finding.message for value in cells.values())  # never the learner's value


def test_rows_pasted_twice_into_a_file_without_a_key_are_a_warning_that_names_them(
    good: Path, tmp_path: Path
) -> None:
    """The wage file has no key (a learner has a row per quarter and employer), so a copy of a row is
    not refused; but a file pasted twice would add every wage again, so the copies are named (row
    numbers only). A row that differs in one cell is no copy; a file with a key refuses its copies."""

    def pasted_twice(rows):
        copies = [dict(r) for r in rows[:3]]
        near = {**rows[0], "wages_usd": "1.00"}  # the same learner, quarter and employer, other wages
        return rows + copies + [near]

    root = _variant(good, tmp_path, corpus._edit("employment", pasted_twice))
    result = validate_submission(root / "2024", 2024, history_dir=root)
    assert result.passed, result.render_text()
    (warning,) = [w for w in result.warnings if w.check == "repeated_row"]
    n = result.files["employment.csv"]
    assert (warning.file, warning.column, warning.count) == ("employment.csv", None, 3)
    assert warning.rows == [n - 2, n - 1, n]  # the copies, as a spreadsheet numbers them (header = row 1)
    assert "3 rows repeat an earlier row in every column" in warning.message
    assert "each copy is counted again" in warning.message
    first = next(csv.DictReader(io.StringIO((root / "2024" / "employment.csv").read_text(encoding="utf-8"))))
    assert first["learner_id"] not in warning.message and first["wages_usd"] not in warning.message
    untouched = validate_submission(good / "2024", 2024, history_dir=good)
    assert not [w for w in untouched.warnings if w.check == "repeated_row"]


def test_a_workbook_in_the_folder_is_a_warning_that_says_which_csv_to_save(
    good: Path, tmp_path: Path
) -> None:
    def workbooks(folder: Path) -> None:
        (folder / "Credentials.xlsx").write_bytes(b"PK\x03\x04 a workbook")
        (folder / "filled_templates.ods").write_bytes(b"PK\x03\x04 a workbook")

    root = _variant(good, tmp_path, workbooks)
    result = validate_submission(root / "2024", 2024, history_dir=root)
    assert result.passed
    said = {w.file: w.message for w in result.warnings if w.check == "workbook"}
    assert "the gate reads only credentials.csv: save the sheet as CSV UTF-8" in said["Credentials.xlsx"]
    assert "save each sheet as CSV UTF-8 under its file name" in said["filled_templates.ods"]


def test_a_school_year_missing_in_the_middle_is_a_warning(good: Path, tmp_path: Path) -> None:
    """2021 and 2023 submitted, 2022 not: 2024 passes, with a warning that what counts earlier years
    counts without 2022. With every year there, no such warning."""
    import shutil

    def older_year(folder: Path) -> None:
        older = folder.parent / "2021"
        shutil.copytree(folder.parent / "2023", older)
        for path in older.glob("*.csv"):
            path.write_text(path.read_text(encoding="utf-8").replace("2023", "2021"), encoding="utf-8")

    root = _variant(good, tmp_path, older_year)
    result = validate_submission(root / "2024", 2024, history_dir=root)
    assert result.passed, result.render_text()
    (warning,) = [w for w in result.warnings if w.check == "year_missing"]
    assert warning.message.startswith("no folder for 2022, between the first school year submitted (2021)")
    assert "CTE concentration" in warning.message
    assert not [
        w
        for w in validate_submission(good / "2024", 2024, history_dir=good).warnings
        if w.check == "year_missing"
    ]


def test_row_count_change_is_a_warning(good: Path, tmp_path: Path) -> None:
    root = _variant(good, tmp_path, corpus._edit("cte_courses", lambda rows: rows[:10]))
    result = validate_submission(root / "2024", 2024, history_dir=root)
    assert result.passed
    assert "row_count_change" in {w.check for w in result.warnings}


def test_a_file_left_out_this_year_is_a_warning_unless_it_is_required(good: Path, tmp_path: Path) -> None:
    """An optional file sent last year and not this year reads "not submitted" (a warning); a required
    one is refused as missing, with no warning beside the refusal that says otherwise."""
    root = _variant(good, tmp_path / "o", corpus._remove("employer_activity"))
    result = validate_submission(root / "2024", 2024, history_dir=root)
    assert result.passed
    assert [w.file for w in result.warnings if w.check == "file_not_submitted"] == ["employer_activity.csv"]
    root = _variant(good, tmp_path / "r", corpus._remove("learners"))
    result = validate_submission(root / "2024", 2024, history_dir=root)
    assert [f.check for f in result.failures if f.file == "learners.csv"] == ["required_file"]
    assert not [w for w in result.warnings if w.file == "learners.csv"]


def test_clerk_folder_without_history_skips_cross_year_checks(good: Path, tmp_path: Path) -> None:
    import shutil

    lone = tmp_path / "to-send"
    shutil.copytree(good / "2024", lone)
    result = validate_submission(lone, 2024)
    assert result.passed
    skipped = {(w.file, w.column) for w in result.warnings if w.check == "cross_year_skipped"}
    assert ("postsecondary.csv", "learner_id") in skipped and ("employment.csv", "learner_id") in skipped


def test_year_is_a_parameter_of_the_run(good: Path) -> None:
    """The same files checked as another year fail the year rule (the suite is not rebuilt per year)."""
    result = validate_submission(good / "2023", 2022)
    checks = {(f.file, f.column, f.check) for f in result.failures}
    assert ("learners.csv", "school_year", "school_year") in checks
    assert ("credentials.csv", "earned_date", "date_window") in checks


def test_gate_history_is_cached_by_content(good: Path, tmp_path: Path) -> None:
    import shutil
    import time

    data = tmp_path / "data"
    shutil.copytree(good, data / corpus.PID)
    gate_history(data, corpus.PID, 2024)
    start = time.perf_counter()
    again = gate_history(data, corpus.PID, 2024)
    assert time.perf_counter() - start < 0.5
    assert all(r.passed for r in again.values())
    corpus._set("learners", 2, grade_level="13")(data / corpus.PID / "2024")
    with pytest.raises(GateRefused):
        require_history_pass(data, corpus.PID, 2024)
    cache = tmp_path / "cache"
    first = gate_history(data, corpus.PID, 2023, cache_dir=cache)
    assert list(cache.glob("gate-*.json")) and first[2023].passed


def test_missing_year_is_an_error_not_a_refusal(good: Path) -> None:
    with pytest.raises(PathwaysError) as err:
        gate_history(good.parent, corpus.PID, 2030)
    assert not isinstance(err.value, GateRefused)


def test_demo_data_passes_the_gate(demo_data_small: Path, registry) -> None:
    """The synthetic demo partnerships are what a report is built from: they must pass every year."""
    pid = registry.ids[-1]
    years = sorted(int(p.name) for p in (demo_data_small / pid).iterdir() if p.is_dir())
    results = require_history_pass(demo_data_small, pid, years[-1])
    assert sorted(results) == years
    for result in results.values():
        assert "learners.csv" in result.files
        assert not [w for w in result.warnings if w.check in ("unknown_column", "unknown_file")]


@pytest.mark.parametrize("name", sorted(corpus.BAD))
def test_bad_submission_never_reaches_the_reports(good: Path, tmp_path: Path, name: str, monkeypatch) -> None:
    """The run's report job for a refused year stops at the gate: the summary carries the
    clerk's message (file named, no learner values) and no report or half-written folder exists."""
    from pathways.io.registry import load_registry
    from pathways.pipeline.run import execute_job, plan

    edit, file, _column, _check = corpus.BAD[name]
    root = _variant(good, tmp_path, edit)
    registry_path = corpus.write_registry(tmp_path / "partnerships.yml")
    out = tmp_path / "reports"
    monkeypatch.setenv("PATHWAYS_GATE_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("PATHWAYS_INDICATOR_CACHE", str(tmp_path / "cache"))
    # A job starts its kernel's template while it gates; each test's environment differs
    # (PYTEST_CURRENT_TEST), so each would start one of its own, for a job that never needs it.
    monkeypatch.setattr("pathways.pipeline.warm_kernels.start_template", lambda kernel_name: None)
    jobs = plan(
        root.parent, load_registry(registry_path), registry_path, out, partnerships=[corpus.PID], years=[2024]
    )
    report = next(j for j in jobs if j.scope == "partnership-year")
    result = execute_job(report)
    assert result.status == "refused"
    assert file in result.reason
    assert corpus.SECRET not in result.reason
    assert not report.output_dir.exists()
    assert not list(report.output_dir.parent.glob("*.staging-*"))
    assert not list(out.rglob("*.ipynb")) and not list(out.rglob("*.html"))
