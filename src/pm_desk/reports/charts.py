"""Charts drawn with reportlab.graphics: vector drawings that print sharp at any size.

Each function takes plain labels and numbers and returns a Drawing to place in a story; a chart
with nothing to show says so in words instead of drawing empty axes.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.platypus import Flowable

from pm_desk.reports.styles import FONT, FONT_BOLD, INK, MUTED, PALETTE, RULE, register_fonts
from pm_desk.reports.template import FRAME_WIDTH, none_paragraph

Series = Sequence[tuple[str, Sequence[float]]]


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    step = 10 ** (len(str(int(value))) - 1)
    return float(((int(value) // step) + 1) * step)


def _frame(title: str, height: float) -> Drawing:
    register_fonts()
    drawing = Drawing(FRAME_WIDTH, height)
    drawing.add(String(0, height - 11, title, fontName=FONT_BOLD, fontSize=9, fillColor=INK))
    return drawing


def _legend(drawing: Drawing, series: Series, x: float, y: float) -> None:
    if len(series) < 2:
        return
    legend = Legend()
    legend.fontName, legend.fontSize = FONT, 7.5
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.deltax = max(60, 12 + 4.6 * max(len(name) for name, _values in series))
    legend.dx = legend.dy = 7
    legend.boxAnchor = "nw"
    legend.x, legend.y = x, y
    legend.colorNamePairs = [(PALETTE[i % len(PALETTE)], name) for i, (name, _v) in enumerate(series)]
    drawing.add(legend)


def _has_data(series: Series) -> bool:
    return any(v for _name, values in series for v in values)


def bar_chart(
    title: str,
    categories: Sequence[str],
    series: Series,
    *,
    height: float = 170,
    stacked: bool = False,
    value_format: str = "{:,.0f}",
) -> Flowable:
    """Vertical bars per category (grouped, or stacked), with a legend when several series."""
    if not categories or not _has_data(series):
        return none_paragraph(f"{title}: nothing to chart.")
    drawing = _frame(title, height)
    chart = VerticalBarChart()
    chart.x, chart.y = 34, 34
    chart.width, chart.height = FRAME_WIDTH - 44, height - 74
    chart.data = [list(values) for _name, values in series]
    chart.categoryAxis.categoryNames = list(categories)
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 6.5 if len(categories) > 12 else 7
    chart.categoryAxis.labels.angle = 30 if len(categories) > 8 else 0
    chart.categoryAxis.labels.boxAnchor = "ne" if len(categories) > 8 else "n"
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    totals = [sum(v) for v in zip(*chart.data, strict=True)] if stacked else [max(v) for v in chart.data]
    chart.valueAxis.valueMax = _nice_max(max(totals))
    chart.valueAxis.labelTextFormat = value_format.format
    chart.valueAxis.gridStrokeColor = RULE
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeWidth = 0.25
    chart.categoryAxis.style = "stacked" if stacked else "parallel"
    chart.barSpacing = 1
    chart.groupSpacing = 6
    for index in range(len(series)):
        chart.bars[index].fillColor = PALETTE[index % len(PALETTE)]
        chart.bars[index].strokeColor = None
    drawing.add(chart)
    _legend(drawing, series, 0, height - 17)
    return drawing


def horizontal_bars(
    title: str, labels: Sequence[str], values: Sequence[float], *, value_format: str = "{:,.0f}"
) -> Flowable:
    """One horizontal bar per label (managers' load, a distribution), tallest list on top."""
    if not labels or not any(values):
        return none_paragraph(f"{title}: nothing to chart.")
    row = 12.0
    height = 40 + row * len(labels)
    drawing = _frame(title, height)
    chart = HorizontalBarChart()
    chart.x, chart.y = 150, 18
    chart.width, chart.height = FRAME_WIDTH - 170, row * len(labels)
    chart.data = [list(values)[::-1]]
    chart.categoryAxis.categoryNames = list(labels)[::-1]
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = _nice_max(max(values))
    chart.valueAxis.labelTextFormat = value_format.format
    chart.bars[0].fillColor = PALETTE[0]
    chart.bars[0].strokeColor = None
    chart.barLabelFormat = value_format.format
    chart.barLabels.fontName = FONT
    chart.barLabels.fontSize = 6.5
    chart.barLabels.fillColor = MUTED
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    drawing.add(chart)
    return drawing


def line_chart(title: str, categories: Sequence[str], series: Series, *, height: float = 170) -> Flowable:
    """A line per series over the categories (months), with a legend when several series."""
    if not categories or not _has_data(series):
        return none_paragraph(f"{title}: nothing to chart.")
    drawing = _frame(title, height)
    chart = HorizontalLineChart()
    chart.x, chart.y = 40, 30
    chart.width, chart.height = FRAME_WIDTH - 50, height - 70
    chart.data = [list(values) for _name, values in series]
    chart.categoryAxis.categoryNames = list(categories)
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = _nice_max(max(max(v) for v in chart.data))
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = RULE
    chart.valueAxis.gridStrokeWidth = 0.25
    for index in range(len(series)):
        chart.lines[index].strokeColor = PALETTE[index % len(PALETTE)]
        chart.lines[index].strokeWidth = 1.5
    drawing.add(chart)
    _legend(drawing, series, 0, height - 17)
    return drawing
