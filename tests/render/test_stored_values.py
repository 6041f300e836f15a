"""Every formula cell stores its value, and ``check`` holds a stored value to account.

The values are the project's own (the evaluator over the book in memory, the numpy runs
for training tables); a stale one, or a given edited by a tool that does not recalculate,
makes ``check`` fail, naming the cell.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from conftest import run
from openpyxl import Workbook

from worksheet import __version__
from worksheet.classroom.handout import build_handout
from worksheet.evaluator import evaluate, read_book
from worksheet.model.template import Overrides, load_template, resolve
from worksheet.reference.training import train
from worksheet.render.book import save_atomic
from worksheet.render.cached_xml import cached, fill
from worksheet.render.generate import generate
from worksheet.render.stored_values import Cells, computed_values
from worksheet.render.training_values import training_values
from worksheet.sheets.cells import column_letter
from worksheet.verify.training_expected import expected_cells


def _spec(template: str, **overrides):
    return resolve(load_template(template), Overrides(**overrides)).spec


def _part(path: Path, name: str) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read(name).decode("utf-8")


def _rewrite(path: Path, target: Path, part: str, edit) -> None:
    """Copy the package with one part's text changed by ``edit``, as a tool that edits the
    XML and does not recalculate would."""
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == part:
                changed = edit(data.decode("utf-8"))
                assert changed != data.decode("utf-8"), "the edit changed nothing"
                data = changed.encode("utf-8")
            out.writestr(info, data)


@pytest.fixture(scope="module")
def classic(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("stored") / "classic.xlsx"
    generate(_spec("classic"), path)
    return path


def test_every_formula_stores_the_value_the_evaluator_computes(classic):
    book = read_book(classic)
    values = evaluate(book)
    stored = {ref: book.cells[ref].value for ref in values}
    assert len(values) == 110
    assert {ref: v for ref, v in stored.items() if v != values[ref]} == {}


def test_excel_still_recalculates_on_opening(classic):
    assert re.search(r'<calcPr [^>]*fullCalcOnLoad="1"', _part(classic, "xl/workbook.xml"))


def test_check_passes_with_every_stored_value_compared(classic):
    result = run("check", classic)
    assert result.exit_code == 0, result.output
    assert "110 cached values compared" in result.output


def test_one_stale_stored_value_is_rejected_naming_its_cell(classic, tmp_path):
    stale = tmp_path / "stale.xlsx"
    # Step!D5 is z_1 = 0.902 (w_1*x_1 + w_2*x_2 + b_1); store 0.903 instead.
    _rewrite(
        classic,
        stale,
        "xl/worksheets/sheet2.xml",
        lambda xml: re.sub(r'(<c r="D5"[^>]*><f>[^<]*</f><v>)0\.902(</v>)', r"\g<1>0.903\2", xml),
    )
    result = run("check", stale)
    assert result.exit_code == 1, result.output
    assert re.search(r"Step!D5\b.*cached value differs", result.output), result.output


def test_a_given_edited_without_recalculating_is_rejected(classic, tmp_path):
    edited = tmp_path / "edited.xlsx"
    book = read_book(classic)
    given = book.name_ref("w_1")
    assert given.sheet == "Givens" and isinstance(book.cells[given].value, float)
    moved = book.cells[given].value + 0.1
    cell = f"C{given.row}"
    _rewrite(
        classic,
        edited,
        "xl/worksheets/sheet1.xml",
        lambda xml: re.sub(rf'(<c r="{cell}"[^>]*><v>)[^<]*(</v>)', rf"\g<1>{moved!r}\2", xml),
    )
    result = run("check", edited)
    assert result.exit_code == 1, result.output
    assert "cached value differs" in result.output


def test_the_training_tables_store_exactly_what_check_expects():
    """The vectorised read of the runs, against verify's own cell-by-cell read."""
    for spec in (_spec("xor", epochs=20), _spec("xor", epochs=20, batch=True)):
        stored = training_values(spec, {spec.learning_rate: train(spec)})
        by_cell = {
            (sheet, ref): value
            for sheet, cells in stored.items()
            for ref, value in cells.as_dict().items()
        }
        want = {
            (ref.sheet, f"{column_letter(ref.col)}{ref.row}"): value
            for ref, (_, value, _) in expected_cells(spec).items()
        }
        assert by_cell == want


def test_text_booleans_and_errors_are_stored_as_excel_caches_them(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.title = "S"
    sheet["A1"], sheet["A2"], sheet["A3"] = '="a<"&"&b"', "=1<2", "=1/0"
    sheet["A4"], sheet["A5"] = "=0.1+0.2", "=A4*3"
    path = tmp_path / "t.xlsx"
    save_atomic(book, path, force=False, values=computed_values(book))
    xml = _part(path, "xl/worksheets/sheet1.xml")
    assert '<c r="A1" t="str"><f>"a&lt;"&amp;"&amp;b"</f><v>a&lt;&amp;b</v></c>' in xml
    assert '<c r="A2" t="b"><f>1&lt;2</f><v>1</v></c>' in xml
    assert re.search(r'<c r="A3"><f>1/0</f><v ?/></c>', xml)  # an error is never stored
    assert "<v>0.30000000000000004</v>" in xml  # the shortest text that reads back the same
    values = {ref.row: cell.value for ref, cell in read_book(path).cells.items()}
    assert values == {1: "a<&b", 2: True, 3: None, 4: 0.1 + 0.2, 5: (0.1 + 0.2) * 3}


@pytest.mark.parametrize(
    "value, expected",
    [(0.1, ("", "0.1")), (1.0, ("", "1.0")), (-2.5e-300, ("", "-2.5e-300")),
     (True, (' t="b"', "1")), ("x<y", (' t="str"', "x&lt;y"))],
)  # fmt: skip
def test_cached_text(value, expected):
    assert cached(value) == expected


def test_cells_out_of_the_files_order_are_filled_one_by_one():
    xml = (
        '<sheetData><row r="1"><c r="A1"><f>1</f><v /></c><c r="B1" s="2"><f>A1</f><v /></c>'
        '<c r="C1"><f>B1</f><v /></c></row></sheetData>'
    )
    # Listed backwards, one missing: each value still lands in its own cell.
    data, count = fill(xml.encode(), Cells(["C1", "A1"], [3.0, 1.0]))
    assert count == 2
    assert data.decode() == xml.replace("<f>1</f><v />", "<f>1</f><v>1.0</v>").replace(
        "<f>B1</f><v />", "<f>B1</f><v>3.0</v>"
    )
    in_order, count = fill(xml.encode(), Cells(["A1", "B1", "C1"], [1.0, 2.0, 3.0]))
    assert count == 3 and in_order.decode().count("</v>") == 3
    assert '<c r="B1" s="2"><f>A1</f><v>2.0</v>' in in_order.decode()


def test_a_students_copy_stores_only_what_does_not_depend_on_an_answer(tmp_path):
    """Backward pass blank: the forward pass and the loss keep their values; the backward
    answers, and the update that reads them, store nothing."""
    handout = build_handout(_spec("classic"), sections=("backward",))
    key_values = computed_values(handout.key)
    values = computed_values(handout.student)
    path = tmp_path / "student.xlsx"
    save_atomic(handout.student, path, force=False, values=values)
    book = read_book(path)
    stored = {str(ref): c.value for ref, c in book.cells.items() if c.formula and c.value}
    empty = {str(ref) for ref, c in book.cells.items() if c.formula and c.value is None}
    z_1, w_1_new = book.name_ref("z_1"), book.name_ref("w_1_new")
    assert str(z_1) in stored and str(w_1_new) in empty
    assert stored == {k: v for k, v in _labelled(key_values).items() if k in stored}
    assert not any(
        re.search(r"\b(delta|dL_d)", book.cells[ref].formula) for ref in _refs(book, stored)
    )


def _labelled(values) -> dict:
    return {
        f"{sheet}!{ref}": v for sheet, cells in values.items() for ref, v in cells.as_dict().items()
    }


def _refs(book, labels):
    return [ref for ref in book.cells if str(ref) in labels]


def test_properties_name_the_tool_and_its_version(classic):
    core = _part(classic, "docProps/core.xml")
    assert re.search(rf"<dc:creator>[^<]*worksheet {re.escape(__version__)}</dc:creator>", core)
    assert "<dc:title>" in core and "<dc:subject>" in core


def test_generate_without_stored_values_leaves_them_empty(tmp_path):
    path = tmp_path / "plain.xlsx"
    generate(_spec("classic"), path, stored=False)
    book = read_book(path)
    assert not [ref for ref, c in book.cells.items() if c.formula and c.value is not None]


def test_a_failed_write_with_stored_values_leaves_nothing_behind(tmp_path, monkeypatch):
    from worksheet.render import book as writer

    def broken(book, filename, values):
        Path(filename).write_bytes(b"half")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(writer, "save_with_values", broken)
    target = tmp_path / "a.xlsx"
    target.write_bytes(b"old")
    with pytest.raises(writer.WorksheetError, match="No space left"):
        generate(_spec("classic"), target, force=True)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.xlsx"]


def test_a_book_the_evaluator_refuses_is_saved_without_values(tmp_path):
    """A student's circular formula: the marked copy is still written, storing nothing."""
    book = Workbook()
    book.active["A1"], book.active["A2"] = "=A2+1", "=A1+1"
    assert computed_values(book) == {}
    save_atomic(book, tmp_path / "c.xlsx", force=False, values=computed_values(book))
    assert [c.value for c in read_book(tmp_path / "c.xlsx").cells.values()] == [None, None]


def test_a_sheet_reading_the_tables_without_numpy_values_is_still_valued(tmp_path, monkeypatch):
    """Were the Summary sheet unknown to ``training_values``, its formulas (which read the
    Training sheet) would make the evaluator refuse the small sheets: everything is then
    evaluated instead, and every formula still stores its value."""
    from worksheet.render import generate as pipeline
    from worksheet.sheets.summary import SUMMARY

    known = pipeline.training_values
    monkeypatch.setattr(
        pipeline,
        "training_values",
        lambda spec, runs: {k: v for k, v in known(spec, runs).items() if k != SUMMARY},
    )
    path = tmp_path / "adam.xlsx"
    generate(_spec("xor", epochs=5, optimizer="adam"), path)
    book = read_book(path)
    formulas = [ref for ref, c in book.cells.items() if c.formula]
    assert {ref.sheet for ref in formulas} >= {"Step", "Network", SUMMARY}
    assert [str(ref) for ref in formulas if book.cells[ref].value is None] == []
    assert run("check", path).exit_code == 0
