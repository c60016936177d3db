"""The engine recovers the effects the demo generator builds in on purpose (pathways.demo)."""

from __future__ import annotations

import csv

import pytest

from pathways import demo


@pytest.fixture(scope="module")
def denver(tmp_path_factory, registry):
    from pathways.indicators import compute_export, compute_series

    data = tmp_path_factory.mktemp("demo-denver")
    demo.write_demo_data(data, registry, seed=7, scale=1.0, partnerships=["denver"])
    series = compute_series(data, registry, "denver", 2024)
    return data, series, compute_export(data, registry, "denver", 2024, series=series)


def test_recovers_the_graduation_odds_ratios(denver):
    _, _, export = denver
    rows = export[(export.indicator_id == "graduation_odds_by_cte") & (export.group_type == "term")]
    for term, truth in demo.TRUE_GRADUATION_ODDS_RATIOS.items():
        r = rows[rows.group_value == term].iloc[0]
        assert r.status == "ok" and not r.suppressed
        assert r.ci_low < truth < r.ci_high, (term, r.value, r.ci_low, r.ci_high)


def test_flags_the_english_learner_and_disability_gaps(denver):
    _, _, export = denver
    part = export[(export.indicator_id == "cte_participation") & (export.group_value == "true")]
    for group in ("is_english_learner", "has_disability"):
        r = part[part.group_type == group].iloc[0]
        assert r.gap_pp < 0 and bool(r.is_gap), (group, r.gap_pp, r.gap_moe_pp)


def test_cte_participation_grows_toward_the_goal(denver):
    _, series, export = denver
    r = export[(export.indicator_id == "cte_participation") & (export.group_type == "all")].iloc[0]
    assert r.change_label.startswith("up ") and r.change_label.endswith("since 2019")
    assert 30 < r.goal_current < 100  # ~50% relative growth built in
    assert sorted(series.school_year.unique()) == list(range(2019, 2025))


def test_cte_participation_matches_an_independent_count(denver):
    data, _, export = denver
    folder = data / "denver" / "2024"
    with open(folder / "learners.csv", newline="", encoding="utf-8-sig") as fh:
        high_school = {r["learner_id"] for r in csv.DictReader(fh) if 9 <= int(r["grade_level"]) <= 12}
    with open(folder / "cte_courses.csv", newline="", encoding="utf-8-sig") as fh:
        completed = {
            r["learner_id"]
            for r in csv.DictReader(fh)
            if r["is_completed"].strip().lower() in ("true", "1", "yes", "y")
        }
    r = export[(export.indicator_id == "cte_participation") & (export.group_type == "all")].iloc[0]
    assert (r.numerator, r.denominator) == (len(high_school & completed), len(high_school))


def test_export_passes_the_disclosure_audit(denver, registry, tmp_path):
    """The audit that guards publishing (pathways.book.audit) finds no small cell in the engine's export."""
    import io

    from pathways.book.audit import _small_cell_findings, input_group_sizes
    from pathways.io.export import write_export

    data, series, export = denver
    sizes = input_group_sizes(data, registry)
    for table in (export, series):
        out = io.StringIO()
        write_export(table, out, "csv")
        assert _small_cell_findings("export.csv", out.getvalue(), sizes, registry.min_cell_size) == []


def test_small_demo_partnerships_pass_the_audit(demo_data_small, registry):
    """At a tenth of their size the demo partnerships have many small cells: none may be shown."""
    import io

    from pathways.book.audit import _small_cell_findings, input_group_sizes
    from pathways.indicators import compute_export, compute_series
    from pathways.io.export import write_export

    sizes = input_group_sizes(demo_data_small, registry)
    for pid in registry.ids:
        series = compute_series(demo_data_small, registry, pid, 2024)
        export = compute_export(demo_data_small, registry, pid, 2024, series=series)
        assert (export.status == "ok").any()
        for table in (export, series):
            out = io.StringIO()
            write_export(table, out, "csv")
            assert _small_cell_findings(f"{pid}.csv", out.getvalue(), sizes, registry.min_cell_size) == []


FOCAL = ("is_english_learner", "has_disability", "is_economically_disadvantaged")


def test_denver_shows_its_focal_groups(denver):
    """English learners, learners with disabilities and economically disadvantaged learners are
    never the cell hidden to protect another: Denver's groups are large enough to be shown."""
    from pathways.indicators.suppression import COMPLEMENTARY

    _, _, export = denver
    rates = export[
        (export.measure == "rate")
        & (export.status == "ok")
        & export.group_type.isin(FOCAL)
        & (export.group_value == "true")
    ]
    assert len(rates) >= 3 * 15
    assert not (rates.suppression_reason == COMPLEMENTARY).any()
    assert rates.shown_as.isin(["exact", "at_least", "at_most"]).mean() > 0.9


def test_no_suppressed_or_coded_row_carries_a_number(denver, demo_data_small, registry):
    """Every export and every year of the demo, at full size (Denver) and at a tenth."""
    from pathways.indicators import compute_export, compute_series
    from test_properties import assert_no_hidden_numbers

    _, series, export = denver
    tables = [export, series]
    for pid in registry.ids:
        small = compute_series(demo_data_small, registry, pid, 2024)
        tables += [small, compute_export(demo_data_small, registry, pid, 2024, series=small)]
    for table in tables:
        assert (table.shown_as.isin(["suppressed", "at_least", "at_most"])).any()
        assert_no_hidden_numbers(table, registry.min_cell_size)
        # gaps are about learners: never on sectors or years since graduation
        assert set(table[table.gap_pp.notna() | table.is_gap.notna()].group_type) <= {
            "sex",
            "race_ethnicity",
            *FOCAL,
        }
    odds = export[(export.indicator_id == "graduation_odds_by_cte") & export.suppressed]
    assert odds.note.isna().all()


def test_every_year_of_the_small_demo_passes_the_rule_4_audit(demo_data_small, registry, tmp_path):
    """Each year's export of each small demo partnership, published together and checked by the
    audit from the learner-level files: nothing hidden can be worked out by subtraction."""
    from pathways.book.audit import audit_version
    from pathways.indicators import compute_export, compute_series
    from pathways.io.export import write_export

    (tmp_path / "exports").mkdir()
    for pid in registry.ids:
        series = compute_series(demo_data_small, registry, pid, 2024)
        for year in sorted(series.school_year.unique()):
            export = compute_export(
                demo_data_small, registry, pid, int(year), series=series[series.school_year <= year]
            )
            with open(tmp_path / "exports" / f"{pid}-{year}.csv", "w", encoding="utf-8", newline="") as fh:
                write_export(export, fh, "csv")
    assert audit_version(tmp_path, data_dir=demo_data_small, registry=registry) == []


def test_a_row_hidden_for_another_table_has_that_table_hide_its_count(denver, demo_data_small, registry):
    """Every row hidden so that another figure's hidden count cannot be worked out has that figure
    hide it in the end, in every year of the demo at full size (Denver) and at a tenth: a row hidden
    on the way, whose other figure was shown again, is shown again too."""
    from pathways.indicators import compute_series
    from pathways.io.catalogue import load_catalogue

    catalogue = load_catalogue()
    series = [denver[1]] + [compute_series(demo_data_small, registry, pid, 2024) for pid in registry.ids]
    checked = 0
    for s in series:
        shown_as = {
            (r.school_year, r.indicator_id, r.measure, r.group_type, r.group_value): r.shown_as
            for r in s.itertuples()
        }
        linked = s[s.suppression_reason.fillna("").str.startswith("suppressed so that a count hidden in")]
        for r in linked.itertuples():
            link = catalogue.get(r.indicator_id).denominator_from
            if link.years_before == "cohort":
                continue  # the cohort is not a column of the export
            source = (r.school_year - link.years_before, link.indicator, link.measure)
            assert shown_as[(*source, *link.source_group(r.group_type, r.group_value))] != "exact", r
            checked += 1
    assert checked > 20
