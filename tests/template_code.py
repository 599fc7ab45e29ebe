"""Compiled Jinja templates shared by every app a test process makes.

Each test makes a new app, and a new app's Jinja environment lexes, parses and compiles every
template it renders afresh: a third of the time of a test that reads pages. The apps' templates
and settings are the same, so their compiled code is too; SHARED_TEMPLATE_CODE keeps it in memory
(Jinja's own bytecode cache mechanism, as a FileSystemBytecodeCache keeps it on disk).

Code is kept apart by every environment setting that shapes it, and Jinja compares a checksum of
the template source before using it: a changed template, or an app with other settings, compiles.
"""

from __future__ import annotations

from collections.abc import Hashable

from jinja2 import BytecodeCache, Environment
from jinja2.bccache import Bucket


def code_settings(environment: Environment) -> tuple[Hashable, ...]:
    """The environment's settings that the generated code depends on."""

    def plain(value: object) -> object:
        return getattr(value, "__func__", value)  # a bound method: the same for every app

    return (
        environment.block_start_string,
        environment.block_end_string,
        environment.variable_start_string,
        environment.variable_end_string,
        environment.comment_start_string,
        environment.comment_end_string,
        environment.line_statement_prefix,
        environment.line_comment_prefix,
        environment.trim_blocks,
        environment.lstrip_blocks,
        environment.newline_sequence,
        environment.keep_trailing_newline,
        environment.optimized,
        environment.is_async,
        tuple(sorted(environment.extensions)),
        plain(environment.autoescape),
        plain(environment.finalize),
        type(environment),
    )


class SharedTemplateCode(BytecodeCache):
    """A bytecode cache in this process's memory, shared by every environment given it."""

    def __init__(self) -> None:
        self.code: dict[Hashable, bytes] = {}

    def get_bucket(
        self, environment: Environment, name: str, filename: str | None, source: str
    ) -> Bucket:
        key = (code_settings(environment), self.get_cache_key(name, filename))
        bucket = Bucket(environment, key, self.get_source_checksum(source))  # type: ignore[arg-type]
        self.load_bytecode(bucket)
        return bucket

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self.code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)  # kept only if the source's checksum matches

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()

    def clear(self) -> None:
        self.code.clear()


SHARED_TEMPLATE_CODE = SharedTemplateCode()
