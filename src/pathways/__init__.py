"""Pathways: partnership progress reports for education-to-workforce partnerships."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("pathways")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0+unknown"
