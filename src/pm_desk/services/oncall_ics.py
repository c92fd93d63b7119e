"""The rota as an iCalendar file: each stretch someone is on call becomes an event, overrides
applied, so a manager sees his on-call weeks in the calendar he already uses. Each event names
its people as attendees (the primary required, the backup optional) and its rotation and field
office, so the file can be imported as a rota elsewhere (`pm_desk.interchange.rota_ics`)."""

from __future__ import annotations

from datetime import datetime, timedelta

from icalendar import Calendar, Event, vCalAddress, vText
from sqlalchemy import select

from pm_desk import __version__
from pm_desk.store.models import FieldOffice, Rotation, User
from pm_desk.store.queries.oncall import rota_snapshot
from pm_desk.store.uow import UnitOfWork


def oncall_calendar(
    uow: UnitOfWork, start: datetime, end: datetime, user_id: str | None = None, now: datetime | None = None
) -> Calendar:
    """Every rotation's effective primary shifts in [start, end) (only `user_id`'s when given)."""
    calendar = Calendar()
    calendar.add("prodid", f"-//PM Desk//On-call {__version__}//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "PM Desk on-call")
    stamp = now or uow.now()
    rotations = uow.session.execute(
        select(Rotation, FieldOffice.code)
        .join(FieldOffice, FieldOffice.id == Rotation.field_office_id)
        .where(Rotation.deleted_at.is_(None))
    ).all()
    emails = dict(uow.session.execute(select(User.id, User.email)).all())
    for rotation, office in rotations:
        snapshot = rota_snapshot(uow.session, rotation.id, start, end)
        if snapshot is None:
            continue
        backups = snapshot.backups()
        for piece in snapshot.primaries():
            if user_id is not None and piece.person_id != user_id:
                continue
            if piece.ends_at <= start or piece.starts_at >= end:
                continue
            person = snapshot.names.get(piece.person_id, "?")
            standing_by = next(
                (b.person_id for b in backups if b.starts_at <= piece.starts_at < b.ends_at), ""
            )
            backup = snapshot.names.get(standing_by, "")
            backup_email = emails.get(standing_by) if standing_by != piece.person_id else None
            event = Event()
            event.add("uid", f"{piece.id}-{int(piece.starts_at.timestamp())}@pm-desk")
            event.add("dtstamp", stamp)
            event.add("dtstart", piece.starts_at)
            event.add("dtend", piece.ends_at)
            event.add("summary", f"On call: {person} ({rotation.name})")
            description = f"Primary: {person}"
            if backup and backup != person:
                description += f"\nBackup: {backup}"
            event.add("description", description)
            event.add("categories", ["On call"])
            event.add("x-pm-desk-rotation", rotation.name)
            event.add("x-pm-desk-field-office", office)
            for email, name, role in (
                (emails.get(piece.person_id), person, "REQ-PARTICIPANT"),
                (backup_email, backup, "OPT-PARTICIPANT"),
            ):
                if email:
                    attendee = vCalAddress(f"mailto:{email}")
                    attendee.params["CN"] = vText(name)
                    attendee.params["ROLE"] = vText(role)
                    event.add("attendee", attendee, encode=False)
            calendar.add_component(event)
    return calendar


def default_window(now: datetime) -> tuple[datetime, datetime]:
    return now - timedelta(days=30), now + timedelta(days=366)
