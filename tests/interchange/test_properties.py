"""Property: whatever rows a file holds, an import writes nothing invalid.

Hypothesis writes transfers and agreements files from valid and broken cells alike; each import
is either refused (and the database is exactly as before) or every record it leaves satisfies
the rules the services keep.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from tables_support import CALHOUN, write_table

from builders import World, snapshot
from pm_desk.domain.enums import IN_FORCE_STATUSES, AgreementStatus, TransferStatus
from pm_desk.domain.keys import is_valid_a_number
from pm_desk.domain.rules import hold_deadline
from pm_desk.services.imports import ImportDenied, ImportRefused, import_tables
from pm_desk.store.database import Database, open_database
from pm_desk.store.models import Agreement, CustodyTransfer
from support import FakeClock

PROPERTY_SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
junk = st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\x00"), max_size=12)
BROKEN: dict[str, list[str]] = {
    "day": ["2026-02-30", "06/01/2026", "soon"],
    "instant": ["2026-06-02T08:00:00", "2026-06-31T08:00:00Z", "noon"],
    "a_number": ["A1234", "B12345678", "A1234567890"],
    "status": ["lost", "Awaiting", "transfered"],
    "agreement_status": ["signing", "done"],
    "model": ["jail", "287g"],
}


@st.composite
def transfer_row(draw: st.DrawFn) -> dict[str, Any]:
    """A coherent transfer, then perhaps one cell spoiled or one rule broken."""
    issued = draw(
        st.sampled_from(["2026-06-02T08:00:00Z", "2026-06-02T20:30:00-04:00", "2026-06-04T12:00:00Z"])
    )
    status = draw(st.sampled_from([s.value for s in TransferStatus] + ["Awaiting Pickup"]))
    row: dict[str, Any] = {
        "subject_ref": draw(st.sampled_from(["BK-1", "BK-2", "BK-3"])),
        "a_number": draw(st.sampled_from(["", "A12345678", "A123456789", "a-234567890"])),
        "encounter_date": draw(st.sampled_from(["", "2026-06-01", "2026-06-02"])),
        "detainer_issued_at": issued,
        "release_eligible_at": draw(
            st.sampled_from(["", "2026-06-05T12:00:00Z", "2026-06-09T23:59:59+00:00"])
        ),
        "pickup_at": "2026-06-06T12:00:00Z" if status == "transferred" else "",
        "receiving_office": draw(junk),
        "status": status,
    }
    if status.lower().startswith("awaiting") and not row["release_eligible_at"]:
        row["release_eligible_at"] = "2026-06-05T12:00:00Z"
    spoil = draw(st.sampled_from([None, None, *row]))
    if spoil is not None:
        kinds = {
            "encounter_date": "day",
            "detainer_issued_at": "instant",
            "release_eligible_at": "instant",
            "pickup_at": "instant",
            "a_number": "a_number",
            "status": "status",
        }
        choices = [*BROKEN.get(kinds.get(spoil, ""), []), "", "x" * 90]
        row[spoil] = draw(st.one_of(st.sampled_from(choices), junk))
    return row


@st.composite
def agreement_row(draw: st.DrawFn) -> dict[str, Any]:
    dates = sorted(
        draw(st.lists(st.sampled_from(["2026-01-10", "2026-03-01", "2026-06-01"]), min_size=4, max_size=4))
    )
    row: dict[str, Any] = {
        "model": draw(st.sampled_from(["jail_enforcement", "task_force", "warrant_service_officer"])),
        "status": draw(st.sampled_from([s.value for s in AgreementStatus])),
        "application_received": dates[0],
        "signed": dates[1],
        "effective": dates[2],
        "expires": draw(st.sampled_from(["", dates[3]])),
    }
    spoil = draw(st.sampled_from([None, None, *row]))
    if spoil is not None:
        kind = {"model": "model", "status": "agreement_status"}.get(spoil, "day")
        row[spoil] = draw(st.one_of(st.sampled_from([*BROKEN[kind], "", "2025-01-01", "2027-01-01"]), junk))
    return row


transfer_rows = st.lists(transfer_row(), min_size=1, max_size=4)
agreement_rows = st.lists(agreement_row(), min_size=1, max_size=3)


@contextmanager
def fresh_copy(template: Path) -> Iterator[Database]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "pm-desk.sqlite3"
        shutil.copyfile(template, path)
        database = open_database(str(path), clock=FakeClock())
        try:
            yield database
        finally:
            database.close()


def _import(database: Database, world: World, folder: Path) -> bool:
    """True when the import was applied; a refusal must leave every record as it was."""
    before = snapshot(database)
    try:
        import_tables(database.uow(), world.supervisor_a, folder)
    except (ImportRefused, ImportDenied) as refused:
        assert refused.report.problems
        assert all(str(p).count(":") >= 2 for p in refused.report.problems)
        assert snapshot(database) == before
        event("refused")
        return False
    event("applied")
    return True


@PROPERTY_SETTINGS
@given(rows=transfer_rows)
def test_no_invalid_transfer_is_ever_written(
    seeded_store: tuple[Path, World], rows: list[dict[str, Any]]
) -> None:
    template, world = seeded_store
    with tempfile.TemporaryDirectory() as folder, fresh_copy(template) as database:
        write_table(Path(folder), "transfers", [{**CALHOUN, **row} for row in rows])
        if not _import(database, world, Path(folder)):
            return
        with database.uow() as uow:
            transfers = uow.session.execute(select(CustodyTransfer)).scalars().all()
            policy = uow.policy
        assert transfers
        for transfer in transfers:
            assert transfer.subject_ref.strip() and len(transfer.subject_ref) <= 80
            assert transfer.a_number is None or is_valid_a_number(transfer.a_number)
            assert transfer.a_number_last4 == (transfer.a_number[-4:] if transfer.a_number else None)
            assert transfer.status in set(TransferStatus)
            assert (transfer.pickup_at is not None) == (transfer.status is TransferStatus.TRANSFERRED)
            if transfer.pickup_at is not None:
                assert transfer.pickup_at >= transfer.detainer_issued_at
            if transfer.status is TransferStatus.AWAITING_PICKUP:
                assert transfer.release_eligible_at is not None
            if transfer.encounter_on is not None:
                assert transfer.detainer_issued_at.date() >= transfer.encounter_on
            eligible = transfer.release_eligible_at
            assert transfer.hold_deadline_at == (hold_deadline(eligible, policy) if eligible else None)


@PROPERTY_SETTINGS
@given(rows=agreement_rows)
def test_no_invalid_agreement_is_ever_written(
    seeded_store: tuple[Path, World], rows: list[dict[str, Any]]
) -> None:
    template, world = seeded_store
    leon = {"agency_state": "FL", "agency_name": "Leon County Sheriff's Office"}
    with tempfile.TemporaryDirectory() as folder, fresh_copy(template) as database:
        write_table(Path(folder), "agencies", [{"state": "FL", "name": leon["agency_name"]}])
        write_table(Path(folder), "agreements", [{**leon, **row, "field_office": "MIA"} for row in rows])
        if not _import(database, world, Path(folder)):
            return
        with database.uow() as uow:
            agreements = uow.session.execute(select(Agreement)).scalars().all()
        for agreement in agreements:
            if agreement.status in IN_FORCE_STATUSES | {AgreementStatus.SUSPENDED}:
                assert agreement.signed_on is not None
            dates = [agreement.application_received_on, agreement.signed_on, agreement.effective_on]
            known = [d for d in dates if d is not None]
            assert known == sorted(known)
            start = agreement.effective_on or agreement.signed_on
            if start is not None and agreement.expires_on is not None:
                assert agreement.expires_on >= start


@settings(max_examples=60, deadline=None)
@given(data=st.binary(max_size=400), header=st.booleans())
def test_any_bytes_give_a_report_never_an_exception(
    seeded_store: tuple[Path, World], data: bytes, header: bool
) -> None:
    """Whatever is in the file, the answer is an applied import or a list of problems."""
    template, world = seeded_store
    content = (b"state,name,ori,kind,county,address,phone,jail_beds\n" if header else b"") + data
    with tempfile.TemporaryDirectory() as folder, fresh_copy(template) as database:
        (Path(folder) / "agencies.csv").write_bytes(content)
        _import(database, world, Path(folder))
