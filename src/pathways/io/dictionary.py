"""The data dictionary: typed access to ``data_dictionary.yml``.

Everything that needs to know what partners submit (templates, the validation gate,
the reader, the methods page) asks this module, never a copy of its own.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from pathways.io.resources import packaged_yaml

ColumnType = Literal["string", "int", "float", "bool", "enum", "date"]
# The patterns of the dictionary in a clerk's words (the gate's messages and the templates' README).
PATTERN_WORDS = {
    "[A-Za-z0-9_-]{1,64}": "1 to 64 letters, digits, '-' or '_' (a pseudonymous key)",
    "[0-9]{2}(-[0-9]{2})?": "a two-digit NAICS sector such as 62 (or a range such as 31-33)",
}
ReferenceScope = Literal["same_year", "earlier_years", "up_to_year"]


class Reference(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    file: str
    column: str
    scope: ReferenceScope


class GraduatesOnce(BaseModel):
    """A value that only one year's file may hold among rows whose ``column`` is in ``values``."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    column: str
    values: tuple[str, ...] = Field(min_length=1)


class Limits(BaseModel):
    """What the gate accepts of any file, whatever its columns."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    max_cell_characters: int = Field(gt=0)


class Column(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str
    type: ColumnType
    required: bool
    nullable: bool = False
    description: str
    examples: tuple[str | int | float, ...] = Field(min_length=3, max_length=3)
    enum: str | None = None
    values: tuple[str, ...] = ()
    # the words of each value in a report: an enum's from its entry in ``enums``, a yes/no
    # column's from its ``labels`` (true, false, unknown)
    value_labels: dict[str, str] = {}
    label: str | None = None
    min: float | None = None
    max: float | None = None
    plausible_max: float | None = None
    pattern: str | None = None
    not_ssn: bool = False
    year_rule: Literal["folder"] | None = None
    references: Reference | None = None
    date_window: Literal["school_year"] | None = None
    at_most: str | None = None
    less_than: str | None = None
    graduates_once: GraduatesOnce | None = None

    @property
    def is_year_column(self) -> bool:
        return self.year_rule == "folder"

    @property
    def is_rating(self) -> bool:
        """A survey item: a 1-to-5 rating (stakeholder_survey)."""
        return self.type == "int" and self.min == 1 and self.max == 5


class FileSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str
    title: str
    description: str
    required: bool
    unique: tuple[str, ...] = ()
    columns: tuple[Column, ...]

    @property
    def filename(self) -> str:
        return f"{self.name}.csv"

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def required_columns(self) -> list[str]:
        return [c.name for c in self.columns if c.required]

    @property
    def year_column(self) -> str | None:
        """The column that must equal the folder's year (pathways.csv has none)."""
        return next((c.name for c in self.columns if c.is_year_column), None)

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(f"{self.filename} has no column {name!r}")


class ValueSet(BaseModel):
    """Values of one enum that an indicator counts together (the diplomas of exit_type)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    enum: str
    values: tuple[str, ...] = Field(min_length=1)


class DataDictionary(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    files: dict[str, FileSpec]
    personal_data_patterns: tuple[str, ...]
    limits: Limits
    enums: dict[str, dict[str, str]]
    value_sets: dict[str, ValueSet]

    @model_validator(mode="after")
    def _check_internal_consistency(self) -> DataDictionary:
        for spec in self.files.values():
            names = spec.column_names
            if len(set(names)) != len(names):
                raise ValueError(f"{spec.name}: duplicate column names")
            for key in spec.unique:
                if key not in names:
                    raise ValueError(f"{spec.name}: unique key {key} is not a column")
            if sum(c.is_year_column for c in spec.columns) > 1:
                raise ValueError(f"{spec.name}: at most one column may have year_rule: folder")
            for c in spec.columns:
                if c.type == "enum" and not c.values:
                    raise ValueError(f"{spec.name}.{c.name}: enum without values")
                if set(c.value_labels) - {*c.values, "true", "false", "unknown"}:
                    raise ValueError(f"{spec.name}.{c.name}: words for values it does not take")
                if c.references and c.references.file not in self.files:
                    raise ValueError(f"{spec.name}.{c.name}: references unknown file")
                for other in (c.at_most, c.less_than):
                    if other and other not in names:
                        raise ValueError(f"{spec.name}.{c.name}: compares with unknown column {other}")
                # A number without both bounds lets an absurd magnitude, or "1e309" (infinity), through.
                if (
                    c.type in ("int", "float")
                    and not c.is_year_column
                    and (c.min is None or (c.max is None and c.plausible_max is None))
                ):
                    raise ValueError(
                        f"{spec.name}.{c.name}: a number column needs min and max (or plausible_max)"
                    )
                if c.graduates_once:
                    other = c.graduates_once.column
                    if other not in names or not set(c.graduates_once.values) <= set(
                        spec.column(other).values
                    ):
                        raise ValueError(
                            f"{spec.name}.{c.name}: graduates_once names unknown column or values"
                        )
        for name, value_set in self.value_sets.items():
            if not set(value_set.values) <= set(self.enums.get(value_set.enum, ())):
                raise ValueError(f"value set {name}: values outside enum {value_set.enum}")
        return self

    def file(self, name: str) -> FileSpec:
        try:
            return self.files[name]
        except KeyError:
            raise KeyError(f"{name!r} is not a file of the data contract") from None

    def enum_values(self, enum: str) -> tuple[str, ...]:
        """An enum's values in the dictionary's order."""
        return tuple(self.enums[enum])

    def value_set(self, name: str) -> tuple[str, ...]:
        return self.value_sets[name].values

    def labelled_column(self, name: str) -> Column | None:
        """The first column called ``name`` that has words for a reader (a breakdown, a survey item)."""
        for spec in self.files.values():
            for c in spec.columns:
                if c.name == name and (c.label or c.value_labels):
                    return c
        return None

    @property
    def learner_files(self) -> tuple[str, ...]:
        """Files whose rows name a learner (a learner_id column), in the dictionary's order."""
        return tuple(name for name, spec in self.files.items() if "learner_id" in spec.column_names)

    @property
    def year_columns(self) -> dict[str, str | None]:
        """Each file's column that equals the folder's year (pathways.csv has none)."""
        return {name: spec.year_column for name, spec in self.files.items()}

    def is_personal_data_column(self, header: str) -> bool:
        """True when a header that is not in the contract looks like personal data."""
        normalized = normalize_header(header)
        return any(re.search(p, normalized) for p in self.personal_data_patterns)


def normalize_header(header: str) -> str:
    """Lower-case a header and turn runs of other characters into ``_`` (``"Birth Date"`` → ``birth_date``)."""
    return re.sub(r"[^a-z0-9]+", "_", header.strip().lower()).strip("_")


@cache
def load_dictionary() -> DataDictionary:
    raw = packaged_yaml("data_dictionary.yml")
    # each enum maps its values, in order, to their words in a report
    enums: dict[str, dict[str, str]] = raw["enums"]
    specs = {}
    for name, spec in raw["files"].items():
        columns = []
        for col in spec["columns"]:
            col = dict(col)
            if col.get("enum"):
                col["values"] = tuple(enums[col["enum"]])
                col["value_labels"] = enums[col["enum"]]
            elif col.get("labels"):
                col["value_labels"] = col.pop("labels")
            col["examples"] = tuple(col["examples"])
            columns.append(col)
        specs[name] = FileSpec(name=name, **{**spec, "columns": columns})
    return DataDictionary(
        files=specs,
        personal_data_patterns=raw["personal_data_patterns"],
        limits=raw["limits"],
        enums=enums,
        value_sets=raw.get("value_sets", {}),
    )
