"""Row 2's colour key: only the colours a sheet wears, each above the column wearing it
(issue 13: "live formula" stood above the Givens' value column, "gradient check" above its
names, in workbooks with no gradient check, and printed two empty columns E-F)."""

from __future__ import annotations

import pytest

from worksheet.model.template import Overrides, load_template, resolve
from worksheet.render.book import build_workbook
from worksheet.render.styles import LEGEND
from worksheet.sheets.givens import legend, network_description
from worksheet.sheets.layout import plan


def _book(template: str, **overrides):
    spec = resolve(load_template(template), Overrides(**overrides)).spec
    return plan(spec), build_workbook(plan(spec))


@pytest.mark.parametrize(
    ("template", "overrides", "checked"),
    [
        ("classic", {}, True),
        ("classic", {"gradcheck": False}, False),
        ("mazur", {"steps": 2}, True),
    ],
)
def test_each_entry_sits_above_the_column_it_describes(template, overrides, checked):
    layout, book = _book(template, **overrides)
    fills = dict(LEGEND)
    for sheet_layout in layout.sheets:
        sheet = book[sheet_layout.name]
        row = {c.column: c.value for c in sheet[2] if c.value is not None}
        assert row.pop(1) == "legend:"
        value = sheet_layout.col("value")
        if sheet_layout.name == "Givens":
            assert row == {2: "section", value: "given: edit me", value + 1: "fixed when generated"}
            assert max(row) <= len(sheet_layout.columns)  # nothing printed beyond the table
        else:
            check = {}
            if checked:  # above the numerical gradient, the check's first column
                col, heading = min(sheet_layout.extra_headers)
                assert sheet.cell(3, col).value == heading
                check = {col: "gradient check"}
            assert row == {2: "section", value: "live formula", **check}
        for col, label in row.items():
            assert sheet.cell(2, col).fill.fgColor.rgb == fills[label].fgColor.rgb


def test_the_givens_sheet_wears_no_formula_or_check_colour():
    entries = [label for _, label in legend(("symbol", "meaning", "value", "name"), [])]
    assert "live formula" not in entries and "gradient check" not in entries


@pytest.mark.parametrize(
    ("layers", "activations", "words"),
    [
        ((2, 2, 1), ("sigmoid", "sigmoid"), "2 inputs, 2 hidden neurons (sigmoid), 1 output"),
        ((1, 1, 1), ("tanh", "linear"), "1 input, 1 hidden neuron (tanh), 1 output"),
        ((2, 1), ("sigmoid",), "2 inputs, 1 output (sigmoid)"),
    ],
)
def test_the_network_reads_naturally(layers, activations, words):
    spec = resolve(load_template("classic"), Overrides(layers=layers, activations=activations)).spec
    assert network_description(spec).startswith(words)
