"""Typing in a list's filter: the first key after a pause filters at once, keys typed in quick
succession run one query when the typing pauses, and going back to a filter shown a moment ago
(clearing it) reuses its count instead of counting again."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from pm_desk.services import reads
from pm_desk.ui.context import AppContext
from pm_desk.ui.pages.transfers import TransfersPage
from pm_desk.ui.widgets.list_panel import FILTER_DELAY_MS


@pytest.fixture
def page(qtbot, manager_ctx: AppContext) -> TransfersPage:
    page = TransfersPage(manager_ctx)
    qtbot.addWidget(page)
    page.resize(1400, 800)
    page.show()
    page.activate()
    return page


@pytest.fixture
def queries(page: TransfersPage, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The filter text of each query the list runs (the real query still runs)."""
    seen: list[str] = []
    apply_query = page.list.apply_query

    def recorded() -> None:
        seen.append(page.list.filter_edit.text())
        apply_query()

    monkeypatch.setattr(page.list, "apply_query", recorded)
    return seen


def subject_prefix(page: TransfersPage) -> str:
    return str(page.list.model.row_values(0)[0][2])[:4]


def test_the_first_key_after_a_pause_filters_at_once(qtbot, page: TransfersPage, queries: list[str]) -> None:
    all_rows = page.list.model.rowCount()
    word = subject_prefix(page)
    qtbot.wait(FILTER_DELAY_MS + 50)
    QTest.keyClicks(page.list.filter_edit, word[:3])  # three keys at once: one query now, one after
    assert queries == [word[:1]]  # the first key, without waiting
    qtbot.waitUntil(lambda: queries == [word[:1], word[:3]], timeout=2000)
    assert 0 < page.list.model.rowCount() < all_rows
    qtbot.wait(FILTER_DELAY_MS + 50)
    QTest.keyClick(page.list.filter_edit, word[3])
    assert queries[-1] == word  # typed after a pause: at once again
    qtbot.wait(FILTER_DELAY_MS + 50)
    assert len(queries) == 3  # and no query more when the pause ends


def test_clearing_the_filter_reuses_the_count(
    qtbot, page: TransfersPage, queries: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    counted: list[str] = []
    list_count = reads.list_count

    def spy(uow, spec, scope, query, up_to=None):  # type: ignore[no-untyped-def]
        counted.append(query.text)
        return list_count(uow, spec, scope, query, up_to)

    monkeypatch.setattr(reads, "list_count", spy)
    all_rows = page.list.model.rowCount()
    word = subject_prefix(page)
    page.list.filter_edit.setText(word)
    qtbot.waitUntil(lambda: page.list.model.rowCount() < all_rows, timeout=2000)
    assert counted == [word]
    qtbot.wait(FILTER_DELAY_MS + 50)
    page.list.filter_edit.selectAll()
    QTest.keyClick(page.list.filter_edit, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: page.list.model.rowCount() == all_rows, timeout=2000)
    assert counted == [word]  # the unfiltered list's count was remembered
    page.ctx.events.changed.emit("transfer", "")  # records changed: counts are counted again
    qtbot.waitUntil(lambda: len(counted) == 2, timeout=2000)
