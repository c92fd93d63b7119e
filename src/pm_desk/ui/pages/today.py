"""Today: everything that needs the person now, grouped, counted, and a click away.

The rows are the compliance results of the person's caseload (a supervisor: his field office)
and the reminders due, so the counts are those of `pm-desk compliance` for the same user and day.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QModelIndex, QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTreeView, QVBoxLayout, QWidget

from pm_desk.domain.clock import is_office_hours
from pm_desk.domain.enums import Role, label
from pm_desk.services.compliance import ComplianceItem, compliance_results, hold_results
from pm_desk.services.oncall_view import Warning, rota_view
from pm_desk.services.reminder_views import due_today, reminder_items
from pm_desk.store.queries.labels import record_labels
from pm_desk.store.queries.oncall import on_call_now, rotations_of_office
from pm_desk.ui.local_zone import local_zone
from pm_desk.ui.models.today_model import GROUPS, RECORD_ROLE, STATUS_WORDS, TodayGroup, TodayModel, TodayRow
from pm_desk.ui.pages.base import Page

RECOMPUTE_MS = 60_000


def _detail(item: ComplianceItem) -> str:
    d = item.detail
    if item.rule == "initial_training":
        waited = f"waiting {d['days_waiting']} d" if d.get("days_waiting") is not None else "waiting"
        if d.get("next_class_starts_on"):
            starts, free = d["next_class_starts_on"].isoformat(), d["next_class_free_seats"]
            return f"{waited}; next class with seats {starts} ({free} free)"
        return f"{waited}; no class with free seats scheduled"
    if item.rule == "revocation":
        return f"refresher {d['days_overdue']} d overdue; revoke by {d['revoke_by'].isoformat()} passed"
    if item.rule in {"refresher", "renewal", "steering_committee", "finding"} and "days" in d:
        days = d["days"]
        return f"{days} d overdue" if days > 0 else f"due in {-days} d" if days < 0 else "due today"
    if item.rule == "equipment":
        return f"{d['days']} days since signing, not operational"
    if item.rule == "complaint":
        return f"late by {d['hours_late']:.0f} h" if "hours_late" in d else f"{d['days']} d past 90 days"
    if item.rule == "load":
        return f"{d['units']:.1f} of {d['capacity']:.1f} units ({d['load']:.0%})"
    if item.rule == "gap":
        return f"{d['hours']:.0f} h uncovered"
    if item.rule == "fatigue":
        return (
            f"rest {d['rest_hours']:.1f} h"
            if d.get("kind") == "rest"
            else f"{d['run_days']:.1f} days in a row"
        )
    return ""


def holds_to_cover(uow: Any, ctx: Any, now: datetime) -> list[ComplianceItem]:
    """Outside office hours, the person on call now sees the field office's holds at risk that are
    in other managers' caseloads, so someone owns them at 3 a.m."""
    actor = ctx.actor
    oncall = on_call_now(uow.session, actor.field_office_id, now)
    if oncall is None or oncall.primary_id != actor.user_id:
        return []
    hours = ctx.policy.oncall
    if is_office_hours(now, ZoneInfo(oncall.zone), hours.office_hours_start, hours.office_hours_end):
        return []
    office = hold_results(uow, ctx.policy, now, field_office_id=actor.field_office_id)
    return [i for i in office if i.manager != actor.email]


def rota_warnings(uow: Any, ctx: Any, now: datetime) -> list[Warning]:
    """Gaps and uncovered leave of the manager's own rotation over the policy's look-ahead."""
    rotations = rotations_of_office(uow.session, ctx.actor.field_office_id)
    days = ctx.policy.oncall.lookahead_days
    found: list[Warning] = []
    for rotation_id, _name in rotations:
        view = rota_view(uow, rotation_id, now.date(), days, now, with_fairness=False)
        if view is not None and ctx.actor.user_id in view.names:
            found += [w for w in view.warnings if w.kind in {"gap", "leave"}]
    return found


def today_groups(ctx: Any, now: datetime) -> list[TodayGroup]:
    """Compute the groups for the acting user (a read; no writes)."""
    actor = ctx.actor
    with ctx.db.uow() as uow:
        if actor.role is Role.MANAGER:
            items = compliance_results(uow, ctx.policy, now, manager_email=actor.email)
        elif actor.role is Role.SUPERVISOR:
            items = compliance_results(uow, ctx.policy, now, field_office_id=actor.field_office_id)
        else:
            items = compliance_results(uow, ctx.policy, now)
        # One's own reminders due today and the derived ones coming due today (one computation of
        # the rules: the derived reminders come from `items`).
        zone = local_zone()
        reminders = due_today(reminder_items(uow, ctx.policy, actor, now, zone, compliance=items), now, zone)
        covered = holds_to_cover(uow, ctx, now)
        rota = rota_warnings(uow, ctx, now) if actor.role is Role.MANAGER else []
        names = record_labels(uow.session, {(i.record, i.id) for i in items + covered})
    groups = {spec.key: TodayGroup(spec) for spec in GROUPS}
    for item in items:
        spec = next((g for g in GROUPS if g.rule == item.rule and item.status in g.statuses), None)
        if spec is None:
            continue
        what = names.get((item.record, item.id), item.key)
        deadline = item.due if spec.countdown and isinstance(item.due, datetime) else None
        tone = "alarm" if item.status in {"breached", "overdue", "revocation_due", "alarm"} else spec.tone
        groups[spec.key].rows.append(
            TodayRow(
                item.record,
                item.id,
                what,
                item.due,
                STATUS_WORDS.get(item.status, label(item.status)),
                _detail(item),
                tone,
                deadline,
            )
        )
    for item in covered:
        groups["oncall_holds"].rows.append(
            TodayRow(
                item.record,
                item.id,
                names.get((item.record, item.id), item.key),
                item.due,
                STATUS_WORDS.get(item.status, item.status),
                f"manager {item.manager or 'none'}; you are on call",
                "alarm" if item.status == "breached" else "warn",
                item.due if isinstance(item.due, datetime) else None,
            )
        )
    for warning in rota:
        groups["rota"].rows.append(
            TodayRow("shift" if warning.shift_id else "rotation", warning.shift_id or "", warning.text,
                     warning.starts_at, warning.kind, "on-call rota", "alarm")
        )  # fmt: skip
    for reminder in reminders:
        overdue = reminder.bucket(now, zone) == "overdue"
        groups["reminders"].rows.append(
            TodayRow(
                *reminder.record,
                reminder.full_title,
                reminder.effective_due,
                "overdue" if overdue else "due today",
                "snoozed" if reminder.snoozed_until else reminder.repeat,
                "alarm" if overdue else "warn",
            )
        )
    for key in ("hold_breached", "hold_due_soon", "oncall_holds"):
        groups[key].rows.sort(key=lambda r: r.deadline or now)
    return list(groups.values())


class TodayPage(Page):
    name = "today"
    title = "Today"

    def __init__(self, ctx: Any, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.heading = QLabel()
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Today summary")
        refresh = QPushButton("Refresh")
        refresh.setAccessibleName("Refresh Today")
        refresh.clicked.connect(self.load)
        top = QHBoxLayout()
        top.addWidget(self.heading)
        top.addStretch(1)
        top.addWidget(refresh)
        self.model = TodayModel(self)
        self.view = QTreeView(self)
        self.view.setModel(self.model)
        self.view.setAlternatingRowColors(True)
        self.view.setUniformRowHeights(True)
        self.view.setAccessibleName("Today")
        self.view.activated.connect(self._open)
        self.view.doubleClicked.connect(self._open)
        self.empty = QLabel(
            "Nothing needs you right now: no holds running out, no overdue training, "
            "no late equipment. Well done."
        )
        self.empty.setWordWrap(True)
        self.empty.setVisible(False)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.empty)
        layout.addWidget(self.view, 1)
        self.ticker = QTimer(self, interval=1000)
        self.ticker.timeout.connect(lambda: self.model.tick(self.ctx.now()))
        self.recompute = QTimer(self, interval=RECOMPUTE_MS)
        self.recompute.timeout.connect(self.load)
        ctx.events.changed.connect(lambda *_: self.refresh())

    def load(self) -> None:
        now = self.ctx.now()
        groups = today_groups(self.ctx, now)
        self.model.set_groups(groups, now)
        local = now.astimezone()
        scope = {Role.MANAGER: "your caseload", Role.SUPERVISOR: "your field office"}.get(
            self.ctx.actor.role, "the program"
        )
        self.heading.setText(f"<h2>Today — {local.strftime('%A %d %B %Y')}</h2>")
        counts = self.model.counts()
        total = sum(counts.values())
        parts = [f"{n} {g.spec.title.lower()}" for g in self.model.groups if (n := len(g.rows))]
        self.summary.setText(
            f"{total} items need attention in {scope} as of {local.strftime('%H:%M')}: "
            + "; ".join(parts[:6])
            + ("…" if len(parts) > 6 else "")
            if total
            else ""
        )
        self.empty.setVisible(total == 0)
        self.view.expandAll()
        for column, width in enumerate((420, 140, 160)):
            self.view.setColumnWidth(column, width)
        self.ticker.start()
        self.recompute.start()

    def counts(self) -> dict[str, int]:
        return self.model.counts()

    def _open(self, index: QModelIndex) -> None:
        record = index.data(RECORD_ROLE)
        if record:
            self.ctx.events.navigate.emit(*record)
