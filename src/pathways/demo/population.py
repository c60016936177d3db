"""Learners as persons: who enrolls, when, in which grades and schools, and who they are.

Each cohort (the class that would finish grade 12 in ``cohort_year``) starts in grade 6
and gains transfers-in along the way; anyone may transfer out. A person keeps their
demographics and id across years, so every file of every year describes the same people
and the longitudinal rules of the contract hold by construction.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pathways.demo.draws import ranks_within
from pathways.demo.profiles import SEX_SHARES, Profile
from pathways.io.dictionary import load_dictionary

SIZE_CALIBRATION = 1.09  # transfers out outnumber transfers in: nominal class size is set a bit higher
ORIGINAL_CLASS_SHARE = 0.93  # of a cohort's nominal size, the learners already there in grade 6
TRANSFER_IN_SHARE = 0.12  # learners joining in grades 7-12, as a share of nominal size
TRANSFER_OUT_HAZARD = 0.025  # chance per school year of leaving for another district
DECEASED_SHARE = 0.0008
UNKNOWN_ECON_SHARE, UNKNOWN_EL_SHARE, UNKNOWN_DISABILITY_SHARE = 0.015, 0.005, 0.006
DISABILITY_MALE_FACTOR = 1.4

# Relative likelihood of being an English learner or economically disadvantaged by race/ethnicity
# (normalised to the partnership's overall share): what produces realistic overlaps between groups.
EL_RACE_FACTOR = {
    "hispanic_latino": 1.6,
    "asian": 1.5,
    "black_african_american": 0.8,
    "white": 0.12,
    "american_indian_alaska_native": 0.4,
    "native_hawaiian_pacific_islander": 0.8,
    "two_or_more_races": 0.3,
    "unknown": 0.5,
}
ECON_RACE_FACTOR = {
    "hispanic_latino": 1.15,
    "asian": 0.8,
    "black_african_american": 1.15,
    "white": 0.6,
    "american_indian_alaska_native": 1.15,
    "native_hawaiian_pacific_islander": 1.0,
    "two_or_more_races": 0.8,
    "unknown": 0.9,
}
NONTRADITIONAL_CHOICE_FACTOR = (
    0.28  # how much less often learners choose a pathway where their gender is rare
)


def enum_values(name: str) -> tuple[str, ...]:
    """The allowed values of an enum column, in the data dictionary's order."""
    files = load_dictionary().files
    for spec in files.values():
        for col in spec.columns:
            if col.enum == name:
                return col.values
    raise KeyError(name)


@dataclass
class Population:
    """One row per simulated person (arrays aligned by person index)."""

    learner_num: np.ndarray
    id_width: int
    cohort_year: np.ndarray
    start_grade: np.ndarray
    end_grade: np.ndarray  # last grade enrolled in the district (12 when the learner stayed)
    left_early: np.ndarray  # transferred out or died before the end of grade 12
    deceased: np.ndarray
    sex: np.ndarray  # codes into enum_values("sex")
    race: np.ndarray  # codes into enum_values("race_ethnicity")
    econ: np.ndarray
    english_learner: np.ndarray
    disability: np.ndarray
    econ_known: np.ndarray
    english_learner_known: np.ndarray
    disability_known: np.ndarray
    middle_school: np.ndarray
    high_school: np.ndarray
    pathway: np.ndarray  # index of the pathway the learner gravitates to
    cte_propensity_z: np.ndarray  # stable standard-normal score: who keeps taking CTE year after year

    @property
    def n(self) -> int:
        return len(self.cohort_year)

    @property
    def first_year(self) -> np.ndarray:
        return self.cohort_year - 12 + self.start_grade

    @property
    def last_year(self) -> np.ndarray:
        return self.cohort_year - 12 + self.end_grade


@dataclass
class PersonYears:
    """One row per person and school year enrolled (grades 6-12)."""

    person: np.ndarray
    year: np.ndarray
    grade: np.ndarray

    def subset(self, mask: np.ndarray) -> PersonYears:
        return PersonYears(self.person[mask], self.year[mask], self.grade[mask])


def simulate_population(
    rng: np.random.Generator, profile: Profile, scale: float, first_year: int, last_year: int
) -> Population:
    """Every person enrolled in grades 6-12 at some point from ``first_year - 3`` to ``last_year``."""
    cohorts = np.arange(first_year, last_year + 7)
    nominal = (
        profile.learners_per_year
        * scale
        / 7
        * SIZE_CALIBRATION
        * (1 + profile.enrollment_trend_per_year * (cohorts - 2022))
    )
    n_original = np.maximum(3, np.round(nominal * ORIGINAL_CLASS_SHARE)).astype(np.int64)
    n_in = np.maximum(1, np.round(nominal * TRANSFER_IN_SHARE)).astype(np.int64)
    cohort_year = np.concatenate([np.repeat(cohorts, n_original), np.repeat(cohorts, n_in)]).astype(np.int32)
    # Transfers in and out are spread evenly over grades and years within each cohort (by rank,
    # see pathways.demo.draws), so that enrolment does not wobble by chance from year to year:
    # the headline counts the demo is calibrated to are counts of enrolled learners.
    joins = np.repeat(cohorts, n_in)
    start_grade = np.concatenate(
        [np.full(n_original.sum(), 6), 7 + np.floor(6 * ranks_within(rng.random(len(joins)), joins))]
    ).astype(np.int8)
    end_grade, left_early, deceased = _exits(rng, start_grade, cohort_year)
    sex = _categorical(rng, enum_values("sex"), SEX_SHARES, len(cohort_year))
    race_values = enum_values("race_ethnicity")
    race = _categorical(rng, race_values, profile.race_shares, len(cohort_year))
    econ = _flag_by_race(
        rng,
        race,
        race_values,
        ECON_RACE_FACTOR,
        profile.race_shares,
        profile.economically_disadvantaged_share,
    )
    english_learner = _flag_by_race(
        rng, race, race_values, EL_RACE_FACTOR, profile.race_shares, profile.english_learner_share
    )
    is_male = sex == enum_values("sex").index("male")
    disability = rng.random(len(sex)) < profile.disability_share * np.where(
        is_male, DISABILITY_MALE_FACTOR, 0.6
    )
    n = len(cohort_year)
    return Population(
        learner_num=_learner_numbers(rng, n),
        id_width=max(7, len(str(_id_space(n) - 1))),
        cohort_year=cohort_year,
        start_grade=start_grade,
        end_grade=end_grade,
        left_early=left_early,
        deceased=deceased,
        sex=sex,
        race=race,
        econ=econ,
        english_learner=english_learner,
        disability=disability,
        econ_known=rng.random(n) >= UNKNOWN_ECON_SHARE,
        english_learner_known=rng.random(n) >= UNKNOWN_EL_SHARE,
        disability_known=rng.random(n) >= UNKNOWN_DISABILITY_SHARE,
        middle_school=rng.integers(0, profile.n_middle_schools, n).astype(np.int16),
        high_school=rng.integers(0, profile.n_high_schools, n).astype(np.int16),
        pathway=_choose_pathways(rng, profile, sex),
        cte_propensity_z=rng.standard_normal(n).astype(np.float32),
    )


def _exits(
    rng: np.random.Generator, start_grade: np.ndarray, cohort_year: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Last grade enrolled: a transfer out after a geometric number of years, or 12.

    The geometric draw is the inverse of its distribution at evenly spaced shares within each
    cohort and start grade, in random order: who leaves is random, how many leave is not.
    """
    share = ranks_within(rng.random(len(start_grade)), cohort_year, start_grade)
    years_until_out = np.floor(np.log1p(-share) / np.log1p(-TRANSFER_OUT_HAZARD)).astype(np.int64)
    leaves = start_grade.astype(np.int64) + years_until_out
    transferred = leaves < 12
    end_grade = np.where(transferred, leaves, 12).astype(np.int8)
    deceased = ~transferred & (rng.random(len(start_grade)) < DECEASED_SHARE)
    hs_start = np.maximum(start_grade, 9)
    end_grade = np.where(
        deceased, hs_start + rng.integers(0, 4, len(start_grade)) % (13 - hs_start), end_grade
    )
    return end_grade.astype(np.int8), transferred | deceased, deceased


def _categorical(
    rng: np.random.Generator, values: tuple[str, ...], shares: dict[str, float], n: int
) -> np.ndarray:
    weights = np.array([shares.get(v, 0.0) for v in values])
    return rng.choice(len(values), size=n, p=weights / weights.sum()).astype(np.int8)


def _flag_by_race(
    rng: np.random.Generator,
    race: np.ndarray,
    race_values: tuple[str, ...],
    factors: dict[str, float],
    race_shares: dict[str, float],
    overall_share: float,
) -> np.ndarray:
    """A flag whose overall share is ``overall_share`` but whose rate differs by race/ethnicity."""
    factor = np.array([factors.get(v, 1.0) for v in race_values])
    share = np.array([race_shares.get(v, 0.0) for v in race_values])
    factor = factor / (factor * share).sum() * share.sum()
    probability = np.clip(overall_share * factor, 0, 0.95)
    return rng.random(len(race)) < probability[race]


def _id_space(n: int) -> int:
    return max(10**7, 4 * n)


def _learner_numbers(rng: np.random.Generator, n: int) -> np.ndarray:
    """Distinct random id numbers, so that an id says nothing about a learner's cohort or school."""
    return rng.choice(_id_space(n) - 1, size=n, replace=False).astype(np.int64) + 1


def _choose_pathways(rng: np.random.Generator, profile: Profile, sex: np.ndarray) -> np.ndarray:
    """Each learner's pathway of interest; few choose one where their gender is under 25% of the field."""
    sex_values = enum_values("sex")
    popularity = np.array([p.popularity for p in profile.pathways])
    pathway = np.zeros(len(sex), dtype=np.int16)
    for code, value in enumerate(sex_values):
        chosen = sex == code
        rare = np.array([p.nontraditional_gender == value for p in profile.pathways])
        weights = popularity * np.where(rare, NONTRADITIONAL_CHOICE_FACTOR, 1.0)
        pathway[chosen] = rng.choice(len(weights), size=int(chosen.sum()), p=weights / weights.sum())
    return pathway


def enrolled_years(pop: Population, first_year: int, last_year: int) -> PersonYears:
    """Person-years from each person's first to last grade, kept when written or high-school years.

    High-school years before ``first_year`` are kept because a cohort's graduation depends
    on the CTE courses of all four years, even the ones no file shows.
    """
    length = (pop.end_grade - pop.start_grade + 1).astype(np.int64)
    person = np.repeat(np.arange(pop.n, dtype=np.int32), length)
    offset = np.arange(length.sum()) - np.repeat(np.cumsum(length) - length, length)
    grade = (np.repeat(pop.start_grade, length) + offset).astype(np.int8)
    year = (np.repeat(pop.first_year, length) + offset).astype(np.int16)
    keep = ((year >= first_year) | (grade >= 9)) & (year <= last_year)
    return PersonYears(person[keep], year[keep], grade[keep])
