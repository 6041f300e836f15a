"""The pipeline for ``worksheet check``: file -> evaluator -> reference -> comparison.

A workbook passes when every formula gives numpy's value for the file's own
givens, and still does after the givens are nudged: a formula that holds a
number where it should read a given (``=delta_1*0.5`` for ``=delta_1*x_1``)
is right only by coincidence, and the second pass catches it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from worksheet.classroom.record import MARKED_KIND, STUDENT_KIND, kind_of
from worksheet.errors import BookError, FormulaError, SpecError
from worksheet.evaluator import Book, Cell, XLError, evaluate, read_book
from worksheet.verify.compare import Mismatch, Report, compare, mark_carried, pinned_values
from worksheet.verify.expectations import expectations
from worksheet.verify.readback import given_refs, spec_from_book

STAGES = ("read", "reference", "evaluate", "compare", "nudged givens")


def check_file(path: Path, progress: Callable[[str], None] | None = None) -> Report:
    """Evaluate every formula of the saved file and compare it with numpy, rebuilt from
    the file's own givens (so a workbook edited and saved by a person still checks).

    ``progress(stage)`` hears as each of ``STAGES`` is done."""
    tell = progress or (lambda stage: None)
    book = read_book(path)
    kind = kind_of(book)
    if kind == STUDENT_KIND:  # its blanks would all be reported as "not a formula"
        raise BookError(f"{path}: is a student's copy to fill in; mark it with: worksheet grade")
    if kind == MARKED_KIND:
        raise BookError(f"{path}: is a marked copy (written by worksheet grade), not a worksheet")
    spec = spec_from_book(book)
    tell("read")
    try:
        expected, missing = expectations(book, spec)
    except SpecError as exc:
        raise BookError(f"{path}: cannot check: {exc}") from None
    tell("reference")
    try:
        values = evaluate(book)
    except FormulaError as exc:  # a cycle, an unsupported function: the file is refused
        raise BookError(f"{path}: cannot evaluate: {exc}") from None
    tell("evaluate")
    report = compare(book, values, expected, missing)
    tell("compare")
    _flag_stray_errors(book, values, expected, report)
    if not report.ok:
        # Which wrong cells are wrong on their own, which only inherit a wrong input.
        mark_carried(report, evaluate(book, pinned=pinned_values(expected)))
    else:
        _follows_givens(book, report)
    tell("nudged givens")
    return report


def _flag_stray_errors(book: Book, values: dict, expected: dict, report: Report) -> None:
    """A formula that is no quantity of the exercise is only evaluated, but an error
    value there (``=1/0`` typed beside the table) is still a fault in the file."""
    for ref, value in values.items():
        if ref not in expected and isinstance(value, XLError):
            label = str(ref)
            report.mismatches.setdefault(
                label, Mismatch(None, None, value, book.cells[ref].formula, "error value")
            )
    report.unchecked = sum(1 for ref in values if ref not in expected)


def nudge(name: str, value: float) -> float:
    """A small, deterministic move that keeps the network valid: targets stay in [0, 1],
    rates and ε stay positive."""
    if name.startswith("y_"):
        return 0.9 * value + 0.05
    if name.startswith(("eta", "eps")):
        return value * 1.1
    return value + 0.01 * (1 + abs(value))


TRAINING_SHEETS = ("Summary", "Training", "Sweep")


def _follows_givens(book: Book, report: Report) -> None:
    """Evaluate again with every given nudged; each quantity must move as numpy's does.

    Only the hand-traced sheets take part: a Training table is one formula per column
    copied down, already compared cell by cell, and redoing 10,000 rows would double
    the time of a check for little gain."""
    cells = {ref: cell for ref, cell in book.cells.items() if ref.sheet not in TRAINING_SHEETS}
    cells = {ref: cell for ref, cell in cells.items() if not ref.sheet.startswith("Run ")}
    for name, ref in given_refs(book).items():
        if isinstance(cells[ref].value, float):
            cells[ref] = Cell(None, nudge(name, cells[ref].value))
    moved = replace(book, cells=cells)
    try:
        spec = replace(spec_from_book(moved), epochs=0, lr_sweep=())
        expected, _ = expectations(moved, spec)
        values = evaluate(moved)
    except (SpecError, BookError):
        return  # the nudged network is not computable; the first pass stands
    second = compare(moved, values, expected)
    if second.ok:
        return
    mark_carried(second, evaluate(moved, pinned=pinned_values(expected)))
    for label, m in second.mismatches.items():
        if m.reason == "differs":
            reason = "does not follow its givens (values with the givens nudged)"
            report.mismatches[label] = replace(m, reason=reason)
