"""Fonts, colours and paragraph styles shared by every report.

Text is set in DejaVu Sans when the system has it (it covers every accented name), else in the
Bitstream Vera family that reportlab ships; both are embedded as subsets with a Unicode map, so
the text of a report is real text: searchable and copyable.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import reportlab
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT = "ReportSans"
FONT_BOLD = "ReportSans-Bold"
FONT_ITALIC = "ReportSans-Oblique"

_SYSTEM_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/local/share/fonts"),
    Path("/Library/Fonts"),
    Path("C:/Windows/Fonts"),
)
_DEJAVU = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf")
_VERA = ("Vera.ttf", "VeraBd.ttf", "VeraIt.ttf")

INK = colors.HexColor("#1b1f24")
MUTED = colors.HexColor("#5b6470")
RULE = colors.HexColor("#9aa3ad")
HEADER_FILL = colors.HexColor("#2f3e52")
ZEBRA = colors.HexColor("#f1f3f6")
ALARM = colors.HexColor("#b3261e")
WARN = colors.HexColor("#8a5a00")
OK = colors.HexColor("#1e6b35")
PALETTE = (
    colors.HexColor("#2f5d8a"),
    colors.HexColor("#c8553d"),
    colors.HexColor("#6a994e"),
    colors.HexColor("#f2a541"),
    colors.HexColor("#7b5ea7"),
    colors.HexColor("#4d9de0"),
)


def _font_files() -> tuple[Path, Path, Path]:
    for folder in _SYSTEM_DIRS:
        paths = tuple(folder / name for name in _DEJAVU)
        if all(p.is_file() for p in paths):
            return paths  # type: ignore[return-value]
    bundled = Path(reportlab.__file__).parent / "fonts"
    regular, bold, italic = (bundled / name for name in _VERA)
    return regular, bold, italic


@cache
def register_fonts() -> str:
    """Register the report font family once; returns the regular font's file name."""
    regular, bold, italic = _font_files()
    pdfmetrics.registerFont(TTFont(FONT, str(regular)))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(bold)))
    pdfmetrics.registerFont(TTFont(FONT_ITALIC, str(italic)))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC, boldItalic=FONT_BOLD)
    return regular.name


class Styles:
    """The paragraph styles of a report (built after the fonts are registered)."""

    def __init__(self) -> None:
        register_fonts()
        base = ParagraphStyle("body", fontName=FONT, fontSize=9, leading=12, textColor=INK)
        self.body = base
        self.small = ParagraphStyle("small", parent=base, fontSize=7.5, leading=9.5)
        self.muted = ParagraphStyle("muted", parent=base, textColor=MUTED)
        self.none = ParagraphStyle("none", parent=base, fontName=FONT_ITALIC, textColor=MUTED, spaceAfter=6)
        self.title = ParagraphStyle(
            "title", parent=base, fontName=FONT_BOLD, fontSize=18, leading=22, spaceAfter=4
        )
        self.subtitle = ParagraphStyle("subtitle", parent=base, fontSize=11.5, leading=15, spaceAfter=8)
        self.h1 = ParagraphStyle(
            "h1",
            parent=base,
            fontName=FONT_BOLD,
            fontSize=13,
            leading=16,
            spaceBefore=12,
            spaceAfter=6,
            keepWithNext=1,
            textColor=HEADER_FILL,
        )
        self.h2 = ParagraphStyle(
            "h2",
            parent=base,
            fontName=FONT_BOLD,
            fontSize=10.5,
            leading=13,
            spaceBefore=9,
            spaceAfter=4,
            keepWithNext=1,
        )
        self.h3 = ParagraphStyle(
            "h3",
            parent=base,
            fontName=FONT_BOLD,
            fontSize=9,
            leading=11,
            spaceBefore=6,
            spaceAfter=3,
            keepWithNext=1,
            textColor=MUTED,
        )
        self.cell = ParagraphStyle("cell", parent=base, fontSize=7.5, leading=9)
        self.cell_right = ParagraphStyle("cell_right", parent=self.cell, alignment=TA_RIGHT)
        self.cell_total = ParagraphStyle("cell_total", parent=self.cell, fontName=FONT_BOLD)
        self.cell_total_right = ParagraphStyle("cell_total_right", parent=self.cell_total, alignment=TA_RIGHT)
        self.cell_head = ParagraphStyle(
            "cell_head", parent=self.cell, fontName=FONT_BOLD, textColor=colors.white
        )
        self.cell_head_right = ParagraphStyle("cell_head_right", parent=self.cell_head, alignment=TA_RIGHT)
        self.figure_label = ParagraphStyle("figure_label", parent=base, fontSize=8.5, leading=11)
        self.figure_value = ParagraphStyle(
            "figure_value", parent=base, fontName=FONT_BOLD, fontSize=8.5, leading=11, alignment=TA_RIGHT
        )
        self.toc_levels = [
            ParagraphStyle("toc0", parent=base, fontSize=9.5, leading=13, leftIndent=0, firstLineIndent=0),
            ParagraphStyle("toc1", parent=base, fontSize=8.5, leading=11, leftIndent=16, firstLineIndent=0),
        ]
        self.banner = ParagraphStyle("banner", parent=base, fontName=FONT_BOLD, alignment=TA_CENTER)


@cache
def styles() -> Styles:
    return Styles()
