"""Closed months stay closed: filing archives a monthly report; regenerating it shows changes."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from expected import busiest_manager
from report_pdfs import NOVEMBER, generated, pdf_text
from sqlalchemy import select

from builders import version_of
from pm_desk.domain.actor import Actor
from pm_desk.domain.enums import Role
from pm_desk.reports.generate import ReportOutput, ReportRequest, generate_report
from pm_desk.services.actor import actor_for_email
from pm_desk.services.errors import Conflict, PermissionDenied, ValidationError
from pm_desk.services.filing import file_monthly_report, unsynced_record_count
from pm_desk.services.officers import revoke_authority
from pm_desk.store.database import Database
from pm_desk.store.models import AppMeta, AuditEntry, FiledReport
from support import FakeClock

OCTOBER = date(2026, 10, 1)


def actor_with_role(db: Database, role: Role) -> Actor:
    with sqlite3.connect(db.database) as connection:
        email = connection.execute(
            "SELECT email FROM users WHERE role = ? ORDER BY email", (role.value,)
        ).fetchone()[0]
    with db.uow() as uow:
        return actor_for_email(uow, email)


def october(db: Database, policy, manager: str) -> ReportOutput:
    request = ReportRequest("monthly", month=OCTOBER, manager_email=manager)
    return generate_report(db, policy, request, generated(NOVEMBER))


def file(db: Database, actor: Actor, policy, output: ReportOutput, amend: bool = False):
    digest = hashlib.sha256(output.pdf).hexdigest()
    assert output.monthly is not None
    return file_monthly_report(db.uow(), actor, policy, output.monthly, digest, "/reports/october.pdf", amend)


@pytest.fixture
def manager(small_db: Database, clock: FakeClock) -> str:
    clock.now = NOVEMBER
    return busiest_manager(Path(small_db.database))


def test_filing_archives_content_hash_data_instant_and_unsynced_count(
    small_db: Database, policy, manager
) -> None:
    supervisor = actor_with_role(small_db, Role.SUPERVISOR)
    with small_db.uow() as uow:
        unsynced = unsynced_record_count(uow.session)
    output = october(small_db, policy, manager)
    filed = file(small_db, supervisor, policy, output)
    with small_db.uow() as uow:
        row = uow.session.execute(select(FiledReport)).scalar_one()
        uow.session.expunge(row)
    assert row.kind == "monthly" and (row.period_start, row.period_end) == (OCTOBER, date(2026, 10, 31))
    assert row.content_hash == hashlib.sha256(row.content.encode("utf-8")).hexdigest() == filed.content_hash
    assert row.data_as_of == NOVEMBER and row.filed_at == NOVEMBER and row.filed_by == supervisor.user_id
    assert row.pdf_sha256 == hashlib.sha256(output.pdf).hexdigest()
    assert row.unsynced_records == unsynced == filed.unsynced_records
    content = json.loads(row.content)
    assert content["as_of"] == "2026-10-31T23:59:59Z" and content["manager"] == manager
    assert set(content["revocations_due"]) == {r.key for r in output.monthly.revocations}


def test_unsynced_records_count_what_was_written_after_the_sync_marker(small_db: Database) -> None:
    with small_db.uow() as uow:
        before = unsynced_record_count(uow.session)
        last = uow.session.execute(select(AuditEntry.seq).order_by(AuditEntry.seq.desc())).scalars().first()
        uow.session.add(AppMeta(key="sync_last_audit_seq", value=str(last)))
        uow.commit()
    with small_db.uow() as uow:
        assert unsynced_record_count(uow.session) == 0 <= before


def test_regenerating_a_filed_month_shows_what_changed(small_db: Database, policy, manager) -> None:
    supervisor = actor_with_role(small_db, Role.SUPERVISOR)
    first = october(small_db, policy, manager)
    file(small_db, supervisor, policy, first)
    same = october(small_db, policy, manager)
    assert same.filing is not None and same.filing.matches
    assert "this copy matches what was filed" in pdf_text(same.pdf)
    officer = first.monthly.revocations[0]
    with small_db.uow() as uow:
        owner = actor_for_email(uow, manager)
    revoke_authority(
        small_db.uow(),
        owner,
        officer.officer_id,
        "refresher lapsed past the grace period",
        expected_version=version_of(small_db, "officer", officer.officer_id),
    )
    again = october(small_db, policy, manager)
    assert again.filing is not None and not again.filing.matches
    changes = {(c.section, c.item): (c.before, c.after) for c in again.filing.changes}
    assert changes[("Revocation due", officer.key)][1] == "—"
    count = len(first.monthly.revocations)
    assert changes[("Summary", "Officers due for revocation")] == (str(count), str(count - 1))
    text = pdf_text(again.pdf)
    assert "Changed since filing." in text
    assert f"Changes since filing ({len(again.filing.changes)})" in text
    assert officer.key in text


def test_a_filed_month_is_filed_again_only_as_an_amendment(small_db: Database, policy, manager) -> None:
    supervisor = actor_with_role(small_db, Role.SUPERVISOR)
    output = october(small_db, policy, manager)
    file(small_db, supervisor, policy, output)
    with pytest.raises(Conflict, match="already filed"):
        file(small_db, supervisor, policy, output)
    file(small_db, supervisor, policy, output, amend=True)
    with small_db.uow() as uow:
        assert len(uow.session.execute(select(FiledReport)).scalars().all()) == 2


def test_an_open_month_cannot_be_filed(small_db: Database, policy, clock: FakeClock) -> None:
    manager = busiest_manager(Path(small_db.database))
    output = october(small_db, policy, manager)  # the clock is still on 31 October
    with pytest.raises(ValidationError, match="October 2026 is not over yet"):
        file(small_db, actor_with_role(small_db, Role.SUPERVISOR), policy, output)


def test_records_changed_since_the_preview_are_not_filed(small_db: Database, policy, manager) -> None:
    output = october(small_db, policy, manager)
    with small_db.uow() as uow:
        owner = actor_for_email(uow, manager)
    revoke_authority(
        small_db.uow(),
        owner,
        output.monthly.revocations[0].officer_id,
        "lapsed",
        expected_version=version_of(small_db, "officer", output.monthly.revocations[0].officer_id),
    )
    with pytest.raises(Conflict, match="records changed since this report was generated"):
        file(small_db, owner, policy, output)


def test_who_may_file_is_checked_and_a_refusal_audited(small_db: Database, policy, manager) -> None:
    output = october(small_db, policy, manager)
    for role in (Role.ADMIN, Role.STAFF):
        refused = actor_with_role(small_db, role)
        with pytest.raises(PermissionDenied, match="and cannot file reports"):
            file(small_db, refused, policy, output)
    with small_db.uow() as uow:
        denied = uow.session.execute(
            select(AuditEntry.actor_id).where(
                AuditEntry.action == "denied", AuditEntry.operation == "report.file"
            )
        ).scalars()
        assert len(list(denied)) == 2
        assert uow.session.execute(select(FiledReport)).first() is None
    with sqlite3.connect(small_db.database) as connection:
        other = connection.execute(
            "SELECT email FROM users WHERE role = 'manager' AND email != ? ORDER BY email", (manager,)
        ).fetchone()[0]
    with small_db.uow() as uow:
        colleague = actor_for_email(uow, other)
    with pytest.raises(PermissionDenied, match="only his own"):
        file(small_db, colleague, policy, output)
    with small_db.uow() as uow:
        owner = actor_for_email(uow, manager)
    assert file(small_db, owner, policy, output).content_hash
