"""Plain messages for a Word template that could not be filled in, naming the tag at fault.

Pure: the error and the template's bytes in, a sentence for the administrator out. Used by the
process that fills uploaded templates in (tisc.documents.docx_render_child).
"""

from __future__ import annotations

import re

from jinja2 import TemplateSyntaxError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from tisc.documents.docx_checks import template_sources
from tisc.documents.docx_tags import TemplateSource, find_tag, syntax_message

TOO_LONG = "The template took too long to fill: it may loop forever"
MEMORY = "The template needed too much memory"
UNDEFINED = "The template uses {{{{ {name} }}}}, which the statement does not have"
UNSAFE = "The template tries to reach inside the service: '{tag}' is not allowed"
REPEATS = "The template repeats something too many times near '{tag}': the most is 100,000"
ENDLESS = "The template calls itself without end"


def describe_render_error(error: BaseException, template: bytes) -> str:
    """A plain message for a failed fill, naming the tag at fault where it can be found."""
    if isinstance(error, MemoryError):
        return MEMORY
    if isinstance(error, RecursionError):
        return ENDLESS
    try:
        sources = template_sources(template)
    except ValueError as refused:
        return str(refused)
    if isinstance(error, TemplateSyntaxError):
        return _syntax_problem(sources) or f"There is a mistake in the template: {error.message}"
    text = str(getattr(error, "message", None) or error)
    if isinstance(error, UndefinedError):
        return _undefined(text, sources)
    if isinstance(error, SecurityError):
        word = re.search(r"'([^']+)'", text)
        tag = find_tag(sources, word.group(1)) if word else None
        return UNSAFE.format(tag=tag or "{{ ... }}")
    if isinstance(error, OverflowError) and "range" in text.lower():
        return REPEATS.format(tag=find_tag(sources, "range") or "range(...)")
    return f"The template could not be filled in: {text}"


def _syntax_problem(sources: list[TemplateSource]) -> str | None:
    environment = SandboxedEnvironment()
    for source in sources:
        try:
            environment.parse(source.text)
        except TemplateSyntaxError as error:
            return syntax_message(error, source)
    return None


def _undefined(text: str, sources: list[TemplateSource]) -> str:
    name = re.match(r"'([^']+)' is undefined", text)
    if name:
        return UNDEFINED.format(name=name.group(1))
    attribute = re.search(r"has no (?:attribute|element) '?([^']+?)'?$", text)
    if attribute is None:
        return f"The template uses something the statement does not have: {text}"
    word = attribute.group(1)
    tag = find_tag(sources, word) or ""
    found = re.search(rf"[\w.]*\.{re.escape(word)}\b", tag)
    return UNDEFINED.format(name=found.group(0) if found else f"... .{word}")
