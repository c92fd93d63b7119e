"""Checking the audit chain: edits, removals, and forks told apart.

The entries are walked in the order they were written. An entry whose content does not match
its hash was edited. An entry that does not follow the one written before it either follows
nothing stored (an entry was removed, or changed with its hash recomputed), or follows an
earlier, intact entry: then two writers extended the chain from the same entry at once (a
fork, which older versions produced under concurrency). A forked chain lost and changed
nothing: every branch is intact. An administrator re-anchors it with one audited entry
(`action` "reanchor") that names every fork and branch; the walk accepts exactly the entries
such an entry names, and still reports the forks it re-anchored.
"""

from __future__ import annotations

import json
from bisect import bisect_left
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, select

from pm_desk.store.audit_hash import GENESIS_HASH, entry_hash
from pm_desk.store.models import AuditEntry

REANCHOR = "reanchor"
EDITED, REMOVED, FORK, BRANCH = "edited", "removed", "fork", "branch"
# How many recent hashes the walk keeps to recognise the entry a fork follows; older ones are
# looked up in the table.
RECENT_HASHES = 100_000


@dataclass(frozen=True)
class ChainProblem:
    seq: int
    what: str
    kind: str = REMOVED
    follows: int | None = None  # the entry it follows (forks and branches); 0 is the chain's start
    hash: str = ""
    prev_hash: str = ""
    previous: int = 0  # the entry written just before it


@dataclass(frozen=True)
class Reanchor:
    seq: int
    at: datetime
    actor_email: str | None
    content: dict[str, Any]

    @property
    def resolves(self) -> set[tuple[str, str]]:
        return {(e["hash"], e["prev_hash"]) for e in self.content.get("entries", [])}


@dataclass
class ChainReport:
    entries: int = 0
    head_seq: int = 0
    problems: list[ChainProblem] = field(default_factory=list)  # not resolved
    reanchored: list[tuple[ChainProblem, Reanchor]] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.problems

    @property
    def forks(self) -> list[ChainProblem]:
        return [p for p in self.problems if p.kind in (FORK, BRANCH)]

    @property
    def damage(self) -> list[ChainProblem]:
        """Edits and removals: what no re-anchoring resolves."""
        return [p for p in self.problems if p.kind in (EDITED, REMOVED)]


def iter_chain_problems(connection: Connection, batch: int = 5000) -> Iterator[ChainProblem]:
    """Where the chain breaks: edited or removed entries, and forks not re-anchored."""
    yield from verify_chain(connection, batch).problems


def verify_chain(connection: Connection, batch: int = 5000) -> ChainReport:
    report = ChainReport()
    findings: list[ChainProblem] = []
    recent: OrderedDict[str, int] = OrderedDict({GENESIS_HASH: 0})
    followed: dict[str, int] = {}  # hash -> the first entry that follows it (recent ones)
    prev, previous = GENESIS_HASH, 0
    for row in _rows(connection, batch):
        seq, row_hash, row_prev = row["seq"], row["hash"], row["prev_hash"]
        report.entries += 1
        report.head_seq = seq
        if row_prev != prev:
            findings.append(_jump(connection, row, previous, recent, followed))
        if entry_hash(row_prev, row) != row_hash:
            findings.append(
                ChainProblem(
                    seq,
                    "its content does not match its hash (the entry was edited)",
                    EDITED,
                )
            )
        followed.setdefault(row_prev, seq)
        recent[row_hash] = seq
        if len(recent) > RECENT_HASHES:
            old, _ = recent.popitem(last=False)
            followed.pop(old, None)
        prev, previous = row_hash, seq
    _resolve(connection, report, findings)
    return report


def _rows(connection: Connection, batch: int) -> Iterator[Any]:
    columns = list(AuditEntry.__table__.c)
    last_seq = 0
    while True:
        rows = (
            connection.execute(
                select(*columns).where(AuditEntry.seq > last_seq).order_by(AuditEntry.seq).limit(batch)
            )
            .mappings()
            .all()
        )
        if not rows:
            return
        yield from rows
        last_seq = rows[-1]["seq"]


def _jump(
    connection: Connection,
    row: Any,
    previous: int,
    recent: OrderedDict[str, int],
    followed: dict[str, int],
) -> ChainProblem:
    seq, prev_hash = row["seq"], row["prev_hash"]
    follows = recent.get(prev_hash)
    if follows is None:
        follows = connection.execute(
            select(AuditEntry.seq).where(AuditEntry.hash == prev_hash, AuditEntry.seq < seq).limit(1)
        ).scalar()
    if follows is None:
        what = "does not follow the entry before it (an entry was removed or changed)"
        return ChainProblem(seq, what, REMOVED, None, row["hash"], prev_hash, previous)
    sibling = followed.get(prev_hash)
    if sibling is None and follows not in recent.values():
        sibling = connection.execute(
            select(AuditEntry.seq).where(AuditEntry.prev_hash == prev_hash, AuditEntry.seq < seq).limit(1)
        ).scalar()
    start = "the chain's start" if follows == 0 else f"entry {follows}"
    if sibling is not None:
        what = (
            f"a fork: it follows {start}, as entry {sibling} does (two writers extended the chain "
            "at once; no entry was changed)"
        )
        return ChainProblem(seq, what, FORK, follows, row["hash"], prev_hash, previous)
    what = f"continues the branch that ends at entry {follows}, after a fork (no entry was changed)"
    return ChainProblem(seq, what, BRANCH, follows, row["hash"], prev_hash, previous)


def _resolve(connection: Connection, report: ChainReport, findings: list[ChainProblem]) -> None:
    """Set aside the forks an intact re-anchoring entry written after them names."""
    jumps = [f for f in findings if f.kind in (FORK, BRANCH)]
    anchors = _reanchors(connection) if jumps else []
    broken = {f.seq for f in findings}
    for finding in findings:
        key = (finding.hash, finding.prev_hash)
        by = [a for a in anchors if a.seq > finding.seq and a.seq not in broken and key in a.resolves]
        if finding.kind in (FORK, BRANCH) and by:
            report.reanchored.append((finding, by[0]))
        else:
            report.problems.append(finding)


def _reanchors(connection: Connection) -> list[Reanchor]:
    rows = connection.execute(
        select(AuditEntry.seq, AuditEntry.at, AuditEntry.actor_email, AuditEntry.after)
        .where(AuditEntry.action == REANCHOR)
        .order_by(AuditEntry.seq)
    ).all()
    found = []
    for seq, at, email, after in rows:
        try:
            content = json.loads(after or "{}")
        except ValueError:
            continue
        if isinstance(content, dict):
            found.append(Reanchor(seq, at, email, content))
    return found


def branches_of(connection: Connection, report: ChainReport) -> list[dict[str, Any]]:
    """The forks of a report as a re-anchoring entry names them: for each entry that two or more
    entries follow, every branch by its first and its last entry.

    The entries, in the order written, fall into runs that follow one another; each fork or
    branch entry starts a run. A branch is the run its first entry is in, and the run that
    alone goes on from that run's last entry, and so on."""
    jumps = sorted(report.forks, key=lambda p: p.seq)
    ends = sorted({j.previous for j in jumps} | {report.head_seq})
    continuing: dict[int, list[int]] = {}
    for jump in jumps:
        assert jump.follows is not None
        continuing.setdefault(jump.follows, []).append(jump.seq)

    def end_of(seq: int) -> int:
        return ends[bisect_left(ends, seq)]

    def branch(first: int) -> dict[str, Any]:
        last = end_of(first)
        while len(continuing.get(last, [])) == 1:
            last = end_of(continuing[last][0])
        return {"first": _entry(connection, first), "last": _entry(connection, last)}

    forks = []
    for point in sorted({j.follows for j in jumps if j.kind == FORK and j.follows is not None}):
        firsts = list(continuing[point])
        if point not in ends:  # the entry written right after it follows it too
            firsts.append(_next_seq(connection, point))
        forks.append(
            {
                "at": _entry(connection, point),
                "branches": [branch(f) for f in sorted(firsts)],
            }
        )
    return forks


def _next_seq(connection: Connection, seq: int) -> int:
    return int(connection.execute(select(func.min(AuditEntry.seq)).where(AuditEntry.seq > seq)).scalar_one())


def _entry(connection: Connection, seq: int) -> dict[str, Any]:
    if seq == 0:
        return {"seq": 0, "hash": GENESIS_HASH}
    found = connection.execute(select(AuditEntry.hash).where(AuditEntry.seq == seq)).scalar()
    return {"seq": seq, "hash": found}


def reanchor_content(connection: Connection, report: ChainReport, reason: str) -> dict[str, Any]:
    """What a re-anchoring entry records: the reason, every fork with its branches, and every
    entry it accepts (its hash and the hash it follows)."""
    return {
        "reason": reason,
        "forks": branches_of(connection, report),
        "entries": [{"seq": p.seq, "hash": p.hash, "prev_hash": p.prev_hash} for p in report.forks],
    }
