"""Mark a student's workbook, with carried-forward credit as a human marker gives it.

Each answer cell is evaluated with the project's evaluator (nothing in the file is ever run)
and compared with the numpy reference for the file's own, locked, givens.  A wrong value
still earns the mark when it follows from the student's own earlier values: the key's
formulas are put into the answer cells of a copy of the book, and that copy is evaluated
with every answer cell pinned to the student's value, so each key formula is fed exactly
what the student had (where the student has no number, the right value).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from pathlib import Path

from worksheet.classroom.record import Record, givens_digest, read_record
from worksheet.errors import BookError, FormulaError, LimitError, SpecError
from worksheet.evaluator import Book, Cell, CellRef, XLError, evaluate, read_book, unevaluable
from worksheet.model.spec import NetworkSpec
from worksheet.sheets.layout import plan
from worksheet.verify.expectations import expected_by_sheet
from worksheet.verify.readback import spec_from_book

TOLERANCE = 1e-3  # relative: a value copied to 4 significant figures passes
FLOOR = 1e-3  # the absolute floor near zero is the tolerance times this
MAX_CYCLES = 50  # circular references among the answers, each costing one evaluation
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

    @property
    def credit(self) -> bool:
        return self.verdict in (CORRECT, CARRIED)


@dataclass(frozen=True)
class Grade:
    path: Path
    record: Record
    marks: tuple[Mark, ...]
    givens_changed: bool = False

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


def close(want: object, got: object, tolerance: float) -> bool:
    """Two finite numbers within ``tolerance`` relative, with an absolute floor near 0."""
    if not (_number(want) and _number(got)) or not math.isfinite(got):
        return False
    scale = max(abs(want), abs(got))
    return abs(want - got) <= max(tolerance * scale, tolerance * FLOOR)


def _number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def grade_file(path: Path, tolerance: float = TOLERANCE) -> Grade:
    """Mark every answer cell of the student workbook at ``path``."""
    book = read_book(path)
    record = read_record(book)
    spec = spec_from_book(book)
    answers = answer_cells(book, spec, record.sections)
    try:
        by_sheet, _ = expected_by_sheet(spec)
    except SpecError as exc:
        raise BookError(f"{path}: cannot grade: {exc}") from None
    expected = {ref: by_sheet[ref.sheet][a.name] for ref, a in answers.items()}
    book, broken, values = _evaluable(book, answers)
    got = {ref: _student_value(book, values, ref) for ref in answers}
    own = _from_own_values(book, answers, got, expected)
    marks = tuple(
        _mark(ref, a, expected[ref], got[ref], own[ref], broken.get(ref), tolerance)
        for ref, a in answers.items()
    )
    changed = record.digest is not None and record.digest != givens_digest(spec)
    return Grade(Path(path), record, marks, changed)


@dataclass(frozen=True)
class Answer:
    name: str
    section: str
    formula: str  # the key's formula


def answer_cells(book: Book, spec: NetworkSpec, sections: tuple[str, ...]) -> dict:
    """CellRef -> Answer for every quantity of the blanked sections, found by its name."""
    found = {}
    for sheet in plan(spec).steps:
        for _, row in sheet.lines:
            if row.section not in sections:
                continue
            ref = book.name_ref(row.symbol.name, sheet.name)
            if ref is None or ref.sheet != sheet.name:
                raise BookError(
                    f"{book.path}: not a student workbook of ours"
                    f" (no answer cell named {row.symbol.name} on {sheet.name})"
                )
            found[ref] = Answer(row.symbol.name, row.section, row.formula)
    return found


def _evaluable(book: Book, answers: dict) -> tuple[Book, dict[CellRef, str], dict]:
    """The book's values, once answer cells whose formula cannot be evaluated (an
    unsupported function, a circular reference) are #NAME? errors, with their reasons."""
    try:
        found = unevaluable(book)  # in one pass: a whole class of INDIRECTs is one compile
    except FormulaError as exc:
        raise BookError(f"{book.path}: cannot evaluate: {exc}") from None
    broken = {ref: why.removeprefix(f"{ref}: ") for ref, why in found.items() if ref in answers}
    book = _as_errors(book, broken)
    labels = {str(ref): ref for ref in answers}
    for _ in range(MAX_CYCLES):  # what is left: circular references, found one at a time
        try:
            return book, broken, evaluate(book)
        except FormulaError as exc:
            message = str(exc)
            culprit = next((labels[w] for w in _cells_named(message) if w in labels), None)
            if culprit is None or culprit in broken or isinstance(exc, LimitError):
                raise BookError(f"{book.path}: cannot evaluate: {message}") from None
            broken[culprit] = message.removeprefix(f"{culprit}: ")
            book = _as_errors(book, {culprit: ""})
    raise BookError(f"{book.path}: more than {MAX_CYCLES} circular references among the answers")


def _as_errors(book: Book, refs) -> Book:
    """``book`` with the formulas of ``refs`` replaced by #NAME?, as a spreadsheet shows."""
    if not refs:
        return book
    return replace(book, cells={**book.cells, **{ref: Cell(None, XLError.NAME) for ref in refs}})


def _cells_named(message: str) -> list[str]:
    """``Step!D5: unsupported...`` -> [Step!D5]; a circular reference lists its cycle."""
    if message.startswith("circular reference: "):
        return message.removeprefix("circular reference: ").split(" -> ")
    return [message.split(": ", 1)[0]]


def _student_value(book: Book, values: dict, ref: CellRef) -> object:
    cell = book.cells.get(ref)
    if cell is None:
        return None
    if cell.formula is None:
        return cell.value
    value = values[ref]
    return 0.0 if value is None else value  # a formula reading only blanks shows 0


def _from_own_values(book: Book, answers: dict, got: dict, expected: dict) -> dict:
    """Each key formula's value fed the student's answers (the right value where the
    student has no number)."""
    cells = dict(book.cells)
    for ref, answer in answers.items():
        cells[ref] = Cell(answer.formula, None)
    pinned = {ref: got[ref] if _usable(got[ref]) else expected[ref] for ref in answers}
    return evaluate(replace(book, cells=cells), pinned=pinned)


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


def _kind(value: object) -> str:
    if isinstance(value, XLError):
        return "an error value"
    return "TRUE or FALSE" if isinstance(value, bool) else "text"
