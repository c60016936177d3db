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
#     collection: briefs
#     max_pages: 2
#     order: 0
#     paper: letter
# ---

# %% [markdown]
# # {glue:text}`partnership_name`: {glue:text}`school_year` at a glance

# %% tags=["parameters"]
partnership = "denver"
year = 2024
data_dir = None
registry = None
output_dir = None

# %% tags=["remove-cell"]
from pathways import report
from pathways.report.glue import glue

ctx = report.open_report(partnership, year, data_dir, registry, output_dir)
glue("partnership_name", ctx.partnership.name, display=False)
glue("school_year", ctx.school_year, display=False)
glue("baseline_year", ctx.baseline_year, display=False)
glue("description", ctx.partnership.description or ctx.partnership.region, display=False)
glue("partners", ctx.partners_line(), display=False)
glue("learners", ctx.learners(), display=False)

# %% [markdown]
# {glue:text}`description` {glue:text}`partners`
#
# ## Headline outcomes
#
# Change since {glue:text}`baseline_year`, the partnership's baseline year, among
# {glue:text}`learners` learners in grades 9-12 this year:

# %% tags=["remove-input"]
ctx.headline_tiles()

# %% [markdown]
# ## Goals

# %% tags=["remove-input"]
ctx.goals()

# %% tags=["remove-cell"]
glue("gap_count", ctx.gap_count(), display=False)
glue("gap_trend_summary", ctx.gap_trend_summary(), display=False)

# %% [markdown]
# ## Equity
#
# {glue:text}`gap_count` group rates are clearly below those of other learners. The largest:

# %% tags=["remove-input"]
ctx.gap_sentences(most=3)

# %% [markdown]
# Are they closing? {glue:text}`gap_trend_summary`

# %% tags=["remove-input"]
ctx.gap_moves(most=1)  # the one gap that narrowed most and the one that widened most: a brief has room for two

# %% tags=["remove-cell"]
glue("employers", ctx.count("employer_engagement", "employers"), display=False)

# %% [markdown]
# ## Employers
#
# {glue:text}`employers` employers took part this year. Learners with a completed work-based
# learning experience, by kind, and the employers hosting them:

# %% tags=["remove-input"]
ctx.employers()

# %% tags=["remove-input"]
ctx.data_facts()

# %% tags=["remove-input"]
ctx.full_report_link()
