"""After high school: college going, persistence, completion, placement, earnings (SDP, Perkins 3S1, WIOA).

Employment: employment.csv of folder Y-1 holds calendar year Y-1. "The second quarter after
June of Y-1" (exit at the end of the school year) is read as October-December of Y-1,
i.e. quarter 4 of calendar year Y-1 (July-September being the first quarter after exit).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pathways.indicators.base import DIPLOMAS, Ctx, _as_bool, row

Q2_NOTE = "wages in October-December {y} (quarter 4, the second quarter after a June {y} exit)"


def _no_graduates(ctx: Ctx, indicator_id: str, cohort: int) -> list[dict]:
    return [
        row(
            indicator_id,
            "usd" if indicator_id == "median_earnings_q2" else "rate",
            status="not_available",
            note=f"no graduates of cohort {cohort} in the data (hs_outcomes.csv of {cohort})",
        )
    ]


def enrolled_fall(ctx: Ctx, academic_year: int) -> np.ndarray:
    ps = ctx.frames["postsecondary"]
    sel = (ps["academic_year"] == academic_year).fillna(False).to_numpy(dtype=bool) & _as_bool(
        ps["is_enrolled_fall"]
    )
    return ctx.mask(ps["lc"].to_numpy()[sel])


def q2_wages(ctx: Ctx) -> np.ndarray:
    """Each learner's wages in quarter 4 of calendar year Y-1 (summed over employers)."""
    emp = ctx.frames["employment"]
    sel = ((emp["year"] == ctx.year - 1) & (emp["quarter"] == 4)).fillna(False).to_numpy(dtype=bool)
    part = emp[sel]
    return np.bincount(
        part["lc"].to_numpy(), weights=part["wages_usd"].fillna(0).to_numpy(dtype=float), minlength=ctx.n_ids
    )


def _has(ctx: Ctx, name: str) -> bool:
    return name in ctx.available


def seamless_enrollment(ctx: Ctx) -> list[dict]:
    grads = ctx.graduates(ctx.year - 1)
    if not grads.any():
        return _no_graduates(ctx, "seamless_enrollment", ctx.year - 1)
    return ctx.rate_rows(
        "seamless_enrollment", grads, grads & enrolled_fall(ctx, ctx.year), ctx.groups("seamless_enrollment")
    )


def persistence(ctx: Ctx) -> list[dict]:
    grads = ctx.graduates(ctx.year - 2)
    if not grads.any():
        return _no_graduates(ctx, "persistence", ctx.year - 2)
    den = grads & enrolled_fall(ctx, ctx.year - 1)
    return ctx.rate_rows(
        "persistence",
        den,
        den & enrolled_fall(ctx, ctx.year),
        ctx.groups("persistence"),
        empty_note=f"no graduates of {ctx.year - 2} were enrolled in the fall of {ctx.year - 1}",
    )


def postsecondary_completion(ctx: Ctx) -> list[dict]:
    """Graduates of Y-6, or of the oldest graduating cohort the data reaches after it, stated in the note."""
    out = ctx.frames["hs_outcomes"]
    graduated = out["exit_type"].isin(DIPLOMAS).fillna(False).to_numpy(dtype=bool)
    cohorts = sorted(
        {
            int(c)
            for c in out["cohort_year"][graduated].dropna().unique()
            if ctx.year - 6 <= int(c) <= ctx.year - 1
        }
    )
    if not cohorts:
        return [
            row(
                "postsecondary_completion",
                "rate",
                status="not_available",
                note=f"no graduates of cohorts {ctx.year - 6} to {ctx.year - 1} in the data",
            )
        ]
    cohort = cohorts[0]
    if cohort == ctx.year - 6:
        note = f"graduates of {cohort}, six years before {ctx.year}"
    else:
        note = (
            f"graduates of {cohort}, the oldest cohort in the data "
            f"(the definition asks for {ctx.year - 6}, six years before {ctx.year})"
        )
    grads = ctx.graduates(cohort)
    ps = ctx.frames["postsecondary"]
    cred = ps["credential_earned"]
    sel = (cred.notna() & (cred != "none")).to_numpy(dtype=bool) & (ps["academic_year"] <= ctx.year).fillna(
        False
    ).to_numpy(dtype=bool)
    rows = ctx.rate_rows(
        "postsecondary_completion",
        grads,
        grads & ctx.mask(ps["lc"].to_numpy()[sel]),
        ctx.groups("postsecondary_completion"),
        note=note,
    )
    for r in rows:  # its denominator is that cohort's graduates, whom on-time graduation counted
        r["_cohort"] = float(cohort)
    return rows


def placement(ctx: Ctx) -> list[dict]:
    y1 = ctx.year - 1
    grads = ctx.graduates(y1)
    if not grads.any():
        return _no_graduates(ctx, "placement", y1)
    hit = np.zeros(ctx.n_ids, dtype=bool)
    parts = []
    if _has(ctx, "postsecondary"):
        hit |= enrolled_fall(ctx, ctx.year)
        parts.append(f"enrolled at the fall census of {ctx.year}")
    if _has(ctx, "employment"):
        hit |= q2_wages(ctx) > 0
        parts.append(Q2_NOTE.format(y=y1))
    note = " or ".join(parts)
    if not _has(ctx, "employment"):
        note += f"; employment.csv of {y1} was not submitted, so only enrollment counts"
    elif not _has(ctx, "postsecondary"):
        note += f"; postsecondary.csv of {ctx.year} was not submitted, so only wages count"
    return ctx.rate_rows("placement", grads, grads & hit, ctx.groups("placement"), note=note)


def employment_rate_q2(ctx: Ctx) -> list[dict]:
    y1 = ctx.year - 1
    grads = ctx.graduates(y1)
    if not grads.any():
        return _no_graduates(ctx, "employment_rate_q2", y1)
    return ctx.rate_rows(
        "employment_rate_q2",
        grads,
        grads & (q2_wages(ctx) > 0),
        ctx.groups("employment_rate_q2"),
        note=Q2_NOTE.format(y=y1),
    )


def median_earnings_q2(ctx: Ctx) -> list[dict]:
    """Median quarter-4 wages of employed graduates of Y-1; the denominator is how many they are."""
    y1 = ctx.year - 1
    grads = ctx.graduates(y1)
    if not grads.any():
        return _no_graduates(ctx, "median_earnings_q2", y1)
    wages = q2_wages(ctx)
    lc = np.flatnonzero(grads & (wages > 0))
    note = Q2_NOTE.format(y=y1)
    if len(lc) == 0:
        return [
            row("median_earnings_q2", "usd", status="not_available", note=f"no graduates of {y1} had {note}")
        ]
    w = wages[lc]
    rows = [
        row("median_earnings_q2", "usd", float(np.median(w)), denominator=len(lc), kind="mean", note=note)
    ]
    for g in ctx.groups("median_earnings_q2"):
        codes, labels = ctx.group_codes[g]
        stats = pd.Series(w).groupby(codes[lc]).agg(["median", "size"])
        for k, (median, size) in stats.iterrows():
            rows.append(
                row(
                    "median_earnings_q2",
                    "usd",
                    median,
                    group_type=g,
                    group_value=labels[int(k)],
                    denominator=size,
                    kind="mean",
                    additive=True,
                )
            )
    return rows


def family_sustaining_wage(ctx: Ctx) -> list[dict]:
    """Former learners with wages in >= 3 quarters of Y-1 whose wages that year reach the living wage."""
    y1 = ctx.year - 1
    emp = ctx.frames["employment"]
    part = emp[(emp["year"] == y1).fillna(False).to_numpy(dtype=bool)]
    wages = part["wages_usd"].fillna(0).to_numpy(dtype=float)
    lc = part["lc"].to_numpy()
    total = np.bincount(lc, weights=wages, minlength=ctx.n_ids)
    paid = part[wages > 0]
    quarters = paid[["lc", "quarter"]].drop_duplicates()
    n_quarters = np.bincount(quarters["lc"].to_numpy(), minlength=ctx.n_ids)
    den = n_quarters >= 3
    num = den & (total >= ctx.partnership.living_wage_usd)
    # years since graduation = (Y-1) - the learner's high-school graduation year
    grad_year = np.full(ctx.n_ids, -1, dtype=np.int64)
    ps = ctx.frames["postsecondary"].dropna(subset=["hs_graduation_year"])
    grad_year[ps["lc"].to_numpy()] = ps["hs_graduation_year"].to_numpy(dtype=np.int64)
    out = ctx.frames["hs_outcomes"]
    diploma = out[out["exit_type"].isin(DIPLOMAS).fillna(False).to_numpy(dtype=bool)].dropna(
        subset=["cohort_year"]
    )
    grad_year[diploma["lc"].to_numpy()] = diploma["cohort_year"].to_numpy(dtype=np.int64)
    since = np.where(grad_year > 0, y1 - grad_year, -1)
    values = sorted({int(v) for v in np.unique(since[den]) if v >= 0})
    labels = [str(v) for v in values] + ["unknown"]
    lookup = np.full(max(values, default=0) + 2, len(values), dtype=np.int64)
    for i, v in enumerate(values):
        lookup[v] = i
    codes = np.where(since >= 0, lookup[np.clip(since, 0, len(lookup) - 1)], len(values))
    note = (
        f"wages of calendar year {y1}; living wage ${ctx.partnership.living_wage_usd:,.0f}; "
        "years since graduation counted from the high-school graduation year"
    )
    return ctx.rate_rows(
        "family_sustaining_wage",
        den,
        num,
        ctx.groups("family_sustaining_wage"),
        extra_groups=[("years_since_graduation", codes, labels, True)],
        note=note,
        empty_note=f"no former learners with wages in at least three quarters of {y1}",
    )


INDICATORS = {
    "seamless_enrollment": seamless_enrollment,
    "persistence": persistence,
    "postsecondary_completion": postsecondary_completion,
    "placement": placement,
    "employment_rate_q2": employment_rate_q2,
    "median_earnings_q2": median_earnings_q2,
    "family_sustaining_wage": family_sustaining_wage,
}
