"""Our evaluator against LibreOffice: it recalculates a workbook and we read its cached values.

Only formulas on which Excel and LibreOffice agree are compared. Known differences, where we
follow Excel (checked by hand with LibreOffice 7; see the report of the evaluator's commit):
LibreOffice has no boolean type (TRUE is 1, so SUM over a range counts it and TRUE&"" is "1");
0^0 is 1 and 0^-1 is #NUM!; of two error operands the right one wins; LN(0), SQRT(-1) and
LOG(x,1) are saved as #VALUE!; SUM("2",1) is #VALUE!; numbers as text use 3-digit exponents
("1E+016") and no exponent down to 1E-10.
"""

from __future__ import annotations

import math
import subprocess
from pathlib import Path

import openpyxl
import pytest
from openpyxl.workbook.defined_name import DefinedName

from worksheet.evaluator import CellRef, XLError, evaluate, read_book

pytestmark = pytest.mark.libreoffice

AGREED = [
    "=w_1*x_1+w_2*x_2+b_1",
    "=1/(1+EXP(-B3))",
    "=0.5*(y_1-B4)^2",
    "=-(y_1*LN(B4)+(1-y_1)*LN(1-B4))/2",
    "=SUM(B3,B4)",
    "=SUM(Givens!C4:C9)",
    "=w_1-eta*B3",
    "=-2^2",
    "=2^3^2",
    "=2^-1",
    "=10%*3",
    '="a"&1&"b"',
    "=1/0",
    "=EXP(710)",
    "=(-8)^(1/3)",
    "=ROUND(2.5,0)+ROUND(-2.5,0)*10",
    "=ROUND(0.125,2)",
    "=ROUND(1.005,2)",
    "=ROUNDUP(-1.21,1)",
    "=ROUNDDOWN(1.29,1)",
    "=TANH(0.5)",
    "=SIGN(-3)+ABS(-4)",
    "=MOD(-7,3)+INT(-2.5)",
    "=LOG(8,2)+LOG10(100)+SQRT(16)",
    "=POWER(2,0.5)",
    "=IF(B3>0,B3,1/0)",
    "=IFERROR(1/0,-1)",
    "=AND(TRUE,B3>0)",
    "=OR(FALSE,B3<0)",
    "=NOT(B3)",
    "=ISERROR(1/0)",
    "=AVERAGE(Givens!C4:C9)",
    "=MIN(Givens!C4:C9)+MAX(Givens!C4:C9)",
    "=COUNT(Givens!C4:C10)",
    "=PRODUCT(Givens!C4:C6)",
    "=SUMPRODUCT(Givens!C4:C5,Givens!C6:C7)",
    '="2"+1',
    '="a"="A"',
    '=Givens!C10&"|"&Givens!C11',
    "=PI()",
    "=A1",
]


def _book(path: Path) -> None:
    """Givens!C4:C9 numbers, C10 text, C11 blank; names for weights and targets on Step."""
    wb = openpyxl.Workbook()
    step = wb.active
    step.title = "Step"
    givens = wb.create_sheet("Givens")
    for i, x in enumerate([0.15, 0.2, 0.35, 0.05, 0.1, 0.5], start=4):
        givens.cell(i, 3, x)
    givens["C10"] = "text"
    for name, row in [("w_1", 4), ("w_2", 5), ("b_1", 6), ("x_1", 7), ("x_2", 8), ("eta", 9)]:
        wb.defined_names[name] = DefinedName(name, attr_text=f"Givens!$C${row}")
    step.defined_names["y_1"] = DefinedName("y_1", attr_text="Givens!$C$8")
    step["A1"] = "=w_1"
    for i, formula in enumerate(AGREED, start=3):
        step.cell(i, 2, formula)
    wb.save(path)


def _recalculate(source: Path, out_dir: Path, profile: Path) -> Path:
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--calc",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(out_dir),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return out_dir / source.name


def _same(ours: object, theirs: object) -> bool:
    if isinstance(ours, float) and isinstance(theirs, float):
        return math.isclose(ours, theirs, rel_tol=1e-13, abs_tol=1e-15)
    return type(ours) is type(theirs) and ours == theirs


def test_values_agree_with_libreoffice(tmp_path: Path) -> None:
    source = tmp_path / "step.xlsx"
    _book(source)
    recalculated = _recalculate(source, tmp_path / "out", tmp_path / "profile")
    book = read_book(recalculated)
    ours = evaluate(book)
    cells = [CellRef("Step", i, 2) for i in range(3, 3 + len(AGREED))] + [CellRef("Step", 1, 1)]
    mismatches = {
        str(ref): (book.cells[ref].formula, ours[ref], book.cells[ref].value)
        for ref in cells
        if not _same(ours[ref], book.cells[ref].value)
    }
    assert mismatches == {}
    assert ours[CellRef("Step", 15, 2)] == XLError.DIV0  # errors were compared too
