"""The sheets' cells written by ``render.sheet_data`` (and the nudged columns never made
openpyxl cells, ``render.streamed``) are the very bytes openpyxl writes: every part of the
package, ``styles.xml`` with its numbering too, compared with openpyxl writing it all."""

from __future__ import annotations

import datetime
import io
import zipfile

import pytest
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font
from openpyxl.writer.excel import ExcelWriter

from worksheet.model.template import Overrides, load_template, resolve
from worksheet.render import sheet_data
from worksheet.render.cached_xml import sheet_parts
from worksheet.render.generate import build, generate
from worksheet.render.sheet_data import put_rows, written
from worksheet.render.streamed import streamed_of


def _parts(book: Workbook, ours: bool) -> dict[str, str]:
    """Every part of ``book`` as saved (``ours``: cells by ``sheet_data``), but the
    timestamps of docProps/core.xml."""
    buffer, rows = io.BytesIO(), {}
    if ours:
        with written(book) as rows:
            ExcelWriter(book, zipfile.ZipFile(buffer, "w")).save()
    else:
        ExcelWriter(book, zipfile.ZipFile(buffer, "w")).save()
    with zipfile.ZipFile(buffer) as package:
        titles = sheet_parts(package)
        out = {name: package.read(name).decode("utf-8") for name in package.namelist()}
    for part, title in titles.items():
        if title in rows:
            out[part] = put_rows(out[part], rows[title])
    del out["docProps/core.xml"]
    return out


@pytest.mark.parametrize(
    "template, overrides",
    [
        ("classic", {"steps": 2}),  # step sheets with the gradient check, Network, Summary
        ("xor", {"epochs": 20, "lr_sweep": (0.1, 0.5)}),  # Training tables, a chart
        ("two-hidden", {"round_digits": 4}),
    ],
)
def test_same_bytes_as_openpyxl(template, overrides):
    spec = resolve(load_template(template), Overrides(**overrides)).spec
    plain, _ = build(spec)
    streamed, _ = build(spec, streamed=True)
    assert any(streamed_of(sheet) for sheet in streamed.worksheets) == spec.gradcheck
    expected = _parts(plain, ours=False)
    assert _parts(streamed, ours=True) == expected
    assert _parts(build(spec)[0], ours=True) == expected
    assert [len(sheet._cells) for sheet in plain] == [len(sheet._cells) for sheet in build(spec)[0]]


def _odd_book() -> Workbook:
    """Cells of every kind, styles met in an order that is not the order they were made,
    and a sheet openpyxl must write itself (a comment, a date) between two others."""
    book = Workbook()
    first = book.active
    first["C3"] = '=A1&"<b>"'  # escaped in the formula
    first["B2"], first["A1"], first["D1"] = " padded ", 1.5, True
    first["E7"] = ""
    first["A2"].font = Font(bold=True)  # styled, empty
    first["B2"].font = Font(italic=True)
    first.row_dimensions[9].height = 30  # a row with no cells
    first.merge_cells("A5:C5")
    middle = book.create_sheet("middle")
    middle["A1"] = datetime.date(2026, 11, 29)
    middle["B1"].font = Font(underline="single")
    middle["C1"] = "note"
    middle["C1"].comment = Comment("why", "me")
    last = book.create_sheet("last")
    last["B1"], last["A1"] = "x", "=1/0"
    last["B1"].font, last["A1"].font = Font(size=20), Font(bold=True)
    return book


def test_same_bytes_for_every_kind_of_cell():
    assert _parts(_odd_book(), ours=True) == _parts(_odd_book(), ours=False)


def test_cells_are_back_after_the_save():
    book = _odd_book()
    before = {sheet.title: dict(sheet._cells) for sheet in book}
    _parts(book, ours=True)
    assert {sheet.title: dict(sheet._cells) for sheet in book} == before


def test_a_streamed_row_with_an_openpyxl_cell_right_of_it_is_openpyxl_s():
    """Streamed cells are written after a row's openpyxl cells: where one lies right of
    them, the sheet is left to openpyxl, its streamed cells made openpyxl cells first."""
    spec = resolve(load_template("classic"), Overrides()).spec
    books = [build(spec)[0], build(spec, streamed=True)[0]]
    row = next(iter(streamed_of(books[1]["Step"]).rows))
    for book in books:
        book["Step"].cell(row, 200, "far right")
    assert _parts(books[1], ours=True) == _parts(books[0], ours=False)
    assert streamed_of(books[1]["Step"]) is None


def _package(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as package:
        return {n: package.read(n) for n in package.namelist() if n != "docProps/core.xml"}


def test_numbers_stored_with_the_rows_as_cached_xml_stores_them(tmp_path, monkeypatch):
    """A step sheet's numbers go in as its rows are written; by ``cached_xml.fill``
    afterwards, the file is the same."""
    spec = resolve(load_template("classic"), Overrides(steps=2)).spec
    generate(spec, tmp_path / "rows.xlsx")

    def unstored(cells):
        raise sheet_data._Unstored

    monkeypatch.setattr(sheet_data, "_Stored", unstored)
    generate(spec, tmp_path / "fill.xlsx")
    assert _package(tmp_path / "rows.xlsx") == _package(tmp_path / "fill.xlsx")
