"""One list of a page: filter as you type, quick filters, sort, column chooser, export.

The panel owns a `PagedTableModel`; it never queries the database itself. Header layout (order,
widths, hidden columns) is kept per list in the settings.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from pm_desk.domain.keys import mask_a_number
from pm_desk.domain.scope import Scope
from pm_desk.services import reads
from pm_desk.store.queries.listing import ListQuery, ListSpec, effective_text
from pm_desk.tabular import write_csv, write_xlsx
from pm_desk.ui.context import AppContext
from pm_desk.ui.jobs import run_with_progress
from pm_desk.ui.models.paged_table import RECORD_ID_ROLE, PagedTableModel

FILTER_DELAY_MS = 150


class ListPanel(QWidget):
    current_changed = Signal(str)  # record id ("" when nothing is selected)
    activated = Signal(str)  # double-click or Enter: edit the record

    def __init__(self, ctx: AppContext, spec: ListSpec, scope: Scope, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.spec = spec
        self.model = PagedTableModel(ctx, spec, scope, self)
        self._quick: set[str] = set()
        # Policy figures the list's quick filters need, set by the page.
        self.query_params: dict[str, object] = {}
        self._ticker = QTimer(self)
        self._ticker.timeout.connect(self._tick)

        self.filter_edit = QLineEdit(self)
        self.filter_edit.setPlaceholderText(f"Filter {spec.title.lower()}…  (Ctrl+F)")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setAccessibleName(f"Filter {spec.title}")
        # The first key after a pause filters at once; keys that follow faster than FILTER_DELAY_MS
        # wait for the next pause, so a word typed quickly runs one query, not one per letter.
        self._filter_timer = QTimer(self, singleShot=True, interval=FILTER_DELAY_MS)
        self._filter_timer.timeout.connect(self._filter_settled)
        self._filter_pending = False
        self.filter_edit.textChanged.connect(self._filter_typed)

        self.count_label = QLabel(self)
        self.count_label.setAccessibleName(f"{spec.title} count")

        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.filter_edit, 1)
        self.quick_buttons: dict[str, QToolButton] = {}
        for name, (label, _condition) in spec.quick_filters.items():
            button = QToolButton(self)
            button.setText(label)
            button.setCheckable(True)
            button.setAccessibleName(f"Quick filter {label}")
            button.toggled.connect(lambda on, n=name: self.set_quick(n, on))
            self.quick_buttons[name] = button
            bar.addWidget(button)
        self.columns_button = QToolButton(self)
        self.columns_button.setText("Columns")
        self.columns_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.columns_button.setAccessibleName("Choose columns")
        self.export_button = QToolButton(self)
        self.export_button.setText("Export")
        self.export_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        export_menu = QMenu(self.export_button)
        export_menu.addAction("Export view to CSV…", lambda: self.export("csv"))
        export_menu.addAction("Export view to Excel (XLSX)…", lambda: self.export("xlsx"))
        self.export_button.setMenu(export_menu)
        bar.addWidget(self.columns_button)
        bar.addWidget(self.export_button)
        bar.addWidget(self.count_label)

        self.view = QTableView(self)
        self.view.setModel(self.model)
        self.view.setSortingEnabled(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.setAccessibleName(spec.title)
        self.view.verticalHeader().setVisible(False)
        self.view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.view.horizontalHeader()
        header.setSectionsMovable(True)
        header.setHighlightSections(False)
        header.setStretchLastSection(False)
        for i, column in enumerate(self.model.columns):
            header.resizeSection(i, column.width)
            header.setSectionHidden(i, not column.visible)
        keys = [c.key for c in self.model.columns]
        for i, column in enumerate(self.model.columns):
            if column.after in keys:
                header.moveSection(header.visualIndex(i), header.visualIndex(keys.index(column.after)) + 1)
        sort_key, descending = spec.default_sort
        sort_column = next((i for i, c in enumerate(self.model.columns) if c.key == sort_key), -1)
        header.setSortIndicator(
            sort_column, Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
        )
        saved = ctx.settings.columns(spec.name)["header"]
        if saved is not None:
            header.restoreState(saved)
        self.view.doubleClicked.connect(self._on_activated)
        self.view.activated.connect(self._on_activated)
        self.view.selectionModel().currentRowChanged.connect(self._on_current)
        self.model.count_changed.connect(self._show_count)
        self._pending_select: str | None = None
        self.model.refreshed.connect(self._select_pending)
        self.model.loading.connect(lambda busy: busy and self.count_label.setText("searching…"))
        self.model.modelReset.connect(lambda: self.current_changed.emit(""))
        self._build_columns_menu()

        find = QAction(self)
        find.setShortcut(QKeySequence.StandardKey.Find)
        find.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        find.triggered.connect(self.focus_filter)
        self.addAction(find)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)

    # -- query -----------------------------------------------------------------------------------
    def load(self) -> None:
        self.apply_query()
        self._show_count(self.model.rowCount())  # also when the list was already loaded by a sort

    def apply_query(self) -> None:
        header = self.view.horizontalHeader()
        column = header.sortIndicatorSection()
        key = self.model.columns[column].key if 0 <= column < len(self.model.columns) else ""
        descending = header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
        query = ListQuery(
            effective_text(self.spec, self.filter_edit.text()),
            key,
            descending,
            frozenset(self._quick),
            as_of=self.ctx.now(),
            params=tuple(sorted(self.query_params.items())),
        )
        self.model.set_query(query)

    def _filter_typed(self, _text: str) -> None:
        if self._filter_timer.isActive():
            self._filter_pending = True
        else:
            self.apply_query()
        self._filter_timer.start()

    def _filter_settled(self) -> None:
        if self._filter_pending:
            self._filter_pending = False
            self.apply_query()

    def start_ticking(self, interval_ms: int = 1000) -> None:
        """Repaint the countdowns in view every second (the page calls this for live lists)."""
        self._ticker.start(interval_ms)

    def _tick(self) -> None:
        if not self.isVisible():
            return
        first = self.view.rowAt(0)
        last = self.view.rowAt(self.view.viewport().height() - 1)
        if first < 0:
            return
        self.model.tick(first, last if last >= 0 else self.model.rowCount() - 1)

    def set_quick(self, name: str, on: bool) -> None:
        if on:
            self._quick.add(name)
        else:
            self._quick.discard(name)
        if self.quick_buttons[name].isChecked() != on:
            self.quick_buttons[name].setChecked(on)
        self.apply_query()

    def set_scope(self, scope: Scope) -> None:
        self.model.set_scope(scope)

    def refresh(self) -> None:
        self.model.refresh_rows()

    def focus_filter(self) -> None:
        self.filter_edit.setFocus()
        self.filter_edit.selectAll()

    # -- selection ---------------------------------------------------------------------------------
    def current_id(self) -> str | None:
        index = self.view.currentIndex()
        return self.model.record_id(index.row()) if index.isValid() else None

    def select_row(self, row: int) -> None:
        if 0 <= row < self.model.rowCount():
            index = self.model.index(row, 0)
            self.view.selectionModel().setCurrentIndex(
                index,
                QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
            )
            self.view.scrollTo(index)

    def select_id(self, record_id: str, search: int = 2000) -> bool:
        """Select the record if it is within the first rows of the list as shown."""
        for row in range(min(self.model.rowCount(), search)):
            if self.model.record_id(row) == record_id:
                self.select_row(row)
                return True
        return False

    def select_when_shown(self, record_id: str) -> None:
        """Select the record now, or as soon as the list has been read again (a record just
        written, whose list is being refreshed on the database worker)."""
        self._pending_select = None if self.select_id(record_id) else record_id

    def _select_pending(self) -> None:
        if self._pending_select is not None:
            record_id, self._pending_select = self._pending_select, None
            self.select_id(record_id)

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        record_id = current.data(RECORD_ID_ROLE) if current.isValid() else None
        self.current_changed.emit(record_id or "")

    def _on_activated(self, index: QModelIndex) -> None:
        record_id = index.data(RECORD_ID_ROLE)
        if record_id:
            self.activated.emit(record_id)

    def _show_count(self, count: int) -> None:
        noun = self.spec.title.lower()
        if self.model.counting:
            self.count_label.setText(f"at least {count:,} {noun} (counting…)")
            return
        self.count_label.setText(f"{count:,} {noun}" if count else f"no {noun} match")

    # -- columns -------------------------------------------------------------------------------------
    def _build_columns_menu(self) -> None:
        menu = QMenu(self.columns_button)
        header = self.view.horizontalHeader()
        for i, column in enumerate(self.model.columns):
            action = menu.addAction(column.title)
            action.setCheckable(True)
            action.setChecked(not header.isSectionHidden(i))
            action.toggled.connect(lambda on, section=i: self.set_column_visible(section, on))
        self.columns_button.setMenu(menu)

    def set_column_visible(self, section: int, visible: bool) -> None:
        self.view.horizontalHeader().setSectionHidden(section, not visible)
        self.save_state()

    def save_state(self) -> None:
        self.ctx.settings.set_columns(self.spec.name, self.view.horizontalHeader().saveState())

    # -- export ----------------------------------------------------------------------------------------
    def visible_columns(self) -> list[int]:
        header = self.view.horizontalHeader()
        sections = [header.logicalIndex(v) for v in range(header.count())]
        return [s for s in sections if not header.isSectionHidden(s)]

    def export_rows(self, report: Any = None) -> tuple[list[str], list[list[Any]]]:
        """The current view as it is shown: visible columns in their order, current filter and sort.
        Reads its own pages (never the view's cache), so it may run off the GUI thread; `report`
        (step, fraction) is told how far it got and may raise to cancel."""
        model, ctx = self.model, self.ctx
        columns = self.visible_columns()
        titles = [model.columns[c].title for c in columns]
        kinds = [model.columns[c].kind for c in columns]
        spec, scope, query, reveal = model.spec, model.scope, model.query, model.reveal_masked
        sql_count = len(spec.columns)
        total = ctx.read(reads.list_count, spec, scope, query)
        rows: list[list[Any]] = []
        for offset in range(0, total, model.PAGE_SIZE):
            if report is not None:
                report(
                    f"Reading rows {offset + 1:,}–{min(offset + model.PAGE_SIZE, total):,}",
                    offset / max(total, 1),
                )
            page = ctx.read(
                reads.list_page, spec, scope, query, offset, model.PAGE_SIZE, total, ctx.now(), ctx.policy
            )
            for row, cells in page:
                values = []
                for c, kind in zip(columns, kinds, strict=True):
                    if c < sql_count:
                        value = row[c + 1]
                        if kind == "masked" and value and not reveal:
                            value = mask_a_number(str(value))
                        elif hasattr(value, "value") and not isinstance(value, date | datetime):
                            value = value.value
                        values.append(value)
                    else:
                        values.append(cells[c - sql_count].text if cells else "")
                rows.append(values)
        return titles, rows

    def export(self, kind: str, path: str | None = None) -> Path | None:
        """The view to CSV or Excel, under the handling banner, A-numbers masked as shown."""
        if path is None:
            start = Path(self.ctx.settings.last_export_dir or Path.home()) / f"{self.spec.name}.{kind}"
            pattern = "CSV files (*.csv)" if kind == "csv" else "Excel workbooks (*.xlsx)"
            path, _ = QFileDialog.getSaveFileName(self, f"Export {self.spec.title}", str(start), pattern)
            if not path:
                return None
        target = Path(path)
        if target.suffix.lower() != f".{kind}":
            target = target.with_suffix(f".{kind}")
        title = self.spec.title
        banner = self.ctx.policy.reports.handling_banner

        def work(report: Any) -> Path:
            titles, rows = self.export_rows(report)
            report(f"Writing {len(rows):,} rows", 0.95)
            if kind == "csv":
                write_csv(target, titles, rows, banner)
            else:
                write_xlsx(target, [(title, titles, rows)], banner)
            return target

        outcome = run_with_progress(self, f"Exporting {title.lower()}", work)
        if outcome.failure is not None:
            if outcome.failure != "cancelled":
                QMessageBox.warning(self, "Export failed", f"Could not write {target}: {outcome.failure}")
            return None
        self.ctx.settings.last_export_dir = str(target.parent)
        return target
