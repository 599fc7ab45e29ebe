"""Endpoints are named in full, never assembled from pieces: a search for an endpoint then
finds every caller. Reads the code and the templates; runs nothing."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# url_for( in a template, unless its endpoint is one quoted name followed by "," or ")".
ASSEMBLED_IN_TEMPLATE = re.compile(r"""url_for\(\s*(?!(['"])[\w.]+\1\s*[,)])""")


def _assembles(node: ast.expr) -> bool:
    """Whether the expression builds a string: an f-string, "a" + b, "a.%s" % b,
    "a.{}".format(b) or "".join(...)."""
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
        return True
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in ("format", "join")
    )


def assembled_in_python(source: str) -> Iterator[int]:
    """The lines where an endpoint is assembled: the first argument of url_for(), or any
    endpoint= argument (route registration)."""
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.attr if isinstance(node.func, ast.Attribute) else None
        name = node.func.id if isinstance(node.func, ast.Name) else name
        endpoints = [k.value for k in node.keywords if k.arg == "endpoint"]
        if name == "url_for" and node.args:
            endpoints.append(node.args[0])
        if any(_assembles(e) for e in endpoints):
            yield node.lineno


def assembled_in_template(source: str) -> Iterator[int]:
    for found in ASSEMBLED_IN_TEMPLATE.finditer(source):
        yield source.count("\n", 0, found.start()) + 1


def assembled_under(root: Path) -> list[str]:
    """Every place under root's tisc/ and templates/ that assembles an endpoint."""
    places = [
        f"{path.relative_to(root)}:{line}"
        for path in sorted((root / "tisc").rglob("*.py"))
        for line in assembled_in_python(path.read_text(encoding="utf-8"))
    ]
    places += [
        f"{path.relative_to(root)}:{line}"
        for path in sorted((root / "templates").rglob("*.html"))
        for line in assembled_in_template(path.read_text(encoding="utf-8"))
    ]
    return places


def test_no_endpoint_is_assembled_from_pieces() -> None:
    assert assembled_under(ROOT) == []


@pytest.mark.parametrize(
    "source",
    [
        'url_for(f"statements.{name}", org_slug=slug)',
        'flask.url_for(f"statement_documents.{prefix}_generate")',
        'url_for("statements." + name)',
        'url_for("statements.%s" % name)',
        'url_for("statements.{}".format(name))',
        'url_for(endpoint=f"statements.{name}")',
        'bp.route("/x", endpoint=f"new_{side}_risk")(view)',
        'bp.add_url_rule("/x", endpoint="new_" + side + "_risk")',
    ],
)
def test_an_assembled_endpoint_in_code_is_found(source: str) -> None:
    assert list(assembled_in_python(f"x = 1\n{source}\n")) == [2]


@pytest.mark.parametrize(
    "source",
    [
        'url_for("statements.joint_statement", **args)',
        "url_for(endpoints.new_risk, risk_id=risk.id)",
        'url_for(BODY_STEPS[step], statement_id=1, action=f"{x}")',
        'bp.route("/x", endpoint=_on_blueprint(JOINT.new_risk))(view)',
        'redirect(f"{back}#section-{section.id}")',
    ],
)
def test_an_endpoint_named_in_code_is_not(source: str) -> None:
    assert list(assembled_in_python(source)) == []


@pytest.mark.parametrize(
    "source",
    [
        "{{ url_for('statements.' ~ name, org_slug=org.slug) }}",
        '{{ url_for("statements." ~ name) }}',
        "{{ url_for(endpoint, org_slug=org.slug) }}",
        "{{ url_for( 'statements.%s' % name) }}",
    ],
)
def test_an_assembled_endpoint_in_a_template_is_found(source: str) -> None:
    assert list(assembled_in_template(f"<p>\n{source}\n")) == [2]


@pytest.mark.parametrize(
    "source",
    [
        "{{ url_for('statements.start_single', org_slug=org.slug, year=year.slug) }}",
        '{{ url_for("main.home") }}',
        "{{ url_for('static', filename='app.css' ~ suffix) }}",
    ],
)
def test_an_endpoint_named_in_a_template_is_not(source: str) -> None:
    assert list(assembled_in_template(source)) == []
