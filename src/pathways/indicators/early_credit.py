"""Early postsecondary (dual and concurrent enrollment) credit."""

from __future__ import annotations

import numpy as np

from pathways.indicators.base import Ctx, row
from pathways.indicators.credentials import graduating_concentrators


def _credits_by_learner(ctx: Ctx, frame) -> np.ndarray:
    return np.bincount(
        frame["lc"].to_numpy(),
        weights=frame["credits_earned"].fillna(0).to_numpy(dtype=float),
        minlength=ctx.n_ids,
    )


def early_postsecondary_credit(ctx: Ctx) -> list[dict]:
    """Learners 9-12 with credits earned > 0 this year; plus all credits earned this year (any grade)."""
    ep = ctx.this_year("early_postsecondary")
    credits = _credits_by_learner(ctx, ep)
    earners = credits > 0
    rows = ctx.rate_rows(
        "early_postsecondary_credit",
        ctx.pop,
        ctx.pop & earners,
        ctx.groups("early_postsecondary_credit"),
        empty_note=f"no learners in grades 9-12 in learners.csv of {ctx.year}",
    )
    rows.append(
        row(
            "early_postsecondary_credit",
            "credits_earned",
            float(credits.sum()),
            kind="derived",
            cell_n=int(earners.sum()),
            note="credits earned this year by learners of any grade",
        )
    )
    return rows


def credit_savings_usd(ctx: Ctx) -> list[dict]:
    ep = ctx.this_year("early_postsecondary")
    credits = _credits_by_learner(ctx, ep)
    earners = int((credits > 0).sum())
    total = float(credits.sum())
    price = float(ctx.partnership.tuition_per_credit_usd)
    note = f"{total:,.0f} credits at ${price:,.0f} per credit"
    return [
        row("credit_savings_usd", "usd", total * price, kind="derived", cell_n=earners, note=note),
        row("credit_savings_usd", "credits_earned", total, kind="derived", cell_n=earners),
    ]


def concentrator_postsecondary_credit(ctx: Ctx) -> list[dict]:
    """Graduating concentrators with credit earned (any year) in a course of a pathway they concentrated in."""
    den = graduating_concentrators(ctx)
    ep = ctx.frames["early_postsecondary"]
    ep = ep[(ep["credits_earned"].fillna(0) > 0).to_numpy() & ep["pathway_id"].notna().to_numpy()]
    pairs = ctx.concentration
    matched = ep[["lc", "pathway_id"]].merge(pairs, on=["lc", "pathway_id"], how="inner")
    hit = ctx.mask(matched["lc"].to_numpy())
    return ctx.rate_rows(
        "concentrator_postsecondary_credit",
        den,
        den & hit,
        ctx.groups("concentrator_postsecondary_credit"),
        empty_note=f"no graduating concentrators in cohort {ctx.year}",
    )


INDICATORS = {
    "early_postsecondary_credit": early_postsecondary_credit,
    "credit_savings_usd": credit_savings_usd,
    "concentrator_postsecondary_credit": concentrator_postsecondary_credit,
}
