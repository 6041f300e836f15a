"""Cells that are never openpyxl cells: the gradient check's nudged forward passes, 76,000
formulas of a 2-8-8-8-4 network over three steps, which cost openpyxl about 15 µs each to
make and style.  Here a cell is a tuple (row, column, formula, its look) kept on its sheet,
until ``render.sheet_data`` writes it into the sheet's XML after the openpyxl cells of its
row, as openpyxl would have written it.

Only ``book.save_atomic`` saves a book with streamed cells whole (openpyxl's own ``save``
knows nothing of them); the evaluator's view of the book (``stored_values.evaluator_book``)
reads them too.
"""

from __future__ import annotations

from copy import copy
from dataclasses import dataclass, field

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

_ATTRIBUTE = "_worksheet_streamed"


@dataclass
class Streamed:
    """A sheet's streamed cells: ``rows[row]`` lists ``(col, formula, style)``, ``style``
    an index into ``styles`` (openpyxl style arrays, one per distinct look)."""

    rows: dict[int, list[tuple[int, str, int]]] = field(default_factory=dict)
    styles: list = field(default_factory=list)
    _numbers: dict[int, int] = field(default_factory=dict)  # id of a style -> its index

    def add(self, row: int, col: int, formula: str, style) -> None:
        """``style`` is kept, not copied: one array serves every cell that looks alike."""
        number = self._numbers.get(id(style))
        if number is None:
            number = self._numbers[id(style)] = len(self.styles)
            self.styles.append(style)
        cells = self.rows.get(row)
        if cells is None:
            cells = self.rows[row] = []
        cells.append((col, formula, number))

    def cells(self):
        """(row, col, formula) of every streamed cell."""
        for row, cells in self.rows.items():
            for col, formula, _ in cells:
                yield row, col, formula


def keep(sheet: Worksheet, streamed: Streamed) -> None:
    """Keep ``streamed`` on ``sheet``, each row's cells left to right."""
    for cells in streamed.rows.values():
        cells.sort()
    setattr(sheet, _ATTRIBUTE, streamed)


def streamed_of(sheet: Worksheet) -> Streamed | None:
    return getattr(sheet, _ATTRIBUTE, None)


def any_streamed(book: Workbook) -> bool:
    return any(streamed_of(sheet) for sheet in book.worksheets)


def materialize(sheet: Worksheet) -> None:
    """Make ``sheet``'s streamed cells openpyxl cells after all (for a sheet that openpyxl
    must write itself)."""
    streamed = streamed_of(sheet)
    if streamed is None:
        return
    for row, cells in streamed.rows.items():
        for col, formula, number in cells:
            sheet.cell(row, col, formula)._style = copy(streamed.styles[number])
    delattr(sheet, _ATTRIBUTE)
