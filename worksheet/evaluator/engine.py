"""Evaluate every formula of a workbook from its saved file alone.

The plan: compile each formula (once for all its copies down a column, see ``plans``), link
formula cells to the formula cells they read, order them so each comes after its inputs, then
run each compiled formula once in that order, writing into one grid of values that starts with
the constants. What that costs is known before anything runs, and capped (see ``limits``).
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager

from worksheet.errors import FormulaError, LimitError
from worksheet.evaluator.areas import StoredCells
from worksheet.evaluator.book import Book, CellRef
from worksheet.evaluator.closures import finish as _final
from worksheet.evaluator.compiler import Compiled, Compiler
from worksheet.evaluator.dialect import EXCEL
from worksheet.evaluator.graph import SheetIndex, dependencies, evaluation_order
from worksheet.evaluator.limits import MAX_OPERATIONS
from worksheet.evaluator.plans import Plans
from worksheet.evaluator.values import Value


def evaluate(book: Book, pinned: dict[CellRef, Value] | None = None) -> dict[CellRef, Value]:
    """The value of every formula cell, computed from the formulas and constants in ``book``.

    With ``pinned``, a formula cell listed there is still computed from its own formula, but
    the cells that read it see the pinned value instead.  Pinning every cell to its correct
    value thus tells, cell by cell, whether a formula is wrong on its own or only inherits a
    wrong input (carried-forward reasoning, as a human marker does).

    Raises FormulaError for a formula that cannot be evaluated (unsupported function, bad
    syntax, reference to another workbook or a missing sheet), a circular reference, or a
    workbook beyond the limits of ``limits``.
    """
    return dict(Evaluation(book).run(pinned=pinned).items())  # the compiled formulas let go


class Evaluation:
    """A workbook compiled and ordered once, then run as often as a check needs: as saved,
    with some constants replaced (the givens nudged), or with cells pinned.  The closures
    read every value from one grid at run time, so a run only resets the constants it
    replaced; compiling and ordering, most of the work, are not repeated."""

    def __init__(self, book: Book, arithmetic: str = EXCEL) -> None:
        """``arithmetic``: Excel's, LibreOffice's where it differs, or IEEE's (numpy's: no
        formula's last operation cancelled), see ``dialect``."""
        self.book = book
        self.grid: dict = {}  # every cell's value: the constants, then each formula's
        with collector_paused():
            self.units = _compile(book, self.grid, arithmetic)
            order = _order(book, self.units)
            # What each step of a run needs, looked up once for every run: two flat lists
            # (a tuple per step was a tenth of a large check's memory).  The order holds the
            # units' own CellRef keys (see SheetIndex), so a run's values are keyed as the
            # book's cells are.
            self._keys = order
            self._fns = [self.units[key].fn for key in order]
        self._replaced: dict = {}
        self.runs = 0  # how many runs the grid has seen: a run's values are read from it

    def run(
        self,
        constants: dict[CellRef, Value] | None = None,
        pinned: dict[CellRef, Value] | None = None,
    ) -> Mapping[CellRef, Value]:
        """Every formula's value, with ``constants`` standing in for the file's own.

        Without ``pinned`` the values are read from the evaluation's grid (a dict of its own
        was a sixth of a large check's memory), so they are valid until the next run: read
        after it, they raise ``StaleValues``."""
        grid = self.grid
        grid.update(self._replaced)  # the file's constants back, from the run before
        self._replaced = {ref: grid.get(ref) for ref in constants or {}}
        grid.update(constants or {})
        self.runs += 1
        with collector_paused():
            try:
                if pinned:
                    own: dict = {}
                    for key, fn in zip(self._keys, self._fns):
                        value = own[key] = _final(fn(key[1], key[2]))
                        grid[key] = pinned.get(key, value)
                    return own
                for key, fn in zip(self._keys, self._fns):
                    value = fn(key[1], key[2])
                    if type(value) is not float:  # most values are: no call for them
                        value = _final(value)
                    grid[key] = value
            except RecursionError as exc:
                raise FormulaError(f"{CellRef(*key)}: formula nested too deeply") from exc
        return RunValues(self)


class StaleValues(RuntimeError):
    """A run's values read after the evaluation ran again (the grid holds the new run's)."""


class RunValues(Mapping):
    """The value of every formula cell of one run, in evaluation order, read from the
    evaluation's grid while no other run has replaced them."""

    __slots__ = ("_evaluation", "_run")

    def __init__(self, evaluation: Evaluation) -> None:
        self._evaluation, self._run = evaluation, evaluation.runs

    def _grid(self) -> dict:
        if self._evaluation.runs != self._run:
            raise StaleValues("a run's values read after the evaluation ran again")
        return self._evaluation.grid

    def __getitem__(self, ref) -> Value:
        grid = self._grid()
        if ref not in self._evaluation.units:
            raise KeyError(ref)  # a constant: the grid holds it, but it is no formula's value
        return grid[ref]

    def get(self, ref, default=None):
        grid = self._grid()
        return grid[ref] if ref in self._evaluation.units else default

    def __contains__(self, ref) -> bool:
        return ref in self._evaluation.units

    def reader(self) -> Callable:
        """``get`` for formula cells alone, at dict speed: what a comparison walking the
        formula cells of a whole column asks a million times.  Valid until the next run."""
        return self._grid().get

    def __iter__(self) -> Iterator:
        self._grid()
        return iter(self._evaluation._keys)

    def items(self):  # type: ignore[override]
        grid, keys = self._grid(), self._evaluation._keys
        return zip(keys, map(grid.__getitem__, keys))

    def values(self):  # type: ignore[override]
        grid = self._grid()
        return map(grid.__getitem__, self._evaluation._keys)

    def __len__(self) -> int:
        return len(self._evaluation._keys)


def unevaluable(book: Book) -> dict[CellRef, str]:
    """Each formula cell that cannot be compiled, whatever the others hold, with the reason
    (an unsupported function, bad syntax, another workbook): found in one pass, where
    ``evaluate`` stops at the first.  A limit of the whole workbook still raises."""
    grid: dict = {}
    grid.update((ref, cell.value) for ref, cell in book.cells.items() if cell.formula is None)
    plans = Plans(Compiler(book, grid, StoredCells(book.cells)))
    found: dict[CellRef, str] = {}
    with collector_paused():
        for ref, cell in book.cells.items():
            if cell.formula is not None:
                try:
                    plans.get(ref, cell.formula)
                except LimitError:
                    raise
                except FormulaError as exc:
                    found[ref] = str(exc)
    return found


@contextmanager
def collector_paused() -> Iterator[None]:
    """Hundreds of thousands of closures are made and kept, none in a reference cycle; the
    cyclic garbage collector would walk them all again and again (a third of the time)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _compile(book: Book, grid: dict, arithmetic: str = EXCEL) -> dict[CellRef, Compiled]:
    """Every formula cell's compiled formula; the grid starts with the constants."""
    grid.update((ref, cell.value) for ref, cell in book.cells.items() if cell.formula is None)
    plans = Plans(Compiler(book, grid, StoredCells(book.cells), arithmetic))
    units = {
        ref: plans.get(ref, cell.formula)
        for ref, cell in book.cells.items()
        if cell.formula is not None
    }
    operations = sum(unit.nodes for unit in units.values())
    if operations > MAX_OPERATIONS:
        raise LimitError(f"the formulas take more than {MAX_OPERATIONS:,} operations to evaluate")
    return units


def _order(book: Book, units: dict[CellRef, Compiled]) -> list:
    """The formula cells, each after the formula cells it reads (range nodes left out)."""
    index = SheetIndex(units, book.cells)

    def deps(key: tuple) -> list:
        unit = units.get(key)  # type: ignore[call-overload]
        return index.ranges[key] if unit is None else dependencies(key, unit, index)

    return [key for key in evaluation_order(units, deps) if key in units]
