"""The URL builders shared between test apps (tests/url_builders.py) build exactly what
Werkzeug's own, compiled afresh, builds: for every route, with and without extra arguments."""

from __future__ import annotations

from werkzeug.routing.rules import Rule

from tests.conftest import make_app
from tests.url_builders import compile_afresh


def _arguments(rule: Rule) -> dict[str, object]:
    """A value each of the route's converters accepts (a number, a year, or any text)."""
    values: dict[str, object] = {}
    for name in rule.arguments - set(rule.defaults or {}):
        converter = rule._converters[name]
        for text in ("7", "2024-25", "a b"):
            try:
                values[name] = converter.to_python(text)
                break
            except Exception:  # noqa: S112 - not this converter's kind of value: try the next
                continue
    return values


def test_every_route_builds_the_same_urls_as_werkzeug_compiles_afresh() -> None:
    app = make_app(SQLALCHEMY_DATABASE_URI="sqlite://")
    rules = list(app.url_map.iter_rules())
    assert len(rules) > 100
    checked = 0
    for rule in rules:
        values = _arguments(rule)
        for append_unknown, extra in ((False, {}), (True, {"q": "x&y", "page": 2})):
            shared = rule._build_unknown if append_unknown else rule._build
            fresh = compile_afresh(rule, append_unknown).__get__(rule, None)
            assert shared(**values, **extra) == fresh(**values, **extra), rule.rule
            checked += 1
    assert checked == 2 * len(rules)


def test_two_apps_share_one_builder_per_route() -> None:
    first = {
        (r.rule, r.endpoint): r
        for r in make_app(SQLALCHEMY_DATABASE_URI="sqlite://").url_map.iter_rules()
    }
    second = make_app(SQLALCHEMY_DATABASE_URI="sqlite://")
    for rule in second.url_map.iter_rules():
        other = first[(rule.rule, rule.endpoint)]
        assert rule is not other
        assert rule._build.__func__ is other._build.__func__
