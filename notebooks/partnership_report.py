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
# # Partnership progress report

# %% tags=["parameters"]
partnership = "denver"
year = 2024
data_dir = None
registry = None
output_dir = None

# %% tags=["remove-cell"]
from pathways import report

ctx = report.open_report(partnership, year, data_dir=data_dir, registry_path=registry, output_dir=output_dir)

# %% tags=["remove-input"]
report.show_cover(ctx)

# %% [markdown]
# ## Headline summary

# %% tags=["remove-input"]
report.show_headline(ctx)

# %% [markdown]
# ## Career pathways

# %% tags=["remove-input"]
report.show_section(ctx, "pathways")

# %% [markdown]
# ## Industry-recognized credentials

# %% tags=["remove-input"]
report.show_section(ctx, "credentials")

# %% [markdown]
# ## Work-based learning and employer engagement

# %% tags=["remove-input"]
report.show_section(ctx, "work_based_learning")

# %% [markdown]
# ## Early college credit

# %% tags=["remove-input"]
report.show_section(ctx, "early_postsecondary")

# %% [markdown]
# ## Graduation

# %% tags=["remove-input"]
report.show_section(ctx, "graduation")

# %% [markdown]
# ## After high school

# %% tags=["remove-input"]
report.show_section(ctx, "after_high_school")

# %% [markdown]
# ## Equity gaps

# %% tags=["remove-input"]
report.show_equity_gaps(ctx)

# %% [markdown]
# ## Partnership health

# %% tags=["remove-input"]
report.show_section(ctx, "partnership_health")

# %% [markdown]
# ## Data quality

# %% tags=["remove-input"]
report.show_data_quality(ctx)

# %% [markdown]
# ## Methods and downloads

# %% tags=["remove-input"]
report.show_methods(ctx)
