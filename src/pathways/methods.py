"""Pages of the book generated from the sources of truth: the indicator catalogue, the data
dictionary, the registry, the run manifest and the demo generator's assumptions."""

from __future__ import annotations

from importlib.resources import files

from pathways.book_assets._ext.pathways_sphinx import bibtex_text
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
        "Whether each partnership-year's submission passed the validation gate and its reports were built. A "
        "refused submission is never computed or published; the partnership receives the gate's explanation.",
        "",
        "| Partnership | School year | Report | Status | Detail |",
        "|---|---|---|---|---|",
    ]
    words = {"ok": "published", "refused": "data refused by the validation gate", "failed": "report failed"}
    rows = 0
    for entry in sorted(jobs.values(), key=lambda e: (e.get("partnership_id") or "", e.get("year") or 0,
                                                      float(e.get("order", 100)), e.get("notebook", ""))):
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
            detail = f"the latest run failed ({_first_line(failure.get('reason', ''))}); the report shown is the " \
                     f"last good one, of {entry.get('finished_at', '')}"
        out.append(f"| {md_escape(name)} | {entry.get('year')} | {md_escape(_notebook_label(entry))} | {word} | "
                   f"{_cell(detail)} |")
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


def cite_page(version: str, published: str, base_url: str, publisher: str = "Pathways",
              title: str = "Partnership Progress Reports") -> str:
    url = stable_address(version, "index", base_url)
    year = published[:4]
    if base_url:
        where = (f"Every address on these pages is absolute: this version is served at "
                 f"`{md_escape(base_url + version + '/book/')}`.")
        address = [f"  note        = {{Version {version}}},", f"  url         = {{{url}}},"]
    else:
        where = ("This version was published without a base address (`pathways.base_url` in `_config.yml`, or "
                 "`pathways publish --base-url`), so its addresses are **relative**: `reports/<version>/book/...` "
                 "is the path under the folder the published versions are served from. Add the host when you "
                 "cite, or ask the publisher for the absolute address.")
        address = [f"  note        = {{Version {version}; relative address {url}}},"]
    bib = [f"@techreport{{pathways-{version.replace('.', '-')},",
           f"  title       = {{{bibtex_text(title)}}},",
           f"  author      = {{{{{bibtex_text(publisher)}}}}},",
           f"  institution = {{{bibtex_text(publisher)}}},",
           f"  year        = {{{year}}},",
           "  type        = {Progress report},",
           *address,
           "}"]
    return "\n".join([
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
    ]) + "\n"
