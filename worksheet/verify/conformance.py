"""The file against its plan: every defined name where the layout puts it, nothing hidden.

``check`` verifies each quantity at the cell the layout (rebuilt from the file's own givens)
puts it in, on the sheets a person sees.  What a spreadsheet shows there is what counts, so a
defined name that points anywhere else is itself a fault: a name ``delta_2`` aimed at a
correct copy on a hidden sheet would otherwise let every formula that reads it look right
while the visible ``Step!D15`` is wrong.  Names the plan does not make are faults too (they
are how a formula could reach a cell outside the layout), and so is any hidden sheet.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from worksheet.evaluator import Book, CellRef
from worksheet.sheets.layout import BookLayout
from worksheet.verify.compare import Mismatch
from worksheet.verify.expected import Expected


def name_label(scope: str | None, name: str) -> str:
    return f"name {name}" if scope is None else f"name {scope}!{name}"


def layout_faults(book: Book, layout: BookLayout, also_allowed: Iterable[str] = ()) -> dict:
    """Mismatches for names missing, misplaced, wrongly scoped or unplanned, and for hidden
    sheets; empty when the file's names are exactly the plan's."""
    faults: dict[str, Mismatch] = {}
    planned = {(scope, name.upper()) for scope, name in layout.names}
    for (scope, name), target in layout.names.items():
        want = CellRef(target.sheet, target.row, target.col)
        if (scope, name.upper()) not in book.names:
            faults[name_label(scope, name)] = Mismatch(
                name, str(want), None, None, "defined name missing"
            )
            continue
        got = book.name_ref(name, scope)
        if got != want:
            text = book.names[(scope, name.upper())]
            faults[name_label(scope, name)] = Mismatch(
                name, str(want), str(got) if got else text, None, "defined name points elsewhere"
            )
    allowed = {name.upper() for name in also_allowed}
    for scope, upper in book.names:
        if (scope, upper) not in planned and upper not in allowed:
            faults[name_label(scope, upper.lower())] = Mismatch(
                upper.lower(), None, book.names[(scope, upper)], None, "defined name not planned"
            )
    for sheet in sorted(book.hidden):
        faults[f"sheet {sheet}"] = Mismatch(None, None, None, None, "sheet is hidden")
    return faults


MAX_HIDDEN = 10_000  # hidden cells reported: one is enough to fail, all could be billions
_HIDDEN = "hidden under a merged area"


def covered_faults(book: Book, expected: dict) -> dict:
    """A merged area shows only its top-left cell: a checked cell under another part of one
    is hidden from a person (who sees the area's first value in its place).

    The areas of a sheet are held as arrays and tried a checked column at a time: those
    crossing the column are picked at once, and each gives the checked rows inside it by
    bisection (a table column's rows are one range), never cell by cell over the area, nor
    row by row over the column: one area may span the whole grid (17 billion cells) in a
    hundred bytes of XML, and a file may hold 100,000 areas beside a 10,000-row table."""
    expected = expected if isinstance(expected, Expected) else Expected(expected)
    rows_by_column: dict[tuple[str, int], list[int]] = {}
    for ref in expected.cells:
        rows_by_column.setdefault((ref.sheet, ref.col), []).append(ref.row)
    faults: dict[str, Mismatch] = {}
    for sheet, areas in book.merged.items():
        if not areas:
            continue
        top, left, bottom, right = np.array(areas, dtype=np.int64).reshape(-1, 4).T
        for column in (c for c in expected.columns.values() if c.sheet == sheet):
            last = column.first + len(column.values) - 1
            ranges = [(column.first, last)] + ([(column.end[0],) * 2] if column.end else [])
            for first, end in ranges:  # the update rows, then the end row
                rows = np.arange(first, end + 1, dtype=np.int64)
                _hidden(faults, expected, sheet, column.col, rows, (top, left, bottom, right))
        for (where, col), found in rows_by_column.items():
            if where == sheet:
                rows = np.unique(np.array(found, dtype=np.int64))
                _hidden(faults, expected, sheet, col, rows, (top, left, bottom, right))
    return faults


def _hidden(faults: dict, expected: Expected, sheet: str, col: int, rows, areas) -> None:
    """Add the checked cells at ``rows`` (sorted) of column ``col`` that an area hides."""
    top, left, bottom, right = areas
    crossing = np.flatnonzero(
        (left <= col) & (right >= col) & (bottom >= rows[0]) & (top <= rows[-1])
    )
    if not len(crossing):
        return
    starts = np.searchsorted(rows, top[crossing], "left")
    stops = np.searchsorted(rows, bottom[crossing], "right")
    for k in np.flatnonzero(stops > starts):
        area = crossing[k]
        for row in rows[starts[k] : stops[k]]:
            if (row, col) == (top[area], left[area]):
                continue  # the area's own cell, shown
            if len(faults) >= MAX_HIDDEN:
                return
            ref = CellRef(sheet, int(row), col)
            faults[str(ref)] = Mismatch(
                expected[ref][0], None, None, None, "hidden under a merged area"
            )
