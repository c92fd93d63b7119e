"""The rule catalog: one home for what each rule result is called, how urgent it is, which record
it concerns, where it appears, and every sentence that names a threshold — built from the
policy in force, so a changed threshold changes every label that names it.

Today's groups, the Reminders titles, the list cells, the reports' figures and explanations and
the compliance output read their words here. Adding a rule is its function, its entry here
(statuses, texts, the facts it is checked on) and its tests.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from pm_desk.domain.enums import RecordKind, label
from pm_desk.domain.facts import (
    AgreementFacts,
    ComplaintFacts,
    FindingFacts,
    ManagerLoadFacts,
    OfficerFacts,
    TransferFacts,
)
from pm_desk.domain.policy import Policy
from pm_desk.domain.results import RuleResult
from pm_desk.domain.rules import agreements, cases, holds, staffing, training
from pm_desk.domain.rules.statuses import (
    ComplaintStatus,
    EquipmentStatus,
    FatigueStatus,
    FindingStatus,
    GapStatus,
    HoldStatus,
    InitialTrainingStatus,
    LoadStatus,
    RefresherStatus,
    RenewalStatus,
    RevocationStatus,
    Rule,
    Severity,
    Status,
    SteeringCommitteeStatus,
)
from pm_desk.domain.words import days, hours

Text = Callable[[Policy], str]
Explain = Callable[[RuleResult, Policy], str]


@dataclass(frozen=True)
class CheckContext:
    """What a rule is checked with besides its record: the instant, the policy, and the next
    initial-training class with a free seat (the queue's suggestion)."""

    as_of: datetime
    policy: Policy
    next_class: Any = None


Check = Callable[[Any, CheckContext], Iterable[RuleResult | None]]


@dataclass(frozen=True)
class Entry:
    """One status of one rule."""

    rule: Rule
    status: Status
    severity: Severity
    word: Text  # the status in a word or two (a list's or Today's status column)
    title: Text  # what it asks of the person (a derived reminder's title)
    detail: Explain  # the figures of one result in a line (Today's detail column)
    counted: Text | None = None  # how a report's summary counts them
    explain: Explain | None = None  # one result in a report's sentence (defaults to `detail`)

    @property
    def key(self) -> tuple[Rule, Status]:
        return self.rule, self.status

    def explanation(self, result: RuleResult, policy: Policy) -> str:
        return (self.explain or self.detail)(result, policy)


@dataclass(frozen=True)
class RuleSpec:
    rule: Rule
    record: RecordKind  # the kind of record its results concern
    name: str  # the rule in words, for the thresholds table
    noun: str  # one item of it in a report's list of actions
    thresholds: Text  # the policy figures it uses, in a sentence
    entries: tuple[Entry, ...]  # its statuses, most urgent first
    # The facts it is checked on, one record at a time, and how; rules over a whole rota (gaps,
    # fatigue) have none: the compliance service measures them over the rota's window.
    facts: type | None = None
    check: Check | None = None


@dataclass(frozen=True)
class Group:
    """A group of results as Today shows it, in the order a manager works."""

    key: str
    heading: Text
    members: tuple[tuple[Rule, Status], ...]
    countdown: bool = False  # rows carry a live clock (holds)

    @property
    def severity(self) -> Severity:
        found = {entry(rule, status).severity for rule, status in self.members}
        return next(s for s in Severity if s in found)


# -- sentences ---------------------------------------------------------------------------------
def _text(value: str) -> Text:
    return lambda _policy: value


def _due_in_days(result: RuleResult, _policy: Policy) -> str:
    n = int(result.detail.get("days", 0))
    return f"{n} d overdue" if n > 0 else f"due in {-n} d" if n < 0 else "due today"


def _due_on(result: RuleResult, _policy: Policy) -> str:
    n, due = int(result.detail.get("days", 0)), _iso(result.due)
    return f"{n} d overdue (due {due})" if n > 0 else f"due {due} (in {-n} d)"


def _waiting(result: RuleResult, _policy: Policy) -> str:
    d = result.detail
    waited = f"waiting {d['days_waiting']} d" if d.get("days_waiting") is not None else "waiting"
    if d.get("next_class_starts_on"):
        starts, free = d["next_class_starts_on"].isoformat(), d["next_class_free_seats"]
        return f"{waited}; next class with seats {starts} ({free} free)"
    return f"{waited}; no class with free seats scheduled"


def _revocation(result: RuleResult, _policy: Policy) -> str:
    d = result.detail
    return f"refresher {d['days_overdue']} d overdue; revoke by {d['revoke_by'].isoformat()} passed"


def _equipment(result: RuleResult, _policy: Policy) -> str:
    return f"{result.detail['days']} days since signing, not operational"


def _hold(result: RuleResult, policy: Policy) -> str:
    d = result.detail
    if d.get("hours_over"):
        return f"{d['hours_over']:.1f} h past the {policy.hold.hours}-hour hold"
    return f"{d.get('hours_left', 0):.1f} h left of the {policy.hold.hours}-hour hold"


def _reported_late(result: RuleResult, _policy: Policy) -> str:
    return f"late by {result.detail['hours_late']:.0f} h"


def _reported_late_explained(result: RuleResult, policy: Policy) -> str:
    late, due = result.detail.get("hours_late", 0), _iso(result.due)[:16]
    return f"reported to ICE {late:.1f} h after the {policy.complaint.report_hours}-hour limit (due {due}Z)"


def _unresolved(result: RuleResult, policy: Policy) -> str:
    return f"{result.detail['days']} d past {days(policy.complaint.resolution_days)}"


def _unresolved_explained(result: RuleResult, policy: Policy) -> str:
    return f"open {result.detail.get('days', 0)} d past {days(policy.complaint.resolution_days)}"


def _load(result: RuleResult, _policy: Policy) -> str:
    d = result.detail
    return f"{d['units']:.1f} of {d['capacity']:.1f} units ({d['load']:.0%})"


def _fatigue(result: RuleResult, _policy: Policy) -> str:
    d = result.detail
    if d.get("kind") == "rest":
        return f"rest {d['rest_hours']:.1f} h"
    return f"{d['run_days']:.1f} days in a row"


def _gap(result: RuleResult, _policy: Policy) -> str:
    """The hours, and who could take them or why nobody can (when the service found out)."""
    text = f"{result.detail['hours']:.0f} h uncovered"
    return f"{text}; {result.detail['cover']}" if result.detail.get("cover") else text


def _on_leave(result: RuleResult, _policy: Policy) -> str:
    d = result.detail
    return f"{label(d['role'])} {d['hours']:.0f} h during {label(d['kind'])} leave, not covered"


def _iso(due: date | datetime | None) -> str:
    return due.isoformat() if due is not None else ""


def _one(check: Callable[..., RuleResult | None]) -> Check:
    return lambda facts, ctx: [check(facts, ctx.as_of, ctx.policy)]


# -- the rules ---------------------------------------------------------------------------------
R, S = Rule, Severity

RULES: tuple[RuleSpec, ...] = (
    RuleSpec(
        R.HOLD,
        RecordKind.TRANSFER,
        "Custody hold",
        "Custody hold",
        lambda p: (
            f"deadline {hours(p.hold.hours)} after release-eligible"
            + (", weekends and federal holidays not counted" if p.hold.excludes_weekends_and_holidays else "")
            + f"; due soon in its last {hours(p.hold.due_soon_hours)}"
        ),
        (
            Entry(
                R.HOLD, HoldStatus.BREACHED, S.LATE, _text("breached"), _text("Hold deadline breached"), _hold
            ),
            Entry(
                R.HOLD,
                HoldStatus.DUE_SOON,
                S.COMING_DUE,
                _text("due soon"),
                _text("Hold deadline coming"),
                _hold,
            ),
        ),
        TransferFacts,
        _one(holds.hold),
    ),
    RuleSpec(
        R.REVOCATION,
        RecordKind.OFFICER,
        "Revocation",
        "Revocation of authority",
        lambda p: (
            f"authority revoked {days(p.refresher.revocation_grace_days)} after the refresher is overdue"
        ),
        (
            Entry(
                R.REVOCATION,
                RevocationStatus.REVOCATION_DUE,
                S.LATE,
                _text("revoke now"),
                _text("Revoke authority (refresher lapsed)"),
                _revocation,
                _text("Officers due for revocation"),
            ),
        ),
        OfficerFacts,
        _one(training.revocation),
    ),
    RuleSpec(
        R.REFRESHER,
        RecordKind.OFFICER,
        "Refresher training",
        "Refresher training",
        lambda p: (
            f"every {days(p.refresher.interval_days)} after the latest course; "
            f"due soon {days(p.refresher.due_soon_days)} before"
        ),
        (
            Entry(
                R.REFRESHER,
                RefresherStatus.OVERDUE,
                S.LATE,
                _text("overdue"),
                _text("Refresher training overdue"),
                _due_in_days,
                _text("Refreshers overdue"),
            ),
            Entry(
                R.REFRESHER,
                RefresherStatus.DUE_SOON,
                S.COMING_DUE,
                _text("due soon"),
                _text("Refresher training due"),
                _due_in_days,
                lambda p: f"Refreshers due within {days(p.refresher.due_soon_days)}",
            ),
        ),
        OfficerFacts,
        _one(training.refresher),
    ),
    RuleSpec(
        R.INITIAL_TRAINING,
        RecordKind.OFFICER,
        "Initial training",
        "Initial training",
        lambda p: (
            f"waiting shown from nomination; marked after {days(p.initial_training.wait_warn_days)}, "
            f"late after {days(p.initial_training.wait_late_days)}"
        ),
        (
            Entry(
                R.INITIAL_TRAINING,
                InitialTrainingStatus.WAITING,
                S.INFORMATIONAL,
                _text("waiting"),
                _text("Waiting for initial training"),
                _waiting,
                _text("Officers waiting for initial training"),
            ),
        ),
        OfficerFacts,
        lambda facts, ctx: [training.initial_training(facts, ctx.as_of, ctx.next_class)],
    ),
    RuleSpec(
        R.EQUIPMENT,
        RecordKind.AGREEMENT,
        "Equipment clock",
        "Equipment",
        lambda p: (
            f"from signing to operational: late past {days(p.equipment.late_days)}, "
            f"alarm past {days(p.equipment.alarm_days)}"
        ),
        (
            Entry(
                R.EQUIPMENT,
                EquipmentStatus.ALARM,
                S.LATE,
                lambda p: f"past {days(p.equipment.alarm_days)}",
                lambda p: f"Equipment past {days(p.equipment.alarm_days)}",
                _equipment,
                lambda p: f"Agreements past {days(p.equipment.alarm_days)} without equipment",
            ),
            Entry(
                R.EQUIPMENT,
                EquipmentStatus.LATE,
                S.COMING_DUE,
                _text("late"),
                _text("Equipment late"),
                _equipment,
                lambda p: f"Agreements past {days(p.equipment.late_days)} without equipment",
            ),
        ),
        AgreementFacts,
        _one(agreements.equipment),
    ),
    RuleSpec(
        R.RENEWAL,
        RecordKind.AGREEMENT,
        "Renewal",
        "Agreement renewal",
        lambda p: f"due soon {days(p.renewal.due_soon_days)} before the agreement expires",
        (
            Entry(
                R.RENEWAL,
                RenewalStatus.OVERDUE,
                S.LATE,
                _text("overdue"),
                _text("Agreement expired"),
                _due_in_days,
                explain=_due_on,
            ),
            Entry(
                R.RENEWAL,
                RenewalStatus.DUE_SOON,
                S.COMING_DUE,
                _text("due soon"),
                _text("Agreement renewal due"),
                _due_in_days,
                explain=_due_on,
            ),
        ),
        AgreementFacts,
        _one(agreements.renewal),
    ),
    RuleSpec(
        R.STEERING_COMMITTEE,
        RecordKind.AGREEMENT,
        "Steering committee",
        "Steering committee meeting",
        lambda p: (
            f"every {days(p.steering_committee.interval_days)}; "
            f"due soon {days(p.steering_committee.due_soon_days)} before"
        ),
        (
            Entry(
                R.STEERING_COMMITTEE,
                SteeringCommitteeStatus.OVERDUE,
                S.LATE,
                _text("overdue"),
                _text("Steering committee meeting overdue"),
                _due_in_days,
                _text("Steering committees overdue"),
                _due_on,
            ),
            Entry(
                R.STEERING_COMMITTEE,
                SteeringCommitteeStatus.DUE_SOON,
                S.COMING_DUE,
                _text("due soon"),
                _text("Steering committee meeting due"),
                _due_in_days,
                explain=_due_on,
            ),
        ),
        AgreementFacts,
        _one(agreements.steering_committee),
    ),
    RuleSpec(
        R.FINDING,
        RecordKind.FINDING,
        "Inspection findings",
        "Corrective action",
        _text("overdue after the corrective due date set with the finding"),
        (
            Entry(
                R.FINDING,
                FindingStatus.OVERDUE,
                S.LATE,
                _text("overdue"),
                _text("Finding's corrective action overdue"),
                _due_in_days,
                _text("Findings past their corrective due date"),
                _due_on,
            ),
        ),
        FindingFacts,
        lambda facts, ctx: [cases.finding(facts, ctx.as_of)],
    ),
    RuleSpec(
        R.COMPLAINT,
        RecordKind.COMPLAINT,
        "Complaints",
        "Complaint",
        lambda p: (
            f"reported to ICE within {hours(p.complaint.report_hours)} of receipt, weekends not counted; "
            f"resolved within {days(p.complaint.resolution_days)}"
        ),
        (
            Entry(
                R.COMPLAINT,
                ComplaintStatus.REPORT_LATE,
                S.LATE,
                _text("reported late"),
                lambda p: f"Complaint not reported to ICE in {hours(p.complaint.report_hours)}",
                _reported_late,
                _text("Complaints reported late"),
                _reported_late_explained,
            ),
            Entry(
                R.COMPLAINT,
                ComplaintStatus.RESOLUTION_OVERDUE,
                S.LATE,
                _text("resolution overdue"),
                _text("Complaint resolution overdue"),
                _unresolved,
                lambda p: f"Complaints open past {days(p.complaint.resolution_days)}",
                _unresolved_explained,
            ),
        ),
        ComplaintFacts,
        lambda facts, ctx: cases.complaint(facts, ctx.as_of, ctx.policy),
    ),
    RuleSpec(
        R.LOAD,
        RecordKind.USER,
        "Workload",
        "Caseload",
        lambda p: (
            f"capacity {p.workload.default_capacity:g} units unless set per manager; "
            f"over capacity above {p.workload.overload_ratio:.0%}; units per agreement by model, "
            f"per authorized officer and per detainer of the last {days(p.workload.recent_transfer_days)}"
        ),
        (
            Entry(
                R.LOAD,
                LoadStatus.OVERLOAD,
                S.INFORMATIONAL,
                _text("over capacity"),
                _text("Caseload over capacity"),
                _load,
            ),
        ),
        ManagerLoadFacts,
        lambda facts, ctx: [staffing.load(facts, ctx.policy)],
    ),
    RuleSpec(
        R.FATIGUE,
        RecordKind.SHIFT,
        "On-call fatigue",
        "On-call fatigue",
        lambda p: (
            f"primary at most {days(p.oncall.max_consecutive_primary_days)} in a row; "
            f"at least {hours(p.oncall.min_rest_hours)} of rest between shifts"
        ),
        (
            Entry(
                R.FATIGUE,
                FatigueStatus.VIOLATION,
                S.INFORMATIONAL,
                _text("fatigue"),
                _text("On-call fatigue"),
                _fatigue,
            ),
        ),
    ),
    RuleSpec(
        R.GAP,
        RecordKind.ROTATION,
        "On-call gaps",
        "On-call gap",
        lambda p: f"someone on call at every instant, checked {days(p.oncall.lookahead_days)} ahead",
        (
            Entry(R.GAP, GapStatus.GAP, S.LATE, _text("no one on call"), _text("On-call gap"), _gap),
            Entry(
                R.GAP,
                GapStatus.LEAVE_COLLISION,
                S.LATE,
                _text("on call while on leave"),
                _text("On-call duty during leave"),
                _on_leave,
            ),
        ),
    ),
)

# Today's groups, in the order a program manager works: liberty first, then authority, the rest.
GROUPS: tuple[Group, ...] = (
    Group("hold_breached", _text("Hold breaches"), ((R.HOLD, HoldStatus.BREACHED),), countdown=True),
    Group("hold_due_soon", _text("Holds due within hours"), ((R.HOLD, HoldStatus.DUE_SOON),), countdown=True),
    Group(
        "revocation", _text("Officers due for revocation"), ((R.REVOCATION, RevocationStatus.REVOCATION_DUE),)
    ),
    Group("refresher_overdue", _text("Refreshers overdue"), ((R.REFRESHER, RefresherStatus.OVERDUE),)),
    Group(
        "refresher_due_soon",
        lambda p: f"Refreshers due within {days(p.refresher.due_soon_days)}",
        ((R.REFRESHER, RefresherStatus.DUE_SOON),),
    ),
    Group(
        "initial_training",
        _text("Waiting for initial training"),
        ((R.INITIAL_TRAINING, InitialTrainingStatus.WAITING),),
    ),
    Group(
        "equipment_alarm",
        lambda p: f"Equipment past {days(p.equipment.alarm_days)}",
        ((R.EQUIPMENT, EquipmentStatus.ALARM),),
    ),
    Group(
        "equipment_late",
        lambda p: f"Equipment past {days(p.equipment.late_days)}",
        ((R.EQUIPMENT, EquipmentStatus.LATE),),
    ),
    Group(
        "renewal",
        lambda p: f"Agreements expired or expiring within {days(p.renewal.due_soon_days)}",
        ((R.RENEWAL, RenewalStatus.OVERDUE), (R.RENEWAL, RenewalStatus.DUE_SOON)),
    ),
    Group(
        "steering_committee",
        _text("Steering committee due"),
        (
            (R.STEERING_COMMITTEE, SteeringCommitteeStatus.OVERDUE),
            (R.STEERING_COMMITTEE, SteeringCommitteeStatus.DUE_SOON),
        ),
    ),
    Group("finding", _text("Overdue findings"), ((R.FINDING, FindingStatus.OVERDUE),)),
    Group(
        "complaint",
        _text("Complaints late or overdue"),
        ((R.COMPLAINT, ComplaintStatus.REPORT_LATE), (R.COMPLAINT, ComplaintStatus.RESOLUTION_OVERDUE)),
    ),
    Group("load", _text("Caseload over capacity"), ((R.LOAD, LoadStatus.OVERLOAD),)),
    Group("fatigue", _text("On-call fatigue"), ((R.FATIGUE, FatigueStatus.VIOLATION),)),
    Group("gap", _text("On-call gaps"), ((R.GAP, GapStatus.GAP),)),
    Group("leave_collision", _text("On call while on leave"), ((R.GAP, GapStatus.LEAVE_COLLISION),)),
)

_SPECS: dict[Rule, RuleSpec] = {spec.rule: spec for spec in RULES}
_ENTRIES: dict[tuple[Rule, Status], Entry] = {e.key: e for spec in RULES for e in spec.entries}
_GROUP_OF: dict[tuple[Rule, Status], Group] = {m: g for g in GROUPS for m in g.members}


def rule_spec(rule: Rule) -> RuleSpec:
    return _SPECS[rule]


def entry(rule: Rule, status: Status) -> Entry:
    """The catalog entry of a rule's status (KeyError for a status the rule never reports)."""
    return _ENTRIES[(rule, status)]


def entry_of(result: Any) -> Entry:
    """The entry of anything with a `rule` and a `status` (a rule result, a compliance item)."""
    return _ENTRIES[(result.rule, result.status)]


def group_of(result: Any) -> Group:
    return _GROUP_OF[(result.rule, result.status)]


_ORDER: dict[tuple[Rule, Status], int] = {m: n for n, m in enumerate(_GROUP_OF)}


def order_of(result: Any) -> int:
    """Where a result comes in the catalog's order (Today's order)."""
    return _ORDER[(result.rule, result.status)]


def thresholds(policy: Policy) -> list[tuple[str, str]]:
    """Every threshold the rules use, as (rule, sentence): what reports print as "thresholds"."""
    return [(spec.name, spec.thresholds(policy)) for spec in RULES]
