"""Full-text search over custody transfers (SQLite FTS5, trigram): subject references and A-numbers
found by any three or more characters of them, at a million rows, in milliseconds."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, literal_column, select, text

from pm_desk.store.models import CustodyTransfer

SEARCH_TABLE = "transfer_search"
# Trigrams need three characters; shorter words are matched another way by the caller.
MIN_WORD = 3


def can_match(word: str) -> bool:
    """Whether stored text can contain `word`: no record holds a NUL character (every writer
    refuses it, and FTS5 would read it as the end of its query) or half of a surrogate pair (not
    text at all), so a word with one matches nothing and is never sent to the database."""
    if "\x00" in word:
        return False
    try:
        word.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def fts_phrase(word: str) -> str:
    """A word as an FTS5 phrase: quoted, so punctuation in a booking number is not syntax."""
    return '"' + word.replace('"', '""') + '"'


def transfer_rowids_matching(word: str) -> Any:
    """A subquery of the rowids of transfers whose subject reference or A-number contains `word`."""
    return (
        select(literal_column("rowid"))
        .select_from(text(SEARCH_TABLE))
        .where(text(f"{SEARCH_TABLE} MATCH :phrase").bindparams(phrase=fts_phrase(word)))
        .scalar_subquery()
    )


def transfer_rowid() -> Any:
    return literal_column(f"{CustodyTransfer.__tablename__}.rowid")


def rebuild_transfer_search(connection: Connection) -> None:
    """Rebuild the index from the table (after a bulk load that bypassed the triggers)."""
    connection.exec_driver_sql(f"INSERT INTO {SEARCH_TABLE}({SEARCH_TABLE}) VALUES ('rebuild')")


def has_transfer_search(connection: Connection) -> bool:
    if connection.dialect.name != "sqlite":
        return False
    found = connection.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (SEARCH_TABLE,)
    ).first()
    return found is not None
