"""What learners do in high school: CTE courses, work-based learning, credentials, college courses.

Everything is drawn per high-school person-year (grades 9-12) with numpy, never per
learner in Python. The draws encode the equity gaps and growth the demo is meant to
show: English learners and learners with disabilities take part in work-based learning
and earn credentials less often, CTE engagement grows from 2019 on, and a learner who
keeps taking CTE courses tends to stay in one pathway.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import ndtr

from pathways.demo.catalogs import (
    CREDENTIALS_BY_SECTOR,
    GENERAL_COLLEGE_COURSES,
    GENERAL_CREDENTIALS,
    PATHWAY_COLLEGE_COURSE,
    CredentialDef,
)
from pathways.demo.draws import balanced_draw, ranks_within
from pathways.demo.population import PersonYears, Population
from pathways.demo.profiles import Profile, growth_factor

Table = dict[str, np.ndarray]

CTE_PERSISTENCE = 0.7  # correlation of a learner's CTE engagement from one year to the next
CTE_GRADE_FACTOR = np.array([0, 0, 0, 0, 0, 0, 0, 0, 0, 0.8, 1.0, 1.1, 1.1])  # indexed by grade
CTE_EXTRA_COURSE_PROBABILITY = 0.25  # each of two more courses beyond the first in an engaged year
CTE_EXPLORATION_SHARE = 0.25  # a course taken in another pathway than the learner's own
CTE_COMPLETION_RATE = 0.9
UNKNOWN_COMPLETION_SHARE = 0.005


@dataclass(frozen=True)
class WblKind:
    """One kind of work-based learning: how common it is, what it looks like, who hosts it."""

    rate: float  # chance per high-school year, before the multipliers below
    hours: tuple[int, int]
    paid_share: float
    completion: float
    by_grade: tuple[float, float, float, float]  # multipliers for grades 9-12
    sectors: (
        tuple[str, ...] | None
    )  # only for learners of a pathway in these sectors, hosted by employers there
    host_share: float  # share of partner employers (of those sectors) that host this kind


WBL_KINDS = {
    "career_exploration_event": WblKind(0.08, (2, 6), 0.0, 0.97, (1.4, 1.1, 0.8, 0.6), None, 0.6),
    "job_shadow": WblKind(0.14, (3, 8), 0.0, 0.95, (0.7, 1.2, 1.2, 0.9), None, 0.5),
    "mentorship": WblKind(0.065, (10, 40), 0.0, 0.82, (0.5, 1.0, 1.3, 1.2), None, 0.35),
    "internship": WblKind(0.035, (60, 200), 0.7, 0.88, (0.0, 0.4, 1.4, 2.0), None, 0.4),
    "clinical_placement": WblKind(0.14, (40, 120), 0.0, 0.9, (0.0, 0.3, 1.3, 2.0), ("healthcare",), 0.7),
    "pre_apprenticeship": WblKind(
        0.08,
        (40, 160),
        0.3,
        0.85,
        (0.0, 0.5, 1.3, 1.6),
        ("construction", "advanced_manufacturing", "energy"),
        0.6,
    ),
    "apprenticeship": WblKind(
        0.025,
        (300, 1000),
        1.0,
        0.9,
        (0.0, 0.2, 1.2, 2.0),
        ("construction", "advanced_manufacturing", "energy", "healthcare", "information_technology"),
        0.3,
    ),
    "school_based_enterprise": WblKind(0.02, (20, 80), 0.0, 0.9, (0.8, 1.0, 1.1, 1.1), None, 0.1),
}
WBL_LEVEL = 0.8  # overall calibration of the rates above
WBL_CTE_FACTOR = 2.2  # learners taking CTE this year are offered far more work-based learning
WBL_CHUNK = 1 << 20  # learner-years per block when the chances of every kind are computed
WBL_EL_FACTOR, WBL_DISABILITY_FACTOR = 0.6, 0.55

CREDENTIAL_GRADE_FACTOR = np.array([0, 0, 0, 0, 0, 0, 0, 0, 0, 0.4, 0.9, 1.2, 1.4])
CREDENTIAL_BASE, CREDENTIAL_ENGAGED, CREDENTIAL_CONCENTRATOR = 0.015, 0.085, 0.14
CREDENTIAL_EL_FACTOR, CREDENTIAL_DISABILITY_FACTOR = 0.5, 0.5
SECOND_CREDENTIAL_SHARE = 0.12
CREDENTIAL_PATHWAY_UNSET_SHARE = 0.1  # the optional pathway_id is left blank for some credentials

DUAL_GRADE_RATE = np.array([0, 0, 0, 0, 0, 0, 0, 0, 0, 0.045, 0.11, 0.31, 0.41])
DUAL_ECON_FACTOR, DUAL_EL_FACTOR, DUAL_DISABILITY_FACTOR, DUAL_CTE_FACTOR = 0.75, 0.7, 0.6, 1.3
DUAL_CREDITS = (("3.0", 3.0, 0.80), ("4.0", 4.0, 0.12), ("1.0", 1.0, 0.08))
DUAL_PASS_RATE = 0.86


@dataclass
class Schooling:
    """The high-school activity tables and the per-person totals the outcomes depend on."""

    cte: Table
    wbl: Table
    credentials: Table
    dual: Table
    course_labels: list[str]
    credential_defs: list[CredentialDef]
    dual_course_labels: list[str]
    completed_courses: np.ndarray  # per person, all high-school years
    mentored: np.ndarray  # per person: completed a mentorship in high school
    dual_credit_earned: np.ndarray  # per person: earned any college credit in high school


def simulate_schooling(
    rng: np.random.Generator, pop: Population, hs: PersonYears, profile: Profile
) -> Schooling:
    sectors = [p.sector for p in profile.pathways]
    engaged = _cte_engagement(rng, pop, hs, profile)
    cte, course_labels = _cte_courses(rng, pop, hs, engaged, profile)
    completed = cte["is_completed"] == 1
    completed_courses = distinct_course_counts(
        hs.person[cte["row"]], cte["course"], completed, cte["course"] >= len(profile.pathways) * 12, pop.n
    )
    in_primary = completed & (cte["pathway"] == pop.pathway[hs.person[cte["row"]]])
    primary_this_year = np.bincount(cte["row"][in_primary], minlength=len(hs.person))
    primary_to_date = cumsum_within(primary_this_year, hs.person)
    wbl = _work_based_learning(rng, pop, hs, engaged, profile, sectors)
    mentorship = (wbl["type"] == list(WBL_KINDS).index("mentorship")) & (wbl["is_completed"] == 1)
    credentials, credential_defs = _credentials(rng, pop, hs, engaged, primary_to_date, profile, sectors)
    dual, dual_labels = _early_postsecondary(rng, pop, hs, engaged, profile, sectors)
    earned_rows = dual["row"][dual["credits_earned"] > 0]
    return Schooling(
        cte=cte,
        wbl=wbl,
        credentials=credentials,
        dual=dual,
        course_labels=course_labels,
        credential_defs=credential_defs,
        dual_course_labels=dual_labels,
        completed_courses=completed_courses,
        mentored=np.bincount(hs.person[wbl["row"][mentorship]], minlength=pop.n) > 0,
        dual_credit_earned=np.bincount(hs.person[earned_rows], minlength=pop.n) > 0,
    )


def distinct_course_counts(
    person: np.ndarray, course: np.ndarray, completed: np.ndarray, can_repeat: np.ndarray, n_people: int
) -> np.ndarray:
    """Distinct courses each person completed, as the report counts them: a course completed twice counts once.

    Only ``can_repeat`` courses (exploratory ones, not tied to a grade) can be completed in two
    years; the rest are counted directly, which spares a distinct count over every row.
    """
    once = completed & ~can_repeat
    key = np.unique(
        person[completed & can_repeat].astype(np.int64) * (int(course.max(initial=0)) + 1)
        + course[completed & can_repeat]
    )
    return np.bincount(person[once], minlength=n_people) + np.bincount(
        key // (int(course.max(initial=0)) + 1), minlength=n_people
    )


def cumsum_within(values: np.ndarray, group: np.ndarray) -> np.ndarray:
    """Running total of ``values`` within runs of equal ``group`` (rows sorted by group, then time)."""
    total = np.cumsum(values)
    starts = np.r_[0, np.flatnonzero(np.diff(group)) + 1]
    lengths = np.diff(np.r_[starts, len(group)])
    return total - np.repeat(total[starts] - values[starts], lengths)


def _cte_engagement(
    rng: np.random.Generator, pop: Population, hs: PersonYears, profile: Profile
) -> np.ndarray:
    """Whether a learner takes CTE in a year: a persistent personal score against a rising threshold.

    The score is compared by its rank within the year and grade, so that each year's share
    of CTE takers is the profile's (the growth the demo is calibrated to), not that plus
    chance; who takes CTE, and that the same learners keep taking it, is still random.
    """
    p = hs.person
    score = CTE_PERSISTENCE * pop.cte_propensity_z[p] + np.sqrt(1 - CTE_PERSISTENCE**2) * rng.standard_normal(
        len(p)
    )
    threshold = (
        profile.cte_engagement_2019
        * growth_factor(hs.year, profile.cte_growth_by_2024)
        * CTE_GRADE_FACTOR[hs.grade]
        * np.where(pop.english_learner[p], 0.9, 1.0)
        * np.where(pop.disability[p], 0.9, 1.0)
    )
    return ranks_within(ndtr(score), hs.year, hs.grade) < np.minimum(threshold, 0.9)


def _cte_courses(
    rng: np.random.Generator, pop: Population, hs: PersonYears, engaged: np.ndarray, profile: Profile
) -> tuple[Table, list[str]]:
    """1-3 courses per engaged year, mostly in the learner's pathway, at the level of the grade."""
    n_pathways = len(profile.pathways)
    rows = np.flatnonzero(engaged)
    k = 1 + rng.binomial(2, CTE_EXTRA_COURSE_PROBABILITY, len(rows))
    row = np.repeat(rows, k)
    slot = np.arange(len(row)) - np.repeat(np.cumsum(k) - k, k)
    primary = pop.pathway[hs.person[row]].astype(np.int64)
    explores = rng.random(len(row)) < CTE_EXPLORATION_SHARE
    other = (primary + 1 + rng.integers(0, max(1, n_pathways - 1), len(row))) % n_pathways
    pathway = np.where(explores & (n_pathways > 1), other, primary)
    level = hs.grade[row].astype(np.int64) - 9  # 0-3: introductory to capstone
    label = np.where(explores, n_pathways * 12 + pathway * 3 + slot, primary * 12 + level * 3 + slot)
    labels = [f"{p.code}-{lvl + 1}0{s + 1}" for p in profile.pathways for lvl in range(4) for s in range(3)]
    labels += [f"{p.code}-19{s + 1}" for p in profile.pathways for s in range(3)]
    completion = CTE_COMPLETION_RATE * np.where(pop.disability[hs.person[row]], 0.94, 1.0)
    table = {
        "row": row,
        "pathway": pathway.astype(np.int16),
        "course": label.astype(np.int32),
        "half_credit": rng.random(len(row)) < 0.15,
        # drawn evenly within the year, the number of courses taken that year and the place among
        # them: the year's learners with a completed course (the calibrated participation) are the model's
        "is_completed": _balanced_tristate(rng, completion, hs.year[row], np.repeat(k, k), slot),
    }
    return table, labels


def _tristate(
    rng: np.random.Generator, p_true: np.ndarray | float, unknown_share: float, n: int | None = None
) -> np.ndarray:
    """1 (true), 0 (false) or -1 (unknown, written blank) drawn per row."""
    size = n if n is not None else len(p_true)
    value = (rng.random(size) < p_true).astype(np.int8)
    value[rng.random(size) < unknown_share] = -1
    return value


def _balanced_tristate(rng: np.random.Generator, p_true: np.ndarray, *strata: np.ndarray) -> np.ndarray:
    """Like :func:`_tristate` with :data:`UNKNOWN_COMPLETION_SHARE` unknown, the trues drawn evenly within ``strata``."""
    value = balanced_draw(rng, p_true, *strata).astype(np.int8)
    value[rng.random(len(value)) < UNKNOWN_COMPLETION_SHARE] = -1
    return value


def _work_based_learning(
    rng: np.random.Generator,
    pop: Population,
    hs: PersonYears,
    engaged: np.ndarray,
    profile: Profile,
    sectors: list[str],
) -> Table:
    """Independent chances of each kind of experience per high-school year (hosts are chosen later).

    Drawn in two steps with the same result as independent draws per kind: whether a
    learner has any experience that year (evenly within the year and CTE taking, see
    :func:`balanced_draw`: the yearly number of learners in work-based learning is a
    headline figure the demo is calibrated to), then which kinds, given at least one.
    """
    p = hs.person
    base = (
        WBL_LEVEL
        * profile.wbl_level
        * growth_factor(hs.year, profile.wbl_growth_by_2024)
        * np.where(engaged, WBL_CTE_FACTOR, 1.0)
        * np.where(pop.english_learner[p], WBL_EL_FACTOR, 1.0)
        * np.where(pop.disability[p], WBL_DISABILITY_FACTOR, 1.0)
    )
    kinds = list(WBL_KINDS.values())
    rate = np.array([kind.rate * profile.wbl_kind_level.get(name, 1.0) for name, kind in WBL_KINDS.items()])
    by_grade = np.array([(0.0,) * 9 + kind.by_grade for kind in kinds]).T  # (grade, kind)
    # (pathway, kind): open to every learner, or only to CTE takers of a pathway in the kind's sectors
    open_to = np.array(
        [[kind.sectors is None or sector in kind.sectors for kind in kinds] for sector in sectors]
    )
    needs_cte = np.array([kind.sectors is not None for kind in kinds])

    def chance(rows: np.ndarray | slice) -> np.ndarray:  # (row, kind), computed in parts to spare memory
        eligible = open_to[pop.pathway[p[rows]]] & (engaged[rows][:, None] | ~needs_cte)
        return np.minimum(base[rows][:, None] * rate * by_grade[hs.grade[rows]] * eligible, 0.95)

    none = np.concatenate(
        [np.prod(1 - chance(slice(i, i + WBL_CHUNK)), axis=1) for i in range(0, len(p), WBL_CHUNK)]
    )
    rows = np.flatnonzero(balanced_draw(rng, 1 - none, hs.year, engaged))
    has = _kinds_given_any(rng, chance(rows), 1 - none[rows])
    completion = np.array([kind.completion for kind in WBL_KINDS.values()])
    parts = []
    for code, kind in enumerate(WBL_KINDS.values()):
        kind_rows = rows[has[:, code]]
        low, high = kind.hours
        parts.append(
            {
                "row": kind_rows,
                "type": np.full(len(kind_rows), code, dtype=np.int8),
                "hours": rng.integers(low, high + 1, len(kind_rows)),
                "is_paid": _tristate(rng, kind.paid_share, 0.0, len(kind_rows)),
            }
        )
    table = {key: np.concatenate([part[key] for part in parts]) for key in parts[0]}
    table["is_completed"] = _balanced_tristate(
        rng, completion[table["type"]], hs.year[table["row"]], table["type"]
    )
    return table


def _kinds_given_any(rng: np.random.Generator, chance: np.ndarray, any_chance: np.ndarray) -> np.ndarray:
    """Which kinds (columns) each row has, drawn given that it has at least one.

    The first kind it has is drawn with its chance of being the first, the later ones
    independently: together exactly the independent draws per kind, conditioned on one.
    """
    n, k = chance.shape
    none_before = np.cumprod(np.c_[np.ones(n), 1 - chance[:, :-1]], axis=1)
    first_cdf = np.cumsum(chance * none_before, axis=1) / any_chance[:, None]
    first = np.minimum((first_cdf < rng.random(n)[:, None]).sum(axis=1), k - 1)
    has = (rng.random((n, k)) < chance) & (np.arange(k) > first[:, None])
    has[np.arange(n), first] = True
    return has


def _credentials(
    rng: np.random.Generator,
    pop: Population,
    hs: PersonYears,
    engaged: np.ndarray,
    primary_to_date: np.ndarray,
    profile: Profile,
    sectors: list[str],
) -> tuple[Table, list[CredentialDef]]:
    """Credentials mostly follow CTE: concentrators earn them far more often than other learners.

    Drawn evenly within each year (:func:`balanced_draw`): the yearly count of credentials
    is a headline figure the demo is calibrated to.
    """
    p = hs.person
    chance = (
        (CREDENTIAL_BASE + CREDENTIAL_ENGAGED * engaged + CREDENTIAL_CONCENTRATOR * (primary_to_date >= 2))
        * CREDENTIAL_GRADE_FACTOR[hs.grade]
        * profile.credential_level
        * growth_factor(hs.year, profile.credential_growth_by_2024)
        * np.where(pop.english_learner[p], CREDENTIAL_EL_FACTOR, 1.0)
        * np.where(pop.disability[p], CREDENTIAL_DISABILITY_FACTOR, 1.0)
    )
    rows = np.flatnonzero(balanced_draw(rng, np.minimum(chance, 0.9), hs.year))
    second = rows[balanced_draw(rng, np.full(len(rows), SECOND_CREDENTIAL_SHARE), hs.year[rows])]
    row = np.sort(np.concatenate([rows, second]), kind="stable")
    is_second = np.r_[False, row[1:] == row[:-1]]
    defs, offsets, counts = _credential_catalog(sectors)
    in_pathway = (engaged | (primary_to_date >= 2))[row]
    pathway = pop.pathway[p][row].astype(np.int64)
    group = np.where(in_pathway, pathway, len(sectors))  # last group: general credentials
    pick = rng.integers(0, 1 << 30, len(row))
    pick = np.where(is_second, np.r_[0, pick[:-1]] + 1, pick)  # the second credential differs from the first
    choice = offsets[group] + pick % counts[group]
    pathway_set = in_pathway & (rng.random(len(row)) >= CREDENTIAL_PATHWAY_UNSET_SHARE)
    return {
        "row": row,
        "credential": choice,
        "pathway": np.where(pathway_set, pathway, -1),
        "day_fraction": rng.beta(2.2, 1.3, len(row)),
    }, defs


def _credential_catalog(sectors: list[str]) -> tuple[list[CredentialDef], np.ndarray, np.ndarray]:
    """Flattened credential list with the first index and count per pathway, then the general list."""
    defs: list[CredentialDef] = []
    offsets, counts = [], []
    for sector in [*sectors, None]:
        group = (
            GENERAL_CREDENTIALS if sector is None else CREDENTIALS_BY_SECTOR.get(sector, GENERAL_CREDENTIALS)
        )
        offsets.append(len(defs))
        counts.append(len(group))
        defs.extend(group)
    return defs, np.array(offsets), np.array(counts)


def _early_postsecondary(
    rng: np.random.Generator,
    pop: Population,
    hs: PersonYears,
    engaged: np.ndarray,
    profile: Profile,
    sectors: list[str],
) -> tuple[Table, list[str]]:
    """Dual enrollment, mostly in grades 11-12: less often for economically disadvantaged learners."""
    p = hs.person
    chance = (
        DUAL_GRADE_RATE[hs.grade]
        * profile.dual_level
        * growth_factor(hs.year, 0.15)
        * np.where(pop.econ[p], DUAL_ECON_FACTOR, 1.0)
        * np.where(pop.english_learner[p], DUAL_EL_FACTOR, 1.0)
        * np.where(pop.disability[p], DUAL_DISABILITY_FACTOR, 1.0)
        * np.where(engaged, DUAL_CTE_FACTOR, 1.0)
    )
    rows = np.flatnonzero(rng.random(len(p)) < chance)
    k = 1 + rng.binomial(2, 0.3, len(rows))
    row = np.repeat(rows, k)
    slot = np.arange(len(row)) - np.repeat(np.cumsum(k) - k, k)
    institution_weights = np.array([i.weight for i in profile.dual_institutions])
    institution = np.repeat(
        rng.choice(len(institution_weights), len(rows), p=institution_weights / institution_weights.sum()), k
    )
    n_general = len(GENERAL_COLLEGE_COURSES)
    start = np.repeat(rng.integers(0, n_general, len(rows)), k)
    pathway_course = (slot == 0) & engaged[row] & (rng.random(len(row)) < 0.5)
    pathway = pop.pathway[p][row].astype(np.int64)
    course = np.where(pathway_course, n_general + pathway, (start + slot) % n_general)
    labels = list(GENERAL_COLLEGE_COURSES) + [PATHWAY_COLLEGE_COURSE.get(s, "CTE-100") for s in sectors]
    credit_code = rng.choice(len(DUAL_CREDITS), len(row), p=[c[2] for c in DUAL_CREDITS])
    attempted = np.array([c[1] for c in DUAL_CREDITS])[credit_code]
    passed = rng.random(len(row)) < DUAL_PASS_RATE * np.where(pop.english_learner[p][row], 0.92, 1.0)
    return {
        "row": row,
        "institution": institution,
        "course": course,
        "pathway": np.where(pathway_course, pathway, -1),
        "credit_code": credit_code,
        "credits_earned": np.where(passed, attempted, 0.0),
    }, labels
