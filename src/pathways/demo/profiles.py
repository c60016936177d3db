"""Who the demo partnerships are: sizes, demographics, pathways, colleges and growth.

Every number that shapes the synthetic data and is specific to one partnership lives
here, so that the simulation modules stay generic and a reader can see at a glance
what makes Denver differ from the San Luis Valley. Values are rough, plausible levels
for Colorado, not statistics of any real district.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass, field, replace

# The year the growth curves are anchored to, and the year the headline growth is reached.
BASELINE_YEAR = 2019
GROWTH_YEAR = 2024


@dataclass(frozen=True)
class PathwayDef:
    """One program of study as written to pathways.csv, plus how popular it is."""

    code: str
    name: str
    sector: str
    is_high_demand: bool
    nontraditional_gender: str
    popularity: float


@dataclass(frozen=True)
class Institution:
    institution_id: str
    sector: str
    weight: float


@dataclass(frozen=True)
class Profile:
    """Knobs of one partnership's simulation (sizes at scale 1.0, levels, growth)."""

    prefix: str
    learners_per_year: int
    n_high_schools: int
    n_middle_schools: int
    race_shares: dict[str, float]
    economically_disadvantaged_share: float
    english_learner_share: float
    disability_share: float
    cte_engagement_2019: float
    cte_growth_by_2024: float  # relative growth of CTE engagement from 2019 to 2024 (0.56 = +56%)
    wbl_level: float
    wbl_growth_by_2024: float
    dual_level: float
    graduation_intercept: float  # log-odds of on-time graduation of the reference learner
    seamless_intercept: float  # log-odds of fall enrollment after graduation of the reference graduate
    enrollment_trend_per_year: float  # relative change of the size of each new class
    n_partner_employers: int
    n_survey_respondents: int
    pathways: tuple[PathwayDef, ...]
    dual_institutions: tuple[Institution, ...]
    college_institutions: tuple[Institution, ...]
    credential_level: float = 1.0
    credential_growth_by_2024: float = 0.0  # relative growth of the chance to earn a credential, 2019 to 2024
    # Sectors whose employers lead the partnership: times as many partner employers as their
    # pathways' popularity gives, each more often active in the partnership every year.
    lead_sectors: dict[str, float] = field(default_factory=dict)
    wbl_kind_level: dict[str, float] = field(default_factory=dict)  # multipliers of some kinds' rates
    living_wage_usd: float = 60_000.0  # replaced by the registry's value when data are written


SEX_SHARES = {"female": 0.488, "male": 0.496, "nonbinary": 0.006, "unknown": 0.010}

# Statewide destinations shared by every partnership's graduates.
STATEWIDE_COLLEGES = (
    Institution("CU-BOULDER", "public_four_year", 0.10),
    Institution("CSU-FORT-COLLINS", "public_four_year", 0.09),
    Institution("UNC-GREELEY", "public_four_year", 0.04),
    Institution("CO-MESA", "public_four_year", 0.03),
    Institution("REGIS", "private_four_year", 0.025),
    Institution("DU", "private_four_year", 0.025),
    Institution("OUT-OF-STATE-PUB", "public_four_year", 0.05),
    Institution("OUT-OF-STATE-PRIV", "private_four_year", 0.03),
    Institution("PRIV-CAREER-COLLEGE", "private_two_year", 0.015),
    Institution("TRADE-SCHOOL", "less_than_two_year", 0.02),
    Institution("NSC-UNMATCHED", "unknown", 0.01),
)


def _pw(code: str, name: str, sector: str, high: bool, nontrad: str, popularity: float) -> PathwayDef:
    return PathwayDef(code, name, sector, high, nontrad, popularity)


DENVER = Profile(
    prefix="DEN",
    learners_per_year=15_000,
    n_high_schools=10,
    n_middle_schools=12,
    race_shares={
        "hispanic_latino": 0.520,
        "american_indian_alaska_native": 0.006,
        "asian": 0.033,
        "black_african_american": 0.130,
        "native_hawaiian_pacific_islander": 0.003,
        "white": 0.250,
        "two_or_more_races": 0.048,
        "unknown": 0.010,
    },
    economically_disadvantaged_share=0.60,
    english_learner_share=0.28,
    disability_share=0.12,
    # Denver's growth is calibrated to the partnership's published 2019-2024 figures
    # (pathways.demo.calibration, ASSUMPTIONS.md): 25% of grades 9-12 in pathways in 2019 and
    # 52% more learners in them by 2024 (enrolment falls slightly), 15% more learners in
    # work-based learning (most of it growing with CTE), five times the credentials.
    cte_engagement_2019=0.28,
    cte_growth_by_2024=0.565,
    wbl_level=1.0,
    wbl_growth_by_2024=0.045,
    dual_level=1.0,
    graduation_intercept=2.15,
    seamless_intercept=0.5,
    enrollment_trend_per_year=-0.005,
    n_partner_employers=140,  # about half host job shadows: "1,200 job shadows with 70 employers"
    n_survey_respondents=120,
    credential_level=0.37,  # 2% of grades 9-12 earn a credential in 2019
    credential_growth_by_2024=2.48,
    pathways=(
        _pw("HLTH-01", "Health Science and Patient Care", "healthcare", True, "male", 1.6),
        _pw("BIO-01", "Biomedical Science", "bioscience", True, "none", 0.7),
        _pw("IT-01", "Software Development", "information_technology", True, "female", 1.2),
        _pw("IT-02", "Cybersecurity and Networking", "information_technology", True, "female", 0.8),
        _pw("MFG-01", "Advanced Manufacturing and Machining", "advanced_manufacturing", True, "female", 0.6),
        _pw("CONS-01", "Construction Trades", "construction", True, "female", 0.9),
        _pw("AERO-01", "Aerospace Engineering", "aerospace", True, "female", 0.5),
        _pw("ENG-01", "Engineering Design", "engineering", True, "female", 0.8),
        _pw("FIN-01", "Business and Finance", "finance_business", True, "none", 1.1),
        _pw("HOSP-01", "Culinary Arts and Hospitality", "hospitality", False, "none", 0.9),
        _pw("EDU-01", "Teacher Cadet", "education", False, "male", 0.6),
        _pw("PS-01", "Law and Public Safety", "public_safety", False, "female", 0.5),
        _pw("ENR-01", "Energy and Sustainability", "energy", True, "female", 0.4),
        _pw("AG-01", "Urban Agriculture and Food Systems", "agriculture", False, "none", 0.3),
    ),
    dual_institutions=(
        Institution("CCD", "public_two_year", 0.50),
        Institution("EGTC", "less_than_two_year", 0.15),
        Institution("MSU-DENVER", "public_four_year", 0.20),
        Institution("CU-DENVER", "public_four_year", 0.15),
    ),
    college_institutions=(
        Institution("CCD", "public_two_year", 0.22),
        Institution("EGTC", "less_than_two_year", 0.04),
        Institution("MSU-DENVER", "public_four_year", 0.16),
        Institution("CU-DENVER", "public_four_year", 0.08),
    ),
)

AURORA = Profile(
    prefix="AUR",
    learners_per_year=8_000,
    n_high_schools=6,
    n_middle_schools=7,
    race_shares={
        "hispanic_latino": 0.550,
        "american_indian_alaska_native": 0.005,
        "asian": 0.050,
        "black_african_american": 0.170,
        "native_hawaiian_pacific_islander": 0.004,
        "white": 0.170,
        "two_or_more_races": 0.045,
        "unknown": 0.006,
    },
    economically_disadvantaged_share=0.68,
    english_learner_share=0.36,
    disability_share=0.12,
    cte_engagement_2019=0.30,
    cte_growth_by_2024=0.30,
    wbl_level=0.9,
    wbl_growth_by_2024=0.20,
    dual_level=0.9,
    graduation_intercept=2.05,
    seamless_intercept=0.45,
    enrollment_trend_per_year=-0.01,
    n_partner_employers=70,
    n_survey_respondents=70,
    credential_growth_by_2024=0.8,
    lead_sectors={"construction": 4.0, "healthcare": 3.0},
    wbl_kind_level={"clinical_placement": 2.0, "pre_apprenticeship": 3.0, "apprenticeship": 2.5},
    pathways=(
        _pw("HLTH-01", "Nursing and Patient Care", "healthcare", True, "male", 1.6),
        _pw("HLTH-02", "Emergency Medical Services", "public_safety", True, "female", 0.6),
        _pw("CONS-01", "Construction Trades", "construction", True, "female", 1.2),
        _pw("CONS-02", "Electrical and Plumbing Pre-Apprenticeship", "construction", True, "female", 0.7),
        _pw("MFG-01", "Welding and Fabrication", "advanced_manufacturing", True, "female", 0.7),
        _pw("IT-01", "IT Support and Networking", "information_technology", True, "female", 0.9),
        _pw("AERO-01", "Aviation and Aerospace", "aerospace", True, "female", 0.5),
        _pw("FIN-01", "Business and Entrepreneurship", "finance_business", False, "none", 0.9),
        _pw("HOSP-01", "Culinary Arts and Hospitality", "hospitality", False, "none", 0.8),
        _pw("EDU-01", "Early Childhood Education", "education", False, "male", 0.6),
    ),
    dual_institutions=(
        Institution("CCA", "public_two_year", 0.85),
        Institution("MSU-DENVER", "public_four_year", 0.15),
    ),
    college_institutions=(
        Institution("CCA", "public_two_year", 0.26),
        Institution("MSU-DENVER", "public_four_year", 0.12),
        Institution("CU-DENVER", "public_four_year", 0.06),
        Institution("PICKENS-TECH", "less_than_two_year", 0.04),
    ),
)

SAN_LUIS_VALLEY = Profile(
    prefix="SLV",
    learners_per_year=1_500,
    n_high_schools=4,
    n_middle_schools=4,
    race_shares={
        "hispanic_latino": 0.580,
        "american_indian_alaska_native": 0.012,
        "asian": 0.006,
        "black_african_american": 0.006,
        "native_hawaiian_pacific_islander": 0.002,
        "white": 0.375,
        "two_or_more_races": 0.015,
        "unknown": 0.004,
    },
    economically_disadvantaged_share=0.70,
    english_learner_share=0.12,
    disability_share=0.13,
    cte_engagement_2019=0.34,
    cte_growth_by_2024=0.20,
    wbl_level=0.85,
    wbl_growth_by_2024=0.15,
    dual_level=1.1,
    graduation_intercept=2.25,
    seamless_intercept=0.35,
    enrollment_trend_per_year=-0.012,
    n_partner_employers=30,
    n_survey_respondents=40,
    lead_sectors={"healthcare": 2.0},
    pathways=(
        _pw("HLTH-01", "Health Science (CNA)", "healthcare", True, "male", 1.5),
        _pw("HLTH-02", "Pharmacy and Medical Office", "healthcare", True, "male", 0.5),
        _pw("AG-01", "Agriculture and Natural Resources", "agriculture", True, "none", 1.3),
        _pw("CONS-01", "Construction and Building Trades", "construction", True, "female", 0.9),
        _pw("MFG-01", "Welding", "advanced_manufacturing", True, "female", 0.8),
        _pw("EDU-01", "Teacher Preparation", "education", True, "male", 0.6),
        _pw("FIN-01", "Business and Rural Entrepreneurship", "finance_business", False, "none", 0.7),
        _pw("ENR-01", "Renewable Energy", "energy", True, "female", 0.4),
    ),
    dual_institutions=(
        Institution("TRINIDAD-STATE", "public_two_year", 0.70),
        Institution("ADAMS-STATE", "public_four_year", 0.30),
    ),
    college_institutions=(
        Institution("TRINIDAD-STATE", "public_two_year", 0.26),
        Institution("ADAMS-STATE", "public_four_year", 0.18),
    ),
)

PROFILES = {"denver": DENVER, "aurora": AURORA, "san-luis-valley": SAN_LUIS_VALLEY}


def profile_for(partnership_id: str) -> Profile:
    """The profile of a known demo partnership; any other demo id gets a mid-sized generic one.

    A generic profile lets an analyst add an ``is_demo: true`` partnership to the registry
    and still get data; its id prefix comes from the partnership id so ids stay distinct.
    """
    if partnership_id in PROFILES:
        return PROFILES[partnership_id]
    letters = re.sub(r"[^A-Za-z0-9]", "", partnership_id).upper()[:3] or "DMO"
    return replace(AURORA, prefix=letters, learners_per_year=3_000, cte_growth_by_2024=0.25)


def partnership_offset(partnership_id: str) -> int:
    """A stable per-partnership seed offset (CRC-32 of the id; Python's ``hash()`` is salted per process)."""
    return zlib.crc32(partnership_id.encode("utf-8"))


def growth_factor(year, growth_by_2024: float):
    """Multiplier of a 2019 level in ``year``: 1.0 in 2019, ``1 + growth_by_2024`` in 2024, linear in between.

    Linear in the level (not compounding) so that the 2019-to-2024 change equals the
    stated growth; clipped outside 2015-2030 so far-away years stay plausible.
    """
    import numpy as np

    span = GROWTH_YEAR - BASELINE_YEAR
    clipped = np.clip(np.asarray(year, dtype=float), 2015, 2030)
    return np.maximum(0.3, 1.0 + growth_by_2024 * (clipped - BASELINE_YEAR) / span)
