"""Student handout and key: blank answer cells, locked givens, the record, the CLI."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from conftest import run

from worksheet.classroom.consequences import waiting_cells
from worksheet.classroom.handout import (
    ANSWER_FILL,
    ANSWER_LEGEND,
    build_handout,
    handout_paths,
    handout_spec,
)
from worksheet.classroom.record import SECTION_KEYS, parse_sections, read_record
from worksheet.errors import BookError, SpecError
from worksheet.evaluator import read_book
from worksheet.sheets.layout import plan

TEXT_COLUMNS = ("symbol", "meaning", "maths", "name")


@pytest.mark.parametrize(
    "text, expected",
    [
        (None, SECTION_KEYS),
        ("forward", ("forward",)),
        ("loss, forward", ("forward", "loss")),  # step order, spaces allowed
        ("update,backward,update", ("backward", "update")),
        ("forward,loss,backward,gradient,update,check", SECTION_KEYS),
    ],
)
def test_parse_sections(text, expected):
    assert parse_sections(text) == expected


@pytest.mark.parametrize("text", ["", ",", "forward,givens", "start", "Forward"])
def test_parse_sections_refuses(text):
    with pytest.raises(SpecError, match="--blank"):
        parse_sections(text)


@pytest.mark.parametrize(
    "name, student, key",
    [
        ("out/x.xlsx", "out/x-student.xlsx", "out/x-key.xlsx"),
        ("x", "x-student.xlsx", "x-key.xlsx"),
        ("a.b.XLSX", "a.b-student.xlsx", "a.b-key.xlsx"),
    ],
)
def test_handout_paths(name, student, key):
    assert handout_paths(Path(name)) == (Path(student), Path(key))


def _values(sheet, row: int, layout, keys) -> tuple:
    return tuple(sheet.cell(row, layout.col(k)).value for k in keys)


@pytest.mark.parametrize(
    "sections",
    [SECTION_KEYS, ("forward",), ("backward", "gradient"), ("update", "check")],
)
def test_student_copy_blanks_only_the_chosen_sections(mazur_spec, sections):
    spec = handout_spec(mazur_spec)
    handout = build_handout(spec, sections)
    layout = plan(spec)
    waiting = {(s, r): f for s, r, _, f in waiting_cells(layout, sections)}
    blanked = 0
    for sheet_layout in layout.steps:
        student, key = handout.student[sheet_layout.name], handout.key[sheet_layout.name]
        for row, item in sheet_layout.lines:
            cell = student.cell(row, sheet_layout.col("value"))
            formula_text = student.cell(row, sheet_layout.col("formula")).value
            # symbol, meaning, maths and defined name are shown either way
            assert _values(student, row, sheet_layout, TEXT_COLUMNS) == _values(
                key, row, sheet_layout, TEXT_COLUMNS
            )
            if item.section in sections:
                blanked += 1
                assert cell.value is None and formula_text is None
                assert cell.fill.fgColor.rgb == ANSWER_FILL.fgColor.rgb
                assert cell.protection.locked is False
            else:  # a live cell that reads an answer waits for it; its maths stays plain
                plain = item.formula
                assert cell.value == waiting.get((sheet_layout.name, row), plain)
                assert formula_text.replace(" ", "") == plain  # spaced between terms
                assert cell.protection.locked is True
        assert student.protection.sheet and not key.protection.sheet
        legend = [student.cell(2, c).value for c in range(2, 8)]
        assert ANSWER_LEGEND in legend
    assert blanked == handout.answers > 0


def test_givens_are_filled_and_locked(workbook_spec):
    handout = build_handout(handout_spec(workbook_spec))
    givens = handout.student["Givens"]
    assert givens.protection.sheet is True and givens.protection.password is None
    ref = handout.student.defined_names["w_1"].attr_text.split("!")[1].replace("$", "")
    assert givens[ref].value == 0.15 and givens[ref].protection.locked is True


def test_handouts_leave_out_gradient_check_and_training(workbook_spec):
    from dataclasses import replace

    spec = handout_spec(replace(workbook_spec, epochs=3, lr_sweep=(0.1, 0.5)))
    assert not spec.gradcheck and spec.epochs == 0 and spec.lr_sweep == ()
    handout = build_handout(spec)
    assert handout.key.sheetnames == handout.student.sheetnames == ["Givens", "Step"]
    assert "eps" not in handout.key.defined_names


def test_cli_writes_both_files_and_the_key_checks(in_tmp):
    result = run("generate", "mazur", "--student", "--blank", "backward,gradient")
    assert result.exit_code == 0, result.output
    student = in_tmp / "output" / "backprop-student.xlsx"
    key = in_tmp / "output" / "backprop-key.xlsx"
    assert student.is_file() and key.is_file()
    assert not (in_tmp / "output" / "backprop.xlsx").exists()
    assert "worksheet grade output/backprop-student.xlsx" in result.output
    assert run("check", str(key)).exit_code == 0
    record = read_record(read_book(student))
    assert record.sections == ("backward", "gradient") and record.fingerprint
    with pytest.raises(BookError, match="answer key"):
        read_record(read_book(key))


@pytest.mark.parametrize(
    "option, shown", [(("--digits", "3"), "0.000"), (("--round", "2"), "0.00")]
)
def test_handouts_show_the_digits_asked_for(in_tmp, option, shown):
    """z₁ = 0.902 with 3 significant figures, or 2 decimals: the key prints as asked."""
    assert run("generate", "classic", "--student", *option).exit_code == 0
    key = openpyxl.load_workbook(in_tmp / "output" / "backprop-key.xlsx")
    z_1 = next(key.defined_names["z_1"].destinations)
    assert key[z_1[0]][z_1[1].replace("$", "")].number_format == shown


def test_cli_handout_keeps_existing_files_without_force(in_tmp):
    Path("h-key.xlsx").write_bytes(b"mine")
    result = run("generate", "--student", "-o", "h.xlsx")
    assert result.exit_code == 2 and "h-key.xlsx: already exists" in result.output
    assert not Path("h-student.xlsx").exists() and Path("h-key.xlsx").read_bytes() == b"mine"
    assert run("generate", "--student", "-o", "h.xlsx", "--force").exit_code == 0
    assert openpyxl.load_workbook("h-key.xlsx").sheetnames == ["Givens", "Step"]


@pytest.mark.parametrize(
    "args, fragment",
    [
        (["--blank", "forward"], "--blank needs --student"),
        (["--student", "--blank", "forward,bogus"], "'bogus'"),
        (["--student", "--blank", ""], "--blank"),
    ],
)
def test_cli_bad_blank(in_tmp, args, fragment):
    result = run("generate", "-o", "h.xlsx", *args)
    assert result.exit_code == 2 and fragment in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert not list(in_tmp.iterdir())


def test_cli_notes_what_handouts_leave_out(in_tmp):
    result = run("generate", "--student", "--epochs", "5", "-o", "h.xlsx")
    assert result.exit_code == 0, result.output
    assert "leave out the Training" in result.stderr
    assert openpyxl.load_workbook("h-student.xlsx").sheetnames == ["Givens", "Step"]


def test_later_steps_are_answer_cells_too(in_tmp):
    assert run("generate", "--student", "--steps", "2", "-o", "h.xlsx").exit_code == 0
    book = openpyxl.load_workbook("h-student.xlsx")
    assert book.sheetnames == ["Givens", "Step", "Step 2"]
    ref = book.defined_names["z_1_s2"].attr_text.split("!")[1].replace("$", "")
    assert book["Step 2"][ref].value is None
    # the start rows still read the previous sheet's (student's) updated weights, once typed
    ref = book.defined_names["w_1_s2"].attr_text.split("!")[1].replace("$", "")
    assert book["Step 2"][ref].value == '=IF(w_1_new="","",w_1_new)'


def test_finish_hook_touches_both_books_before_saving(tmp_path, workbook_spec):
    """The hook printing uses (page setup) on handouts: called once per book, with the name."""
    from worksheet.classroom.handout import write_handout

    seen = []

    def finish(book, student):
        seen.append(student)
        book["Step"].oddHeader.right.text = f"Student: {student}"

    written = write_handout(workbook_spec, tmp_path / "h.xlsx", student="Ada", finish=finish)
    assert seen == ["Ada", "Ada"]
    for path in (written.student, written.key):
        assert openpyxl.load_workbook(path)["Step"].oddHeader.right.text == "Student: Ada"
