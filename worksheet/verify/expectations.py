"""What a workbook should hold, cell by cell, for the spec its givens describe.

Names lead to cells: a quantity is found through its defined name, and a nudged
column of the gradient check through the names of its loss and of the rows it
redoes, so rows a person inserts or moves do not confuse the check.
"""

from __future__ import annotations

from worksheet.evaluator import Book, CellRef
from worksheet.model.spec import NetworkSpec
from worksheet.model.topology import Topology
from worksheet.reference.by_name import (
    assert_computable,
    expected_values,
    gradcheck_values,
    start_values,
)
from worksheet.reference.step import trace_steps
from worksheet.sheets.layout import step_sheet
from worksheet.sheets.network import NETWORK
from worksheet.verify import network_expected
from worksheet.verify.compare import Expected, locate
from worksheet.verify.training_expected import expected_cells


def expectations(book: Book, spec: NetworkSpec) -> tuple[Expected, dict]:
    """Every cell the generator writes a formula into, with its numpy value; and the
    names the book lacks, as mismatches."""
    by_sheet, columns = expected_by_sheet(spec)
    expected, missing = locate(book, by_sheet)
    expected.update(locate_columns(book, columns))
    # The Training, Summary and sweep sheets: tables, found by their fixed layout.
    for ref, (label, value) in expected_cells(spec).items():
        expected[ref] = (label, value, 0.0)
    if NETWORK in book.sheet_names:  # files made before it have none
        for ref, (label, value) in network_expected.expected_cells(spec).items():
            expected[ref] = (label, value, 0.0)
    return expected, missing


def expected_by_sheet(spec: NetworkSpec) -> tuple[dict, dict]:
    """Every step sheet's quantities by name, from the numpy reference of ``spec``, and the
    gradient check's nudged columns (sheet -> loss name of the column -> values by name)."""
    topo = Topology(spec.layers)
    by_sheet, columns = {}, {}
    for k, trace in enumerate(trace_steps(spec), 1):
        values: dict = expected_values(topo, trace)
        assert_computable(values, spec.loss)
        if spec.gradcheck:
            named, columns[step_sheet(k)] = gradcheck_values(topo, trace, spec)
            values.update(named)
        if k > 1:
            values.update(start_values(topo, trace, with_example=len(spec.examples) > 1))
        by_sheet[step_sheet(k)] = values
    return by_sheet, columns


def locate_columns(book: Book, columns: dict) -> Expected:
    """A nudged column's cells stand in the column of its loss name and the rows of the
    quantities they redo, so they are found through names, wherever rows were moved."""
    cells: Expected = {}
    for sheet, by_loss in columns.items():
        for loss_name, column in by_loss.items():
            bottom = book.name_ref(loss_name, sheet)
            for name, want in column.items():
                row = book.name_ref(name, sheet)
                if bottom is not None and row is not None:
                    cells[CellRef(sheet, row.row, bottom.col)] = (
                        f"{name} in {loss_name}",
                        want,
                        0.0,
                    )
    return cells
