"""What a workbook should hold, cell by cell, for the spec its givens describe.

Each quantity is expected at the cell the layout puts it in (rebuilt from the givens), never
where the file's own names say: a name pointing elsewhere is a fault of its own
(``conformance``), and the visible cell is still checked.
"""

from __future__ import annotations

from functools import lru_cache

from worksheet.evaluator import Book, CellRef
from worksheet.model.spec import NetworkSpec
from worksheet.reference.steps_by_name import step_values
from worksheet.sheets.layout import BookLayout, plan, step_sheet
from worksheet.sheets.network import NETWORK
from worksheet.verify import network_expected
from worksheet.verify.expected import Expected
from worksheet.verify.training_expected import expected_cells


@lru_cache(maxsize=2)
def layout_for(spec: NetworkSpec) -> BookLayout:
    """The layout of ``spec``, planned once for a check's expectations and its conformance
    (a deep network's gradient check takes seconds to plan)."""
    return plan(spec)


def expectations(
    book: Book, spec: NetworkSpec, tables: bool = True, layout: BookLayout | None = None
) -> tuple[Expected, dict]:
    """Every cell the generator writes a formula into, with its numpy value, at the place
    the layout of ``spec`` puts it (without ``tables``, the hand-traced sheets only: no
    training run; ``layout``: that of a spec differing only in values, where it is known);
    and (always empty now, kept for the callers) the names the book lacks, which
    ``conformance.layout_faults`` reports."""
    layout = layout or layout_for(spec)
    by_sheet, columns = expected_by_sheet(spec)
    # The Training, Summary and sweep sheets: tables, found by their fixed layout; the
    # largest part, so the others join it (not copied into a new dict).
    expected = expected_cells(spec) if tables else Expected()
    expected.update(locate(layout, by_sheet))
    expected.update(locate_columns(layout, columns))
    if NETWORK in book.sheet_names:  # files made before it have none
        for ref, (label, value) in network_expected.expected_cells(spec).items():
            expected[ref] = (label, value, 0.0)
    return expected, {}


def expected_by_sheet(spec: NetworkSpec) -> tuple[dict, dict]:
    """Every step sheet's quantities by their defined names there (``z_1``, ``z_1_s2``),
    from the numpy reference of ``spec``, and the gradient check's nudged columns (sheet ->
    loss name of the column -> values by the names of the rows they redo)."""
    steps = step_values(spec)
    by_sheet = {step_sheet(s.k): s.values for s in steps}
    columns = {step_sheet(s.k): s.columns for s in steps if s.columns}
    return by_sheet, columns


def locate(layout: BookLayout, by_sheet: dict[str, dict]) -> Expected:
    """Each sheet's expected names at their planned cells.  A value is a number, or
    (number, extra absolute tolerance)."""
    cells: Expected = {}
    for expected in by_sheet.values():
        for name, value in expected.items():
            want, slack = value if isinstance(value, tuple) else (value, 0.0)
            target = layout.names[(None, name)]
            cells[CellRef(target.sheet, target.row, target.col)] = (name, want, slack)
    return cells


def locate_columns(layout: BookLayout, columns: dict) -> Expected:
    """A nudged column's cells stand in the column of its loss name and the rows of the
    quantities they redo."""
    cells: Expected = {}
    for sheet, by_loss in columns.items():
        for loss_name, column in by_loss.items():
            bottom = layout.names[(None, loss_name)]
            for name, want in column.items():
                row = layout.names[(None, name)].row
                cells[CellRef(sheet, row, bottom.col)] = (f"{name} in {loss_name}", want, 0.0)
    return cells
