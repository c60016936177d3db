"""The partnership registry (``partnerships.yml``): loaded, checked, explained."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from pathways.errors import PathwaysError
from pathways.safety import PARTNERSHIP_ID_PATTERN

Sector = Literal["k12", "postsecondary", "employer", "workforce", "state_agency", "intermediary"]
GoalMeasure = Literal["count", "rate", "change_from_baseline_pct"]


class Partner(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str = Field(min_length=1, max_length=200)
    sector: Sector


class Goal(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    indicator: str
    measure: GoalMeasure
    target: float
    target_year: int = Field(ge=2000, le=2100)

    @model_validator(mode="after")
    def _rate_is_a_share(self) -> Goal:
        if self.measure == "rate" and not 0 <= self.target <= 1:
            raise ValueError("a rate target is a share between 0 and 1 (0.35 for 35%)")
        return self


class Partnership(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str = Field(pattern=PARTNERSHIP_ID_PATTERN)
    name: str = Field(min_length=1, max_length=200)
    region: str
    convener: str
    partners: tuple[Partner, ...] = Field(min_length=1)
    baseline_year: int = Field(ge=2000, le=2100)
    living_wage_usd: float = Field(gt=0)
    tuition_per_credit_usd: float = Field(ge=0)
    goals: tuple[Goal, ...] = ()
    is_demo: bool = False
    description: str = ""

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
    min_cell_size: int = Field(default=10, ge=1, le=1000)
    partnerships: tuple[Partnership, ...] = Field(min_length=1)

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
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RegistryError(f"{path}: registry file not found") from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise RegistryError(f"{path}: not a readable YAML file ({exc})") from None
    if not isinstance(raw, dict):
        raise RegistryError(f"{path}: expected a mapping with 'partnerships' at the top")
    try:
        registry = Registry.model_validate(raw)
    except ValidationError as exc:
        lines = [f"{path}: the registry breaks {exc.error_count()} rule(s):"]
        for err in exc.errors():
            where = _locate(raw, err["loc"])
            lines.append(f"  - {where}: {err['msg']}")
        raise RegistryError("\n".join(lines)) from None
    _check_goal_indicators(path, registry)
    return registry


def _locate(raw: dict, loc: tuple) -> str:
    """Turn a pydantic location into words: ``partnerships[denver].goals[0].target``."""
    parts: list[str] = []
    node: object = raw
    for key in loc:
        if isinstance(key, int) and isinstance(node, list) and key < len(node):
            item = node[key]
            label = item.get("id") if isinstance(item, dict) and "id" in item else key
            parts[-1] = f"{parts[-1]}[{label}]" if parts else f"[{label}]"
            node = item
        else:
            parts.append(str(key))
            node = node.get(key) if isinstance(node, dict) else None
    return ".".join(parts) or "(top)"


def _check_goal_indicators(path: Path, registry: Registry) -> None:
    from pathways.catalogue import load_catalogue

    known = set(load_catalogue().ids)
    for p in registry.partnerships:
        for goal in p.goals:
            if goal.indicator not in known:
                raise RegistryError(
                    f"{path}: partnership {p.id}: goal names unknown indicator {goal.indicator!r}; "
                    f"use one of the indicator ids on the methods page"
                )
