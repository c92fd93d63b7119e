"""Paged, sorted, filtered reads for the app's lists, done inside the database.

A `ListSpec` names its columns (each an SQL expression), how to select its rows for a scope
(one manager's caseload, a field office, the program) and which columns a typed filter searches.
A Qt model asks `count` once per filter and `fetch` one page at a time, so a list of a million
rows opens and scrolls without loading them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Select, String, and_, func, or_, type_coerce
from sqlalchemy.orm import QueryableAttribute, Session

from pm_desk.store.models import Agreement

# A column of a list: a mapped attribute or any SQL expression.
Expr = QueryableAttribute[Any] | ColumnElement[Any]


@dataclass(frozen=True)
class Scope:
    """Whose records a list shows: one manager's caseload, a field office, or everything."""

    manager_id: str | None = None
    field_office_id: str | None = None

    def restrict(self, statement: Select) -> Select:
        if self.manager_id is not None:
            statement = statement.where(Agreement.manager_id == self.manager_id)
        if self.field_office_id is not None:
            statement = statement.where(Agreement.field_office_id == self.field_office_id)
        return statement


PROGRAM = Scope()


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
    # Named quick filters (shown as toggles): name -> (label, condition).
    quick_filters: Mapping[str, tuple[str, Callable[[], Any]]] = field(default_factory=dict)
    # Columns computed from rules on each fetched page rather than in SQL.
    derived: tuple[Column, ...] = ()

    def column(self, key: str) -> Column:
        for column in self.columns:
            if column.key == key:
                return column
        raise KeyError(key)

    @property
    def all_columns(self) -> tuple[Column, ...]:
        return self.columns + self.derived


@dataclass(frozen=True)
class ListQuery:
    """What a person asked the list for: text typed in the filter, sort, quick filters."""

    text: str = ""
    sort_key: str = ""
    descending: bool = False
    quick: frozenset[str] = frozenset()


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _filtered(spec: ListSpec, scope: Scope, query: ListQuery, dialect: str = "sqlite") -> Select:
    statement = spec.base(scope)
    words = query.text.split()
    searchable = [c for c in spec.columns if c.searchable]
    for word in words[:8]:
        pattern = f"%{_escape_like(word)}%"
        # SQLite's LIKE ignores case already (three times faster than comparing lower());
        # PostgreSQL's ILIKE does the same there.
        # Compared as text: an enum column's own type would refuse a pattern as an unknown value.
        texts = [type_coerce(c.expr, String) for c in searchable]
        if dialect == "sqlite":
            matches = [text.like(pattern, escape="\\") for text in texts]
        else:
            matches = [text.ilike(pattern, escape="\\") for text in texts]
        statement = statement.where(or_(*matches))
    conditions = [spec.quick_filters[name][1]() for name in sorted(query.quick) if name in spec.quick_filters]
    if conditions:
        statement = statement.where(and_(*conditions))
    return statement


def count_rows(session: Session, spec: ListSpec, scope: Scope, query: ListQuery) -> int:
    statement = _filtered(spec, scope, query, session.get_bind().dialect.name).with_only_columns(
        func.count(), maintain_column_froms=True
    )
    return int(session.execute(statement).scalar_one())


def fetch_rows(
    session: Session, spec: ListSpec, scope: Scope, query: ListQuery, offset: int, limit: int
) -> list[tuple[Any, ...]]:
    """Rows as tuples: the record id first, then every SQL column of the spec in order."""
    statement = _filtered(spec, scope, query, session.get_bind().dialect.name).with_only_columns(
        spec.id_expr, *(c.expr for c in spec.columns), maintain_column_froms=True
    )
    sort_key, descending = (query.sort_key, query.descending) if query.sort_key else spec.default_sort
    order: list[Any] = []
    if sort_key:
        column = next((c for c in spec.all_columns if c.key == sort_key), None)
        if column is not None and (column.kind != "derived" or column.sort_expr is not None):
            expr = column.sort_by
            order.append(expr.is_(None))  # empty values last either way
            order.append(expr.desc() if descending else expr.asc())
    order.append(spec.id_expr)
    statement = statement.order_by(*order).offset(max(offset, 0)).limit(max(limit, 0))
    return [tuple(row) for row in session.execute(statement)]
