"""The agreement packet on paper: the agreement and its agency, what needs action, its officers,
equipment, custody transfers, oversight, and its history."""

from __future__ import annotations

from reportlab.platypus import Flowable

from pm_desk.domain.policy import Policy
from pm_desk.reports.charts import bar_chart
from pm_desk.reports.template import (
    HeadingMaker,
    ReportInfo,
    build_pdf,
    data_table,
    key_values,
    masked_a_number,
    paragraph,
    room,
    thresholds_section,
    title_block,
)
from pm_desk.services.reporting import Progress, agreement_title, hours_text, no_progress
from pm_desk.services.reporting_agreement import AgreementPacket

TITLE = "Agreement packet"


def render_agreement(packet: AgreementPacket, policy: Policy, progress: Progress = no_progress) -> bytes:
    a = packet.agreement
    info = ReportInfo(
        title=TITLE,
        subject=agreement_title(a),
        period=f"as of {packet.as_of:%Y-%m-%d}",
        generated=packet.generated,
        banner=policy.reports.handling_banner,
        as_of=packet.as_of,
        keywords=f"287(g), agreement, {a.agency}",
    )
    h = HeadingMaker()
    g = packet.agency
    story: list[Flowable] = title_block(info)
    story += [
        h("The agreement"),
        key_values(
            [
                ("Agency", a.title),
                ("Agency type", g.kind.replace("_", " ")),
                ("County", g.county),
                ("ORI", g.ori),
                ("Address", g.address),
                ("Phone", g.phone),
                ("Jail beds", g.jail_beds),
                ("Model", a.model.value.replace("_", " ")),
                ("Status", a.status.value.replace("_", " ")),
                ("Application received", a.application_received_on),
                ("Signed", a.signed_on),
                ("Effective", a.effective_on),
                ("Expires", a.expires_on or "open-ended"),
                ("Next steering committee", a.next_steering_committee_on),
                ("Field office", a.field_office),
                ("Manager", a.manager_name or "unassigned"),
                ("Equipment clock", packet.equipment),
                ("Notes", g.notes),
            ]
        ),
        h("Needs action"),
        data_table(
            ("Item", "Status"),
            [(x.what, x.detail) for x in packet.actions],
            (0.3, 0.7),
            empty="None: no renewal, steering committee, complaint or finding is due.",
        ),
        room(150),
        h(f"Officers ({len(packet.officers)})"),
        data_table(
            (
                "Officer",
                "Badge",
                "Rank",
                "Authority",
                "Initial",
                "Latest course",
                "Refresher due",
                "Standing",
            ),
            [
                (o.name, o.badge, o.rank, o.status, o.initial_on, o.latest_on, o.refresher_due, o.standing)
                for o in packet.officers
            ],
            (0.17, 0.08, 0.1, 0.1, 0.11, 0.11, 0.11, 0.22),
            emphasis=lambda row: row[7].startswith(("revocation", "refresher overdue")),
            empty="None: no officer is designated under this agreement.",
        ),
        room(150),
        h("Equipment orders"),
        data_table(
            ("Item", "Qty", "Requested", "Ordered", "Shipped", "Delivered", "Operational"),
            [
                (
                    o.item,
                    o.quantity,
                    o.requested_on,
                    o.ordered_on,
                    o.shipped_on,
                    o.delivered_on,
                    o.operational_on,
                )
                for o in packet.orders
            ],
            (0.22, 0.06, 0.144, 0.144, 0.144, 0.144, 0.144),
            numeric=(1,),
            empty="None ordered.",
        ),
    ]
    story += _transfers(packet, h, policy)
    story += [
        room(150),
        h("Inspections"),
        data_table(
            ("Date", "Kind", "Findings", "Summary"),
            [(i.held_on, i.kind.value.replace("_", " "), i.findings, i.summary) for i in packet.inspections],
            (0.12, 0.16, 0.1, 0.62),
            numeric=(2,),
            empty="None held.",
        ),
        h("Findings", 1),
        data_table(
            ("Inspection", "Severity", "Finding", "Corrective due", "Closed"),
            [
                (
                    f"{f.held_on.isoformat()} {f.kind.value.replace('_', ' ')}",
                    f.severity,
                    f.text,
                    f.corrective_due,
                    f.closed_on or "open",
                )
                for f in packet.findings
            ],
            (0.2, 0.09, 0.45, 0.13, 0.13),
            empty="None.",
        ),
        h("Complaints"),
        data_table(
            ("Received", "Reported to ICE", "Officer", "Outcome", "Standing"),
            [(c.received_at, c.reported_at, c.officer, c.outcome, state) for c, state in packet.complaints],
            (0.17, 0.17, 0.17, 0.22, 0.27),
            empty="None received.",
        ),
        room(150),
        h("History"),
        h("Managers", 1),
        data_table(
            ("From", "Manager", "To", "Reason"),
            [(r.at, r.who, r.what, r.detail) for r in packet.managers],
            (0.22, 0.25, 0.2, 0.33),
            empty="None: never assigned.",
        ),
        h("Authority changes of its officers", 1),
        data_table(
            ("When", "Officer", "Change", "Reason"),
            [(r.at, r.who, r.what, r.detail) for r in packet.authority_history],
            (0.2, 0.25, 0.25, 0.3),
            empty="None.",
        ),
        h("Changes to the agreement record", 1),
        data_table(
            ("When", "By", "Operation", "Action"),
            [(r.at, r.who, r.what, r.detail) for r in packet.record_history],
            (0.22, 0.33, 0.3, 0.15),
            empty="None recorded.",
        ),
    ]
    story += thresholds_section(h, policy)
    return build_pdf(info, story, progress)


def _transfers(packet: AgreementPacket, h: HeadingMaker, policy: Policy) -> list[Flowable]:
    months = packet.transfer_months
    show = packet.generated.show_subjects
    return [
        room(250),
        h("Custody transfers of the last twelve months"),
        data_table(
            ("Month", "Detainers issued", "Picked up", "Late", "Released, no pickup"),
            [(m.month.strftime("%B %Y"), m.issued, m.picked_up, m.late, m.released) for m in months],
            (0.28, 0.18, 0.18, 0.18, 0.18),
            numeric=range(1, 5),
        ),
        bar_chart(
            "Pickups per month: in time and late",
            [m.month.strftime("%b %y") for m in months],
            [("in time", [m.picked_up - m.late for m in months]), ("late", [m.late for m in months])],
            stacked=True,
            height=150,
        ),
        h(f"Hold breaches ({len(packet.breaches)})", 1),
        paragraph(
            f"Pickups after the {policy.hold.hours}-hour deadline in the last twelve months, and holds open "
            "past it now. Most hours over first.",
            "muted",
        ),
        data_table(
            ("Subject ref", "Subject", "Deadline", "Outcome", "Hours over"),
            [
                (
                    b.subject_ref,
                    b.subject_name if show else masked_a_number(b.a_number_last4),
                    b.deadline,
                    "still open" if b.still_open else f"picked up {b.pickup_at:%Y-%m-%d %H:%M} UTC",
                    hours_text(b.hours_over),
                )
                for b in packet.breaches
            ],
            (0.17, 0.2, 0.2, 0.3, 0.13),
            numeric=(4,),
            empty="None: every hold of the period ended in time.",
        ),
    ]
