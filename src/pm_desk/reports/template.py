"""The page every report is printed on, and the building blocks of its story.

Letter paper with 0.75-inch margins; the handling banner (policy `reports.handling_banner`) at
the top and bottom of every page; the report's title and period in the running head; who
generated it and when, and "Page X of Y", in the foot. Headings feed the PDF outline
(bookmarks) and, for reports with several sections, a table of contents. Tables repeat their
header row on every page they run onto and break only between rows.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, BinaryIO
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.units import inch
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from pm_desk.domain.policy import Policy
from pm_desk.domain.rules import catalog
from pm_desk.reports.styles import FONT, FONT_BOLD, HEADER_FILL, INK, MUTED, RULE, ZEBRA, styles
from pm_desk.services.reporting import Generated, Progress, no_progress

PAGE_WIDTH, PAGE_HEIGHT = LETTER
MARGIN = 0.75 * inch
FRAME_WIDTH = PAGE_WIDTH - 2 * MARGIN
TOP = 1.0 * inch  # banner and running head live above the frame
BOTTOM = 0.95 * inch  # foot and banner below it


@dataclass(frozen=True)
class ReportInfo:
    title: str
    subject: str  # whose or what: "Thomas Ryan, Orlando Field Office"
    period: str
    generated: Generated
    banner: str
    as_of: datetime | None = None
    toc: bool = True
    keywords: str = ""


def instant_text(value: datetime | None) -> str:
    """An instant on paper: UTC, to the minute, marked as such."""
    if value is None:
        return ""
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def text(value: Any) -> str:
    """Any value as cell text, escaped for reportlab's paragraph markup."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return instant_text(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:,.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    return escape(str(value))


class Heading(Paragraph):
    """A section heading: a bookmark in the PDF outline and a line of the table of contents."""

    def __init__(self, title: str, level: int, key: str) -> None:
        style = (styles().h1, styles().h2, styles().h3)[min(level, 2)]
        super().__init__(escape(title), style)
        self.title = title
        self.level = level
        self.key = key


class HeadingMaker:
    """Numbers the bookmark keys of one document so that equal titles never collide."""

    def __init__(self) -> None:
        self._count = 0

    def __call__(self, title: str, level: int = 0) -> Heading:
        self._count += 1
        return Heading(title, level, f"section-{self._count}")


def masked_a_number(last4: str | None) -> str:
    """How a subject is named when subjects are not shown: the last four digits of the A-number."""
    return f"A-number …{last4}" if last4 else "no A-number recorded"


def none_paragraph(what: str = "None.") -> Paragraph:
    """What an empty section says, so that it never silently vanishes."""
    return Paragraph(escape(what), styles().none)


def paragraph(markup: str, style: str = "body") -> Paragraph:
    return Paragraph(markup, getattr(styles(), style))


def data_table(
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    widths: Sequence[float],
    *,
    numeric: Iterable[int] = (),
    empty: str = "None.",
    emphasis: Callable[[Sequence[Any]], bool] | None = None,
    total: bool = False,
) -> Flowable:
    """A table whose header repeats on every page and whose rows are never cut in half.

    `widths` are fractions of the frame's width; `numeric` columns are right-aligned;
    `emphasis(row)` marks a row in the alarm colour; `total` sets the last row in bold. With no
    rows it says `empty`.
    """
    st = styles()
    right = set(numeric)
    header = [
        Paragraph(escape(h), st.cell_head_right if i in right else st.cell_head)
        for i, h in enumerate(headers)
    ]
    data: list[list[Any]] = [header]
    alarm_rows: list[int] = []
    for values in rows:
        if emphasis is not None and emphasis(values):
            alarm_rows.append(len(data))
        data.append(
            [Paragraph(text(v), st.cell_right if i in right else st.cell) for i, v in enumerate(values)]
        )
    if len(data) == 1:
        return none_paragraph(empty)
    table = Table(
        data, colWidths=[w * FRAME_WIDTH for w in widths], repeatRows=1, splitByRow=1, hAlign="LEFT"
    )
    commands: list[tuple[Any, ...]] = [
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 3.5),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3.5),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, ZEBRA]),
    ]
    for row in alarm_rows:
        commands.append(("BACKGROUND", (0, row), (-1, row), colors.HexColor("#fbe9e7")))
    table.setStyle(TableStyle(commands))
    table.spaceAfter = 6
    return table


def key_values(pairs: Sequence[tuple[str, Any]], columns: int = 2) -> Flowable:
    """Label–value pairs laid out in `columns` column pairs (a record's facts)."""
    st = styles()
    cells = [
        (Paragraph(escape(label), st.muted), Paragraph(text(value) or "—", st.body)) for label, value in pairs
    ]
    per_column = -(-len(cells) // columns)
    data: list[list[Any]] = []
    for row in range(per_column):
        line: list[Any] = []
        for column in range(columns):
            index = column * per_column + row
            line.extend(cells[index] if index < len(cells) else ("", ""))
        data.append(line)
    share = 1.0 / columns
    widths = [share * 0.42 * FRAME_WIDTH, share * 0.58 * FRAME_WIDTH] * columns
    table = Table(data, colWidths=widths, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    table.spaceAfter = 6
    return table


def title_block(info: ReportInfo, lines: Sequence[str] = ()) -> list[Flowable]:
    """The opening of the first page: title, whose, period, the rules' instant, who generated it."""
    st = styles()
    facts = [("Period", info.period)]
    if info.as_of is not None:
        facts.append(("Rules measured as of", info.as_of.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")))
    facts.append(("Generated", f"{instant_text(info.generated.at)} by {info.generated.by}"))
    story: list[Flowable] = [
        Paragraph(escape(info.title), st.title),
        Paragraph(escape(info.subject), st.subtitle),
        key_values(facts, columns=1),
    ]
    story.extend(Paragraph(line, st.body) for line in lines)
    story.append(Spacer(1, 6))
    return story


class ContentsAtEnd(Flowable):
    """The report's contents, printed after its last section: by then every section has been
    laid out, so its page is known and the report is laid out in one pass (a contents page in
    front needs the whole report laid out two or three times). Each line links to its section;
    the PDF's outline (bookmarks) offers the same at the side of any viewer."""

    def __init__(self, entries: list[tuple[int, str, int, str]]) -> None:
        super().__init__()
        self._entries = entries
        self._table: Flowable | None = None

    def _built(self) -> Flowable:
        if self._table is None:
            st = styles()
            rows = [
                (
                    Paragraph(f'<a href="#{key}">{escape(title)}</a>', st.toc_levels[min(level, 1)]),
                    Paragraph(str(page), st.cell_right),
                )
                for level, title, page, key in self._entries
            ]
            table = Table(
                rows, colWidths=[FRAME_WIDTH * 0.88, FRAME_WIDTH * 0.12], splitByRow=1, hAlign="LEFT"
            )
            table.setStyle(
                TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE)])
            )
            self._table = table
        return self._table

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self._built().wrap(available_width, available_height)

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        return self._built().split(available_width, available_height)

    def draw(self) -> None:
        self._built().drawOn(self.canv, 0, 0)


def thresholds_section(heading: HeadingMaker, policy: Policy) -> list[Flowable]:
    """The policy's thresholds every rule of the report was measured against."""
    return [
        room(160),
        heading("Thresholds in force"),
        paragraph("Every rule in this report was measured against these thresholds of the policy.", "muted"),
        data_table(("Rule", "Threshold"), catalog.thresholds(policy), (0.24, 0.76)),
    ]


def keep(*flowables: Flowable) -> KeepTogether:
    return KeepTogether(list(flowables))


def room(height: float) -> CondPageBreak:
    """Start a new page unless `height` points are left on this one."""
    return CondPageBreak(height)


class _NumberedCanvas(Canvas):
    """Says "Page X of Y" on every page. Y is a form drawn once at the end and placed on each page
    as it goes, so the pages are written as they are laid out (and the outline's bookmarks point at
    the page each section is on)."""

    TOTAL = "page-total"

    def showPage(self) -> None:
        self.saveState()
        self.setFont(FONT, 7.5)
        self.setFillColor(MUTED)
        y = BOTTOM - 0.42 * inch
        right = PAGE_WIDTH - MARGIN - _TOTAL_WIDTH
        self.drawRightString(right, y, f"Page {self._pageNumber} of ")
        self.translate(right, y)
        self.doForm(self.TOTAL)
        self.restoreState()
        super().showPage()

    def save(self) -> None:
        total = self._pageNumber - 1
        self.beginForm(self.TOTAL)
        self.setFont(FONT, 7.5)
        self.setFillColor(MUTED)
        self.drawString(0, 0, str(total))
        self.endForm()
        super().save()


# Room kept at the right of the footer for the total page count ("Page 12 of 340").
_TOTAL_WIDTH = 16.0


class ReportDocument(BaseDocTemplate):
    def __init__(self, target: BinaryIO, info: ReportInfo, progress: Progress = no_progress) -> None:
        super().__init__(
            target,
            pagesize=LETTER,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=TOP,
            bottomMargin=BOTTOM,
            title=f"{info.title} — {info.subject} — {info.period}",
            author=info.generated.by,
            subject=f"{info.title}, {info.period}",
            creator="PM Desk",
            keywords=info.keywords or "287(g), compliance",
        )
        self.info = info
        self._progress = progress
        self.contents: list[tuple[int, str, int, str]] = []  # (level, title, page, bookmark)
        frame = Frame(
            MARGIN, BOTTOM, FRAME_WIDTH, PAGE_HEIGHT - TOP - BOTTOM, 0, 0, 0, 0, id="body", showBoundary=0
        )
        self.addPageTemplates([PageTemplate("page", frames=[frame], onPage=self._decorate)])

    def handle_pageBegin(self) -> None:
        # A progress report per page: it is also where a cancelled job stops.
        self._progress(f"Laying out page {self.page + 1}", 0.9)
        super().handle_pageBegin()

    def afterFlowable(self, flowable: Flowable) -> None:
        if isinstance(flowable, Heading) and flowable.level <= 1:
            self.canv.showOutline()
            self.canv.bookmarkPage(flowable.key)
            self.canv.addOutlineEntry(
                flowable.title, flowable.key, level=flowable.level, closed=flowable.level > 0
            )
            self.contents.append((flowable.level, flowable.title, self.page, flowable.key))

    def _decorate(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        info = self.info
        canvas.saveState()
        canvas.setFillColor(INK)
        canvas.setFont(FONT_BOLD, 8.5)
        canvas.drawCentredString(PAGE_WIDTH / 2, PAGE_HEIGHT - 0.42 * inch, info.banner)
        canvas.drawCentredString(PAGE_WIDTH / 2, 0.32 * inch, info.banner)
        head_y = PAGE_HEIGHT - TOP + 0.2 * inch
        canvas.setFont(FONT_BOLD, 8.5)
        canvas.drawString(
            MARGIN, head_y, _fit(f"{info.title} — {info.subject}", FONT_BOLD, 8.5, FRAME_WIDTH * 0.7)
        )
        canvas.setFont(FONT, 8.5)
        canvas.drawRightString(PAGE_WIDTH - MARGIN, head_y, info.period)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN, head_y - 5, PAGE_WIDTH - MARGIN, head_y - 5)
        foot_y = BOTTOM - 0.42 * inch
        canvas.line(MARGIN, foot_y + 11, PAGE_WIDTH - MARGIN, foot_y + 11)
        canvas.setFont(FONT, 7.5)
        canvas.setFillColor(MUTED)
        generated = f"Generated {instant_text(info.generated.at)} by {info.generated.by} — PM Desk"
        canvas.drawString(MARGIN, foot_y, _fit(generated, FONT, 7.5, FRAME_WIDTH * 0.8))
        canvas.restoreState()


def _fit(line: str, font: str, size: float, width: float) -> str:
    """Shorten a running-head line with an ellipsis so it never runs into the other side."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    if stringWidth(line, font, size) <= width:
        return line
    while line and stringWidth(line + "…", font, size) > width:
        line = line[:-1]
    return line + "…"


def build_pdf(info: ReportInfo, story: list[Flowable], progress: Progress = no_progress) -> bytes:
    """Lay out `story` on the report's pages; returns the PDF's bytes."""
    buffer = io.BytesIO()
    document = ReportDocument(buffer, info, progress)
    if info.toc:
        story = [*story, room(160), Heading("Contents", 0, "contents"), ContentsAtEnd(document.contents)]
    document.build(story, canvasmaker=_NumberedCanvas)
    return buffer.getvalue()
