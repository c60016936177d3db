"""Pages of the book generated from the sources of truth: the indicator catalogue, the data
dictionary, the registry, the run manifest and the demo generator's assumptions."""

from __future__ import annotations

from importlib.resources import files

from pathways.catalogue import load_catalogue
from pathways.dictionary import load_dictionary
from pathways.labels import group_type_label
from pathways.registry import Registry
from pathways.safety import md_escape


def _cell(text: object) -> str:
    return md_escape(text) if text else "—"


def methods_page(registry: Registry) -> str:
    catalogue = load_catalogue()
    n = registry.min_cell_size
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
        + "; pathway rates also by industry sector.",
        "- **Equity gap**: a group's rate minus the rate of all other learners, in percentage points, with a 95% "
        "margin of error (1.96 times the standard error of the difference); flagged as a gap when the whole "
        "interval lies below zero.",
        "- **Trend**: every year from the partnership's baseline year; counts change relatively (\"52% increase\", "
        "\"5.0x\" when a count at least doubled), rates in percentage points.",
        "- **Goals**: from the registry; the share of the way from the baseline to the target, and whether the "
        "straight line from the baseline to the target year is met.",
        "- **Not submitted**: an indicator whose input file is missing is reported as not submitted, never as zero.",
        "",
        "## Small-cell suppression",
        "",
        f"The registry sets the minimum cell size to **{n}**. Applied once, centrally, before any number leaves "
        "the engine:",
        "",
        f"1. a rate whose denominator is below {n} is not shown; nor is a rate whose numerator, or whose "
        f"denominator minus numerator, is between 1 and {n - 1}, because the table publishes both;",
        f"2. a count from 1 to {n - 1} (of learners, employers or credits) reads \"<{n}\"; a group with 1 to "
        f"{n - 1} learners in grades 9-12 in a year shows no number for any indicator;",
        "3. where the groups of a breakdown add up to a shown total and exactly one group is suppressed, the next "
        "smallest group is suppressed too, so the hidden one cannot be recovered by subtraction;",
        "4. anything derived from a suppressed cell (a gap, a change, goal progress) is suppressed.",
        "",
        "A suppressed cell says why; it is never a blank or a zero. The downloadable indicator tables carry no "
        "number in any column of a suppressed row.",
        "",
        "## Indicators",
        "",
    ]
    for section in catalogue.sections:
        out += [f"### {section.title}", ""]
        for ind in catalogue.in_section(section.id):
            code = f" (Perkins V/WIOA: {md_escape(ind.code)})" if ind.code else ""
            out += [f"#### {md_escape(ind.title)}{code}", "", md_escape(ind.description), ""]
            rows = [f"- Identifier in the indicator table: `{ind.id}`", f"- Unit: {ind.unit.replace('_', ' ')}"]
            if ind.numerator:
                rows.append(f"- Numerator: {md_escape(ind.numerator)}")
            if ind.denominator:
                rows.append(f"- Denominator: {md_escape(ind.denominator)}")
            rows.append("- Reads: " + ", ".join(f"{f}.csv" for f in ind.inputs)
                        + (" (any one)" if ind.inputs_any else "")
                        + (" and one of " + ", ".join(f"{f}.csv" for f in ind.inputs_also_one_of)
                           if ind.inputs_also_one_of else ""))
            groups = catalogue.groups_of(ind.id)
            rows.append("- Broken down by: " + (", ".join(group_type_label(g).lower() for g in groups)
                                                 if groups else "not broken down by learner group"))
            out += [*rows, ""]
    out += [
        "## The indicator table",
        "",
        "Every figure shown in a report is also a row of the partnership-year's indicator table (CSV), with the "
        "columns partnership_id, school_year, indicator_id, measure, group_type, group_value, numerator, "
        "denominator, value, ci_low, ci_high, suppressed, suppression_reason, status, note, the equity-gap "
        "columns and, for the all-learners rows, the trend and goal columns. Text cells that a spreadsheet would "
        "read as a formula are prefixed with an apostrophe.",
        "",
    ]
    assumptions = files("pathways").joinpath("demo", "ASSUMPTIONS.md")
    if assumptions.is_file() and any(p.is_demo for p in registry.partnerships):
        out += [assumptions.read_text(encoding="utf-8").strip(), ""]
    return "\n".join(out) + "\n"


def templates_page() -> str:
    from pathways.dictionary_docs import render_dictionary_markdown

    dictionary = load_dictionary()
    downloads = ", ".join(f"{{download}}`{s.filename} <downloads/{s.filename}>`" for s in dictionary.files.values())
    return "\n".join([
        "# Data templates",
        "",
        "Partners send one folder per school year with the files below: `<partnership>/<school year>/<file>.csv`. "
        "`learners.csv` is required; every other file is optional — leave a file out rather than sending it "
        "with a header only. Files are UTF-8 CSV with a header row (Excel's \"CSV UTF-8\" works). Files that carry "
        "names, birth dates, addresses, phone numbers, e-mail addresses or Social Security numbers are refused.",
        "",
        "Before sending, a data clerk can check a folder with `pathways validate <folder>`.",
        "",
        "Download: {download}`Excel workbook with drop-downs <downloads/pathways_data_templates.xlsx>`; "
        "CSV templates: " + downloads + ".",
        "",
        render_dictionary_markdown(heading_level=2),
    ]) + "\n"


def status_page(registry: Registry, manifest: dict) -> str:
    jobs = manifest.get("jobs", {})
    out = [
        "# Data status",
        "",
        "Whether each partnership-year's submission passed the validation gate and its report was built. A "
        "refused submission is never computed or published; the partnership receives the gate's explanation.",
        "",
        "| Partnership | School year | Status | Detail |",
        "|---|---|---|---|",
    ]
    words = {"ok": "report published", "refused": "data refused by the validation gate",
             "failed": "report failed", "pending": "not run", "skipped": "report published"}
    for key, entry in sorted(jobs.items()):
        owner, _, year = key.partition("/")
        if owner == "statewide":
            continue
        try:
            name = registry.get(owner).name
        except Exception:
            continue
        status = entry.get("status", "pending")
        detail = "" if status == "ok" else _first_line(entry.get("reason", ""))
        out.append(f"| {md_escape(name)} | {year} | {words.get(status, status)} | {_cell(detail)} |")
    if len(out) == 6:
        out.append("| — | — | no runs yet | — |")
    return "\n".join(out) + "\n"


def _first_line(text: str) -> str:
    return (text or "").strip().splitlines()[0][:200] if text and text.strip() else ""


def cite_page(version: str, published: str, base_url: str) -> str:
    url = f"{base_url}reports/{version}/book/index.html"
    return "\n".join([
        "# How to cite",
        "",
        f"This is version **{md_escape(version)}** of the book, published {md_escape(published)}. A published "
        "version is frozen: its pages, tables and figures never change, so a citation keeps pointing at the same "
        "numbers. Later versions appear in the version switcher at the top of every page.",
        "",
        "Every page ends with a *Cite this report* block giving its stable address, an APA reference and a "
        "BibTeX entry. Figures and tables are numbered; each number is a link you can cite "
        "(for example `…/2024.html#figure-3-…`).",
        "",
        "To cite the whole book:",
        "",
        "```text",
        f"Pathways. ({published[:4]}). Partnership Progress Reports (Version {version}). {url}",
        "```",
        "",
        "The software that produced it is cited with the `CITATION.cff` file of the Pathways repository.",
        "",
    ]) + "\n"
