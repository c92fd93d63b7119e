"""Fixtures of the domain tests: the shipped policy and policies with one option changed."""

from __future__ import annotations

from dataclasses import replace

import pytest

from pm_desk.domain.policy import Policy, load_policy


@pytest.fixture(scope="session")
def policy() -> Policy:
    """The defaults shipped in resources/policy.toml, as every installation starts."""
    return load_policy()


@pytest.fixture(scope="session")
def skipping_policy(policy: Policy) -> Policy:
    """The shipped policy with the regulation's reading of the hold: weekends and holidays skipped."""
    return replace(policy, hold=replace(policy.hold, excludes_weekends_and_holidays=True))
