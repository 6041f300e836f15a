"""Compare an evaluated workbook with the numpy reference; return the mismatches.

Following pycel, the result is a dict of ``Mismatch`` keyed by cell: empty
means every quantity agrees.  Numbers agree when they are within a relative
tolerance (with an absolute floor for values near zero); error values agree
with any error value, since LibreOffice and Excel name some errors differently.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

from worksheet.cells import address
from worksheet.evaluator import Book, CellRef, XLError

RELATIVE = 1e-9
ABSOLUTE_FLOOR = 1e-12


@dataclass(frozen=True)
class Mismatch:
    name: str | None
    expected: object
    got: object
    formula: str | None
    reason: str
    carried: bool = False  # right formula, wrong only because an input cell is wrong


@dataclass
class Report:
    formulas: int = 0
    compared: int = 0
    cached_compared: int = 0
    largest_difference: float = 0.0
    mismatches: dict[str, Mismatch] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.mismatches


def cell_label(ref: CellRef) -> str:
    return f"{ref.sheet}!{address(ref.row, ref.col)}"


def difference(a: object, b: object) -> float | None:
    """|a - b| for two numbers, 0 for two errors, None when they cannot agree."""
    if isinstance(a, XLError) and isinstance(b, XLError):
        return 0.0
    numeric = (int, float)
    if isinstance(a, numeric) and isinstance(b, numeric) and not isinstance(a, bool):
        if isinstance(b, bool):
            return None
        return abs(float(a) - float(b))
    return 0.0 if a == b else None


def agree(a: object, b: object) -> bool:
    diff = difference(a, b)
    if diff is None or math.isnan(diff):
        return False
    scale = (
        max(abs(a), abs(b)) if isinstance(a, (int, float)) and isinstance(b, (int, float)) else 0
    )
    return diff <= max(RELATIVE * scale, ABSOLUTE_FLOOR)


def compare(
    book: Book, values: dict[CellRef, object], expected: dict[str, float], sheet: str
) -> Report:
    """Check every expected quantity (by defined name on ``sheet``) and every cached value."""
    report = Report(formulas=len(values))
    names: dict[CellRef, str] = {}
    for name, want in expected.items():
        ref = book.name_ref(name, sheet)
        if ref is not None:
            names[ref] = name
        if ref is None:
            report.mismatches[f"{sheet}!?{name}"] = Mismatch(name, want, None, None, "missing")
            continue
        cell = book.cells.get(ref)
        formula = cell.formula if cell else None
        got = values.get(ref) if formula else (cell.value if cell else None)
        report.compared += 1
        if formula is None:
            report.mismatches[cell_label(ref)] = Mismatch(name, want, got, None, "not a formula")
        elif not agree(want, got):
            report.mismatches[cell_label(ref)] = Mismatch(name, want, got, formula, "differs")
        else:
            report.largest_difference = max(report.largest_difference, difference(want, got))
    _compare_cached(book, values, report, names)
    report.mismatches = dict(
        sorted(report.mismatches.items(), key=lambda i: _reading_order(book, i[0]))
    )
    return report


def mark_carried(report: Report, own: dict[CellRef, object]) -> None:
    """Flag mismatches whose formula gives the expected value from correct inputs.

    ``own`` holds each formula cell's value computed with every quantity cell pinned to
    its expected value (``evaluate(book, pinned=...)``)."""
    labels = {cell_label(ref): ref for ref in own}
    for label, m in list(report.mismatches.items()):
        ref = labels.get(label)
        if m.reason == "differs" and ref is not None and agree(m.expected, own[ref]):
            report.mismatches[label] = replace(m, carried=True)


def pinned_values(book: Book, expected: dict[str, float], sheet: str) -> dict[CellRef, float]:
    """Expected values keyed by the cell each name points to (for ``evaluate(pinned=...)``)."""
    refs = {name: book.name_ref(name, sheet) for name in expected}
    return {ref: expected[name] for name, ref in refs.items() if ref is not None}


def _reading_order(book: Book, label: str) -> tuple:
    """Sheet order, then row, then column; names missing from the book come last."""
    sheet, _, cell = label.partition("!")
    digits = cell.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    if sheet not in book.sheet_names or not digits.isdigit():
        return (len(book.sheet_names), 0, cell)
    return (book.sheet_names.index(sheet), int(digits), cell)


def _compare_cached(
    book: Book, values: dict[CellRef, object], report: Report, names: dict[CellRef, str]
) -> None:
    """Values a spreadsheet application saved in the file must match ours too."""
    for ref, got in values.items():
        cached = book.cells[ref].value
        if cached is None:
            continue
        report.cached_compared += 1
        if not agree(got, cached) and cell_label(ref) not in report.mismatches:
            report.mismatches[cell_label(ref)] = Mismatch(
                names.get(ref), got, cached, book.cells[ref].formula, "cached value differs"
            )
