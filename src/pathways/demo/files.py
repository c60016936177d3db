"""The contract files of one partnership-year, as columns ready for :func:`writer.write_csv`.

One function per file; each picks the simulation's rows of the year and turns codes into
the contract's text. A builder returns ``None`` when the year has no records, because
the contract wants an empty file left out rather than sent with a header only.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pyarrow as pa

from pathways.demo.partners import ACTIVITIES, SURVEY_ITEMS
from pathways.demo.population import enum_values
from pathways.demo.schooling import DUAL_CREDITS, WBL_KINDS
from pathways.demo.simulate import Simulation
from pathways.demo.writer import (
    bool_column,
    constant_column,
    date_column,
    id_column,
    int_column,
    label_column,
    money_column,
)

Columns = dict[str, pa.Array] | None


def _ids(sim: Simulation, person: np.ndarray) -> pa.Array:
    return id_column(sim.profile.prefix, sim.pop.learner_num[person], sim.pop.id_width)


def _pathway_codes(sim: Simulation) -> list[str]:
    return [p.code for p in sim.profile.pathways]


def _known(value: np.ndarray, known: np.ndarray) -> np.ndarray:
    return np.where(known, value.astype(np.int8), -1)


def learners(sim: Simulation, year: int) -> Columns:
    ly = sim.learner_years
    rows = np.flatnonzero(ly.year == year)
    rows = rows[np.argsort(sim.pop.learner_num[ly.person[rows]], kind="stable")]
    p, grade = ly.person[rows], ly.grade[rows]
    pop, prefix = sim.pop, sim.profile.prefix
    schools = [f"{prefix}-MS-{i + 1:02d}" for i in range(sim.profile.n_middle_schools)] + [
        f"{prefix}-HS-{i + 1:02d}" for i in range(sim.profile.n_high_schools)
    ]
    school = np.where(grade >= 9, sim.profile.n_middle_schools + pop.high_school[p], pop.middle_school[p])
    return {
        "learner_id": _ids(sim, p),
        "school_year": constant_column(year, len(rows)),
        "school_id": label_column(school, schools),
        "grade_level": int_column(grade),
        "cohort_year": int_column(pop.cohort_year[p]),
        "sex": label_column(pop.sex[p], enum_values("sex")),
        "race_ethnicity": label_column(pop.race[p], enum_values("race_ethnicity")),
        "is_economically_disadvantaged": bool_column(_known(pop.econ, pop.econ_known)[p]),
        "is_english_learner": bool_column(_known(pop.english_learner, pop.english_learner_known)[p]),
        "has_disability": bool_column(_known(pop.disability, pop.disability_known)[p]),
        "has_icap": bool_column(sim.icap[rows]),
    }


def pathways(sim: Simulation, year: int) -> Columns:
    pws = sim.profile.pathways
    return {
        "pathway_id": pa.array([p.code for p in pws]),
        "pathway_name": pa.array([p.name for p in pws]),
        "industry_sector": pa.array([p.sector for p in pws]),
        "is_high_demand": pa.array(["true" if p.is_high_demand else "false" for p in pws]),
        "nontraditional_gender": pa.array([p.nontraditional_gender for p in pws]),
    }


def _year_rows(sim: Simulation, table: dict[str, np.ndarray], year: int, *order: np.ndarray) -> np.ndarray:
    """Rows of an activity table in ``year``, sorted by learner id then by ``order`` keys."""
    rows = np.flatnonzero(sim.hs.year[table["row"]] == year)
    learner = sim.pop.learner_num[sim.hs.person[table["row"][rows]]]
    keys = [k[rows] for k in reversed(order)]
    return rows[np.lexsort((*keys, learner))]


def cte_courses(sim: Simulation, year: int) -> Columns:
    t = sim.schooling.cte
    rows = _year_rows(sim, t, year, t["course"])
    if not len(rows):
        return None
    return {
        "learner_id": _ids(sim, sim.hs.person[t["row"][rows]]),
        "school_year": constant_column(year, len(rows)),
        "pathway_id": label_column(t["pathway"][rows], _pathway_codes(sim)),
        "course_id": label_column(t["course"][rows], sim.schooling.course_labels),
        "credits": label_column(t["half_credit"][rows].astype(np.int8), ["1.0", "0.5"]),
        "is_completed": bool_column(t["is_completed"][rows]),
    }


def credentials(sim: Simulation, year: int) -> Columns:
    t = sim.schooling.credentials
    rows = _year_rows(sim, t, year, t["credential"])
    if not len(rows):
        return None
    defs = sim.schooling.credential_defs
    chosen = t["credential"][rows]
    first_day = np.datetime64(date(year - 1, 7, 1), "D")
    n_days = (date(year, 6, 30) - date(year - 1, 7, 1)).days + 1
    day = np.minimum(np.floor(t["day_fraction"][rows] * n_days).astype(np.int64), n_days - 1)
    return {
        "learner_id": _ids(sim, sim.hs.person[t["row"][rows]]),
        "school_year": constant_column(year, len(rows)),
        "credential_id": label_column(chosen, [d.credential_id for d in defs]),
        "credential_name": label_column(chosen, [d.name for d in defs]),
        "credential_type": label_column(chosen, [d.credential_type for d in defs]),
        "pathway_id": label_column(t["pathway"][rows], _pathway_codes(sim)),
        "is_credential_of_value": bool_column(
            np.array([d.is_credential_of_value for d in defs], np.int8)[chosen]
        ),
        "earned_date": date_column(first_day + day),
    }


def work_based_learning(sim: Simulation, year: int) -> Columns:
    t = sim.schooling.wbl
    rows = _year_rows(sim, t, year, t["type"], t["employer"])
    if not len(rows):
        return None
    return {
        "learner_id": _ids(sim, sim.hs.person[t["row"][rows]]),
        "school_year": constant_column(year, len(rows)),
        "wbl_type": label_column(t["type"][rows], list(WBL_KINDS)),
        "employer_id": label_column(t["employer"][rows], sim.employers.ids),
        "hours": int_column(t["hours"][rows]),
        "is_paid": bool_column(t["is_paid"][rows]),
        "is_completed": bool_column(t["is_completed"][rows]),
    }


def early_postsecondary(sim: Simulation, year: int) -> Columns:
    t = sim.schooling.dual
    rows = _year_rows(sim, t, year, t["course"])
    if not len(rows):
        return None
    credit_labels = ["0.0", "1.0", "2.0", "3.0", "4.0"]
    return {
        "learner_id": _ids(sim, sim.hs.person[t["row"][rows]]),
        "school_year": constant_column(year, len(rows)),
        "institution_id": label_column(
            t["institution"][rows], [i.institution_id for i in sim.profile.dual_institutions]
        ),
        "course_id": label_column(t["course"][rows], sim.schooling.dual_course_labels),
        "pathway_id": label_column(t["pathway"][rows], _pathway_codes(sim)),
        "credits_attempted": label_column(_credit_code(t, rows, attempted=True), credit_labels),
        "credits_earned": label_column(_credit_code(t, rows, attempted=False), credit_labels),
    }


def _credit_code(t: dict[str, np.ndarray], rows: np.ndarray, *, attempted: bool) -> np.ndarray:
    """Index into ``0.0 .. 4.0`` of attempted or earned credits (whole numbers by construction)."""
    attempted_credits = np.array([c[1] for c in DUAL_CREDITS])[t["credit_code"][rows]]
    return np.round(attempted_credits if attempted else t["credits_earned"][rows]).astype(np.int64)


def hs_outcomes(sim: Simulation, year: int) -> Columns:
    pop = sim.pop
    person = np.flatnonzero(
        (pop.cohort_year == year) & (sim.exits.exit_code >= 0) & (sim.first_visible <= year)
    )
    if not len(person):
        return None
    person = person[np.argsort(pop.learner_num[person], kind="stable")]
    return {
        "learner_id": _ids(sim, person),
        "cohort_year": constant_column(year, len(person)),
        "exit_type": label_column(sim.exits.exit_code[person], enum_values("exit_type")),
    }


def postsecondary(sim: Simulation, year: int) -> Columns:
    t = sim.postsecondary
    rows = np.flatnonzero((t["year"] == year) & (sim.first_visible[t["person"]] < year))
    if not len(rows):
        return None
    person = t["person"][rows]
    rows = rows[np.argsort(sim.pop.learner_num[person], kind="stable")]
    person = t["person"][rows]
    institutions = sim.college.institutions
    return {
        "learner_id": _ids(sim, person),
        "hs_graduation_year": int_column(sim.pop.cohort_year[person]),
        "academic_year": constant_column(year, len(rows)),
        "institution_id": label_column(t["institution"][rows], [i.institution_id for i in institutions]),
        "institution_sector": label_column(t["institution"][rows], [i.sector for i in institutions]),
        "is_enrolled_fall": bool_column(t["is_enrolled_fall"][rows]),
        "credential_earned": label_column(t["credential"][rows], enum_values("credential_earned")),
    }


def employment(sim: Simulation, year: int) -> Columns:
    t = sim.employment
    rows = np.flatnonzero(t["year"] == year)
    if not len(rows):
        return None
    rows = rows[np.lexsort((t["quarter"][rows], sim.pop.learner_num[t["person"][rows]]))]
    return {
        "learner_id": _ids(sim, t["person"][rows]),
        "year": constant_column(year, len(rows)),
        "quarter": int_column(t["quarter"][rows]),
        "employer_id": label_column(t["employer"][rows], sim.employers.ids),
        "naics_sector": label_column(t["employer"][rows], sim.employers.naics),
        "wages_usd": money_column(t["wages_cents"][rows]),
    }


def employer_activity(sim: Simulation, year: int) -> Columns:
    t = sim.employer_activity
    rows = np.flatnonzero(t["year"] == year)
    if not len(rows):
        return None
    sector = sim.employers.sector[t["employer"][rows]]
    return {
        "employer_id": label_column(t["employer"][rows], sim.employers.ids),
        "school_year": constant_column(year, len(rows)),
        "industry_sector": label_column(sector, sim.employers.sectors),
        "activity": label_column(t["activity"][rows], list(ACTIVITIES)),
        "participant_count": int_column(t["participant_count"][rows]),
    }


def stakeholder_survey(sim: Simulation, year: int) -> Columns:
    t = sim.survey
    rows = np.flatnonzero(t["year"] == year)
    if not len(rows):
        return None
    number = pa.array([f"R-{sim.profile.prefix}{year}-{n:04d}" for n in t["number"][rows]])
    columns = {
        "respondent_id": number,
        "school_year": constant_column(year, len(rows)),
        "stakeholder_type": label_column(t["type"][rows], enum_values("stakeholder_type")),
    }
    for item in SURVEY_ITEMS:
        columns[item] = label_column(t[item][rows].astype(np.int64) - 1, ["1", "2", "3", "4", "5"])
    return columns


BUILDERS = {
    "learners": learners,
    "pathways": pathways,
    "cte_courses": cte_courses,
    "credentials": credentials,
    "work_based_learning": work_based_learning,
    "early_postsecondary": early_postsecondary,
    "hs_outcomes": hs_outcomes,
    "postsecondary": postsecondary,
    "employment": employment,
    "employer_activity": employer_activity,
    "stakeholder_survey": stakeholder_survey,
}
