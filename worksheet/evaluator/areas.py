"""``Area``, the value of a reference passed to a function, and how a huge one is read.

``SUM(A1:XFD1048576)`` names seventeen billion cells, nearly all blank. A small area is read
cell by cell; a large one only at the cells the workbook stores, found through an index of
them built on first need, so its cost is that of the sheet, not of the rectangle.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator

from worksheet.evaluator.values import Value, XLError

SPARSE_AREA = 100_000  # cells in an area above which only stored cells are visited

Key = tuple[str, int, int]


class StoredCells:
    """The stored cells (constants and formulas) of each sheet, row by row, in sorted order."""

    def __init__(self, keys: Iterable[Key]) -> None:
        self._keys = keys
        self._sheets: dict[str, tuple[list[int], dict[int, list[int]]]] | None = None

    def _build(self) -> dict[str, tuple[list[int], dict[int, list[int]]]]:
        by_sheet: dict[str, dict[int, list[int]]] = {}
        for sheet, row, col in self._keys:
            by_sheet.setdefault(sheet, {}).setdefault(row, []).append(col)
        for rows in by_sheet.values():
            for cols in rows.values():
                cols.sort()
        return {sheet: (sorted(rows), rows) for sheet, rows in by_sheet.items()}

    def within(self, sheet: str, top: int, left: int, bottom: int, right: int) -> Iterator[Key]:
        """The stored cells inside a rectangle, row by row."""
        if self._sheets is None:
            self._sheets = self._build()
        rows, cols_of = self._sheets.get(sheet, ([], {}))
        for row in rows[bisect_left(rows, top) : bisect_right(rows, bottom)]:
            cols = cols_of[row]
            for col in cols[bisect_left(cols, left) : bisect_right(cols, right)]:
                yield sheet, row, col


class Area:
    """A rectangle of cells read from the evaluation grid, as functions like SUM receive it."""

    __slots__ = ("grid", "sheet", "top", "left", "bottom", "right", "stored")

    def __init__(
        self,
        grid: dict,
        sheet: str,
        corners: tuple[int, int, int, int],
        stored: StoredCells | None = None,
    ) -> None:
        self.grid = grid
        self.sheet = sheet
        self.top, self.left, self.bottom, self.right = corners
        self.stored = stored

    def sparse(self) -> bool:
        """Whether to visit only stored cells: a large area, and an index to find them."""
        rows, cols = self.shape()
        return self.stored is not None and rows * cols > SPARSE_AREA

    def keys(self) -> Iterator[Key]:
        """Every cell of the area row by row, or for a sparse one every stored cell."""
        if self.sparse():
            yield from self.stored.within(  # type: ignore[union-attr]
                self.sheet, self.top, self.left, self.bottom, self.right
            )
            return
        sheet = self.sheet
        for row in range(self.top, self.bottom + 1):
            for col in range(self.left, self.right + 1):
                yield sheet, row, col

    def values(self) -> Iterator[Value]:
        """The cells' values row by row; blanks are None, and a sparse area skips them."""
        get, sheet = self.grid.get, self.sheet
        if self.sparse():
            for key in self.keys():
                yield get(key)
            return
        for row in range(self.top, self.bottom + 1):
            for col in range(self.left, self.right + 1):
                yield get((sheet, row, col))

    def offsets(self) -> Iterator[tuple[int, int]]:
        """(row, column) within the area of every cell ``values`` visits."""
        for _, row, col in self.keys():
            yield row - self.top, col - self.left

    def at(self, d_row: int, d_col: int) -> Value:
        """The value at a position within the area."""
        return self.grid.get((self.sheet, self.top + d_row, self.left + d_col))

    def shape(self) -> tuple[int, int]:
        """(rows, columns)."""
        return self.bottom - self.top + 1, self.right - self.left + 1

    def single(self) -> Value:
        """The value where one is needed: a one-cell area's value, else #VALUE!."""
        if self.top == self.bottom and self.left == self.right:
            return self.grid.get((self.sheet, self.top, self.left))
        return XLError.VALUE
