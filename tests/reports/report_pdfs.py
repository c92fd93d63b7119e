"""Reading reports back: the text of each page (pypdf) and the checks every report must pass."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from io import BytesIO

from pypdf import PdfReader

from pm_desk.services.reporting import Generated
from support import FIXED_NOW

BANNER = "CONTROLLED UNCLASSIFIED INFORMATION // LAW ENFORCEMENT SENSITIVE"
# After October: the month is closed, so it is measured at its last second and can be filed.
NOVEMBER = datetime(2026, 11, 5, 9, 0, tzinfo=UTC)


def generated(at: datetime = FIXED_NOW, show_subjects: bool = True) -> Generated:
    return Generated(at, "Barbara Scott", "barbara.scott@ice.dhs.gov", show_subjects)


def pdf_pages(pdf: bytes) -> list[str]:
    """The text of each page, with runs of white space made single spaces."""
    reader = PdfReader(BytesIO(pdf))
    return [re.sub(r"\s+", " ", page.extract_text() or "") for page in reader.pages]


def pdf_text(pdf: bytes) -> str:
    return " ".join(pdf_pages(pdf))


def assert_every_page_framed(pdf: bytes, period: str) -> None:
    """Banner top and bottom, the period in the running head, and "Page X of Y" on every page."""
    pages = pdf_pages(pdf)
    assert pages, "no pages"
    for number, text in enumerate(pages, start=1):
        assert text.count(BANNER) == 2, f"page {number}: banner not at top and bottom"
        assert period in text, f"page {number}: no period"
        assert f"Page {number} of {len(pages)}" in text, f"page {number}: no page number"


def body_text(pdf: bytes) -> str:
    """The report's text before its printed contents (the last section of a long report)."""
    text = pdf_text(pdf)
    return text[: text.rindex(" Contents ")] if " Contents " in text else text


def assert_outline_points_at_sections(pdf: bytes) -> None:
    """Every bookmark of the PDF's outline opens the page its section starts on."""
    reader = PdfReader(BytesIO(pdf))
    pages = pdf_pages(pdf)

    def walk(items: list) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
                continue
            number = reader.get_destination_page_number(item)
            title = re.sub(r"\s+", " ", item.title)
            assert title in pages[number], f"bookmark {title!r} opens page {number + 1}"

    walk(reader.outline)
    assert reader.outline, "no outline"
