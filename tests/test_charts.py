"""The charts draw what the rows say: a bar per shown cell, a hatched bar to the bound of a coded
rate, a labelled gap per suppressed one; partner text never breaks a chart."""

from __future__ import annotations

import base64
import csv
import io
import os
import re
import subprocess
import sys

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.patches import Rectangle

from pathways.report import charts, render


def _group_rows() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "partnership_id": "p",
            "school_year": 2024,
            "indicator_id": "cte_participation",
            "measure": "rate",
            "group_type": ["sex", "sex", "sex", "race_ethnicity", "race_ethnicity", "industry_sector"],
            "group_value": ["female", "male", "nonbinary", "asian", "white", "healthcare"],
            "numerator": [40, 35, np.nan, 50, np.nan, 75],
            "denominator": [100, 100, np.nan, 100, 400, 100],
            "value": [0.40, 0.35, np.nan, 0.50, np.nan, 0.75],
            "ci_low": [0.36, 0.31, np.nan, 0.41, np.nan, 0.70],
            "ci_high": [0.44, 0.39, np.nan, 0.59, np.nan, 0.80],
            "suppressed": [False, False, True, False, False, False],
            "shown_as": ["exact", "exact", "suppressed", "exact", "at_least", "exact"],
            "bound": [np.nan, np.nan, np.nan, np.nan, 0.95, np.nan],
            "status": "ok",
            "suppression_reason": [
                None,
                None,
                "fewer than 10 learners counted in the rate",
                None,
                "fewer than 10 learners not counted in the rate",
                None,
            ],
        }
    )


def _bars(ax) -> list[Rectangle]:
    """Every bar drawn, zero-width ones included: a suppressed cell must get none."""
    return [p for p in ax.patches if isinstance(p, Rectangle)]


def _texts_at(ax, y: float) -> list[str]:
    return [t.get_text() for t in ax.texts if abs(t.get_position()[1] - y) < 1e-9]


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_group_bars_draw_shown_cells_bound_coded_ones_and_label_suppressed_ones_in_place():
    overall = pd.Series({"value": 0.41, "shown_as": "exact", "status": "ok", "suppressed": False})
    chart = charts.group_bars(_group_rows(), "CTE participation by group, 2024", overall=overall)
    ax = chart.figure.axes[0]
    ticks = dict(zip([t.get_text() for t in ax.get_yticklabels()], ax.get_yticks(), strict=True))
    assert list(ticks) == [
        "Sex",
        "Female",
        "Male",
        "Nonbinary",
        "Race/ethnicity",
        "Asian",
        "White",
        "Industry sector",
        "Healthcare",
    ]
    bold = [t.get_text() for t in ax.get_yticklabels() if t.get_fontweight() == "bold"]
    assert bold == ["Sex", "Race/ethnicity", "Industry sector"]
    bars = {round(b.get_y() + b.get_height() / 2): b for b in _bars(ax)}
    assert sorted(bars) == sorted(ticks[g] for g in ("Female", "Male", "Asian", "White", "Healthcare"))
    assert bars[ticks["White"]].get_width() == pytest.approx(0.95)  # the bound, hatched
    assert bars[ticks["White"]].get_hatch() == "///" and not bars[ticks["Female"]].get_hatch()
    assert bars[ticks["Female"]].get_width() == pytest.approx(0.40)
    assert _texts_at(ax, ticks["White"]) == ["≥ 95%"]
    assert _texts_at(ax, ticks["Nonbinary"]) == ["suppressed (fewer than 10 learners counted in the rate)"]
    assert _texts_at(ax, ticks["Female"]) == ["40.0%"]
    assert ax.get_ylim() == (8.5, -0.5)  # every row keeps its place, top row first
    assert "White: ≥ 95% (fewer than 10 learners not counted in the rate)" in chart.alt
    assert "Nonbinary: suppressed (fewer than 10 learners counted in the rate)" in chart.alt
    assert "All learners: 41.0%" in chart.alt
    assert chart.data["group_value"].tolist() == _group_rows()["group_value"].tolist()


def test_a_chart_s_data_carries_no_number_of_a_hidden_cell_even_if_the_rows_did():
    rows = _group_rows()
    rows.loc[2, ["numerator", "value", "denominator"]] = [7, 0.07, 100]  # planted in the suppressed row
    rows.loc[4, ["numerator", "value"]] = [393, 0.9825]  # planted in the coded row
    data = charts.group_bars(rows, "t").data
    assert data.loc[2, ["numerator", "value", "denominator"]].isna().all()
    assert data.loc[4, ["numerator", "value"]].isna().all()
    assert (
        data.loc[4, "bound"] == 0.95 and data.loc[4, "denominator"] == 400
    )  # a bound keeps its bound and size
    for key in ("partnership_id", "school_year", "indicator_id", "measure", "group_type", "group_value"):
        assert key in data  # the export's key columns (contract 5)


def test_group_bars_when_every_cell_is_suppressed_keep_the_rows_and_draw_no_bar():
    rows = _group_rows().assign(
        value=np.nan,
        ci_low=np.nan,
        ci_high=np.nan,
        suppressed=True,
        shown_as="suppressed",
        bound=np.nan,
        suppression_reason="suppressed so that a smaller group cannot be worked out",
    )
    ax = charts.group_bars(rows, "All suppressed").figure.axes[0]
    assert _bars(ax) == []
    shown = [t.get_text() for t in ax.texts if t.get_style() == "italic"]
    assert shown.count("suppressed so that a smaller group cannot be worked out") == len(rows)
    assert ax.get_ylim() == (8.5, -0.5)


def test_a_hidden_row_s_note_is_whole_where_it_fits_and_never_runs_off_the_figure():
    both = "fewer than 10 learners counted in the rate, and fewer than 10 not"  # the longest rule-1 reason
    rows = _group_rows().iloc[:3].assign(suppression_reason=[None, None, both])
    fig = charts.group_bars(rows, "On-time graduation by learner group").figure
    ax = fig.axes[0]
    assert _texts_at(ax, 3) == [f"suppressed ({both})"]  # the whole reason: it fits beside these labels
    long = rows.assign(suppression_reason=[None, None, both + ", " + "and more words than fit " * 6])
    fig = charts.group_bars(long, "On-time graduation by learner group").figure
    (note,) = [t for t in fig.axes[0].texts if t.get_style() == "italic"]
    assert note.get_text().endswith("…")
    fig.canvas.draw()
    assert note.get_window_extent().x1 <= fig.bbox.x1


def test_a_chart_of_no_rows_says_so_instead_of_drawing():
    shown = charts.group_bars(_group_rows().iloc[:0], "CTE participation by group")
    assert "nothing to draw" in shown._repr_html_()


def test_value_bars_leave_a_labelled_gap_for_a_suppressed_value():
    rows = pd.DataFrame(
        {
            "label": ["1 year", "2 years", "3 years"],
            "value": [0.6, np.nan, 0.7],
            "suppressed": [False, True, False],
        }
    )
    chart = charts.value_bars(rows, "Family-sustaining wage", "rate", "Share")
    ax = chart.figure.axes[0]
    assert sorted(b.get_y() + b.get_height() / 2 for b in _bars(ax)) == pytest.approx([0, 2])
    assert _texts_at(ax, 1) == ["suppressed (fewer than 10 learners)"]
    assert ax.get_ylim() == (2.5, -0.5)
    assert "2 years: suppressed" in chart.alt


def test_trend_lines_draw_a_coded_year_at_its_bound_and_name_it_in_the_alt_text():
    rows = pd.DataFrame(
        {
            "label": "On-time graduation",
            "school_year": [2022, 2023, 2024],
            "measure": "rate",
            "value": [0.90, np.nan, np.nan],
            "ci_low": [0.88, np.nan, np.nan],
            "ci_high": [0.92, np.nan, np.nan],
            "suppressed": [False, False, True],
            "shown_as": ["exact", "at_least", "suppressed"],
            "bound": [np.nan, 0.95, np.nan],
            "status": "ok",
        }
    )
    chart = charts.trend_lines(rows, "On-time graduation by year")
    ax = chart.figure.axes[0]
    assert "≥ 95%" in [t.get_text() for t in ax.texts]
    assert "suppressed" in [t.get_text() for t in ax.texts]
    assert "2022: 90.0%; 2023: ≥ 95%; 2024: suppressed" in chart.alt


def test_charts_are_laid_out_once_and_stay_out_of_pyplot():
    chart = charts.group_bars(_group_rows(), "t")
    # With a layout engine attached, savefig would lay out and draw the whole figure twice.
    assert chart.figure.get_layout_engine() is None
    assert plt.get_fignums() == []  # the inline backend never shows a built-in chart a second time
    left, right = chart.figure.subplotpars.left, chart.figure.subplotpars.right
    assert 0.05 < left < right <= 1
    svg = base64.b64decode(re.search(r"svg\+xml;base64,([^\"]+)", chart._repr_html_()).group(1))
    assert b"Nonbinary" in svg  # text stays text


def test_dollar_signs_and_very_long_names_never_crash_a_chart_and_stay_readable():
    """matplotlib reads text between two "$" as mathtext and raised on an odd number of them."""
    long = "The " + "Very Long Name " * 12 + "Partnership"
    rows = pd.DataFrame(
        {
            "label": ["$5 Million $$ Partnership $", long, "Plain"],
            "value": [0.4, 0.5, 0.3],
            "suppressed": False,
            "partnership": ["a", "b", "c"],
        }
    )
    chart = charts.value_bars(rows, "Rates by partnership, $ and more", "rate", "Share of learners")
    svg = base64.b64decode(re.search(r"svg\+xml;base64,([^\"]+)", chart._repr_html_()).group(1)).decode()
    assert "$5 Million $$ Partnership $" in svg
    ticks = [t.get_text() for t in chart.figure.axes[0].get_yticklabels()]
    assert ticks[1].endswith("…") and all(len(line) <= 34 for line in ticks[1].split("\n"))
    assert long in chart.alt  # the alt text and the data keep the whole name
    assert chart.figure.subplotpars.left <= 0.6  # a long label never squeezes the plot away


def test_figure_download_neutralises_a_hostile_name(tmp_path):
    """A partnership named like a formula reaches a chart's data; both downloads carry it as text."""
    hostile = '=HYPERLINK("http://evil.example","click")'
    rows = pd.DataFrame(
        {
            "label": [hostile, "+cmd|' /C calc'!A0"],
            "value": [0.4, -0.2],
            "suppressed": [False, False],
            "denominator": [120, 80],
        }
    )
    chart = charts.value_bars(rows, "Rates by partnership", "rate", "Share of learners")
    render.start_numbering(tmp_path)
    html = chart._repr_html_()
    embedded = base64.b64decode(re.search(r'href="data:text/csv;base64,([^"]+)"', html).group(1)).decode()
    on_disk = next(tmp_path.glob("*.csv")).read_text(encoding="utf-8")
    assert embedded == on_disk
    records = list(csv.DictReader(io.StringIO(on_disk)))
    assert [r["label"] for r in records] == ["'" + hostile, "'+cmd|' /C calc'!A0"]
    assert [r["value"] for r in records] == ["0.4", "-0.2"]  # numbers are never prefixed


def test_an_analyst_s_own_seaborn_figure_becomes_a_numbered_figure_with_alt_text_and_its_data(tmp_path):
    import seaborn as sns

    rows = _group_rows().assign(label=lambda f: f["group_value"])
    fig, ax = plt.subplots()
    sns.barplot(data=rows, x="value", y="label", ax=ax)
    render.start_numbering(tmp_path)
    shown = charts.figure(fig, "My chart of CTE participation", rows)
    assert plt.get_fignums() == []  # not shown a second time by the inline backend
    html = shown._repr_html_()
    assert "Figure 1." in html and "My chart of CTE participation" in html
    alt = re.search(r'alt="([^"]*)"', html).group(1)
    assert "female: 40.0%" in alt and "white: ≥ 95%" in alt and "nonbinary: suppressed" in alt
    data = next(tmp_path.glob("figure-1-*.csv")).read_text(encoding="utf-8")
    assert data.splitlines()[0].startswith(
        "partnership_id,school_year,indicator_id,measure,group_type,group_value"
    )
    assert shown._repr_html_() == html  # shown again: the same number


def test_importing_the_package_leaves_the_kernel_s_matplotlib_backend_alone(repo):
    """The runner (papermill's inline kernel) chooses the backend; the package used to force Agg."""
    env = {
        **os.environ,
        "MPLBACKEND": "module://matplotlib_inline.backend_inline",
        "PYTHONPATH": str(repo / "src"),
    }
    code = (
        "import matplotlib; import pathways.report.context, pathways.report.overview, pathways.report.charts, pathways.report.theme; "
        "print(matplotlib.get_backend())"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "module://matplotlib_inline.backend_inline"
