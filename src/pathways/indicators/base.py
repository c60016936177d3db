"""What every indicator of one partnership-year shares: integer learner codes, groups, row builders.

Learner ids are strings in the files; every frame gets an integer learner code ``lc`` from
one factorisation, so that memberships become boolean numpy arrays indexed by code and
group tallies become ``np.bincount`` calls. Nothing loops over learners.
"""

from __future__ import annotations

from functools import cached_property

import numpy as np
import pandas as pd

from pathways.indicators.rates import equity_gap, wilson
from pathways.io.catalogue import load_catalogue
from pathways.io.dictionary import load_dictionary
from pathways.io.registry import Partnership
from pathways.io.submission import History

_DICTIONARY = load_dictionary()
# The five learner breakdowns (the equity breakdowns), and the yes/no ones among them.
LEARNER_GROUPS = load_catalogue().learner_groups
_LEARNERS = _DICTIONARY.file("learners")
BOOL_GROUPS = tuple(g for g in LEARNER_GROUPS if _LEARNERS.column(g).type == "bool")
# Group codes follow the dictionary's order of an enum's values (a report lists groups in it).
GROUP_ORDER = {g: list(_LEARNERS.column(g).values) for g in LEARNER_GROUPS if g not in BOOL_GROUPS}
BOOL_LABELS = ["true", "false", "unknown"]
SECTOR_ORDER = list(_DICTIONARY.enum_values("industry_sector"))
DIPLOMAS = _DICTIONARY.value_set("diploma")
NOT_IN_COHORT = _DICTIONARY.value_set("leaves_cohort")
# Files whose rows name a learner; every one gets learner codes from a single factorisation.
LEARNER_FILES = _DICTIONARY.learner_files
# Each file's column that equals the folder's year (pathways.csv has none).
YEAR_COLUMN = _DICTIONARY.year_columns

# Internal columns the suppression module reads; they never leave the engine.
#   _kind: rate | count (people counted: rule 2) | derived (counts of employers, credits, dollars:
#          rule 4 through _cell_n/_parent) | mean (a mean or median over _denominator_ people) | odds
#   _noun: what the people are ("learners", "respondents", "teachers") for the reason text
#   _cell_n: the smallest count of people the figure rests on (rule 4)
#   _parent: measure of the same indicator and group whose suppression this row inherits
#   _additive: the rows of this group_type add up to the total row, or to part of it (the
#              concentrators of a cohort: the rest is never published), so subtraction applies (rule 4)
#   _total: "group_type|group_value" of the total row of an additive block
#   _cohort: the graduating cohort a row counts, where the catalogue links its denominator to that
#            cohort's graduates (denominator_from with years_before: cohort)
ROW_COLUMNS = [
    "indicator_id",
    "measure",
    "group_type",
    "group_value",
    "numerator",
    "denominator",
    "value",
    "ci_low",
    "ci_high",
    "status",
    "note",
    "gap_pp",
    "gap_moe_pp",
    "is_gap",
    "_kind",
    "_noun",
    "_cell_n",
    "_parent",
    "_additive",
    "_total",
    "_cohort",
]


def row(
    indicator_id: str,
    measure: str,
    value: float = np.nan,
    *,
    group_type: str = "all",
    group_value: str = "all",
    numerator: float = np.nan,
    denominator: float = np.nan,
    ci_low: float = np.nan,
    ci_high: float = np.nan,
    status: str = "ok",
    note: str | None = None,
    kind: str = "count",
    noun: str = "learners",
    cell_n: float = np.nan,
    parent: str | None = None,
    additive: bool = False,
    total: str = "all|all",
    gap=(np.nan, np.nan, None),
    cohort: float = np.nan,
) -> dict:
    return {
        "indicator_id": indicator_id,
        "measure": measure,
        "group_type": group_type,
        "group_value": str(group_value),
        "numerator": float(numerator),
        "denominator": float(denominator),
        "value": float(value),
        "ci_low": float(ci_low),
        "ci_high": float(ci_high),
        "status": status,
        "note": note,
        "gap_pp": float(gap[0]),
        "gap_moe_pp": float(gap[1]),
        "is_gap": gap[2],
        "_kind": kind,
        "_noun": noun,
        "_cell_n": float(cell_n),
        "_parent": parent,
        "_additive": additive,
        "_total": total,
        "_cohort": float(cohort),
    }


def status_row(indicator_id: str, status: str, note: str, measure: str = "rate") -> dict:
    """One row for an indicator that was not submitted or cannot be computed: no numbers at all."""
    return row(indicator_id, measure, status=status, note=note)


def encode(values: pd.Series, order: list[str], fill: str = "unknown") -> tuple[np.ndarray, list[str]]:
    """Integer codes of a text column in a fixed label order (unexpected values appended, sorted).

    ``pd.factorize`` first, so that only the few distinct values are handled in Python.
    """
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    uniques = [str(u) for u in uniques]
    labels = list(order) + sorted(set(uniques) - set(order) - {fill})
    if fill not in labels and (codes < 0).any():
        labels.append(fill)
    position = {label: i for i, label in enumerate(labels)}
    lookup = np.array([position[u] for u in uniques] + [position.get(fill, -1)], dtype=np.int64)
    return lookup[codes], labels


def unique_ints(values: np.ndarray, return_counts: bool = False):
    """``np.unique`` of an integer array (same values, same order, same counts), by sorting.

    numpy 2's ``np.unique`` hashes integer arrays, which at a million learners is ten times
    slower than its SIMD sort followed by a comparison of neighbours.
    """
    ordered = np.sort(np.asarray(values))
    first = np.ones(len(ordered), dtype=bool)
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    distinct = ordered[first]
    if not return_counts:
        return distinct
    return distinct, np.diff(np.append(np.flatnonzero(first), len(ordered)))


def _as_bool(series: pd.Series) -> np.ndarray:
    """A nullable boolean column as plain bools, unknown counting as False."""
    return series.fillna(False).to_numpy(dtype=bool)


class Ctx:
    """One partnership-year: the frames of every year up to Y with learner codes, and derived flags."""

    def __init__(self, history: History, partnership: Partnership, min_cell_size: int):
        self.history = history
        self.partnership = partnership
        self.year = int(history.year)
        self.min_cell_size = int(min_cell_size)
        # files (and filled columns) an indicator may read; the engine sets it per indicator
        self.available: dict[str, set[str]] = dict(history.submitted)
        frames = {name: history.frame(name) for name in LEARNER_FILES}
        if all(n in history.learner_codes or n not in history.frames for n in LEARNER_FILES):
            # Renumbering the reader's integer codes in order of first appearance gives the
            # same codes as factorising the id strings, at a fraction of the cost.
            ints = np.concatenate(
                [history.learner_codes.get(n, np.empty(0, dtype=np.intp)) for n in LEARNER_FILES]
            )
            known = ints >= 0
            codes = np.full(len(ints), -1, dtype=np.intp)
            codes[known], uniques = pd.factorize(ints[known])
        else:
            ids = pd.concat([frames[n]["learner_id"] for n in LEARNER_FILES], ignore_index=True)
            codes, uniques = pd.factorize(ids, use_na_sentinel=True)
        self.n_ids = len(uniques)
        start = 0
        self.frames: dict[str, pd.DataFrame] = {}
        for name in LEARNER_FILES:
            lc = codes[start : start + len(frames[name])]
            start += len(frames[name])
            frame = frames[name].assign(lc=lc)
            self.frames[name] = frame[lc >= 0] if (lc < 0).any() else frame

    # ------------------------------------------------------------------ basics
    def groups(self, indicator_id: str) -> tuple[str, ...]:
        """The disaggregations the catalogue names for an indicator."""
        return load_catalogue().groups_of(indicator_id)

    def this_year(self, name: str) -> pd.DataFrame:
        """Rows of ``name`` from folder Y (by its year column)."""
        frame = self.frames[name]
        column = YEAR_COLUMN[name]
        return frame[(frame[column] == self.year).fillna(False).to_numpy(dtype=bool)]

    def frame(self, name: str) -> pd.DataFrame:
        if name in self.frames:
            return self.frames[name]
        return self.history.frame(name)

    def other_this_year(self, name: str) -> pd.DataFrame:
        """Rows of a file without learner ids (employer_activity, stakeholder_survey) from folder Y."""
        frame = self.history.frame(name)
        return frame[(frame[YEAR_COLUMN[name]] == self.year).fillna(False).to_numpy(dtype=bool)]

    def mask(self, codes) -> np.ndarray:
        """Boolean array over learner codes, True at ``codes``."""
        out = np.zeros(self.n_ids, dtype=bool)
        out[np.asarray(codes, dtype=np.int64)] = True
        return out

    @cached_property
    def learners_y(self) -> pd.DataFrame:
        frame = self.frames["learners"]
        return frame[(frame["school_year"] == self.year).fillna(False).to_numpy(dtype=bool)]

    @cached_property
    def pop(self) -> np.ndarray:
        """Learners 9-12: rows of this year's learners.csv with grade 9 to 12."""
        ly = self.learners_y
        grade = ly["grade_level"]
        hs = ((grade >= 9) & (grade <= 12)).fillna(False).to_numpy(dtype=bool)
        return self.mask(ly["lc"].to_numpy()[hs])

    @cached_property
    def group_codes(self) -> dict[str, tuple[np.ndarray, list[str]]]:
        """Each learner's groups from their most recent learners.csv row up to Y ("unknown" if none)."""
        frame = self.frames["learners"]
        # Sort and deduplicate the two key columns only, then take the group columns of the kept
        # rows: sorting the whole stacked frame copied every column of every year.
        keys = frame[["school_year", "lc"]].sort_values("school_year", kind="stable")
        kept = keys.index[~keys["lc"].duplicated(keep="last").to_numpy()]
        latest = frame.loc[kept, ["lc", *LEARNER_GROUPS]]
        lc = latest["lc"].to_numpy()
        out = {}
        for col in LEARNER_GROUPS:
            if col in BOOL_GROUPS:
                values = latest[col]
                code = np.where(values.isna().to_numpy(), 2, np.where(_as_bool(values), 0, 1))
                labels = list(BOOL_LABELS)
                unknown = 2
            else:
                code, labels = encode(latest[col], GROUP_ORDER[col])
                unknown = labels.index("unknown")
            full = np.full(self.n_ids, unknown, dtype=np.int64)
            full[lc] = code
            out[col] = (full, labels)
        return out

    @cached_property
    def group_sizes(self) -> dict[tuple[str, str], int]:
        """Learners 9-12 of the year per (group_type, group_value): the floor every group row must clear."""
        idx = np.flatnonzero(self.pop)
        out = {}
        for g, (codes, labels) in self.group_codes.items():
            counts = np.bincount(codes[idx], minlength=len(labels))
            out.update({(g, labels[k]): int(counts[k]) for k in range(len(labels))})
        return out

    # ------------------------------------------------------------------ pathways and courses
    @cached_property
    def pathway_meta(self) -> pd.DataFrame:
        """The latest definition of each pathway (pathways.csv has no year column)."""
        frame = self.history.frame("pathways")
        return frame.drop_duplicates("pathway_id", keep="last").set_index("pathway_id")

    @cached_property
    def completed_courses(self) -> pd.DataFrame:
        """Distinct completed (learner, pathway, course) of every year so far, with the latest year taken."""
        cte = self.frames["cte_courses"]
        done = cte[_as_bool(cte["is_completed"])]
        return done[["lc", "pathway_id", "course_id", "school_year"]]

    @cached_property
    def distinct_completed(self) -> tuple[np.ndarray, np.ndarray, pd.Index]:
        """Distinct completed (learner, pathway, course) of every year so far, as (lc, pathway code, pathways).

        Pathway and course ids are factorised once and combined into one integer key, so the
        distinct triples come from sorting integers instead of hashing strings three times over.
        """
        done = self.completed_courses
        pcode, pids = pd.factorize(done["pathway_id"], use_na_sentinel=False)
        ccode, cids = pd.factorize(done["course_id"], use_na_sentinel=False)
        n_p, n_c = max(len(pids), 1), max(len(cids), 1)
        key = (done["lc"].to_numpy().astype(np.int64) * n_p + pcode) * n_c + ccode
        key = unique_ints(key) // n_c
        return key // n_p, key % n_p, pd.Index(pids)

    @cached_property
    def concentration(self) -> pd.DataFrame:
        """(lc, pathway_id) pairs with at least two distinct completed courses: concentrators and their pathways."""
        lc, pc, pids = self.distinct_completed
        n_p = max(len(pids), 1)
        pair, counts = unique_ints(lc * n_p + pc, return_counts=True)
        pair = pair[counts >= 2]
        return pd.DataFrame(
            {
                "lc": pair // n_p,
                "pathway_id": pd.array(
                    np.asarray(pids, dtype=object)[pair % n_p] if len(pids) else [], dtype="string"
                ),
            }
        )

    @cached_property
    def concentrator(self) -> np.ndarray:
        return self.mask(self.concentration["lc"].to_numpy())

    @cached_property
    def completed_course_count(self) -> np.ndarray:
        """Distinct completed CTE courses per learner, every year so far."""
        lc, _, _ = self.distinct_completed
        return np.bincount(lc, minlength=self.n_ids)

    @cached_property
    def sector_pairs(self) -> tuple[np.ndarray, np.ndarray, list[str]]:
        """(learner code, sector code) for each sector where the learner completed a course so far."""
        done = self.completed_courses
        meta = self.pathway_meta
        pcode, pids = pd.factorize(done["pathway_id"], use_na_sentinel=True)
        sector_of = [str(meta["industry_sector"].get(p, "other")) if len(meta) else "other" for p in pids]
        sector_of = ["other" if s in ("<NA>", "nan", "None") else s for s in sector_of]
        scode, labels = encode(pd.Series(sector_of + ["other"], dtype="string"), SECTOR_ORDER, fill="other")
        per_row = scode[np.where(pcode >= 0, pcode, len(pids))]
        key = unique_ints(done["lc"].to_numpy().astype(np.int64) * len(labels) + per_row)
        lc, sc = key // len(labels), key % len(labels)
        present = np.unique(sc)
        # keep only sectors somebody completed a course in, in the fixed order
        remap = np.full(len(labels), -1, dtype=np.int64)
        remap[present] = np.arange(len(present))
        return lc, remap[sc], [labels[i] for i in present]

    # ------------------------------------------------------------------ cohorts
    def cohort(self, year: int) -> pd.DataFrame:
        """hs_outcomes rows of cohort ``year`` (folder ``year``)."""
        out = self.frames["hs_outcomes"]
        return out[(out["cohort_year"] == year).fillna(False).to_numpy(dtype=bool)]

    def graduates(self, year: int) -> np.ndarray:
        """Boolean mask of learners of cohort ``year`` with a regular or advanced diploma."""
        c = self.cohort(year)
        return self.mask(c["lc"].to_numpy()[c["exit_type"].isin(DIPLOMAS).fillna(False).to_numpy(dtype=bool)])

    def cohort_members(self, year: int) -> tuple[np.ndarray, np.ndarray]:
        """(members less transferred_out and deceased, graduates among them) as masks."""
        c = self.cohort(year)
        exit_type = c["exit_type"]
        keep = ~exit_type.isin(NOT_IN_COHORT).fillna(False).to_numpy(dtype=bool)
        grad = exit_type.isin(DIPLOMAS).fillna(False).to_numpy(dtype=bool)
        lc = c["lc"].to_numpy()
        return self.mask(lc[keep]), self.mask(lc[grad & keep])

    # ------------------------------------------------------------------ row builders
    def rate_rows(
        self,
        indicator_id: str,
        den,
        num,
        groups=(),
        *,
        extra_groups=(),
        noun: str = "learners",
        note: str | None = None,
        empty_note: str | None = None,
        population: str | None = None,
    ) -> list[dict]:
        """The all row and one row per group of a rate, with Wilson intervals and equity gaps.

        ``den``/``num`` are weights over learner codes: how many denominator units (learners,
        credentials) each learner contributes, and how many of them count in the numerator.
        ``population`` names a sub-population row (group_type "population") instead of "all".
        """
        den = np.asarray(den, dtype=float)
        num = np.asarray(num, dtype=float)
        total_n, total_x = float(den.sum()), float(num.sum())
        gtype, gvalue = ("population", population) if population else ("all", "all")
        if total_n == 0:
            reason = empty_note or f"no {noun} in the denominator for {self.year}"
            return [
                row(
                    indicator_id,
                    "rate",
                    group_type=gtype,
                    group_value=gvalue,
                    status="not_available",
                    note=reason,
                )
            ]
        p, lo, hi = wilson(total_x, total_n)
        rows = [
            row(
                indicator_id,
                "rate",
                p,
                group_type=gtype,
                group_value=gvalue,
                numerator=total_x,
                denominator=total_n,
                ci_low=lo,
                ci_high=hi,
                note=note,
                kind="rate",
                noun=noun,
            )
        ]
        if population:
            # the rest of the total (cohort members who are not concentrators) follows by subtraction
            rows[0]["_additive"] = True
            return rows
        idx = np.flatnonzero(den)
        blocks = []
        for g in groups:
            if g == "industry_sector":
                lc_p, sc_p, labels = self.sector_pairs
                w_den, w_num = den[lc_p], num[lc_p]
                d = np.bincount(sc_p, weights=w_den, minlength=len(labels))
                x = np.bincount(sc_p, weights=w_num, minlength=len(labels))
                blocks.append((g, labels, d, x, False))
            else:
                codes, labels = self.group_codes[g]
                c = codes[idx]
                d = np.bincount(c, weights=den[idx], minlength=len(labels))
                x = np.bincount(c, weights=num[idx], minlength=len(labels))
                blocks.append((g, labels, d, x, True))
        for g, codes, labels, additive in extra_groups:
            c = codes[idx]
            keep = c >= 0
            d = np.bincount(c[keep], weights=den[idx][keep], minlength=len(labels))
            x = np.bincount(c[keep], weights=num[idx][keep], minlength=len(labels))
            blocks.append((g, labels, d, x, additive))
        for g, labels, d, x, additive in blocks:
            # A group nobody in the denominator belongs to has no row; a table whose denominator
            # counts another figure's learners gets its empty ones back (indicators.linked).
            shown = d > 0
            p, lo, hi = wilson(x, d)
            # Equity gaps compare groups of learners; sectors and years since graduation are
            # breakdowns of programs and time (a sector "gap" is built in by its definition).
            if g in LEARNER_GROUPS:
                gap, moe, flag = equity_gap(x, d, total_x, total_n)
            else:
                gap = moe = np.full(len(labels), np.nan)
                flag = np.zeros(len(labels), dtype=bool)
            for k in np.flatnonzero(shown):
                rows.append(
                    row(
                        indicator_id,
                        "rate",
                        p[k],
                        group_type=g,
                        group_value=labels[k],
                        numerator=x[k],
                        denominator=d[k],
                        ci_low=lo[k],
                        ci_high=hi[k],
                        kind="rate",
                        noun=noun,
                        additive=additive,
                        gap=(gap[k], moe[k], bool(flag[k]) if moe[k] == moe[k] else None),
                    )
                )
        return rows
