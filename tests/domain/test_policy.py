"""The policy file: shipped defaults, an installation's override, and refusals that name the key."""

from __future__ import annotations

import tomllib
from dataclasses import fields, is_dataclass
from pathlib import Path

import pytest

from pm_desk.domain.policy import (
    HoldPolicy,
    Policy,
    PolicyError,
    RefresherPolicy,
    apply_policy_text,
    default_policy_text,
    load_policy,
)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "policy.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_defaults_load_and_match_the_documented_thresholds() -> None:
    policy = load_policy()
    assert policy.refresher == RefresherPolicy(interval_days=365, due_soon_days=30, revocation_grace_days=30)
    assert (policy.equipment.late_days, policy.equipment.alarm_days) == (180, 200)
    assert policy.hold == HoldPolicy(hours=48, due_soon_hours=6, excludes_weekends_and_holidays=False)
    assert policy.renewal.due_soon_days == 90
    assert (policy.steering_committee.interval_days, policy.steering_committee.due_soon_days) == (365, 30)
    assert (policy.complaint.report_hours, policy.complaint.resolution_days) == (48, 90)
    assert (policy.workload.jail_enforcement, policy.workload.task_force) == (1.0, 1.5)
    assert policy.workload.warrant_service_officer == 0.5
    assert (policy.workload.per_authorized_officer, policy.workload.per_recent_transfer) == (0.02, 0.01)
    assert (policy.workload.recent_transfer_days, policy.workload.default_capacity) == (30, 12.0)
    assert (policy.oncall.max_consecutive_primary_days, policy.oncall.min_rest_hours) == (7, 12)
    assert (
        policy.reports.handling_banner == "CONTROLLED UNCLASSIFIED INFORMATION // LAW ENFORCEMENT SENSITIVE"
    )


def test_shipped_file_sets_every_key_the_code_knows() -> None:
    # The file is the documentation of the thresholds: a key only in code would be invisible.
    shipped = tomllib.loads(default_policy_text())

    def keys(node: object, prefix: str = "") -> set[str]:
        assert is_dataclass(node)
        found: set[str] = set()
        for f in fields(node):
            value = getattr(node, f.name)
            found |= keys(value, f"{prefix}{f.name}.") if is_dataclass(value) else {f"{prefix}{f.name}"}
        return found

    in_file = {f"{section}.{key}" for section, values in shipped.items() for key in values}
    assert in_file == keys(Policy())
    assert load_policy() == Policy()


def test_missing_override_file_means_defaults(tmp_path: Path) -> None:
    assert load_policy(tmp_path / "absent.toml") == load_policy()
    assert load_policy(None) == load_policy()


def test_override_changes_one_key_and_keeps_the_rest(tmp_path: Path) -> None:
    override = write(tmp_path, "[hold]\nexcludes_weekends_and_holidays = true\n")
    policy = load_policy(override)
    defaults = load_policy()
    assert policy.hold.excludes_weekends_and_holidays is True
    assert (policy.hold.hours, policy.hold.due_soon_hours) == (48, 6)
    assert policy.refresher == defaults.refresher
    assert policy.workload == defaults.workload
    assert policy.oncall == defaults.oncall


def test_override_of_several_sections(tmp_path: Path) -> None:
    override = write(
        tmp_path,
        """
# a stricter installation
[refresher]
due_soon_days = 45

[workload]
default_capacity = 10      # a whole number is fine for a decimal value

[reports]
handling_banner = "FOR OFFICIAL USE ONLY"
""",
    )
    policy = load_policy(override)
    assert policy.refresher == RefresherPolicy(interval_days=365, due_soon_days=45, revocation_grace_days=30)
    assert policy.workload.default_capacity == 10.0
    assert isinstance(policy.workload.default_capacity, float)
    assert policy.reports.handling_banner == "FOR OFFICIAL USE ONLY"
    assert policy.equipment == load_policy().equipment


def test_empty_override_changes_nothing(tmp_path: Path) -> None:
    assert load_policy(write(tmp_path, "# nothing to change\n")) == load_policy()


@pytest.mark.parametrize(
    ("text", "key", "why"),
    [
        ("[hold]\nhourz = 24\n", "hold.hourz", "unknown policy key"),
        ("[holds]\nhours = 24\n", "holds", "unknown policy key"),
        ("hours = 24\n", "hours", "unknown policy key"),
        ('[hold]\nhours = "48"\n', "hold.hours", "whole number"),
        ("[hold]\nhours = 48.5\n", "hold.hours", "whole number"),
        ("[hold]\nhours = -1\n", "hold.hours", "whole number"),
        ("[hold]\nhours = true\n", "hold.hours", "whole number"),
        (
            "[hold]\nexcludes_weekends_and_holidays = 1\n",
            "hold.excludes_weekends_and_holidays",
            "true or false",
        ),
        (
            '[hold]\nexcludes_weekends_and_holidays = "yes"\n',
            "hold.excludes_weekends_and_holidays",
            "true or false",
        ),
        ('[workload]\ntask_force = "1.5"\n', "workload.task_force", "number"),
        ("[workload]\ntask_force = -0.5\n", "workload.task_force", "number"),
        ("[workload]\ntask_force = false\n", "workload.task_force", "number"),
        ("[reports]\nhandling_banner = 5\n", "reports.handling_banner", "text"),
        ("hold = 48\n", "hold", "must be a section"),
        ("[hold.hours]\nvalue = 48\n", "hold.hours", "whole number"),
    ],
    ids=[
        "unknown-key",
        "unknown-section",
        "top-level-key",
        "text-for-int",
        "float-for-int",
        "negative",
        "bool-for-int",
        "int-for-bool",
        "text-for-bool",
        "text-for-float",
        "negative-float",
        "bool-for-float",
        "int-for-text",
        "value-for-section",
        "section-for-value",
    ],
)
def test_bad_override_names_the_file_and_key(tmp_path: Path, text: str, key: str, why: str) -> None:
    override = write(tmp_path, text)
    with pytest.raises(PolicyError) as caught:
        load_policy(override)
    message = str(caught.value)
    assert str(override) in message
    assert repr(key) in message
    assert why in message


def test_unknown_key_lists_the_known_ones(tmp_path: Path) -> None:
    with pytest.raises(
        PolicyError, match=r"known here: due_soon_hours, excludes_weekends_and_holidays, hours"
    ):
        load_policy(write(tmp_path, "[hold]\nhourz = 24\n"))


def test_bad_toml_names_the_file_and_where(tmp_path: Path) -> None:
    override = write(tmp_path, "[hold]\nhours = 48\ndue_soon_hours = \n")
    with pytest.raises(PolicyError) as caught:
        load_policy(override)
    message = str(caught.value)
    assert message.startswith(f"{override}: not valid TOML")
    assert "line 3" in message


def test_duplicate_key_is_bad_toml(tmp_path: Path) -> None:
    override = write(tmp_path, "[hold]\nhours = 48\nhours = 24\n")
    with pytest.raises(PolicyError, match="not valid TOML"):
        load_policy(override)


def test_unreadable_file_is_a_policy_error(tmp_path: Path) -> None:
    override = tmp_path / "policy.toml"
    override.write_bytes(b"[hold]\nhours = 48 # \xff\xfe\n")
    with pytest.raises(PolicyError, match="cannot read the policy file") as caught:
        load_policy(override)
    assert str(override) in str(caught.value)


def test_a_directory_is_not_a_policy_file(tmp_path: Path) -> None:
    folder = tmp_path / "policy.toml"
    folder.mkdir()
    with pytest.raises(PolicyError, match="cannot read"):
        load_policy(folder)


def test_apply_policy_text_names_its_source() -> None:
    with pytest.raises(PolicyError, match=r"^settings page: unknown policy key 'oncall.max_days'"):
        apply_policy_text(Policy(), "[oncall]\nmax_days = 3\n", "settings page")


def test_policy_is_immutable() -> None:
    policy = load_policy()
    with pytest.raises(AttributeError):
        policy.hold.hours = 24  # type: ignore[misc]


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("[security]\nargon2_memory_kib = 8192\n", "security.argon2_memory_kib"),
        ("[security]\nidle_lock_minutes = 0\n", "security.idle_lock_minutes"),
        ("[security]\nmax_failed_sign_ins = 0\n", "security.max_failed_sign_ins"),
    ],
)
def test_security_settings_below_their_floor_are_refused(text: str, key: str) -> None:
    with pytest.raises(PolicyError, match=key.replace(".", r"\.") + "' must be at least"):
        apply_policy_text(Policy(), text, "policy.toml")
