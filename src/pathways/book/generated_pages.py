"""Pages of the book generated from the sources of truth: the indicator catalogue, the data
dictionary, the registry, the run manifest and the demo generator's assumptions."""

from __future__ import annotations

from importlib.resources import files

from pathways.book_assets._ext.pathways_sphinx import bibtex_text
from pathways.indicators.suppression import in_words
from pathways.io.catalogue import load_catalogue
from pathways.io.dictionary import load_dictionary
from pathways.io.markdown import md_escape
from pathways.io.registry import Registry
from pathways.report.labels import group_type_label


def _cell(text: object) -> str:
    return md_escape(text) if text else "—"


def methods_page(registry: Registry) -> str:
    catalogue = load_catalogue()
    n = registry.min_cell_size
    rules = catalogue.suppression
    out = [
        "# Methods",
        "",
        "Every number in this book is computed by the Pathways indicator engine from the files the partnership "
        "submitted, after they passed the validation gate. This page is generated from the indicator catalogue "
        "and the data dictionary, the same sources the computation reads.",
        "",
        "## Conventions",
        "",
        "- **Learners 9-12**: rows of the year's learners file with grade level 9 to 12.",
        "- **School year**: named by the year it ends (2024 is 2023-24).",
        "- **Rates** carry their numerator and denominator and a 95% Wilson score interval.",
        "- **Disaggregation**: every learner rate is shown for all learners and by "
        + ", ".join(group_type_label(g).lower() for g in catalogue.group_sets["learner"])
        + "; pathway rates also by industry sector. The five groupings of learners are the equity breakdowns. "
        "A sector figure is not a group of learners: it counts the learners who completed a course in a pathway "
        "of that sector (a learner with courses in two sectors counts in both) and compares programs, so it "
        "carries no equity gap; neither do years since graduation, a breakdown of time.",
        "- **Equity gap** (the five learner breakdowns only): a group's rate minus the rate of all other learners "
        "(the total less the group), in percentage points, with a 95% margin of error (1.96 times the standard "
        "error of the difference); flagged as a gap when the whole interval lies below zero.",
        "- **Gap trend**: the same group's gap in the baseline year and now, the change in points, and its "
        "margin of error (the two years' margins combined as independent estimates, the square root of the sum "
        "of their squares). A gap is **narrowing** when its distance from zero shrank by more than that margin, "
        "**widening** when it grew by more, and shows **no clear change** otherwise. A gap that changes sign "
        "is judged by its size: from -10 to +3 points is narrowing; from -10 to +15 is not. Gap trends are "
        "shown only where the group's rate is shown exactly in both years.",
        "- **Trend**: every year from the partnership's baseline year, with the change from the prior year and "
        "from the baseline in one unit per column: rates in percentage points, survey means in rating points, "
        'counts and dollars as a relative change in percent ("52% increase"; "5.0x" when a count at '
        "least doubled). A rate's numerator is a count of learners too, so every rate also states its "
        'numerator\'s relative change ("52% more learners in pathways"). A year whose figure was suppressed '
        "or shown as a bound gives no number to compare with, and no change is shown.",
        "- **Goals**: from the registry; the share of the way from the baseline to the target, and whether the "
        "straight line from the baseline to the target year is met. Every goal asks for at least its target "
        '(each indicator counts something partnerships want more of): a figure at or above it is "target '
        'met", also when the baseline year already met it. A goal of a percent change of a rate is '
        "the relative change of the rate itself.",
        "- **Odds ratios** come from a logistic regression on the cohort. Adjustment variables (sex, race/"
        "ethnicity, economic disadvantage, English learner status, disability) keep unknown as a level of its "
        "own; a level in which every member had the same outcome cannot be estimated and is pooled with the "
        "variable's reference level (its largest), so the adjustment for it is coarser. A reported term "
        "(2-4 or 5 or more CTE courses, a mentorship) whose learners all had the same outcome has no finite "
        "odds ratio: it is reported as not estimable, and its learners are left out of the model rather than "
        "counted with the comparison group.",
        "- **Not submitted**: an indicator whose input file is missing is reported as not submitted, never as zero.",
        "",
        "## Small-cell suppression",
        "",
        in_words(rules.methods_intro, n),
        "",
        *(f"{k}. {in_words(rule, n)}" for k, rule in enumerate(rules.methods_rules, start=1)),
        "",
        in_words(rules.methods_after, n),
        "",
        "## Indicators",
        "",
    ]
    for section in catalogue.sections:
        out += [f"### {section.title}", ""]
        for ind in catalogue.in_section(section.id):
            code = f" (Perkins V/WIOA: {md_escape(ind.code)})" if ind.code else ""
            out += [f"#### {md_escape(ind.title)}{code}", "", md_escape(ind.description), ""]
            rows = [
                f"- Identifier in the indicator table: `{ind.id}`",
                f"- Unit: {ind.unit.replace('_', ' ')}",
            ]
            if ind.numerator:
                rows.append(f"- Numerator: {md_escape(ind.numerator)}")
            if ind.denominator:
                rows.append(f"- Denominator: {md_escape(ind.denominator)}")
            rows.append(
                "- Reads: "
                + ", ".join(ind.input_label(f) for f in ind.inputs)
                + (" (any one)" if ind.inputs_any else "")
                + (
                    " and one of " + ", ".join(ind.input_label(f) for f in ind.inputs_also_one_of)
                    if ind.inputs_also_one_of
                    else ""
                )
            )
            if ind.input_columns:
                rows.append(
                    "- Not submitted unless filled in the school year: "
                    + ", ".join(
                        f"{c} of {f}.csv" for f, columns in ind.input_columns.items() for c in columns
                    )
                )
            groups = catalogue.groups_of(ind.id)
            rows.append(
                "- Broken down by: "
                + (
                    ", ".join(group_type_label(g).lower() for g in groups)
                    if groups
                    else "not broken down by learner group"
                )
            )
            out += [*rows, ""]
    out += [
        "## The indicator table",
        "",
        "Every figure shown in a report is also a row of the partnership-year's indicator table (CSV), with the "
        "columns partnership_id, school_year, indicator_id, measure, group_type, group_value, numerator, "
        "denominator, value, ci_low, ci_high, suppressed, shown_as (exact, at_least, at_most or suppressed) and "
        'bound (a share: 0.97 for "≥ 97%"), suppression_reason, status, note; the equity-gap columns gap_pp, '
        "gap_moe_pp, is_gap and the gap-trend columns gap_baseline_pp, gap_change_pp, gap_change_moe_pp, "
        "gap_trend on the rows of the five learner breakdowns; and, for the all-learners rows, baseline_year, "
        "prior_year, baseline_value, prior_value, the changes change_from_baseline_pp / _pct / _diff and "
        "change_from_prior_pp / _pct / _diff (points for rates, percent for counts and dollars, rating points "
        "for means), baseline_numerator, prior_numerator, numerator_change_from_baseline_pct, "
        "numerator_change_from_prior_pct, change_label and the goal columns. Text cells that a spreadsheet would "
        "read as a formula are prefixed with an apostrophe.",
        "",
    ]
    assumptions = files("pathways").joinpath("demo", "ASSUMPTIONS.md")
    if assumptions.is_file() and any(p.is_demo for p in registry.partnerships):
        out += [assumptions.read_text(encoding="utf-8").strip(), ""]
    return "\n".join(out) + "\n"


def templates_page() -> str:
    from pathways.book.dictionary_docs import render_dictionary_markdown

    dictionary = load_dictionary()
    downloads = ", ".join(
        f"{{download}}`{s.filename} <downloads/{s.filename}>`" for s in dictionary.files.values()
    )
    return (
        "\n".join(
            [
                "# Data templates",
                "",
                "Partners send one folder per school year with the files below: `<partnership>/<school year>/<file>.csv`. "
                "`learners.csv` is required; every other file is optional — leave a file out rather than sending it "
                'with a header only. Files are UTF-8 CSV with a header row (Excel\'s "CSV UTF-8" works). Files that carry '
                "names, birth dates, addresses, phone numbers, e-mail addresses or Social Security numbers are refused.",
                "",
                "Before sending, a data clerk can check a folder with `pathways validate <folder>`.",
                "",
                "Download: {download}`Excel workbook with drop-downs <downloads/pathways_data_templates.xlsx>`; "
                "CSV templates: " + downloads + ".",
                "",
                render_dictionary_markdown(heading_level=2),
            ]
        )
        + "\n"
    )


def status_page(registry: Registry, manifest: dict) -> str:
    jobs = manifest.get("jobs", {})
    out = [
        "# Data status",
        "",
        "Whether each partnership-year's submission passed the validation gate and its reports were built. A "
        "refused submission is never computed or published; the partnership receives the gate's explanation.",
        "",
        "| Partnership | School year | Report | Status | Detail |",
        "|---|---|---|---|---|",
    ]
    words = {"ok": "published", "refused": "data refused by the validation gate", "failed": "report failed"}
    rows = 0
    for entry in sorted(
        jobs.values(),
        key=lambda e: (
            e.get("partnership_id") or "",
            e.get("year") or 0,
            float(e.get("order", 100)),
            e.get("notebook", ""),
        ),
    ):
        if entry.get("scope") != "partnership-year":
            continue
        try:
            name = registry.get(entry["partnership_id"]).name
        except Exception:  # a partnership that left the registry
            continue
        status = entry.get("status", "")
        detail = "" if status == "ok" else _first_line(entry.get("reason", ""))
        word = words.get(status, status)
        failure = entry.get("last_failure")
        if status == "ok" and failure:
            word = "published (previous run)"
            detail = (
                f"the latest run failed ({_first_line(failure.get('reason', ''))}); the report shown is the "
                f"last good one, of {entry.get('finished_at', '')}"
            )
        out.append(
            f"| {md_escape(name)} | {entry.get('year')} | {md_escape(_notebook_label(entry))} | {word} | "
            f"{_cell(detail)} |"
        )
        rows += 1
    if not rows:
        out.append("| — | — | — | no runs yet | — |")
    return "\n".join(out) + "\n"


def _notebook_label(entry: dict) -> str:
    """The notebook's own title when it is plain text, else its file name in words."""
    title = entry.get("title") or ""
    if title and not any(ch in title for ch in "{}`"):
        return title
    return entry.get("notebook", "").replace("_", " ").capitalize()


def _first_line(text: str) -> str:
    return (text or "").strip().splitlines()[0][:200] if text and text.strip() else ""


def stable_address(version: str, page: str, base_url: str) -> str:
    """A page's stable address: absolute under ``base_url`` (where the reports folder is served), else
    the path under the project's ``reports/`` folder."""
    path = f"{version}/book/{page}.html"
    return f"{base_url}{path}" if base_url else f"reports/{path}"


def cite_page(
    version: str,
    published: str,
    base_url: str,
    publisher: str = "Pathways",
    title: str = "Partnership Progress Reports",
) -> str:
    url = stable_address(version, "index", base_url)
    year = published[:4]
    if base_url:
        where = (
            f"Every address on these pages is absolute: this version is served at "
            f"`{md_escape(base_url + version + '/book/')}`."
        )
        address = [f"  note        = {{Version {version}}},", f"  url         = {{{url}}},"]
    else:
        where = (
            "This version was published without a base address (`pathways.base_url` in `_config.yml`, or "
            "`pathways publish --base-url`), so its addresses are **relative**: `reports/<version>/book/...` "
            "is the path under the folder the published versions are served from. Add the host when you "
            "cite, or ask the publisher for the absolute address."
        )
        address = [f"  note        = {{Version {version}; relative address {url}}},"]
    bib = [
        f"@techreport{{pathways-{version.replace('.', '-')},",
        f"  title       = {{{bibtex_text(title)}}},",
        f"  author      = {{{{{bibtex_text(publisher)}}}}},",
        f"  institution = {{{bibtex_text(publisher)}}},",
        f"  year        = {{{year}}},",
        "  type        = {Progress report},",
        *address,
        "}",
    ]
    return (
        "\n".join(
            [
                "# How to cite",
                "",
                f"This is version **{md_escape(version)}** of the book, published {md_escape(published)}. A published "
                "version is frozen: its pages, tables and figures never change, so a citation keeps pointing at the same "
                "numbers. Later versions appear in the version switcher at the top of every page.",
                "",
                f"A partnership's pages (its full report, its brief and its other reports) are reports **by the "
                f"partnership's convener**, the author each page's *Cite this report* block names, published by "
                f"**{md_escape(publisher)}** in this book. The book-level pages (this one, the statewide overview, the "
                f"methods and the analyses across partnerships) are by {md_escape(publisher)}.",
                "",
                where,
                "",
                "Every page ends with a *Cite this report* block giving its stable address, an APA reference and a "
                "BibTeX entry. Figures and tables are numbered; each number is a link you can cite "
                "(for example `…/2024.html#figure-3-…`).",
                "",
                "To cite the whole book (APA):",
                "",
                "```text",
                f"{publisher}. ({year}). {title} (Version {version}). {url}",
                "```",
                "",
                "BibTeX:",
                "",
                "```bibtex",
                *bib,
                "```",
                "",
                "The same reference, as a Citation File Format file, is `CITATION.cff` beside the book of this version. "
                "The software that produced it is cited with the `CITATION.cff` file of the Pathways repository.",
                "",
            ]
        )
        + "\n"
    )
