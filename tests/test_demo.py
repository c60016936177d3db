"""The synthetic demo data: complete, valid against the contract, reproducible, with its built-in effects."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from pathways.dictionary import load_dictionary
from pathways.submission import coerce, read_raw

YEARS = list(range(2019, 2025))
PARTNERSHIPS = ["denver", "aurora", "san-luis-valley"]
PREFIX = {"denver": "DEN", "aurora": "AUR", "san-luis-valley": "SLV"}
SSN = re.compile(r"^\d{3}-?\d{2}-?\d{4}$")
# postsecondary.csv and employment.csv may only hold learners of an earlier year's learners.csv,
# so the first year written cannot have them (the contract leaves an empty file out).
NEEDS_EARLIER_YEAR = {"postsecondary", "employment"}


@pytest.fixture(scope="module")
def small(tmp_path_factory, registry) -> tuple[Path, list[Path]]:
    from pathways.demo import write_demo_data

    data = tmp_path_factory.mktemp("demo")
    return data, write_demo_data(data, registry, seed=5, scale=0.1)


@pytest.fixture(scope="module")
def frames(small) -> dict[tuple[str, int, str], pd.DataFrame]:
    """Every written file, read and typed by the project's own reader."""
    data, _ = small
    out = {}
    for pid in PARTNERSHIPS:
        for year in YEARS:
            for name, spec in load_dictionary().files.items():
                path = data / pid / str(year) / spec.filename
                if path.is_file():
                    out[(pid, year, name)] = coerce(read_raw(path, spec))
    return out


def _digests(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*.csv"))}


def test_every_contract_file_is_written_for_every_partnership_year(small):
    data, paths = small
    names = set(load_dictionary().files)
    for pid in PARTNERSHIPS:
        for year in YEARS:
            present = {p.stem for p in (data / pid / str(year)).glob("*.csv")}
            expected = names - NEEDS_EARLIER_YEAR if year == YEARS[0] else names
            assert present == expected, (pid, year, sorted(expected - present))
    assert sorted(paths) == sorted(data.rglob("*.csv"))


def test_headers_are_the_dictionary_columns_in_order(small):
    data, paths = small
    for path in paths:
        spec = load_dictionary().file(path.stem)
        header = path.read_text(encoding="utf-8").split("\n", 1)[0]
        assert header.split(",") == spec.column_names, path


def test_every_file_reads_and_keeps_types_and_ranges(frames):
    dictionary = load_dictionary()
    for (pid, year, name), frame in frames.items():
        spec = dictionary.file(name)
        assert len(frame) > 0
        for col in spec.columns:
            values = frame[col.name]
            if not col.nullable and col.required:
                assert values.notna().all(), (pid, year, name, col.name)
            present = values.dropna()
            if col.values:
                assert set(present) <= set(col.values), (pid, year, name, col.name)
            if col.min is not None:
                assert (present >= col.min).all(), (pid, year, name, col.name)
            if col.max is not None:
                assert (present <= col.max).all(), (pid, year, name, col.name)
            if col.pattern:
                assert present.str.fullmatch(col.pattern).all(), (pid, year, name, col.name)
            if col.year_rule == "folder":
                assert (present == year).all(), (pid, year, name, col.name)
        for key in [spec.unique] if spec.unique else []:
            assert not frame.duplicated(list(key)).any(), (pid, year, name, key)


def test_learner_ids_are_stable_pseudonyms_never_ssn_like(frames):
    for pid in PARTNERSHIPS:
        ids = pd.concat([frames[(pid, y, "learners")]["learner_id"] for y in YEARS])
        assert ids.str.fullmatch(rf"{PREFIX[pid]}-\d{{7}}").all()
        assert not ids.str.match(SSN).any()
        # a learner keeps sex and cohort across years
        stacked = pd.concat([frames[(pid, y, "learners")] for y in YEARS])
        assert (stacked.groupby("learner_id")[["sex", "cohort_year"]].nunique() == 1).all().all()


def test_grades_progress_one_per_year_and_cohort_follows_grade(frames):
    for pid in PARTNERSHIPS:
        stacked = pd.concat([frames[(pid, y, "learners")] for y in YEARS])
        regular = stacked[stacked["school_year"] <= stacked["cohort_year"]]
        assert (regular["cohort_year"] - regular["school_year"] == 12 - regular["grade_level"]).all()
        fifth = stacked[stacked["school_year"] > stacked["cohort_year"]]
        assert (fifth["grade_level"] == 12).all() and (fifth["school_year"] == fifth["cohort_year"] + 1).all()
        sixth = [int((frames[(pid, y, "learners")]["grade_level"] == 6).sum()) for y in YEARS]
        assert min(sixth) > 0  # a new 6th-grade class every year


def test_references_between_files_hold(frames):
    for pid in PARTNERSHIPS:
        seen: set[str] = set()
        for year in YEARS:
            learners = set(frames[(pid, year, "learners")]["learner_id"])
            pathways = set(frames[(pid, year, "pathways")]["pathway_id"])
            for name in ("cte_courses", "credentials", "work_based_learning", "early_postsecondary"):
                frame = frames[(pid, year, name)]
                assert frame["learner_id"].isin(learners).all(), (pid, year, name)
                assert frame["pathway_id"].dropna().isin(pathways).all() if "pathway_id" in frame else True
            outcomes = frames[(pid, year, "hs_outcomes")]
            assert outcomes["learner_id"].isin(seen | learners).all(), (pid, year)
            for name in NEEDS_EARLIER_YEAR:
                if (pid, year, name) in frames:
                    assert frames[(pid, year, name)]["learner_id"].isin(seen).all(), (pid, year, name)
            seen |= learners


def test_row_level_rules(frames):
    for (_pid, year, name), frame in frames.items():
        if name == "credentials":
            assert frame["earned_date"].between(pd.Timestamp(year - 1, 7, 1), pd.Timestamp(year, 6, 30)).all()
        if name == "early_postsecondary":
            assert (frame["credits_earned"] <= frame["credits_attempted"]).all()
        if name == "postsecondary":
            assert (frame["academic_year"] > frame["hs_graduation_year"]).all()
        if name == "employment":
            assert set(frame["quarter"]) <= {1, 2, 3, 4}


def test_content_covers_every_kind_and_small_groups(frames):
    wbl = pd.concat([frames[(p, y, "work_based_learning")] for p in PARTNERSHIPS for y in YEARS])
    assert {"mentorship", "job_shadow", "internship", "career_exploration_event"} <= set(wbl["wbl_type"])
    activity = pd.concat([frames[(p, y, "employer_activity")] for p in PARTNERSHIPS for y in YEARS])
    assert set(activity["activity"]) == set(load_dictionary().file("employer_activity").column("activity").values)
    survey = frames[("denver", 2024, "stakeholder_survey")]
    assert survey["respondent_id"].str.startswith("R-").all() and survey["overall_satisfaction"].isna().any()
    learners = pd.concat([frames[(p, 2024, "learners")] for p in PARTNERSHIPS])
    assert learners["is_economically_disadvantaged"].isna().any()
    assert {"nonbinary"} <= set(learners["sex"])
    assert {"native_hawaiian_pacific_islander", "american_indian_alaska_native"} <= set(learners["race_ethnicity"])
    for pid in PARTNERSHIPS:
        pathways = frames[(pid, 2024, "pathways")]
        assert 8 <= len(pathways) <= 14
        assert {"male", "female"} <= set(pathways["nontraditional_gender"])


def test_same_seed_gives_identical_bytes_and_another_seed_differs(tmp_path, registry):
    from pathways.demo import write_demo_data

    kwargs = {"scale": 0.05, "partnerships": ["san-luis-valley"], "years": [2023, 2024]}
    write_demo_data(tmp_path / "a", registry, seed=1, **kwargs)
    write_demo_data(tmp_path / "b", registry, seed=1, **kwargs)
    write_demo_data(tmp_path / "c", registry, seed=2, **kwargs)
    first = _digests(tmp_path / "a")
    assert first and first == _digests(tmp_path / "b")
    other = _digests(tmp_path / "c")
    assert first["san-luis-valley/2024/learners.csv"] != other["san-luis-valley/2024/learners.csv"]


def test_a_year_does_not_depend_on_which_other_years_are_written(tmp_path, small, registry):
    from pathways.demo import write_demo_data

    data, _ = small
    write_demo_data(tmp_path, registry, seed=5, scale=0.1, partnerships=["aurora"], years=[2023, 2024])
    # hs_outcomes, postsecondary and employment may only name learners of the written years, so they differ
    for name in ("learners.csv", "cte_courses.csv", "work_based_learning.csv", "credentials.csv",
                 "early_postsecondary.csv", "employer_activity.csv", "stakeholder_survey.csv"):
        assert (tmp_path / "aurora" / "2024" / name).read_bytes() == (data / "aurora" / "2024" / name).read_bytes()


def test_sizes_scale(frames, tmp_path, registry):
    from pathways.demo import write_demo_data

    counts = {pid: len(frames[(pid, 2024, "learners")]) for pid in PARTNERSHIPS}
    assert 1200 <= counts["denver"] <= 1800 and 650 <= counts["aurora"] <= 1000 and 100 <= counts["san-luis-valley"] <= 200
    write_demo_data(tmp_path, registry, seed=5, scale=0.3, partnerships=["aurora"], years=[2024])
    larger = (tmp_path / "aurora" / "2024" / "learners.csv").read_text(encoding="utf-8").count("\n") - 1
    assert larger == pytest.approx(3 * counts["aurora"], rel=0.1)


def test_only_demo_partnerships_are_written(tmp_path, registry):
    from pathways.demo import DemoDataError, write_demo_data
    from pathways.registry import Registry

    real = registry.partnerships[0].model_copy(update={"is_demo": False, "id": "real-one"})
    mixed = Registry(partnerships=(*registry.partnerships, real))
    with pytest.raises(DemoDataError):
        write_demo_data(tmp_path, mixed, partnerships=["real-one"], scale=0.05)
    paths = write_demo_data(tmp_path, mixed, scale=0.02, years=[2024])
    assert not (tmp_path / "real-one").exists() and paths


def _odds_data(data: Path, pid: str, cohorts: list[int]) -> pd.DataFrame:
    """Cohort members with their completed CTE courses, mentorship and demographics, read from the files."""
    from pathways.submission import load_history

    h = load_history(data, pid, max(cohorts))
    outcomes = h.frame("hs_outcomes")
    members = outcomes[outcomes["cohort_year"].isin(cohorts)
                       & ~outcomes["exit_type"].isin(["transferred_out", "deceased"])].copy()
    members["graduated"] = members["exit_type"].str.startswith("graduated").astype(float)
    cte = h.frame("cte_courses")
    courses = cte[cte["is_completed"].fillna(False)].groupby("learner_id").size()
    members["courses"] = members["learner_id"].map(courses).fillna(0).to_numpy()
    wbl = h.frame("work_based_learning")
    mentored = wbl[(wbl["wbl_type"] == "mentorship") & wbl["is_completed"].fillna(False)]["learner_id"]
    members["mentorship"] = members["learner_id"].isin(set(mentored)).astype(float)
    latest = h.frame("learners").sort_values("school_year").drop_duplicates("learner_id", keep="last")
    return members.merge(latest.drop(columns=["cohort_year"]), on="learner_id", how="left")


@pytest.mark.slow
def test_logistic_regression_recovers_the_built_in_odds_ratios(tmp_path, registry):
    """Cohorts 2022-2024 have all four high-school years on file, so their course counts are complete."""
    import statsmodels.api as sm

    from pathways.demo import TRUE_GRADUATION_ODDS_RATIOS, write_demo_data

    write_demo_data(tmp_path, registry, seed=2024, scale=1.0, partnerships=["denver"])
    d = _odds_data(tmp_path, "denver", [2022, 2023, 2024])
    x = pd.DataFrame({
        "const": 1.0,
        "2-4 courses": d["courses"].between(2, 4).astype(float),
        "5+ courses": (d["courses"] >= 5).astype(float),
        "mentorship": d["mentorship"],
    })
    for col, reference in (("sex", "female"), ("race_ethnicity", "white")):
        dummies = pd.get_dummies(d[col].astype(str), prefix=col, dtype=float)
        x = x.join(dummies.drop(columns=f"{col}_{reference}"))
    for col in ("is_economically_disadvantaged", "is_english_learner", "has_disability"):
        flag = d[col].astype("object").map({True: "yes", False: "no"}).fillna("unknown")
        x = x.join(pd.get_dummies(flag, prefix=col, dtype=float).drop(columns=f"{col}_no"))
    fit = sm.Logit(d["graduated"].to_numpy(), x.to_numpy()).fit(disp=0)
    params = pd.Series(np.exp(fit.params), index=x.columns)
    ci = pd.DataFrame(np.exp(fit.conf_int()), index=x.columns)
    for term, truth in TRUE_GRADUATION_ODDS_RATIOS.items():
        estimate = params[term]
        assert ci.loc[term, 0] <= truth <= ci.loc[term, 1] or abs(estimate / truth - 1) <= 0.35, (term, estimate)
    assert params["is_economically_disadvantaged_yes"] < 1
