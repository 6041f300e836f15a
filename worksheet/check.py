"""The pipeline for ``worksheet check``: file -> evaluator -> reference -> comparison."""

from __future__ import annotations

from pathlib import Path

from worksheet.crosscheck import Expected, Report, compare, locate, mark_carried, pinned_values
from worksheet.evaluator import Book, CellRef, evaluate, read_book
from worksheet.expected import expected_values, gradcheck_values, start_values
from worksheet.layout import step_sheet
from worksheet.readback import spec_from_book
from worksheet.reference import trace_steps
from worksheet.spec import NetworkSpec
from worksheet.topology import Topology


def expected_by_sheet(spec: NetworkSpec) -> tuple[dict, dict]:
    """Every step sheet's quantities by name, from the numpy reference of ``spec``, and the
    gradient check's nudged columns (sheet -> loss name of the column -> values by name)."""
    topo = Topology(spec.layers)
    by_sheet, columns = {}, {}
    for k, trace in enumerate(trace_steps(spec), 1):
        values: dict = expected_values(topo, trace)
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


def check_file(path: Path) -> Report:
    """Evaluate every formula of the saved file and compare it with numpy, rebuilt from
    the file's own givens (so a workbook edited and saved by a person still checks)."""
    book = read_book(path)
    spec = spec_from_book(book)
    values = evaluate(book)
    by_sheet, columns = expected_by_sheet(spec)
    expected, missing = locate(book, by_sheet)
    expected.update(locate_columns(book, columns))
    report = compare(book, values, expected, missing)
    if not report.ok:
        # Second pass: which wrong cells are wrong on their own, which only inherit it.
        mark_carried(report, evaluate(book, pinned=pinned_values(expected)))
    return report
