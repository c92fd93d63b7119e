"""Reassigning agreements: the open assignment is closed and a new one opened, history is kept."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from builders import (
    World,
    add_agency,
    add_agreement,
    audit_rows,
    fetch,
    last_seq,
    refused_without_writing,
)
from pm_desk.domain.enums import ReminderState
from pm_desk.services.errors import NotFound, PermissionDenied, ValidationError
from pm_desk.services.reassignment import MOVE_BACK, Reassigned, reassign_agreements
from pm_desk.store.database import Database
from pm_desk.store.models import Agreement, Assignment, Reminder

NOW = datetime(2026, 10, 31, 12, 0, tzinfo=UTC)


def assignments(db: Database, agreement_id: str) -> list[Assignment]:
    with db.uow() as uow:
        rows = (
            uow.session.execute(
                select(Assignment)
                .where(Assignment.agreement_id == agreement_id)
                .order_by(Assignment.starts_at)
            )
            .scalars()
            .all()
        )
        uow.session.expunge_all()
        return list(rows)


def test_supervisor_moves_an_agreement_closing_the_old_assignment(db: Database, world: World) -> None:
    [old] = assignments(db, world.agreement_m1)
    moved = reassign_agreements(
        db.uow(), world.supervisor_a, [world.agreement_m1], world.m2.user_id, " Mia One is on leave "
    )

    assert moved == [Reassigned(world.agreement_m1, world.m1.user_id, world.m2.user_id)]
    closed, opened = assignments(db, world.agreement_m1)
    assert closed.id == old.id
    assert (closed.manager_id, closed.ends_at, closed.reason) == (world.m1.user_id, NOW, "opened")
    assert (opened.manager_id, opened.starts_at, opened.ends_at) == (world.m2.user_id, NOW, None)
    assert (opened.reason, opened.assigned_by) == ("Mia One is on leave", world.supervisor_a.user_id)
    agreement = fetch(db, Agreement, world.agreement_m1)
    assert agreement.manager_id == world.m2.user_id
    assert (agreement.version, agreement.updated_by) == (2, world.supervisor_a.user_id)

    entries = audit_rows(db, operation="agreement.reassign")
    by_kind = {(e.record_kind, e.action): e for e in entries}
    assert set(by_kind) == {
        ("assignment", "update"),
        ("assignment", "create"),
        ("agreement", "update"),
        ("reminder", "create"),  # the handoff the new manager acknowledges
    }
    handoff = by_kind["reminder", "create"].after
    assert handoff is not None and handoff["owner_id"] == world.m2.user_id
    assert handoff["title"].startswith("Handoff: Calhoun County Sheriff's Office")
    assert "Open holds: 0" in handoff["notes"]
    assert by_kind["assignment", "update"].before == {"ends_at": None}
    assert by_kind["assignment", "update"].after == {"ends_at": "2026-10-31T12:00:00Z"}
    assert by_kind["agreement", "update"].before == {"manager_id": world.m1.user_id}
    assert by_kind["agreement", "update"].after == {"manager_id": world.m2.user_id}
    assert all(e.actor_id == world.supervisor_a.user_id for e in entries)


def test_moving_back_and_forth_keeps_every_assignment(db: Database, world: World, clock) -> None:
    reassign_agreements(db.uow(), world.supervisor_a, [world.agreement_m1], world.m2.user_id, "leave")
    clock.now = NOW + timedelta(days=14)
    reassign_agreements(db.uow(), world.supervisor_a, [world.agreement_m1], world.m1.user_id, "back")

    history = assignments(db, world.agreement_m1)
    assert [(a.manager_id, a.reason) for a in history] == [
        (world.m1.user_id, "opened"),
        (world.m2.user_id, "leave"),
        (world.m1.user_id, "back"),
    ]
    assert [a.ends_at for a in history] == [NOW, NOW + timedelta(days=14), None]
    assert fetch(db, Agreement, world.agreement_m1).manager_id == world.m1.user_id


def test_several_agreements_move_in_one_transaction(db: Database, world: World) -> None:
    agency_id = add_agency(db, "FL", "Gulf County Sheriff's Office")
    second = add_agreement(db, agency_id, world.office_a, world.m1.user_id)
    moved = reassign_agreements(
        db.uow(),
        world.supervisor_a,
        [world.agreement_m1, second, world.agreement_m1],
        world.m2.user_id,
        "split",
    )
    assert [m.agreement_id for m in moved] == [world.agreement_m1, second]
    for agreement_id in (world.agreement_m1, second):
        assert fetch(db, Agreement, agreement_id).manager_id == world.m2.user_id
        assert [a.ends_at is None for a in assignments(db, agreement_id)] == [False, True]


def test_moving_to_the_current_manager_changes_nothing(db: Database, world: World) -> None:
    seq = last_seq(db)
    assert (
        reassign_agreements(db.uow(), world.supervisor_a, [world.agreement_m1], world.m1.user_id, "x") == []
    )
    assert len(assignments(db, world.agreement_m1)) == 1
    assert audit_rows(db, after_seq=seq) == []


def test_moving_to_a_manager_of_another_field_office_is_refused(db: Database, world: World) -> None:
    with refused_without_writing(db, PermissionDenied, denied=True) as refused:
        reassign_agreements(db.uow(), world.supervisor_a, [world.agreement_m1], world.manager_b.user_id, "x")
    assert str(refused.value) == "Sam Super cannot move agreements to a manager in another field office"
    [denial] = audit_rows(db, action="denied")
    assert (denial.operation, denial.actor_id) == ("agreement.reassign", world.supervisor_a.user_id)


def test_supervisor_cannot_move_an_agreement_of_another_field_office(db: Database, world: World) -> None:
    with refused_without_writing(db, PermissionDenied, denied=True) as refused:
        reassign_agreements(db.uow(), world.supervisor_b, [world.agreement_m1], world.manager_b.user_id, "x")
    assert str(refused.value) == "Bo Super cannot reassign this agreement in another field office"


def test_one_foreign_agreement_refuses_the_whole_move(db: Database, world: World) -> None:
    with refused_without_writing(db, PermissionDenied, denied=True):
        reassign_agreements(
            db.uow(), world.supervisor_a, [world.agreement_m1, world.agreement_b], world.m2.user_id, "x"
        )
    assert fetch(db, Agreement, world.agreement_m1).manager_id == world.m1.user_id


@pytest.mark.parametrize("who", ["m1", "staff", "admin"])
def test_only_a_supervisor_reassigns(db: Database, world: World, who: str) -> None:
    actor = getattr(world, who)
    with refused_without_writing(db, PermissionDenied, denied=True) as refused:
        reassign_agreements(db.uow(), actor, [world.agreement_m1], world.m2.user_id, "I want to")
    assert str(refused.value).endswith("and cannot reassign agreements")
    [denial] = audit_rows(db, action="denied")
    assert (denial.operation, denial.actor_id) == ("agreement.reassign", actor.user_id)


def test_a_refused_role_is_audited_even_without_a_reason(db: Database, world: World) -> None:
    # Authorize first, then validate (DESIGN.md): staff learn they may not, not that a reason is missing.
    with refused_without_writing(db, PermissionDenied, denied=True):
        reassign_agreements(db.uow(), world.staff, [world.agreement_m1], world.m2.user_id, "")


@pytest.mark.parametrize("reason", ["", "   "])
def test_reason_is_required(db: Database, world: World, reason: str) -> None:
    with refused_without_writing(db, ValidationError) as refused:
        reassign_agreements(db.uow(), world.supervisor_a, [world.agreement_m1], world.m2.user_id, reason)
    assert refused.value.for_field("reason") == "reason is required"


def test_a_ten_megabyte_reason_is_refused(db: Database, world: World) -> None:
    with refused_without_writing(db, ValidationError) as refused:
        reassign_agreements(
            db.uow(), world.supervisor_a, [world.agreement_m1], world.m2.user_id, "x" * (10 * 1024 * 1024)
        )
    assert refused.value.for_field("reason") == "is 10,485,760 characters long; at most 500 fit"


def test_target_must_be_an_active_manager(db: Database, world: World) -> None:
    with refused_without_writing(db, ValidationError) as refused:
        reassign_agreements(db.uow(), world.supervisor_a, [world.agreement_m1], world.staff.user_id, "x")
    assert refused.value.for_field("manager") == "choose an active program manager to receive the agreements"


def test_at_least_one_agreement_is_needed(db: Database, world: World) -> None:
    with refused_without_writing(db, ValidationError) as refused:
        reassign_agreements(db.uow(), world.supervisor_a, [], world.m2.user_id, "x")
    assert refused.value.for_field("agreements") == "choose at least one agreement to move"


def test_unknown_agreement_is_not_found(db: Database, world: World) -> None:
    with refused_without_writing(db, NotFound) as refused:
        reassign_agreements(db.uow(), world.supervisor_a, ["no-such-id"], world.m2.user_id, "x")
    assert str(refused.value) == "the agreement was not found (it may have been deleted)"


def move_back_reminders(db: Database, manager_id: str) -> list[Reminder]:
    with db.uow() as uow:
        rows = uow.session.execute(
            select(Reminder).where(Reminder.subject_id == manager_id, Reminder.title.startswith(MOVE_BACK))
        ).scalars()
        found = list(rows)
        uow.session.expunge_all()
        return found


def test_a_leave_move_reminds_the_supervisor_to_move_back_and_the_return_settles_it(
    db: Database, world: World, clock
) -> None:
    back_on = NOW + timedelta(days=10)
    reassign_agreements(
        db.uow(), world.supervisor_a, [world.agreement_m1], world.m2.user_id, "leave", returns_at=back_on
    )
    [reminder] = move_back_reminders(db, world.m1.user_id)
    assert (reminder.owner_id, reminder.subject_kind, reminder.due_at) == (
        world.supervisor_a.user_id,
        "user",
        back_on,
    )
    assert reminder.title == f"{MOVE_BACK}1 agreement from Max Two to Mia One, who is back"
    assert "- Calhoun County Sheriff's Office" in (reminder.notes or "")
    assert reminder.state is ReminderState.OPEN

    clock.now = back_on
    reassign_agreements(db.uow(), world.supervisor_a, [world.agreement_m1], world.m1.user_id, "back")
    [settled] = move_back_reminders(db, world.m1.user_id)
    assert (settled.state, settled.completed_at) == (ReminderState.DONE, back_on)


@pytest.mark.parametrize("days", [0, -1])
def test_a_return_date_must_be_in_the_future(db: Database, world: World, days: int) -> None:
    with refused_without_writing(db, ValidationError) as refused:
        reassign_agreements(
            db.uow(), world.supervisor_a, [world.agreement_m1], world.m2.user_id, "leave",
            returns_at=NOW + timedelta(days=days),
        )  # fmt: skip
    assert refused.value.for_field("returns_at") == "the return date must be in the future"
