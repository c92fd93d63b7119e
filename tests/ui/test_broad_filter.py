"""A filter that keeps many rows of a long list: its first page is read along the sort order and
shown as soon as a capped probe says the filter is broad; the exact count follows and the rows
grow to it. Either way the rows are those the plain query gives."""

from __future__ import annotations

import pytest

import pm_desk.store.queries.listing as listing
from pm_desk.store.queries.listing import ListQuery, Scope, count_rows, fetch_rows
from pm_desk.store.queries.operations_lists import TRANSFERS
from pm_desk.ui.context import AppContext
from pm_desk.ui.models.paged_table import RECORD_ID_ROLE
from pm_desk.ui.pages.transfers import TransfersPage


@pytest.fixture
def page(qtbot, manager_ctx: AppContext) -> TransfersPage:
    page = TransfersPage(manager_ctx)
    qtbot.addWidget(page)
    page.resize(1400, 800)
    page.show()
    page.activate()
    return page


def broad_word(ctx: AppContext) -> str:
    """The last word of the most common agency name among the transfers (County, Office...)."""
    with ctx.db.uow() as uow:
        rows = fetch_rows(uow.session, TRANSFERS, Scope(), ListQuery(), 0, 500)
    words = [str(row[1]).split()[-1] for row in rows]
    return max(set(words), key=words.count)


def rows_of(
    ctx: AppContext, query: ListQuery, offset: int, limit: int, total: int | None, scope: Scope | None = None
) -> list:
    with ctx.db.uow() as uow:
        return fetch_rows(uow.session, TRANSFERS, scope or Scope(), query, offset, limit, total)


@pytest.mark.parametrize("sort_key", ["", "status", "hold_deadline_at", "pickup_at", "agency"])
@pytest.mark.parametrize("descending", [False, True])
def test_walking_the_sort_order_reads_the_same_rows(
    manager_ctx: AppContext, monkeypatch: pytest.MonkeyPatch, sort_key: str, descending: bool
) -> None:
    query = ListQuery(text=broad_word(manager_ctx), sort_key=sort_key, descending=descending)
    with manager_ctx.db.uow() as uow:
        total = count_rows(uow.session, TRANSFERS, Scope(), query)
    assert total > 40
    plain = [rows_of(manager_ctx, query, offset, 20, None) for offset in (0, total // 2 - 5, total - 20)]
    monkeypatch.setattr(listing, "WALK_ORDER_ROWS", 1)  # every filter counts as broad
    walked = [rows_of(manager_ctx, query, offset, 20, total) for offset in (0, total // 2 - 5, total - 20)]
    assert walked == plain


def test_a_probe_counts_up_to_its_cap(manager_ctx: AppContext) -> None:
    query = ListQuery(text=broad_word(manager_ctx))
    with manager_ctx.db.uow() as uow:
        total = count_rows(uow.session, TRANSFERS, Scope(), query)
        assert count_rows(uow.session, TRANSFERS, Scope(), query, up_to=7) == 7
        assert count_rows(uow.session, TRANSFERS, Scope(), query, up_to=total + 10) == total


def test_a_broad_filter_shows_its_first_rows_then_its_count(qtbot, page: TransfersPage) -> None:
    model = page.list.model
    model.background_above = -1  # as with a million rows: off the GUI thread
    model.probe_up_to = 5
    word = broad_word(page.ctx)
    query_total: list[int] = []
    labels: list[str] = []
    model.count_changed.connect(lambda count: (query_total.append(count), labels.append(
        page.list.count_label.text())))  # fmt: skip
    with qtbot.waitSignal(model.loading, check_params_cb=lambda busy: busy == 0, timeout=5000):
        page.list.filter_edit.setText(word)
        page.list.apply_query()
    with page.ctx.db.uow() as uow:
        exact = count_rows(uow.session, TRANSFERS, model.scope, model.query)
    assert query_total == [5, exact]  # the probe's lower bound first, then the exact count
    assert labels[0] == "at least 5 custody transfers (counting…)"
    assert labels[1] == f"{exact:,} custody transfers"
    assert not model.counting and model.rowCount() == exact
    shown = [model.row_values(r)[0] for r in range(exact)]
    assert shown == rows_of(page.ctx, model.query, 0, exact, None, model.scope)


def test_a_long_lists_unread_page_is_read_off_the_gui_thread(qtbot, page: TransfersPage) -> None:
    """Painting a row of a page not read yet asks for it in the background and shows "…" until it
    comes; then the row is the list's own."""
    model = page.list.model
    model.background_above = -1  # as with a million rows
    last = model.rowCount() - 1
    assert last > model.PAGE_SIZE
    index = model.index(last, 0)
    with qtbot.waitSignal(model.dataChanged, timeout=5000):
        assert model.data(index) == "…"
    expected = rows_of(page.ctx, model.query, last, 1, model.rowCount(), model.scope)[0]
    assert model.data(index, RECORD_ID_ROLE) == expected[0]
