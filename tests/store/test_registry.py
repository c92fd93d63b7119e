"""The map from kinds of record to their tables: one model per kind, found by the kind's name."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from pm_desk.domain.enums import RecordKind, Role
from pm_desk.services.reminders import SUBJECT_KINDS
from pm_desk.services.trash import DELETABLE
from pm_desk.store.database import Database
from pm_desk.store.models import AuditEntry, Base, Record, User, model_for, models_by_kind

# Tables that hold facts about the store itself, not records of the domain.
NOT_RECORDS = {"app_meta", "audit_entries"}


@pytest.mark.parametrize("kind", list(RecordKind))
def test_every_kind_maps_to_the_model_that_names_it(kind: RecordKind) -> None:
    model = model_for(kind)
    assert model.record_kind is kind
    assert model_for(kind.value) is model


def test_every_record_table_belongs_to_one_kind() -> None:
    record_tables = {
        mapper.class_.__tablename__ for mapper in Base.registry.mappers if issubclass(mapper.class_, Record)
    }
    assert record_tables == set(Base.metadata.tables) - NOT_RECORDS
    tables = [model.__tablename__ for model in models_by_kind().values()]  # type: ignore[attr-defined]
    assert sorted(tables) == sorted(record_tables)


def test_a_name_that_is_no_kind_of_record_is_not_found() -> None:
    with pytest.raises(KeyError):
        model_for("spaceship")


@pytest.mark.parametrize("kinds", [DELETABLE, SUBJECT_KINDS], ids=["deletable", "reminder subjects"])
def test_the_kinds_services_accept_all_have_tables(kinds: frozenset[RecordKind]) -> None:
    assert kinds and all(model_for(kind).record_kind is kind for kind in kinds)


def test_the_audit_trail_names_the_kind_as_plain_text(db: Database) -> None:
    with db.uow() as uow:
        uow.attribute(None, "admin@example.gov", "user.create")
        uow.session.add(User(email="pm@example.gov", name="Pat Manager", role=Role.MANAGER))
        uow.commit()
    with db.engine.connect() as connection:
        stored = connection.execute(select(AuditEntry.record_kind)).scalars().all()
    assert stored == ["user"]
    assert all(type(kind) is str for kind in stored)
