"""Whose agreements a read covers: one manager's caseload, one field office's, or the program's.

The store's scoped reads (lists, compliance, reports) restrict their statements with
`restrict_to`, so the rule that decides what a person sees is written once. The statement must
join `Agreement`.
"""

from __future__ import annotations

from sqlalchemy import Select

from pm_desk.store.models import Agreement


def restrict_to(
    statement: Select, manager_id: str | None = None, field_office_id: str | None = None
) -> Select:
    """`statement` limited to the agreements of `manager_id` and of `field_office_id`; a None
    leaves that side open, so both None is the whole program."""
    if manager_id is not None:
        statement = statement.where(Agreement.manager_id == manager_id)
    if field_office_id is not None:
        statement = statement.where(Agreement.field_office_id == field_office_id)
    return statement
