"""`compliance_results` over a real store: one record tripping each rule, the keys and due dates of
DESIGN.md, the manager of each result, the sort order, and the `--manager` filter."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from builders import (
    World,
    add_agency,
    add_agreement,
    add_complaint,
    add_finding,
    add_inspection,
    add_officer,
    add_order,
    add_training,
    add_transfer,
    set_capacity,
)
from pm_desk.domain.enums import (
    AgreementModel,
    AgreementStatus,
    AuthorityStatus,
    EquipmentItem,
    InspectionKind,
)
from pm_desk.domain.enums import TransferStatus as TS
from pm_desk.domain.policy import Policy
from pm_desk.domain.scope import PROGRAM, caseload_of
from pm_desk.services.actor import actor_for_email
from pm_desk.services.compliance import OUTPUT_FIELDS, ComplianceItem, compliance_results
from pm_desk.services.compliance_export import compliance_rows
from pm_desk.services.errors import NotFound
from pm_desk.services.reassignment import reassign_agreements
from pm_desk.store.database import Database

AS_OF = datetime(2026, 10, 31, 12, 0, tzinfo=UTC)
EASTERN = timezone(timedelta(hours=-4))
CALHOUN = "FL|Calhoun County Sheriff's Office"
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
INSTANT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")


@dataclass(frozen=True)
class Program:
    """The ids of the records that trip a rule, by what they trip."""

    ids: dict[str, str]

    def __getitem__(self, name: str) -> str:
        return self.ids[name]


def officer_with_training(
    db: Database, world: World, badge: str, initial: date, refresher: date | None
) -> str:
    officer_id = add_officer(
        db, world.agreement_m1, badge, initial_on=initial, nominated_on=date(2024, 1, 10)
    )
    if refresher is not None:
        add_training(db, officer_id, "refresher", refresher)
    return officer_id


@pytest.fixture
def program(db: Database, world: World) -> Program:
    ids: dict[str, str] = {}
    a, b = world.office_a, world.office_b
    m1, m2, mb = world.m1.user_id, world.m2.user_id, world.manager_b.user_id

    # Officers of m1's Calhoun agreement.
    ids["refresher_due_soon"] = officer_with_training(db, world, "R-1", date(2025, 3, 1), date(2025, 11, 10))
    ids["refresher_overdue"] = officer_with_training(db, world, "R-2", date(2025, 10, 21), None)
    ids["revocation_due"] = officer_with_training(db, world, "R-3", date(2024, 6, 1), date(2025, 9, 21))
    ids["waiting"] = add_officer(
        db,
        world.agreement_m1,
        "W-1",
        status=AuthorityStatus.NOMINATED,
        nominated_on=date(2026, 8, 15),
        initial_on=None,
    )
    # Revoked already: the refresher rule no longer applies to him.
    add_officer(db, world.agreement_m1, "X-1", status=AuthorityStatus.REVOKED, initial_on=date(2024, 1, 5))
    # A course that is neither initial nor refresher does not renew the refresher clock.
    ids["other_course"] = officer_with_training(db, world, "R-4", date(2025, 10, 1), None)
    add_training(db, ids["other_course"], "firearms", date(2026, 9, 1))

    # Agreements.
    gulf = add_agency(db, "FL", "Gulf County Sheriff's Office")
    ids["equipment_late"] = add_agreement(
        db, gulf, a, m1, signed_on=date(2026, 4, 24), effective_on=date(2026, 4, 24)
    )
    holmes = add_agency(db, "FL", "Holmes County Sheriff's Office")
    ids["equipment_alarm"] = add_agreement(
        db,
        holmes,
        a,
        m2,
        model=AgreementModel.TASK_FORCE,
        status=AgreementStatus.SIGNED,
        signed_on=date(2026, 4, 1),
        effective_on=date(2026, 4, 1),
    )
    # One order operational of two: the agency is not operational yet.
    add_order(
        db,
        ids["equipment_alarm"],
        EquipmentItem.WORKSTATION,
        requested_on=date(2026, 4, 2),
        ordered_on=date(2026, 4, 3),
        shipped_on=date(2026, 5, 1),
        delivered_on=date(2026, 5, 5),
        operational_on=date(2026, 5, 6),
    )
    add_order(db, ids["equipment_alarm"], EquipmentItem.NETWORK_CIRCUIT, requested_on=date(2026, 4, 2))
    jackson = add_agency(db, "FL", "Jackson County Sheriff's Office")
    operational = add_agreement(db, jackson, a, m1, signed_on=date(2026, 1, 1), effective_on=date(2026, 1, 1))
    add_order(db, operational, operational_on=date(2026, 3, 1), requested_on=date(2026, 1, 5))
    liberty = add_agency(db, "FL", "Liberty County Sheriff's Office")
    ids["renewal_overdue"] = add_agreement(
        db, liberty, a, m1, status=AgreementStatus.SIGNED, expires_on=date(2026, 10, 1)
    )
    fulton = add_agency(db, "GA", "Fulton County Sheriff's Office")
    ids["renewal_due_soon"] = add_agreement(db, fulton, b, mb, expires_on=date(2027, 1, 15))
    walton = add_agency(db, "FL", "Walton County Sheriff's Office")
    ids["steering_overdue"] = add_agreement(
        db, walton, a, m2, signed_on=date(2025, 9, 1), effective_on=date(2025, 9, 1)
    )
    add_order(db, ids["steering_overdue"], requested_on=date(2025, 9, 2), operational_on=date(2025, 12, 1))
    wakulla = add_agency(db, "FL", "Wakulla County Sheriff's Office")
    ids["steering_due_soon"] = add_agreement(
        db, wakulla, a, m1, signed_on=date(2025, 3, 1), effective_on=date(2025, 3, 1)
    )
    add_order(db, ids["steering_due_soon"], requested_on=date(2025, 3, 2), operational_on=date(2025, 6, 1))
    # The committee met after the agreement took effect: the year runs from the meeting.
    add_inspection(db, ids["steering_due_soon"], date(2025, 11, 20), InspectionKind.STEERING_COMMITTEE)

    # Transfers of m1's Calhoun agreement.
    ids["hold_due_soon"] = add_transfer(
        db,
        world.agreement_m1,
        "BK-1",
        datetime(2026, 10, 29, 10, 0, tzinfo=EASTERN),
        datetime(2026, 10, 29, 16, 0, tzinfo=UTC),
        TS.AWAITING_PICKUP,
    )
    ids["hold_breached"] = add_transfer(
        db,
        world.agreement_m1,
        "BK-2",
        datetime(2026, 10, 27, 9, 30, tzinfo=UTC),
        datetime(2026, 10, 28, 9, 0, tzinfo=UTC),
    )
    add_transfer(
        db,
        world.agreement_m1,
        "BK-3",
        datetime(2026, 10, 27, 9, 30, tzinfo=UTC),
        datetime(2026, 10, 28, 9, 0, tzinfo=UTC),
        TS.TRANSFERRED,
        pickup_at=datetime(2026, 10, 31, 9, 0, tzinfo=UTC),
    )
    add_transfer(
        db, world.agreement_m1, "BK-4", datetime(2026, 10, 30, 9, 0, tzinfo=UTC)
    )  # no release time yet
    add_transfer(
        db,
        world.agreement_m1,
        "BK-5",
        datetime(2026, 10, 20, 9, 0, tzinfo=UTC),
        datetime(2026, 10, 21, 9, 0, tzinfo=UTC),
        deleted_at=datetime(2026, 10, 22, 9, 0, tzinfo=UTC),
    )

    # Findings of m2's Bay agreement.
    inspection = add_inspection(db, world.agreement_m2, date(2026, 9, 1))
    ids["finding_overdue"] = add_finding(db, inspection, "Detainer log incomplete", date(2026, 10, 15))
    add_finding(db, inspection, "Files unlocked", date(2026, 10, 15), closed_on=date(2026, 10, 10))
    add_finding(db, inspection, "Refresher roster missing", date(2026, 11, 15))

    # Complaints.
    ids["report_late"] = add_complaint(
        db,
        world.agreement_m1,
        datetime(2026, 10, 19, 10, 0, tzinfo=UTC),
        reported_at=datetime(2026, 10, 22, 10, 0, tzinfo=UTC),
    )
    ids["resolution_overdue"] = add_complaint(
        db,
        world.agreement_m1,
        datetime(2026, 7, 6, 15, 0, tzinfo=UTC),
        reported_at=datetime(2026, 7, 7, 9, 0, tzinfo=UTC),
    )
    ids["unreported"] = add_complaint(db, world.agreement_b, datetime(2026, 10, 28, 9, 0, tzinfo=UTC))
    add_complaint(
        db,
        world.agreement_m1,
        datetime(2026, 6, 1, 9, 0, tzinfo=UTC),
        reported_at=datetime(2026, 6, 2, 9, 0, tzinfo=UTC),
        closed_on=date(2026, 8, 1),
    )

    # m2 carries Bay (task force, one authorized officer), Holmes (task force) and Walton (jail):
    # 1.52 + 1.5 + 1.0 = 4.02 units on a capacity of 3.
    set_capacity(db, m2, 3.0)
    return Program(ids)


def expected_program(world: World, p: Program) -> list[dict[str, str | None]]:
    m1, m2, mb = world.m1.email, world.m2.email, world.manager_b.email

    def row(rule: str, status: str, record: str, id_: str, key: str, due: str | None, manager: str) -> dict:
        return dict(zip(OUTPUT_FIELDS, (rule, status, record, id_, key, due, manager), strict=True))

    return [
        row(
            "complaint",
            "resolution_overdue",
            "complaint",
            p["resolution_overdue"],
            f"{CALHOUN}|jail_enforcement|2026-07-06T15:00:00Z",
            "2026-10-04",
            m1,
        ),
        row(
            "complaint",
            "report_late",
            "complaint",
            p["report_late"],
            f"{CALHOUN}|jail_enforcement|2026-10-19T10:00:00Z",
            "2026-10-21T10:00:00Z",
            m1,
        ),
        row(
            "complaint",
            "report_late",
            "complaint",
            p["unreported"],
            "GA|Cobb County Sheriff's Office|jail_enforcement|2026-10-28T09:00:00Z",
            "2026-10-30T09:00:00Z",
            mb,
        ),
        row(
            "equipment",
            "late",
            "agreement",
            p["equipment_late"],
            "FL|Gulf County Sheriff's Office|jail_enforcement",
            "2026-04-24",
            m1,
        ),
        row(
            "equipment",
            "alarm",
            "agreement",
            p["equipment_alarm"],
            "FL|Holmes County Sheriff's Office|task_force",
            "2026-04-01",
            m2,
        ),
        row(
            "finding",
            "overdue",
            "finding",
            p["finding_overdue"],
            "FL|Bay County Sheriff's Office|task_force|2026-09-01|site_visit|Detainer log incomplete",
            "2026-10-15",
            m2,
        ),
        row(
            "hold",
            "due_soon",
            "transfer",
            p["hold_due_soon"],
            f"{CALHOUN}|jail_enforcement|BK-1|2026-10-29T14:00:00Z",
            "2026-10-31T16:00:00Z",
            m1,
        ),
        row(
            "hold",
            "breached",
            "transfer",
            p["hold_breached"],
            f"{CALHOUN}|jail_enforcement|BK-2|2026-10-27T09:30:00Z",
            "2026-10-30T09:00:00Z",
            m1,
        ),
        row("initial_training", "waiting", "officer", p["waiting"], f"{CALHOUN}|W-1", "2026-08-15", m1),
        row("load", "overload", "user", world.m2.user_id, m2, None, m2),
        row("refresher", "due_soon", "officer", p["refresher_due_soon"], f"{CALHOUN}|R-1", "2026-11-10", m1),
        row("refresher", "overdue", "officer", p["refresher_overdue"], f"{CALHOUN}|R-2", "2026-10-21", m1),
        row("refresher", "overdue", "officer", p["revocation_due"], f"{CALHOUN}|R-3", "2026-09-21", m1),
        row("refresher", "overdue", "officer", p["other_course"], f"{CALHOUN}|R-4", "2026-10-01", m1),
        row(
            "renewal",
            "overdue",
            "agreement",
            p["renewal_overdue"],
            "FL|Liberty County Sheriff's Office|jail_enforcement",
            "2026-10-01",
            m1,
        ),
        row(
            "renewal",
            "due_soon",
            "agreement",
            p["renewal_due_soon"],
            "GA|Fulton County Sheriff's Office|jail_enforcement",
            "2027-01-15",
            mb,
        ),
        row(
            "revocation", "revocation_due", "officer", p["revocation_due"], f"{CALHOUN}|R-3", "2026-09-21", m1
        ),
        row(
            "steering_committee",
            "due_soon",
            "agreement",
            p["steering_due_soon"],
            "FL|Wakulla County Sheriff's Office|jail_enforcement",
            "2026-11-20",
            m1,
        ),
        row(
            "steering_committee",
            "overdue",
            "agreement",
            p["steering_overdue"],
            "FL|Walton County Sheriff's Office|jail_enforcement",
            "2026-09-01",
            m2,
        ),
    ]


def results(
    db: Database, policy: Policy, as_of: datetime = AS_OF, manager: str | None = None
) -> list[ComplianceItem]:
    with db.uow() as uow:
        scope = caseload_of(actor_for_email(uow, manager).user_id) if manager else PROGRAM
        return compliance_results(uow, policy, as_of, scope)


def test_a_quiet_world_has_nothing_to_report(db: Database, world: World, policy: Policy) -> None:
    assert results(db, policy) == []


def test_each_rule_reports_its_record_with_key_due_and_manager_in_order(
    db: Database, world: World, program: Program, policy: Policy
) -> None:
    items = results(db, policy)
    assert [item.as_output() for item in items] == expected_program(world, program)


def test_results_are_sorted_by_rule_then_key(
    db: Database, world: World, program: Program, policy: Policy
) -> None:
    items = results(db, policy)
    assert [(i.rule, i.key) for i in items] == sorted((i.rule, i.key) for i in items)


def test_due_is_an_iso_date_or_a_utc_instant(
    db: Database, world: World, program: Program, policy: Policy
) -> None:
    for output in (item.as_output() for item in results(db, policy)):
        due = output["due"]
        if output["rule"] == "load":
            assert due is None
        elif output["rule"] == "hold" or output["status"] == "report_late":
            assert due is not None
            assert INSTANT.fullmatch(due), output
        else:
            assert due is not None
            assert DATE.fullmatch(due), output


def test_results_carry_the_figures_people_need(
    db: Database, world: World, program: Program, policy: Policy
) -> None:
    by_id_rule = {(i.id, i.rule): i for i in results(db, policy)}
    waiting = by_id_rule[program["waiting"], "initial_training"]
    assert waiting.detail["days_waiting"] == 77
    assert waiting.detail["next_class_id"] == world.training_class
    assert waiting.detail["next_class_free_seats"] == 2
    assert by_id_rule[program["hold_due_soon"], "hold"].detail["hours_left"] == 4.0
    assert by_id_rule[program["hold_breached"], "hold"].detail["hours_over"] == 27.0
    assert by_id_rule[program["equipment_alarm"], "equipment"].detail["days"] == 213
    load = by_id_rule[world.m2.user_id, "load"]
    assert (load.detail["units"], load.detail["capacity"], load.detail["load"]) == (4.02, 3.0, 1.34)
    assert by_id_rule[program["revocation_due"], "revocation"].detail["revoke_by"] == date(2026, 10, 21)


def test_as_of_with_an_offset_is_the_same_instant(
    db: Database, world: World, program: Program, policy: Policy
) -> None:
    same_instant = datetime(2026, 10, 31, 8, 0, tzinfo=EASTERN)
    assert results(db, policy, same_instant) == results(db, policy)


def test_manager_filter_keeps_only_his_caseload(
    db: Database, world: World, program: Program, policy: Policy
) -> None:
    expected = [row for row in expected_program(world, program) if row["manager"] == world.m2.email]
    items = results(db, policy, manager=" MAX.TWO@ice.example.gov ")
    assert [item.as_output() for item in items] == expected
    assert [item.rule for item in items] == ["equipment", "finding", "load", "steering_committee"]


@pytest.mark.parametrize("who", ["m1", "manager_b"])
def test_every_manager_sees_exactly_his_share(
    db: Database, world: World, program: Program, policy: Policy, who: str
) -> None:
    email = getattr(world, who).email
    expected = [row for row in expected_program(world, program) if row["manager"] == email]
    assert expected
    assert [item.as_output() for item in results(db, policy, manager=email)] == expected


def test_unknown_manager_email_is_not_found(db: Database, world: World, policy: Policy) -> None:
    with pytest.raises(NotFound) as refused:
        compliance_rows(db.uow(), policy, AS_OF, manager_email="nobody@ice.example.gov")
    assert str(refused.value) == "no user with the email 'nobody@ice.example.gov'"


def test_a_reassigned_agreement_reports_under_its_new_manager(
    db: Database, world: World, program: Program, policy: Policy
) -> None:
    reassign_agreements(
        db.uow(), world.supervisor_a, [program["equipment_alarm"]], world.m1.user_id, "balance"
    )

    alarm = next(i for i in results(db, policy) if i.id == program["equipment_alarm"])
    assert alarm.manager == world.m1.email
    assert program["equipment_alarm"] in {i.id for i in results(db, policy, manager=world.m1.email)}
    m2_items = results(db, policy, manager=world.m2.email)
    assert program["equipment_alarm"] not in {i.id for i in m2_items}
    # Bay (1.52) and Walton (1.0) on 3: no longer over capacity.
    assert "load" not in {i.rule for i in m2_items}


def test_a_day_later_the_due_soon_hold_is_breached(
    db: Database, world: World, program: Program, policy: Policy
) -> None:
    later = {
        i.id: i.status for i in results(db, policy, AS_OF + timedelta(hours=4, seconds=1)) if i.rule == "hold"
    }
    assert later == {program["hold_due_soon"]: "breached", program["hold_breached"]: "breached"}
