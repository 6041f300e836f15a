"""One number format policy: every computed value of the step, Network and Summary sheets
shows ``--digits`` significant figures (6 by default), in fixed decimals between 1e-4 and 1e6
and scientific outside; ``--round N`` shows N decimals.  Read from the saved file: each
formula cell's format, applied to the value it stores, as a spreadsheet shows it."""

from __future__ import annotations

import math
import re

import pytest
from openpyxl import load_workbook

from worksheet.evaluator import read_book
from worksheet.model.template import Overrides, load_template, resolve
from worksheet.render.generate import generate
from worksheet.render.styles import number_format
from worksheet.sheets.layout import NUDGE_COLUMN


def shown(value: float, code: str) -> str:
    """``value`` through a plain format code (``0.000``, ``0.00E+00``), as Excel shows it."""
    fixed = re.fullmatch(r"0(?:\.(0+))?", code)
    if fixed:
        return f"{value:.{len(fixed[1] or '')}f}"
    science = re.fullmatch(r"0(?:\.(0+))?E\+00", code)
    assert science, code
    return f"{value:.{len(science[1] or '')}E}"


def significant(text: str) -> int:
    """Significant figures of a number as shown (leading zeros and the exponent aside)."""
    mantissa = text.lstrip("-").split("E")[0].replace(".", "")
    return len(mantissa.lstrip("0"))


@pytest.mark.parametrize(
    "value, digits, expected",
    [
        (0.902, 6, "0.902000"),  # the 0.9020000000
        (-0.902, 6, "-0.902000"),
        (1234.56789, 6, "1234.57"),
        (999999.4, 6, "999999"),
        (0.00012345678, 6, "0.000123457"),  # 1e-4 and up: no E-notation
        (3.2570226e-07, 6, "3.25702E-07"),  # the 3.2570226E-07, to 6 figures
        (-3.2570226e-07, 4, "-3.257E-07"),
        (2.5e7, 3, "2.50E+07"),
        (0.0, 6, "0.00000"),
        (0.5, 15, "0.500000000000000"),
    ],
)
def test_the_policy_by_hand(value, digits, expected):
    assert shown(value, number_format(value, digits)) == expected


def test_at_most_fifteen_decimals_what_check_reads_as_plain():
    assert number_format(1.5e-4, 15) == "0." + "0" * 15


def _formats(path) -> dict:
    """``{(sheet, row, col): (format code, stored value)}`` of every numeric formula cell."""
    book, values = load_workbook(path), read_book(path)
    out = {}
    for ref, cell in values.cells.items():
        if cell.formula and isinstance(cell.value, float):
            code = book[ref.sheet].cell(ref.row, ref.col).number_format
            out[(ref.sheet, ref.row, ref.col)] = (code, cell.value)
    return out


@pytest.mark.parametrize("digits", [6, 4])
def test_every_small_sheet_shows_the_chosen_significant_figures(tmp_path, digits):
    spec = resolve(load_template("xor"), Overrides(epochs=3, digits=digits)).spec
    path = tmp_path / "xor.xlsx"
    generate(spec, path)
    cells = _formats(path)
    checked = {"small": 0, "large": 0, "negative": 0}
    for (sheet, _, col), (code, value) in cells.items():
        if sheet == "Training":
            continue  # the long tables: tests/render/test_table_formats.py
        text = shown(value, code)
        if value == 0:
            continue
        # A nudged cell wears its row's format: one figure fewer across a power of ten.
        fewest = digits - 1 if col >= NUDGE_COLUMN else digits
        assert fewest <= significant(text) <= digits or abs(value) >= 10**digits, (code, text)
        assert ("E" in text) == (not 1e-4 <= abs(value) < 1e6), (sheet, code, text)
        checked["small" if abs(value) < 1e-4 else "large"] += 1
        checked["negative"] += value < 0
        assert math.isclose(float(text), value, rel_tol=10 ** (1 - digits))
    assert {sheet for sheet, _, _ in cells} >= {"Step", "Network", "Summary", "Training"}
    assert min(checked.values()) > 0, checked


def test_rounded_sheets_show_their_decimals(tmp_path):
    spec = resolve(load_template("mazur"), Overrides(round_digits=4)).spec
    path = tmp_path / "rounded.xlsx"
    generate(spec, path)
    steps = {code for (sheet, _, _), (code, _) in _formats(path).items() if sheet == "Step"}
    assert steps == {"0.0000"}
