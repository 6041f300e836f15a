"""What each formula reads: the cells and areas behind its references, defined names resolved.

The same compilation ``evaluate`` uses, so a dependence found here is one the evaluation
follows; nothing is run.  ``verify.dependence`` walks these to tell which givens each
quantity depends on.
"""

from __future__ import annotations

from worksheet.evaluator.areas import StoredCells
from worksheet.evaluator.book import Book, CellRef
from worksheet.evaluator.compiler import Compiler
from worksheet.evaluator.engine import collector_paused
from worksheet.evaluator.plans import Plans

Area = tuple[str, int, int, int, int]  # sheet, top, left, bottom, right


def references(book: Book) -> dict[CellRef, tuple[list[CellRef], list[Area]]]:
    """For every formula cell: the single cells it reads, and the areas (ranges too large to
    list cell by cell).  Raises FormulaError where ``evaluate`` would."""
    grid = {ref: cell.value for ref, cell in book.cells.items() if cell.formula is None}
    plans = Plans(Compiler(book, grid, StoredCells(book.cells)))
    found: dict[CellRef, tuple[list[CellRef], list[Area]]] = {}
    with collector_paused():
        for ref, cell in book.cells.items():
            if cell.formula is None:
                continue
            unit = plans.get(ref, cell.formula)
            _, row, col = ref
            singles = [
                CellRef(sheet, r if r_abs else row + r, c if c_abs else col + c)
                for sheet, r, c, r_abs, c_abs in unit.cells
            ]
            areas = []
            for sheet, first, last in unit.ranges:
                (r1, c1), (r2, c2) = first.at(row, col), last.at(row, col)
                areas.append((sheet, min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)))
            found[ref] = (singles, areas)
    return found
