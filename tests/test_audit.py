"""The disclosure audit fails on what must never be published, checked against the inputs."""

from __future__ import annotations

from pathlib import Path

import pytest

from pathways.audit import audit_version
from pathways.registry import load_registry

LEARNERS = """learner_id,school_year,school_id,grade_level,cohort_year,sex,race_ethnicity,is_economically_disadvantaged,is_english_learner,has_disability
{rows}"""


@pytest.fixture()
def inputs(tmp_path, repo) -> tuple[Path, object]:
    """30 learners in grades 9-12 of which 4 are Asian; 2 survey respondents."""
    rows = []
    for i in range(30):
        race = "asian" if i < 4 else "white"
        rows.append(f"SLV-{i:07d},2024,S1,10,2027,female,{race},false,false,false")
    folder = tmp_path / "data" / "san-luis-valley" / "2024"
    folder.mkdir(parents=True)
    (folder / "learners.csv").write_text(LEARNERS.format(rows="\n".join(rows)) + "\n", encoding="utf-8")
    (folder / "stakeholder_survey.csv").write_text(
        "respondent_id,school_year,stakeholder_type\nR-77001,2024,employer\n", encoding="utf-8")
    return tmp_path / "data", load_registry(repo / "partnerships.yml")


def _version_with_export(tmp_path: Path, rows: list[str]) -> Path:
    """A version folder whose only export holds ``rows`` under the export's leading columns."""
    version = tmp_path / "v"
    (version / "exports").mkdir(parents=True)
    head = "partnership_id,school_year,indicator_id,measure,group_type,group_value,numerator,denominator,value"
    (version / "exports" / "x.csv").write_text("\n".join([head, *rows]) + "\n", encoding="utf-8")
    return version


def test_a_clean_version_passes(inputs, tmp_path):
    data, registry = inputs
    version = _version_with_export(tmp_path, [
        "san-luis-valley,2024,cte_participation,rate,all,all,12,30,0.4",
        "san-luis-valley,2024,cte_participation,rate,race_ethnicity,asian,,,",
    ])
    (version / "index.html").write_text("<p>30 learners</p>", encoding="utf-8")
    assert audit_version(version, data_dir=data, registry=registry) == []


def test_finds_learner_and_respondent_ids_without_quoting_them(inputs, tmp_path):
    data, registry = inputs
    version = tmp_path / "v"
    version.mkdir()
    (version / "page.html").write_text("<td>SLV-0000003</td>", encoding="utf-8")
    (version / "survey.json").write_text('{"who": "R-77001"}', encoding="utf-8")
    findings = audit_version(version, data_dir=data, registry=registry)
    assert any("page.html" in f and "learner_id" in f for f in findings)
    assert any("survey.json" in f and "respondent_id" in f for f in findings)
    assert not any("SLV-0000003" in f or "R-77001" in f for f in findings)


def test_finds_a_number_for_a_group_small_in_the_inputs_even_if_the_row_claims_otherwise(inputs, tmp_path):
    data, registry = inputs
    # the engine's own flags are not trusted: a row for 4 Asian learners shows a rate over a
    # made-up denominator of 40, and another row shows a numerator of 3
    version = _version_with_export(tmp_path, [
        "san-luis-valley,2024,cte_participation,rate,race_ethnicity,asian,20,40,0.5",
        "san-luis-valley,2024,credential_attainment,rate,sex,female,3,30,0.1",
    ])
    findings = audit_version(version, data_dir=data, registry=registry)
    assert any("race_ethnicity=asian" in f and "fewer than 10" in f for f in findings)
    assert any("numerator is below 10" in f for f in findings)


def test_reads_the_text_of_pdfs(inputs, tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    data, registry = inputs
    version = tmp_path / "v"
    version.mkdir()
    fig = plt.figure()
    fig.text(0.1, 0.5, "Learner SLV-0000003 earned a credential")
    fig.savefig(version / "report.pdf", format="pdf")
    plt.close(fig)
    findings = audit_version(version, data_dir=data, registry=registry)
    assert any("report.pdf" in f and "learner_id" in f for f in findings)
