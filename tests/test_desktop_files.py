"""The desktop entry and the AppStream metadata are valid and agree with each other and the app.

The standard validators (desktop-file-validate, appstreamcli) run when the machine has them
(scripts/ensure-system-deps.sh installs them); the structural checks below run everywhere.
"""

from __future__ import annotations

import configparser
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

from PySide6.QtGui import QImage

ROOT = Path(__file__).resolve().parents[1]
RESOURCES = ROOT / "resources"
DESKTOP = RESOURCES / "pm-desk.desktop"
METAINFO = RESOURCES / "io.github.pmdesk.PMDesk.metainfo.xml"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
MAIN_CATEGORIES = {"AudioVideo", "Audio", "Video", "Development", "Education", "Game", "Graphics"}
MAIN_CATEGORIES |= {"Network", "Office", "Science", "Settings", "System", "Utility"}


def desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, delimiters=("=",))
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read_string(DESKTOP.read_text(encoding="utf-8"))
    assert parser.sections()[0] == "Desktop Entry"
    return parser["Desktop Entry"]


def test_desktop_entry_has_what_the_specification_requires() -> None:
    entry = desktop_entry()
    assert entry["Type"] == "Application"
    assert entry["Name"] == "PM Desk"
    assert entry["Exec"].split()[0] == "pm-desk"
    assert entry["Icon"] == "pm-desk"
    assert entry["Terminal"] == "false"
    categories = [c for c in entry["Categories"].split(";") if c]
    assert entry["Categories"].endswith(";") and MAIN_CATEGORIES.intersection(categories)
    assert entry["Keywords"].endswith(";")
    # The window's desktop file name (make_application) is this file's name.
    assert entry["StartupWMClass"] == DESKTOP.stem


def test_desktop_entry_passes_desktop_file_validate() -> None:
    validator = shutil.which("desktop-file-validate")
    if validator is not None:
        result = subprocess.run([validator, str(DESKTOP)], capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "error" not in (result.stdout + result.stderr).lower()
    # Everywhere: one `key=value` per line, no duplicate keys, a known Version.
    keys = [line.split("=", 1)[0] for line in DESKTOP.read_text(encoding="utf-8").splitlines()[1:] if line]
    assert len(keys) == len(set(keys))
    assert desktop_entry()["Version"] in {"1.0", "1.1", "1.2", "1.3", "1.4", "1.5"}


def test_metainfo_is_valid_appstream_and_names_the_desktop_entry() -> None:
    root = ET.parse(METAINFO).getroot()
    assert root.tag == "component" and root.get("type") == "desktop-application"
    component_id = root.findtext("id")
    assert component_id == METAINFO.name.removesuffix(".metainfo.xml")
    assert root.findtext("metadata_license") == "CC0-1.0"
    assert root.findtext("name") == desktop_entry()["Name"]
    summary = root.findtext("summary") or ""
    assert 0 < len(summary) < 80 and not summary.endswith(".")
    assert root.find("description/p") is not None
    assert root.findtext("launchable[@type='desktop-id']") == DESKTOP.name
    assert root.findtext("icon[@type='stock']") == desktop_entry()["Icon"]
    assert root.findtext("provides/binary") == "pm-desk"
    releases = root.findall("releases/release")
    from pm_desk import __version__

    assert releases and releases[0].get("version") == __version__
    validator = shutil.which("appstreamcli")
    if validator is not None:
        result = subprocess.run(
            [validator, "validate", "--no-net", str(METAINFO)], capture_output=True, text=True, check=False
        )
        assert result.returncode == 0, result.stdout + result.stderr


def test_icon_set_has_every_size_rendered_from_the_svg() -> None:
    icons = RESOURCES / "icons"
    assert (icons / "pm-desk.svg").is_file()
    for size in ICON_SIZES:
        image = QImage(str(icons / f"pm-desk-{size}.png"))
        assert not image.isNull(), f"pm-desk-{size}.png is missing or unreadable (scripts/render_icons.py)"
        assert (image.width(), image.height()) == (size, size)
        assert image.hasAlphaChannel()
    assert (ROOT / "packaging" / "windows" / "pm-desk.ico").stat().st_size > 0
