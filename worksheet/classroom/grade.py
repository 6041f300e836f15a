"""Mark a student's workbook, with carried-forward credit as a human marker gives it.

Each answer cell is evaluated with the project's evaluator (nothing in the file is ever run)
and compared with the numpy reference for the teacher's givens: with the key (``Teacher``),
the givens, sections and every locked cell are the key's, whatever the file says (and what
it says differently is reported in ``Integrity``); without it, the file's own.  A wrong value
still earns the mark when it follows from the student's own earlier values: the key's
formulas are put into the answer cells of a copy of the book, and that copy is evaluated
with every answer cell pinned to the student's value, so each key formula is fed exactly
what the student had (where the student has no number, the right value).  Not from a value
next to 0 where the right one is not, or an update typed as nothing moved (``carried``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from pathlib import Path

from worksheet.classroom.answer_graph import reachable
from worksheet.classroom.carried import (
    TOLERANCE,
    close,
    joined,
    near_root,
    negligible,
    previous,
    unmoved,
    withheld,
)
from worksheet.classroom.integrity import (
    UNVERIFIED,
    ClassRecord,
    Integrity,
    Teacher,
    check_integrity,
    graded_book,
)
from worksheet.classroom.record import Record, read_record
from worksheet.classroom.typed import comma_note, decimal_comma
from worksheet.errors import BookError, FormulaError, SpecError
from worksheet.evaluator import Book, Cell, CellRef, XLError, evaluate, read_book
from worksheet.model.spec import NetworkSpec
from worksheet.sheets.layout import plan
from worksheet.verify.expectations import expected_by_sheet
from worksheet.verify.readback import spec_from_book

CORRECT, CARRIED, WRONG, BLANK, NOT_A_NUMBER = (
    "correct",
    "correct (carried forward)",
    "wrong",
    "blank",
    "not a number",
)


@dataclass(frozen=True)
class Mark:
    """One answer cell: what it should hold, what the student has, and the verdict.

    ``own`` is the key formula's value from the student's own inputs, when that is not
    the expected value (None otherwise)."""

    ref: CellRef
    name: str
    section: str
    verdict: str
    expected: float
    got: object
    own: object = None
    note: str = ""
    typed: str | None = None  # the formula the student typed, if any
    place: tuple[str, int, int, int] = ("", 0, 0, 0)  # in the layout: sheet, row, value
    # column, formula column (where the marked copy shows it, whatever names the file moved)

    @property
    def credit(self) -> bool:
        return self.verdict in (CORRECT, CARRIED)


@dataclass(frozen=True)
class Grade:
    path: Path
    record: Record
    marks: tuple[Mark, ...]
    integrity: Integrity = UNVERIFIED
    spec: NetworkSpec | None = None  # the givens graded against

    def __post_init__(self) -> None:
        if not self.marks:
            raise ValueError("a grade needs at least one answer cell")

    @property
    def student(self) -> str:
        return self.record.student or Path(self.path).stem.removesuffix("-student")

    def score(self, section: str | None = None) -> tuple[int, int]:
        """(marks earned, answer cells), for one section or overall."""
        marks = [m for m in self.marks if section is None or m.section == section]
        return sum(m.credit for m in marks), len(marks)


# A student's copy holds a few thousand cells (12,688 for 2-8-8-8-4 over three steps): a
# submission of a million formula cells would cost a grade 18 s and 900 MB to read and
# evaluate, so reading stops well before.
MAX_SUBMISSION_CELLS = 200_000


def _number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def grade_file(
    path: Path, tolerance: float = TOLERANCE, teacher: Teacher | ClassRecord | None = None
) -> Grade:
    """Mark every answer cell of the student workbook at ``path``: against ``teacher``'s
    record (the key's givens, sections and student) when given, else against what the file
    says of itself, and then it says so."""
    book = read_book(path, max_cells=MAX_SUBMISSION_CELLS)
    claimed = read_record(book, lenient=teacher is not None)
    if isinstance(teacher, ClassRecord):
        teacher = teacher.teacher_for(Path(path), claimed)
    if teacher is None:
        record, spec, integrity = claimed, spec_from_book(book), UNVERIFIED
        answers = answer_cells(book, spec, record.sections)
    else:
        record, spec = teacher.record, teacher.spec
        integrity = check_integrity(book, claimed, teacher, Path(path))
        answers = answer_cells(teacher.book, spec, record.sections)
        book = graded_book(book, teacher, set(answers))
    try:
        by_sheet, _ = expected_by_sheet(spec)
    except SpecError as exc:
        raise BookError(f"{path}: cannot grade: {exc}") from None
    expected = {ref: by_sheet[ref.sheet][a.name] for ref, a in answers.items()}
    lines = _lines(book, spec)
    evaluable, broken = _evaluable(book, lines, answers)
    values = _evaluate(evaluable)
    got = {ref: _student_value(evaluable, values, ref) for ref in answers}
    commas = _decimal_commas(book, got)
    got.update((ref, number) for ref, (_, number) in commas.items())
    fed = {ref: got[ref] if _usable(got[ref]) else expected[ref] for ref in answers}
    run = _key_formulas(evaluable, lines, answers)
    own = run(fed)
    marks = {
        ref: replace(
            _mark(ref, a, expected[ref], got[ref], own[ref], broken.get(ref), tolerance),
            typed=_typed(book, ref),
            place=a.place,
        )
        for ref, a in answers.items()
    }
    for ref, (text, number) in commas.items():
        marks[ref] = replace(marks[ref], note=comma_note(text, number))
    old = previous(evaluable, lines, {**own, **fed}, by_sheet)
    marks = _withhold(marks, lines, fed, run, own, old, tolerance)
    return Grade(Path(path), record, marks, integrity, spec)


@dataclass(frozen=True)
class Answer:
    name: str
    section: str
    formula: str  # the key's formula
    place: tuple[str, int, int, int] = ("", 0, 0, 0)  # see Mark.place


def answer_cells(book: Book, spec: NetworkSpec, sections: tuple[str, ...]) -> dict:
    """CellRef -> Answer for every quantity of the blanked sections, found by its name."""
    return {ref: a for ref, a in _lines(book, spec).items() if a.section in sections}


def _lines(book: Book, spec: NetworkSpec) -> dict:
    """CellRef -> Answer for every quantity of the step sheets."""
    found = {}
    for sheet in plan(spec).steps:
        for number, row in sheet.lines:
            ref = book.name_ref(row.symbol.name, sheet.name)
            if ref is None or ref.sheet != sheet.name:
                raise BookError(
                    f"{book.path}: not a student workbook of ours"
                    f" (no answer cell named {row.symbol.name} on {sheet.name})"
                )
            place = (sheet.name, number, sheet.col("value"), sheet.col("formula"))
            found[ref] = Answer(row.symbol.name, row.section, row.formula, place)
    return found


def _evaluable(book: Book, lines: dict, answers: dict) -> tuple[Book, dict[CellRef, str]]:
    """The book cut down to the formulas the step sheets read, with those that cannot be
    evaluated (an unsupported function, a circular reference) as #NAME? errors, as a
    spreadsheet shows them, and the reasons of the answers among them."""
    try:
        needed, found = reachable(book, lines)
    except FormulaError as exc:
        raise BookError(f"{book.path}: cannot evaluate: {exc}") from None
    cells = {ref: c for ref, c in book.cells.items() if c.formula is None or ref in needed}
    cells.update((ref, Cell(None, XLError.NAME)) for ref in found)
    broken = {ref: why for ref, why in found.items() if ref in answers}
    return replace(book, cells=cells), broken


def _evaluate(book: Book, pinned: dict | None = None) -> dict:
    try:
        return evaluate(book, pinned=pinned)
    except FormulaError as exc:  # a limit of the whole book: nothing left to mark
        raise BookError(f"{book.path}: cannot evaluate: {exc}") from None


def _decimal_commas(book: Book, got: dict) -> dict[CellRef, tuple[str, float]]:
    """Answers typed as text with a decimal comma ("0,5987"): (the text, its number)."""
    found = {}
    for ref, value in got.items():
        cell = book.cells.get(ref)
        number = decimal_comma(value) if cell is not None and cell.formula is None else None
        if number is not None:
            found[ref] = (value, number)
    return found


def _typed(book: Book, ref: CellRef) -> str | None:
    cell = book.cells.get(ref)
    return None if cell is None else cell.formula


def _student_value(book: Book, values: dict, ref: CellRef) -> object:
    cell = book.cells.get(ref)
    if cell is None:
        return None
    if cell.formula is None:
        return cell.value
    value = values[ref]
    return 0.0 if value is None else value  # a formula reading only blanks shows 0


def _key_formulas(book: Book, lines: dict, answers: dict):
    """``run(pinned)``: each key formula's value, fed the answers of ``pinned`` as given
    there (the student's, or the right value where the student has no number).  Key
    formulas read only the step sheets' quantities and the givens, so the student's other
    formulas are left out: a million scratch cells one answer sums are evaluated once, not
    twice.  (A second and third run come only with a value next to 0: ``carried``.)"""
    cells = {ref: c for ref, c in book.cells.items() if c.formula is None or ref in lines}
    for ref in answers:
        cells[ref] = Cell(lines[ref].formula, None)
    keyed = replace(book, cells=cells)
    return lambda pinned: _evaluate(keyed, pinned)


def _usable(value: object) -> bool:
    return _number(value) and math.isfinite(value)


def _mark(ref, answer, want, got, own, broken, tolerance) -> Mark:
    shown = None if close(want, own, tolerance) else own  # only when it tells something

    def mark(verdict: str, note: str = "") -> Mark:
        return Mark(ref, answer.name, answer.section, verdict, want, got, shown, note)

    if got is None or (isinstance(got, str) and not got.strip()):
        return mark(BLANK)
    if broken is not None:
        return mark(NOT_A_NUMBER, f"cannot evaluate: {broken}")
    if not _number(got):
        return mark(NOT_A_NUMBER, _kind(got))
    if close(want, got, tolerance):
        return mark(CORRECT)
    if close(own, got, tolerance):
        return mark(CARRIED)
    return mark(WRONG)


def _withhold(marks: dict, lines: dict, fed: dict, run, own, old, tolerance: float) -> tuple:
    """No carried-forward credit from a value next to 0 where the right one is not, an update
    that moved nothing where the right one moves, or what follows: wrong, saying why."""
    roots, told = {}, {}
    for ref, m in marks.items():
        if m.verdict in (WRONG, CARRIED) and negligible(m.expected, m.got, tolerance):
            told[ref], how = near_root(m.name, m.got)
            roots[ref] = (m.expected, how)
    carried = {ref: m for ref, m in marks.items() if m.verdict == CARRIED}
    ups = [(r, m) for r, m in marks.items() if m.section == "update"]  # not the check rows
    mine = {r: (m.name, m.got, m.expected, own[r]) for r, m in ups if r in carried}
    lazy = {r: (m.name, m.got, m.expected) for r, m in ups if m.verdict == WRONG}
    still = unmoved(mine, old, tolerance, lazy)
    for ref, (note, how) in still.items():
        marks[ref] = replace(marks[ref], verdict=WRONG, note=joined(marks[ref].note, note))
        roots.setdefault(ref, (marks[ref].expected, how))
    notes = withheld(lines, roots, set(carried), fed, run, tolerance)
    for ref, note in notes.items():
        marks[ref] = replace(marks[ref], verdict=WRONG, note=joined(carried[ref].note, note))
    for ref, note in told.items():
        if ref not in notes:
            marks[ref] = replace(marks[ref], note=joined(marks[ref].note, note))
    return tuple(marks.values())


def _kind(value: object) -> str:
    if isinstance(value, XLError):
        return "an error value"
    return "TRUE or FALSE" if isinstance(value, bool) else "text"
