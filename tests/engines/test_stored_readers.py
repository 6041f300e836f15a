"""Readers that do not calculate see a number in every formula cell: the one ``check`` computes.

openpyxl with ``data_only=True`` (what pandas uses) and python-calamine (polars, fastexcel)
read only the values stored in the file.  Every formula cell of every workbook of the matrix
must hold a number there, equal to the project's evaluator's value within 1e-12 relative.
"""

from __future__ import annotations

import pytest
from engine_matrix import CASES, Generated, workbook_for
from openpyxl import load_workbook

RELATIVE = 1e-12


def openpyxl_values(generated: Generated) -> dict:
    book = load_workbook(generated.path, data_only=True)
    return {ref: book[ref.sheet].cell(ref.row, ref.col).value for ref in generated.formula_cells()}


def calamine_values(generated: Generated) -> dict:
    calamine = pytest.importorskip("python_calamine")
    book = calamine.CalamineWorkbook.from_path(str(generated.path))
    grids = {name: book.get_sheet_by_name(name).to_python(skip_empty_area=False)
             for name in generated.book.sheet_names}  # fmt: skip
    out = {}
    for ref in generated.formula_cells():
        grid = grids[ref.sheet]
        row = grid[ref.row - 1] if ref.row <= len(grid) else []
        out[ref] = row[ref.col - 1] if ref.col <= len(row) else None
    return out


READERS = {"openpyxl": openpyxl_values, "calamine": calamine_values}


def unlike(generated: Generated, seen: dict) -> dict:
    """``{cell: (what the reader saw, the evaluator's value)}`` where they differ."""
    out = {}
    for ref, value in seen.items():
        want = generated.values[ref]
        number = isinstance(value, (int, float)) and not isinstance(value, bool)
        if not number or abs(value - want) > RELATIVE * max(abs(value), abs(want)):
            out[str(ref)] = (value, want)
    return out


@pytest.mark.parametrize("reader", sorted(READERS))
@pytest.mark.parametrize("name, args", CASES)
def test_every_formula_cell_reads_as_the_checked_number(reader, name, args):
    case = workbook_for(name, args)
    wrong = unlike(case, READERS[reader](case))
    shown = dict(list(wrong.items())[:10])
    assert wrong == {}, f"{len(wrong)} cells without the checked number in {reader}: {shown}"
