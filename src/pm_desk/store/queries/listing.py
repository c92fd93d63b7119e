"""Paged, sorted, filtered reads for the app's lists, done inside the database.

A `ListSpec` names its columns (each an SQL expression), how to select its rows for a scope
(one manager's caseload, a field office, the program) and which columns a typed filter searches.
A Qt model asks `count` once per filter and `fetch` one page at a time, so a list of a million
rows opens and scrolls without loading them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, String, and_, false, func, literal, or_, select, type_coerce
from sqlalchemy.orm import QueryableAttribute, Session

from pm_desk.domain.scope import Scope
from pm_desk.store.queries.scoping import restrict_to
from pm_desk.store.search import can_match

# A column of a list: a mapped attribute or any SQL expression.
Expr = QueryableAttribute[Any] | ColumnElement[Any]


def restrict(statement: Select, scope: Scope) -> Select:
    """`statement` (which joins Agreement) kept to the agreements of `scope`: one manager's
    caseload, one field office, or (neither) the program."""
    return restrict_to(statement, scope.manager_id, scope.field_office_id)


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    expr: Expr
    # text, date, instant, number, status, bool, masked (shown in part), derived (computed later)
    kind: str = "text"
    searchable: bool = False
    width: int = 120
    visible: bool = True
    sort_expr: Expr | None = None
    tooltip: str = ""
    # Where a derived column first appears: right after the column with this key.
    after: str = ""

    @property
    def sort_by(self) -> Expr:
        return self.sort_expr if self.sort_expr is not None else self.expr


@dataclass(frozen=True)
class ListSpec:
    name: str
    title: str
    record_kind: str
    id_expr: Expr
    columns: tuple[Column, ...]
    # The FROM, joins and fixed WHERE of the list, given the scope (no columns selected yet).
    base: Callable[[Scope], Select]
    default_sort: tuple[str, bool] = ("", False)  # column key, descending
    # Named quick filters (shown as toggles): name -> (label, condition given the query, which
    # carries the instant they are measured from and any policy figures they need).
    quick_filters: Mapping[str, tuple[str, Callable[[ListQuery], Any]]] = field(default_factory=dict)
    # Columns computed from rules on each fetched page rather than in SQL.
    derived: tuple[Column, ...] = ()
    # How one typed word filters the list (word, dialect, broad) -> condition; by default any
    # searchable column contains it. A list of a million rows brings its own, index-backed search;
    # `broad` says the filter keeps so many rows that walking the sort order and testing each row
    # finds a page sooner than collecting every match through the search's indexes and sorting.
    search: Callable[[str, str, bool], Any] | None = None
    # What orders rows that tie on the sort column, before the id (in the sort's direction), so an
    # index on (sort column, tie-break) serves the whole order of a large list.
    tie_break: tuple[Expr, ...] = ()
    # Words shorter than this do not filter (a list of a million rows narrows from the third
    # character); the page drops them before asking, so typing them costs no query.
    min_word: int = 1
    # A leaner FROM for counting, when the joins of `base` only serve the columns shown (and the
    # search and quick filters never name the joined tables).
    count_base: Callable[[Scope], Select] | None = None

    def column(self, key: str) -> Column:
        for column in self.columns:
            if column.key == key:
                return column
        raise KeyError(key)

    @property
    def all_columns(self) -> tuple[Column, ...]:
        return self.columns + self.derived


def effective_text(spec: ListSpec, text: str) -> str:
    """The typed filter as the list uses it: words too short to filter left out."""
    return " ".join(word for word in text.split() if len(word) >= spec.min_word)


@dataclass(frozen=True)
class ListQuery:
    """What a person asked the list for: text typed in the filter, sort, quick filters."""

    text: str = ""
    sort_key: str = ""
    descending: bool = False
    quick: frozenset[str] = frozenset()
    # The instant quick filters are measured from (due within hours, breached); now by default.
    as_of: datetime | None = None
    # Policy figures a quick filter uses (the hours of "due soon"), given by the page.
    params: tuple[tuple[str, Any], ...] = ()

    @property
    def now(self) -> datetime:
        return self.as_of or datetime.now(UTC)

    def param(self, name: str, default: Any) -> Any:
        return dict(self.params).get(name, default)


def escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def contains_word(exprs: list[Any], word: str, dialect: str) -> Any:
    """Any of `exprs` contains `word`, ignoring case."""
    pattern = f"%{escape_like(word)}%"
    # Compared as text: an enum column's own type would refuse a pattern as an unknown value.
    texts = [type_coerce(expr, String) for expr in exprs]
    if dialect == "sqlite":  # SQLite's LIKE ignores case already, three times faster than lower()
        return or_(*(text.like(pattern, escape="\\") for text in texts))
    return or_(*(text.ilike(pattern, escape="\\") for text in texts))


# From how many rows a filtered page is read by walking the sort order rather than the search's
# indexes (on the large data set: 100 of 570,000 rows, 1.2 s through the indexes, 7 ms walking).
WALK_ORDER_ROWS = 20_000


def _filtered(
    spec: ListSpec, scope: Scope, query: ListQuery, dialect: str = "sqlite", broad: bool = False
) -> Select:
    statement = spec.base(scope)
    words = query.text.split()
    searchable = [c for c in spec.columns if c.searchable]
    for word in words[:8]:
        if not can_match(word):  # answered "no match" here: the database would refuse the word
            statement = statement.where(false())
            continue
        if spec.search is not None:
            statement = statement.where(spec.search(word, dialect, broad))
            continue
        statement = statement.where(contains_word([c.expr for c in searchable], word, dialect))
    conditions = [
        spec.quick_filters[name][1](query) for name in sorted(query.quick) if name in spec.quick_filters
    ]
    if conditions:
        statement = statement.where(and_(*conditions))
    return statement


def count_rows(
    session: Session, spec: ListSpec, scope: Scope, query: ListQuery, up_to: int | None = None
) -> int:
    """How many rows the list has; with `up_to`, counting stops there (a cheap probe that says
    whether a filter is narrow, and then gives its exact count)."""
    base = spec.count_base or spec.base
    statement = _filtered(replace(spec, base=base), scope, query, session.get_bind().dialect.name)
    if up_to is not None:
        probe = statement.with_only_columns(literal(1), maintain_column_froms=True).limit(up_to)
        return int(session.execute(select(func.count()).select_from(probe.subquery())).scalar_one())
    statement = statement.with_only_columns(func.count(), maintain_column_froms=True)
    return int(session.execute(statement).scalar_one())


def fetch_rows(
    session: Session,
    spec: ListSpec,
    scope: Scope,
    query: ListQuery,
    offset: int,
    limit: int,
    total: int | None = None,
) -> list[tuple[Any, ...]]:
    """Rows as tuples: the record id first, then every SQL column of the spec in order.

    Given the `total`, a page in the second half is read from the other end (the order reversed,
    the rows turned back), so jumping to the end of a million rows costs what the start does;
    and a filter that keeps many rows is read along the sort order (see `ListSpec.search`).
    """
    broad = total is not None and total >= WALK_ORDER_ROWS
    if total is not None and offset > total // 2:
        start = max(total - offset - limit, 0)
        count = min(limit, total - offset)
        rows = _fetch(session, spec, scope, query, start, count, reverse=True, broad=broad)
        rows.reverse()
        return rows
    return _fetch(session, spec, scope, query, offset, limit, reverse=False, broad=broad)


def _order_terms(expr: Any, descending: bool, reverse: bool, dialect: str) -> list[Any]:
    """ORDER BY terms that show empty values last in either direction (`reverse` reads the same
    order from its other end). SQLite puts NULL first ascending and last descending, so only the
    ascending order needs the IS NULL term (served by an expression index on large tables);
    PostgreSQL says NULLS LAST."""
    if dialect != "sqlite":
        term = expr.desc() if descending else expr.asc()
        return [term.nulls_first() if reverse else term.nulls_last()] if _nullable(expr) else [term]
    backwards = descending != reverse
    if not _nullable(expr) or descending:
        return [expr.desc() if backwards else expr.asc()]
    empty_last = expr.is_(None)
    return [empty_last.desc() if reverse else empty_last, expr.desc() if backwards else expr.asc()]


def _same_table(expr: Any, other: Any) -> bool:
    table = getattr(expr, "table", None)
    return table is not None and table is getattr(other, "table", None)


def _nullable(expr: Any) -> bool:
    column = getattr(getattr(expr, "property", None), "columns", [None])[0]
    return bool(getattr(column, "nullable", True))


def _fetch(
    session: Session,
    spec: ListSpec,
    scope: Scope,
    query: ListQuery,
    offset: int,
    limit: int,
    reverse: bool,
    broad: bool = False,
) -> list[tuple[Any, ...]]:
    dialect = session.get_bind().dialect.name
    sort_key, descending = (query.sort_key, query.descending) if query.sort_key else spec.default_sort
    column = next((c for c in spec.all_columns if c.key == sort_key), None) if sort_key else None
    if column is not None and column.kind == "derived" and column.sort_expr is None:
        column = None
    # Walking the sort order pays only along an index of the list's own table (not a joined name).
    broad = broad and column is not None and _same_table(column.sort_by, spec.id_expr)
    statement = _filtered(spec, scope, query, dialect, broad).with_only_columns(
        spec.id_expr, *(c.expr for c in spec.columns), maintain_column_froms=True
    )
    order: list[Any] = []
    if column is not None:
        order += _order_terms(column.sort_by, descending, reverse, dialect)
        backwards = descending != reverse
        order += [t.desc() if backwards else t.asc() for t in spec.tie_break if t is not column.sort_by]
    order.append(spec.id_expr.desc() if reverse else spec.id_expr)
    statement = statement.order_by(*order).offset(max(offset, 0)).limit(max(limit, 0))
    return [tuple(row) for row in session.execute(statement)]
