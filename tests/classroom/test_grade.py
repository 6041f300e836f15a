"""Grading: correct, carried forward, wrong, blank, not a number; the marked copy; the CLI."""

from __future__ import annotations

import csv
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest
from conftest import run

from worksheet.classroom import grade as grade_module
from worksheet.classroom.grade import (
    BLANK,
    CARRIED,
    CORRECT,
    NOT_A_NUMBER,
    WRONG,
    answer_cells,
    close,
    grade_file,
)
from worksheet.classroom.grade_report import CSV_HEADER, comment, verdict_text
from worksheet.classroom.marking import ROLES
from worksheet.classroom.record import read_record
from worksheet.errors import BookError
from worksheet.evaluator import Cell, evaluate, read_book
from worksheet.render.marked_copy import FILLS
from worksheet.verify.readback import spec_from_book


def handout(folder: Path, *args: str) -> tuple[Path, Path]:
    """A fresh student copy and key in ``folder``."""
    result = run("generate", *args, "--student", "-o", str(folder / "h.xlsx"))
    assert result.exit_code == 0, result.output
    return folder / "h-student.xlsx", folder / "h-key.xlsx"


def answers(student: Path) -> dict:
    book = read_book(student)
    return answer_cells(book, spec_from_book(book), read_record(book).sections)


def key_values(student: Path, key: Path) -> dict:
    """The right value of every answer cell (the key has the same layout)."""
    values = evaluate(read_book(key))
    return {ref: values[ref] for ref in answers(student)}


def by_hand(student: Path, wrong: dict) -> dict:
    """What a student working with a calculator writes: each answer from their own earlier
    answers, with the values in ``wrong`` (by name, on the first sheet) typed in instead."""
    book, cells = read_book(student), {}
    for ref, answer in answers(student).items():
        typed = wrong.get(answer.name) if ref.sheet == "Step" else None
        cells[ref] = Cell(None, typed) if typed is not None else Cell(answer.formula, None)
    values = evaluate(replace(book, cells={**book.cells, **cells}))
    return {ref: float(f"{values.get(ref, cell.value):.6g}") for ref, cell in cells.items()}


def fill(student: Path, entries: dict, out: Path | None = None) -> Path:
    """Type ``entries`` (ref -> number, text or formula) into a copy of the student file."""
    book = openpyxl.load_workbook(student)
    for ref, value in entries.items():
        book[ref.sheet].cell(ref.row, ref.col).value = value
    out = out or student.with_name("filled.xlsx")
    book.save(out)
    return out


def four_figures(values: dict) -> dict:
    return {ref: float(f"{v:.4g}") for ref, v in values.items()}


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["mazur", "--blank", "backward,gradient"],
        ["--steps", "2"],
        ["--layers", "2,2,1", "--loss", "bce", "--activations", "tanh,sigmoid"],
        ["--round", "4"],
    ],
)
def test_right_numbers_to_four_figures_score_full_marks(tmp_path, args):
    student, key = handout(tmp_path, *args)
    grade = grade_file(fill(student, four_figures(key_values(student, key))))
    assert {m.verdict for m in grade.marks} == {CORRECT}
    assert grade.score() == (len(grade.marks), len(grade.marks))


def test_key_formulas_typed_in_score_full_marks(tmp_path):
    student, _ = handout(tmp_path, "mazur", "--steps", "2")
    grade = grade_file(fill(student, {ref: a.formula for ref, a in answers(student).items()}))
    assert {m.verdict for m in grade.marks} == {CORRECT}


@pytest.mark.parametrize("formulas", [False, True])
def test_one_wrong_early_value_loses_only_that_cell(tmp_path, formulas):
    student, _ = handout(tmp_path, "mazur")
    cells = answers(student)
    if formulas:  # z_1 typed wrong, every other answer a right formula reading it
        entries = {ref: 0.5 if a.name == "z_1" else a.formula for ref, a in cells.items()}
    else:  # worked by hand from the wrong z_1, each value to 6 figures
        entries = by_hand(student, {"z_1": 0.5})
    grade = grade_file(fill(student, entries))
    verdicts = {m.name: m.verdict for m in grade.marks}
    assert verdicts.pop("z_1") == WRONG
    assert set(verdicts.values()) == {CORRECT, CARRIED}
    assert verdicts["h_1"] == verdicts["yhat_1"] == verdicts["L_total"] == CARRIED
    assert verdicts["z_2"] == verdicts["h_2"] == CORRECT  # they do not read z_1
    assert grade.score() == (len(cells) - 1, len(cells))
    assert grade.score("forward") == (7, 8)


def test_no_credit_carried_from_a_zero_typed_where_it_is_not_zero(tmp_path):
    """∂L/∂ŷ typed as 0: every gradient after it is 0 "from your own values", and the new
    weights the old ones; none of that is carried-forward credit. The forward pass is."""
    student, _ = handout(tmp_path, "classic")
    grade = grade_file(fill(student, by_hand(student, {"dL_dyhat_1": 0.0})))
    verdicts = {m.name: m.verdict for m in grade.marks}
    assert verdicts["dL_dyhat_1"] == WRONG
    assert verdicts["z_1"] == verdicts["L_total"] == CORRECT
    for name in ("delta_2", "dL_dw_1", "dL_dw_2", "w_1_new", "b_2_new"):
        assert verdicts[name] == WRONG, name
    assert "0 typed" in next(m.note for m in grade.marks if m.name == "dL_dw_1")
    assert CARRIED not in {verdicts[n] for n in ("delta_1", "dL_db_1", "w_2_new")}


def test_credit_is_carried_from_one_step_sheet_to_the_next(tmp_path):
    student, _ = handout(tmp_path, "--steps", "2")
    grade = grade_file(fill(student, by_hand(student, {"w_1_new": 0.3})))
    wrong = [(m.ref.sheet, m.name) for m in grade.marks if not m.credit]
    assert wrong == [("Step", "w_1_new")]
    carried = {(m.ref.sheet, m.name) for m in grade.marks if m.verdict == CARRIED}
    assert ("Step 2", "z_1_s2") in carried


def test_a_wrong_value_that_does_not_follow_is_wrong(tmp_path):
    student, key = handout(tmp_path)
    values = key_values(student, key)
    names = {a.name: ref for ref, a in answers(student).items()}
    values[names["z_1"]] = 0.5  # and h_1 neither right nor σ(0.5)
    values[names["h_1"]] = 0.1
    grade = grade_file(fill(student, values))
    verdicts = {m.name: m.verdict for m in grade.marks}
    assert verdicts["z_1"] == verdicts["h_1"] == WRONG
    mark = next(m for m in grade.marks if m.name == "h_1")
    assert close(mark.own, 0.6224593312, 1e-9)  # σ(0.5): what their own z_1 gives


@pytest.mark.parametrize(
    "typed, verdict, note",
    [
        (None, BLANK, ""),
        ("   ", BLANK, ""),
        ("0.9 approx", NOT_A_NUMBER, "text"),
        (True, NOT_A_NUMBER, "TRUE or FALSE"),
        ("=1/0", NOT_A_NUMBER, "error value"),
        ("=LN(-1)", NOT_A_NUMBER, "error value"),
        ("=SIN(1)", NOT_A_NUMBER, "unsupported function"),
        ('=INDIRECT("A1")', NOT_A_NUMBER, "INDIRECT"),  # refused, never run
        ("=z_1+1", NOT_A_NUMBER, "circular"),
        ("=[other.xlsx]Sheet1!A1", NOT_A_NUMBER, "cannot evaluate"),
    ],
)
def test_answers_that_are_not_numbers(tmp_path, typed, verdict, note):
    student, key = handout(tmp_path)
    values = key_values(student, key)
    names = {a.name: ref for ref, a in answers(student).items()}
    values[names["z_1"]] = typed
    values[names["h_1"]] = "=1/(1+EXP(-0.902))"  # right, and not reading z_1
    grade = grade_file(fill(student, values))
    mark = next(m for m in grade.marks if m.name == "z_1")
    assert mark.verdict == verdict and note in mark.note
    assert grade.score() == (len(values) - 1, len(values))


def test_marked_copy_colours_and_notes_every_answer(tmp_path):
    student, _ = handout(tmp_path)
    cells = answers(student)
    entries = {ref: a.formula for ref, a in cells.items()}
    names = {a.name: ref for ref, a in cells.items()}
    entries[names["z_1"]], entries[names["z_2"]], entries[names["L_1"]] = 0.5, None, "?"
    filled = fill(student, entries)
    result = run("grade", str(filled))
    assert result.exit_code == 0, result.output
    marked = openpyxl.load_workbook(tmp_path / "filled-marked.xlsx")
    expected = {"z_1": WRONG, "h_1": CARRIED, "z_2": BLANK, "L_1": NOT_A_NUMBER, "b_1_new": CORRECT}
    for name, verdict in expected.items():
        cell = marked["Step"].cell(names[name].row, names[name].col)
        assert cell.fill.fgColor.rgb == FILLS[ROLES[verdict]].fgColor.rgb
        assert cell.comment.text.startswith(f"{verdict}: expected ")
    assert "from your own earlier values" in marked["Step"].cell(names["h_1"].row, 4).comment.text
    # the student's formula is shown as text beside its value, never run by opening the copy
    h_1 = marked["Step"].cell(names["h_1"].row, 4).value
    assert isinstance(h_1, float) and abs(h_1 - 0.6224593312) < 1e-9  # σ(0.5)
    assert marked["Step"].cell(names["h_1"].row, 5).value == entries[names["h_1"]]
    assert marked["Step"].cell(names["L_1"].row, 4).value == "?"
    assert "Marks" in marked.sheetnames
    with pytest.raises(BookError, match="marked copy"):
        grade_file(tmp_path / "filled-marked.xlsx")


def test_cli_prints_sections_and_cells(tmp_path):
    student, _ = handout(tmp_path, "--blank", "forward,loss")
    entries = {ref: a.formula for ref, a in answers(student).items()}
    first = next(iter(entries))
    entries[first] = 0.5
    result = run("grade", str(fill(student, entries)))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].endswith("filled: 5/6 (83.3%)")
    assert lines[1].split() == ["forward", "3/4"] and lines[2].split() == ["loss", "2/2"]
    assert "Step!D5  z_1  wrong: expected 0.902, got 0.5" in result.output
    assert "h_1  correct (carried forward)" in result.output


def test_csv_gets_one_line_per_student_and_the_header_once(tmp_path):
    student, key = handout(tmp_path, "--blank", "forward,loss")
    right = fill(student, key_values(student, key), tmp_path / "ada.xlsx")
    empty = fill(student, {}, tmp_path / "bob.xlsx")
    for path in (right, empty):
        assert run("grade", str(path), "--csv", str(tmp_path / "class.csv")).exit_code == 0
    with (tmp_path / "class.csv").open(newline="") as handle:
        rows = list(csv.reader(handle))
    assert tuple(rows[0]) == CSV_HEADER and len(rows) == 3
    line = dict(zip(CSV_HEADER, rows[1]))
    assert (line["name"], line["forward"], line["loss"], line["backward"]) == (
        "ada",
        "100.0",
        "100.0",
        "",
    )
    assert (line["points"], line["out_of"], line["total"]) == ("6", "6", "100.0")
    assert dict(zip(CSV_HEADER, rows[2]))["total"] == "0.0"


def test_a_foreign_csv_is_refused_before_anything_is_written(tmp_path):
    student, _ = handout(tmp_path)
    (tmp_path / "other.csv").write_text("a,b\n1,2\n")
    result = run("grade", str(student), "--csv", str(tmp_path / "other.csv"))
    assert result.exit_code == 2 and "other.csv" in result.output
    assert not (tmp_path / "h-student-marked.xlsx").exists()
    assert (tmp_path / "other.csv").read_text() == "a,b\n1,2\n"


def test_marked_copy_is_replaced_only_with_force(tmp_path):
    student, _ = handout(tmp_path)
    assert run("grade", str(student)).exit_code == 0
    result = run("grade", str(student))
    assert result.exit_code == 2 and "already exists (use --force" in result.output
    assert run("grade", str(student), "--force").exit_code == 0


def test_tolerance_option(tmp_path):
    student, key = handout(tmp_path)
    filled = fill(student, four_figures(key_values(student, key)))
    result = run("grade", str(filled), "--tolerance", "1e-9")
    assert result.exit_code == 0 and "(100.0%)" not in result.output.splitlines()[0]
    assert run("grade", str(filled), "--tolerance", "2", "--force").exit_code == 2


def test_without_the_key_the_grade_says_it_is_not_verified(tmp_path):
    student, _ = handout(tmp_path)
    result = run("grade", str(student), "--csv", str(tmp_path / "m.csv"))
    assert result.exit_code == 0
    assert "integrity: NOT VERIFIED (graded without --key or --class" in result.output
    with (tmp_path / "m.csv").open(newline="") as handle:
        assert list(csv.DictReader(handle))[0]["integrity"].startswith("NOT VERIFIED")
    marks = openpyxl.load_workbook(tmp_path / "h-student-marked.xlsx")["Marks"]
    assert marks["A3"].value.startswith("NOT VERIFIED")  # under the title and colour key


@pytest.mark.parametrize(
    "make, fragment",
    [
        (lambda d: run("generate", "-o", str(d / "f.xlsx")), "not a student workbook"),
        (lambda d: handout(d), "answer key"),
        (lambda d: (d / "f.xlsx").write_text("hello"), "not a zip"),
        (lambda d: None, "no such file"),
    ],
)
def test_grade_refuses_what_is_not_a_student_workbook(tmp_path, make, fragment):
    make(tmp_path)
    target = tmp_path / ("h-key.xlsx" if "key" in fragment else "f.xlsx")
    result = run("grade", str(target))
    assert result.exit_code == 2 and fragment in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert not list(tmp_path.glob("*-marked.xlsx"))


def test_a_student_who_removed_an_answer_name_is_refused(tmp_path):
    student, _ = handout(tmp_path)
    book = openpyxl.load_workbook(student)
    del book.defined_names["z_1"]
    book.save(student)
    result = run("grade", str(student))
    assert result.exit_code == 2 and "no answer cell named z_1" in result.output


def test_a_class_of_unevaluable_answers_costs_one_pass_not_one_each(tmp_path, monkeypatch):
    """Every answer an INDIRECT: all are found in one compile, and the book is evaluated a
    fixed number of times however many there are (it was once per answer: 9 minutes for the
    7,110 answers of an 8-8-8-8-4 network over ten steps)."""
    student, _ = handout(tmp_path, "--layers", "2,2,2", "--steps", "3")
    cells = answers(student)
    runs = []
    monkeypatch.setattr(
        grade_module, "evaluate", lambda *a, **k: runs.append(1) or evaluate(*a, **k)
    )
    grade = grade_file(fill(student, {ref: '=INDIRECT("A1")' for ref in cells}))
    assert len(cells) > 60 and grade.score() == (0, len(cells))
    assert all(m.verdict == NOT_A_NUMBER and "INDIRECT" in m.note for m in grade.marks)
    assert len(runs) <= 2


def test_circular_answers_are_all_marked(tmp_path):
    student, _ = handout(tmp_path, "--layers", "2,2,2", "--steps", "3")
    refs = [ref for ref, a in answers(student).items() if ref.sheet != "Step"]

    def cycles(n: int) -> dict:  # n answers each reading itself
        return {ref: f"={a1(ref)}+1" for ref in refs[:n]}

    grade = grade_file(fill(student, cycles(3)))
    assert sum("circular" in m.note for m in grade.marks) == 3
    typed = [m.typed for m in grade.marks if "circular" in m.note]
    assert typed == [f"={a1(ref)}+1" for ref in refs[:3]]  # shown in the marked copy
    # once refused past 50 (each cycle cost an evaluation); now all are found in one pass
    grade = grade_file(fill(student, cycles(len(refs))))
    assert len(refs) > 51 and sum("circular" in m.note for m in grade.marks) == len(refs)


def a1(ref) -> str:
    return f"{openpyxl.utils.get_column_letter(ref.col)}{ref.row}"


def test_a_student_file_renamed_without_its_suffix_is_graded(tmp_path):
    student, _ = handout(tmp_path)
    renamed = tmp_path / "ada"
    student.rename(renamed)
    result = run("grade", str(renamed))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "ada-marked.xlsx").is_file()


def test_marked_copy_keeps_the_handouts_title(tmp_path):
    """The title is read back from the Givens heading (it is no given): a marked copy of
    Mazur's handout is headed with his title, not the default one."""
    student, key = handout(tmp_path, "mazur")
    assert spec_from_book(read_book(key)).title == "Mazur's worked example"
    result = run("grade", str(student), "--key", str(key))
    assert result.exit_code == 0, result.output
    marked = openpyxl.load_workbook(tmp_path / "h-student-marked.xlsx")
    assert marked["Givens"]["A1"].value == "Mazur's worked example: givens"
    assert marked["Step"]["A1"].value.startswith("Mazur's worked example: ")


# Every backward answer but the two slopes σ(1−σ), which read only the forward pass.
NEXT_TO_ZERO = ("dL_dyhat_1", "delta_2", "dL_dh_1", "delta_1", "dL_dw_1", "dL_dw_2")
NEXT_TO_ZERO += ("dL_dw_3", "dL_db_1", "dL_db_2")


@pytest.mark.parametrize(
    "typed, by_hand_, tolerance",
    [
        (1e-9, False, 1e-3),  # the review's attack: 28/29 before
        (1e-9, True, 1e-3),  # the same worked by hand from 1e-9, to 6 figures
        (-3e-7, False, 1e-3),  # under the absolute floor near 0 (1e-6)
        (3e-4, True, 1e-3),  # over it, but a two-thousandth of ∂L/∂ŷ (-0.595982)
        (1e-9, False, 1e-9),  # a strict --tolerance does not make 1e-9 a value again
    ],
)
def test_no_credit_carried_from_values_next_to_zero(tmp_path, typed, by_hand_, tolerance):
    """1e-9 typed for ∂L/∂ŷ and every backward answer: each product after it is next to 0
    "from your own values" within the floor, and the new weights the old ones. Only the
    forward pass, the loss and the two slopes (right, reading only the forward pass) earn."""
    student, _ = handout(tmp_path, "classic")
    cells = answers(student)
    if by_hand_:
        entries = by_hand(student, {"dL_dyhat_1": typed})
    else:
        entries = {r: typed if a.name in NEXT_TO_ZERO else a.formula for r, a in cells.items()}
    grade = grade_file(fill(student, entries), tolerance)
    credited = {m.name for m in grade.marks if m.credit}
    assert credited == {"z_1", "h_1", "z_2", "yhat_1", "L_1", "L_total", "dyhat_dz_2", "dh_dz_1"}
    assert grade.score() == (8, 29)
    notes = {m.name: m.note for m in grade.marks}
    assert "next to 0 where the right value is not" in notes["dL_dyhat_1"]
    why = f"no credit carried from {typed:.6g} typed for dL_dyhat_1, next to 0"
    for name in ("w_1_new", "b_2_new", "z_1_new", "L_change"):
        assert notes[name] == why, name
    w_1_new = next(m for m in grade.marks if m.name == "w_1_new")
    assert verdict_text(w_1_new) == f"wrong ({notes['w_1_new']})"  # printed beside it
    assert comment(w_1_new).startswith("wrong: expected 0.254051, got 0.2")
    assert f"({notes['w_1_new']}); from your own earlier values" in comment(w_1_new)


@pytest.mark.parametrize(
    "delta_2",
    [
        -0.1345,  # -0.1435 with two digits swapped
        0.143505,  # the sign lost
        -0.0143505,  # the decimal point one place out: a tenth, not next to 0
        -0.00143505,  # two places: a hundredth, still a slip
    ],
)
def test_a_slip_still_carries_forward(tmp_path, delta_2):
    student, _ = handout(tmp_path, "classic")
    grade = grade_file(fill(student, by_hand(student, {"delta_2": delta_2})))
    verdicts = {m.name: m.verdict for m in grade.marks}
    assert verdicts.pop("delta_2") == WRONG
    assert set(verdicts.values()) == {CORRECT, CARRIED}
    for name in ("dL_dh_1", "delta_1", "dL_dw_1", "dL_dw_3", "w_3_new", "L_change"):
        assert verdicts[name] == CARRIED, name
    assert grade.score() == (28, 29)
    assert all(not m.note for m in grade.marks)


def test_only_what_follows_from_the_value_next_to_zero_loses_credit(tmp_path):
    """A slip in z₁ carried forward to four figures, and ∂L/∂b₁ typed as 1e-9: b₁′ and the
    check rows it moves lose the credit, the rest keeps it (the student's rounding moves
    nothing: both runs feed the same rounded values)."""
    student, _ = handout(tmp_path, "classic")
    entries = four_figures(by_hand(student, {"z_1": 0.92, "dL_db_1": 1e-9}))
    marks = grade_file(fill(student, entries)).marks
    lost = {m.name for m in marks if not m.credit}
    # b₁′ moves by η·δ₁ = 0.008: z₁′ and h₁′ by as much, z₂′ by 0.35%, ŷ′ (through
    # σ′ = 0.24) by 0.06%, within the tolerance: from there the student's values stand
    assert lost == {"z_1", "dL_db_1", "b_1_new", "z_1_new", "h_1_new", "z_2_new"}
    verdicts = {m.name: m.verdict for m in marks}
    assert verdicts["h_1"] == verdicts["delta_1"] == verdicts["L_change"] == CARRIED


@pytest.mark.parametrize("w_1_new, verdict", [(0.25, WRONG), (None, CARRIED)])
def test_an_update_typed_as_nothing_moved_earns_nothing(tmp_path, w_1_new, verdict):
    """∂L/∂w₁ typed 3e-4 (-0.0081 right: wrong, not next to 0): the student's own step
    η × 3e-4 is under the tolerance, so w₁′ typed as w₁ = 0.25 would be "carried forward"
    with no update done, where the right one moves w₁ to 0.254. Typed as their own step
    gives it (0.24985, 0.2499 to four figures, not 0.2500), it shows the update: carried
    forward.  (A step that rounds away at four figures, 0.24995 written 0.2500, is an honest
    rounding: see the next test.)"""
    student, _ = handout(tmp_path, "classic")
    typed = {"dL_dw_1": 3e-4} | ({"w_1_new": w_1_new} if w_1_new else {})
    marks = {m.name: m for m in grade_file(fill(student, by_hand(student, typed))).marks}
    assert marks["dL_dw_1"].verdict == WRONG and not marks["dL_dw_1"].note
    assert marks["w_1_new"].verdict == marks["z_1_new"].verdict == verdict
    if verdict == WRONG:
        assert marks["w_1_new"].note.startswith("the same as w_1 (0.25): nothing moved")
        assert marks["z_1_new"].note.startswith("no credit carried from 0.25 typed for w_1_new")
    assert marks["w_2_new"].verdict == marks["b_2_new"].verdict == CORRECT


@pytest.mark.parametrize(("paper", "size"), [("letter", "1"), ("a4", "9")])
def test_the_marked_copy_prints_on_the_paper_asked_for(tmp_path, paper, size):
    student, key = handout(tmp_path)
    result = run("grade", str(student), "--key", str(key), "--paper", paper)
    assert result.exit_code == 0, result.output
    marked = openpyxl.load_workbook(tmp_path / "h-student-marked.xlsx")
    assert {str(sheet.page_setup.paperSize) for sheet in marked.worksheets} == {size}


def test_an_update_rounded_to_four_figures_is_not_nothing_moved(tmp_path):
    """A decimal point two places out in δ₂ makes the student's own step tiny: their w₁′ is
    0.25004, honestly written 0.2500 to the four figures the marking asks for.  That is no
    "nothing moved" (the review found 22/29 for it, 28/29 at six figures)."""
    student, _ = handout(tmp_path, "classic")
    right = key_values(student, student.with_name("h-key.xlsx"))
    names = {a.name: ref for ref, a in answers(student).items()}
    slip = {"delta_2": right[names["delta_2"]] / 100}
    six = grade_file(fill(student, by_hand(student, slip))).marks
    four = grade_file(fill(student, four_figures(by_hand(student, slip)))).marks
    assert sum(m.credit for m in six) == len(six) - 1
    assert not any("nothing moved" in (m.note or "") for m in four)
    # (four figures lose the loss change too: L′ − L of two rounded losses that differ by
    # less than their last figure is the test's rounding, not the rule's)
    assert sum(m.credit for m in four) >= len(four) - 2
