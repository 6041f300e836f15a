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


def covered_faults(book: Book, expected: dict) -> dict:
    """A merged area shows only its top-left cell: a checked cell under another part of one
    is hidden from a person (who sees the area's first value in its place).

    Each area is tried against the checked cells of its sheet, a whole column of them at a
    time, never cell by cell over the area: one area may span the whole grid (17 billion
    cells) in a hundred bytes of XML."""
    faults: dict[str, Mismatch] = {}
    expected = expected if isinstance(expected, Expected) else Expected(expected)
    hidden = "hidden under a merged area"
    for column in expected.columns.values():  # a table's column: its rows, not its cells
        rows = [*range(column.first, column.first + len(column.values))]
        rows += [column.end[0]] if column.end is not None else []
        for top, left, bottom, right in book.merged.get(column.sheet, ()):
            if left <= column.col <= right:
                for row in rows:
                    if top <= row <= bottom and (row, column.col) != (top, left):
                        ref = CellRef(column.sheet, row, column.col)
                        faults[str(ref)] = Mismatch(expected[ref][0], None, None, None, hidden)
    by_sheet: dict[str, list[CellRef]] = {}
    for ref in expected.cells:
        by_sheet.setdefault(ref.sheet, []).append(ref)
    for sheet, areas in book.merged.items():
        if not areas or sheet not in by_sheet:
            continue
        refs = by_sheet[sheet]
        rows = np.fromiter((ref.row for ref in refs), dtype=np.int64, count=len(refs))
        cols = np.fromiter((ref.col for ref in refs), dtype=np.int64, count=len(refs))
        for top, left, bottom, right in areas:
            inside = (rows >= top) & (rows <= bottom) & (cols >= left) & (cols <= right)
            inside &= (rows != top) | (cols != left)
            for i in np.flatnonzero(inside):
                ref = refs[i]
                faults[str(ref)] = Mismatch(expected[ref][0], None, None, None, hidden)
    return faults
