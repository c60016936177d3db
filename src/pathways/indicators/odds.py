"""Adjusted odds of on-time graduation by CTE course-taking and mentorship (logistic regression).

A binomial GLM with logit link (the same model as a logistic regression) from statsmodels.
"""

from __future__ import annotations

import warnings

import numpy as np

from pathways.indicators.base import LEARNER_GROUPS, Ctx, _as_bool, row

MIN_MODEL_N = 200
# The model is fitted on this indicator's denominator (cohort Y less transfers and deaths), so
# the cohort's published size less the model's n counts the learners the model leaves out.
COHORT_INDICATOR = "on_time_graduation"
TERMS = ("2-4 courses", "5+ courses", "mentorship")
TERM_WORDS = {
    "2-4 courses": "2-4 completed CTE courses (vs 0-1)",
    "5+ courses": "5 or more completed CTE courses (vs 0-1)",
    "mentorship": "a completed mentorship (vs none)",
}
ID = "graduation_odds_by_cte"


def odds_words(odds_ratio: float) -> str:
    """ "42% higher odds of graduating on time" from an odds ratio of 1.42 (0.8 -> "20% lower odds")."""
    if odds_ratio >= 1:
        return f"{(odds_ratio - 1) * 100:.0f}% higher odds of graduating on time"
    return f"{(1 - odds_ratio) * 100:.0f}% lower odds of graduating on time"


def _refuse(reason: str, n: float = np.nan) -> list[dict]:
    rows = [row(ID, "learners", status="not_available", note=reason)]
    rows += [
        row(ID, "odds_ratio", group_type="term", group_value=t, status="not_available", note=reason)
        for t in TERMS
    ]
    return rows


def design(ctx: Ctx, keep: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Outcome, design matrix (constant, three terms, demographic dummies) and column names for cohort Y.

    ``keep`` (over the cohort's members, in learner-code order) leaves learners out of the model.
    Each adjustment variable is coded with its largest level as reference and "unknown" as a
    level of its own; levels nobody in the model has are dropped.
    """
    members, grads = ctx.cohort_members(ctx.year)
    lc = np.flatnonzero(members)
    if keep is not None:
        lc = lc[keep]
    y = grads[lc].astype(float)
    courses = ctx.completed_course_count[lc]
    wbl = ctx.frames["work_based_learning"]
    ment = wbl[
        (wbl["wbl_type"] == "mentorship").fillna(False).to_numpy(dtype=bool) & _as_bool(wbl["is_completed"])
    ]
    mentored = ctx.mask(ment["lc"].to_numpy())[lc]
    cols = [
        np.ones(len(lc)),
        ((courses >= 2) & (courses <= 4)).astype(float),
        (courses >= 5).astype(float),
        mentored.astype(float),
    ]
    names = ["const", *TERMS]
    for g in LEARNER_GROUPS:
        codes, labels = ctx.group_codes[g]
        c = codes[lc]
        present = np.bincount(c, minlength=len(labels))
        graduated = np.bincount(c, weights=y, minlength=len(labels))
        levels = np.flatnonzero(present)
        if len(levels) < 2:
            continue  # no variation: nothing to adjust for
        reference = levels[np.argmax(present[levels])]  # the largest level, for stable estimates
        # A level whose members all graduated (or none did) would separate the outcome perfectly
        # and stop the model from converging; it is pooled with the reference level instead
        # (stated in the catalogue and on the methods page). Adjustment levels are not reported.
        varied = (graduated > 0) & (graduated < present)
        for k in levels[varied[levels]]:
            if k != reference:
                cols.append((c == k).astype(float))
                names.append(f"{g}={labels[k]}")
    return y, np.column_stack(cols), names


def _estimable(
    y: np.ndarray, x: np.ndarray, min_cell_size: int
) -> tuple[np.ndarray, dict[str, str], str | None]:
    """Which learners the model keeps, the terms it cannot estimate (with why), and a refusal.

    A term whose learners all had the same outcome has no finite odds ratio (its estimate runs
    off to infinity). Its learners are left out of the model rather than folded into the
    reference group: that is the limit the other estimates take as the term's coefficient
    grows, so they stay the adjusted estimates they claim to be. A reference group (0-1
    courses, no mentorship) without variation in the outcome leaves nothing to compare with.
    """
    keep = np.ones(len(y), dtype=bool)
    dropped: dict[str, str] = {}
    while True:
        courses_ref = keep & (x[:, 1] == 0) & (x[:, 2] == 0)
        for ref, words in (
            (courses_ref, "learners with 0-1 completed CTE courses"),
            (keep & (x[:, 3] == 0), "learners without a completed mentorship"),
        ):
            graduated = int((ref & (y == 1)).sum())
            if graduated in (0, int(ref.sum())):
                how = (
                    "all had the same outcome"
                    if ref.sum() >= min_cell_size
                    else f"are fewer than {min_cell_size}"
                )
                return keep, dropped, f"not estimated: the comparison group ({words}) {how}"
        changed = False
        for j, term in enumerate(TERMS, start=1):
            if term in dropped:
                continue
            exposed = keep & (x[:, j] == 1)
            count, graduated = int(exposed.sum()), int((exposed & (y == 1)).sum())
            if count == 0:
                dropped[term] = f"{TERM_WORDS[term]}: not estimated, no learner in the cohort has it"
            elif graduated in (0, count):
                outcome = "graduated on time" if graduated else "did not graduate on time"
                who = (
                    f"all of its learners {outcome}"
                    if count >= min_cell_size
                    else f"fewer than {min_cell_size} learners have it, all with the same outcome"
                )
                dropped[term] = (
                    f"{TERM_WORDS[term]}: not estimable ({who}, so its odds have no finite "
                    "estimate); the other odds ratios are estimated without these learners"
                )
                keep &= ~exposed
                changed = True
        if not changed:
            return keep, dropped, None


def distinct_rows(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(x, axis=0, return_inverse=True)``, fast for a 0/1 design matrix.

    Each 0/1 row packs into one integer whose order is the rows' lexicographic order, so
    sorting integers gives the same patterns in the same order as sorting rows, about
    ten times faster at a million learners.
    """
    if x.shape[1] > 62 or not ((x == 0) | (x == 1)).all():
        patterns, inverse = np.unique(x, axis=0, return_inverse=True)
        return patterns, inverse.ravel()
    weights = 2 ** np.arange(x.shape[1] - 1, -1, -1, dtype=np.int64)
    _, first, inverse = np.unique(x.astype(np.int64) @ weights, return_index=True, return_inverse=True)
    return x[first], inverse.ravel()


def graduation_odds_by_cte(ctx: Ctx) -> list[dict]:
    from statsmodels.genmod.families import Binomial
    from statsmodels.genmod.generalized_linear_model import GLM
    from statsmodels.tools.sm_exceptions import (
        ConvergenceWarning,
        PerfectSeparationError,
        PerfectSeparationWarning,
    )

    y, x, _ = design(ctx)
    n = len(y)
    if n < MIN_MODEL_N:
        return _refuse(f"not estimated: cohort of {n} learners is too small (at least {MIN_MODEL_N} needed)")
    if y.min() == y.max():
        return _refuse("not estimated: every cohort member had the same outcome")
    keep, dropped, refusal = _estimable(y, x, ctx.min_cell_size)
    if refusal:
        return _refuse(refusal)
    left_out = int((~keep).sum())
    if not keep.all():  # covariates re-coded on the learners the model keeps
        y, x, _ = design(ctx, keep)
        n = len(y)
        if n < MIN_MODEL_N:
            return _refuse(
                f"not estimated: fewer than {MIN_MODEL_N} learners remain once the terms that cannot "
                "be estimated are left out"
            )
    # 2x2 of term x outcome against the term's reference group (0-1 courses, or no mentorship)
    courses_ref = (x[:, 1] == 0) & (x[:, 2] == 0)
    cells = {}
    for j, term in enumerate(TERMS, start=1):
        exposed = x[:, j] == 1
        reference = courses_ref if j in (1, 2) else ~exposed
        cells[term] = min(
            int((exposed & (y == 1)).sum()),
            int((exposed & (y == 0)).sum()),
            int((reference & (y == 1)).sum()),
            int((reference & (y == 0)).sum()),
        )
    keep_cols = [0] + [j for j in range(1, 4) if TERMS[j - 1] not in dropped] + list(range(4, x.shape[1]))
    # Binary covariates give few distinct rows: fitting the binomial model on the distinct
    # patterns (successes of trials) gives the same estimates and standard errors as the
    # per-learner logit, in a fraction of the time at a million learners.
    patterns, inverse = distinct_rows(x[:, keep_cols])
    trials = np.bincount(inverse, minlength=len(patterns)).astype(float)
    successes = np.bincount(inverse, weights=y, minlength=len(patterns))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            model = GLM(np.column_stack([successes, trials - successes]), patterns, family=Binomial())
            result = model.fit(maxiter=100)
        except (PerfectSeparationError, np.linalg.LinAlgError, ValueError) as exc:
            reason = "perfect separation" if isinstance(exc, PerfectSeparationError) else "a singular design"
            return _refuse(f"the model did not converge ({reason})")
    if any(issubclass(w.category, PerfectSeparationWarning) for w in caught):
        return _refuse("the model did not converge (perfect separation)")
    if not bool(getattr(result, "converged", True)) or any(
        issubclass(w.category, ConvergenceWarning) for w in caught
    ):
        return _refuse("the model did not converge")
    if np.linalg.matrix_rank(patterns) < patterns.shape[1]:
        return _refuse("the model did not converge (a singular design)")
    params = np.asarray(result.params)
    ci = np.asarray(result.conf_int(0.05))
    if not (np.isfinite(params).all() and np.isfinite(ci).all()):
        return _refuse("the model did not converge")
    # The learners left out (a term that cannot be estimated) are the cohort less n: when they
    # are fewer than N, suppression hides n in every row (rule 4 across the two tables).
    rows = [
        row(
            ID,
            "learners",
            float(n),
            kind="count",
            noun="learners left out of the model",
            cell_n=left_out if left_out else np.nan,
        )
    ]
    for j, term in enumerate(TERMS, start=1):
        if term in dropped:
            rows.append(
                row(
                    ID,
                    "odds_ratio",
                    group_type="term",
                    group_value=term,
                    status="not_available",
                    note=dropped[term],
                )
            )
            continue
        pos = keep_cols.index(j)
        odds_ratio = float(np.exp(params[pos]))
        low, high = np.exp(ci[pos])
        rows.append(
            row(
                ID,
                "odds_ratio",
                odds_ratio,
                group_type="term",
                group_value=term,
                denominator=float(n),
                ci_low=low,
                ci_high=high,
                kind="odds",
                cell_n=cells[term],
                note=f"{TERM_WORDS[term]}: {odds_words(odds_ratio)}",
            )
        )
    return rows


INDICATORS = {ID: graduation_odds_by_cte}
