"""The marked copy reads on paper: verdicts and expected values in cells that print, a colour
key where the file opens, five colours for five verdicts, a Marks sheet listing every
answer, page setup for printing; and decimal commas typed as text."""

from __future__ import annotations

import csv
import math

import openpyxl
import pytest
from test_grade import answers, fill, handout, key_values, run

from worksheet.classroom.grade import BLANK, CARRIED, CORRECT, NOT_A_NUMBER, WRONG, grade_file
from worksheet.classroom.grade_report import comment, grade_text, verdict_text
from worksheet.classroom.integrity import load_key
from worksheet.classroom.marking import ROLES, mark_file
from worksheet.classroom.typed import decimal_comma
from worksheet.render.marked_copy import BESIDE
from worksheet.render.marks_sheet import COLUMNS, MARKS
from worksheet.render.verdicts import FILLS, ROLE_WORDS
from worksheet.sheets.layout import plan


@pytest.mark.parametrize(
    "typed, number",
    [
        ("0,5987", 0.5987),
        (" -1,25 ", -1.25),
        ("+3,0", 3.0),
        ("1,000", 1.0),  # one comma, digits around it: read as a decimal comma, and said so
        ("0.5", None),  # a point: a spreadsheet would have read it as a number already
        ("0,5.1", None),
        ("1,2,3", None),
        (",5", None),
        ("5,", None),
        ("0, 5", None),
        ("٠,٥", None),  # Arabic-Indic digits: not ASCII
        ("about 0,5", None),
        (0.5, None),
        (None, None),
    ],
)
def test_decimal_comma(typed, number):
    assert decimal_comma(typed) == number


@pytest.fixture(scope="module")
def marked(tmp_path_factory):
    """Mazur's handout, filled with every kind of verdict, graded against its key; the grade
    and the marked copy, opened (made once: the tests only read them)."""
    tmp_path = tmp_path_factory.mktemp("marked")
    student, key = handout(tmp_path, "mazur")
    values = key_values(student, key)
    names = {(ref.sheet, a.name): ref for ref, a in answers(student).items()}
    typed = {
        "z_1": "0,92",  # wrong, typed with a decimal comma
        "h_1": 1 / (1 + math.exp(-0.92)),  # carried forward from the comma-read z_1
        "z_2": f"{values[names[('Step', 'z_2')]]:.6f}".replace(".", ","),  # right, comma
        "L_1": "about 0.27",  # not a number
        "L_change": None,  # blank
    }
    for name, value in typed.items():
        values[names[("Step", name)]] = value
    filled = fill(student, values, tmp_path / "ada.xlsx")
    grade, path = mark_file(filled, teacher=load_key(key))
    return grade, openpyxl.load_workbook(path), names


def test_decimal_comma_is_read_and_said(marked):
    grade, _, _ = marked
    by_name = {m.name: m for m in grade.marks if m.ref.sheet == "Step"}
    assert by_name["z_1"].verdict == WRONG and by_name["z_1"].got == 0.92
    assert by_name["h_1"].verdict == CARRIED  # the key's formula fed 0.92, not the text
    assert by_name["z_2"].verdict == CORRECT
    assert "decimal comma" in verdict_text(by_name["z_2"]) and "'0,3925" in by_name["z_2"].note
    assert by_name["L_1"].verdict == NOT_A_NUMBER and by_name["L_change"].verdict == BLANK
    # the note on screen and the line printed for the teacher say it once each
    assert comment(by_name["z_2"]).startswith("correct: expected 0.3925 (decimal comma: '0,3925")
    assert ", got" not in comment(by_name["h_1"]) and "it would be" not in comment(by_name["h_1"])
    assert comment(by_name["z_1"]).startswith("wrong: expected 0.3775, got 0.92 (decimal comma")
    said = grade_text(grade)
    assert f"  {by_name['z_2'].ref}  z_2  correct: expected 0.3925 (decimal comma" in said


def test_each_answer_prints_its_verdict_and_expected_value_beside_it(marked):
    grade, book, _ = marked
    step = book["Step"]
    first = 7  # after symbol, meaning, maths, value, formula text, defined name
    assert [step.cell(3, first + k).value for k in range(3)] == [h for h, _ in BESIDE]
    for m in grade.marks:
        row = m.place[1]
        verdict, expected, own = (book[m.place[0]].cell(row, first + k) for k in range(3))
        assert verdict.value == verdict_text(m)
        assert verdict.fill.fgColor.rgb == FILLS[ROLES[m.verdict]].fgColor.rgb
        assert math.isclose(expected.value, m.expected, rel_tol=1e-15)
        if m.verdict == CARRIED:
            assert math.isclose(own.value, m.own, rel_tol=1e-15) and not math.isclose(
                own.value, m.expected, rel_tol=1e-3
            )
        assert step.row_dimensions[row].height or verdict.value.count(" ") < 3
    assert {m.verdict for m in grade.marks} == {CORRECT, CARRIED, WRONG, BLANK, NOT_A_NUMBER}
    headings = [r for r in range(4, step.max_row + 1) if step.cell(r, 1).value == "Loss"]
    shade = [step.cell(headings[0], col).fill.fgColor.rgb for col in (1, first + 2)]
    assert shade[0] == shade[1] != "00000000"  # the heading's grey runs on


def test_five_verdicts_five_colours_and_the_key_where_the_file_opens(marked):
    _, book, _ = marked
    assert len({fill.fgColor.rgb for fill in FILLS.values()}) == len(ROLES) == 5
    assert set(ROLES.values()) == set(FILLS)
    assert book.sheetnames[0] == MARKS and book.active.title == MARKS
    key = {c.value: c.fill.fgColor.rgb for c in book[MARKS][2] if c.value in ROLE_WORDS.values()}
    assert key == {ROLE_WORDS[role]: fill.fgColor.rgb for role, fill in FILLS.items()}
    legend = {c.value: c.fill.fgColor.rgb for c in book["Step"][2]}
    assert {ROLE_WORDS[role] for role in FILLS} <= set(legend)
    every_text = [c.value for sheet in book for row in sheet.iter_rows() for c in row]
    assert "your answer" not in every_text


def test_the_marks_sheet_lists_every_answer_cell(marked):
    grade, book, _ = marked
    rows = [[c.value for c in row] for row in book[MARKS].iter_rows(max_col=len(COLUMNS))]
    heading = rows.index([h for h, _ in COLUMNS])
    listed = rows[heading + 1 :]
    assert len(listed) == len(grade.marks)
    symbols = {(s.name, r): i.symbol.text for s in plan(grade.spec).steps for r, i in s.lines}
    for line, m in zip(listed, grade.marks):
        sheet, address, quantity, name, value, expected, own, verdict = line
        assert (sheet, name, verdict) == (m.place[0], m.name, verdict_text(m))
        assert book[sheet][address].comment is not None  # the answer cell it names
        assert math.isclose(expected, m.expected, rel_tol=1e-15)
        assert quantity == symbols[m.place[:2]]
    z_1, h_1 = (next(line for line in listed if line[3] == name) for name in ("z_1", "h_1"))
    assert z_1[2] == "z₁" and z_1[4] == 0.92 and z_1[6] is None  # read only givens
    assert math.isclose(h_1[6], 1 / (1 + math.exp(-0.92)), rel_tol=1e-12)  # from 0.92
    assert book[MARKS].print_title_rows.replace("$", "") == f"{heading + 1}:{heading + 1}"


def test_the_marked_copy_is_set_up_to_print(marked):
    _, book, _ = marked
    for sheet in book:
        assert "ada" in sheet.oddHeader.right.text  # the student's name on every page
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
    step = book["Step"]
    assert step.print_area.endswith("$A$1:$I$72")  # the verdict columns too
    assert step.page_setup.orientation == "landscape"
    assert (step.page_setup.fitToWidth, step.page_setup.fitToHeight) == (1, 0)
    assert step.print_title_rows.replace("$", "") == "1:3"


@pytest.mark.parametrize("how", ["--key", pytest.param("--class", marks=pytest.mark.slow)])
def test_regrading_with_force_keeps_one_line_per_student(tmp_path, how):
    if how == "--key":
        student, key = handout(tmp_path, "--blank", "forward")
        record = ["--key", str(key)]
    else:
        (tmp_path / "roster.txt").write_text("Ada Lovelace\nGrace Hopper\n")
        assert run("batch", str(tmp_path / "roster.txt"), "-o", str(tmp_path / "c")).exit_code == 0
        student = tmp_path / "c" / "ada-lovelace-student.xlsx"
        record = ["--class", str(tmp_path / "c" / "manifest.csv")]
    marks = tmp_path / "marks.csv"
    for extra in ([], ["--force"], ["--force"]):
        result = run("grade", str(student), *record, "--csv", str(marks), *extra)
        assert result.exit_code == 0, result.output
    with marks.open(newline="") as handle:
        lines = list(csv.reader(handle))
    assert len(lines) == 2 and lines[0][0] == "name", lines


def test_a_flagged_grade_prints_its_problems_on_the_marks_sheet(tmp_path):
    student, key = handout(tmp_path, "--blank", "forward")
    book = openpyxl.load_workbook(student)
    book["Givens"]["C10"].value = 0.9  # a given changed
    book.save(tmp_path / "bad.xlsx")
    grade, path = mark_file(tmp_path / "bad.xlsx", teacher=load_key(key))
    assert grade.integrity.flagged
    marks = openpyxl.load_workbook(path)[MARKS]
    lines = [c.value for c in marks["A"] if isinstance(c.value, str)]
    assert "FLAGGED" in lines and any(line.startswith("- givens differ") for line in lines)
    assert grade_file(tmp_path / "bad.xlsx", teacher=load_key(key)).integrity.flagged
