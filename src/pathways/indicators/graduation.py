"""On-time graduation, for all learners and for concentrators (Perkins 1S1)."""

from __future__ import annotations

from pathways.indicators.base import Ctx


def on_time_graduation(ctx: Ctx) -> list[dict]:
    members, grads = ctx.cohort_members(ctx.year)
    rows = ctx.rate_rows(
        "on_time_graduation",
        members,
        grads,
        ctx.groups("on_time_graduation"),
        empty_note=f"hs_outcomes.csv of {ctx.year} has no cohort members left after "
        "leaving out transfers and deaths",
    )
    if rows[0]["status"] == "ok":
        conc = members & ctx.concentrator
        if conc.any():
            rows += ctx.rate_rows(
                "on_time_graduation",
                conc,
                grads & ctx.concentrator,
                population="concentrators",
                note="Perkins 1S1: cohort members who were CTE concentrators",
            )
    return rows


INDICATORS = {"on_time_graduation": on_time_graduation}
