"""Sentences written from rows of the export, never from anything else.

A rate is stated the way partnerships state it: the learners it counts and their change
("7,600 learners in industry-aligned career pathways, 52% more than in 2019"), then the
share ("their share of learners in grades 9-12 rose from 25.1% to 38.2%"). A top- or
bottom-coded rate is stated as its bound with the reason; a suppressed one says only why it
is not shown: no sentence carries a number of a hidden cell (indicators.md, rule 5).
"""

from __future__ import annotations

import pandas as pd

from pathways.indicators.goals import is_met
from pathways.io.catalogue import Catalogue, Indicator
from pathways.io.registry import Partnership
from pathways.report import cells
from pathways.report.labels import LEARNER_GROUPS, group_value_label, measure_label, population
from pathways.report.theme import fmt_count, fmt_rate, fmt_usd, fmt_value, is_missing, signed


def _num(row, name: str) -> float | None:
    value = row.get(name) if row is not None else None
    return None if is_missing(value) else float(value)


def _note(row) -> str:
    note = row.get("note")
    return note.strip() if isinstance(note, str) and note.strip() else ""


def relative_change(pct: float, since: int, *, amount: bool = False) -> str:
    """``52% more than in 2019``, ``5.0 times as many as in 2019``, ``12% fewer than in 2019``
    (``amount``: money, "times as much", "less")."""
    if pct >= 100:
        return f"{1 + pct / 100:.1f} times as {'much' if amount else 'many'} as in {since}"
    if round(pct) > 0:
        return f"{pct:.0f}% more than in {since}"
    if round(pct) < 0:
        return f"{-pct:.0f}% {'less' if amount else 'fewer'} than in {since}"
    return f"about as {'much' if amount else 'many'} as in {since}"


def share_change(base: float, now: float, points: float | None) -> str:
    if points is None or round(points, 1) == 0:
        return f"stayed at {fmt_rate(now)}"
    return f"{'rose' if points > 0 else 'fell'} from {fmt_rate(base)} to {fmt_rate(now)}"


def counted_sentence(ind: Indicator, row, year: int, *, with_share: bool = True) -> str:
    """ "7,600 learners in industry-aligned career pathways, 52% more than in 2019; their share of
    learners in grades 9-12 rose from 25.1% to 38.2%." (an exact rate row only)."""
    counted = ind.counted or ind.title.lower()
    text = f"{fmt_count(row['numerator'])} {counted} in {year}"
    base_year = _num(row, "baseline_year")
    pct = _num(row, "numerator_change_from_baseline_pct")
    if base_year is not None and int(base_year) < year and pct is not None:
        text += ", " + relative_change(pct, int(base_year))
    prior_year, prior_pct = _num(row, "prior_year"), _num(row, "numerator_change_from_prior_pct")
    if (
        prior_year is not None
        and prior_pct is not None
        and prior_year != base_year
        and int(prior_year) < year
    ):
        text += (", " if pct is None else " and ") + relative_change(prior_pct, int(prior_year))
    base_value = _num(row, "baseline_value")
    if with_share and base_year is not None and int(base_year) < year and base_value is not None:
        text += (
            f"; their share of {population(ind, year)} "
            f"{share_change(base_value, float(row['value']), _num(row, 'change_from_baseline_pp'))}"
        )
    return text + "."


def rate_sentence(ind: Indicator, row, year: int, min_cell_size: int) -> str:
    """The section's sentence of a rate: value, who it covers, interval, and what it counts with its change."""
    st = cells.state(row) if row is not None else "not_available"
    who = population(ind, year)
    if st == "exact":
        text = f"{ind.title} in {year}: {fmt_rate(row['value'])} of {fmt_count(row['denominator'])} {who}" + (
            ""
            if is_missing(row.get("ci_low"))
            else f" (95% interval {fmt_rate(row['ci_low'])} to {fmt_rate(row['ci_high'])})"
        )
        points, base_year = _num(row, "change_from_baseline_pp"), _num(row, "baseline_year")
        if points is not None and base_year is not None and int(base_year) < year:
            text += (
                f", {'up' if points > 0 else 'down'} {abs(points):.1f} points since {int(base_year)}"
                if round(points, 1)
                else f", the same share as in {int(base_year)}"
            )
        counted = counted_sentence(ind, row, year, with_share=False).replace(f" in {year}", "", 1)
        return f"{text}: {counted}"
    if st in cells.CODED:
        bound = cells.fmt_bound(row["bound"], st)
        words = "at least" if st == "at_least" else "at most"
        return (
            f"{ind.title} in {year}: {words} {bound[2:]} of {fmt_count(row['denominator'])} {who} "
            f"(shown as {bound}; the exact rate is not shown: {cells.reason(row, min_cell_size)})."
        )
    return status_sentence(ind, row, year, min_cell_size)


def status_sentence(ind: Indicator, row, year: int, min_cell_size: int) -> str:
    """Why an indicator shows no number this year."""
    st = cells.state(row) if row is not None else "not_available"
    if st == "suppressed":
        return f"{ind.title} in {year}: not shown ({cells.reason(row, min_cell_size)})."
    if st == "not_submitted":
        note = _note(row).removeprefix("not submitted: ")
        return f"{ind.title}: not submitted for {year}" + (f" ({note})." if note else ".")
    if st == "missing":
        return f"{ind.title} in {year}: not estimable from this year's data."
    note = _note(row) if row is not None else ""
    return f"{ind.title}: not available for {year}" + (f" ({note})." if note else ".")


def amount_sentence(ind: Indicator, rows: pd.DataFrame, year: int, min_cell_size: int) -> str:
    """Counts and money of one indicator's all-learners rows, each with its change since the baseline:
    ``Tuition saved through early college credit in 2024: $1.2 million; 5,834 college credits earned. ...``."""
    rows = rows[rows["group_type"] == "all"]
    if rows.empty:
        return f"{ind.title}: not computed for {year}."
    first = rows.iloc[0]
    if cells.state(first) in ("not_submitted", "not_available"):
        return status_sentence(ind, first, year, min_cell_size)
    pieces, changes = [], []
    for _, r in rows.iterrows():
        money = r["measure"] == "usd"
        shown = cells.shown(r, "usd" if money else "count", min_cell_size)
        pieces.append(shown if money else f"{shown} {measure_label(r['measure'])}")
        pct, base_year = _num(r, "change_from_baseline_pct"), _num(r, "baseline_year")
        if cells.is_exact(r) and pct is not None and base_year is not None and int(base_year) < year:
            what = measure_label(r["measure"])
            changes.append(
                f"{what[0].upper() + what[1:]}: {relative_change(pct, int(base_year), amount=money)}."
            )
    return f"{ind.title} in {year}: " + "; ".join(pieces) + "." + "".join(" " + c for c in changes)


def money_sentence(ind: Indicator, row, year: int, min_cell_size: int) -> str:
    """A median or other amount in dollars for all learners (median earnings)."""
    st = cells.state(row) if row is not None else "not_available"
    if st != "exact":
        return (
            status_sentence(ind, row, year, min_cell_size)
            if st not in cells.CODED
            else f"{ind.title} in {year}: {cells.shown_with_reason(row, 'usd', min_cell_size)}."
        )
    text = f"{ind.title} in {year}: {fmt_usd(row['value'])}"
    if not is_missing(row.get("denominator")):
        text += f" (the median of {fmt_count(row['denominator'])} graduates with wages)"
    pct, base_year = _num(row, "change_from_baseline_pct"), _num(row, "baseline_year")
    if pct is not None and base_year is not None and int(base_year) < year:
        text += (
            f", {'up' if pct > 0 else 'down'} {abs(pct):.0f}% since {int(base_year)}"
            if round(pct)
            else f", about the same as in {int(base_year)}"
        )
    return text + "."


def mean_sentence(ind: Indicator, row, year: int, min_cell_size: int) -> str:
    st = cells.state(row) if row is not None else "not_available"
    if st != "exact":
        return status_sentence(ind, row, year, min_cell_size)
    text = f"{ind.title} in {year}: a mean rating of {fmt_value(row['value'], 'mean')} on a scale of 1 to 5"
    if not is_missing(row.get("denominator")):
        text += f", from {fmt_count(row['denominator'])} responses"
    diff, base_year = _num(row, "change_from_baseline_diff"), _num(row, "baseline_year")
    if diff is not None and base_year is not None and int(base_year) < year:
        text += (
            f" ({'up' if diff > 0 else 'down'} {abs(diff):.2f} since {int(base_year)})"
            if round(diff, 2)
            else f" (the same as in {int(base_year)})"
        )
    return text + "."


ODDS_LABELS = {
    "2-4 courses": "2-4 completed CTE courses (vs 0-1)",
    "5+ courses": "5+ completed CTE courses (vs 0-1)",
    "mentorship": "A completed mentorship (vs none)",
}
ODDS_TERMS = {
    "2-4 courses": "learners with 2-4 completed CTE courses (compared with 0-1)",
    "5+ courses": "learners with 5 or more completed CTE courses (compared with 0-1)",
    "mentorship": "learners with a completed mentorship (compared with none)",
}


def odds_sentence(ind: Indicator, rows: pd.DataFrame, year: int, min_cell_size: int) -> str:
    """Odds ratios in words, from the shown terms only; a hidden or inestimable term says so without a number."""
    terms = rows[(rows["measure"] == "odds_ratio") & (rows["group_type"] == "term")]
    if terms.empty:
        first = rows.iloc[0] if not rows.empty else None
        return status_sentence(ind, first, year, min_cell_size)
    parts = []
    for _, r in terms.iterrows():
        who = ODDS_TERMS.get(r["group_value"], str(r["group_value"]))
        st = cells.state(r)
        if st == "exact":
            ratio = float(r["value"])
            parts.append(
                f"{who}: {ratio:.2f} times the odds (95% interval {float(r['ci_low']):.2f} to "
                f"{float(r['ci_high']):.2f})"
            )
        elif st == "missing":
            parts.append(f"{who}: not estimable (for example, every such learner graduated)")
        else:
            parts.append(f"{who}: not shown ({cells.reason(r, min_cell_size)})")
    return (
        f"Odds of graduating on time, cohort {year}, adjusted for sex, race/ethnicity, income, English "
        "learner status and disability — " + "; ".join(parts) + "."
    )


def indicator_sentence(ind: Indicator, export: pd.DataFrame, year: int, min_cell_size: int) -> str:
    """The one sentence of an indicator's section entry, whatever its unit."""
    rows = export[export["indicator_id"] == ind.id]
    alls = rows[rows["group_type"] == "all"]
    first = alls.iloc[0] if not alls.empty else None
    if first is not None and cells.state(first) in ("not_submitted", "not_available"):
        return status_sentence(ind, first, year, min_cell_size)
    if ind.unit == "rate":
        rate = alls[alls["measure"] == "rate"]
        return rate_sentence(ind, rate.iloc[0] if not rate.empty else None, year, min_cell_size)
    if ind.unit == "odds_ratio":
        return odds_sentence(ind, rows, year, min_cell_size)
    if ind.unit == "mean":
        return mean_sentence(ind, first, year, min_cell_size)
    if ind.unit == "usd" and ind.id != "credit_savings_usd":
        return money_sentence(ind, first, year, min_cell_size)
    return amount_sentence(ind, rows, year, min_cell_size)


# ------------------------------------------------------------------ summary
def headline_rows(
    export: pd.DataFrame, catalogue: Catalogue, most: int = 5
) -> list[tuple[Indicator, pd.Series]]:
    """The headline outcomes of the catalogue (rank order) whose all-learners rate is shown or coded."""
    found = []
    for ind in catalogue.headlines():
        rows = export[
            (export["indicator_id"] == ind.id)
            & (export["group_type"] == "all")
            & (export["measure"] == "rate")
        ]
        if not rows.empty and cells.state(rows.iloc[0]) in ("exact", *cells.CODED):
            found.append((ind, rows.iloc[0]))
    return found[:most]


def headline_sentence(ind: Indicator, row, year: int, min_cell_size: int) -> str:
    if cells.is_exact(row):
        text = counted_sentence(ind, row, year)
        return text[0].upper() + text[1:]
    return rate_sentence(ind, row, year, min_cell_size)


def headline_tile(ind: Indicator, row, year: int) -> tuple[str, str, str]:
    """(large number, what it counts, its change) for the brief: ``("+52%", "learners in ...", "7,600 in 2024; ...")``.

    A growth outcome states the change in learners counted since the baseline; a cohort's
    outcome (``headline_states: share``) states its rate and the change in points.
    """
    who = population(ind, year)
    st = cells.state(row)
    if st in cells.CODED:
        return (
            cells.fmt_bound(row["bound"], st),
            f"{ind.title}, of {who}",
            "the exact rate is not shown (few learners)",
        )
    base_year, base_value = _num(row, "baseline_year"), _num(row, "baseline_value")
    since = base_year is not None and int(base_year) < year
    points = _num(row, "change_from_baseline_pp")
    share = f"{fmt_rate(row['value'])} of {who}"
    if since and base_value is not None:
        share += f" ({fmt_rate(base_value)} in {int(base_year)})"
    pct = _num(row, "numerator_change_from_baseline_pct")
    if ind.headline_states == "share" or pct is None or not since:
        change = (
            "no earlier figure to compare with"  # e.g. the baseline year has no graduates of the year before
        )
        if since and points is not None:
            change = (
                f"no change since {int(base_year)}"
                if round(points, 1) == 0
                else f"{'up' if points > 0 else 'down'} {abs(points):.1f} points since {int(base_year)}"
            )
        return fmt_rate(row["value"]), f"{ind.title}: {who}", change
    big = f"{1 + pct / 100:.1f}x" if pct >= 100 else f"{signed(pct, 0)}%"
    return big, f"{ind.counted} since {int(base_year)}", f"{fmt_count(row['numerator'])} in {year}; {share}"


def goal_rows(export: pd.DataFrame, partnership: Partnership, catalogue: Catalogue, year: int) -> list[dict]:
    """Each registry goal with its target and, where the export shows it, its progress, in words."""
    out = []
    for goal in partnership.goals:
        ind = catalogue.get(goal.indicator)
        if goal.measure == "change_from_baseline_pct":
            # Says what changes: a brief's headline tile states the change in learners counted,
            # which differs from the change in the rate this goal measures.
            target = f"{goal.target:+g}% in {_changing(ind)} since {partnership.baseline_year}"
        elif goal.measure == "rate":
            target = fmt_rate(goal.target)
        else:
            target = f"{goal.target:,.0f} {_goal_noun(ind)}"
        rows = export[
            (export["indicator_id"] == goal.indicator)
            & (export["group_type"] == "all")
            & export["goal_target"].notna()
        ]
        entry = {
            "goal": ind.title,
            "target": f"{target} by {goal.target_year}",
            "now": "",
            "progress": "",
            "pace": "progress cannot be shown this year",
        }
        if not rows.empty and cells.is_exact(rows.iloc[0]) and not is_missing(rows.iloc[0]["goal_current"]):
            r = rows.iloc[0]
            current = float(r["goal_current"])
            entry["now"] = (
                f"{current:+.0f}%"
                if goal.measure == "change_from_baseline_pct"
                else fmt_rate(current)
                if goal.measure == "rate"
                else fmt_count(current)
            )
            share = r["goal_progress_share"]
            met = is_met(current, float(goal.target), ind.better)
            if not is_missing(share):
                entry["progress"] = f"{max(0.0, float(share)) * 100:.0f}% of the way"
            elif met:  # the baseline already met the target: there was no way to go
                entry["progress"] = f"met in {partnership.baseline_year}"
            else:  # met in the baseline year, and no longer
                entry["progress"] = "below the target"
            on = r["goal_on_track"]
            entry["pace"] = (
                "target met"
                if met
                else "not known"
                if is_missing(on)
                else ("on track" if bool(on) else "behind the straight line")
            )
        out.append(entry)
    return out


def _goal_noun(ind: Indicator) -> str:
    return "credentials" if ind.id == "credential_attainment" else "learners"


def _changing(ind: Indicator) -> str:
    """What a change-from-baseline goal on ``ind`` is a change in: its main figure."""
    named = {"rate": "the rate", "usd": "the amount", "mean": "the average", "odds_ratio": "the odds ratio"}
    return named.get(ind.unit, _goal_noun(ind))


def gap_label(row, catalogue: Catalogue) -> str:
    return f"{group_value_label(row['group_type'], row['group_value'])} — {catalogue.get(row['indicator_id']).title}"


def learner_gap_rows(export: pd.DataFrame) -> pd.DataFrame:
    """Rate rows of the five learner breakdowns that show an exact rate and a gap."""
    rows = export[
        export["group_type"].isin(LEARNER_GROUPS) & (export["measure"] == "rate") & export["gap_pp"].notna()
    ]
    return rows[cells.states(rows) == "exact"] if not rows.empty else rows


def largest_gaps(export: pd.DataFrame, most: int = 12) -> pd.DataFrame:
    """Flagged gaps, largest first. Learners whose status is unknown are a gap in the data, not a
    group of learners: the tables show them, the equity sections do not name them."""
    gaps = learner_gap_rows(export)
    flagged = gaps[gaps["is_gap"].fillna(False).astype(bool) & (gaps["group_value"] != "unknown")]
    return flagged.sort_values("gap_pp").head(most)


def gap_sentence(row, catalogue: Catalogue) -> str:
    """ "English learners — On-time graduation: 71.2%, 12.3 points below other learners (± 3.1)."."""
    gap = float(row["gap_pp"])
    side = "below" if gap < 0 else "above"
    return (
        f"{gap_label(row, catalogue)}: {fmt_rate(row['value'])}, {abs(gap):.1f} points {side} other learners "
        f"(± {float(row['gap_moe_pp']):.1f})."
    )


def gap_trend_rows(export: pd.DataFrame) -> pd.DataFrame:
    """Group rows of the five breakdowns whose gap is publishable now and at the baseline."""
    if "gap_trend" not in export:
        return export.iloc[:0].assign(_closed=pd.Series(dtype=float))
    rows = export[
        export["group_type"].isin(LEARNER_GROUPS)
        & export["gap_trend"].notna()
        & export["gap_pp"].notna()
        & export["gap_baseline_pp"].notna()
        & (export["group_value"] != "unknown")
    ]
    if not rows.empty:
        rows = rows[cells.states(rows) == "exact"]
    return rows.assign(_closed=rows["gap_baseline_pp"].abs() - rows["gap_pp"].abs())


def narrowed_and_widened(export: pd.DataFrame, most: int = 5) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The gaps that narrowed most and those that widened most (by how far they moved towards or from zero)."""
    rows = gap_trend_rows(export)
    narrowed = rows[rows["gap_trend"] == "narrowing"].sort_values("_closed", ascending=False).head(most)
    widened = rows[rows["gap_trend"] == "widening"].sort_values("_closed").head(most)
    return narrowed.drop(columns="_closed"), widened.drop(columns="_closed")


def gap_move_sentence(row, catalogue: Catalogue) -> str:
    then, now = float(row["gap_baseline_pp"]), float(row["gap_pp"])
    text = f"{gap_label(row, catalogue)}: from {signed(then)} to {signed(now)} points"
    moe = _num(row, "gap_change_moe_pp")
    return text + (f" (change {signed(now - then)} ± {moe:.1f})" if moe is not None else "") + "."


def gap_trend_summary(export: pd.DataFrame, baseline_year: int) -> str:
    rows = gap_trend_rows(export)
    if rows.empty:
        return (
            f"No gap can be compared with {baseline_year} yet: a comparison needs the group's gap published "
            "in both years."
        )
    counts = rows["gap_trend"].value_counts()
    return (
        f"Of {len(rows)} gaps published both in {baseline_year} and now, {int(counts.get('narrowing', 0))} "
        f"narrowed, {int(counts.get('widening', 0))} widened and {int(counts.get('no_clear_change', 0))} show "
        "no clear change (a change counts only when it is larger than its 95% margin of error)."
    )


# ------------------------------------------------------------------ employers
def employer_rows(export: pd.DataFrame) -> list[tuple[str, str, str]]:
    """(kind of experience, learners, employers) of each kind whose learners are shown."""
    rows = export[(export["indicator_id"] == "wbl_by_type") & (export["group_type"] == "wbl_type")]
    out = []
    for kind, part in rows.groupby("group_value", sort=False):
        learners = part[part["measure"] == "learners"]
        employers = part[part["measure"] == "employers"]
        if learners.empty or not cells.is_exact(learners.iloc[0]):
            continue
        m = (
            fmt_count(employers.iloc[0]["value"])
            if not employers.empty and cells.is_exact(employers.iloc[0])
            else ""
        )
        out.append((group_value_label("wbl_type", kind), fmt_count(learners.iloc[0]["value"]), m))
    return out


def employer_sentences(export: pd.DataFrame) -> list[str]:
    """ "805 learners in job shadows with 138 employers", per kind of experience shown."""
    return [
        f"{n} learners in {kind.lower()}" + (f" with {m} employers" if m else "")
        for kind, n, m in employer_rows(export)
    ]
