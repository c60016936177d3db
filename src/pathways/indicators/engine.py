"""The indicator engine: every indicator of the catalogue for a partnership-year, suppressed.

``compute_year`` works on one :class:`~pathways.io.submission.History`; ``compute_series`` reads
each year's files once and computes every submitted year from the baseline to Y, each from
the history up to that year; ``compute_export`` adds trends and goals to year Y.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pathways.errors import PathwaysError
from pathways.indicators import after_hs, credentials, early_credit, graduation, health, odds, pathways_, wbl
from pathways.indicators import cache as indicator_cache
from pathways.indicators.base import ROW_COLUMNS, YEAR_COLUMN, Ctx, status_row
from pathways.indicators.goals import add_goals
from pathways.indicators.linked import add_empty_linked_groups
from pathways.indicators.suppression import scrub, suppress
from pathways.indicators.trends import add_gap_trends, add_trends
from pathways.io.catalogue import Indicator, load_catalogue
from pathways.io.export import EXPORT_COLUMNS, conform
from pathways.io.registry import Partnership, Registry
from pathways.io.submission import History, Submissions, submitted_years

COMPUTE = {
    **pathways_.INDICATORS,
    **credentials.INDICATORS,
    **wbl.INDICATORS,
    **early_credit.INDICATORS,
    **graduation.INDICATORS,
    **odds.INDICATORS,
    **after_hs.INDICATORS,
    **health.INDICATORS,
}


def available_inputs(history: History, ind: Indicator) -> dict[str, set[str]]:
    """Submitted files and their filled columns, reading offset inputs (employment of Y-1) from their year."""
    available = dict(history.submitted)
    for name in ind.input_offsets:
        available.pop(name, None)
        frame = history.frames.get(name)
        if frame is None or frame.empty:
            continue
        years = ind.input_years(name, history.year)
        rows = frame[frame[YEAR_COLUMN[name]].isin(years).fillna(False).to_numpy(dtype=bool)]
        if not rows.empty:
            available[name] = {c for c in rows.columns if rows[c].notna().any()}
    return available


def _not_submitted_note(history: History, ind: Indicator, available: dict[str, set[str]]) -> str:
    missing = [ind.input_label(f, history.year) for f in ind.inputs if f not in available]
    if ind.inputs_any:
        text = "needs one of " + ", ".join(ind.input_label(f, history.year) for f in ind.inputs)
    else:
        text = "needs " + ", ".join(missing) if missing else ""
    if ind.inputs_also_one_of and not any(f in available for f in ind.inputs_also_one_of):
        text += (
            ("; " if text else "")
            + "needs one of "
            + " or ".join(ind.input_label(f, history.year) for f in ind.inputs_also_one_of)
        )
    for name, columns in ind.input_columns.items():
        lacking = [c for c in columns if c not in available.get(name, set())]
        if lacking and name in available:
            text += (
                "; " if text else ""
            ) + f"column {', '.join(lacking)} of {ind.input_label(name, history.year)} was left blank or out"
    return f"not submitted: {text}"


def true_cells(
    history: History, partnership: Partnership, min_cell_size: int, earlier: pd.DataFrame | None = None
) -> tuple[pd.DataFrame, dict]:
    """Every indicator of year ``history.year`` before suppression, with the internal columns, and
    the learners 9-12 per group. Never published: the disclosure audit checks the published
    tables against these cells. ``earlier``: the rows of the years before it published beside it,
    whose groups the linked tables of this year have rows for (:mod:`pathways.indicators.linked`)."""
    ctx = Ctx(history, partnership, min_cell_size)
    rows: list[dict] = []
    for ind in load_catalogue().indicators:
        available = available_inputs(history, ind)
        if not ind.is_submitted(available):
            rows.append(
                status_row(
                    ind.id,
                    "not_submitted",
                    _not_submitted_note(history, ind, available),
                    measure=ind.main_measure,
                )
            )
            continue
        ctx.available = available
        rows.extend(COMPUTE[ind.id](ctx))
    table = add_empty_linked_groups(pd.DataFrame(rows, columns=ROW_COLUMNS), int(history.year), earlier)
    return table, ctx.group_sizes


def compute_year(
    history: History, partnership: Partnership, min_cell_size: int, earlier: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Every indicator of year ``history.year`` as a long table, suppressed, trend/goal columns empty.

    ``earlier``: the rows of the years before it that are published beside it (the series from
    the baseline), so that no denominator of this year gives away a count they hide."""
    table, group_sizes = true_cells(history, partnership, min_cell_size, earlier)
    table = suppress(table, min_cell_size, group_sizes, year=int(history.year), earlier=earlier)
    table["partnership_id"] = partnership.id
    table["school_year"] = int(history.year)
    return conform(table)


def compute_series(data_dir, registry: Registry, partnership_id: str, year: int) -> pd.DataFrame:
    """Rows of every submitted year from the baseline year to ``year``, each from the history up to it."""
    partnership = registry.get(partnership_id)
    data_dir = Path(data_dir)
    wanted = [
        y for y in submitted_years(data_dir, partnership_id) if partnership.baseline_year <= y <= int(year)
    ]
    keys = {y: indicator_cache.year_key(data_dir, partnership, registry.min_cell_size, y) for y in wanted}
    frames = []
    subs = None  # read the files only when some year is not cached
    for y in wanted:
        rows = indicator_cache.load(keys[y])
        if rows is None:
            with indicator_cache.one_at_a_time(keys[y]):
                rows = indicator_cache.load(keys[y])  # another worker may have computed it meanwhile
                if rows is None:
                    subs = subs or Submissions(data_dir, partnership_id, int(year))
                    earlier = pd.concat(frames, ignore_index=True) if frames else None
                    rows = compute_year(subs.history(y), partnership, registry.min_cell_size, earlier)
                    indicator_cache.store(keys[y], rows)
        frames.append(rows)
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in EXPORT_COLUMNS})
    return pd.concat(frames, ignore_index=True)


def compute_export(
    data_dir, registry: Registry, partnership_id: str, year: int, *, series: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Rows of ``year`` with the trend and goal columns filled on the all-learners rows and the
    gap-trend columns on the rows of the five learner breakdowns."""
    partnership = registry.get(partnership_id)
    year = int(year)
    if year not in submitted_years(Path(data_dir), partnership_id):
        raise PathwaysError(f"no submission of {partnership_id} for {year} under {data_dir}")
    if series is None:
        series = compute_series(data_dir, registry, partnership_id, year)
    current = series[series["school_year"] == year] if not series.empty else series
    if current.empty:
        subs = Submissions(Path(data_dir), partnership_id, year)
        current = compute_year(subs.history(year), partnership, registry.min_cell_size, series)
    current = current.reset_index(drop=True)
    current = add_trends(current, series, partnership.baseline_year, year)
    current = add_gap_trends(current, series, partnership.baseline_year, year)
    current = add_goals(current, series, partnership, year)
    return conform(scrub(conform(current)))
