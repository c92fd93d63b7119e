"""The main window on the `small` demo: every page opens, navigation, status bar, state kept."""

from __future__ import annotations

import pytest
from contexts import settle
from PySide6.QtGui import QAction, QKeySequence

from pm_desk import __version__
from pm_desk.ui.app import open_main_window
from pm_desk.ui.context import AppContext
from pm_desk.ui.main_window import MainWindow
from pm_desk.ui.pages.base import ListPage

PAGES = (
    "today",
    "agreements",
    "officers",
    "training",
    "equipment",
    "transfers",
    "inspections",
    "complaints",
    "reminders",
    "oncall",
    "reports",
    "team",
)


@pytest.fixture
def window(qtbot, manager_ctx: AppContext) -> MainWindow:
    window = open_main_window(manager_ctx)
    qtbot.addWidget(window)
    settle(manager_ctx)  # Today (and the status bar's hold counts) is computed on the worker
    return window


def test_every_page_opens_with_its_records(window: MainWindow) -> None:
    assert list(window.pages) == list(PAGES)
    for name in PAGES:
        page = window.show_page(name)
        assert window.stack.currentWidget() is page
        if isinstance(page, ListPage):
            assert page.list.model.rowCount() > 0, name
            assert page.list.count_label.text()


def test_status_bar_shows_user_on_call_holds_and_database(
    window: MainWindow, manager_ctx: AppContext
) -> None:
    status = window.status
    assert manager_ctx.actor.name in status.user.text()
    assert status.on_call.text().startswith("On call")
    assert "hold" in status.holds.text().lower()
    assert status.database.text() == manager_ctx.paths.database
    assert "local only" in status.sync.text()


def test_about_names_version_and_data_paths(window: MainWindow, manager_ctx: AppContext) -> None:
    text = window.about_text()
    assert __version__ in text
    for path in (
        manager_ctx.paths.database,
        str(manager_ctx.paths.log_file),
        str(manager_ctx.paths.backup_dir),
    ):
        assert path in text


def actions_of(window: MainWindow) -> dict[str, QAction]:
    return {a.objectName(): a for a in window.findChildren(QAction) if a.objectName()}


def test_menus_have_shortcuts(window: MainWindow) -> None:
    shortcuts = {name: action.shortcut() for name, action in actions_of(window).items()}
    assert shortcuts["go_today"] == QKeySequence("Ctrl+1")
    assert shortcuts["go_officers"] == QKeySequence("Ctrl+3")
    assert shortcuts["new"] == QKeySequence(QKeySequence.StandardKey.New)
    assert shortcuts["find"] == QKeySequence(QKeySequence.StandardKey.Find)
    assert shortcuts["export_csv"] == QKeySequence("Ctrl+E")
    titles = [a.text().replace("&", "") for a in window.menuBar().actions()]
    assert titles == ["File", "Edit", "View", "Go", "Reports", "Help"]


def test_go_shortcut_switches_page(window: MainWindow) -> None:
    actions_of(window)["go_equipment"].trigger()
    assert window.current_page().name == "equipment"


def test_navigate_opens_the_record_on_its_page(window: MainWindow, manager_ctx: AppContext) -> None:
    officers = window.pages["officers"]
    officers.activate()
    officer_id = officers.list.model.record_id(3)
    window.show_page("today")
    manager_ctx.events.navigate.emit("officer", officer_id)
    assert window.current_page() is officers
    settle(manager_ctx)
    assert officers.detail.detail is not None and officers.detail.detail.id == officer_id
    assert officers.list.current_id() == officer_id


def test_window_state_and_last_page_are_kept(qtbot, manager_ctx: AppContext) -> None:
    first = open_main_window(manager_ctx)
    qtbot.addWidget(first)
    first.resize(1234, 777)
    first.show_page("equipment")
    first.close()
    second = open_main_window(manager_ctx)
    qtbot.addWidget(second)
    assert second.current_page().name == "equipment"
    assert manager_ctx.settings.geometry("main_window") == first.saveGeometry()
    # Restored from the settings, not the first-run default of 1400 × 860 (the offscreen screen
    # may shrink what it restores, so the exact size is not compared).
    assert (second.width(), second.height()) != (1400, 860)


def test_column_layout_is_kept(qtbot, manager_ctx: AppContext) -> None:
    first = open_main_window(manager_ctx)
    qtbot.addWidget(first)
    officers = first.show_page("officers")
    officers.list.set_column_visible(1, False)  # badge
    first.close()
    second = open_main_window(manager_ctx)
    qtbot.addWidget(second)
    assert second.pages["officers"].list.view.horizontalHeader().isSectionHidden(1)
