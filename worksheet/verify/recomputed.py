"""Quantities compared with numpy only loosely must still be what their formula makes of
the file's own numbers.

A gradient check's numerical gradient differs from numpy's by the cancellation of its two
nudged losses, so it is compared with a slack of its own (about 1e-8 here); its relative
difference, a number near 1e-10, is then held to that slack too, and anything small passes:
``ABS(a-b)`` without the division, the ratio times 100, or divided by 10⁸.  Numpy cannot
say what the file's cancellation left, but the file can: the planned formula, evaluated on
the values the file's own cells hold, gives the number the cell must show, exactly (to the
check's usual tolerance, no slack).  A commuted or otherwise equivalent rewrite reading the
same cells gives the same number; one that computes something else does not.
"""

from __future__ import annotations

from collections.abc import Mapping

from worksheet.errors import FormulaError
from worksheet.evaluator import Book, CellRef
from worksheet.evaluator.areas import StoredCells
from worksheet.evaluator.closures import finish
from worksheet.evaluator.compiler import Compiler
from worksheet.evaluator.parser import parse
from worksheet.verify.compare import RELATIVE, Mismatch, agree

REASON = "is not its planned formula of its own inputs"


def recomputed_faults(
    book: Book, expected: Mapping, planned: Mapping[CellRef, str], grid: Mapping
) -> dict[str, Mismatch]:
    """Each loosely compared cell (one with a slack) whose value in ``grid`` (every cell's
    value, as the file computes it) is not its ``planned`` formula evaluated on ``grid``."""
    loose = [(ref, entry) for ref, entry in expected.items() if entry[2] and ref in planned]
    if not loose:
        return {}
    compiler = Compiler(book, grid, StoredCells(book.cells))  # type: ignore[arg-type]
    faults: dict[str, Mismatch] = {}
    for ref, (name, _, _) in loose:
        cell = book.cells.get(ref)
        if cell is None or cell.formula is None:
            continue  # "not a formula": reported by the comparison
        fn = compiled_at(compiler, planned[ref], ref)
        if fn is None:
            continue  # the plan reads something the file lacks: conformance reports it
        should, shown = finish(fn(ref.row, ref.col)), grid.get(ref)
        if not same(should, shown):
            faults[str(ref)] = Mismatch(name, should, shown, cell.formula, REASON)
    return faults


def compiled_at(compiler: Compiler, text: str | None, ref: CellRef):
    """``text`` compiled as written in ``ref`` (its closure), or None where it cannot be
    (the evaluation or the conformance proof refuses or reports it already)."""
    if text is None:
        return None
    try:
        node, _ = parse(text, ref.row, ref.col, str(ref))
        return compiler.compile(node, ref.sheet, str(ref)).fn
    except (FormulaError, RecursionError):
        return None


def same(should: object, shown: object) -> bool:
    """The same number up to rounding, with no absolute floor: the same formula on the same
    inputs differs by a few units in the last place at most, and a relative difference of
    1e-10 divided by 10⁸ must not hide under a floor near zero."""
    if type(should) is float and type(shown) is float:
        return abs(should - shown) <= RELATIVE * max(abs(should), abs(shown))
    return agree(should, shown)
