"""A student's workbook re-saved by LibreOffice grades the same as the one we read directly."""

from __future__ import annotations

import openpyxl
import pytest
from test_grade import answers, fill, handout, key_values, run

from worksheet.classroom.grade import (
    BLANK,
    CARRIED,
    CORRECT,
    NOT_A_NUMBER,
    WRONG,
    close,
    grade_file,
)
from worksheet.classroom.integrity import load_key
from worksheet.export.libreoffice import convert


@pytest.mark.libreoffice
def test_libreoffice_copy_grades_the_same(tmp_path):
    student, key = handout(tmp_path, "mazur", "--steps", "2")
    cells = answers(student)
    names = {(ref.sheet, a.name): ref for ref, a in cells.items()}
    entries = {ref: a.formula for ref, a in cells.items()}  # formulas...
    for ref, value in key_values(student, key).items():
        if cells[ref].section in ("gradient", "update"):
            entries[ref] = float(f"{value:.5g}")  # ...and numbers typed from a calculator
    typed = {
        ("Step", "z_1"): 0.5,  # wrong: later answers get carried-forward credit
        ("Step", "L_1"): None,
        ("Step", "L_2"): "about 0.27",
        ("Step", "delta_3"): "=1/0",
        ("Step 2", "z_2_s2"): "=SIN(1)",  # LibreOffice computes it; we refuse to
    }
    for where, value in typed.items():
        entries[names[where]] = value
    filled = fill(student, entries)
    resaved = convert(filled, tmp_path / "lo")

    ours, theirs = grade_file(filled), grade_file(resaved, teacher=load_key(key))
    assert [(m.ref, m.verdict) for m in theirs.marks] == [(m.ref, m.verdict) for m in ours.marks]
    for a, b in zip(ours.marks, theirs.marks):
        assert a.got == b.got or close(a.got, b.got, 1e-12), a.name
    verdicts = {(m.ref.sheet, m.name): m.verdict for m in ours.marks}
    assert verdicts[("Step", "z_1")] == WRONG and verdicts[("Step", "h_1")] == CARRIED
    assert verdicts[("Step", "L_1")] == BLANK
    assert verdicts[("Step", "L_2")] == verdicts[("Step", "delta_3")] == NOT_A_NUMBER
    assert verdicts[("Step 2", "z_2_s2")] == NOT_A_NUMBER
    assert verdicts[("Step 2", "z_1_s2")] == CORRECT  # from the typed updates of Step
    assert theirs.score() == ours.score()
    assert theirs.integrity.verified and not theirs.integrity.flagged, theirs.integrity.status

    result = run("grade", str(resaved))
    assert result.exit_code == 0, result.output
    marked = openpyxl.load_workbook(resaved.with_name("filled-marked.xlsx"))
    ref = names[("Step", "z_1")]
    assert marked["Step"].cell(ref.row, ref.col).comment.text.startswith("wrong: expected")
