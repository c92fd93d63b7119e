"""The forms of the rota: "I can't cover" and leave for a stretch, approving a cover role by role,
a swap, a new rotation, a holiday exception, generating shifts, and "Cover this gap…" (which Today
and the status bar open too). Each takes the operation its Save runs; none writes by itself."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, available_timezones

from PySide6.QtWidgets import QWidget

from pm_desk.domain.enums import COVER_REASONS, CoverRoles, LeaveKind, OverrideReason, Role
from pm_desk.domain.oncall_plan import Candidate
from pm_desk.services import oncall
from pm_desk.services.errors import ServiceError
from pm_desk.services.oncall_gaps import GapOffer, cover_gap, gap_offer
from pm_desk.services.oncall_view import GapRef
from pm_desk.ui.dialogs.caseload_forms import enum_choices
from pm_desk.ui.dialogs.record_dialog import RecordDialog
from pm_desk.ui.widgets.fields import ChoiceField, DateField, DateTimeField, Field, IntField, TextField
from pm_desk.ui.widgets.members_field import MembersField

Submit = Callable[[dict[str, Any]], Any]
People = Sequence[tuple[Any, str]]
WHEN = "%a %d %b %H:%M"
WEEKDAY_CHOICES = list(
    enumerate(("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"))
)
ROLE_CHOICES = [
    (CoverRoles.BOTH, "Primary and backup (every role held then)"),
    (CoverRoles.PRIMARY, "Primary only"),
    (CoverRoles.BACKUP, "Backup only"),
]
NOBODY = "— nobody: no one is eligible, the stretch stays open —"


def day_stretch(day: date, zone: str, now: datetime) -> tuple[datetime, datetime]:
    """The stretch a cover or leave starts from: the chosen local day, midnight to midnight (23 or
    25 hours across a DST change); from now when the day is today, and the rest of today when the
    day chosen is over."""
    tz = ZoneInfo(zone)
    today = now.astimezone(tz).date()
    day = max(day, today)
    start = datetime.combine(day, time(0), tzinfo=tz)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=tz)
    if day == today:
        start = now.astimezone(tz).replace(second=0, microsecond=0)
    return start, end


def _stretch_fields(zone: str, day: date, now: datetime) -> dict[str, Field]:
    start, end = day_stretch(day, zone, now)
    fields: dict[str, Field] = {
        "starts_at": DateTimeField("From", required=True, zone=zone),
        "ends_at": DateTimeField("Until", required=True, zone=zone),
    }
    fields["starts_at"].set_value(start)  # type: ignore[attr-defined]
    fields["ends_at"].set_value(end)  # type: ignore[attr-defined]
    return fields


def cannot_cover_dialog(
    parent: QWidget,
    zone: str,
    day: date,
    now: datetime,
    submit: Submit,
    people: People = (),
    person_id: str | None = None,
) -> RecordDialog:
    """A cover of exactly the stretch typed (default: the chosen day, or the rest of today), in
    the roles chosen. With `people` (a supervisor's form), for one of them."""
    fields: dict[str, Field] = {}
    if people:
        fields["person_id"] = ChoiceField("Who", people, required=True)
        fields["person_id"].set_value(person_id)  # type: ignore[attr-defined]
    fields |= _stretch_fields(zone, day, now)
    fields["roles"] = ChoiceField("Roles", ROLE_CHOICES, required=True)
    reasons = [(r, t) for r, t in enum_choices(OverrideReason) if r in COVER_REASONS]
    fields["reason"] = ChoiceField("Why", reasons, required=True)
    intro = (
        f"Times are {zone} time. The request covers exactly this stretch, in every role chosen that "
        "is held then; the supervisor approves a colleague for each, ranked by who can take it: "
        "not on leave, rested, with the fewest on-call hours lately."
    )
    return RecordDialog("I can't cover", fields, submit, parent, save_text="Ask for cover", intro=intro)


def _candidate_choices(
    ranked: Sequence[Candidate], names: dict[str, str], window_days: int
) -> list[tuple[str | None, str]]:
    choices: list[tuple[str | None, str]] = []
    if not any(c.eligible for c in ranked):
        choices.append((None, NOBODY))
    for c in ranked:
        text = f"{names.get(c.person_id, '?')} — {c.hours_last_window:.0f} h in {window_days} days"
        if not c.eligible:
            text += f" (not eligible: {'; '.join(c.reasons)})"
        choices.append((c.person_id, text))
    return choices


def approve_dialog(
    parent: QWidget,
    names: dict[str, str],
    primary: Sequence[Candidate],
    backup: Sequence[Candidate],
    window_days: int,
    submit: Submit,
) -> RecordDialog:
    """One choice per role the person covered holds in the stretch, the first-ranked chosen."""
    fields: dict[str, Field] = {}
    taken: set[str | None] = set()
    for key, label, ranked in (("covering", "Primary", primary), ("backup", "Backup", backup)):
        if not ranked:
            continue
        fields[key] = ChoiceField(label, _candidate_choices(ranked, names, window_days), required=False)
        first = next((c.person_id for c in ranked if c.eligible and c.person_id not in taken), None)
        fields[key].set_value(first)  # type: ignore[attr-defined]
        taken.add(first)
    intro = (
        "Ranked best first: eligible colleagues with the fewest recent hours. A role nobody is "
        "eligible for can be left open: the person still gets the time off and the gap is shown."
    )
    return RecordDialog("Approve cover", fields, submit, parent, save_text="Approve", intro=intro)


def cover_gap_dialog(
    parent: QWidget, offer: GapOffer, submit: Submit, volunteer: str | None = None, window_days: int = 90
) -> RecordDialog:
    """Who takes exactly the gap's interval: a supervisor chooses among the ranked colleagues; a
    manager (`volunteer`, his user id) can take it himself."""
    tz = ZoneInfo(offer.zone)
    since, until = offer.starts_at.astimezone(tz), offer.ends_at.astimezone(tz)
    hours = (offer.ends_at - offer.starts_at).total_seconds() / 3600
    ranked = [c for c in offer.candidates if volunteer is None or c.person_id == volunteer]
    choices = [(c, t) for c, t in _candidate_choices(ranked, offer.names, window_days) if c is not None]
    fields: dict[str, Field] = {"person_id": ChoiceField("Who covers", choices, required=True)}
    first = next((c.person_id for c in ranked if c.eligible), ranked[0].person_id if ranked else None)
    fields["person_id"].set_value(first)  # type: ignore[attr-defined]
    intro = f"No one is on call {since:{WHEN}} – {until:{WHEN}} ({offer.zone}, {hours:.1f} h) "
    intro += f"on {offer.rotation}. "
    if not offer.eligible:
        why = "; ".join(
            f"{offer.names.get(c.person_id, '?')}: {', '.join(c.reasons)}" for c in offer.candidates
        )
        intro += f"Nobody is eligible for all of it ({why or 'the rotation has no members'})."
    elif volunteer is not None:
        intro += "You can take it yourself; a supervisor gives it to someone else."
    else:
        intro += "Ranked best first: eligible colleagues with the fewest recent hours."
    title = "Cover this gap"
    return RecordDialog(
        title, fields, submit, parent, save_text="Take it" if volunteer else "Assign", intro=intro
    )


def swap_dialog(parent: QWidget, people: People, submit: Submit) -> RecordDialog:
    fields: dict[str, Field] = {"with_user_id": ChoiceField("Swap with", people, required=True)}
    return RecordDialog("Ask for a swap", fields, submit, parent, save_text="Ask")


def leave_dialog(
    parent: QWidget, people: People, zone: str, day: date, now: datetime, submit: Submit
) -> RecordDialog:
    fields: dict[str, Field] = {"user_id": ChoiceField("Who", people, required=True)}
    fields |= _stretch_fields(zone, day, now)
    fields["kind"] = ChoiceField("Kind", enum_choices(LeaveKind), required=True)
    intro = (
        f"Times are {zone} time. Every on-call role held during the leave (primary or backup) "
        "gets a cover request at once."
    )
    return RecordDialog("Enter leave", fields, submit, parent, save_text="Enter", intro=intro)


def rotation_dialog(parent: QWidget, people: People, today: date, submit: Submit) -> RecordDialog:
    zones = [(z, z) for z in sorted(available_timezones()) if z.startswith(("America/", "Pacific/"))]
    fields: dict[str, Field] = {
        "name": TextField("Name", required=True, max_length=200),
        "members": MembersField("Members in order", list(people)),
        "starts_on": DateField("First shift on", required=True),
        "handoff_weekday": ChoiceField("Handoff day", WEEKDAY_CHOICES, required=True),
        "handoff_time": TextField("Handoff time", required=True, max_length=5),
        "shift_hours": IntField("Shift length (hours)", 1, oncall.MAX_SHIFT_HOURS, required=True),
        "timezone": ChoiceField("Time zone", zones, required=True),
    }
    fields["handoff_time"].set_value("08:00")  # type: ignore[attr-defined]
    fields["shift_hours"].set_value(168)  # type: ignore[attr-defined]
    fields["starts_on"].set_value(today)  # type: ignore[attr-defined]
    fields["timezone"].set_value("America/New_York")  # type: ignore[attr-defined]
    return RecordDialog("New rotation", fields, submit, parent, save_text="Create")


def holiday_dialog(parent: QWidget, people: People, day: date, submit: Submit) -> RecordDialog:
    choices = [(None, "— remove the exception —"), *people]
    fields: dict[str, Field] = {
        "day": DateField("Day", required=True),
        "person_id": ChoiceField("On call all day", choices, required=False),
    }
    fields["day"].set_value(day)  # type: ignore[attr-defined]
    intro = (
        "The person chosen is primary for every instant of the day (local time), whatever the rota "
        "says and where nobody was on call."
    )
    return RecordDialog("Holiday exception", fields, submit, parent, intro=intro, save_text="Set")


def generate_dialog(parent: QWidget, today: date, submit: Submit) -> RecordDialog:
    fields: dict[str, Field] = {
        "start": DateField("From", required=True),
        "end": DateField("Until", required=True),
    }
    fields["start"].set_value(today)  # type: ignore[attr-defined]
    fields["end"].set_value(today + timedelta(weeks=13))  # type: ignore[attr-defined]
    intro = "Shifts already changed by hand or by a cover are kept as they are."
    return RecordDialog("Generate shifts", fields, submit, parent, save_text="Generate", intro=intro)


def open_cover_gap(parent: QWidget, ctx: Any, gap: GapRef, tell: Callable[[str], None]) -> bool:
    """ "Cover this gap…" wherever a gap is shown (the On-call page, Today, the status bar): read
    who could take exactly its interval, ask who does, and run the assignment; True when done."""
    try:
        offer: GapOffer = ctx.read(gap_offer, gap.rotation_id, gap.starts_at, gap.ends_at)
    except ServiceError as exc:
        tell(str(exc))
        return False
    volunteer = ctx.actor.user_id if ctx.actor.role is Role.MANAGER else None
    tz = ZoneInfo(offer.zone)

    def done(_override_id: str) -> str:
        return (
            f"Gap covered: {offer.starts_at.astimezone(tz):{WHEN}} – {offer.ends_at.astimezone(tz):{WHEN}}."
        )

    def submit(values: dict[str, Any]) -> Any:
        operation = ctx.op(cover_gap, gap.rotation_id, gap.starts_at, gap.ends_at, values["person_id"])
        return operation.changes("shift", "").tell(done, tell)

    dialog = cover_gap_dialog(parent, offer, submit, volunteer, ctx.policy.oncall.fairness_window_days)
    return bool(dialog.exec())
