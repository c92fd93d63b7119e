"""Today as plain data: what needs the person now, grouped in the catalog's order, every group's
heading and every row's words built from the policy in force.

The rows are the compliance results of the person's scope and the reminders due, so the counts
are those of `pm-desk compliance` for the same user and moment. A read: nothing is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from pm_desk.domain.actor import Actor
from pm_desk.domain.enums import RecordKind, Role
from pm_desk.domain.policy import Policy
from pm_desk.domain.rules import catalog
from pm_desk.domain.rules.statuses import GapStatus, HoldStatus, Rule, Severity
from pm_desk.domain.scope import Scope
from pm_desk.services.compliance import ComplianceItem, compliance_results, hold_results
from pm_desk.services.oncall_view import GapRef, Warning, rota_view
from pm_desk.services.reminder_views import due_today, reminder_items
from pm_desk.services.scope import acting_scope
from pm_desk.store.queries.labels import record_labels
from pm_desk.store.queries.oncall import rotations_of_office
from pm_desk.store.uow import UnitOfWork


@dataclass(frozen=True)
class GroupSpec:
    key: str
    title: str
    tone: str
    countdown: bool = False


@dataclass
class TodayRow:
    kind: str
    record_id: str
    what: str
    due: date | datetime | None
    status: str
    detail: str
    tone: str
    deadline: datetime | None = None  # for the live countdown
    gap: GapRef | None = None  # a gap in the rota: who could take exactly its interval


@dataclass
class TodayGroup:
    spec: GroupSpec
    rows: list[TodayRow] = field(default_factory=list)


@dataclass(frozen=True)
class TodayView:
    groups: list[TodayGroup]
    scope: Scope
    at: datetime


# Groups that are not one rule's results: where they come in the catalog's order.
ONCALL_HOLDS = GroupSpec("oncall_holds", "On call: field office holds at risk", "alarm", countdown=True)
ROTA = GroupSpec("rota", "Your rota: gaps and uncovered leave", "alarm")
REMINDERS = GroupSpec("reminders", "Reminders due", "warn")


def group_specs(policy: Policy) -> list[GroupSpec]:
    """Every group Today can show, in order, with headings built from `policy`."""
    specs = [GroupSpec(g.key, g.heading(policy), g.severity.tone, g.countdown) for g in catalog.GROUPS]
    holds_end = next(i for i, s in enumerate(specs) if not s.countdown)
    return [*specs[:holds_end], ONCALL_HOLDS, *specs[holds_end:], ROTA, REMINDERS]


def today_view(uow: UnitOfWork, actor: Actor, policy: Policy, now: datetime, zone: str) -> TodayView:
    """Today for `actor` at `now` (`zone`: the person's time zone, for what "today" means)."""
    with uow:
        scope = acting_scope(uow, actor, policy, now)
        items = compliance_results(uow, policy, now, scope)
        # One's own reminders due today and the derived ones coming due today (one computation of
        # the rules: the derived reminders come from `items`).
        reminders = due_today(reminder_items(uow, policy, actor, now, zone, compliance=items), now, zone)
        covered: list[ComplianceItem] = []
        if scope.on_call_office_id is not None:
            office = hold_results(uow, policy, now, field_office_id=scope.on_call_office_id)
            covered = [i for i in office if i.manager != actor.email]
        rota = _rota_warnings(uow, actor, policy, now) if actor.role is Role.MANAGER else []
        names = record_labels(uow.session, {(i.record, i.id) for i in items + covered})
    specs = group_specs(policy)
    groups = {spec.key: TodayGroup(spec) for spec in specs}
    for item in items:
        entry, group = catalog.entry_of(item), catalog.group_of(item)
        countdown = group.countdown and isinstance(item.due, datetime)
        groups[group.key].rows.append(
            TodayRow(
                item.record,
                item.id,
                names.get((item.record, item.id), item.key),
                item.due,
                entry.word(policy),
                entry.detail(item.result, policy),
                entry.severity.tone,
                item.due if countdown and isinstance(item.due, datetime) else None,
                _gap_of(item),
            )
        )
    for item in covered:
        entry = catalog.entry_of(item)
        groups[ONCALL_HOLDS.key].rows.append(
            TodayRow(
                item.record,
                item.id,
                names.get((item.record, item.id), item.key),
                item.due,
                entry.word(policy),
                f"manager {item.manager or 'none'}; you are on call",
                Severity.LATE.tone if item.status is HoldStatus.BREACHED else Severity.COMING_DUE.tone,
                item.due if isinstance(item.due, datetime) else None,
            )
        )
    for warning in rota:
        kind = RecordKind.SHIFT if warning.shift_id else RecordKind.ROTATION
        record_id = warning.shift_id or warning.rotation_id or ""
        groups[ROTA.key].rows.append(
            TodayRow(kind, record_id, warning.text, warning.starts_at, warning.kind,
                     warning.detail or "on-call rota", Severity.LATE.tone, gap=warning.gap)
        )  # fmt: skip
    for reminder in reminders:
        overdue = reminder.bucket(now, zone) == "overdue"
        groups[REMINDERS.key].rows.append(
            TodayRow(
                *reminder.record,
                reminder.full_title,
                reminder.effective_due,
                "overdue" if overdue else "due today",
                "snoozed" if reminder.snoozed_until else reminder.repeat,
                Severity.LATE.tone if overdue else Severity.COMING_DUE.tone,
            )
        )
    for spec in specs:
        if spec.countdown:
            groups[spec.key].rows.sort(key=lambda r: r.deadline or now)
    return TodayView([groups[spec.key] for spec in specs], scope, now)


def _rota_warnings(uow: UnitOfWork, actor: Actor, policy: Policy, now: datetime) -> list[Warning]:
    """Gaps, uncovered leave and the end of the laid-out rota of the manager's own rotation over
    the policy's look-ahead."""
    rotations = rotations_of_office(uow.session, actor.field_office_id)
    days = policy.oncall.lookahead_days
    found: list[Warning] = []
    for rotation_id, _name in rotations:
        view = rota_view(uow, rotation_id, now.date(), days, now, with_fairness=False)
        if view is not None and actor.user_id in view.names:
            found += [w for w in view.warnings if w.kind in {"gap", "leave", "rota_end"}]
    return found


def _gap_of(item: ComplianceItem) -> GapRef | None:
    """The gap a `gap` result is about, for "Cover this gap…"."""
    if item.rule is not Rule.GAP or item.status is not GapStatus.GAP:
        return None
    return GapRef(item.id, item.detail["starts_at"], item.detail["ends_at"])
