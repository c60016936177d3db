"""Small-cell suppression rules on hand-made rows (pathways.indicators.suppression).

Every expectation is worked out by hand in the comments: N = 10.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from pathways.indicators.base import ROW_COLUMNS, row
from pathways.indicators.suppression import (
    COMPLEMENTARY,
    NUMERIC_COLUMNS,
    bottom_bound,
    pinned,
    suppress,
    top_bound,
)

N = 10


def rate_row(x, n, group_type="all", group_value="all", indicator="ind", **kw):
    gap = (
        (1.0, 2.0, False)
        if group_type in ("sex", "race_ethnicity", "is_english_learner")
        else (float("nan"), float("nan"), None)
    )
    kw.setdefault("additive", group_type not in ("all", "industry_sector"))
    return row(
        indicator,
        "rate",
        x / n if n else float("nan"),
        numerator=x,
        denominator=n,
        ci_low=0.0,
        ci_high=1.0,
        group_type=group_type,
        group_value=group_value,
        kind="rate",
        gap=gap,
        note="a note with 12",
        **kw,
    )


def run(rows, sizes=None) -> pd.DataFrame:
    return suppress(pd.DataFrame(rows, columns=ROW_COLUMNS), N, sizes)


def get(t, group_value="all", measure=None, group_type=None):
    sel = t.group_value == group_value
    if measure:
        sel &= t.measure == measure
    if group_type:
        sel &= t.group_type == group_type
    return t[sel].iloc[0]


def assert_no_numbers(r):
    for col in NUMERIC_COLUMNS:
        if col in r:
            assert pd.isna(r[col]), col
    assert pd.isna(r["is_gap"]) and pd.isna(r["note"])


def shown(t) -> dict[str, str]:
    return dict(zip(t.group_value, t.shown_as, strict=True))


# ------------------------------------------------------------------ rules 1 and 3
def test_denominator_exactly_at_threshold_is_shown_one_below_is_not():
    t = run(
        [
            rate_row(105, 200),
            rate_row(0, N, "sex", "female"),
            rate_row(0, N - 1, "sex", "male"),
            rate_row(105, 181, "sex", "unknown"),
        ]
    )
    assert get(t, "female").shown_as == "exact"
    male = get(t, "male")
    assert male.suppressed and male.suppression_reason == f"fewer than {N} learners in the group"
    assert_no_numbers(male)


@pytest.mark.parametrize(
    ("denominator", "top", "bottom"),
    [
        # top: floor(100 (d - 10) / d)%, bottom: ceil(1000 / d)%
        (500, 0.98, 0.02),
        (250, 0.96, 0.04),
        (11, 0.09, 0.91),
        (15_000, 0.99, 0.01),
        (333, 0.96, 0.04),
    ],
)
def test_bounds_reveal_no_count_below_n(denominator, top, bottom):
    assert top_bound(denominator, N) == top and bottom_bound(denominator, N) == bottom
    # the count each bound leaves open is at least N
    assert (1 - top) * denominator >= N - 1e-9 and bottom * denominator >= N - 1e-9
    # one whole percent tighter and it would not be
    assert (1 - (top + 0.01)) * denominator < N or top == 0.99
    assert (bottom - 0.01) * denominator < N


def test_top_and_bottom_coding_show_a_bound_without_the_numerator():
    t = run(
        [
            rate_row(491, 500, "x", "a"),
            rate_row(3, 250, "y", "b"),
            rate_row(N, 500, "z", "c"),
            rate_row(0, 500, "w", "d"),
            rate_row(500, 500, "v", "e"),
        ]
    )
    top = get(t, "a")
    assert (top.shown_as, top.bound, top.denominator) == ("at_least", 0.98, 500)
    assert top.suppression_reason == f"fewer than {N} learners not counted in the rate"
    assert not top.suppressed
    for col in ("numerator", "value", "ci_low", "ci_high", "gap_pp", "gap_moe_pp"):
        assert math.isnan(top[col]), col
    assert pd.isna(top.note) and pd.isna(top.is_gap)
    bottom = get(t, "b")
    assert (bottom.shown_as, bottom.bound) == ("at_most", 0.04)
    assert bottom.suppression_reason == f"fewer than {N} learners counted in the rate"
    assert math.isnan(bottom.numerator) and bottom.denominator == 250
    assert get(t, "c").shown_as == "exact"  # exactly N counted
    assert get(t, "d").shown_as == "exact" and get(t, "d").value == 0  # a zero identifies nobody
    assert get(t, "e").shown_as == "exact" and get(t, "e").value == 1


def test_both_sides_small_is_suppressed():
    t = run([rate_row(7, 15, "x", "a")])  # 7 counted, 8 not: any safe bound would span most of the scale
    r = get(t, "a")
    assert r.shown_as == "suppressed"
    assert r.suppression_reason == f"fewer than {N} learners counted in the rate, and fewer than {N} not"
    assert_no_numbers(r)


# ------------------------------------------------------------------ rule 4
def test_complementary_picks_the_unknown_group_first():
    # nonbinary (5) is hidden; unknown (30) goes next, not the smallest remaining group (male 40)
    t = run(
        [
            rate_row(150, 335),
            rate_row(2, 5, "sex", "nonbinary"),
            rate_row(10, 30, "sex", "unknown"),
            rate_row(20, 40, "sex", "male"),
            rate_row(118, 260, "sex", "female"),
        ]
    )
    assert shown(t[t.group_type == "sex"]) == {
        "nonbinary": "suppressed",
        "unknown": "suppressed",
        "male": "exact",
        "female": "exact",
    }
    assert get(t, "unknown").suppression_reason == COMPLEMENTARY
    assert_no_numbers(get(t, "unknown"))


def test_complementary_keeps_the_focal_group_of_a_yes_no_breakdown():
    # English learners (100) are the focal group; unknown has 4 learners. Hiding unknown alone
    # lets total - true - false = 4 through: the "false" side goes, not the English learners,
    # although they are the smaller group.
    t = run(
        [
            rate_row(560, 1004),
            rate_row(60, 100, "is_english_learner", "true"),
            rate_row(498, 900, "is_english_learner", "false"),
            rate_row(2, 4, "is_english_learner", "unknown"),
        ]
    )
    assert shown(t[t.group_type == "is_english_learner"]) == {
        "true": "exact",
        "false": "suppressed",
        "unknown": "suppressed",
    }
    el = get(t, "true")
    assert el.numerator == 60 and el.gap_pp == 1.0  # its gap against an exact total stays


def test_complementary_falls_back_to_the_smallest_other_group():
    t = run(
        [
            rate_row(300, 600),
            rate_row(2, 5, "race_ethnicity", "asian"),
            rate_row(30, 80, "race_ethnicity", "black_african_american"),
            rate_row(100, 200, "race_ethnicity", "white"),
            rate_row(168, 315, "race_ethnicity", "hispanic_latino"),
        ]
    )
    assert shown(t[t.group_type == "race_ethnicity"]) == {
        "asian": "suppressed",
        "black_african_american": "suppressed",
        "white": "exact",
        "hispanic_latino": "exact",
    }


def test_numerators_are_protected_too():
    # a (5, 2 counted) and b (6, 2 counted) together hold 11 learners, but their numerators sum
    # to 4: total minus the shown groups would say "4 of the 11". One more group is hidden: c,
    # the smallest group with a numerator to add.
    t = run(
        [
            rate_row(100, 300),
            rate_row(2, 5, "sex", "a"),
            rate_row(2, 6, "sex", "b"),
            rate_row(20, 40, "sex", "c"),
            rate_row(76, 249, "sex", "d"),
        ]
    )
    assert shown(t[t.group_type == "sex"]) == {
        "a": "suppressed",
        "b": "suppressed",
        "c": "suppressed",
        "d": "exact",
    }


def test_coded_numerators_count_as_hidden():
    # true: 395 of 400 graduate (5 did not, coded "at least 97%"). With false and unknown
    # shown, the total's 25 non-graduates minus false's 20 would give the 5 away.
    t = run(
        [
            rate_row(1375, 1400),
            rate_row(395, 400, "has_disability", "true"),
            rate_row(980, 1000, "has_disability", "false"),
        ]
    )
    part = t[t.group_type == "has_disability"]
    assert shown(part) == {"true": "at_least", "false": "suppressed"}
    assert get(t, "true").bound == 0.97 and get(t, "false").suppression_reason == COMPLEMENTARY


def test_small_cells_that_sum_to_n_at_their_largest_are_pinned():
    # two hidden groups of 9: together 18 >= N, but both are known to be below 10, so 18 means 9 and 9
    t = run(
        [
            rate_row(0, 318),
            rate_row(0, 9, "sex", "a"),
            rate_row(0, 9, "sex", "b"),
            rate_row(0, 100, "sex", "c"),
            rate_row(0, 200, "sex", "d"),
        ]
    )
    assert shown(t[t.group_type == "sex"]) == {
        "a": "suppressed",
        "b": "suppressed",
        "c": "suppressed",
        "d": "exact",
    }
    # three hidden groups of 4, 3 and 5 sum to 12: each could be anything from 1 to 9, nothing to add
    t = run(
        [
            rate_row(0, 312),
            rate_row(0, 4, "sex", "a"),
            rate_row(0, 3, "sex", "b"),
            rate_row(0, 5, "sex", "c"),
            rate_row(0, 300, "sex", "d"),
        ]
    )
    assert shown(t[t.group_type == "sex"]) == {
        "a": "suppressed",
        "b": "suppressed",
        "c": "suppressed",
        "d": "exact",
    }


def test_a_zero_that_subtraction_gives_away_about_a_small_group_is_protected():
    # nonbinary (2) and unknown (9) are hidden and together hold 11 learners, but 64 - 24 - 40 = 0
    # would say that none of them earned it: one more group with learners counted is hidden
    rows = [
        rate_row(64, 421),
        rate_row(24, 200, "sex", "female"),
        rate_row(40, 210, "sex", "male"),
        rate_row(0, 2, "sex", "nonbinary"),
        rate_row(0, 9, "sex", "unknown"),
    ]
    assert shown(run(rows)[lambda t: t.group_type == "sex"]) == {
        "female": "suppressed",
        "male": "exact",
        "nonbinary": "suppressed",
        "unknown": "suppressed",
    }
    # but when the total itself is 0, every group is 0 for all to see: nothing more is hidden
    rows = [
        rate_row(0, 421),
        rate_row(0, 200, "sex", "female"),
        rate_row(0, 210, "sex", "male"),
        rate_row(0, 2, "sex", "nonbinary"),
        rate_row(0, 9, "sex", "unknown"),
    ]
    assert shown(run(rows)[lambda t: t.group_type == "sex"]) == {
        "female": "exact",
        "male": "exact",
        "nonbinary": "suppressed",
        "unknown": "suppressed",
    }


def test_cells_hidden_on_the_way_are_shown_again_when_no_longer_needed():
    # unknown (4) is hidden; the denominators then need one more: nonbinary (12, coded: 1 not
    # counted) is the smallest. The complements then need one more too (0 + 1 < 10): male.
    # With male hidden, nonbinary's denominator is no longer needed to cover unknown's, so
    # nonbinary goes back to its bound.
    t = run(
        [
            rate_row(615, 996),
            rate_row(300, 500, "sex", "female"),
            rate_row(300, 480, "sex", "male"),
            rate_row(11, 12, "sex", "nonbinary"),
            rate_row(4, 4, "sex", "unknown"),
        ]
    )
    assert shown(t[t.group_type == "sex"]) == {
        "female": "exact",
        "male": "suppressed",
        "nonbinary": "at_least",
        "unknown": "suppressed",
    }


def test_the_rest_of_a_partial_breakdown_is_protected():
    # concentrators: 95 of a cohort of 103; the 8 other members (and their outcomes) would follow
    # from the all row, so the concentrators' row is hidden
    rows = [rate_row(85, 103), rate_row(80, 95, "population", "concentrators")]
    t = run(rows)
    assert get(t, "concentrators").shown_as == "suppressed"
    t = run([rate_row(190, 300), rate_row(92, 150, "population", "concentrators")])
    assert get(t, "concentrators").shown_as == "exact"


def test_overlapping_breakdowns_are_not_subtracted():
    t = run(
        [
            rate_row(100, 300),
            rate_row(2, 5, "industry_sector", "energy"),
            rate_row(20, 40, "industry_sector", "healthcare"),
        ]
    )
    assert get(t, "energy").suppressed and not get(t, "healthcare").suppressed
    assert math.isnan(get(t, "healthcare").gap_pp)


def test_no_gap_against_a_total_that_is_not_exact():
    # the all row is top-coded (4 not counted): a group's gap would give the total's numerator away
    t = run([rate_row(396, 400), rate_row(200, 200, "sex", "female"), rate_row(196, 200, "sex", "male")])
    assert get(t).shown_as == "at_least"
    female = get(t, "female")
    assert female.shown_as == "exact" and math.isnan(female.gap_pp) and pd.isna(female.is_gap)


@pytest.mark.parametrize(
    "cells",
    [
        [(1, 0, 9, True), (1, 0, 9, True)],  # two small cells summing to 18
    ],
)
def test_pinned_at_the_extremes(cells):
    assert pinned(cells, 18) == [0, 1]
    assert pinned(cells, 17) == []
    assert pinned(cells, 0) == [0, 1]
    assert pinned([(1, 1, 9, True), (1, 10, math.inf, False)], 11) == [0]  # 11 = 1 + 10 at the least
    assert pinned([(1, 1, 9, True), (1, 10, math.inf, False)], 12) == []


# ------------------------------------------------------------------ counts, means, odds, rule 5
def test_counts_and_derived_counts():
    t = run(
        [
            row("wbl", "learners", 9, kind="count"),
            row("wbl", "employers", 12, kind="derived", cell_n=9, parent="learners"),
            row("wbl", "learners", 12, group_type="wbl_type", group_value="internship", kind="count"),
            row(
                "wbl",
                "employers",
                3,
                group_type="wbl_type",
                group_value="internship",
                kind="derived",
                cell_n=12,
                parent="learners",
            ),
            row(
                "wbl",
                "employers",
                10,
                group_type="wbl_type",
                group_value="mentorship",
                kind="derived",
                cell_n=30,
                parent="learners",
            ),
            row("wbl", "learners", 30, group_type="wbl_type", group_value="mentorship", kind="count"),
            row("wbl", "learners", 0, group_type="wbl_type", group_value="job_shadow", kind="count"),
            row("credits", "credits_earned", 0.5, kind="derived", cell_n=40),
        ]
    )
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
    frame = pd.DataFrame(
        [rate_row(300, 900), rate_row(20, 40, "sex", "nonbinary"), rate_row(280, 860, "sex", "female")],
        columns=ROW_COLUMNS,
    )
    t = suppress(frame, N, {("sex", "nonbinary"): 4, ("sex", "female"): 500})
    assert get(t, "nonbinary").suppression_reason == "fewer than 10 learners in the group in grades 9-12"
    assert get(t, "female").suppression_reason == COMPLEMENTARY


def test_derived_usd_and_credits_follow_their_learners():
    t = run(
        [
            row("savings", "usd", 2100.0, kind="derived", cell_n=4, note="10 credits at $210 per credit"),
            row("savings", "credits_earned", 10.0, kind="derived", cell_n=4),
        ]
    )
    assert t.suppressed.all()
    assert t.value.isna().all() and t.note.isna().all()


def test_means_and_odds():
    t = run(
        [
            row("survey", "mean", 3.5, denominator=9, kind="mean", noun="respondents"),
            row(
                "survey",
                "mean",
                3.5,
                group_type="item",
                group_value="x",
                denominator=10,
                kind="mean",
                noun="respondents",
            ),
            row(
                "odds",
                "odds_ratio",
                2.88,
                group_type="term",
                group_value="5+ courses",
                denominator=500,
                ci_low=1.1,
                ci_high=1.8,
                kind="odds",
                cell_n=9,
                note="5 or more completed CTE courses (vs 0-1): 188% higher odds",
            ),
            row(
                "odds",
                "odds_ratio",
                1.4,
                group_type="term",
                group_value="2-4 courses",
                denominator=500,
                ci_low=1.1,
                ci_high=1.8,
                kind="odds",
                cell_n=10,
            ),
        ]
    )
    survey = get(t, "all")
    assert survey.suppressed and survey.suppression_reason == "fewer than 10 respondents"
    assert not get(t, "x").suppressed
    five = get(t, "5+ courses")
    assert five.suppressed and "cell of the model" in five.suppression_reason
    assert_no_numbers(five)  # the note no longer says "188% higher odds"
    assert not get(t, "2-4 courses").suppressed


def test_stakeholder_types_are_a_breakdown_of_their_item():
    t = run(
        [
            row(
                "s",
                "mean",
                4.0,
                group_type="item",
                group_value="q",
                denominator=114,
                kind="mean",
                noun="respondents",
            )
        ]
        + [
            row(
                "s",
                "mean",
                4.0,
                group_type="stakeholder_type:q",
                group_value=k,
                denominator=d,
                kind="mean",
                noun="respondents",
                additive=True,
                total="item|q",
            )
            for k, d in (("employer", 31), ("k12", 25), ("workforce", 9), ("learner", 9), ("community", 40))
        ]
    )
    # workforce and learner, both below 10, sum to 18: 9 and 9. One more is hidden: k12, the smallest
    part = t[t.group_type == "stakeholder_type:q"]
    assert shown(part) == {
        "employer": "exact",
        "k12": "suppressed",
        "workforce": "suppressed",
        "learner": "suppressed",
        "community": "exact",
    }


def test_status_rows_are_never_suppressed_and_have_no_numbers():
    t = run([row("x", "rate", status="not_submitted", note="not submitted: needs x.csv")])
    r = t.iloc[0]
    assert not r.suppressed and pd.isna(r.value) and r.shown_as is None
    assert r.note == "not submitted: needs x.csv"


@pytest.mark.parametrize("n", [1, 2, 5])
def test_threshold_is_configurable(n):
    t = suppress(
        pd.DataFrame(
            [rate_row(n, n + 1000, "x", "a"), rate_row(n - 1, n + 1000, "y", "b")], columns=ROW_COLUMNS
        ),
        n,
    )
    assert t.iloc[0].shown_as == "exact"
    assert t.iloc[1].shown_as == ("at_most" if n - 1 >= 1 else "exact")


# ------------------------------------------------------------------ rule 4 across tables
def _linked(year=None, earlier=None, rows=()):
    return suppress(pd.DataFrame(list(rows), columns=ROW_COLUMNS), N, year=year, earlier=earlier)


def test_a_denominator_that_counts_a_hidden_numerator_again_is_hidden():
    """CTE participation of learners with disabilities: 92 of 97, shown as a bound (5 not counted);
    participation in high-demand pathways counts those 92 participants as its denominator, so showing
    it would give the 5 away: that row is hidden, the others (whose numerators are shown) stay."""
    t = _linked(
        rows=[
            rate_row(700, 1000, indicator="cte_participation"),
            rate_row(92, 97, "has_disability", "true", indicator="cte_participation"),
            rate_row(608, 903, "has_disability", "false", indicator="cte_participation"),
            rate_row(300, 700, indicator="high_demand_participation"),
            rate_row(40, 92, "has_disability", "true", indicator="high_demand_participation"),
            rate_row(260, 608, "has_disability", "false", indicator="high_demand_participation"),
        ]
    )
    cte = t[t.indicator_id == "cte_participation"]
    demand = t[t.indicator_id == "high_demand_participation"]
    # within CTE participation, the bound's 92 = 700 - 608 would follow from the other rows: rule 4
    # there hides "false" as well; both hidden numerators make both high-demand rows give way
    assert shown(cte) == {"all": "exact", "true": "at_least", "false": "suppressed"}
    assert shown(demand) == {"all": "exact", "true": "suppressed", "false": "suppressed"}
    reason = get(demand, "true").suppression_reason
    assert reason == "suppressed so that a count hidden in CTE participation cannot be worked out"
    assert_no_numbers(get(demand, "true"))


def test_a_hidden_numerator_of_last_year_hides_this_year_s_denominator():
    """On-time graduation of 2023 showed English learners as a bound (26 in the cohort, 4 did not
    graduate); seamless enrollment of 2024 counts the 22 graduates of 2023 as its denominator: hidden.
    Without the earlier year's rows, nothing connects them and the row stays."""
    earlier = pd.DataFrame(
        {
            "school_year": [2023, 2023],
            "indicator_id": ["on_time_graduation"] * 2,
            "measure": ["rate"] * 2,
            "group_type": ["is_english_learner"] * 2,
            "group_value": ["true", "false"],
            "shown_as": ["at_least", "suppressed"],
        }
    )
    rows = [
        rate_row(150, 200, indicator="seamless_enrollment"),
        rate_row(11, 22, "is_english_learner", "true", indicator="seamless_enrollment"),
        rate_row(139, 178, "is_english_learner", "false", indicator="seamless_enrollment"),
    ]
    t = _linked(2024, earlier, rows)
    assert shown(t) == {"all": "exact", "true": "suppressed", "false": "suppressed"}
    assert get(t, "true").suppression_reason == (
        "suppressed so that a count hidden in last year's On-time graduation cannot be worked out"
    )
    assert shown(_linked(2024, None, rows)) == {"all": "exact", "true": "exact", "false": "exact"}
    assert shown(_linked(2025, earlier, rows)) == {"all": "exact", "true": "exact", "false": "exact"}


def test_the_concentrators_bound_gives_way_rather_than_their_rates():
    """On-time graduation of concentrators: 87 in the cohort, 9 did not graduate ("at least"); the
    concentrator rates count the 78 graduates as their denominator and are broken down further, so
    the single bound is hidden, not the rates."""
    t = _linked(
        rows=[
            rate_row(400, 500, indicator="on_time_graduation"),
            rate_row(78, 87, "population", "concentrators", indicator="on_time_graduation", additive=True),
            rate_row(40, 78, indicator="concentrator_credential_attainment"),
            rate_row(20, 40, "sex", "female", indicator="concentrator_credential_attainment"),
            rate_row(20, 38, "sex", "male", indicator="concentrator_credential_attainment"),
        ]
    )
    grad = t[t.indicator_id == "on_time_graduation"]
    assert dict(zip(grad.group_type, grad.shown_as, strict=True)) == {
        "all": "exact",
        "population": "suppressed",
    }
    assert_no_numbers(get(grad, "concentrators"))
    assert set(t[t.indicator_id == "concentrator_credential_attainment"].shown_as) == {"exact"}


def _known_together(t: pd.DataFrame, group_type: str) -> dict[str, float]:
    """The denominators a reader collects from every table of a breakdown: a row shown in any of them."""
    rows = t[(t.group_type == group_type) & (t.shown_as != "suppressed")]
    return dict(zip(rows.group_value, rows.denominator, strict=True))


def _two_rates(group_type: str, a: dict, b: dict) -> list[dict]:
    """Rows of the rates "a" and "b" broken down by ``group_type``: {group value or "all": (counted, of)}."""
    return [
        rate_row(x, n, *(() if value == "all" else (group_type, value)), indicator=ind)
        for ind, cells in (("a", a), ("b", b))
        for value, (x, n) in cells.items()
    ]


def _by_table(t: pd.DataFrame, group_type: str) -> dict[str, dict[str, str]]:
    return {ind: shown(t[(t.indicator_id == ind) & (t.group_type == group_type)]) for ind in ("a", "b")}


def test_tables_of_the_same_learners_hide_the_same_groups():
    """Two rates of the learners 9-12 (248: 125 female, 120 male, 3 of unknown sex). On its own, A
    hides the unknown 3 and then, the smallest other group, the 120 men; B shows the men as a bound
    (5 counted), so it hides the women to keep the bound's numerator, and shows the men's 120.
    Together: 248 - 125 (A) - 120 (B) = 3. The men are hidden in B too (rule 4's order: the smallest
    other group), and B then hides its women as before: no sum of shown sizes leaves a small group."""
    sizes = {("sex", "female"): 125, ("sex", "male"): 120, ("sex", "unknown"): 3}
    a = {"all": (100, 248), "female": (50, 125), "male": (48, 120), "unknown": (2, 3)}
    b = {"all": (66, 248), "female": (60, 125), "male": (5, 120), "unknown": (1, 3)}
    t = run(_two_rates("sex", a, b), sizes)
    assert _by_table(t, "sex") == {
        "a": {"female": "exact", "male": "suppressed", "unknown": "suppressed"},
        "b": {"female": "suppressed", "male": "suppressed", "unknown": "suppressed"},
    }
    assert get(t[t.indicator_id == "b"], "male").suppression_reason == COMPLEMENTARY
    assert 248 - sum(_known_together(t, "sex").values()) >= N


def test_tables_of_the_same_learners_hide_the_majority_side_not_the_focal_group():
    """English learners: 100 of 1004 learners 9-12, 4 of unknown status. A hides the unknown 4 and
    then the "false" side (rule 4's order), showing the 100. B shows the 900 others as a bound (5
    counted) and hides the English learners to protect that numerator, so it shows the 900: with A,
    1004 - 100 - 900 = 4. Tied together, the "false" side goes in B as well (not A's English
    learners), and B then hides its English learners for its own numerator as before."""
    el = "is_english_learner"
    sizes = {(el, "true"): 100, (el, "false"): 900, (el, "unknown"): 4}
    a = {"all": (560, 1004), "true": (60, 100), "false": (498, 900), "unknown": (2, 4)}
    b = {"all": (66, 1004), "true": (60, 100), "false": (5, 900), "unknown": (1, 4)}
    t = run(_two_rates(el, a, b), sizes)
    assert _by_table(t, el) == {
        "a": {"true": "exact", "false": "suppressed", "unknown": "suppressed"},
        "b": {"true": "suppressed", "false": "suppressed", "unknown": "suppressed"},
    }
    assert 1004 - sum(_known_together(t, el).values()) >= N


def test_rates_of_different_learners_are_not_tied_together():
    """B as in the first case, but of other learners (a cohort of 300, not the 248 learners 9-12):
    its men's 137 and A's women's 125 add up to nothing, so B keeps its bound."""
    sizes = {("sex", "female"): 125, ("sex", "male"): 120, ("sex", "unknown"): 3}
    a = {"all": (100, 248), "female": (50, 125), "male": (48, 120), "unknown": (2, 3)}
    b = {"all": (66, 300), "female": (60, 160), "male": (5, 137), "unknown": (1, 3)}
    t = run(_two_rates("sex", a, b), sizes)
    assert _by_table(t, "sex") == {
        "a": {"female": "exact", "male": "suppressed", "unknown": "suppressed"},
        "b": {"female": "suppressed", "male": "at_most", "unknown": "suppressed"},
    }


def test_an_empty_group_of_a_linked_table_is_hidden_and_protected():
    """CTE participation of the 4 learners of unknown EL status: none took part (hidden, a group
    below N). High-demand participation counts the participants: its row of them (added with a
    denominator of 0 by :mod:`pathways.indicators.linked`) is hidden as below N, and since the
    total less the English learners would give its 0 (that is, the hidden numerator) away, the
    next cell in rule 4's order is hidden with it: not the English learners, the "false" side."""
    from pathways.indicators.linked import add_empty_linked_groups

    rows = [
        rate_row(300, 1000, indicator="cte_participation"),
        rate_row(60, 196, "is_english_learner", "true", indicator="cte_participation"),
        rate_row(240, 800, "is_english_learner", "false", indicator="cte_participation"),
        rate_row(0, 4, "is_english_learner", "unknown", indicator="cte_participation"),
        rate_row(90, 300, indicator="high_demand_participation"),
        rate_row(20, 60, "is_english_learner", "true", indicator="high_demand_participation"),
        rate_row(70, 240, "is_english_learner", "false", indicator="high_demand_participation"),
    ]
    table = add_empty_linked_groups(pd.DataFrame(rows, columns=ROW_COLUMNS), 2024, None)
    demand = table[table.indicator_id == "high_demand_participation"]
    assert list(demand.group_value) == ["all", "true", "false", "unknown"]
    assert get(demand, "unknown").denominator == 0
    t = suppress(table, N)
    demand = t[t.indicator_id == "high_demand_participation"]
    assert shown(demand) == {"all": "exact", "true": "exact", "false": "suppressed", "unknown": "suppressed"}
    assert get(demand, "unknown").suppression_reason == f"fewer than {N} learners in the group"
    assert get(demand, "false").suppression_reason == COMPLEMENTARY
