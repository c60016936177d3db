"""The package's own YAML files (the catalogue, the data dictionary)."""

from __future__ import annotations

from importlib.resources import files

import yaml

# libyaml's parser, where PyYAML was built with it: every notebook kernel parses these
# files, and the pure-Python parser took a fifth of a second for the dictionary alone.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def packaged_yaml(name: str, loader: type = _LOADER) -> dict:
    return yaml.load(files("pathways").joinpath(name).read_text("utf-8"), Loader=loader)  # noqa: S506 (safe loaders only)
