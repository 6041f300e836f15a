"""What each chart of a training workbook shows: its sheet, its place, its title and its lines.

No openpyxl here.  A chart is part of what a person sees, so ``check`` holds the file's charts
to this plan as it holds cells to the layout: a line drawn from other cells, or from numbers
typed into the chart, would show a loss curve no formula computed.  Each line is an area of
x values (the update number) and one of y values (a loss), both columns of one sheet, and a
name that is either fixed text or the cell heading the line's column.
"""

from __future__ import annotations

from dataclasses import dataclass

from worksheet.model.spec import NetworkSpec
from worksheet.sheets.compare import COMPARE, Compare, compare_tables
from worksheet.sheets.summary import SUMMARY, Summary
from worksheet.sheets.sweep import HEAD_ROW, SWEEP, Sweep, run_tables
from worksheet.sheets.training import TRAINING
from worksheet.sheets.training_table import FIRST_ROW, Table, table

CHART_ROWS = 20  # rows a Summary chart covers (9 cm), with a gap
X_TITLE, Y_TITLE = "update", "loss"


@dataclass(frozen=True)
class Column:
    """Rows ``top``..``bottom`` of column ``col`` (1-based) of ``sheet``."""

    sheet: str
    col: int
    top: int
    bottom: int


@dataclass(frozen=True)
class Line:
    """One series: its name (fixed ``text``, or the cell ``(row, col)`` on the y column's
    sheet that heads it), and the columns of its x and y values."""

    x: Column
    y: Column
    text: str | None = None
    heading: tuple[int, int] | None = None
    colour: str | None = None


@dataclass(frozen=True)
class Chart:
    """A scatter chart with lines, anchored with its top-left corner at ``(row, col)``."""

    sheet: str
    row: int
    col: int
    title: str
    lines: tuple[Line, ...]
    legend: bool


def charts(spec: NetworkSpec) -> list[Chart]:
    """Every chart of the workbook ``spec`` describes, sheet by sheet in the order drawn."""
    if not spec.epochs:
        return []
    found = _summary(spec, table(spec))
    if spec.lr_sweep:
        tables = run_tables(spec)
        found.append(_runs(SWEEP, Sweep(spec, tables).last_row, len(tables), "learning rate"))
    if spec.compare_optimizers:
        runs = compare_tables(spec)
        found.append(_runs(COMPARE, Compare(spec, runs).last_row, len(runs), "optimizer"))
    return found


_SUMMARY_LINES = {
    ("Lbar",): ("Loss during training: mean over the last epoch", "L̄", "C00000"),
    ("L",): ("Loss of each update", "L", None),
}


def _summary(spec: NetworkSpec, main: Table) -> list[Chart]:
    """The loss of the Training table against the update number.  In stochastic mode each
    update's loss zigzags with its example, so the epoch mean L̄ gets a chart of its own,
    first: one chart with both lets one line hide the other (and LibreOffice and Excel stack
    series in opposite orders)."""
    first_row = Summary(spec, main, TRAINING).chart_row
    xs = Column(TRAINING, 1, FIRST_ROW, main.last_row)
    found = []
    for c, key in enumerate(dict.fromkeys([main.smooth, ("L",)])):
        title, name, colour = _SUMMARY_LINES[key]
        ys = Column(TRAINING, main.col(key), FIRST_ROW, main.last_row)
        line = Line(xs, ys, text=name, colour=colour)
        found.append(Chart(SUMMARY, first_row + c * CHART_ROWS, 1, title, (line,), False))
    return found


def _runs(sheet: str, last_row: int, runs: int, per: str) -> Chart:
    """One line per run: columns 2.. of ``sheet``, each named by its heading on HEAD_ROW;
    the chart stands right of the table, one column apart."""
    xs = Column(sheet, 1, HEAD_ROW + 1, last_row)
    lines = tuple(
        Line(xs, Column(sheet, col, HEAD_ROW + 1, last_row), heading=(HEAD_ROW, col))
        for col in range(2, runs + 2)
    )
    title = f"Loss during training, one line per {per}"
    return Chart(sheet, 3, runs + 3, title, lines, True)
