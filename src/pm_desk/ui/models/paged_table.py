"""A Qt table model over a store list query, fetched one page at a time.

The model knows how many rows the filter matches (one COUNT) and fetches a page of rows only
when the view asks for a row in it; pages are cached and dropped least-recently-used, so a
million rows scroll without being loaded. Sorting and filtering happen in the database.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from pm_desk.domain.scope import Scope
from pm_desk.services import reads
from pm_desk.services.views import Cell
from pm_desk.store.queries.listing import WALK_ORDER_ROWS, ListQuery, ListSpec
from pm_desk.ui.context import AppContext
from pm_desk.ui.formatting import display
from pm_desk.ui.jobs import Job, JobRunner
from pm_desk.ui.operations import Outcome
from pm_desk.ui.theme import TONE_MARKS, tone_background, tone_color, tone_of_status

RECORD_ID_ROLE = Qt.ItemDataRole.UserRole + 1
RAW_VALUE_ROLE = Qt.ItemDataRole.UserRole + 2
TONE_ROLE = Qt.ItemDataRole.UserRole + 3

Index = QModelIndex | QPersistentModelIndex


class PagedTableModel(QAbstractTableModel):
    PAGE_SIZE = 200
    MAX_PAGES = 40
    KNOWN_COUNTS = 32

    count_changed = Signal(int)
    refreshed = Signal()  # new rows (or the same rows read again) are in
    loading = Signal(int)  # 1: a background count and first page are on their way; 0: arrived
    # Lists longer than this count and fetch their first page off the GUI thread when the filter
    # changes, so typing never waits for the database.
    BACKGROUND_ABOVE = 100_000

    def __init__(self, ctx: AppContext, spec: ListSpec, scope: Scope, parent: Any = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.spec = spec
        self.scope = scope
        self.query = ListQuery(sort_key=spec.default_sort[0], descending=spec.default_sort[1])
        self.columns = spec.all_columns
        self._positions = {c.key: i + 1 for i, c in enumerate(spec.columns)}
        self._count = 0
        self._pages: OrderedDict[int, list[tuple[tuple[Any, ...], tuple[Cell, ...]]]] = OrderedDict()
        self.reveal_masked = False
        self.background_above = self.BACKGROUND_ABOVE
        self._generation = 0
        self._counted: tuple[Any, ...] | None = None  # what the current count was made for
        # Counts of the filters shown lately (typing back to a filter, clearing it), dropped when
        # records change or the scope does.
        self._known_counts: OrderedDict[tuple[Any, ...], int] = OrderedDict()
        self._jobs = JobRunner(self)
        self._asked: set[tuple[int, int]] = set()  # (generation, page) read for the view
        # True while a broad filter's rows are shown and its exact count is still being made: the
        # count is then a lower bound, and pages are read forwards only.
        self.counting = False
        self.probe_up_to = WALK_ORDER_ROWS

    # -- what the list shows -------------------------------------------------------------------
    def set_scope(self, scope: Scope) -> None:
        self.scope = scope
        self._known_counts.clear()
        self.reload()

    def set_query(self, query: ListQuery) -> None:
        # The same question again (a key that does not change the filter, like a first or second
        # character on a list that narrows from the third) asks the database nothing. Quick
        # filters are measured from the clock, so with one on, the list is always asked anew.
        same = replace(query, as_of=None) == replace(self.query, as_of=None)
        self.query = query
        if same and not query.quick and self._counted == self._count_key():
            return
        self.reload()

    def _count_key(self) -> tuple[Any, ...]:
        query = self.query
        return (self.scope, query.text, query.quick, query.params)

    def reload(self) -> None:
        """Show the list for the current scope and query. A new sort, or a typed filter shown a
        moment ago, keeps its count; a long list counts and fetches its first page in the
        background, then swaps it in."""
        self._generation += 1
        key = self._count_key()
        known = self._known_counts.get(key, self._count if self._counted == key else None)
        if self._count > self.background_above:
            self._load_in_background(self._generation, known)
            return
        if known is None:
            known = self.ctx.read(reads.list_count, self.spec, self.scope, self.query)
        self.counting = False
        self._swap_in(known, None)

    def _swap_in(self, count: int, first_page: list[Any] | None) -> None:
        self.beginResetModel()
        self._pages.clear()
        self._count = count
        self._counted = self._count_key()
        if not self.counting:
            self._remember_count()
        if first_page is not None:
            self._pages[0] = first_page
        self.endResetModel()
        self.count_changed.emit(self._count)
        self.refreshed.emit()

    def _remember_count(self) -> None:
        # Quick filters are measured from the moment of the query (due soon, breached): their
        # counts change with the clock, so only typed filters are remembered.
        if self.query.quick or self._counted != self._count_key():
            return
        self._known_counts[self._counted] = self._count
        self._known_counts.move_to_end(self._counted)
        while len(self._known_counts) > self.KNOWN_COUNTS:
            self._known_counts.popitem(last=False)

    def _load_in_background(self, generation: int, known: int | None) -> None:
        spec, scope, query, probe = self.spec, self.scope, self.query, self.probe_up_to
        now, policy, key = self.ctx.now(), self.ctx.policy, self._count_key()

        def work(_report: Any) -> tuple[int, bool, list[Any]]:
            # A probe counts up to WALK_ORDER_ROWS: a narrow filter's exact count, or word that the
            # filter is broad, whose first page then shows before the full count is made.
            count = known
            if count is None:
                count = self.ctx.read(reads.list_count, spec, scope, query, probe)
            partial = known is None and count >= probe
            rows = self.ctx.read(reads.list_page, spec, scope, query, 0, self.PAGE_SIZE, count, now, policy)
            return count, partial, rows

        def arrived(result: tuple[int, bool, list[Any]]) -> None:
            if generation != self._generation or key != self._count_key():
                return  # the person typed on: a newer load is coming
            count, partial, rows = result
            self.counting = partial
            self._swap_in(count, rows)
            if partial:
                self._count_in_background(generation)
            else:
                self.loading.emit(0)

        job = Job(work)
        job.signals.result.connect(arrived)
        job.signals.error.connect(lambda _message: self.loading.emit(0))
        self.loading.emit(1)
        self._jobs.start(job)

    def _count_in_background(self, generation: int) -> None:
        """The exact count of a broad filter whose first rows are shown: the rows grow to it."""
        spec, scope, query, key = self.spec, self.scope, self.query, self._count_key()

        def counted(total: int) -> None:
            if generation != self._generation or key != self._count_key():
                return
            self._grow_to(total)
            self.loading.emit(0)

        job = Job(lambda _report: self.ctx.read(reads.list_count, spec, scope, query))
        job.signals.result.connect(counted)
        job.signals.error.connect(lambda _message: self.loading.emit(0))
        self._jobs.start(job)

    def _grow_to(self, total: int) -> None:
        """The exact count has come: the rows shown so far stay, the rest are added after them."""
        self.counting = False
        if total > self._count:
            self.beginInsertRows(QModelIndex(), self._count, total - 1)
            self._count = total
            self.endInsertRows()
        self._remember_count()
        self.count_changed.emit(self._count)

    def refresh_rows(self) -> None:
        """Records changed: recount on the database worker (after the write that changed them),
        then drop the cached pages, keeping the view where it is."""
        self._known_counts.clear()
        self.counting = False
        self._generation += 1
        generation, key = self._generation, self._count_key()
        spec, scope, query, ctx = self.spec, self.scope, self.query, self.ctx

        def recounted(outcome: Outcome[int]) -> None:
            if generation != self._generation or key != self._count_key() or outcome.value is None:
                return  # a newer question was asked meanwhile
            self._show_recount(outcome.value)

        ctx.ops.submit(lambda: ctx.read(reads.list_count, spec, scope, query), recounted, owner=self)

    def _show_recount(self, count: int) -> None:
        if count != self._count:
            self._swap_in(count, None)
            return
        self._remember_count()
        self._pages.clear()
        if self._count:
            self.dataChanged.emit(self.index(0, 0), self.index(self._count - 1, len(self.columns) - 1))
        self.refreshed.emit()

    # -- Qt model ------------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            column = self.columns[section]
            if role == Qt.ItemDataRole.DisplayRole:
                return column.title
            if role == Qt.ItemDataRole.ToolTipRole:
                return column.tooltip or column.title
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns):
            return
        descending = order == Qt.SortOrder.DescendingOrder
        self.set_query(replace(self.query, sort_key=self.columns[column].key, descending=descending))

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < self._count:
            return None
        shown = self._shown_row(index.row())
        if shown is None:  # on its way from the database: the view repaints when it comes
            return "…" if role == Qt.ItemDataRole.DisplayRole and index.column() == 0 else None
        row, cells = shown
        column = self.columns[index.column()]
        if role == RECORD_ID_ROLE:
            return row[0]
        if index.column() < len(self.spec.columns):
            value = row[index.column() + 1]
            tone = tone_of_status(value) if column.kind == "status" else None
            text = display(value, column.kind, self.reveal_masked)
        else:
            cell = cells[index.column() - len(self.spec.columns)] if cells else Cell("")
            if cell.live is not None:
                cell = cell.at(self.ctx.now())
            value, tone, text = cell.value, cell.tone, cell.text
        if role == Qt.ItemDataRole.DisplayRole:
            mark = TONE_MARKS.get(tone or "") if column.kind in {"status", "derived"} else None
            return f"{mark} {text}" if mark and text else text
        if role == Qt.ItemDataRole.ForegroundRole:
            return tone_color(tone)
        if role == Qt.ItemDataRole.BackgroundRole and column.kind in {"status", "derived"}:
            return tone_background(tone)
        if role == Qt.ItemDataRole.ToolTipRole and text and len(text) > 30:
            return text
        if role == RAW_VALUE_ROLE:
            return value
        if role == TONE_ROLE:
            return tone
        if role == Qt.ItemDataRole.TextAlignmentRole and column.kind == "number":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def tick(self, first_row: int, last_row: int) -> None:
        """The clock moved: repaint the derived cells (countdowns) of the rows in view."""
        first_derived = len(self.spec.columns)
        if first_derived >= len(self.columns) or self._count == 0:
            return
        first_row, last_row = max(first_row, 0), min(last_row, self._count - 1)
        if first_row <= last_row:
            self.dataChanged.emit(
                self.index(first_row, first_derived),
                self.index(last_row, len(self.columns) - 1),
                [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ForegroundRole],
            )

    # -- helpers --------------------------------------------------------------------------------
    def record_id(self, row: int) -> str | None:
        if not 0 <= row < self._count:
            return None
        return self._row(row)[0][0]

    def row_values(self, row: int) -> tuple[tuple[Any, ...], tuple[Cell, ...]]:
        return self._row(row)

    def _shown_row(self, row: int) -> tuple[tuple[Any, ...], tuple[Cell, ...]] | None:
        """A row for the view to paint. In a long list a page not read yet is read off the GUI
        thread (a jump of the scrollbar to the middle of a million rows must not freeze the
        window): None until it arrives."""
        page_number = row // self.PAGE_SIZE
        if page_number in self._pages or self._count <= self.background_above:
            return self._row(row)
        self._request_page(page_number)
        return None

    def _request_page(self, page_number: int) -> None:
        generation, key = self._generation, self._count_key()
        asked = (generation, page_number)
        if asked in self._asked:
            return
        self._asked.add(asked)
        spec, scope, query, ctx = self.spec, self.scope, self.query, self.ctx
        total = None if self.counting else self._count
        offset, size = page_number * self.PAGE_SIZE, self.PAGE_SIZE

        def read(_report: Any) -> list[Any]:
            return ctx.read(reads.list_page, spec, scope, query, offset, size, total, ctx.now(), ctx.policy)

        def arrived(page: list[Any]) -> None:
            self._asked.discard(asked)
            if generation != self._generation or key != self._count_key():
                return  # the list was asked something else meanwhile
            self._keep_page(page_number, page)
            first, last = offset, min(offset + len(page), self._count) - 1
            if first <= last:
                self.dataChanged.emit(self.index(first, 0), self.index(last, len(self.columns) - 1))

        job = Job(read)
        job.signals.result.connect(arrived)
        job.signals.error.connect(lambda _message: self._asked.discard(asked))
        self._jobs.start(job)

    def _keep_page(self, page_number: int, page: list[Any]) -> None:
        self._pages[page_number] = page
        while len(self._pages) > self.MAX_PAGES:
            self._pages.popitem(last=False)

    def _row(self, row: int) -> tuple[tuple[Any, ...], tuple[Cell, ...]]:
        page_number, offset = divmod(row, self.PAGE_SIZE)
        page = self._pages.get(page_number)
        if page is None:
            page = self._fetch(page_number)
        else:
            self._pages.move_to_end(page_number)
        if offset >= len(page):  # the data shrank under us; show an empty row until refresh
            return (("",) + (None,) * len(self.spec.columns), ())
        return page[offset]

    def _fetch(self, page_number: int) -> list[tuple[tuple[Any, ...], tuple[Cell, ...]]]:
        page = self.ctx.read(
            reads.list_page,
            self.spec,
            self.scope,
            self.query,
            page_number * self.PAGE_SIZE,
            self.PAGE_SIZE,
            None if self.counting else self._count,
            self.ctx.now(),
            self.ctx.policy,
        )
        self._keep_page(page_number, page)
        return page

    def all_rows(self, limit: int | None = None) -> list[tuple[tuple[Any, ...], tuple[Cell, ...]]]:
        """Every row of the current filter and sort (for export), fetched in pages."""
        if self.counting:  # the exact count is on its way: make it here rather than export a part
            self._grow_to(self.ctx.read(reads.list_count, self.spec, self.scope, self.query))
        out: list[tuple[tuple[Any, ...], tuple[Cell, ...]]] = []
        total = self._count if limit is None else min(self._count, limit)
        for page_number in range((total + self.PAGE_SIZE - 1) // self.PAGE_SIZE):
            out.extend(self._fetch(page_number))
        return out[:total]
