import pytest

from tisc.rules.passwords import password_problem


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("short", "12 characters or more"),
        ("password1234567", "too easy to guess"),
        ("aaaaaaaaaaaaaaaa", "too easy to guess"),
        ("jane.smith-2026-river", "must not contain your email"),
        ("x" * 257, "256 characters or fewer"),
    ],
)
def test_weak_passwords_are_refused_with_a_reason(password: str, reason: str) -> None:
    problem = password_problem(password, email="jane.smith@example.org")
    assert problem is not None and reason in problem


def test_a_passphrase_is_accepted() -> None:
    assert password_problem("orange kettle marching violin", email="jane@example.org") is None
