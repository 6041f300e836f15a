"""Two other spreadsheet engines, formualizer and IronCalc, compute our workbooks as numpy does.

Each generated workbook of the matrix is loaded with its stored values stripped (so an
engine cannot pass by echoing ours), evaluated, and every formula cell must hold a number
equal to the project's expected value (``verify.expectations``: numpy) within the tolerance
``check`` uses, ``compare.RELATIVE`` (1e-9) and the gradient check's own slack; a formula
that is no quantity of the exercise is held to the project's evaluator instead.  The
engines are optional test extras: without one, its tests are skipped, saying so.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from engine_matrix import CASES, Generated, without_stored_values, workbook_for

from worksheet.verify.compare import agree

# Every case in three engines: seconds each, so in the full suite (and CI), not the fast core.
pytestmark = pytest.mark.slow

Cells = list  # of CellRef
Engine = Callable[[Path, Cells], dict]  # (file, formula cells) -> value by cell


def formualizer_values(path: Path, cells: Cells) -> dict:
    formualizer = pytest.importorskip("formualizer")
    book = formualizer.load_workbook(str(path))
    book.evaluate_all()
    return {ref: book.get_value(ref.sheet, ref.row, ref.col) for ref in cells}


def ironcalc_values(path: Path, cells: Cells) -> dict:
    ironcalc = pytest.importorskip("ironcalc")
    model = ironcalc.load_from_xlsx(str(path), "en", "UTC")
    model.evaluate()
    index = {p["name"]: i for i, p in enumerate(model.get_worksheets_properties())}
    out = {}
    for ref in cells:
        sheet = index[ref.sheet]
        value = model.get_cell_value(sheet, ref.row, ref.col)
        if model.get_cell_type(sheet, ref.row, ref.col) == ironcalc.CellType.ErrorValue:
            value = f"error {value}"  # errors come back as their text: never a number
        out[ref] = value
    return out


ENGINES = {"formualizer": formualizer_values, "ironcalc": ironcalc_values}


def disagreements(generated: Generated, got: dict) -> dict:
    """``{cell: (formula, expected, engine's value)}`` for every formula cell whose value is
    not a number, or not the expected one: empty when the engine agrees everywhere."""
    out = {}
    for ref, value in got.items():
        if ref in generated.expected:
            _, want, slack = generated.expected[ref]
        else:
            want, slack = generated.values[ref], 0.0
        number = isinstance(value, float) and not isinstance(value, bool)
        if not number or not agree(want, value, slack):
            out[str(ref)] = (generated.book.cells[ref].formula, want, value)
    return out


@pytest.mark.parametrize("engine", sorted(ENGINES))
@pytest.mark.parametrize("name, args", CASES)
def test_engine_computes_every_formula_as_numpy_does(tmp_path, engine, name, args):
    case = workbook_for(name, args)
    cells = case.formula_cells()
    bare = without_stored_values(case.path, tmp_path / "bare.xlsx")
    got = ENGINES[engine](bare, cells)
    wrong = disagreements(case, got)
    shown = dict(list(wrong.items())[:10])
    assert wrong == {}, f"{len(wrong)} of {len(cells)} cells differ in {engine}, first: {shown}"


def test_a_wrong_number_or_an_error_from_an_engine_is_reported():
    """The comparison itself can fail: one value nudged past 1e-9, one error value."""
    case = workbook_for("classic", ["classic"])
    got = {ref: case.values[ref] for ref in case.formula_cells()}
    z_1, loss = case.book.name_ref("z_1"), case.book.name_ref("L_total")
    got[z_1] *= 1 + 1e-8
    got[loss] = {"type": "Error", "kind": "Name"}  # how formualizer gives #NAME?
    assert set(disagreements(case, got)) == {str(z_1), str(loss)}
