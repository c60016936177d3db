# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     notebook_metadata_filter: pathways
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
#   pathways:
#     collection: reports
# ---

# %% [markdown]
# # All partnerships side by side, {glue:text}`school_year`

# %% tags=["parameters"]
year = 2024
runs_dir = None
registry = None
output_dir = None

# %% tags=["remove-cell"]
from pathways.report import charts, overview
from pathways.report.glue import glue

ctx = overview.open_overview(year, runs_dir, registry, output_dir)
glue("school_year", ctx.school_year, display=False)
glue("reported", ctx.reported(), display=False)
glue("min_cell_size", ctx.min_cell_size, display=False)

# %% [markdown]
# {glue:text}`reported` partnerships report on the same indicators for {glue:text}`school_year`,
# with the same privacy rules: no group of fewer than {glue:text}`min_cell_size` learners is
# shown, and a rate with very few learners on one side reads as a bound (such as "≥ 95%").
# Each rate covers the learners its definition names (learners in grades 9-12, a graduation
# cohort, graduates of the year before); the methods page gives each definition.

# %% tags=["remove-input"]
ctx.intro()

# %% [markdown]
# ## Key indicators by partnership

# %% tags=["remove-input"]
rates = ctx.key_rates()
charts.compare_bars(rates, f"Key rates by partnership, {year}")

# %% tags=["remove-input"]
ctx.key_table()

# %% [markdown]
# ## Equity gaps side by side
#
# Each cell is a group's gap in percentage points against all other learners of the same
# partnership (below zero: the group's rate is lower). A cell without a gap says why: the
# group is too small to show, or its rate is shown only as a bound.

# %% tags=["remove-input"]
focal = ctx.focal_gaps()
charts.gap_panels(focal, f"Gaps of English learners, learners with disabilities and economically disadvantaged "
                         f"learners, in points, {year}", panel="group_label")

# %% tags=["remove-input"]
race = ctx.focal_gaps(race=True)
charts.gap_panels(race, f"Gaps by race/ethnicity, in points, {year}", panel="group_label", ncols=4)

# %% tags=["remove-input"]
ctx.gap_table()

# %% tags=["remove-input"]
ctx.gap_table(race=True)

# %% tags=["remove-cell"]
glue("closing_sentence", ctx.closing_sentence(), display=False)

# %% [markdown]
# ## Are gaps closing?
#
# {glue:text}`closing_sentence` A gap counts as narrowing or widening only when its change
# since the partnership's baseline year is larger than its 95% margin of error, and only
# where the group's gap was published in both years.

# %% tags=["remove-input"]
charts.gap_change(ctx.gap_moves(), f"Gaps that narrowed and widened most since each partnership's baseline, {year}")

# %% tags=["remove-input"]
ctx.closing_table()

# %% [markdown]
# ## Equity gaps flagged in each partnership

# %% tags=["remove-input"]
ctx.gap_counts()
