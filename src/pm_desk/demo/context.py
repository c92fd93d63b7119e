"""What every builder shares: the anchor, seeded randomness, ids, storage formats and the writer.

Instants are handled as whole seconds since the Unix epoch (UTC) and dates as days since the
epoch, and turned into the text SQLAlchemy's SQLite types store (`YYYY-MM-DD HH:MM:SS.ffffff`,
`YYYY-MM-DD`) only when a row is built: formatting a million timestamps with `datetime` would
take longer than writing them.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import cast

from sqlalchemy import Connection, Table

from pm_desk.store.models import Base, CustodyTransfer
from pm_desk.store.search import has_transfer_search, rebuild_transfer_search

DAY = 86_400
HOUR = 3_600
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
_VERSION_4 = 4 << 76
_VARIANT = 0x8000 << 48
_VERSION_MASK = ~(0xF000 << 64)
_VARIANT_MASK = ~(0xC000 << 48)

# The bookkeeping columns every record carries, first in every row the builders make.
RECORD_COLUMNS = ("id", "created_at", "updated_at", "updated_by", "version", "deleted_at")

Progress = Callable[[str, float], None]


def uuid_value(bits: int) -> int:
    """`uuid.UUID(int=bits, version=4).int`: the version and variant bits set."""
    return (bits & _VERSION_MASK & _VARIANT_MASK) | _VERSION_4 | _VARIANT


def uuid_text(value: int) -> str:
    """`str(uuid.UUID(int=value))`, without building the UUID object."""
    h = f"{value:032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


class IdMaker:
    """Record ids drawn from a seeded generator: the same seed gives the same ids."""

    def __init__(self, rng: random.Random) -> None:
        self._bits = rng.getrandbits

    def __call__(self) -> str:
        return uuid_text(uuid_value(self._bits(128)))

    def ascending(self, count: int) -> Iterator[str]:
        """`count` new ids handed out in ascending order, so a bulk load appends to the
        primary-key index instead of inserting at random places in it."""
        bits = self._bits
        return map(uuid_text, sorted(uuid_value(bits(128)) for _ in range(count)))


class Formats:
    """Storage text of instants (epoch seconds) and dates (epoch days), cached by day."""

    def __init__(self) -> None:
        self._days: dict[int, str] = {}
        self._times: dict[int, str] = {}

    def day(self, epoch_day: int) -> str:
        text = self._days.get(epoch_day)
        if text is None:
            text = date.fromordinal(epoch_day + _EPOCH_ORDINAL).isoformat()
            self._days[epoch_day] = text
        return text

    def instant(self, seconds: int) -> str:
        epoch_day, rest = divmod(seconds, DAY)
        clock = self._times.get(rest)
        if clock is None:
            hours, left = divmod(rest, HOUR)
            clock = f" {hours:02d}:{left // 60:02d}:{left % 60:02d}.000000"
            self._times[rest] = clock
        return self.day(epoch_day) + clock

    def day_table(self, first: int, last: int) -> list[str]:
        """The storage text of every day from `first` to `last`, for lookups by `day - first`."""
        return [self.day(d) for d in range(first, last + 1)]

    def clock_table(self) -> list[str]:
        """The time part of an instant for every second of a day, for lookups by `seconds % DAY`."""
        return [f" {s // HOUR:02d}:{s // 60 % 60:02d}:{s % 60:02d}.000000" for s in range(DAY)]

    def maybe_day(self, epoch_day: int | None) -> str | None:
        return None if epoch_day is None else self.day(epoch_day)

    def maybe_instant(self, seconds: int | None) -> str | None:
        return None if seconds is None else self.instant(seconds)


def epoch_day(value: date) -> int:
    return value.toordinal() - _EPOCH_ORDINAL


def to_date(day: int) -> date:
    return date.fromordinal(day + _EPOCH_ORDINAL)


def to_datetime(seconds: int) -> datetime:
    return datetime(1970, 1, 1, tzinfo=UTC) + timedelta(seconds=seconds)


def allocate(total: int, weights: Sequence[float]) -> list[int]:
    """`total` split in proportion to `weights` (largest remainder; the sum is exact)."""
    weight_sum = sum(weights)
    if total <= 0 or not weights:
        return [0] * len(weights)
    if weight_sum <= 0:
        weights = [1.0] * len(weights)
        weight_sum = float(len(weights))
    shares = [total * w / weight_sum for w in weights]
    counts = [math.floor(s) for s in shares]
    short = total - sum(counts)
    by_remainder = sorted(range(len(shares)), key=lambda i: (counts[i] - shares[i], i))
    for i in by_remainder[:short]:
        counts[i] += 1
    return counts


class RowWriter:
    """Bulk inserts of pre-formatted rows on one connection, inside its open transaction."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.counts: dict[str, int] = {}
        self._statements: dict[tuple[str, tuple[str, ...]], str] = {}

    def write(self, model: type[Base], columns: Sequence[str], rows: Iterable[tuple[object, ...]]) -> int:
        """Inserts `rows` (values in the order of `columns`, every column given) into the model's table."""
        table = cast(Table, model.__table__)
        rows = rows if isinstance(rows, list) else list(rows)
        statement = self._statement(table, tuple(columns))
        if rows:
            if len(rows[0]) != len(columns):
                raise ValueError(f"{table.name}: rows have {len(rows[0])} values for {len(columns)} columns")
            self.connection.exec_driver_sql(statement, rows)
        self.counts[table.name] = self.counts.get(table.name, 0) + len(rows)
        return len(rows)

    @contextmanager
    def indexes_built_after(self, model: type[Base]) -> Iterator[None]:
        """Drops the table's plain indexes and triggers for a bulk load and restores them after it.

        Building an index once over sorted rows is far faster than keeping several up to date
        through a million random inserts. The indexes are recreated from their own stored SQL,
        inside the same transaction: on an error the rollback brings them back untouched.
        """
        found = self.connection.exec_driver_sql(
            "SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') AND tbl_name = ? "
            "AND sql IS NOT NULL",
            (model.__tablename__,),
        ).fetchall()
        quote = self.connection.dialect.identifier_preparer.quote
        for kind, name, _ in found:
            self.connection.exec_driver_sql(f"DROP {kind.upper()} {quote(name)}")
        yield
        for _, _, sql in found:
            self.connection.exec_driver_sql(sql)
        if model is CustodyTransfer and has_transfer_search(self.connection):
            # Its triggers were off for the load: index the rows in one pass.
            rebuild_transfer_search(self.connection)

    def _statement(self, table: Table, columns: tuple[str, ...]) -> str:
        key = (table.name, columns)
        statement = self._statements.get(key)
        if statement is None:
            # Every column must be given: raw inserts skip the models' defaults, so a column
            # added to a model must be added here too rather than silently stay empty.
            expected = {c.name for c in table.columns if not (c.primary_key and c.autoincrement is True)}
            if set(columns) != expected:
                missing = sorted(expected - set(columns))
                unknown = sorted(set(columns) - expected)
                raise ValueError(f"{table.name}: columns missing {missing}, unknown {unknown}")
            quote = self.connection.dialect.identifier_preparer.quote
            names = ", ".join(quote(c) for c in columns)
            marks = ", ".join("?" for _ in columns)
            statement = f"INSERT INTO {quote(table.name)} ({names}) VALUES ({marks})"
            self._statements[key] = statement
        return statement


@dataclass
class DemoContext:
    seed: int
    anchor: datetime
    writer: RowWriter
    progress: Progress
    actor_id: str = ""
    fmt: Formats = field(default_factory=Formats)
    _phase: tuple[float, float] = (0.0, 1.0)

    @property
    def now(self) -> int:
        """The anchor in whole seconds since the epoch."""
        return int(self.anchor.timestamp())

    @property
    def today(self) -> int:
        """The anchor's UTC date in days since the epoch."""
        return self.now // DAY

    def rng(self, area: str) -> random.Random:
        """An independent generator per area, so one builder's draws never shift another's."""
        return random.Random(f"pm-desk-demo:{self.seed}:{area}")

    def ids(self, area: str) -> IdMaker:
        return IdMaker(self.rng(f"{area}:ids"))

    @property
    def stamp(self) -> tuple[object, ...]:
        """created_at, updated_at, updated_by, version, deleted_at of a freshly made record."""
        created = self.fmt.instant(self.now)
        return (created, created, self.actor_id, 1, None)

    def phase(self, message: str, start: float, end: float) -> None:
        """The next step's share of the whole run: its reports move progress from start to end."""
        self._phase = (start, end)
        self.report(message, 0.0)

    def report(self, message: str, fraction: float) -> None:
        """Progress within the current phase (0 to 1)."""
        start, end = self._phase
        self.progress(message, start + (end - start) * min(max(fraction, 0.0), 1.0))
