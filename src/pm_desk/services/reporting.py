"""What every printed report shares: its period, the instant its rules are measured at, who
generated it, and the rows that several reports list (revocations due, hold breaches).

Reports are assembled here as plain frozen dataclasses from the compliance results and the
domain rules (the one source of truth), then drawn by `pm_desk.reports`; no ORM object ever
reaches reportlab. Reading is all they do: any role may generate a report.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from pm_desk.domain import rules
from pm_desk.domain.facts import TransferFacts
from pm_desk.domain.policy import Policy
from pm_desk.domain.rules.statuses import Rule
from pm_desk.services.compliance import ComplianceItem
from pm_desk.store.queries.reports import AgreementRow, OfficerLine, TransferLine

Progress = Callable[[str, float], None]


def no_progress(step: str, fraction: float) -> None:
    """The default progress callback: reports nothing, never cancels."""


@dataclass(frozen=True)
class ReportPeriod:
    """A span of calendar days (UTC), both ends included."""

    start: date
    end: date

    @property
    def start_at(self) -> datetime:
        return datetime.combine(self.start, time(0), tzinfo=UTC)

    @property
    def end_at(self) -> datetime:
        """The first instant after the period."""
        return datetime.combine(self.end + timedelta(days=1), time(0), tzinfo=UTC)

    @property
    def is_month(self) -> bool:
        last = calendar.monthrange(self.start.year, self.start.month)[1]
        return self.start.day == 1 and self.end == self.start.replace(day=last)

    @property
    def label(self) -> str:
        if self.is_month:
            return self.start.strftime("%B %Y")
        return f"{self.start.isoformat()} to {self.end.isoformat()}"

    def window_end(self, now: datetime) -> datetime:
        """Events are counted up to the end of the period or now, whichever is earlier."""
        return min(self.end_at, now.astimezone(UTC))

    def as_of(self, now: datetime) -> datetime:
        """The instant the rules are measured at: the period's last second, or now if earlier
        (DESIGN.md, Command line)."""
        return min(self.end_at - timedelta(seconds=1), now.astimezone(UTC))

    def is_closed(self, now: datetime) -> bool:
        return now.astimezone(UTC) >= self.end_at


def month_period(month: date) -> ReportPeriod:
    first = month.replace(day=1)
    return ReportPeriod(first, first.replace(day=calendar.monthrange(first.year, first.month)[1]))


def previous_months(last: date, count: int) -> list[date]:
    """The first days of `count` months ending with `last`'s month, oldest first."""
    months: list[date] = []
    year, month = last.year, last.month
    for _ in range(count):
        months.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


@dataclass(frozen=True)
class Generated:
    """Who generated a report and when (the page footer of every report)."""

    at: datetime
    by_name: str
    by_email: str | None
    # Whether the subjects of custody transfers may be named (roles that handle transfers).
    show_subjects: bool = False

    @property
    def by(self) -> str:
        return f"{self.by_name} ({self.by_email})" if self.by_email else self.by_name


@dataclass(frozen=True)
class RevocationRow:
    """An officer whose authority must be revoked: refresher overdue past the grace days."""

    officer_id: str
    key: str
    officer: str
    badge: str
    agreement_id: str | None
    agreement: str
    manager: str | None
    refresher_due: date | None
    revoke_by: date | None
    days_overdue: int


@dataclass(frozen=True)
class BreachRow:
    """A custody transfer past its hold deadline: picked up late, or still open."""

    transfer_id: str
    key: str
    agreement_id: str
    agreement: str
    subject_ref: str
    subject_name: str | None
    a_number_last4: str | None
    release_eligible_at: datetime | None
    deadline: datetime
    pickup_at: datetime | None
    still_open: bool
    hours_over: float

    @property
    def outcome(self) -> str:
        return "open past deadline" if self.still_open else "picked up late"


def agreement_title(row: AgreementRow) -> str:
    return f"{row.agency}, {row.state} — {row.model.value.replace('_', ' ')}"


def revocation_rows(
    items: Iterable[ComplianceItem],
    officers: dict[str, OfficerLine],
    agreements: dict[str, AgreementRow],
) -> list[RevocationRow]:
    """Every `revocation_due` result, most overdue first, then by officer name."""
    out: list[RevocationRow] = []
    for item in items:
        if item.rule is not Rule.REVOCATION:
            continue
        officer = officers.get(item.id)
        agreement = agreements.get(item.agreement_id or "")
        out.append(
            RevocationRow(
                officer_id=item.id,
                key=item.key,
                officer=officer.name if officer else item.key,
                badge=officer.badge if officer else item.key.rsplit("|", 1)[-1],
                agreement_id=item.agreement_id,
                agreement=agreement_title(agreement) if agreement else "",
                manager=agreement.manager_name if agreement else None,
                refresher_due=item.due if isinstance(item.due, date) else None,
                revoke_by=item.detail.get("revoke_by"),
                days_overdue=int(item.detail.get("days_overdue", 0)),
            )
        )
    out.sort(key=lambda r: (-r.days_overdue, r.officer, r.badge))
    return out


def transfer_key(agreement: AgreementRow | None, line: TransferLine) -> str:
    """The transfer's natural key, as `pm-desk compliance` writes it."""
    head = f"{agreement.state}|{agreement.agency}|{agreement.model.value}" if agreement else ""
    return f"{head}|{line.subject_ref}|{line.detainer_issued_at.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}"


def closed_breach(line: TransferLine, agreement: AgreementRow | None, policy: Policy) -> BreachRow | None:
    """A transfer picked up after its deadline (the closed-hold rule), else None."""
    facts = TransferFacts(line.id, line.status, line.release_eligible_at, line.pickup_at)
    outcome = rules.closed_hold_outcome(facts, policy)
    if outcome is None or not outcome.breached:
        return None
    return _breach(line, agreement, outcome.deadline, False, outcome.hours_over)


def open_breach(item: ComplianceItem, line: TransferLine, agreement: AgreementRow | None) -> BreachRow:
    """An open hold the hold rule found breached at the report's instant."""
    deadline = item.due if isinstance(item.due, datetime) else datetime.min.replace(tzinfo=UTC)
    return _breach(line, agreement, deadline, True, float(item.detail.get("hours_over", 0.0)))


def _breach(
    line: TransferLine, agreement: AgreementRow | None, deadline: datetime, still_open: bool, hours: float
) -> BreachRow:
    return BreachRow(
        transfer_id=line.id,
        key=transfer_key(agreement, line),
        agreement_id=line.agreement_id,
        agreement=agreement_title(agreement) if agreement else "",
        subject_ref=line.subject_ref,
        subject_name=line.subject_name,
        a_number_last4=line.a_number_last4,
        release_eligible_at=line.release_eligible_at,
        deadline=deadline,
        pickup_at=line.pickup_at,
        still_open=still_open,
        hours_over=hours,
    )


def sort_breaches(rows: Iterable[BreachRow]) -> list[BreachRow]:
    """Most hours over first; ties by agency and subject reference."""
    return sorted(rows, key=lambda r: (-r.hours_over, r.agreement, r.subject_ref))


def hours_text(hours: float) -> str:
    """Hours over a deadline as a person reads them: `5.3 h`, or `3 d 4.0 h` past a day."""
    if hours >= 24:
        days, rest = divmod(hours, 24)
        return f"{int(days)} d {rest:.1f} h"
    return f"{hours:.1f} h"
