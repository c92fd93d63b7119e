"""What the app reads, as read services (cosmicpython's views): each opens its own unit of work and
returns plain data — dicts, tuples, frozen dataclasses — never a live ORM object, so the UI never
holds a session. Pages call them through `AppContext.read`, on the GUI thread for the small reads
of one record, on a worker for anything that grows with the data.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, Concatenate, ParamSpec, TypeVar

from sqlalchemy.orm import Session

from pm_desk.domain.policy import Policy
from pm_desk.domain.scope import Scope
from pm_desk.services import (
    actor,
    measures,
    oncall_ics,
    oncall_view,
    performance,
    reminder_calendar,
    reminder_views,
    staffing,
)
from pm_desk.services import team as team_service
from pm_desk.services.views import Cell, derive
from pm_desk.store.queries import choices, details, labels, listing, oncall, records, reports
from pm_desk.store.uow import UnitOfWork

P = ParamSpec("P")
T = TypeVar("T")


def read_model(query: Callable[Concatenate[Session, P], T]) -> Callable[Concatenate[UnitOfWork, P], T]:
    """A store query (which takes a session) as a read service (which takes a unit of work that it
    opens, reads in and closes)."""

    @functools.wraps(query)
    def read(uow: UnitOfWork, /, *args: P.args, **kwargs: P.kwargs) -> T:
        with uow:
            return query(uow.session, *args, **kwargs)

    return read


def opened(service: Callable[Concatenate[UnitOfWork, P], T]) -> Callable[Concatenate[UnitOfWork, P], T]:
    """A service that reads in an open unit of work, as a read service that opens it itself."""

    @functools.wraps(service)
    def read(uow: UnitOfWork, /, *args: P.args, **kwargs: P.kwargs) -> T:
        with uow:
            return service(uow, *args, **kwargs)

    return read


# Who acts: the person an email names, and the people one can act as.
actor_for_email = opened(actor.actor_for_email)

# One record, for a form to start from or the detail panel to show.
record_values = read_model(records.record_values)
record_detail = read_model(details.record_detail)
finding_inspection = read_model(details.finding_inspection)
record_labels = read_model(labels.record_labels)

# The choices of a form's fields.
agreement_choices = read_model(choices.agreement_choices)
agency_choices = read_model(choices.agency_choices)
manager_choices = read_model(choices.manager_choices)
officer_choices = read_model(choices.officer_choices)
class_choices = read_model(choices.class_choices)
user_choices = read_model(choices.user_choices)

# The on-call picture and the people reports are made for.
on_call_now = read_model(oncall.on_call_now)
rotations_of_office = read_model(oncall.rotations_of_office)
active_managers = read_model(reports.active_managers)
agreement_rows = read_model(reports.agreement_rows)

# Figures of the Team page and the agreement's detail.
transfer_measures = opened(measures.transfer_measures)
staffing_analysis = opened(staffing.staffing_analysis)
performance_measures = opened(performance.performance_measures)
team = opened(team_service.team)
suggested_balance = opened(team_service.suggested_balance)
caseload_lines = opened(team_service.caseload_lines)
leave_end = opened(team_service.leave_end)

# The rota as a calendar shows it, and as a calendar file.
rota_view = opened(oncall_view.rota_view)
oncall_calendar = opened(oncall_ics.oncall_calendar)

# A person's reminders, his own and those the rules derive from his caseload.
reminder_items = opened(reminder_views.reminder_items)
export_calendar = opened(reminder_calendar.export_calendar)

Row = tuple[tuple[Any, ...], tuple[Cell, ...]]


def list_count(
    uow: UnitOfWork,
    spec: listing.ListSpec,
    scope: Scope,
    query: listing.ListQuery,
    up_to: int | None = None,
) -> int:
    """How many rows a list has (with `up_to`, counting stops there)."""
    with uow:
        return listing.count_rows(uow.session, spec, scope, query, up_to)


def list_page(
    uow: UnitOfWork,
    spec: listing.ListSpec,
    scope: Scope,
    query: listing.ListQuery,
    offset: int,
    limit: int,
    total: int | None,
    now: datetime,
    policy: Policy,
) -> list[Row]:
    """One page of a list: its stored columns, and the columns the rules add, measured at `now`."""
    with uow:
        rows = listing.fetch_rows(uow.session, spec, scope, query, offset, limit, total)
    positions = {c.key: i + 1 for i, c in enumerate(spec.columns)}
    cells: Sequence[tuple[Cell, ...]] = derive(spec.name, rows, positions, now, policy)
    return list(zip(rows, cells, strict=True))
