"""The values ``generate`` stores in the step and Network sheets, read off the numpy reference.

Every quantity of a step sheet has its numpy value already (``reference.steps_by_name``, the
loop that refuses what a spreadsheet cannot compute); evaluating 80,000 formulas again to
store what numpy knows would take most of ``generate``'s time.  A numerical gradient (and
its relative difference) is numpy's quotient of the same two losses; the cancellation of
L(p+ε) − L(p−ε) lets a spreadsheet's own losses differ in the last digits, so ``check`` holds
it to the slack it holds the recomputed value to.  ``check`` compares every stored value
with its own evaluation.
"""

from __future__ import annotations

import math

from worksheet.evaluator import Book, CellRef, evaluate
from worksheet.reference.steps_by_name import StepValues
from worksheet.render.stored_values import Cells, SheetValues, Stored, storable
from worksheet.sheets.cells import column_letter
from worksheet.sheets.layout import BookLayout, step_sheet
from worksheet.verify import network_expected
from worksheet.verify.expectations import locate, locate_columns


def step_cells(
    layout: BookLayout, steps: list[StepValues], spec, gradients: bool = True
) -> dict[CellRef, float]:
    """Each step sheet's and the Network sheet's formula cells with their numpy value; with
    ``gradients`` False, only the exact ones (not those that carry a tolerance of their own,
    the numerical gradients)."""
    by_sheet = {step_sheet(s.k): s.values for s in steps}
    columns = {step_sheet(s.k): s.columns for s in steps if s.columns}
    cells = {**locate(layout, by_sheet), **locate_columns(layout, columns)}
    known = {
        ref: float(want)
        for ref, (_, want, slack) in cells.items()
        if (gradients or not slack) and math.isfinite(want)
    }
    known.update(
        {ref: float(value) for ref, (_, value) in network_expected.expected_cells(spec).items()}
    )
    return known


def evaluate_held(held: Book) -> dict[CellRef, Stored]:
    """The formulas left in ``held`` (numpy's values stand in it as constants), valued by
    the project's evaluator; errors are left out.  Raises ``FormulaError`` as ``evaluate``."""
    return {ref: value for ref, value in evaluate(held).items() if storable(value)}


def in_file_order(values: dict[CellRef, Stored]) -> SheetValues:
    """``values`` by sheet, row by row and left to right as the sheet files list cells, so
    that the writer pairs them with their cells without looking any up."""
    out: SheetValues = {}
    letters: dict[int, str] = {}
    sheet, refs, stored = None, [], []
    for ref in sorted(values):  # a CellRef sorts as its tuple: sheet, row, column
        if ref.sheet != sheet:
            sheet = ref.sheet
            cells = out.setdefault(sheet, Cells())
            refs, stored = cells.refs, cells.values
        letter = letters.get(ref.col) or letters.setdefault(ref.col, column_letter(ref.col))
        refs.append(f"{letter}{ref.row}")
        stored.append(values[ref])
    return out
