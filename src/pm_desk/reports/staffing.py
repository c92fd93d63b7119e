"""The staffing analysis on paper: workload units and managers needed versus present, by field
office and for the program, now and with the applicant pipeline."""

from __future__ import annotations

from reportlab.platypus import Flowable

from pm_desk.domain.policy import Policy
from pm_desk.domain.words import load_percent
from pm_desk.reports.charts import bar_chart
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
from pm_desk.services.reporting_staffing import OfficeStaffing, StaffingReport

TITLE = "Staffing analysis"


def render_staffing(report: StaffingReport, policy: Policy, progress: Progress = no_progress) -> bytes:
    info = ReportInfo(
        title=TITLE,
        subject="287(g) program managers, by field office",
        period=f"as of {report.as_of:%Y-%m-%d}",
        generated=report.generated,
        banner=policy.reports.handling_banner,
        as_of=report.as_of,
        keywords="287(g), staffing, workload units",
        toc=False,
    )
    w = policy.workload
    total = report.total
    need, have, pipe = total.needed, total.managers, total.pipeline_agreements
    weights = (
        f"jail enforcement {w.jail_enforcement:g}, task force {w.task_force:g}, "
        f"warrant service {w.warrant_service_officer:g}"
    )
    lines = [
        f"The program carries <b>{total.units:,.1f}</b> workload units: at {report.capacity_per_manager:g} "
        f"units per manager it needs <b>{need:,}</b> managers and has <b>{have:,}</b> ({_gap(total.gap)}). "
        f"With the {pipe:,} agreements in the pipeline signed, it would need "
        f"{total.needed_with_pipeline:,} ({_gap(total.gap_with_pipeline)}).",
        f"Units per agreement in signed, active or suspended status: {weights}; plus "
        f"{w.per_authorized_officer:g} per authorized officer and {w.per_recent_transfer:g} per detainer of "
        f"the last {w.recent_transfer_days} days. {report.unassigned_agreements:,} agreements carrying units "
        "have no manager assigned.",
    ]
    h = HeadingMaker()
    offices = [*report.offices, total]
    overloaded = {m.name for m in report.managers if m.overloaded}
    story: list[Flowable] = title_block(info, lines)
    story += [
        h("Managers needed versus present, by field office"),
        data_table(
            ("Field office", "Agreements", "Units", "Managers", "Needed", "Gap", "Pipeline",
             "Needed with pipeline", "Gap with pipeline"),
            [_row(o) for o in offices],
            (0.17, 0.12, 0.09, 0.11, 0.09, 0.08, 0.1, 0.13, 0.11),
            numeric=range(1, 9),
            emphasis=lambda row: int(str(row[5])) > 0 or int(str(row[8])) > 0,
            total=True,
        ),
        bar_chart(
            "Managers needed (with the pipeline) and present",
            [o.office for o in report.offices],
            [("needed now", [o.needed for o in report.offices]),
             ("needed with pipeline", [o.needed_with_pipeline for o in report.offices]),
             ("present", [o.managers for o in report.offices])],
            height=190,
        ),
        room(200),
        h("Managers and their load"),
        data_table(
            ("Manager", "Field office", "Agreements", "Units", "Capacity", "Load"),
            [(m.name, m.office, m.agreements, f"{m.units:.2f}", f"{m.capacity:.1f}", load_percent(m.load))
             for m in report.managers],
            (0.28, 0.25, 0.13, 0.11, 0.12, 0.11),
            numeric=range(2, 6),
            emphasis=lambda row: row[0] in overloaded,
            empty="None: no active manager.",
        ),
        paragraph("Rows in red: more managers needed than present, or a manager above capacity.", "muted"),
    ]  # fmt: skip
    story += thresholds_section(h, policy)
    return build_pdf(info, story, progress)


def _gap(gap: int) -> str:
    if gap > 0:
        return f"{gap:,} short"
    if gap < 0:
        return f"{-gap:,} more than needed"
    return "exactly enough"


def _row(o: OfficeStaffing) -> tuple[object, ...]:
    return (
        o.office, o.agreements, f"{o.units:.1f}", o.managers, o.needed, f"{o.gap:+d}", o.pipeline_agreements,
        o.needed_with_pipeline, f"{o.gap_with_pipeline:+d}",
    )  # fmt: skip
