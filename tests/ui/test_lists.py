"""The lists of the caseload pages on the `small` demo: filter as you type, sort by a header click,
quick filters, the caseload / field-office switch, the column chooser, export of the view, status
shown with colour and text, A-numbers masked."""

from __future__ import annotations

import csv
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

import pytest
from contexts import store_read
from openpyxl import load_workbook
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor
from sqlalchemy import select

from pm_desk.domain.enums import AuthorityStatus
from pm_desk.domain.policy import ReportsPolicy
from pm_desk.store.models import CustodyTransfer
from pm_desk.ui.context import AppContext
from pm_desk.ui.models.paged_table import RAW_VALUE_ROLE
from pm_desk.ui.pages.agreements import AgreementsPage
from pm_desk.ui.pages.base import ListPage
from pm_desk.ui.pages.officers import OfficersPage
from pm_desk.ui.pages.transfers import TransfersPage
from pm_desk.ui.widgets.list_panel import ListPanel

P = TypeVar("P", bound=ListPage)
BANNER = ReportsPolicy().handling_banner


def open_page(qtbot, page_class: type[P], ctx: AppContext) -> P:
    page = page_class(ctx)
    qtbot.addWidget(page)
    page.resize(1600, 900)
    page.show()
    page.activate()
    return page


def column_of(panel: ListPanel, key: str) -> int:
    return [c.key for c in panel.model.columns].index(key)


def texts(panel: ListPanel, key: str) -> list[str]:
    """What a column shows, top to bottom."""
    model, column = panel.model, column_of(panel, key)
    return [model.data(model.index(row, column)) for row in range(model.rowCount())]


def raw_values(panel: ListPanel, key: str) -> list[Any]:
    model, column = panel.model, column_of(panel, key)
    return [model.data(model.index(row, column), RAW_VALUE_ROLE) for row in range(model.rowCount())]


def row_text(panel: ListPanel, row: int) -> str:
    model = panel.model
    return " ".join(model.data(model.index(row, c)) or "" for c in range(model.columnCount()))


def distinctive_word(panel: ListPanel, key: str) -> str:
    """A word of the first row's `key` column that some rows show and others do not."""
    total = panel.model.rowCount()
    lines = [row_text(panel, row).lower() for row in range(total)]
    words = [w for w in texts(panel, key)[0].split() if len(w) >= 4 and w.isalpha()]
    counted = [(sum(w.lower() in line for line in lines), w) for w in words]
    return min((n, w) for n, w in counted if 0 < n < total)[1]


def type_filter(qtbot, panel: ListPanel, text: str) -> None:
    """Type into the filter box and wait for the list to follow (it waits for a pause in typing)."""
    qtbot.keyClicks(panel.filter_edit, text)
    typed = panel.filter_edit.text()
    assert typed.endswith(text)
    qtbot.waitUntil(lambda: panel.model.query.text == typed)


def click_header(qtbot, panel: ListPanel, key: str) -> None:
    header = panel.view.horizontalHeader()
    section = column_of(panel, key)
    panel.view.scrollTo(panel.model.index(0, section))
    x = header.sectionViewportPosition(section) + header.sectionSize(section) // 2
    assert 0 <= x < header.viewport().width(), "the header section is not on screen"
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2))


def shown_titles(panel: ListPanel) -> list[str]:
    """Column titles as the view shows them: visual order, hidden ones left out."""
    header = panel.view.horizontalHeader()
    logical = [header.logicalIndex(v) for v in range(header.count())]
    return [panel.model.columns[i].title for i in logical if not header.isSectionHidden(i)]


def choose_column(panel: ListPanel, title: str) -> bool:
    """Toggle a column in the Columns menu; True when it is now shown."""
    action = next(a for a in panel.columns_button.menu().actions() if a.text() == title)
    action.trigger()
    return action.isChecked()


@pytest.fixture
def officers(qtbot, manager_ctx: AppContext) -> OfficersPage:
    return open_page(qtbot, OfficersPage, manager_ctx)


# -- filter, sort, quick filters, scope ------------------------------------------------------------
def test_filter_as_you_type_narrows_the_rows(qtbot, officers: OfficersPage) -> None:
    panel = officers.list
    total = panel.model.rowCount()
    assert panel.count_label.text() == f"{total} officers"
    word = distinctive_word(panel, "agency")
    type_filter(qtbot, panel, word)
    shown = panel.model.rowCount()
    assert 0 < shown < total
    assert panel.count_label.text() == f"{shown} officers"
    for row in range(shown):
        assert word.lower() in row_text(panel, row).lower(), row_text(panel, row)
    # Two words: both must match, in any searched column.
    type_filter(qtbot, panel, " authorized")
    both = panel.model.rowCount()
    assert 0 < both < shown
    for row in range(both):
        assert word.lower() in row_text(panel, row).lower()
    assert all("Authorized" in a for a in texts(panel, "authority"))
    panel.filter_edit.clear()
    qtbot.waitUntil(lambda: panel.model.rowCount() == total)
    type_filter(qtbot, panel, "zzqx no such officer")
    assert panel.model.rowCount() == 0
    assert panel.count_label.text() == "no officers match"


def test_clicking_a_header_sorts_the_rows(qtbot, officers: OfficersPage) -> None:
    panel = officers.list
    names = texts(panel, "name")
    assert names == sorted(names)  # the list opens sorted by name
    header = panel.view.horizontalHeader()
    click_header(qtbot, panel, "nominated_on")
    qtbot.waitUntil(lambda: panel.model.query.sort_key == "nominated_on")
    first_order = header.sortIndicatorOrder()
    days = [d for d in raw_values(panel, "nominated_on") if d is not None]
    assert len(days) > 10
    assert days == sorted(days, reverse=first_order == Qt.SortOrder.DescendingOrder)
    assert raw_values(panel, "nominated_on")[: len(days)] == days  # officers without a date come last
    click_header(qtbot, panel, "nominated_on")
    qtbot.waitUntil(lambda: header.sortIndicatorOrder() != first_order)
    flipped = [d for d in raw_values(panel, "nominated_on") if d is not None]
    assert flipped == sorted(days, reverse=first_order != Qt.SortOrder.DescendingOrder)
    assert panel.model.query.descending == (header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder)


def test_quick_filters_toggle(qtbot, officers: OfficersPage) -> None:
    panel = officers.list
    total = panel.model.rowCount()
    qtbot.mouseClick(panel.quick_buttons["authorized"], Qt.MouseButton.LeftButton)
    authorized = panel.model.rowCount()
    assert 0 < authorized < total
    assert set(raw_values(panel, "authority")) == {AuthorityStatus.AUTHORIZED}
    assert panel.count_label.text() == f"{authorized} officers"
    qtbot.mouseClick(panel.quick_buttons["authorized"], Qt.MouseButton.LeftButton)
    assert panel.model.rowCount() == total
    qtbot.mouseClick(panel.quick_buttons["waiting"], Qt.MouseButton.LeftButton)
    assert set(raw_values(panel, "authority")) <= {AuthorityStatus.NOMINATED, AuthorityStatus.IN_TRAINING}
    assert 0 < panel.model.rowCount() < total


def test_scope_switch_shows_the_whole_field_office(qtbot, manager_ctx: AppContext) -> None:
    page = open_page(qtbot, AgreementsPage, manager_ctx)
    me = manager_ctx.actor.name
    assert page.scope_switch.isVisible() and not page.scope_switch.isChecked()
    caseload = page.list.model.rowCount()
    assert caseload > 0 and set(texts(page.list, "manager")) == {me}
    page.scope_switch.click()
    office = page.list.model.rowCount()
    assert office > caseload
    assert me in texts(page.list, "manager") and len(set(texts(page.list, "manager"))) > 1
    assert manager_ctx.settings.show_field_office is True  # kept for the next run
    page.scope_switch.click()
    assert page.list.model.rowCount() == caseload


def test_supervisor_sees_the_field_office_without_a_switch(qtbot, supervisor_ctx: AppContext) -> None:
    page = open_page(qtbot, AgreementsPage, supervisor_ctx)
    assert not page.scope_switch.isVisible()
    assert len(set(texts(page.list, "manager"))) > 1


# -- status, masked A-numbers ----------------------------------------------------------------------
def test_status_cells_carry_text_and_colour(officers: OfficersPage) -> None:
    panel = officers.list
    model, column = panel.model, column_of(panel, "authority")
    colours: dict[str, str] = {}
    for row in range(model.rowCount()):
        index = model.index(row, column)
        status = model.data(index, RAW_VALUE_ROLE)
        text = model.data(index)
        assert status.value.replace("_", " ") in text.lower(), text  # the word is always there
        colour = model.data(index, Qt.ItemDataRole.ForegroundRole)
        if status in {AuthorityStatus.AUTHORIZED, AuthorityStatus.SUSPENDED, AuthorityStatus.REVOKED}:
            assert isinstance(colour, QColor) and colour.isValid(), status
            colours[status] = colour.name()
    assert set(colours) == {AuthorityStatus.AUTHORIZED, AuthorityStatus.SUSPENDED, AuthorityStatus.REVOKED}
    assert len(set(colours.values())) == 3  # each in its own colour
    # A derived state (the refresher clock) reads the same way: a mark, words and a colour.
    training = column_of(panel, "training")
    overdue = [
        model.index(r, training)
        for r in range(model.rowCount())
        if "overdue" in (model.data(model.index(r, training)) or "")
    ]
    assert overdue
    assert all(isinstance(model.data(i, Qt.ItemDataRole.ForegroundRole), QColor) for i in overdue)


def test_a_numbers_show_only_their_last_four_digits(qtbot, manager_ctx: AppContext, tmp_path: Path) -> None:
    page = open_page(qtbot, TransfersPage, manager_ctx)
    panel = page.list
    numbers = {
        row.id: row.a_number
        for row in store_read(
            manager_ctx, lambda s: s.execute(select(CustodyTransfer.id, CustodyTransfer.a_number)).all()
        )
    }
    column = column_of(panel, "a_number")
    checked = 0
    for row in range(min(panel.model.rowCount(), 300)):
        full = numbers[panel.model.record_id(row)]
        shown = panel.model.data(panel.model.index(row, column))
        if not full:
            assert shown == ""
            continue
        assert shown == "A•••••" + full[-4:]
        assert full[1:-4] not in shown
        checked += 1
    assert checked > 50
    type_filter(qtbot, panel, distinctive_word(panel, "agency"))
    target = panel.export("csv", str(tmp_path / "transfers.csv"))
    assert target is not None
    with target.open(encoding="utf-8", newline="") as handle:
        assert next(csv.reader(handle)) == [BANNER]  # the handling banner, alone on the first line
        exported = list(csv.DictReader(handle))
    assert len(exported) == panel.model.rowCount()
    assert oct(target.stat().st_mode & 0o777) == "0o600"
    masked = [r["A-number"] for r in exported if r["A-number"]]
    assert masked and all(m.startswith("A•••••") and len(m) == 10 for m in masked)


# -- column chooser and export ---------------------------------------------------------------------
def test_column_chooser_hides_a_column(officers: OfficersPage, manager_ctx: AppContext) -> None:
    panel = officers.list
    badge = column_of(panel, "badge")
    assert "Badge" in shown_titles(panel)
    assert choose_column(panel, "Badge") is False
    assert panel.view.horizontalHeader().isSectionHidden(badge)
    assert "Badge" not in shown_titles(panel)
    assert manager_ctx.settings.columns("officers")["header"] is not None  # kept for the next run
    assert choose_column(panel, "Email") is True
    assert "Email" in shown_titles(panel)


def prepared_view(qtbot, panel: ListPanel) -> None:
    """A view a person would export: filtered, sorted, one column hidden, one shown."""
    type_filter(qtbot, panel, "authorized")
    click_header(qtbot, panel, "nominated_on")
    qtbot.waitUntil(lambda: panel.model.query.sort_key == "nominated_on")
    choose_column(panel, "Badge")  # hide
    choose_column(panel, "Email")  # show


def test_export_csv_writes_the_view(qtbot, officers: OfficersPage, tmp_path: Path) -> None:
    panel = officers.list
    prepared_view(qtbot, panel)
    target = panel.export("csv", str(tmp_path / "officers"))
    assert target == tmp_path / "officers.csv"
    with target.open(encoding="utf-8", newline="") as handle:
        banner, header, *body = list(csv.reader(handle))
    assert banner == [BANNER]
    assert header == shown_titles(panel)
    assert "Badge" not in header and "Email" in header
    assert len(body) == panel.model.rowCount() > 0
    names = header.index("Name")
    assert [r[names] for r in body] == texts(panel, "name")
    nominated = header.index("Nominated")
    assert [r[nominated] for r in body] == texts(panel, "nominated_on")
    authority = header.index("Authority")
    assert {r[authority] for r in body} == {"authorized"}
    training = header.index("Training")
    # A derived state is written as its words, without the mark the list puts before them.
    shown = texts(panel, "training")
    assert all(r[training] and text.endswith(r[training]) for r, text in zip(body, shown, strict=True))


def test_export_xlsx_writes_the_view_with_real_dates(qtbot, officers: OfficersPage, tmp_path: Path) -> None:
    panel = officers.list
    prepared_view(qtbot, panel)
    target = panel.export("xlsx", str(tmp_path / "officers.xlsx"))
    assert target is not None and target.exists()
    book = load_workbook(target)
    sheet = book.active
    assert sheet.freeze_panes == "A3"  # the banner and the header row stay in view
    table = [list(r) for r in sheet.iter_rows(values_only=True)]
    banner, header, body = table[0], table[1], table[2:]
    assert banner[0] == BANNER and not any(banner[1:])
    assert sheet.oddHeader.center.text == sheet.oddFooter.center.text == BANNER  # on every printed page
    assert book.properties.subject == BANNER
    assert oct(target.stat().st_mode & 0o777) == "0o600"
    assert header == shown_titles(panel)
    assert all(sheet.cell(row=2, column=c + 1).font.bold for c in range(len(header)))
    assert len(body) == panel.model.rowCount() > 0
    assert [r[header.index("Name")] for r in body] == texts(panel, "name")
    nominated = header.index("Nominated")
    days = [r[nominated] for r in body]
    assert all(isinstance(d, datetime) for d in days if d is not None)
    assert [d.date() if d else None for d in days] == raw_values(panel, "nominated_on")
    assert sheet.cell(row=3, column=nominated + 1).is_date
    assert sheet.cell(row=3, column=nominated + 1).number_format == "yyyy-mm-dd"
    assert isinstance(raw_values(panel, "nominated_on")[0], date)
