"""One partnership's whole simulation, run once and then sliced into yearly files.

The simulated span always covers 2019-2024 (and any years asked beyond), whatever
years are written, so the files of a year do not depend on which other years were
requested: writing only 2024 gives the same 2024 learners and activity files as writing
2019-2024. Only hs_outcomes, postsecondary and employment differ, because the contract
lets them name only learners that a written learners.csv holds.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pathways.demo.outcomes import (
    College,
    Exits,
    employment_records,
    postsecondary_records,
    simulate_college,
    simulate_exits,
)
from pathways.demo.partners import (
    Employers,
    build_employers,
    employer_activity,
    host_experiences,
    stakeholder_survey,
)
from pathways.demo.population import PersonYears, Population, enrolled_years, enum_values, simulate_population
from pathways.demo.profiles import Profile, growth_factor
from pathways.demo.schooling import Schooling, Table, simulate_schooling

DEFAULT_SPAN = (2019, 2024)
NO_YEAR = 10_000
ICAP_MIDDLE_SCHOOL, ICAP_HIGH_SCHOOL_2019, ICAP_GROWTH, ICAP_UNKNOWN = 0.4, 0.72, 0.2, 0.02


@dataclass
class Simulation:
    profile: Profile
    pop: Population
    learner_years: PersonYears  # what learners.csv shows: enrolled years, including a fifth year
    icap: np.ndarray  # tristate per learner-year
    hs: PersonYears  # the high-school years the activity tables index into
    schooling: Schooling
    exits: Exits
    college: College
    first_visible: np.ndarray  # per person: first written year with a learners.csv row (NO_YEAR if none)
    employers: Employers
    postsecondary: Table
    employment: Table
    employer_activity: Table
    survey: Table


def simulate(rng: np.random.Generator, profile: Profile, scale: float, written: np.ndarray) -> Simulation:
    first_year = int(min(written.min(), DEFAULT_SPAN[0]))
    last_year = int(max(written.max(), DEFAULT_SPAN[1]))
    span = np.arange(first_year, last_year + 1)
    # One independent stream per step, so that no step's draws shift another's.
    streams = iter(rng.spawn(11))
    pop = simulate_population(next(streams), profile, scale, first_year, last_year)
    years = enrolled_years(pop, first_year, last_year)
    hs = years.subset(years.grade >= 9)
    employers = build_employers(next(streams), profile, scale)
    schooling = simulate_schooling(next(streams), pop, hs, profile)
    wbl = schooling.wbl
    wbl["employer"] = host_experiences(
        next(streams), wbl["type"], pop.pathway[hs.person[wbl["row"]]], employers
    )
    exits = simulate_exits(next(streams), pop, schooling, profile)
    learner_years = _with_fifth_year(pop, exits, years, last_year)
    first_visible = _first_visible(pop, learner_years, written)
    college = simulate_college(next(streams), pop, schooling, exits, profile)
    return Simulation(
        profile=profile,
        pop=pop,
        learner_years=learner_years,
        icap=_icap(next(streams), learner_years),
        hs=hs,
        schooling=schooling,
        exits=exits,
        college=college,
        first_visible=first_visible,
        employers=employers,
        postsecondary=postsecondary_records(next(streams), college, last_year),
        employment=employment_records(
            next(streams),
            pop,
            exits,
            college,
            profile,
            span,
            written,
            first_visible,
            employers.n_partner,
            len(employers.ids),
        ),
        employer_activity=employer_activity(next(streams), employers, span),
        survey=stakeholder_survey(next(streams), profile, scale, span),
    )


def _with_fifth_year(pop: Population, exits: Exits, years: PersonYears, last_year: int) -> PersonYears:
    """Learners still enrolled after their cohort year appear once more, in grade 12."""
    still = np.flatnonzero(
        (exits.exit_code == enum_values("exit_type").index("still_enrolled"))
        & (pop.cohort_year + 1 <= last_year)
    )
    person = np.concatenate([years.person, still.astype(years.person.dtype)])
    year = np.concatenate([years.year, (pop.cohort_year[still] + 1).astype(years.year.dtype)])
    grade = np.concatenate([years.grade, np.full(len(still), 12, dtype=years.grade.dtype)])
    return PersonYears(person, year, grade)


def _first_visible(pop: Population, learner_years: PersonYears, written: np.ndarray) -> np.ndarray:
    """First written year in which each person has a learners.csv row: what later files may reference."""
    first = np.full(pop.n, NO_YEAR, dtype=np.int64)
    shown = np.isin(learner_years.year, written)
    np.minimum.at(first, learner_years.person[shown], learner_years.year[shown].astype(np.int64))
    return first


def _icap(rng: np.random.Generator, years: PersonYears) -> np.ndarray:
    """Completed an ICAP this year: most high-school learners, fewer in middle school, rising over time."""
    chance = np.where(
        years.grade >= 9, ICAP_HIGH_SCHOOL_2019 * growth_factor(years.year, ICAP_GROWTH), ICAP_MIDDLE_SCHOOL
    )
    value = (rng.random(len(years.person)) < np.minimum(chance, 0.95)).astype(np.int8)
    value[rng.random(len(value)) < ICAP_UNKNOWN] = -1
    return value
