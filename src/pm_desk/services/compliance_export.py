"""`pm-desk compliance` and File → Export compliance results: one read, one format.

Both write what `compliance_results` finds in a scope, as the JSON array or CSV of DESIGN.md
(`rule, status, record, id, key, due, manager`), so the app's export and the command agree.
"""

from __future__ import annotations

import csv
import json
from datetime import datetime
from typing import TextIO

from pm_desk.domain.actor import Actor
from pm_desk.domain.policy import Policy
from pm_desk.domain.scope import PROGRAM, Scope, caseload_of, sees_caseload_of
from pm_desk.services.actor import actor_for_email
from pm_desk.services.compliance import OUTPUT_FIELDS, compliance_results
from pm_desk.services.errors import PermissionDenied
from pm_desk.services.scope import acting_scope
from pm_desk.store.uow import UnitOfWork

FORMATS = ("json", "csv")


def compliance_rows(
    uow: UnitOfWork,
    policy: Policy,
    as_of: datetime,
    *,
    manager_email: str | None = None,
    actor: Actor | None = None,
) -> list[dict[str, str | None]]:
    """The output rows for one manager's caseload (`manager_email`), else the acting person's
    scope (`actor`), else the program. A read: it opens and closes its own unit of work."""
    with uow:
        scope: Scope = PROGRAM
        if manager_email is not None:
            manager = actor_for_email(uow, manager_email)
            if actor is not None and not sees_caseload_of(actor, manager.user_id, manager.field_office_id):
                raise PermissionDenied(f"{actor.name} cannot see the caseload of {manager.email}")
            scope = caseload_of(manager.user_id)
        elif actor is not None:
            scope = acting_scope(uow, actor, policy, as_of)
        return [item.as_output() for item in compliance_results(uow, policy, as_of, scope)]


def write_compliance(rows: list[dict[str, str | None]], out: TextIO, fmt: str) -> None:
    if fmt == "json":
        out.write(json.dumps(rows, indent=1, ensure_ascii=False) + "\n")
        return
    writer = csv.DictWriter(out, fieldnames=OUTPUT_FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
