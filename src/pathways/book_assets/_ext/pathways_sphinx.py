"""Sphinx hooks of the Pathways book.

- Jupyter Book always loads sphinx-thebe, which registers its inline configuration script
  once per build pass (so a page declares ``THEBE_JS_URL`` twice and the browser logs an
  error) and points at a CDN. The book runs no code in the browser, so its scripts are
  dropped from every page.
- The ``pw_bibtex`` template filter keeps text inert inside a braced BibTeX field (the
  "Cite this report" block escapes for HTML after it).
"""

from __future__ import annotations


def _drop_thebe(app, pagename, templatename, context, doctree):
    scripts = context.get("script_files")
    if not scripts:
        return
    context["script_files"] = [
        s for s in scripts
        if "thebe" not in str(getattr(s, "filename", s) or "")
        and "THEBE_JS_URL" not in str(getattr(s, "attributes", {}).get("body", ""))
    ]


def bibtex_text(value) -> str:
    """No groups, commands or comments: braces and backslashes go, TeX's specials are escaped."""
    text = " ".join(str(value).replace("{", "").replace("}", "").replace("\\", "").split())
    for ch in "&%$#_":
        text = text.replace(ch, "\\" + ch)
    return text


def _add_filters(app):
    templates = getattr(app.builder, "templates", None)
    if templates is not None and hasattr(templates, "environment"):
        templates.environment.filters["pw_bibtex"] = bibtex_text


def setup(app):
    app.connect("builder-inited", _add_filters)
    app.connect("html-page-context", _drop_thebe, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
