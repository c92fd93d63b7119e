"""The password rules: at least 12 characters, not the email, not a common password."""

from __future__ import annotations

import pytest

from pm_desk.domain.passwords import common_passwords, password_problem

EMAIL = "mia.one@ice.example.gov"


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("short-one", "must be at least 12 characters long"),
        ("x" * 11, "must be at least 12 characters long"),
        (EMAIL, "must not be your email or contain its name part"),
        ("MIA.ONE-secret-2026", "must not be your email or contain its name part"),
        ("password1234", "is one of the commonest passwords: choose another"),
        ("Qwertyuiop12", "is one of the commonest passwords: choose another"),
        ("aaaaaaaaaaaabbbb", "repeats too few characters: choose another"),
        ("y" * 1025, "must be at most 1,024 characters long"),
    ],
)
def test_a_password_that_may_not_be_used_says_why(password: str, problem: str) -> None:
    assert password_problem(password, EMAIL) == problem


@pytest.mark.parametrize("password", ["correct horse battery", "Cobb-County-287g!", "x" * 5 + "abcdefgh"])
def test_a_good_password_passes(password: str) -> None:
    assert password_problem(password, EMAIL) is None


def test_the_shipped_list_is_read_and_lower_case() -> None:
    words = common_passwords()
    assert len(words) > 500 and "password1234" in words
    assert all(word == word.lower() for word in words)
