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
