"""The package metadata lists every package and ships the resources and migrations."""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_package_under_src_is_listed() -> None:
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {
        ".".join(init.parent.relative_to(ROOT / "src").parts) for init in (ROOT / "src").rglob("__init__.py")
    }
    assert found - listed == set(), "add these packages to [tool.setuptools] packages in pyproject.toml"
    assert "pm_desk.resources" in listed


def test_resources_and_migrations_are_reachable() -> None:
    package = resources.files("pm_desk.resources")
    assert package.joinpath("policy.toml").is_file()
    assert package.joinpath("app.qss").is_file()
    assert package.joinpath("icons/pm-desk.svg").is_file()
    versions = resources.files("pm_desk.store").joinpath("migrations/versions")
    assert any(p.name.endswith(".py") for p in versions.iterdir())
