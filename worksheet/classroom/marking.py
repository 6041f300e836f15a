"""The marked copy of a student's workbook, and the whole ``grade`` run in order.

The copy is the handout rebuilt from the graded givens (the key's, with ``--key`` or
``--class``), with each answer showing the student's value (and the formula they typed, as
text), coloured by its verdict, with the verdict, the expected value and the value their own
earlier values give printed beside it; a ``Marks`` sheet first with the colour key, the
scores, the integrity verdict and every answer cell on a line; its record changed to
"marked" so it is not graded again by mistake; and set up to print, the student's name in
every page's header.  The copy and the class CSV line are written together: both or
neither.
"""

from __future__ import annotations

from pathlib import Path

from worksheet.classroom.grade import (
    BLANK,
    CARRIED,
    CORRECT,
    NOT_A_NUMBER,
    TOLERANCE,
    WRONG,
    Grade,
    Mark,
    grade_file,
)
from worksheet.classroom.grade_report import (
    class_lines,
    comment,
    percent,
    verdict_text,
    write_lines,
)
from worksheet.classroom.handout import build_handout
from worksheet.classroom.integrity import ClassRecord, Teacher
from worksheet.classroom.record import KIND, MARKED_KIND
from worksheet.evaluator import XLError
from worksheet.files.outputs import check_output, write_together
from worksheet.render.marked_copy import MarkedCell, MarksSheet, mark_up, save
from worksheet.sheets.layout import plan

ROLES = {
    CORRECT: "right",
    CARRIED: "carried",
    WRONG: "wrong",
    NOT_A_NUMBER: "nan",
    BLANK: "blank",
}


def marked_path(path: Path) -> Path:
    """``class/ada-student.xlsx`` -> ``class/ada-student-marked.xlsx``."""
    path = Path(path)
    return path.with_name(f"{path.stem}-marked.xlsx")


def mark_file(
    path: Path,
    tolerance: float = TOLERANCE,
    csv_path: Path | None = None,
    force: bool = False,
    teacher: Teacher | ClassRecord | None = None,
    paper: str = "a4",
) -> tuple[Grade, Path]:
    """Grade ``path``, then write its marked copy (set up to print on ``paper``) and, with
    ``csv_path``, its line of the class CSV (replacing the student's line with ``force``),
    together.

    Everything that can refuse does so before anything is written."""
    marked = marked_path(path)
    check_output(marked, ".xlsx", force, [path])
    if csv_path is not None:
        check_output(csv_path, None, True, [path, marked])  # rewritten whole, so it may exist
        class_lines(csv_path)  # a foreign file: refused before the grading
    grade = grade_file(path, tolerance, teacher)
    writers = {marked: lambda temp: save(marked_book(grade, paper), temp)}
    if csv_path is not None:
        lines = class_lines(csv_path, grade, force)
        writers[Path(csv_path)] = lambda temp: write_lines(lines, temp)
    write_together(writers)
    return grade, marked


def marked_book(grade: Grade, paper: str = "a4"):
    """The handout for the graded givens, marked up and set up to print on ``paper`` (an
    openpyxl book, not yet saved)."""
    record, spec = grade.record, grade.spec
    seed = int(record.seed) if record.seed and record.seed.isdigit() else None
    book = build_handout(spec, record.sections, record.student, seed).student
    symbols = {
        (sheet.name, row): item.symbol.text
        for sheet in plan(spec).steps
        for row, item in sheet.lines
    }
    cells = [_cell(m, symbols) for m in grade.marks]
    kind = (KIND.name, MARKED_KIND)
    title = f"{spec.title}: marked copy"
    mark_up(book, cells, kind, _marks_sheet(grade), paper, title, grade.student)
    return book


def _cell(m: Mark, symbols: dict[tuple[str, int], str]) -> MarkedCell:
    value = m.got.code if isinstance(m.got, XLError) else m.got
    sheet, row, col, formula_col = m.place
    return MarkedCell(
        sheet,
        row,
        col,
        formula_col,
        ROLES[m.verdict],
        value,
        m.typed,
        comment(m),
        verdict=verdict_text(m),
        expected=m.expected,
        own=m.own,
        quantity=symbols.get((sheet, row), m.name),
        name=m.name,
    )


def _marks_sheet(grade: Grade) -> MarksSheet:
    rows = [(s, *grade.score(s)) for s in grade.record.sections] + [("total", *grade.score())]
    shown = [(label, f"{got}/{out_of}", f"{percent(got, out_of)}%") for label, got, out_of in rows]
    integrity = grade.integrity
    lines = [integrity.status.split(": ", 1)[0] if integrity.flagged else integrity.status]
    lines += [f"- {problem}" for problem in integrity.problems]
    return MarksSheet(f"Marks: {grade.student}", shown, lines, integrity.flagged)
