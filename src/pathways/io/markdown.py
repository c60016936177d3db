"""Partner-supplied text made inert before it becomes Markdown/MyST of a page."""

from __future__ import annotations

_MD_SPECIAL = set("\\`*_{}[]()<>#+-.!|:$~=&^@%")


def md_escape(text: object) -> str:
    """Make partner-supplied text inert in Markdown/MyST: no markup, HTML, roles or directives."""
    return "".join("\\" + ch if ch in _MD_SPECIAL else ch for ch in " ".join(str(text).split()))
