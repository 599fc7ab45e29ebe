"""Filling a docxtpl Word template in safely: a sandboxed, autoescaping, StrictUndefined Jinja.

Used in the web process for the tool's own templates (the board report, the default statement)
and in the limited child process (tisc.documents.docx_render_child) for uploaded ones. A bad or
unsafe tag raises Jinja's own TemplateError, for the caller to put in its own words.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

from docxtpl import DocxTemplate
from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment


def fill_docx(
    *,
    template: bytes,
    context: Mapping[str, Any],
    title: str | None = None,
    pictures: Mapping[str, bytes] | None = None,
) -> bytes:
    """The template filled in with the context; the title set as the document's title.

    `pictures` replaces the template's pictures of those names (a chart drawn for this
    document in place of the template's stand-in); a template without them is filled in all
    the same."""
    document = DocxTemplate(io.BytesIO(template))
    document.allow_missing_pics = True
    for name, content in (pictures or {}).items():
        document.replace_pic(name, io.BytesIO(content))
    environment = SandboxedEnvironment(autoescape=True, undefined=StrictUndefined)
    document.render(dict(context), jinja_env=environment)
    if title is not None:
        # Set here, not by a tag: core properties are plain text, not escaped XML.
        document.docx.core_properties.title = title
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
