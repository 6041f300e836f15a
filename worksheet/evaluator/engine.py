"""Evaluate every formula of a workbook from its saved file alone.

The plan: compile each formula (once for all its copies down a column, see ``plans``), link
formula cells to the formula cells they read, order them so each comes after its inputs, then
run each compiled formula once in that order, writing into one grid of values that starts with
the constants.
"""

from __future__ import annotations

from worksheet.errors import FormulaError
from worksheet.evaluator.book import Book, CellRef
from worksheet.evaluator.closures import finish
from worksheet.evaluator.compiler import Compiler
from worksheet.evaluator.graph import SheetIndex, dependencies, evaluation_order
from worksheet.evaluator.plans import Plans
from worksheet.evaluator.values import Value


def evaluate(book: Book, pinned: dict[CellRef, Value] | None = None) -> dict[CellRef, Value]:
    """The value of every formula cell, computed from the formulas and constants in ``book``.

    With ``pinned``, a formula cell listed there is still computed from its own formula, but
    the cells that read it see the pinned value instead.  Pinning every cell to its correct
    value thus tells, cell by cell, whether a formula is wrong on its own or only inherits a
    wrong input (carried-forward reasoning, as a human marker does).

    Raises FormulaError for a formula that cannot be evaluated (unsupported function, bad
    syntax, reference to another workbook or a missing sheet) or a circular reference.
    """
    grid: dict = {ref: cell.value for ref, cell in book.cells.items() if cell.formula is None}
    plans = Plans(Compiler(book, grid))
    units = {
        ref: plans.get(ref, cell.formula)
        for ref, cell in book.cells.items()
        if cell.formula is not None
    }
    index = SheetIndex(units)
    deps = {ref: dependencies(ref, unit, index) for ref, unit in units.items()}
    pinned = pinned or {}
    own: dict = {}
    for key in evaluation_order(units, deps):
        unit = units[key]  # type: ignore[index]
        try:
            own[key] = finish(unit.fn(key[1], key[2]))
        except RecursionError as exc:
            raise FormulaError(f"{CellRef(*key)}: formula nested too deeply") from exc
        grid[key] = pinned.get(key, own[key])
    return {ref: own[ref] for ref in units}
