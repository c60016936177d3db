"""The partnership registry (``partnerships.yml``): loaded, checked, explained."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from pathways.errors import PathwaysError, os_reason
from pathways.io.paths import MAX_YEAR, MIN_YEAR, PARTNERSHIP_ID_PATTERN

Sector = Literal["k12", "postsecondary", "employer", "workforce", "state_agency", "intermediary"]
GoalMeasure = Literal["count", "rate", "change_from_baseline_pct"]

# indicators.md: the minimum cell size is configurable, "and never below 5".
MIN_CELL_SIZE_FLOOR = 5
# Money: positive, finite, and below what no region's living wage or credit price comes near
# (an extra digit or a monthly figure typed as annual is caught, not published).
MAX_LIVING_WAGE_USD = 1_000_000
MAX_TUITION_PER_CREDIT_USD = 10_000
MAX_REGISTRY_BYTES = 10 << 20
MAX_ERRORS_SHOWN = 20
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _one_line(value: str) -> str:
    if _CONTROL.search(value):
        raise ValueError("must be one line of text, without line breaks, tabs or control characters")
    return value


Line = Annotated[str, Field(max_length=200), AfterValidator(_one_line)]
Year = Annotated[int, Field(ge=MIN_YEAR, le=MAX_YEAR, strict=False)]


class Partner(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    name: Annotated[Line, Field(min_length=1)]
    sector: Sector


class Goal(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    indicator: str = Field(max_length=100)
    measure: GoalMeasure
    target: float = Field(allow_inf_nan=False)
    target_year: Year

    @model_validator(mode="after")
    def _rate_is_a_share(self) -> Goal:
        if self.measure == "rate" and not 0 <= self.target <= 1:
            raise ValueError("a rate target is a share between 0 and 1 (0.35 for 35%)")
        if self.measure == "count" and self.target < 0:
            raise ValueError("a count target is a number of learners, 0 or more")
        return self


class Partnership(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str = Field(pattern=PARTNERSHIP_ID_PATTERN)
    name: Annotated[Line, Field(min_length=1)]
    region: Line
    convener: Line
    partners: tuple[Partner, ...] = Field(min_length=1, max_length=500)
    baseline_year: Year
    living_wage_usd: float = Field(gt=0, le=MAX_LIVING_WAGE_USD, allow_inf_nan=False)
    tuition_per_credit_usd: float = Field(gt=0, le=MAX_TUITION_PER_CREDIT_USD, allow_inf_nan=False)
    goals: tuple[Goal, ...] = Field(default=(), max_length=200)
    is_demo: bool = False
    description: str = Field(default="", max_length=5000)

    @model_validator(mode="after")
    def _goals_after_baseline(self) -> Partnership:
        for goal in self.goals:
            if goal.target_year <= self.baseline_year:
                raise ValueError(
                    f"goal for {goal.indicator}: target_year {goal.target_year} must come after "
                    f"baseline_year {self.baseline_year}"
                )
        return self


class Registry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    min_cell_size: int = Field(default=10, le=1000)
    partnerships: tuple[Partnership, ...] = Field(min_length=1)

    @field_validator("min_cell_size")
    @classmethod
    def _privacy_floor(cls, value: int) -> int:
        if value < MIN_CELL_SIZE_FLOOR:
            raise ValueError(
                f"must be at least {MIN_CELL_SIZE_FLOOR}: smaller groups could identify learners, "
                "so the privacy floor never goes below it"
            )
        return value

    @field_validator("partnerships")
    @classmethod
    def _unique_ids(cls, value: tuple[Partnership, ...]) -> tuple[Partnership, ...]:
        ids = [p.id for p in value]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"partnership ids must be unique; repeated: {', '.join(duplicates)}")
        return value

    def get(self, partnership_id: str) -> Partnership:
        for p in self.partnerships:
            if p.id == partnership_id:
                return p
        known = ", ".join(p.id for p in self.partnerships)
        raise RegistryError(f"partnership {partnership_id!r} is not in the registry (known: {known})")

    @property
    def ids(self) -> list[str]:
        return [p.id for p in self.partnerships]


class RegistryError(PathwaysError):
    """The registry file is missing, not YAML, or breaks its rules."""


def load_registry(path: Path) -> Registry:
    path = Path(path)
    try:
        if path.is_dir():
            raise IsADirectoryError(21, "Is a directory", str(path))
        with open(path, "rb") as fh:
            data = fh.read(MAX_REGISTRY_BYTES + 1)
    except FileNotFoundError:
        raise RegistryError(f"{path}: registry file not found") from None
    except OSError as exc:
        raise RegistryError(
            f"{path}: the registry could not be read ({os_reason(exc)}); give the path of the "
            "partnerships.yml file with --registry, readable by this account"
        ) from None
    if len(data) > MAX_REGISTRY_BYTES:
        raise RegistryError(
            f"{path}: the registry is larger than {MAX_REGISTRY_BYTES >> 20} MB; is it the right file?"
        )
    try:
        raw = yaml.safe_load(data.decode("utf-8-sig"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise RegistryError(f"{path}: not a readable YAML file ({_yaml_problem(exc)})") from None
    if not isinstance(raw, dict):
        raise RegistryError(f"{path}: expected a mapping with 'partnerships' at the top")
    try:
        registry = Registry.model_validate(raw)
    except ValidationError as exc:
        lines = [f"{path}: the registry breaks {exc.error_count()} rule(s):"]
        for err in exc.errors(include_input=False)[:MAX_ERRORS_SHOWN]:
            where = _locate(raw, err["loc"])
            lines.append(f"  - {where}: {err['msg']}")
        if exc.error_count() > MAX_ERRORS_SHOWN:
            lines.append(f"  - ... and {exc.error_count() - MAX_ERRORS_SHOWN} more")
        raise RegistryError("\n".join(lines)) from None
    _check_goal_indicators(path, registry)
    return registry


def _yaml_problem(exc: Exception) -> str:
    """Where the YAML is broken, without quoting the file back."""
    if isinstance(exc, UnicodeDecodeError):
        return "it is not UTF-8 text"
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or "it is not valid YAML"
    return f"{problem} at line {mark.line + 1}, column {mark.column + 1}" if mark else str(problem)


def _locate(raw: dict, loc: tuple) -> str:
    """Turn a pydantic location into words: ``partnerships[denver].goals[0].target``."""
    parts: list[str] = []
    node: object = raw
    for key in loc:
        if isinstance(key, int) and isinstance(node, list) and key < len(node):
            item = node[key]
            label = str(item.get("id"))[:40] if isinstance(item, dict) and "id" in item else key
            parts[-1] = f"{parts[-1]}[{label}]" if parts else f"[{label}]"
            node = item
        else:
            parts.append(str(key))
            node = node.get(key) if isinstance(node, dict) else None
    return ".".join(parts) or "(top)"


def _check_goal_indicators(path: Path, registry: Registry) -> None:
    from pathways.io.catalogue import load_catalogue

    known = set(load_catalogue().ids)
    for p in registry.partnerships:
        for goal in p.goals:
            if goal.indicator not in known:
                raise RegistryError(
                    f"{path}: partnership {p.id}: goal names unknown indicator {goal.indicator!r}; "
                    f"use one of the indicator ids on the methods page"
                )
