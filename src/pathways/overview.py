"""The statewide overview for task forces: every partnership's export of one year, side by side.

It reads the exports that the partnership reports wrote (already suppressed), so the
overview can never show a number that a partnership's own report does not.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from IPython.display import HTML, display

from pathways import charts, render
from pathways.catalogue import load_catalogue
from pathways.export import read_export, write_export
from pathways.registry import Registry, load_registry
from pathways.theme import fmt_bound, fmt_value

KEY_RATES = ("cte_participation", "cte_concentration", "credential_attainment", "wbl_participation",
             "early_postsecondary_credit", "on_time_graduation", "seamless_enrollment", "placement")


@dataclass
class OverviewContext:
    year: int
    registry: Registry
    exports: pd.DataFrame  # all partnerships' rows of this year
    missing: list[str]  # partnerships without a report this year
    min_cell_size: int
    numbering: render.Numbering = field(default_factory=render.Numbering)


def open_overview(year: int, *, runs_dir: str | Path, registry_path: str | Path,
                  output_dir: str | Path) -> OverviewContext:
    registry = load_registry(Path(registry_path))
    frames, missing = [], []
    for p in registry.partnerships:
        path = Path(runs_dir) / p.id / str(year) / "export.csv"
        if path.is_file():
            frames.append(read_export(path))
        else:
            missing.append(p.name)
    exports = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    out = Path(output_dir)
    out.mkdir(parents=True, exist_ok=True)
    if not exports.empty:
        with open(out / "export.csv", "w", encoding="utf-8", newline="") as fh:
            write_export(exports, fh, "csv")
    return OverviewContext(int(year), registry, exports, missing, registry.min_cell_size,
                           render.Numbering(figure_dir=out / "figures"))


def _name(ctx: OverviewContext, pid: str) -> str:
    return ctx.registry.get(pid).name


def _show(*parts: str) -> None:
    display(HTML('<div class="pw-report">' + "".join(parts) + "</div>"))


def show_intro(ctx: OverviewContext) -> None:
    n = ctx.exports["partnership_id"].nunique() if not ctx.exports.empty else 0
    parts = [render.paragraph(
        f"School year {ctx.year - 1}-{str(ctx.year)[-2:]}: {n} partnership(s) on the same indicators, with the "
        f"same suppression (no group of fewer than {ctx.min_cell_size} learners is shown).")]
    if ctx.missing:
        parts.append(render.note("No report this year for: " + ", ".join(ctx.missing)
                                 + " (not submitted, refused by the validation gate, or failed)."))
    if any(p.is_demo for p in ctx.registry.partnerships):
        parts.append(render.note("Demo partnerships use synthetic learner records."))
    _show(*parts)


def _all_rate_rows(ctx: OverviewContext) -> pd.DataFrame:
    e = ctx.exports
    if e.empty:
        return e
    return e[(e["group_type"] == "all") & (e["measure"] == "rate") & e["indicator_id"].isin(KEY_RATES)]


def show_key_table(ctx: OverviewContext) -> None:
    rows = _all_rate_rows(ctx)
    if rows.empty:
        _show(render.paragraph("No partnership has a report for this year."))
        return
    catalogue = load_catalogue()
    table = {}
    for r in rows.itertuples():
        if r.status != "ok":
            shown = "not submitted" if r.status == "not_submitted" else "not available"
        elif bool(r.suppressed):
            shown = "suppressed"
        elif fmt_bound(r.shown_as, r.bound):
            shown = f"{fmt_bound(r.shown_as, r.bound)} (n={int(r.denominator):,})"
        else:
            shown = f"{fmt_value(r.value, 'rate')} (n={int(r.denominator):,})"
        table.setdefault(catalogue.get(r.indicator_id).title, {})[_name(ctx, r.partnership_id)] = shown
    frame = pd.DataFrame(table).T.reset_index().rename(columns={"index": "Indicator"}).fillna("—")
    _show(ctx.numbering.table(frame, f"Key rates by partnership, {ctx.year} (n = learners in the denominator)",
                              numeric=tuple(frame.columns[1:])))


def show_rate_charts(ctx: OverviewContext) -> None:
    rows = _all_rate_rows(ctx)
    if rows.empty:
        return
    catalogue = load_catalogue()
    parts = []
    for indicator_id, part in rows.groupby("indicator_id", sort=False):
        part = part[part["status"] == "ok"]
        if part.empty:
            continue
        data = pd.DataFrame({
            "label": [_name(ctx, p) for p in part["partnership_id"]],
            "value": part["value"].astype(float),
            "suppressed": part["suppressed"].astype(bool),
            "denominator": part["denominator"],
            "shown_as": part["shown_as"], "bound": part["bound"],
            "suppression_reason": part["suppression_reason"],
        })
        title = f"{catalogue.get(indicator_id).title}, {ctx.year}"
        parts.append(ctx.numbering.figure(charts.value_bars(data, title, "rate", "Share of learners",
                                                            ctx.min_cell_size)))
    _show(*parts)


def show_gap_counts(ctx: OverviewContext) -> None:
    e = ctx.exports
    if e.empty or "is_gap" not in e:
        return
    flagged = e[e["is_gap"].fillna(False).astype(bool)]
    counts = flagged.groupby("partnership_id").size()
    frame = pd.DataFrame({
        "Partnership": [_name(ctx, p) for p in e["partnership_id"].unique()],
        "Group rates clearly below other learners": [str(int(counts.get(p, 0))) for p in e["partnership_id"].unique()],
    })
    _show(render.paragraph("Each partnership's report lists its gaps; this counts them."),
          ctx.numbering.table(frame, f"Equity gaps flagged, {ctx.year}", numeric=(frame.columns[1],)))
