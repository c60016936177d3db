"""The indicator catalogue: typed access to ``indicator_catalogue.yml``."""

from __future__ import annotations

import math
from functools import cache
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from pathways.io.resources import packaged_yaml

Unit = Literal["rate", "count", "usd", "odds_ratio", "mean"]


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    title: str


class Breakdown(BaseModel):
    """A group type of the indicator table that is not a column of the data dictionary."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    label: str
    values: dict[str, str] = {}


class Suppression(BaseModel):
    """Small-cell suppression in a reader's words (templates: ``pathways.indicators.suppression.in_words``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    report_summary: str
    methods_intro: str
    methods_rules: tuple[str, ...]
    methods_after: str


class SharedCount(BaseModel):
    """The learners another figure's numerator counts, which this indicator's denominator counts again.

    Suppression hides one wherever the other is hidden, so the figure shown cannot give the
    hidden one away (rule 4 across tables). ``years_before``: the other figure's year, counted
    back from this one's, or ``cohort`` for the graduating cohort each row records (``_cohort``).
    ``measure``: the other figure's row (its rate, whose numerator is shared, or a count, whose
    value is). ``group``: a sub-population row of the other figure (its concentrators) that only
    this indicator's all-learners row counts again.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)
    indicator: str
    years_before: Annotated[int, Field(ge=0)] | Literal["cohort"] = 0
    measure: str = "rate"
    group: str | None = None

    @property
    def quantity(self) -> str:
        """What of the other figure's row is counted again: a rate's numerator, a count's value."""
        return "numerator" if self.measure == "rate" else "value"

    def source_group(self, group_type: str, group_value: str) -> tuple[str, str] | None:
        """The other figure's group that a row of this group counts again (None: no row of it does)."""
        if self.group is None:
            return group_type, group_value
        return ("population", self.group) if group_type == "all" else None

    def source_year(self, year: int, cohort: float | None = None) -> int | None:
        """The other figure's year for a row of ``year`` (``cohort``: the cohort that row records)."""
        if self.years_before != "cohort":
            return int(year) - self.years_before
        return None if cohort is None or math.isnan(float(cohort)) else int(cohort)


class Indicator(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    title: str
    section: str
    unit: Unit
    # the measure of the main row (rate for a rate): what a not-submitted row stands for and a goal tracks
    main_measure: str
    # the measure a "count" goal on a rate tracks; None: the learners it counts (the numerator)
    goal_count: str | None = None
    overview: int | None = None  # rank among the statewide overview's key rates
    description: str
    code: str | None = None
    numerator: str | None = None
    denominator: str | None = None
    # a report's words: what a rate's numerator counts, who the rate covers, headline rank
    counted: str | None = None
    population: str | None = None
    headline: int | None = None
    headline_states: Literal["learners", "share"] = "learners"
    inputs: tuple[str, ...]
    # employer_engagement: any one of its inputs is enough
    inputs_any: bool = False
    # placement: needs one of these besides its inputs
    inputs_also_one_of: tuple[str, ...] = ()
    # optional columns the indicator needs (icap_completion needs has_icap)
    input_columns: dict[str, tuple[str, ...]] = {}
    # files read from an earlier folder than Y: employment.csv of folder Y-1 holds calendar year
    # Y-1, whose fourth quarter is the second quarter after a June graduation (offset -1); last
    # year's graduates are in hs_outcomes.csv of Y-1. A list: any one of those folders is enough
    # (college completion follows the oldest cohort of Y-6 to Y-1 the data holds)
    input_offsets: dict[str, int | tuple[int, ...]] = {}
    groups: str
    history: bool
    # the direction a partnership's goal moves the figure: every indicator of the catalogue counts
    # something a partnership wants more of, so a goal asks for at least its target
    better: Literal["higher", "lower"] = "higher"
    denominator_from: SharedCount | None = None

    def input_years(self, name: str, year: int) -> tuple[int, ...]:
        """The school years whose folder the file ``name`` is read from for the report of ``year``."""
        offset = self.input_offsets.get(name, 0)
        return tuple(year + o for o in (offset if isinstance(offset, tuple) else (offset,)))

    def input_label(self, name: str, year: int | None = None) -> str:
        """The file and the year it is read from: "hs_outcomes.csv of 2023", or of "Y-1" without a year."""
        offset = self.input_offsets.get(name, 0)
        offsets = offset if isinstance(offset, tuple) else (offset,)

        def when(o: int) -> str:
            return str(year + o) if year is not None else ("Y" if o == 0 else f"Y{o:+d}")

        if offsets == (0,) and year is None:
            return f"{name}.csv"
        if len(offsets) == 1:
            return f"{name}.csv of {when(offsets[0])}"
        return f"{name}.csv of one of {when(min(offsets))} to {when(max(offsets))}"

    def is_submitted(self, available: dict[str, set[str]]) -> bool:
        """Whether the files (and optional columns) this indicator reads were submitted.

        ``available`` maps each submitted file to the columns it carries with any value.
        """
        present = [f in available for f in self.inputs]
        ok = any(present) if self.inputs_any else all(present)
        if self.inputs_also_one_of:
            ok = ok and any(f in available for f in self.inputs_also_one_of)
        for file, columns in self.input_columns.items():
            ok = ok and file in available and set(columns) <= available[file]
        return ok


class Catalogue(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    group_sets: dict[str, tuple[str, ...]]
    display_order: tuple[str, ...]
    focal_groups: tuple[str, ...]
    breakdowns: dict[str, Breakdown]
    measures: dict[str, str]
    suppression: Suppression
    sections: tuple[Section, ...]
    indicators: tuple[Indicator, ...]

    @model_validator(mode="after")
    def _consistent(self) -> Catalogue:
        section_ids = {s.id for s in self.sections}
        ids = [i.id for i in self.indicators]
        if len(set(ids)) != len(ids):
            raise ValueError("indicator ids must be unique")
        for ind in self.indicators:
            if ind.section not in section_ids:
                raise ValueError(f"{ind.id}: unknown section {ind.section}")
            if ind.groups != "none" and ind.groups not in self.group_sets:
                raise ValueError(f"{ind.id}: unknown group set {ind.groups}")
            if (ind.unit == "rate") != (ind.main_measure == "rate"):
                raise ValueError(f"{ind.id}: a rate's main measure is its rate, and only a rate's")
            if ind.goal_count is not None and ind.unit != "rate":
                raise ValueError(
                    f"{ind.id}: goal_count is for rates (a count's goal tracks its main measure)"
                )
            if ind.overview is not None and ind.unit != "rate":
                raise ValueError(f"{ind.id}: the overview's key figures are rates")
            shared = ind.denominator_from
            if shared is not None and (shared.indicator not in ids or shared.indicator == ind.id):
                raise ValueError(f"{ind.id}: denominator_from names no other indicator of the catalogue")
        for name, groups in self.group_sets.items():
            if not set(groups) <= set(self.display_order):
                raise ValueError(f"group set {name}: breakdowns missing from display_order")
        if not set(self.focal_groups) <= set(self.learner_groups):
            raise ValueError("focal_groups must be learner breakdowns")
        ranks = [i.overview for i in self.indicators if i.overview is not None]
        if len(set(ranks)) != len(ranks):
            raise ValueError("overview ranks must be unique")
        return self

    @property
    def learner_groups(self) -> tuple[str, ...]:
        """The five learner breakdowns (the equity breakdowns), in the catalogue's order."""
        return self.group_sets["learner"]

    def in_display_order(self, group_set: str) -> tuple[str, ...]:
        """A group set in the order a report shows breakdowns (race/ethnicity first)."""
        groups = set(self.group_sets[group_set])
        return tuple(g for g in self.display_order if g in groups)

    def key_rates(self) -> tuple[str, ...]:
        """The statewide overview's key rates, in their rank order."""
        ranked = sorted((i for i in self.indicators if i.overview is not None), key=lambda i: i.overview)
        return tuple(i.id for i in ranked)

    @property
    def ids(self) -> list[str]:
        return [i.id for i in self.indicators]

    def get(self, indicator_id: str) -> Indicator:
        for ind in self.indicators:
            if ind.id == indicator_id:
                return ind
        raise KeyError(f"unknown indicator {indicator_id!r}")

    def groups_of(self, indicator_id: str) -> tuple[str, ...]:
        groups = self.get(indicator_id).groups
        return () if groups == "none" else self.group_sets[groups]

    def in_section(self, section_id: str) -> list[Indicator]:
        return [i for i in self.indicators if i.section == section_id]

    def headlines(self) -> list[Indicator]:
        """The headline outcomes in their rank order."""
        return sorted((i for i in self.indicators if i.headline is not None), key=lambda i: i.headline)


@cache
def load_catalogue() -> Catalogue:
    raw = packaged_yaml("indicator_catalogue.yml")
    return Catalogue.model_validate(raw)
