"""File ▸ Import tables… and File ▸ Export tables…: the interchange tables from the desktop.

Importing first runs a dry run in the background and shows what it would do: per table the rows
that are new, changed and unchanged, the notes, and every problem as `file:line: column: what`.
Only a clean preview can be imported, and the import itself runs in the background too.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pm_desk.services.errors import ServiceError
from pm_desk.services.imports import (
    ImportDenied,
    ImportRefused,
    ImportReport,
    export_interchange,
    import_tables,
)
from pm_desk.services.permissions import can_see_subject_details
from pm_desk.ui.jobs import Job

if TYPE_CHECKING:
    from pm_desk.ui.context import AppContext
    from pm_desk.ui.main_window import MainWindow

OUTCOMES = ("new", "changed", "unchanged")


class _JobDialog(QDialog):
    """A dialog that runs one background job at a time and says how it went."""

    def __init__(self, ctx: AppContext, title: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(title)
        self.setMinimumSize(640, 420)
        self.job: Job | None = None
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Status")
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

    @property
    def busy(self) -> bool:
        return self.job is not None

    def run(self, message: str, work: Callable[[], Any], done: Callable[[Any], None]) -> None:
        self.status.setText(message)
        self.job = Job(lambda _report: work())
        self.job.signals.result.connect(done)
        self.job.signals.error.connect(lambda text: self.status.setText(f"✖ {text}"))
        self.job.signals.finished.connect(self._finished)
        self._set_busy(True)
        self.ctx.ops.start_job(self.job)

    def _finished(self) -> None:
        self.job = None
        self._set_busy(False)

    def _set_busy(self, busy: bool) -> None:
        """Enable or disable the dialog's own buttons while a job runs."""


class ImportDialog(_JobDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Import tables", parent)
        self.source: Path | None = None
        self.report: ImportReport | None = None
        intro = QLabel(
            "Import the interchange tables (users, agencies, agreements, officers, training, "
            "equipment, transfers, inspections, on-call shifts, leave) from a folder of CSV files or an "
            "Excel workbook. "
            "Nothing is written until the preview is clean and you press Import."
        )
        intro.setWordWrap(True)
        self.folder_button = QPushButton("Folder of CSV files…")
        self.folder_button.clicked.connect(self.choose_folder)
        self.book_button = QPushButton("Excel workbook…")
        self.book_button.clicked.connect(self.choose_workbook)
        self.source_label = QLabel("No source chosen")
        self.source_label.setAccessibleName("Source")
        choose = QHBoxLayout()
        choose.addWidget(self.folder_button)
        choose.addWidget(self.book_button)
        choose.addWidget(self.source_label, 1)
        self.counts = QTableWidget(0, 1 + len(OUTCOMES), self)
        self.counts.setHorizontalHeaderLabels(["Table", *(o.capitalize() for o in OUTCOMES)])
        self.counts.setAccessibleName("Rows per table")
        self.counts.verticalHeader().setVisible(False)
        self.counts.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.details = QPlainTextEdit(self)
        self.details.setReadOnly(True)
        self.details.setAccessibleName("Problems and notes")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.import_button = self.buttons.addButton("Import", QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(self.apply)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(choose)
        layout.addWidget(self.status)
        layout.addWidget(self.counts)
        layout.addWidget(self.details, 1)
        layout.addWidget(self.buttons)

    def choose_folder(self) -> None:
        start = self.ctx.settings.last_export_dir or str(Path.home())
        folder = QFileDialog.getExistingDirectory(self, "Folder of CSV files", start)
        if folder:
            self.preview(Path(folder))

    def choose_workbook(self) -> None:
        start = self.ctx.settings.last_export_dir or str(Path.home())
        path, _ = QFileDialog.getOpenFileName(self, "Excel workbook", start, "Excel workbooks (*.xlsx)")
        if path:
            self.preview(Path(path))

    def preview(self, source: Path) -> None:
        """Check `source` without writing anything, and show what an import would do."""
        self.source, self.report = source, None
        self.source_label.setText(str(source))
        self.import_button.setEnabled(False)
        ctx = self.ctx
        self.run(
            "Checking every row…",
            lambda: _attempt(lambda: import_tables(ctx.db.uow(), ctx.actor, source, dry_run=True)),
            self._previewed,
        )

    def _previewed(self, report: ImportReport) -> None:
        self.show_report(report)
        self.import_button.setEnabled(report.ok and bool(_changes(report)))
        if report.ok and not _changes(report):
            self.status.setText("✓ Every row already matches the database: there is nothing to import.")

    def apply(self) -> None:
        if self.source is None or self.report is None or not self.report.ok:
            return
        source, ctx = self.source, self.ctx
        self.import_button.setEnabled(False)
        self.run(
            "Importing…",
            lambda: _attempt(lambda: import_tables(ctx.db.uow(), ctx.actor, source)),
            self._applied,
        )

    def _applied(self, report: ImportReport) -> None:
        self.show_report(report)
        if report.applied:
            self.ctx.settings.last_export_dir = str((self.source or Path.home()).parent)
            self.ctx.events.changed.emit("import", "")

    def show_report(self, report: ImportReport) -> None:
        self.report = report
        mark = "✓" if report.ok else "✖"
        self.status.setText(f"{mark} {report.summary()[:1].upper()}{report.summary()[1:]}")
        self.counts.setRowCount(len(report.counts))
        for row, (table, numbers) in enumerate(report.counts.items()):
            self.counts.setItem(row, 0, QTableWidgetItem(table))
            for column, outcome in enumerate(OUTCOMES, start=1):
                item = QTableWidgetItem(f"{numbers.get(outcome, 0):,}")
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.counts.setItem(row, column, item)
        self.counts.resizeColumnsToContents()
        lines = [str(p) for p in report.problems] + [f"note: {n}" for n in report.notes]
        self.details.setPlainText("\n".join(lines))

    def _set_busy(self, busy: bool) -> None:
        self.folder_button.setEnabled(not busy)
        self.book_button.setEnabled(not busy)


def _attempt(work: Callable[[], ImportReport]) -> ImportReport:
    """The report of an import, refused or not (a refusal carries its problems)."""
    try:
        return work()
    except (ImportRefused, ImportDenied) as refused:
        return refused.report


def _changes(report: ImportReport) -> int:
    return sum(n.get("new", 0) + n.get("changed", 0) for n in report.counts.values())


class ExportDialog(_JobDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Export tables", parent)
        intro = QLabel(
            "Export the interchange tables you can see: one CSV file per table in a folder, or one "
            "sheet per table in an Excel workbook. The files carry the handling banner and are "
            "readable by you only; A-numbers are masked unless you ask for them in full."
        )
        intro.setWordWrap(True)
        self.full_a_numbers = QCheckBox("Write A-numbers in full (the files then hold subject data)")
        self.full_a_numbers.setAccessibleName("Full A-numbers")
        if not can_see_subject_details(ctx.actor):
            self.full_a_numbers.setEnabled(False)
            self.full_a_numbers.setToolTip("Only managers and supervisors see full A-numbers.")
        self.folder_button = QPushButton("To a folder of CSV files…")
        self.folder_button.clicked.connect(self.choose_folder)
        self.book_button = QPushButton("To an Excel workbook…")
        self.book_button.clicked.connect(self.choose_workbook)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.folder_button)
        row.addWidget(self.book_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.full_a_numbers)
        layout.addLayout(row)
        layout.addWidget(self.status, 1)
        layout.addWidget(buttons)
        self.setMinimumSize(520, 200)

    def choose_folder(self) -> None:
        start = self.ctx.settings.last_export_dir or str(Path.home())
        folder = QFileDialog.getExistingDirectory(self, "Export to folder", start)
        if folder:
            self.export(Path(folder))

    def choose_workbook(self) -> None:
        start = Path(self.ctx.settings.last_export_dir or Path.home()) / "pm-desk-tables.xlsx"
        path, _ = QFileDialog.getSaveFileName(
            self, "Export to workbook", str(start), "Excel workbooks (*.xlsx)"
        )
        if path:
            self.export(Path(path) if path.lower().endswith(".xlsx") else Path(f"{path}.xlsx"))

    def export(self, target: Path) -> None:
        ctx = self.ctx
        full = self.full_a_numbers.isChecked()
        if full and not self.confirm_full_a_numbers(target):
            self.status.setText("Export cancelled: nothing was written.")
            return

        def work() -> dict[str, int] | str:
            try:
                return export_interchange(ctx.db.uow(), ctx.actor, target, full_a_numbers=full)
            except ServiceError as exc:
                return str(exc)

        self.run(f"Exporting to {target}…", work, lambda result: self._exported(target, result))

    def confirm_full_a_numbers(self, target: Path) -> bool:
        """Full A-numbers are written only after a person says so, each time."""
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "Export full A-numbers?",
            f"Write the A-numbers of your transfers in full to {target}?",
            parent=self,
        )
        box.setInformativeText(
            f"The files will hold subject data: {self.ctx.policy.reports.handling_banner}. Keep them "
            "where only people with a need to know can read them."
        )
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel)
        box.button(QMessageBox.StandardButton.Yes).setText("Write full A-numbers")
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        return box.exec() == QMessageBox.StandardButton.Yes

    def _exported(self, target: Path, result: dict[str, int] | str) -> None:
        if isinstance(result, str):
            self.status.setText(f"✖ {result}")
            return
        self.ctx.settings.last_export_dir = str(target.parent if target.suffix else target)
        rows = ", ".join(f"{table} {count:,}" for table, count in result.items())
        self.status.setText(f"✓ Exported {sum(result.values()):,} rows to {target} ({rows}).")

    def _set_busy(self, busy: bool) -> None:
        self.folder_button.setEnabled(not busy)
        self.book_button.setEnabled(not busy)
        self.full_a_numbers.setEnabled(not busy and can_see_subject_details(self.ctx.actor))


def open_import_dialog(window: MainWindow) -> ImportDialog:
    dialog = ImportDialog(window.ctx, window)
    dialog.open()
    return dialog


def open_export_dialog(window: MainWindow) -> ExportDialog:
    dialog = ExportDialog(window.ctx, window)
    dialog.open()
    return dialog
