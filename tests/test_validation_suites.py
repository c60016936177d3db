"""The committed GX suites are what the data dictionary generates."""

from __future__ import annotations

import json

from pathways.gate.crossfile import once_checks, reference_checks
from pathways.gate.suites import (
    DEFAULT_SUITES_DIR,
    REGENERATE_HINT,
    drifted_suites,
    load_suite,
    regenerate_suites,
    suite_filename,
    write_suites,
)
from pathways.io.dictionary import load_dictionary


def test_committed_suites_match_the_dictionary() -> None:
    drift = drifted_suites(DEFAULT_SUITES_DIR)
    assert not drift, f"validations/ is out of date ({', '.join(drift)}): {REGENERATE_HINT}"


def test_one_suite_per_contract_file_plus_cross_file() -> None:
    names = {suite_filename(n) for n in load_dictionary().files} | {suite_filename("cross_file")}
    assert {p.name for p in DEFAULT_SUITES_DIR.glob("pathways.*.json")} == names


def test_suites_are_gx_json(tmp_path) -> None:
    import great_expectations as gx

    write_suites(tmp_path)
    data = json.loads((tmp_path / "pathways.learners.json").read_text())
    suite = gx.ExpectationSuite(**data)
    types = {e.expectation_type for e in suite.expectations}
    assert {
        "expect_table_columns_to_match_set",
        "expect_column_values_to_match_regex",
        "expect_column_values_to_be_in_set",
        "expect_column_values_to_be_between",
        "expect_column_values_to_be_unique",
    } <= types
    year = [e for e in data["expectations"] if e["meta"]["check"] == "school_year"]
    assert year[0]["kwargs"]["min_value"] == {"$PARAMETER": "school_year"}
    checks = {
        e["meta"]["check"]
        for e in json.loads((tmp_path / "pathways.employment.json").read_text())["expectations"]
    }
    assert "plausible_wages" in checks
    assert len(load_suite("cross_file").expectations) == len(reference_checks()) + len(once_checks()) == 11


def test_type_regexes_agree_with_the_reader() -> None:
    """The gate's type checks accept exactly what ``pathways.io.submission.coerce`` converts."""
    import re

    import pandas as pd

    from pathways.gate.suites import BOOL_REGEX, DATE_REGEX, FLOAT_REGEX, INT_REGEX
    from pathways.io.submission import invalid_mask

    samples = [
        "2024",
        "2024.0",
        "2024.5",
        "+3",
        "-1",
        "1e3",
        ".5",
        "5.",
        "abc",
        "TRUE",
        "yes",
        "Y",
        "n",
        "0",
        "nope",
        "2024-02-29",
        "2023-02-29",
        "2024-13-01",
        "2024-4-01",
        "24-04-01",
        "2024-06-30",
    ]
    for kind, regex in (
        ("int", INT_REGEX),
        ("float", FLOAT_REGEX),
        ("bool", BOOL_REGEX),
        ("date", DATE_REGEX),
    ):
        series = pd.Series(samples, dtype="str")
        reader_bad = invalid_mask(series, kind).tolist()
        gate_bad = [not re.search(regex, s) for s in samples]
        assert gate_bad == reader_bad, kind


def test_drift_is_detected_and_regenerated(tmp_path) -> None:
    write_suites(tmp_path)
    assert drifted_suites(tmp_path) == []
    path = tmp_path / "pathways.learners.json"
    path.write_text(path.read_text().replace("grade_level", "grade"))
    (tmp_path / "pathways.stale.json").write_text("{}")
    assert drifted_suites(tmp_path) == ["pathways.learners.json", "pathways.stale.json"]
    assert "rewrote" in regenerate_suites(tmp_path)
    assert drifted_suites(tmp_path) == []
