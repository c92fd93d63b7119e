"""Filing a monthly report: closed months stay closed.

Filing archives what the report said (its figures and lists as canonical JSON, with the SHA-256
of that text), the instant its data was read, and how many local changes had not yet reached the
central server. Regenerating a filed month compares the new content with the filed one and lists
every difference, so a report never silently differs from what was filed.

Records not yet synced: PM Desk has no sync yet, so this counts the distinct records written
(created, changed or deleted, as the audit trail shows) after the audit entry recorded under
`app_meta` key `sync_last_audit_seq`; with no such marker (a database that has never synced)
every record written since the database began counts. Sync will move the marker when it pushes.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pm_desk.domain.actor import Actor
from pm_desk.domain.enums import Role
from pm_desk.domain.keys import instant_key
from pm_desk.domain.policy import Policy
from pm_desk.services.errors import Conflict, PermissionDenied, field_error
from pm_desk.services.operation import write_operation
from pm_desk.services.permissions import require_role
from pm_desk.services.reporting import Generated
from pm_desk.services.reporting_monthly import MonthlyReport, monthly_report
from pm_desk.store.models import AppMeta, AuditEntry, FiledReport, User
from pm_desk.store.uow import UnitOfWork

SYNC_MARKER_KEY = "sync_last_audit_seq"
KIND_MONTHLY = "monthly"


@dataclass(frozen=True)
class Change:
    section: str
    item: str
    before: str
    after: str


@dataclass(frozen=True)
class FilingCheck:
    """A filed month compared with the report just generated for it."""

    filed_id: str
    filed_at: datetime
    filed_by: str
    data_as_of: datetime
    content_hash: str
    unsynced_records: int
    changes: list[Change]

    @property
    def matches(self) -> bool:
        return not self.changes


def monthly_content(report: MonthlyReport) -> dict[str, Any]:
    """What a monthly report says, keyed by natural keys: the part a filing freezes.

    Who generated it and the subjects' names are left out: the same records give the same
    content whoever prints them.
    """
    return {
        "kind": KIND_MONTHLY,
        "manager": report.manager.email,
        "period": [report.period.start.isoformat(), report.period.end.isoformat()],
        "as_of": instant_key(report.as_of),
        "figures": {f.key: [f.label.strip(), f.value] for f in report.figures},
        "revocations_due": {
            r.key: {"officer": r.officer, "days_overdue": r.days_overdue} for r in report.revocations
        },
        "hold_breaches": {b.key: {"outcome": b.outcome, "hours_over": b.hours_over} for b in report.breaches},
        "revoked": {f"{r.name} (badge {r.badge})": r.changed_at.date().isoformat() for r in report.revoked},
        "agreements": {
            m.agreement.title + f" — {m.agreement.model.value}": {
                "status": m.agreement.status.value,
                "authorized": m.authorized,
                "refresher_due_soon": m.refresher_due_soon,
                "refresher_overdue": m.refresher_overdue,
                "revocation_due": m.revocation_due,
                "waiting_initial": m.waiting_initial,
                "equipment": m.equipment,
                "detainers_issued": m.detainers_issued,
                "picked_up": m.picked_up,
                "picked_up_late": m.picked_up_late,
                "released_no_pickup": m.released_no_pickup,
                "open_at_end": m.open_at_end,
                "open_breached": m.open_breached,
                "inspections": len(m.inspections),
                "open_findings": len(m.findings),
            }
            for m in report.agreements
        },
    }


def canonical(content: dict[str, Any]) -> tuple[str, str]:
    """The content as canonical JSON text and the SHA-256 of that text."""
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return text, hashlib.sha256(text.encode("utf-8")).hexdigest()


def unsynced_record_count(session: Session) -> int:
    """Distinct records written since the last sync marker (see the module's docstring)."""
    marker = session.execute(select(AppMeta.value).where(AppMeta.key == SYNC_MARKER_KEY)).scalar()
    since = int(marker) if marker and marker.isdigit() else 0
    written = (
        select(AuditEntry.record_kind, AuditEntry.record_id)
        .where(AuditEntry.seq > since, AuditEntry.record_id.is_not(None), AuditEntry.action != "denied")
        .distinct()
        .subquery()
    )
    return int(session.execute(select(func.count()).select_from(written)).scalar_one())


def latest_filing(session: Session, manager_id: str, month_start: date) -> FiledReport | None:
    return session.execute(
        select(FiledReport)
        .where(
            FiledReport.kind == KIND_MONTHLY,
            FiledReport.period_start == month_start,
            FiledReport.manager_id == manager_id,
            FiledReport.deleted_at.is_(None),
        )
        .order_by(FiledReport.filed_at.desc())
        .limit(1)
    ).scalar_one_or_none()


def check_filing(uow: UnitOfWork, report: MonthlyReport) -> FilingCheck | None:
    """The month's latest filing compared with `report`; None when the month was never filed."""
    filed = latest_filing(uow.session, report.manager.id, report.period.start)
    if filed is None:
        return None
    by = uow.session.get(User, filed.filed_by) if filed.filed_by else None
    changes = compare(json.loads(filed.content), monthly_content(report))
    return FilingCheck(
        filed.id,
        filed.filed_at,
        by.name if by else "unknown",
        filed.data_as_of,
        filed.content_hash,
        filed.unsynced_records,
        changes,
    )


def compare(before: dict[str, Any], after: dict[str, Any]) -> list[Change]:
    """Every difference between two contents, section by section, in a stable order."""
    changes: list[Change] = []
    if before.get("as_of") != after.get("as_of"):
        changes.append(
            Change("Report", "rules measured as of", str(before.get("as_of")), str(after.get("as_of")))
        )
    old_figures, new_figures = before.get("figures", {}), after.get("figures", {})
    for key in [*new_figures, *(k for k in old_figures if k not in new_figures)]:
        old, new = old_figures.get(key), new_figures.get(key)
        if old != new:
            label = (new or old)[0]
            changes.append(Change("Summary", label, _show(old and old[1]), _show(new and new[1])))
    sections = (
        ("revocations_due", "Revocation due"),
        ("hold_breaches", "Hold breach"),
        ("revoked", "Authority revoked"),
        ("agreements", "Agreement"),
    )
    for key, section in sections:
        old_items, new_items = before.get(key, {}), after.get(key, {})
        for item in sorted(set(old_items) | set(new_items)):
            old, new = old_items.get(item), new_items.get(item)
            if old == new:
                continue
            if isinstance(old, dict) and isinstance(new, dict):
                for field in sorted(set(old) | set(new)):
                    if old.get(field) != new.get(field):
                        name = f"{item}: {field.replace('_', ' ')}"
                        changes.append(Change(section, name, _show(old.get(field)), _show(new.get(field))))
            else:
                changes.append(Change(section, item, _show(old), _show(new)))
    return changes


def _show(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, dict):
        return ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in value.items())
    return str(value)


@dataclass(frozen=True)
class Filed:
    id: str
    content_hash: str
    unsynced_records: int


@write_operation("report.file")
def file_monthly_report(
    uow: UnitOfWork,
    actor: Actor,
    policy: Policy,
    report: MonthlyReport,
    pdf_sha256: str | None = None,
    pdf_file: str | None = None,
    amend: bool = False,
) -> Filed:
    """Archive a monthly report as filed. A manager files his own month, a supervisor the months
    of his field office's managers (staff print reports but file nothing). Only a month that is
    over can be filed, and a filed month is filed again only as an amendment (the earlier filing
    is kept)."""
    manager = report.manager
    require_role(actor, {Role.SUPERVISOR, Role.MANAGER}, "file reports")
    if actor.role is Role.MANAGER and actor.user_id != manager.id:
        raise PermissionDenied(f"{actor.name} cannot file {manager.name}'s monthly report: only his own")
    if actor.role is Role.SUPERVISOR and actor.field_office_id != manager.field_office_id:
        raise PermissionDenied(f"{actor.name} cannot file reports of another field office")
    now = uow.now()
    if not report.period.is_closed(now):
        raise field_error(
            "month", f"{report.period.label} is not over yet: a month is filed once it has ended"
        )
    existing = latest_filing(uow.session, manager.id, report.period.start)
    if existing is not None and not amend:
        raise Conflict(
            f"{report.period.label} of {manager.name} was already filed on {existing.filed_at:%Y-%m-%d}; "
            "file it again only as an amendment"
        )
    # The content filed is what the records say now: refuse if they changed since the preview.
    fresh = monthly_report(uow, policy, manager.email, report.period.start, _regenerated(report, now))
    text, digest = canonical(monthly_content(fresh))
    if digest != canonical(monthly_content(report))[1]:
        raise Conflict("records changed since this report was generated; generate it again, then file it")
    unsynced = unsynced_record_count(uow.session)
    filed = FiledReport(
        kind=KIND_MONTHLY,
        period_start=report.period.start,
        period_end=report.period.end,
        manager_id=manager.id,
        data_as_of=report.generated.at,
        filed_at=now,
        filed_by=actor.user_id,
        content=text,
        content_hash=digest,
        pdf_sha256=pdf_sha256,
        pdf_file=pdf_file,
        unsynced_records=unsynced,
    )
    uow.session.add(filed)
    uow.session.flush()
    return Filed(filed.id, digest, unsynced)


def _regenerated(report: MonthlyReport, now: datetime) -> Generated:
    return Generated(max(now, report.generated.at), report.generated.by_name, report.generated.by_email)
