"""Partnership health: the stakeholder survey."""

from __future__ import annotations

from pathways.indicators.base import Ctx, row
from pathways.io.dictionary import load_dictionary

_SURVEY = load_dictionary().file("stakeholder_survey")
# The survey's items are its rated columns (1 to 5), in the dictionary's order.
ITEMS = tuple(c.name for c in _SURVEY.columns if c.is_rating)
TYPES = _SURVEY.column("stakeholder_type").values


def stakeholder_satisfaction(ctx: Ctx) -> list[dict]:
    """Mean and n of each item, overall and by stakeholder type; the all row is overall_satisfaction."""
    survey = ctx.other_this_year("stakeholder_survey")
    if survey.empty:
        return [
            row(
                "stakeholder_satisfaction",
                "mean",
                status="not_available",
                note=f"stakeholder_survey.csv has no respondents for {ctx.year}",
            )
        ]
    answers = survey[list(ITEMS)].astype("float64")
    overall = answers["overall_satisfaction"].dropna()
    rows = []
    if len(overall):
        rows.append(
            row(
                "stakeholder_satisfaction",
                "mean",
                overall.mean(),
                denominator=len(overall),
                kind="mean",
                noun="respondents",
                note="mean answer to the overall satisfaction item (1-5)",
            )
        )
    else:
        rows.append(
            row(
                "stakeholder_satisfaction",
                "mean",
                status="not_available",
                note="no respondent answered the overall satisfaction item",
            )
        )
    for item in ITEMS:
        col = answers[item].dropna()
        if len(col):
            rows.append(
                row(
                    "stakeholder_satisfaction",
                    "mean",
                    col.mean(),
                    group_type="item",
                    group_value=item,
                    denominator=len(col),
                    kind="mean",
                    noun="respondents",
                )
            )
    kind = survey["stakeholder_type"].fillna("unknown").astype(str)
    stats = answers.groupby(kind.to_numpy()).agg(["mean", "count"])
    order = [t for t in TYPES if t in stats.index] + sorted(set(stats.index) - set(TYPES))
    for item in ITEMS:
        for t in order:
            n = int(stats.loc[t, (item, "count")])
            if n:
                rows.append(
                    row(
                        "stakeholder_satisfaction",
                        "mean",
                        stats.loc[t, (item, "mean")],
                        group_type=f"stakeholder_type:{item}",
                        group_value=t,
                        denominator=n,
                        kind="mean",
                        noun="respondents",
                        additive=True,
                        total=f"item|{item}",
                    )
                )
    return rows


INDICATORS = {"stakeholder_satisfaction": stakeholder_satisfaction}
