"""Writes the training sheets with openpyxl: the tables, the summary blocks and the charts.

Speed matters here (a 10,000-update table is hundreds of thousands of formulas), so the long
tables go in with ``Worksheet.append`` one row at a time, unstyled: the header rows carry the
styling, and nothing is computed twice (each row's text comes from one ``str.format``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable

from openpyxl import Workbook
from openpyxl.chart import Reference, ScatterChart, Series
from openpyxl.chart.data_source import StrRef
from openpyxl.chart.series import SeriesLabel
from openpyxl.styles import Alignment
from openpyxl.worksheet.worksheet import Worksheet

from worksheet.render import kinds, styles
from worksheet.render.table_formats import ByValue, show_by_value
from worksheet.sheets import charts as plan
from worksheet.sheets.cells import absolute, column_letter
from worksheet.sheets.summary import Item, Text
from worksheet.sheets.training_table import FIRST_ROW, Table

DATA_WIDTH = 12  # -0.000123457 or -3.25702E-07, 6 significant figures: 11 digits' width
COUNT_WIDTH = 10  # an update's number, and the bold heading "example"
LABEL_WIDTH = 40  # the longest label: "mean loss of the last epoch (update 10000)"
CHUNK = 500  # rows between two progress reports

COUNTS = (("t",), ("example",))  # columns of whole numbers: the update's, the example's
Progress = Callable[[int], None]  # told how many more rows were written


def data_width(digits: int = styles.DIGITS) -> float:
    """A column wide enough for a number shown to ``digits`` significant figures: at most
    ``digits`` + 6 characters (-0.000123457, -3.25702E-07), 18 at 15 decimals, of which
    the sign and the point take about a digit's width together."""
    return max(DATA_WIDTH, min(digits + 6, 18))


def write_table(
    book: Workbook,
    name: str,
    table: Table,
    title: str,
    progress: Progress | None = None,
    digits: int = styles.DIGITS,
) -> Worksheet:
    """A Training table on a new sheet ``name``: headings, one row per update, the end row;
    its numbers shown to ``digits`` significant figures (``table_formats``)."""
    sheet = kinds.new_sheet(book, name, kinds.TABLE)
    sheet.cell(1, 1, title).font = styles.TITLE_FONT
    starts: list[tuple[int, str]] = []  # each group's first column and heading
    widths: list[float] = []
    for c, column in enumerate(table.columns, 1):
        if not starts or column.group != starts[-1][1]:
            starts.append((c, column.group))
            sheet.cell(FIRST_ROW - 2, c, column.group).font = styles.BOLD
        head = sheet.cell(FIRST_ROW - 1, c, column.symbol.text)
        head.font, head.border = styles.BOLD, styles.HEADER_BORDER
        widths.append(COUNT_WIDTH if column.key in COUNTS else data_width(digits))
        sheet.column_dimensions[column_letter(c)].width = widths[-1]
    _wrap_narrow_groups(sheet, starts, widths)
    write_rows(sheet, table.rows(), progress)
    sheet.append(table.end())
    frozen = 2 if table.columns[1].key == ("example",) else 1  # keep the update (and example)
    sheet.freeze_panes = f"{column_letter(frozen + 1)}{FIRST_ROW}"
    counts = {c for c, column in enumerate(table.columns, 1) if column.key in COUNTS}
    show_by_value(sheet, ByValue(digits, frozenset(counts)))
    return sheet


# Characters of a bold heading per unit of column width, in the wider serif LibreOffice may
# print it in (as ``table_pages`` measures): a heading longer than its group is wrapped.
HEADING_CHARS = 0.8
LINE_POINTS = 15  # one line of 11-point text
BOTTOM_WRAPPED = Alignment(vertical="bottom", wrap_text=True)


def _wrap_narrow_groups(sheet: Worksheet, starts: list[tuple[int, str]], widths: list[float]):
    """A group heading overflows into its group's empty heading cells; one longer than its
    group ("error signals δ (backward pass)" over one column) would be cut by the next
    group's heading: it wraps in its first column instead, the row tall enough for it."""
    ends = [c - 1 for c, _ in starts[1:]] + [len(widths)]
    lines = 1
    for (first, heading), last in zip(starts, ends):
        room = sum(widths[first - 1 : last]) * HEADING_CHARS
        if len(heading) > room:
            cell = sheet.cell(FIRST_ROW - 2, first)
            cell.alignment = BOTTOM_WRAPPED  # level with the other groups' headings
            per_line = max(widths[first - 1] * HEADING_CHARS, 1)
            lines = max(lines, math.ceil(len(heading) / per_line))
    if lines > 1:
        sheet.row_dimensions[FIRST_ROW - 2].height = LINE_POINTS * lines


def write_rows(
    sheet: Worksheet, rows: Iterable[list[str]], progress: Progress | None = None
) -> None:
    """Append ``rows`` (lists of formulas) under what the sheet already holds."""
    written = 0
    for written, formulas in enumerate(rows, 1):
        sheet.append(formulas)
        if progress is not None and written % CHUNK == 0:
            progress(CHUNK)
    if progress is not None and written % CHUNK:
        progress(written % CHUNK)


def write_block(
    sheet: Worksheet, texts: list[Text], items: list[Item], digits: int = styles.DIGITS
) -> None:
    """Labels (plain text, bold where asked) and formula cells (shaded as live formulas), in
    columns wide enough for ``digits`` significant figures."""
    for text in texts:
        cell = sheet.cell(text.row, text.col, text.text)
        cell.data_type = "s"  # a label such as "1" stays text
        if text.bold:
            cell.font = styles.BOLD
    for item in items:
        cell = sheet.cell(item.row, item.col, item.formula)
        cell.fill = styles.FORMULA_FILL
    sheet.column_dimensions["A"].width = LABEL_WIDTH
    for c in range(2, max((i.col for i in items), default=1) + 1):
        sheet.column_dimensions[column_letter(c)].width = data_width(digits)


def draw(chart: plan.Chart, book: Workbook) -> None:
    """Draw a planned chart (``sheets.charts``) on its sheet: a scatter chart of lines,
    with the axes shown (newer Excel hides them otherwise) and the x axis at the bottom."""
    drawn = ScatterChart(scatterStyle="line")
    drawn.title = chart.title
    drawn.x_axis.title, drawn.y_axis.title = plan.X_TITLE, plan.Y_TITLE
    drawn.x_axis.delete = drawn.y_axis.delete = False
    drawn.x_axis.axPos = "b"
    drawn.height, drawn.width = 9, 18
    for line in chart.lines:
        drawn.series.append(_line(book, line))
    if not chart.legend:
        drawn.legend = None
    book[chart.sheet].add_chart(drawn, f"{column_letter(chart.col)}{chart.row}")


def _line(book: Workbook, line: plan.Line) -> Series:
    def area(column: plan.Column) -> Reference:
        sheet = book[column.sheet]
        return Reference(sheet, min_col=column.col, min_row=column.top, max_row=column.bottom)

    series = Series(area(line.y), area(line.x))
    if line.heading is not None:
        row, col = line.heading
        series.tx = SeriesLabel(strRef=StrRef(absolute(line.y.sheet, row, col)))
    else:
        series.tx = SeriesLabel(v=line.text)
    series.marker.symbol = "none"
    series.smooth = False
    if line.colour is not None:
        series.graphicalProperties.line.solidFill = line.colour
    return series
