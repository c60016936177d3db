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
#     order: 1
# ---

# %% [markdown]
# # {glue:text}`partnership_name`: progress report {glue:text}`school_year`

# %% tags=["parameters"]
partnership = "denver"
year = 2024
data_dir = None
registry = None
output_dir = None

# %% tags=["remove-cell"]
from pathways import report
from pathways.report import charts
from pathways.report.glue import glue
from pathways.report.labels import LEARNER_GROUPS

ctx = report.open_report(partnership, year, data_dir, registry, output_dir)
glue("partnership_name", ctx.partnership.name, display=False)
glue("school_year", ctx.school_year, display=False)
glue("baseline_year", ctx.baseline_year, display=False)
glue("learners", ctx.learners(), display=False)

# %% tags=["remove-input"]
ctx.cover()

# %% [markdown]
# ## Summary
#
# In {glue:text}`school_year` the partnership's high schools had {glue:text}`learners` learners in
# grades 9-12. The outcomes the partnership tracks most closely, with their change since
# {glue:text}`baseline_year`, the partnership's baseline year:

# %% tags=["remove-input"]
ctx.headlines()

# %% tags=["remove-input"]
ctx.goals()

# %% tags=["remove-cell"]
glue("gap_count", ctx.gap_count(), display=False)
glue("gap_trend_summary", ctx.gap_trend_summary(), display=False)

# %% [markdown]
# **Equity.** {glue:text}`gap_count` group rates are clearly below those of other learners this
# year (see "Largest equity gaps" below). {glue:text}`gap_trend_summary`

# %% tags=["remove-cell"]
glue("s_cte_participation", ctx.sentence("cte_participation"), display=False)
glue("s_cte_concentration", ctx.sentence("cte_concentration"), display=False)
glue("s_high_demand", ctx.sentence("high_demand_participation"), display=False)
glue("s_nontraditional", ctx.sentence("nontraditional_concentration"), display=False)
glue("s_icap", ctx.sentence("icap_completion"), display=False)

# %% [markdown]
# ## Career pathways
#
# A learner who completes a career and technical education (CTE) course is a *participant*;
# one with two or more completed courses in one pathway is a *concentrator* (Perkins V).
# {glue:text}`s_cte_participation`
#
# {glue:text}`s_cte_concentration` {glue:text}`s_high_demand`

# %% tags=["remove-input"]
rows = ctx.breakdown("cte_participation", by=LEARNER_GROUPS)
charts.group_bars(rows, f"CTE participation by learner group, {year}", overall=ctx.row("cte_participation"),
                  xlabel=ctx.share_of("cte_participation"))

# %% tags=["remove-input"]
trend = ctx.trend("cte_participation", "cte_concentration", "high_demand_participation")
charts.trend_lines(trend, f"Career pathways, {ctx.baseline_year}-{year}")

# %% [markdown]
# {glue:text}`s_nontraditional` {glue:text}`s_icap`

# %% tags=["remove-input"]
ctx.tables("pathways")

# %% tags=["remove-cell"]
glue("s_credentials", ctx.sentence("credential_attainment"), display=False)
glue("s_of_value", ctx.sentence("credentials_of_value_share"), display=False)
glue("s_concentrator_credentials", ctx.sentence("concentrator_credential_attainment"), display=False)

# %% [markdown]
# ## Industry-recognized credentials
#
# {glue:text}`s_credentials` {glue:text}`s_of_value`
#
# {glue:text}`s_concentrator_credentials`

# %% tags=["remove-input"]
trend = ctx.trend("credential_attainment", "concentrator_credential_attainment")
charts.trend_lines(trend, f"Industry-recognized credentials, {ctx.baseline_year}-{year}")

# %% tags=["remove-input"]
ctx.tables("credentials")

# %% tags=["remove-cell"]
glue("s_wbl", ctx.sentence("wbl_participation"), display=False)
glue("s_concentrator_wbl", ctx.sentence("concentrator_wbl"), display=False)
glue("s_externships", ctx.sentence("teacher_externships"), display=False)
glue("s_employers", ctx.sentence("employer_engagement"), display=False)

# %% [markdown]
# ## Work-based learning and employer engagement
#
# {glue:text}`s_wbl` {glue:text}`s_concentrator_wbl`

# %% tags=["remove-input"]
rows = ctx.breakdown("wbl_participation", by=LEARNER_GROUPS)
charts.group_bars(rows, f"Work-based learning participation by learner group, {year}",
                  overall=ctx.row("wbl_participation"), xlabel=ctx.share_of("wbl_participation"))

# %% [markdown]
# **Employers.** {glue:text}`s_employers` {glue:text}`s_externships` Learners with a completed
# experience this year, by kind, and the employers hosting them:

# %% tags=["remove-input"]
ctx.employers()

# %% tags=["remove-input"]
ctx.tables("work_based_learning")

# %% tags=["remove-cell"]
glue("s_early_credit", ctx.sentence("early_postsecondary_credit"), display=False)
glue("s_savings", ctx.sentence("credit_savings_usd"), display=False)
glue("s_concentrator_credit", ctx.sentence("concentrator_postsecondary_credit"), display=False)

# %% [markdown]
# ## Early college credit
#
# {glue:text}`s_early_credit` {glue:text}`s_savings`
#
# {glue:text}`s_concentrator_credit`

# %% tags=["remove-input"]
trend = ctx.trend("early_postsecondary_credit", "concentrator_postsecondary_credit")
charts.trend_lines(trend, f"Early college credit, {ctx.baseline_year}-{year}")

# %% tags=["remove-input"]
ctx.tables("early_postsecondary")

# %% tags=["remove-cell"]
glue("s_graduation", ctx.sentence("on_time_graduation"), display=False)
glue("s_odds", ctx.sentence("graduation_odds_by_cte"), display=False)

# %% [markdown]
# ## Graduation
#
# {glue:text}`s_graduation`
#
# {glue:text}`s_odds`

# %% tags=["remove-input"]
rows = ctx.breakdown("on_time_graduation", by=LEARNER_GROUPS)
charts.group_bars(rows, f"On-time graduation by learner group, cohort {year}", overall=ctx.row("on_time_graduation"),
                  xlabel=ctx.share_of("on_time_graduation"))

# %% tags=["remove-input"]
charts.odds_forest(ctx.odds_terms(), f"Odds of graduating on time by CTE course-taking, cohort {year}")

# %% tags=["remove-input"]
ctx.tables("graduation")

# %% tags=["remove-cell"]
glue("s_seamless", ctx.sentence("seamless_enrollment"), display=False)
glue("s_persistence", ctx.sentence("persistence"), display=False)
glue("s_completion", ctx.sentence("postsecondary_completion"), display=False)
glue("s_placement", ctx.sentence("placement"), display=False)
glue("s_employment", ctx.sentence("employment_rate_q2"), display=False)
glue("s_earnings", ctx.sentence("median_earnings_q2"), display=False)
glue("s_family_wage", ctx.sentence("family_sustaining_wage"), display=False)

# %% [markdown]
# ## After high school
#
# {glue:text}`s_seamless` {glue:text}`s_persistence` {glue:text}`s_completion`
#
# {glue:text}`s_placement` {glue:text}`s_employment` {glue:text}`s_earnings`
#
# {glue:text}`s_family_wage`

# %% tags=["remove-input"]
trend = ctx.trend("seamless_enrollment", "persistence", "placement")
charts.trend_lines(trend, f"After high school, {ctx.baseline_year}-{year}")

# %% tags=["remove-input"]
ctx.tables("after_high_school")

# %% [markdown]
# ## Largest equity gaps
#
# A gap compares a group's rate with the rate of all other learners, in percentage points,
# for the five breakdowns of learners: race/ethnicity, sex, economic status, English learner
# status and disability. It is flagged when its whole 95% margin of error lies below zero, so
# chance alone is an unlikely explanation. Industry-sector figures compare learners with a
# course in a sector with all learners; they describe programs, not groups of learners, and
# are never counted as gaps.

# %% tags=["remove-input"]
gaps = ctx.largest_gaps()
charts.gap_dots(gaps, f"Largest equity gaps, {year}")

# %% tags=["remove-input"]
ctx.gap_sentences()

# %% [markdown]
# ## Are gaps closing?
#
# {glue:text}`gap_trend_summary`

# %% tags=["remove-input"]
moves = ctx.gap_changes()
charts.gap_change(moves, f"Gaps that narrowed and widened most, {ctx.baseline_year} to {year}")

# %% tags=["remove-input"]
ctx.gap_moves()

# %% tags=["remove-cell"]
glue("s_satisfaction", ctx.sentence("stakeholder_satisfaction"), display=False)

# %% [markdown]
# ## Partnership health
#
# Partners rate the partnership each year on ExcelinEd's five evaluation categories.
# {glue:text}`s_satisfaction`

# %% tags=["remove-input"]
items = ctx.survey_items()
charts.value_bars(items, f"Stakeholder survey {year}: mean rating by item", "mean",
                  "Mean rating (1 = strongly disagree, 5 = strongly agree)")

# %% tags=["remove-input"]
ctx.tables("partnership_health")

# %% [markdown]
# ## Data quality

# %% tags=["remove-input"]
ctx.data_quality()

# %% [markdown]
# ## Methods and downloads

# %% tags=["remove-input"]
ctx.methods()
