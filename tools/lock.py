"""Pin the tested set of packages in two files: what running Pathways needs, and what developing it adds.

``make lock`` calls this after ``pip install``: it reads the environment's installed
distributions, takes everything ``pathways`` (with JupyterLab, which ``make lab`` opens)
depends on as the runtime set, and the rest of what the development roots pull in as the
development set. Both files pin exact versions; ``requirements-dev.txt`` includes the runtime
file, so one ``pip install -r requirements-dev.txt`` sets up a developer's machine.
"""

from __future__ import annotations

import re
import sys
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement

RUNTIME_ROOTS = ("pathways", "jupyterlab")  # JupyterLab for `make lab`
DEV_ROOTS = (
    "pytest",
    "pytest-xdist",
    "pytest-timeout",
    "pytest-cov",
    "hypothesis",
    "ruff",
    "playwright",
    "pyinstrument",
)
UNPINNED = {
    "pathways",
    "pip",
    "setuptools",
    "wheel",
}  # the project itself, and what pip freeze leaves out too
HEADER = (
    "# Pinned, tested set (Python 3.11). Regenerate with: make lock\n"
    "# Jupyter Book stays below 2 (version 2 is a different engine).\n"
)


def _name(text: str) -> str:
    return re.sub(r"[-_.]+", "-", text).lower()


def _installed() -> dict[str, metadata.Distribution]:
    return {_name(d.metadata["Name"]): d for d in metadata.distributions()}


def _closure(roots: tuple[str, ...], dists: dict[str, metadata.Distribution]) -> set[str]:
    """Every installed distribution the roots need, with the extras they ask for (a requirement's
    environment marker is evaluated on this machine, with the extra that pulled it in)."""
    todo, seen, names = [(_name(r), "") for r in roots], set(), set()
    while todo:
        name, extra = todo.pop()
        if (name, extra) in seen or name not in dists:
            continue
        seen.add((name, extra))
        names.add(name)
        for text in dists[name].requires or []:
            requirement = Requirement(text)
            if requirement.marker is not None and not requirement.marker.evaluate({"extra": extra}):
                continue
            dependency = _name(requirement.name)
            todo.append((dependency, ""))
            todo.extend((dependency, _name(x)) for x in requirement.extras)
    return names


def main(repo: Path) -> None:
    dists = _installed()
    for root in RUNTIME_ROOTS + DEV_ROOTS:
        if _name(root) not in dists:
            sys.exit(f"error: {root} is not installed; run make setup first")
    runtime = _closure(RUNTIME_ROOTS, dists) - UNPINNED
    dev = _closure(DEV_ROOTS, dists) - runtime - UNPINNED

    def pins(names: set[str]) -> str:
        return "".join(
            f"{dists[n].metadata['Name']}=={dists[n].version}\n" for n in sorted(names, key=str.lower)
        )

    (repo / "requirements.txt").write_text(HEADER + "-e .\n" + pins(runtime), encoding="utf-8")
    (repo / "requirements-dev.txt").write_text(
        HEADER
        + "# Tests, lint and benchmarks, on top of the runtime set.\n-r requirements.txt\n"
        + pins(dev),
        encoding="utf-8",
    )
    left = set(dists) - runtime - dev - UNPINNED
    if left:
        print("not pinned (neither pathways nor a development tool needs them): " + ", ".join(sorted(left)))


if __name__ == "__main__":
    main(Path(__file__).resolve().parents[1])
