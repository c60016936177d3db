"""Sphinx hooks of the Pathways book.

Jupyter Book always loads sphinx-thebe, which registers its inline configuration script
once per build pass (so a page declares ``THEBE_JS_URL`` twice and the browser logs an
error) and points at a CDN. The book runs no code in the browser, so its scripts are
dropped from every page.
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


def setup(app):
    app.connect("html-page-context", _drop_thebe, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
