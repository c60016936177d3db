"""One source for every concept: the data dictionary and the indicator catalogue.

Labels, enum orders, group sets, year columns, the main measure of an indicator, the overview's
key rates and the suppression text live in ``data_dictionary.yml`` and
``indicator_catalogue.yml``. These tests fail when the YAML lacks what the report needs, and when a
module of the package holds a hand copy of one of its facts (a literal list of an enum's values, of
the learner breakdowns, of indicator ids, a dict of words keyed by them...).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import pathways
from pathways.io.catalogue import load_catalogue
from pathways.io.dictionary import load_dictionary
from pathways.io.resources import packaged_yaml

PACKAGE = Path(pathways.__file__).parent
# The demo generator simulates partners' submissions: its per-value shares, sizes and profiles are
# its own calibration, not facts of the dictionary (tests/test_demo.py runs its files through the
# gate, so a value it draws that the dictionary lacks is refused there).
NOT_SCANNED = ("demo",)
# Measures whose words are their names ("rate", "mean", "odds ratio").
MEASURES_NAMED_AS_WORDS = ("rate", "mean", "odds_ratio")


# ------------------------------------------------------------------ what the report needs
def test_every_enum_value_has_words():
    raw = packaged_yaml("data_dictionary.yml")["enums"]
    missing = [
        f"{enum}.{value}"
        for enum, values in raw.items()
        for value, label in values.items()
        if not isinstance(label, str) or not label.strip()
    ]
    assert not missing, f"enum values without words in data_dictionary.yml: {missing}"


def test_every_breakdown_a_report_shows_has_words():
    dictionary, catalogue = load_dictionary(), load_catalogue()
    groups = {g for groups in catalogue.group_sets.values() for g in groups} | set(catalogue.display_order)
    problems = []
    for group in sorted(groups):
        column = dictionary.labelled_column(group)
        if column is None or not column.label:
            problems.append(f"{group}: no column with a label in the data dictionary")
            continue
        expected = {"true", "false", "unknown"} if column.type == "bool" else set(column.values)
        if not expected <= set(column.value_labels):
            problems.append(f"{group}: values without words: {sorted(expected - set(column.value_labels))}")
    for column in dictionary.file("stakeholder_survey").columns:
        if column.is_rating and not column.label:
            problems.append(f"stakeholder_survey.{column.name}: a survey item without a label")
    for name, breakdown in catalogue.breakdowns.items():
        if dictionary.labelled_column(name) is not None:
            problems.append(f"breakdowns.{name}: a column of the dictionary, whose words are there")
        if not breakdown.label.strip():
            problems.append(f"breakdowns.{name}: no label")
    assert not problems, problems


def test_every_catalogue_entry_has_what_the_report_needs():
    catalogue = load_catalogue()
    measures = set(catalogue.measures) | set(MEASURES_NAMED_AS_WORDS)
    problems = []
    for ind in catalogue.indicators:
        for field in ("title", "description", "section", "unit", "main_measure"):
            if not getattr(ind, field):
                problems.append(f"{ind.id}: no {field}")
        if ind.unit == "rate":
            for field in ("numerator", "denominator", "counted", "population"):
                if not getattr(ind, field):
                    problems.append(f"{ind.id}: a rate without {field}")
        for measure in (ind.main_measure, ind.goal_count):
            if measure and measure != "rate" and measure not in measures:
                problems.append(f"{ind.id}: measure {measure} has no words in `measures`")
    if not catalogue.key_rates():
        problems.append("no indicator has an overview rank")
    if not catalogue.headlines():
        problems.append("no indicator has a headline rank")
    assert not problems, problems


def test_the_main_measure_is_a_row_the_engine_writes():
    """A not-submitted row and a goal use ``main_measure``: the engine must write rows of that measure."""
    from pathways.indicators.engine import compute_year
    from pathways.indicators.synthetic import history_from_frames, make_frames
    from pathways.io.registry import Partnership

    history = history_from_frames(make_frames(n_learners=600, seed=3), 2024)
    partnership = Partnership.model_validate(
        dict(
            id="synthetic",
            name="Synthetic",
            region="r",
            convener="c",
            partners=[{"name": "X", "sector": "k12"}],
            baseline_year=2023,
            living_wage_usd=30000,
            tuition_per_credit_usd=100,
            goals=[],
        )
    )
    rows = compute_year(history, partnership, min_cell_size=10)
    # rows the indicator's own code wrote (a not-submitted row takes the catalogue's word for its measure)
    computed = rows[rows["status"] != "not_submitted"]
    written = set(zip(computed["indicator_id"], computed["measure"], strict=True))
    missing = [
        f"{ind.id}: {measure}"
        for ind in load_catalogue().indicators
        for measure in (ind.main_measure, ind.goal_count)
        if measure and (ind.id, measure) not in written
    ]
    assert not missing, f"catalogue measures the engine does not write: {missing}"


def test_the_suppression_text_fills_in_for_any_floor():
    from pathways.book.generated_pages import methods_page
    from pathways.indicators.suppression import in_words
    from pathways.io.registry import load_registry

    text = load_catalogue().suppression
    for n in (5, 10, 11):
        for template in (text.report_summary, text.methods_intro, text.methods_after, *text.methods_rules):
            words = in_words(template, n)
            assert "{" not in words and "}" not in words, words
        for template in (text.report_summary, text.methods_intro, *text.methods_rules[:3]):
            assert str(n) in in_words(template, n), template
    page = methods_page(load_registry(Path(__file__).parents[1] / "partnerships.yml"))
    for rule in text.methods_rules:
        assert in_words(rule, 10) in page or in_words(rule, 5) in page


# ------------------------------------------------------------------ no hand copies
def _facts() -> dict[str, frozenset[str]]:
    """Every set a module could copy by hand, named for the failure message."""
    dictionary, catalogue = load_dictionary(), load_catalogue()
    learners = dictionary.file("learners")
    facts = {f"the values of enum {name}": frozenset(values) for name, values in dictionary.enums.items()}
    facts |= {f"the value set {name}": frozenset(s.values) for name, s in dictionary.value_sets.items()}
    facts |= {f"group set {name} of the catalogue": frozenset(g) for name, g in catalogue.group_sets.items()}
    facts["the yes/no learner breakdowns"] = frozenset(
        g for g in catalogue.learner_groups if learners.column(g).type == "bool"
    )
    facts["the catalogue's indicator ids"] = frozenset(catalogue.ids)
    facts["the files of the data contract"] = frozenset(dictionary.files)
    facts["the files that name learners"] = frozenset(dictionary.learner_files)
    facts["the year columns"] = frozenset(c for c in dictionary.year_columns.values() if c)
    facts["the survey items"] = frozenset(
        c.name for c in dictionary.file("stakeholder_survey").columns if c.is_rating
    )
    return {name: values for name, values in facts.items() if len(values) >= 2}


def _strings(nodes: list[ast.expr | None]) -> list[str] | None:
    """The strings of a literal whose elements are all string constants, else None."""
    out = [n.value for n in nodes if isinstance(n, ast.Constant) and isinstance(n.value, str)]
    return out if len(out) == len(nodes) and len(out) >= 2 else None


def _is_constant(node: ast.expr | None) -> bool:
    """A literal value (words, a number, a tuple of them): a fact, not a reference to code."""
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, ast.Tuple | ast.List):
        return all(_is_constant(e) for e in node.elts)
    return False


def hand_copies(source: str, facts: dict[str, frozenset[str]]) -> list[tuple[int, str]]:
    """(line, what) for every literal in ``source`` that copies a fact.

    A tuple, list or set of strings copies a fact when it holds the same strings (an enum's values,
    the learner breakdowns, ...) or only indicator ids (key rates). A dict copies one when its keys are
    such a set, or when its keys are two or more of one fact's members (values of one enum, learner
    breakdowns, indicator ids) mapped to literal values: words or numbers per value (labels, a main
    measure). A dict whose values are code (the functions computing each indicator) is a registry.
    """
    ids = next((v for k, v in facts.items() if k == "the catalogue's indicator ids"), frozenset())
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Tuple | ast.List | ast.Set):
            strings = _strings(node.elts)
            if strings is None:
                continue
            keys = set(strings)
            same = [name for name, values in facts.items() if keys == values]
            if same:
                found.append((node.lineno, f"a literal of {same[0]}"))
            elif keys <= ids:
                found.append((node.lineno, "a literal list of indicator ids (a field of the catalogue)"))
        elif isinstance(node, ast.Dict):
            strings = _strings(node.keys)
            if strings is None:
                continue
            keys = set(strings)
            same = [name for name, values in facts.items() if keys == values]
            part = [name for name, values in facts.items() if keys <= values]
            if same:
                found.append((node.lineno, f"a dict keyed by {same[0]}"))
            elif part and all(_is_constant(v) for v in node.values):
                found.append((node.lineno, f"a dict of literal values keyed by {part[0]}"))
    return found


def _modules() -> list[Path]:
    return [
        p
        for p in sorted(PACKAGE.rglob("*.py"))
        if p.relative_to(PACKAGE).parts[0] not in NOT_SCANNED and "project_files" not in p.parts
    ]


def test_no_module_holds_a_hand_copy_of_a_dictionary_or_catalogue_fact():
    facts = _facts()
    copies = [
        f"{path.relative_to(PACKAGE.parent)}:{line}: {what}"
        for path in _modules()
        for line, what in hand_copies(path.read_text("utf-8"), facts)
    ]
    assert not copies, (
        "hand copies of facts of data_dictionary.yml / indicator_catalogue.yml (derive them from "
        "pathways.io.dictionary / pathways.io.catalogue, adding a field to the YAML where needed):\n"
        + "\n".join(copies)
    )


@pytest.mark.parametrize(
    "source",
    [
        'KEY_RATES = ("cte_participation", "placement")',
        'LEARNER_GROUPS = ["race_ethnicity", "sex", "is_economically_disadvantaged", "is_english_learner", '
        '"has_disability"]',
        'ORDER = ["female", "male", "nonbinary", "unknown"]',
        'VALUES = {"hispanic_latino": "Hispanic/Latino", "asian": "Asian"}',
        'MAIN = {"credential_attainment": "credentials_earned", "wbl_by_type": "learners"}',
        'BOOL = {"is_english_learner": ("English learners", "Not English learners"), '
        '"has_disability": ("With", "Without")}',
        'YEAR_COLUMN = {name: None for name in ()} | {"learners": "school_year", "hs_outcomes": "cohort_year"}',
        'DIPLOMAS = ("graduated_regular_diploma", "graduated_advanced_diploma")',
    ],
)
def test_the_scan_finds_a_planted_copy(source):
    assert hand_copies(source, _facts()), source


def test_the_scan_leaves_code_registries_and_single_names_alone():
    source = (
        'INDICATORS = {"cte_participation": cte_participation, "placement": placement}\n'
        'row = rows["cte_participation"]\n'
        'pairs = [("sex", "female")]\n'
    )
    assert hand_copies(source, _facts()) == []
