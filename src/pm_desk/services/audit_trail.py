"""The audit trail's own use cases: checking the chain, and re-anchoring a forked one.

A fork (two writers that extended the chain from the same entry, as older versions did under
concurrency) changed and lost nothing, but the chain no longer verifies. An administrator
re-anchors it: one audited entry, written at the head, names every fork, every branch by its
first and last entry, and every entry it accepts. The chain then verifies, and the check still
reports each fork and the entry that re-anchored it.
"""

from __future__ import annotations

from dataclasses import dataclass

from pm_desk.domain.actor import Actor
from pm_desk.domain.enums import Role
from pm_desk.services.errors import ServiceError, field_error
from pm_desk.services.operation import write_operation
from pm_desk.services.permissions import require_role
from pm_desk.store.audit_chain import REANCHOR, ChainReport, reanchor_content, verify_chain
from pm_desk.store.audit_log import AuditContext, NewEntry, append_entries
from pm_desk.store.uow import UnitOfWork

OPERATION = "audit.reanchor"


@dataclass(frozen=True)
class Reanchored:
    forks: int  # entries that two or more entries follow
    entries: int  # entries accepted (each fork's and branch's first entry)
    remaining: int  # problems left: edits and removals, which no re-anchoring resolves


def check_chain(uow: UnitOfWork) -> ChainReport:
    """The chain's state (anyone who may read the database)."""
    with uow:
        return verify_chain(uow.session.connection())


@write_operation(OPERATION)
def reanchor_chain(uow: UnitOfWork, actor: Actor, reason: str) -> Reanchored:
    """Administrators re-anchor a forked audit chain, giving the reason."""
    require_role(actor, {Role.ADMIN}, "re-anchor the audit trail")
    if not reason.strip():
        raise field_error("reason", "say why the chain is re-anchored")
    connection = uow.session.connection()
    report = verify_chain(connection)
    if not report.forks:
        damage = f" ({len(report.damage)} entries are edited or removed: no fork)" if report.damage else ""
        raise ServiceError(f"the audit trail has no fork to re-anchor{damage}")
    content = reanchor_content(connection, report, reason.strip())
    context = AuditContext(actor.user_id, actor.email, OPERATION)
    append_entries(connection, [NewEntry(uow.now(), context, REANCHOR, None, None, None, content)])
    return Reanchored(len(content["forks"]), len(content["entries"]), len(report.damage))
