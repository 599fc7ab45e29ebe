"""URL builders shared by every app a test process makes.

Werkzeug compiles two small Python functions for each route of a new app (to build its URLs),
through `ast` and `compile`: 130 routes made that about 110 ms of every test's app, a third of
the average test. Each function depends only on the route's text, its parts, its defaults and
whether unknown arguments go into the query string; it reads the route's converters through
`self` when it runs. So the same route in another app gets the same function, compiled once
per test process. tests/integration/test_shared_url_builders.py checks every route builds the
same URLs with and without it.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

from werkzeug.routing.rules import Rule

_COMPILE = Rule._compile_builder
_BUILDERS: dict[Hashable, Callable[..., tuple[str, str]]] = {}


def builder_key(rule: Rule, append_unknown: bool) -> Hashable:
    """Everything a route's compiled builder depends on."""
    defaults = rule.defaults or {}
    return (
        rule.rule,
        append_unknown,
        tuple(rule._trace),
        tuple(sorted((str(k), repr(v)) for k, v in defaults.items())),
        tuple(sorted((k, type(c).__qualname__) for k, c in rule._converters.items())),
    )


def _shared_builder(self: Rule, append_unknown: bool = True) -> Any:
    key = builder_key(self, append_unknown)
    found = _BUILDERS.get(key)
    if found is None:
        found = _BUILDERS[key] = _COMPILE(self, append_unknown)
    return found


def share_url_builders() -> None:
    """Compile each route's URL builders once per test process."""
    Rule._compile_builder = _shared_builder  # type: ignore[method-assign]


def compile_afresh(rule: Rule, append_unknown: bool) -> Callable[..., tuple[str, str]]:
    """Werkzeug's own compile, for comparison."""
    return _COMPILE(rule, append_unknown)
