"""How statuses look: every status is shown as text and with a colour, never colour alone."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette

from pm_desk.domain.enums import AgreementStatus, AuthorityStatus, TransferStatus

# Status values (any enum of the domain) and the tone they are shown in.
STATUS_TONES: dict[str, str] = {
    AgreementStatus.ACTIVE: "ok",
    AgreementStatus.SIGNED: "ok",
    AgreementStatus.SUSPENDED: "warn",
    AgreementStatus.TERMINATED: "muted",
    AgreementStatus.EXPIRED: "muted",
    AuthorityStatus.AUTHORIZED: "ok",
    AuthorityStatus.IN_TRAINING: "warn",
    AuthorityStatus.SUSPENDED: "warn",
    AuthorityStatus.REVOKED: "alarm",
    AuthorityStatus.SEPARATED: "muted",
    TransferStatus.DETAINER_LODGED: "warn",
    TransferStatus.AWAITING_PICKUP: "warn",
    TransferStatus.TRANSFERRED: "ok",
    TransferStatus.RELEASED_NO_PICKUP: "alarm",
    TransferStatus.CANCELLED: "muted",
}

_LIGHT = {"ok": "#1b6e2d", "warn": "#8a5300", "alarm": "#b3261e", "muted": "#6b6f76"}
_DARK = {"ok": "#7fd48f", "warn": "#ffc266", "alarm": "#ff8a80", "muted": "#9aa0a6"}
_LIGHT_BG = {"warn": "#fff4e0", "alarm": "#fde7e5"}
_DARK_BG = {"warn": "#3a2c12", "alarm": "#4a1f1c"}


def is_dark() -> bool:
    app = QGuiApplication.instance()
    if app is None:
        return False
    hints = QGuiApplication.styleHints()
    scheme = hints.colorScheme() if hasattr(hints, "colorScheme") else None
    if scheme == Qt.ColorScheme.Dark:
        return True
    if scheme == Qt.ColorScheme.Light:
        return False
    return QGuiApplication.palette().color(QPalette.ColorRole.Window).lightness() < 128


def tone_color(tone: str | None) -> QColor | None:
    if tone is None:
        return None
    colors = _DARK if is_dark() else _LIGHT
    value = colors.get(tone)
    return QColor(value) if value else None


def tone_background(tone: str | None) -> QColor | None:
    if tone is None:
        return None
    colors = _DARK_BG if is_dark() else _LIGHT_BG
    value = colors.get(tone)
    return QColor(value) if value else None


def tone_of_status(value: object) -> str | None:
    return STATUS_TONES.get(str(value)) if value is not None else None


TONE_MARKS = {"alarm": "✖", "warn": "⚠", "ok": "✓"}
