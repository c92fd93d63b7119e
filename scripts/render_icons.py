"""Render the app icon (resources/icons/pm-desk.svg) to the PNG sizes desktops ask for, and the
Windows .ico that PyInstaller and the installer use. Run after changing the SVG, and commit:

    python scripts/render_icons.py
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SVG = ROOT / "resources" / "icons" / "pm-desk.svg"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO = ROOT / "packaging" / "windows" / "pm-desk.ico"
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)


def png_path(size: int) -> Path:
    return SVG.with_name(f"pm-desk-{size}.png")


def render(size: int) -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        raise SystemExit(f"cannot read {SVG}")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    _app = QGuiApplication(sys.argv[:1])
    for size in SIZES:
        png_path(size).write_bytes(render(size))
        print(png_path(size).relative_to(ROOT))
    from PIL import Image  # Pillow, installed with reportlab: it writes every size into one .ico

    ICO.parent.mkdir(parents=True, exist_ok=True)
    Image.open(png_path(256)).save(ICO, sizes=[(s, s) for s in ICO_SIZES])
    print(ICO.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
