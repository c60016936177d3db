"""Sentences, tiles and cells written from hand-made export rows (issue 14.1, issue 13)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pathways.io.catalogue import load_catalogue
from pathways.report import cells, story

CAT = load_catalogue()


def _rate(**kw) -> pd.Series:
    row = {
        "partnership_id": "p",
        "school_year": 2024,
        "indicator_id": "cte_participation",
        "measure": "rate",
        "group_type": "all",
        "group_value": "all",
        "numerator": 7600.0,
        "denominator": 20000.0,
        "value": 0.38,
        "ci_low": 0.373,
        "ci_high": 0.387,
        "suppressed": False,
        "suppression_reason": None,
        "status": "ok",
        "note": None,
        "shown_as": "exact",
        "bound": np.nan,
        "baseline_year": 2019.0,
        "baseline_value": 0.25,
        "prior_year": 2023.0,
        "change_from_baseline_pp": 13.0,
        "numerator_change_from_baseline_pct": 52.0,
        "numerator_change_from_prior_pct": np.nan,
    }
    row.update(kw)
    return pd.Series(row)


def test_a_rate_is_stated_by_its_learners_and_their_change_then_its_share():
    ind = CAT.get("cte_participation")
    assert story.headline_sentence(ind, _rate(), 2024, 10) == (
        "7,600 learners in industry-aligned career pathways in 2024, 52% more than in 2019; their share of learners "
        "in grades 9-12 rose from 25.0% to 38.0%."
    )
    assert story.rate_sentence(ind, _rate(), 2024, 10) == (
        "CTE participation in 2024: 38.0% of 20,000 learners in grades 9-12 (95% interval 37.3% to 38.7%), up 13.0 "
        "points since 2019: 7,600 learners in industry-aligned career pathways, 52% more than in 2019."
    )


@pytest.mark.parametrize(
    ("pct", "words"),
    [
        (400.0, "5.0 times as many as in 2019"),
        (15.0, "15% more than in 2019"),
        (-12.0, "12% fewer than in 2019"),
        (0.2, "about as many as in 2019"),
    ],
)
def test_relative_changes_read_as_partnerships_state_them(pct, words):
    assert story.relative_change(pct, 2019) == words
    text = story.headline_sentence(
        CAT.get("cte_participation"), _rate(numerator_change_from_baseline_pct=pct), 2024, 10
    )
    assert words in text


def test_a_coded_rate_is_its_bound_with_the_reason_and_no_other_number():
    ind = CAT.get("on_time_graduation")
    row = _rate(
        indicator_id="on_time_graduation",
        shown_as="at_least",
        bound=0.95,
        numerator=np.nan,
        value=np.nan,
        ci_low=np.nan,
        ci_high=np.nan,
        baseline_value=np.nan,
        change_from_baseline_pp=np.nan,
        numerator_change_from_baseline_pct=np.nan,
        denominator=1204.0,
        suppression_reason="fewer than 10 learners not counted in the rate",
    )
    text = story.rate_sentence(ind, row, 2024, 10)
    assert text == (
        "On-time graduation in 2024: at least 95% of 1,204 learners of the graduation cohort of 2024 (shown "
        "as ≥ 95%; the exact rate is not shown: fewer than 10 learners not counted in the rate)."
    )
    assert (
        cells.shown_with_reason(row, "rate", 10) == "≥ 95% (fewer than 10 learners not counted in the rate)"
    )
    assert story.headline_tile(ind, row, 2024)[0] == "≥ 95%"
    assert cells.fmt_bound(0.02, "at_most") == "≤ 2%" and cells.fmt_bound(0.975, "at_least") == "≥ 97.5%"


def test_a_suppressed_rate_says_why_and_nothing_else():
    row = _rate(
        shown_as="suppressed", suppressed=True, suppression_reason="fewer than 10 learners in the group"
    )
    text = story.rate_sentence(CAT.get("cte_participation"), row, 2024, 10)
    assert text == "CTE participation in 2024: not shown (fewer than 10 learners in the group)."
    assert cells.shown(row, "rate", 10) == "suppressed"
    count = _rate(
        measure="learners",
        shown_as="suppressed",
        suppressed=True,
        suppression_reason="fewer than 10 learners",
    )
    assert cells.shown(count, "count", 10) == "<10"  # rule 2
    complementary = _rate(
        measure="learners",
        shown_as="suppressed",
        suppressed=True,
        suppression_reason="suppressed so that a smaller group cannot be worked out",
    )
    assert cells.shown(complementary, "count", 10) == "suppressed"
    assert (
        cells.shown_with_reason(complementary, "count", 10)
        == "suppressed so that a smaller group cannot be worked out"
    )


def test_a_row_from_before_the_export_contract_reads_from_suppressed():
    old = pd.Series({"status": "ok", "suppressed": True, "value": np.nan})
    assert cells.state(old) == "suppressed"
    assert cells.state(pd.Series({"status": "ok", "suppressed": False, "value": 0.4})) == "exact"
    assert (
        cells.state(pd.Series({"status": "not_submitted", "suppressed": False, "value": np.nan}))
        == "not_submitted"
    )
    # a bound without its number is hidden, never read as a zero
    assert cells.state(pd.Series({"status": "ok", "shown_as": "at_least", "bound": np.nan})) == "suppressed"


def test_states_of_a_frame_agree_with_the_state_of_each_row():
    frame = pd.DataFrame(
        [
            _rate(),
            _rate(shown_as="at_least", bound=0.95, value=np.nan),
            _rate(shown_as="suppressed", suppressed=True),
            _rate(shown_as="exact", value=np.nan),
            _rate(status="not_available", shown_as=None),
            _rate(shown_as="at_most", bound=np.nan),
        ]
    )
    assert (
        list(cells.states(frame))
        == [cells.state(r) for _, r in frame.iterrows()]
        == ["exact", "at_least", "suppressed", "missing", "not_available", "suppressed"]
    )


def test_scrub_hidden_keeps_a_coded_row_s_bound_and_size_only():
    frame = pd.DataFrame(
        [_rate(), _rate(shown_as="at_least", bound=0.95), _rate(shown_as="suppressed", suppressed=True)]
    )
    out = cells.scrub_hidden(frame)
    assert out.loc[0, "numerator"] == 7600
    assert (
        np.isnan(out.loc[1, "numerator"])
        and np.isnan(out.loc[1, "value"])
        and np.isnan(out.loc[1, "gap_pp"] if "gap_pp" in out else np.nan)
    )
    assert out.loc[1, "bound"] == 0.95 and out.loc[1, "denominator"] == 20000
    assert out.loc[2, ["numerator", "denominator", "value", "baseline_value"]].isna().all()
    assert out.loc[2, "school_year"] == 2024  # the row keeps its place in the export


def test_a_cohort_headline_states_its_share_and_a_growth_headline_its_learners():
    grad = CAT.get("on_time_graduation")
    row = _rate(
        indicator_id="on_time_graduation",
        value=0.861,
        baseline_value=0.842,
        change_from_baseline_pp=1.9,
        numerator_change_from_baseline_pct=-1.0,
    )
    assert story.headline_tile(grad, row, 2024) == (
        "86.1%",
        "On-time graduation: learners of the graduation cohort of 2024",
        "up 1.9 points since 2019",
    )
    no_baseline = _rate(indicator_id="on_time_graduation", baseline_year=None, baseline_value=None)
    assert story.headline_tile(grad, no_baseline, 2024)[2] == "no earlier figure to compare with"
    big, what, change = story.headline_tile(CAT.get("cte_participation"), _rate(), 2024)
    assert (big, what) == ("+52%", "learners in industry-aligned career pathways since 2019")
    assert change.startswith("7,600 in 2024")
    assert (
        story.headline_tile(
            CAT.get("credential_attainment"), _rate(numerator_change_from_baseline_pct=400.0), 2024
        )[0]
        == "5.0x"
    )


def test_headlines_follow_the_catalogue_rank_and_skip_what_cannot_be_shown():
    rows = pd.DataFrame(
        [_rate(indicator_id=i) for i in ("seamless_enrollment", "wbl_participation", "cte_participation")]
        + [_rate(indicator_id="credential_attainment", shown_as="suppressed", suppressed=True)]
    )
    assert [ind.id for ind, _ in story.headline_rows(rows, CAT)] == [
        "cte_participation",
        "wbl_participation",
        "seamless_enrollment",
    ]


def test_money_reads_as_money():
    from pathways.report.theme import fmt_usd

    assert fmt_usd(8506.2) == "$8,506" and fmt_usd(1_567_020) == "$1.6 million"
    ind = CAT.get("median_earnings_q2")
    row = _rate(
        indicator_id="median_earnings_q2",
        measure="usd",
        value=8506.0,
        denominator=1023.0,
        change_from_baseline_pct=np.nan,
    )
    assert story.money_sentence(ind, row, 2024, 10) == (
        "Median earnings in the second quarter after exit in 2024: $8,506 (the median of 1,023 graduates with wages)."
    )
    savings = pd.DataFrame(
        [
            _rate(
                indicator_id="credit_savings_usd",
                measure="usd",
                value=1_567_020.0,
                change_from_baseline_pct=26.0,
            ),
            _rate(
                indicator_id="credit_savings_usd",
                measure="credits_earned",
                value=7462.0,
                change_from_baseline_pct=26.0,
            ),
        ]
    )
    text = story.amount_sentence(CAT.get("credit_savings_usd"), savings, 2024, 10)
    assert text.startswith(
        "Tuition saved through early college credit in 2024: $1.6 million; 7,462 college credits"
    )
    assert "usd" not in text


def test_odds_ratios_name_a_hidden_or_inestimable_term_without_a_number():
    terms = pd.DataFrame(
        [
            _rate(
                indicator_id="graduation_odds_by_cte",
                measure="odds_ratio",
                group_type="term",
                group_value="2-4 courses",
                value=1.4,
                ci_low=1.1,
                ci_high=1.8,
            ),
            _rate(
                indicator_id="graduation_odds_by_cte",
                measure="odds_ratio",
                group_type="term",
                group_value="5+ courses",
                value=np.nan,
                ci_low=np.nan,
                ci_high=np.nan,
                shown_as="exact",
            ),
            _rate(
                indicator_id="graduation_odds_by_cte",
                measure="odds_ratio",
                group_type="term",
                group_value="mentorship",
                value=np.nan,
                shown_as="suppressed",
                suppressed=True,
                suppression_reason="a cell of the model (term x outcome) has fewer than 10 learners",
                note="188% higher",
            ),
        ]
    )
    text = story.odds_sentence(CAT.get("graduation_odds_by_cte"), terms, 2024, 10)
    assert (
        "2-4 completed CTE courses (compared with 0-1): 1.40 times the odds (95% interval 1.10 to 1.80)"
        in text
    )
    assert "5 or more completed CTE courses (compared with 0-1): not estimable" in text
    assert "mentorship (compared with none): not shown (a cell of the model" in text
    assert "188" not in text


def _gap(
    group_type,
    group_value,
    gap,
    trend=None,
    base=None,
    is_gap=True,
    shown_as="exact",
    indicator="wbl_participation",
):
    return _rate(
        indicator_id=indicator,
        group_type=group_type,
        group_value=group_value,
        gap_pp=gap,
        gap_moe_pp=2.0,
        gap_change_moe_pp=2.0,
        is_gap=is_gap,
        gap_trend=trend,
        gap_baseline_pp=base,
        shown_as=shown_as,
        bound=0.95 if shown_as == "at_least" else np.nan,
    )


def test_largest_gaps_are_gaps_of_learners_only():
    export = pd.DataFrame(
        [
            _gap("is_english_learner", "true", -12.0),
            _gap("has_disability", "true", -8.0),
            _gap("industry_sector", "healthcare", -40.0),
            _gap("years_since_graduation", "1", -30.0),
            _gap("race_ethnicity", "unknown", -25.0),
            _gap("sex", "male", -20.0, shown_as="at_least"),
            _gap("race_ethnicity", "asian", -3.0, is_gap=False),
        ]
    )
    gaps = story.largest_gaps(export)
    assert list(zip(gaps["group_type"], gaps["group_value"], strict=True)) == [
        ("is_english_learner", "true"),
        ("has_disability", "true"),
    ]
    assert story.gap_sentence(gaps.iloc[0], CAT) == (
        "English learners — Work-based learning participation: 38.0%, 12.0 points below other learners (± 2.0)."
    )


def test_gaps_that_narrowed_and_widened_most_are_those_published_in_both_years():
    export = pd.DataFrame(
        [
            _gap("is_english_learner", "true", -4.0, "narrowing", -12.0),  # closed 8 points
            _gap("has_disability", "true", -9.0, "narrowing", -11.0),  # closed 2 points
            _gap("is_economically_disadvantaged", "true", -10.0, "widening", -3.0),
            _gap("race_ethnicity", "black_african_american", -5.0, "no_clear_change", -5.5),
            _gap("race_ethnicity", "asian", -6.0, "narrowing", None),  # the baseline gap was not published
            _gap("sex", "female", -6.0, "narrowing", -15.0, shown_as="at_least"),  # a bound has no gap now
            _gap("industry_sector", "healthcare", -6.0, "narrowing", -15.0),
        ]
    )
    narrowed, widened = story.narrowed_and_widened(export)
    assert list(narrowed["group_type"]) == ["is_english_learner", "has_disability"]
    assert list(widened["group_type"]) == ["is_economically_disadvantaged"]
    assert story.gap_move_sentence(narrowed.iloc[0], CAT) == (
        "English learners — Work-based learning participation: from −12.0 to −4.0 points (change +8.0 ± 2.0)."
    )
    assert story.gap_trend_summary(export, 2019).startswith(
        "Of 4 gaps published both in 2019 and now, 2 narrowed, 1 widened and 1 show no clear change"
    )


def test_employer_engagement_is_stated_as_partnerships_state_it():
    rows = pd.DataFrame(
        [
            _rate(
                indicator_id="wbl_by_type",
                measure="learners",
                group_type="wbl_type",
                group_value="job_shadow",
                value=3000.0,
            ),
            _rate(
                indicator_id="wbl_by_type",
                measure="employers",
                group_type="wbl_type",
                group_value="job_shadow",
                value=107.0,
            ),
            _rate(
                indicator_id="wbl_by_type",
                measure="learners",
                group_type="wbl_type",
                group_value="internship",
                value=np.nan,
                shown_as="suppressed",
                suppressed=True,
            ),
            _rate(
                indicator_id="wbl_by_type",
                measure="learners",
                group_type="wbl_type",
                group_value="mentorship",
                value=40.0,
            ),
            _rate(
                indicator_id="wbl_by_type",
                measure="employers",
                group_type="wbl_type",
                group_value="mentorship",
                value=np.nan,
                shown_as="suppressed",
                suppressed=True,
            ),
        ]
    )
    assert story.employer_sentences(rows) == [
        "3,000 learners in job shadows with 107 employers",
        "40 learners in mentorships",
    ]
