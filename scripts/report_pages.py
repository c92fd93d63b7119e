"""Print every report and turn its pages into PNG files, for a person to look at (and time them).

    python scripts/report_pages.py OUTPUT_DIR [--db PATH] [--month 2026-10] [--manager EMAIL] [--dpi 70]

Without --db it builds the `small` demo program in a temporary folder. Each report is written as
OUTPUT_DIR/<report>.pdf with its pages as OUTPUT_DIR/<report>-N.png (pdftoppm, poppler-utils);
the seconds each report took and the peak memory are printed as one JSON object at the end.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("output", type=Path)
    parser.add_argument("--db", help="an existing PM Desk database (default: a new small demo)")
    parser.add_argument("--month", default="2026-10", help="the month of the monthly and program reports")
    parser.add_argument("--manager", help="whose monthly report (default: the manager with most agreements)")
    parser.add_argument("--dpi", type=int, default=70, help="resolution of the PNG pages (default 70)")
    args = parser.parse_args()
    args.output.mkdir(parents=True, exist_ok=True)

    from sqlalchemy import func, select

    from pm_desk.demo import generate_demo
    from pm_desk.domain.policy import load_policy
    from pm_desk.reports.generate import ReportRequest, generate_report
    from pm_desk.services.reporting import Generated
    from pm_desk.store.database import open_database
    from pm_desk.store.models import Agreement, User

    if args.db:
        db = open_database(args.db, create=False)
    else:
        folder = Path(tempfile.mkdtemp(prefix="pm-desk-report-pages-"))
        db = open_database(str(folder / "small.sqlite3"))
        generate_demo(db, "small", anchor=datetime(2026, 11, 2, 12, tzinfo=UTC))
    month = date.fromisoformat(f"{args.month}-01")
    with db.uow() as uow:
        manager = (
            args.manager
            or uow.session.execute(
                select(User.email)
                .join(Agreement, Agreement.manager_id == User.id)
                .group_by(User.id)
                .order_by(func.count().desc(), User.email)
                .limit(1)
            ).scalar_one()
        )
        agreement_id = uow.session.execute(
            select(Agreement.id)
            .where(Agreement.manager_id == select(User.id).where(User.email == manager).scalar_subquery())
            .limit(1)
        ).scalar_one()
    requests = {
        "monthly": ReportRequest("monthly", month=month, manager_email=manager),
        "program": ReportRequest("program", month=month),
        "staffing": ReportRequest("staffing"),
        "oncall": ReportRequest("oncall", date_from=month, date_to=month.replace(day=28)),
        "agreement": ReportRequest("agreement", agreement_id=agreement_id),
    }
    policy = load_policy()
    figures: dict[str, object] = {"manager": manager}
    for name, request in requests.items():
        started = time.perf_counter()
        output = generate_report(
            db, policy, request, Generated(db.clock(), "Report pages script", None, True)
        )
        figures[f"{name}_seconds"] = round(time.perf_counter() - started, 2)
        pdf = args.output / f"{name}.pdf"
        pdf.write_bytes(output.pdf)
        for old in args.output.glob(f"{name}-*.png"):
            old.unlink()
        subprocess.run(
            ["pdftoppm", "-r", str(args.dpi), "-png", str(pdf), str(args.output / name)], check=True
        )
        pages = len(list(args.output.glob(f"{name}-*.png")))
        figures[f"{name}_pages"] = pages
        print(f"{name}: {pages} pages in {figures[f'{name}_seconds']} s -> {pdf}", file=sys.stderr)
    figures["peak_memory_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    db.close()
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
