"""The store on a real PostgreSQL server: records through a unit of work, instants, versions, audit."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm.exc import StaleDataError

from pm_desk.domain.enums import AgreementModel, AgreementStatus, Role, TransferStatus
from pm_desk.store.audit_log import iter_chain_problems
from pm_desk.store.database import Database, open_database
from pm_desk.store.models import Agency, Agreement, AuditEntry, CustodyTransfer, FieldOffice, User

pytestmark = pytest.mark.postgres

CENTRAL = ZoneInfo("America/Chicago")
# The session speaks another time zone than UTC, so a conversion missed anywhere would show.
SESSION_IN_PACIFIC = "?options=-c%20timezone%3DAmerica/Los_Angeles"


@pytest.fixture
def pg_db(postgres_url: str, clock) -> Database:
    database = open_database(postgres_url + SESSION_IN_PACIFIC, clock=clock)
    yield database
    database.close()


def add_transfer(database: Database, detainer_issued_at: datetime, release_eligible_at: datetime) -> str:
    with database.uow() as uow:
        uow.attribute(None, "pm@example.gov", "transfer.record")
        office = FieldOffice(code="HOU", name="Houston")
        manager = User(email="pm@example.gov", name="Pat Manager", role=Role.MANAGER)
        agency = Agency(
            state="TX", name="Harris County Sheriff's Office", name_key="harris county sheriff's office"
        )
        uow.session.add_all([office, manager, agency])
        uow.session.flush()
        agreement = Agreement(
            agency_id=agency.id,
            model=AgreementModel.JAIL_ENFORCEMENT,
            status=AgreementStatus.ACTIVE,
            signed_on=date(2025, 2, 20),
            field_office_id=office.id,
            manager_id=manager.id,
        )
        uow.session.add(agreement)
        uow.session.flush()
        transfer = CustodyTransfer(
            agreement_id=agreement.id,
            subject_ref="BK-2026-0001",
            a_number="A123456789",
            detainer_issued_at=detainer_issued_at,
            release_eligible_at=release_eligible_at,
        )
        uow.session.add(transfer)
        uow.commit()
        return transfer.id


def test_records_round_trip_with_utc_instants(pg_db: Database) -> None:
    # 01:30 on the night US clocks go back: an instant only an offset makes unambiguous.
    issued = datetime(2026, 11, 1, 1, 30, tzinfo=CENTRAL).replace(fold=1)
    eligible = datetime(2026, 11, 2, 9, 15, tzinfo=timezone(timedelta(hours=5, minutes=30)))
    transfer_id = add_transfer(pg_db, issued, eligible)

    with pg_db.uow() as uow:
        found = uow.get(CustodyTransfer, transfer_id)
        assert found is not None
        assert found.detainer_issued_at == datetime(2026, 11, 1, 7, 30, tzinfo=UTC)
        assert found.release_eligible_at == datetime(2026, 11, 2, 3, 45, tzinfo=UTC)
        for instant in (found.detainer_issued_at, found.release_eligible_at, found.created_at):
            assert instant is not None and instant.utcoffset() == timedelta(0)
        assert found.status is TransferStatus.DETAINER_LODGED
        assert (found.version, found.a_number) == (1, "A123456789")
        assert uow.session.execute(text("SHOW timezone")).scalar() == "America/Los_Angeles"
        # The column really is an instant: the server agrees on the UTC wall time.
        utc_wall = uow.session.execute(
            text("SELECT detainer_issued_at AT TIME ZONE 'UTC' FROM custody_transfers")
        ).scalar()
        assert utc_wall == datetime(2026, 11, 1, 7, 30)


def test_update_raises_the_version_on_postgres(pg_db: Database, clock) -> None:
    transfer_id = add_transfer(pg_db, clock.now - timedelta(hours=30), clock.now + timedelta(hours=2))

    clock.now += timedelta(hours=5)
    pickup = clock.now
    with pg_db.uow() as uow:
        uow.attribute(None, "pm@example.gov", "transfer.pickup")
        found = uow.get(CustodyTransfer, transfer_id)
        assert found is not None
        found.pickup_at = pickup
        found.status = TransferStatus.TRANSFERRED
        uow.commit()

    with pg_db.uow() as uow:
        found = uow.get(CustodyTransfer, transfer_id)
        assert found is not None
        assert (found.version, found.status, found.pickup_at) == (2, TransferStatus.TRANSFERRED, pickup)
        assert found.updated_at == clock.now

    with pg_db.uow() as stale:
        old = stale.get(CustodyTransfer, transfer_id)
        assert old is not None
        with pg_db.uow() as other:
            newer = other.get(CustodyTransfer, transfer_id)
            assert newer is not None
            newer.notes = "picked up by ERO Houston"
            other.commit()
        old.notes = "edited from an old screen"
        with pytest.raises(StaleDataError):
            stale.commit()


def test_audit_chain_verifies_on_postgres(pg_db: Database, clock) -> None:
    transfer_id = add_transfer(pg_db, clock.now - timedelta(hours=10), clock.now + timedelta(hours=40))
    with pg_db.uow() as uow:
        found = uow.get(CustodyTransfer, transfer_id)
        assert found is not None
        found.deleted_at = uow.now()
        uow.commit()

    with pg_db.engine.connect() as connection:
        problems = list(iter_chain_problems(connection))
        actions = connection.execute(select(AuditEntry.action).order_by(AuditEntry.seq)).scalars().all()
    assert actions == ["create"] * 5 + ["delete"]
    assert problems == []

    with pg_db.engine.begin() as connection:
        connection.execute(text("UPDATE audit_entries SET actor_email = 'someone@else.gov' WHERE seq = 2"))
    with pg_db.engine.connect() as connection:
        assert [p.seq for p in iter_chain_problems(connection)] == [2]
