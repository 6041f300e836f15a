"""The value each formula cell stores beside its formula, as Excel would have cached it.

openpyxl writes formulas with empty ``<v/>``: Excel's Protected View, previews, pandas and
``data_only`` readers then see blanks.  The values stored here are the project's own: the
evaluator run over the workbook still in memory (no file read back, never LibreOffice),
or, for the large training tables, the numpy reference (``training_values``).

A cell that has no value but is held by the workbook (an answer cell of a student's copy)
is unknown here (#N/A to the evaluator): every formula whose value needs it, directly or
not, comes out an error and stores nothing, so a stored value never gives an answer away.
(An IF whose untaken branch reads an answer does store its value: that value tells nothing
of the answer.)  Error values are never stored either.

    values = computed_values(book)           # {sheet: Cells(["D5", ...], [0.3775, ...])}
    save_atomic(book, path, force, values=values)
"""

from __future__ import annotations

import math
from collections.abc import Collection
from dataclasses import dataclass, field

from openpyxl import Workbook

from worksheet.errors import FormulaError
from worksheet.evaluator import Book, Cell, CellRef, XLError, evaluate
from worksheet.render.streamed import streamed_of
from worksheet.sheets.cells import column_letter

Stored = float | str | bool  # what a cell may store: never an error, never a blank


@dataclass
class Cells:
    """One sheet's formula values: ``refs[i]`` (``"D5"``) stores ``values[i]``.

    Two lists, not a dict: a training table lists its 350,000 cells in the order the sheet
    file holds them, and the writer then pairs them up without looking any of them up."""

    refs: list[str] = field(default_factory=list)
    values: list[Stored] = field(default_factory=list)

    def add(self, ref: str, value: Stored) -> None:
        self.refs.append(ref)
        self.values.append(value)

    def as_dict(self) -> dict[str, Stored]:
        return dict(zip(self.refs, self.values))


SheetValues = dict[str, Cells]  # sheet title -> its formula cells' values

_UNKNOWN = XLError.NA  # an answer cell: whatever reads it cannot be known


def computed_values(
    book: Workbook, skip: Collection[str] = (), strict: bool = False
) -> SheetValues:
    """Every formula cell's value by the project's evaluator, for all sheets but ``skip``;
    errors and cells that depend on an empty held cell are left out, and everything when
    the evaluator refuses the book (or, with ``strict``, ``FormulaError``): a formula that
    reads a skipped sheet is refused too."""
    held = evaluator_book(book, skip)
    try:
        values = evaluate(held)
    except FormulaError:
        if strict:
            raise
        # A cycle or a function we lack (in a student's own formulas, say): the file is
        # still worth saving, only without the values a calculating reader does not need.
        return {}
    out: SheetValues = {sheet: Cells() for sheet in held.sheet_names}
    for ref, value in values.items():
        if storable(value):
            out[ref.sheet].add(f"{column_letter(ref.col)}{ref.row}", value)
    return out


def storable(value: object) -> bool:
    """Numbers (finite), text and booleans are stored; errors and blanks are not."""
    if isinstance(value, float):
        return math.isfinite(value)
    return isinstance(value, (int, str, bool))


def evaluator_book(book: Workbook, skip: Collection[str] = ()) -> Book:
    """The evaluator's view of an openpyxl workbook, without saving it: cells, formulas and
    defined names of every sheet but ``skip``."""
    sheets = [ws for ws in book.worksheets if ws.title not in skip]
    out = Book(path="(in memory)", sheet_names=[ws.title for ws in sheets])
    for ws in sheets:
        # ``_cells`` holds only the cells written: iter_rows would create the whole rectangle.
        for (row, col), cell in ws._cells.items():
            stored = _cell(cell.value, cell.data_type)
            if stored is not None:
                out.cells[CellRef(ws.title, row, col)] = stored
        for row, col, formula in streamed.cells() if (streamed := streamed_of(ws)) else ():
            out.cells[CellRef(ws.title, row, col)] = Cell(formula, None)
        for name, defined in ws.defined_names.items():
            out.names[(ws.title, name.upper())] = defined.attr_text
    for name, defined in book.defined_names.items():
        out.names[(None, name.upper())] = defined.attr_text
    return out


def _cell(value: object, data_type: str) -> Cell | None:
    if value is None:
        return Cell(None, _UNKNOWN)  # held but empty: an answer to be filled in
    if data_type == "f" and isinstance(value, str):
        return Cell(value, None)
    if isinstance(value, bool):
        return Cell(None, value)
    if isinstance(value, (int, float)):
        return Cell(None, float(value))
    if isinstance(value, str):
        return Cell(None, value)
    return Cell(None, _UNKNOWN)  # a date or an object: not a value the exercise reads


def merge(*parts: SheetValues) -> SheetValues:
    """One mapping from several, sheet by sheet (a cell listed twice: the later value)."""
    out: SheetValues = {}
    for part in parts:
        for sheet, cells in part.items():
            mine = out.setdefault(sheet, Cells())
            mine.refs += cells.refs
            mine.values += cells.values
    return out
