"""Plain sentences written from the numbers of the export (never from anything else)."""

from __future__ import annotations

import pandas as pd

from pathways.catalogue import Catalogue, Indicator
from pathways.registry import Partnership
from pathways.theme import fmt_bound, fmt_count, fmt_rate, fmt_usd, fmt_value, is_missing

_MAIN_MEASURE = {"rate": "rate", "usd": "usd", "mean": "mean", "odds_ratio": "odds_ratio"}


def _all_row(export: pd.DataFrame, indicator_id: str, measure: str | None = None) -> pd.Series | None:
    rows = export[(export["indicator_id"] == indicator_id) & (export["group_type"] == "all")]
    if measure is not None:
        rows = rows[rows["measure"] == measure]
    return None if rows.empty else rows.iloc[0]


def _shown(row: pd.Series | None) -> bool:
    return row is not None and not bool(row["suppressed"]) and not is_missing(row["value"]) \
        and row.get("status", "ok") == "ok"


def indicator_sentence(ind: Indicator, export: pd.DataFrame, year: int, min_cell_size: int) -> str:
    """One sentence: the value this year, what it counts, and the change since the baseline."""
    rows = export[(export["indicator_id"] == ind.id) & (export["group_type"] == "all")]
    if rows.empty:
        return f"{ind.title}: not computed."
    row = rows.iloc[0]
    if ind.unit == "rate":
        rate = _all_row(export, ind.id, "rate")
        if rate is None or bool(rate["suppressed"]):
            return f"{ind.title} in {year}: suppressed (fewer than {min_cell_size} learners in the group)."
        bound = fmt_bound(rate.get("shown_as"), rate.get("bound"))
        if bound:
            return (f"{ind.title} in {year}: {bound} of {fmt_count(rate['denominator'])} "
                    f"({rate['suppression_reason']}).")
        text = (f"{ind.title} in {year}: {fmt_rate(rate['value'])} "
                f"({fmt_count(rate['numerator'])} of {fmt_count(rate['denominator'])}; "
                f"95% interval {fmt_rate(rate['ci_low'])} to {fmt_rate(rate['ci_high'])}).")
        if isinstance(rate.get("note"), str) and rate["note"]:
            text += f" {rate['note']}."
        row = rate
    else:
        pieces = []
        for r in rows.itertuples():
            if r.measure == "odds_ratio":
                continue
            label = r.measure.replace("_", " ")
            unit = "usd" if r.measure in ("usd",) or ind.unit == "usd" else ("mean" if ind.unit == "mean" else "count")
            shown = f"<{min_cell_size}" if bool(r.suppressed) and unit == "count" else (
                "suppressed" if bool(r.suppressed) else fmt_value(r.value, unit))
            pieces.append(f"{label}: {shown}")
        text = f"{ind.title} in {year}: " + ("; ".join(pieces) if pieces else "see below") + "."
        if ind.id == "graduation_odds_by_cte":
            notes = export[(export["indicator_id"] == ind.id) & export["note"].notna()]["note"]
            text = f"{ind.title}, cohort {year}: " + ("; ".join(dict.fromkeys(notes)) or "see below") + "."
    label = row.get("change_label")
    if isinstance(label, str) and label:
        text += f" Change: {label}."
    return text


def headline_sentences(export: pd.DataFrame, catalogue: Catalogue, baseline_year: int, year: int,
                       most: int = 5) -> list[str]:
    """The few shown numbers that moved most since the baseline, as sentences."""
    rows = export[(export["group_type"] == "all") & export["change_label"].notna()
                  & ~export["suppressed"].astype(bool)]
    if rows.empty or year <= baseline_year:
        return []
    scored = []
    for r in rows.itertuples():
        unit = {"rate": "pp", "mean": "diff"}.get(r.measure, "pct")
        change = getattr(r, f"change_from_baseline_{unit}")
        if is_missing(change):
            continue
        ind = catalogue.get(r.indicator_id)
        # rates move in points, counts relatively: put both on one scale of "how much it moved"
        weight = abs(float(change)) / 5 if unit == "pp" else (
            abs(float(change)) / 0.25 if unit == "diff" else abs(float(change)) / 25)
        scored.append((weight, ind, r))
    scored.sort(key=lambda t: t[0], reverse=True)
    sentences = []
    for _, ind, r in scored[:most]:
        now = fmt_rate(r.value) if r.measure == "rate" else (
            fmt_usd(r.value) if r.measure == "usd" else fmt_count(r.value))
        what = ind.title if r.measure in ("rate", "count") else f"{ind.title} ({r.measure.replace('_', ' ')})"
        sentences.append(f"{what}: {r.change_label} — now {now}.")
    return sentences


def goal_sentences(export: pd.DataFrame, catalogue: Catalogue, partnership: Partnership, year: int) -> list[str]:
    out = []
    for goal in partnership.goals:
        ind = catalogue.get(goal.indicator)
        rows = export[(export["indicator_id"] == goal.indicator) & (export["group_type"] == "all")
                      & export["goal_target"].notna()]
        if goal.measure == "change_from_baseline_pct":
            target = f"a {goal.target:g}% increase from {partnership.baseline_year}"
        elif goal.measure == "rate":
            target = f"{fmt_rate(goal.target)}"
        else:
            target = f"{goal.target:,.0f}"
        head = f"Goal: {ind.title} — {target} by {goal.target_year}."
        if rows.empty or bool(rows.iloc[0]["suppressed"]) or is_missing(rows.iloc[0]["goal_current"]):
            out.append(f"{head} Progress cannot be shown for {year}.")
            continue
        r = rows.iloc[0]
        current = r["goal_current"]
        if goal.measure == "change_from_baseline_pct":
            now = f"{float(current):+.0f}% since {partnership.baseline_year}"
        elif goal.measure == "rate":
            now = fmt_rate(current)
        else:
            now = fmt_count(current)
        share = r["goal_progress_share"]
        way = "" if is_missing(share) else f", {max(0.0, float(share)) * 100:.0f}% of the way from the baseline"
        pace = "on track" if bool(r["goal_on_track"]) else "behind the straight line to the target"
        out.append(f"{head} Now {now}{way}; {pace}.")
    return out
