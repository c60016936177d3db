"""Sphinx hooks of the Pathways book.

- Jupyter Book always loads sphinx-thebe, which registers its inline configuration script
  once per build pass (so a page declares ``THEBE_JS_URL`` twice and the browser logs an
  error) and points at a CDN. The book runs no code in the browser, so its scripts are
  dropped from every page.
- A link marked ``data-pw-report="<partnership>/<year>"`` (the brief's "full report" link)
  points at the standalone copy beside a standalone brief; in the book it is pointed at the
  report's own page, whose document is ``partnerships/<partnership>/<year>``.
- The ``pw_bibtex`` template filter keeps text inert inside a braced BibTeX field (the
  "Cite this report" block escapes for HTML after it).
"""

from __future__ import annotations

import html
import re

_REPORT_LINK = re.compile(r'(<a\b[^>]*\bdata-pw-report="([a-z0-9-]+/[0-9]{4})"[^>]*\bhref=")[^"]*(")')


def _drop_thebe(app, pagename, templatename, context, doctree):
    scripts = context.get("script_files")
    if not scripts:
        return
    context["script_files"] = [
        s
        for s in scripts
        if "thebe" not in str(getattr(s, "filename", s) or "")
        and "THEBE_JS_URL" not in str(getattr(s, "attributes", {}).get("body", ""))
    ]


def _link_reports(app, pagename, templatename, context, doctree):
    body = context.get("body")
    if not body or "data-pw-report" not in body:
        return

    def to_page(match: re.Match) -> str:
        docname = f"partnerships/{match.group(2)}"
        if docname not in app.env.all_docs:
            return match.group(0)  # not in this book: keep the standalone address
        return match.group(1) + html.escape(app.builder.get_relative_uri(pagename, docname)) + match.group(3)

    context["body"] = _REPORT_LINK.sub(to_page, body)


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
    app.connect("html-page-context", _link_reports)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
