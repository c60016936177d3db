"""Words a reader understands for the codes of the data contract and the export.

Every word here comes from the data dictionary and the indicator catalogue; this module only looks
them up (and spells out years since graduation, a number).
"""

from __future__ import annotations

from pathways.io.catalogue import load_catalogue
from pathways.io.dictionary import load_dictionary


def _group_labels() -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    """The words of every group type and of its values: a column's from the data dictionary (its
    ``label``, its enum's words, a yes/no column's ``labels``; a survey item is a rated column), the
    other group types' from ``breakdowns`` of the catalogue."""
    dictionary, catalogue = load_dictionary(), load_catalogue()
    types: dict[str, str] = {}
    values: dict[str, dict[str, str]] = {}
    for name, breakdown in catalogue.breakdowns.items():
        types[name], values[name] = breakdown.label, dict(breakdown.values)
    for spec in dictionary.files.values():
        for column in spec.columns:
            if column.label and column.name not in types:
                types[column.name] = column.label
                values[column.name] = dict(column.value_labels)
    values["item"] = {c.name: c.label for c in dictionary.file("stakeholder_survey").columns if c.is_rating}
    return types, values


GROUP_TYPES, _VALUES = _group_labels()
MEASURES = load_catalogue().measures


def group_type_label(group_type: str) -> str:
    return GROUP_TYPES.get(group_type, group_type.replace("_", " ").capitalize())


def group_value_label(group_type: str, group_value: object) -> str:
    value = str(group_value)
    if group_type == "years_since_graduation":
        if value.isdigit():
            return f"{value} year{'' if value == '1' else 's'} after high school"
        return "Years after high school not known"
    # "stakeholder_type:resource_use": the stakeholder types of one survey item
    words = _VALUES.get(group_type.split(":", 1)[0], {})
    if value in words:
        return words[value]
    return value.replace("_", " ").capitalize()


# The five learner breakdowns (the groups of learners whose gaps a report speaks of), in the order
# a report shows them. Industry sector and years since graduation are breakdowns of programs and
# of time, never "gaps".
LEARNER_GROUPS = load_catalogue().in_display_order("learner")
# The focal groups of the partnerships' equity goals (the statewide view puts them side by side).
FOCAL_GROUPS = tuple((group, "true") for group in load_catalogue().focal_groups)

GAP_TRENDS = {"narrowing": "narrowing", "widening": "widening", "no_clear_change": "no clear change"}

_GENERIC_YEARS = {
    "y": "the year",
    "y_1": "the year before",
    "y_2": "two years before",
    "y_6": "six years before",
}


def measure_label(measure: str) -> str:
    return MEASURES.get(measure, measure.replace("_", " "))


def population(indicator, year: int | None = None) -> str:
    """Who a rate covers, in a reader's words (``graduates of 2023``; ``graduates of the year before``
    without a year, as in a chart of several years)."""
    text = indicator.population or indicator.denominator or "learners"
    if year is None:
        return text.format(**_GENERIC_YEARS)
    return text.format(y=year, y_1=year - 1, y_2=year - 2, y_6=year - 6)


def chart_label(text: object, width: int = 34, lines: int = 2) -> str:
    """A label that fits beside a chart: wrapped at ``width`` characters, at most ``lines`` lines,
    an ellipsis where text was left out (the figure's data and alt text keep the full text)."""
    words = " ".join(str(text).split())
    out: list[str] = []
    rest = words
    while rest and len(out) < lines:
        if len(rest) <= width:
            out.append(rest)
            rest = ""
            break
        cut = rest.rfind(" ", 0, width + 1)
        cut = cut if cut > width // 3 else width
        out.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        last = out[-1]
        out[-1] = (last[: width - 1].rstrip() if len(last) >= width else last) + "…"
    return "\n".join(out)
