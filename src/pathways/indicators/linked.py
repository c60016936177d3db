"""Rows for the empty groups of a table whose denominator counts another figure's learners.

A table has a row for each group somebody in its denominator belongs to. Where the denominator
counts the learners of another figure's numerator (the catalogue's ``denominator_from``: CTE
participants, last year's graduates, those with wages), a missing group row would tell a reader
that the other figure's numerator of that group is 0, even where that figure hides it (a group of
three learners none of whom took part). So such a table gets a row, with a denominator of 0, for
every group the other figure has a row of; suppression hides it as it hides any group below the
minimum, and rule 4 keeps its 0 from being worked out by subtraction.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pathways.indicators.base import BOOL_LABELS, GROUP_ORDER, SECTOR_ORDER
from pathways.io.catalogue import Indicator, load_catalogue

ZEROED = ("numerator", "denominator")
EMPTIED = ("value", "ci_low", "ci_high", "gap_pp", "gap_moe_pp")


def add_empty_linked_groups(table: pd.DataFrame, year: int, earlier: pd.DataFrame | None) -> pd.DataFrame:
    """``table`` (one year's rows before suppression) with the linked tables' empty group rows added.

    ``earlier``: the rows of the years before, where a figure of an earlier year (last year's
    graduates) is looked up; an earlier year not among them is not published beside this one.
    Repeated until nothing is added: a table linked to a linked table of the same year (median
    earnings to employment) gets the groups that one got.
    """
    out, completed = table, set()
    while True:
        added = [
            rows
            for ind in load_catalogue().indicators
            if ind.denominator_from is not None and ind.denominator_from.group is None
            for rows in _empty_rows(out, ind, year, earlier)
        ]
        if not added:
            break
        completed |= {
            (b["indicator_id"].iloc[0], b["measure"].iloc[0], b["group_type"].iloc[0]) for b in added
        }
        out = pd.concat([out, *added], ignore_index=True)
    return _in_label_order(out, completed) if completed else table


def _empty_rows(
    table: pd.DataFrame, ind: Indicator, year: int, earlier: pd.DataFrame | None
) -> list[pd.DataFrame]:
    """The rows, one block per breakdown, of the groups ``ind``'s source figure has and ``ind`` has not."""
    link = ind.denominator_from
    mine = table[(table["indicator_id"] == ind.id) & (table["group_type"] != "all")]
    if mine.empty:
        return []
    alls = table[(table["indicator_id"] == ind.id) & (table["group_type"] == "all")]
    source_year = link.source_year(year, alls["_cohort"].iloc[0] if len(alls) else None)
    if source_year is None:
        return []
    if source_year == year:
        rows = table
    elif earlier is None or earlier.empty:
        return []
    else:
        rows = earlier[earlier["school_year"] == source_year]
    source = rows[rows["indicator_id"] == link.indicator]
    blocks = []
    for (_, gtype), block in mine.groupby(["measure", "group_type"], sort=False):
        have = set(block["group_value"])
        missing = [
            v
            for v in dict.fromkeys(source.loc[source["group_type"] == gtype, "group_value"])
            if v not in have
        ]
        if not missing:
            continue
        empty = block.iloc[[0] * len(missing)].copy()
        empty["group_value"] = missing
        empty[list(ZEROED)] = 0.0
        empty[list(EMPTIED)] = np.nan
        empty["is_gap"] = None
        empty["note"] = None
        blocks.append(empty)
    return blocks


def _in_label_order(out: pd.DataFrame, completed: set[tuple[str, str, str]]) -> pd.DataFrame:
    """The completed breakdowns' rows in their labels' order (the engine's), where they stood."""
    orders = {**GROUP_ORDER, "industry_sector": SECTOR_ORDER}
    block = list(zip(out["indicator_id"], out["measure"], out["group_type"], strict=True))
    first: dict[tuple, int] = {}
    for i, b in enumerate(block):
        first.setdefault(b, i)

    def within(i: int) -> float:
        if block[i] not in completed:
            return i
        labels = orders.get(block[i][2], BOOL_LABELS)
        value = out["group_value"].iat[i]
        return labels.index(value) if value in labels else len(labels) + i

    key = sorted(range(len(out)), key=lambda i: (first[block[i]], within(i)))
    return out.iloc[key].reset_index(drop=True)
