"""The marked copy of a student's workbook, and the whole ``grade`` run in order.

The copy is the student's own file, loaded with openpyxl (it never runs anything either),
with each answer cell coloured by its verdict and a note giving the expected value, a
``Marks`` sheet with the scores, and its record changed to "marked" so it is not graded
again by mistake.
"""

from __future__ import annotations

from pathlib import Path
from zipfile import BadZipFile

from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill
from openpyxl.utils.exceptions import InvalidFileException

from worksheet.classroom.grade import (
    BLANK,
    CARRIED,
    CORRECT,
    NOT_A_NUMBER,
    TOLERANCE,
    WRONG,
    Grade,
    grade_file,
)
from worksheet.classroom.grade_report import append_csv, check_csv, comment, percent
from worksheet.classroom.record import KIND, MARKED_KIND
from worksheet.errors import BookError
from worksheet.files.outputs import check_output
from worksheet.render import styles
from worksheet.render.book import save_atomic

FILLS = {
    CORRECT: PatternFill("solid", fgColor="C6EFCE"),  # green
    CARRIED: PatternFill("solid", fgColor="F8CBAD"),  # orange
    WRONG: PatternFill("solid", fgColor="FF9F9F"),  # red
    NOT_A_NUMBER: PatternFill("solid", fgColor="FF9F9F"),
    BLANK: PatternFill("solid", fgColor="BFBFBF"),  # grey
}
MARKS = "Marks"


def marked_path(path: Path) -> Path:
    """``class/ada-student.xlsx`` -> ``class/ada-student-marked.xlsx``."""
    path = Path(path)
    return path.with_name(f"{path.stem}-marked.xlsx")


def mark_file(
    path: Path,
    tolerance: float = TOLERANCE,
    csv_path: Path | None = None,
    force: bool = False,
) -> tuple[Grade, Path]:
    """Grade ``path``, write its marked copy and, with ``csv_path``, append the class line.

    Everything that can refuse does so before anything is written."""
    marked = marked_path(path)
    check_output(marked, ".xlsx", force, [path])
    if csv_path is not None:
        check_output(csv_path, None, True, [path, marked])  # appended to, so it may exist
        check_csv(csv_path)
    grade = grade_file(path, tolerance)
    write_marked(grade, marked, force)
    if csv_path is not None:
        append_csv(grade, csv_path)
    return grade, marked


def write_marked(grade: Grade, path: Path, force: bool = False) -> None:
    try:
        with open(grade.path, "rb") as handle:  # a handle: openpyxl judges a path by its suffix
            book = load_workbook(handle)
    except (OSError, BadZipFile, KeyError, ValueError, InvalidFileException) as exc:
        raise BookError(f"{grade.path}: cannot copy for marking ({exc})") from None
    for m in grade.marks:
        cell = book[m.ref.sheet].cell(m.ref.row, m.ref.col)
        cell.fill = FILLS[m.verdict]
        cell.comment = Comment(comment(m), "worksheet grade", width=320, height=90)
    _set_kind(book)
    _marks_sheet(book, grade)
    save_atomic(book, path, force)


def _set_kind(book: Workbook) -> None:
    for sheet, ref in book.defined_names[KIND.name].destinations:
        book[sheet][ref.replace("$", "")].value = MARKED_KIND


def _marks_sheet(book: Workbook, grade: Grade) -> None:
    sheet = book.create_sheet(MARKS)
    sheet["A1"] = f"Marks: {grade.student}"
    sheet["A1"].font = styles.TITLE_FONT
    rows = [(s, *grade.score(s)) for s in grade.record.sections] + [("total", *grade.score())]
    for r, (label, earned, out_of) in enumerate(rows, 3):
        sheet.cell(r, 1, label).font = styles.BOLD if label == "total" else styles.CODE_FONT
        sheet.cell(r, 2, f"{earned}/{out_of}")
        sheet.cell(r, 3, f"{percent(earned, out_of)}%")
    for r, (verdict, fill) in enumerate(FILLS.items(), len(rows) + 4):
        sheet.cell(r, 1, verdict).fill = fill
    for col, width in zip("ABC", (28, 10, 10)):
        sheet.column_dimensions[col].width = width
