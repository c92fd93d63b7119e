"""`pm-desk --self-test`: the installation check that the packaged app runs (tests/test_package.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pm_desk.cli import main


def test_self_test_opens_the_app_and_prints_a_report_then_exits_0(tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PM_DESK_HOME": str(home)}
    result = subprocess.run(
        [sys.executable, "-m", "pm_desk", "--self-test"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    line = result.stdout.strip()
    assert line.startswith("self-test: ok (") and "monthly report" in line
    assert "pages" in line
    assert not home.exists(), "the self-test must not touch the person's own folders"


def test_a_failing_step_is_one_line_and_exit_1(
    qapp: object, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import pm_desk.demo

    def broken(*_args: object, **_kwargs: object) -> None:
        raise OSError("no space left on device")

    monkeypatch.setattr(pm_desk.demo, "generate_demo", broken)
    assert main(["--self-test"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["pm-desk: self-test failed while writing the small demo program: no space left on device"]
