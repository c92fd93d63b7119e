"""The lists of the caseload pages: agreements and officers."""

from __future__ import annotations

from sqlalchemy import Select, func, select
from sqlalchemy.orm import aliased

from pm_desk.domain.enums import AuthorityStatus
from pm_desk.store.models import Agency, Agreement, FieldOffice, Officer, User
from pm_desk.store.queries.courses import initial_course_on, last_course_on
from pm_desk.store.queries.listing import Column, ListSpec, Scope, restrict

Manager = aliased(User, name="manager")


def _agreements_base(scope: Scope) -> Select:
    statement = (
        select(Agreement.id)
        .select_from(Agreement)
        .join(Agency, Agency.id == Agreement.agency_id)
        .join(FieldOffice, FieldOffice.id == Agreement.field_office_id)
        .outerjoin(Manager, Manager.id == Agreement.manager_id)
        .where(Agreement.deleted_at.is_(None))
    )
    return restrict(statement, scope)


_authorized_count = (
    select(func.count())
    .where(
        Officer.agreement_id == Agreement.id,
        Officer.authority_status == AuthorityStatus.AUTHORIZED,
        Officer.deleted_at.is_(None),
    )
    .correlate(Agreement)
    .scalar_subquery()
)

AGREEMENTS = ListSpec(
    name="agreements",
    title="Agreements",
    record_kind="agreement",
    id_expr=Agreement.id,
    base=_agreements_base,
    default_sort=("agency", False),
    columns=(
        Column("agency", "Agency", Agency.name, searchable=True, width=260),
        Column("state", "State", Agency.state, searchable=True, width=50),
        Column("model", "Model", Agreement.model, kind="enum", searchable=True, width=150),
        Column("status", "Status", Agreement.status, kind="status", searchable=True, width=120),
        Column("signed_on", "Signed", Agreement.signed_on, kind="date", width=95),
        Column("effective_on", "Effective", Agreement.effective_on, kind="date", width=95, visible=False),
        Column("expires_on", "Expires", Agreement.expires_on, kind="date", width=95),
        Column("authorized", "Authorized officers", _authorized_count, kind="number", width=80),
        Column(
            "next_sc", "Next steering committee", Agreement.next_steering_committee_on, kind="date", width=110
        ),
        Column("manager", "Manager", Manager.name, searchable=True, width=150),
        Column("field_office", "Field office", FieldOffice.name, searchable=True, width=120, visible=False),
        Column("county", "County", Agency.county, searchable=True, width=120, visible=False),
        Column("ori", "ORI", Agency.ori, searchable=True, width=90, visible=False),
        Column("agency_kind", "Agency type", Agency.kind, kind="enum", width=110, visible=False),
    ),
)


_initial_on = initial_course_on()
_latest_on = last_course_on()


def _officers_base(scope: Scope) -> Select:
    statement = (
        select(Officer.id)
        .select_from(Officer)
        .join(Agreement, Agreement.id == Officer.agreement_id)
        .join(Agency, Agency.id == Officer.agency_id)
        .outerjoin(Manager, Manager.id == Agreement.manager_id)
        .where(Officer.deleted_at.is_(None), Agreement.deleted_at.is_(None))
    )
    return restrict(statement, scope)


OFFICERS = ListSpec(
    name="officers",
    title="Officers",
    record_kind="officer",
    id_expr=Officer.id,
    base=_officers_base,
    default_sort=("name", False),
    columns=(
        Column("name", "Name", Officer.name, searchable=True, width=190),
        Column("badge", "Badge", Officer.badge, searchable=True, width=80),
        Column("rank", "Rank", Officer.rank, searchable=True, width=100, visible=False),
        Column("agency", "Agency", Agency.name, searchable=True, width=240),
        Column("state", "State", Agency.state, width=50),
        Column("model", "Model", Agreement.model, kind="enum", width=140, visible=False),
        Column("authority", "Authority", Officer.authority_status, kind="status", searchable=True, width=110),
        Column("nominated_on", "Nominated", Officer.nominated_on, kind="date", width=95),
        Column("initial_on", "Initial course", _initial_on, kind="date", width=95),
        Column("latest_on", "Last course", _latest_on, kind="date", width=95),
        Column("manager", "Manager", Manager.name, searchable=True, width=150, visible=False),
        Column("email", "Email", Officer.email, searchable=True, width=180, visible=False),
    ),
    derived=(
        Column(
            "training",
            "Training",
            _latest_on,
            kind="derived",
            width=190,
            sort_expr=_latest_on,
            after="authority",
        ),
        Column(
            "refresher_due",
            "Refresher due",
            _latest_on,
            kind="derived",
            width=100,
            sort_expr=_latest_on,
            after="training",
        ),
    ),
    quick_filters={
        "authorized": ("Authorized", lambda _query: Officer.authority_status == AuthorityStatus.AUTHORIZED),
        "waiting": (
            "Waiting for training",
            lambda _query: Officer.authority_status.in_(
                [AuthorityStatus.NOMINATED, AuthorityStatus.IN_TRAINING]
            ),
        ),
    },
)
