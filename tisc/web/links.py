"""Full addresses of pages, for links that leave the app: in an email, or to copy."""

from __future__ import annotations

from typing import Any

from flask import current_app, request, url_for


def full_url(endpoint: str, **values: Any) -> str:
    """The page's full address: TISC_BASE_URL when set, else the address in use."""
    base = current_app.config.get("BASE_URL") or request.url_root.rstrip("/")
    return base + url_for(endpoint, **values)
