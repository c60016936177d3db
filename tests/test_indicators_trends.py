"""Trend and goal arithmetic, labels, and compute_series/compute_export/CLI over several years."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest

from conftest import synthetic_registry
from pathways.indicators.goals import on_track
from pathways.indicators.trends import change, change_label, gap_trend


@pytest.mark.parametrize(
    ("value", "ref", "measure", "expected"),
    [
        (0.352, 0.300, "rate", 5.2),
        (152, 100, "count", 52.0),
        (500, 100, "count", 400.0),
        (88, 100, "usd", -12.0),
        (5, 0, "count", math.nan),
        (3.2, 3.0, "mean", 0.2),
    ],
)
def test_change(value, ref, measure, expected):
    got = change(value, ref, measure)
    if math.isnan(expected):
        assert math.isnan(got)
    else:
        assert got == pytest.approx(expected)


@pytest.mark.parametrize(
    ("c", "measure", "label"),
    [
        (5.2, "rate", "up 5.2 points since 2019"),
        (-1.0, "rate", "down 1.0 points since 2019"),
        (0.01, "rate", "no change since 2019"),
        (52.0, "count", "52% increase since 2019"),
        (400.0, "count", "5.0x since 2019"),
        (100.0, "count", "2.0x since 2019"),
        (-12.0, "count", "12% decrease since 2019"),
        (0.0, "usd", "no change since 2019"),
        (0.2, "mean", "up 0.20 points since 2019"),
    ],
)
def test_change_label(c, measure, label):
    assert change_label(c, measure, 2019) == label


def test_change_label_missing():
    assert change_label(math.nan, "rate", 2019) is None


@pytest.mark.parametrize(
    ("now", "then", "margin", "trend"),
    [
        (-6.0, -12.0, 5.0, "narrowing"),  # 6 points closer to zero, margin 5
        (-12.0, -10.0, 5.0, "no_clear_change"),
        (9.0, 2.0, 1.8, "widening"),
        (3.0, -5.0, 2.9, "no_clear_change"),  # reversed: 2 points closer to zero, within the margin
        (15.0, -10.0, 5.0, "no_clear_change"),  # reversed and 5 points farther: not clearly wider
        (21.0, -10.0, 5.0, "widening"),
        (-6.0, math.nan, 5.0, None),
    ],
)
def test_gap_trend(now, then, margin, trend):
    assert gap_trend(now, then, margin) == trend


# ------------------------------------------------------------------ a hand-made series
def _r(
    year,
    indicator,
    value=math.nan,
    measure="rate",
    group_type="all",
    group_value="all",
    numerator=math.nan,
    denominator=math.nan,
    shown_as="exact",
    gap=(math.nan, math.nan),
):
    return {
        "partnership_id": "p",
        "school_year": year,
        "indicator_id": indicator,
        "measure": measure,
        "group_type": group_type,
        "group_value": group_value,
        "numerator": numerator,
        "denominator": denominator,
        "value": value,
        "suppressed": shown_as == "suppressed",
        "shown_as": shown_as,
        "status": "ok",
        "gap_pp": gap[0],
        "gap_moe_pp": gap[1],
    }


HAND = [
    # CTE participation: 250 of 1,000 in 2019, 360 of 1,200 in 2023, 380 of 1,000 in 2024
    _r(2019, "cte_participation", 0.25, numerator=250, denominator=1000),
    _r(2022, "cte_participation", 0.28, numerator=280, denominator=1000),
    _r(2023, "cte_participation", 0.30, numerator=360, denominator=1200),
    _r(2024, "cte_participation", 0.38, numerator=380, denominator=1000),
    _r(
        2024,
        "cte_participation",
        0.40,
        group_type="sex",
        group_value="female",
        numerator=200,
        denominator=500,
    ),
    # credentials earned: 300, 1,200, 1,500
    _r(2019, "credential_attainment", 300.0, measure="credentials_earned"),
    _r(2023, "credential_attainment", 1200.0, measure="credentials_earned"),
    _r(2024, "credential_attainment", 1500.0, measure="credentials_earned"),
    # dollars: 10,000, 12,000, 8,800
    _r(2019, "credit_savings_usd", 10000.0, measure="usd"),
    _r(2023, "credit_savings_usd", 12000.0, measure="usd"),
    _r(2024, "credit_savings_usd", 8800.0, measure="usd"),
    # a survey mean: 3.5, 4.0, 3.9
    _r(2019, "stakeholder_satisfaction", 3.5, measure="mean", denominator=40),
    _r(2023, "stakeholder_satisfaction", 4.0, measure="mean", denominator=40),
    _r(2024, "stakeholder_satisfaction", 3.9, measure="mean", denominator=40),
    # concentrators' graduation: 80 of 100 in 2019, no row in 2023, 270 of 300 in 2024
    _r(
        2019,
        "on_time_graduation",
        0.8,
        group_type="population",
        group_value="concentrators",
        numerator=80,
        denominator=100,
    ),
    _r(
        2024,
        "on_time_graduation",
        0.9,
        group_type="population",
        group_value="concentrators",
        numerator=270,
        denominator=300,
    ),
    _r(2019, "on_time_graduation", 0.80, numerator=400, denominator=500),
    _r(2024, "on_time_graduation", 0.86, numerator=430, denominator=500),
    # work-based learning: the baseline row was top-coded, so there is nothing exact to compare with
    _r(2019, "wbl_participation", shown_as="at_least", denominator=300),
    _r(2023, "wbl_participation", 0.15, numerator=60, denominator=400),
    _r(2024, "wbl_participation", 0.20, numerator=80, denominator=400),
    # this year's row suppressed: no trend at all
    _r(2019, "icap_completion", 0.5, numerator=50, denominator=100),
    _r(2024, "icap_completion", shown_as="suppressed"),
    _r(
        2024,
        "graduation_odds_by_cte",
        1.4,
        measure="odds_ratio",
        group_type="term",
        group_value="2-4 courses",
    ),
]
GAPS = [
    # (group, 2019 gap and margin, 2024 gap and margin, 2024 shown_as)
    ("is_english_learner", "true", (-12.0, 3.0), (-6.0, 4.0), "exact"),  # change +6 +/- 5: narrowing
    ("has_disability", "true", (-10.0, 3.0), (-12.0, 4.0), "exact"),  # -2 +/- 5: no clear change
    ("sex", "male", (2.0, 1.0), (9.0, 1.5), "exact"),  # +7 +/- 1.80: widening
    ("race_ethnicity", "asian", (-5.0, 2.0), (3.0, 2.0), "exact"),  # 2 closer to zero, +/- 2.83
    ("is_economically_disadvantaged", "true", (math.nan, math.nan), (-8.0, 2.0), "exact"),  # no baseline gap
    ("race_ethnicity", "white", (4.0, 1.0), (math.nan, math.nan), "at_least"),  # coded now
]


def _hand_series() -> pd.DataFrame:
    from pathways.io.export import conform

    rows = list(HAND)
    for gtype, value, then, now, shown in GAPS:
        rows.append(
            _r(
                2019,
                "cte_participation",
                0.2,
                group_type=gtype,
                group_value=value,
                numerator=20,
                denominator=100,
                gap=then,
                shown_as="exact" if then[0] == then[0] else "at_most",
            )
        )
        rows.append(
            _r(
                2024,
                "cte_participation",
                0.3,
                group_type=gtype,
                group_value=value,
                numerator=30,
                denominator=100,
                gap=now,
                shown_as=shown,
            )
        )
    return conform(pd.DataFrame(rows))


def _hand_export() -> pd.DataFrame:
    from pathways.indicators.trends import add_gap_trends, add_trends

    series = _hand_series()
    current = series[series.school_year == 2024].reset_index(drop=True)
    out = add_trends(current, series, 2019, 2024)
    return add_gap_trends(out, series, 2019, 2024)


def _row(out, indicator, measure="rate", group_type="all", group_value="all"):
    sel = (
        (out.indicator_id == indicator)
        & (out.measure == measure)
        & (out.group_type == group_type)
        & (out.group_value == group_value)
    )
    assert sel.sum() == 1
    return out[sel].iloc[0]


def test_trend_columns_against_a_hand_computed_table():
    out = _hand_export()
    cte = _row(out, "cte_participation")
    assert (cte.baseline_year, cte.prior_year) == (2019, 2023)  # 2023 is the latest year before 2024
    assert (cte.baseline_value, cte.prior_value) == (0.25, 0.30)
    assert cte.change_from_baseline_pp == pytest.approx(13.0)  # 38% - 25%
    assert cte.change_from_prior_pp == pytest.approx(8.0)  # 38% - 30%
    assert (cte.baseline_numerator, cte.prior_numerator) == (250, 360)
    assert cte.numerator_change_from_baseline_pct == pytest.approx(52.0)  # 380 / 250 - 1
    assert cte.numerator_change_from_prior_pct == pytest.approx(100 * (380 / 360 - 1))  # 5.56
    assert cte.change_label == "up 13.0 points since 2019"
    assert math.isnan(cte.change_from_baseline_pct) and math.isnan(cte.change_from_baseline_diff)

    cred = _row(out, "credential_attainment", "credentials_earned")
    assert cred.change_from_baseline_pct == pytest.approx(400.0)  # 1,500 / 300 - 1: a 5x count
    assert cred.change_from_prior_pct == pytest.approx(25.0)  # 1,500 / 1,200 - 1
    assert cred.change_label == "5.0x since 2019"
    assert math.isnan(cred.change_from_baseline_pp) and math.isnan(cred.baseline_numerator)

    usd = _row(out, "credit_savings_usd", "usd")
    assert usd.change_from_baseline_pct == pytest.approx(-12.0)
    assert usd.change_from_prior_pct == pytest.approx(100 * (8800 / 12000 - 1))  # -26.7
    assert usd.change_label == "12% decrease since 2019"

    mean = _row(out, "stakeholder_satisfaction", "mean")
    assert mean.change_from_baseline_diff == pytest.approx(
        0.4
    ) and mean.change_from_prior_diff == pytest.approx(-0.1)
    assert math.isnan(mean.change_from_baseline_pct) and mean.change_label == "up 0.40 points since 2019"

    conc = _row(out, "on_time_graduation", group_type="population", group_value="concentrators")
    assert conc.change_from_baseline_pp == pytest.approx(10.0)  # 90% - 80%
    assert conc.numerator_change_from_baseline_pct == pytest.approx(237.5)  # 270 / 80 - 1
    assert conc.prior_year == 2023 and math.isnan(conc.prior_value) and math.isnan(conc.change_from_prior_pp)

    wbl = _row(out, "wbl_participation")  # the coded baseline gives nothing to compare with
    assert math.isnan(wbl.baseline_value) and math.isnan(wbl.change_from_baseline_pp)
    assert math.isnan(wbl.baseline_numerator) and math.isnan(wbl.numerator_change_from_baseline_pct)
    assert wbl.change_label is None
    assert wbl.change_from_prior_pp == pytest.approx(
        5.0
    ) and wbl.numerator_change_from_prior_pct == pytest.approx(100 * (80 / 60 - 1))

    icap = _row(out, "icap_completion")
    odds = _row(out, "graduation_odds_by_cte", "odds_ratio", "term", "2-4 courses")
    female = _row(out, "cte_participation", group_type="sex", group_value="female")
    for r in (icap, odds, female):
        assert all(
            math.isnan(r[c])
            for c in (
                "baseline_year",
                "prior_year",
                "change_from_baseline_pp",
                "change_from_prior_pct",
                "baseline_numerator",
            )
        )
        assert r.change_label is None


def test_gap_trend_columns_against_a_hand_computed_table():
    out = _hand_export()
    el = _row(out, "cte_participation", group_type="is_english_learner", group_value="true")
    assert (el.gap_baseline_pp, el.gap_change_pp) == (-12.0, 6.0)
    assert el.gap_change_moe_pp == pytest.approx(5.0)  # sqrt(3^2 + 4^2)
    assert el.gap_trend == "narrowing"
    disability = _row(out, "cte_participation", group_type="has_disability", group_value="true")
    assert disability.gap_change_pp == -2.0 and disability.gap_trend == "no_clear_change"
    male = _row(out, "cte_participation", group_type="sex", group_value="male")
    assert male.gap_change_moe_pp == pytest.approx(math.sqrt(1 + 1.5**2)) and male.gap_trend == "widening"
    asian = _row(out, "cte_participation", group_type="race_ethnicity", group_value="asian")
    assert asian.gap_change_pp == 8.0 and asian.gap_trend == "no_clear_change"
    for group_type, value in (
        ("is_economically_disadvantaged", "true"),
        ("race_ethnicity", "white"),
        ("sex", "female"),
    ):
        r = _row(out, "cte_participation", group_type=group_type, group_value=value)
        assert math.isnan(r.gap_baseline_pp) and math.isnan(r.gap_change_pp) and r.gap_trend is None
    assert _row(out, "cte_participation").gap_trend is None


def _goals_partnership(goals: list[dict]):
    """A partnership of the hand-computed tables (baseline 2019) with these goals."""
    from pathways.io.registry import Partnership

    return Partnership.model_validate(
        {
            "id": "p",
            "name": "P",
            "region": "r",
            "convener": "c",
            "partners": [{"name": "X", "sector": "k12"}],
            "baseline_year": 2019,
            "living_wage_usd": 1,
            "tuition_per_credit_usd": 1,
            "goals": goals,
        }
    )


def test_goal_columns_against_a_hand_computed_table():
    from pathways.indicators.goals import add_goals

    p = _goals_partnership(
        [
            {
                "indicator": "cte_participation",
                "measure": "change_from_baseline_pct",
                "target": 50,
                "target_year": 2024,
            },
            {"indicator": "wbl_participation", "measure": "rate", "target": 0.3, "target_year": 2025},
            {
                "indicator": "credential_attainment",
                "measure": "count",
                "target": 2000,
                "target_year": 2025,
            },
            {"indicator": "on_time_graduation", "measure": "rate", "target": 0.9, "target_year": 2026},
        ]
    )
    out = add_goals(_hand_export(), _hand_series(), p, 2024)
    cte = _row(out, "cte_participation")  # the rate rose from 25% to 38%: +52% of its baseline
    assert cte.goal_current == pytest.approx(52.0) and cte.goal_progress_share == pytest.approx(52 / 50)
    assert bool(cte.goal_on_track)  # the line reaches +50% in 2024
    wbl = _row(out, "wbl_participation")  # coded baseline: no progress shown
    assert wbl.goal_target == 0.3 and math.isnan(wbl.goal_current) and pd.isna(wbl.goal_on_track)
    cred = _row(out, "credential_attainment", "credentials_earned")
    assert cred.goal_current == 1500 and cred.goal_progress_share == pytest.approx(1200 / 1700)
    assert not bool(cred.goal_on_track)  # the line is at 300 + 1700 * 5/6 = 1,717 in 2024
    grad = _row(out, "on_time_graduation")
    assert grad.goal_current == 0.86 and grad.goal_progress_share == pytest.approx(0.06 / 0.10)
    assert not bool(grad.goal_on_track)  # the line is at 80% + 10 * 5/7 = 87.1%


def test_on_track_line():
    # baseline 0.20 in 2019, target 0.30 in 2024: the line is at 0.26 in 2022
    assert on_track(0.26, 0.20, 0.30, 2019, 2024, 2022)
    assert not on_track(0.25, 0.20, 0.30, 2019, 2024, 2022)
    assert on_track(0.31, 0.20, 0.30, 2019, 2024, 2026)  # after the target year the line stays at the target
    assert on_track(0.15, 0.20, 0.10, 2019, 2024, 2020, better="lower")  # a figure meant to fall
    assert on_track(math.nan, 0.2, 0.3, 2019, 2024, 2022) is None
    # the baseline (25.5%) already beat the target (25%): staying above the line is on track, falling
    # below it is not; the direction is the indicator's, not the target's place beside the baseline
    assert on_track(0.297, 0.255, 0.25, 2019, 2025, 2024)
    assert not on_track(0.24, 0.255, 0.25, 2019, 2025, 2024)


def test_progress_share_and_met():
    from pathways.indicators.goals import is_met, progress_share

    assert progress_share(0.26, 0.20, 0.30) == pytest.approx(0.6)
    assert progress_share(0.33, 0.20, 0.30) == pytest.approx(1.3)
    assert math.isnan(progress_share(0.297, 0.255, 0.25))  # no way to go from a baseline past the target
    assert progress_share(0.15, 0.20, 0.10, "lower") == pytest.approx(0.5)
    assert is_met(0.30, 0.30) and is_met(0.297, 0.25) and not is_met(0.29, 0.30)
    assert is_met(0.09, 0.10, "lower") and not is_met(0.11, 0.10, "lower")
    assert is_met(math.nan, 0.3) is None


def test_every_indicator_asks_for_more():
    """Every indicator of the catalogue counts something partnerships want more of: a goal on any of
    them is met at or above its target (a new indicator meant to fall must say so in the catalogue)."""
    from pathways.io.catalogue import load_catalogue

    assert {ind.better for ind in load_catalogue().indicators} == {"higher"}


def test_the_goal_table_says_a_target_is_met_also_when_the_baseline_met_it():
    """The goal table of a brief: a goal the baseline year already beat is "met in 2019" and "target
    met" (it once read "0% of the way, behind the straight line" for San Luis Valley's 29.7% against
    a 25% target); a goal past its target says "target met"; one on its way keeps its share."""
    from pathways.indicators.goals import add_goals
    from pathways.io.catalogue import load_catalogue
    from pathways.report.story import goal_rows

    p = _goals_partnership(
        [
            {
                "indicator": "cte_participation",
                "measure": "change_from_baseline_pct",
                "target": 40,
                "target_year": 2024,
            },
            {"indicator": "on_time_graduation", "measure": "rate", "target": 0.80, "target_year": 2026},
            {
                "indicator": "credential_attainment",
                "measure": "count",
                "target": 2000,
                "target_year": 2025,
            },
        ]
    )
    out = add_goals(_hand_export(), _hand_series(), p, 2024)
    grad = _row(out, "on_time_graduation")  # 80% in 2019, 86% now, target 80%
    assert math.isnan(grad.goal_progress_share) and bool(grad.goal_on_track)
    catalogue = load_catalogue()
    rows = {r["goal"]: r for r in goal_rows(out, p, catalogue, 2024)}
    cte, graduation, credentials = (
        rows[catalogue.get(i).title]
        for i in ("cte_participation", "on_time_graduation", "credential_attainment")
    )
    assert (cte["now"], cte["progress"], cte["pace"]) == ("+52%", "130% of the way", "target met")
    # the rate's change, not the learners' (a brief's headline tile states that one)
    assert cte["target"] == "+40% in the rate since 2019 by 2024"
    assert (graduation["now"], graduation["progress"], graduation["pace"]) == (
        "86.0%",
        "met in 2019",
        "target met",
    )
    assert (credentials["progress"], credentials["pace"]) == ("71% of the way", "behind the straight line")


def test_the_goal_table_says_when_a_target_met_at_baseline_is_lost():
    """Graduation was 86% (430 of 500) in 2019 against an 85% target and fell to 80% (400 of 500):
    no share of the way (there was none to go), "below the target", and behind the line, which
    runs from 86% in 2019 to 85% in 2026 (85.3% in 2024)."""
    from pathways.indicators.goals import add_goals
    from pathways.indicators.trends import add_trends
    from pathways.io.catalogue import load_catalogue
    from pathways.io.export import conform
    from pathways.report.story import goal_rows

    series = conform(
        pd.DataFrame(
            [
                _r(2019, "on_time_graduation", 0.86, numerator=430, denominator=500),
                _r(2024, "on_time_graduation", 0.80, numerator=400, denominator=500),
            ]
        )
    )
    current = add_trends(series[series.school_year == 2024].reset_index(drop=True), series, 2019, 2024)
    p = _goals_partnership(
        [{"indicator": "on_time_graduation", "measure": "rate", "target": 0.85, "target_year": 2026}]
    )
    out = add_goals(current, series, p, 2024)
    grad = _row(out, "on_time_graduation")
    assert grad.goal_current == pytest.approx(0.80) and math.isnan(grad.goal_progress_share)
    assert not bool(grad.goal_on_track)
    (row,) = goal_rows(out, p, load_catalogue(), 2024)
    assert (row["now"], row["progress"], row["pace"]) == (
        "80.0%",
        "below the target",
        "behind the straight line",
    )


@pytest.fixture(scope="module")
def multi_year(tmp_path_factory):
    from pathways.indicators.synthetic import make_frames, write_submission

    data = tmp_path_factory.mktemp("multi")
    frames = make_frames(1500, years=range(2019, 2023), seed=5, growth=0.2)
    write_submission(frames, data, "syn")
    registry = synthetic_registry(
        2019,
        goals=[
            {
                "indicator": "cte_participation",
                "measure": "change_from_baseline_pct",
                "target": 50,
                "target_year": 2024,
            },
            {"indicator": "wbl_participation", "measure": "rate", "target": 0.3, "target_year": 2025},
            {"indicator": "credential_attainment", "measure": "count", "target": 900, "target_year": 2025},
        ],
    )
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
    base = series[
        (series.indicator_id == "cte_participation")
        & (series.group_type == "all")
        & (series.school_year == 2019)
    ].iloc[0]
    prior = series[
        (series.indicator_id == "cte_participation")
        & (series.group_type == "all")
        & (series.school_year == 2021)
    ].iloc[0]
    assert part.baseline_year == 2019 and part.baseline_value == pytest.approx(base.value)
    assert part.prior_year == 2021 and part.prior_value == pytest.approx(prior.value)
    assert part.change_from_baseline_pp == pytest.approx((part.value - base.value) * 100)
    assert part.numerator_change_from_baseline_pct == pytest.approx(
        (part.numerator / base.numerator - 1) * 100
    )
    assert part.change_label.endswith("since 2019")
    # the change goal: percent change of the rate since the baseline, against a straight line to +50% in 2024
    pct = (part.value / base.value - 1) * 100
    assert part.goal_measure == "change_from_baseline_pct" and part.goal_current == pytest.approx(pct)
    assert part.goal_progress_share == pytest.approx(pct / 50)
    assert bool(part.goal_on_track) == (pct >= 50 * 3 / 5 - 1e-9)
    # the count goal sits on the credentials_earned row
    cred = export[
        (export.indicator_id == "credential_attainment") & (export.measure == "credentials_earned")
    ].iloc[0]
    base_cred = (
        series[
            (series.indicator_id == "credential_attainment")
            & (series.measure == "credentials_earned")
            & (series.school_year == 2019)
        ]
        .iloc[0]
        .value
    )
    assert cred.goal_current == cred.value
    assert cred.goal_progress_share == pytest.approx((cred.value - base_cred) / (900 - base_cred))
    assert cred.change_from_baseline_pct == pytest.approx((cred.value / base_cred - 1) * 100)
    # trend columns only on all (and population) rows; gap trends only on the five learner breakdowns
    assert export[~export.group_type.isin(["all", "population"])].change_label.isna().all()
    trended = export[export.gap_trend.notna()]
    assert len(trended) and set(trended.group_type) <= {
        "sex",
        "race_ethnicity",
        "is_economically_disadvantaged",
        "is_english_learner",
        "has_disability",
    }
    assert (trended.shown_as == "exact").all()


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
    refused = runner.invoke(
        app, ["indicators", "syn", "2022", "--data", str(data), "--registry", str(reg_path)]
    )
    assert refused.exit_code == 1 and refused.stdout == ""
    assert "The validation gate refused syn" in refused.stderr


def test_goal_without_a_baseline_shows_no_progress():
    from pathways.indicators.goals import add_goals
    from pathways.io.export import conform
    from pathways.io.registry import Partnership

    p = Partnership.model_validate(
        {
            "id": "x",
            "name": "X",
            "region": "r",
            "convener": "c",
            "partners": [{"name": "X", "sector": "k12"}],
            "baseline_year": 2019,
            "living_wage_usd": 1,
            "tuition_per_credit_usd": 1,
            "goals": [
                {"indicator": "wbl_participation", "measure": "rate", "target": 0.3, "target_year": 2025}
            ],
        }
    )
    current = conform(
        pd.DataFrame(
            [
                {
                    "partnership_id": "x",
                    "school_year": 2022,
                    "indicator_id": "wbl_participation",
                    "measure": "rate",
                    "group_type": "all",
                    "group_value": "all",
                    "value": 0.2,
                    "numerator": 20,
                    "denominator": 100,
                    "suppressed": False,
                    "status": "ok",
                }
            ]
        )
    )
    out = add_goals(current, current, p, 2022)  # the series has no 2019 row
    assert math.isnan(out.goal_current.iloc[0]) and out.goal_on_track.iloc[0] is None
    base = current.assign(school_year=2019, value=0.1)
    out = add_goals(current, pd.concat([base, current]), p, 2022)
    assert out.goal_current.iloc[0] == 0.2
    assert out.goal_progress_share.iloc[0] == pytest.approx((0.2 - 0.1) / (0.3 - 0.1))
    assert bool(out.goal_on_track.iloc[0]) == (0.2 >= 0.1 + 0.2 * 3 / 6)


def test_every_count_the_catalogue_says_two_figures_share_is_the_same_count(multi_year):
    """``denominator_from`` is exact: on the true cells (before suppression) of four synthetic years,
    every linked denominator equals the other figure's numerator (or count) of the same group and the
    year the link names, for every indicator that has a link."""
    from collections import Counter

    from pathways.indicators import true_cells
    from pathways.io.catalogue import load_catalogue
    from pathways.io.submission import Submissions

    data, registry = multi_year
    catalogue = load_catalogue()
    subs = Submissions(data, "syn", 2022)
    cells = [
        dict(r, school_year=y)
        for y in subs.years
        for r in true_cells(subs.history(y), registry.get("syn"), 10)[0].to_dict(orient="records")
        if r["status"] == "ok"
    ]
    by_key = {
        (r["school_year"], r["indicator_id"], r["measure"], r["group_type"], r["group_value"]): r
        for r in cells
    }
    compared = Counter()
    for r in cells:
        ind = catalogue.get(r["indicator_id"])
        link = ind.denominator_from
        if link is None or r["measure"] != ind.main_measure:
            continue
        group = link.source_group(r["group_type"], r["group_value"])
        year = link.source_year(r["school_year"], r["_cohort"])
        source = by_key.get((year, link.indicator, link.measure, *group)) if group else None
        if source is None:
            continue
        shared = source["numerator"] if link.measure == "rate" else source["value"]
        assert shared == r["denominator"], (r["indicator_id"], r["school_year"], group)
        compared[r["indicator_id"]] += 1
    assert set(compared) == {i.id for i in catalogue.indicators if i.denominator_from}, compared
