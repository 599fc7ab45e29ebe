"""Password strength: why a new password is too weak, in plain words."""

from __future__ import annotations

MIN_PASSWORD_LENGTH = 12
_COMMON = {"password", "passw0rd", "letmein", "qwerty", "welcome", "123456", "changeme"}


def password_problem(password: str, *, email: str = "") -> str | None:
    """Why a new password is too weak, in plain words, or None when it is acceptable."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"Password must be {MIN_PASSWORD_LENGTH} characters or more"
    if len(password) > 256:
        return "Password must be 256 characters or fewer"
    lowered = password.lower()
    if any(word in lowered for word in _COMMON) or len(set(password)) < 5:
        return "Password is too easy to guess; use three or four random words"
    local_part = email.split("@")[0].lower()
    if len(local_part) >= 4 and local_part in lowered:
        return "Password must not contain your email address"
    return None
