"""The in-memory workbook as read from a saved .xlsx: sheets, cells and defined names.

Plain frozen records and dicts, so the evaluator, the cross-check and tests can all look at the
same thing without any spreadsheet library in between.
"""

from __future__ import annotations

import re
from collections import ChainMap
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import NamedTuple

from worksheet.evaluator import a1
from worksheet.evaluator.values import Value


class CellRef(NamedTuple):
    """One cell: sheet name and 1-based row and column. Hashes like a plain tuple."""

    sheet: str
    row: int
    col: int

    def __str__(self) -> str:
        return f"{self.sheet}!{a1.cell_name(self.row, self.col)}"


@dataclass(frozen=True, slots=True)
class Cell:
    """A stored cell.

    ``formula`` is the text with its leading '=' (shared formulas already moved to this cell),
    or None for a constant. ``value`` is the constant, or for a formula the value cached by the
    application that last saved the file (None when absent, as in files written by openpyxl).
    """

    formula: str | None
    value: Value

    def __post_init__(self) -> None:
        if self.formula is not None and not self.formula.startswith("="):
            raise ValueError(f"formula text must start with '=': {self.formula!r}")


# Optionally quoted sheet, then one absolute or relative cell: Givens!$C$4, 'My sheet'!C4.
_SINGLE_CELL = re.compile(r"(?:'((?:[^']|'')+)'|([^'!:\[\]]+))!(\$?[A-Za-z]{1,3}\$?[0-9]+)")


@dataclass
class Book:
    """A workbook: sheet names in workbook order, stored cells, and defined names.

    ``names`` maps (scope sheet or None for the workbook, NAME upper-cased) to the name's
    refers-to text, e.g. ``("Step", "ETA") -> "Givens!$C$4"``. ``hidden`` holds the names of
    the sheets a spreadsheet does not show (``state`` hidden or veryHidden in the workbook).
    ``merged`` maps each worksheet read to its merged areas as (top, left, bottom, right),
    1-based and inclusive: a merged area shows its top-left cell alone, over the others.
    """

    path: str
    sheet_names: list[str]
    cells: dict[CellRef, Cell] = field(default_factory=dict)
    names: dict[tuple[str | None, str], str] = field(default_factory=dict)
    hidden: frozenset[str] = frozenset()
    merged: dict[str, list[tuple[int, int, int, int]]] = field(default_factory=dict)

    def with_values(self, values: Mapping[CellRef, Value]) -> Book:
        """This book with the cells of ``values`` holding those constants, every other cell
        its own: an overlay, not a copy (a large book's cells are hundreds of thousands, and
        a check moves its givens a score of times)."""
        moved = {ref: Cell(None, value) for ref, value in values.items()}
        return replace(self, cells=ChainMap(moved, self.cells))  # type: ignore[arg-type]

    def refers_to(self, name: str, sheet: str | None = None) -> str | None:
        """The text a name stands for on ``sheet``: its sheet-scoped name first, then the book's."""
        upper = name.upper()
        if sheet is not None and (sheet, upper) in self.names:
            return self.names[(sheet, upper)]
        return self.names.get((None, upper))

    def name_ref(self, name: str, sheet: str | None = None) -> CellRef | None:
        """The one cell a defined name stands for, or None when it is not a fixed single cell.

        Relative references (``Givens!C4`` without $) move with the cell that uses them in Excel,
        so they are not a fixed cell and give None too.
        """
        text = self.refers_to(name, sheet)
        if text is None:
            return None
        m = _SINGLE_CELL.fullmatch(text.strip().lstrip("="))
        if m is None:
            return None
        target = m[1].replace("''", "'") if m[1] is not None else m[2]
        parsed = a1.parse_cell(m[3])
        sheets = {s.upper(): s for s in self.sheet_names}  # sheet names are case-insensitive
        if parsed is None or not (parsed[2] and parsed[3]) or target.upper() not in sheets:
            return None
        return CellRef(sheets[target.upper()], parsed[0], parsed[1])
