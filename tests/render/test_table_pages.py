"""A Training table's pages across start where a column group starts, so each group prints
under its heading; a page that must start inside a group (one wider than a page) is headed
"(continued)".  Read from the page setup (LibreOffice's pages: tests/export/test_pages.py)."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from openpyxl import load_workbook

from worksheet.evaluator import CellRef, read_book
from worksheet.export.pdf import export_pdf
from worksheet.model.template import Overrides, load_template, resolve
from worksheet.render.book import build_workbook
from worksheet.render.generate import generate
from worksheet.render.page_measure import printable
from worksheet.render.page_setup import apply_page_setup
from worksheet.render.styles import number_format
from worksheet.render.table_pages import CONTINUED, ROW_SLACK, SMALLEST, heading_mm, pages
from worksheet.render.training_book import add_training
from worksheet.sheets.layout import plan
from worksheet.sheets.sweep import TOP_ROW
from worksheet.sheets.training_table import FIRST_ROW

TEN = [0.0] + [10.0] * 6  # six columns 10 mm wide (index 0 unused)
LONG = "x" * 40  # a heading about 94 mm wide


@pytest.mark.parametrize(
    "groups, room, whole, starts",
    [
        ([(1, 3, "a"), (4, 6, "b")], 40, True, [1, 4]),  # the second does not fit: next page
        ([(1, 3, "a"), (4, 6, "b")], 60, True, [1]),  # both fit
        ([(1, 3, "a"), (4, 6, "b")], 25, True, [1, 3, 5]),  # wider than a page: cut
        ([(1, 2, "a"), (3, 4, "b")], 35, False, [1, 4]),  # broken: "b" has room on page 1
        ([(1, 2, "a"), (3, 4, LONG)], 35, False, [1, 3]),  # its heading would be cut: next
    ],
)
def test_pages(groups, room, whole, starts):
    assert pages(groups, TEN, room, whole) == starts


def test_a_heading_is_measured_wide():
    assert heading_mm(LONG) > 3 * heading_mm("x" * 10)


def training(paper: str = "a4", **overrides):
    spec = resolve(load_template("xor"), Overrides(epochs=30, **overrides)).spec
    book = build_workbook(plan(spec))
    add_training(book, spec)
    apply_page_setup(book, paper=paper, title=spec.title)
    return book["Training"]


def page_starts(sheet) -> list[int]:
    return [3] + [brk.id + 1 for brk in sheet.col_breaks.brk]  # after the update, example


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_each_group_prints_whole_under_its_heading(paper):
    sheet = training(paper)
    starts = page_starts(sheet)
    assert len(starts) == 3  # as many pages across as fitting to pages took
    heads = [sheet.cell(FIRST_ROW - 2, col).value for col in starts]
    assert all(heads) and not [h for h in heads if h.endswith(CONTINUED)], heads
    scale = sheet.page_setup.scale / 100
    rows = (2 + 40) * 15 * 25.4 / 72  # the printed rows (two headings, 40 updates), in mm
    assert rows * ROW_SLACK * scale <= printable(paper, "landscape")[1]  # one page down
    assert not sheet.sheet_properties.pageSetUpPr.fitToPage  # else breaks are ignored


def test_a_page_inside_a_group_wider_than_a_page_is_headed_continued():
    sheet = training(layers=(2, 6, 1))  # 24 weights and biases: wider than a page
    heads = [sheet.cell(FIRST_ROW - 2, col).value for col in page_starts(sheet)]
    assert all(heads), heads
    assert "parameters at the start of the update" + CONTINUED in heads
    assert sheet.page_setup.scale >= SMALLEST * 100
    assert str(sheet.cell(FIRST_ROW - 2, 3).value) == "inputs"


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_libreoffice_prints_the_planned_pages_with_every_number_whole(tmp_path):
    """The one printing test: LibreOffice keeps the planned pages of Training and the runs
    (no break of its own), each page headed by a group; no number too wide for its column
    (####); the Sweep's losses to 6 figures."""
    spec = resolve(load_template("xor"), Overrides(epochs=30, layers=(2, 6, 1), lr_sweep=(4.0,)))
    path = tmp_path / "w.xlsx"
    generate(spec.spec, path)
    text = subprocess.run(["pdftotext", "-layout", str(export_pdf(path)), "-"], capture_output=True)
    printed: dict[str, list[str]] = {}
    for page in text.stdout.decode().split("\f")[:-1]:
        printed.setdefault(page.split()[0], []).append(page)
    book = load_workbook(path)
    for name in ("Training", "Run"):  # "Run 1": the header's first word
        sheet = book["Run 1" if name == "Run" else name]
        assert len(printed[name]) == len(page_starts(sheet)), name
        for page, col in zip(printed[name], page_starts(sheet)):
            head = str(sheet.cell(FIRST_ROW - 2, col).value)
            assert head[:20] in page, (name, head)
    tables = [page for name in ("Training", "Run", "Sweep") for page in printed[name]]
    assert not [page for page in tables if "###" in page]
    loss = read_book(path).cells[CellRef("Sweep", TOP_ROW + 1, 2)].value  # update 2, run 1
    assert f"{loss:.{number_format(loss).count('0') - 1}f}" in printed["Sweep"][0], loss


def test_a_group_heading_longer_than_its_group_wraps_instead_of_being_cut(tmp_path):
    """A one-column group ("error signals δ (backward pass)" over δ₁ alone, in a 2-1-1
    network) was cut on screen and on paper by the next group's heading."""
    from worksheet.render.training_sheets import HEADING_CHARS, LINE_POINTS

    spec = resolve(load_template("classic"), Overrides(epochs=2)).spec
    path = tmp_path / "t.xlsx"
    generate(spec, path)
    sheet = load_workbook(path)["Training"]
    row = FIRST_ROW - 2
    headed = [c for c in range(1, sheet.max_column + 1) if sheet.cell(row, c).value]
    wrapped = 0
    for first, after in zip(headed, [*headed[1:], sheet.max_column + 1]):
        cell = sheet.cell(row, first)
        room = sum(
            sheet.column_dimensions[
                cell.column_letter if c == first else sheet.cell(row, c).column_letter
            ].width
            for c in range(first, after)
        )
        if len(cell.value) > room * HEADING_CHARS:
            wrapped += 1
            assert cell.alignment.wrap_text, cell.value
            lines = len(cell.value) / (sheet.column_dimensions[cell.column_letter].width * 0.8)
            assert sheet.row_dimensions[row].height >= LINE_POINTS * lines - 1e-9
    assert wrapped  # the network has a one-column group
