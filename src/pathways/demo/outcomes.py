"""How high school ends and what follows: graduation, college enrollment, wages.

On-time graduation follows a logistic model whose coefficients are published in
:data:`TRUE_GRADUATION_ODDS_RATIOS` and :data:`TRUE_COVARIATE_ODDS_RATIOS`, so a report's
regression can be checked against the truth. College going and wages depend on
demographics and on what learners did in high school, which gives the equity gaps
(lower seamless enrollment for economically disadvantaged graduates) a report flags.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import expit

from pathways.demo.draws import balanced_draw
from pathways.demo.population import Population, enum_values
from pathways.demo.profiles import STATEWIDE_COLLEGES, Institution, Profile
from pathways.demo.schooling import Schooling, Table

TRUE_GRADUATION_ODDS_RATIOS = {"2-4 courses": 1.4, "5+ courses": 1.9, "mentorship": 1.9}
"""Adjusted odds ratios of on-time graduation built into the demo (vs 0-1 completed CTE courses / no mentorship)."""

TRUE_COVARIATE_ODDS_RATIOS = {
    "is_economically_disadvantaged": 0.6,
    "is_english_learner": 0.75,
    "has_disability": 0.55,
    "sex=male": 0.8,
    "sex=nonbinary": 0.8,
    "race_ethnicity=hispanic_latino": 0.85,
    "race_ethnicity=black_african_american": 0.8,
    "race_ethnicity=american_indian_alaska_native": 0.65,
    "race_ethnicity=native_hawaiian_pacific_islander": 0.8,
    "race_ethnicity=asian": 1.3,
    "race_ethnicity=two_or_more_races": 0.95,
}
"""Odds ratios of the adjustment covariates (reference: female, white, not flagged)."""

# Exit of a cohort member who stays to the end of grade 12 without graduating.
NON_GRADUATE_EXITS = (("dropped_out", 0.62), ("still_enrolled", 0.28), ("ged_or_equivalent", 0.10))
ADVANCED_DIPLOMA_SHARE, ADVANCED_DIPLOMA_DUAL_BONUS = 0.18, 0.25

LATE_START_SHARES = (0.12, 0.05)  # non-seamless graduates who start college one or two years later
SPRING_START_SHARE = (
    0.25  # late starters whose first record is a spring term (not enrolled at the fall census)
)
# Years enrolled by kind of institution (1, 2, 3, ... years) and the credential a completer earns.
DURATION_SHARES = {
    "four_year": (0.14, 0.08, 0.05, 0.45, 0.20, 0.08),
    "two_year": (0.32, 0.30, 0.22, 0.16),
    "short": (0.70, 0.30),
}
COMPLETION = {
    "four_year": (4, "bachelor", 0.88),
    "two_year": (2, "associate", 0.55),
    "short": (1, "certificate", 0.75),
}
SECTOR_GROUP = {
    "public_four_year": "four_year",
    "private_four_year": "four_year",
    "public_two_year": "two_year",
    "private_two_year": "two_year",
    "unknown": "two_year",
    "less_than_two_year": "short",
}

# Wages: share of the living wage a full-time young worker earns, by years since leaving school.
WAGE_SHARE_FIRST_YEAR, WAGE_SHARE_GROWTH_PER_YEAR, WAGE_SHARE_CAP = 1.0, 0.08, 1.4
WAGE_PERSON_SIGMA, WAGE_YEAR_SIGMA = 0.35, 0.12
WAGE_STUDENT_FACTOR, WAGE_DROPOUT_FACTOR = 0.4, 0.78
WAGE_CREDENTIAL_FACTOR = {"certificate": 1.1, "associate": 1.15, "bachelor": 1.35}
ATTACHED_WORKER, ATTACHED_STUDENT, ATTACHED_DROPOUT = 0.84, 0.35, 0.62
QUARTER_WORKED_ATTACHED, QUARTER_WORKED_UNATTACHED = 0.93, 0.12
PARTNER_EMPLOYER_SHARE = 0.2  # of former learners' jobs, held at a partner employer


@dataclass
class Exits:
    exit_code: np.ndarray  # per person: index into enum_values("exit_type"), -1 when not a cohort member
    graduated: np.ndarray
    former: np.ndarray  # left school at the end of the cohort year (graduated, dropped out, GED)


def course_band(courses: np.ndarray) -> np.ndarray:
    """0 for 0-1 completed CTE courses, 1 for 2-4, 2 for 5 or more: the bands of the graduation model."""
    return np.where(courses >= 5, 2, np.where(courses >= 2, 1, 0)).astype(np.int8)


def graduation_log_odds(pop: Population, schooling: Schooling, profile: Profile) -> np.ndarray:
    """Linear predictor of on-time graduation: the built-in odds ratios, on the log scale."""
    band = course_band(schooling.completed_courses)
    log_or = {k: np.log(v) for k, v in {**TRUE_GRADUATION_ODDS_RATIOS, **TRUE_COVARIATE_ODDS_RATIOS}.items()}
    sex_values, race_values = enum_values("sex"), enum_values("race_ethnicity")
    sex_effect = np.array([log_or.get(f"sex={v}", 0.0) for v in sex_values])
    race_effect = np.array([log_or.get(f"race_ethnicity={v}", 0.0) for v in race_values])
    return (
        profile.graduation_intercept
        + log_or["2-4 courses"] * (band == 1)
        + log_or["5+ courses"] * (band == 2)
        + log_or["mentorship"] * schooling.mentored
        + log_or["is_economically_disadvantaged"] * pop.econ
        + log_or["is_english_learner"] * pop.english_learner
        + log_or["has_disability"] * pop.disability
        + sex_effect[pop.sex]
        + race_effect[pop.race]
    )


def simulate_exits(
    rng: np.random.Generator, pop: Population, schooling: Schooling, profile: Profile
) -> Exits:
    """Exit of every person who reached high school; graduation drawn from the logistic model.

    Graduates are drawn evenly within each cohort and each group of learners alike in the
    model's terms (course band, mentorship, demographics), so that a cohort's regression
    finds the built-in odds ratios in every seed rather than the built-in ratios plus the
    chance variation of a few dozen non-graduates (see :mod:`pathways.demo.draws`).
    """
    labels = enum_values("exit_type")
    code = np.full(pop.n, -1, dtype=np.int8)
    in_high_school = pop.end_grade >= 9
    chance = np.where(
        in_high_school & ~pop.left_early, expit(graduation_log_odds(pop, schooling, profile)), 0.0
    )
    graduated = balanced_draw(
        rng,
        chance,
        pop.cohort_year,
        course_band(schooling.completed_courses),
        schooling.mentored,
        pop.econ,
        pop.english_learner,
        pop.disability,
        pop.sex,
        pop.race,
    )
    advanced = (
        rng.random(pop.n)
        < ADVANCED_DIPLOMA_SHARE + ADVANCED_DIPLOMA_DUAL_BONUS * schooling.dual_credit_earned
    )
    code[graduated] = np.where(
        advanced, labels.index("graduated_advanced_diploma"), labels.index("graduated_regular_diploma")
    )[graduated]
    stayed = in_high_school & ~pop.left_early & ~graduated
    other = rng.choice(len(NON_GRADUATE_EXITS), pop.n, p=[s for _, s in NON_GRADUATE_EXITS])
    other_codes = np.array([labels.index(name) for name, _ in NON_GRADUATE_EXITS])
    code[stayed] = other_codes[other][stayed]
    code[in_high_school & pop.left_early] = labels.index("transferred_out")
    code[in_high_school & pop.deceased] = labels.index("deceased")
    former = graduated | (stayed & (code != labels.index("still_enrolled")))
    return Exits(code, graduated, former)


@dataclass
class College:
    """Per graduate: where and how long they enroll (start year 0 = never)."""

    start_year: np.ndarray
    delay_years: np.ndarray  # 1 = the fall after graduating
    years_enrolled: np.ndarray
    institution: np.ndarray
    credential: np.ndarray  # index into enum_values("credential_earned")
    institutions: list[Institution]


def simulate_college(
    rng: np.random.Generator, pop: Population, schooling: Schooling, exits: Exits, profile: Profile
) -> College:
    """College going of graduates: seamless enrollment lower for economically disadvantaged learners."""
    labels = enum_values("exit_type")
    advanced = exits.exit_code == labels.index("graduated_advanced_diploma")
    dual = schooling.dual_credit_earned
    seamless_logit = (
        profile.seamless_intercept
        - 0.65 * pop.econ
        - 0.3 * pop.english_learner
        - 0.5 * pop.disability
        + 0.45 * dual
        + 0.5 * advanced
        - 0.25 * (pop.sex == enum_values("sex").index("male"))
    )
    u = rng.random(pop.n)
    seamless = u < expit(seamless_logit)
    later = rng.random(pop.n)
    delay = np.where(
        seamless, 1, np.where(later < LATE_START_SHARES[0], 2, np.where(later < sum(LATE_START_SHARES), 3, 0))
    )
    enrolls = exits.graduated & (delay > 0)
    institutions = list(profile.college_institutions) + list(STATEWIDE_COLLEGES)
    institution = _choose_institution(rng, pop, advanced, dual, institutions)
    group = np.array([SECTOR_GROUP[i.sector] for i in institutions])[institution]
    years_enrolled = np.zeros(pop.n, dtype=np.int64)
    credential = np.zeros(pop.n, dtype=np.int8)
    credential_values = enum_values("credential_earned")
    for name, shares in DURATION_SHARES.items():
        members = group == name
        years_enrolled[members] = 1 + rng.choice(len(shares), int(members.sum()), p=shares)
        min_years, award, rate = COMPLETION[name]
        completes = members & (years_enrolled >= min_years) & (rng.random(pop.n) < rate)
        credential[completes] = credential_values.index(award)
    start_year = np.where(enrolls, pop.cohort_year + delay, 0)
    return College(
        start_year,
        np.where(enrolls, delay, 0),
        np.where(enrolls, years_enrolled, 0),
        institution,
        credential,
        institutions,
    )


def _choose_institution(
    rng: np.random.Generator,
    pop: Population,
    advanced: np.ndarray,
    dual: np.ndarray,
    institutions: list[Institution],
) -> np.ndarray:
    """Four-year or shorter programme first (by preparation and income), then an institution by weight."""
    four_year_logit = 0.1 - 0.7 * pop.econ - 0.3 * pop.english_learner + 0.8 * advanced + 0.4 * dual
    wants_four_year = rng.random(pop.n) < expit(four_year_logit)
    is_four_year = np.array([SECTOR_GROUP[i.sector] == "four_year" for i in institutions])
    weights = np.array([i.weight for i in institutions])
    choice = np.zeros(pop.n, dtype=np.int64)
    for wants in (True, False):
        candidates = np.flatnonzero(is_four_year == wants)
        p = weights[candidates] / weights[candidates].sum()
        members = wants_four_year == wants
        choice[members] = candidates[rng.choice(len(candidates), int(members.sum()), p=p)]
    return choice


def postsecondary_records(rng: np.random.Generator, college: College, last_year: int) -> Table:
    """One row per graduate and academic year enrolled; the credential shows in the final year."""
    person = np.flatnonzero(college.start_year > 0)
    years = np.minimum(
        college.years_enrolled[person], np.maximum(0, last_year - college.start_year[person] + 1)
    )
    row_person = np.repeat(person, years)
    offset = np.arange(years.sum()) - np.repeat(np.cumsum(years) - years, years)
    year = college.start_year[row_person] + offset
    final = offset == college.years_enrolled[row_person] - 1
    spring_start = (offset == 0) & (rng.random(len(row_person)) < SPRING_START_SHARE)
    late = college.delay_years[row_person] > 1
    fall = np.where(spring_start & late, 0, 1).astype(np.int8)
    fall[rng.random(len(row_person)) < 0.005] = -1
    return {
        "person": row_person,
        "year": year,
        "institution": college.institution[row_person],
        "is_enrolled_fall": fall,
        "credential": np.where(final, college.credential[row_person], 0),
    }


def employment_records(
    rng: np.random.Generator,
    pop: Population,
    exits: Exits,
    college: College,
    profile: Profile,
    span: np.ndarray,
    written: np.ndarray,
    first_visible: np.ndarray,
    n_partner_employers: int,
    n_pool_employers: int,
) -> Table:
    """Quarterly UI wage records of former learners for the written calendar years.

    Wages are drawn for every simulated year (so the draws do not depend on which years
    are written), then only years after a learner first appears in a written
    learners.csv are kept, which is what the contract requires of wage records.
    """
    person, year = _former_learner_years(pop, exits, span)
    since = year - pop.cohort_year[person]
    enrolled = (
        (college.start_year[person] > 0)
        & (year >= college.start_year[person] - 1)
        & (year <= college.start_year[person] + college.years_enrolled[person] - 1)
    )
    graduate = exits.graduated[person]
    attached_p = np.where(enrolled, ATTACHED_STUDENT, np.where(graduate, ATTACHED_WORKER, ATTACHED_DROPOUT))
    attached = rng.random(len(person)) < attached_p
    annual_usd = _annual_wage_usd(rng, pop, exits, college, profile, person, year, since, enrolled)
    first_employer = _pick_job_employer(rng, len(person), n_partner_employers, n_pool_employers)
    second_employer = _pick_job_employer(rng, len(person), n_partner_employers, n_pool_employers)
    switch_quarter = np.where(rng.random(len(person)) < 0.15, rng.integers(2, 5, len(person)), 5)
    rows = []
    for quarter in (1, 2, 3, 4):
        chance = np.where(attached, QUARTER_WORKED_ATTACHED, QUARTER_WORKED_UNATTACHED)
        worked = (rng.random(len(person)) < chance) & ((since > 0) | (quarter >= 3))
        noise = rng.uniform(0.85, 1.08, len(person)) * np.where((since == 0) & (quarter == 3), 0.8, 1.0)
        cents = np.round(annual_usd / 4 * noise * 100).astype(np.int64)
        idx = np.flatnonzero(worked)
        employer = np.where(quarter >= switch_quarter, second_employer, first_employer)
        rows.append(
            {
                "person": person[idx],
                "year": year[idx],
                "quarter": np.full(len(idx), quarter, np.int8),
                "employer": employer[idx],
                "wages_cents": cents[idx],
            }
        )
    table = {key: np.concatenate([r[key] for r in rows]) for key in rows[0]}
    shown = np.isin(table["year"], written) & (first_visible[table["person"]] < table["year"])
    table = {key: value[shown] for key, value in table.items()}
    order = np.lexsort((table["quarter"], table["person"], table["year"]))
    return {key: value[order] for key, value in table.items()}


def _former_learner_years(pop: Population, exits: Exits, span: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(person, calendar year) for each former learner and simulated year from the exit year on."""
    person = np.flatnonzero(exits.former)
    parts_p, parts_y = [], []
    for year in span:
        keep = person[pop.cohort_year[person] <= year]
        parts_p.append(keep)
        parts_y.append(np.full(len(keep), year, dtype=np.int64))
    return np.concatenate(parts_p), np.concatenate(parts_y)


def _annual_wage_usd(
    rng: np.random.Generator,
    pop: Population,
    exits: Exits,
    college: College,
    profile: Profile,
    person: np.ndarray,
    year: np.ndarray,
    since: np.ndarray,
    enrolled: np.ndarray,
) -> np.ndarray:
    """Annual full-time-equivalent wage: rises with experience and credentials, lower while studying."""
    living_wage_usd = profile.living_wage_usd
    share = np.minimum(
        WAGE_SHARE_FIRST_YEAR + WAGE_SHARE_GROWTH_PER_YEAR * np.maximum(since - 1, 0), WAGE_SHARE_CAP
    )
    share = np.where(since == 0, WAGE_SHARE_FIRST_YEAR * 0.85, share)
    person_z = rng.standard_normal(pop.n)
    person_factor = np.exp(WAGE_PERSON_SIGMA * person_z - WAGE_PERSON_SIGMA**2 / 2)[person]
    year_factor = np.exp(WAGE_YEAR_SIGMA * rng.standard_normal(len(person)))
    credential_values = enum_values("credential_earned")
    finished = (college.start_year[person] > 0) & (
        year > college.start_year[person] + college.years_enrolled[person] - 1
    )
    credential_factor = np.array([WAGE_CREDENTIAL_FACTOR.get(v, 1.0) for v in credential_values])
    factor = np.where(finished, credential_factor[college.credential[person]], 1.0)
    return (
        living_wage_usd
        * share
        * person_factor
        * year_factor
        * factor
        * np.where(enrolled, WAGE_STUDENT_FACTOR, 1.0)
        * np.where(exits.graduated[person], 1.0, WAGE_DROPOUT_FACTOR)
    )


def _pick_job_employer(rng: np.random.Generator, n: int, n_partner: int, n_pool: int) -> np.ndarray:
    at_partner = rng.random(n) < PARTNER_EMPLOYER_SHARE
    return np.where(at_partner, rng.integers(0, n_partner, n), rng.integers(n_partner, n_pool, n))
