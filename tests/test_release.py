"""The release a reader cites is one version everywhere: the package, CITATION.cff and the CHANGELOG."""

from __future__ import annotations

import re
import tomllib

import yaml

import pathways


def test_the_changelog_releases_the_version_citation_cff_and_the_package_state(repo):
    project = tomllib.loads((repo / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    cff = yaml.safe_load((repo / "CITATION.cff").read_text(encoding="utf-8"))
    released = re.findall(
        r"^## \[?(\d+\.\d+\.\d+)\]? — (\d{4}-\d{2}-\d{2})$",
        (repo / "CHANGELOG.md").read_text(encoding="utf-8"),
        flags=re.MULTILINE,
    )
    assert released, "the CHANGELOG has no released version ('## X.Y.Z — YYYY-MM-DD')"
    newest, date = released[0]
    assert project["version"] == pathways.__version__ == str(cff["version"]) == newest
    assert str(cff["date-released"]) == date
    assert cff["license"] == project["license"] == "MIT" and (repo / "LICENSE").is_file()
