"""The acting user every service call carries: who he is, his role and his field office."""

from __future__ import annotations

from dataclasses import dataclass

from pm_desk.domain.enums import Role


@dataclass(frozen=True)
class Actor:
    user_id: str
    email: str
    name: str
    role: Role
    field_office_id: str | None
