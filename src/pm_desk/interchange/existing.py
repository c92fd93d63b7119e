"""What the database already holds, by natural key: one query per table, never one per row.

Soft-deleted records are loaded too: a row that names one brings it back (the tables' unique
keys include deleted rows, so a second record with the same key could not be written anyway).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, select

from pm_desk.interchange.cells import instant_second
from pm_desk.interchange.planning import table_of
from pm_desk.store.models import (
    Agency,
    Agreement,
    Assignment,
    CustodyTransfer,
    EquipmentOrder,
    FieldOffice,
    Finding,
    Inspection,
    Officer,
    Record,
    TrainingRecord,
    User,
)

State = dict[str, Any]
_BOOKKEEPING = ("id", "version", "deleted_at")


def _rows(connection: Connection, model: type[Record], columns: Iterable[str]) -> list[State]:
    table = table_of(model)
    names = [*_BOOKKEEPING, *columns]
    statement = select(*(table.c[n] for n in names))
    return [dict(row) for row in connection.execute(statement).mappings()]


def _prefer_live(target: dict[Any, State], key: Any, row: State) -> None:
    """Keep one record per key: a live one over a deleted one, else the first."""
    held = target.get(key)
    if held is None or (held["deleted_at"] is not None and row["deleted_at"] is None):
        target[key] = row


@dataclass
class Existing:
    offices: list[State] = field(default_factory=list)
    users: dict[str, State] = field(default_factory=dict)  # by email, lower case
    users_by_id: dict[str, State] = field(default_factory=dict)
    agencies: dict[tuple[str, str], State] = field(default_factory=dict)  # (state, name_key)
    agencies_by_ori: dict[str, State] = field(default_factory=dict)
    agreements: dict[tuple[str, str], State] = field(default_factory=dict)  # (agency_id, model)
    open_assignments: dict[str, State] = field(default_factory=dict)  # by agreement_id
    officers: dict[tuple[str, str], State] = field(default_factory=dict)  # (agency_id, badge)
    training: dict[tuple[Any, ...], State] = field(default_factory=dict)
    equipment: dict[tuple[Any, ...], State] = field(default_factory=dict)
    transfers: dict[tuple[Any, ...], State] = field(default_factory=dict)
    # (agreement_id, held_on, kind): several inspections of one kind can be held on one day.
    inspections: dict[tuple[Any, ...], list[State]] = field(default_factory=dict)
    findings: dict[tuple[Any, ...], State] = field(default_factory=dict)


def load_existing(connection: Connection, tables: set[str]) -> Existing:
    """The records the tables named in `tables` (and the ones they refer to) can match."""
    found = Existing()
    found.offices = _rows(connection, FieldOffice, ("code", "name"))
    for user in _rows(connection, User, ("email", "name", "role", "field_office_id", "capacity", "active")):
        found.users[user["email"].lower()] = user
        found.users_by_id[user["id"]] = user
    for agency in _rows(
        connection,
        Agency,
        ("state", "name", "name_key", "ori", "kind", "county", "address", "phone", "jail_beds"),
    ):
        _prefer_live(found.agencies, (agency["state"], agency["name_key"]), agency)
        if agency["ori"]:
            found.agencies_by_ori[agency["ori"]] = agency
    for agreement in _rows(
        connection,
        Agreement,
        (
            "agency_id",
            "model",
            "status",
            "application_received_on",
            "signed_on",
            "effective_on",
            "expires_on",
            "field_office_id",
            "manager_id",
        ),
    ):
        _prefer_live(found.agreements, (agreement["agency_id"], agreement["model"]), agreement)
    if "agreements" in tables:
        for assignment in _rows(connection, Assignment, ("agreement_id", "manager_id", "ends_at")):
            if assignment["ends_at"] is None and assignment["deleted_at"] is None:
                found.open_assignments[assignment["agreement_id"]] = assignment
    if tables & {"officers", "training"}:
        for officer in _rows(
            connection,
            Officer,
            (
                "agency_id",
                "agreement_id",
                "badge",
                "name",
                "rank",
                "email",
                "nominated_on",
                "authority_status",
            ),
        ):
            _prefer_live(found.officers, (officer["agency_id"], officer["badge"]), officer)
    if "training" in tables:
        for record in _rows(connection, TrainingRecord, ("officer_id", "course", "completed_on")):
            _prefer_live(
                found.training, (record["officer_id"], record["course"], record["completed_on"]), record
            )
    if "equipment" in tables:
        for order in _rows(connection, EquipmentOrder, EQUIPMENT_COLUMNS):
            _prefer_live(found.equipment, (order["agreement_id"], order["item"]), order)
    if "transfers" in tables:
        for transfer in _rows(connection, CustodyTransfer, TRANSFER_COLUMNS):
            key = (
                transfer["agreement_id"],
                transfer["subject_ref"],
                instant_second(transfer["detainer_issued_at"]),
            )
            _prefer_live(found.transfers, key, transfer)
    if "inspections" in tables:
        for inspection in _rows(connection, Inspection, ("agreement_id", "held_on", "kind", "summary")):
            key = (inspection["agreement_id"], inspection["held_on"], inspection["kind"])
            if inspection["deleted_at"] is None:
                found.inspections.setdefault(key, []).append(inspection)
        for finding in _rows(
            connection, Finding, ("inspection_id", "text", "severity", "corrective_due", "closed_on")
        ):
            _prefer_live(found.findings, (finding["inspection_id"], finding["text"]), finding)
    return found


EQUIPMENT_COLUMNS = (
    "agreement_id",
    "item",
    "quantity",
    "requested_on",
    "ordered_on",
    "shipped_on",
    "delivered_on",
    "operational_on",
)
TRANSFER_COLUMNS = (
    "agreement_id",
    "subject_ref",
    "a_number",
    "a_number_last4",
    "encounter_on",
    "detainer_issued_at",
    "release_eligible_at",
    "pickup_at",
    "receiving_office",
    "status",
)
