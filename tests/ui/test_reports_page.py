"""The Reports page on `small`: pick, generate in the background, preview, save, print, file."""

from __future__ import annotations

from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

import pytest
from contexts import settle
from pypdf import PdfReader
from PySide6.QtGui import QAction
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter

from pm_desk.ui.app import open_main_window
from pm_desk.ui.context import AppContext
from pm_desk.ui.pages.reports import ReportsPage
from support import FakeClock


@pytest.fixture
def page(qtbot, manager_ctx: AppContext) -> ReportsPage:
    page = ReportsPage(manager_ctx)
    qtbot.addWidget(page)
    page.activate()
    return page


def generate(qtbot, page: ReportsPage) -> None:
    page.generate()
    qtbot.waitUntil(lambda: page.output is not None and page.job is None, timeout=30_000)
    qtbot.waitUntil(lambda: page.document.status() == QPdfDocument.Status.Ready, timeout=10_000)


def test_monthly_report_of_the_acting_manager_is_generated_and_previewed(
    qtbot, page: ReportsPage, manager_ctx: AppContext
) -> None:
    assert page.kind.currentData() == "monthly"
    assert page.manager.currentData() == manager_ctx.actor.email
    assert page.month.currentData() == "2026-09-01"  # the month just ended comes first after this one
    page.month.setCurrentIndex(page.month.findData("2026-10-01"))
    generate(qtbot, page)
    assert page.document.pageCount() > 1
    assert page.progress.value() == 100 and "pages" in page.step.text()
    assert page.save_button.isEnabled() and page.print_button.isEnabled()
    assert not page.file_button.isEnabled()  # October is not over on the 31st at noon


def test_save_remembers_the_folder(qtbot, page: ReportsPage, manager_ctx: AppContext, tmp_path: Path) -> None:
    page.kind.setCurrentIndex(page.kind.findData("staffing"))
    assert not page.form.isRowVisible(page.month)
    generate(qtbot, page)
    target = tmp_path / "out" / "staffing.pdf"
    target.parent.mkdir()
    assert page.save(str(target)) == target
    assert target.read_bytes() == page.output.pdf
    assert manager_ctx.settings.last_report_dir == str(target.parent)


def test_print_draws_every_page(qtbot, page: ReportsPage, tmp_path: Path) -> None:
    page.kind.setCurrentIndex(page.kind.findData("oncall"))
    generate(qtbot, page)
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    target = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(target))
    assert page.print_to(printer) == page.document.pageCount()
    assert len(PdfReader(BytesIO(target.read_bytes())).pages) == page.document.pageCount()


def test_cancel_stops_the_job(qtbot, page: ReportsPage) -> None:
    page.kind.setCurrentIndex(page.kind.findData("program"))
    page.generate()
    assert page.cancel_button.isEnabled() and not page.generate_button.isEnabled()
    page.cancel()  # at once: the job stops at its next progress report
    qtbot.waitUntil(lambda: page.generate_button.isEnabled(), timeout=30_000)
    assert page.output is None and page.step.text() == "Cancelled."
    assert "cancelled" in page.message.label.text()


def test_an_error_is_a_sentence(qtbot, page: ReportsPage) -> None:
    page.kind.setCurrentIndex(page.kind.findData("agreement"))
    page.agreement.clear()
    page.generate()
    qtbot.waitUntil(lambda: page.generate_button.isEnabled(), timeout=30_000)
    assert page.message.label.text().endswith("Agreement: required for this report")
    assert page.output is None and page.step.text() == "Could not generate the report."


def test_a_closed_month_is_filed_from_the_page(qtbot, page: ReportsPage, clock: FakeClock) -> None:
    clock.now = datetime(2026, 11, 3, 9, tzinfo=UTC)
    page.month.setCurrentIndex(page.month.findData("2026-10-01"))
    generate(qtbot, page)
    assert page.file_button.isEnabled()
    page.file_month()
    settle(page.ctx)
    assert "Filed October 2026" in page.message.label.text()
    generate(qtbot, page)
    assert "matches what was filed" in page.message.label.text()


def test_reports_menu_opens_the_page_on_the_chosen_report(qtbot, manager_ctx: AppContext) -> None:
    window = open_main_window(manager_ctx)
    qtbot.addWidget(window)
    actions = {a.objectName(): a for a in window.findChildren(QAction)}
    actions["report_program"].trigger()
    page = window.current_page()
    assert isinstance(page, ReportsPage) and page.kind.currentData() == "program"
    assert page.form.isRowVisible(page.month) and not page.form.isRowVisible(page.manager)
