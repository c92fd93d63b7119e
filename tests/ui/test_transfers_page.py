"""The Transfers page on the `small` demo: the live clock, quick filters and search that agree
with the rules, intake and pickup by keyboard, the timeline, masking by role, notifications."""

from __future__ import annotations

import json
from collections import Counter
from datetime import timedelta
from typing import Any

import pytest
from contexts import make_context, settle
from driving import fill, with_dialog
from PySide6.QtWidgets import QDialog
from sqlalchemy import func, select

from pm_desk.cli import main
from pm_desk.domain.enums import OPEN_HOLD_STATUSES, Role, TransferStatus
from pm_desk.services.today import today_view
from pm_desk.store.models import Agreement, CustodyTransfer, User
from pm_desk.store.queries.oncall import on_call_now
from pm_desk.ui.context import AppContext
from pm_desk.ui.dialogs.record_dialog import RecordDialog
from pm_desk.ui.models.paged_table import RECORD_ID_ROLE
from pm_desk.ui.notifier import HoldNotifier
from pm_desk.ui.pages.transfers import TransfersPage
from support import FIXED_NOW


def today_groups(ctx: AppContext) -> list:
    return today_view(ctx.db.uow(), ctx.actor, ctx.policy, FIXED_NOW, "America/New_York").groups


@pytest.fixture
def page(qtbot, manager_ctx: AppContext) -> TransfersPage:
    page = TransfersPage(manager_ctx)
    qtbot.addWidget(page)
    page.resize(1400, 800)
    page.show()
    page.activate()
    return page


def column(page: TransfersPage, key: str) -> int:
    return [c.key for c in page.list.model.columns].index(key)


def text_at(page: TransfersPage, row: int, key: str) -> str:
    return page.list.model.index(row, column(page, key)).data()


def compliance(capsys: pytest.CaptureFixture[str], ctx: AppContext) -> Counter[tuple[str, str]]:
    code = main(
        [
            "--db",
            ctx.paths.database,
            "--as-user",
            ctx.actor.email,
            "compliance",
            "--as-of",
            "2026-10-31T12:00:00Z",
            "--manager",
            ctx.actor.email,
        ]
    )
    assert code == 0
    return Counter((r["rule"], r["status"]) for r in json.loads(capsys.readouterr().out))


def test_quick_filters_agree_with_the_hold_rule(page: TransfersPage, manager_ctx: AppContext, capsys) -> None:
    expected = compliance(capsys, manager_ctx)
    page.list.set_quick("due_soon", True)
    assert page.list.model.rowCount() == expected[("hold", "due_soon")] > 0
    page.list.set_quick("due_soon", False)
    page.list.set_quick("open", True)
    open_rows = page.list.model.rowCount()
    with manager_ctx.db.uow() as uow:
        open_in_caseload = uow.session.execute(
            select(func.count())
            .select_from(CustodyTransfer)
            .join(Agreement, Agreement.id == CustodyTransfer.agreement_id)
            .where(
                CustodyTransfer.status.in_(OPEN_HOLD_STATUSES),
                Agreement.manager_id == manager_ctx.actor.user_id,
            )
        ).scalar_one()
    assert open_rows == open_in_caseload > 0
    page.list.set_quick("open", False)
    page.list.set_quick("breached", True)
    breached = [page.list.model.record_id(r) for r in range(page.list.model.rowCount())]
    still_open = [r for r in range(len(breached)) if "OVER by" in text_at(page, r, "time_left")]
    assert len(still_open) == expected[("hold", "breached")] > 0
    closed = [r for r in range(len(breached)) if text_at(page, r, "time_left").startswith("✖ breached by")]
    assert len(closed) + len(still_open) == len(breached)


def test_the_countdown_ticks_with_the_clock(qtbot, page: TransfersPage, clock) -> None:
    page.list.set_quick("due_soon", True)
    assert page.list.model.rowCount() > 0
    before = text_at(page, 0, "time_left")
    assert before.endswith("left")
    clock.now = FIXED_NOW + timedelta(seconds=7)
    qtbot.waitUntil(lambda: text_at(page, 0, "time_left") != before, timeout=3000)
    assert text_at(page, 0, "time_left").endswith("left")


def test_search_by_subject_a_number_tail_and_agency(page: TransfersPage, manager_ctx: AppContext) -> None:
    with manager_ctx.db.uow() as uow:
        subject, a_number = uow.session.execute(
            select(CustodyTransfer.subject_ref, CustodyTransfer.a_number)
            .where(CustodyTransfer.a_number.is_not(None))
            .limit(1)
        ).one()
    for word in (subject[-6:], a_number[-4:]):
        page.list.filter_edit.setText(word)
        page.list.apply_query()
        found = {text_at(page, r, "subject_ref") for r in range(page.list.model.rowCount())}
        assert subject in found, word
    page.list.filter_edit.setText("ab")  # two characters do not narrow yet
    page.list.apply_query()
    everything = page.list.model.rowCount()
    page.list.filter_edit.setText("")
    page.list.apply_query()
    assert everything == page.list.model.rowCount()


def test_a_numbers_are_masked_in_the_list_and_shown_in_full_to_managers(
    page: TransfersPage, qtbot, small_db, summary, tmp_path
) -> None:
    row = next(r for r in range(page.list.model.rowCount()) if text_at(page, r, "a_number"))
    assert text_at(page, row, "a_number").startswith("A•••••")
    page.list.select_row(row)
    settle(page.ctx)
    fields = {name: (value, kind) for name, value, kind in page.detail.detail.fields}
    assert page.detail.reveal_subject
    staff = make_context(small_db, summary.staff_email, tmp_path)
    staff_page = TransfersPage(staff)
    qtbot.addWidget(staff_page)
    assert not staff_page.detail.reveal_subject
    assert fields["A-number"][1] == "masked"


def fill_intake(dialog: QDialog, **values: Any) -> None:
    assert isinstance(dialog, RecordDialog)
    fill(dialog, **values)


def test_intake_then_pickup_by_keyboard(qtbot, page: TransfersPage, manager_ctx: AppContext) -> None:
    agreement = page.list.model.index(0, 0)
    assert agreement.isValid()
    seen: dict[str, Any] = {}

    def intake(dialog: QDialog) -> None:
        assert isinstance(dialog, RecordDialog)
        combo = dialog.fields["agreement_id"].editor
        combo.setCurrentIndex(1)
        fill(
            dialog,
            subject_ref="BK-77001",
            a_number="A123456789",
            detainer_issued_at="2026-10-31 06:00",
            release_eligible_at="2026-10-31 07:00",
        )
        seen["saved"] = dialog.save()

    with_dialog(page.new_record, intake)
    assert seen["saved"]
    settle(page.ctx)
    record_id = page.list.current_id() or page.detail.detail.id
    settle(page.ctx)
    timeline = page.detail.section_table("Timeline")
    assert timeline is not None
    whats = [timeline.item(r, 1).text() for r in range(timeline.rowCount())]
    assert whats[:2] == ["Detainer issued", "Release-eligible"]
    assert manager_ctx.actor.name in timeline.item(0, 3).text()

    def early_pickup(dialog: QDialog) -> None:
        fill(dialog, pickup_at="2026-10-30 23:00")
        seen["early"] = dialog.save()
        seen["problem"] = dialog.fields["pickup_at"].error.text()
        fill(dialog, pickup_at="2026-10-31 08:30")
        seen["saved_pickup"] = dialog.save()

    with_dialog(lambda: page.record_pickup(record_id), early_pickup)
    assert seen["early"] is False
    assert seen["problem"] == "cannot be before the detainer was issued"
    assert seen["saved_pickup"]
    with manager_ctx.db.uow() as uow:
        transfer = uow.session.get(CustodyTransfer, record_id)
        assert transfer.status is TransferStatus.TRANSFERRED
    page.show_record(record_id)
    settle(page.ctx)
    hold = {name: value for name, value, _ in page.detail.detail.fields}["Hold"]
    assert hold == "picked up within the hold"


def test_citizenship_claim_goes_on_the_timeline(qtbot, page: TransfersPage, manager_ctx: AppContext) -> None:
    page.list.set_quick("open", True)
    record_id = page.list.model.record_id(0)
    page.show_record(record_id)

    def claim(dialog: QDialog) -> None:
        fill(dialog, note="Says he was born in El Paso")
        assert dialog.save()

    with_dialog(lambda: page.add_event(record_id, "citizenship_claim"), claim)
    page.show_record(record_id)
    settle(page.ctx)
    timeline = page.detail.section_table("Timeline")
    rows = [
        (timeline.item(r, 1).text(), timeline.item(r, 2).text(), timeline.item(r, 3).text())
        for r in range(timeline.rowCount())
    ]
    assert ("Citizenship claim noted", "Says he was born in El Paso", manager_ctx.actor.name) in rows


def test_a_background_load_swaps_in_the_filtered_rows(qtbot, page: TransfersPage) -> None:
    model = page.list.model
    model.background_above = -1  # as with a million rows: count and first page off the GUI thread
    subject = model.index(0, column(page, "subject_ref")).data()
    with qtbot.waitSignal(model.count_changed, timeout=5000):
        page.list.filter_edit.setText(subject)
        page.list.apply_query()
    assert page.list.count_label.text().startswith("1 ") or model.rowCount() >= 1
    assert all(subject in text_at(page, r, "subject_ref") for r in range(model.rowCount()))


def test_hold_notifications_are_raised_once(qtbot, manager_ctx: AppContext) -> None:
    groups = today_groups(manager_ctx)
    notifier = HoldNotifier()
    seen: list[tuple[str, str, str, str]] = []
    notifier.notified.connect(lambda *args: seen.append(args))
    first = notifier.update(groups)
    holds = sum(len(g.rows) for g in groups if g.spec.key in {"hold_due_soon", "hold_breached"})
    assert first == holds == len(seen) > 0
    assert notifier.update(groups) == 0  # the same holds in the same state: nothing new
    assert {kind for kind, *_ in seen} == {"transfer"}


def test_on_call_person_covers_other_managers_holds_off_hours(small_db, summary, tmp_path, capsys) -> None:
    """The demo's clock is Saturday 08:00 in the office: whoever is on call sees the field
    office's holds at risk that sit in other caseloads."""
    with small_db.uow() as uow:
        office = uow.session.execute(select(User.field_office_id).where(User.role == Role.MANAGER)).scalar()
        oncall = on_call_now(uow.session, office, FIXED_NOW)
        assert oncall is not None and oncall.primary_id is not None
        email = uow.session.get(User, oncall.primary_id).email
    ctx = make_context(small_db, email, tmp_path)
    groups = {g.spec.key: g for g in today_groups(ctx)}
    covered = {row.record_id for row in groups["oncall_holds"].rows}
    with small_db.uow() as uow:
        staff_email = uow.session.execute(select(User.email).where(User.role == Role.STAFF)).scalar()
    staff = ("--as-user", staff_email)
    code = main(["--db", ctx.paths.database, *staff, "compliance", "--as-of", "2026-10-31T12:00:00Z"])
    assert code == 0
    others = {
        r["id"] for r in json.loads(capsys.readouterr().out) if r["rule"] == "hold" and r["manager"] != email
    }
    assert covered == others
    assert covered


def test_agreement_detail_shows_transfers_by_month(qtbot, manager_ctx: AppContext) -> None:
    from pm_desk.ui.pages.agreements import AgreementsPage

    page = AgreementsPage(manager_ctx)
    qtbot.addWidget(page)
    page.activate()
    page.list.select_row(0)
    settle(page.ctx)
    table = page.detail.section_table("Custody transfers by month")
    assert table is not None and table.rowCount() == 12
    assert table.item(0, 0).text() == "2026-10"
    agreement_id = page.list.current_id()
    with manager_ctx.db.uow() as uow:
        october = uow.session.execute(
            select(func.count()).where(
                CustodyTransfer.agreement_id == agreement_id,
                CustodyTransfer.status == TransferStatus.TRANSFERRED,
                CustodyTransfer.pickup_at >= FIXED_NOW.replace(day=1, hour=0),
            )
        ).scalar_one()
    assert int(table.item(0, 1).text()) == october


def test_list_row_ids_are_records(page: TransfersPage) -> None:
    index = page.list.model.index(0, 0)
    assert index.data(RECORD_ID_ROLE) == page.list.model.record_id(0)
