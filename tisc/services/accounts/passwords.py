"""Password hashing with argon2id, at the cost the configuration sets."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app


def _hasher() -> PasswordHasher:
    cfg = current_app.config
    return PasswordHasher(
        time_cost=cfg["ARGON2_TIME_COST"],
        memory_cost=cfg["ARGON2_MEMORY_COST"],
        parallelism=cfg["ARGON2_PARALLELISM"],
    )


# Stored for someone who has not set a password yet (they have a one-time link): no password
# matches it.
NO_PASSWORD = "!"  # noqa: S105


def hash_password(password: str) -> str:
    """An argon2id hash of the password."""
    return _hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when the password matches. Spends the same effort when there is no hash."""
    hasher = _hasher()
    if password_hash is None or not password_hash.startswith("$argon2"):
        # Hash anyway so an unknown email, or someone who has not yet set a password, takes
        # as long as a wrong password.
        hasher.hash(password)
        return False
    try:
        return hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
