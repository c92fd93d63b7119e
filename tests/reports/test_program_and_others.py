"""The program, staffing, on-call and agreement reports on `small`, read back with pypdf."""

from __future__ import annotations

import math
import sqlite3
from datetime import date
from io import BytesIO
from pathlib import Path

import pytest
from expected import busiest_manager, hold_breaches, revocations_due
from pypdf import PdfReader
from report_pdfs import (
    assert_every_page_framed,
    assert_outline_points_at_sections,
    body_text,
    generated,
    pdf_text,
)

from pm_desk.reports.generate import ReportRequest, generate_report
from pm_desk.services.errors import NotFound, ValidationError
from pm_desk.services.reporting import month_period
from pm_desk.store.database import Database
from support import FIXED_NOW

OCTOBER = date(2026, 10, 1)


def generate(db: Database, policy, **request: object) -> bytes:
    return generate_report(db, policy, ReportRequest(**request), generated()).pdf  # type: ignore[arg-type]


def test_program_report_names_every_revocation_and_counts_breaches(small_db: Database, policy) -> None:
    db_path = Path(small_db.database)
    pdf = generate(small_db, policy, kind="program", month=OCTOBER)
    assert_every_page_framed(pdf, "October 2026")
    text = pdf_text(pdf)
    body = body_text(pdf)
    assert_outline_points_at_sections(pdf)
    for heading in (
        "Agreements by status and model",
        "Managers and load",
        "Equipment: days from signing to operational",
        "Refresher compliance and revocations",
        "Custody transfers and hold breaches",
        "Performance measures per month",
    ):
        assert text.count(heading) >= 2, heading  # as a heading and in the contents
    expected = revocations_due(db_path, FIXED_NOW)
    appendix = body[body.rindex(f"Appendix: officers due for revocation ({len(expected)})") :]
    for officer in expected:
        assert f"{officer.name} {officer.badge}" in appendix
    breaches = hold_breaches(db_path, month_period(OCTOBER).start_at, FIXED_NOW, FIXED_NOW, None)
    late = sum(1 for b in breaches if not b.still_open)
    still_open = sum(1 for b in breaches if b.still_open)
    with sqlite3.connect(db_path) as connection:
        picked_up = connection.execute(
            "SELECT count(*) FROM custody_transfers WHERE status = 'transferred' AND deleted_at IS NULL "
            "AND pickup_at >= '2026-10-01' AND pickup_at < '2026-10-31 12:00:00'"
        ).fetchone()[0]
    share = f"{late / picked_up:.1%}"
    holds = body[body.rindex("Custody transfers and hold breaches") :]
    assert f"Program {picked_up:,} {late:,} {share} {still_open:,}" in holds
    reader = PdfReader(BytesIO(pdf))
    first = next(i.title for i in reader.outline if not isinstance(i, list))
    assert first == "Agreements by status and model"


def test_staffing_report_needs_units_over_capacity(small_db: Database, policy) -> None:
    pdf = generate(small_db, policy, kind="staffing")
    assert_every_page_framed(pdf, "as of 2026-10-31")
    text = pdf_text(pdf)
    with sqlite3.connect(small_db.database) as connection:
        managers = connection.execute(
            "SELECT count(*) FROM users WHERE role = 'manager' AND active AND deleted_at IS NULL"
        ).fetchone()[0]
    assert f"has {managers} (" in text
    units = float(text.split("The program carries ")[1].split(" ")[0].replace(",", ""))
    assert f"it needs {math.ceil(round(units / 12, 6))} managers" in text


def test_oncall_report_lists_each_rotation_and_its_hours(small_db: Database, policy) -> None:
    pdf = generate(small_db, policy, kind="oncall", date_from=date(2026, 10, 1), date_to=date(2026, 10, 14))
    assert_every_page_framed(pdf, "2026-10-01 to 2026-10-14")
    text = pdf_text(pdf)
    with sqlite3.connect(small_db.database) as connection:
        rotations = [r for (r,) in connection.execute("SELECT name FROM rotations WHERE deleted_at IS NULL")]
    assert rotations
    for name in rotations:
        assert name in text
    for section in ("Shifts as worked", "Overrides", "Coverage gaps", "Fatigue warnings", "Hours per person"):
        assert section in text


def test_agreement_packet_lists_its_officers_and_history(small_db: Database, policy) -> None:
    db_path = Path(small_db.database)
    manager = busiest_manager(db_path)
    with sqlite3.connect(db_path) as connection:
        agreement_id, agency = connection.execute(
            "SELECT a.id, g.name FROM agreements a JOIN agencies g ON g.id = a.agency_id "
            "JOIN users u ON u.id = a.manager_id WHERE u.email = ? ORDER BY g.name LIMIT 1",
            (manager,),
        ).fetchone()
        officers = [
            n
            for (n,) in connection.execute(
                "SELECT name FROM officers WHERE agreement_id = ?", (agreement_id,)
            )
        ]
    pdf = generate(small_db, policy, kind="agreement", agreement_id=agreement_id)
    assert_every_page_framed(pdf, "as of 2026-10-31")
    text = pdf_text(pdf)
    assert agency in text
    for name in officers:
        assert name in text
    for heading in (
        "Needs action",
        "Equipment orders",
        "Custody transfers of the last twelve months",
        "History",
    ):
        assert heading in text


def test_missing_or_unknown_parameters_are_sentences(small_db: Database, policy) -> None:
    with pytest.raises(ValidationError, match="month: required for this report"):
        generate(small_db, policy, kind="program")
    with pytest.raises(NotFound, match="no agreement with the id"):
        generate(small_db, policy, kind="agreement", agreement_id="nope")
    with pytest.raises(ValidationError, match="unknown report"):
        generate(small_db, policy, kind="weekly")
