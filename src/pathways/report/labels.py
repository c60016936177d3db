"""Words a reader understands for the codes of the data contract and the export."""

from __future__ import annotations

GROUP_TYPES = {
    "all": "All learners",
    "sex": "Sex",
    "race_ethnicity": "Race/ethnicity",
    "is_economically_disadvantaged": "Economic status",
    "is_english_learner": "English learner status",
    "has_disability": "Disability status",
    "industry_sector": "Industry sector",
    "years_since_graduation": "Years since graduation",
    "wbl_type": "Kind of experience",
    "stakeholder_type": "Stakeholder type",
    "population": "Population",
    "term": "Model term",
    "item": "Survey item",
}

_BOOLEAN_GROUPS = {
    "is_economically_disadvantaged": ("Economically disadvantaged", "Not economically disadvantaged"),
    "is_english_learner": ("English learners", "Not English learners"),
    "has_disability": ("Learners with disabilities", "Learners without disabilities"),
}

VALUES = {
    "all": "All learners",
    "hispanic_latino": "Hispanic/Latino",
    "american_indian_alaska_native": "American Indian/Alaska Native",
    "asian": "Asian",
    "black_african_american": "Black/African American",
    "native_hawaiian_pacific_islander": "Native Hawaiian/Pacific Islander",
    "white": "White",
    "two_or_more_races": "Two or more races",
    "unknown": "Unknown",
    "female": "Female",
    "male": "Male",
    "nonbinary": "Nonbinary",
    "information_technology": "Information technology",
    "advanced_manufacturing": "Advanced manufacturing",
    "finance_business": "Finance and business",
    "public_safety": "Public safety",
    "career_exploration_event": "Career exploration events",
    "job_shadow": "Job shadows",
    "mentorship": "Mentorships",
    "internship": "Internships",
    "clinical_placement": "Clinical placements",
    "pre_apprenticeship": "Pre-apprenticeships",
    "apprenticeship": "Apprenticeships",
    "school_based_enterprise": "School-based enterprises",
    "k12": "K-12",
    "goal_effectiveness": "Progress on goals",
    "resource_use": "Use of resources",
    "engagement_quality": "Quality of engagement",
    "learner_impact": "Impact on learners",
    "partnership_dynamics": "Partnership dynamics",
    "overall_satisfaction": "Overall satisfaction",
    "concentrators": "CTE concentrators",
}


def group_type_label(group_type: str) -> str:
    return GROUP_TYPES.get(group_type, group_type.replace("_", " ").capitalize())


def group_value_label(group_type: str, group_value: object) -> str:
    value = str(group_value)
    if group_type in _BOOLEAN_GROUPS and value in ("true", "false"):
        yes, no = _BOOLEAN_GROUPS[group_type]
        return yes if value == "true" else no
    if group_type == "years_since_graduation":
        if value.isdigit():
            return f"{value} year{'' if value == '1' else 's'} after high school"
        return "Years after high school not known"
    if value in VALUES:
        return VALUES[value]
    return value.replace("_", " ").capitalize()


# The five learner breakdowns: the groups of learners whose gaps a report speaks of. Industry
# sector and years since graduation are breakdowns of programs and of time, never "gaps".
LEARNER_GROUPS = (
    "race_ethnicity",
    "sex",
    "is_economically_disadvantaged",
    "is_english_learner",
    "has_disability",
)
# The focal groups of the partnerships' equity goals (the statewide view puts them side by side).
FOCAL_GROUPS = (
    ("is_english_learner", "true"),
    ("has_disability", "true"),
    ("is_economically_disadvantaged", "true"),
)

GAP_TRENDS = {"narrowing": "narrowing", "widening": "widening", "no_clear_change": "no clear change"}

_GENERIC_YEARS = {
    "y": "the year",
    "y_1": "the year before",
    "y_2": "two years before",
    "y_6": "six years before",
}

MEASURES = {
    "credentials_earned": "credentials earned",
    "credits_earned": "college credits earned",
    "usd": "tuition saved",
    "learners": "learners",
    "employers": "employers",
    "teachers": "teachers",
    "hires_of_graduate": "hires of graduates",
    "critical_job_filled": "critical jobs filled",
}


def measure_label(measure: str) -> str:
    return MEASURES.get(measure, measure.replace("_", " "))


def population(indicator, year: int | None = None) -> str:
    """Who a rate covers, in a reader's words (``graduates of 2023``; ``graduates of the year before``
    without a year, as in a chart of several years)."""
    text = indicator.population or indicator.denominator or "learners"
    if year is None:
        return text.format(**_GENERIC_YEARS)
    return text.format(y=year, y_1=year - 1, y_2=year - 2, y_6=year - 6)


def chart_label(text: object, width: int = 34, lines: int = 2) -> str:
    """A label that fits beside a chart: wrapped at ``width`` characters, at most ``lines`` lines,
    an ellipsis where text was left out (the figure's data and alt text keep the full text)."""
    words = " ".join(str(text).split())
    out: list[str] = []
    rest = words
    while rest and len(out) < lines:
        if len(rest) <= width:
            out.append(rest)
            rest = ""
            break
        cut = rest.rfind(" ", 0, width + 1)
        cut = cut if cut > width // 3 else width
        out.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        last = out[-1]
        out[-1] = (last[: width - 1].rstrip() if len(last) >= width else last) + "…"
    return "\n".join(out)
