"""Small-cell suppression: the privacy floor, applied once and centrally before anything leaves the engine.

The indicator modules describe each row with internal columns (``_kind``, ``_noun``,
``_cell_n``, ``_parent``, ``_additive``, ``_total``, see :mod:`pathways.indicators.base`);
this module alone decides how each row is shown: ``exact``, as a bound (``at_least`` /
``at_most``: top and bottom coding) or ``suppressed``. The rules, with N the registry's
``min_cell_size``, are stated once, in a reader's words, in ``suppression.methods_rules`` of
``indicator_catalogue.yml`` (the methods page prints them, :func:`in_words`); this module
implements them in that order, rule 1 to 3 in :func:`suppress`, rule 4 in :func:`_complementary`
(within a breakdown), :func:`_shared_counts` (across tables and years: a denominator that counts
another figure's hidden numerator) and :func:`_shared_denominators` (across the tables whose
denominators count the same learners), and rule 5 in :func:`suppress` and :func:`scrub`. What the
rules leave to the implementation:

- the bounds of rule 3 are whole percents, at least ``floor(100 (1 - N/d))%`` (:func:`top_bound`)
  and at most ``ceil(100 N/d)%`` (:func:`bottom_bound`);
- rule 4 treats a coded rate's numerator as hidden, and knows of a hidden cell only what its
  reason says (the categories below); across tables it hides the row that shows the shared count
  (an earlier year is published as it is), except for a sub-population's all-learners link (the
  graduating concentrators), where the other figure's single row gives way;
- rule 5 also hides counts of employers, credits or dollars resting on 1..N-1 learners, odds
  ratios with a term x outcome cell below N, a model's n that is its cohort less 1..N-1 learners
  left out (with the odds ratios' denominators), and every row whose ``_parent`` is suppressed;
  gaps stay only on exact rows of the learner breakdowns whose total is exact.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from pathways.io.export import CODED, FLOAT_COLUMNS

DERIVED_FLAGS = ("is_gap", "goal_on_track")
DERIVED_TEXT = ("note", "change_label", "gap_trend", "goal_measure")
# every number a suppressed row must not carry (the export's float columns)
NUMERIC_COLUMNS = FLOAT_COLUMNS
# what a coded row shows: its denominator and its bound
CODED_NUMBERS = ("denominator", "bound")
COMPLEMENTARY = "suppressed so that a smaller group cannot be worked out"
GAP_COLUMNS = ("gap_pp", "gap_moe_pp", "is_gap")
COUNT_EXEMPT_MEASURES = ("rate", "mean", "odds_ratio", "usd")
YES_NO_VALUES = {"true", "false", "unknown"}

# What a reader knows about a hidden cell from the reason beside it (rule 4 uses it to tell
# whether subtraction pins a small cell down): "small" rows are below N, "both" rows have a
# numerator and a complement below N, "complement" rows were hidden though not small.
# "group" rows belong to a learner group smaller than N in grades 9-12 (everything about them is
# protected); "coded" rows show a bound.
SMALL, BOTH, COMPLEMENT, GROUP, CODED_ROW, OTHER = "small", "both", "complement", "group", "coded", "other"


def _small(values: pd.Series, n: int) -> pd.Series:
    return (values > 0) & (values < n)


def _equity_groups() -> tuple[str, ...]:
    from pathways.io.catalogue import load_catalogue

    return tuple(load_catalogue().group_sets["learner"])


def in_words(template: str, min_cell_size: int) -> str:
    """A text of ``suppression`` in the catalogue with the floor filled in: ``{n}``, ``{n_1}`` (one less) and,
    for rule 3's example of a rate of 400 learners all but a few counted, ``{example_bound}`` (its bound)
    and ``{example_open}`` (the count the bound leaves open)."""
    n = min_cell_size
    example = top_bound(400, n)
    return template.format(
        n=n, n_1=n - 1, example_bound=f"{example:.0%}", example_open=f"{(1 - example) * 400:.0f}"
    )


def top_bound(denominator: float, n: int) -> float:
    """The "at least" bound of a rate whose complement is small: the largest whole percent b with (1-b) d >= N."""
    d = int(round(denominator))
    return ((100 * (d - n)) // d) / 100


def bottom_bound(denominator: float, n: int) -> float:
    """The "at most" bound of a rate whose numerator is small: the smallest whole percent b with b d >= N."""
    d = int(round(denominator))
    return (-((-100 * n) // d)) / 100


def suppress(
    table: pd.DataFrame,
    min_cell_size: int,
    group_sizes: dict[tuple[str, str], int] | None = None,
    *,
    year: int | None = None,
    earlier: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Apply rules 1-5 to a long table with the internal columns; returns a new table.

    Adds ``suppressed``, ``shown_as``, ``bound`` and ``suppression_reason``. ``group_sizes``
    gives the learners in grades 9-12 of the year per (group_type, group_value): a learner
    group smaller than N is not shown for any indicator, even one whose own denominator (a
    cohort, former learners) is larger, because the group itself identifies its few members.
    ``year`` and ``earlier`` (the published rows of the years before it) let rule 4 reach the
    denominators that count an earlier year's hidden numerator again (:func:`_shared_counts`).
    """
    n = int(min_cell_size)
    t = table.reset_index(drop=True)
    if "is_gap" in t:
        t["is_gap"] = t["is_gap"].astype(object)
    if t.empty:
        for col, dtype in (
            ("suppressed", bool),
            ("shown_as", object),
            ("bound", float),
            ("suppression_reason", object),
        ):
            t[col] = pd.Series(dtype=dtype)
        return t.set_axis(table.index)
    ok = (t["status"] == "ok").to_numpy()
    kind, noun = t["_kind"], t["_noun"].fillna("learners")
    cells = _Cells(t, n)

    def mark(mask, text, state: str = "suppressed", category: str = SMALL) -> None:
        mask = np.asarray(mask, dtype=bool) & ok & (cells.state == "exact")
        if not mask.any():
            return
        cells.state[mask] = state
        cells.category[mask] = category
        cells.reason[mask] = text if isinstance(text, str) else np.asarray(text, dtype=object)[mask]

    den, num = t["denominator"], t["numerator"]
    comp = den - num
    rate = kind == "rate"
    mark(rate & (den < n), f"fewer than {n} " + noun + " in the group")
    mark((kind == "mean") & (den < n), f"fewer than {n} " + noun)
    if group_sizes:
        size = pd.Series(
            [group_sizes.get((g, v), 0) for g, v in zip(t["group_type"], t["group_value"], strict=True)],
            index=t.index,
        )
        mark(_small(size, n), f"fewer than {n} learners in the group in grades 9-12", category=GROUP)
    mark(
        rate & _small(num, n) & _small(comp, n),
        f"fewer than {n} " + noun + f" counted in the rate, and fewer than {n} not",
        category=BOTH,
    )
    mark(
        rate & _small(comp, n),
        f"fewer than {n} " + noun + " not counted in the rate",
        state="at_least",
        category=CODED_ROW,
    )
    mark(
        rate & _small(num, n),
        f"fewer than {n} " + noun + " counted in the rate",
        state="at_most",
        category=CODED_ROW,
    )
    for state, bound_of in (("at_least", top_bound), ("at_most", bottom_bound)):
        rows = np.flatnonzero(cells.state == state)
        cells.bound[rows] = [bound_of(d, n) for d in den.to_numpy()[rows]]
    # a bound of 0% or 100% would say nothing (only when N is close to 100): not shown at all
    useless = _coded(cells.state) & ((cells.bound <= 0) | (cells.bound >= 1))
    cells.state[useless], cells.category[useless] = "suppressed", OTHER
    mark((kind == "count") & _small(t["value"], n), f"fewer than {n} " + noun)
    # any other count shown on its own (employers, credits) reads "<N" too
    mark(
        ~t["measure"].isin(COUNT_EXEMPT_MEASURES) & _small(t["value"], n),
        f"fewer than {n} " + t["measure"].str.replace("_", " "),
    )
    mark(
        (kind == "odds") & (t["_cell_n"] < n),
        f"a cell of the model (term x outcome) has fewer than {n} learners",
        category=OTHER,
    )
    mark(
        kind.isin(["derived", "count"]) & _small(t["_cell_n"], n),
        f"derived from a suppressed cell (fewer than {n} " + noun + ")",
        category=OTHER,
    )
    _inherit(t, cells, ok)
    # Rule 4, first within each breakdown, then across tables. A cell hidden for another table
    # changes what the breakdowns must hide, so rule 4 starts again from rules 1-3 with it (and
    # every cell hidden so far for another table): no cell stays hidden that no longer protects one.
    primary = cells.snapshot()
    earlier_hidden = _hidden_earlier(earlier) if year is not None else set()
    populations = _populations(t, cells, ok)

    def settle(links: dict[int, tuple[str, str]]) -> dict[int, tuple[str, str]]:
        """Rule 4 from rules 1-3 with ``links`` hidden; the rows another table then asks to hide."""
        cells.restore(primary)
        for i, (category, reason) in links.items():
            _hide(cells, i, category, reason)
        _inherit(t, cells, ok)
        _complementary(t, cells, ok)
        _inherit(t, cells, ok)
        return {
            **_shared_counts(t, cells, ok, year, earlier_hidden),
            **_shared_denominators(cells, populations),
        }

    linked: dict[int, tuple[str, str]] = {}
    found = settle(linked)
    while found:
        linked.update(found)
        found = settle(linked)
    # A row hidden on the way for a count that the other table shows in the end is shown again
    # where the rules hold without it (the concentrators' bound, hidden for its own sake, stays).
    needed = _shared_counts(t, cells, ok, year, earlier_hidden, hidden_too=True)
    stale = [i for i, (category, _) in linked.items() if category == OTHER and i not in needed]
    if stale:
        for i in stale:
            trial = {k: v for k, v in linked.items() if k != i}
            if not settle(trial):
                linked = trial
        settle(linked)

    state = pd.Series(cells.state, index=t.index, dtype=object)
    t["suppressed"] = state.eq("suppressed").to_numpy()
    t["shown_as"] = state.where(pd.Series(ok, index=t.index), None)
    t["bound"] = np.where(_coded(cells.state), cells.bound, np.nan)
    t["suppression_reason"] = pd.Series(cells.reason, index=t.index, dtype=object).where(
        state.ne("exact"), None
    )
    _blank_gaps(t)
    _blank_model_sizes(t)
    return scrub(t).set_axis(table.index)


def _blank_model_sizes(t: pd.DataFrame) -> None:
    """Rule 5 for a model's size: an odds ratio's denominator is its model's n, hidden where the
    model's learners row is (the rest of the ratio is shown: it gives no count away)."""
    hidden = (t["_kind"] == "count") & (t["group_type"] == "all") & t["suppressed"]
    models = t["indicator_id"].isin(set(t.loc[hidden, "indicator_id"]))
    t.loc[(t["_kind"] == "odds") & models, "denominator"] = np.nan


def _coded(state: np.ndarray) -> np.ndarray:
    return pd.Series(state, dtype=object).isin(CODED).to_numpy()


class _Cells:
    """How each row is shown while the rules run (positional arrays): state, reason, what a reader
    can infer of a hidden cell (its category), bound; and the numbers rule 4 subtracts."""

    def __init__(self, t: pd.DataFrame, n: int):
        ok = (t["status"] == "ok").to_numpy()
        self.state = np.where(ok, "exact", None).astype(object)
        self.reason = np.full(len(t), None, dtype=object)
        self.category = np.full(len(t), None, dtype=object)
        self.bound = np.full(len(t), np.nan)
        self.n = n
        den = t["denominator"].to_numpy(dtype=float)
        num = t["numerator"].to_numpy(dtype=float)
        self.numbers = {
            "denominator": den,
            "numerator": num,
            "complement": den - num,
            "value": t["value"].to_numpy(dtype=float),
        }
        self.kind = t["_kind"].to_numpy(dtype=object)
        self.group_value = t["group_value"].to_numpy(dtype=object)

    def snapshot(self) -> tuple[np.ndarray, ...]:
        return self.state.copy(), self.reason.copy(), self.category.copy(), self.bound.copy()

    def restore(self, saved: tuple[np.ndarray, ...]) -> None:
        self.state, self.reason, self.category, self.bound = (a.copy() for a in saved)


def _key(frame: pd.DataFrame, measure: pd.Series | None = None) -> pd.Series:
    m = frame["measure"] if measure is None else measure
    return (
        frame["indicator_id"] + "|" + m.astype(str) + "|" + frame["group_type"] + "|" + frame["group_value"]
    )


def _inherit(t: pd.DataFrame, cells: _Cells, ok: np.ndarray) -> None:
    """Rule 5 through ``_parent``: a row whose parent row (same indicator and group) is suppressed."""
    suppressed = cells.state == "suppressed"
    has_parent = t["_parent"].notna().to_numpy() & (cells.state == "exact") & ok
    if not has_parent.any():
        return
    parents = dict(zip(_key(t[suppressed]), cells.reason[suppressed], strict=True))
    parent_keys = _key(t[has_parent], t.loc[has_parent, "_parent"])
    for idx, k in parent_keys[parent_keys.isin(set(parents))].items():
        cells.state[idx] = "suppressed"
        cells.category[idx] = OTHER
        cells.reason[idx] = f"derived from a suppressed cell ({parents[k]})"


# ---------------------------------------------------------------------------------- rule 4
def _quantities(kind: str) -> tuple[str, ...]:
    """The counts a reader can subtract in a breakdown of this kind of row."""
    if kind == "rate":
        return ("denominator", "numerator", "complement")
    if kind == "mean":
        return ("denominator",)  # respondents or earners: a median cannot be subtracted, its count can
    if kind == "count":
        return ("value",)
    return ()


def _hidden(state: str, quantity: str) -> bool:
    if state == "suppressed":
        return True
    return state in CODED and quantity in ("numerator", "complement")


def _prior(
    state: str, category: str | None, quantity: str, denominator: float, n: int
) -> tuple[float, float]:
    """What a reader knows of a hidden cell: the range its reason and its shown numbers imply."""
    if state in CODED:
        small_side = "complement" if state == "at_least" else "numerator"
        if quantity == small_side:
            return 1.0, n - 1.0
        return denominator - (n - 1.0), denominator - 1.0
    if category == SMALL:
        return (1.0, n - 1.0) if quantity in ("denominator", "value") else (0.0, n - 1.0)
    if category == BOTH:
        return (2.0, 2.0 * n - 2.0) if quantity == "denominator" else (1.0, n - 1.0)
    if category == COMPLEMENT and quantity == "denominator":
        return float(n), math.inf  # it would have been hidden on its own otherwise
    return 0.0, math.inf


def _sensitive(state: str, category: str | None, quantity: str, value: float, n: int) -> bool:
    """Whether a hidden cell must not be worked out: a small count, a coded rate's numerator or
    complement, or anything (a zero too) about a group hidden for being small."""
    if n <= 1:
        return False  # no count is below the floor: the only cells hidden as small are empty
    if category in (SMALL, GROUP):
        return True
    return 0 < value < n or (quantity != "denominator" and (state in CODED or category == BOTH))


def pinned(unknowns: list[tuple[float, float, float, bool]], constant: float) -> list[int]:
    """Unknowns of ``sum(sign * q) == constant`` whose value the equation and the others' ranges fix.

    ``unknowns``: (sign, low, high, sensitive) per hidden cell; only sensitive ones are reported.
    Cells are whole counts: a cell is pinned when a single whole number remains possible.
    """
    out = []
    for i, (sign, low, high, sensitive) in enumerate(unknowns):
        if not sensitive:
            continue
        rest_low = sum(lo if s > 0 else -hi for j, (s, lo, hi, _) in enumerate(unknowns) if j != i)
        rest_high = sum(hi if s > 0 else -lo for j, (s, lo, hi, _) in enumerate(unknowns) if j != i)
        a, b = constant - rest_high, constant - rest_low  # range of sign * q
        lo, hi = (a, b) if sign > 0 else (-b, -a)
        lo, hi = max(lo, low), min(hi, high)
        if math.isfinite(lo) and math.isfinite(hi) and math.floor(hi + 1e-9) - math.ceil(lo - 1e-9) < 1:
            out.append(i)
    return out


def _unknowns(cells: _Cells, members: list[int], quantity: str) -> tuple[list[tuple], float, float]:
    """The hidden cells of one breakdown as (sign, low, high, sensitive), the sum of its shown cells,
    and the unpublished rest of the total (0 for a breakdown whose groups cover it)."""
    n, state, category = cells.n, cells.state, cells.category
    values, dens = cells.numbers[quantity], cells.numbers["denominator"]
    unknowns = [
        (
            1.0,
            *_prior(state[i], category[i], quantity, dens[i], n),
            _sensitive(state[i], category[i], quantity, values[i], n),
        )
        for i in members
        if _hidden(state[i], quantity)
    ]
    known = float(sum(values[i] for i in members if not _hidden(state[i], quantity)))
    return unknowns, known, float(sum(values[i] for i in members))


def _implied(cells: _Cells, total: int, members: list[int], quantity: str) -> tuple[float, float]:
    """The range of the total that one breakdown implies: its shown cells plus its hidden cells' ranges."""
    unknowns, known, covered = _unknowns(cells, members, quantity)
    rest = float(cells.numbers[quantity][total]) - covered
    low = known + sum(u[1] for u in unknowns)
    high = known + sum(u[2] for u in unknowns) + (math.inf if abs(rest) > 1e-9 else 0.0)
    return low, high


def _problem(
    cells: _Cells, total: int, members: list[int], quantity: str, siblings: list[list[int]] = ()
) -> bool:
    """Whether subtraction in this breakdown gives a small cell of ``quantity`` away (rule 4).

    ``siblings``: the other breakdowns of the same total. A hidden total is only as hidden as the
    least of them leaves it: a breakdown whose groups are all shown adds it up.
    """
    n, state, category = cells.n, cells.state, cells.category
    q_total = float(cells.numbers[quantity][total])
    unknowns, known, covered = _unknowns(cells, members, quantity)
    residual = q_total - covered
    if abs(residual) > 1e-9:  # the unpublished rest of a partial breakdown (non-concentrators)
        unknowns.append((1.0, 0.0, math.inf, 0 < residual < n))
    if not _hidden(state[total], quantity):
        if q_total == 0:
            return False  # the total itself says every group is 0: nothing left to protect
        revealed = q_total - known  # what subtraction gives: the hidden cells' sum
        if unknowns and 0 < revealed < n:
            return True
        return bool(pinned(unknowns, revealed))
    # the total is hidden too: total - sum(hidden) = known. A hidden total protects what it
    # hides (its small count, or the groups it was hidden for), so it must not be pinned either.
    low, high = _prior(state[total], category[total], quantity, cells.numbers["denominator"][total], n)
    for other in siblings:
        other_low, other_high = _implied(cells, total, other, quantity)
        low, high = max(low, other_low), min(high, other_high)
    equation = [(1.0, low, high, True)] + [(-s, lo, hi, sens) for s, lo, hi, sens in unknowns]
    return bool(pinned(equation, known))


def _candidate(cells: _Cells, members: list[int], quantity: str) -> int | None:
    """The next cell to hide, in the order of rule 4: unknown status, the "false" side of a yes/no
    breakdown, then the smallest other group; one that changes what subtraction reveals first."""
    open_ = [i for i in members if cells.state[i] != "suppressed"]
    if not open_:
        return None
    values = cells.numbers[quantity]
    helpful = [i for i in open_ if not _hidden(cells.state[i], quantity) and values[i] > 0]
    return min(helpful or open_, key=_order(cells, members))


def _order(cells: _Cells, members: list[int]):
    """Rule 4's order of the cells to hide: unknown, the "false" side of a yes/no breakdown, smallest."""
    yes_no = {cells.group_value[i] for i in members} <= YES_NO_VALUES
    size = cells.numbers["value" if cells.kind[members[0]] == "count" else "denominator"]

    def order(i: int) -> tuple[int, float, int]:
        value = cells.group_value[i]
        if value == "unknown":
            return 0, 0.0, i
        if yes_no and value == "false":
            return 1, 0.0, i
        return 2, float(size[i]), i

    return order


def _complementary(t: pd.DataFrame, cells: _Cells, ok: np.ndarray) -> None:
    """Rule 4 on every additive breakdown, repeated until nothing hidden can be worked out."""
    additive = t["_additive"].fillna(False).astype(bool).to_numpy() & ok
    if not additive.any():
        return
    position = dict(zip(_key(t), t.index, strict=True))
    blocks = []
    for (ind, measure, _), part in t[additive].groupby(["indicator_id", "measure", "group_type"], sort=False):
        total_of = part["_total"].fillna("all|all").iloc[0]
        total = position.get(f"{ind}|{measure}|{total_of}")
        if total is None or not ok[total]:
            continue
        quantities = _quantities(str(cells.kind[total]))
        if quantities:
            blocks.append((total, list(part.index), quantities))
    siblings: dict[int, list[list[int]]] = {}
    for total, members, _ in blocks:
        siblings.setdefault(total, []).append(members)

    def problem(total: int, members: list[int], quantity: str) -> bool:
        others = [m for m in siblings[total] if m is not members]
        return _problem(cells, total, members, quantity, others)

    before: dict[int, tuple] = {}  # how each complementary cell was shown before it was hidden
    changed = True
    while changed:  # hiding a total (last resort) reopens the breakdowns that subtract from it
        changed = False
        for total, members, quantities in blocks:
            for quantity in quantities:
                while problem(total, members, quantity):
                    pick = _candidate(cells, members, quantity)
                    if pick is None:
                        if cells.state[total] == "suppressed":
                            break
                        pick = total
                    before[pick] = (
                        cells.state[pick],
                        cells.category[pick],
                        cells.reason[pick],
                        cells.bound[pick],
                    )
                    _hide(cells, pick)
                    changed = True
    # One cell hidden on the way may have become unnecessary once a later one was hidden: show
    # again, focal groups and larger groups first, every cell whose breakdown stays safe without it.
    for total, members, _ in blocks:
        hidden_here = [i for i in members if i in before]
        for i in sorted(hidden_here, key=lambda i: _order(cells, members)(i), reverse=True):
            cells.state[i], cells.category[i], cells.reason[i], cells.bound[i] = before[i]
            if any(problem(t, m, q) for t, m, qs in blocks if t == total for q in qs):
                _hide(cells, i)


# ------------------------------------------------------------------- rule 4 across tables
def _hidden_earlier(earlier: pd.DataFrame | None) -> set[tuple]:
    """(year, indicator, measure, group_type, group_value, quantity) of what earlier years hide:
    everything of a suppressed row, the numerator of a coded one."""
    if earlier is None or earlier.empty or "shown_as" not in earlier:
        return set()
    out = set()
    hidden = earlier[earlier["shown_as"].isin(["suppressed", *CODED])]
    for r in hidden[
        ["school_year", "indicator_id", "measure", "group_type", "group_value", "shown_as"]
    ].itertuples(index=False):
        key = (int(r.school_year), r.indicator_id, r.measure, r.group_type, r.group_value)
        out.add((*key, "numerator"))
        if r.shown_as == "suppressed":
            out.add((*key, "value"))
    return out


def _shared_counts(
    t: pd.DataFrame,
    cells: _Cells,
    ok: np.ndarray,
    year: int | None,
    earlier_hidden: set[tuple],
    *,
    hidden_too: bool = False,
) -> dict[int, tuple[str, str]]:
    """Rule 4 across tables: a denominator that counts the learners of another figure's hidden
    numerator (the catalogue's ``denominator_from``) would give that numerator away, and with it
    the small count its row hides. The row that shows the denominator is hidden; where only its
    all-learners row counts the other figure's sub-population (the concentrators of a cohort, whose
    breakdowns here would add the hidden total up again), the other figure's row is hidden instead:
    one coded rate rather than a table. Returns the rows to hide, with their category and reason
    (``hidden_too``: also the rows already hidden whose other figure hides the count)."""
    from pathways.io.catalogue import load_catalogue

    catalogue = load_catalogue()
    position = dict(zip(_key(t), t.index, strict=True))
    ids, measures = t["indicator_id"].to_numpy(dtype=object), t["measure"].to_numpy(dtype=object)
    gtypes, gvalues = t["group_type"].to_numpy(dtype=object), t["group_value"].to_numpy(dtype=object)
    cohorts = t["_cohort"].to_numpy(dtype=float) if "_cohort" in t else np.full(len(t), np.nan)
    found: dict[int, tuple[str, str]] = {}
    for ind in catalogue.indicators:
        link = ind.denominator_from
        if link is None:
            continue
        quantity = link.quantity
        source = catalogue.get(link.indicator).title
        for i in np.flatnonzero((ids == ind.id) & (measures == ind.main_measure) & ok):
            if cells.state[i] == "suppressed" and not hidden_too:
                continue
            group = link.source_group(gtypes[i], gvalues[i])
            if group is None:
                continue  # its groups split the sub-population, which the other figure does not
            if link.years_before == 0:
                j = position.get(f"{link.indicator}|{link.measure}|{group[0]}|{group[1]}")
                if j is None or not ok[j] or not _hidden(cells.state[j], quantity):
                    continue
                if link.group is not None and cells.state[j] == "suppressed":
                    continue  # hidden whole: its denominator is not shown, so nothing follows
                if link.group is None:
                    found[i] = (
                        OTHER,
                        f"suppressed so that a count hidden in {source} cannot be worked out",
                    )
                else:  # a bound: the first linked figure names the reason
                    found.setdefault(
                        j,
                        (
                            GROUP,
                            f"suppressed: its bound, beside the graduates counted in {ind.title}, would give a small count away",
                        ),
                    )
                continue
            if year is None:
                continue
            source_year = link.source_year(year, cohorts[i])
            if (source_year, link.indicator, link.measure, *group, quantity) in earlier_hidden:
                # the earlier year is published as it is: this year's row gives way (the reason names
                # no year: a reason carries no number but the floor)
                when = {1: "last year's", "cohort": "its cohort's"}.get(
                    link.years_before, "an earlier year's"
                )
                found[i] = (
                    OTHER if link.group is None else GROUP,
                    f"suppressed so that a count hidden in {when} {source} cannot be worked out",
                )
    return found


# one population's breakdown: each table's total row and rows by group value; the denominator of
# the total; the denominator of each group
Population = tuple[list[tuple[int, dict[object, int]]], float, dict[object, float]]


def _populations(t: pd.DataFrame, cells: _Cells, ok: np.ndarray) -> list[Population]:
    """The breakdowns that several rates (or medians) show of the same learners: their denominators
    agree in the total and in every group (the learners 9-12 of participation, credentials,
    work-based learning and early credit; a cohort's graduating concentrators; last year's
    graduates), so a group's count is known once any of them shows it."""
    additive = t["_additive"].fillna(False).astype(bool).to_numpy() & ok
    if not additive.any():
        return []
    position = dict(zip(_key(t), t.index, strict=True))
    den = cells.numbers["denominator"]
    blocks: dict[tuple, list[tuple[int, dict[object, int]]]] = {}
    for (ind, measure, gtype), part in t[additive].groupby(
        ["indicator_id", "measure", "group_type"], sort=False
    ):
        total = position.get(f"{ind}|{measure}|{part['_total'].fillna('all|all').iloc[0]}")
        if total is None or not ok[total] or "denominator" not in _quantities(str(cells.kind[total])):
            continue
        members = {cells.group_value[i]: i for i in part.index}
        # a group absent from one table has no learners in it
        signature = (gtype, den[total], frozenset((v, den[i]) for v, i in members.items() if den[i] > 0))
        blocks.setdefault(signature, []).append((total, members))
    return [
        (tables, total_den, dict(groups))
        for (_, total_den, groups), tables in blocks.items()
        if len(tables) > 1
    ]


def _shared_denominators(cells: _Cells, populations: list[Population]) -> dict[int, tuple[str, str]]:
    """Rule 4 across the tables of one population (:func:`_populations`): each table hiding a
    different cell would let their shown denominators add up to a small group, so each breakdown is
    checked on what those tables show together, and where subtraction gives a small group away the
    next cell in rule 4's order is hidden in every one of them. Returns the rows to hide."""
    found: dict[int, tuple[str, str]] = {}
    for tables, total_den, group_den in populations:
        _one_population(cells, tables, total_den, group_den, found)
    return found


def _one_population(
    cells: _Cells,
    tables: list[tuple[int, dict[object, int]]],
    total_den: float,
    group_den: dict[object, float],
    found: dict[int, tuple[str, str]],
) -> None:
    """Rule 4 on one breakdown of a population shown by several tables (``tables``: each one's total
    row and rows by group value): hide, in all of them, the next cell in rule 4's order until what
    they show together gives no small group away. Adds the rows to hide to ``found``."""
    n, den = cells.n, cells.numbers["denominator"]
    rows_of: dict[object, list[int]] = {}
    for _, members in tables:
        for value, i in members.items():
            rows_of.setdefault(value, []).append(i)

    def shown(i: int) -> bool:
        return cells.state[i] != "suppressed" and i not in found

    if total_den == 0 or not any(shown(total) for total, _ in tables):
        return  # nothing to subtract from
    yes_no = set(rows_of) <= YES_NO_VALUES

    def order(value: object) -> tuple[int, float, str]:
        rank = 0 if value == "unknown" else 1 if yes_no and value == "false" else 2
        return rank, group_den[value], str(value)

    residual = total_den - sum(group_den.values())
    while True:
        known, unknowns = 0.0, []
        for value, rows in rows_of.items():
            if any(shown(i) for i in rows):
                known += group_den.get(value, 0.0)
                continue
            # a reader puts the reasons beside it together: the tightest of their ranges
            ranges = [_prior(cells.state[i], cells.category[i], "denominator", den[i], n) for i in rows]
            sensitive = any(
                _sensitive(cells.state[i], cells.category[i], "denominator", den[i], n) for i in rows
            )
            unknowns.append((1.0, max(r[0] for r in ranges), min(r[1] for r in ranges), sensitive))
        if residual > 1e-9:  # the unpublished rest of a partial breakdown
            unknowns.append((1.0, 0.0, math.inf, 0 < residual < n))
        revealed = total_den - known
        if not unknowns or not (0 < revealed < n or pinned(unknowns, revealed)):
            return
        open_ = [v for v, rows in rows_of.items() if group_den.get(v, 0) > 0 and any(shown(i) for i in rows)]
        if not open_:
            return
        for i in rows_of[min(open_, key=order)]:
            if shown(i):
                found[i] = (COMPLEMENT, COMPLEMENTARY)


def _hide(cells: _Cells, i: int, category: str = COMPLEMENT, reason: str = COMPLEMENTARY) -> None:
    cells.state[i] = "suppressed"
    cells.category[i] = category
    cells.reason[i] = reason
    cells.bound[i] = np.nan


def _blank_gaps(t: pd.DataFrame) -> None:
    """Gaps only on exact rows of the five learner breakdowns, against an exact total."""
    exact = t["shown_as"] == "exact"
    exact_keys = set(_key(t[exact]))
    totals = t["indicator_id"] + "|" + t["measure"] + "|" + t["_total"].fillna("all|all")
    keep = exact & t["group_type"].isin(_equity_groups()) & totals.isin(exact_keys)
    for col in GAP_COLUMNS:
        if col in t:
            t.loc[~keep, col] = None if col == "is_gap" else np.nan


def scrub(table: pd.DataFrame) -> pd.DataFrame:
    """No number in a suppressed row; only the denominator and the bound in a coded one (nor, in
    either, a note, change label, gap trend or flag: each could restate a hidden number)."""
    if "shown_as" in table:
        sup = (table["shown_as"] == "suppressed").to_numpy()
        coded = table["shown_as"].isin(CODED).to_numpy()
    elif "suppressed" in table:
        sup = table["suppressed"].astype(bool).to_numpy()
        coded = np.zeros(len(table), dtype=bool)
    else:
        return table
    hidden = sup | coded
    if not hidden.any():
        return table
    t = table.copy()
    for col in NUMERIC_COLUMNS:
        if col in t:
            t.loc[sup if col in CODED_NUMBERS else hidden, col] = np.nan
    for col in DERIVED_FLAGS:
        if col in t:
            t[col] = t[col].astype(object)
            t.loc[hidden, col] = None
    for col in DERIVED_TEXT:
        if col in t:
            t.loc[hidden, col] = None
    return t


__all__ = ["COMPLEMENTARY", "NUMERIC_COLUMNS", "bottom_bound", "pinned", "scrub", "suppress", "top_bound"]
