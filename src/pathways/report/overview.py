"""The statewide overview for task forces: every partnership's export of one year, side by side.

It reads the exports the runs wrote (already suppressed), so the overview can never show a
number that a partnership's own report does not. Like a report, the overview notebook fetches
rows from the context, draws them with :mod:`pathways.report.charts` and shows the objects returned.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pathways.io.catalogue import Catalogue, load_catalogue
from pathways.io.export import read_export, write_export
from pathways.io.project import project_root, resolve_paths
from pathways.io.registry import Registry, load_registry
from pathways.report import cells, render, story, theme
from pathways.report.context import with_contract_columns
from pathways.report.labels import FOCAL_GROUPS, GAP_TRENDS, group_value_label
from pathways.report.theme import fmt_count, signed

# The key rates a task force compares across partnerships (``overview`` ranks of the catalogue).
KEY_RATES = load_catalogue().key_rates()

__all__ = ["KEY_RATES", "OverviewContext", "open_overview"]


@dataclass
class OverviewContext:
    year: int
    registry: Registry
    exports: pd.DataFrame  # all partnerships' rows of this year
    missing: list[str]  # partnerships without a report this year
    min_cell_size: int
    catalogue: Catalogue

    @property
    def school_year(self) -> str:
        return f"{self.year - 1}-{str(self.year)[-2:]}"

    def name(self, partnership_id: str) -> str:
        return self.registry.get(partnership_id).name

    def reported(self) -> str:
        return fmt_count(self.exports["partnership_id"].nunique() if not self.exports.empty else 0)

    def intro(self) -> render.Block:
        parts = []
        if self.missing:
            parts.append(
                render.note(
                    "No report this year for: "
                    + ", ".join(self.missing)
                    + " (not submitted, refused by the validation gate, or failed)."
                )
            )
        if any(p.is_demo for p in self.registry.partnerships):
            parts.append(render.note("Demo partnerships use synthetic learner records."))
        return render.block(*parts)

    # ------------------------------------------------------------ rates
    def key_rates(self, indicators: tuple[str, ...] = KEY_RATES) -> pd.DataFrame:
        """The all-learners rate of each key indicator and partnership, with ``label`` (indicator) and
        ``partnership`` (its name) beside the export's columns."""
        e = self.exports
        if e.empty:
            return e
        rows = e[(e["group_type"] == "all") & (e["measure"] == "rate") & e["indicator_id"].isin(indicators)]
        order = {i: n for n, i in enumerate(indicators)}
        rows = rows.assign(_o=rows["indicator_id"].map(order)).sort_values(
            ["_o", "partnership_id"], kind="stable"
        )
        return (
            rows.drop(columns="_o")
            .assign(
                label=[self.catalogue.get(i).title for i in rows["indicator_id"]],
                partnership=[self.name(p) for p in rows["partnership_id"]],
            )
            .reset_index(drop=True)
        )

    def key_table(self) -> render.Table | render.Block:
        rows = self.key_rates()
        if rows.empty:
            return render.block(render.paragraph("No partnership has a report for this year."))
        table: dict[str, dict[str, str]] = {}
        for _, r in rows.iterrows():
            st = cells.state(r)
            shown = cells.shown(r, "rate", self.min_cell_size)
            if st in ("exact", *cells.CODED):
                shown += f" (n={cells.denominator_text(r)})"
            table.setdefault(r["label"], {})[r["partnership"]] = shown
        frame = pd.DataFrame(table).T.reset_index().rename(columns={"index": "Indicator"}).fillna("—")
        return render.Table(
            frame,
            f"Key rates by partnership, {self.year} (n = learners the rate covers)",
            data=rows,
            numeric=tuple(frame.columns[1:]),
            folded=False,
        )

    # ------------------------------------------------------------ equity
    def focal_gaps(self, indicators: tuple[str, ...] = KEY_RATES, race: bool = False) -> pd.DataFrame:
        """Each partnership's gap, for the key rates, of English learners, learners with disabilities
        and economically disadvantaged learners (``race``: of each race/ethnicity instead).

        Export rows with ``label`` (indicator), ``group`` (``Denver …: English learners``) and
        ``partnership`` columns; a group a partnership does not show keeps its suppressed or coded row.
        """
        e = self.exports
        if e.empty:
            return e
        if race:
            wanted = (e["group_type"] == "race_ethnicity") & (e["group_value"] != "unknown")
        else:
            wanted = pd.Series(False, index=e.index)
            for gtype, gvalue in FOCAL_GROUPS:
                wanted |= (e["group_type"] == gtype) & (e["group_value"] == gvalue)
        rows = e[wanted & (e["measure"] == "rate") & e["indicator_id"].isin(indicators)]
        order = {i: n for n, i in enumerate(indicators)}
        rows = rows.assign(
            _o=rows["indicator_id"].map(order),
            _g=rows["group_type"].astype(str) + rows["group_value"].astype(str),
        )
        rows = rows.sort_values(["_g", "partnership_id", "_o"], kind="stable").drop(columns=["_o", "_g"])
        return rows.assign(
            label=[self.catalogue.get(i).title for i in rows["indicator_id"]],
            partnership=[self.name(p) for p in rows["partnership_id"]],
            group=[
                f"{group_value_label(t, v)} — {self.name(p)}"
                for t, v, p in zip(
                    rows["group_type"], rows["group_value"], rows["partnership_id"], strict=True
                )
            ],
            group_label=[
                group_value_label(t, v) for t, v in zip(rows["group_type"], rows["group_value"], strict=True)
            ],
        ).reset_index(drop=True)

    def gap_table(self, race: bool = False) -> render.Table | None:
        rows = self.focal_gaps(race=race)
        if rows.empty:
            return None
        table: dict[str, dict[str, str]] = {}
        for _, r in rows.iterrows():
            st = cells.state(r)
            if st == "exact" and not pd.isna(r["gap_pp"]):
                shown = signed(r["gap_pp"]) + (" (gap)" if bool(r["is_gap"]) else "")
            elif st == "exact":
                shown = "no gap computed"
            else:
                shown = cells.shown_with_reason(r, "rate", self.min_cell_size)
            table.setdefault(r["group"], {})[r["label"]] = shown
        frame = (
            pd.DataFrame(table).T.reset_index().rename(columns={"index": "Group — partnership"}).fillna("—")
        )
        what = (
            "each race/ethnicity"
            if race
            else "English learners, learners with disabilities and economically disadvantaged learners"
        )
        return render.Table(
            frame,
            f"Gaps in points against all other learners of the same partnership, for {what}, {self.year}",
            data=rows,
            numeric=tuple(frame.columns[1:]),
            folded=True,
        )

    def closing(self) -> pd.DataFrame:
        """Gaps of the focal groups and races with a trend since each partnership's baseline, with labels."""
        rows = pd.concat([self.focal_gaps(), self.focal_gaps(race=True)], ignore_index=True)
        if rows.empty or "gap_trend" not in rows:
            return rows.iloc[:0]
        rows = story.gap_trend_rows(rows)
        return rows.drop(columns="_closed").assign(
            label=[f"{g} — {lbl}" for g, lbl in zip(rows["group"], rows["label"], strict=True)]
        )

    def gap_moves(self, most: int = 6) -> pd.DataFrame:
        """The focal groups' and races' gaps that narrowed most and widened most, across partnerships."""
        rows = pd.concat([self.focal_gaps(), self.focal_gaps(race=True)], ignore_index=True)
        if rows.empty:
            return rows
        narrowed, widened = story.narrowed_and_widened(rows, most)
        moved = pd.concat([narrowed, widened], ignore_index=True)
        return moved.assign(
            label=[f"{g} — {lbl}" for g, lbl in zip(moved["group"], moved["label"], strict=True)]
        )

    def closing_table(self) -> render.Table | render.Block:
        rows = self.closing()
        if rows.empty:
            return render.block(
                render.paragraph(
                    "No gap can be compared with a partnership's baseline year yet: a comparison needs the group's "
                    "gap published in both years."
                )
            )
        summary = []
        for pid, part in rows.groupby("partnership_id", sort=False):
            counts = part["gap_trend"].value_counts()
            narrowing = part[part["gap_trend"] == "narrowing"]
            summary.append(
                {
                    "Partnership": self.name(pid),
                    "Narrowing": str(int(counts.get("narrowing", 0))),
                    "Widening": str(int(counts.get("widening", 0))),
                    "No clear change": str(int(counts.get("no_clear_change", 0))),
                    "Closing": "; ".join(
                        f"{group_value_label(r['group_type'], r['group_value'])} — {r['label']}"
                        for _, r in narrowing.iterrows()
                    )
                    or "none",
                }
            )
        frame = pd.DataFrame(summary)
        return render.Table(
            frame,
            f"Gaps closing since each partnership's baseline year, {self.year} "
            f"({', '.join(GAP_TRENDS.values())})",
            data=rows,
            numeric=("Narrowing", "Widening", "No clear change"),
            folded=False,
        )

    def closing_sentence(self) -> str:
        rows = self.closing()
        if rows.empty:
            return "No partnership's gaps can be compared with its baseline year yet."
        closing = rows[rows["gap_trend"] == "narrowing"]
        names = list(dict.fromkeys(self.name(p) for p in closing["partnership_id"]))
        if not names:
            return "No partnership has a gap that clearly narrowed since its baseline year."
        return (
            f"{len(closing)} gaps of these groups narrowed clearly since the partnerships' baseline years, in "
            + ", ".join(names)
            + "."
        )

    def gap_counts(self) -> render.Table | None:
        e = self.exports
        if e.empty:
            return None
        rows = story.learner_gap_rows(e)
        flagged = rows[rows["is_gap"].fillna(False).astype(bool) & (rows["group_value"] != "unknown")]
        counts = flagged.groupby("partnership_id").size()
        ids = list(dict.fromkeys(e["partnership_id"]))
        frame = pd.DataFrame(
            {
                "Partnership": [self.name(p) for p in ids],
                "Group rates clearly below other learners": [str(int(counts.get(p, 0))) for p in ids],
            }
        )
        return render.Table(
            frame,
            f"Equity gaps flagged, {self.year}",
            data=flagged,
            numeric=(frame.columns[1],),
            folded=False,
        )


def open_overview(
    year: int,
    runs_dir: str | Path | None = None,
    registry_path: str | Path | None = None,
    output_dir: str | Path | None = None,
) -> OverviewContext:
    """Read every partnership's export of ``year`` from ``runs_dir`` (``None``: the project's
    ``reports/runs``, read only; a run by hand writes into the scratch folder)."""
    _, registry_path, out = resolve_paths(None, registry_path, output_dir, job=f"statewide/{year}")
    runs = Path(runs_dir) if runs_dir is not None else project_root() / "reports" / "runs"
    registry = load_registry(registry_path)
    frames, missing = [], []
    for p in registry.partnerships:
        path = runs / p.id / str(year) / "export.csv"
        if path.is_file():
            frames.append(read_export(path))
        else:
            missing.append(p.name)
    exports = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    if not exports.empty:
        exports = with_contract_columns(exports)
    out.mkdir(parents=True, exist_ok=True)
    if not exports.empty:
        with open(out / "export.csv", "w", encoding="utf-8", newline="") as fh:
            write_export(exports, fh, "csv")
    theme.apply()
    render.start_numbering(out / "figures")
    return OverviewContext(int(year), registry, exports, missing, registry.min_cell_size, load_catalogue())
