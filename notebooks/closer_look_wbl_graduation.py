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
#     order: 2
# ---

# %% [markdown]
# # A closer look: work-based learning and on-time graduation, {glue:text}`school_year`
#
# An analysis dropped into `notebooks/`: it runs for every partnership-year and reads only
# the report's context, so every number is one the partnership's report publishes.

# %% tags=["parameters"]
partnership = "denver"
year = 2024
data_dir = None
registry = None
output_dir = None

# %% tags=["remove-cell"]
import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns
from IPython.display import HTML, display

from pathways import report
from pathways.report import cells, charts, render
from pathways.report.glue import glue
from pathways.report.labels import LEARNER_GROUPS, group_type_label

ctx = report.open_report(partnership, year, data_dir, registry, output_dir)
glue("school_year", ctx.school_year, display=False)
glue("partnership_name", ctx.partnership.name, display=False)
glue("s_wbl", ctx.sentence("wbl_participation"), display=False)
glue("s_graduation", ctx.sentence("on_time_graduation"), display=False)
glue("s_odds", ctx.sentence("graduation_odds_by_cte"), display=False)

# %% [markdown]
# **{glue:text}`partnership_name`.** {glue:text}`s_wbl` {glue:text}`s_graduation`
#
# ## Do the groups that do more work-based learning graduate on time more often?
#
# Each dot is a group of learners with both rates published: its share in work-based learning
# this year (learners in grades 9-12) against its on-time graduation rate (this year's
# graduation cohort). The two rates cover different learners, so this compares groups, not
# individual learners.

# %% tags=["remove-input"]
wbl = ctx.breakdown("wbl_participation", by=LEARNER_GROUPS)
grad = ctx.breakdown("on_time_graduation", by=LEARNER_GROUPS)
both = wbl[cells.states(wbl) == "exact"].merge(
    grad[cells.states(grad) == "exact"], on=["group_type", "group_value", "label"], suffixes=("_wbl", "_grad"))
both = both[both["group_value"] != "unknown"].assign(breakdown=lambda f: f["group_type"].map(group_type_label))

if both.empty:  # small groups hidden: a chart with no dots would say nothing
    display(HTML(render.note(f"No learner group has both rates published for {year}, so there is nothing to plot.")))
else:
    fig, ax = plt.subplots(figsize=(8, 4.5))
    sns.scatterplot(data=both, x="value_wbl", y="value_grad", hue="breakdown", style="breakdown", s=80, ax=ax)
    for _, r in both.iterrows():
        ax.annotate(r["label"], (r["value_wbl"], r["value_grad"]), xytext=(4, 3), textcoords="offset points", fontsize=8)
    ax.xaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:.0%}"))
    ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:.0%}"))
    ax.set(xlabel="Work-based learning participation (learners in grades 9-12)",
           ylabel="On-time graduation (graduation cohort)")
    ax.legend(title="Breakdown", fontsize=8)
    charts.figure(fig, f"Work-based learning and on-time graduation by learner group, {year}",
                  data=pd.concat([wbl, grad], ignore_index=True))

# %% [markdown]
# ## Learners with a completed mentorship
#
# The report's model of on-time graduation compares learners with the same sex,
# race/ethnicity, income, English learner status and disability. {glue:text}`s_odds`

# %% tags=["remove-input"]
charts.odds_forest(ctx.odds_terms(), f"Adjusted odds of graduating on time, cohort {year}")

# %% [markdown]
# ## Both rates over the years

# %% tags=["remove-input"]
trend = ctx.trend("wbl_participation", "concentrator_wbl", "on_time_graduation")
charts.trend_lines(trend, f"Work-based learning and on-time graduation, {ctx.baseline_year}-{year}")
