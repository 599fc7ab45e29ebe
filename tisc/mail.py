"""Sending email, pluggable and off by default: tisc needs no network to run.

MAIL_BACKEND chooses how invitations leave the building:
- "none" (the default): nothing is sent; the outbox lists invitations for the procurement
  lead to send from the body's own email;
- "log": the message is written to the application log (development and tests);
- "package.module:factory": any callable returning an object with
  send(*, to, subject, body) -> None, for a body that wires in its own mail relay.
"""

from __future__ import annotations

import importlib
from typing import Protocol

from flask import current_app


class Mailer(Protocol):
    """Anything that can send a plain-text email."""

    name: str

    def send(self, *, to: str, subject: str, body: str) -> None: ...


class LogMailer:
    """Writes messages to the application log instead of sending them."""

    name = "log"

    def send(self, *, to: str, subject: str, body: str) -> None:
        current_app.logger.info("Email to %s: %s\n%s", to, subject, body)


def configured_mailer() -> Mailer | None:
    """The mailer MAIL_BACKEND names, or None when email is off."""
    backend = current_app.config.get("MAIL_BACKEND") or "none"
    if backend == "none":
        return None
    if backend == "log":
        return LogMailer()
    module_name, _, attribute = backend.partition(":")
    factory = getattr(importlib.import_module(module_name), attribute)
    return factory()
