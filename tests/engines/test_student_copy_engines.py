"""A student copy's blank consequences stay blank in every engine: an empty answer cell as
openpyxl writes it (``<c r="D10" s="18" t="n"/>``) read as 0 in IronCalc, so the 52 live
cells of a half-blank Mazur handout showed numbers there (LibreOffice and formualizer showed
none)."""

from __future__ import annotations

import zipfile

import openpyxl
import pytest
from conftest import run


def test_blank_answers_are_empty_cells_in_ironcalc(tmp_path):
    ironcalc = pytest.importorskip("ironcalc")
    made = run(
        "generate", "mazur", "--student", "--blank", "forward,loss", "-o", str(tmp_path / "s.xlsx")
    )
    assert made.exit_code == 0, made.output
    student = tmp_path / "s-student.xlsx"
    with zipfile.ZipFile(student) as package:
        for name in package.namelist():
            if name.startswith("xl/worksheets/sheet"):
                assert b't="n" />' not in package.read(name) and b't="n"/>' not in package.read(
                    name
                )
    model = ironcalc.load_from_xlsx(str(student), "en", "UTC")
    model.evaluate()
    step = openpyxl.load_workbook(student)["Step"]
    index = openpyxl.load_workbook(student).sheetnames.index("Step")
    live = [c for row in step.iter_rows() for c in row if c.data_type == "f"]
    assert live
    shown = [c.coordinate for c in live if model.get_formatted_cell_value(index, c.row, c.column)]
    assert shown == []
