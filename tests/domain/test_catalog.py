"""The rule catalog: every rule and status has one entry, one Today group, and words built from
the policy in force."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest

from pm_desk.domain.enums import RecordKind
from pm_desk.domain.policy import Policy
from pm_desk.domain.results import RuleResult
from pm_desk.domain.rules import catalog
from pm_desk.domain.rules.statuses import STATUSES, EquipmentStatus, Rule, Severity
from support import CHANGED_FIGURES, DEFAULT_FIGURES, changed_policy


def every_text(policy: Policy) -> list[str]:
    texts = [g.heading(policy) for g in catalog.GROUPS]
    for spec in catalog.RULES:
        texts.append(spec.thresholds(policy))
        for entry in spec.entries:
            texts += [entry.word(policy), entry.title(policy)]
            if entry.counted is not None:
                texts.append(entry.counted(policy))
    return texts


def test_every_rule_has_one_spec_with_every_status_of_its_enum() -> None:
    assert [s.rule for s in catalog.RULES] == list(dict.fromkeys(s.rule for s in catalog.RULES))
    assert {s.rule for s in catalog.RULES} == set(Rule)
    for spec in catalog.RULES:
        assert [e.status for e in spec.entries] == list(dict.fromkeys(e.status for e in spec.entries))
        assert {e.status for e in spec.entries} == set(STATUSES[spec.rule])
        assert all(e.rule is spec.rule for e in spec.entries)


def test_every_status_is_in_exactly_one_group_and_the_order_starts_with_liberty() -> None:
    members = [m for g in catalog.GROUPS for m in g.members]
    assert len(members) == len(set(members))
    assert set(members) == {(s.rule, e.status) for s in catalog.RULES for e in s.entries}
    assert catalog.GROUPS[0].key == "hold_breached" and catalog.GROUPS[0].countdown
    orders = [catalog.order_of(type("R", (), {"rule": r, "status": st})) for r, st in members]
    assert orders == sorted(orders)


def test_rules_checked_one_record_at_a_time_say_on_which_facts() -> None:
    over_rotas = {s.rule for s in catalog.RULES if s.facts is None}
    assert over_rotas == {Rule.FATIGUE, Rule.GAP}
    assert all(s.check is not None for s in catalog.RULES if s.facts is not None)


def test_severity_gives_the_colour() -> None:
    assert Severity.LATE.tone == "alarm"
    assert Severity.COMING_DUE.tone == "warn"
    assert catalog.entry(Rule.EQUIPMENT, EquipmentStatus.ALARM).severity is Severity.LATE


def test_the_shipped_policy_reads_as_before(policy: Policy) -> None:
    assert catalog.entry(Rule.EQUIPMENT, EquipmentStatus.ALARM).word(policy) == "past 200 days"
    headings = {g.key: g.heading(policy) for g in catalog.GROUPS}
    assert headings["equipment_alarm"] == "Equipment past 200 days"
    assert headings["refresher_due_soon"] == "Refreshers due within 30 days"


def test_a_changed_policy_changes_every_label_that_names_a_threshold() -> None:
    policy = changed_policy()
    texts = " | ".join(every_text(policy))  # type: ignore[arg-type]
    for figure in CHANGED_FIGURES:
        assert figure in texts, figure
    for figure in DEFAULT_FIGURES:
        assert not re.search(rf"(?<![\d.]){figure}", texts), figure


def test_thresholds_name_every_value_of_the_policy() -> None:
    policy = changed_policy()
    table = " ".join(f"{rule}: {text}" for rule, text in catalog.thresholds(policy))  # type: ignore[arg-type]
    for figure in CHANGED_FIGURES:
        assert figure in table, figure
    assert "11 units" in table and "90%" in table


@pytest.mark.parametrize("days", [1, 2])
def test_detail_and_explanation_of_one_result(policy: Policy, days: int) -> None:
    result = RuleResult(
        Rule.EQUIPMENT, EquipmentStatus.ALARM, RecordKind.AGREEMENT, "a1", date(2026, 1, 1), {"days": days}
    )
    entry = catalog.entry_of(result)
    assert entry.detail(result, policy) == f"{days} days since signing, not operational"
    assert entry.explanation(result, policy) == entry.detail(result, policy)
    assert catalog.group_of(result).key == "equipment_alarm"
    assert catalog.rule_spec(Rule.EQUIPMENT).record is RecordKind.AGREEMENT
    assert isinstance(datetime.now(UTC), datetime)
