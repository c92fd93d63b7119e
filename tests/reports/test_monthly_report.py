"""The monthly report of one manager, generated on `small` and read back as a person would."""

from __future__ import annotations

import subprocess
from collections import Counter
from datetime import date
from io import BytesIO
from pathlib import Path

import pytest
from expected import busiest_manager, hold_breaches, revocations_due
from pypdf import PdfReader
from report_pdfs import (
    NOVEMBER,
    assert_every_page_framed,
    assert_outline_points_at_sections,
    generated,
    pdf_pages,
    pdf_text,
)
from sqlalchemy import select

from builders import add_user, seeding
from pm_desk.domain.enums import Role
from pm_desk.domain.scope import caseload_of
from pm_desk.reports.generate import ReportRequest, generate_report
from pm_desk.services.actor import actor_for_email
from pm_desk.services.compliance import compliance_results
from pm_desk.services.reporting import hours_text, month_period
from pm_desk.services.reporting_monthly import monthly_report
from pm_desk.store.database import Database
from pm_desk.store.models import FieldOffice
from support import FIXED_NOW, FakeClock

OCTOBER = date(2026, 10, 1)


def monthly_pdf(db: Database, policy, email: str, at=FIXED_NOW) -> bytes:
    request = ReportRequest("monthly", month=OCTOBER, manager_email=email)
    return generate_report(db, policy, request, generated(at)).pdf


def section(text: str, start: str, end: str) -> str:
    body = text[: text.rindex(" Contents ")]  # the printed contents come last
    head = body.rindex(start)  # the heading itself, not a mention of it in the summary
    return text[head : text.index(end, head)]


def test_every_page_has_banner_period_and_page_numbers(small_db: Database, policy) -> None:
    busiest = busiest_manager(Path(small_db.database))
    pdf = monthly_pdf(small_db, policy, busiest)
    assert_every_page_framed(pdf, "October 2026")
    reader = PdfReader(BytesIO(pdf))
    assert reader.metadata.title.startswith("Monthly compliance report — ")
    assert reader.metadata.author == "Barbara Scott (barbara.scott@ice.dhs.gov)"
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert titles[:2] == ["Summary", "Action required"]
    assert "Agreements" in titles and "Signatures" in titles
    assert_outline_points_at_sections(pdf)
    pages = pdf_pages(pdf)
    assert "Rules measured as of 2026-10-31 12:00:00 UTC" in pages[0]
    assert "Contents" in pages[-1] and "Summary 1" in pages[-1]  # printed at the end, with pages
    assert reader.pages[0].mediabox.width == 612 and reader.pages[0].mediabox.height == 792  # letter


def test_names_every_officer_due_for_revocation_with_days(small_db: Database, policy) -> None:
    db_path = Path(small_db.database)
    busiest = busiest_manager(db_path)
    expected = revocations_due(db_path, FIXED_NOW, busiest)
    assert expected, "the small demo should have officers due for revocation"
    text = pdf_text(monthly_pdf(small_db, policy, busiest))
    listed = section(text, f"Officers due for revocation ({len(expected)})", "Hold breaches this month")
    for officer in expected:
        assert f"{officer.name} {officer.badge}" in listed
        assert f" {officer.days_overdue} " in listed + " "
    # The same number the compliance results give (one source of truth).
    with small_db.uow() as uow:
        items = compliance_results(uow, policy, FIXED_NOW, caseload_of(actor_for_email(uow, busiest).user_id))
    assert sum(1 for i in items if i.rule == "revocation") == len(expected)


def test_names_every_hold_breach_of_the_month_with_hours_over(small_db: Database, policy) -> None:
    db_path = Path(small_db.database)
    busiest = busiest_manager(db_path)
    period = month_period(OCTOBER)
    expected = hold_breaches(db_path, period.start_at, FIXED_NOW, FIXED_NOW, busiest)
    assert expected and any(not b.still_open for b in expected)
    text = pdf_text(monthly_pdf(small_db, policy, busiest))
    listed = section(text, f"Hold breaches this month ({len(expected)})", "Authority revoked this month")
    for breach in expected:
        assert breach.subject_ref in listed
        row = listed[listed.index(breach.subject_ref) :]
        assert hours_text(breach.hours_over) in row[:400], breach
    assert Counter(b.still_open for b in expected)[False] == listed.count("picked up 2026-10")


def test_a_closed_month_is_measured_at_its_last_second(small_db: Database, policy, clock: FakeClock) -> None:
    clock.now = NOVEMBER
    db_path = Path(small_db.database)
    busiest = busiest_manager(db_path)
    with small_db.uow() as uow:
        report = monthly_report(uow, policy, busiest, OCTOBER, generated(NOVEMBER))
    assert report.as_of.isoformat() == "2026-10-31T23:59:59+00:00"
    names = {r.name for r in revocations_due(db_path, report.as_of, busiest)}
    assert names and {r.officer for r in report.revocations} == names
    period = month_period(OCTOBER)
    expected = hold_breaches(db_path, period.start_at, period.end_at, report.as_of, busiest)
    assert sorted(b.subject_ref for b in report.breaches) == sorted(b.subject_ref for b in expected)


def test_empty_sections_say_none(small_db: Database, policy) -> None:
    """A manager new to the program: every section is there, and says it has nothing."""
    with seeding(small_db) as uow:
        office = uow.session.execute(select(FieldOffice.id)).scalars().first()
        add_user(uow, "new.manager@ice.dhs.gov", "Nina Newcomer", Role.MANAGER, office)
    pdf = monthly_pdf(small_db, policy, "new.manager@ice.dhs.gov")
    text = pdf_text(pdf)
    assert "None: no officer is due for revocation." in text
    assert "None: no hold was breached." in text
    assert "None: no authority was revoked this month." in text
    assert "None: no agreement is assigned to this manager." in text
    assert_every_page_framed(pdf, "October 2026")


def test_subjects_are_not_named_to_roles_that_do_not_handle_transfers(small_db: Database, policy) -> None:
    busiest = busiest_manager(Path(small_db.database))
    with small_db.uow() as uow:
        report = monthly_report(uow, policy, busiest, OCTOBER, generated(show_subjects=False))
    breach = report.breaches[0]
    request = ReportRequest("monthly", month=OCTOBER, manager_email=busiest)
    text = pdf_text(generate_report(small_db, policy, request, generated(show_subjects=False)).pdf)
    assert breach.subject_ref in text and f"A-number …{breach.a_number_last4}" in text
    assert breach.subject_name not in text


def test_pages_stay_inside_the_margins(small_db: Database, policy, tmp_path: Path) -> None:
    """Rendered as a person sees it: nothing but the banner crosses into the side margins, and
    the banner is printed at the top and the bottom of every page."""
    from PIL import Image

    busiest = busiest_manager(Path(small_db.database))
    pdf_path = tmp_path / "monthly.pdf"
    pdf_path.write_bytes(monthly_pdf(small_db, policy, busiest))
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(pdf_path), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) == len(pdf_pages(pdf_path.read_bytes()))
    for png in pages:
        image = Image.open(png).convert("L")
        width, height = image.size
        assert (width, height) == (340, 440)  # letter at 40 dpi
        margin = int(0.7 * 40)  # the 0.75-inch margins, less a little for anti-aliasing
        for x in [*range(0, margin), *range(width - margin, width)]:
            column = [image.getpixel((x, y)) for y in range(int(0.55 * 40), height - int(0.55 * 40))]
            assert min(column) > 200, f"{png.name}: something drawn in the side margin at x={x}"
        top = [image.getpixel((x, y)) for x in range(width) for y in range(0, int(0.55 * 40))]
        bottom = [image.getpixel((x, y)) for x in range(width) for y in range(height - int(0.5 * 40), height)]
        assert min(top) < 100 and min(bottom) < 100, f"{png.name}: no banner"


@pytest.mark.parametrize("email", ["nobody@ice.dhs.gov"])
def test_an_unknown_manager_is_a_sentence(small_db: Database, policy, email: str) -> None:
    from pm_desk.services.errors import NotFound

    with pytest.raises(NotFound, match="no user with the email"):
        monthly_pdf(small_db, policy, email)
