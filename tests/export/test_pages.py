"""Pages that read right, checked on the PDF LibreOffice prints, on A4 and on Letter: how
many pages each sheet takes, for generated workbooks and for the classroom kinds (student
copy, key, marked copy), and no print gridlines behind a chart.  Where each chart falls is
checked on the page setup itself (tests/render/test_printing.py): LibreOffice draws a chart
cut off at a page break into the text of both pages, clipped, so a PDF's text cannot tell a
whole chart from a cut one."""

from __future__ import annotations

import math
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
from conftest import run
from openpyxl.utils.cell import range_boundaries

from worksheet.classroom.grade import grade_file
from worksheet.classroom.integrity import load_key
from worksheet.classroom.marking import marked_book
from worksheet.export.pdf import export_pdf
from worksheet.model.template import Overrides, load_template, resolve
from worksheet.render.generate import generate
from worksheet.render.marked_copy import save
from worksheet.render.page_measure import height_mm, printable, width_mm

sys.path.insert(0, str(Path(__file__).parents[1] / "classroom"))
from test_grade import answers, fill  # noqa: E402  (the classroom tests' helpers)

pytestmark = [
    pytest.mark.libreoffice,
    pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed"),
]


def pages(pdf) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True).stdout
    return text.decode().split("\f")[:-1]


def sheet_of(page: str) -> str:
    """The sheet a page belongs to: its header starts with the sheet's name."""
    return page.strip().split()[0] if page.strip() else ""


@pytest.mark.parametrize("paper", ["a4", "letter"])
@pytest.mark.parametrize(
    "template, overrides", [("xor", {"epochs": 30}), ("or", {"epochs": 20, "lr_sweep": (0.5, 2)})]
)
def test_each_sheet_prints_on_the_pages_it_needs(tmp_path, paper, template, overrides):
    spec = resolve(load_template(template), Overrides(**overrides)).spec
    path = tmp_path / "w.xlsx"
    generate(spec, path, paper=paper)
    count: dict[str, int] = {}
    for page in pages(export_pdf(path)):
        count[sheet_of(page)] = count.get(sheet_of(page), 0) + 1
    assert count["Givens"] == 1 and count["Network"] == 1
    assert count["Step"] <= 2
    assert count["Summary"] <= 2  # the table and two charts: one page, or one per chart
    assert count["Training"] <= 3  # its first 40 updates: one page down, pages across
    if "Sweep" in count:
        assert count["Sweep"] <= 2
    assert_no_gridlines_behind_charts(path)


def assert_no_gridlines_behind_charts(path) -> None:
    """A sheet with a drawing (a chart) does not print gridlines behind it."""
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/sheet"):
                xml = z.read(name).decode()
                assert "<drawing" not in xml or 'gridLines="1"' not in xml, name


# The classroom kinds: a half-blank handout of Mazur's network, its key, and the copy marked
# with every kind of verdict.  Each sheet prints one page wide (its first and last column
# headings on every page: nothing split sideways), on the pages its setup plans.
LAST_HEADING = {"Givens": "defined name", "Step": "defined name", "Marks": "verdict"}
MARKED_LAST = {**LAST_HEADING, "Step": "expected"}  # the verdict columns follow the table
FIRST_HEADING = {"Givens": "symbol", "Step": "symbol", "Marks": "sheet"}


def planned_pages(sheet, paper: str) -> int:
    """Pages down the setup plans for a sheet one page wide: its fit, or its height at the
    scale that fits its width (estimated pessimistically: LibreOffice may need fewer)."""
    if sheet.page_setup.fitToHeight:
        return sheet.page_setup.fitToHeight
    if not sheet.print_area:
        return 1 + sheet.max_row // 40
    _, _, last_col, last_row = range_boundaries(sheet.print_area.split("!")[-1].replace("$", ""))
    across, down = printable(paper, sheet.page_setup.orientation)
    scale = min(1.0, across / width_mm(sheet, 1, last_col))
    return math.ceil(height_mm(sheet, last_row) * scale / down)


def check_classroom_pages(path, paper: str, last: dict[str, str]) -> dict[str, list[str]]:
    """The PDF's pages by sheet, each checked against the workbook's page setup."""
    by_sheet: dict[str, list[str]] = {}
    for page in pages(export_pdf(path)):
        by_sheet.setdefault(sheet_of(page), []).append(page)
    book = openpyxl.load_workbook(path)
    assert set(by_sheet) == set(book.sheetnames)
    for sheet in book:
        assert sheet.page_setup.fitToWidth == 1, sheet.title
        printed = by_sheet[sheet.title]
        assert 1 <= len(printed) <= planned_pages(sheet, paper), (sheet.title, len(printed))
        for page in printed:
            assert FIRST_HEADING[sheet.title] in page and last[sheet.title] in page, sheet.title
    assert_no_gridlines_behind_charts(path)
    return by_sheet


WAITING = re.compile(r"^\s*(?:w|b|z|h|ŷ|L|ΔL)[₀-₉]*′?\s.*?(?<![\w.])-?\d+\.\d{3,}")


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_handout_key_and_marked_copy_print_on_the_pages_planned(tmp_path, paper):
    result = run(
        "generate", "mazur", "--student", "--blank", "backward,gradient", "--paper", paper,
        "-o", str(tmp_path / "h.xlsx"),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    student, key = tmp_path / "h-student.xlsx", tmp_path / "h-key.xlsx"
    printed = check_classroom_pages(student, paper, LAST_HEADING)
    # the Update and Check rows wait for the blank gradients: no number printed on them
    rows = [line for page in printed["Step"] for line in page.splitlines() if "′" in line]
    assert len(rows) >= 20 and not [line for line in rows if WAITING.match(line)], rows
    if paper == "a4":  # the key has the student's layout: once is enough
        check_classroom_pages(key, paper, LAST_HEADING)
    entries = {ref: a.formula for ref, a in answers(student).items()}
    names = {a.name: ref for ref, a in answers(student).items()}
    # one blank, and on answers only an update reads: a decimal comma, a text
    entries[names["dL_dw_1"]], entries[names["dL_dw_8"]] = None, "0,0359"
    entries[names["dL_db_4"]] = "about 0.01"
    filled = fill(student, entries, tmp_path / "ada.xlsx")
    book = marked_book(grade_file(filled, teacher=load_key(key)), paper)
    save(book, tmp_path / "ada-marked.xlsx")
    marked = check_classroom_pages(tmp_path / "ada-marked.xlsx", paper, MARKED_LAST)
    assert any("decimal comma" in page for page in marked["Marks"])
    # the one blank answer blanks the rows computed from it, and only those
    rows = {
        line.split()[0]: bool(WAITING.match(line))
        for page in marked["Step"]
        for line in page.splitlines()
        if line.split() and ("′" in line.split()[0] or line.split()[0] == "ΔL")
    }
    assert not any(rows[s] for s in ("w₁′", "z₁′", "h₁′", "z₃′", "ŷ₁′", "L′", "ΔL")), rows
    assert all(rows[s] for s in ("w₂′", "w₃′", "b₁′", "z₂′", "h₂′")), rows
