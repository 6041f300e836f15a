"""The Network sheet: every formula on it evaluates, with the project's evaluator and with
LibreOffice, to numpy's number for the name it shows; the drawing stays small enough to read.

Each formula is one reference (``=x_1``, ``=w_3``, ``=Step!h_2``), so the expected value is
looked up from the name alone, in a table built from the spec and ``trace_spec``:
independent of where the sheet puts the cell.
"""

from __future__ import annotations

import re

import numpy as np
import openpyxl
import pytest

from worksheet.evaluator import XLError, evaluate, read_book
from worksheet.export.libreoffice import convert
from worksheet.model.spec import NetworkSpec
from worksheet.model.template import Overrides, load_template, resolve
from worksheet.reference.step import trace_spec
from worksheet.render.book import build_workbook
from worksheet.render.network import add_network_sheet
from worksheet.render.page_setup import apply_page_setup
from worksheet.sheets.layout import plan
from worksheet.sheets.network import NETWORK, TOP, first_rows
from worksheet.verify.check import check_file
from worksheet.verify.network_expected import expected_cells

TOLERANCE = 1e-12  # a reference copies its value: only float noise may differ
CASES = [  # (template, layers): the shipped shapes, no hidden layer, and the largest allowed
    ("classic", None),
    ("mazur", None),
    ("deep-bce", None),
    ("classic", (3, 2)),
    ("classic", (8, 8, 8, 8, 4)),
]
REFERENCE = re.compile(r"^=(?:Step!)?([A-Za-z]\w*)$")  # one name, maybe the Step sheet's


def make_spec(template: str, layers, gradcheck: bool = True) -> NetworkSpec:
    """The diagram does not depend on the gradient check; leaving it out of the largest
    network saves evaluating its 250 nudged forward passes."""
    overrides = Overrides(layers=layers, gradcheck=None if gradcheck else False)
    return resolve(load_template(template), overrides).spec


def save_with_diagram(spec: NetworkSpec, path):
    book = build_workbook(plan(spec))
    count = add_network_sheet(book, spec)
    assert count == sum(c.data_type == "f" for row in book[NETWORK].iter_rows() for c in row)
    apply_page_setup(book, title=spec.title)  # rows as tall as their labels, as generate's
    book.save(path)
    return path


def expected_by_name(spec: NetworkSpec) -> dict[str, float]:
    """Every name the diagram may show, valued by numpy (weights in Mazur's order: by layer,
    receiving neuron, then sending neuron, which is W[l] row by row)."""
    trace = trace_spec(spec)
    values = {f"x_{i}": v for i, v in enumerate(trace.x, 1)}
    values |= {f"y_{j}": v for j, v in enumerate(trace.y, 1)}
    values |= {
        f"w_{i}": v for i, v in enumerate(np.concatenate([w.ravel() for w in trace.weights]), 1)
    }
    values |= {f"b_{k}": v for k, v in enumerate(np.concatenate(trace.biases), 1)}
    hidden = np.concatenate(trace.activations[1:-1]) if len(spec.layers) > 2 else []
    values |= {f"h_{k}": v for k, v in enumerate(hidden, 1)}
    values |= {f"yhat_{j}": v for j, v in enumerate(trace.activations[-1], 1)}
    values["L_total"] = trace.loss
    return values


def network_formulas(book) -> dict:
    return {
        ref: cell.formula
        for ref, cell in book.cells.items()
        if ref.sheet == NETWORK and cell.formula
    }


@pytest.mark.parametrize("template, layers", CASES)
def test_every_formula_shows_numpys_value(tmp_path, template, layers):
    spec = make_spec(template, layers, gradcheck=layers != (8, 8, 8, 8, 4))
    book = read_book(save_with_diagram(spec, tmp_path / "d.xlsx"))
    values, expected = evaluate(book), expected_by_name(spec)
    shown = {}
    for ref, formula in network_formulas(book).items():
        match = REFERENCE.match(formula)
        assert match, f"{ref}: {formula} is not a plain reference"
        name = match[1]
        assert not isinstance(values[ref], XLError), f"{ref}: {formula} -> {values[ref]}"
        assert values[ref] == pytest.approx(expected[name], abs=TOLERANCE), f"{ref}: {formula}"
        shown[name] = shown.get(name, 0) + 1
    # Every input, weight, bias, neuron, target and the loss appears, each exactly once.
    assert shown == {name: 1 for name in expected}


@pytest.mark.parametrize("template, layers", CASES[:4])
def test_expected_cells_cover_every_formula_of_the_sheet(tmp_path, template, layers):
    """What ``worksheet check`` is to compare: each Network formula cell, numpy's value."""
    spec = make_spec(template, layers)
    book = read_book(save_with_diagram(spec, tmp_path / "d.xlsx"))
    values, expected = evaluate(book), expected_cells(spec)
    assert set(expected) == set(network_formulas(book))
    for ref, (label, want) in expected.items():
        assert label.startswith(f"{NETWORK} ")
        assert values[ref] == pytest.approx(want, abs=TOLERANCE), f"{ref} {label}"


@pytest.mark.parametrize("template, layers", CASES[:3])
def test_check_still_passes_with_the_diagram(tmp_path, template, layers):
    """Its formulas are evaluated and, once ``expectations`` knows ``expected_cells``,
    compared; before that they count as unchecked extras, none of them an error."""
    spec = make_spec(template, layers)
    report = check_file(save_with_diagram(spec, tmp_path / "d.xlsx"))
    assert report.mismatches == {}
    assert report.compared + report.unchecked == report.formulas
    assert report.unchecked in (0, len(expected_cells(spec)))


def test_a_weight_edited_on_givens_changes_the_picture(tmp_path):
    spec = make_spec("mazur", None)
    path = save_with_diagram(spec, tmp_path / "d.xlsx")
    book = openpyxl.load_workbook(path)
    book["Givens"][_given_cell(book, "w_5")] = 0.9  # w_5: hidden 1 -> output 1
    book.save(path)
    values = evaluate(read_book(path))
    formulas = network_formulas(read_book(path))
    by_formula = {formulas[ref]: values[ref] for ref in formulas}
    assert by_formula["=w_5"] == 0.9
    edited = np.array(spec.weights[1], dtype=float)
    edited[0, 0] = 0.9
    trace = trace_spec(spec, weights=[spec.weights[0], edited])
    assert by_formula["=yhat_1"] == pytest.approx(trace.activations[-1][0], abs=TOLERANCE)
    assert by_formula["=L_total"] == pytest.approx(trace.loss, abs=TOLERANCE)


def _given_cell(book, name: str) -> str:
    return book.defined_names[name].attr_text.split("!")[1].replace("$", "")


@pytest.mark.parametrize(
    "layers, rows, cols",
    [
        ((2, 1, 1), 5, 12),  # 2 inputs of 2 rows and a gap; 3 bands of 4 columns, margin, targets
        ((2, 2, 2), 9, 12),  # 2 neurons of 3 rows (2 weights, a bias), a gap; gap and loss
        ((3, 2), 11, 8),  # no hidden layer: 2 outputs of 4 rows and a gap; gap and loss
        ((8, 8, 8, 8, 4), 79, 20),  # 8 neurons of 9 rows and 7 gaps: fits one portrait page
    ],
)
def test_drawing_size(tmp_path, layers, rows, cols):
    spec = make_spec("classic", layers, gradcheck=False)
    sheet = openpyxl.load_workbook(save_with_diagram(spec, tmp_path / "d.xlsx"))[NETWORK]
    assert sheet.max_row == TOP - 1 + rows
    assert sheet.max_column == cols


@pytest.mark.parametrize("layers", [(2, 1, 1), (2, 3, 1), (8, 2, 4), (1, 8, 8, 8, 4)])
def test_boxes_of_a_layer_do_not_overlap_and_are_centred(layers):
    tops = first_rows(layers)
    for layer, rows in enumerate(tops):
        height = 2 if layer == 0 else layers[layer - 1] + 1
        assert all(b - a == height + 1 for a, b in zip(rows, rows[1:]))
    centres = [
        (rows[0] + rows[-1] + (2 if i == 0 else layers[i - 1] + 1)) / 2
        for i, rows in enumerate(tops)
    ]
    assert max(centres) - min(centres) <= 1  # centred to within a row


@pytest.mark.libreoffice
def test_libreoffice_recalculates_the_diagram_to_the_same_numbers(tmp_path):
    spec = make_spec("deep-bce", None)
    src = save_with_diagram(spec, tmp_path / "d.xlsx")
    recalculated = read_book(convert(src, tmp_path / "lo"))
    expected = expected_by_name(spec)
    formulas = network_formulas(read_book(src))
    assert formulas
    for ref, formula in formulas.items():
        name = REFERENCE.match(formula)[1]
        cached = recalculated.cells[ref].value
        assert cached == pytest.approx(expected[name], rel=1e-12, abs=1e-12), f"{ref}: {formula}"
