"""The test apps' shared template code (tests/template_code.py) never gives an app code that
another source or other settings would compile differently."""

from __future__ import annotations

from jinja2 import DictLoader, Environment

from tests.template_code import SharedTemplateCode

SOURCE = "{% if true %}\n  <p>{{ name }}</p>\n{% endif %}\n"


def environment(cache: SharedTemplateCode, source: str = SOURCE, **settings: object) -> Environment:
    return Environment(
        loader=DictLoader({"page.html": source}), bytecode_cache=cache, autoescape=True, **settings
    )


def test_a_second_environment_reuses_the_code_and_renders_the_same() -> None:
    cache = SharedTemplateCode()
    first = environment(cache).get_template("page.html").render(name="<b>")
    assert len(cache.code) == 1
    second_env = environment(cache)
    bucket = cache.get_bucket(second_env, "page.html", None, SOURCE)
    assert bucket.code is not None
    assert second_env.get_template("page.html").render(name="<b>") == first
    assert len(cache.code) == 1


def test_other_settings_compile_their_own_code() -> None:
    cache = SharedTemplateCode()
    plain = environment(cache).get_template("page.html").render(name="<b>")
    trimmed = environment(cache, trim_blocks=True, lstrip_blocks=True)
    assert trimmed.get_template("page.html").render(name="<b>") == "  <p>&lt;b&gt;</p>\n"
    assert plain == "\n  <p>&lt;b&gt;</p>\n"
    assert len(cache.code) == 2


def test_a_changed_source_is_compiled_again() -> None:
    cache = SharedTemplateCode()
    environment(cache).get_template("page.html").render(name="x")
    changed = environment(cache, source="<h1>{{ name }}</h1>")
    assert changed.get_template("page.html").render(name="x") == "<h1>x</h1>"
