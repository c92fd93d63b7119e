"""The repeat picker: every choice as a rule, said in words with its next dates; a rule it cannot
show is a custom rule; a wrong one cannot be accepted."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtWidgets import QDialogButtonBox

from pm_desk.ui.dialogs.repeat_picker import RepeatPicker

NY = "America/New_York"
START = datetime(2026, 11, 17, 9, 30, tzinfo=ZoneInfo(NY))  # a third Tuesday


@pytest.fixture
def picker(qtbot) -> RepeatPicker:
    picker = RepeatPicker(START, NY, None)
    qtbot.addWidget(picker)
    picker.show()
    return picker


def ok(picker: RepeatPicker) -> bool:
    return picker.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()


def choose(picker: RepeatPicker, mode: str) -> None:
    picker.mode.setCurrentIndex(picker.mode.findData(mode))


def test_it_opens_on_does_not_repeat_with_the_start_as_defaults(picker: RepeatPicker) -> None:
    assert picker.rule() is None
    assert picker.summary.text() == "Does not repeat"
    assert ok(picker)
    assert [box.isChecked() for box in picker.days] == [False, True, False, False, False, False, False]
    assert (picker.nth.currentData(), picker.weekday.currentData(), picker.month_day.currentData()) == (
        3,
        1,
        17,
    )


def test_weekly_on_days(picker: RepeatPicker) -> None:
    choose(picker, "weekly")
    picker.days[1].setChecked(False)
    picker.days[0].setChecked(True)
    picker.days[4].setChecked(True)
    picker.interval.setValue(2)
    assert picker.rule() == "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,FR"
    assert picker.summary.text().startswith("Every 2 weeks on Monday and Friday. Next: Fri 20 Nov 2026")
    for box in picker.days:
        box.setChecked(False)
    assert not ok(picker)
    assert picker.error.text() == "Choose at least one day of the week"


def test_monthly_on_the_nth_weekday_or_a_day_and_the_ends(picker: RepeatPicker) -> None:
    choose(picker, "monthly")
    assert picker.rule() == "FREQ=MONTHLY;BYDAY=3TU"
    assert (
        "Next: Tue 17 Nov 2026 09:30, Tue 15 Dec 2026 09:30, Tue 19 Jan 2027 09:30" in picker.summary.text()
    )
    picker.nth.setCurrentIndex(picker.nth.findData(-1))
    picker.weekday.setCurrentIndex(4)
    assert picker.rule() == "FREQ=MONTHLY;BYDAY=-1FR"
    picker.by_day.setChecked(True)
    picker.month_day.setCurrentIndex(picker.month_day.findData(-1))
    picker.end_after.setChecked(True)
    picker.count.setValue(3)
    assert picker.rule() == "FREQ=MONTHLY;BYMONTHDAY=-1;COUNT=3"
    assert picker.summary.text().startswith("Monthly on the last day, 3 times. Next: Mon 30 Nov 2026")
    picker.end_on.setChecked(True)
    assert not ok(picker) and "last date" in picker.error.text()
    picker.until.set_value(date(2027, 2, 28))
    assert ok(picker)
    assert picker.rule() == "FREQ=MONTHLY;BYMONTHDAY=-1;UNTIL=20270228"
    assert "until 2027-02-28" in picker.summary.text()


def test_yearly_and_daily(picker: RepeatPicker) -> None:
    choose(picker, "yearly")
    assert picker.rule() == "FREQ=YEARLY;BYMONTH=11;BYMONTHDAY=17"
    assert picker.summary.text().startswith("Yearly on 17 November")
    choose(picker, "daily")
    assert picker.rule() == "FREQ=DAILY"
    assert not picker.pages.currentWidget().isHidden()


def test_a_custom_rule_is_checked_as_typed(picker: RepeatPicker) -> None:
    choose(picker, "custom")
    assert not ok(picker)
    picker.custom.setText("FREQ=MONTHLY;BYDAY=9TU")
    assert not ok(picker) and "the number must be 1–5" in picker.error.text()
    picker.custom.setText("FREQ=MONTHLY;BYSETPOS=-1;BYDAY=MO,TU,WE,TH,FR")
    assert ok(picker)
    assert picker.summary.text().startswith(
        "Custom: FREQ=MONTHLY;BYSETPOS=-1;BYDAY=MO,TU,WE,TH,FR. Next: Mon 30 Nov"
    )


def test_an_existing_rule_opens_as_chosen(qtbot) -> None:
    picker = RepeatPicker(START, NY, "FREQ=MONTHLY;BYDAY=2WE;UNTIL=20270601T035959Z")
    qtbot.addWidget(picker)
    assert picker.mode.currentData() == "monthly"
    assert (picker.nth.currentData(), picker.weekday.currentData()) == (2, 2)
    assert picker.end_on.isChecked() and picker.until.value() == date(2027, 5, 31)
    assert picker.rule() == "FREQ=MONTHLY;BYDAY=2WE;UNTIL=20270531"
    custom = RepeatPicker(START, NY, "FREQ=HOURLY;INTERVAL=6")
    qtbot.addWidget(custom)
    assert custom.mode.currentData() == "custom" and custom.custom.text() == "FREQ=HOURLY;INTERVAL=6"
