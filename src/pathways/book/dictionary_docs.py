"""The data dictionary in words: the column tables of the templates README and the book.

Both pages are rendered from :mod:`pathways.io.dictionary`, so a data clerk reads exactly the
rules the validation gate applies.
"""

from __future__ import annotations

from pathways.io.dictionary import PATTERN_WORDS, Column, FileSpec, load_dictionary

_TYPE_WORDS = {
    "string": "text",
    "int": "whole number",
    "float": "number",
    "bool": "yes/no",
    "enum": "one of a list",
    "date": "date (YYYY-MM-DD)",
}
_SCOPE_WORDS = {
    "same_year": "the same year's",
    "earlier_years": "an earlier year's",
    "up_to_year": "this or an earlier year's",
}


def _cell(text: str) -> str:
    """Table-safe text: a pipe would end the Markdown cell."""
    return text.replace("|", "\\|").replace("\n", " ")


def column_rule(spec: FileSpec, column: Column) -> str:
    """What the gate accepts in a column, in a clerk's words."""
    rules: list[str] = []
    if column.type == "enum":
        rules.append("one of: " + ", ".join(f"`{v}`" for v in column.values))
    if column.type == "bool":
        rules.append("`true`/`false`, `yes`/`no`, `y`/`n` or `1`/`0` (any case)")
    if column.min is not None and column.max is not None:
        rules.append(f"from {column.min:g} to {column.max:g}")
    elif column.min is not None:
        rules.append(f"{column.min:g} or more")
    elif column.max is not None:
        rules.append(f"at most {column.max:g}")
    if column.plausible_max is not None:
        rules.append(f"at most {column.plausible_max:,.0f} (a larger value is refused as implausible)")
    if column.pattern:
        rules.append(PATTERN_WORDS.get(column.pattern, f"matching `{column.pattern}`"))
    if column.not_ssn:
        rules.append("must not look like a Social Security number")
    if column.year_rule == "folder":
        rules.append("equals the school year of the folder")
    if column.date_window == "school_year":
        rules.append("between July 1 and June 30 of the school year")
    if column.at_most:
        rules.append(f"no more than `{column.at_most}`")
    if column.less_than:
        rules.append(f"greater than `{column.less_than}`")
    if column.references:
        ref = column.references
        rules.append(f"must appear in {_SCOPE_WORDS[ref.scope]} {ref.file}.csv")
    if column.graduates_once:
        rule = column.graduates_once
        rules.append(
            f"only one year's file may give a learner `{rule.column}` "
            + " or ".join(f"`{v}`" for v in rule.values)
        )
    if column.name in spec.unique and len(spec.unique) == 1:
        rules.append("unique in the file")
    if column.nullable:
        rules.append("blank means unknown" if column.type == "bool" else "may be blank")
    return "; ".join(rules)


def render_file_markdown(spec: FileSpec, heading_level: int = 2) -> str:
    hashes = "#" * heading_level
    need = (
        "Required: every submission must include it."
        if spec.required
        else (
            "Optional: leave the file out when there is nothing to report (never send it with a header only)."
        )
    )
    lines = [f"{hashes} {spec.filename} — {spec.title}", "", spec.description, "", need, ""]
    if len(spec.unique) > 1:
        lines += [f"Each combination of {', '.join(f'`{k}`' for k in spec.unique)} appears once.", ""]
    lines += ["| column | type | required | what is accepted | description |", "|---|---|---|---|---|"]
    for column in spec.columns:
        lines.append(
            f"| `{column.name}` | {_TYPE_WORDS[column.type]} | {'yes' if column.required else 'optional'} "
            f"| {_cell(column_rule(spec, column))} | {_cell(column.description)} |"
        )
    return "\n".join(lines) + "\n"


def render_limits_markdown() -> str:
    """What the gate refuses in any file, whatever its columns, as a list for the templates' README."""
    limits = load_dictionary().limits
    items = [
        "Save each file as **CSV UTF-8** with commas between values. A file in another encoding "
        "(UTF-16 or Excel's *Unicode Text* included), with binary content, or with `;` or tabs "
        "between values is refused, with a hint on how to save it.",
        "The first line is the header row with the column names as in the template; each name once "
        "(`learner_id` and `LEARNER_ID` are the same name).",
        f"A cell holds at most {limits.max_cell_characters} characters.",
        "Numbers are written with the digits 0-9 (no thousands separators, no `inf` or `nan`) and stay "
        "within the bounds of their column below.",
        "Put the files themselves in the folder: a link (shortcut or symlink) or a folder in place of a "
        "file is refused and never followed.",
        "Any other file in the folder whose first line names personal data (names, birth dates, addresses, "
        "phone numbers, e-mail addresses, Social Security numbers) refuses the whole submission: remove it.",
    ]
    return "\n".join(f"- {item}" for item in items) + "\n"


def render_dictionary_markdown(heading_level: int = 2) -> str:
    """Every contract file as a section with its column table."""
    dictionary = load_dictionary()
    return "\n".join(render_file_markdown(spec, heading_level) for spec in dictionary.files.values())
