"""The On-call page on the `small` demo: the week's calendar, warnings, fairness, a sick call by
the person on call and its approval by the supervisor, the calendar file."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from contexts import make_context, settle
from driving import fill, with_dialog
from icalendar import Calendar
from PySide6.QtWidgets import QDialog
from sqlalchemy import select

from pm_desk.domain.enums import RequestState, Role
from pm_desk.store.models import Override, User
from pm_desk.store.queries.oncall import on_call_now
from pm_desk.ui.dialogs.record_dialog import RecordDialog
from pm_desk.ui.pages.oncall import OnCallPage
from support import FIXED_NOW


def open_page(qtbot, ctx) -> OnCallPage:
    page = OnCallPage(ctx)
    qtbot.addWidget(page)
    page.resize(1400, 900)
    page.show()
    page.activate()
    settle(ctx)  # the page reads on the database worker
    return page


def test_week_shows_who_is_on_call_with_warnings_and_fairness(qtbot, supervisor_ctx) -> None:
    page = open_page(qtbot, supervisor_ctx)
    assert page.rotation.count() == 1
    assert page.view is not None and len(page.view.days) == 7
    assert all(day.shifts for day in page.view.days)
    today = next(day for day in page.view.days if day.day == FIXED_NOW.date())
    assert any(shift.current for shift in today.shifts)
    assert page.fairness_table.rowCount() == 4  # the small program's four managers
    assert "spread" in page.fairness_note.text()
    page.set_month(True)
    settle(page.ctx)
    assert len(page.view.days) == 42
    assert page.tabs.tabText(0).startswith("Warnings (")


def test_the_person_on_call_says_he_cannot_cover_and_the_supervisor_approves(
    qtbot, small_db, summary, supervisor_ctx, tmp_path
) -> None:
    with small_db.uow() as uow:
        office = uow.session.execute(select(User.field_office_id).where(User.role == Role.MANAGER)).scalar()
        current = on_call_now(uow.session, office, FIXED_NOW)
        email = uow.session.get(User, current.primary_id).email
    manager = make_context(small_db, email, tmp_path / "manager")
    with small_db.uow() as uow:
        before = set(uow.session.execute(select(Override.id)).scalars())
    page = open_page(qtbot, manager)
    today = next(day for day in page.view.days if day.day == FIXED_NOW.date())
    page.show_day(today)
    mine = next(i for i in range(page.day_shifts.count()) if page.day_shifts.item(i).text().startswith(
        manager.actor.name))  # fmt: skip
    page.day_shifts.setCurrentRow(mine)

    def ask(dialog: QDialog) -> None:
        assert isinstance(dialog, RecordDialog)
        assert dialog.save()

    with_dialog(page.cannot_cover, ask)
    settle(page.ctx)
    assert "Cover requested" in page.message.label.text()
    supervisor = open_page(qtbot, supervisor_ctx)
    supervisor.tabs.setCurrentIndex(1)
    request_row = next(i for i in range(supervisor.requests.count())
                       if "can't cover" in supervisor.requests.item(i).text())  # fmt: skip
    supervisor.requests.setCurrentRow(request_row)
    chosen: dict[str, str] = {}

    def approve(dialog: QDialog) -> None:
        assert isinstance(dialog, RecordDialog)
        field = dialog.fields["covering"]
        chosen["text"] = field.editor.currentText()
        assert "not eligible" not in chosen["text"]  # the best-ranked colleague comes first
        assert dialog.save()

    with_dialog(supervisor.approve, approve)
    settle(page.ctx)
    with small_db.uow() as uow:
        override = uow.session.execute(select(Override).where(Override.id.not_in(before))).scalar_one()
        assert override.state is RequestState.APPROVED
        assert override.covering_user_id not in {None, manager.actor.user_id}


def test_export_calendar_writes_the_managers_shifts(qtbot, manager_ctx, tmp_path: Path) -> None:
    page = open_page(qtbot, manager_ctx)
    target = page.export_calendar(str(tmp_path / "mine.ics"))
    assert target is not None
    events = Calendar.from_ical(target.read_bytes()).walk("VEVENT")
    assert events
    assert all(manager_ctx.actor.name in str(event.get("summary")) for event in events)


@pytest.mark.parametrize("month", [False, True])
def test_moving_through_weeks_and_months(qtbot, manager_ctx, month: bool) -> None:
    page = open_page(qtbot, manager_ctx)
    page.set_month(month)
    settle(page.ctx)
    first = page.view.days[0].day
    page.move(1)
    settle(page.ctx)
    assert page.view.days[0].day > first
    page.go_today()
    settle(page.ctx)
    assert any(day.day == FIXED_NOW.date() for day in page.view.days)


def test_supervisor_sets_and_removes_a_holiday_exception(qtbot, supervisor_ctx, clock) -> None:
    clock.now = FIXED_NOW + timedelta(hours=1)  # decided after the demo's own covers
    page = open_page(qtbot, supervisor_ctx)
    holiday = next(day for day in page.view.days if day.day > FIXED_NOW.date())
    primaries = {shift.primary_id for shift in holiday.shifts}
    person_id, name = next((p, n) for p, n in page.view.names.items() if p not in primaries)

    def choose(person: str | None):
        def handle(dialog: QDialog) -> None:
            assert isinstance(dialog, RecordDialog)
            assert dialog.fields["day"].value() == holiday.day
            fill(dialog, person_id=person)
            assert dialog.save()

        return handle

    with_dialog(lambda: page.holiday_exception(holiday.day), choose(person_id))
    settle(page.ctx)
    assert "Holiday exception set" in page.message.label.text()
    shown = next(day for day in page.view.days if day.day == holiday.day)
    assert {shift.primary for shift in shown.shifts} == {name}
    assert all(shift.covering for shift in shown.shifts)

    with_dialog(lambda: page.holiday_exception(holiday.day), choose(None))
    settle(page.ctx)
    shown = next(day for day in page.view.days if day.day == holiday.day)
    assert {shift.primary_id for shift in shown.shifts} == primaries
