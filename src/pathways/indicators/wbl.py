"""Work-based learning and employer engagement."""

from __future__ import annotations

import pandas as pd

from pathways.indicators.base import Ctx, _as_bool, row, status_row
from pathways.indicators.credentials import graduating_concentrators
from pathways.io.dictionary import load_dictionary

# Kinds of experience in the dictionary's order (a report lists them in it).
WBL_TYPES = load_dictionary().enum_values("wbl_type")


def _completed(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[_as_bool(frame["is_completed"])]


def wbl_participation(ctx: Ctx) -> list[dict]:
    done = _completed(ctx.this_year("work_based_learning"))
    return ctx.rate_rows(
        "wbl_participation",
        ctx.pop,
        ctx.pop & ctx.mask(done["lc"].to_numpy()),
        ctx.groups("wbl_participation"),
        empty_note=f"no learners in grades 9-12 in learners.csv of {ctx.year}",
    )


def wbl_by_type(ctx: Ctx) -> list[dict]:
    """Per kind: distinct learners (any grade) with a completed experience, and distinct employers hosting them.

    The employer count is derived from the learners: it is suppressed whenever the learner
    count of the same kind is (an employer count over three learners says who they are).
    """
    done = _completed(ctx.this_year("work_based_learning"))
    learners_all = done["lc"].nunique()
    rows = [
        row("wbl_by_type", "learners", learners_all, kind="count"),
        row(
            "wbl_by_type",
            "employers",
            done["employer_id"].dropna().nunique(),
            kind="derived",
            cell_n=learners_all,
            parent="learners",
        ),
    ]
    learners = done.groupby("wbl_type", observed=True)["lc"].nunique()
    employers = (
        done.dropna(subset=["employer_id"]).groupby("wbl_type", observed=True)["employer_id"].nunique()
    )
    order = [t for t in WBL_TYPES if t in learners.index] + sorted(set(learners.index) - set(WBL_TYPES))
    for t in order:
        n = int(learners.get(t, 0))
        rows.append(row("wbl_by_type", "learners", n, group_type="wbl_type", group_value=t, kind="count"))
        rows.append(
            row(
                "wbl_by_type",
                "employers",
                int(employers.get(t, 0)),
                group_type="wbl_type",
                group_value=t,
                kind="derived",
                cell_n=n,
                parent="learners",
            )
        )
    return rows


def concentrator_wbl(ctx: Ctx) -> list[dict]:
    den = graduating_concentrators(ctx)
    done = _completed(ctx.frames["work_based_learning"])  # every year so far: "in high school"
    return ctx.rate_rows(
        "concentrator_wbl",
        den,
        den & ctx.mask(done["lc"].to_numpy()),
        ctx.groups("concentrator_wbl"),
        empty_note=f"no graduating concentrators in cohort {ctx.year}",
    )


def teacher_externships(ctx: Ctx) -> list[dict]:
    act = ctx.other_this_year("employer_activity")
    ext = act[(act["activity"] == "teacher_externship").fillna(False).to_numpy(dtype=bool)]
    teachers = float(ext["participant_count"].fillna(0).sum())
    return [
        row("teacher_externships", "teachers", teachers, kind="count", noun="teachers"),
        row(
            "teacher_externships",
            "employers",
            ext["employer_id"].dropna().nunique(),
            kind="derived",
            noun="teachers",
            cell_n=teachers,
            parent="teachers",
        ),
    ]


def employer_engagement(ctx: Ctx) -> list[dict]:
    """Distinct employers in any experience or activity of the year; graduates hired; critical jobs filled.

    Either file is enough for the employer count; the hires and critical jobs come from
    employer_activity.csv only and read "not submitted" without it.
    """
    available = ctx.available
    ids = []
    if "work_based_learning" in available:
        ids.append(ctx.this_year("work_based_learning")["employer_id"].dropna().astype(str))
    act = ctx.other_this_year("employer_activity") if "employer_activity" in available else None
    if act is not None:
        ids.append(act["employer_id"].dropna().astype(str))
    employers = pd.concat(ids, ignore_index=True).nunique() if ids else 0
    rows = [row("employer_engagement", "employers", employers, kind="derived", noun="employers")]
    for activity in ("hire_of_graduate", "critical_job_filled"):
        measure = "hires_of_graduate" if activity == "hire_of_graduate" else activity
        if act is None:
            rows.append(
                status_row(
                    "employer_engagement",
                    "not_submitted",
                    f"employer_activity.csv was not submitted for {ctx.year}",
                    measure=measure,
                )
            )
            continue
        part = act[(act["activity"] == activity).fillna(False).to_numpy(dtype=bool)]
        rows.append(
            row(
                "employer_engagement",
                measure,
                float(part["participant_count"].fillna(0).sum()),
                kind="count",
                noun="people",
            )
        )
    return rows


INDICATORS = {
    "wbl_participation": wbl_participation,
    "wbl_by_type": wbl_by_type,
    "concentrator_wbl": concentrator_wbl,
    "teacher_externships": teacher_externships,
    "employer_engagement": employer_engagement,
}
