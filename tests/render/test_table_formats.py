"""The long tables (Training, each sweep run, the loss columns of Sweep and Compare) follow the
one number format policy, their formats written as cell styles while the values are stored
(``render.table_formats``, ``render.cached_xml``).  Read from the saved file: each formula
cell's style -> number format, against ``styles.number_format`` of the value it stores."""

from __future__ import annotations

import numpy as np
import pytest
from openpyxl import load_workbook

from worksheet.evaluator import read_book
from worksheet.model.template import Overrides, load_template, resolve
from worksheet.render.cached_xml import fill
from worksheet.render.generate import generate
from worksheet.render.stored_values import Cells
from worksheet.render.styles import number_format
from worksheet.render.table_formats import code_format, codes, columns_of
from worksheet.sheets.sweep import TOP_ROW
from worksheet.sheets.training_table import FIRST_ROW
from worksheet.verify.check import check_file

VALUES = [0.0, 0.902, -0.902, 1234.56789, 999999.4, 1e6, -1e6, 0.00012345678, 1e-4, 9.99e-5]
VALUES += [3.2570226e-07, -3.2570226e-07, 2.5e7, 1e-300, 1e300, 0.5, 1.0, 10.0, 99999.99]
VALUES += [10.0**p for p in range(-6, 8)] + [-(10.0**p) for p in range(-6, 8)]


@pytest.mark.parametrize("digits", [1, 4, 6, 15])
def test_formats_chosen_at_once_are_the_policys(digits):
    chosen = codes(np.array(VALUES), digits)
    assert [code_format(c) for c in chosen] == [number_format(v, digits) for v in VALUES]


def test_references_read_as_arrays():
    columns = columns_of(["A4", "AB10003", "Z1", "AAA12", "XFD1048576", "B7"])
    assert columns.tolist() == [1, 28, 26, 703, 16384, 2]


def counts(path, sheet: str) -> set[int]:
    """The columns of a table headed "update" or "example" (row 3): whole numbers."""
    heads = load_workbook(path)[sheet][FIRST_ROW - 1]
    return {cell.column for cell in heads if cell.value in ("update", "example")}


def shown(path) -> dict[str, list[tuple[int, int, str, float]]]:
    """Per sheet, ``(row, column, format code, stored value)`` of each numeric formula cell."""
    book, values = load_workbook(path), read_book(path)
    out: dict[str, list] = {}
    for ref, cell in values.cells.items():
        if cell.formula and isinstance(cell.value, float):
            code = book[ref.sheet].cell(ref.row, ref.col).number_format
            out.setdefault(ref.sheet, []).append((ref.row, ref.col, code, cell.value))
    return out


def assert_by_policy(cells, first_row: int, counts: set[int], digits: int) -> set[str]:
    """Every table cell from ``first_row`` down shows its value by the policy (a count
    column: whole numbers); returns the kinds of format met."""
    kinds = set()
    for row, col, code, value in cells:
        if row < first_row:
            continue
        expected = "0" if col in counts else number_format(value, digits)
        assert code == expected, (row, col, value)
        kinds.add("count" if col in counts else "scientific" if "E" in code else "fixed")
    return kinds


# Inputs of 2,000,000 and 3e-8 put numbers of every kind in the table: their copies and
# the gradients scaled by them (over 1e6), tiny weight changes (under 1e-4), the rest fixed.
HUGE_AND_TINY = {"inputs": (2e6, 3e-8), "epochs": 2, "lr_sweep": (0.5, 0.1)}


@pytest.mark.parametrize("digits", [6, 4])
def test_training_and_sweep_tables_follow_the_policy_and_check(tmp_path, digits):
    spec = resolve(load_template("mazur"), Overrides(digits=digits, **HUGE_AND_TINY)).spec
    path = tmp_path / "t.xlsx"
    generate(spec, path)
    cells = shown(path)
    for sheet in ("Training", "Run 1", "Run 2"):
        assert counts(path, sheet) == {1, 2}
        kinds = assert_by_policy(cells[sheet], FIRST_ROW, {1, 2}, digits)
        assert kinds == {"count", "fixed", "scientific"}, (sheet, kinds)
    assert assert_by_policy(cells["Sweep"], TOP_ROW, {1}, digits) >= {"count", "fixed"}
    assert check_file(path).ok


def test_compare_tables_follow_the_policy(tmp_path):
    overrides = Overrides(epochs=2, compare_optimizers=("sgd", "adam"))
    spec = resolve(load_template("xor"), overrides).spec
    path = tmp_path / "c.xlsx"
    generate(spec, path)
    cells = shown(path)
    assert assert_by_policy(cells["Compare"], TOP_ROW, {1}, 6) >= {"count", "fixed"}
    runs = [sheet for sheet in cells if sheet.startswith("Run")]
    for sheet in runs + ["Training"]:
        shown_ = assert_by_policy(cells[sheet], FIRST_ROW, counts(path, sheet), 6)
        assert shown_ >= {"count", "fixed"}
    assert runs and check_file(path).ok


def test_rounded_step_sheets_show_their_decimals_and_the_tables_their_figures(tmp_path):
    overrides = Overrides(round_digits=3, gradcheck=False, epochs=2)
    spec = resolve(load_template("mazur"), overrides).spec
    path = tmp_path / "r.xlsx"
    generate(spec, path)
    cells = shown(path)
    assert {code for _, _, code, _ in cells["Step"]} == {"0.000"}  # the digits it keeps
    # the Training sheet does not round (``--round`` rounds the step sheets): 6 figures
    assert assert_by_policy(cells["Training"], FIRST_ROW, counts(path, "Training"), 6) >= {"fixed"}
    assert check_file(path).ok


# A part as openpyxl writes it: a styled formula (a Sweep's head), a text with a % in it.
PART = (
    '<sheetData><row r="1"><c r="A1"><f>1</f><v /></c><c r="B1" s="2"><f>A1</f><v /></c>'
    '<c r="C1" t="inlineStr"><is><t>5 % of 100%</t></is></c><c r="D1"><f>B1</f><v /></c>'
    "</row></sheetData>"
)
FILLED = (
    '<sheetData><row r="1"><c r="A1" s="7"><f>1</f><v>1.0</v></c>'
    '<c r="B1" s="2"><f>A1</f><v>2.5e-07</v></c>'  # styled already: keeps its style
    '<c r="C1" t="inlineStr"><is><t>5 % of 100%</t></is></c>'
    '<c r="D1" s="9"><f>B1</f><v>4.0</v></c></row></sheetData>'
)
IN_ORDER = (["A1", "B1", "D1"], [1.0, 2.5e-07, 4.0], [' s="7"', ' s="8"', ' s="9"'])


@pytest.mark.parametrize(
    "refs, values, styles",
    [IN_ORDER, tuple(list(reversed(column)) for column in IN_ORDER)],  # and out of order
)
def test_each_formula_gets_its_value_and_style(refs, values, styles):
    data, count = fill(PART.encode(), Cells(refs, values), styles)
    assert (data.decode(), count) == (FILLED, 3)


def test_an_empty_value_that_is_no_formulas_is_left_alone():
    stray = PART.replace("</row>", '<c r="E1"><v /></c></row>')
    data, count = fill(stray.encode(), Cells(*IN_ORDER[:2]), IN_ORDER[2])
    assert (data.decode(), count) == (FILLED.replace("</row>", '<c r="E1"><v /></c></row>'), 3)
