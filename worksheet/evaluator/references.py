"""What each formula reads: the cells and areas behind its references, defined names resolved.

The same compilation ``evaluate`` uses, so a dependence found here is one the evaluation
follows; nothing is run.  ``verify.dependence`` walks these to tell which givens each
quantity depends on.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from worksheet.evaluator.areas import StoredCells
from worksheet.evaluator.book import Book, CellRef
from worksheet.evaluator.compiler import Compiler
from worksheet.evaluator.plans import Plans

Area = tuple[str, int, int, int, int]  # sheet, top, left, bottom, right


class References(Mapping[CellRef, tuple[list[CellRef], list[Area]]]):
    """For each formula cell: the single cells it reads, and the areas (ranges too large to
    list cell by cell).  Compiled when first asked for, so a walk from a few cells costs
    what it visits, not the whole workbook.  Raises FormulaError where ``evaluate`` would."""

    def __init__(
        self, book: Book, units: Mapping | None = None, twin: References | None = None
    ) -> None:
        self._book = book
        self._units = units  # an evaluation's compiled formulas, when there is one
        self._plans: Plans | None = None
        self._found: dict[CellRef, tuple[list[CellRef], list[Area]]] = {}
        self._twin = twin  # another book's, whose units at a cell are ours when they are the same
        self._one: dict[CellRef, CellRef] = {}

    def __contains__(self, ref: object) -> bool:
        cell = self._book.cells.get(ref)  # type: ignore[call-overload]
        return cell is not None and cell.formula is not None

    def __getitem__(self, ref: CellRef) -> tuple[list[CellRef], list[Area]]:
        found = self._found.get(ref)
        if found is None:
            if ref not in self:
                raise KeyError(ref)
            found = self._found[ref] = self._read(ref)
        return found

    def _read(self, ref: CellRef) -> tuple[list[CellRef], list[Area]]:
        unit = self._units.get(ref) if self._units is not None else None
        twin = self._twin
        if unit is not None and twin is not None and twin._units.get(ref) is unit:
            return twin[ref]  # one compiled formula at one cell reads the same cells
        if unit is None:
            unit = self._plan().get(ref, self._book.cells[ref].formula)  # type: ignore[arg-type]
        _, row, col = ref
        make = tuple.__new__  # a CellRef without NamedTuple's keyword handling (a million)
        # One object per cell read, however many formulas read it: a deep network's
        # gradient check reads its givens a million times (60 MB of copies).
        one = self._one.setdefault
        singles = [
            one(cell, cell)
            for cell in (
                make(CellRef, (sheet, r if r_abs else row + r, c if c_abs else col + c))
                for sheet, r, c, r_abs, c_abs in unit.cells
            )
        ]
        areas = []
        for sheet, first, last in unit.ranges:
            (r1, c1), (r2, c2) = first.at(row, col), last.at(row, col)
            areas.append((sheet, min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)))
        return singles, areas

    def _plan(self) -> Plans:
        if self._plans is None:
            cells = self._book.cells
            grid = {ref: cell.value for ref, cell in cells.items() if cell.formula is None}
            self._plans = Plans(Compiler(self._book, grid, StoredCells(cells)))
        return self._plans

    def __iter__(self) -> Iterator[CellRef]:
        return (ref for ref, cell in self._book.cells.items() if cell.formula is not None)

    def __len__(self) -> int:
        return sum(1 for _ in self)


def references(
    book: Book, units: Mapping | None = None, twin: References | None = None
) -> References:
    """What every formula of ``book`` reads, compiled as it is asked for, or taken from
    ``units``, the compiled formulas of an ``Evaluation`` of the same book (compiling a
    large workbook twice was a third of a check); where ``twin``, another book's, holds the
    very same compiled formula at a cell, its lists are shared (a deep network's planned
    and saved gradient checks are 80,000 formulas each, nearly all the same)."""
    return References(book, units, twin)
