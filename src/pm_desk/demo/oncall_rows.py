"""Writes the on-call rota: rotations, their members, shifts, leave, overrides and swap requests."""

from __future__ import annotations

from pm_desk.demo.context import RECORD_COLUMNS, DemoContext
from pm_desk.demo.oncall import Rota
from pm_desk.store.models import Leave, Override, Rotation, RotationMember, Shift, SwapRequest

ROTATION_COLUMNS = (
    *RECORD_COLUMNS, "field_office_id", "name", "handoff_weekday", "handoff_time", "shift_hours", "timezone",
    "starts_on",
)  # fmt: skip
MEMBER_COLUMNS = (*RECORD_COLUMNS, "rotation_id", "user_id", "position")
SHIFT_COLUMNS = (*RECORD_COLUMNS, "rotation_id", "starts_at", "ends_at", "primary_id", "backup_id", "note")
LEAVE_COLUMNS = (*RECORD_COLUMNS, "user_id", "starts_at", "ends_at", "kind")
OVERRIDE_COLUMNS = (
    *RECORD_COLUMNS, "rotation_id", "shift_id", "covered_user_id", "covering_user_id", "starts_at", "ends_at",
    "reason", "state", "requested_by", "approved_by", "roles", "backup_covering_user_id",
)  # fmt: skip
SWAP_COLUMNS = (
    *RECORD_COLUMNS,
    "requested_by",
    "with_user_id",
    "shift_id",
    "other_shift_id",
    "state",
    "approved_by",
)
HANDOFF = (0, "08:00", 168)  # Monday, local time, hours


def write_oncall(ctx: DemoContext, rotas: list[Rota]) -> None:
    stamp, fmt = ctx.stamp, ctx.fmt
    rotations, members, shifts, leave, overrides, swaps = [], [], [], [], [], []
    for rota in rotas:
        info = rota.office.info
        rotations.append(
            (rota.rotation_id, *stamp, rota.office.id, f"{info.name} program managers", *HANDOFF,
             info.timezone, fmt.day(rota.starts_day))
        )  # fmt: skip
        members += [(rota.ids(), *stamp, rota.rotation_id, m.id, i) for i, m in enumerate(rota.members)]
        shifts += [
            (s.id, *stamp, rota.rotation_id, fmt.instant(s.starts_at), fmt.instant(s.ends_at), s.primary.id,
             s.backup.id if s.backup is not s.primary else None, None)
            for s in rota.shifts
        ]  # fmt: skip
        leave += rota.leave
        overrides += rota.overrides
        swaps += rota.swaps
    write = ctx.writer.write
    write(Rotation, ROTATION_COLUMNS, rotations)
    write(RotationMember, MEMBER_COLUMNS, members)
    write(Shift, SHIFT_COLUMNS, shifts)
    write(Leave, LEAVE_COLUMNS, leave)
    write(Override, OVERRIDE_COLUMNS, overrides)
    write(SwapRequest, SWAP_COLUMNS, swaps)
