"""graduation_odds_by_cte: recovering known odds ratios, and refusing what cannot be estimated."""

from __future__ import annotations

import numpy as np
import pytest

from pathways.indicators.base import Ctx
from pathways.indicators.odds import distinct_rows, graduation_odds_by_cte, odds_words
from pathways.indicators.synthetic import TRUE_ODDS, history_from_frames, make_frames
from pathways.io.registry import Partnership

P = Partnership.model_validate(
    {
        "id": "syn",
        "name": "S",
        "region": "r",
        "convener": "c",
        "partners": [{"name": "X", "sector": "k12"}],
        "baseline_year": 2019,
        "living_wage_usd": 50000,
        "tuition_per_credit_usd": 100,
    }
)


def by_term(rows):
    return {r["group_value"]: r for r in rows if r["measure"] == "odds_ratio"}


def test_recovers_known_odds_ratios():
    frames = make_frames(45000, seed=11)
    ctx = Ctx(history_from_frames(frames, 2024), P, 10)
    rows = graduation_odds_by_cte(ctx)
    assert rows[0]["status"] == "ok" and rows[0]["value"] >= 4000
    terms = by_term(rows)
    for term, truth in TRUE_ODDS.items():
        r = terms[term]
        assert r["status"] == "ok"
        assert r["ci_low"] < truth < r["ci_high"], (term, r["value"], r["ci_low"], r["ci_high"])
        assert r["denominator"] == rows[0]["value"]
        assert "higher odds of graduating on time" in r["note"]


def test_refuses_a_tiny_cohort():
    frames = make_frames(600, seed=2)
    rows = graduation_odds_by_cte(Ctx(history_from_frames(frames, 2024), P, 10))
    assert all(r["status"] == "not_available" for r in rows)
    assert (
        rows[0]["note"].startswith("not estimated: cohort of ") and "(at least 200 needed)" in rows[0]["note"]
    )
    assert all(np.isnan(r["value"]) for r in rows)


def test_empty_cell_term_is_not_estimated():
    frames = make_frames(12000, seed=4)
    wbl = frames["work_based_learning"]
    frames["work_based_learning"] = wbl[wbl["wbl_type"] != "mentorship"].reset_index(drop=True)
    rows = graduation_odds_by_cte(Ctx(history_from_frames(frames, 2024), P, 10))
    terms = by_term(rows)
    assert terms["mentorship"]["status"] == "not_available"
    assert terms["2-4 courses"]["status"] == "ok"


def test_same_outcome_for_everyone_is_refused():
    frames = make_frames(12000, seed=4)
    out = frames["hs_outcomes"]
    out.loc[out["cohort_year"] == 2024, "exit_type"] = "graduated_regular_diploma"
    rows = graduation_odds_by_cte(Ctx(history_from_frames(frames, 2024), P, 10))
    assert rows[0]["status"] == "not_available" and "same outcome" in rows[0]["note"]


@pytest.mark.parametrize(
    ("odds", "words"),
    [
        (1.42, "42% higher odds of graduating on time"),
        (0.8, "20% lower odds of graduating on time"),
        (3.0, "200% higher odds of graduating on time"),
    ],
)
def test_odds_words(odds, words):
    assert odds_words(odds) == words


def test_grouped_fit_equals_the_per_learner_logit():
    from statsmodels.discrete.discrete_model import Logit

    from pathways.indicators.odds import design

    frames = make_frames(20000, seed=8)
    ctx = Ctx(history_from_frames(frames, 2024), P, 10)
    y, x, _ = design(ctx)
    direct = Logit(y, x).fit(disp=0)
    terms = by_term(graduation_odds_by_cte(ctx))
    for j, term in enumerate(("2-4 courses", "5+ courses", "mentorship"), start=1):
        assert terms[term]["value"] == pytest.approx(np.exp(direct.params[j]), rel=1e-6)
        assert terms[term]["ci_low"] == pytest.approx(np.exp(direct.conf_int()[j, 0]), rel=1e-6)


@pytest.mark.parametrize("binary", [True, False])
def test_distinct_rows_is_numpy_unique(binary):
    rng = np.random.default_rng(5)
    x = rng.integers(0, 2 if binary else 3, size=(5_000, 9)).astype(float)
    patterns, inverse = distinct_rows(x)
    expected_patterns, expected_inverse = np.unique(x, axis=0, return_inverse=True)
    np.testing.assert_array_equal(patterns, expected_patterns)
    np.testing.assert_array_equal(inverse, expected_inverse.ravel())
    np.testing.assert_array_equal(patterns[inverse], x)


def _graduate(frames, ctx, codes: set) -> None:
    """Cohort 2024 members among the learner codes ``codes`` all graduate (in ``frames``)."""
    out = frames["hs_outcomes"]
    assert len(out) == len(ctx.frames["hs_outcomes"])  # no row without an id: codes line up with rows
    flip = (
        (out["cohort_year"] == 2024).fillna(False).to_numpy()
        & np.isin(ctx.frames["hs_outcomes"]["lc"].to_numpy(), list(codes))
        & ~out["exit_type"].isin(["transferred_out", "deceased"]).to_numpy()
    )
    out.loc[flip, "exit_type"] = "graduated_regular_diploma"


def test_a_term_whose_learners_all_graduated_is_not_estimable_and_leaves_the_model():
    """Every learner with 5+ courses graduates: no finite odds ratio. Its learners are left out
    of the model (not counted with the 0-1 course learners), so the other odds ratios equal a
    logit fitted on the cohort without them."""
    from statsmodels.discrete.discrete_model import Logit

    from pathways.indicators.odds import design

    frames = make_frames(20000, seed=8)
    ctx = Ctx(history_from_frames(frames, 2024), P, 10)
    members, _ = ctx.cohort_members(2024)
    lc = np.flatnonzero(members)
    five_plus = ctx.completed_course_count[lc] >= 5
    assert five_plus.sum() >= 10
    _graduate(frames, ctx, set(lc[five_plus]))
    ctx = Ctx(history_from_frames(frames, 2024), P, 10)
    rows = graduation_odds_by_cte(ctx)
    terms = by_term(rows)
    five = terms["5+ courses"]
    assert five["status"] == "not_available" and np.isnan(five["value"])
    assert "not estimable" in five["note"] and "graduated on time" in five["note"]
    assert "estimated without these learners" in five["note"]
    y, x, _ = design(ctx)
    keep = x[:, 2] == 0
    assert rows[0]["value"] == keep.sum()  # the model's n leaves the 5+ learners out
    y_kept, x_kept, _ = design(ctx, keep)
    direct = Logit(y_kept, np.delete(x_kept, 2, axis=1)).fit(disp=0)
    for j, term in ((1, "2-4 courses"), (2, "mentorship")):
        assert terms[term]["status"] == "ok"
        assert terms[term]["value"] == pytest.approx(np.exp(direct.params[j]), rel=1e-6)
    # folding them into the 0-1 reference (the old model) gives a different, wrong comparison
    folded = Logit(y, np.delete(x, 2, axis=1)).fit(disp=0)
    assert abs(np.exp(folded.params[1]) - terms["2-4 courses"]["value"]) > 1e-3


def test_a_comparison_group_without_variation_refuses_the_model():
    frames = make_frames(20000, seed=8)
    ctx = Ctx(history_from_frames(frames, 2024), P, 10)
    members, _ = ctx.cohort_members(2024)
    lc = np.flatnonzero(members)
    _graduate(frames, ctx, set(lc[ctx.completed_course_count[lc] <= 1]))
    rows = graduation_odds_by_cte(Ctx(history_from_frames(frames, 2024), P, 10))
    assert all(r["status"] == "not_available" for r in rows)
    assert rows[0]["note"] == (
        "not estimated: the comparison group (learners with 0-1 completed CTE courses) "
        "all had the same outcome"
    )


@pytest.mark.parametrize("above", [True, False])
def test_the_models_n_is_hidden_where_the_cohort_less_it_counts_a_few_learners(above):
    """The model leaves out the learners of a term that cannot be estimated; the cohort's size
    (on-time graduation's denominator) less the model's n counts them. Fewer than N of them: n is
    hidden, in the learners row and as the odds ratios' denominator; N or more: shown."""
    import pandas as pd

    from pathways.indicators.base import ROW_COLUMNS
    from pathways.indicators.suppression import suppress

    frames = make_frames(20000, seed=8)
    ctx = Ctx(history_from_frames(frames, 2024), P, 10)
    members, _ = ctx.cohort_members(2024)
    lc = np.flatnonzero(members)
    five_plus = lc[ctx.completed_course_count[lc] >= 5]
    # keep 7 learners with 5+ courses (the others' courses taken out), all of whom graduate
    courses = frames["cte_courses"]
    assert len(courses) == len(ctx.frames["cte_courses"])
    frames["cte_courses"] = courses[~np.isin(ctx.frames["cte_courses"]["lc"].to_numpy(), five_plus[7:])]
    _graduate(frames, ctx, set(five_plus[:7]))
    left_out = 7
    n = left_out + 1 if above else left_out
    rows = graduation_odds_by_cte(Ctx(history_from_frames(frames, 2024), P, n))
    assert rows[0]["value"] == members.sum() - left_out
    table = suppress(pd.DataFrame(rows, columns=ROW_COLUMNS), n)
    learners = table[table.measure == "learners"].iloc[0]
    odds = table[table.measure == "odds_ratio"]
    if above:
        assert learners.suppressed and np.isnan(learners.value)
        assert learners.suppression_reason == (
            f"derived from a suppressed cell (fewer than {n} learners left out of the model)"
        )
        assert odds.denominator.isna().all()
    else:
        assert not learners.suppressed and learners.value == members.sum() - left_out
        shown = odds[~odds.suppressed & odds.value.notna()]
        assert (shown.denominator == learners.value).all()
    # the odds ratios stay shown wherever their own cells allow it
    own = [r for r in rows if r["measure"] == "odds_ratio" and r["status"] == "ok"]
    assert (~odds.suppressed & odds.value.notna()).sum() == sum(r["_cell_n"] >= n for r in own)
