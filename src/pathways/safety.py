"""Checks on anything that becomes part of a path, before it does."""

from __future__ import annotations

import re
from pathlib import Path

from pathways.errors import PathwaysError

PARTNERSHIP_ID_PATTERN = r"^[a-z0-9-]{1,40}$"
MIN_YEAR, MAX_YEAR = 2000, 2100


class UnsafeInputError(PathwaysError):
    """A partnership id, year or version that must not become a path."""


def check_partnership_id(value: str) -> str:
    if not isinstance(value, str) or not re.fullmatch(PARTNERSHIP_ID_PATTERN, value):
        raise UnsafeInputError(
            f"partnership id {value!r} is not valid: use 1-40 lower-case letters, digits or '-'"
        )
    return value


def check_year(value: int | str) -> int:
    text = str(value).strip()
    if not re.fullmatch(r"\d{4}", text) or not MIN_YEAR <= int(text) <= MAX_YEAR:
        raise UnsafeInputError(f"year {value!r} is not valid: use a four-digit school year such as 2024")
    return int(text)


def submission_dir(data_dir: Path, partnership_id: str, year: int | str) -> Path:
    """The folder of one partnership-year: ``<data>/<partnership>/<year>``."""
    return Path(data_dir) / check_partnership_id(partnership_id) / str(check_year(year))


_MD_SPECIAL = set("\\`*_{}[]()<>#+-.!|:$~=&^@%")


def md_escape(text: object) -> str:
    """Make partner-supplied text inert in Markdown/MyST: no markup, HTML, roles or directives."""
    return "".join("\\" + ch if ch in _MD_SPECIAL else ch for ch in " ".join(str(text).split()))
