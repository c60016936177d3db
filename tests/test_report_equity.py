"""What every rendered report shows of hidden, coded and gap rows (indicators.md rules 3-5; issue 13).

The report, the brief and the overview notebooks run here (tests/notebook_harness.py) on the
small demo's contexts, with numbers planted in every suppressed or coded row of the export:
if any sentence, table, chart, alt text or CSV download read a hidden cell, a planted number
would show.
"""

from __future__ import annotations

import dataclasses
import re

import numpy as np
import pandas as pd
import pytest

import notebook_harness
from pathways import report
from pathways.report import cells, render

PARTNERSHIPS = ("denver", "aurora", "san-luis-valley")
# Numbers no real figure of the demo reads, as a report would write them and as its CSVs would.
PLANTED = {
    "numerator": 987654,
    "value": 13.579,
    "ci_low": 12.3456,
    "ci_high": 14.2468,
    "gap_pp": 777.7,
    "gap_moe_pp": 55.55,
    "baseline_value": 11.11,
    "baseline_numerator": 876543,
    "prior_numerator": 765432,
    "numerator_change_from_baseline_pct": 5555.0,
    "numerator_change_from_prior_pct": 4545.0,
    "change_from_baseline_pp": 666.6,
    "change_from_prior_pp": 616.6,
    "change_from_baseline_pct": 6666.0,
    "gap_baseline_pp": 737.3,
    "gap_change_pp": 646.4,
    "gap_change_moe_pp": 93.93,
    "goal_current": 4444.0,
}
HIDDEN_ONLY = {"denominator": 97531}  # a suppressed row hides its size too; a coded one shows it
MARKS = (
    "987,654",
    "987654",
    "1357.9",
    "13.579",
    "1234.6",
    "12.3456",
    "1424.7",
    "777.7",
    "55.55",
    "1111.0",
    "11.11",
    "876,543",
    "765,432",
    "5555",
    "4545",
    "666.6",
    "616.6",
    "6666",
    "737.3",
    "646.4",
    "93.93",
    "4444",
    "97,531",
    "97531",
    "PLANTED",
)


@pytest.fixture(scope="module")
def contexts(demo_data_small, repo, tmp_path_factory):
    out = tmp_path_factory.mktemp("contexts")
    return {
        p: report.open_report(p, 2024, demo_data_small, repo / "partnerships.yml", out / p)
        for p in PARTNERSHIPS
    }


def _plant(export: pd.DataFrame) -> pd.DataFrame:
    e = export.copy()
    st = cells.states(e)
    hidden, coded = st == "suppressed", np.isin(st, cells.CODED)
    for col, value in PLANTED.items():
        e.loc[hidden | coded, col] = value
    for col, value in HIDDEN_ONLY.items():
        e.loc[hidden, col] = value
    e.loc[hidden | coded, "note"] = "PLANTED note 4242"
    e.loc[hidden | coded, "change_label"] = "PLANTED label"
    e.loc[hidden | coded, "is_gap"] = True
    e.loc[hidden | coded, "gap_trend"] = "narrowing"
    return e


def _edge(export: pd.DataFrame) -> pd.DataFrame:
    """Headline rows coded and hidden, a whole breakdown hidden, gaps with trends, a sector 'gap'."""
    e = export.copy()

    def at(indicator, group_type="all", group_value="all", measure="rate"):
        return (
            (e["indicator_id"] == indicator)
            & (e["group_type"] == group_type)
            & (e["group_value"] == group_value)
            & (e["measure"] == measure)
        )

    numbers = [
        "numerator",
        "value",
        "ci_low",
        "ci_high",
        "gap_pp",
        "gap_moe_pp",
        "baseline_value",
        "numerator_change_from_baseline_pct",
        "change_from_baseline_pp",
        "goal_current",
    ]
    coded = at("on_time_graduation")
    e.loc[coded, numbers] = np.nan
    e.loc[coded, ["shown_as", "bound", "suppressed"]] = ["at_least", 0.95, False]
    e.loc[coded, "suppression_reason"] = "fewer than 10 learners not counted in the rate"
    hidden = at("cte_participation") | (
        (e["indicator_id"] == "credential_attainment") & (e["group_type"] == "race_ethnicity")
    )
    e.loc[hidden, numbers + ["denominator"]] = np.nan
    e.loc[hidden, ["shown_as", "suppressed"]] = ["suppressed", True]
    e.loc[hidden, "suppression_reason"] = "fewer than 10 learners in the group"
    learners = (
        e["group_type"].isin(["is_english_learner", "has_disability"])
        & (e["group_value"] == "true")
        & (e["measure"] == "rate")
        & e["gap_pp"].notna()
        & (cells.states(e) == "exact")
    )
    e["gap_trend"] = pd.Series(pd.NA, index=e.index, dtype="string")  # only the four trends planted here
    first = e.index[learners][:4]
    e.loc[first[:2], ["gap_baseline_pp", "gap_trend", "gap_change_moe_pp"]] = [-20.0, "narrowing", 2.0]
    e.loc[first[2:], ["gap_baseline_pp", "gap_trend", "gap_change_moe_pp"]] = [0.5, "widening", 2.0]
    e.loc[first, "baseline_year"] = 2019
    sector = (e["group_type"] == "industry_sector") & (e["measure"] == "rate") & (cells.states(e) == "exact")
    e.loc[e.index[sector][:1], ["gap_pp", "gap_moe_pp", "is_gap"]] = [-90.0, 1.0, True]
    return e


def _marks(text: str) -> list[str]:
    """The planted numbers found as numbers of their own (not inside a longer number or a coordinate)."""
    return [m for m in MARKS if re.search(rf"(?<![\d.]){re.escape(m)}(?![\d])", text)]


def _render(repo, notebook: str, ctx, monkeypatch) -> str:
    def opened(*args, **kwargs):
        render.start_numbering(ctx.output_dir / "figures")
        return ctx

    monkeypatch.setattr(report, "open_report", opened)
    nb = notebook_harness.run(
        repo / "notebooks" / f"{notebook}.py",
        {
            "partnership": ctx.partnership.id,
            "year": ctx.year,
            "data_dir": None,
            "registry": None,
            "output_dir": None,
        },
    )
    return notebook_harness.texts(nb)


@pytest.mark.parametrize("notebook", ["partnership_report", "partnership_brief"])
@pytest.mark.parametrize("case", [*PARTNERSHIPS, "edge"])
def test_no_number_of_a_hidden_or_coded_cell_reaches_a_rendered_report(
    case, notebook, contexts, repo, monkeypatch, tmp_path
):
    ctx = contexts["denver" if case == "edge" else case]
    export = _edge(ctx.export) if case == "edge" else ctx.export
    clean = _render(
        repo, notebook, dataclasses.replace(ctx, export=export, output_dir=tmp_path / "a"), monkeypatch
    )
    assert not _marks(clean), "the marks must not occur in an honest report"
    planted = _render(
        repo,
        notebook,
        dataclasses.replace(ctx, export=_plant(export), output_dir=tmp_path / "b"),
        monkeypatch,
    )
    leaked = _marks(planted)
    assert not leaked, f"{notebook} of {case} shows numbers of hidden cells: {leaked}"


def test_coded_and_hidden_headline_rates_read_as_bound_and_reason(contexts, repo, monkeypatch, tmp_path):
    ctx = dataclasses.replace(
        contexts["denver"], export=_edge(contexts["denver"].export), output_dir=tmp_path
    )
    text = _render(repo, "partnership_report", ctx, monkeypatch)
    assert (
        "On-time graduation in 2024: at least 95% of" in text
        and "shown as ≥ 95%; the exact rate is not shown: fewer than 10 learners not counted in the rate"
        in text
    )
    assert "CTE participation in 2024: not shown (fewer than 10 learners in the group)." in text
    # the bound in the chart's alt text and in its breakdown table, never a blank or a zero
    assert "All learners: ≥ 95%" in text
    assert "≥ 95% (fewer than 10 learners not counted in the rate)" in text
    brief = _render(repo, "partnership_brief", ctx, monkeypatch)
    assert '<div class="pw-tile-number">≥ 95%</div>' in brief


def test_equity_sections_name_only_the_five_learner_breakdowns_and_gaps_published_in_both_years(
    contexts, repo, monkeypatch, tmp_path
):
    ctx = dataclasses.replace(
        contexts["denver"], export=_edge(contexts["denver"].export), output_dir=tmp_path
    )
    gaps = ctx.largest_gaps(most=100)
    assert set(gaps["group_type"]) <= {
        "race_ethnicity",
        "sex",
        "is_economically_disadvantaged",
        "is_english_learner",
        "has_disability",
    }
    assert "unknown" not in set(gaps["group_value"])
    assert (cells.states(gaps) == "exact").all()
    moves = ctx.gap_changes()
    assert list(moves["gap_trend"]) == ["narrowing", "narrowing", "widening", "widening"]
    text = _render(repo, "partnership_report", ctx, monkeypatch)
    assert "Of 4 gaps published both in 2019 and now, 2 narrowed, 2 widened" in text
    assert "Narrowed most:" in text and "Widened most:" in text
    assert "Arrow chart: Gaps that narrowed and widened most" in text
    sector = ctx.export[(ctx.export["group_type"] == "industry_sector") & (ctx.export["gap_pp"] == -90.0)]
    assert not sector.empty and "−90.0" not in text and "90.0 points below" not in text
