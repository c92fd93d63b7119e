"""The repeat picker: daily, weekly on some days, monthly on a day or the nth weekday, yearly;
ending never, after N times or on a date; or an RRULE typed by hand. It says the choice in words
and shows the next occurrences, so nobody has to read RFC 5545 to trust it."""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from pm_desk.domain.recurrence import Recurrence, RecurrenceError, until_local_date, zone_of
from pm_desk.domain.repeat import (
    DAY_NAMES,
    MONTH_NAMES,
    ORDINALS,
    RepeatChoice,
    default_choice,
    describe,
    from_rule,
    to_rule,
)
from pm_desk.ui.widgets.fields import DateField

MODES = ("none", "daily", "weekly", "monthly", "yearly", "custom")
MODE_TEXT = ("Does not repeat", "Daily", "Weekly", "Monthly", "Yearly", "Custom rule (RRULE)")
UNITS = {"daily": "day(s)", "weekly": "week(s)", "monthly": "month(s)", "yearly": "year(s)"}


def _day_combo(parent: QWidget) -> QComboBox:
    combo = QComboBox(parent)
    for day in range(1, 32):
        combo.addItem(str(day), day)
    combo.addItem("last day", -1)
    return combo


class RepeatPicker(QDialog):
    def __init__(self, start: datetime, zone: str, rule: str | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Repeat")
        self.setMinimumWidth(460)
        self.start, self.zone = start, zone
        try:
            local = start.astimezone(zone_of(zone))  # the wall clock the reminder keeps
        except RecurrenceError:
            local = start.astimezone()
        self.mode = QComboBox(self)
        self.mode.setAccessibleName("Repeat")
        for name, text in zip(MODES, MODE_TEXT, strict=True):
            self.mode.addItem(text, name)
        self.interval = QSpinBox(self)
        self.interval.setRange(1, 1000)
        self.interval.setAccessibleName("Repeat every")
        self.unit = QLabel(self)
        self.pages = QStackedWidget(self)
        self.pages.addWidget(QWidget(self))  # none, daily: nothing more to choose
        self.pages.addWidget(self._weekly_page())
        self.pages.addWidget(self._monthly_page())
        self.pages.addWidget(self._yearly_page())
        self.custom = QLineEdit(self)
        self.custom.setPlaceholderText("FREQ=MONTHLY;BYDAY=3TU")
        self.custom.setAccessibleName("Recurrence rule")
        self.pages.addWidget(self.custom)
        ends_row = self._ends_row()
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Repeat summary")
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #c62828;")
        self.error.setAccessibleName("Repeat problem")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, parent=self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        every = QHBoxLayout()
        every.addWidget(self.interval)
        every.addWidget(self.unit)
        every.addStretch(1)
        self.every_row = QWidget(self)
        self.every_row.setLayout(every)
        form = QFormLayout()
        form.addRow("Repeat:", self.mode)
        form.addRow("Every:", self.every_row)
        form.addRow("", self.pages)
        form.addRow("Ends:", ends_row)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self._load(rule, local)
        for signal in (
            self.mode.currentIndexChanged,
            self.interval.valueChanged,
            self.month_day.currentIndexChanged,
            self.nth.currentIndexChanged,
            self.weekday.currentIndexChanged,
            self.year_month.currentIndexChanged,
            self.year_day.currentIndexChanged,
            self.count.valueChanged,
            self.custom.textChanged,
        ):
            signal.connect(self._update)
        for button in (*self.days, self.by_day, self.by_weekday, self.end_never, self.end_after, self.end_on):
            button.toggled.connect(self._update)
        self.until.changed.connect(self._update)
        self._update()

    # -- the parts -----------------------------------------------------------------------------------
    def _weekly_page(self) -> QWidget:
        page = QWidget(self)
        row = QHBoxLayout(page)
        row.setContentsMargins(0, 0, 0, 0)
        self.days = []
        for name in DAY_NAMES:
            box = QCheckBox(name[:3], page)
            box.setAccessibleName(name)
            self.days.append(box)
            row.addWidget(box)
        return page

    def _monthly_page(self) -> QWidget:
        page = QWidget(self)
        grid = QFormLayout(page)
        grid.setContentsMargins(0, 0, 0, 0)
        self.by_day = QRadioButton("On day", page)
        self.by_weekday = QRadioButton("On the", page)
        group = QButtonGroup(page)
        group.addButton(self.by_day)
        group.addButton(self.by_weekday)
        self.month_day = _day_combo(page)
        self.month_day.setAccessibleName("Day of the month")
        self.nth = QComboBox(page)
        self.nth.setAccessibleName("Which week")
        for number, word in ORDINALS.items():
            if number != 5:
                self.nth.addItem(word, number)
        self.weekday = QComboBox(page)
        self.weekday.setAccessibleName("Weekday")
        for index, name in enumerate(DAY_NAMES):
            self.weekday.addItem(name, index)
        nth_row = QHBoxLayout()
        nth_row.addWidget(self.nth)
        nth_row.addWidget(self.weekday)
        grid.addRow(self.by_day, self.month_day)
        grid.addRow(self.by_weekday, nth_row)
        return page

    def _yearly_page(self) -> QWidget:
        page = QWidget(self)
        row = QHBoxLayout(page)
        row.setContentsMargins(0, 0, 0, 0)
        self.year_month = QComboBox(page)
        self.year_month.setAccessibleName("Month")
        for index, name in enumerate(MONTH_NAMES, start=1):
            self.year_month.addItem(name, index)
        self.year_day = _day_combo(page)
        self.year_day.setAccessibleName("Day")
        row.addWidget(QLabel("On", page))
        row.addWidget(self.year_month)
        row.addWidget(self.year_day)
        row.addStretch(1)
        return page

    def _ends_row(self) -> QWidget:
        box = QWidget(self)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        self.end_never = QRadioButton("Never", box)
        self.end_after = QRadioButton("After", box)
        self.end_on = QRadioButton("On", box)
        group = QButtonGroup(box)
        for button in (self.end_never, self.end_after, self.end_on):
            group.addButton(button)
        self.count = QSpinBox(box)
        self.count.setRange(1, 10_000)
        self.count.setSuffix(" times")
        self.count.setAccessibleName("Number of times")
        self.until = DateField("Last date", parent=box)
        after = QHBoxLayout()
        after.addWidget(self.end_after)
        after.addWidget(self.count)
        after.addStretch(1)
        on = QHBoxLayout()
        on.addWidget(self.end_on)
        on.addWidget(self.until, 1)
        layout.addWidget(self.end_never)
        layout.addLayout(after)
        layout.addLayout(on)
        return box

    # -- reading and writing the choice ---------------------------------------------------------------
    def _load(self, rule: str | None, local: datetime) -> None:
        choice = default_choice(local)
        mode = "none"
        if rule:
            until = until_local_date(rule, self.zone)
            picked = from_rule(rule, until, base=choice)
            if picked is None:
                mode = "custom"
                self.custom.setText(rule)
            else:
                choice, mode = picked, picked.frequency
        self.mode.setCurrentIndex(MODES.index(mode))
        self.interval.setValue(choice.interval)
        weekdays = choice.weekdays or (local.weekday(),)
        for index, box in enumerate(self.days):
            box.setChecked(index in weekdays)
        self.by_day.setChecked(choice.monthly_by == "day")
        self.by_weekday.setChecked(choice.monthly_by != "day")
        self.month_day.setCurrentIndex(self.month_day.findData(choice.month_day))
        self.nth.setCurrentIndex(max(self.nth.findData(choice.nth), 0))
        self.weekday.setCurrentIndex(choice.weekday)
        self.year_month.setCurrentIndex(choice.month - 1)
        self.year_day.setCurrentIndex(self.year_day.findData(choice.month_day))
        self.end_never.setChecked(choice.ends == "never")
        self.end_after.setChecked(choice.ends == "after")
        self.end_on.setChecked(choice.ends == "on")
        self.count.setValue(choice.count)
        self.until.set_value(choice.until)

    def choice(self) -> RepeatChoice | None:
        mode = self.mode.currentData()
        if mode in {"none", "custom"}:
            return None
        ends = "after" if self.end_after.isChecked() else "on" if self.end_on.isChecked() else "never"
        base = RepeatChoice(
            frequency=mode,
            interval=self.interval.value(),
            weekdays=tuple(i for i, box in enumerate(self.days) if box.isChecked()),
            monthly_by="day" if self.by_day.isChecked() else "weekday",
            month_day=self.month_day.currentData() if mode == "monthly" else self.year_day.currentData(),
            nth=self.nth.currentData(),
            weekday=self.weekday.currentData(),
            month=self.year_month.currentData(),
            ends=ends,
            count=self.count.value(),
            until=self.until.value(),
        )
        return base

    def rule(self) -> str | None:
        """The RRULE chosen, or None for "does not repeat". Raises RecurrenceError if unusable."""
        mode = self.mode.currentData()
        if mode == "none":
            return None
        if mode == "custom":
            return self.custom.text().strip() or None
        choice = self.choice()
        assert choice is not None
        return to_rule(choice)

    def _update(self) -> None:
        mode = self.mode.currentData()
        self.pages.setCurrentIndex({"weekly": 1, "monthly": 2, "yearly": 3, "custom": 4}.get(mode, 0))
        self.every_row.setVisible(mode in UNITS)
        self.unit.setText(UNITS.get(mode, ""))
        for widget in (self.end_never, self.end_after, self.end_on, self.count, self.until):
            widget.setEnabled(mode not in {"none", "custom"})
        self.count.setEnabled(mode not in {"none", "custom"} and self.end_after.isChecked())
        self.until.setEnabled(mode not in {"none", "custom"} and self.end_on.isChecked())
        self.month_day.setEnabled(self.by_day.isChecked())
        self.nth.setEnabled(self.by_weekday.isChecked())
        self.weekday.setEnabled(self.by_weekday.isChecked())
        problem, summary = None, "Does not repeat"
        try:
            rule = self.rule()
            if rule:
                series = Recurrence.begin(rule, self.zone, self.start)
                until = until_local_date(series.rule, self.zone)
                following = series.between(series.start, series.start + timedelta(days=36_600), limit=3)
                shown = ", ".join(f"{d.astimezone(series.tz):%a %d %b %Y %H:%M}" for d in following)
                summary = f"{describe(series.rule, until)}. Next: {shown}"
        except RecurrenceError as exc:
            problem = str(exc)
        if mode == "custom" and not self.custom.text().strip():
            problem = "type a rule like FREQ=MONTHLY;BYDAY=3TU, or choose another option"
        self.summary.setText(summary if problem is None else "")
        self.error.setText(problem[:1].upper() + problem[1:] if problem else "")
        self.error.setVisible(problem is not None)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(problem is None)


def pick_repeat(
    parent: QWidget | None, start: datetime, zone: str, rule: str | None
) -> tuple[bool, str | None]:
    """Ask for a recurrence: (True, rule or None) when accepted, (False, rule) when cancelled."""
    picker = RepeatPicker(start, zone, rule, parent)
    if picker.exec() != QDialog.DialogCode.Accepted:
        return False, rule
    return True, picker.rule()
