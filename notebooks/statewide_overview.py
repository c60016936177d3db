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
# # All partnerships side by side

# %% tags=["parameters"]
year = 2024
runs_dir = None
registry = None
output_dir = None

# %% tags=["remove-cell"]
from pathways import overview

ctx = overview.open_overview(year, runs_dir=runs_dir, registry_path=registry, output_dir=output_dir)

# %% tags=["remove-input"]
overview.show_intro(ctx)

# %% [markdown]
# ## Key indicators by partnership

# %% tags=["remove-input"]
overview.show_key_table(ctx)

# %% [markdown]
# ## Rates compared

# %% tags=["remove-input"]
overview.show_rate_charts(ctx)

# %% [markdown]
# ## Equity gaps flagged in each partnership

# %% tags=["remove-input"]
overview.show_gap_counts(ctx)
