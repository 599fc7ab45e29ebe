"""The Jinja side of a Word template: its tags as a person typed them, and the placeholders
it uses. Pure: Jinja sources in (tisc.documents.docx_checks makes them from a .docx), messages out.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from jinja2 import TemplateSyntaxError, nodes
from jinja2.meta import find_undeclared_variables
from jinja2.sandbox import SandboxedEnvironment

UNDERSCORE = "Placeholders cannot start with _ (found '{tag}')"
# Names every sandboxed template has: range, dict, lipsum, cycler, joiner, namespace.
ALWAYS_AVAILABLE = frozenset(SandboxedEnvironment().globals)
TAG = re.compile(r"\{\{.*?(?:\}\}|$)|\{%.*?(?:%\}|$)", re.DOTALL | re.MULTILINE)


@dataclass(frozen=True)
class TemplateSource:
    """The Jinja source docxtpl renders for one part, one line per Word paragraph."""

    label: str
    text: str


# --- placeholders --------------------------------------------------------------------------


def placeholder_problems(
    sources: list[TemplateSource], *, known_names: frozenset[str]
) -> list[str]:
    """Syntax mistakes, placeholders starting with _, and names the statement lacks."""
    environment = SandboxedEnvironment()
    problems: list[str] = []
    unknown: set[str] = set()
    for source in sources:
        try:
            tree = environment.parse(source.text)
        except TemplateSyntaxError as error:
            message = syntax_message(error, source)
            if message not in problems:
                problems.append(message)
            continue
        for word in sorted(_underscored(tree)):
            message = UNDERSCORE.format(tag=find_tag(sources, word) or word)
            if message not in problems:
                problems.append(message)
        unknown |= find_undeclared_variables(tree) - known_names - ALWAYS_AVAILABLE
    names = sorted(name for name in unknown if not name.startswith("_"))
    if names:
        listed = ", ".join(f"{{{{ {name} }}}}" for name in names)
        problems.append(f"Unknown placeholder{'s' if len(names) > 1 else ''}: {listed}")
    return problems


def _underscored(tree: nodes.Template) -> set[str]:
    """Names, attributes and keys starting with _, the way into Python's internals."""
    found: set[str] = set()
    for node in tree.find_all((nodes.Name, nodes.Getattr, nodes.Getitem, nodes.Filter)):
        if isinstance(node, nodes.Name):
            words = [node.name]
        elif isinstance(node, nodes.Getattr):
            words = [node.attr]
        elif isinstance(node, nodes.Getitem):
            words = [node.arg.value] if isinstance(node.arg, nodes.Const) else []
        else:
            arguments = [*node.args, *(keyword.value for keyword in node.kwargs)]
            words = [a.value for a in arguments if isinstance(a, nodes.Const)]
        found |= {w for w in words if isinstance(w, str) and w.startswith("_")}
    return found


def tags(text: str) -> list[str]:
    """The {{ }} and {% %} tags of a source as a person typed them, without Word's XML."""
    plain = html.unescape(re.sub(r"<[^>]+>", "", text))
    return [" ".join(tag.split()) for tag in TAG.findall(plain)]


def find_tag(sources: list[TemplateSource], word: str) -> str | None:
    """The first tag that mentions a name, attribute or text."""
    pattern = re.compile(rf"(?<![\w]){re.escape(word)}(?![\w])")
    for source in sources:
        for tag in tags(source.text):
            if pattern.search(tag):
                return tag
    return None


def syntax_message(error: TemplateSyntaxError, source: TemplateSource) -> str:
    """ "There is a mistake in the template near '{{ bad tag' (the main text, paragraph 3)"."""
    lines = source.text.split("\n")
    number = min(max(error.lineno, 1), len(lines))
    # An unclosed {% for %} or {% if %} is reported at the end: point at the block instead.
    block = re.search(r"needs to be closed is '(\w+)'", error.message or "")
    opening = re.compile(rf"\{{%-?\s*{block.group(1)}\b") if block else None
    near = None
    for index in range(number - 1, -1, -1):  # the error's line, else the nearest tag before it
        found = tags(lines[index])
        if opening is not None:
            found = [tag for tag in found if opening.match(tag)]
        if found:
            near = found[-1] if opening is not None else _broken_tag(found)
            number = index + 1
            break
    where = (
        source.label
        if source.label.startswith("the document")
        else (f"{source.label}, paragraph {max(number - 1, 1)}")
    )
    near_text = f" near '{_shorten(near)}'" if near else ""
    return f"There is a mistake in the template{near_text} ({where}): {error.message}"


def _broken_tag(found: list[str]) -> str:
    environment = SandboxedEnvironment()
    for tag in found:
        if tag.startswith("{{"):
            try:
                environment.parse(tag)
            except TemplateSyntaxError:
                return tag
    unclosed = [tag for tag in found if not tag.endswith(("}}", "%}"))]
    return (unclosed or found)[-1]


def _shorten(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."
