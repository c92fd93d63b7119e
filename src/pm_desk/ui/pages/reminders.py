"""Reminders: one's own and those derived from the compliance rules, overdue first.

Grouped by when they are due (overdue, today, this week, later) or by the kind of record they
are about; searched as you type; completed, snoozed or dismissed one at a time or many at once,
each change undoable. Double-click opens the record a reminder is about (or edits a reminder
about nothing).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from pm_desk.domain import words
from pm_desk.domain.reminders import CLOSED_SHOWN_DAYS, SNOOZE_WORDS, SnoozeChoice, snooze_until
from pm_desk.services import reads, reminders
from pm_desk.services.reminder_views import ReminderItem, attention_count
from pm_desk.tabular import write_csv, write_xlsx
from pm_desk.ui.context import AppContext
from pm_desk.ui.dialogs.reminder_form import edit_reminder, new_reminder
from pm_desk.ui.dialogs.snooze_dialog import ask_snooze_time
from pm_desk.ui.local_zone import local_zone
from pm_desk.ui.models.reminders_model import COLUMNS, ITEM_ROLE, RemindersModel, group_items
from pm_desk.ui.operations import Outcome
from pm_desk.ui.pages.base import Page
from pm_desk.ui.widgets.message_bar import MessageBar

SEARCH_DELAY_MS = 150
# Derived reminders also come with time (a refresher enters its due-soon days): read them again
# this often, as well as after every change. Coming due is checked from what was read.
RELOAD_MS = 5 * 60_000


class RemindersPage(Page):
    name = "reminders"
    title = "Reminders"
    kinds = ("reminder",)
    count_changed = Signal(int)  # reminders overdue or due today: the rail's badge
    items_loaded = Signal()  # after every read, for the notifier

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.items: list[ReminderItem] = []
        self._select_when_shown: str | None = None
        self.zone = local_zone()
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Search reminders…  (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search reminders")
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.regroup)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.group_by = QComboBox(self)
        self.group_by.setAccessibleName("Group reminders by")
        self.group_by.addItem("By when due", "due")
        self.group_by.addItem("By record kind", "kind")
        self.group_by.currentIndexChanged.connect(lambda _i: self.regroup())
        self.show_closed = QCheckBox("Show done", self)
        self.show_closed.setToolTip(
            f"Also show reminders done or dismissed in the last {words.days(CLOSED_SHOWN_DAYS)}"
        )
        self.show_closed.toggled.connect(lambda _on: self.load())
        new_button = QPushButton("New reminder…", self)
        new_button.setAccessibleName("New reminder")
        new_button.clicked.connect(self.new_record)
        top = QHBoxLayout()
        top.addWidget(QLabel(f"<h2>{self.title}</h2>"))
        top.addStretch(1)
        top.addWidget(self.search, 2)
        top.addWidget(self.group_by)
        top.addWidget(self.show_closed)
        top.addWidget(new_button)

        self.complete_button = self._button("Complete", self.complete_selected, "Mark the selected done")
        self.snooze_button = QToolButton(self)
        self.snooze_button.setText("Snooze")
        self.snooze_button.setAccessibleName("Snooze the selected")
        self.snooze_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.snooze_menu = QMenu(self.snooze_button)
        for choice in SnoozeChoice:
            action = self.snooze_menu.addAction(SNOOZE_WORDS[choice])
            action.setObjectName(f"snooze_{choice.value}")
            action.triggered.connect(lambda _c=False, c=choice: self.snooze_selected(c))
        pick = self.snooze_menu.addAction("Pick a time…")
        pick.setObjectName("snooze_pick")
        pick.triggered.connect(lambda: self.snooze_selected(None))
        self.snooze_button.setMenu(self.snooze_menu)
        self.dismiss_button = self._button("Dismiss", self.dismiss_selected, "Stop reminding (a series ends)")
        self.edit_button = self._button("Edit…", self.edit_current, "Edit the selected reminder")
        self.open_button = self._button("Open record", self.open_selected, "Open the record it is about")
        self.selection_label = QLabel(self)
        actions = QHBoxLayout()
        for widget in (self.complete_button, self.snooze_button, self.dismiss_button, self.edit_button):
            actions.addWidget(widget)
        actions.addWidget(self.open_button)
        actions.addStretch(1)
        actions.addWidget(self.selection_label)

        self.model = RemindersModel(self)
        self.view = QTreeView(self)
        self.view.setModel(self.model)
        self.view.setAccessibleName("Reminders")
        self.view.setAlternatingRowColors(True)
        self.view.setUniformRowHeights(True)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.activated.connect(self._activated)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._selection_changed())
        self.empty = QLabel(
            "No reminders. Press New reminder… to add one, or Remind me… on any record. Deadlines of "
            "your caseload (refreshers, renewals, findings…) appear here by themselves."
        )
        self.empty.setWordWrap(True)
        self.empty.setVisible(False)
        self.message = MessageBar(self)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.message)
        layout.addLayout(actions)
        layout.addWidget(self.empty)
        layout.addWidget(self.view, 1)
        ctx.events.changed.connect(lambda *_: self.refresh())
        self.reload_timer = QTimer(self, interval=RELOAD_MS)
        self.reload_timer.timeout.connect(self.refresh)
        self._selection_changed()

    def _button(self, text: str, slot: Callable[[], Any], tip: str) -> QPushButton:
        button = QPushButton(text, self)
        button.setToolTip(tip)
        button.setAccessibleName(text.rstrip("…"))
        button.clicked.connect(slot)
        return button

    # -- loading ---------------------------------------------------------------------------------------
    def load(self) -> None:
        """Read the reminders on the database worker (the derived ones come from the rules over the
        whole caseload) and show them when they arrive."""
        ctx, now, closed = self.ctx, self.ctx.now(), self.show_closed.isChecked()

        def read() -> list[ReminderItem]:
            return ctx.read(reads.reminder_items, ctx.policy, ctx.actor, now, self.zone, closed)

        ctx.ops.submit(read, lambda outcome: self._show(outcome, now), owner=self)
        self.reload_timer.start()

    def _show(self, outcome: Outcome[list[ReminderItem]], now: datetime) -> None:
        if not outcome.ok or outcome.value is None:
            self.message.show_message(outcome.message, "alarm")
            return
        self.items = outcome.value
        self.regroup(now)
        if self._select_when_shown is not None:
            self._select(self._select_when_shown)
            self._select_when_shown = None
        self.count_changed.emit(attention_count(self.items, now, self.zone))
        self.items_loaded.emit()

    def regroup(self, now: datetime | None = None) -> None:
        selected = set(self.selected_refs())
        now = now or self.ctx.now()
        by = self.group_by.currentData()
        self.model.set_groups(group_items(self.items, now, self.zone, by, self.search.text()), now, self.zone)
        self.view.expandAll()
        for column, width in enumerate((360, 150, 470, 190)):
            self.view.setColumnWidth(column, width)
        self.empty.setVisible(not self.items)
        for ref in selected:
            self._select(ref, clear=False)
        self._selection_changed()

    def refresh(self) -> None:
        # Even unseen, the page keeps the rail's count current.
        self._loaded = True
        self.load()

    def count(self) -> int:
        return attention_count(self.items, self.ctx.now(), self.zone)

    # -- selection ---------------------------------------------------------------------------------------
    def selected_items(self) -> list[ReminderItem]:
        rows = self.view.selectionModel().selectedRows(0)
        return [item for index in rows if isinstance(item := index.data(ITEM_ROLE), ReminderItem)]

    def selected_refs(self) -> list[str]:
        return [i.ref for i in self.selected_items()]

    def current_item(self) -> ReminderItem | None:
        item = self.view.currentIndex().siblingAtColumn(0).data(ITEM_ROLE)
        return item if isinstance(item, ReminderItem) else None

    def _select(self, ref: str, clear: bool = True) -> bool:
        index = self.model.find(ref)
        if not index.isValid():
            return False
        flags = self.view.selectionModel().SelectionFlag
        mode = flags.Rows | (flags.ClearAndSelect if clear else flags.Select)
        self.view.selectionModel().select(index, mode)
        if clear:
            self.view.setCurrentIndex(index)
        self.view.scrollTo(index)
        return True

    def _selection_changed(self) -> None:
        chosen = self.selected_items()
        open_ones = [i for i in chosen if i.is_open]
        for button in (self.complete_button, self.snooze_button, self.dismiss_button):
            button.setEnabled(bool(open_ones))
        single = chosen[0] if len(chosen) == 1 else None
        self.edit_button.setEnabled(single is not None and not single.derived)
        self.open_button.setEnabled(single is not None and single.subject_kind is not None)
        self.selection_label.setText(f"{len(chosen)} selected" if len(chosen) > 1 else "")

    # -- actions ------------------------------------------------------------------------------------------
    def _run(self, text: str, service: Callable[..., Any], refs: Sequence[str], *args: Any) -> bool:
        """Start the operation on the selected reminders; False when there is nothing to do."""
        if not refs:
            self.message.show_message("Select one or more open reminders first.", "warn", seconds=6)
            return False
        refs, zone = list(refs), self.zone
        refuse = lambda message: self.message.show_message(message, "alarm")  # noqa: E731
        count = len(refs)
        what = "reminder" if count == 1 else f"{count} reminders"
        self.ctx.op(service, refs, *args, zone).failure(refuse).owner(self).changes("reminder", "").undoable(
            text,
            lambda _before: (
                self.ctx.op(service, refs, *args, zone).failure(refuse).owner(self).changes("reminder", "")
            ),
            lambda before: (
                self.ctx.op(reminders.restore_reminders, before)
                .failure(refuse)
                .owner(self)
                .changes("reminder", "")
            ),
        ).trigger(self.complete_button, self.snooze_button, self.dismiss_button).tell(
            f"{text.capitalize()}: {what}. Edit → Undo takes it back.",
            lambda message: self.message.show_message(message, "ok", seconds=8),
        ).run()
        return True

    def _open_refs(self) -> list[str]:
        return [i.ref for i in self.selected_items() if i.is_open]

    def complete_selected(self) -> bool:
        return self._run("complete", reminders.complete_reminders, self._open_refs())

    def dismiss_selected(self) -> bool:
        refs = self._open_refs()
        if refs and not self.confirm(
            f"Dismiss {'this reminder' if len(refs) == 1 else f'{len(refs)} reminders'}?",
            "A repeating reminder stops for good. Edit → Undo brings it back.",
        ):
            return False
        return self._run("dismiss", reminders.dismiss_reminders, refs)

    def confirm(self, question: str, detail: str) -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, self.title, question, parent=self)
        box.setInformativeText(detail)
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        return box.exec() == QMessageBox.StandardButton.Yes

    def snooze_selected(self, choice: SnoozeChoice | None, until: datetime | None = None) -> bool:
        refs = self._open_refs()
        if until is None and choice is not None:
            until = snooze_until(choice, self.ctx.now(), self.zone)
        if until is None and refs:
            until = ask_snooze_time(self, self.ctx.now())
            if until is None:
                return False
        return self._run("snooze", reminders.snooze_reminders, refs, until)

    def open_selected(self) -> None:
        item = self.current_item() or next(iter(self.selected_items()), None)
        if item is not None and item.subject_kind and item.subject_id:
            self.ctx.events.navigate.emit(item.subject_kind, item.subject_id)

    def _activated(self, index: QModelIndex) -> None:
        item = index.siblingAtColumn(0).data(ITEM_ROLE)
        if not isinstance(item, ReminderItem):
            return
        if item.subject_kind and item.subject_id:
            self.ctx.events.navigate.emit(item.subject_kind, item.subject_id)
        elif not item.derived:
            edit_reminder(self.ctx, self, item, lambda m: self.message.show_message(m, "alarm"))

    # -- what the main window asks of a page ----------------------------------------------------------------
    def new_record(self) -> None:
        reminder_id = new_reminder(self.ctx, self)
        if reminder_id and not self._select(reminder_id):
            self._select_when_shown = reminder_id  # the list is being read again

    def edit_current(self) -> None:
        item = self.current_item()
        if item is not None and not item.derived:
            edit_reminder(self.ctx, self, item, lambda m: self.message.show_message(m, "alarm"))

    def open_record(self, kind: str, record_id: str) -> None:
        self.activate()
        if not self._select(record_id) and self.search.text():
            self.search.clear()
            self.regroup()
            self._select(record_id)

    def focus_filter(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def export(self, kind: str, path: str | None = None) -> Path | None:
        """The reminders as shown (groups, search) to CSV or Excel."""
        if path is None:
            start = Path(self.ctx.settings.last_export_dir or Path.home()) / f"reminders.{kind}"
            pattern = "CSV files (*.csv)" if kind == "csv" else "Excel workbooks (*.xlsx)"
            path, _ = QFileDialog.getSaveFileName(self, "Export reminders", str(start), pattern)
            if not path:
                return None
        target = Path(path).with_suffix(f".{kind}")
        header = ["Group", *COLUMNS]
        model = self.model
        rows = [
            [group.title, *(model.data(model.index(r, c, model.index(g, 0))) for c in range(len(COLUMNS)))]
            for g, group in enumerate(model.groups)
            for r in range(len(group.rows))
        ]
        banner = self.ctx.policy.reports.handling_banner
        try:
            if kind == "csv":
                write_csv(target, header, rows, banner)
            else:
                write_xlsx(target, [("Reminders", header, rows)], banner)
        except OSError as exc:
            self.message.show_message(f"could not write {target}: {exc.strerror or exc}", "alarm")
            return None
        self.ctx.settings.last_export_dir = str(target.parent)
        return target
