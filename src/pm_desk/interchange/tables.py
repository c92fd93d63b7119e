"""The interchange tables of DESIGN.md: file names, natural keys and columns, in import order.

A column says what kind of value it holds, whether a row needs it, and how long its text may be;
the readers and the row checks take everything they know about a table from here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum, StrEnum

from pm_desk.domain.enums import (
    AgencyKind,
    AgreementModel,
    AgreementStatus,
    AuthorityStatus,
    EquipmentItem,
    FindingSeverity,
    InspectionKind,
    LeaveKind,
    Role,
    TransferStatus,
)
from pm_desk.domain.validation import (
    MAX_AGENCY_NAME,
    MAX_BADGE,
    MAX_COURSE,
    MAX_EMAIL,
    MAX_LONG_TEXT,
    MAX_NAME,
    MAX_OFFICE_NAME,
    MAX_RANK,
    MAX_SUBJECT_REF,
)


class Kind(Enum):
    TEXT = "text"
    NAME = "name"  # a person's or agency's name: spaces collapsed
    EMAIL = "email"
    STATE = "state"  # a USPS code, or a state's full name turned into its code
    ENUM = "enum"
    DATE = "date"
    INSTANT = "instant"
    INT = "int"
    FLOAT = "float"


@dataclass(frozen=True)
class Column:
    name: str
    kind: Kind = Kind.TEXT
    required: bool = False
    max_len: int = 200
    choices: type[StrEnum] | None = None
    # The value of an empty cell (the model's own default), for enums that have one.
    default: StrEnum | None = None


@dataclass(frozen=True)
class TableSpec:
    name: str  # also the sheet name in a workbook
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    # What one row is, in words, for messages and reports.
    noun: str
    header: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "header", tuple(c.name for c in self.columns))

    @property
    def file(self) -> str:
        return f"{self.name}.csv"

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


def _agency(model: bool) -> tuple[Column, ...]:
    columns: tuple[Column, ...] = (
        Column("agency_state", Kind.STATE, required=True, max_len=40),
        Column("agency_name", Kind.NAME, required=True, max_len=MAX_AGENCY_NAME),
    )
    if model:
        columns += (Column("model", Kind.ENUM, required=True, choices=AgreementModel),)
    return columns


USERS = TableSpec(
    "users",
    (
        Column("email", Kind.EMAIL, required=True, max_len=MAX_EMAIL),
        Column("name", Kind.NAME, required=True, max_len=MAX_NAME),
        Column("role", Kind.ENUM, required=True, choices=Role),
        Column("field_office"),
        Column("capacity", Kind.FLOAT),
    ),
    ("email",),
    "user",
)
AGENCIES = TableSpec(
    "agencies",
    (
        Column("state", Kind.STATE, required=True, max_len=40),
        Column("name", Kind.NAME, required=True, max_len=MAX_AGENCY_NAME),
        Column("ori", max_len=9),
        Column("kind", Kind.ENUM, choices=AgencyKind, default=AgencyKind.COUNTY),
        Column("county", max_len=200),
        Column("address", max_len=500),
        Column("phone", max_len=40),
        Column("jail_beds", Kind.INT),
    ),
    ("state", "name"),
    "agency",
)
AGREEMENTS = TableSpec(
    "agreements",
    (
        *_agency(model=True),
        Column("status", Kind.ENUM, required=True, choices=AgreementStatus),
        Column("application_received", Kind.DATE),
        Column("signed", Kind.DATE),
        Column("effective", Kind.DATE),
        Column("expires", Kind.DATE),
        Column("field_office"),
        Column("manager_email", Kind.EMAIL, max_len=MAX_EMAIL),
    ),
    ("agency_state", "agency_name", "model"),
    "agreement",
)
OFFICERS = TableSpec(
    "officers",
    (
        *_agency(model=False),
        Column("model", Kind.ENUM, choices=AgreementModel),
        Column("badge", required=True, max_len=MAX_BADGE),
        Column("name", Kind.NAME, required=True, max_len=MAX_NAME),
        Column("rank", max_len=MAX_RANK),
        Column("email", Kind.EMAIL, max_len=MAX_EMAIL),
        Column("nominated", Kind.DATE),
        Column("authority_status", Kind.ENUM, choices=AuthorityStatus, default=AuthorityStatus.NOMINATED),
    ),
    ("agency_state", "agency_name", "badge"),
    "officer",
)
TRAINING = TableSpec(
    "training",
    (
        *_agency(model=False),
        Column("badge", required=True, max_len=MAX_BADGE),
        Column("course", required=True, max_len=MAX_COURSE),
        Column("completed_on", Kind.DATE, required=True),
    ),
    ("agency_state", "agency_name", "badge", "course", "completed_on"),
    "training record",
)
EQUIPMENT = TableSpec(
    "equipment",
    (
        *_agency(model=True),
        Column("item", Kind.ENUM, required=True, choices=EquipmentItem),
        Column("quantity", Kind.INT),
        Column("requested", Kind.DATE),
        Column("ordered", Kind.DATE),
        Column("shipped", Kind.DATE),
        Column("delivered", Kind.DATE),
        Column("operational", Kind.DATE),
    ),
    ("agency_state", "agency_name", "model", "item"),
    "equipment order",
)
TRANSFERS = TableSpec(
    "transfers",
    (
        *_agency(model=True),
        Column("subject_ref", required=True, max_len=MAX_SUBJECT_REF),
        Column("a_number", max_len=40),
        Column("encounter_date", Kind.DATE),
        Column("detainer_issued_at", Kind.INSTANT, required=True),
        Column("release_eligible_at", Kind.INSTANT),
        Column("pickup_at", Kind.INSTANT),
        Column("receiving_office", max_len=MAX_OFFICE_NAME),
        Column("status", Kind.ENUM, choices=TransferStatus, default=TransferStatus.DETAINER_LODGED),
    ),
    ("agency_state", "agency_name", "model", "subject_ref", "detainer_issued_at"),
    "custody transfer",
)
INSPECTIONS = TableSpec(
    "inspections",
    (
        *_agency(model=True),
        Column("date", Kind.DATE, required=True),
        Column("kind", Kind.ENUM, required=True, choices=InspectionKind),
        Column("summary", max_len=MAX_LONG_TEXT),
        Column("finding_severity", Kind.ENUM, choices=FindingSeverity),
        Column("finding_text", max_len=MAX_LONG_TEXT),
        Column("corrective_due", Kind.DATE),
        Column("closed_on", Kind.DATE),
    ),
    ("agency_state", "agency_name", "model", "date", "kind", "finding_text"),
    "inspection finding",
)


class LeaveWord(StrEnum):
    """The kinds of leave.csv. `leave` is what the app calls annual leave."""

    SICK = "sick"
    LEAVE = "leave"
    TRAINING = "training"
    OTHER = "other"


LEAVE_KINDS: dict[LeaveWord, LeaveKind] = {
    LeaveWord.SICK: LeaveKind.SICK,
    LeaveWord.LEAVE: LeaveKind.ANNUAL,
    LeaveWord.TRAINING: LeaveKind.TRAINING,
    LeaveWord.OTHER: LeaveKind.OTHER,
}
LEAVE_WORDS: dict[LeaveKind, LeaveWord] = {kind: word for word, kind in LEAVE_KINDS.items()}

# The rota: each shift of a rotation as planned, a half-open interval [starts_at, ends_at).
ONCALL_SHIFTS = TableSpec(
    "oncall_shifts",
    (
        Column("field_office", required=True, max_len=MAX_OFFICE_NAME),
        Column("rotation", Kind.NAME, required=True, max_len=200),
        Column("starts_at", Kind.INSTANT, required=True),
        Column("ends_at", Kind.INSTANT, required=True),
        Column("primary_email", Kind.EMAIL, required=True, max_len=MAX_EMAIL),
        Column("backup_email", Kind.EMAIL, max_len=MAX_EMAIL),
    ),
    ("field_office", "rotation", "starts_at"),
    "on-call shift",
)
LEAVE = TableSpec(
    "leave",
    (
        Column("email", Kind.EMAIL, required=True, max_len=MAX_EMAIL),
        Column("starts_at", Kind.INSTANT, required=True),
        Column("ends_at", Kind.INSTANT, required=True),
        Column("kind", Kind.ENUM, required=True, choices=LeaveWord),
    ),
    ("email", "starts_at"),
    "leave",
)

# In the order an import applies them: each table names records of the tables before it.
TABLES: tuple[TableSpec, ...] = (
    USERS,
    AGENCIES,
    AGREEMENTS,
    OFFICERS,
    TRAINING,
    EQUIPMENT,
    TRANSFERS,
    INSPECTIONS,
    ONCALL_SHIFTS,
    LEAVE,
)
TABLES_BY_NAME = {t.name: t for t in TABLES}


def table_for(name: str) -> TableSpec | None:
    """The table a file or sheet name stands for (`agencies.csv`, `Agencies`, `agencies`)."""
    stem = name.strip().lower().removesuffix(".csv")
    return TABLES_BY_NAME.get(stem)
