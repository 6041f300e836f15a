"""Writes the training sheets with openpyxl: the tables, the summary blocks and the charts.

Speed matters here (a 10,000-update table is hundreds of thousands of formulas), so the long
tables go in with ``Worksheet.append`` one row at a time, unstyled: the header rows carry the
styling, and nothing is computed twice (each row's text comes from one ``str.format``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from openpyxl import Workbook
from openpyxl.chart import Reference, ScatterChart, Series
from openpyxl.chart.data_source import StrRef
from openpyxl.chart.series import SeriesLabel
from openpyxl.worksheet.worksheet import Worksheet

from worksheet.render import kinds, styles
from worksheet.sheets.cells import absolute, column_letter
from worksheet.sheets.summary import Item, Text
from worksheet.sheets.training_table import FIRST_ROW, Table

DATA_WIDTH = 13  # wide enough for 0.123456789 in General format
LABEL_WIDTH = 40  # the longest label: "mean loss of the last epoch (update 10000)"
CHUNK = 500  # rows between two progress reports
CHART_ROWS = 20  # rows a chart covers (9 cm), with a gap

Progress = Callable[[int], None]  # told how many more rows were written


def write_table(
    book: Workbook, name: str, table: Table, title: str, progress: Progress | None = None
) -> Worksheet:
    """A Training table on a new sheet ``name``: headings, one row per update, the end row."""
    sheet = kinds.new_sheet(book, name, kinds.TABLE)
    sheet.cell(1, 1, title).font = styles.TITLE_FONT
    previous = None
    for c, column in enumerate(table.columns, 1):
        if column.group != previous:
            sheet.cell(FIRST_ROW - 2, c, column.group).font = styles.BOLD
            previous = column.group
        head = sheet.cell(FIRST_ROW - 1, c, column.symbol.text)
        head.font, head.border = styles.BOLD, styles.HEADER_BORDER
        sheet.column_dimensions[column_letter(c)].width = DATA_WIDTH
    write_rows(sheet, table.rows(), progress)
    sheet.append(table.end())
    frozen = 2 if table.columns[1].key == ("example",) else 1  # keep the update (and example)
    sheet.freeze_panes = f"{column_letter(frozen + 1)}{FIRST_ROW}"
    return sheet


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


def write_block(sheet: Worksheet, texts: list[Text], items: list[Item]) -> None:
    """Labels (plain text, bold where asked) and formula cells (shaded as live formulas)."""
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
        sheet.column_dimensions[column_letter(c)].width = DATA_WIDTH


def _axes(chart: ScatterChart, title: str) -> None:
    chart.title = title
    chart.x_axis.title, chart.y_axis.title = "update", "loss"
    chart.x_axis.delete = chart.y_axis.delete = False  # newer Excel hides axes otherwise
    chart.x_axis.axPos = "b"
    chart.height, chart.width = 9, 18


def _line(
    values: Reference, xs: Reference, title: str | SeriesLabel, colour: str | None = None
) -> Series:
    series = Series(values, xs)
    series.tx = title if isinstance(title, SeriesLabel) else SeriesLabel(v=title)
    series.marker.symbol = "none"
    series.smooth = False
    if colour is not None:
        series.graphicalProperties.line.solidFill = colour
    return series


def loss_charts(source: Worksheet, table: Table) -> list[ScatterChart]:
    """The loss of ``table`` (on sheet ``source``) against the update number.  In stochastic
    mode each update's loss zigzags with its example, so the epoch mean L̄ gets a chart of its
    own, first: one chart with both lets one line hide the other (and LibreOffice and Excel
    stack series in opposite orders)."""
    xs = Reference(source, min_col=1, min_row=FIRST_ROW, max_row=table.last_row)
    titles = {
        ("Lbar",): ("Loss during training: mean over the last epoch", "L̄", "C00000"),
        ("L",): ("Loss of each update", "L", None),
    }
    charts = []
    for key in dict.fromkeys([table.smooth, ("L",)]):
        title, name, colour = titles[key]
        chart = ScatterChart(scatterStyle="line")
        _axes(chart, title)
        col = table.col(key)
        values = Reference(source, min_col=col, min_row=FIRST_ROW, max_row=table.last_row)
        chart.series.append(_line(values, xs, name, colour))
        chart.legend = None
        charts.append(chart)
    return charts


def sweep_chart(
    sheet: Worksheet, head_row: int, last_row: int, runs: int, per: str = "learning rate"
) -> ScatterChart:
    """One line per run: the columns 2.. of ``sheet``, headed on ``head_row``."""
    chart = ScatterChart(scatterStyle="line")
    _axes(chart, f"Loss during training, one line per {per}")
    xs = Reference(sheet, min_col=1, min_row=head_row + 1, max_row=last_row)
    for col in range(2, runs + 2):
        values = Reference(sheet, min_col=col, min_row=head_row + 1, max_row=last_row)
        heading = SeriesLabel(strRef=StrRef(absolute(sheet.title, head_row, col)))
        chart.series.append(_line(values, xs, heading))
    return chart
