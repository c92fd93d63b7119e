"""The detail panel's data, built from one spec per kind of record."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import inspect

from builders import add_class, add_enrollment, add_order, add_training, seed_world, seeding
from pm_desk.domain.enums import Course, EnrollmentResult, EquipmentItem
from pm_desk.store.database import Database
from pm_desk.store.models import Agency, Agreement, Enrollment, model_for
from pm_desk.store.queries.detail_spec import FieldSpec
from pm_desk.store.queries.details import DETAILS, record_detail


def _columns(model: type) -> set[str]:
    return {attr.key for attr in inspect(model).mapper.column_attrs} | {
        name for name, value in vars(model).items() if isinstance(value, property)
    }


@pytest.mark.parametrize("kind", sorted(DETAILS))
def test_every_field_named_by_its_attribute_exists(kind: str) -> None:
    spec = DETAILS[kind]
    assert spec.kind == kind
    owners = {"": model_for(spec.kind), "agreement": Agreement, "agency": Agency}
    named = [f for f in spec.fields if isinstance(f.value, str)]
    for shown in named:
        assert isinstance(shown, FieldSpec) and isinstance(shown.value, str)
        owner, _dot, name = shown.value.rpartition(".")
        assert name in _columns(owners[owner]), f"{kind}: {shown.label} reads {shown.value}"


def test_an_agreement_shows_its_manager_officers_and_equipment(db: Database) -> None:
    world = seed_world(db)
    order = add_order(db, world.agreement_m1, EquipmentItem.PRINTER, requested_on=date(2026, 9, 1))
    with db.uow() as uow:
        detail = record_detail(uow.session, "agreement", world.agreement_m1)
    assert detail is not None
    assert (detail.kind, detail.title, detail.agreement_id) == (
        "agreement",
        "Calhoun County Sheriff's Office",
        world.agreement_m1,
    )
    fields = {label: value for label, value, _display in detail.fields}
    assert fields["Manager"] == "Mia One"
    assert fields["Field office"] == "Miami"
    sections = {section.title: section for section in detail.sections}
    assert sections["Officers"].rows == [("authorized", 1)]
    assert sections["Equipment"].ids == [order] and sections["Equipment"].kind == "equipment_order"
    assert sections["Equipment"].rows == [("printer", date(2026, 9, 1), None, None)]
    assert [row[0] for row in sections["Managers"].rows] == ["Mia One"]


def test_a_class_counts_the_seats_that_enrollments_hold(db: Database) -> None:
    world = seed_world(db)
    class_id = add_class(db, date(2027, 1, 4), date(2027, 1, 29), seats=3)
    held = add_enrollment(db, world.officer_m1, class_id)
    add_enrollment(db, world.officer_m2, class_id, EnrollmentResult.WITHDRAWN)
    gone = add_enrollment(db, world.officer_b, class_id, EnrollmentResult.COMPLETED)
    with seeding(db) as uow:
        enrollment = uow.session.get(Enrollment, gone)
        assert enrollment is not None
        enrollment.deleted_at = uow.now()
    with db.uow() as uow:
        detail = record_detail(uow.session, "training_class", class_id)
    assert detail is not None and detail.agreement_id is None
    fields = {label: value for label, value, _display in detail.fields}
    assert (fields["Seats"], fields["Taken"], fields["Free"]) == (3, 1, 2)
    (section,) = detail.sections
    assert len(section.ids) == 2 and held in section.ids and section.kind == "enrollment"


def test_an_officer_lists_his_training_with_ids(db: Database) -> None:
    world = seed_world(db)
    record = add_training(db, world.officer_m1, Course.REFRESHER.value, date(2026, 9, 1))
    with db.uow() as uow:
        detail = record_detail(uow.session, "officer", world.officer_m1)
    assert detail is not None
    training = next(s for s in detail.sections if s.title == "Training")
    assert (
        len(training.ids) == 2
        and training.ids[0] == record
        and training.rows[0][:2] == ("refresher", date(2026, 9, 1))
    )
    assert detail.subtitle == "Calhoun County Sheriff's Office, FL — jail enforcement"


def test_no_detail_for_a_kind_without_a_panel_or_a_deleted_record(db: Database) -> None:
    world = seed_world(db)
    order = add_order(db, world.agreement_m1)
    with seeding(db) as uow:
        record = uow.session.get(model_for("equipment_order"), order)
        assert record is not None
        record.deleted_at = uow.now()
    with db.uow() as uow:
        assert record_detail(uow.session, "user", world.m1.user_id) is None
        assert record_detail(uow.session, "equipment_order", order) is None
        assert record_detail(uow.session, "officer", "no-such-id") is None
