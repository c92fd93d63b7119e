"""The policy: every threshold of the rules, never written in code.

The defaults ship in `resources/policy.toml`; the policy in force lives in the database as one
setting per key (`section.key` → value), changed only by an administrator through a service
and audited, so no one's own file can change what the rules find. This module reads and checks
both forms: unknown sections or keys and values of the wrong type are refused with a message
that names where and which key, so a typo never silently falls back to a default.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields, is_dataclass, replace
from datetime import time
from importlib import resources
from pathlib import Path
from typing import Any


class PolicyError(ValueError):
    """A policy file that cannot be used; the message names the file and key."""


@dataclass(frozen=True)
class RefresherPolicy:
    interval_days: int = 365
    due_soon_days: int = 30
    revocation_grace_days: int = 30


@dataclass(frozen=True)
class InitialTrainingPolicy:
    # Days an officer has waited since nomination before the queue marks him, and calls it late.
    wait_warn_days: int = 90
    wait_late_days: int = 180


@dataclass(frozen=True)
class EquipmentPolicy:
    late_days: int = 180
    alarm_days: int = 200


@dataclass(frozen=True)
class HoldPolicy:
    hours: int = 48
    due_soon_hours: int = 6
    excludes_weekends_and_holidays: bool = False


@dataclass(frozen=True)
class RenewalPolicy:
    due_soon_days: int = 90


@dataclass(frozen=True)
class SteeringCommitteePolicy:
    interval_days: int = 365
    due_soon_days: int = 30


@dataclass(frozen=True)
class ComplaintPolicy:
    report_hours: int = 48
    resolution_days: int = 90


@dataclass(frozen=True)
class WorkloadPolicy:
    jail_enforcement: float = 1.0
    task_force: float = 1.5
    warrant_service_officer: float = 0.5
    per_authorized_officer: float = 0.02
    per_recent_transfer: float = 0.01
    recent_transfer_days: int = 30
    default_capacity: float = 12.0
    overload_ratio: float = 1.0

    def units_for_model(self, model: str) -> float:
        value = getattr(self, model, None)
        if not isinstance(value, float):
            raise PolicyError(f"workload: no units for agreement model {model!r}")
        return value


@dataclass(frozen=True)
class OnCallPolicy:
    max_consecutive_primary_days: int = 7
    min_rest_hours: int = 12
    lookahead_days: int = 14
    fairness_window_days: int = 90
    auto_assign_first_ranked: bool = False
    office_hours_start: str = "08:00"
    office_hours_end: str = "18:00"


@dataclass(frozen=True)
class SecurityPolicy:
    idle_lock_minutes: int = 15
    max_failed_sign_ins: int = 5
    code_valid_hours: int = 72
    argon2_memory_kib: int = 65536
    argon2_time_cost: int = 3
    argon2_parallelism: int = 2
    backups_daily: int = 7
    backups_weekly: int = 4


# The least any policy may ask: below these a password or a backup protects too little.
SECURITY_FLOORS = {
    "idle_lock_minutes": 1,
    "max_failed_sign_ins": 1,
    "code_valid_hours": 1,
    "argon2_memory_kib": 65536,
    "argon2_time_cost": 1,
    "argon2_parallelism": 1,
    "backups_daily": 1,
    "backups_weekly": 0,
}


@dataclass(frozen=True)
class ReportsPolicy:
    handling_banner: str = "CONTROLLED UNCLASSIFIED INFORMATION // LAW ENFORCEMENT SENSITIVE"


@dataclass(frozen=True)
class Policy:
    refresher: RefresherPolicy = RefresherPolicy()
    initial_training: InitialTrainingPolicy = InitialTrainingPolicy()
    equipment: EquipmentPolicy = EquipmentPolicy()
    hold: HoldPolicy = HoldPolicy()
    renewal: RenewalPolicy = RenewalPolicy()
    steering_committee: SteeringCommitteePolicy = SteeringCommitteePolicy()
    complaint: ComplaintPolicy = ComplaintPolicy()
    workload: WorkloadPolicy = WorkloadPolicy()
    oncall: OnCallPolicy = OnCallPolicy()
    reports: ReportsPolicy = ReportsPolicy()
    security: SecurityPolicy = SecurityPolicy()


def default_policy_text() -> str:
    return resources.files("pm_desk.resources").joinpath("policy.toml").read_text(encoding="utf-8")


def load_policy(override: Path | None = None) -> Policy:
    """The shipped defaults, overlaid with `override` when that file exists."""
    policy = apply_policy_text(Policy(), default_policy_text(), "policy.toml (shipped)")
    if override is not None and override.exists():
        try:
            text = override.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise PolicyError(f"{override}: cannot read the policy file: {exc}") from exc
        policy = apply_policy_text(policy, text, str(override))
    return policy


def policy_items(policy: Policy) -> dict[str, Any]:
    """Every setting of `policy` as `section.key` → value, in the order of the sections."""
    items: dict[str, Any] = {}
    for section in fields(policy):
        values = getattr(policy, section.name)
        for item in fields(values):
            items[f"{section.name}.{item.name}"] = getattr(values, item.name)
    return items


def policy_from_items(base: Policy, items: dict[str, Any], source: str) -> Policy:
    """`base` with the settings `items` (`section.key` → value) laid over it, checked as a file's
    would be."""
    nested: dict[str, dict[str, Any]] = {}
    for key, value in items.items():
        section, _dot, name = key.partition(".")
        if not name:
            raise PolicyError(f"{source}: {key!r} is not a policy key (they read like 'hold.hours')")
        nested.setdefault(section, {})[name] = value
    policy: Policy = _overlay(base, nested, source, prefix="")
    _check(policy, source)
    return policy


def parse_setting(key: str, text: str) -> Any:
    """A value typed on the command line (`36`, `0.9`, `true`, `08:30`) as the setting wants it:
    read as a TOML value, and as plain text when it is not one."""
    try:
        return tomllib.loads(f"value = {text}")["value"]
    except tomllib.TOMLDecodeError:
        return text


def flatten_text(text: str, source: str) -> dict[str, Any]:
    """The settings a policy file (TOML) names, as `section.key` → value; refused when unreadable."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(f"{source}: not valid TOML: {exc}") from exc
    items: dict[str, Any] = {}
    for section, values in data.items():
        if not isinstance(values, dict):
            raise PolicyError(f"{source}: {section!r} must be a section [{section}]")
        for name, value in values.items():
            items[f"{section}.{name}"] = value
    return items


def apply_policy_text(base: Policy, text: str, source: str) -> Policy:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(f"{source}: not valid TOML: {exc}") from exc
    policy: Policy = _overlay(base, data, source, prefix="")
    _check(policy, source)
    return policy


def _check(policy: Policy, source: str) -> None:
    _check_office_hours(policy.oncall, source)
    for key, floor in SECURITY_FLOORS.items():
        value = getattr(policy.security, key)
        if value < floor:
            raise PolicyError(f"{source}: 'security.{key}' must be at least {floor}, not {value}")


def _check_office_hours(oncall: OnCallPolicy, source: str) -> None:
    times = []
    for key in ("office_hours_start", "office_hours_end"):
        value = getattr(oncall, key)
        try:
            times.append(time.fromisoformat(value))
        except ValueError:
            raise PolicyError(f"{source}: 'oncall.{key}' must be a time like 08:00, not {value!r}") from None
    if times[0] >= times[1]:
        raise PolicyError(f"{source}: 'oncall.office_hours_start' must be before 'oncall.office_hours_end'")


def _overlay(base: Any, data: dict[str, Any], source: str, prefix: str) -> Any:
    known = {f.name: f for f in fields(base)}
    changes: dict[str, Any] = {}
    for key, value in data.items():
        where = f"{prefix}{key}"
        if key not in known:
            allowed = ", ".join(sorted(known))
            raise PolicyError(f"{source}: unknown policy key {where!r} (known here: {allowed})")
        current = getattr(base, key)
        if is_dataclass(current):
            if not isinstance(value, dict):
                raise PolicyError(f"{source}: {where!r} must be a section [{where}]")
            changes[key] = _overlay(current, value, source, prefix=f"{where}.")
        else:
            changes[key] = _coerce(current, value, source, where)
    return replace(base, **changes)


def _coerce(current: Any, value: Any, source: str, where: str) -> Any:
    if isinstance(current, bool):
        if not isinstance(value, bool):
            raise PolicyError(f"{source}: {where!r} must be true or false, not {value!r}")
        return value
    if isinstance(current, int):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise PolicyError(f"{source}: {where!r} must be a whole number of 0 or more, not {value!r}")
        return value
    if isinstance(current, float):
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise PolicyError(f"{source}: {where!r} must be a number of 0 or more, not {value!r}")
        return float(value)
    if isinstance(current, str):
        if not isinstance(value, str):
            raise PolicyError(f"{source}: {where!r} must be text, not {value!r}")
        return value
    raise PolicyError(f"{source}: {where!r} cannot be set")  # pragma: no cover - all fields typed above
