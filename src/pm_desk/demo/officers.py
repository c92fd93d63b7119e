"""Designated officers: who they are, where their authority stands and how they got there.

Each officer's training is planned backwards from where the refresher rule must find him:
current, due soon, overdue, past the grace period (revocation due) or already revoked.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pm_desk.demo.agreements import AgreementPlan
from pm_desk.demo.context import DemoContext, allocate
from pm_desk.demo.people import FIRST_NAMES, LAST_NAMES
from pm_desk.demo.texts import REVOCATION_REASONS, SEPARATION_REASONS
from pm_desk.demo.training import Classes
from pm_desk.domain.enums import (
    AgreementModel,
    AgreementStatus,
    AuthorityStatus,
    BackgroundCheck,
    EnrollmentResult,
)

A = AuthorityStatus
S = AgreementStatus
JEM = AgreementModel.JAIL_ENFORCEMENT
MODEL_SIZE = {JEM: 1.6, AgreementModel.TASK_FORCE: 1.0, AgreementModel.WARRANT_SERVICE_OFFICER: 0.55}
STATUS_SIZE = {S.ACTIVE: 1.0, S.SIGNED: 0.6, S.SUSPENDED: 0.8, S.TERMINATED: 0.6}
AUTHORITY_WEIGHTS = {
    S.ACTIVE: (
        (A.AUTHORIZED, 0.66),
        (A.NOMINATED, 0.08),
        (A.IN_TRAINING, 0.05),
        (A.SUSPENDED, 0.015),
        (A.REVOKED, 0.07),
        (A.SEPARATED, 0.125),
    ),
    S.SIGNED: ((A.NOMINATED, 0.55), (A.IN_TRAINING, 0.25), (A.AUTHORIZED, 0.2)),
    S.SUSPENDED: ((A.SUSPENDED, 0.75), (A.REVOKED, 0.1), (A.SEPARATED, 0.15)),
    S.TERMINATED: ((A.REVOKED, 0.65), (A.SEPARATED, 0.35)),
}
REFRESHER_WEIGHTS = (("current", 0.75), ("due_soon", 0.09), ("overdue", 0.07), ("revocation_due", 0.09))
# Days before the anchor the latest completed course falls in, for each refresher situation.
LATEST_WINDOWS = {
    "current": (1, 334),
    "due_soon": (335, 365),
    "overdue": (366, 395),
    "revocation_due": (396, 760),
    "lapsed": (400, 900),
    "any": (60, 1500),
}
# Officers the demo makes to fit these situations before drawing the rest at random.
FORCED = ("due_soon", "overdue", "revocation_due", "revocation_due", "lapsed")
OLD_ENOUGH_DAYS = 800


@dataclass(slots=True)
class OfficerPlan:
    id: str
    agreement: AgreementPlan
    name: str
    badge: str
    rank: str
    email: str | None
    status: AuthorityStatus
    nominated_day: int = 0
    background: BackgroundCheck | None = None
    background_day: int | None = None
    initial_day: int | None = None
    refresher_days: list[int] = field(default_factory=list)
    other_course_day: int | None = None
    # (day, from, to, reason) in order.
    history: list[tuple[int, AuthorityStatus | None, AuthorityStatus, str | None]] = field(
        default_factory=list
    )


class _Planner:
    def __init__(self, ctx: DemoContext, classes: Classes) -> None:
        self.rng = ctx.rng("officers")
        self.today = ctx.today
        self.classes = classes
        self.forced = list(FORCED)

    def officer(self, officer_id: str, plan: AgreementPlan) -> OfficerPlan:
        rng = self.rng
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        email = None
        if rng.random() < 0.8:
            email = (
                f"{first[0]}{last}".lower().replace(" ", "").replace("'", "") + "@" + plan.agency.email_domain
            )
        weights = AUTHORITY_WEIGHTS[plan.status]
        status = rng.choices([s for s, _ in weights], [w for _, w in weights])[0]
        officer = OfficerPlan(
            officer_id,
            plan,
            f"{first} {last}",
            plan.agency.new_badge(rng),
            rng.choice(plan.agency.ranks),
            email,
            status,
        )
        situation = self._situation(officer)
        if situation is None or not self._train(officer, situation):
            officer.status = A.IN_TRAINING if status is A.IN_TRAINING else A.NOMINATED
            self._wait(officer)
        return officer

    def _situation(self, officer: OfficerPlan) -> str | None:
        """Where the officer's refresher stands, or None for one still waiting for training."""
        plan, status = officer.agreement, officer.status
        old_enough = plan.signed_day is not None and plan.signed_day <= self.today - OLD_ENOUGH_DAYS
        if self.forced and old_enough and plan.status is S.ACTIVE and status in (A.AUTHORIZED, A.REVOKED):
            situation = self.forced.pop(0)
            officer.status = A.REVOKED if situation == "lapsed" else A.AUTHORIZED
            return situation
        if status in (A.NOMINATED, A.IN_TRAINING):
            return None
        if plan.status in (S.SUSPENDED, S.TERMINATED):
            return "ended"
        if status is A.AUTHORIZED:
            return self.rng.choices([s for s, _ in REFRESHER_WEIGHTS], [w for _, w in REFRESHER_WEIGHTS])[0]
        if status is A.REVOKED and self.rng.random() < 0.75:
            return "lapsed"
        return "any"

    def _train(self, officer: OfficerPlan, situation: str) -> bool:
        """Plans initial and refresher courses so the latest falls in the situation's window."""
        rng, plan = self.rng, officer.agreement
        assert plan.signed_day is not None
        earliest = plan.signed_day + 14
        if situation == "ended":
            assert plan.ended_day is not None
            low, high = plan.ended_day - 334, plan.ended_day - 1
        else:
            back_far, back_near = LATEST_WINDOWS[situation][1], LATEST_WINDOWS[situation][0]
            low, high = self.today - back_far, self.today - back_near
        low = max(low, earliest)
        if low > high:
            if situation in ("current", "any", "ended"):
                return False
            return self._train(officer, "current")
        jem = plan.model is JEM
        session = self.classes.completed_between(rng, low, high) if jem and rng.random() < 0.6 else None
        latest = session.ends_day if session else rng.randint(low, high)
        refreshers: list[int] = []
        initial = latest
        # A session found here is the officer's only course: an initial one and no refresher since.
        most = 0 if session else 3 if rng.random() < 0.7 else rng.randint(0, 3)
        while len(refreshers) < most and initial - 364 - 14 >= earliest:
            refreshers.append(initial)
            initial -= rng.randint(300, 364)
        if session is None and jem and refreshers:
            session = self.classes.completed_between(rng, max(initial - 21, earliest), initial)
            if session is not None:
                initial = session.ends_day
        if session is not None:
            self.classes.enroll(officer.id, session, EnrollmentResult.COMPLETED)
        officer.initial_day = initial
        officer.refresher_days = sorted(refreshers)
        self._trained_history(officer, session.starts_day if session else None, situation, latest)
        return True

    def _trained_history(
        self, officer: OfficerPlan, class_start: int | None, situation: str, latest: int
    ) -> None:
        rng, today = self.rng, self.today
        initial = officer.initial_day
        assert initial is not None
        wait = rng.randint(20, 150) if officer.agreement.model is JEM else rng.randint(7, 60)
        nominated = officer.nominated_day = initial - wait
        officer.background, officer.background_day = (
            BackgroundCheck.CLEARED,
            nominated + rng.randint(3, wait - 2),
        )
        started = class_start if class_start is not None else initial - rng.randint(0, 4)
        authorized = min(initial + rng.randint(0, 3), today - 1)
        history = officer.history
        history.append((nominated, None, A.NOMINATED, "Nominated by the agency"))
        history.append((max(started, nominated), A.NOMINATED, A.IN_TRAINING, None))
        history.append((max(authorized, initial), A.IN_TRAINING, A.AUTHORIZED, "Initial training completed"))
        if rng.random() < 0.08:
            officer.other_course_day = min(initial + rng.randint(30, 400), today - 1)
        plan, status = officer.agreement, officer.status
        if status is A.AUTHORIZED:
            return
        if situation == "ended" and status is not A.SEPARATED:
            assert plan.ended_day is not None
            reason = "Agreement suspended" if plan.status is S.SUSPENDED else "Agreement terminated"
            history.append((plan.ended_day, A.AUTHORIZED, status, reason))
        elif status is A.REVOKED and situation == "lapsed":
            revoke_by = latest + 365 + 30
            when = min(revoke_by + rng.randint(1, 60), today - 1)
            history.append((when, A.AUTHORIZED, A.REVOKED, REVOCATION_REASONS[0]))
        else:
            until = plan.ended_day if plan.ended_day is not None else today - 1
            when = max(rng.randint(min(authorized + 10, until), until), authorized)
            if status is A.REVOKED:
                reason = REVOCATION_REASONS[2]
            elif status is A.SUSPENDED:
                reason = "Pending the outcome of a complaint"
            else:
                reason = rng.choice(SEPARATION_REASONS)
            history.append((when, A.AUTHORIZED, status, reason))

    def _wait(self, officer: OfficerPlan) -> None:
        """An officer nominated (or in class) with no initial course yet."""
        rng, today, plan = self.rng, self.today, officer.agreement
        assert plan.signed_day is not None
        longest = 300 if plan.model is JEM else 150
        nominated = officer.nominated_day = max(
            today - rng.randint(5, longest), plan.signed_day + rng.randint(0, 10)
        )
        nominated = officer.nominated_day = min(nominated, today)
        r = rng.random()
        if r < 0.65 or officer.status is A.IN_TRAINING:
            officer.background = BackgroundCheck.CLEARED
            officer.background_day = min(nominated + rng.randint(7, 45), today)
        elif r < 0.95:
            officer.background = BackgroundCheck.PENDING
        else:
            officer.background, officer.background_day = BackgroundCheck.DENIED, min(nominated + 30, today)
        officer.history.append((nominated, None, A.NOMINATED, "Nominated by the agency"))
        classes = self.classes
        if officer.status is A.IN_TRAINING:
            running = [c for c in classes.running() if c.has_seat() and c.starts_day >= nominated]
            if running:
                session = rng.choice(running)
                classes.enroll(officer.id, session, EnrollmentResult.ENROLLED)
                officer.history.append(
                    (session.starts_day, A.NOMINATED, A.IN_TRAINING, "Reported to FLETC Charleston")
                )
                return
            officer.status = A.NOMINATED
        if officer.background is BackgroundCheck.DENIED:
            return
        past = [c for c in classes.all if nominated <= c.starts_day and c.ends_day < today and c.has_seat()]
        if past and rng.random() < 0.1:
            classes.enroll(
                officer.id,
                rng.choice(past),
                rng.choice((EnrollmentResult.WITHDRAWN, EnrollmentResult.FAILED)),
            )
        upcoming = [c for c in classes.upcoming() if c.has_seat(classes.seat_limit(c))]
        if upcoming and rng.random() < 0.45:
            classes.enroll(officer.id, rng.choice(upcoming[:6]), EnrollmentResult.ENROLLED)


def plan_officers(
    ctx: DemoContext, total: int, agreements: list[AgreementPlan], classes: Classes
) -> list[OfficerPlan]:
    rng = ctx.rng("officers:sizes")
    weights = [
        MODEL_SIZE[p.model] * STATUS_SIZE.get(p.status, 0.0) * rng.lognormvariate(0, 0.45) for p in agreements
    ]
    counts = allocate(total, weights)
    planner = _Planner(ctx, classes)
    ids = ctx.ids("officers").ascending(total)
    officers: list[OfficerPlan] = []
    for plan, count in zip(agreements, counts, strict=True):
        for _ in range(count):
            officers.append(planner.officer(next(ids), plan))
    for officer in officers:
        if officer.status is A.AUTHORIZED:
            officer.agreement.authorized += 1
    return officers
