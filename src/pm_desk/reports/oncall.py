"""The on-call report on paper: per rotation, the rota as worked, the overrides, the gaps and
fatigue warnings, and the hours each person carried in the period."""

from __future__ import annotations

from reportlab.platypus import Flowable

from pm_desk.domain.policy import Policy
from pm_desk.reports.template import (
    HeadingMaker,
    ReportInfo,
    build_pdf,
    data_table,
    paragraph,
    room,
    thresholds_section,
    title_block,
)
from pm_desk.services.reporting import Progress, no_progress
from pm_desk.services.reporting_oncall import OnCallReport, hours_rows

TITLE = "On-call rota"


def render_oncall(report: OnCallReport, policy: Policy, progress: Progress = no_progress) -> bytes:
    info = ReportInfo(
        title=TITLE,
        subject="On-call coverage of the field offices",
        period=report.period.label,
        generated=report.generated,
        banner=policy.reports.handling_banner,
        keywords="287(g), on-call, rota",
    )
    gaps = sum(len(r.gaps) for r in report.rotations)
    fatigue = sum(len(r.fatigue) for r in report.rotations)
    lines = [
        f"{len(report.rotations)} rotations from {report.period.start.isoformat()} to "
        f"{report.period.end.isoformat()} (UTC days). Times are UTC. Coverage gaps: <b>{gaps}</b>; "
        f"fatigue warnings (more than {policy.oncall.max_consecutive_primary_days} days in a row as primary, "
        f"or less than {policy.oncall.min_rest_hours} h of rest): <b>{fatigue}</b>."
    ]
    h = HeadingMaker()
    story: list[Flowable] = title_block(info, lines)
    if not report.rotations:
        story.append(paragraph("<i>None: no rotation is set up.</i>"))
    for rota in report.rotations:
        story += [
            room(220),
            h(f"{rota.office}: {rota.name}"),
            paragraph(
                f"Handoffs and shifts in the rotation's zone {rota.timezone}, printed in UTC.", "muted"
            ),
            h("Shifts as worked", 2),
            data_table(
                ("Starts", "Ends", "Primary", "Backup", "Note"),
                [(s.starts_at, s.ends_at, s.primary, s.backup, s.note) for s in rota.shifts],
                (0.18, 0.18, 0.2, 0.2, 0.24),
                empty="None: no shift in the period.",
            ),
            h("Overrides", 2),
            data_table(
                ("From", "To", "Covered", "Covering", "Reason", "State"),
                [(o.starts_at, o.ends_at, o.covered, o.covering, o.reason, o.state) for o in rota.overrides],
                (0.17, 0.17, 0.19, 0.21, 0.12, 0.14),
                empty="None.",
            ),
            h("Coverage gaps", 2),
            data_table(
                ("From", "Gap"),
                [(g.at, g.what) for g in rota.gaps],
                (0.25, 0.75),
                empty="None: always covered.",
            ),
            h("Fatigue warnings", 2),
            data_table(("Shift starts", "Warning"), [(f.at, f.what) for f in rota.fatigue], (0.25, 0.75)),
            h("Hours per person", 2),
            data_table(
                ("Person", "Primary hours", "Backup hours", "Primary shifts"),
                [(p, f"{a:,.1f}", f"{b:,.1f}", n) for p, a, b, n in hours_rows(rota)],
                (0.4, 0.2, 0.2, 0.2),
                numeric=(1, 2, 3),
            ),
        ]
    story += thresholds_section(h, policy)
    return build_pdf(info, story, progress)
