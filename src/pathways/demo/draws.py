"""Random draws with little chance variation, for figures the demo is calibrated to.

A cohort of 2,000 learners with 20 non-graduates among those with five or more CTE
courses gives an odds ratio that varies by about a third from one seed to the next, and
a count of 200 credentials varies by 7%: more than the tolerance of the published
figures the demo reproduces (ASSUMPTIONS.md). These draws keep each learner's own chance
exactly as the model says, but spread the outcomes evenly within groups of alike
learners, so group totals sit within one of their expectation in every seed.
"""

from __future__ import annotations

import numpy as np


def balanced_draw(rng: np.random.Generator, chance: np.ndarray, *strata: np.ndarray) -> np.ndarray:
    """Yes/no per row with P(yes) = ``chance``; in every stratum the yeses are within one of their expected number.

    Systematic sampling: rows sorted by the strata (the first the outermost), randomly
    within them, and a row is a yes where the running total of chances, shifted by one
    uniform draw, passes a whole number. Any run of consecutive rows, so every stratum and
    every stratum of an outer key, gets its expected number of yeses rounded up or down.
    """
    chance = np.clip(np.asarray(chance, dtype=float), 0.0, 1.0)
    order, _ = _order_within(rng.random(len(chance)), strata)  # by stratum, then at random
    passed = np.floor(
        np.cumsum(chance[order]) + rng.random()
    )  # the shift is in [0, 1): nothing passed before
    hits = np.diff(passed, prepend=0.0) > 0
    out = np.zeros(len(chance), dtype=bool)
    out[order] = hits
    return out


def ranks_within(share: np.ndarray, *groups: np.ndarray) -> np.ndarray:
    """Each row's place in its group by ``share`` (a number in [0, 1], such as a quantile), evenly spaced in (0, 1).

    Comparing the result with a chance selects exactly that share of the group, and the
    same people as comparing ``share`` itself would (the highest shares last).
    """
    n = len(share)
    order, key = _order_within(share, groups)
    sorted_key = key[order]
    starts = (
        np.flatnonzero(np.r_[True, sorted_key[1:] != sorted_key[:-1]]) if n else np.zeros(0, dtype=np.int64)
    )
    sizes = np.diff(np.r_[starts, n])
    position = np.arange(n) - np.repeat(starts, sizes)
    out = np.empty(n, dtype=float)
    out[order] = (position + 0.5) / np.repeat(sizes, sizes)
    return out


def _order_within(share: np.ndarray, strata: tuple[np.ndarray, ...]) -> tuple[np.ndarray, np.ndarray]:
    """Row order by the strata (small non-negative codes, the first outermost), then by ``share`` in [0, 1].

    One integer sort: the strata make the high bits of a 63-bit key and ``share`` the rest,
    ten times faster than sorting by several keys at a million learners. Returns the order
    and the strata part of the key.
    """
    key = np.zeros(len(share), dtype=np.int64)
    for codes in strata:
        codes = np.asarray(codes, dtype=np.int64)
        low = int(codes.min(initial=0))
        key = key * (int(codes.max(initial=0)) - low + 1) + (codes - low)
    bits = 62 - int(key.max(initial=0)).bit_length()
    fraction = np.minimum(np.asarray(share, dtype=float), 1.0) * float(2**bits - 1)
    return np.argsort((key << bits) | fraction.astype(np.int64)), key
