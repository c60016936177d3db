"""The partnership side of the demo: partner employers, their engagement, the stakeholder survey.

Employer counts grow with the square root of ``scale``: a district ten times larger does
not work with ten times as many employers, and small scales must still show every kind
of activity.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pathways.demo.catalogs import NAICS_BY_SECTOR, YOUNG_WORKER_NAICS
from pathways.demo.population import enum_values
from pathways.demo.profiles import Profile, growth_factor
from pathways.demo.schooling import WBL_KINDS, Table

MIN_PARTNER_EMPLOYERS, POOL_EMPLOYERS_PER_PARTNER = 15, 6
EMPLOYER_SIZE_SIGMA = 1.0  # spread of the log of an employer's size: a few large hosts, many small ones
EMPLOYER_ACTIVE_2019, EMPLOYER_ACTIVE_GROWTH = 0.5, 0.3
LEAD_EMPLOYER_ACTIVITY = 1.6  # employers of a lead sector are this much more often active in a year
# Chance that an active employer takes part in each activity, and the range of participant_count.
ACTIVITIES = {
    "teacher_externship": (0.22, (1, 4)),
    "advisory_board": (0.35, (1, 3)),
    "curriculum_review": (0.25, (1, 2)),
    "equipment_donation": (0.12, (0, 1)),
    "hire_of_graduate": (0.30, (1, 6)),
    "critical_job_filled": (0.15, (1, 3)),
}
SURVEY_ITEMS = (
    "goal_effectiveness",
    "resource_use",
    "engagement_quality",
    "learner_impact",
    "partnership_dynamics",
    "overall_satisfaction",
)
SURVEY_TYPE_WEIGHTS = {
    "employer": 0.22,
    "k12": 0.22,
    "postsecondary": 0.12,
    "workforce": 0.08,
    "community": 0.10,
    "learner": 0.14,
    "family": 0.12,
}
SURVEY_BLANK_SHARE, SURVEY_MIN_RESPONDENTS = 0.05, 25


@dataclass
class Employers:
    """Partner employers (numbered by sector) followed by the other employers of former learners."""

    ids: list[str]
    sector: np.ndarray  # per partner employer: index into the partnership's distinct sectors
    sectors: list[str]
    naics: list[str]
    n_partner: int
    size: np.ndarray  # per partner employer: relative number of learners it hosts
    hosts: np.ndarray  # (kind of work-based learning, partner employer): hosts that kind
    leads: np.ndarray  # per partner employer: in one of the profile's lead sectors
    pathway_sector: np.ndarray  # per pathway: index into ``sectors``


def build_employers(rng: np.random.Generator, profile: Profile, scale: float) -> Employers:
    """Partner employers in the partnership's pathway sectors, at least one per sector.

    Sectors get employers by the popularity of their pathways (times the weight of the
    profile's ``lead_sectors``). Sizes are skewed, as they are (a hospital system hosts
    dozens of job shadows, a small firm one or two), and each employer hosts only some
    kinds of experience, so that "job shadows with N employers" names fewer employers
    than the partnership has.
    """
    pathway_sectors = [p.sector for p in profile.pathways]
    sectors = list(dict.fromkeys(pathway_sectors))
    weight = np.array(
        [
            sum(p.popularity for p in profile.pathways if p.sector == s) * profile.lead_sectors.get(s, 1.0)
            for s in sectors
        ]
    )
    n_partner = max(MIN_PARTNER_EMPLOYERS, len(sectors), round(profile.n_partner_employers * np.sqrt(scale)))
    extra = rng.choice(len(sectors), n_partner - len(sectors), p=weight / weight.sum())
    sector = np.sort(np.concatenate([np.arange(len(sectors)), extra]))
    n_pool = n_partner * (1 + POOL_EMPLOYERS_PER_PARTNER)
    ids = [f"EMP-{profile.prefix}-{i + 1:05d}" for i in range(n_pool)]
    partner_naics = [NAICS_BY_SECTOR.get(sectors[s], "81") for s in sector]
    size = rng.lognormal(0.0, EMPLOYER_SIZE_SIGMA, n_partner)
    hosts = np.zeros((len(WBL_KINDS), n_partner), dtype=bool)
    for k, kind in enumerate(WBL_KINDS.values()):
        eligible = (
            np.ones(n_partner, dtype=bool)
            if kind.sectors is None
            else np.isin(np.array(sectors)[sector], kind.sectors)
        )
        hosts[k] = eligible & (rng.random(n_partner) < kind.host_share)
        if not hosts[k].any():  # every kind has a host, even at tiny scales
            hosts[k, rng.choice(np.flatnonzero(eligible) if eligible.any() else np.arange(n_partner))] = True
    leads = np.isin(np.array(sectors)[sector], list(profile.lead_sectors))
    return Employers(
        ids,
        sector,
        sectors,
        pool_naics(rng, partner_naics, n_pool),
        n_partner,
        size,
        hosts,
        leads,
        np.array([sectors.index(s) for s in pathway_sectors]),
    )


def host_experiences(
    rng: np.random.Generator, kind: np.ndarray, pathway: np.ndarray, employers: Employers
) -> np.ndarray:
    """The partner employer hosting each experience: a host of its kind in the sector of the learner's pathway
    when there is one, else any host of its kind, larger employers more often."""
    sector = employers.pathway_sector[pathway]
    u = rng.random(len(kind))
    out = np.zeros(len(kind), dtype=np.int64)
    for k in range(len(employers.hosts)):
        for s in np.unique(sector[kind == k]):
            rows = np.flatnonzero((kind == k) & (sector == s))
            candidates = np.flatnonzero(employers.hosts[k] & (employers.sector == s))
            if not len(candidates):
                candidates = np.flatnonzero(employers.hosts[k])
            cumulative = np.cumsum(employers.size[candidates])
            pick = np.searchsorted(cumulative, u[rows] * cumulative[-1], side="right")
            out[rows] = candidates[np.minimum(pick, len(candidates) - 1)]
    return out


def pool_naics(rng: np.random.Generator, partner_naics: list[str], n_pool: int) -> list[str]:
    """NAICS sector of every employer: partners by their industry, the rest where young people work."""
    codes = [c for c, _ in YOUNG_WORKER_NAICS]
    weights = np.array([w for _, w in YOUNG_WORKER_NAICS])
    drawn = rng.choice(len(codes), n_pool - len(partner_naics), p=weights / weights.sum())
    return partner_naics + [codes[i] for i in drawn]


def employer_activity(rng: np.random.Generator, employers: Employers, years: np.ndarray) -> Table:
    """Rows of (employer, year, activity, participant_count); every activity appears every year."""
    parts = []
    n = employers.n_partner
    lead_factor = np.where(employers.leads, LEAD_EMPLOYER_ACTIVITY, 1.0)
    for year in years:
        active_chance = EMPLOYER_ACTIVE_2019 * growth_factor(year, EMPLOYER_ACTIVE_GROWTH) * lead_factor
        active = rng.random(n) < np.minimum(active_chance, 0.95)
        for code, (chance, (low, high)) in enumerate(ACTIVITIES.values()):
            takes_part = active & (rng.random(n) < chance)
            if not takes_part.any():  # keep every activity visible even at tiny scales
                takes_part[rng.integers(0, n)] = True
            rows = np.flatnonzero(takes_part)
            parts.append(
                {
                    "employer": rows,
                    "year": np.full(len(rows), year, dtype=np.int64),
                    "activity": np.full(len(rows), code, dtype=np.int8),
                    "participant_count": rng.integers(low, high + 1, len(rows)),
                }
            )
    table = {key: np.concatenate([p[key] for p in parts]) for key in parts[0]}
    order = np.lexsort((table["activity"], table["employer"], table["year"]))
    return {key: value[order] for key, value in table.items()}


def stakeholder_survey(rng: np.random.Generator, profile: Profile, scale: float, years: np.ndarray) -> Table:
    """Respondents rate six items 1-5; satisfaction edges up over the years; a few items are left blank."""
    n = max(SURVEY_MIN_RESPONDENTS, round(profile.n_survey_respondents * np.sqrt(scale)))
    type_values = enum_values("stakeholder_type")
    weights = np.array([SURVEY_TYPE_WEIGHTS.get(v, 0.0) for v in type_values])
    year = np.repeat(years, n)
    number = np.tile(np.arange(1, n + 1), len(years))
    mood = rng.normal(0.0, 0.7, len(year)) + 0.08 * (year - 2019)
    table: Table = {
        "year": year,
        "number": number,
        "type": rng.choice(len(type_values), len(year), p=weights / weights.sum()),
    }
    for offset, item in zip((0.1, -0.3, 0.0, 0.3, -0.1, 0.1), SURVEY_ITEMS, strict=True):
        score = np.clip(np.round(3.6 + offset + mood + rng.normal(0, 0.6, len(year))), 1, 5).astype(np.int8)
        score[rng.random(len(year)) < SURVEY_BLANK_SHARE] = 0  # 0 = not answered
        table[item] = score
    return table
