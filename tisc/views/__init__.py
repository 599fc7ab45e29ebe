"""Blueprints, one module per area. Views are thin: load, check, call a service, commit."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask_login import current_user

if TYPE_CHECKING:
    from tisc.models import User


def signed_in_user() -> User:
    """The signed-in user as a model (services store its id)."""
    return current_user._get_current_object()
