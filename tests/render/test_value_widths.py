"""Every number shown by the format policy fits its column: no #### for a value the
generator writes (the Network sheet's value columns of 8 showed -0.123456 as ####; a step
sheet at --digits 15 needs more than 14.5)."""

from __future__ import annotations

import openpyxl
import pytest
from conftest import run

from worksheet.render.styles import shown_width

DEFAULT_WIDTH = 8.43


@pytest.mark.parametrize(
    "args",
    [["--layers", "2,6,1"], ["mazur", "--digits", "15"], ["mazur", "--round", "10"], ["mazur"]],
    ids=["negative-weights-on-the-network", "digits-15", "round-10", "mazur"],
)
def test_every_shown_number_fits_its_column(tmp_path, args):
    path = tmp_path / "w.xlsx"
    result = run("generate", *args, "-o", str(path))
    assert result.exit_code == 0, result.output
    formulas, values = openpyxl.load_workbook(path), openpyxl.load_workbook(path, data_only=True)
    for sheet in formulas.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                value = values[sheet.title][cell.coordinate].value
                if cell.data_type != "f" or not isinstance(value, float):
                    continue
                width = sheet.column_dimensions[cell.column_letter].width or DEFAULT_WIDTH
                needed = shown_width(value, cell.number_format)
                assert needed <= width, (sheet.title, cell.coordinate, cell.number_format, value)
