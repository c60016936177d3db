"""Hostile and careless inputs (issue 17): what the gate, the reader and the registry refuse,
and the words the user reads. Each class of fault is a test of its own, asserting the message.

The bad-input corpus (``bad_inputs/corpus.py``) checks that each fault is exactly one named
check and never reaches a report; here the messages themselves are asserted, and nothing a
partner sent (``corpus.SECRET``) may appear in them or in ``result.json``.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pytest
import yaml

from bad_inputs import corpus
from pathways.gate import GateRefused, gate_history, validate_submission
from pathways.gate import history as gate_module
from pathways.gate import validate as validate_module
from pathways.io import submission as submission_module
from pathways.io.dictionary import DataDictionary, load_dictionary
from pathways.io.paths import UnsafeInputError, check_year
from pathways.io.registry import RegistryError, load_registry
from pathways.io.submission import DataError, FileRefused, coerce, read_raw, submitted_years


@pytest.fixture(scope="module")
def good(tmp_path_factory) -> Path:
    return corpus.write_good(tmp_path_factory.mktemp("hostile") / "data")


def _refused(good: Path, tmp_path: Path, edit, docs: Path | None = None):
    root = corpus.make_variant(good, tmp_path / "data" / corpus.PID, edit)
    result = validate_submission(
        root / "2024", 2024, partnership_id=corpus.PID, history_dir=root, docs_dir=docs
    )
    assert not result.passed
    return result


def _messages(result) -> str:
    return "\n".join(f.message for f in result.failures)


def _only(result) -> str:
    (finding,) = result.failures
    return finding.message


def _number_columns():
    return [
        (name, col.name)
        for name, spec in load_dictionary().files.items()
        for col in spec.columns
        if col.type in ("int", "float")
    ]


# --------------------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    "spelling", ["1e309", "-1e309", "1" + "0" * 200, "inf", "-Infinity", "nan", "NaN", "99999999999999999999"]
)
def test_non_finite_and_absurd_numbers_are_refused_in_every_number_column(good, tmp_path, spelling):
    """One value in every number column of every file; each column is named, the value never."""

    def edit(folder: Path) -> None:
        for name in corpus.good_rows(2024):
            columns = [c for n, c in _number_columns() if n == name]
            if columns:
                corpus._set(name, 0, **dict.fromkeys(columns, spelling))(folder)

    result = _refused(good, tmp_path, edit)
    refused = {(f.file, f.column) for f in result.failures if 2 in f.rows}
    present = {(f"{n}.csv", c) for n, c in _number_columns() if n in corpus.good_rows(2024)}
    assert present <= refused, sorted(present - refused)
    text = result.render_text() + json.dumps(result.to_dict())
    assert spelling not in text and "inf" not in text.replace("information", "")
    wages = next(f for f in result.failures if f.column == "wages_usd")
    if spelling in ("1e309", "1" + "0" * 200, "99999999999999999999"):
        assert wages.message == (
            "employment.csv, column wages_usd: 1 row has implausibly high wages (row 2). "
            "Expected: quarterly wages of at most 1,000,000 US dollars."
        )
    hours = next(f for f in result.failures if f.column == "hours")
    assert hours.message.startswith(
        "work_based_learning.csv, column hours: 1 row has a value that is not a "
        "number from 0 to 4000 (row 2)."
    )


def test_every_number_column_is_bounded_in_the_dictionary():
    """The dictionary is the one source of the limits; a number column without both bounds is refused."""
    for name, spec in load_dictionary().files.items():
        for col in spec.columns:
            if col.type in ("int", "float") and not col.is_year_column:
                assert col.min is not None and (col.max is not None or col.plausible_max is not None), (
                    name,
                    col.name,
                )
    raw = load_dictionary().model_dump()
    raw["files"]["cte_courses"]["columns"][4]["max"] = None  # credits
    with pytest.raises(ValueError, match="cte_courses.credits: a number column needs min and max"):
        DataDictionary.model_validate(raw)


def test_the_reader_refuses_what_it_cannot_hold_as_a_finite_number(tmp_path):
    spec = load_dictionary().file("employment")
    rows = corpus.good_rows(2024)["employment"]
    rows[1]["wages_usd"] = "1e309"
    path = tmp_path / "employment.csv"
    path.write_text(corpus.to_csv(rows), encoding="utf-8")
    with pytest.raises(
        DataError, match="employment.csv: column wages_usd has a number too large to be finite"
    ):
        coerce(read_raw(path, spec))


def test_the_reader_names_the_first_column_in_contract_order_that_does_not_convert(tmp_path, monkeypatch):
    # A large file's columns are typed side by side; the message must still name the first bad one.
    monkeypatch.setattr(submission_module, "ROWS_FOR_THREADS", 0)  # side by side for this small file too
    spec = load_dictionary().file("learners")
    rows = corpus.good_rows(2024)["learners"]
    rows[1]["grade_level"] = "ninth"
    rows[2]["has_icap"] = "maybe"  # the last column, and the quicker one to check
    path = tmp_path / "learners.csv"
    path.write_text(corpus.to_csv(rows), encoding="utf-8")
    for _ in range(20):
        with pytest.raises(DataError, match="^learners.csv: column grade_level has values that are not int$"):
            coerce(read_raw(path, spec))


def test_the_templates_readme_states_the_limits(repo):
    text = (repo / "data_templates" / "README.md").read_text(encoding="utf-8")
    assert f"A cell holds at most {load_dictionary().limits.max_cell_characters} characters." in text
    assert "| `hours` | number | yes | from 0 to 4000 |" in text
    assert "at most 1,000,000 (a larger value is refused as implausible)" in text
    assert "with `;` or tabs between values is refused" in text


# --------------------------------------------------------------------------- the registry


def _registry(tmp_path: Path, **changes) -> Path:
    raw = yaml.safe_load(corpus.REGISTRY_YAML)
    for key, value in changes.items():
        if key == "min_cell_size":
            raw[key] = value
        else:
            raw["partnerships"][0][key] = value
    path = tmp_path / "partnerships.yml"
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    return path


@pytest.mark.parametrize("size", [4, 1, 0, -3])
def test_min_cell_size_below_five_is_refused(tmp_path, size):
    with pytest.raises(RegistryError) as err:
        load_registry(_registry(tmp_path, min_cell_size=size))
    assert "min_cell_size: Value error, must be at least 5: smaller groups could identify learners" in str(
        err.value
    )
    assert load_registry(_registry(tmp_path, min_cell_size=5)).min_cell_size == 5


@pytest.mark.parametrize("field", ["living_wage_usd", "tuition_per_credit_usd"])
@pytest.mark.parametrize(
    "value, words",
    [
        (math.inf, "Input should be a finite number"),
        (-math.inf, "Input should be a finite number"),
        (math.nan, "Input should be a finite number"),
        ("1e309", "Input should be a finite number"),
        (0, "Input should be greater than 0"),
        (-100, "Input should be greater than 0"),
        (1e12, "Input should be less than or equal to"),
    ],
)
def test_money_in_the_registry_is_positive_and_finite(tmp_path, field, value, words):
    with pytest.raises(RegistryError) as err:
        load_registry(_registry(tmp_path, **{field: value}))
    assert f"partnerships[{corpus.PID}].{field}: {words}" in str(err.value)


def test_registry_text_is_one_line_and_years_are_ascii(tmp_path):
    with pytest.raises(
        RegistryError, match=r"partnerships\[test-partnership\]\.name: Value error, must be one line"
    ):
        load_registry(_registry(tmp_path, name="Test\nPartnership"))
    with pytest.raises(RegistryError, match=r"baseline_year: Input should be a valid integer"):
        load_registry(_registry(tmp_path, baseline_year="２０２３"))


def test_registry_path_that_is_a_folder_or_unreadable_is_a_message(tmp_path):
    with pytest.raises(RegistryError) as err:
        load_registry(tmp_path)
    assert str(err.value) == (
        f"{tmp_path}: the registry could not be read (it is a folder, not a file); give the "
        "path of the partnerships.yml file with --registry, readable by this account"
    )
    binary = tmp_path / "binary.yml"
    binary.write_bytes(b"\xff\xfe\x00p\x00a")
    with pytest.raises(RegistryError, match="not a readable YAML file \\(it is not UTF-8 text\\)"):
        load_registry(binary)


# --------------------------------------------------------------------------- what is in the folder


def test_a_symlinked_file_is_refused_and_never_followed(good, tmp_path):
    docs = tmp_path / "docs"
    result = _refused(good, tmp_path, corpus._symlink("learners"), docs)
    assert _messages(result).startswith(
        "learners.csv: the entry is a link (symlink) to another file, which the gate never follows; put the file "
        "itself in the folder."
    )
    assert corpus.SECRET not in result.render_text()
    assert corpus.SECRET.encode() not in (docs / "result.json").read_bytes()


def test_a_folder_or_a_pipe_named_like_a_contract_file_is_refused(good, tmp_path):
    result = _refused(good, tmp_path, corpus._directory("stakeholder_survey"))
    assert _only(result) == (
        "stakeholder_survey.csv: the entry is a folder, not a file; put the CSV file itself in its place."
    )
    pipe = _refused(
        good, tmp_path / "fifo", corpus._fifo("credentials")
    )  # would hang a reader that opened it
    assert _only(pipe) == (
        "credentials.csv: the entry is not an ordinary file (a pipe, device or socket); put the "
        "CSV file itself in its place."
    )


def test_an_extra_file_with_personal_data_columns_refuses_the_submission(good, tmp_path):
    edit = corpus._extra_file(
        "Roster Export.CSV", "Student First Name;Last Name;Date of Birth\nAna;Secretname;2008\n"
    )
    result = _refused(good, tmp_path, edit)
    assert _only(result) == (
        "Roster Export.CSV: this file is not part of the data contract, and its first line names columns that look "
        "like personal data (names, birth dates, addresses, phone numbers, e-mail addresses or Social Security "
        "numbers). Remove the file from the folder; it was not read further."
    )
    assert "Secretname" not in result.render_text() and "Student First Name" not in result.render_text()


def test_an_extra_utf16_file_with_personal_data_is_found_too(good, tmp_path):
    def edit(folder: Path) -> None:
        (folder / "export.txt").write_bytes("SSN\tname\n123\tAna\n".encode("utf-16"))

    assert _refused(good, tmp_path, edit).failures[0].check == "no_personal_data"


def test_an_extra_file_without_personal_data_is_a_warning(good, tmp_path):
    root = corpus.make_variant(
        good, tmp_path / "data" / corpus.PID, corpus._extra_file("notes.csv", "topic,comment\nx,y\n")
    )
    result = validate_submission(root / "2024", 2024, history_dir=root)
    assert result.passed
    assert "notes.csv: not a file of the data contract; it was not read." in [
        w.message for w in result.warnings
    ]


# --------------------------------------------------------------------------- headers


def test_case_duplicate_column_names_are_refused_not_a_crash(good, tmp_path):
    result = _refused(good, tmp_path, corpus._add_column("learners", " Learner_ID ", "L-0001"))
    assert _only(result) == (
        "learners.csv: the header repeats column(s): learner_id (as learner_id and Learner_ID); "
        "keep one column of each name."
    )
    exact = _refused(good, tmp_path / "exact", corpus._duplicate_header)
    assert (
        _only(exact)
        == "pathways.csv: the header repeats column(s): pathway_name; keep one column of each name."
    )


def test_a_missing_header_row_is_refused_without_echoing_the_first_record(good, tmp_path):
    docs = tmp_path / "docs"
    result = _refused(good, tmp_path, corpus._no_header, docs)
    assert _only(result) == (
        "learners.csv: the first line is not the header row: it names none of the columns of "
        "learners.csv; make the template's header row (the column names) the first line."
    )
    assert not result.warnings or all("learners.csv" not in w.message for w in result.warnings)
    for text in (result.render_text(), (docs / "result.json").read_text(encoding="utf-8")):
        assert corpus.SECRET not in text and "SCH-0" not in text


@pytest.mark.parametrize("delimiter, words", [(";", "';'"), ("\t", "tabs"), ("|", "'|'")])
def test_another_delimiter_is_refused_with_a_hint(good, tmp_path, delimiter, words):
    result = _refused(good, tmp_path, corpus._delimited("learners", delimiter))
    assert (
        _only(result)
        == f"learners.csv: the file seems to use {words} between values; save it as CSV UTF-8 with commas."
    )


def test_empty_columns_excel_adds_past_the_table_are_dropped_but_unnamed_values_are_refused(good, tmp_path):
    root = corpus.make_variant(good, tmp_path / "ok" / corpus.PID, corpus._trailing_empty_columns)
    assert validate_submission(root / "2024", 2024, history_dir=root).passed

    def unnamed(folder: Path) -> None:
        lines = corpus._text("pathways", 2024).splitlines()
        (folder / "pathways.csv").write_text(
            "\n".join([lines[0] + ","] + [x + ",value" for x in lines[1:]]) + "\n"
        )

    assert _only(_refused(good, tmp_path, unnamed)) == (
        "pathways.csv: the header row leaves column 6 without a name, but rows hold values in it; give every column "
        "its name from the template."
    )


# --------------------------------------------------------------------------- bytes and cells


@pytest.mark.parametrize("bom", [True, False])
def test_utf16_is_refused_as_such(good, tmp_path, bom):
    result = _refused(good, tmp_path, corpus._utf16(bom=bom))
    assert _only(result) == (
        'learners.csv: the file is saved as UTF-16 text (Excel\'s "Unicode Text"), not UTF-8; '
        "save it as 'CSV UTF-8' from Excel."
    )


def test_a_nul_byte_anywhere_is_refused_with_its_line(good, tmp_path):
    result = _refused(good, tmp_path, corpus._late_nul)
    assert _only(result) == (
        "learners.csv: the file is not a CSV text file: line 70,033 holds a NUL byte (binary "
        "content); save it again as 'CSV UTF-8'."
    )


def test_over_long_cells_are_refused_with_the_limit(good, tmp_path):
    result = _refused(good, tmp_path, corpus._long_quoted_cell(300))
    assert _only(result) == (
        "pathways.csv: column pathway_name: 1 row(s) have a cell longer than 255 characters "
        "(row 3); shorten them (a quote character that is never closed also makes one long cell)."
    )
    past_csv_limit = _refused(good, tmp_path / "csv", corpus._long_quoted_cell(200_000, line_of_spaces=True))
    assert _only(past_csv_limit) == (
        "pathways.csv: a cell that starts on line 3 is longer than 255 characters; shorten it (a quote character that "
        "is never closed also makes one long cell)."
    )
    unclosed = _refused(good, tmp_path / "quote", corpus._unclosed_quote)
    assert "cte_courses.csv: a cell that starts on line 4 is longer than 255 characters" in _only(unclosed)


def test_the_reader_refuses_the_same_files(tmp_path):
    """The engine's reader (no gate in front of it) refuses links, folders and long cells alike."""
    spec = load_dictionary().file("pathways")
    target = tmp_path / "secret.txt"
    target.write_text("a,b\n", encoding="utf-8")
    (tmp_path / "pathways.csv").symlink_to(target)
    with pytest.raises(FileRefused, match="is a link"):
        read_raw(tmp_path / "pathways.csv", spec)
    (tmp_path / "dir.csv").mkdir()
    with pytest.raises(FileRefused, match="is a folder"):
        read_raw(tmp_path / "dir.csv", spec)


# --------------------------------------------------------------------------- across years


def test_a_learner_graduating_in_two_cohorts_is_refused(good, tmp_path):
    result = _refused(good, tmp_path, corpus._set("hs_outcomes", 4, learner_id="L-0003"))
    assert _only(result) == (
        "hs_outcomes.csv, column learner_id: 1 row has a learner who already graduated with a diploma in an earlier "
        "cohort (row 6). Expected: a learner_id that no earlier year's hs_outcomes.csv holds with exit_type "
        "graduated_regular_diploma or graduated_advanced_diploma (a learner graduates in one cohort only)."
    )
    assert "L-0003" not in result.render_text()


def test_a_learner_who_left_without_a_diploma_may_graduate_later(good, tmp_path):
    def edit(folder: Path) -> None:
        earlier = folder.parent / "2023"
        corpus._set("hs_outcomes", 2, exit_type="still_enrolled")(earlier)
        corpus._set("hs_outcomes", 4, learner_id="L-0003")(folder)

    root = corpus.make_variant(good, tmp_path / "data" / corpus.PID, edit)
    assert validate_submission(root / "2024", 2024, history_dir=root).passed


# --------------------------------------------------------------------------- years


@pytest.mark.parametrize("year", ["２０２４", "٢٠٢٤", "२०२४", "2024\n", " 2O24", True])
def test_years_are_ascii_digits_only(year):
    if isinstance(year, str) and year.strip() == "2024":
        assert check_year(year) == 2024
        return
    with pytest.raises(UnsafeInputError, match="is not valid: use a four-digit school year such as 2024"):
        check_year(year)


def test_a_folder_named_with_other_digits_is_not_a_year(good, tmp_path):
    root = corpus.make_variant(good, tmp_path / "data" / corpus.PID, lambda folder: None)
    (root / "2024").rename(root / "２０２４")
    assert submitted_years(root.parent, corpus.PID) == [2023]


# --------------------------------------------------------------------------- the gate cache


def _cached(tmp_path: Path, good: Path, edit) -> tuple[Path, Path]:
    data = tmp_path / "data"
    corpus.make_variant(good, data / corpus.PID, edit)
    cache = tmp_path / "cache"
    gate_history(data, corpus.PID, 2024, cache_dir=cache)
    return data, cache


@pytest.mark.parametrize(
    "damage", ["truncated", "not json", "wrong shape", "verdict edited", "other entry", "a folder", "a link"]
)
def test_a_damaged_or_altered_gate_cache_entry_is_rebuilt(good, tmp_path, damage, monkeypatch):
    data, cache = _cached(tmp_path, good, corpus._set("learners", 2, grade_level="13"))
    entries = {json.loads(p.read_text())["result"]["year"]: p for p in cache.glob("gate-*.json")}
    entry = entries[2024]
    text = entry.read_text(encoding="utf-8")
    if damage == "truncated":
        entry.write_text(text[: len(text) // 2])
    elif damage == "not json":
        entry.write_bytes(b"\x80\x04\x95 pickle")
    elif damage == "wrong shape":
        entry.write_text(
            json.dumps({"format": gate_module.CACHE_FORMAT, "key": json.loads(text)["key"], "result": [1, 2]})
        )
    elif damage == "verdict edited":  # refused data made to pass, digest left as it was
        stored = json.loads(text)
        stored["result"].update(passed=True, status="passed", failures=[])
        entry.write_text(json.dumps(stored))
    elif damage == "other entry":  # a passing year's entry copied over the refused one
        entry.write_text(entries[2023].read_text())
    elif damage == "a folder":
        entry.unlink()
        entry.mkdir()
    elif damage == "a link":
        entry.unlink()
        entry.symlink_to(entries[2023])
    monkeypatch.setattr(gate_module, "_MEMORY", {})
    with pytest.raises(GateRefused) as refused:
        from pathways.gate import require_history_pass

        require_history_pass(data, corpus.PID, 2024, cache_dir=cache)
    assert "learners.csv, column grade_level" in str(refused.value)
    if damage != "a folder":  # replaced by a good entry (a folder in the way is left; the gate ran anyway)
        assert not entry.is_symlink()
        assert (
            gate_module._load_entry(entry, json.loads(entry.read_text())["key"], corpus.PID, 2024)["passed"]
            is False
        )


def test_the_gate_cache_is_json_with_a_content_hash(good, tmp_path):
    _data, cache = _cached(tmp_path, good, lambda folder: None)
    for path in cache.glob("gate-*.json"):
        entry = json.loads(path.read_text(encoding="utf-8"))
        assert set(entry) == {"format", "key", "digest", "result"}
        assert entry["digest"] == gate_module._entry_digest(entry["key"], entry["result"])


def test_an_unwritable_gate_cache_only_costs_time(good, tmp_path):
    data = tmp_path / "data"
    corpus.make_variant(good, data / corpus.PID, lambda folder: None)
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache folder should be")
    results = gate_history(data, corpus.PID, 2024, cache_dir=blocker / "gate")
    assert all(r.passed for r in results.values())


# --------------------------------------------------------------------------- outputs


def test_results_that_cannot_be_written_are_a_message(good, tmp_path, monkeypatch, capsys):
    import errno

    from pathways.gate.command import run_validate

    data = tmp_path / "data"
    corpus.make_variant(good, data / corpus.PID, lambda folder: None)
    registry = corpus.write_registry(tmp_path / "registry.yml")

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(tmp_path / "out"))

    monkeypatch.setattr(validate_module, "write_outputs", full)
    code = run_validate(
        corpus.PID, "2024", data_dir=data, registry_path=registry, out_dir=tmp_path / "out", as_json=False
    )
    printed = capsys.readouterr()
    assert code == 2
    assert "passed the validation gate" in printed.out  # the clerk still reads the result
    assert printed.err == (
        f"error: the validation ran, but its results could not be written to "
        f"{tmp_path / 'out' / 'validation' / corpus.PID / '2024'} (the disk is full): make that "
        "folder writable and free some space, or give another --out\n"
    )


def test_typed_reads_keep_their_cells(tmp_path):
    """The refusals above did not change what a valid file reads as."""
    spec = load_dictionary().file("learners")
    path = tmp_path / "learners.csv"
    path.write_text(corpus.to_csv(corpus.good_rows(2024)["learners"]), encoding="utf-8")
    table = coerce(read_raw(path, spec))
    assert len(table) == 32 and table["grade_level"].dtype == pd.Int64Dtype()


@pytest.mark.parametrize(
    "version", ["２０２５.1", "٢٠٢٥.1", "2025.１", "2025.1\n", "2025.1/../x", "../2025.1", ""]
)
def test_a_version_is_ascii_digits_only(version):
    from pathways.book.publish import check_version
    from pathways.errors import PathwaysError

    with pytest.raises(PathwaysError) as caught:
        check_version(version)
    assert "is not a calendar version such as 2025.1" in str(caught.value)
