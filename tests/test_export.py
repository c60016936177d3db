"""The indicator table: columns, CSV formula guard, round trip, JSON, and the CLI verb."""

from __future__ import annotations

import csv
import io
import json

import numpy as np
import pandas as pd
import pytest

from pathways.io.export import EXPORT_COLUMNS, conform, neutralize_formulas, read_export, write_export


def sample() -> pd.DataFrame:
    rows = [
        {
            "partnership_id": "denver",
            "school_year": 2024,
            "indicator_id": "cte_participation",
            "measure": "rate",
            "group_type": "all",
            "group_value": "all",
            "numerator": 81.0,
            "denominator": 263.0,
            "value": 81 / 263,
            "ci_low": 0.25,
            "ci_high": 0.36,
            "suppressed": False,
            "shown_as": "exact",
            "status": "ok",
            "note": '=HYPERLINK("http://x")',
            "baseline_year": 2019.0,
            "prior_year": 2023.0,
            "baseline_value": 0.2,
            "prior_value": 0.3,
            "change_from_baseline_pp": -5.2,
            "change_from_prior_pp": 0.8,
            "baseline_numerator": 50.0,
            "prior_numerator": 76.0,
            "numerator_change_from_baseline_pct": 62.0,
            "numerator_change_from_prior_pct": 6.578947368421052,
            "change_label": "down 5.2 points since 2019",
            "goal_measure": "rate",
            "goal_target": 0.4,
            "goal_target_year": 2025.0,
            "goal_current": 0.31,
            "goal_progress_share": 0.5,
            "goal_on_track": False,
        },
        {
            "partnership_id": "denver",
            "school_year": 2024,
            "indicator_id": "cte_participation",
            "measure": "rate",
            "group_type": "sex",
            "group_value": "-female",
            "suppressed": True,
            "shown_as": "suppressed",
            "suppression_reason": "fewer than 10 learners in the group",
            "status": "ok",
            "gap_pp": np.nan,
        },
        {
            "partnership_id": "denver",
            "school_year": 2024,
            "indicator_id": "cte_participation",
            "measure": "rate",
            "group_type": "sex",
            "group_value": "male",
            "numerator": 40.0,
            "denominator": 100.0,
            "value": 0.4,
            "suppressed": False,
            "shown_as": "exact",
            "status": "ok",
            "gap_pp": -12.5,
            "gap_moe_pp": 3.0,
            "is_gap": True,
            "gap_baseline_pp": -20.0,
            "gap_change_pp": 7.5,
            "gap_change_moe_pp": 4.2,
            "gap_trend": "narrowing",
            "note": "@SUM(A1)",
        },
        {
            "partnership_id": "denver",
            "school_year": 2024,
            "indicator_id": "on_time_graduation",
            "measure": "rate",
            "group_type": "sex",
            "group_value": "nonbinary",
            "denominator": 250.0,
            "suppressed": False,
            "shown_as": "at_least",
            "bound": 0.96,
            "suppression_reason": "fewer than 10 learners not counted in the rate",
            "status": "ok",
        },
        {
            "partnership_id": "denver",
            "school_year": 2024,
            "indicator_id": "credential_attainment",
            "measure": "credentials_earned",
            "group_type": "all",
            "group_value": "all",
            "value": 1500.0,
            "suppressed": False,
            "shown_as": "exact",
            "status": "ok",
            "baseline_value": 300.0,
            "change_from_baseline_pct": 400.0,
            "change_label": "5.0x since 2019",
        },
    ]
    return conform(pd.DataFrame(rows))


def test_columns_in_order_and_types():
    table = sample()
    assert list(table.columns) == EXPORT_COLUMNS
    # one unit per column: the mixed-unit columns are gone, every change names its unit
    assert "change_from_baseline" not in EXPORT_COLUMNS and "change_from_prior" not in EXPORT_COLUMNS
    for col in (
        "shown_as",
        "bound",
        "prior_year",
        "gap_baseline_pp",
        "gap_change_pp",
        "gap_change_moe_pp",
        "gap_trend",
        "baseline_numerator",
        "prior_numerator",
        "numerator_change_from_baseline_pct",
        "numerator_change_from_prior_pct",
        *(f"change_from_{a}_{u}" for a in ("baseline", "prior") for u in ("pp", "pct", "diff")),
    ):
        assert col in EXPORT_COLUMNS, col
    assert table["bound"].dtype == "float64" and table["prior_year"].dtype == "float64"
    assert table["shown_as"].dtype == object and table["gap_trend"].dtype == object
    assert table["school_year"].dtype == "int64"
    assert table["suppressed"].dtype == bool
    assert table["value"].dtype == "float64"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+1", "'+1"),
        ("-2", "'-2"),
        ("@A1", "'@A1"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("plain text", "plain text"),
        ("", ""),
    ],
)
def test_neutralize_formulas(text, expected):
    assert neutralize_formulas(text) == expected


def test_csv_guard_text_but_not_numbers():
    out = io.StringIO()
    write_export(sample(), out, "csv")
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert list(rows[0].keys()) == EXPORT_COLUMNS
    assert rows[0]["note"] == '\'=HYPERLINK("http://x")'
    assert rows[1]["group_value"] == "'-female"
    assert rows[2]["note"] == "'@SUM(A1)"
    assert rows[2]["gap_pp"] == "-12.5"  # numbers plain, never prefixed
    assert rows[0]["change_from_baseline_pp"] == "-5.2" and rows[0]["prior_year"] == "2023"
    assert rows[3]["shown_as"] == "at_least" and rows[3]["bound"] == "0.96" and rows[3]["numerator"] == ""
    assert rows[2]["gap_trend"] == "narrowing" and rows[4]["change_from_baseline_pct"] == "400"
    assert rows[0]["school_year"] == "2024" and rows[0]["baseline_year"] == "2019"
    assert rows[0]["numerator"] == "81"
    assert rows[1]["value"] == "" and rows[1]["suppressed"] == "true"


def test_round_trip(tmp_path):
    path = tmp_path / "export.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        write_export(sample(), fh, "csv")
    back = read_export(path)
    pd.testing.assert_frame_equal(back, sample())
    assert back["goal_on_track"].dtype == "boolean" and back["is_gap"].iloc[2]


def test_json_records_with_nulls():
    out = io.StringIO()
    write_export(sample(), out, "json")
    records = json.loads(out.getvalue())
    assert len(records) == 5 and list(records[0]) == EXPORT_COLUMNS
    assert (
        records[3]["bound"] == 0.96 and records[3]["shown_as"] == "at_least" and records[3]["value"] is None
    )
    assert records[1]["value"] is None and records[1]["suppressed"] is True
    assert records[0]["note"] == '=HYPERLINK("http://x")'  # JSON is data, not a spreadsheet
    assert records[0]["school_year"] == 2024 and records[2]["is_gap"] is True
    assert records[1]["is_gap"] is None


def test_unknown_format():
    with pytest.raises(ValueError):
        write_export(sample(), io.StringIO(), "xlsx")
