"""Career pathways: participation, concentration, high-demand, nontraditional fields, ICAP."""

from __future__ import annotations

import numpy as np

from pathways.indicators.base import Ctx, _as_bool


def _completed_this_year(ctx: Ctx):
    done = ctx.completed_courses
    return done[(done["school_year"] == ctx.year).fillna(False).to_numpy(dtype=bool)]


def participants(ctx: Ctx) -> np.ndarray:
    """Learners 9-12 with at least one completed CTE course this year (Perkins participant)."""
    return ctx.pop & ctx.mask(_completed_this_year(ctx)["lc"].to_numpy())


def cte_participation(ctx: Ctx) -> list[dict]:
    return ctx.rate_rows(
        "cte_participation",
        ctx.pop,
        participants(ctx),
        ctx.groups("cte_participation"),
        empty_note=f"no learners in grades 9-12 in learners.csv of {ctx.year}",
    )


def cte_concentration(ctx: Ctx) -> list[dict]:
    return ctx.rate_rows(
        "cte_concentration",
        ctx.pop,
        ctx.pop & ctx.concentrator,
        ctx.groups("cte_concentration"),
        empty_note=f"no learners in grades 9-12 in learners.csv of {ctx.year}",
    )


def high_demand_participation(ctx: Ctx) -> list[dict]:
    meta = ctx.pathway_meta
    high = set(meta.index[_as_bool(meta["is_high_demand"])]) if len(meta) else set()
    done = _completed_this_year(ctx)
    in_high = done["pathway_id"].isin(high).fillna(False).to_numpy(dtype=bool)
    part = participants(ctx)
    return ctx.rate_rows(
        "high_demand_participation",
        part,
        part & ctx.mask(done["lc"].to_numpy()[in_high]),
        ctx.groups("high_demand_participation"),
        empty_note=f"no CTE participants in {ctx.year}",
    )


def nontraditional_concentration(ctx: Ctx) -> list[dict]:
    """Concentrators in pathways with a nontraditional gender; numerator: sex equals that gender.

    A concentrator of several such pathways counts once in the denominator and in the
    numerator when their sex is the nontraditional gender of any of them.
    """
    meta = ctx.pathway_meta
    gender = meta["nontraditional_gender"] if len(meta) else None
    pairs = ctx.concentration
    pairs = pairs[ctx.pop[pairs["lc"].to_numpy()]]
    if gender is None:
        pair_gender = np.array([], dtype=object)
        pairs = pairs.iloc[:0]
    else:
        pair_gender = pairs["pathway_id"].map(gender).fillna("none").astype(str).to_numpy()
        keep = np.isin(pair_gender, ["female", "male"])
        pairs, pair_gender = pairs[keep], pair_gender[keep]
    sex_codes, sex_labels = ctx.group_codes["sex"]
    learner_sex = np.asarray(sex_labels, dtype=object)[sex_codes[pairs["lc"].to_numpy()]]
    match = learner_sex == pair_gender
    den = ctx.mask(pairs["lc"].to_numpy())
    num = ctx.mask(pairs["lc"].to_numpy()[match])
    return ctx.rate_rows(
        "nontraditional_concentration",
        den,
        num,
        ctx.groups("nontraditional_concentration"),
        empty_note=f"no concentrators in pathways with a nontraditional gender in {ctx.year}",
    )


def icap_completion(ctx: Ctx) -> list[dict]:
    """Learners 9-12 with has_icap; a blank has_icap counts as not completed (no plan on record)."""
    ly = ctx.learners_y
    has = ctx.mask(ly["lc"].to_numpy()[_as_bool(ly["has_icap"])])
    return ctx.rate_rows(
        "icap_completion",
        ctx.pop,
        ctx.pop & has,
        ctx.groups("icap_completion"),
        empty_note=f"no learners in grades 9-12 in learners.csv of {ctx.year}",
    )


INDICATORS = {
    "cte_participation": cte_participation,
    "cte_concentration": cte_concentration,
    "high_demand_participation": high_demand_participation,
    "nontraditional_concentration": nontraditional_concentration,
    "icap_completion": icap_completion,
}
