"""The `large` data set, built once and kept under benchmarks/.cache/.

The cached file is named after the demo seed and the schema's Alembic head revision, so a new
migration or another seed builds a new set (and the old one is removed: each is about 1.4 GB).
The demo places its dates around the moment it was built (its anchor); a set older than
MAX_AGE_DAYS is rebuilt so that open holds and due dates stay around today, as in real use.
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import text

from pm_desk.demo import DEMO_PASSWORD, generate_demo
from pm_desk.store.database import head_revision, open_database

CACHE_DIR = Path(__file__).resolve().parent / ".cache"
SCALE = "large"
SEED = 287
MAX_AGE_DAYS = 14


@dataclass(frozen=True)
class Dataset:
    path: str
    scale: str
    seed: int
    schema: str
    anchor: str  # the data's "now" when it was built (ISO, UTC)
    build_seconds: float
    counts: dict[str, int]
    default_manager: str  # the demo's busy manager, acting user of `make run`
    staff: str  # a program-wide reader (staff role)
    busiest_manager: str  # the manager with the most agreements
    busiest_manager_agreements: int
    built_now: bool = False

    @property
    def anchor_instant(self) -> datetime:
        return datetime.fromisoformat(self.anchor)


def _stem(seed: int, schema: str) -> str:
    return f"{SCALE}-seed{seed}-{schema}"


def ensure_dataset(seed: int = SEED, rebuild: bool = False, log: bool = True) -> Dataset:
    """The cached set for this seed and schema; built (about a minute) when missing or stale."""
    schema = head_revision()
    stem = _stem(seed, schema)
    database, sidecar = CACHE_DIR / f"{stem}.sqlite3", CACHE_DIR / f"{stem}.json"
    if not rebuild and database.exists() and sidecar.exists():
        dataset = Dataset(**json.loads(sidecar.read_text(encoding="utf-8")))
        age = datetime.now(UTC) - dataset.anchor_instant
        if age <= timedelta(days=MAX_AGE_DAYS):
            ensure_sign_in(database)
            return dataset
        _say(log, f"the cached {SCALE} set is {age.days} days old; rebuilding it around today")
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    for old in CACHE_DIR.glob(f"{SCALE}-*"):
        old.unlink()  # the set, its sidecar, its key ring
    _say(log, f"building the {SCALE} data set (seed {seed}, schema {schema}) into {database}…")
    partial = CACHE_DIR / f"{stem}.partial.sqlite3"
    started = time.perf_counter()
    db = open_database(str(partial), create=True)
    try:
        summary = generate_demo(db, SCALE, seed=seed)
        with db.engine.connect() as connection:
            email, agreements = connection.execute(
                text(
                    "SELECT users.email, COUNT(*) AS n FROM agreements JOIN users ON users.id = "
                    "agreements.manager_id WHERE agreements.deleted_at IS NULL "
                    "GROUP BY users.email ORDER BY n DESC, users.email LIMIT 1"
                )
            ).one()
            # Everything into the main file, so that the file alone is the data set.
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        db.close()
    built = time.perf_counter() - started
    wal = Path(f"{partial}-wal")
    if wal.exists() and wal.stat().st_size > 0:
        raise RuntimeError(f"{wal} still holds changes after the checkpoint; build again with --rebuild")
    for suffix in ("-wal", "-shm"):
        Path(f"{partial}{suffix}").unlink(missing_ok=True)
    partial.rename(database)
    ensure_sign_in(database)
    dataset = Dataset(
        path=str(database),
        scale=SCALE,
        seed=seed,
        schema=schema,
        anchor=summary.anchor.isoformat(),
        build_seconds=round(built, 1),
        counts=dict(summary.counts),
        default_manager=summary.default_user_email,
        staff=summary.staff_email,
        busiest_manager=email,
        busiest_manager_agreements=int(agreements),
    )
    sidecar.write_text(json.dumps(asdict(dataset), indent=1), encoding="utf-8")
    _say(log, f"built in {built:.0f} s")
    return Dataset(**{**asdict(dataset), "built_now": True})


def given_dataset(path: Path) -> Dataset:
    """A database given with `--db` (a demo, or a set built before), described as a built set:
    its rows, its busiest manager, a staff member, and its newest detainer as its "now". It is
    used as it is (a plain file; its users sign in with the demo's password)."""
    import sqlite3

    if not path.is_file():
        raise SystemExit(f"benchmarks: there is no database at {path}")
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [
            r[0]
            for r in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                "AND name NOT LIKE '%fts%' AND name != 'alembic_version' ORDER BY name"
            )
        ]
        counts = {t: int(connection.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]) for t in tables}
        schema = str(connection.execute("SELECT version_num FROM alembic_version").fetchone()[0])
        email, agreements = connection.execute(
            "SELECT users.email, COUNT(*) AS n FROM agreements JOIN users ON users.id = "
            "agreements.manager_id WHERE agreements.deleted_at IS NULL "
            "GROUP BY users.email ORDER BY n DESC, users.email LIMIT 1"
        ).fetchone()
        staff = connection.execute(
            "SELECT email FROM users WHERE role = 'staff' AND active ORDER BY email LIMIT 1"
        ).fetchone()
        newest = connection.execute("SELECT max(detainer_issued_at) FROM custody_transfers").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise SystemExit(f"benchmarks: {path} is not a plain PM Desk database ({exc})") from None
    finally:
        connection.close()
    anchor = datetime.fromisoformat(newest).replace(tzinfo=UTC) if newest else datetime.now(UTC)
    ensure_sign_in(path)
    return Dataset(
        path=str(path),
        scale="given",
        seed=0,
        schema=schema,
        anchor=anchor.isoformat(),
        build_seconds=0.0,
        counts=counts,
        default_manager=email,
        staff=staff[0] if staff else email,
        busiest_manager=email,
        busiest_manager_agreements=int(agreements),
    )


def ensure_sign_in(database: Path) -> None:
    """Every user of the set signs in with the demo's password, at the policy's real Argon2id
    cost (sign-in is part of what a start measures). The set itself stays a plain file; the
    encrypted copy the benchmark compares it with shares its key ring (benchmarks.encrypted)."""
    from pm_desk.services.access import has_sign_in, share_password
    from pm_desk.store.keyring import new_database_key

    if has_sign_in(database):
        return
    db = open_database(str(database))
    try:
        share_password(db, database, new_database_key(), DEMO_PASSWORD, datetime.now(UTC))
    finally:
        db.close()


def _say(log: bool, message: str) -> None:
    if log:
        print(f"benchmarks: {message}", file=sys.stderr, flush=True)
