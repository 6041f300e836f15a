"""Compare an evaluated workbook with the numpy reference; return the mismatches.

Following pycel, the result holds a dict of ``Mismatch`` keyed by cell: empty
means every quantity agrees.  Numbers agree when they are within a relative
tolerance (with an absolute floor for values near zero); error values agree
with any error value, since LibreOffice and Excel name some errors differently.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from itertools import islice, repeat
from operator import attrgetter

import numpy as np

from worksheet.evaluator import Book, CellRef, XLError
from worksheet.evaluator.engine import RunValues
from worksheet.verify.expected import Column, Expected

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
    unchecked: int = 0  # formulas that are no quantity of the exercise: evaluated only
    mismatches: dict[str, Mismatch] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.mismatches


def cell_label(ref: CellRef) -> str:
    return str(ref)


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


def agree(a: object, b: object, slack: float = 0.0, relative: float = RELATIVE) -> bool:
    """The one tolerance of the project: within ``relative`` of the larger magnitude, an
    absolute floor near zero, or the ``slack`` a computation carries (a numerical gradient's
    cancellation).  ``check`` uses the default; ``grade`` a marker's looser ``relative``."""
    diff = difference(a, b)
    if diff is None or math.isnan(diff):
        return False
    both = isinstance(a, (int, float)) and isinstance(b, (int, float))
    scale = max(abs(a), abs(b)) if both else 0
    return diff <= max(relative * scale, ABSOLUTE_FLOOR, slack)


def compare(
    book: Book,
    values: dict[CellRef, object],
    expected: Mapping,
    missing: dict | None = None,
    cached: bool = True,
) -> Report:
    """Check every expected cell, then (with ``cached``) every value stored in the file."""
    expected = expected if isinstance(expected, Expected) else Expected(expected)
    report = Report(formulas=len(values), mismatches=dict(missing or {}))
    cells = book.cells
    pairs = _Pairs(report)
    get = values.reader() if isinstance(values, RunValues) else values.get

    def judge(ref: CellRef, want, slack: float) -> None:
        cell = cells.get(ref)
        formula = cell.formula if cell else None
        got = get(ref) if formula else (cell.value if cell else None)
        report.compared += 1
        if formula is None:
            name = expected[ref][0]
            report.mismatches[cell_label(ref)] = Mismatch(name, want, got, None, "not a formula")
        elif type(want) is float and type(got) is float:
            pairs.add(ref, want, got, slack)
        else:
            _judge(report, ref, expected[ref][0], want, got, slack, formula)

    for column in expected.columns.values():
        if not _column_of_numbers(column, cells, get, pairs, report):
            for ref, want, slack in column.numbers():
                judge(ref, want, slack)
    for ref, (_, want, slack) in expected.cells.items():
        judge(ref, want, slack)
    for ref, want, got, slack in pairs.disagreeing():
        _judge(report, ref, expected[ref][0], want, got, slack, cells[ref].formula)
    if cached:
        _compare_cached(book, values, report, expected)
    order = sorted(report.mismatches.items(), key=lambda i: _reading_order(book, i[0]))
    report.mismatches = dict(order)
    return report


def _column_of_numbers(column: Column, cells, get, pairs: _Pairs, report: Report) -> bool:
    """A whole table column handed to numpy at once, when every cell of it holds a formula
    whose value is a number (an honest book's every column); else False, and it is judged
    cell by cell."""
    refs = list(column.refs())
    found = list(map(cells.get, refs))
    if any(cell is None for cell in found) or None in map(_FORMULA, found):
        return False
    got = list(map(get, refs))
    if set(map(type, got)) != {float}:
        return False
    want = column.values.tolist() + ([column.end[1]] if column.end is not None else [])
    pairs.add_many(refs, want, got)
    report.compared += len(refs)
    return True


_FORMULA = attrgetter("formula")


def _judge(report: Report, ref: CellRef, name, want, got, slack: float, formula) -> None:
    """One expected cell, the scalar way: numbers, errors, text, booleans."""
    if not agree(want, got, slack):
        report.mismatches[cell_label(ref)] = Mismatch(name, want, got, formula, "differs")
        gap = difference(want, got)  # the file's worst difference, mismatches included
        if gap is not None and gap == gap:
            report.largest_difference = max(report.largest_difference, gap)
    elif not slack:  # numerical gradients carry their own, larger, rounding
        report.largest_difference = max(report.largest_difference, difference(want, got))


class _Pairs:
    """Pairs of floats judged with numpy, by exactly ``agree``'s rule, a batch at a time
    (all of a large book's at once were a third of its check's peak memory); those that do
    not agree are kept, to be judged one by one (and reported).  ``report``, when given,
    hears the largest difference of those that agree, counted where they carry no slack of
    their own."""

    BATCH = 1 << 15

    def __init__(self, report: Report | None = None) -> None:
        self.report = report
        self.refs: list = []
        self.a, self.b, self.slack = array("d"), array("d"), array("d")
        self.bad: list = []

    def add(self, ref: CellRef, a: float, b: float, slack: float) -> None:
        self.refs.append(ref)
        self.a.append(a)
        self.b.append(b)
        self.slack.append(slack)
        if len(self.refs) >= self.BATCH:
            self._judge()

    def add_many(self, refs: list, a: list[float], b: list[float]) -> None:
        """Pairs carrying no slack of their own (a table column's)."""
        self.refs.extend(refs)
        self.a.extend(a)
        self.b.extend(b)
        self.slack.extend(repeat(0.0, len(refs)))
        if len(self.refs) >= self.BATCH:
            self._judge()

    def disagreeing(self) -> list:
        """The pairs that do not agree, as (ref, a, b, slack)."""
        self._judge()
        return self.bad

    def _judge(self) -> None:
        if not self.refs:
            return
        a, b, slack = (np.frombuffer(x, dtype=float) for x in (self.a, self.b, self.slack))
        with np.errstate(invalid="ignore", over="ignore"):
            diff = np.abs(a - b)
            limit = np.maximum(np.maximum(RELATIVE * np.maximum(np.abs(a), np.abs(b)), slack),
                               ABSOLUTE_FLOOR)  # fmt: skip
            good = diff <= limit
        counted = good & (slack == 0)
        if self.report is not None and counted.any():
            worst = float(diff[counted].max())
            self.report.largest_difference = max(self.report.largest_difference, worst)
        self.bad.extend(
            (self.refs[i], float(a[i]), float(b[i]), float(slack[i])) for i in np.flatnonzero(~good)
        )
        self.refs = []
        self.a, self.b, self.slack = array("d"), array("d"), array("d")


def _compare_cached(
    book: Book, values: dict[CellRef, object], report: Report, expected: Expected
) -> None:
    """Values a spreadsheet application saved in the file must match ours too."""
    cells = book.cells
    pairs = _Pairs()
    slack = {ref: entry[2] for ref, entry in expected.cells.items() if entry[2]}
    items = iter(values.items())
    while chunk := list(islice(items, _Pairs.BATCH)):  # a batch at a time: bounded memory
        refs, got = zip(*chunk)
        stored = list(map(_VALUE, map(cells.__getitem__, refs)))
        numbers = set(map(type, got)) == {float} and set(map(type, stored)) <= {float, NONE}
        if numbers and slack.keys().isdisjoint(refs):
            # An honest book's: every value a number, every stored one too or absent
            # (openpyxl's); no numerical gradient among them, whose slack is its own.
            kept = [i for i, value in enumerate(stored) if value is not None]
            report.cached_compared += len(kept)
            pairs.add_many(
                [refs[i] for i in kept], [got[i] for i in kept], [stored[i] for i in kept]
            )
            continue
        for ref, value, cached in zip(refs, got, stored):
            if cached is None:
                continue
            report.cached_compared += 1
            # A numerical gradient carries its cancellation's slack, stored or recomputed.
            if type(value) is float and type(cached) is float:
                pairs.add(ref, value, cached, slack.get(ref, 0.0))
            elif not agree(value, cached, slack.get(ref, 0.0)):
                _cached_differs(report, ref, value, cached, expected, book)
    for ref, value, cached, _ in pairs.disagreeing():
        _cached_differs(report, ref, value, cached, expected, book)


NONE = type(None)
_VALUE = attrgetter("value")


def _cached_differs(report: Report, ref, got, cached, expected: Expected, book: Book) -> None:
    if cell_label(ref) not in report.mismatches:
        entry = expected.get(ref)
        report.mismatches[cell_label(ref)] = Mismatch(
            None if entry is None else entry[0], got, cached, book.cells[ref].formula,
            "cached value differs",
        )  # fmt: skip


def mark_carried(report: Report, own: dict[CellRef, object]) -> None:
    """Flag mismatches whose formula gives the expected value from correct inputs.

    ``own`` holds each formula cell's value computed with every expected cell pinned to
    its expected value (``evaluate(book, pinned=...)``)."""
    labels = {cell_label(ref): ref for ref in own}
    for label, m in list(report.mismatches.items()):
        ref = labels.get(label)
        if m.reason == "differs" and ref is not None and agree(m.expected, own[ref], 0.0):
            report.mismatches[label] = replace(m, carried=True)


def pinned_values(expected: Expected) -> dict[CellRef, float]:
    """Expected values keyed by cell, for ``evaluate(book, pinned=...)``."""
    return {ref: want for ref, (_, want, _) in expected.items()}


def _reading_order(book: Book, label: str) -> tuple:
    """Sheet order, then row, then column; names missing from the book come last."""
    sheet, _, cell = label.partition("!")
    digits = cell.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    if sheet not in book.sheet_names or not digits.isdigit():
        return (len(book.sheet_names), 0, cell)
    return (book.sheet_names.index(sheet), int(digits), cell)
