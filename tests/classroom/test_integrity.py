"""Grading against the teacher's record: every way a student can change what the file says
about itself is flagged (terminal, marked copy, CSV), and the marks come from the record."""

from __future__ import annotations

import csv
import hashlib
import zipfile
from pathlib import Path

import openpyxl
import pytest
from conftest import run
from test_grade import answers, fill, key_values

from worksheet.classroom.grade import CORRECT, grade_file
from worksheet.classroom.integrity import ClassRecord, load_key
from worksheet.classroom.record import givens_text
from worksheet.evaluator import read_book
from worksheet.verify.readback import spec_from_book


def handout(folder: Path, *args: str) -> tuple[Path, Path]:
    result = run("generate", *args, "--student", "-o", str(folder / "h.xlsx"))
    assert result.exit_code == 0, result.output
    return folder / "h-student.xlsx", folder / "h-key.xlsx"


def class_of(folder: Path, *names: str) -> Path:
    (folder / "roster.txt").write_text("\n".join(names) + "\n", encoding="utf-8")
    result = run("batch", str(folder / "roster.txt"), "-o", str(folder / "class"))
    assert result.exit_code == 0, result.output
    return folder / "class"


def right(student: Path, key: Path, out: Path | None = None) -> Path:
    """The student's copy with every answer right (to 6 figures)."""
    values = {ref: float(f"{v:.6g}") for ref, v in key_values(student, key).items()}
    return fill(student, values, out)


def record_cell(path: Path, name: str) -> tuple[openpyxl.Workbook, object]:
    book = openpyxl.load_workbook(path)
    sheet, ref = next(iter(book.defined_names[name].destinations))
    return book, book[sheet][ref.replace("$", "")]


def edit(path: Path, name: str, value: object) -> Path:
    """Unlock the file and set the cell a defined name points at (as a student can)."""
    book, cell = record_cell(path, name)
    for sheet in book.worksheets:
        sheet.protection.sheet = False
    cell.value = value
    book.save(path)
    return path


def unkeyed(path: Path) -> str:
    """The old, public digest of the givens, as a student would recompute it."""
    return hashlib.sha256(givens_text(spec_from_book(read_book(path))).encode()).hexdigest()[:12]


def test_a_clean_submission_is_verified_against_the_key(tmp_path):
    student, key = handout(tmp_path)
    filled = right(student, key)
    result = run("grade", str(filled), "--key", str(key), "--csv", str(tmp_path / "m.csv"))
    assert result.exit_code == 0, result.output
    assert "29/29" in result.output and f"integrity: verified against --key {key}" in result.output
    with (tmp_path / "m.csv").open(newline="") as handle:
        assert list(csv.DictReader(handle))[0]["integrity"].startswith("verified")


def test_the_secret_is_in_the_key_and_never_in_the_students_copy(tmp_path):
    student, key = handout(tmp_path)
    _, secret = record_cell(key, "handout_secret")
    assert len(secret.value) == 32
    for path, holds in ((key, True), (student, False)):
        with zipfile.ZipFile(path) as archive:
            text = b"".join(archive.read(name) for name in archive.namelist())
        assert (secret.value.encode() in text) is holds
        assert (b"handout_secret" in text) is holds


@pytest.mark.parametrize(
    "fingerprint, problem",
    [
        (None, "handout_fingerprint (Givens!"),  # deleted: "... is empty"
        ("=B1", "is a formula"),
        ("unkeyed", "handout_fingerprint is not the key's"),  # recomputed the old way
    ],
)
def test_changed_givens_are_flagged_and_graded_against_the_keys(tmp_path, fingerprint, problem):
    student, key = handout(tmp_path)
    edit(student, "w_1", 0.9)
    typed = unkeyed(student) if fingerprint == "unkeyed" else fingerprint
    edit(student, "handout_fingerprint", typed)
    # the student answers right for the givens they made: right for w_1 = 0.9 only
    changed_key = tmp_path / "changed-key.xlsx"
    edit(copy(key, changed_key), "w_1", 0.9)
    filled = right(student, changed_key)
    result = run("grade", str(filled), "--key", str(key))
    assert result.exit_code == 1, result.output
    assert "integrity: FLAGGED" in result.output and problem in result.output
    assert "givens differ from the key's: w_1 0.9 (key: 0.25)" in result.output
    grade = grade_file(filled, teacher=load_key(key))
    assert grade.integrity.flagged and grade.score()[0] < grade.score()[1]
    assert grade.spec.weights[0][0][0] == 0.25  # the key's givens were graded against
    assert next(m for m in grade.marks if m.name == "z_1").verdict == "wrong"


def copy(source: Path, target: Path) -> Path:
    target.write_bytes(source.read_bytes())
    return target


def test_narrowed_blank_sections_are_marked_against_the_record(tmp_path):
    student, key = handout(tmp_path)
    values = key_values(student, key)
    checks = {ref: v for ref, v in values.items() if answers(student)[ref].section == "check"}
    filled = edit(fill(student, checks), "blank_sections", "check")
    alone = run("grade", str(filled))  # without the key the file's claim is all there is
    assert "7/7" in alone.output and "NOT VERIFIED" in alone.output
    result = run(
        "grade", str(filled), "--key", str(key), "--force", "--csv", str(tmp_path / "m.csv")
    )
    assert result.exit_code == 1
    assert "7/29" in result.output.splitlines()[0]
    assert "blank_sections says 'check', the record 'forward,loss,backward" in result.output
    with (tmp_path / "m.csv").open(newline="") as handle:
        line = list(csv.DictReader(handle))[0]
    assert line["total"] != "100.0" and line["integrity"].startswith("FLAGGED")


def test_alices_work_renamed_to_bob_is_flagged_not_bobs_full_marks(tmp_path):
    folder = class_of(tmp_path, "Alice", "Bob")
    alice = right(folder / "alice-student.xlsx", folder / "alice-key.xlsx", tmp_path / "a.xlsx")
    alone = run("grade", str(alice), "--key", str(folder / "alice-key.xlsx"))
    assert alone.exit_code == 0 and "Alice: 29/29" in alone.output
    swapped = edit(alice, "student_name", "Bob")
    manifest = folder / "manifest.csv"
    result = run("grade", str(swapped), "--class", str(manifest), "--force")
    assert result.exit_code == 1, result.output
    assert "Bob: 29/29" not in result.output
    assert "student_seed says" in result.output  # Alice's seed, not Bob's
    assert "its givens are 'Alice''s variant" in result.output
    marks = openpyxl.load_workbook(tmp_path / "a-marked.xlsx")["Marks"]
    assert marks["A3"].value == "FLAGGED"  # under the title and colour key
    assert any("Alice" in str(c.value) for c in marks["A"])
    # with the seed changed too, the givens still give it away
    edit(swapped, "student_seed", "0")
    again = grade_file(swapped, teacher=ClassRecord(manifest))
    assert again.integrity.flagged and again.score()[0] < len(again.marks)
    assert any("Alice" in problem for problem in again.integrity.problems)


def test_a_class_submission_is_verified_through_the_manifest(tmp_path):
    folder = class_of(tmp_path, "Alice", "Bob")
    bob = right(folder / "bob-student.xlsx", folder / "bob-key.xlsx", tmp_path / "b.xlsx")
    grade = grade_file(bob, teacher=ClassRecord(folder / "manifest.csv"))
    assert not grade.integrity.flagged, grade.integrity.status
    assert grade.student == "Bob" and {m.verdict for m in grade.marks} == {CORRECT}


def test_graces_work_handed_in_under_adas_file_name_is_flagged(tmp_path):
    """Grace's whole copy, untouched inside, saved as Ada's handout: Grace's marks, flagged."""
    folder = class_of(tmp_path, "Ada", "Grace")
    work = right(folder / "grace-student.xlsx", folder / "grace-key.xlsx", tmp_path / "g.xlsx")
    handed_in = tmp_path / "ada-student.xlsx"
    handed_in.write_bytes(work.read_bytes())
    grade = grade_file(handed_in, teacher=ClassRecord(folder / "manifest.csv"))
    assert grade.student == "Grace" and grade.integrity.flagged
    assert "named as Ada's handout" in grade.integrity.status


def test_a_class_submission_with_the_name_deleted_is_found_by_its_file_name(tmp_path):
    folder = class_of(tmp_path, "Alice", "Bob")
    bob = edit(folder / "bob-student.xlsx", "student_name", None)
    grade = grade_file(bob, teacher=ClassRecord(folder / "manifest.csv"))
    assert grade.student == "Bob" and grade.integrity.flagged
    assert "student_name (Givens!" in grade.integrity.status or "says 'nothing'" in (
        grade.integrity.status
    )


def test_a_locked_formula_changed_gains_nothing_with_the_key(tmp_path):
    student, key = handout(tmp_path, "--blank", "backward")
    book = openpyxl.load_workbook(student)
    sheet, ref = next(iter(book.defined_names["z_1"].destinations))
    filled = right(student, key)
    book = openpyxl.load_workbook(filled)
    book[sheet].protection.sheet = False
    book[sheet][ref.replace("$", "")].value = 123  # a forward value, locked
    book.save(filled)
    grade = grade_file(filled, teacher=load_key(key))
    assert {m.verdict for m in grade.marks} == {CORRECT}  # graded on the key's forward pass


def test_a_sheet_name_shadowing_a_given_is_flagged_and_ignored(tmp_path):
    """A Step-scoped w_1 of the student's own would feed their formulas another weight."""
    from openpyxl.workbook.defined_name import DefinedName

    student, key = handout(tmp_path)
    filled = fill(student, {ref: a.formula for ref, a in answers(student).items()})
    book = openpyxl.load_workbook(filled)
    book["Step"]["H1"] = 0.9
    book["Step"].defined_names["w_1"] = DefinedName("w_1", attr_text="Step!$H$1")
    book.save(filled)
    alone = grade_file(filled)
    assert next(m for m in alone.marks if m.name == "z_1").verdict != CORRECT
    grade = grade_file(filled, teacher=load_key(key))
    assert "defined names changed: w_1 on Step" in grade.integrity.status
    assert {m.verdict for m in grade.marks} == {CORRECT}  # their formulas read the key's w_1


def test_the_key_passed_off_as_a_students_copy_is_flagged(tmp_path):
    student, key = handout(tmp_path)
    forged = edit(copy(key, tmp_path / "forged.xlsx"), "worksheet_kind", "student")
    grade = grade_file(forged, teacher=load_key(key))
    assert "it is an answer key" in grade.integrity.status
