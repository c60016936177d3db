"""Properties of the engine's output on random small submissions (hypothesis)."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pathways.indicators import compute_year, true_cells
from pathways.indicators.synthetic import history_from_frames, make_frames
from pathways.io.export import EXPORT_COLUMNS, FLOAT_COLUMNS
from pathways.io.registry import Partnership

P = Partnership.model_validate(
    {
        "id": "syn",
        "name": "S",
        "region": "r",
        "convener": "c",
        "partners": [{"name": "X", "sector": "k12"}],
        "baseline_year": 2022,
        "living_wage_usd": 30000,
        "tuition_per_credit_usd": 100,
    }
)
LEARNER = ("sex", "race_ethnicity", "is_economically_disadvantaged", "is_english_learner", "has_disability")
ADDITIVE = (
    "sex",
    "race_ethnicity",
    "is_economically_disadvantaged",
    "is_english_learner",
    "has_disability",
    "years_since_graduation",
)
NOT_COUNTS = ("rate", "mean", "odds_ratio", "usd")


@st.composite
def submissions(draw):
    n = draw(st.integers(min_value=3, max_value=120))
    seed = draw(st.integers(min_value=0, max_value=10_000))
    courses = draw(st.floats(min_value=0.0, max_value=3.0))
    frames = make_frames(n, years=range(2022, 2025), seed=seed, courses_per_learner=courses)
    drop = draw(
        st.sets(
            st.sampled_from(
                [
                    "credentials",
                    "work_based_learning",
                    "early_postsecondary",
                    "employment",
                    "postsecondary",
                    "stakeholder_survey",
                ]
            )
        )
    )
    for name in drop:
        frames.pop(name)
    return frames, draw(st.sampled_from([1, 3, 10]))


def assert_no_hidden_numbers(table: pd.DataFrame, n: int) -> None:
    """A suppressed row carries no number in any column, a coded one only its denominator and bound;
    neither carries a note, change label, gap trend or flag that could restate one."""
    numbers = [c for c in FLOAT_COLUMNS if c in table]
    sup = table[table.shown_as == "suppressed"]
    assert sup[numbers].isna().all().all()
    coded = table[table.shown_as.isin(["at_least", "at_most"])]
    assert coded[[c for c in numbers if c not in ("denominator", "bound")]].isna().all().all()
    assert coded.denominator.notna().all() and coded.bound.notna().all()
    for part in (sup, coded):
        assert part.suppression_reason.notna().all()
        for col in ("note", "change_label", "gap_trend", "goal_measure", "is_gap", "goal_on_track"):
            assert part[col].isna().all(), col
        for text in part.suppression_reason:  # the reason names the threshold, never a hidden count
            assert set(re.findall(r"\d+", text)) <= {str(n), "9", "12"}, text


def audit_findings(table: pd.DataFrame, truth: pd.DataFrame, sizes: dict, n: int) -> list[str]:
    """The disclosure audit's own rule-4 check of one year's published rows against the true cells."""
    import io

    from pathways.book import audit
    from pathways.io.export import write_export

    out = io.StringIO()
    write_export(table, out, "csv")
    source = audit.Source("export.csv", out.getvalue(), "csv")
    known, findings = {}, []
    for number, row in audit._table_rows(source):
        shown = audit._shown(source, number, row)
        if shown is not None:
            findings.extend(audit._row_findings(shown, sizes, n))
            known.setdefault(shown.key, audit.Known()).add(shown)
    return findings + audit._breakdown_findings("synthetic", 2024, truth, known, sizes, n)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(submissions())
def test_engine_properties(sub):
    frames, n = sub
    history = history_from_frames(frames, 2024)
    table = compute_year(history, P, n)
    truth, group_sizes = true_cells(history, P, n)
    assert list(truth.group_value) == list(table.group_value)
    assert list(table.columns) == EXPORT_COLUMNS
    rates = table[(table.measure == "rate") & table.value.notna()]
    assert ((rates.value >= 0) & (rates.value <= 1)).all()
    assert ((rates.ci_low <= rates.value + 1e-12) & (rates.value <= rates.ci_high + 1e-12)).all()
    assert (rates.numerator <= rates.denominator).all()
    ok = table.status == "ok"
    assert set(table[ok].shown_as) <= {"exact", "at_least", "at_most", "suppressed"}
    assert table[~ok].shown_as.isna().all()
    assert_no_hidden_numbers(table, n)
    # rows that are not ok carry no number either (never a zero for something not submitted)
    assert table[~ok][["numerator", "denominator", "value"]].isna().all().all()

    # a coded rate's bound is true, and leaves at least n learners open on the small side
    coded = table[table.shown_as.isin(["at_least", "at_most"])]
    true_rate = truth.loc[coded.index, "value"]
    top = coded.shown_as == "at_least"
    assert (coded.bound[top] <= true_rate[top] + 1e-12).all() and (
        coded.bound[~top] >= true_rate[~top] - 1e-12
    ).all()
    assert ((1 - coded.bound[top]) * coded.denominator[top] >= n - 1e-9).all()
    assert (coded.bound[~top] * coded.denominator[~top] >= n - 1e-9).all()
    # gaps only on exact rows of the five learner breakdowns
    gaps = table[table.gap_pp.notna()]
    assert (gaps.shown_as == "exact").all() and set(gaps.group_type) <= set(LEARNER)

    shown = table[table.shown_as == "exact"]
    if n > 1:
        small = lambda s: (s >= 1) & (s < n)  # noqa: E731
        shown_rates = shown[shown.measure == "rate"]
        assert not (shown_rates.denominator < n).any()
        assert not small(shown_rates.numerator).any()
        assert not small(shown_rates.denominator - shown_rates.numerator).any()
        assert not (
            (shown[~shown.measure.isin(NOT_COUNTS)].value > 0)
            & (shown[~shown.measure.isin(NOT_COUNTS)].value < n)
        ).any()
        assert not (
            shown[shown.measure.isin(["mean", "usd"]) & shown.denominator.notna()].denominator < n
        ).any()
        # rule 4, checked by the audit's own arithmetic from the true cells
        sizes = {("synthetic", 2024, g, v): k for (g, v), k in group_sizes.items()}
        assert audit_findings(table, truth, sizes, n) == []
    else:  # nothing to hide: the groups add up to their totals exactly
        totals = table[(table.group_type == "all") & (table.measure == "rate")].set_index("indicator_id")
        for (ind, _), part in table[table.group_type.isin(ADDITIVE) & (table.measure == "rate")].groupby(
            ["indicator_id", "group_type"]
        ):
            total = totals.loc[ind]
            if total.status == "ok":
                assert part.denominator.sum() == total.denominator
                assert part.numerator.sum() == total.numerator


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
    assert (dupes == 1).all(), dupes[dupes != 1]
    # and every rate the catalogue defines is there to be counted (an empty table would pass the above)
    from pathways.io.catalogue import load_catalogue

    rates = {i.id for i in load_catalogue().indicators if i.unit == "rate"}
    assert rates <= set(alls.loc[alls.measure == "rate", "indicator_id"]), rates - set(alls.indicator_id)
