"""Trend and goal arithmetic, labels, and compute_series/compute_export/CLI over several years."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest

from pathways.indicators.goals import on_track
from pathways.indicators.trends import change, change_label


@pytest.mark.parametrize(("value", "ref", "measure", "expected"), [
    (0.352, 0.300, "rate", 0.052), (152, 100, "count", 0.52), (500, 100, "count", 4.0), (88, 100, "usd", -0.12),
    (5, 0, "count", math.nan), (3.2, 3.0, "mean", 0.2),
])
def test_change(value, ref, measure, expected):
    got = change(value, ref, measure)
    if math.isnan(expected):
        assert math.isnan(got)
    else:
        assert got == pytest.approx(expected)


@pytest.mark.parametrize(("c", "measure", "label"), [
    (0.052, "rate", "up 5.2 points since 2019"),
    (-0.01, "rate", "down 1.0 points since 2019"),
    (0.0001, "rate", "no change since 2019"),
    (0.52, "count", "52% increase since 2019"),
    (4.0, "count", "5.0x since 2019"),
    (1.0, "count", "2.0x since 2019"),
    (-0.12, "count", "12% decrease since 2019"),
    (0.0, "usd", "no change since 2019"),
    (0.2, "mean", "up 0.20 points since 2019"),
])
def test_change_label(c, measure, label):
    assert change_label(c, measure, 2019) == label


def test_change_label_missing():
    assert change_label(math.nan, "rate", 2019) is None


def test_on_track_line():
    # baseline 0.20 in 2019, target 0.30 in 2024: the line is at 0.26 in 2022
    assert on_track(0.26, 0.20, 0.30, 2019, 2024, 2022)
    assert not on_track(0.25, 0.20, 0.30, 2019, 2024, 2022)
    assert on_track(0.31, 0.20, 0.30, 2019, 2024, 2026)  # after the target year the line stays at the target
    assert on_track(0.15, 0.20, 0.10, 2019, 2024, 2020)  # a goal to lower a figure
    assert on_track(math.nan, 0.2, 0.3, 2019, 2024, 2022) is None


@pytest.fixture(scope="module")
def multi_year(tmp_path_factory):
    from pathways.indicators.synthetic import make_frames, write_submission
    from pathways.registry import Registry

    data = tmp_path_factory.mktemp("multi")
    frames = make_frames(1500, years=range(2019, 2023), seed=5, growth=0.2)
    write_submission(frames, data, "syn")
    registry = Registry.model_validate({"min_cell_size": 10, "partnerships": [{
        "id": "syn", "name": "Syn", "region": "r", "convener": "c", "partners": [{"name": "X", "sector": "k12"}],
        "baseline_year": 2019, "living_wage_usd": 40000, "tuition_per_credit_usd": 200,
        "goals": [
            {"indicator": "cte_participation", "measure": "change_from_baseline_pct", "target": 50, "target_year": 2024},
            {"indicator": "wbl_participation", "measure": "rate", "target": 0.3, "target_year": 2025},
            {"indicator": "credential_attainment", "measure": "count", "target": 900, "target_year": 2025},
        ]}]})
    return data, registry


def test_series_and_export(multi_year):
    from pathways.indicators import compute_export, compute_series

    data, registry = multi_year
    series = compute_series(data, registry, "syn", 2022)
    assert sorted(series.school_year.unique()) == [2019, 2020, 2021, 2022]
    export = compute_export(data, registry, "syn", 2022, series=series)
    assert set(export.school_year) == {2022}
    again = compute_export(data, registry, "syn", 2022)
    pd.testing.assert_frame_equal(export, again)
    part = export[(export.indicator_id == "cte_participation") & (export.group_type == "all")].iloc[0]
    base = series[(series.indicator_id == "cte_participation") & (series.group_type == "all")
                  & (series.school_year == 2019)].iloc[0]
    prior = series[(series.indicator_id == "cte_participation") & (series.group_type == "all")
                   & (series.school_year == 2021)].iloc[0]
    assert part.baseline_year == 2019 and part.baseline_value == pytest.approx(base.value)
    assert part.prior_value == pytest.approx(prior.value)
    assert part.change_from_baseline == pytest.approx(part.value - base.value)
    assert part.change_label.endswith("since 2019")
    # the change goal: percent change of the rate since the baseline, against a straight line to +50% in 2024
    pct = (part.value / base.value - 1) * 100
    assert part.goal_measure == "change_from_baseline_pct" and part.goal_current == pytest.approx(pct)
    assert part.goal_progress_share == pytest.approx(pct / 50)
    assert bool(part.goal_on_track) == (pct >= 50 * 3 / 5 - 1e-9)
    # the count goal sits on the credentials_earned row
    cred = export[(export.indicator_id == "credential_attainment") & (export.measure == "credentials_earned")].iloc[0]
    base_cred = series[(series.indicator_id == "credential_attainment") & (series.measure == "credentials_earned")
                       & (series.school_year == 2019)].iloc[0].value
    assert cred.goal_current == cred.value
    assert cred.goal_progress_share == pytest.approx((cred.value - base_cred) / (900 - base_cred))
    assert cred.change_from_baseline == pytest.approx(cred.value / base_cred - 1)
    # trend columns only on all rows
    assert export[export.group_type != "all"].change_label.isna().all()


def test_cli_indicators(multi_year, demo_data_small, repo, tmp_path):
    from typer.testing import CliRunner

    from pathways.cli import app

    runner = CliRunner()
    demo = ["--data", str(demo_data_small), "--registry", str(repo / "partnerships.yml")]
    result = runner.invoke(app, ["indicators", "san-luis-valley", "2024", *demo, "--format", "json"])
    assert result.exit_code == 0, result.output
    records = json.loads(result.stdout)
    assert records and records[0]["partnership_id"] == "san-luis-valley"
    result = runner.invoke(app, ["indicators", "san-luis-valley", "2024", *demo])
    assert result.exit_code == 0 and result.stdout.startswith("partnership_id,school_year,indicator_id")
    missing = runner.invoke(app, ["indicators", "san-luis-valley", "2030", *demo])
    assert missing.exit_code == 2
    # The synthetic submission breaks the contract (former learners no earlier learners.csv holds):
    # the verb gates first and computes nothing from it (issue 17: every verb gates).
    data, registry = multi_year
    reg_path = tmp_path / "reg.yml"
    import yaml

    reg_path.write_text(yaml.safe_dump(registry.model_dump(mode="json")), encoding="utf-8")
    refused = runner.invoke(app, ["indicators", "syn", "2022", "--data", str(data), "--registry", str(reg_path)])
    assert refused.exit_code == 1 and refused.stdout == ""
    assert "The validation gate refused syn" in refused.stderr


def test_goal_without_a_baseline_shows_no_progress():
    from pathways.export import conform
    from pathways.indicators.goals import add_goals
    from pathways.registry import Partnership

    p = Partnership.model_validate({
        "id": "x", "name": "X", "region": "r", "convener": "c", "partners": [{"name": "X", "sector": "k12"}],
        "baseline_year": 2019, "living_wage_usd": 1, "tuition_per_credit_usd": 1,
        "goals": [{"indicator": "wbl_participation", "measure": "rate", "target": 0.3, "target_year": 2025}]})
    current = conform(pd.DataFrame([{"partnership_id": "x", "school_year": 2022, "indicator_id": "wbl_participation",
                                     "measure": "rate", "group_type": "all", "group_value": "all", "value": 0.2,
                                     "numerator": 20, "denominator": 100, "suppressed": False, "status": "ok"}]))
    out = add_goals(current, current, p, 2022)  # the series has no 2019 row
    assert math.isnan(out.goal_current.iloc[0]) and out.goal_on_track.iloc[0] is None
    base = current.assign(school_year=2019, value=0.1)
    out = add_goals(current, pd.concat([base, current]), p, 2022)
    assert out.goal_current.iloc[0] == 0.2
    assert out.goal_progress_share.iloc[0] == pytest.approx((0.2 - 0.1) / (0.3 - 0.1))
    assert bool(out.goal_on_track.iloc[0]) == (0.2 >= 0.1 + 0.2 * 3 / 6)
