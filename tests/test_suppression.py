"""Small-cell suppression rules on hand-made rows (pathways.suppression)."""

from __future__ import annotations

import pandas as pd
import pytest

from pathways.indicators.base import ROW_COLUMNS, row
from pathways.suppression import COMPLEMENTARY, NUMERIC_COLUMNS, suppress

N = 10


def rate_row(x, n, group_type="all", group_value="all", indicator="ind", **kw):
    return row(indicator, "rate", x / n if n else float("nan"), numerator=x, denominator=n, ci_low=0.0, ci_high=1.0,
               group_type=group_type, group_value=group_value, kind="rate", additive=group_type != "all",
               gap=(1.0, 2.0, False) if group_type != "all" else (float("nan"), float("nan"), None), **kw)


def run(rows) -> pd.DataFrame:
    return suppress(pd.DataFrame(rows, columns=ROW_COLUMNS), N)


def get(t, group_value="all", measure=None):
    sel = t.group_value == group_value
    if measure:
        sel &= t.measure == measure
    return t[sel].iloc[0]


def assert_no_numbers(r):
    for col in NUMERIC_COLUMNS:
        if col in r:
            assert pd.isna(r[col]), col
    assert pd.isna(r["is_gap"])


def test_denominator_exactly_at_threshold_is_shown_one_below_is_not():
    t = run([rate_row(5, 200), rate_row(0, N, "sex", "female"), rate_row(0, N - 1, "sex", "male"),
             rate_row(5, 181, "sex", "unknown")])
    assert not get(t, "female").suppressed
    male = get(t, "male")
    assert male.suppressed and male.suppression_reason == f"fewer than {N} learners in the group"
    assert_no_numbers(male)


def test_small_numerator_or_complement_suppresses_the_rate():
    t = run([rate_row(N - 1, 500, group_value="a", group_type="x"), rate_row(491, 500, group_value="b", group_type="y"),
             rate_row(N, 500, group_value="c", group_type="z"), rate_row(0, 500, group_value="d", group_type="w")])
    assert get(t, "a").suppression_reason == f"fewer than {N} learners counted in the rate"
    assert get(t, "b").suppression_reason == f"fewer than {N} learners not counted in the rate"
    assert not get(t, "c").suppressed
    assert not get(t, "d").suppressed  # a zero is shown: nobody is identified by it


def test_complementary_suppression_hides_the_next_smallest_group():
    t = run([rate_row(100, 300), rate_row(2, 5, "sex", "nonbinary"), rate_row(20, 40, "sex", "male"),
             rate_row(78, 255, "sex", "female")])
    assert get(t, "nonbinary").suppression_reason == "fewer than 10 learners in the group"
    male = get(t, "male")
    assert male.suppressed and male.suppression_reason == COMPLEMENTARY
    assert_no_numbers(male)
    assert not get(t, "female").suppressed
    assert not get(t).suppressed


def test_no_complementary_suppression_when_two_are_hidden_or_the_total_is():
    t = run([rate_row(100, 300), rate_row(2, 5, "sex", "a"), rate_row(2, 6, "sex", "b"),
             rate_row(20, 40, "sex", "c"), rate_row(76, 249, "sex", "d")])
    assert not get(t, "c").suppressed
    t = run([rate_row(5, 8), rate_row(1, 3, "sex", "a"), rate_row(4, 5, "sex", "b")])
    assert get(t).suppressed  # total hidden: nothing to subtract from
    # groups hidden on their own; the gap of a shown group would need the hidden total
    assert get(t, "a").suppressed and get(t, "b").suppressed


def test_complementary_ignores_overlapping_breakdowns():
    rows = [rate_row(100, 300)]
    rows.append(rate_row(2, 5, "industry_sector", "energy"))
    rows.append(rate_row(20, 40, "industry_sector", "healthcare"))
    frame = pd.DataFrame(rows, columns=ROW_COLUMNS)
    frame["_additive"] = False
    t = suppress(frame, N)
    assert get(t, "energy").suppressed and not get(t, "healthcare").suppressed


def test_counts_and_derived_counts():
    t = run([
        row("wbl", "learners", 9, kind="count"),
        row("wbl", "employers", 12, kind="derived", cell_n=9, parent="learners"),
        row("wbl", "learners", 12, group_type="wbl_type", group_value="internship", kind="count"),
        row("wbl", "employers", 3, group_type="wbl_type", group_value="internship", kind="derived", cell_n=12,
            parent="learners"),
        row("wbl", "employers", 10, group_type="wbl_type", group_value="mentorship", kind="derived", cell_n=30,
            parent="learners"),
        row("wbl", "learners", 30, group_type="wbl_type", group_value="mentorship", kind="count"),
        row("wbl", "learners", 0, group_type="wbl_type", group_value="job_shadow", kind="count"),
        row("credits", "credits_earned", 0.5, kind="derived", cell_n=40),
    ])
    learners = get(t, "all", "learners")
    assert learners.suppressed and learners.suppression_reason == "fewer than 10 learners"
    employers = get(t, "all", "employers")  # 12 employers, but of 9 learners
    assert employers.suppressed and employers.suppression_reason.startswith("derived from a suppressed cell")
    small = get(t, "internship", "employers")  # any count from 1 to N-1 reads "<N"
    assert small.suppressed and small.suppression_reason == "fewer than 10 employers"
    assert not get(t, "mentorship", "employers").suppressed
    assert not get(t, "job_shadow", "learners").suppressed  # zero is shown
    assert get(t, "all", "credits_earned").suppressed  # half a credit is still below N


def test_learner_groups_smaller_than_n_this_year_are_hidden_everywhere():
    frame = pd.DataFrame([rate_row(300, 900), rate_row(20, 40, "sex", "nonbinary"),
                          rate_row(280, 860, "sex", "female")], columns=ROW_COLUMNS)
    t = suppress(frame, N, {("sex", "nonbinary"): 4, ("sex", "female"): 500})
    assert get(t, "nonbinary").suppression_reason == "fewer than 10 learners in the group"
    assert get(t, "female").suppression_reason == COMPLEMENTARY


def test_derived_usd_and_credits_follow_their_learners():
    t = run([row("savings", "usd", 2100.0, kind="derived", cell_n=4),
             row("savings", "credits_earned", 10.0, kind="derived", cell_n=4)])
    assert t.suppressed.all()
    assert t.value.isna().all()


def test_means_and_odds():
    t = run([
        row("survey", "mean", 3.5, denominator=9, kind="mean", noun="respondents"),
        row("survey", "mean", 3.5, group_type="item", group_value="x", denominator=10, kind="mean", noun="respondents"),
        row("odds", "odds_ratio", 1.4, group_type="term", group_value="5+ courses", denominator=500, ci_low=1.1,
            ci_high=1.8, kind="odds", cell_n=9),
        row("odds", "odds_ratio", 1.4, group_type="term", group_value="2-4 courses", denominator=500, ci_low=1.1,
            ci_high=1.8, kind="odds", cell_n=10),
    ])
    survey = get(t, "all")
    assert survey.suppressed and survey.suppression_reason == "fewer than 10 respondents"
    assert not get(t, "x").suppressed
    five = get(t, "5+ courses")
    assert five.suppressed and "cell of the model" in five.suppression_reason
    assert_no_numbers(five)
    assert not get(t, "2-4 courses").suppressed


def test_status_rows_are_never_suppressed_and_have_no_numbers():
    t = run([row("x", "rate", status="not_submitted", note="not submitted: needs x.csv")])
    assert not t.iloc[0].suppressed and pd.isna(t.iloc[0].value)


@pytest.mark.parametrize("n", [1, 2, 5])
def test_threshold_is_configurable(n):
    t = suppress(pd.DataFrame([rate_row(n, n + 1000), rate_row(n - 1, n + 1000, "x", "y")], columns=ROW_COLUMNS), n)
    assert not t.iloc[0].suppressed
    assert t.iloc[1].suppressed == (n - 1 >= 1)
