"""Grading a hostile file costs one pass, not one per trick: a 2 MB submission with every
answer reading itself and 980,000 cheap formulas beside them took 118 s (the book was
evaluated again for each circular reference found)."""

from __future__ import annotations

import re
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
from test_grade import answers

from worksheet.classroom import answer_graph
from worksheet.classroom import grade as grade_module
from worksheet.classroom.handout import write_handout
from worksheet.classroom.marking import mark_file
from worksheet.errors import BookError
from worksheet.evaluator import evaluate, read_book
from worksheet.model.template import load_template, resolve

CHEAP = 180_000  # under grade's limit on a submission's cells (MAX_SUBMISSION_CELLS)
COLUMNS = [*"HIJKLMNOPQRSTUVWXYZ", "AA"]  # right of the step table, in column order


def hostile(folder: Path, cheap: int = CHEAP) -> Path:
    """Every answer ``=itself+1``; rows of ``=1`` below the table, written into the sheet's
    XML directly (openpyxl would take a minute)."""
    written = write_handout(resolve(load_template(None)).spec, folder / "h.xlsx")
    book = openpyxl.load_workbook(written.student)
    for ref in answers(written.student):
        cell = book[ref.sheet].cell(ref.row, ref.col)
        cell.value = f"={cell.coordinate}+1"
    filled = folder / "filled.xlsx"
    book.save(filled)
    out = folder / "hostile.xlsx"
    rows = "".join(
        f'<row r="{r}">' + "".join(f'<c r="{c}{r}"><f>1</f></c>' for c in COLUMNS) + "</row>"
        for r in range(1000, 1000 + cheap // len(COLUMNS))
    )
    step = _step_part(filled)
    with zipfile.ZipFile(filled) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == step:
                text = re.sub(r"<dimension [^>]*/>", "", data.decode())
                data = text.replace("</sheetData>", rows + "</sheetData>").encode()
            z.writestr(info, data)
    return out


def _step_part(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        names = sorted(n for n in archive.namelist() if n.startswith("xl/worksheets/sheet"))
    return names[1]  # Givens, then Step


@pytest.mark.slow
def test_a_submission_of_a_million_cells_is_refused_as_it_is_read(tmp_path):
    """It cost 18 s and 900 MB to grade; a student's copy holds a few thousand cells."""
    path = hostile(tmp_path, cheap=980_000)
    start = time.perf_counter()
    with pytest.raises(BookError, match="more than 200,000 cells"):
        mark_file(path)
    assert time.perf_counter() - start < 10


@pytest.mark.slow
def test_a_million_cells_and_every_answer_circular_cost_one_pass(tmp_path, monkeypatch):
    path = hostile(tmp_path)
    evaluations, reached = [], []
    monkeypatch.setattr(
        grade_module, "evaluate", lambda *a, **k: evaluations.append(1) or evaluate(*a, **k)
    )
    real_reachable = answer_graph.reachable

    def counting(book, roots):
        needed, broken = real_reachable(book, roots)
        reached.append(len(needed))
        return needed, broken

    monkeypatch.setattr(grade_module, "reachable", counting)
    start = time.perf_counter()
    read_book(path)
    reading = time.perf_counter() - start
    start = time.perf_counter()
    grade, _ = mark_file(path)
    grading = time.perf_counter() - start
    assert len(grade.marks) == 29 and all("circular" in m.note for m in grade.marks)
    assert evaluations == [1, 1] and reached[0] < 100  # the 180,000 are never compiled
    assert grading - reading < 3, (reading, grading)  # it was 118 s; reading is the reader's
