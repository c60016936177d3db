"""Properties of the engine's output on random small submissions (hypothesis)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pathways.export import EXPORT_COLUMNS
from pathways.indicators import compute_year
from pathways.indicators.synthetic import history_from_frames, make_frames
from pathways.registry import Partnership
from pathways.suppression import NUMERIC_COLUMNS

P = Partnership.model_validate({"id": "syn", "name": "S", "region": "r", "convener": "c",
                                "partners": [{"name": "X", "sector": "k12"}], "baseline_year": 2022,
                                "living_wage_usd": 30000, "tuition_per_credit_usd": 100})
ADDITIVE = ("sex", "race_ethnicity", "is_economically_disadvantaged", "is_english_learner", "has_disability",
            "years_since_graduation")
NOT_COUNTS = ("rate", "mean", "odds_ratio", "usd")


@st.composite
def submissions(draw):
    n = draw(st.integers(min_value=3, max_value=120))
    seed = draw(st.integers(min_value=0, max_value=10_000))
    courses = draw(st.floats(min_value=0.0, max_value=3.0))
    frames = make_frames(n, years=range(2022, 2025), seed=seed, courses_per_learner=courses)
    drop = draw(st.sets(st.sampled_from(["credentials", "work_based_learning", "early_postsecondary",
                                         "employment", "postsecondary", "stakeholder_survey"])))
    for name in drop:
        frames.pop(name)
    return frames, draw(st.sampled_from([1, 3, 10]))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(submissions())
def test_engine_properties(sub):
    frames, n = sub
    table = compute_year(history_from_frames(frames, 2024), P, n)
    assert list(table.columns) == EXPORT_COLUMNS
    rates = table[(table.measure == "rate") & table.value.notna()]
    assert ((rates.value >= 0) & (rates.value <= 1)).all()
    assert ((rates.ci_low <= rates.value + 1e-12) & (rates.value <= rates.ci_high + 1e-12)).all()
    assert (rates.numerator <= rates.denominator).all()

    # suppressed rows carry no number at all
    sup = table[table.suppressed]
    assert sup[list(c for c in NUMERIC_COLUMNS if c in sup)].isna().all().all()
    assert sup.suppression_reason.notna().all()
    # rows that are not ok carry no number either (never a zero for something not submitted)
    assert table[table.status != "ok"][["numerator", "denominator", "value"]].isna().all().all()

    shown = table[~table.suppressed & (table.status == "ok")]
    if n > 1:
        small = lambda s: (s >= 1) & (s < n)  # noqa: E731
        shown_rates = shown[shown.measure == "rate"]
        assert not (shown_rates.denominator < n).any()
        assert not small(shown_rates.numerator).any()
        assert not small(shown_rates.denominator - shown_rates.numerator).any()
        assert not ((shown[~shown.measure.isin(NOT_COUNTS)].value > 0)
                    & (shown[~shown.measure.isin(NOT_COUNTS)].value < n)).any()
        assert not (shown[shown.measure.isin(["mean", "usd"]) & shown.denominator.notna()].denominator < n).any()

    # groups add up to their total (exactly without suppression, at most with it)
    totals = table[(table.group_type == "all") & (table.measure == "rate")].set_index("indicator_id")
    for (ind, gtype), part in table[table.group_type.isin(ADDITIVE) & (table.measure == "rate")].groupby(
            ["indicator_id", "group_type"]):
        total = totals.loc[ind]
        if total.suppressed or total.status != "ok":
            continue
        visible = part[~part.suppressed]
        assert visible.denominator.sum() <= total.denominator + 1e-9
        assert visible.numerator.sum() <= total.numerator + 1e-9
        if n == 1:
            assert part.denominator.sum() == total.denominator
            assert part.numerator.sum() == total.numerator
        else:
            assert part.suppressed.sum() != 1, (ind, gtype)  # complementary suppression


@settings(max_examples=30, deadline=None)
@given(x=st.integers(0, 500), extra=st.integers(0, 500))
def test_wilson_contains_the_rate(x, extra):
    from pathways.indicators.rates import wilson

    n = x + extra
    p, low, high = wilson(x, n)
    if n == 0:
        assert np.isnan(p) and np.isnan(low)
    else:
        assert 0 <= low <= p <= high <= 1


def test_rates_have_one_all_row_per_indicator():
    frames = make_frames(300, years=range(2022, 2025), seed=1)
    table = compute_year(history_from_frames(frames, 2024), P, 10)
    alls = table[(table.group_type == "all")]
    dupes = alls.groupby(["indicator_id", "measure"]).size()
    assert (dupes == 1).all()
    assert isinstance(table, pd.DataFrame)
