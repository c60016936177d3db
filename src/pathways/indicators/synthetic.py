"""Synthetic submissions for the engine's tests and benchmarks (typed frames, or CSV files).

Not the demo generator (:mod:`pathways.demo`): this one is built for speed at any size, with
a known logistic model of graduation so that tests can recover its odds ratios.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from pathways.io.dictionary import load_dictionary
from pathways.io.submission import History

SECTORS = ["healthcare", "information_technology", "advanced_manufacturing", "construction", "energy"]
SEXES = np.array(load_dictionary().enum_values("sex"))
RACES = np.array(
    ["hispanic_latino", "white", "black_african_american", "asian", "two_or_more_races", "unknown"]
)
WBL = np.array(["job_shadow", "internship", "mentorship", "career_exploration_event"])
PIDS = np.array([f"P{i:02d}" for i in range(20)], dtype=object)
TRUE_ODDS = {"2-4 courses": 1.8, "5+ courses": 3.0, "mentorship": 1.6}


def _bools(rng, p, n, unknown=0.0) -> pd.Series:
    values = pd.Series(rng.random(n) < p, dtype="boolean")
    if unknown:
        values[rng.random(n) < unknown] = pd.NA
    return values


def make_frames(
    n_learners: int = 2000,
    years=range(2019, 2025),
    seed: int = 1,
    growth: float = 0.0,
    courses_per_learner: float = 1.2,
) -> dict[str, pd.DataFrame]:
    """Every contract file, stacked over ``years``; ``n_learners`` learners in the last year.

    Earlier years are smaller by ``growth`` per year back (0.1 = 10% fewer each year).
    """
    rng = np.random.default_rng(seed)
    years = list(years)
    last = years[-1]
    total = int(n_learners * 1.9)
    ids = np.array([f"L{i:08d}" for i in range(total)], dtype=object)
    cohort = rng.integers(years[0] - 2, last + 7, total)
    sex = SEXES[rng.choice(4, total, p=[0.49, 0.49, 0.01, 0.01])]
    race = RACES[rng.choice(len(RACES), total, p=[0.4, 0.3, 0.12, 0.08, 0.08, 0.02])]
    econ = rng.random(total) < 0.45
    ell = rng.random(total) < 0.15
    dis = rng.random(total) < 0.12
    pathways = pd.DataFrame(
        {
            "pathway_id": [f"P{i:02d}" for i in range(20)],
            "pathway_name": [f"Pathway {i}" for i in range(20)],
            "industry_sector": [SECTORS[i % len(SECTORS)] for i in range(20)],
            "is_high_demand": pd.array([i % 3 == 0 for i in range(20)], dtype="boolean"),
            "nontraditional_gender": [
                "female" if i % 4 == 0 else ("male" if i % 4 == 1 else "none") for i in range(20)
            ],
        }
    ).astype(
        {
            "pathway_id": "string",
            "pathway_name": "string",
            "industry_sector": "string",
            "nontraditional_gender": "string",
        }
    )
    frames: dict[str, list[pd.DataFrame]] = {}
    courses_done = np.zeros(total, dtype=np.int64)
    mentored = np.zeros(total, dtype=bool)
    for k, y in enumerate(years):
        size = n_learners * (1 - growth) ** (last - y)
        grade = 12 - (cohort - y)
        active = (
            (grade >= 6)
            & (grade <= 12)
            & (rng.random(total) < min(1.0, size / (total * 7 / (last - years[0] + 13))))
        )
        idx = np.flatnonzero(active)
        n = len(idx)
        learners = pd.DataFrame(
            {
                "learner_id": pd.array(ids[idx], dtype="string"),
                "school_year": pd.array(np.full(n, y), dtype="Int64"),
                "school_id": pd.array(np.full(n, "S1"), dtype="string"),
                "grade_level": pd.array(grade[idx], dtype="Int64"),
                "cohort_year": pd.array(cohort[idx], dtype="Int64"),
                "sex": pd.array(sex[idx], dtype="string"),
                "race_ethnicity": pd.array(race[idx], dtype="string"),
                "is_economically_disadvantaged": pd.array(econ[idx], dtype="boolean"),
                "is_english_learner": pd.array(ell[idx], dtype="boolean"),
                "has_disability": pd.array(dis[idx], dtype="boolean"),
                "has_icap": _bools(rng, 0.6, n),
            }
        )
        frames.setdefault("learners", []).append(learners)
        hs = idx[grade[idx] >= 9]
        n_courses = rng.poisson(courses_per_learner, len(hs))
        who = np.repeat(hs, n_courses)
        pw = rng.integers(0, 20, len(who))
        # courses stay mostly within one pathway per learner so concentrators exist
        pw = np.where(rng.random(len(who)) < 0.8, who % 20, pw)
        completed = rng.random(len(who)) < 0.85
        frames.setdefault("cte_courses", []).append(
            pd.DataFrame(
                {
                    "learner_id": pd.array(ids[who], dtype="string"),
                    "school_year": pd.array(np.full(len(who), y), dtype="Int64"),
                    "pathway_id": pd.array(PIDS[pw], dtype="string"),
                    "course_id": pd.array(
                        np.char.add(f"C{y}-", np.arange(len(who)).astype(str)), dtype="string"
                    ),
                    "credits": np.full(len(who), 1.0),
                    "is_completed": pd.array(completed, dtype="boolean"),
                }
            )
        )
        np.add.at(courses_done, who[completed], 1)
        cred_who = hs[rng.random(len(hs)) < 0.08]
        frames.setdefault("credentials", []).append(
            pd.DataFrame(
                {
                    "learner_id": pd.array(ids[cred_who], dtype="string"),
                    "school_year": pd.array(np.full(len(cred_who), y), dtype="Int64"),
                    "credential_id": pd.array(np.full(len(cred_who), "CR1"), dtype="string"),
                    "credential_name": pd.array(np.full(len(cred_who), "Cert"), dtype="string"),
                    "credential_type": pd.array(
                        np.full(len(cred_who), "industry_certification"), dtype="string"
                    ),
                    "pathway_id": pd.array([pd.NA] * len(cred_who), dtype="string"),
                    "is_credential_of_value": _bools(rng, 0.7, len(cred_who)),
                    "earned_date": pd.to_datetime(np.full(len(cred_who), f"{y}-03-01")),
                }
            )
        )
        wbl_who = hs[rng.random(len(hs)) < 0.2]
        wtype = WBL[rng.integers(0, len(WBL), len(wbl_who))]
        wdone = rng.random(len(wbl_who)) < 0.9
        mentored[wbl_who[(wtype == "mentorship") & wdone]] = True
        frames.setdefault("work_based_learning", []).append(
            pd.DataFrame(
                {
                    "learner_id": pd.array(ids[wbl_who], dtype="string"),
                    "school_year": pd.array(np.full(len(wbl_who), y), dtype="Int64"),
                    "wbl_type": pd.array(wtype, dtype="string"),
                    "employer_id": pd.array(
                        np.char.add("E", rng.integers(0, 300, len(wbl_who)).astype(str)), dtype="string"
                    ),
                    "hours": np.full(len(wbl_who), 10.0),
                    "is_paid": _bools(rng, 0.3, len(wbl_who)),
                    "is_completed": pd.array(wdone, dtype="boolean"),
                }
            )
        )
        ep_who = hs[rng.random(len(hs)) < 0.15]
        earned = rng.choice([0.0, 3.0, 4.0], len(ep_who), p=[0.2, 0.5, 0.3])
        frames.setdefault("early_postsecondary", []).append(
            pd.DataFrame(
                {
                    "learner_id": pd.array(ids[ep_who], dtype="string"),
                    "school_year": pd.array(np.full(len(ep_who), y), dtype="Int64"),
                    "institution_id": pd.array(np.full(len(ep_who), "I1"), dtype="string"),
                    "course_id": pd.array(np.full(len(ep_who), "ENG101"), dtype="string"),
                    "pathway_id": pd.array(PIDS[ep_who % 20], dtype="string"),
                    "credits_attempted": np.full(len(ep_who), 4.0),
                    "credits_earned": earned,
                }
            )
        )
        # cohort y: every learner with this cohort_year seen so far, outcome from a known logistic model
        members = np.flatnonzero(cohort == y)
        logit = (
            0.3
            + np.log(TRUE_ODDS["2-4 courses"]) * ((courses_done[members] >= 2) & (courses_done[members] <= 4))
            + np.log(TRUE_ODDS["5+ courses"]) * (courses_done[members] >= 5)
            + np.log(TRUE_ODDS["mentorship"]) * mentored[members]
            - 0.4 * ell[members]
            - 0.3 * dis[members]
        )
        grad = rng.random(len(members)) < 1 / (1 + np.exp(-logit))
        other = rng.choice(
            ["dropped_out", "transferred_out", "still_enrolled", "ged_or_equivalent"],
            len(members),
            p=[0.5, 0.25, 0.2, 0.05],
        )
        exit_type = np.where(
            grad,
            np.where(
                rng.random(len(members)) < 0.2, "graduated_advanced_diploma", "graduated_regular_diploma"
            ),
            other,
        )
        frames.setdefault("hs_outcomes", []).append(
            pd.DataFrame(
                {
                    "learner_id": pd.array(ids[members], dtype="string"),
                    "cohort_year": pd.array(np.full(len(members), y), dtype="Int64"),
                    "exit_type": pd.array(exit_type, dtype="string"),
                }
            )
        )
        # postsecondary of academic year y: earlier graduates (cohort < y)
        former = np.flatnonzero((cohort < y) & (cohort >= y - 6))
        enrolled = former[rng.random(len(former)) < 0.5]
        frames.setdefault("postsecondary", []).append(
            pd.DataFrame(
                {
                    "learner_id": pd.array(ids[enrolled], dtype="string"),
                    "hs_graduation_year": pd.array(cohort[enrolled], dtype="Int64"),
                    "academic_year": pd.array(np.full(len(enrolled), y), dtype="Int64"),
                    "institution_id": pd.array(np.full(len(enrolled), "I1"), dtype="string"),
                    "institution_sector": pd.array(np.full(len(enrolled), "public_two_year"), dtype="string"),
                    "is_enrolled_fall": _bools(rng, 0.85, len(enrolled)),
                    "credential_earned": pd.array(
                        rng.choice(["none", "associate", "bachelor"], len(enrolled), p=[0.8, 0.1, 0.1]),
                        dtype="string",
                    ),
                }
            )
        )
        recent = np.flatnonzero((cohort <= y) & (cohort >= y - 6))
        working = recent[rng.random(len(recent)) < 0.55]
        quarters = rng.integers(1, 5, len(working))
        who_q = np.repeat(working, quarters)
        q = (
            np.concatenate([np.arange(1, k + 1) for k in quarters])
            if len(quarters)
            else np.array([], dtype=int)
        )
        q = 5 - q
        frames.setdefault("employment", []).append(
            pd.DataFrame(
                {
                    "learner_id": pd.array(ids[who_q], dtype="string"),
                    "year": pd.array(np.full(len(who_q), y), dtype="Int64"),
                    "quarter": pd.array(q, dtype="Int64"),
                    "employer_id": pd.array(np.full(len(who_q), "E1"), dtype="string"),
                    "naics_sector": pd.array(np.full(len(who_q), "62"), dtype="string"),
                    "wages_usd": rng.gamma(2.0, 8000, len(who_q)),
                }
            )
        )
        n_act = 40
        frames.setdefault("employer_activity", []).append(
            pd.DataFrame(
                {
                    "employer_id": pd.array([f"E{i}" for i in range(n_act)], dtype="string"),
                    "school_year": pd.array(np.full(n_act, y), dtype="Int64"),
                    "industry_sector": pd.array(np.full(n_act, "healthcare"), dtype="string"),
                    "activity": pd.array(
                        rng.choice(
                            [
                                "teacher_externship",
                                "hire_of_graduate",
                                "critical_job_filled",
                                "advisory_board",
                            ],
                            n_act,
                        ),
                        dtype="string",
                    ),
                    "participant_count": pd.array(rng.integers(0, 6, n_act), dtype="Int64"),
                }
            )
        )
        n_resp = 150
        survey = {
            "respondent_id": pd.array([f"R{k}-{i}" for i in range(n_resp)], dtype="string"),
            "school_year": pd.array(np.full(n_resp, y), dtype="Int64"),
            "stakeholder_type": pd.array(
                rng.choice(["employer", "k12", "family", "learner"], n_resp), dtype="string"
            ),
        }
        for column in load_dictionary().file("stakeholder_survey").columns:
            if column.is_rating:  # the survey's items, in the dictionary's order
                survey[column.name] = pd.array(rng.integers(1, 6, n_resp), dtype="Int64")
        frames.setdefault("stakeholder_survey", []).append(pd.DataFrame(survey))
    out = {name: pd.concat(parts, ignore_index=True) for name, parts in frames.items()}
    out["pathways"] = pathways
    return out


def history_from_frames(
    frames: dict[str, pd.DataFrame], year: int, partnership_id: str = "synthetic"
) -> History:
    """A History as load_history would give it for ``year`` (rows of years <= year; filled columns of year)."""
    from pathways.indicators.base import YEAR_COLUMN

    stacked, submitted, years = {}, {}, set()
    for name, frame in frames.items():
        column = YEAR_COLUMN.get(name)
        if column is None:
            stacked[name] = frame
            submitted[name] = {c for c in frame.columns if frame[c].notna().any()}
            continue
        part = frame[(frame[column] <= year).fillna(False).to_numpy(dtype=bool)].reset_index(drop=True)
        if part.empty:
            continue
        stacked[name] = part
        years |= {int(v) for v in part[column].dropna().unique()}
        now = part[(part[column] == year).fillna(False).to_numpy(dtype=bool)]
        if not now.empty:
            submitted[name] = {c for c in now.columns if now[c].notna().any()}
    return History(partnership_id, year, sorted(years), stacked, submitted)


def write_submission(frames: dict[str, pd.DataFrame], data_dir: Path, partnership_id: str) -> None:
    """Write the frames as contract CSV files, one folder per year."""
    from pathways.indicators.base import YEAR_COLUMN

    years = sorted({int(v) for v in frames["learners"]["school_year"].dropna().unique()})
    for y in years:
        folder = Path(data_dir) / partnership_id / str(y)
        folder.mkdir(parents=True, exist_ok=True)
        for name, frame in frames.items():
            column = YEAR_COLUMN.get(name)
            part = frame if column is None else frame[(frame[column] == y).fillna(False).to_numpy(dtype=bool)]
            if part.empty:
                continue
            text = part.copy()
            for c in text.columns:
                if str(text[c].dtype) == "boolean":
                    text[c] = (
                        text[c].map({True: "true", False: "false"}).astype(object).where(text[c].notna(), "")
                    )
                elif str(text[c].dtype).startswith("datetime"):
                    text[c] = text[c].dt.strftime("%Y-%m-%d")
            text.to_csv(folder / f"{name}.csv", index=False, na_rep="")
