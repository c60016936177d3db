"""The charts draw what the rows say: a bar per shown cell, a labelled gap per suppressed one."""

from __future__ import annotations

import io

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.patches import Rectangle

from pathways import charts


def _group_rows() -> pd.DataFrame:
    return pd.DataFrame({
        "group_type": ["sex", "sex", "sex", "race_ethnicity", "race_ethnicity", "industry_sector"],
        "group_value": ["female", "male", "nonbinary", "asian", "white", "healthcare"],
        "value": [0.40, 0.35, np.nan, 0.50, np.nan, 0.75],
        "ci_low": [0.36, 0.31, np.nan, 0.41, np.nan, 0.70],
        "ci_high": [0.44, 0.39, np.nan, 0.59, np.nan, 0.80],
        "suppressed": [False, False, True, False, False, False],
        "suppression_reason": [None, None, "fewer than 10 learners counted in the rate", None, None, None],
    })


def _bars(ax) -> list[Rectangle]:
    """Every bar drawn, zero-width ones included: a suppressed cell must get none."""
    return [p for p in ax.patches if isinstance(p, Rectangle)]


def _texts_at(ax, y: float) -> list[str]:
    return [t.get_text() for t in ax.texts if abs(t.get_position()[1] - y) < 1e-9]


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_group_bars_draw_a_bar_per_shown_cell_and_label_every_suppressed_one_in_its_place():
    chart = charts.group_bars(_group_rows(), 0.41, "CTE participation by group, 2024", "rate", 10)
    ax = chart.figure.axes[0]
    ticks = dict(zip([t.get_text() for t in ax.get_yticklabels()], ax.get_yticks(), strict=True))
    assert list(ticks) == ["Female", "Male", "Nonbinary", "Asian", "White", "Healthcare"]
    # Headings take their own rows, so each kind's first group sits one row below a heading.
    assert [ticks["Female"], ticks["Asian"], ticks["Healthcare"]] == [1, 5, 8]
    bar_rows = sorted(b.get_y() + b.get_height() / 2 for b in _bars(ax))
    assert bar_rows == pytest.approx([ticks["Female"], ticks["Male"], ticks["Asian"], ticks["Healthcare"]])
    assert sorted(b.get_width() for b in _bars(ax)) == pytest.approx([0.35, 0.40, 0.50, 0.75])
    assert _texts_at(ax, ticks["Nonbinary"]) == ["suppressed (fewer than 10 learners counted in the rate)"]
    # A missing value without a stated reason is still shown as suppressed, never as a zero bar.
    assert _texts_at(ax, ticks["White"]) == ["suppressed (fewer than 10 learners)"]
    assert _texts_at(ax, ticks["Female"]) == ["40.0%"]
    headings = [t.get_text() for t in ax.texts if t.get_fontweight() == "bold"]
    assert headings[:2] == ["Sex", "Race/ethnicity"]
    assert headings[2].startswith("Industry sector (learners who completed a course")
    assert ax.get_ylim() == (8.5, -0.5)  # every row keeps its place, top row first
    assert "Nonbinary: suppressed" in chart.alt and "White: suppressed" in chart.alt
    assert "All learners: 41.0%" in chart.alt
    assert chart.data["group_value"].tolist() == _group_rows()["group_value"].tolist()


def test_group_bars_when_every_cell_is_suppressed_keep_the_rows_and_draw_no_bar():
    rows = _group_rows().assign(value=np.nan, ci_low=np.nan, ci_high=np.nan, suppressed=True,
                                suppression_reason="suppressed so that a smaller group cannot be worked out")
    ax = charts.group_bars(rows, None, "All suppressed", "rate", 10).figure.axes[0]
    assert _bars(ax) == []
    shown = [t.get_text() for t in ax.texts if t.get_style() == "italic"]
    assert shown == ["suppressed so that a smaller group cannot be worked out"] * len(rows)
    assert ax.get_ylim() == (8.5, -0.5)


def test_value_bars_leave_a_labelled_gap_for_a_suppressed_value():
    rows = pd.DataFrame({"label": ["1 year", "2 years", "3 years"], "value": [0.6, np.nan, 0.7],
                         "suppressed": [False, True, False]})
    chart = charts.value_bars(rows, "Family-sustaining wage", "rate", "Share", 10)
    ax = chart.figure.axes[0]
    assert sorted(b.get_y() + b.get_height() / 2 for b in _bars(ax)) == pytest.approx([0, 2])
    assert _texts_at(ax, 1) == ["suppressed (fewer than 10)"]
    assert ax.get_ylim() == (2.5, -0.5)
    assert "2 years: suppressed" in chart.alt


def test_value_bars_call_a_missing_value_suppressed_in_the_alt_text():
    rows = pd.DataFrame({"label": ["a", "b"], "value": [0.5, np.nan], "suppressed": [False, False]})
    chart = charts.value_bars(rows, "t", "rate", "Share", 10)
    assert chart.alt == "Bar chart: t. a: 50.0%; b: suppressed."


def test_charts_are_laid_out_once_and_drawn_once_when_saved():
    chart = charts.group_bars(_group_rows(), 0.41, "t", "rate", 10)
    # With a layout engine attached, savefig would lay out and draw the whole figure twice.
    assert chart.figure.get_layout_engine() is None
    left, right = chart.figure.subplotpars.left, chart.figure.subplotpars.right
    assert 0.05 < left < right <= 1
    buf = io.BytesIO()
    chart.figure.savefig(buf, format="svg")
    assert b"Nonbinary" in buf.getvalue()


def test_figure_download_neutralises_a_hostile_name(tmp_path):
    """A partnership named like a formula reaches a chart's data; both downloads carry it as text."""
    import base64
    import csv
    import re

    from pathways import render

    hostile = '=HYPERLINK("http://evil.example","click")'
    rows = pd.DataFrame({"label": [hostile, "+cmd|' /C calc'!A0"], "value": [0.4, -0.2],
                         "suppressed": [False, False], "denominator": [120, 80]})
    chart = charts.value_bars(rows, "Rates by partnership", "rate", "Share of learners", 10)
    html = render.Numbering(figure_dir=tmp_path).figure(chart)
    embedded = base64.b64decode(re.search(r'href="data:text/csv;base64,([^"]+)"', html).group(1)).decode()
    on_disk = next(tmp_path.glob("*.csv")).read_text(encoding="utf-8")
    assert embedded == on_disk
    records = list(csv.DictReader(io.StringIO(on_disk)))
    assert [r["label"] for r in records] == ["'" + hostile, "'+cmd|' /C calc'!A0"]
    assert [r["value"] for r in records] == ["0.4", "-0.2"]  # numbers are never prefixed
