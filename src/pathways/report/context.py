"""The partnership-year report context: what a report notebook reads its rows, sentences,
tables and charts from.

A notebook opens a :class:`ReportContext` with :func:`open_report` and, section by section,
glues the context's sentences into its Markdown (myst-nb ``glue``), fetches rows
(:meth:`ReportContext.breakdown`, :meth:`ReportContext.trend`), draws them with
:mod:`pathways.report.charts` (seaborn) and shows the objects returned. Everything shown comes from
the suppressed export, so a report can never show a number the export does not.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from pathways import __version__
from pathways.indicators.suppression import in_words
from pathways.io.catalogue import Catalogue, load_catalogue
from pathways.io.dictionary import load_dictionary
from pathways.io.export import write_export
from pathways.io.paths import submission_dir
from pathways.io.project import resolve_paths
from pathways.io.registry import Partnership, load_registry
from pathways.io.submission import read_table, submission_digest
from pathways.report import cells, render, story, theme
from pathways.report.labels import (
    GAP_TRENDS,
    LEARNER_GROUPS,
    group_type_label,
    group_value_label,
    measure_label,
    population,
)
from pathways.report.theme import fmt_count, fmt_rate, is_missing, signed

__all__ = ["LEARNER_GROUPS", "ReportContext", "open_report"]

# Breakdowns of a rate's table: the five learner breakdowns, then programs (not a group of learners).
TABLE_GROUPS = load_catalogue().in_display_order("pathway")


@dataclass
class ReportContext:
    partnership: Partnership
    year: int
    min_cell_size: int
    export: pd.DataFrame  # rows of year Y, with trend, goal and gap-trend columns
    series: pd.DataFrame  # rows of every year from the baseline to Y
    gates: dict[int, object]  # pathways.gate GateResult per year up to Y
    output_dir: Path
    data_digest: str = ""
    pathways_offered: pd.DataFrame = field(default_factory=pd.DataFrame)  # pathways.csv of Y, as submitted
    catalogue: Catalogue = field(default_factory=load_catalogue)
    _by_indicator: dict[str, pd.DataFrame] | None = field(default=None, init=False, repr=False)

    # ------------------------------------------------------------ facts
    @property
    def baseline_year(self) -> int:
        return self.partnership.baseline_year

    @property
    def school_year(self) -> str:
        """``2023-24`` for the year 2024."""
        return f"{self.year - 1}-{str(self.year)[-2:]}"

    @property
    def gate(self):
        return self.gates[self.year]

    def learners(self) -> str:
        """Learners in grades 9-12 this year (the denominator of the participation rates), as text."""
        row = self.row("cte_participation")
        if row is None or cells.state(row) not in ("exact", *cells.CODED):
            row = self.row("credential_attainment")
        return cells.denominator_text(row) if row is not None else ""

    # ------------------------------------------------------------ rows
    def rows(
        self, indicator_id: str, measure: str | None = None, group_type: str | None = "all"
    ) -> pd.DataFrame:
        """Export rows of one indicator (all measures, every group type when ``None``)."""
        if self._by_indicator is None:  # a report asks for each indicator many times
            self._by_indicator = dict(tuple(self.export.groupby("indicator_id", sort=False)))
        frame = self._by_indicator.get(indicator_id, self.export.iloc[:0])
        if measure is not None:
            frame = frame[frame["measure"] == measure]
        if group_type is not None:
            frame = frame[frame["group_type"] == group_type]
        return frame

    def row(self, indicator_id: str, measure: str | None = None) -> pd.Series | None:
        """The all-learners row of an indicator (its rate for a rate)."""
        if measure is None and self.catalogue.get(indicator_id).unit == "rate":
            measure = "rate"
        rows = self.rows(indicator_id, measure)
        return None if rows.empty else rows.iloc[0]

    def breakdown(
        self, indicator_id: str, by: tuple[str, ...] | list[str] = LEARNER_GROUPS, measure: str = "rate"
    ) -> pd.DataFrame:
        """Rows of ``indicator_id`` for the breakdowns ``by`` (in that order), with a reader's
        ``label`` and ``population`` (who the rate covers) beside the export's columns."""
        rows = self.rows(indicator_id, measure, None)
        rows = rows[rows["group_type"].isin(by)]
        order = {g: i for i, g in enumerate(by)}
        rows = rows.assign(_order=rows["group_type"].map(order)).sort_values("_order", kind="stable")
        ind = self.catalogue.get(indicator_id)
        return (
            rows.drop(columns="_order")
            .assign(
                label=[
                    group_value_label(t, v)
                    for t, v in zip(rows["group_type"], rows["group_value"], strict=True)
                ],
                population=population(ind, self.year),
            )
            .reset_index(drop=True)
        )

    def trend(self, *indicator_ids: str, measure: str = "rate") -> pd.DataFrame:
        """All-learners rows of every year from the baseline to Y, ``label`` naming each indicator
        and who it covers (a rate's population differs between indicators)."""
        frames = []
        for indicator_id in indicator_ids:
            ind = self.catalogue.get(indicator_id)
            part = self.series[
                (self.series["indicator_id"] == indicator_id)
                & (self.series["group_type"] == "all")
                & (self.series["measure"] == measure)
                & (self.series["status"] == "ok")
            ]
            if part.empty:
                continue
            label = ind.title if measure != "rate" else f"{ind.title} (of {population(ind)})"
            frames.append(part.assign(label=label, population=population(ind)))
        if not frames:
            return self.series.iloc[:0].assign(label=pd.Series(dtype=object))
        return pd.concat([f.sort_values("school_year") for f in frames], ignore_index=True)

    def sentence(self, indicator_id: str) -> str:
        """The indicator's sentence for this year: its number, who it covers, what it counts and its change."""
        return story.indicator_sentence(
            self.catalogue.get(indicator_id), self.export, self.year, self.min_cell_size
        )

    def count(self, indicator_id: str, measure: str) -> str:
        """A count of the all-learners rows as a reader sees it (``140``, ``<10``)."""
        row = self.row(indicator_id, measure)
        return (
            "no"
            if row is None
            else cells.shown(row, "usd" if measure == "usd" else "count", self.min_cell_size)
        )

    def share_of(self, indicator_id: str) -> str:
        """An axis label: ``Share of learners in grades 9-12``."""
        return "Share of " + population(self.catalogue.get(indicator_id), self.year)

    # ------------------------------------------------------------ the opening
    def cover(self) -> render.Block:
        p = self.partnership
        facts = [
            ("Partnership", p.name),
            ("Region", p.region),
            ("Convener", p.convener),
            ("Partners", ", ".join(x.name for x in p.partners)),
            (
                "Data",
                f"school year {self.school_year}, submitted by the partners and checked by the validation "
                f"gate; data version {self.data_digest[:12] or 'unknown'}",
            ),
        ]
        parts = [render.definition_list(facts)]
        if p.description:
            parts.insert(0, render.paragraph(p.description, "pw-lede"))
        if p.is_demo:
            parts.append(
                render.note(
                    "Demo partnership: every learner record behind this report is synthetic. The numbers show what "
                    "the report looks like; they say nothing about the institutions named."
                )
            )
        parts.append(
            render.paragraph(
                in_words(self.catalogue.suppression.report_summary, self.min_cell_size), "pw-small"
            )
        )
        return render.block(*parts)

    def headline_sentences(self) -> list[str]:
        return [
            story.headline_sentence(ind, row, self.year, self.min_cell_size)
            for ind, row in story.headline_rows(self.export, self.catalogue)
        ]

    def headlines(self) -> render.Block:
        sentences = self.headline_sentences()
        if not sentences:
            return render.block(render.paragraph("None of the headline outcomes can be shown for this year."))
        return render.block(render.bullet_list(sentences, "pw-headline"))

    def headline_tiles(self) -> render.Block:
        items = [
            story.headline_tile(ind, row, self.year)
            for ind, row in story.headline_rows(self.export, self.catalogue)
        ]
        return (
            render.block(render.tiles(items))
            if items
            else render.block(render.paragraph("None of the headline outcomes can be shown for this year."))
        )

    def goals(self) -> render.Table | render.Block:
        goals = story.goal_rows(self.export, self.partnership, self.catalogue, self.year)
        if not goals:
            return render.block(render.paragraph("The partnership has not set goals in the registry."))
        frame = pd.DataFrame(
            {
                "Goal": [g["goal"] for g in goals],
                "Target": [g["target"] for g in goals],
                f"Now ({self.year})": [g["now"] or "not shown" for g in goals],
                f"Progress from {self.baseline_year}": [g["progress"] or "—" for g in goals],
                "Pace": [g["pace"] for g in goals],
            }
        )
        data = self.export[(self.export["group_type"] == "all") & self.export["goal_target"].notna()]
        return render.Table(
            frame,
            f"Progress against the partnership's goals, {self.year}",
            data=data,
            numeric=(f"Now ({self.year})",),
            folded=False,
        )

    # ------------------------------------------------------------ sections
    def breakdown_table(self, indicator_id: str, by: tuple[str, ...] = TABLE_GROUPS) -> render.Table | None:
        """The rate by every group of ``by``: rate, interval, learners, gap and the gap's change."""
        ind = self.catalogue.get(indicator_id)
        rows = self.breakdown(indicator_id, by)
        if rows.empty:
            return None
        overall = self.row(indicator_id)
        shown_rows = [] if overall is None else [overall]
        out = []
        for r in ([overall] if overall is not None else []) + [r for _, r in rows.iterrows()]:
            st = cells.state(r)
            learner_group = r["group_type"] in LEARNER_GROUPS
            gap = ""
            if st == "exact" and learner_group and not is_missing(r.get("gap_pp")):
                gap = f"{signed(r['gap_pp'])} ± {float(r['gap_moe_pp']):.1f}"
                if bool(r.get("is_gap")) and not is_missing(r.get("is_gap")):
                    gap += " (gap)"
            elif r["group_type"] == "industry_sector":
                gap = "—"  # a program, compared with all learners: the table's note says so
            trend = ""
            if st == "exact" and learner_group and isinstance(r.get("gap_trend"), str) and r.get("gap_trend"):
                trend = GAP_TRENDS.get(r["gap_trend"], r["gap_trend"])
                if not is_missing(r.get("gap_baseline_pp")):
                    trend += f" (was {signed(r['gap_baseline_pp'])})"
            out.append(
                {
                    "Group": (
                        "All learners"
                        if r["group_type"] == "all"
                        else f"{group_type_label(r['group_type'])}: {group_value_label(r['group_type'], r['group_value'])}"
                    ),
                    "Rate": cells.shown_with_reason(r, "rate", self.min_cell_size),
                    "95% interval": ""
                    if st != "exact" or is_missing(r.get("ci_low"))
                    else f"{fmt_rate(r['ci_low'])}–{fmt_rate(r['ci_high'])}",
                    "Learners": cells.denominator_text(r),
                    "Gap vs other learners (points)": gap,
                    f"Gap since {self.baseline_year}": trend,
                }
            )
        frame = pd.DataFrame(out)
        if not frame[f"Gap since {self.baseline_year}"].astype(bool).any():
            frame = frame.drop(columns=f"Gap since {self.baseline_year}")
        data = pd.concat([pd.DataFrame(shown_rows), rows], ignore_index=True) if shown_rows else rows
        notes = []
        if (
            overall is not None
            and cells.is_exact(overall)
            and isinstance(overall.get("note"), str)
            and overall["note"]
        ):
            notes.append(overall["note"][0].upper() + overall["note"][1:] + ".")
        if (rows["group_type"] == "industry_sector").any():
            notes.append(
                "Industry-sector rows count learners with a completed course in the sector (a learner may "
                "count in several) and compare them with all learners: they describe programs, not groups "
                "of learners."
            )
        note = " ".join(notes)
        return render.Table(
            frame,
            f"{ind.title} by group, {self.year} (share of {population(ind, self.year)})",
            data=data,
            numeric=("Rate", "95% interval", "Learners"),
            folded=True,
            note=note,
        )

    def tables(self, section_id: str) -> render.Block:
        """Every table of a section behind one fold (each folded again): each rate by group, then
        the section's own tables. The fold's line names them; printing opens them all."""
        tables: list[render.Table] = []
        for ind in self.catalogue.in_section(section_id):
            table = self.breakdown_table(ind.id) if ind.unit == "rate" else None
            special = _SECTION_TABLES.get(ind.id)
            tables += [t for t in (table, special(self, ind.id) if special else None) if t is not None]
        if section_id == "pathways" and (offered := self.pathways_table()) is not None:
            tables.append(offered)
        if not tables:
            return render.block()
        first = render.numbering().tables + 1
        parts = [t._repr_html_() for t in tables]
        names = "; ".join(t.caption.split(",")[0] for t in tables)
        label = f"Table {first}" if len(tables) == 1 else f"Tables {first}-{first + len(tables) - 1}"
        return render.block(
            render.fold(f"{label} of this section, with their data: {names}", parts),
            cls="pw-report pw-tables",
        )

    def pathways_table(self) -> render.Table | None:
        if self.pathways_offered.empty:
            return None
        offered = self.pathways_offered.sort_values(["industry_sector", "pathway_name"])
        frame = pd.DataFrame(
            {
                "Pathway": offered["pathway_name"].astype(str),
                "Industry sector": [
                    group_value_label("industry_sector", v) for v in offered["industry_sector"]
                ],
                "High-demand": offered["is_high_demand"].map({True: "yes", False: "no"}).fillna("unknown"),
                "Nontraditional for": offered["nontraditional_gender"]
                .map(load_dictionary().file("pathways").column("nontraditional_gender").value_labels)
                .fillna("—"),
            }
        )
        return render.Table(frame, f"Career pathways offered in {self.school_year}", folded=True)

    def amounts_table(self, indicator_id: str) -> render.Table | None:
        """Counts and money of an indicator by year (teacher externships, employers, tuition saved)."""
        hist = self.series[
            (self.series["indicator_id"] == indicator_id)
            & (self.series["group_type"] == "all")
            & (self.series["status"] == "ok")
        ]
        if hist.empty:
            return None
        years = sorted(int(y) for y in hist["school_year"].unique())
        table = []
        for measure, part in hist.groupby("measure", sort=False):
            by_year = {int(r["school_year"]): r for _, r in part.iterrows()}
            unit = "usd" if measure == "usd" else "count"
            entry = {"Measure": measure_label(measure).capitalize()}
            for y in years:
                entry[str(y)] = cells.shown(by_year[y], unit, self.min_cell_size) if y in by_year else "—"
            table.append(entry)
        frame = pd.DataFrame(table)
        title = self.catalogue.get(indicator_id).title
        return render.Table(
            frame,
            f"{title} by year, {years[0]}-{years[-1]}",
            data=hist,
            numeric=tuple(frame.columns[1:]),
            folded=True,
        )

    def wbl_table(self, indicator_id: str = "wbl_by_type") -> render.Table | None:
        hist = self.series[
            (self.series["indicator_id"] == indicator_id) & (self.series["group_type"] == "wbl_type")
        ]
        if hist.empty:
            return None
        table = []
        for (kind, yr), part in hist.groupby(["group_value", "school_year"], sort=True):
            learners = part[part["measure"] == "learners"]
            employers = part[part["measure"] == "employers"]
            n = cells.shown(learners.iloc[0], "count", self.min_cell_size) if not learners.empty else "—"
            m = cells.shown(employers.iloc[0], "count", self.min_cell_size) if not employers.empty else "—"
            table.append(
                {
                    "Kind of experience": group_value_label("wbl_type", kind),
                    "Year": str(int(yr)),
                    "In words": f"{n} learners with {m} employers",
                }
            )
        wide = (
            pd.DataFrame(table)
            .pivot(index="Kind of experience", columns="Year", values="In words")
            .reset_index()
        )
        return render.Table(
            wide,
            "Completed work-based learning experiences by kind and year (learners with "
            f"employers), {self.baseline_year}-{self.year}",
            data=hist,
            folded=True,
        )

    def employer_sentences(self) -> list[str]:
        return story.employer_sentences(self.export)

    def employers(self) -> render.Block:
        """Each kind of work-based learning: its learners and the employers hosting them."""
        rows = story.employer_rows(self.export)
        if not rows:
            return render.block(render.paragraph("No kind of work-based learning can be shown this year."))
        return render.block(
            render.bullet_list(
                [f"{kind}: {n} learners" + (f" with {m} employers" if m else "") for kind, n, m in rows],
                "pw-columns",
            )
        )

    def wbl_kinds(self) -> pd.DataFrame:
        """Learners by kind of work-based learning this year, with a reader's ``label``."""
        rows = self.rows("wbl_by_type", "learners", "wbl_type")
        return rows.assign(label=[group_value_label("wbl_type", v) for v in rows["group_value"]]).reset_index(
            drop=True
        )

    def odds_terms(self) -> pd.DataFrame:
        """The adjusted odds ratios that can be drawn (shown and estimable), with a reader's ``label``."""
        rows = self.rows("graduation_odds_by_cte", "odds_ratio", "term")
        rows = rows[cells.states(rows) == "exact"] if not rows.empty else rows
        return rows.assign(label=[story.ODDS_LABELS.get(v, str(v)) for v in rows["group_value"]]).reset_index(
            drop=True
        )

    def years_after(self) -> pd.DataFrame:
        rows = self.rows("family_sustaining_wage", "rate", "years_since_graduation")
        return rows.assign(
            label=[group_value_label("years_since_graduation", v) for v in rows["group_value"]]
        ).reset_index(drop=True)

    def survey_items(self) -> pd.DataFrame:
        rows = self.rows("stakeholder_satisfaction", "mean", "item")
        return rows.assign(label=[group_value_label("item", v) for v in rows["group_value"]]).reset_index(
            drop=True
        )

    def survey_table(self, indicator_id: str = "stakeholder_satisfaction") -> render.Table | None:
        rows = self.rows(indicator_id, None, None)
        by_type = rows[rows["group_type"].str.startswith("stakeholder_type")]
        if by_type.empty:
            return None
        shown = by_type.assign(
            Item=by_type["group_type"].str.split(":").str[-1].map(lambda v: group_value_label("item", v)),
            Stakeholder=by_type["group_value"].map(lambda v: group_value_label("stakeholder_type", v)),
            Mean=[cells.shown(r, "mean", self.min_cell_size) for _, r in by_type.iterrows()],
        )
        wide = shown.pivot_table(
            index="Stakeholder", columns="Item", values="Mean", aggfunc="first"
        ).reset_index()
        return render.Table(
            wide,
            f"Mean rating by stakeholder type, {self.year} (1 = strongly disagree, 5 = strongly agree)",
            data=by_type,
            numeric=tuple(wide.columns[1:]),
            folded=True,
        )

    # ------------------------------------------------------------ equity
    def largest_gaps(self, most: int = 12) -> pd.DataFrame:
        """Flagged gaps of the five learner breakdowns, largest first, with a ``label``."""
        rows = story.largest_gaps(self.export, most)
        return rows.assign(
            label=[story.gap_label(r, self.catalogue) for _, r in rows.iterrows()]
        ).reset_index(drop=True)

    def gap_count(self) -> str:
        rows = story.learner_gap_rows(self.export)
        flagged = (
            int((rows["is_gap"].fillna(False).astype(bool) & (rows["group_value"] != "unknown")).sum())
            if not rows.empty
            else 0
        )
        return fmt_count(flagged)

    def gap_sentences(self, most: int = 5) -> render.Block:
        rows = story.largest_gaps(self.export, most)
        if rows.empty:
            return render.block(
                render.paragraph(f"No group's rate is clearly below that of other learners in {self.year}.")
            )
        return render.block(
            render.bullet_list([story.gap_sentence(r, self.catalogue) for _, r in rows.iterrows()])
        )

    def gap_changes(self, most: int = 5) -> pd.DataFrame:
        """The gaps that narrowed most and those that widened most since the baseline, with a ``label``."""
        narrowed, widened = story.narrowed_and_widened(self.export, most)
        rows = pd.concat([narrowed, widened], ignore_index=True)
        return rows.assign(label=[story.gap_label(r, self.catalogue) for _, r in rows.iterrows()])

    def gap_trend_summary(self) -> str:
        return story.gap_trend_summary(self.export, self.baseline_year)

    def gap_moves(self, most: int = 5) -> render.Block:
        narrowed, widened = story.narrowed_and_widened(self.export, most)
        parts = []
        for title, rows in (("Narrowed most", narrowed), ("Widened most", widened)):
            if not rows.empty:
                parts.append(render.paragraph(title + ":", "pw-list-head"))
                parts.append(
                    render.bullet_list(
                        [story.gap_move_sentence(r, self.catalogue) for _, r in rows.iterrows()]
                    )
                )
        return render.block(*parts)

    # ------------------------------------------------------------ the brief
    def full_report_link(self) -> render.Block:
        """Where the full report is: the standalone copy beside this one in a published version
        (``briefs/`` and ``reports/`` are sibling folders); the book places it as this page's chapter."""
        return render.block(
            render.linked_paragraph(
                "The full report, with every indicator, breakdown and table: ",
                f"{self.partnership.name}, progress report {self.school_year}",
                f"../reports/{self.partnership.id}-{self.year}.html",
                ".",
                "pw-full-report",
                report=f"{self.partnership.id}/{self.year}",
            )
        )

    def data_facts(self) -> render.Block:
        """The data's year and version, for the foot of a brief."""
        return render.block(
            render.paragraph(
                f"Data of school year {self.school_year} as the partners submitted it (every year since "
                f"{self.baseline_year} passed the validation gate); data version {self.data_digest[:12] or 'unknown'}, "
                f"a digest of the submitted files. Made with Pathways {__version__} on "
                f"{datetime.now(UTC).date().isoformat()}; the book's version is in the page header. No group of fewer "
                f"than {self.min_cell_size} learners is shown.",
                "pw-small",
            )
        )

    def partners_line(self) -> str:
        p = self.partnership
        return f"Convened by {p.convener}. Partners: " + ", ".join(x.name for x in p.partners) + "."

    # ------------------------------------------------------------ the closing
    def data_quality(self) -> render.Block:
        parts = []
        years = sorted(self.gates)
        passed = [y for y in years if self.gates[y].passed]
        parts.append(
            render.paragraph(
                f"The submissions of {', '.join(str(y) for y in passed)} passed the validation gate; nothing in this "
                "report comes from a refused file."
            )
        )
        warnings = list(getattr(self.gate, "warnings", []))
        if warnings:
            parts.append(render.paragraph(f"Warnings for {self.year} that do not block the report:"))
            parts.append(render.bullet_list([_warning_text(w) for w in warnings]))
        else:
            parts.append(render.paragraph(f"No data-quality warnings for {self.year}."))
        return render.block(*parts)

    def methods(self) -> render.Block:
        return render.block(
            render.paragraph(
                "Definitions of every indicator, the data each reads and the suppression rules are on the book's "
                "methods page. Rates carry 95% Wilson score intervals; a gap compares a group with all other "
                "learners, and is flagged when its whole 95% margin of error lies below zero."
            ),
            render.paragraph(
                f"This report's {len(self.export)} figures are also in the partnership's indicator table "
                "(export.csv), with the same suppression; each figure and table links its own rows as CSV. "
                f"Made with Pathways {__version__} on {datetime.now(UTC).date().isoformat()}."
            ),
        )


def _warning_text(warning: object) -> str:
    for attr in ("message", "text"):
        if hasattr(warning, attr):
            return str(getattr(warning, attr))
    if isinstance(warning, dict):
        return str(warning.get("message") or warning)
    return str(warning)


_SECTION_TABLES = {
    "wbl_by_type": ReportContext.wbl_table,
    "teacher_externships": ReportContext.amounts_table,
    "employer_engagement": ReportContext.amounts_table,
    "credit_savings_usd": ReportContext.amounts_table,
    "stakeholder_satisfaction": ReportContext.survey_table,
}


def open_report(
    partnership: str,
    year: int,
    data_dir: str | Path | None = None,
    registry_path: str | Path | None = None,
    output_dir: str | Path | None = None,
) -> ReportContext:
    """Gate every year up to ``year``, compute the export and return the report's context.

    Raises the gate's refusal (with the data clerk's message) when any year up to ``year``
    is refused: nothing is computed from refused data. A ``None`` path is the project's
    (``data/``, ``partnerships.yml``) or, for ``output_dir``, a scratch folder, so a
    notebook run by hand writes nothing under ``reports/``. Opening a report applies the
    project's chart theme and numbers figures and tables from 1.
    """
    from pathways.gate import require_history_pass
    from pathways.indicators import compute_export, compute_series

    data_dir, registry_path, output_dir = resolve_paths(
        data_dir, registry_path, output_dir, job=f"{partnership}/{year}"
    )
    year = int(year)
    registry = load_registry(registry_path)
    entry = registry.get(partnership)
    gates = require_history_pass(data_dir, partnership, year)
    series = compute_series(data_dir, registry, partnership, year)
    export = compute_export(data_dir, registry, partnership, year, series=series)
    series = with_contract_columns(series)
    export = with_contract_columns(export, series)
    output_dir.mkdir(parents=True, exist_ok=True)
    # The runner on main reads each job's export and gate results from its folder; the
    # contracted runner writes them itself (CONTRACTS.md section 2) and these become copies.
    with open(output_dir / "export.csv", "w", encoding="utf-8", newline="") as fh:
        write_export(export, fh, "csv")
    (output_dir / "validation.json").write_text(
        json.dumps({str(y): g.to_dict() for y, g in gates.items()}, indent=2, default=str), encoding="utf-8"
    )
    theme.apply()
    render.start_numbering(output_dir / "figures")
    return ReportContext(
        entry,
        year,
        registry.min_cell_size,
        export,
        series,
        gates,
        output_dir,
        submission_digest(data_dir, partnership, year),
        _pathways_offered(data_dir, partnership, year),
    )


def _pathways_offered(data_dir: Path, partnership: str, year: int) -> pd.DataFrame:
    """The partnership's pathways of year Y (not learner data: names and sectors of programs)."""
    spec = load_dictionary().file("pathways")
    path = submission_dir(data_dir, partnership, year) / spec.filename
    return read_table(path, spec) if path.is_file() else pd.DataFrame()


# ---------------------------------------------------------------------- export columns
_NUMBER_COLUMNS = (
    "bound",
    "prior_year",
    "change_from_baseline_pp",
    "change_from_prior_pp",
    "change_from_baseline_pct",
    "change_from_prior_pct",
    "change_from_baseline_diff",
    "change_from_prior_diff",
    "baseline_numerator",
    "prior_numerator",
    "numerator_change_from_baseline_pct",
    "numerator_change_from_prior_pct",
    "gap_baseline_pp",
    "gap_change_pp",
    "gap_change_moe_pp",
)


def with_contract_columns(frame: pd.DataFrame, series: pd.DataFrame | None = None) -> pd.DataFrame:
    """Export rows with every column of the export contract (CONTRACTS.md section 1).

    Rows that have them are returned as they are. Rows from before the contract get
    ``shown_as`` from ``suppressed``, their mixed-unit changes split by unit and, given the
    ``series``, the numerators of the baseline and prior years read from it; the columns only
    the engine can fill (bounds, gap trends) stay blank.
    """
    if "shown_as" in frame and "numerator_change_from_baseline_pct" in frame:
        return frame
    out = frame.copy()
    if "shown_as" not in out:
        shown_as = np.where(out["suppressed"].astype(bool), "suppressed", "exact")
        out["shown_as"] = pd.Series(shown_as, index=out.index, dtype=object).where(
            out["status"] == "ok", None
        )
    for col in _NUMBER_COLUMNS:
        if col not in out:
            out[col] = np.nan
    if "gap_trend" not in out:
        out["gap_trend"] = None
    if series is None or "change_from_baseline" not in out:
        return out.drop(columns=[c for c in ("change_from_baseline", "change_from_prior") if c in out])
    is_rate, is_mean = out["measure"] == "rate", out["measure"] == "mean"
    for since in ("baseline", "prior"):
        change = pd.to_numeric(out[f"change_from_{since}"], errors="coerce")
        out[f"change_from_{since}_pp"] = (change * 100).where(is_rate)
        out[f"change_from_{since}_pct"] = (change * 100).where(~is_rate & ~is_mean)
        out[f"change_from_{since}_diff"] = change.where(is_mean)
    year = int(out["school_year"].max()) if not out.empty else 0
    earlier = series[(series["school_year"] < year) & (series["status"] == "ok")]
    prior_year = int(earlier["school_year"].max()) if not earlier.empty else None
    numerators = {
        (r.indicator_id, int(r.school_year)): r.numerator
        for r in series.itertuples()
        if r.group_type == "all" and r.measure == "rate" and not bool(r.suppressed)
    }
    for idx in out.index[(out["group_type"] == "all") & is_rate & ~out["suppressed"].astype(bool)]:
        r = out.loc[idx]
        now = r["numerator"]
        base_year = r["baseline_year"]
        for when, col, pct_col in (
            (base_year, "baseline_numerator", "numerator_change_from_baseline_pct"),
            (prior_year, "prior_numerator", "numerator_change_from_prior_pct"),
        ):
            if is_missing(when):
                continue
            then = numerators.get((r["indicator_id"], int(when)), np.nan)
            out.loc[idx, col] = then
            if not is_missing(then) and float(then) > 0 and not is_missing(now) and int(when) < year:
                out.loc[idx, pct_col] = (float(now) / float(then) - 1) * 100
        if prior_year is not None:
            out.loc[idx, "prior_year"] = prior_year
    return out.drop(columns=["change_from_baseline", "change_from_prior"])
