"""The packaged app: PyInstaller builds the one-folder app from packaging/pm-desk.spec, and the
frozen program starts, migrates a new database, opens its window and prints a report.

Slow (a minute or two to build): run by `make test-package`, not by `make test`.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pm_desk import __version__

pytestmark = [pytest.mark.slow, pytest.mark.package]

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "packaging" / "pm-desk.spec"
EXE_NAME = "pm-desk.exe" if sys.platform == "win32" else "pm-desk"


@pytest.fixture(scope="module")
def frozen_app(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("pyinstaller")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--clean",
            "--log-level",
            "WARN",
            "--distpath",
            str(work / "dist"),
            "--workpath",
            str(work / "build"),
            str(SPEC),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1200,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    app = work / "dist" / "pm-desk" / EXE_NAME
    assert app.is_file()
    return app


def run(app: Path, *args: str, home: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PM_DESK_HOME": str(home), "QT_QPA_PLATFORM": "offscreen", **env}
    environment.pop("PM_DESK_DB", None)
    return subprocess.run(
        [str(app), *args], capture_output=True, text=True, env=environment, timeout=600, check=False
    )


def test_the_folder_holds_migrations_resources_and_qt_plugins(frozen_app: Path) -> None:
    internal = frozen_app.parent / "_internal"
    migrations = internal / "pm_desk" / "store" / "migrations"
    assert (migrations / "env.py").is_file()
    assert (migrations / "script.py.mako").is_file()
    shipped = {p.name for p in (migrations / "versions").glob("*.py")}
    source = {p.name for p in (ROOT / "src/pm_desk/store/migrations/versions").glob("*.py")}
    assert source and source <= shipped
    resources = internal / "pm_desk" / "resources"
    for name in ("policy.toml", "app.qss", "icons/pm-desk.svg", "pm-desk.desktop"):
        assert (resources / name).is_file(), name
    plugins = next(internal.glob("PySide6/**/plugins/platforms"))
    names = {p.name for p in plugins.iterdir()}
    assert any("offscreen" in n for n in names)
    assert sys.platform != "linux" or any("xcb" in n for n in names)


def test_frozen_app_self_test_passes_offscreen(frozen_app: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    result = run(frozen_app, "--self-test", home=home)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("self-test: ok (") and "monthly report" in result.stdout
    assert not home.exists()


def test_frozen_app_self_test_passes_on_a_real_x_server(frozen_app: Path, tmp_path: Path) -> None:
    """The xcb platform plugin and its libraries, under Xvfb (installed by make system-deps)."""
    if sys.platform != "linux":
        result = run(frozen_app, "--self-test", home=tmp_path)
    else:
        xvfb = shutil.which("xvfb-run")
        assert xvfb is not None, "xvfb-run is missing: run scripts/ensure-system-deps.sh"
        result = subprocess.run(
            [xvfb, "-a", "-s", "-screen 0 1280x900x24", str(frozen_app), "--self-test"],
            capture_output=True,
            text=True,
            env={**os.environ, "QT_QPA_PLATFORM": "xcb", "PM_DESK_HOME": str(tmp_path)},
            timeout=600,
            check=False,
        )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("self-test: ok (")


def test_frozen_command_line_writes_a_demo_then_reads_it(frozen_app: Path, tmp_path: Path) -> None:
    assert run(frozen_app, "--version", home=tmp_path).stdout.strip() == f"pm-desk {__version__}"
    demo = run(frozen_app, "demo", "--scale", "small", home=tmp_path)
    assert demo.returncode == 0, demo.stderr
    output = tmp_path / "compliance.json"
    checked = run(frozen_app, "compliance", "--format", "json", "-o", str(output), home=tmp_path)
    assert checked.returncode == 0, checked.stderr
    items = json.loads(output.read_text(encoding="utf-8"))
    assert items and {"rule", "status", "record", "id", "key", "due", "manager"} <= set(items[0])
    bad = run(frozen_app, "report", "monthly", "--month", "2026-13", "-o", "x.pdf", home=tmp_path)
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1
