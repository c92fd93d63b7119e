"""Reports: pick a report and its period, generate it in the background (with progress and
cancel), preview it, print it, save it, and file a closed month.

The page never builds a query: it hands a `ReportRequest` to `generate_report` on the job runner
and shows the PDF that comes back.
"""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QDate, QIODevice, QPointF, QRectF, QSize
from PySide6.QtGui import QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pm_desk.domain.scope import scope_of
from pm_desk.handling import write_private
from pm_desk.reports.generate import KIND_TITLES, ReportOutput, ReportRequest, generate_report, generated_by
from pm_desk.services import reads
from pm_desk.services.filing import file_monthly_report
from pm_desk.services.reporting import month_period, previous_months
from pm_desk.ui.context import AppContext
from pm_desk.ui.jobs import Job, JobRunner
from pm_desk.ui.pages.base import Page
from pm_desk.ui.widgets.message_bar import MessageBar

MONTHS_OFFERED = 24
PRINT_DPI = 300


class ReportsPage(Page):
    name = "reports"
    title = "Reports"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.runner = JobRunner(self)
        self.job: Job | None = None
        self.output: ReportOutput | None = None
        self._buffer: QBuffer | None = None
        self._bytes = QByteArray()

        self.kind = QComboBox()
        self.kind.setAccessibleName("Report")
        for kind, label in KIND_TITLES.items():
            self.kind.addItem(label, kind)
        self.month = QComboBox()
        self.month.setAccessibleName("Month")
        self.manager = QComboBox()
        self.manager.setAccessibleName("Manager")
        self.agreement = QComboBox()
        self.agreement.setAccessibleName("Agreement")
        self.agreement.setEditable(True)
        self.agreement.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.agreement.setMinimumContentsLength(28)
        self.date_from = QDateEdit(calendarPopup=True)
        self.date_from.setAccessibleName("From")
        self.date_to = QDateEdit(calendarPopup=True)
        self.date_to.setAccessibleName("To")
        for edit in (self.date_from, self.date_to):
            edit.setDisplayFormat("yyyy-MM-dd")

        self.form = QFormLayout()
        self.form.addRow("Report", self.kind)
        self.form.addRow("Month", self.month)
        self.form.addRow("Manager", self.manager)
        self.form.addRow("Agreement", self.agreement)
        self.form.addRow("From", self.date_from)
        self.form.addRow("To", self.date_to)

        self.generate_button = QPushButton("Generate")
        self.generate_button.setDefault(True)
        self.generate_button.clicked.connect(self.generate)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.setAccessibleName("Progress")
        self.step = QLabel("Choose a report and press Generate.")
        self.step.setWordWrap(True)
        self.save_button = QPushButton("Save…")
        self.save_button.clicked.connect(lambda: self.save())
        self.print_button = QPushButton("Print…")
        self.print_button.clicked.connect(self.print_report)
        self.file_button = QPushButton("File this month")
        self.file_button.setToolTip("Archive this month's report as filed: a filed month stays closed")
        self.file_button.clicked.connect(self.file_month)
        for button in (self.save_button, self.print_button, self.file_button):
            button.setEnabled(False)

        controls = QVBoxLayout()
        controls.addWidget(QLabel(f"<h2>{self.title}</h2>"))
        controls.addLayout(self.form)
        buttons = QHBoxLayout()
        buttons.addWidget(self.generate_button)
        buttons.addWidget(self.cancel_button)
        controls.addLayout(buttons)
        controls.addWidget(self.progress)
        controls.addWidget(self.step)
        controls.addSpacing(12)
        controls.addWidget(self.save_button)
        controls.addWidget(self.print_button)
        controls.addWidget(self.file_button)
        controls.addStretch(1)
        side = QWidget()
        side.setLayout(controls)
        side.setFixedWidth(330)

        self.document = QPdfDocument(self)
        self.view = QPdfView(self)
        self.view.setAccessibleName("Report preview")
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.message = MessageBar(self)
        right = QVBoxLayout()
        right.addWidget(self.message)
        right.addWidget(self.view, 1)
        layout = QHBoxLayout(self)
        layout.addWidget(side)
        layout.addLayout(right, 1)
        self.kind.currentIndexChanged.connect(self._kind_changed)

    # -- choices -----------------------------------------------------------------------------------
    def load(self) -> None:
        today = self.ctx.now().date()
        self.month.clear()
        # The month just ended first: that is the one printed and filed.
        for month in reversed(previous_months(today, MONTHS_OFFERED)):
            self.month.addItem(month.strftime("%B %Y"), month.isoformat())
        if self.month.count() > 1:
            self.month.setCurrentIndex(1)
        actor = self.ctx.actor
        self.manager.clear()
        for person in self.ctx.read(reads.active_managers):
            self.manager.addItem(f"{person.name} ({person.email})", person.email)
        mine = self.manager.findData(actor.email)
        if mine >= 0:
            self.manager.setCurrentIndex(mine)
        self.agreement.clear()
        for agreement_id, text in self.ctx.read(reads.agreement_choices, scope_of(actor)):
            self.agreement.addItem(text, agreement_id)
        first = month_period(previous_months(today, 2)[0])
        self.date_from.setDate(QDate(first.start.year, first.start.month, first.start.day))
        self.date_to.setDate(QDate(first.end.year, first.end.month, first.end.day))
        self._kind_changed()

    def choose(self, kind: str) -> None:
        """Show the page with `kind` picked (the Reports menu)."""
        self.activate()
        index = self.kind.findData(kind)
        if index >= 0:
            self.kind.setCurrentIndex(index)

    def _kind_changed(self) -> None:
        kind = self.kind.currentData()
        wanted = {
            self.month: kind in {"monthly", "program"},
            self.manager: kind == "monthly",
            self.agreement: kind == "agreement",
            self.date_from: kind == "oncall",
            self.date_to: kind == "oncall",
        }
        for widget, shown in wanted.items():
            self.form.setRowVisible(widget, shown)

    def request(self) -> ReportRequest:
        def day(edit: QDateEdit) -> date:
            d = edit.date()
            return date(d.year(), d.month(), d.day())

        month = self.month.currentData()
        return ReportRequest(
            self.kind.currentData(),
            month=date.fromisoformat(month) if month else None,
            manager_email=self.manager.currentData(),
            agreement_id=self.agreement.currentData(),
            date_from=day(self.date_from),
            date_to=day(self.date_to),
        )

    # -- generating --------------------------------------------------------------------------------
    def generate(self) -> Job:
        request = self.request()
        ctx = self.ctx
        generated = generated_by(ctx.actor, ctx.now())

        def work(report: Any) -> ReportOutput:
            return generate_report(ctx.db, ctx.policy, request, generated, report)

        self.message.hide()
        self._busy(True)
        self.step.setText("Starting…")
        job = Job(work)
        job.signals.progress.connect(self._progress)
        job.signals.result.connect(self._show)
        job.signals.error.connect(self._failed)
        job.signals.finished.connect(lambda: self._busy(False))
        self.job = self.runner.start(job)
        return job

    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self.step.setText("Cancelling…")

    def _busy(self, busy: bool) -> None:
        self.generate_button.setEnabled(not busy)
        self.cancel_button.setEnabled(busy)
        self.kind.setEnabled(not busy)
        if not busy:
            self.job = None

    def _progress(self, step: str, fraction: float) -> None:
        self.step.setText(step)
        self.progress.setValue(int(fraction * 100))

    def _failed(self, message: str) -> None:
        self.progress.setValue(0)
        if message == "cancelled":
            self.step.setText("Cancelled.")
            self.message.show_message("The report was cancelled.", "warn", seconds=6)
        else:
            self.step.setText("Could not generate the report.")
            self.message.show_message(message, "alarm")

    def _show(self, output: ReportOutput) -> None:
        self.output = output
        self.progress.setValue(100)
        self._bytes = QByteArray(output.pdf)
        buffer = QBuffer(self._bytes, self)
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.close()
        self.document.load(buffer)
        if self._buffer is not None:
            self._buffer.deleteLater()
        self._buffer = buffer
        pages = self.document.pageCount()
        self.step.setText(f"{output.title}: {pages} pages.")
        self.save_button.setEnabled(True)
        self.print_button.setEnabled(True)
        closed = output.monthly is not None and output.monthly.period.is_closed(self.ctx.now())
        self.file_button.setEnabled(closed)
        if output.filing is not None and not output.filing.matches:
            self.message.show_message(
                f"This month was filed on {output.filing.filed_at:%Y-%m-%d} by {output.filing.filed_by}; "
                f"{len(output.filing.changes)} changes since then are listed at the end of the report.",
                "warn",
            )
        elif output.filing is not None:
            self.message.show_message("This month is filed, and this copy matches what was filed.", "ok", 8)

    # -- after generating --------------------------------------------------------------------------
    def save(self, path: str | None = None) -> Path | None:
        """Write the report to `path`, or where the person chooses (the last folder is kept)."""
        if self.output is None:
            return None
        if path is None:
            start = Path(self.ctx.settings.last_report_dir or Path.home()) / self.output.filename
            path, _ = QFileDialog.getSaveFileName(self, "Save report", str(start), "PDF files (*.pdf)")
            if not path:
                return None
        target = Path(path)
        try:
            write_private(target, self.output.pdf)
        except OSError as exc:
            self.message.show_message(f"cannot write {target}: {exc.strerror or exc}", "alarm")
            return None
        self.ctx.settings.last_report_dir = str(target.parent)
        self.message.show_message(f"Saved to {target}.", "ok", seconds=8)
        return target

    def print_report(self) -> None:
        if self.output is None:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.output.title)
        dialog = QPrintDialog(printer, self)
        dialog.setMinMax(1, max(self.document.pageCount(), 1))
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.print_to(printer)

    def print_to(self, printer: QPrinter) -> int:
        """Draw every page (or the range chosen) on `printer`; returns the pages printed."""
        first, last = printer.fromPage(), printer.toPage()
        pages = range((first or 1) - 1, last or self.document.pageCount())
        painter = QPainter()
        if not painter.begin(printer):
            self.message.show_message("The printer could not be started.", "alarm")
            return 0
        printed = 0
        for index in pages:
            if printed:
                printer.newPage()
            size = self.document.pagePointSize(index)
            image = self.document.render(
                index, QSize(int(size.width() * PRINT_DPI / 72), int(size.height() * PRINT_DPI / 72))
            )
            area = QRectF(printer.pageRect(QPrinter.Unit.DevicePixel))
            scale = min(area.width() / image.width(), area.height() / image.height())
            target = QRectF(QPointF(0, 0), image.size().toSizeF() * scale)
            painter.drawImage(target, image)
            printed += 1
        painter.end()
        return printed

    def file_month(self) -> None:
        output = self.output
        if output is None or output.monthly is None:
            return
        digest = hashlib.sha256(output.pdf).hexdigest()
        label = output.monthly.period.label

        def filed(result: Any) -> None:
            self.file_button.setEnabled(False)
            self.message.show_message(
                f"Filed {label} (content hash {result.content_hash[:12]}…; "
                f"{result.unsynced_records:,} local changes not yet synced).",
                "ok",
            )

        self.ctx.op(file_monthly_report, self.ctx.policy, output.monthly, digest, None).owner(self).changes(
            "filed_report", ""
        ).failure(lambda message: self.message.show_message(message, "alarm")).success(filed).trigger(
            self.file_button
        ).run()
