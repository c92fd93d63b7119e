"""Whatever is typed into a list's filter is answered: a NUL character, half a surrogate pair or
full-text search syntax finds what it finds (often nothing), never a database error."""

from __future__ import annotations

import importlib
import pkgutil
from datetime import UTC, datetime

import pytest

import pm_desk.store.queries as queries
from builders import add_transfer, seed_world
from pm_desk.domain.scope import Scope
from pm_desk.store.database import Database
from pm_desk.store.queries.listing import ListQuery, ListSpec, count_rows, fetch_rows
from pm_desk.store.queries.operations_lists import TRANSFERS
from pm_desk.store.search import can_match


def _list_specs() -> list[ListSpec]:
    found: dict[str, ListSpec] = {}
    for module in pkgutil.iter_modules(queries.__path__):
        for value in vars(importlib.import_module(f"{queries.__name__}.{module.name}")).values():
            if isinstance(value, ListSpec):
                found[value.name] = value
    return sorted(found.values(), key=lambda spec: spec.name)


SPECS = _list_specs()
HOSTILE = [
    "ab\x00cd",
    "\x00\x00\x00",
    "A12\x00345",
    "\ud800xyz",
    '"quoted',
    'a"b"c',
    "NEAR(abc def)",
    "a_number:123",
    "abc*",
    "^abc",
    "AND OR NOT",
    "'; DROP TABLE custody_transfers; --",
    "%_\\",
    "x" * 5000,
]


@pytest.fixture
def searchable(db: Database) -> Database:
    world = seed_world(db)
    detainer = datetime(2026, 10, 1, 8, tzinfo=UTC)
    add_transfer(db, world.agreement_m1, "BK-5150", detainer, a_number="A123456789", a_number_last4="6789")
    return db


def test_every_list_is_found_here() -> None:
    assert TRANSFERS in SPECS and len(SPECS) >= 5


@pytest.mark.parametrize("spec", SPECS, ids=lambda spec: spec.name)
def test_any_typed_word_is_answered(searchable: Database, spec: ListSpec) -> None:
    with searchable.uow() as uow:
        for word in HOSTILE:
            query = ListQuery(text=f"{word} other")
            total = count_rows(uow.session, spec, Scope(), query)
            rows = fetch_rows(uow.session, spec, Scope(), query, 0, 50, total=total)
            broad = fetch_rows(uow.session, spec, Scope(), ListQuery(text=word), 0, 50, total=30_000)
            assert len(rows) == total, repr(word)
            if not can_match(word):
                assert total == 0 and broad == [], repr(word)


def test_a_word_with_a_nul_matches_nothing_and_a_real_word_still_matches(searchable: Database) -> None:
    with searchable.uow() as uow:
        assert count_rows(uow.session, TRANSFERS, Scope(), ListQuery(text="3456")) == 1
        assert count_rows(uow.session, TRANSFERS, Scope(), ListQuery(text="34\x0056")) == 0
        assert count_rows(uow.session, TRANSFERS, Scope(), ListQuery(text='"BK-5150"')) == 0
        assert count_rows(uow.session, TRANSFERS, Scope(), ListQuery(text="BK-5150")) == 1
