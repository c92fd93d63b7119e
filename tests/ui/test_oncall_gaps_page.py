"""The failures of the audit's supervisor day, driven as a person would on the `small` demo:
"I can't cover" for tomorrow only (in both roles), and the demo's own gap (Saturday 31 October,
09:00 to 19:00 in Miami: its primary fell sick and nobody took over) closed from its warning
on the On-call page, on Today and from the status bar, or by an approved cover or a holiday
exception of that day."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from contexts import make_context, settle
from driving import fill, with_dialog
from PySide6.QtWidgets import QDialog
from sqlalchemy import select

from pm_desk.domain.enums import CoverRoles, RequestState, Role
from pm_desk.services.compliance import compliance_results
from pm_desk.store.models import Override, User
from pm_desk.store.queries.oncall import on_call_now
from pm_desk.ui.dialogs.record_dialog import RecordDialog
from pm_desk.ui.pages.oncall import ITEM, OnCallPage
from pm_desk.ui.pages.today import TodayPage
from pm_desk.ui.status_bar import StatusBar
from support import FIXED_NOW

NY = ZoneInfo("America/New_York")
GAP_START = datetime(2026, 10, 31, 13, 0, tzinfo=UTC)  # 09:00 in Miami
GAP_END = datetime(2026, 10, 31, 23, 0, tzinfo=UTC)  # 19:00
TOMORROW = date(2026, 11, 1)  # Sunday, the day the clocks go back: 25 hours


def open_page(qtbot, ctx) -> OnCallPage:
    page = OnCallPage(ctx)
    qtbot.addWidget(page)
    page.resize(1400, 900)
    page.show()
    page.activate()
    settle(ctx)
    return page


def open_today(qtbot, ctx) -> TodayPage:
    page = TodayPage(ctx)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded, timeout=20_000):
        page.activate()
    return page


def demo_gaps(ctx) -> list[tuple[datetime, datetime]]:
    with ctx.db.uow() as uow:
        items = compliance_results(uow, ctx.policy, ctx.now())
    return [(i.detail["starts_at"], i.detail["ends_at"]) for i in items if i.status == "gap"]


def gap_rows(page: TodayPage) -> list:
    return [row for group in page.model.groups for row in group.rows if row.gap is not None]


def request_row(page: OnCallPage, request_id: str) -> int:
    return next(i for i in range(page.requests.count()) if page.requests.item(i).data(ITEM)[1] == request_id)


def save_first_choice(dialog: QDialog) -> None:
    assert isinstance(dialog, RecordDialog)
    assert dialog.save(), dialog.banner.text()


def test_the_demo_has_its_gap(supervisor_ctx) -> None:
    assert demo_gaps(supervisor_ctx) == [(GAP_START, GAP_END)]


def test_i_cannot_cover_tomorrow_only_leaves_no_gap_and_no_backup_role(
    qtbot, small_db, supervisor_ctx, tmp_path, clock
) -> None:
    """Tomorrow's primary (who stands by as backup then too) is sick for tomorrow only: the form
    proposes that local day, the approval gives each role to the first-ranked, and he holds no
    role that day and every role again after it."""
    clock.now = FIXED_NOW + timedelta(minutes=5)  # after the demo's own covers were approved
    tomorrow_noon = datetime(2026, 11, 1, 12, 0, tzinfo=NY)
    with small_db.uow() as uow:
        office = uow.session.execute(select(User.field_office_id).where(User.role == Role.MANAGER)).scalar()
        sick_id = on_call_now(uow.session, office, tomorrow_noon).primary_id
        email = uow.session.get(User, sick_id).email
    manager = make_context(small_db, email, tmp_path / "manager")
    page = open_page(qtbot, manager)
    sunday = next(day for day in page.view.days if day.day == TOMORROW)
    assert any(line.backup_id == sick_id for line in sunday.shifts)  # backup then, as well
    page.show_day(sunday)
    day_start, day_end = datetime(2026, 11, 1, tzinfo=NY), datetime(2026, 11, 2, tzinfo=NY)

    def ask(dialog: QDialog) -> None:
        assert isinstance(dialog, RecordDialog)
        assert dialog.fields["starts_at"].value() == day_start.astimezone(UTC)
        assert dialog.fields["ends_at"].value() == day_end.astimezone(UTC)
        assert dialog.fields["roles"].value() is CoverRoles.BOTH
        assert dialog.save(), dialog.banner.text()

    with_dialog(page.cannot_cover, ask)
    settle(manager)
    assert "Cover requested" in page.message.label.text()
    with small_db.uow() as uow:
        request = uow.session.execute(
            select(Override).where(
                Override.state == RequestState.REQUESTED, Override.covered_user_id == sick_id
            )
        ).scalar_one()
        assert (request.starts_at, request.ends_at) == (day_start, day_end)
        assert request.ends_at - request.starts_at == timedelta(hours=25)
    supervisor = open_page(qtbot, supervisor_ctx)
    supervisor.tabs.setCurrentIndex(1)
    supervisor.requests.setCurrentRow(request_row(supervisor, request.id))

    def approve(dialog: QDialog) -> None:
        assert isinstance(dialog, RecordDialog)
        assert set(dialog.fields) == {"covering", "backup"}
        assert "not eligible" not in dialog.fields["covering"].editor.currentText()
        assert dialog.save(), dialog.banner.text()

    with_dialog(supervisor.approve, approve)
    settle(supervisor_ctx)
    sunday = next(day for day in supervisor.view.days if day.day == TOMORROW)
    inside = [line for line in sunday.shifts if line.starts_at < day_end and line.ends_at > day_start]
    assert sick_id not in {line.primary_id for line in inside if line.starts_at >= day_start}
    assert sick_id not in {line.backup_id for line in inside if line.starts_at >= day_start}
    assert not [w for w in supervisor.view.warnings if w.kind == "gap"]
    with small_db.uow() as uow:
        at_noon = on_call_now(uow.session, office, tomorrow_noon)
        next_day = on_call_now(uow.session, office, datetime(2026, 11, 2, 3, 0, tzinfo=NY))
    assert sick_id != at_noon.primary_id and next_day.primary_id == sick_id
    assert demo_gaps(supervisor_ctx) == []  # the approval also gave the demo's gap to someone


def test_the_demo_gap_is_closed_from_its_warning_on_the_oncall_page(qtbot, supervisor_ctx, clock) -> None:
    clock.now = FIXED_NOW + timedelta(hours=2)  # inside the gap
    page = open_page(qtbot, supervisor_ctx)
    page.tabs.setCurrentIndex(0)
    row = next(i for i in range(page.warnings.count()) if page.warnings.item(i).data(ITEM))
    page.warnings.setCurrentRow(row)
    assert page.cover_gap_button.isEnabled()
    assert (
        "No one on call" in page.warnings.item(row).text() and "can cover" in page.warnings.item(row).text()
    )
    with_dialog(page.cover_gap_button.click, save_first_choice)
    settle(supervisor_ctx)
    assert "Gap covered" in page.message.label.text()
    assert not [w for w in page.view.warnings if w.kind == "gap"]
    assert demo_gaps(supervisor_ctx) == []
    bar = StatusBar(supervisor_ctx)
    qtbot.addWidget(bar)
    assert bar.on_call.text().startswith("On call: ") and not bar.cover_gap_button.isVisibleTo(bar)
    today = open_today(qtbot, supervisor_ctx)
    assert gap_rows(today) == []


def test_the_demo_gap_is_closed_from_today(qtbot, supervisor_ctx, clock) -> None:
    clock.now = FIXED_NOW + timedelta(minutes=5)
    today = open_today(qtbot, supervisor_ctx)
    [row] = gap_rows(today)
    assert (row.gap.starts_at, row.gap.ends_at) == (GAP_START, GAP_END)
    assert "can cover:" in row.detail
    with_dialog(lambda: today.cover_gap(row.gap), save_first_choice)
    settle(supervisor_ctx)
    with qtbot.waitSignal(today.loaded, timeout=20_000):
        today.load()
    assert gap_rows(today) == []


def test_a_manager_takes_the_demo_gap_himself_from_today(qtbot, small_db, summary, tmp_path, clock) -> None:
    clock.now = FIXED_NOW + timedelta(minutes=5)
    ctx = make_context(small_db, summary.default_user_email, tmp_path / "manager")
    today = open_today(qtbot, ctx)
    [row] = gap_rows(today)

    def take(dialog: QDialog) -> None:
        assert isinstance(dialog, RecordDialog)
        editor = dialog.fields["person_id"].editor
        assert [editor.itemData(i) for i in range(editor.count())] == [ctx.actor.user_id]
        assert dialog.save(), dialog.banner.text()

    with_dialog(lambda: today.cover_gap(row.gap), take)
    settle(ctx)
    with ctx.db.uow() as uow:
        taken = on_call_now(uow.session, ctx.actor.field_office_id, GAP_START + timedelta(hours=1))
    assert taken.primary_id == ctx.actor.user_id


def test_the_status_bar_says_nobody_and_covers_the_gap(qtbot, supervisor_ctx, clock) -> None:
    clock.now = FIXED_NOW + timedelta(hours=2)
    bar = StatusBar(supervisor_ctx)
    qtbot.addWidget(bar)
    assert bar.on_call.text().startswith("✖ On call now: nobody until")
    assert bar.cover_gap_button.isVisibleTo(bar)
    assert bar.gap is not None and bar.gap.ends_at == GAP_END
    with_dialog(bar.cover_gap_button.click, save_first_choice)
    settle(supervisor_ctx)
    assert bar.on_call.text().startswith("On call: ")
    assert not bar.cover_gap_button.isVisibleTo(bar)
    assert demo_gaps(supervisor_ctx) == []


@pytest.mark.parametrize("how", ["holiday exception", "approved cover"])
def test_the_demo_gap_does_not_survive_an_approval_for_that_day(
    qtbot, small_db, supervisor_ctx, tmp_path, clock, how: str
) -> None:
    clock.now = FIXED_NOW + timedelta(minutes=30)
    page = open_page(qtbot, supervisor_ctx)
    saturday = next(day for day in page.view.days if day.day == date(2026, 10, 31))
    if how == "holiday exception":
        person = next(p for p in page.view.members if p not in {s.primary_id for s in saturday.shifts})

        def choose(dialog: QDialog) -> None:
            assert isinstance(dialog, RecordDialog)
            fill(dialog, person_id=person)
            assert dialog.save(), dialog.banner.text()

        with_dialog(lambda: page.holiday_exception(saturday.day), choose)
    else:
        with small_db.uow() as uow:
            office = supervisor_ctx.actor.field_office_id
            sick_id = on_call_now(uow.session, office, FIXED_NOW + timedelta(minutes=30)).primary_id
            email = uow.session.get(User, sick_id).email
        sick = make_context(small_db, email, tmp_path / "sick")
        own = open_page(qtbot, sick)
        own.show_day(next(day for day in own.view.days if day.day == date(2026, 10, 31)))
        with_dialog(own.cannot_cover, save_first_choice)  # the rest of today
        settle(sick)
        page.refresh()
        settle(supervisor_ctx)
        with small_db.uow() as uow:
            request_id = uow.session.execute(
                select(Override.id).where(
                    Override.state == RequestState.REQUESTED, Override.covered_user_id == sick_id
                )
            ).scalar_one()
        page.tabs.setCurrentIndex(1)
        page.requests.setCurrentRow(request_row(page, request_id))
        with_dialog(page.approve, save_first_choice)
    settle(supervisor_ctx)
    assert not [w for w in page.view.warnings if w.kind == "gap"]
    assert demo_gaps(supervisor_ctx) == []
    clock.now = FIXED_NOW + timedelta(hours=2)
    bar = StatusBar(supervisor_ctx)
    qtbot.addWidget(bar)
    assert bar.on_call.text().startswith("On call: ")
