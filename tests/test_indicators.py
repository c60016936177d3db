"""Each indicator against a small hand-computed submission written as CSV and read by load_history.

The fixture (school year 2024, history 2023) is small enough to count by hand; the
comments next to each assertion show the count. ``min_cell_size`` 1 turns suppression off
for the arithmetic; suppression has its own tests.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from pathways.indicators import compute_year
from pathways.io.dictionary import load_dictionary
from pathways.io.export import EXPORT_COLUMNS
from pathways.io.registry import Partnership
from pathways.io.submission import load_history

PID = "test-partnership"


def partnership(**over) -> Partnership:
    base = dict(
        id=PID,
        name="Test",
        region="r",
        convener="c",
        partners=[{"name": "X", "sector": "k12"}],
        baseline_year=2023,
        living_wage_usd=30000,
        tuition_per_credit_usd=100,
        goals=[],
    )
    base.update(over)
    return Partnership.model_validate(base)


def write(data: Path, year: int, name: str, columns: str, rows: list[tuple]) -> None:
    """Write a contract file with every dictionary column (absent ones blank)."""
    spec = load_dictionary().file(name)
    given = columns.split()
    folder = data / PID / str(year)
    folder.mkdir(parents=True, exist_ok=True)
    frame = pd.DataFrame([dict(zip(given, r, strict=True)) for r in rows], columns=given)
    for col in spec.column_names:
        if col not in frame:
            frame[col] = ""
    frame[spec.column_names].to_csv(folder / spec.filename, index=False)


LEARNER_COLS = (
    "learner_id school_year school_id grade_level cohort_year sex race_ethnicity "
    "is_economically_disadvantaged is_english_learner has_disability has_icap"
)


def build(data: Path, *, skip: tuple[str, ...] = (), icap: bool = True) -> Path:
    write(
        data,
        2023,
        "learners",
        LEARNER_COLS,
        [
            ("L1", 2023, "S", 11, 2024, "female", "hispanic_latino", "true", "false", "false", ""),
            ("L2", 2023, "S", 11, 2024, "male", "white", "false", "false", "false", ""),
            ("L3", 2023, "S", 10, 2025, "female", "white", "", "false", "false", ""),
            ("X1", 2023, "S", 11, 2024, "male", "white", "false", "false", "false", ""),
            ("X2", 2023, "S", 11, 2024, "male", "white", "false", "false", "true", ""),
            ("G1", 2023, "S", 12, 2023, "female", "asian", "true", "true", "false", ""),
            ("G2", 2023, "S", 12, 2023, "male", "asian", "true", "false", "false", ""),
        ],
    )
    write(
        data,
        2024,
        "learners",
        LEARNER_COLS,
        [
            (
                "L1",
                2024,
                "S",
                12,
                2024,
                "female",
                "hispanic_latino",
                "true",
                "false",
                "false",
                "true" if icap else "",
            ),
            ("L2", 2024, "S", 12, 2024, "male", "white", "false", "false", "false", "false" if icap else ""),
            ("L3", 2024, "S", 11, 2025, "female", "white", "", "false", "false", ""),
            ("L4", 2024, "S", 9, 2027, "male", "asian", "false", "true", "false", "true" if icap else ""),
            ("L5", 2024, "S", 8, 2028, "female", "asian", "false", "false", "false", ""),
        ],
    )
    for y in (2023, 2024):
        write(
            data,
            y,
            "pathways",
            "pathway_id pathway_name industry_sector is_high_demand nontraditional_gender",
            [
                ("P1", "Nursing", "healthcare", "true", "male"),
                ("P2", "Carpentry", "construction", "false", "female"),
            ],
        )
    cte = "learner_id school_year pathway_id course_id credits is_completed"
    write(
        data,
        2023,
        "cte_courses",
        cte,
        [
            ("L1", 2023, "P1", "C1", 1, "true"),
            ("L2", 2023, "P2", "C5", 1, "true"),
            ("L3", 2023, "P1", "C1", 1, "false"),
        ],
    )
    write(
        data,
        2024,
        "cte_courses",
        cte,
        [
            ("L1", 2024, "P1", "C2", 1, "true"),
            ("L2", 2024, "P2", "C6", 1, "false"),
            ("L3", 2024, "P1", "C1", 1, "true"),
            ("L5", 2024, "P1", "C1", 1, "true"),
        ],
    )
    cred = "learner_id school_year credential_id credential_name credential_type is_credential_of_value earned_date"
    write(
        data,
        2024,
        "credentials",
        cred,
        [
            ("L1", 2024, "K1", "CNA", "industry_certification", "true", "2024-03-01"),
            ("L1", 2024, "K2", "CPR", "industry_certification", "false", "2024-03-02"),
            ("L5", 2024, "K2", "CPR", "industry_certification", "false", "2024-03-02"),
        ],
    )
    wbl = "learner_id school_year wbl_type employer_id hours is_paid is_completed"
    write(data, 2023, "work_based_learning", wbl, [("L1", 2023, "job_shadow", "E1", 4, "false", "true")])
    write(
        data,
        2024,
        "work_based_learning",
        wbl,
        [
            ("L3", 2024, "internship", "E1", 40, "true", "true"),
            ("L4", 2024, "job_shadow", "E2", 4, "false", "true"),
            ("L4", 2024, "job_shadow", "E3", 4, "false", "false"),
            ("L5", 2024, "job_shadow", "E2", 4, "false", "true"),
        ],
    )
    if "early_postsecondary" not in skip:
        write(
            data,
            2024,
            "early_postsecondary",
            "learner_id school_year institution_id course_id pathway_id credits_attempted credits_earned",
            [
                ("L1", 2024, "CC", "BIO101", "P1", 3, 3),
                ("L2", 2024, "CC", "ENG101", "", 3, 0),
                ("L5", 2024, "CC", "MAT101", "", 4, 4),
            ],
        )
    if "early_postsecondary" in skip:
        write(
            data,
            2023,
            "early_postsecondary",
            "learner_id school_year institution_id course_id pathway_id credits_attempted credits_earned",
            [("L1", 2023, "CC", "BIO101", "P1", 3, 3)],
        )
    write(
        data,
        2023,
        "hs_outcomes",
        "learner_id cohort_year exit_type",
        [("G1", 2023, "graduated_regular_diploma"), ("G2", 2023, "dropped_out")],
    )
    write(
        data,
        2024,
        "hs_outcomes",
        "learner_id cohort_year exit_type",
        [
            ("L1", 2024, "graduated_advanced_diploma"),
            ("L2", 2024, "graduated_regular_diploma"),
            ("X1", 2024, "transferred_out"),
            ("X2", 2024, "dropped_out"),
        ],
    )
    write(
        data,
        2024,
        "postsecondary",
        "learner_id hs_graduation_year academic_year institution_id "
        "institution_sector is_enrolled_fall credential_earned",
        [("G1", 2023, 2024, "CC", "public_two_year", "true", "none")],
    )
    emp = "learner_id year quarter employer_id naics_sector wages_usd"
    write(
        data,
        2023,
        "employment",
        emp,
        [
            ("G1", 2023, 2, "E1", "62", 3000),
            ("G1", 2023, 3, "E1", "62", 4000),
            ("G1", 2023, 4, "E1", "62", 5000),
            ("G2", 2023, 1, "E2", "23", 10000),
            ("G2", 2023, 2, "E2", "23", 10000),
            ("G2", 2023, 3, "E2", "23", 10000),
            ("G2", 2023, 4, "E2", "23", 10000),
        ],
    )
    write(
        data,
        2024,
        "employer_activity",
        "employer_id school_year industry_sector activity participant_count",
        [
            ("E1", 2024, "healthcare", "teacher_externship", 4),
            ("E9", 2024, "construction", "hire_of_graduate", 2),
            ("E9", 2024, "construction", "critical_job_filled", 1),
        ],
    )
    items = "goal_effectiveness resource_use engagement_quality learner_impact partnership_dynamics overall_satisfaction"
    write(
        data,
        2024,
        "stakeholder_survey",
        "respondent_id school_year stakeholder_type " + items,
        [
            ("R1", 2024, "employer", 5, 4, 4, 4, 4, 4),
            ("R2", 2024, "k12", "", 2, 2, 2, 2, 2),
        ],
    )
    return data


@pytest.fixture(scope="module")
def table(tmp_path_factory) -> pd.DataFrame:
    data = build(tmp_path_factory.mktemp("hand"))
    return compute_year(load_history(data, PID, 2024), partnership(), 1)


def one(table, indicator, measure="rate", group_type="all", group_value="all") -> pd.Series:
    rows = table[
        (table.indicator_id == indicator)
        & (table.measure == measure)
        & (table.group_type == group_type)
        & (table.group_value == group_value)
    ]
    assert len(rows) == 1, (indicator, measure, group_type, group_value, rows)
    return rows.iloc[0]


def rate(table, indicator, group_type="all", group_value="all") -> tuple[float, float]:
    r = one(table, indicator, "rate", group_type, group_value)
    assert r.status == "ok", r.note
    return r.numerator, r.denominator


def test_columns_and_year(table):
    assert list(table.columns) == EXPORT_COLUMNS
    assert set(table.school_year) == {2024} and set(table.partnership_id) == {PID}
    # At N = 1 only the empty groups of the tables whose denominator counts another figure's
    # learners (below) are hidden: no group is small, so nothing else protects them.
    hidden = table[table.suppressed]
    assert set(hidden.suppression_reason) == {
        "fewer than 1 learners in the group",
        "fewer than 1 credentials in the group",
    }
    assert set(hidden.indicator_id) == {"high_demand_participation", "credentials_of_value_share"}


def test_a_linked_table_has_a_row_for_every_group_of_the_figure_it_counts(table):
    """L4 (the only English learner in grades 9-12) took no CTE course: high-demand participation
    (of CTE participants) has nobody there. Without a row, its absence would say that
    cte_participation's numerator of English learners is 0, even where that one is hidden."""
    assert rate(table, "cte_participation", "is_english_learner", "true") == (0, 1)
    rows = table[
        (table.indicator_id == "high_demand_participation") & (table.group_type == "is_english_learner")
    ]
    assert rows.group_value.tolist() == ["true", "false"]
    empty = rows.iloc[0]
    assert empty.suppressed and empty.suppression_reason == "fewer than 1 learners in the group"
    assert empty[["numerator", "denominator", "value"]].isna().all()
    assert rows.iloc[1].shown_as == "exact" and rows.iloc[1].denominator == 2


def test_pathway_indicators(table):
    assert rate(table, "cte_participation") == (2, 4)  # L1, L3 of L1-L4 (L5 is in grade 8)
    assert rate(table, "cte_concentration") == (1, 4)  # L1: C1 (2023) + C2 (2024) in P1
    assert rate(table, "high_demand_participation") == (2, 2)  # both participants in P1
    assert rate(table, "nontraditional_concentration") == (0, 1)  # L1 is female, P1's nontraditional is male
    assert rate(table, "icap_completion") == (2, 4)  # L1, L4; L3 blank counts as not completed


def test_gaps_only_for_the_five_learner_breakdowns(table):
    rows = table[table.measure == "rate"]
    sector = rows[rows.group_type == "industry_sector"]
    years = rows[rows.group_type == "years_since_graduation"]
    assert len(sector) and len(years)
    for part in (sector, years):
        assert part.gap_pp.isna().all() and part.gap_moe_pp.isna().all() and part.is_gap.isna().all()
    learner = rows[
        rows.group_type.isin(
            ["sex", "race_ethnicity", "is_economically_disadvantaged", "is_english_learner", "has_disability"]
        )
    ]
    assert learner.gap_pp.notna().any()


def test_pathway_groups_and_gaps(table):
    assert rate(table, "cte_participation", "sex", "female") == (2, 2)
    assert rate(table, "cte_participation", "sex", "male") == (0, 2)
    male = one(table, "cte_participation", "rate", "sex", "male")
    assert male.gap_pp == pytest.approx(-100) and male.gap_moe_pp == pytest.approx(0) and bool(male.is_gap)
    assert rate(table, "cte_participation", "is_economically_disadvantaged", "unknown") == (1, 1)  # L3
    assert rate(table, "cte_participation", "is_economically_disadvantaged", "false") == (0, 2)
    # a learner counts in each sector where they completed a course (all years so far)
    assert rate(table, "cte_participation", "industry_sector", "healthcare") == (2, 2)  # L1, L3
    assert rate(table, "cte_participation", "industry_sector", "construction") == (0, 1)  # L2
    # empty groups have no row
    assert table[(table.indicator_id == "cte_participation") & (table.group_value == "nonbinary")].empty


def test_credentials(table):
    assert rate(table, "credential_attainment") == (1, 4)
    assert one(table, "credential_attainment", "credentials_earned").value == 3  # all grades
    assert rate(table, "credentials_of_value_share") == (1, 3)
    assert rate(table, "concentrator_credential_attainment") == (1, 1)


def test_work_based_learning(table):
    assert rate(table, "wbl_participation") == (2, 4)  # L3, L4
    assert one(table, "wbl_by_type", "learners", "wbl_type", "job_shadow").value == 2  # L4, L5
    assert (
        one(table, "wbl_by_type", "employers", "wbl_type", "job_shadow").value == 1
    )  # E2 (E3 not completed)
    assert one(table, "wbl_by_type", "learners").value == 3
    assert rate(table, "concentrator_wbl") == (1, 1)  # L1's job shadow of 2023
    assert one(table, "teacher_externships", "teachers").value == 4
    assert one(table, "teacher_externships", "employers").value == 1
    assert one(table, "employer_engagement", "employers").value == 4  # E1, E2, E3, E9
    assert one(table, "employer_engagement", "hires_of_graduate").value == 2
    assert one(table, "employer_engagement", "critical_job_filled").value == 1


def test_early_credit(table):
    assert rate(table, "early_postsecondary_credit") == (1, 4)
    assert one(table, "early_postsecondary_credit", "credits_earned").value == 7
    assert one(table, "credit_savings_usd", "usd").value == 700
    assert rate(table, "concentrator_postsecondary_credit") == (1, 1)


def test_graduation(table):
    assert rate(table, "on_time_graduation") == (2, 3)  # X1 transferred out is left out
    assert rate(table, "on_time_graduation", "population", "concentrators") == (1, 1)
    odds = one(table, "graduation_odds_by_cte", "learners")
    assert odds.status == "not_available"
    assert odds.note == "not estimated: cohort of 3 learners is too small (at least 200 needed)"


def test_after_high_school(table):
    assert rate(table, "seamless_enrollment") == (1, 1)  # G1
    persistence = one(table, "persistence")  # graduates of 2022: the fixture has no folder 2022
    assert persistence.status == "not_submitted" and "hs_outcomes.csv of 2022" in persistence.note
    assert rate(table, "postsecondary_completion") == (0, 1)
    assert "2023" in one(table, "postsecondary_completion").note
    assert rate(table, "placement") == (1, 1)
    assert rate(table, "employment_rate_q2") == (1, 1)
    median = one(table, "median_earnings_q2", "usd")
    assert (median.value, median.denominator) == (5000, 1)
    assert rate(table, "family_sustaining_wage") == (1, 2)  # G2: 40,000 over 4 quarters; G1 12,000
    assert rate(table, "family_sustaining_wage", "years_since_graduation", "0") == (0, 1)
    assert rate(table, "family_sustaining_wage", "years_since_graduation", "unknown") == (1, 1)


def test_stakeholder_survey(table):
    overall = one(table, "stakeholder_satisfaction", "mean")
    assert (overall.value, overall.denominator) == (3, 2)
    goal = one(table, "stakeholder_satisfaction", "mean", "item", "goal_effectiveness")
    assert (goal.value, goal.denominator) == (5, 1)
    k12 = one(table, "stakeholder_satisfaction", "mean", "stakeholder_type:resource_use", "k12")
    assert (k12.value, k12.denominator) == (2, 1)


def test_wilson_interval_matches_statsmodels(table):
    from statsmodels.stats.proportion import proportion_confint

    from pathways.indicators.rates import wilson

    p, low, high = wilson(81, 263)
    expected = proportion_confint(81, 263, alpha=0.05, method="wilson")
    assert p == pytest.approx(81 / 263)
    assert (low, high) == pytest.approx(expected, abs=1e-12)
    r = one(table, "cte_participation")
    assert (r.ci_low, r.ci_high) == pytest.approx(proportion_confint(2, 4, method="wilson"), abs=1e-12)
    _, low0, high0 = wilson(0, 0)
    assert math.isnan(low0) and math.isnan(high0)


def test_equity_gap_arithmetic():
    from pathways.indicators.rates import equity_gap

    gap, moe, flag = equity_gap(np.array([20.0]), np.array([100.0]), np.array([120.0]), np.array([300.0]))
    p1, p2 = 0.2, 100 / 200
    assert gap[0] == pytest.approx((p1 - p2) * 100)
    assert moe[0] == pytest.approx(1.96 * math.sqrt(p1 * (1 - p1) / 100 + p2 * (1 - p2) / 200) * 100)
    assert bool(flag[0])


def test_missing_optional_file_is_not_submitted(tmp_path):
    data = build(tmp_path, skip=("early_postsecondary",))
    table = compute_year(load_history(data, PID, 2024), partnership(), 1)
    for ind in ("early_postsecondary_credit", "credit_savings_usd", "concentrator_postsecondary_credit"):
        rows = table[table.indicator_id == ind]
        assert len(rows) == 1 and rows.iloc[0].status == "not_submitted"
        assert "early_postsecondary.csv of 2024" in rows.iloc[0].note
        assert rows[["numerator", "denominator", "value"]].isna().all().all()  # never a zero


def test_blank_optional_column_is_not_submitted(tmp_path):
    data = build(tmp_path, icap=False)
    table = compute_year(load_history(data, PID, 2024), partnership(), 1)
    row = one(table, "icap_completion")
    assert row.status == "not_submitted" and "has_icap" in row.note and math.isnan(row.value)


@pytest.mark.parametrize(
    "file, indicators",
    [
        (
            "cte_courses",
            (
                "cte_participation",
                "cte_concentration",
                "high_demand_participation",
                "nontraditional_concentration",
                "concentrator_credential_attainment",
                "concentrator_wbl",
                "concentrator_postsecondary_credit",
                "graduation_odds_by_cte",
            ),
        ),
        ("work_based_learning", ("wbl_participation", "wbl_by_type", "concentrator_wbl")),
    ],
)
def test_a_completion_column_left_blank_in_every_row_is_not_submitted_never_zero(tmp_path, file, indicators):
    """is_completed may be blank ("blank means unknown"): blank in every row of the year, the
    indicators that count completions are "not submitted", not a measured collapse to zero."""
    data = build(tmp_path)
    path = data / PID / "2024" / f"{file}.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame["is_completed"] = ""
    frame.to_csv(path, index=False)
    table = compute_year(load_history(data, PID, 2024), partnership(), 1)
    for ind in indicators:
        rows = table[table.indicator_id == ind]
        assert len(rows) == 1 and rows.iloc[0].status == "not_submitted", (ind, rows)
        assert f"column is_completed of {file}.csv of 2024 was left blank" in rows.iloc[0].note
        assert rows[["numerator", "denominator", "value"]].isna().all().all()
    # what does not count completions is still computed from the same file
    assert one(table, "employer_engagement", "employers").status == "ok"
    if file == "work_based_learning":
        assert one(table, "cte_participation").status == "ok"


def test_denominator_of_zero_is_not_available(tmp_path):
    write(
        tmp_path,
        2024,
        "learners",
        LEARNER_COLS,
        [("L5", 2024, "S", 8, 2028, "female", "asian", "false", "false", "false", "true")],
    )
    write(
        tmp_path,
        2024,
        "cte_courses",
        "learner_id school_year pathway_id course_id credits is_completed",
        [("L5", 2024, "P1", "C1", 1, "true")],
    )
    table = compute_year(load_history(tmp_path, PID, 2024), partnership(), 10)
    row = one(table, "cte_participation")
    assert row.status == "not_available" and "grades 9-12" in row.note and math.isnan(row.value)
    assert one(table, "on_time_graduation").status == "not_submitted"


def test_employment_is_read_from_the_prior_folder(tmp_path):
    """Wages of Y-1 live in folder Y-1: without it, the WIOA pair is not submitted even if Y has a file."""
    data = build(tmp_path)
    (data / PID / "2023" / "employment.csv").rename(data / PID / "2024" / "employment.csv")
    text = (data / PID / "2024" / "employment.csv").read_text().replace(",2023,", ",2024,")
    (data / PID / "2024" / "employment.csv").write_text(text)
    table = compute_year(load_history(data, PID, 2024), partnership(), 1)
    assert one(table, "employment_rate_q2").status == "not_submitted"
    assert "employment.csv of 2023" in one(table, "employment_rate_q2").note
    placement = one(table, "placement")  # postsecondary alone still places G1
    assert placement.status == "ok" and "only enrollment" in placement.note


AFTER_HIGH_SCHOOL = ("seamless_enrollment", "placement", "employment_rate_q2", "median_earnings_q2")


def test_last_year_s_graduates_need_last_year_s_outcomes_not_this_year_s(tmp_path, table):
    """College going, placement and the WIOA pair follow the graduates of Y-1 (hs_outcomes.csv of
    Y-1): this year's outcomes sent late leave them as they are, and last year's missing makes them
    "not submitted", never "no graduates"."""
    late = build(tmp_path / "late")
    (late / PID / "2024" / "hs_outcomes.csv").unlink()
    without_this_year = compute_year(load_history(late, PID, 2024), partnership(), 1)
    for ind in (*AFTER_HIGH_SCHOOL, "postsecondary_completion"):
        measure = "usd" if ind == "median_earnings_q2" else "rate"
        mine, full = one(without_this_year, ind, measure), one(table, ind, measure)
        assert mine.status == "ok", (ind, mine.note)
        np.testing.assert_equal(  # NaN where a median has no numerator: equal too
            [mine.numerator, mine.denominator, mine.value], [full.numerator, full.denominator, full.value]
        )
    assert one(without_this_year, "on_time_graduation").status == "not_submitted"

    lost = build(tmp_path / "lost")
    (lost / PID / "2023" / "hs_outcomes.csv").unlink()
    without_last_year = compute_year(load_history(lost, PID, 2024), partnership(), 1)
    for ind in AFTER_HIGH_SCHOOL:
        row = without_last_year[without_last_year.indicator_id == ind].iloc[0]
        assert row.status == "not_submitted" and "hs_outcomes.csv of 2023" in row.note, (ind, row.note)
    # college completion follows the oldest cohort of 2018-2023 the data holds: none is left
    completion = one(without_last_year, "postsecondary_completion")
    assert (
        completion.status == "not_submitted" and "hs_outcomes.csv of one of 2018 to 2023" in completion.note
    )
    assert one(without_last_year, "on_time_graduation").status == "ok"


def test_suppression_applied_in_compute_year(table, tmp_path):
    from pathways.indicators.suppression import COMPLEMENTARY

    data = build(tmp_path)
    small = compute_year(load_history(data, PID, 2024), partnership(), 3)
    r = one(small, "cte_participation")  # 2 of 4: both sides below 3
    assert (
        r.suppressed
        and r.suppression_reason == "fewer than 3 learners counted in the rate, and fewer than 3 not"
    )
    assert r[["numerator", "denominator", "value", "ci_low", "ci_high"]].isna().all()
    # 1 of 4 would read "at most 75%" with its denominator, but the 4 learners 9-12 are 2 women
    # and 2 men, both groups hidden (below 3): 4 learners in two groups known to be below 3 are
    # 2 and 2. No group is left to hide, so the total goes; and so does the only group of
    # learners without a disability (all 4, also "at most 75%"), which would add the total up.
    for group_type, group_value in (("all", "all"), ("has_disability", "false")):
        r = one(small, "cte_concentration", "rate", group_type, group_value)
        assert r.shown_as == "suppressed" and r.suppression_reason == COMPLEMENTARY, group_type
        assert math.isnan(r.denominator)
    assert not one(small, "teacher_externships", "teachers").suppressed  # 4 teachers >= 3
    assert one(small, "employer_engagement", "critical_job_filled").suppressed  # 1 person
    shown = small[~small.suppressed & (small.status == "ok")]
    people = shown[shown.measure.isin(["learners", "teachers", "hires_of_graduate", "critical_job_filled"])]
    assert not ((people.value >= 1) & (people.value < 3)).any()


def test_threshold_and_complementary_suppression_in_compute_year():
    """24 learners, nobody with an ICAP: EL true 10 (shown), false 9 and unknown 5 (hidden);
    race white 20 and asian 4: asian hidden, so white is hidden too (total minus white = asian)."""
    from pathways.indicators.suppression import COMPLEMENTARY
    from pathways.indicators.synthetic import history_from_frames

    n = 24
    el = ["true"] * 10 + ["false"] * 9 + [None] * 5
    learners = pd.DataFrame(
        {
            "learner_id": pd.array([f"A{i}" for i in range(n)], dtype="string"),
            "school_year": pd.array([2024] * n, dtype="Int64"),
            "school_id": pd.array(["S"] * n, dtype="string"),
            "grade_level": pd.array([10] * n, dtype="Int64"),
            "cohort_year": pd.array([2026] * n, dtype="Int64"),
            "sex": pd.array(["female", "male"] * 12, dtype="string"),
            "race_ethnicity": pd.array(["white"] * 20 + ["asian"] * 4, dtype="string"),
            "is_economically_disadvantaged": pd.array([False] * n, dtype="boolean"),
            "is_english_learner": pd.array([None if v is None else v == "true" for v in el], dtype="boolean"),
            "has_disability": pd.array([False] * n, dtype="boolean"),
            "has_icap": pd.array([False] * n, dtype="boolean"),
        }
    )
    table = compute_year(history_from_frames({"learners": learners}, 2024), partnership(), 10)
    assert rate(table, "icap_completion") == (0, 24)
    assert rate(table, "icap_completion", "is_english_learner", "true") == (0, 10)  # exactly N: shown
    for value in ("false", "unknown"):
        r = one(table, "icap_completion", "rate", "is_english_learner", value)
        assert r.suppressed and r.suppression_reason == "fewer than 10 learners in the group"
        assert (
            r[["numerator", "denominator", "value", "ci_low", "ci_high", "gap_pp", "gap_moe_pp"]].isna().all()
        )
    white = one(table, "icap_completion", "rate", "race_ethnicity", "white")
    assert white.suppressed and white.suppression_reason == COMPLEMENTARY and math.isnan(white.denominator)
    assert rate(table, "icap_completion", "sex", "female") == (0, 12)
    # everything else needs files that were not sent: "not submitted", never zero
    rest = table[table.indicator_id != "icap_completion"]
    assert set(rest.status) == {"not_submitted"} and rest.value.isna().all()
