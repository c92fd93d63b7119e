"""Inspections and their findings, through to closing the corrective action."""

from __future__ import annotations

from datetime import date

import pytest

from builders import (
    World,
    add_finding,
    add_inspection,
    audit_rows,
    fetch,
    refused_without_writing,
    version_of,
)
from pm_desk.domain.enums import FindingSeverity, InspectionKind
from pm_desk.services.errors import PermissionDenied, ValidationError
from pm_desk.services.inspections import (
    FindingInput,
    close_finding,
    create_inspection,
    update_finding,
    update_inspection,
)
from pm_desk.services.inspections import (
    add_finding as add_finding_service,
)
from pm_desk.store.database import Database
from pm_desk.store.models import Finding, Inspection

HELD = date(2026, 10, 20)
TEN_MB = "x" * (10 * 1024 * 1024)


@pytest.fixture
def inspection(db: Database, world: World) -> str:
    return add_inspection(db, world.agreement_m1, HELD)


@pytest.fixture
def finding(db: Database, inspection: str) -> str:
    return add_finding(db, inspection, "Detainer log incomplete", corrective_due=date(2026, 11, 30))


def test_manager_records_an_inspection(db: Database, world: World) -> None:
    inspection_id = create_inspection(
        db.uow(), world.m1, world.agreement_m1, HELD, InspectionKind.FILE_REVIEW, "  Reviewed 40 files. "
    )
    inspection = fetch(db, Inspection, inspection_id)
    assert (inspection.held_on, inspection.kind, inspection.summary) == (
        HELD,
        InspectionKind.FILE_REVIEW,
        "Reviewed 40 files.",
    )
    assert (inspection.version, inspection.updated_by) == (1, world.m1.user_id)
    [entry] = audit_rows(db, operation="inspection.create")
    assert (entry.action, entry.record_kind, entry.record_id) == ("create", "inspection", inspection_id)
    assert entry.after is not None
    assert (entry.after["held_on"], entry.after["kind"]) == ("2026-10-20", "file_review")


def test_manager_corrects_an_inspection(db: Database, world: World, inspection: str) -> None:
    update_inspection(
        db.uow(), world.m1, inspection, HELD, InspectionKind.STEERING_COMMITTEE, "Met the sheriff.", 1
    )
    record = fetch(db, Inspection, inspection)
    assert (record.kind, record.summary, record.version, record.updated_by) == (
        InspectionKind.STEERING_COMMITTEE,
        "Met the sheriff.",
        2,
        world.m1.user_id,
    )
    [entry] = audit_rows(db, operation="inspection.update")
    assert entry.before == {"kind": "site_visit", "summary": None}
    assert entry.after == {"kind": "steering_committee", "summary": "Met the sheriff."}


def test_manager_adds_a_finding(db: Database, world: World, inspection: str) -> None:
    data = FindingInput(
        text=" Two officers lack a current refresher ",
        severity=FindingSeverity.HIGH,
        corrective_action="Schedule refreshers",
        corrective_due=date(2026, 11, 30),
    )
    finding_id = add_finding_service(db.uow(), world.m1, inspection, data)
    record = fetch(db, Finding, finding_id)
    assert (record.text, record.severity, record.corrective_due, record.closed_on) == (
        "Two officers lack a current refresher",
        FindingSeverity.HIGH,
        date(2026, 11, 30),
        None,
    )
    assert (record.version, record.updated_by) == (1, world.m1.user_id)
    [entry] = audit_rows(db, operation="finding.create")
    assert (entry.action, entry.record_kind) == ("create", "finding")
    assert entry.after is not None
    assert entry.after["severity"] == "high"


def test_manager_updates_a_finding(db: Database, world: World, finding: str) -> None:
    data = FindingInput(
        text="Detainer log incomplete",
        corrective_action="Supervisor reviews the log weekly",
        corrective_due=date(2026, 12, 15),
    )
    update_finding(db.uow(), world.m1, finding, data, expected_version=1)
    record = fetch(db, Finding, finding)
    assert (record.corrective_action, record.corrective_due, record.version) == (
        "Supervisor reviews the log weekly",
        date(2026, 12, 15),
        2,
    )
    [entry] = audit_rows(db, operation="finding.update")
    assert entry.before == {"corrective_action": None, "corrective_due": "2026-11-30"}
    assert entry.after == {
        "corrective_action": "Supervisor reviews the log weekly",
        "corrective_due": "2026-12-15",
    }


def test_closing_a_finding_dates_it_today(db: Database, world: World, finding: str) -> None:
    close_finding(db.uow(), world.supervisor_a, finding)
    record = fetch(db, Finding, finding)
    assert (record.closed_on, record.version, record.updated_by) == (
        date(2026, 10, 31),
        2,
        world.supervisor_a.user_id,
    )
    [entry] = audit_rows(db, operation="finding.close")
    assert (entry.action, entry.record_id) == ("update", finding)
    assert entry.before == {"closed_on": None}
    assert entry.after == {"closed_on": "2026-10-31"}


# --- refusals for permission ----------------------------------------------------------------------


@pytest.mark.parametrize("who", ["m2", "supervisor_b", "staff", "admin"])
def test_others_cannot_record_inspections_of_m1s_agreement(db: Database, world: World, who: str) -> None:
    with refused_without_writing(db, PermissionDenied, denied=True):
        create_inspection(db.uow(), getattr(world, who), world.agreement_m1, HELD, InspectionKind.SITE_VISIT)
    [denial] = audit_rows(db, action="denied")
    assert (denial.operation, denial.record_id) == ("inspection.create", world.agreement_m1)


def test_m2_cannot_change_m1s_inspection_or_findings(
    db: Database, world: World, inspection: str, finding: str
) -> None:
    calls = [
        lambda: update_inspection(
            db.uow(),
            world.m2,
            inspection,
            HELD,
            InspectionKind.FILE_REVIEW,
            "x",
            expected_version=version_of(db, "inspection", inspection),
        ),
        lambda: add_finding_service(db.uow(), world.m2, inspection, FindingInput(text="x")),
        lambda: update_finding(
            db.uow(),
            world.m2,
            finding,
            FindingInput(text="x"),
            expected_version=version_of(db, "finding", finding),
        ),
        lambda: close_finding(db.uow(), world.m2, finding),
    ]
    for call in calls:
        with refused_without_writing(db, PermissionDenied, denied=True) as refused:
            call()
        assert str(refused.value).endswith("it is in Mia One's caseload, not yours")
    assert [d.operation for d in audit_rows(db, action="denied")] == [
        "inspection.update",
        "finding.create",
        "finding.update",
        "finding.close",
    ]


# --- validation -----------------------------------------------------------------------------------


def test_inspection_needs_a_date(db: Database, world: World) -> None:
    with refused_without_writing(db, ValidationError) as refused:
        create_inspection(db.uow(), world.m1, world.agreement_m1, None, InspectionKind.SITE_VISIT)  # type: ignore[arg-type]
    assert refused.value.for_field("held_on") == "date is required"


def test_inspection_cannot_be_in_the_future(db: Database, world: World, inspection: str) -> None:
    with refused_without_writing(db, ValidationError) as refused:
        create_inspection(
            db.uow(), world.m1, world.agreement_m1, date(2026, 11, 3), InspectionKind.SITE_VISIT
        )
    assert (
        refused.value.for_field("held_on") == "is in the future (2026-11-03); record it when it has happened"
    )
    with refused_without_writing(db, ValidationError) as refused:
        update_inspection(
            db.uow(),
            world.m1,
            inspection,
            date(2026, 11, 3),
            InspectionKind.SITE_VISIT,
            None,
            expected_version=version_of(db, "inspection", inspection),
        )
    assert (
        refused.value.for_field("held_on") == "is in the future (2026-11-03); record it when it has happened"
    )


def test_a_ten_megabyte_inspection_summary_is_refused(db: Database, world: World) -> None:
    with refused_without_writing(db, ValidationError) as refused:
        create_inspection(db.uow(), world.m1, world.agreement_m1, HELD, InspectionKind.SITE_VISIT, TEN_MB)
    assert refused.value.for_field("summary") == "is 10,485,760 characters long; at most 20,000 fit"


def test_finding_needs_its_text(db: Database, world: World, inspection: str) -> None:
    with refused_without_writing(db, ValidationError) as refused:
        add_finding_service(db.uow(), world.m1, inspection, FindingInput(text="   "))
    assert refused.value.for_field("text") == "finding is required"


def test_finding_dates_cannot_precede_the_inspection_or_be_in_the_future(
    db: Database, world: World, inspection: str
) -> None:
    data = FindingInput(text="Log incomplete", corrective_due=date(2026, 10, 1), closed_on=date(2026, 10, 19))
    with refused_without_writing(db, ValidationError) as refused:
        add_finding_service(db.uow(), world.m1, inspection, data)
    assert refused.value.for_field("corrective_due") == "cannot be before the inspection"
    assert refused.value.for_field("closed_on") == "cannot be before the inspection"
    with refused_without_writing(db, ValidationError) as refused:
        add_finding_service(
            db.uow(), world.m1, inspection, FindingInput(text="x", closed_on=date(2026, 11, 1))
        )
    assert (
        refused.value.for_field("closed_on")
        == "is in the future (2026-11-01); record it when it has happened"
    )


@pytest.mark.parametrize("field", ["text", "corrective_action"])
def test_ten_megabytes_in_a_finding_are_refused(db: Database, world: World, finding: str, field: str) -> None:
    data = FindingInput(text="Detainer log incomplete")
    setattr(data, field, TEN_MB)
    with refused_without_writing(db, ValidationError) as refused:
        update_finding(db.uow(), world.m1, finding, data, expected_version=version_of(db, "finding", finding))
    assert refused.value.for_field(field) == "is 10,485,760 characters long; at most 20,000 fit"


def test_closing_a_closed_finding_is_refused(db: Database, world: World, finding: str) -> None:
    close_finding(db.uow(), world.m1, finding, date(2026, 10, 25))
    with refused_without_writing(db, ValidationError) as refused:
        close_finding(db.uow(), world.m1, finding)
    assert refused.value.for_field("closed_on") == "the finding was already closed on 2026-10-25"


def test_a_finding_cannot_close_before_its_inspection_or_in_the_future(
    db: Database, world: World, finding: str
) -> None:
    with refused_without_writing(db, ValidationError) as refused:
        close_finding(db.uow(), world.m1, finding, date(2026, 10, 19))
    assert refused.value.for_field("closed_on") == "cannot be before the inspection"
    with refused_without_writing(db, ValidationError) as refused:
        close_finding(db.uow(), world.m1, finding, date(2026, 11, 1))
    assert (
        refused.value.for_field("closed_on")
        == "is in the future (2026-11-01); record it when it has happened"
    )
