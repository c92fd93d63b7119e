"""The program (headquarters) report of a month, on paper: agreements by status and model,
managers and their load, the equipment clock, refresher compliance and revocations, hold
breaches, and the performance measures of the last twelve months, with charts."""

from __future__ import annotations

from reportlab.platypus import Flowable

from pm_desk.domain.policy import Policy
from pm_desk.domain.words import load_percent
from pm_desk.reports.charts import bar_chart, horizontal_bars, line_chart
from pm_desk.reports.template import (
    HeadingMaker,
    ReportInfo,
    build_pdf,
    data_table,
    keep,
    paragraph,
    room,
    thresholds_section,
    title_block,
)
from pm_desk.services.reporting import Progress, hours_text, no_progress
from pm_desk.services.reporting_program import ProgramReport

TITLE = "Program compliance report"
# A manager with no capacity has an infinite load: the chart draws him at this share.
CHART_LOAD_CAP = 5.0


def render_program(report: ProgramReport, policy: Policy, progress: Progress = no_progress) -> bytes:
    info = ReportInfo(
        title=TITLE,
        subject="287(g) program, all field offices",
        period=report.period.label,
        generated=report.generated,
        banner=policy.reports.handling_banner,
        as_of=report.as_of,
        keywords=f"287(g), program compliance, {report.period.label}",
    )
    h = HeadingMaker()
    total = report.total
    in_force = sum(
        n for status, row in report.by_status if status.value in {"signed", "active"} for n in row.values()
    )
    share = report.equipment_past_alarm / report.equipment_signed if report.equipment_signed else 0.0
    late_share = total.picked_up_late / total.picked_up if total.picked_up else 0.0
    lines = [
        f"{in_force:,} agreements signed or active; {len(report.managers):,} managers; "
        f"{total.authorized:,} authorized officers. <b>{len(report.revocations):,}</b> officers are due for "
        f"revocation; {total.revoked_in_month:,} were revoked this month. "
        f"{total.picked_up:,} transfers were picked up this month, <b>{total.picked_up_late:,}</b> "
        f"after the hold deadline ({late_share:.1%}); {total.open_breached:,} holds were still open past it "
        f"at the end of the period. {share:.0%} of signed agreements took or have taken more than "
        f"{policy.equipment.alarm_days} days to become operational."
    ]
    story: list[Flowable] = title_block(info, lines)
    story += _agreements(report, h)
    story += _managers(report, h)
    story += _equipment(report, h, policy, share)
    story += _training(report, h, policy)
    story += _holds(report, h, policy)
    story += _measures(report, h)
    story += _appendix(report, h)
    story += thresholds_section(h, policy)
    return build_pdf(info, story, progress)


def _agreements(report: ProgramReport, h: HeadingMaker) -> list[Flowable]:
    models = report.models
    rows = [
        (status.value.replace("_", " "), *(row[m] for m in models), sum(row.values()))
        for status, row in report.by_status
    ]
    totals = ("all", *(sum(row[m] for _s, row in report.by_status) for m in models), sum(r[-1] for r in rows))
    headers = ("Status", *(m.value.replace("_", " ") for m in models), "All models")
    return [
        h("Agreements by status and model"),
        data_table(headers, [*rows, totals], (0.25, 0.2, 0.2, 0.2, 0.15), numeric=range(1, 5), total=True),
        bar_chart(
            "Agreements by status",
            [status.value.replace("_", " ") for status, _row in report.by_status],
            [(m.value.replace("_", " "), [row[m] for _s, row in report.by_status]) for m in models],
            stacked=True,
        ),
    ]


def _managers(report: ProgramReport, h: HeadingMaker) -> list[Flowable]:
    over = [m for m in report.managers if m.overloaded]
    top = report.managers[:25]
    return [
        room(200),
        h("Managers and load"),
        paragraph(
            f"{len(report.managers):,} active managers; {len(over):,} carry more workload units than their "
            "capacity. Most loaded first.",
            "muted",
        ),
        horizontal_bars(
            f"Load of the {len(top)} most loaded managers (% of capacity)",
            [m.name for m in top],
            [round(min(m.load, CHART_LOAD_CAP) * 100, 1) for m in top],
            value_format="{:,.0f}%",
        ),
        data_table(
            ("Manager", "Field office", "Agreements", "Units", "Capacity", "Load"),
            [
                (m.name, m.office, m.agreements, f"{m.units:.2f}", f"{m.capacity:.1f}", load_percent(m.load))
                for m in report.managers
            ],
            (0.28, 0.25, 0.13, 0.11, 0.12, 0.11),
            numeric=range(2, 6),
            emphasis=lambda row: row[5] != "" and float(str(row[5]).rstrip("%")) > 100,
            empty="None: no active manager.",
        ),
    ]


def _equipment(report: ProgramReport, h: HeadingMaker, policy: Policy, share: float) -> list[Flowable]:
    alarm = policy.equipment.alarm_days
    return [
        room(260),
        h("Equipment: days from signing to operational"),
        paragraph(
            f"Of {report.equipment_signed:,} signed or active agreements, {report.equipment_past_alarm:,} "
            f"({share:.0%}) took more than {alarm} days to become operational or have been waiting longer. "
            "Agreements not yet operational are counted to the report's instant.",
            "muted",
        ),
        bar_chart(
            "Agreements by days from signing",
            [label for label, _o, _w in report.equipment_buckets],
            [
                ("operational", [o for _l, o, _w in report.equipment_buckets]),
                ("not yet operational", [w for _l, _o, w in report.equipment_buckets]),
            ],
            stacked=True,
        ),
        data_table(
            ("Days from signing", "Operational", "Not yet operational"),
            report.equipment_buckets,
            (0.4, 0.3, 0.3),
            numeric=(1, 2),
        ),
    ]


def _training(report: ProgramReport, h: HeadingMaker, policy: Policy) -> list[Flowable]:
    offices = [*report.offices, report.total]
    return [
        room(200),
        h("Refresher compliance and revocations"),
        paragraph(
            f"Authorized officers must complete a refresher every {policy.refresher.interval_days} days; "
            f"authority must be revoked {policy.refresher.revocation_grace_days} days after it is overdue. "
            "Revocations due are measured at the report's instant; revocations done are those of the month.",
            "muted",
        ),
        data_table(
            ("Field office", "Authorized", "Due soon", "Overdue", "Revocation due", "Revoked this month"),
            [
                (
                    o.office,
                    o.authorized,
                    o.refresher_due_soon,
                    o.refresher_overdue,
                    o.revocation_due,
                    o.revoked_in_month,
                )
                for o in offices
            ],
            (0.3, 0.14, 0.12, 0.12, 0.16, 0.16),
            numeric=range(1, 6),
            total=True,
        ),
        bar_chart(
            "Revocations due versus done, by field office",
            [o.office for o in report.offices],
            [
                ("due at the end of the period", [o.revocation_due for o in report.offices]),
                ("revoked this month", [o.revoked_in_month for o in report.offices]),
            ],
        ),
    ]


def _holds(report: ProgramReport, h: HeadingMaker, policy: Policy) -> list[Flowable]:
    offices = [*report.offices, report.total]
    months = [m.month.strftime("%b %y") for m in report.hold_trend]
    return [
        room(260),
        h("Custody transfers and hold breaches"),
        paragraph(
            f"A hold is breached when the subject is picked up more than {policy.hold.hours} hours after "
            "becoming eligible for release (counted in the month of pickup), or is still waiting past "
            "that deadline at the end of the period.",
            "muted",
        ),
        data_table(
            ("Field office", "Picked up", "Late", "Late share", "Open past deadline"),
            [
                (
                    o.office,
                    o.picked_up,
                    o.picked_up_late,
                    f"{o.picked_up_late / o.picked_up:.1%}" if o.picked_up else "—",
                    o.open_breached,
                )
                for o in offices
            ],
            (0.36, 0.16, 0.16, 0.16, 0.16),
            numeric=range(1, 5),
            total=True,
        ),
        bar_chart(
            "Pickups per month: in time and late",
            months,
            [
                ("in time", [m.picked_up - m.late for m in report.hold_trend]),
                ("after the deadline", [m.late for m in report.hold_trend]),
            ],
            stacked=True,
        ),
        h("Agreements with hold breaches this month", 1),
        data_table(
            ("Agreement", "Manager", "Picked up late", "Open past deadline", "Most hours over"),
            [
                (b.agreement, b.manager, b.late, b.still_open, hours_text(b.max_hours_over))
                for b in report.breaches_by_agreement
            ],
            (0.38, 0.2, 0.13, 0.15, 0.14),
            numeric=range(2, 5),
            empty="None: no hold was breached this month.",
        ),
    ]


def _measures(report: ProgramReport, h: HeadingMaker) -> list[Flowable]:
    months = [m.month.strftime("%b %y") for m in report.activity]
    return [
        room(300),
        h("Performance measures per month"),
        paragraph(
            "Monthly activity reported by the agencies (entered or computed from the records).", "muted"
        ),
        line_chart(
            "Activity per month",
            months,
            [
                ("encounters", [m.encounters for m in report.activity]),
                ("detainers lodged", [m.detainers_lodged for m in report.activity]),
                ("charging documents", [m.charging_documents for m in report.activity]),
                ("transfers completed", [m.transfers_completed for m in report.activity]),
            ],
        ),
        data_table(
            (
                "Month",
                "Encounters",
                "Detainers lodged",
                "Charging documents",
                "Transfers completed",
                "Hold breaches",
            ),
            [
                (
                    m.month.strftime("%B %Y"),
                    m.encounters,
                    m.detainers_lodged,
                    m.charging_documents,
                    m.transfers_completed,
                    t.late,
                )
                for m, t in zip(report.activity, report.hold_trend, strict=True)
            ],
            (0.2, 0.15, 0.16, 0.17, 0.17, 0.15),
            numeric=range(1, 6),
        ),
    ]


def _appendix(report: ProgramReport, h: HeadingMaker) -> list[Flowable]:
    return [
        room(200),
        h(f"Appendix: officers due for revocation ({len(report.revocations):,})"),
        keep(
            paragraph(
                "Every authorized officer whose refresher is overdue past the grace days, most overdue "
                "first. Each must be revoked (or his refresher recorded) by his manager.",
                "muted",
            )
        ),
        data_table(
            ("Officer", "Badge", "Agreement", "Manager", "Refresher due", "Days overdue"),
            [
                (r.officer, r.badge, r.agreement, r.manager or "unassigned", r.refresher_due, r.days_overdue)
                for r in report.revocations
            ],
            (0.19, 0.08, 0.34, 0.17, 0.11, 0.11),
            numeric=(5,),
            empty="None: no officer is due for revocation.",
        ),
    ]
