"""The disclosure audit fails on what must never be published, checked against the inputs."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest

from conftest import synthetic_registry
from pathways.book.audit import audit_version
from pathways.io.registry import load_registry

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
        "respondent_id,school_year,stakeholder_type\nR-77001,2024,employer\n", encoding="utf-8"
    )
    return tmp_path / "data", load_registry(repo / "partnerships.yml")


def _version_with_export(tmp_path: Path, rows: list[str]) -> Path:
    """A version folder whose only export holds ``rows`` under the export's leading columns."""
    version = tmp_path / "v"
    (version / "exports").mkdir(parents=True)
    head = (
        "partnership_id,school_year,indicator_id,measure,group_type,group_value,numerator,denominator,value"
    )
    (version / "exports" / "x.csv").write_text("\n".join([head, *rows]) + "\n", encoding="utf-8")
    return version


def test_a_clean_version_passes(inputs, tmp_path):
    data, registry = inputs
    version = _version_with_export(
        tmp_path,
        [
            "san-luis-valley,2024,cte_participation,rate,all,all,12,30,0.4",
            "san-luis-valley,2024,cte_participation,rate,race_ethnicity,asian,,,",
        ],
    )
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
    version = _version_with_export(
        tmp_path,
        [
            "san-luis-valley,2024,cte_participation,rate,race_ethnicity,asian,20,40,0.5",
            "san-luis-valley,2024,credential_attainment,rate,sex,female,3,30,0.1",
        ],
    )
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


def test_a_pdf_that_cannot_be_read_is_a_finding_not_a_pass(inputs, tmp_path):
    data, registry = inputs
    version = tmp_path / "v"
    version.mkdir()
    (version / "report.pdf").write_bytes(b"%PDF-1.7 cut short by a full disk")
    findings = audit_version(version, data_dir=data, registry=registry)
    assert findings == ["report.pdf: not a readable PDF, so it could not be checked; print it again"]


# ------------------------------------------------------------------ ids in context
@pytest.fixture()
def word_ids(tmp_path, repo) -> tuple[Path, object]:
    """Learners whose ids include ordinary words ("the", "and") and a number-like "2024"."""
    rows = [
        f"{lid},2024,S1,10,2027,female,white,false,false,false"
        for lid in ["the", "and", "2024", *(f"SLV-{i:07d}" for i in range(30))]
    ]
    folder = tmp_path / "data" / "san-luis-valley" / "2024"
    folder.mkdir(parents=True)
    (folder / "learners.csv").write_text(LEARNERS.format(rows="\n".join(rows)) + "\n", encoding="utf-8")
    return tmp_path / "data", load_registry(repo / "partnerships.yml")


def test_an_id_that_is_an_ordinary_word_does_not_block_page_text(word_ids, tmp_path):
    data, registry = word_ids
    version = tmp_path / "v"
    version.mkdir()
    (version / "page.html").write_text(
        "<p>In 2024 the share of learners and the rate rose.</p>"
        '<img alt="Bar chart: the rate by group. Female: 50.0%; Male: 40.0%.">'
        "<table><tr><td>Female</td><td>50.0%</td></tr></table>",
        encoding="utf-8",
    )
    (version / "notes.md").write_text("The learners and the employers, 2024.\n", encoding="utf-8")
    assert audit_version(version, data_dir=data, registry=registry) == []


@pytest.mark.parametrize(
    ("name", "text", "place"),
    [
        (
            "page.html",
            "<p>intro</p>\n<table><tr><td> the </td><td>50%</td></tr></table>",
            "line 2, a table cell",
        ),
        (
            "page.html",
            '<p>x</p>\n\n<img alt="Dot chart: learners. and: 50%; Female: 40%">',
            "line 3, alt text",
        ),
        ("table.csv", "learner,value\nFemale,3\nthe,4\n", "row 3"),
        ("data.json", '{"rows": [{"id": "2024"}]}', "a value"),
        ("page.html", "<p>A learner: SLV-0000004 earned it.</p>", "line 1"),
    ],
)
def test_a_real_leak_is_found_where_ids_are_shown(word_ids, tmp_path, name, text, place):
    data, registry = word_ids
    version = tmp_path / "v"
    version.mkdir()
    (version / name).write_text(text, encoding="utf-8")
    findings = audit_version(version, data_dir=data, registry=registry)
    assert findings == [f"{name}, {place}: contains 1 learner_id value(s) of the inputs"]


def test_ids_in_embedded_downloads_and_figures_are_found(word_ids, tmp_path):
    import base64

    data, registry = word_ids
    version = tmp_path / "v"
    version.mkdir()
    csv_link = base64.b64encode(b"label,value\nSLV-0000007,1\n").decode()
    svg = base64.b64encode(b'<svg><text x="1">the</text></svg>').decode()
    (version / "page.html").write_text(
        f'<p>x</p>\n<img src="data:image/svg+xml;base64,{svg}" alt="Chart">\n'
        f'<a download="figure-1-x.csv" href="data:text/csv;base64,{csv_link}">Download the data (CSV)</a>',
        encoding="utf-8",
    )
    findings = audit_version(version, data_dir=data, registry=registry)
    assert (
        "page.html, line 3, download 'figure-1-x.csv', row 2: contains 1 learner_id value(s) of the inputs"
        in findings
    )
    assert (
        "page.html, line 2, figure image 1, a chart label: contains 1 learner_id value(s) of the inputs"
        in findings
    )
    assert not any("SLV-0000007" in f for f in findings)


# ------------------------------------------------------------------ rule 4 from the inputs
@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """A synthetic partnership's 2024 export, published as a version with the export and a page
    whose figure embeds the rows of one breakdown as a CSV download."""
    from pathways.book.audit import _true_cells
    from pathways.indicators import compute_export
    from pathways.indicators.synthetic import make_frames, write_submission
    from pathways.io.export import write_export

    root = tmp_path_factory.mktemp("rule4")
    data = root / "data"
    write_submission(make_frames(700, years=range(2023, 2025), seed=12), data, "syn")
    registry = synthetic_registry(2023)
    export = compute_export(data, registry, "syn", 2024)
    # the engine's cells with the linked tables' empty group rows, row for row as the export
    truth = _true_cells(data, registry, "syn", {2023, 2024})[2024]
    assert list(truth["group_value"]) == list(export["group_value"])
    out = io.StringIO()
    write_export(export, out, "csv")
    return {
        "data": data,
        "registry": registry,
        "export": export,
        "truth": truth,
        "csv": out.getvalue(),
        "root": root,
    }


def _publish(root: Path, name: str, export_csv: str, page_csv: str | None = None) -> Path:
    import base64

    version = root / name
    (version / "exports").mkdir(parents=True)
    (version / "exports" / "syn-2024.csv").write_text(export_csv, encoding="utf-8")
    if page_csv is not None:
        link = base64.b64encode(page_csv.encode()).decode()
        (version / "report.html").write_text(
            f'<h1>Report</h1>\n<figure><a class="pw-download" download="figure-2-groups.csv" '
            f'href="data:text/csv;base64,{link}">Download the data (CSV)</a></figure>\n',
            encoding="utf-8",
        )
    return version


def _unhide(frame: pd.DataFrame, truth: pd.DataFrame, idx: int) -> pd.DataFrame:
    """The frame with row ``idx`` shown exactly, with its true numbers (a planted leak)."""
    out = frame.copy()
    for col in ("numerator", "denominator", "value", "ci_low", "ci_high"):
        out.loc[idx, col] = truth.loc[idx, col]
    out.loc[idx, ["suppressed", "shown_as", "suppression_reason"]] = [False, "exact", None]
    return out


def _csv(frame: pd.DataFrame) -> str:
    from pathways.io.export import write_export

    out = io.StringIO()
    write_export(frame, out, "csv")
    return out.getvalue()


def test_the_published_version_passes(published):
    version = _publish(published["root"], "clean", published["csv"])
    assert audit_version(version, data_dir=published["data"], registry=published["registry"]) == []


def test_every_complementary_cell_shown_again_is_caught(published):
    """Each complementary cell protects a small one: show any of them and the audit names the breakdown."""
    from pathways.indicators.suppression import COMPLEMENTARY

    export, truth = published["export"], published["truth"]
    complementary = export.index[export.suppression_reason == COMPLEMENTARY]
    assert len(complementary) >= 5
    for k, idx in enumerate(complementary):
        r = export.loc[idx]
        version = _publish(published["root"], f"planted-{k}", _csv(_unhide(export, truth, idx)))
        findings = audit_version(version, data_dir=published["data"], registry=published["registry"])
        # its own breakdown, or (a cell hidden in every table of the same learners) theirs together
        breakdown = f"{r.indicator_id} ({r.measure}) by {r.group_type} of syn 2024: the hidden"
        together = f" by {r.group_type} of syn 2024 count the same learners: the denominators hidden"
        assert any(
            f.startswith("exports/syn-2024.csv (rows ")
            and (breakdown in f or (together in f and r.indicator_id in f.split(": ")[-2]))
            for f in findings
        ), (r, findings)
        hidden = truth.loc[idx]
        assert not any(f"{hidden.numerator:g}" in f.split(":")[-1] for f in findings)  # no number quoted


def test_a_cell_shown_only_in_an_embedded_download_is_caught(published):
    """The export hides the cell; a figure's download shows it: together they give a small cell away."""
    from pathways.indicators.suppression import COMPLEMENTARY

    export, truth = published["export"], published["truth"]
    idx = export.index[export.suppression_reason == COMPLEMENTARY][0]
    r = export.loc[idx]
    figure = _unhide(export, truth, idx)
    figure = figure[(figure.indicator_id == r.indicator_id) & (figure.group_type == r.group_type)]
    version = _publish(published["root"], "embedded", published["csv"], _csv(figure))
    findings = audit_version(version, data_dir=published["data"], registry=published["registry"])
    assert findings, "the planted download was not caught"
    assert any(
        "report.html, line 2, download 'figure-2-groups.csv' (rows " in f
        and f"{r.indicator_id} ({r.measure}) by {r.group_type}" in f
        for f in findings
    ), findings
    # the same figure without the planted cell is fine
    clean = export[(export.indicator_id == r.indicator_id) & (export.group_type == r.group_type)]
    version = _publish(published["root"], "embedded-clean", published["csv"], _csv(clean))
    assert audit_version(version, data_dir=published["data"], registry=published["registry"]) == []


def test_a_coded_rate_with_its_numerator_or_a_suppressed_row_with_a_number_is_caught(published):
    export, truth = published["export"], published["truth"]
    coded = export.index[export.shown_as.isin(["at_least", "at_most"])][0]
    suppressed = export.index[export.shown_as == "suppressed"][0]
    planted = export.copy()
    planted.loc[coded, "numerator"] = truth.loc[coded, "numerator"]
    planted.loc[suppressed, "gap_pp"] = -3.5
    version = _publish(published["root"], "coded", _csv(planted))
    findings = audit_version(version, data_dir=published["data"], registry=published["registry"])
    row_coded, row_suppressed = coded + 2, suppressed + 2  # header, then 1-based rows
    assert (
        f"exports/syn-2024.csv, row {row_coded}: a coded row shows more than its denominator and bound "
        "(numerator)" in findings
    )
    assert f"exports/syn-2024.csv, row {row_suppressed}: a suppressed row shows a number (gap_pp)" in findings


def test_a_bound_that_reveals_a_small_count_is_caught(published):
    export = published["export"]
    idx = export.index[export.shown_as == "at_least"][0]
    planted = export.copy()
    planted.loc[idx, "bound"] = 1 - 5 / planted.loc[idx, "denominator"]  # leaves only 5 learners open
    version = _publish(published["root"], "bound", _csv(planted))
    findings = audit_version(version, data_dir=published["data"], registry=published["registry"])
    assert f"exports/syn-2024.csv, row {idx + 2}: the bound implies a count below 10" in findings


def test_rows_without_inputs_to_check_them_against_are_a_finding(inputs, tmp_path):
    data, registry = inputs
    version = _version_with_export(
        tmp_path, ["san-luis-valley,2023,cte_participation,rate,all,all,12,30,0.4"]
    )
    findings = audit_version(version, data_dir=data, registry=registry)
    assert findings == [
        "exports/x.csv (row 2): rows of san-luis-valley 2023 cannot be checked against the inputs "
        "(no readable submission of san-luis-valley for 2023 under the data folder)"
    ]


def test_a_denominator_that_gives_a_hidden_numerator_away_is_caught(tmp_path, monkeypatch):
    """Rule 4 across tables and years. The engine's exports of 2023 and 2024 pass; without its
    cross-table step (:func:`pathways.indicators.suppression._shared_counts`) the same partnership
    shows participants in high-demand pathways, graduating concentrators and last year's graduates
    as denominators that give hidden numerators away, and the audit names each of them. (A
    partnership of 1,000 learners whose data has all three.)"""
    from pathways.indicators import compute_export, suppression
    from pathways.indicators.cache import CACHE_ENV
    from pathways.indicators.synthetic import make_frames, write_submission

    monkeypatch.delenv(CACHE_ENV, raising=False)  # each version computes its own rows
    data, registry = tmp_path / "data", synthetic_registry(2023)
    write_submission(make_frames(1000, years=range(2023, 2025), seed=23), data, "syn")

    def version(name: str) -> Path:
        folder = tmp_path / name
        (folder / "exports").mkdir(parents=True)
        for year in (2023, 2024):
            rows = compute_export(data, registry, "syn", year)
            (folder / "exports" / f"syn-{year}.csv").write_text(_csv(rows), encoding="utf-8")
        return folder

    assert audit_version(version("shared-safe"), data_dir=data, registry=registry) == []
    monkeypatch.setattr(suppression, "_shared_counts", lambda *args, **kwargs: {})
    findings = audit_version(version("shared-leaky"), data_dir=data, registry=registry)
    for leak in (
        # same year: a coded participation rate and the high-demand denominator beside it
        "the denominator of high_demand_participation (race_ethnicity=unknown) of syn 2023 is "
        "the hidden numerator of cte_participation (race_ethnicity=unknown) of 2023",
        # the concentrators' graduation bound and the concentrator rates' denominator
        "the denominator of concentrator_credential_attainment (all=all) of syn 2023 is the hidden "
        "numerator of on_time_graduation (population=concentrators) of 2023",
        # 2024's placement counts 2023's graduates with disabilities, a bound in 2023
        "the denominator of placement (has_disability=true) of syn 2024 is the hidden numerator of "
        "on_time_graduation (has_disability=true) of 2023",
        # ... and with them, subtraction in 2023's graduation table by disability gives a cell away
        "on_time_graduation (rate) by has_disability of syn 2023: the hidden numerators",
    ):
        assert any(leak in f for f in findings), (leak, findings)


def test_tables_whose_denominators_count_the_same_learners_are_checked_together(tmp_path, monkeypatch):
    """Rule 4 across the tables of one population. The engine's export passes; without its step that
    ties those tables (:func:`pathways.indicators.suppression._shared_denominators`) each rate of the
    learners 9-12, and each rate of the graduating concentrators, hides its own complementary cell,
    and what they show together adds up to a small group: the audit, which reads only the published
    tables and the inputs, names both breakdowns."""
    from pathways.indicators import compute_export, suppression
    from pathways.indicators.cache import CACHE_ENV
    from pathways.indicators.synthetic import make_frames, write_submission

    monkeypatch.delenv(CACHE_ENV, raising=False)
    data, registry = tmp_path / "data", synthetic_registry(2023)
    write_submission(make_frames(700, years=range(2023, 2025), seed=4), data, "syn")

    def audit(name: str) -> list[str]:
        export = _csv(compute_export(data, registry, "syn", 2024))
        return audit_version(_publish(tmp_path, name, export), data_dir=data, registry=registry)

    assert audit("tied") == []
    monkeypatch.setattr(suppression, "_shared_denominators", lambda *args, **kwargs: {})
    findings = audit("untied")
    for population in (
        "cte_participation, cte_concentration, icap_completion, credential_attainment, wbl_participation, "
        "early_postsecondary_credit by ",
        "concentrator_credential_attainment, concentrator_wbl, concentrator_postsecondary_credit by ",
    ):
        assert any(population in f and "count the same learners" in f for f in findings), (
            population,
            findings,
        )


def test_a_missing_row_of_an_empty_group_is_caught(published):
    """A linked table's empty group (its denominator counts another figure's learners: last year's
    graduates, CTE participants) has a row, hidden; an export without it says that the other
    figure's hidden count is 0, and the audit names the table and the group."""
    export, truth = published["export"], published["truth"]
    empty = truth.index[(truth.denominator == 0) & (truth.group_type != "all")]
    assert len(empty) >= 3 and export.loc[empty, "suppressed"].all()
    for k, idx in enumerate(empty):
        r = export.loc[idx]
        version = _publish(published["root"], f"dropped-{k}", _csv(export.drop(index=idx)))
        findings = audit_version(version, data_dir=published["data"], registry=published["registry"])
        assert any(
            f"{r.indicator_id} ({r.measure}) by {r.group_type} of syn 2024 has no row for {r.group_value}"
            in f
            for f in findings
        ), (r.indicator_id, r.group_type, findings)


@pytest.mark.parametrize(
    ("model_n", "shown", "found"), [(296, True, True), (290, True, False), (296, False, False)]
)
def test_the_odds_models_n_beside_its_cohort_is_checked(model_n, shown, found):
    """The odds model's n shown with its cohort's size (on-time graduation's denominator): a
    difference of 1..N-1 counts the learners left out of the model."""
    from pathways.book.audit import Known, _model_size_findings

    truth = pd.DataFrame(
        [
            {
                "indicator_id": "on_time_graduation",
                "measure": "rate",
                "group_type": "all",
                "status": "ok",
                "denominator": 300.0,
                "value": 0.9,
            },
            {
                "indicator_id": "graduation_odds_by_cte",
                "measure": "learners",
                "group_type": "all",
                "status": "ok",
                "denominator": float("nan"),
                "value": float(model_n),
            },
        ]
    )
    known = {
        ("syn", 2024, "on_time_graduation", "rate", "all", "all"): Known(
            denominator=True, places=[("e.csv", 2)]
        ),
        ("syn", 2024, "graduation_odds_by_cte", "learners", "all", "all"): Known(
            value=shown, places=[("e.csv", 9)]
        ),
    }
    findings = _model_size_findings("syn", 2024, truth, known, 10)
    assert bool(findings) == found
    if found:
        assert findings[0].startswith("e.csv (rows 2-9): the learners of graduation_odds_by_cte")
