"""What makes a password acceptable: long enough, not the person's email, not a common one.

A pure check, so the sign-in dialog (as you type), `pm-desk passwd` and the service that sets a
password all say the same thing. The common passwords ship in `resources/common-passwords.txt`.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

MIN_LENGTH = 12
MAX_LENGTH = 1024  # a passphrase, not a file


@cache
def common_passwords() -> frozenset[str]:
    text = resources.files("pm_desk.resources").joinpath("common-passwords.txt").read_text(encoding="utf-8")
    return frozenset(
        line.strip().lower() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


def password_problem(password: str, email: str) -> str | None:
    """Why `password` may not be used by the person with `email`, in words; None when it may."""
    if len(password) < MIN_LENGTH:
        return f"must be at least {MIN_LENGTH} characters long"
    if len(password) > MAX_LENGTH:
        return f"must be at most {MAX_LENGTH:,} characters long"
    folded = password.strip().lower()
    local = email.strip().lower().split("@", 1)[0]
    if folded == email.strip().lower() or (len(local) >= 4 and local in folded):
        return "must not be your email or contain its name part"
    if folded in common_passwords():
        return "is one of the commonest passwords: choose another"
    if len(set(folded)) < 4:
        return "repeats too few characters: choose another"
    return None
