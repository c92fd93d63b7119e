"""The monthly compliance report of one manager, on paper.

First the figures of the month and what must be acted on (every officer due for revocation and
every hold breach, by name, with days or hours over), then one section per agreement, then the
signatures. A filed month regenerated later says whether it still matches what was filed.
"""

from __future__ import annotations

from collections import Counter
from xml.sax.saxutils import escape

from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from pm_desk.domain.policy import Policy
from pm_desk.domain.rules.statuses import Rule
from pm_desk.reports.charts import bar_chart
from pm_desk.reports.styles import INK, RULE, styles
from pm_desk.reports.template import (
    FRAME_WIDTH,
    HeadingMaker,
    ReportInfo,
    build_pdf,
    data_table,
    instant_text,
    keep,
    key_values,
    masked_a_number,
    none_paragraph,
    paragraph,
    room,
    thresholds_section,
    title_block,
)
from pm_desk.services.filing import FilingCheck
from pm_desk.services.reporting import BreachRow, Progress, agreement_title, hours_text, no_progress
from pm_desk.services.reporting_monthly import AgreementMonth, Figure, MonthlyReport

TITLE = "Monthly compliance report"


def report_info(report: MonthlyReport, policy: Policy) -> ReportInfo:
    manager = report.manager
    office = f", {manager.field_office}" if manager.field_office else ""
    return ReportInfo(
        title=TITLE,
        subject=f"{manager.name}{office}",
        period=report.period.label,
        generated=report.generated,
        banner=policy.reports.handling_banner,
        as_of=report.as_of,
        keywords=f"287(g), monthly compliance, {manager.email}, {report.period.label}",
    )


def render_monthly(
    report: MonthlyReport, policy: Policy, filing: FilingCheck | None = None, progress: Progress = no_progress
) -> bytes:
    info = report_info(report, policy)
    heading = HeadingMaker()
    story: list[Flowable] = title_block(info, _opening_lines(report, filing))
    story += [heading("Summary"), _figures(report.figures), Spacer(1, 10), _hold_chart(report)]
    story += _actions(report, heading, policy)
    story += [room(260), heading("Agreements")]
    if not report.agreements:
        story.append(none_paragraph("None: no agreement is assigned to this manager."))
    for month in report.agreements:
        story += _agreement(month, heading, report.generated.show_subjects, policy)
    story += [heading("Reminders overdue"), _reminders(report)]
    if filing is not None and not filing.matches:
        story += _changes(filing, heading)
    story += thresholds_section(heading, policy)
    story += _signatures(heading)
    return build_pdf(info, story, progress)


def _opening_lines(report: MonthlyReport, filing: FilingCheck | None) -> list[str]:
    period = report.period
    statuses = Counter(m.agreement.status.value.replace("_", " ") for m in report.agreements)
    caseload = ", ".join(f"{n} {s}" for s, n in sorted(statuses.items())) or "none"
    lines = [
        f"Caseload of {escape(report.manager.name)} ({escape(report.manager.email)}): "
        f"{len(report.agreements)} agreements ({caseload}). The month runs from {period.start.isoformat()} "
        f"to {period.end.isoformat()} (UTC); every rule is measured at the instant shown above."
    ]
    if filing is None:
        lines.append("This month has not been filed.")
    elif filing.matches:
        lines.append(
            f"<b>Filed</b> {instant_text(filing.filed_at)} by {escape(filing.filed_by)} "
            f"(content hash {filing.content_hash[:16]}…): this copy matches what was filed."
        )
    else:
        lines.append(
            f"<font color='#b3261e'><b>Changed since filing.</b></font> Filed "
            f"{instant_text(filing.filed_at)} by {escape(filing.filed_by)} (content hash "
            f"{filing.content_hash[:16]}…); {len(filing.changes)} differences are listed under "
            "“Changes since filing”."
        )
    return lines


def _figures(figures: list[Figure]) -> Flowable:
    half = -(-len(figures) // 2)
    columns = [figures[:half], figures[half:]]
    data = []
    for row in range(half):
        line = []
        for column in columns:
            if row < len(column):
                figure = column[row]
                value = figure.value if isinstance(figure.value, str) else f"{figure.value:,}"
                color = "#b3261e" if figure.alarm else "#1b1f24"
                indent = "&nbsp;" * 4 if figure.label.startswith(" ") else ""
                line += [
                    paragraph(indent + escape(figure.label.strip()), "figure_label"),
                    paragraph(f"<font color='{color}'>{escape(value)}</font>", "figure_value"),
                ]
            else:
                line += ["", ""]
        data.append(line)
    widths = [0.34, 0.11, 0.34, 0.21]
    table = Table(data, colWidths=[w * FRAME_WIDTH for w in widths], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (1, 0), (1, -1), 14),
            ]
        )
    )
    return table


def _hold_chart(report: MonthlyReport) -> Flowable:
    months = [m for m in report.agreements if m.picked_up or m.open_breached]
    names = [_short(m.agreement.agency) for m in months]
    return bar_chart(
        "Custody transfers completed this month, by hold outcome",
        names,
        [
            ("in time", [m.picked_up - m.picked_up_late for m in months]),
            ("picked up late", [m.picked_up_late for m in months]),
            ("open past deadline", [m.open_breached for m in months]),
        ],
        stacked=True,
    )


def _short(name: str, limit: int = 22) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"


def _actions(report: MonthlyReport, heading: HeadingMaker, policy: Policy) -> list[Flowable]:
    grace = policy.refresher.revocation_grace_days
    story: list[Flowable] = [
        room(120),
        heading("Action required"),
        heading(f"Officers due for revocation ({len(report.revocations)})", 1),
        paragraph(
            f"Authorized officers whose refresher is more than {grace} days overdue: their authority "
            "must be revoked. Most overdue first.",
            "muted",
        ),
        data_table(
            ("Officer", "Badge", "Agreement", "Refresher due", "Revoke by", "Days overdue"),
            [
                (r.officer, r.badge, r.agreement, r.refresher_due, r.revoke_by, r.days_overdue)
                for r in report.revocations
            ],
            (0.2, 0.09, 0.35, 0.12, 0.12, 0.12),
            numeric=(5,),
            empty="None: no officer is due for revocation.",
        ),
        heading(f"Hold breaches this month ({len(report.breaches)})", 1),
        paragraph(
            f"Transfers picked up after the {policy.hold.hours}-hour hold deadline this month, and holds "
            "still open past it at the end of the period. Most hours over first.",
            "muted",
        ),
        _breach_table(report.breaches, report.generated.show_subjects, with_agreement=True),
        heading(f"Authority revoked this month ({len(report.revoked)})", 1),
        data_table(
            ("Officer", "Badge", "Agreement", "Revoked", "Reason"),
            [
                (r.name, r.badge, _agreement_name(report, r.agreement_id), r.changed_at, r.reason)
                for r in report.revoked
            ],
            (0.2, 0.09, 0.3, 0.16, 0.25),
            empty="None: no authority was revoked this month.",
        ),
        heading("Other items needing action", 1),
        data_table(
            ("Agreement", "Item", "Status"),
            [(m.agreement.title, a.what, a.detail) for m in report.agreements for a in m.actions],
            (0.38, 0.22, 0.4),
            empty="None.",
        ),
    ]
    return story


def _agreement_name(report: MonthlyReport, agreement_id: str) -> str:
    month = next((m for m in report.agreements if m.agreement.id == agreement_id), None)
    return month.agreement.title if month else ""


def _breach_table(rows: list[BreachRow], show_subjects: bool, with_agreement: bool) -> Flowable:
    headers = ["Subject ref", "Subject", "Release eligible", "Deadline", "Outcome", "Hours over"]
    widths = [0.16, 0.18, 0.16, 0.16, 0.24, 0.1]
    if with_agreement:
        headers.insert(0, "Agreement")
        widths = [0.2, 0.14, 0.13, 0.13, 0.13, 0.18, 0.09]
    data = []
    for b in rows:
        outcome = (
            "still open at the end of the period"
            if b.still_open
            else f"picked up {instant_text(b.pickup_at)}"
        )
        subject = b.subject_name if show_subjects else masked_a_number(b.a_number_last4)
        line = [b.subject_ref, subject, b.release_eligible_at, b.deadline, outcome, hours_text(b.hours_over)]
        if with_agreement:
            line.insert(0, b.agreement)
        data.append(line)
    return data_table(headers, data, widths, numeric=(len(headers) - 1,), empty="None: no hold was breached.")


def _agreement(
    month: AgreementMonth, heading: HeadingMaker, show_subjects: bool, policy: Policy
) -> list[Flowable]:
    a = month.agreement
    facts = [
        ("Status", a.status.value.replace("_", " ")),
        ("Signed", a.signed_on),
        ("Effective", a.effective_on),
        ("Expires", a.expires_on or "open-ended"),
        ("Field office", a.field_office),
        ("Equipment clock", month.equipment),
    ]
    officers = data_table(
        (
            "Authorized",
            f"Refresher due ≤ {policy.refresher.due_soon_days} d",
            "Refresher overdue",
            "Revocation due",
            "Revoked this month",
            "Waiting for initial",
        ),
        [
            (
                month.authorized,
                month.refresher_due_soon,
                month.refresher_overdue,
                month.revocation_due,
                len(month.revoked),
                month.waiting_initial,
            )
        ],
        (0.16, 0.18, 0.17, 0.16, 0.17, 0.16),
        numeric=range(6),
    )
    transfers = data_table(
        (
            "Detainers issued",
            "Completed",
            "In time",
            "Late",
            "Released, no pickup",
            "Open at end",
            "Open past deadline",
            f"Due within {policy.hold.due_soon_hours} h",
        ),
        [
            (
                month.detainers_issued,
                month.picked_up,
                month.picked_up - month.picked_up_late,
                month.picked_up_late,
                month.released_no_pickup,
                month.open_at_end,
                month.open_breached,
                month.open_due_soon,
            )
        ],
        (0.13, 0.12, 0.11, 0.1, 0.15, 0.12, 0.14, 0.13),
        numeric=range(8),
    )
    story: list[Flowable] = [
        room(200),
        heading(agreement_title(a), 1),
        key_values(facts, columns=2),
        keep(paragraph("<b>Officers</b>", "h3"), officers),
        keep(paragraph("<b>Custody transfers of the month</b>", "h3"), transfers),
    ]
    if month.breaches:
        story.append(_breach_table(month.breaches, show_subjects, with_agreement=False))
    story += [
        paragraph("<b>Inspections this month</b>", "h3"),
        data_table(
            ("Date", "Kind", "Findings", "Summary"),
            [(i.held_on, i.kind.value.replace("_", " "), i.findings, i.summary) for i in month.inspections],
            (0.12, 0.16, 0.1, 0.62),
            numeric=(2,),
            empty="None this month.",
        ),
        paragraph("<b>Open findings</b>", "h3"),
        data_table(
            ("Inspection", "Severity", "Finding", "Corrective due", "Overdue"),
            [
                (
                    f"{f.held_on.isoformat()} {f.kind.value.replace('_', ' ')}",
                    f.severity,
                    f.text,
                    f.corrective_due,
                    f"{days} d" if days is not None else "",
                )
                for f, days in month.findings
            ],
            (0.2, 0.09, 0.45, 0.13, 0.13),
            emphasis=lambda row: bool(row[4]),
            empty="None open.",
        ),
    ]
    others = [x for x in month.actions if x.rule is not Rule.FINDING]
    if others:
        story += [
            paragraph("<b>Other items</b>", "h3"),
            data_table(("Item", "Status"), [(x.what, x.detail) for x in others], (0.3, 0.7)),
        ]
    story += [
        paragraph("<b>Reminders overdue</b>", "h3"),
        data_table(
            ("Reminder", "Due"),
            [(r.title, r.due_at) for r in month.reminders],
            (0.7, 0.3),
            empty="None.",
        ),
    ]
    return story


def _reminders(report: MonthlyReport) -> Flowable:
    return data_table(
        ("Reminder", "About", "Due"),
        [(r.title, (r.subject_kind or "").replace("_", " "), r.due_at) for r in report.reminders],
        (0.55, 0.2, 0.25),
        empty="None (reminders about one agreement are listed with it).",
    )


def _changes(filing: FilingCheck, heading: HeadingMaker) -> list[Flowable]:
    return [
        heading(f"Changes since filing ({len(filing.changes)})"),
        paragraph(
            f"The month was filed {instant_text(filing.filed_at)} by {escape(filing.filed_by)} with data "
            f"as of {instant_text(filing.data_as_of)} ({filing.unsynced_records:,} local changes not yet "
            "synced then). "
            "Records changed since then make this copy differ from the filed one as follows.",
            "muted",
        ),
        data_table(
            ("Section", "Item", "As filed", "Now"),
            [(c.section, c.item, c.before, c.after) for c in filing.changes],
            (0.2, 0.4, 0.2, 0.2),
        ),
    ]


def _signatures(heading: HeadingMaker) -> list[Flowable]:
    st = styles()
    rows = [
        ["Prepared by (program manager)", "", "Date", ""],
        ["Reviewed by (supervisor)", "", "Date", ""],
    ]
    widths = [w * FRAME_WIDTH for w in (0.3, 0.4, 0.08, 0.22)]
    table = Table(rows, colWidths=widths, rowHeights=[34, 34], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), st.body.fontName),
                ("FONTSIZE", (0, 0), (-1, -1), 8.5),
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("LINEBELOW", (1, 0), (1, -1), 0.6, INK),
                ("LINEBELOW", (3, 0), (3, -1), 0.6, INK),
            ]
        )
    )
    note = paragraph("I have reviewed this report and the actions it lists.", "muted")
    return [keep(heading("Signatures"), note, table)]
