"""The partnership report: what the notebook calls, section by section.

The notebook stays thin: it opens a :class:`ReportContext` (gate, indicators, export) and
asks this module to show each section. Everything shown comes from the suppressed export,
so a report can never show a number the export does not.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from IPython.display import HTML, display

from pathways import charts, render, story
from pathways.catalogue import Indicator, load_catalogue
from pathways.dictionary import load_dictionary
from pathways.export import write_export
from pathways.labels import group_type_label, group_value_label
from pathways.registry import Partnership, load_registry
from pathways.safety import submission_dir
from pathways.submission import read_table
from pathways.theme import fmt_bound, fmt_count, fmt_rate, fmt_value, is_missing

RATE_GROUP_TYPES = ("sex", "race_ethnicity", "is_economically_disadvantaged", "is_english_learner",
                    "has_disability", "industry_sector")


@dataclass
class ReportContext:
    partnership: Partnership
    year: int
    min_cell_size: int
    export: pd.DataFrame  # rows of year Y, with trend and goal columns
    series: pd.DataFrame  # rows of every year from the baseline to Y
    gate: object  # pathways.validation GateResult of year Y
    gates: dict[int, object]
    output_dir: Path
    numbering: render.Numbering = field(default_factory=render.Numbering)
    pathways: pd.DataFrame = field(default_factory=pd.DataFrame)  # pathways.csv of year Y, as submitted
    _by_indicator: dict[str, pd.DataFrame] | None = field(default=None, init=False, repr=False)

    def rows(self, indicator_id: str, measure: str | None = None, group_type: str | None = "all") -> pd.DataFrame:
        if self._by_indicator is None:  # a report asks for each indicator many times
            self._by_indicator = dict(tuple(self.export.groupby("indicator_id", sort=False)))
        frame = self._by_indicator.get(indicator_id, self.export.iloc[:0])
        if measure is not None:
            frame = frame[frame["measure"] == measure]
        if group_type is not None:
            frame = frame[frame["group_type"] == group_type]
        return frame

    def first(self, indicator_id: str, measure: str | None = None) -> pd.Series | None:
        rows = self.rows(indicator_id, measure)
        return None if rows.empty else rows.iloc[0]

    def history(self, indicator_id: str, measure: str | None = None, group_type: str = "all") -> pd.DataFrame:
        frame = self.series[(self.series["indicator_id"] == indicator_id) & (self.series["group_type"] == group_type)]
        if measure is not None:
            frame = frame[frame["measure"] == measure]
        return frame.sort_values("school_year")


def open_report(partnership: str, year: int, *, data_dir: str | Path, registry_path: str | Path,
                output_dir: str | Path) -> ReportContext:
    """Gate every year up to ``year``, compute the indicators and write the export beside the report.

    Raises the gate's refusal (with the data clerk's message) when any year up to ``year``
    is refused: nothing is computed from refused data.
    """
    from pathways.indicators import compute_export, compute_series
    from pathways.validation import require_history_pass

    data_dir, output_dir = Path(data_dir), Path(output_dir)
    registry = load_registry(Path(registry_path))
    entry = registry.get(partnership)
    gates = require_history_pass(data_dir, partnership, int(year))
    series = compute_series(data_dir, registry, partnership, int(year))
    export = compute_export(data_dir, registry, partnership, int(year), series=series)
    output_dir.mkdir(parents=True, exist_ok=True)
    with open(output_dir / "export.csv", "w", encoding="utf-8", newline="") as fh:
        write_export(export, fh, "csv")
    (output_dir / "validation.json").write_text(
        json.dumps({str(y): g.to_dict() for y, g in gates.items()}, indent=2, default=str), encoding="utf-8")
    ctx = ReportContext(entry, int(year), registry.min_cell_size, export, series, gates[int(year)], gates,
                        output_dir, render.Numbering(figure_dir=output_dir / "figures"),
                        _pathways_offered(data_dir, partnership, int(year)))
    return ctx


def _pathways_offered(data_dir: Path, partnership: str, year: int) -> pd.DataFrame:
    """The partnership's pathways of year Y (not learner data: names and sectors of programs)."""
    spec = load_dictionary().file("pathways")
    path = submission_dir(data_dir, partnership, year) / spec.filename
    return read_table(path, spec) if path.is_file() else pd.DataFrame()


def _pathways_table(ctx: ReportContext) -> list[str]:
    if ctx.pathways.empty:
        return []
    offered = ctx.pathways.sort_values(["industry_sector", "pathway_name"])
    frame = pd.DataFrame({
        "Pathway": offered["pathway_name"].astype(str),
        "Industry sector": [group_value_label("industry_sector", v) for v in offered["industry_sector"]],
        "High-demand": offered["is_high_demand"].map({True: "yes", False: "no"}).fillna("unknown"),
        "Nontraditional for": offered["nontraditional_gender"].map(
            {"female": "women", "male": "men", "none": "—"}).fillna("—"),
    })
    return [ctx.numbering.table(frame, f"Career pathways offered in {ctx.year - 1}-{str(ctx.year)[-2:]}")]


def _show(*parts: str) -> None:
    display(HTML('<div class="pw-report">' + "".join(parts) + "</div>"))


def show_cover(ctx: ReportContext) -> None:
    p = ctx.partnership
    partners = ", ".join(f"{x.name}" for x in p.partners)
    parts = [
        render.paragraph(f"{p.name} — school year {ctx.year - 1}-{str(ctx.year)[-2:]}", "pw-lede"),
        render.paragraph(f"Region: {p.region}. Convener: {p.convener}. Partners: {partners}."),
    ]
    if p.is_demo:
        parts.append(render.note(
            "Demo partnership: every learner record behind this report is synthetic. The numbers show what "
            "the report looks like; they say nothing about the institutions named."))
    parts.append(render.paragraph(
        f"Groups of fewer than {ctx.min_cell_size} learners are not shown, to protect learners' privacy; "
        "such cells read “suppressed” or “<{n}”.".replace("{n}", str(ctx.min_cell_size)), "pw-small"))
    _show(*parts)


def show_headline(ctx: ReportContext) -> None:
    sentences = story.headline_sentences(ctx.export, load_catalogue(), ctx.partnership.baseline_year, ctx.year)
    goals = story.goal_sentences(ctx.export, load_catalogue(), ctx.partnership, ctx.year)
    parts = [render.bullet_list(sentences, "pw-headline")] if sentences else [
        render.paragraph("There is not yet enough history to describe change since the baseline year.")]
    if goals:
        parts.append(render.heading("Progress against the partnership's goals", 3))
        parts.append(render.bullet_list(goals))
    _show(*parts)


def show_section(ctx: ReportContext, section_id: str) -> None:
    indicators = load_catalogue().in_section(section_id)
    # Built in reading order, so figures and tables are numbered as a reader meets them.
    parts = _trend_figure(ctx, section_id, indicators)
    if section_id == "pathways":
        parts += _pathways_table(ctx)
    charted = False
    for ind in indicators:
        block, drew_groups = _indicator_block(ctx, ind, chart_groups=not charted)
        parts.extend(block)
        charted = charted or drew_groups
    _show(*parts)


def _trend_figure(ctx: ReportContext, section_id: str, indicators: list[Indicator]) -> list[str]:
    """The section's rates by year, one line per rate indicator."""
    trends = []
    for ind in indicators:
        if ind.unit == "rate":
            hist = ctx.history(ind.id, "rate")
            if not hist.empty and hist["value"].notna().any():
                trends.append(hist.assign(label=ind.title))
    if not trends:
        return []
    # A single line has no legend, so the title names it.
    name, noun = (trends[0]["label"].iloc[0], "rate") if len(trends) == 1 else (section_title(section_id), "rates")
    title = f"{name}: {noun} by year, {ctx.partnership.baseline_year}-{ctx.year}"
    rows = pd.concat(trends, ignore_index=True)
    return [ctx.numbering.figure(charts.trend_lines(rows, title, "rate", ctx.min_cell_size))]


def section_title(section_id: str) -> str:
    return next(s.title for s in load_catalogue().sections if s.id == section_id)


def _indicator_block(ctx: ReportContext, ind: Indicator, *, chart_groups: bool) -> tuple[list[str], bool]:
    """The indicator's sentence and its breakdown; whether the breakdown was drawn as a chart.

    A section draws its first rate breakdown as a chart and the others as tables: a chart of
    every breakdown made reports long and slow to render, and the tables read as well.
    """
    rows = ctx.rows(ind.id)
    parts = [render.heading(ind.title + (f" [{ind.code}]" if ind.code else ""), 3)]
    if rows.empty:
        return [*parts, render.note("Not computed for this year.")], False
    status = rows["status"].iloc[0]
    if status == "not_submitted":
        files = ", ".join(f"{f}.csv" for f in ind.inputs)
        return [*parts, render.note(f"Not submitted: this indicator needs {files}, which the partnership "
                                    f"did not send for {ctx.year}.")], False
    if status == "not_available":
        reason = rows["note"].dropna().iloc[0] if rows["note"].notna().any() else "not enough data"
        return [*parts, render.note(f"Not available for {ctx.year}: {reason}.")], False
    sentence = story.indicator_sentence(ind, ctx.rows(ind.id, group_type=None), ctx.year, ctx.min_cell_size)
    parts.append(render.paragraph(sentence))
    special = _SPECIAL.get(ind.id)
    if special:
        return [*parts, *special(ctx, ind)], False
    if ind.unit != "rate":
        return parts, False
    groups = ctx.rows(ind.id, "rate", None)
    groups = groups[groups["group_type"].isin(RATE_GROUP_TYPES)]
    if groups.empty:
        return parts, False
    if chart_groups:
        overall = ctx.first(ind.id, "rate")
        chart = charts.group_bars(groups, None if overall is None else overall["value"],
                                  f"{ind.title} by group, {ctx.year}", "rate", ctx.min_cell_size)
        return [*parts, ctx.numbering.figure(chart)], True
    return [*parts, ctx.numbering.table(_group_table(groups, ctx.min_cell_size),
                                        f"{ind.title} by group, {ctx.year}",
                                        numeric=("Rate", "95% interval", "Learners", "Gap (points)"))], False


def _group_table(groups: pd.DataFrame, min_cell_size: int) -> pd.DataFrame:
    """A rate's breakdown as display strings: rate, interval, denominator and the flagged gap."""
    out = []
    for r in groups.itertuples():
        hidden = bool(r.suppressed) or is_missing(r.value)
        bound = fmt_bound(getattr(r, "shown_as", None), getattr(r, "bound", None))
        gap = "" if hidden or is_missing(r.gap_pp) else (
            f"{float(r.gap_pp):+.1f} ± {float(r.gap_moe_pp):.1f}" + (" (gap)" if not is_missing(r.is_gap) and bool(r.is_gap) else ""))
        out.append({
            "Group": f"{group_type_label(r.group_type)}: {group_value_label(r.group_type, r.group_value)}",
            "Rate": f"{bound} ({r.suppression_reason})" if bound else
            f"suppressed ({r.suppression_reason or f'fewer than {min_cell_size}'})" if hidden
            else fmt_rate(r.value),
            "95% interval": "" if hidden or is_missing(r.ci_low) else f"{fmt_rate(r.ci_low)}–{fmt_rate(r.ci_high)}",
            "Learners": fmt_count(r.denominator) if bound else "" if hidden else fmt_count(r.denominator),
            "Gap (points)": gap,
        })
    return pd.DataFrame(out)


def _cell(row: pd.Series, unit: str, min_cell_size: int, column: str = "value") -> str:
    if bool(row.get("suppressed")):
        return f"<{min_cell_size}" if unit == "count" else "suppressed"
    return fmt_value(row.get(column), unit)


def _wbl_by_type(ctx: ReportContext, ind: Indicator) -> list[str]:
    hist = ctx.series[ctx.series["indicator_id"] == ind.id]
    if hist.empty:
        return []
    table = []
    for (wbl_type, yr), part in hist.groupby(["group_value", "school_year"], sort=True):
        learners = part[part["measure"] == "learners"]
        employers = part[part["measure"] == "employers"]
        n = _cell(learners.iloc[0], "count", ctx.min_cell_size) if not learners.empty else "—"
        m = _cell(employers.iloc[0], "count", ctx.min_cell_size) if not employers.empty else "—"
        table.append({"Kind of experience": group_value_label("wbl_type", wbl_type), "Year": str(int(yr)),
                      "Learners": n, "Employers": m, "In words": f"{n} learners with {m} employers"})
    frame = pd.DataFrame(table)
    wide = frame.pivot(index="Kind of experience", columns="Year", values="In words").reset_index()
    return [ctx.numbering.table(wide, f"Completed work-based learning experiences by kind and year "
                                      f"(learners with employers), {ctx.partnership.baseline_year}-{ctx.year}")]


def _counts_by_year(ctx: ReportContext, ind: Indicator) -> list[str]:
    hist = ctx.series[(ctx.series["indicator_id"] == ind.id) & (ctx.series["group_type"] == "all")]
    if hist.empty:
        return []
    frame = hist.assign(Measure=hist["measure"].map(lambda m: m.replace("_", " ").capitalize()),
                        Year=hist["school_year"].astype(int).astype(str),
                        Shown=[_cell(r, "usd" if r["measure"] == "usd" else "count", ctx.min_cell_size)
                               for _, r in hist.iterrows()])
    wide = frame.pivot_table(index="Measure", columns="Year", values="Shown", aggfunc="first").reset_index()
    return [ctx.numbering.table(wide, f"{ind.title} by year", numeric=tuple(wide.columns[1:]))]


def _odds(ctx: ReportContext, ind: Indicator) -> list[str]:
    rows = ctx.rows(ind.id, "odds_ratio", "term")
    shown = rows[~rows["suppressed"].astype(bool) & rows["value"].notna()]
    parts = []
    if not shown.empty:
        data = shown.assign(label=shown["group_value"].map(
            {"2-4 courses": "2-4 completed CTE courses (vs 0-1)", "5+ courses": "5+ completed CTE courses (vs 0-1)",
             "mentorship": "Completed mentorship (vs none)"}).fillna(shown["group_value"]))
        data = data[["label", "value", "ci_low", "ci_high", "denominator", "note"]].astype(
            {"value": float, "ci_low": float, "ci_high": float})
        parts.append(ctx.numbering.figure(charts.odds_forest(
            data, f"Odds of on-time graduation by CTE course-taking, cohort {ctx.year}")))
    return parts


def _family_wage(ctx: ReportContext, ind: Indicator) -> list[str]:
    rows = ctx.rows(ind.id, "rate", "years_since_graduation")
    if rows.empty:
        return []
    data = rows.assign(label=[group_value_label("years_since_graduation", v) for v in rows["group_value"]])
    data = data[["label", "value", "suppressed", "denominator", "shown_as", "bound", "suppression_reason"]]
    return [ctx.numbering.figure(charts.value_bars(
        data, f"Former learners earning a family-sustaining wage in {ctx.year - 1}, by years since graduation",
        "rate", "Share of former learners with wages in 3+ quarters", ctx.min_cell_size))]


def _satisfaction(ctx: ReportContext, ind: Indicator) -> list[str]:
    rows = ctx.rows(ind.id, None, None)
    overall = rows[rows["group_type"] == "item"]
    parts = []
    if not overall.empty:
        data = overall.assign(label=overall["group_value"].map(lambda v: group_value_label("item", v)))
        data = data[["label", "value", "suppressed", "denominator"]]
        parts.append(ctx.numbering.figure(charts.value_bars(
            data, f"Stakeholder survey {ctx.year}: mean rating by item (1-5)", "mean",
            "Mean rating (1 = strongly disagree, 5 = strongly agree)", ctx.min_cell_size)))
    by_type = rows[rows["group_type"].str.startswith("stakeholder_type")]
    if not by_type.empty:
        shown = by_type.assign(
            Item=by_type["group_type"].str.split(":").str[-1].map(lambda v: group_value_label("item", v)),
            Stakeholder=by_type["group_value"].map(lambda v: group_value_label("stakeholder_type", v)),
            Mean=[_cell(r, "mean", ctx.min_cell_size) for _, r in by_type.iterrows()])
        wide = shown.pivot_table(index="Stakeholder", columns="Item", values="Mean", aggfunc="first").reset_index()
        parts.append(ctx.numbering.table(wide, f"Mean rating by stakeholder type, {ctx.year}",
                                         numeric=tuple(wide.columns[1:])))
    return parts


_SPECIAL = {
    "wbl_by_type": _wbl_by_type,
    "teacher_externships": _counts_by_year,
    "employer_engagement": _counts_by_year,
    "credit_savings_usd": _counts_by_year,
    "graduation_odds_by_cte": _odds,
    "family_sustaining_wage": _family_wage,
    "stakeholder_satisfaction": _satisfaction,
}


def show_equity_gaps(ctx: ReportContext) -> None:
    gaps = ctx.export[(ctx.export["group_type"] != "all") & ctx.export["gap_pp"].notna()
                      & ~ctx.export["suppressed"].astype(bool)]
    catalogue = load_catalogue()
    flagged = gaps[gaps["is_gap"].fillna(False).astype(bool)]
    parts = [render.paragraph(
        "A gap compares a group's rate with the rate of all other learners, in percentage points. It is flagged "
        "when the whole 95% margin of error lies below zero, so chance alone is an unlikely explanation.")]
    if flagged.empty:
        parts.append(render.paragraph(f"No group's rate is clearly below that of other learners in {ctx.year}."))
    else:
        top = flagged.sort_values("gap_pp").head(20)
        data = pd.DataFrame({
            "label": [catalogue.get(i).title for i in top["indicator_id"]],
            "group": [group_value_label(t, v) for t, v in zip(top["group_type"], top["group_value"], strict=True)],
            "gap_pp": top["gap_pp"].astype(float), "gap_moe_pp": top["gap_moe_pp"].astype(float),
            "is_gap": True,
        })
        parts.append(render.paragraph(
            f"{len(flagged)} group rates in {ctx.year} are clearly below those of other learners; "
            f"the largest {len(data)} are shown."))
        parts.append(ctx.numbering.figure(charts.gap_dots(data, f"Largest equity gaps, {ctx.year}")))
    _show(*parts)


def show_data_quality(ctx: ReportContext) -> None:
    parts = []
    for yr, gate in sorted(ctx.gates.items()):
        status = "passed the validation gate" if gate.passed else "was refused"
        parts.append(render.paragraph(f"{yr}: the submission {status}."))
    warnings = getattr(ctx.gate, "warnings", [])
    if warnings:
        parts.append(render.paragraph(f"Warnings for {ctx.year} that do not block the report:"))
        parts.append(render.bullet_list([_warning_text(w) for w in warnings]))
    else:
        parts.append(render.paragraph(f"No data-quality warnings for {ctx.year}."))
    _show(*parts)


def _warning_text(warning: object) -> str:
    for attr in ("message", "text"):
        if hasattr(warning, attr):
            return str(getattr(warning, attr))
    if isinstance(warning, dict):
        return str(warning.get("message") or warning)
    return str(warning)


def show_methods(ctx: ReportContext) -> None:
    export_rows = len(ctx.export)
    parts = [
        render.paragraph(
            "Definitions of every indicator, the data each reads and the suppression rule are on the book's "
            "methods page. Rates carry 95% Wilson score intervals."),
        render.paragraph(
            f"This report's {export_rows} figures are also in the partnership's indicator table (export.csv), "
            "with the same suppression."),
    ]
    _show(*parts)

