"""Industry-recognized credentials."""

from __future__ import annotations

import numpy as np

from pathways.indicators.base import Ctx, _as_bool, row


def credential_attainment(ctx: Ctx) -> list[dict]:
    """Learners 9-12 with a credential this year; plus every credential earned this year (all grades).

    The count covers all of the year's credentials.csv (grades 6-12), because it reports the
    volume partners produced; it is suppressed with the rate's numerator when that is small.
    """
    cred = ctx.this_year("credentials")
    earned = ctx.mask(cred["lc"].to_numpy())
    rows = ctx.rate_rows(
        "credential_attainment",
        ctx.pop,
        ctx.pop & earned,
        ctx.groups("credential_attainment"),
        empty_note=f"no learners in grades 9-12 in learners.csv of {ctx.year}",
    )
    holders = int(earned.sum())
    rows.append(
        row(
            "credential_attainment",
            "credentials_earned",
            float(len(cred)),
            kind="count",
            noun="learners",
            cell_n=holders,
            note="credentials earned this year by learners of any grade",
        )
    )
    return rows


def credentials_of_value_share(ctx: Ctx) -> list[dict]:
    """Credentials of value / credentials earned this year; the unit is a credential, grouped by its learner."""
    cred = ctx.this_year("credentials")
    lc = cred["lc"].to_numpy()
    of_value = _as_bool(cred["is_credential_of_value"])
    den = np.bincount(lc, minlength=ctx.n_ids).astype(float)
    num = np.bincount(lc[of_value], minlength=ctx.n_ids).astype(float)
    return ctx.rate_rows(
        "credentials_of_value_share",
        den,
        num,
        ctx.groups("credentials_of_value_share"),
        noun="credentials",
        empty_note=f"no credentials earned in {ctx.year}",
    )


def graduating_concentrators(ctx: Ctx) -> np.ndarray:
    """Graduates (regular or advanced diploma) of cohort Y who are concentrators by Y."""
    return ctx.graduates(ctx.year) & ctx.concentrator


def concentrator_credential_attainment(ctx: Ctx) -> list[dict]:
    den = graduating_concentrators(ctx)
    cred = ctx.frames["credentials"]  # every year so far: "in high school"
    return ctx.rate_rows(
        "concentrator_credential_attainment",
        den,
        den & ctx.mask(cred["lc"].to_numpy()),
        ctx.groups("concentrator_credential_attainment"),
        empty_note=f"no graduating concentrators in cohort {ctx.year}",
    )


INDICATORS = {
    "credential_attainment": credential_attainment,
    "credentials_of_value_share": credentials_of_value_share,
    "concentrator_credential_attainment": concentrator_credential_attainment,
}
