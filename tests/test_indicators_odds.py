"""graduation_odds_by_cte: recovering known odds ratios, and refusing what cannot be estimated."""

from __future__ import annotations

import numpy as np
import pytest

from pathways.indicators.base import Ctx
from pathways.indicators.odds import distinct_rows, graduation_odds_by_cte, odds_words
from pathways.indicators.synthetic import TRUE_ODDS, history_from_frames, make_frames
from pathways.registry import Partnership

P = Partnership.model_validate({"id": "syn", "name": "S", "region": "r", "convener": "c",
                                "partners": [{"name": "X", "sector": "k12"}], "baseline_year": 2019,
                                "living_wage_usd": 50000, "tuition_per_credit_usd": 100})


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
    assert rows[0]["note"].startswith("not estimated: cohort of ") and "(at least 200 needed)" in rows[0]["note"]
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


@pytest.mark.parametrize(("odds", "words"), [
    (1.42, "42% higher odds of graduating on time"), (0.8, "20% lower odds of graduating on time"),
    (3.0, "200% higher odds of graduating on time"),
])
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
