"""The saved workbook, read back with openpyxl: structure, styling and golden formula dumps.

Golden files hold one ``Sheet!A1: =formula`` line per formula cell and one line per
defined name; regenerate them on purpose with ``UPDATE_GOLDEN=1 python -m pytest``.
"""

from __future__ import annotations

import os
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.formula.tokenizer import Token, Tokenizer

from worksheet.model.template import load_template, resolve
from worksheet.render.generate import generate

GOLDEN = Path(__file__).parent / "golden"
TEMPLATES = ["classic", "mazur", "two-hidden", "deep-bce"]
CELL_REF = re.compile(r"^\$?[A-Za-z]{1,3}\$?[0-9]+$")


def build(tmp_path, template: str) -> Path:
    path = tmp_path / f"{template}.xlsx"
    generate(resolve(load_template(template)).spec, path)
    return path


def dump(path: Path) -> str:
    book = openpyxl.load_workbook(path)
    lines = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    lines.append(f"{sheet.title}!{cell.coordinate}: {cell.value}")
    for name, defined in sorted(book.defined_names.items()):
        lines.append(f"name {name} -> {defined.attr_text}")
    for sheet in book.worksheets:
        for name, defined in sorted(sheet.defined_names.items()):
            lines.append(f"name {sheet.title}:{name} -> {defined.attr_text}")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("template", TEMPLATES)
def test_golden_dump(tmp_path, template):
    text = dump(build(tmp_path, template))
    golden = GOLDEN / f"{template}.txt"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(text)
    assert text == golden.read_text()


@pytest.mark.parametrize("template", TEMPLATES)
def test_values_are_formulas_of_names_and_givens_are_constants(tmp_path, template):
    book = openpyxl.load_workbook(build(tmp_path, template))
    step, givens = book["Step"], book["Givens"]
    formulas = 0
    for row in step.iter_rows(min_row=4):
        value, text = row[3], row[4]
        if text.value is None:
            continue  # a section heading
        assert value.data_type == "f", value.coordinate
        assert text.data_type == "s"  # a printable copy, spaced between its terms
        assert text.value.replace(" ", "") == value.value
        for token in Tokenizer(value.value).items:
            if token.type == Token.OPERAND and token.subtype == Token.RANGE:
                assert not CELL_REF.match(token.value), f"{value.coordinate}: {value.value}"
        formulas += 1
    on_step = [n for n, d in book.defined_names.items() if "Step!" in d.attr_text]
    check_names = [n for n in on_step if n.endswith(("_numeric", "_reldiff"))]
    check_names += [n for n in on_step if n.startswith(("L_plus_", "L_minus_"))]
    assert formulas == len(on_step) - len(check_names)
    for row in givens.iter_rows(min_row=4):
        assert row[2].data_type != "f"


def test_presentation(tmp_path):
    book = openpyxl.load_workbook(build(tmp_path, "classic"))
    for sheet in (book["Givens"], book["Step"]):
        assert sheet.freeze_panes == "A4"
        assert "legend" in str(sheet["A2"].value)
        assert sheet.column_dimensions["B"].width >= 26  # meanings wrap (printing.py)
    step = book["Step"]
    assert step["D5"].number_format.count("0") >= 7  # at least 6 significant figures
    assert step["D5"].fill.fgColor.rgb != book["Givens"]["C8"].fill.fgColor.rgb
    headings = [str(r) for r in step.merged_cells.ranges]
    assert "A4:F4" in headings


def test_a_failed_write_leaves_nothing_behind(tmp_path, monkeypatch):
    from worksheet.render import book as writer

    real = zipfile.ZipFile.writestr

    def disk_full(self, name, data, *args, **kwargs):  # a part is half written, then no room
        real(self, name, data[: len(data) // 2], *args, **kwargs)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(zipfile.ZipFile, "writestr", disk_full)
    target = tmp_path / "a.xlsx"
    target.write_bytes(b"old")
    with pytest.raises(writer.WorksheetError, match="No space left"):
        generate(resolve(load_template("classic")).spec, target, force=True)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.xlsx"]
