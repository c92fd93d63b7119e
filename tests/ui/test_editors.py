"""Every editor of the caseload pages, driven as a person would on the `small` demo: a valid record
is saved (and shows in the store, the list and the detail panel); an invalid one is refused with
its message next to the field it concerns, and everything typed is still there."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any, TypeVar

import pytest
from contexts import settle, store_read
from driving import fill, with_dialog
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel, QPushButton
from sqlalchemy import select

from pm_desk.domain.enums import (
    AgreementModel,
    AgreementStatus,
    AuthorityStatus,
    EnrollmentResult,
    EquipmentItem,
    FindingSeverity,
    InspectionKind,
    TransferStatus,
)
from pm_desk.store.models import (
    Agreement,
    AuditEntry,
    Enrollment,
    EquipmentOrder,
    Officer,
    TrainingClass,
    TrainingRecord,
)
from pm_desk.store.queries.records import record_values
from pm_desk.ui.context import AppContext
from pm_desk.ui.dialogs.record_dialog import RecordDialog
from pm_desk.ui.formatting import local_instant
from pm_desk.ui.pages.agreements import AgreementsPage
from pm_desk.ui.pages.base import ListPage
from pm_desk.ui.pages.complaints import ComplaintsPage
from pm_desk.ui.pages.equipment import EquipmentPage
from pm_desk.ui.pages.inspections import InspectionsPage
from pm_desk.ui.pages.officers import OfficersPage
from pm_desk.ui.pages.training import TrainingPage
from pm_desk.ui.pages.transfers import TransfersPage

TODAY = date(2026, 10, 31)  # the fixed clock of the demo
P = TypeVar("P", bound=ListPage)


@pytest.fixture(autouse=True)
def _no_questions(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test here should ever reach a confirmation box."""

    def refuse(self: ListPage, question: str, detail: str = "") -> bool:
        raise AssertionError(f"unexpected question: {question}")

    monkeypatch.setattr(ListPage, "confirm", refuse)


# -- helpers ---------------------------------------------------------------------------------------
def open_page(qtbot, page_class: type[P], ctx: AppContext) -> P:
    page = page_class(ctx)
    qtbot.addWidget(page)
    page.resize(1400, 800)
    page.show()
    page.activate()
    return page


def stored(ctx: AppContext, kind: str, record_id: str) -> dict[str, Any]:
    values = store_read(ctx, record_values, kind, record_id)
    assert values is not None, f"{kind} {record_id} is not in the store"
    return values


def rows(ctx: AppContext, statement: Any) -> list[Any]:
    """Plain rows of a store query (never live ORM objects)."""
    return store_read(ctx, lambda session: list(session.execute(statement).all()))


def shown(field: Any) -> Any:
    """What a field shows right now: its text, or the choice it is set to."""
    editor = field.editor
    if hasattr(editor, "toPlainText"):
        return editor.toPlainText()
    if hasattr(editor, "currentData"):
        return editor.currentData()
    if hasattr(editor, "isChecked"):
        return editor.isChecked()
    return editor.text()


def cell(page: ListPage, record_id: str, key: str) -> str:
    """The text the page's list shows for one record and column."""
    model = page.list.model
    column = [c.key for c in model.columns].index(key)
    row = next((r for r in range(model.rowCount()) if model.record_id(r) == record_id), None)
    assert row is not None, f"{record_id} is not in the list"
    return model.data(model.index(row, column))


def detail_fields(page: ListPage) -> dict[str, Any]:
    settle(page.ctx)  # the detail panel reads on the database worker
    assert page.detail.detail is not None, "the detail panel shows no record"
    return {name: value for name, value, _kind in page.detail.detail.fields}


def refuse_then_save(
    bad: dict[str, Any], expected: dict[str, str], good: dict[str, Any], seen: dict[str, Any]
) -> Callable[[QDialog], None]:
    """Type `bad`, press Save: refused, each message of `expected` next to its field, nothing typed
    lost. Then correct with `good` and press Save again."""

    def handle(dialog: QDialog) -> None:
        assert isinstance(dialog, RecordDialog)
        fill(dialog, **bad)
        assert dialog.save_button.isEnabled()  # the service refuses, not the form
        assert dialog.save() is False
        assert dialog.isVisible()
        for name, message in expected.items():
            error = dialog.fields[name].error
            assert error.isVisible(), f"no message next to {name}"
            assert message in error.text(), (name, error.text())
        assert dialog.banner.isVisible()
        for name, value in bad.items():
            assert shown(dialog.fields[name]) == value, f"{name} lost what was typed"
        fill(dialog, **good)
        seen["problems"] = {n: f.error.text() for n, f in dialog.fields.items() if f.error.isVisible()}
        for name in expected:
            if name in good:
                assert not dialog.fields[name].error.isVisible(), f"{name} still shows a problem"
        seen["saved"] = dialog.save()

    return handle


def press_button(qtbot, page: ListPage, text: str) -> None:
    """Click one of the detail panel's action buttons (shown once the panel has laid them out)."""

    def shown_buttons() -> list[QPushButton]:
        return [b for b in page.detail.findChildren(QPushButton) if b.text() == text and b.isVisible()]

    qtbot.waitUntil(lambda: len(shown_buttons()) == 1, timeout=2000)
    qtbot.mouseClick(shown_buttons()[0], Qt.MouseButton.LeftButton)
    settle(page.ctx)  # a one-click action runs on the database worker


# -- agreements and agencies -----------------------------------------------------------------------
def test_manager_edits_an_agreement_of_his_caseload(qtbot, manager_ctx: AppContext) -> None:
    page = open_page(qtbot, AgreementsPage, manager_ctx)
    agreement_id = page.list.model.record_id(0)
    before = stored(manager_ctx, "agreement", agreement_id)
    assert before["manager_id"] == manager_ctx.actor.user_id
    page.list.select_id(agreement_id)
    signed = before["signed_on"]
    assert signed is not None

    def handle(dialog: QDialog) -> None:
        assert isinstance(dialog, RecordDialog)
        # Validated as you type: a date that cannot be read blocks Save at once.
        fill(dialog, effective_on="2026-13-45")
        assert not dialog.save_button.isEnabled()
        assert "is not a date like 2026-10-31" in dialog.fields["effective_on"].error.text()
        refuse_then_save(
            {"effective_on": "2020-01-01", "notes": "Steering committee moved to spring."},
            {"effective_on": "cannot be before it was signed"},
            {"effective_on": signed.isoformat()},
            seen,
        )(dialog)

    seen: dict[str, Any] = {}
    with_dialog(lambda: page.edit_record(agreement_id), handle)
    settle(page.ctx)
    assert seen["saved"] is True
    after = stored(manager_ctx, "agreement", agreement_id)
    assert after["effective_on"] == signed
    assert after["notes"] == "Steering committee moved to spring."
    assert after["version"] == before["version"] + 1
    assert cell(page, agreement_id, "effective_on") == signed.isoformat()
    assert detail_fields(page)["Notes"] == "Steering committee moved to spring."
    manager_ctx.undo_stack.undo()
    settle(manager_ctx)
    assert stored(manager_ctx, "agreement", agreement_id)["notes"] == before["notes"]
    assert detail_fields(page)["Effective"] == before["effective_on"]


def test_supervisor_opens_a_new_agreement(qtbot, supervisor_ctx: AppContext) -> None:
    page = open_page(qtbot, AgreementsPage, supervisor_ctx)
    assert page.new_button.isEnabled()
    taken = {tuple(r) for r in rows(supervisor_ctx, select(Agreement.agency_id, Agreement.model))}
    agency_ids = {agency for agency, _model in taken}
    agency_id, model = next((a, m) for a in sorted(agency_ids) for m in AgreementModel if (a, m) not in taken)
    manager_id = stored(supervisor_ctx, "agreement", page.list.model.record_id(0))["manager_id"]
    seen: dict[str, Any] = {}
    with_dialog(
        page.new_record,
        refuse_then_save(
            {
                "agency_id": agency_id,
                "model": model,
                "manager_id": manager_id,
                "status": AgreementStatus.ACTIVE,
                "application_received_on": "2026-06-01",
            },
            {"signed_on": "needs its signed date"},
            {"signed_on": "2026-10-01", "effective_on": "2026-10-15"},
            seen,
        ),
    )
    settle(page.ctx)
    assert seen["saved"] is True
    new_id = page.list.current_id()
    assert new_id is not None
    row = stored(supervisor_ctx, "agreement", new_id)
    assert (row["agency_id"], row["model"], row["manager_id"]) == (agency_id, model, manager_id)
    assert (row["status"], row["signed_on"]) == (AgreementStatus.ACTIVE, date(2026, 10, 1))
    assert row["field_office_id"] == supervisor_ctx.actor.field_office_id
    assert "Active" in cell(page, new_id, "status")
    assert page.detail.detail is not None and page.detail.detail.id == new_id
    assert detail_fields(page)["Signed"] == date(2026, 10, 1)


def test_manager_cannot_open_agreements(qtbot, manager_ctx: AppContext) -> None:
    page = open_page(qtbot, AgreementsPage, manager_ctx)
    assert not page.new_button.isEnabled()
    assert "Supervisors" in page.new_button.toolTip()


def test_agency_edit_refuses_an_ori_of_another_state(qtbot, manager_ctx: AppContext) -> None:
    page = open_page(qtbot, AgreementsPage, manager_ctx)
    agreement_id = page.list.model.record_id(0)
    page.list.select_id(agreement_id)
    agency_id = stored(manager_ctx, "agreement", agreement_id)["agency_id"]
    agency = stored(manager_ctx, "agency", agency_id)
    state = agency["state"]
    wrong = ("GA" if state != "GA" else "AL") + "1234567"
    right = f"{state}T3ST001"
    seen: dict[str, Any] = {}
    with_dialog(
        lambda: page.edit_agency(agency_id),
        refuse_then_save(
            {"ori": wrong, "phone": "555-0100"},
            {"ori": f"must start with the agency's state code {state}"},
            {"ori": right},
            seen,
        ),
    )
    settle(page.ctx)
    assert seen["saved"] is True
    after = stored(manager_ctx, "agency", agency_id)
    assert (after["ori"], after["phone"]) == (right, "555-0100")
    assert cell(page, agreement_id, "ori") == right
    assert detail_fields(page)["ORI"] == right


def test_manager_cannot_edit_another_managers_agreement(qtbot, manager_ctx: AppContext) -> None:
    page = open_page(qtbot, AgreementsPage, manager_ctx)
    own = page.list.model.rowCount()
    page.scope_switch.click()  # "Whole field office"
    assert page.scope_switch.isChecked() and page.list.model.rowCount() > own
    model = page.list.model
    others = [
        model.record_id(r)
        for r in range(model.rowCount())
        if stored(manager_ctx, "agreement", model.record_id(r))["manager_id"]
        not in {None, manager_ctx.actor.user_id}
    ]
    assert others
    agreement_id = others[0]
    owner = cell(page, agreement_id, "manager")
    before = stored(manager_ctx, "agreement", agreement_id)
    seen: dict[str, Any] = {}

    def press_save(dialog: QDialog) -> None:
        assert isinstance(dialog, RecordDialog)
        fill(dialog, notes="Trying to change someone else's agreement.")
        seen["saved"] = dialog.save()
        seen["banner"] = dialog.banner.text() if dialog.banner.isVisible() else ""
        seen["notes"] = dialog.fields["notes"].value()

    with_dialog(lambda: page.edit_record(agreement_id), press_save)
    settle(page.ctx)
    assert seen["saved"] is False
    assert manager_ctx.actor.name in seen["banner"]
    assert seen["banner"].startswith(f"{manager_ctx.actor.name} cannot change the agreement for ")
    assert seen["banner"].endswith(f": it is in {owner}'s caseload, not yours")
    assert seen["notes"] == "Trying to change someone else's agreement."  # kept while refused
    assert stored(manager_ctx, "agreement", agreement_id) == before
    assert manager_ctx.undo_stack.count() == 0
    denials = rows(
        manager_ctx,
        select(AuditEntry.operation, AuditEntry.after).where(
            AuditEntry.action == "denied",
            AuditEntry.actor_id == manager_ctx.actor.user_id,
            AuditEntry.record_id == agreement_id,
        ),
    )
    assert len(denials) == 1
    assert denials[0].operation == "agreement.update"
    assert "not yours" in json.loads(denials[0].after)["reason"]


# -- officers --------------------------------------------------------------------------------------
def caseload_officers(ctx: AppContext, status: AuthorityStatus) -> list[Any]:
    return rows(
        ctx,
        select(Officer.id, Officer.name, Officer.badge, Officer.agreement_id)
        .join(Agreement, Agreement.id == Officer.agreement_id)
        .where(
            Agreement.manager_id == ctx.actor.user_id,
            Officer.authority_status == status,
            Officer.deleted_at.is_(None),
        )
        .order_by(Officer.name),
    )


def test_new_officer_refuses_a_badge_already_taken(qtbot, manager_ctx: AppContext) -> None:
    page = open_page(qtbot, OfficersPage, manager_ctx)
    colleague = caseload_officers(manager_ctx, AuthorityStatus.AUTHORIZED)[0]
    seen: dict[str, Any] = {}
    with_dialog(
        page.new_record,
        refuse_then_save(
            {
                "agreement_id": colleague.agreement_id,
                "name": "Jordan Whitfield",
                "badge": colleague.badge,
                "rank": "Deputy",
                "nominated_on": "2026-10-20",
            },
            {"badge": f"badge {colleague.badge} already belongs to {colleague.name} at this agency"},
            {"badge": "T-9001"},
            seen,
        ),
    )
    settle(page.ctx)
    assert seen["saved"] is True
    new_id = page.list.current_id()
    assert new_id is not None
    officer = stored(manager_ctx, "officer", new_id)
    assert (officer["name"], officer["badge"], officer["rank"]) == ("Jordan Whitfield", "T-9001", "Deputy")
    assert officer["agreement_id"] == colleague.agreement_id
    assert officer["authority_status"] is AuthorityStatus.NOMINATED
    assert cell(page, new_id, "name") == "Jordan Whitfield"
    assert detail_fields(page)["Badge"] == "T-9001"


def overdue_officer(page: OfficersPage) -> str:
    """An authorized officer of the list whose last course is more than a year old."""
    model = page.list.model
    position = [c.key for c in model.columns].index("latest_on") + 1
    for row in range(model.rowCount()):
        values, _cells = model.row_values(row)
        officer = stored(page.ctx, "officer", values[0])
        authorized = officer["authority_status"] is AuthorityStatus.AUTHORIZED
        if authorized and values[position] < TODAY - timedelta(days=365):
            return values[0]
    raise AssertionError("no authorized officer is overdue for his refresher")


def test_record_refresher_refuses_a_future_date(qtbot, manager_ctx: AppContext) -> None:
    page = open_page(qtbot, OfficersPage, manager_ctx)
    officer_id = overdue_officer(page)
    page.list.select_id(officer_id)
    assert "overdue" in cell(page, officer_id, "training").lower()
    seen: dict[str, Any] = {}

    def handle(dialog: QDialog) -> None:
        assert isinstance(dialog, RecordDialog)
        assert dialog.fields["completed_on"].value() == TODAY  # one action: today is filled in
        assert dialog.save_button.text() == "Record"
        refuse_then_save(
            {"completed_on": "2026-11-02", "source": "TRAEGA online"},
            {"completed_on": "is in the future (2026-11-02)"},
            {"completed_on": "2026-10-30"},
            seen,
        )(dialog)

    with_dialog(lambda: page.record_training(officer_id), handle)
    settle(page.ctx)
    assert seen["saved"] is True
    records = rows(
        manager_ctx,
        select(TrainingRecord.course, TrainingRecord.source).where(
            TrainingRecord.officer_id == officer_id, TrainingRecord.completed_on == date(2026, 10, 30)
        ),
    )
    assert [(r.course, r.source) for r in records] == [("refresher", "TRAEGA online")]
    assert cell(page, officer_id, "latest_on") == "2026-10-30"
    assert "Current" in cell(page, officer_id, "training")
    assert "refresher recorded" in page.message.label.text().lower()


def test_revoke_needs_a_reason_and_can_be_undone_and_redone(qtbot, manager_ctx: AppContext) -> None:
    page = open_page(qtbot, OfficersPage, manager_ctx)
    officer = caseload_officers(manager_ctx, AuthorityStatus.AUTHORIZED)[0]
    page.list.select_id(officer.id)
    press_revoke = lambda: press_button(qtbot, page, "Revoke authority…")  # noqa: E731
    seen: dict[str, Any] = {}

    def handle(dialog: QDialog) -> None:
        assert isinstance(dialog, RecordDialog)
        assert any(officer.name in label.text() for label in dialog.findChildren(QLabel))
        assert not dialog.save_button.isEnabled(), "Save must wait for a reason"
        assert dialog.save() is False
        assert dialog.fields["reason"].error.text() == "Reason is required"
        fill(dialog, reason="   ")
        assert not dialog.save_button.isEnabled()
        fill(dialog, reason="Arrested off duty; agency asked for revocation.")
        assert dialog.save_button.isEnabled()
        seen["saved"] = dialog.save()

    with_dialog(press_revoke, handle)
    settle(page.ctx)
    assert seen["saved"] is True

    def authority() -> AuthorityStatus:
        return stored(manager_ctx, "officer", officer.id)["authority_status"]

    assert authority() is AuthorityStatus.REVOKED
    assert "Revoked" in cell(page, officer.id, "authority")
    assert detail_fields(page)["Authority"] is AuthorityStatus.REVOKED
    manager_ctx.undo_stack.undo()
    settle(manager_ctx)
    assert authority() is AuthorityStatus.AUTHORIZED
    assert "Authorized" in cell(page, officer.id, "authority")
    manager_ctx.undo_stack.redo()
    settle(manager_ctx)
    assert authority() is AuthorityStatus.REVOKED
    assert detail_fields(page)["Authority"] is AuthorityStatus.REVOKED


def test_change_authority_asks_why_for_a_suspension(qtbot, manager_ctx: AppContext) -> None:
    page = open_page(qtbot, OfficersPage, manager_ctx)
    officer = caseload_officers(manager_ctx, AuthorityStatus.AUTHORIZED)[1]
    page.list.select_id(officer.id)
    seen: dict[str, Any] = {}
    with_dialog(
        lambda: press_button(qtbot, page, "Change authority…"),
        refuse_then_save(
            {"to_status": AuthorityStatus.SUSPENDED},
            {"reason": "say why the authority is suspended"},
            {"reason": "Internal affairs review pending."},
            seen,
        ),
    )
    settle(page.ctx)
    assert seen["saved"] is True
    assert stored(manager_ctx, "officer", officer.id)["authority_status"] is AuthorityStatus.SUSPENDED
    assert "Suspended" in cell(page, officer.id, "authority")
    manager_ctx.undo_stack.undo()
    settle(manager_ctx)
    assert stored(manager_ctx, "officer", officer.id)["authority_status"] is AuthorityStatus.AUTHORIZED


def test_enroll_in_a_class_then_refuse_a_second_seat(qtbot, manager_ctx: AppContext) -> None:
    page = open_page(qtbot, OfficersPage, manager_ctx)
    waiting_for_class = select(Enrollment.officer_id).where(Enrollment.result == EnrollmentResult.ENROLLED)
    enrolled = {row.officer_id for row in rows(manager_ctx, waiting_for_class)}
    officer = next(
        o for o in caseload_officers(manager_ctx, AuthorityStatus.NOMINATED) if o.id not in enrolled
    )
    page.list.select_id(officer.id)
    enrollments_of = select(Enrollment.class_id, Enrollment.result).where(Enrollment.officer_id == officer.id)
    seen: dict[str, Any] = {}

    def enroll(dialog: QDialog) -> None:
        assert isinstance(dialog, RecordDialog)
        class_id = dialog.fields["class_id"].value()
        assert class_id is not None  # one action: the soonest class with a seat is chosen
        seen["class_id"] = class_id
        seen["saved"] = dialog.save()

    with_dialog(lambda: press_button(qtbot, page, "Enroll in class…"), enroll)
    settle(page.ctx)
    assert seen["saved"] is True
    class_id = seen["class_id"]
    enrollments = rows(manager_ctx, enrollments_of)
    assert [(e.class_id, e.result) for e in enrollments] == [(class_id, EnrollmentResult.ENROLLED)]
    assert stored(manager_ctx, "officer", officer.id)["authority_status"] is AuthorityStatus.IN_TRAINING
    assert "training" in cell(page, officer.id, "authority").lower()
    starts = stored(manager_ctx, "training_class", class_id)["starts_on"]

    again: dict[str, Any] = {}

    def enroll_again(dialog: QDialog) -> None:
        assert isinstance(dialog, RecordDialog)
        fill(dialog, class_id=class_id)
        again["saved"] = dialog.save()
        again["error"] = dialog.fields["class_id"].error.text()
        again["kept"] = shown(dialog.fields["class_id"])

    with_dialog(lambda: page.enroll(officer.id), enroll_again)
    settle(page.ctx)
    assert again["saved"] is False
    assert again["error"] == f"{officer.name} is already enrolled in the class of {starts.isoformat()}"
    assert again["kept"] == class_id
    assert len(rows(manager_ctx, enrollments_of)) == 1


# -- training classes ------------------------------------------------------------------------------
def test_supervisor_schedules_a_class_and_end_before_start_is_refused(
    qtbot, supervisor_ctx: AppContext
) -> None:
    page = open_page(qtbot, TrainingPage, supervisor_ctx)
    assert page.new_button.isEnabled()
    count = page.classes.model.rowCount()
    seen: dict[str, Any] = {}

    def handle(dialog: QDialog) -> None:
        assert isinstance(dialog, RecordDialog)
        fill(dialog, location="FLETC Glynco, GA", starts_on="2027-03-01", ends_on="2027-03-26", seats="0")
        assert not dialog.save_button.isEnabled()  # 0 seats cannot be used, shown as you type
        assert "must be between 1 and" in dialog.fields["seats"].error.text()
        refuse_then_save(
            {"ends_on": "2027-02-20", "seats": "24"},
            {"ends_on": "cannot be before the start date"},
            {"ends_on": "2027-03-26"},
            seen,
        )(dialog)

    with_dialog(page.new_record, handle)
    settle(page.ctx)
    assert seen["saved"] is True
    new_class = select(TrainingClass.id, TrainingClass.starts_on, TrainingClass.ends_on, TrainingClass.seats)
    created = rows(supervisor_ctx, new_class.where(TrainingClass.location == "FLETC Glynco, GA"))
    assert [(c.starts_on, c.ends_on, c.seats) for c in created] == [(date(2027, 3, 1), date(2027, 3, 26), 24)]
    assert page.classes.model.rowCount() == count + 1
    assert page.list.current_id() == created[0].id
    assert cell(page, created[0].id, "location") == "FLETC Glynco, GA"


def test_manager_cannot_schedule_classes(qtbot, manager_ctx: AppContext) -> None:
    page = open_page(qtbot, TrainingPage, manager_ctx)
    assert not page.new_button.isEnabled()


# -- equipment -------------------------------------------------------------------------------------
def test_new_equipment_order_refuses_a_skipped_stage_then_advances_one_stage(
    qtbot, manager_ctx: AppContext
) -> None:
    page = open_page(qtbot, EquipmentPage, manager_ctx)
    ordered = {tuple(r) for r in rows(manager_ctx, select(EquipmentOrder.agreement_id, EquipmentOrder.item))}
    agreements = [a.id for a in caseload_agreements(manager_ctx)]
    agreement_id, item = next((a, i) for a in agreements for i in EquipmentItem if (a, i) not in ordered)
    seen: dict[str, Any] = {}
    with_dialog(
        page.new_record,
        refuse_then_save(
            {
                "agreement_id": agreement_id,
                "item": item,
                "quantity": "3",
                "requested_on": "2026-10-01",
                "shipped_on": "2026-10-20",
            },
            {"shipped_on": "record the ordered date first"},
            {"shipped_on": ""},
            seen,
        ),
    )
    settle(page.ctx)
    assert seen["saved"] is True
    order_id = page.list.current_id()
    assert order_id is not None
    order = stored(manager_ctx, "equipment_order", order_id)
    assert (order["agreement_id"], order["item"], order["quantity"]) == (agreement_id, item, 3)
    assert (order["requested_on"], order["ordered_on"], order["shipped_on"]) == (
        date(2026, 10, 1),
        None,
        None,
    )
    assert cell(page, order_id, "requested_on") == "2026-10-01"

    press_button(qtbot, page, "Mark ordered today")  # one action
    assert stored(manager_ctx, "equipment_order", order_id)["ordered_on"] == TODAY
    assert cell(page, order_id, "ordered_on") == TODAY.isoformat()
    assert detail_fields(page)["Ordered"] == TODAY
    assert page.message.label.text().endswith("Marked ordered today.")
    manager_ctx.undo_stack.undo()
    settle(manager_ctx)
    assert stored(manager_ctx, "equipment_order", order_id)["ordered_on"] is None


def caseload_agreements(ctx: AppContext) -> list[Any]:
    return rows(
        ctx,
        select(Agreement.id)
        .where(Agreement.manager_id == ctx.actor.user_id, Agreement.deleted_at.is_(None))
        .order_by(Agreement.id),
    )


def test_advance_refuses_an_operational_order(qtbot, manager_ctx: AppContext) -> None:
    page = open_page(qtbot, EquipmentPage, manager_ctx)
    done = next(
        page.list.model.record_id(r)
        for r in range(page.list.model.rowCount())
        if stored(manager_ctx, "equipment_order", page.list.model.record_id(r))["operational_on"]
    )
    before = stored(manager_ctx, "equipment_order", done)
    page.advance(done)
    settle(manager_ctx)
    assert page.message.isVisible()
    assert "already operational" in page.message.label.text()
    assert stored(manager_ctx, "equipment_order", done) == before
    assert manager_ctx.undo_stack.count() == 0


# -- inspections and findings ----------------------------------------------------------------------
def test_inspection_finding_and_closing_it_in_one_action(qtbot, manager_ctx: AppContext) -> None:
    page = open_page(qtbot, InspectionsPage, manager_ctx)
    agreement_id = caseload_agreements(manager_ctx)[0].id
    seen: dict[str, Any] = {}
    with_dialog(
        page.new_record,
        refuse_then_save(
            {
                "agreement_id": agreement_id,
                "held_on": "2026-11-05",
                "kind": InspectionKind.FILE_REVIEW,
                "summary": "Reviewed the 287(g) officers' training files.",
            },
            {"held_on": "is in the future"},
            {"held_on": "2026-10-28"},
            seen,
        ),
    )
    settle(page.ctx)
    assert seen["saved"] is True
    inspection_id = page.list.current_id()
    assert inspection_id is not None
    inspection = stored(manager_ctx, "inspection", inspection_id)
    assert (inspection["held_on"], inspection["kind"]) == (date(2026, 10, 28), InspectionKind.FILE_REVIEW)
    assert cell(page, inspection_id, "held_on") == "2026-10-28"

    finding: dict[str, Any] = {}
    with_dialog(
        lambda: press_button(qtbot, page, "Add finding…"),
        refuse_then_save(
            {
                "severity": FindingSeverity.HIGH,
                "text": "Two officers' refresher certificates are missing.",
                "corrective_action": "Agency to file the certificates.",
                "corrective_due": "2026-10-01",
            },
            {"corrective_due": "cannot be before the inspection"},
            {"corrective_due": "2026-11-30"},
            finding,
        ),
    )
    settle(page.ctx)
    assert finding["saved"] is True
    qtbot.waitUntil(lambda: (t := page.detail.section_table("Findings")) is not None and t.rowCount() == 1)
    table = page.detail.section_table("Findings")
    assert table is not None
    finding_id = table.property("section_ids")[0]
    row = stored(manager_ctx, "finding", finding_id)
    assert (row["severity"], row["corrective_due"], row["closed_on"]) == (
        FindingSeverity.HIGH,
        date(2026, 11, 30),
        None,
    )
    assert cell(page, inspection_id, "open_findings") == "1"

    table.selectRow(0)
    press_button(qtbot, page, "Close finding")  # one action: closed today
    assert stored(manager_ctx, "finding", finding_id)["closed_on"] == TODAY
    assert cell(page, inspection_id, "open_findings") == "0"
    assert page.message.label.text().endswith("Finding closed.")
    manager_ctx.undo_stack.undo()
    settle(manager_ctx)
    assert stored(manager_ctx, "finding", finding_id)["closed_on"] is None
    assert cell(page, inspection_id, "open_findings") == "1"


# -- complaints ------------------------------------------------------------------------------------
def test_new_complaint_refuses_a_report_before_it_was_received(qtbot, manager_ctx: AppContext) -> None:
    page = open_page(qtbot, ComplaintsPage, manager_ctx)
    agreement_id = caseload_agreements(manager_ctx)[0].id
    seen: dict[str, Any] = {}
    with_dialog(
        page.new_record,
        refuse_then_save(
            {
                "agreement_id": agreement_id,
                "received_at": "2026-10-29 09:00",
                "summary": "Detainee says his phone call was refused.",
                "reported_at": "2026-10-28 17:30",
            },
            {"reported_at": "cannot be before it was received"},
            {"reported_at": "2026-10-29 15:30"},
            seen,
        ),
    )
    settle(page.ctx)
    assert seen["saved"] is True
    complaint_id = page.list.current_id()
    assert complaint_id is not None
    complaint = stored(manager_ctx, "complaint", complaint_id)
    assert complaint["summary"] == "Detainee says his phone call was refused."
    assert complaint["reported_at"] - complaint["received_at"] == timedelta(hours=6, minutes=30)
    assert local_instant(complaint["received_at"]) == "2026-10-29 09:00"
    assert cell(page, complaint_id, "received_at") == "2026-10-29 09:00"
    assert "in time" in cell(page, complaint_id, "report_clock")


# -- custody transfers -----------------------------------------------------------------------------
def test_new_detainer_refuses_a_bad_a_number_then_pickup_is_recorded(qtbot, manager_ctx: AppContext) -> None:
    page = open_page(qtbot, TransfersPage, manager_ctx)
    agreement_id = caseload_agreements(manager_ctx)[0].id
    seen: dict[str, Any] = {}
    with_dialog(
        page.new_record,
        refuse_then_save(
            {
                "agreement_id": agreement_id,
                "subject_ref": "TEST26-000001",
                "a_number": "A12345",
                "detainer_issued_at": "2026-10-30 08:00",
            },
            {"a_number": "must be A followed by 8 or 9 digits"},
            {"a_number": "A123456789"},
            seen,
        ),
    )
    settle(page.ctx)
    assert seen["saved"] is True
    transfer_id = page.list.current_id()
    assert transfer_id is not None
    transfer = stored(manager_ctx, "transfer", transfer_id)
    assert (transfer["subject_ref"], transfer["a_number"]) == ("TEST26-000001", "A123456789")
    assert transfer["status"] is TransferStatus.DETAINER_LODGED
    assert cell(page, transfer_id, "a_number") == "A•••••6789"

    pickup: dict[str, Any] = {}
    with_dialog(
        lambda: press_button(qtbot, page, "Record pickup…"),
        refuse_then_save(
            {"pickup_at": "2026-11-02 10:00"},
            {"pickup_at": "is in the future"},
            {"pickup_at": "2026-10-30 20:00"},
            pickup,
        ),
    )
    settle(page.ctx)
    assert pickup["saved"] is True
    after = stored(manager_ctx, "transfer", transfer_id)
    assert after["status"] is TransferStatus.TRANSFERRED
    assert local_instant(after["pickup_at"]) == "2026-10-30 20:00"
    assert "Transferred" in cell(page, transfer_id, "status")
    assert cell(page, transfer_id, "pickup_at") == "2026-10-30 20:00"


# -- the other edit forms --------------------------------------------------------------------------
EDITS = [
    # page, acting user, record kind, field typed wrong, its message, field changed, typed, stored
    (OfficersPage, "manager", "officer", "nominated_on", "is in the future", "rank", "Sergeant", "Sergeant"),
    (
        TrainingPage,
        "supervisor",
        "training_class",
        "ends_on",
        "cannot be before the start date",
        "location",
        "FLETC Artesia, NM",
        "FLETC Artesia, NM",
    ),
    (EquipmentPage, "manager", "equipment_order", "requested_on", "is in the future", "quantity", "77", 77),
    (
        InspectionsPage,
        "manager",
        "inspection",
        "held_on",
        "is in the future",
        "summary",
        "Files complete.",
        None,
    ),
    (
        InspectionsPage,
        "manager",
        "finding",
        "corrective_due",
        "cannot be before the inspection",
        "corrective_action",
        "Retrain the booking staff.",
        None,
    ),
    (
        ComplaintsPage,
        "manager",
        "complaint",
        "reported_at",
        "cannot be before it was received",
        "outcome",
        "Unfounded",
        None,
    ),
    (
        TransfersPage,
        "manager",
        "transfer",
        "a_number",
        "must be A followed by 8 or 9 digits",
        "receiving_office",
        "Krome Service Processing Center",
        None,
    ),
]
WRONG = {
    "nominated_on": "2026-12-01",
    "ends_on": "2001-01-01",
    "requested_on": "2026-12-01",
    "held_on": "2026-12-01",
    "corrective_due": "2001-01-01",
    "reported_at": "2001-01-01 08:00",
    "a_number": "B1234",
}


def described(page: ListPage) -> str:
    """Everything the detail panel shows, as one text."""
    detail = page.detail.detail
    assert detail is not None
    parts = [detail.title, detail.subtitle, *(str(v) for _n, v, _k in detail.fields)]
    parts += [str(value) for section in detail.sections for row in section.rows for value in row]
    return " | ".join(parts)


@pytest.mark.parametrize(
    ("page_class", "who", "kind", "wrong_field", "message", "field", "typed", "expected"),
    EDITS,
    ids=[case[2] for case in EDITS],
)
def test_edit_form_saves_and_refuses(
    qtbot,
    request: pytest.FixtureRequest,
    page_class: type[ListPage],
    who: str,
    kind: str,
    wrong_field: str,
    message: str,
    field: str,
    typed: str,
    expected: Any,
) -> None:
    ctx: AppContext = request.getfixturevalue(f"{who}_ctx")
    page = open_page(qtbot, page_class, ctx)
    record_id = page.list.model.record_id(0)
    page.list.select_id(record_id)
    if kind == "finding":
        with_findings = next(
            page.list.model.record_id(r)
            for r in range(page.list.model.rowCount())
            if cell(page, page.list.model.record_id(r), "findings") != "0"
        )
        page.list.select_id(with_findings)
        settle(ctx)
        record_id = next(s for s in page.detail.detail.sections if s.kind == "finding").ids[0]
    before = stored(ctx, kind, record_id)
    seen: dict[str, Any] = {}

    def handle(dialog: QDialog) -> None:
        assert isinstance(dialog, RecordDialog)
        original = shown(dialog.fields[wrong_field])
        refuse_then_save(
            {wrong_field: WRONG[wrong_field], field: typed},
            {wrong_field: message},
            {wrong_field: original},
            seen,
        )(dialog)

    edit = page.edit_finding if kind == "finding" else page.edit_record  # type: ignore[attr-defined]
    with_dialog(lambda: edit(record_id), handle)
    settle(page.ctx)
    assert seen["saved"] is True, seen
    after = stored(ctx, kind, record_id)
    assert after[field] == (typed if expected is None else expected)
    assert after[wrong_field] == before[wrong_field]
    assert after["version"] == before["version"] + 1
    assert typed in described(page)
