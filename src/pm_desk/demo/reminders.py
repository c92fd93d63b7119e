"""Managers' personal reminders: one-off and recurring, open, overdue, snoozed and done."""

from __future__ import annotations

from dateutil.rrule import rrulestr

from pm_desk.demo.agreements import AgreementPlan
from pm_desk.demo.context import DAY, HOUR, RECORD_COLUMNS, DemoContext, to_datetime
from pm_desk.demo.org import Org
from pm_desk.demo.texts import RECURRING_REMINDERS, REMINDERS
from pm_desk.domain.enums import ReminderState
from pm_desk.store.models import Reminder

COLUMNS = (
    *RECORD_COLUMNS,
    "owner_id",
    "subject_kind",
    "subject_id",
    "title",
    "notes",
    "due_at",
    "rrule",
    "state",
    "snoozed_until",
    "completed_at",
    "derived_key",
)


def write_reminders(ctx: DemoContext, org: Org, agreements: list[AgreementPlan]) -> None:
    rng = ctx.rng("reminders")
    make_id = ctx.ids("reminders")
    stamp, fmt, now = ctx.stamp, ctx.fmt, ctx.now
    caseloads: dict[str, list[AgreementPlan]] = {}
    for plan in agreements:
        if plan.manager is not None:
            caseloads.setdefault(plan.manager.id, []).append(plan)
    rows = []
    for manager in org.managers:
        mine = caseloads.get(manager.id, [])
        for n in range(rng.randint(3, 7)):
            # The first is always overdue, so every manager's Today shows one; all fall in US
            # office hours (13:00 to 21:00 UTC) on a quarter hour.
            day = ctx.today - rng.randint(1, 20) if n == 0 else ctx.today + rng.randint(-20, 30)
            due = day * DAY + 13 * HOUR + rng.randrange(0, 8 * HOUR, 15 * 60)
            state, snoozed, completed = ReminderState.OPEN, None, None
            if due < now and n > 0:  # an earlier one: mostly dealt with
                state = rng.choice(
                    (ReminderState.OPEN, ReminderState.DONE, ReminderState.DONE, ReminderState.DISMISSED)
                )
                if state is ReminderState.DONE:
                    completed = min(due + rng.randrange(-DAY, 2 * DAY, 60), now - HOUR)
            elif due >= now and rng.random() < 0.15:
                state, snoozed = ReminderState.SNOOZED, due + rng.randint(1, 5) * DAY
            subject = rng.choice(mine) if mine and rng.random() < 0.6 else None
            title = rng.choice(REMINDERS)
            if subject is not None:
                title = f"{title} ({subject.agency.name})"
            rows.append(
                (
                    make_id(),
                    *stamp,
                    manager.id,
                    "agreement" if subject else None,
                    subject.id if subject else None,
                    title,
                    None,
                    fmt.instant(due),
                    None,
                    state.value,
                    fmt.maybe_instant(snoozed),
                    fmt.maybe_instant(completed),
                    None,
                )
            )
        for title, rule in rng.sample(RECURRING_REMINDERS, rng.randint(1, 2)):
            start = to_datetime((ctx.today - 400) * DAY + 14 * HOUR)
            occurrences = rrulestr(rule, dtstart=start)
            anchor = to_datetime(now)
            # Some managers let the last occurrence slip: it stays open and overdue.
            slipped = rng.random() < 0.3
            due_at = occurrences.before(anchor) if slipped else occurrences.after(anchor)
            if due_at is None:
                continue
            rows.append(
                (
                    make_id(),
                    *stamp,
                    manager.id,
                    None,
                    None,
                    title,
                    None,
                    fmt.instant(int(due_at.timestamp())),
                    rule,
                    ReminderState.OPEN.value,
                    None,
                    None,
                    None,
                )
            )
    ctx.writer.write(Reminder, COLUMNS, rows)
