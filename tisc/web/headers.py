"""Every response's security headers, its CSP nonce, and the audit label of each request."""

from __future__ import annotations

import secrets
from contextlib import ExitStack
from typing import Any

from flask import Flask, g, request
from flask_login import current_user

from tisc.services.audit.chain import Actor, acting_as


def csp_nonce() -> str:
    """This request's CSP nonce, made when first needed.

    Made on demand rather than in a before_request hook: a request refused by an earlier
    hook (a missing CSRF token, a body over the size limit) still renders an error page whose
    inline script needs the nonce that its header names.
    """
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def person_signed_in() -> Actor:
    """The audit trail's actor for a request: the signed-in person, or nobody signed in."""
    if current_user.is_authenticated:
        return Actor(current_user.id, current_user.email)
    return Actor(None, "someone not signed in")


def init_app(app: Flask) -> None:
    """Label each request's changes, give it a CSP nonce and set security headers."""

    @app.before_request
    def label_changes() -> None:
        # Asked at commit, not now: someone signing in is signed in by then. Views that act
        # for someone else (a supplier's link) label their own block with acting_as.
        g.audit_label = ExitStack()
        g.audit_label.enter_context(acting_as(person_signed_in))

    @app.teardown_request
    def end_label(_error: BaseException | None) -> None:
        # Threads are reused between requests: leave no label behind.
        scope = g.pop("audit_label", None)
        if scope is not None:
            scope.close()

    @app.context_processor
    def inject_nonce() -> dict[str, str]:
        return {"csp_nonce": csp_nonce()}

    @app.after_request
    def set_headers(response: Any) -> Any:
        nonce = csp_nonce()
        response.headers["Content-Security-Policy"] = (
            "default-src 'self'; "
            f"script-src 'self' 'nonce-{nonce}'; "
            "style-src 'self'; img-src 'self' data:; font-src 'self'; "
            "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
        )
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
        response.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
        if app.config["HSTS"]:
            response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        # Check the endpoint first: static files need no user loaded from the database.
        if request.endpoint != "static" and current_user.is_authenticated:
            response.headers["Cache-Control"] = "no-store"
        return response
