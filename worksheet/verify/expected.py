"""What a check expects, cell by cell: ``{cell: (label, value, slack)}``, held compactly.

A long training table is most of a large check's expectations (350,000 cells in a 2,500-epoch
book).  As a dict of tuples it took 300 bytes a cell, more than the workbook as read; here a
table's column is numpy's values in one array (8 bytes a cell), and the entry for a cell,
label included, is made when it is asked for.  The hand-traced sheets' few hundred cells stay
a plain dict.  Either way the check sees one read-only mapping, in the order the cells were
added (each column's rows in turn, its ``end`` row after them).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from itertools import repeat

import numpy as np

from worksheet.evaluator.book import CellRef

Entry = tuple[str, float, float]  # (what it is, expected value, extra absolute tolerance)


class Column:
    """One table column: the value of update u (1, 2, ...) at row ``first + u - 1``, and
    optionally its value after the last update at ``end`` (the table's end row)."""

    __slots__ = ("sheet", "col", "first", "name", "values", "end")

    def __init__(self, sheet: str, col: int, first: int, name: str, values, end=None) -> None:
        self.sheet, self.col, self.first, self.name = sheet, col, first, name
        self.values = np.asarray(values, dtype=float)
        self.end: tuple[int, float] | None = end  # (row, value)

    def holds(self, row: int) -> bool:
        return 0 < row - self.first + 1 <= len(self.values) or (
            self.end is not None and row == self.end[0]
        )

    def entry(self, row: int) -> Entry | None:
        u = row - self.first + 1
        if 1 <= u <= len(self.values):
            return (f"{self.sheet} r{u} {self.name}", float(self.values[u - 1]), 0.0)
        if self.end is not None and row == self.end[0]:
            return (f"{self.sheet} end {self.name}", self.end[1], 0.0)
        return None

    def refs(self) -> Iterator[CellRef]:
        sheet, col, new = self.sheet, self.col, tuple.__new__
        for row in range(self.first, self.first + len(self.values)):
            yield new(CellRef, (sheet, row, col))
        if self.end is not None:
            yield new(CellRef, (sheet, self.end[0], col))

    def items(self) -> Iterator[tuple[CellRef, Entry]]:
        sheet, name = self.sheet, self.name
        for ref, u, value in zip(self.refs(), range(1, len(self.values) + 1), self.values.tolist()):
            yield ref, (f"{sheet} r{u} {name}", value, 0.0)
        if self.end is not None:
            yield CellRef(sheet, self.end[0], self.col), (f"{sheet} end {name}", self.end[1], 0.0)

    def numbers(self) -> Iterator[tuple[CellRef, float, float]]:
        yield from zip(self.refs(), self.values.tolist(), repeat(0.0))
        if self.end is not None:
            yield CellRef(self.sheet, self.end[0], self.col), self.end[1], 0.0

    def __len__(self) -> int:
        return len(self.values) + (self.end is not None)


class Expected(Mapping):
    """Every expected cell: table columns (``Column``) and single cells (a dict)."""

    def __init__(self, cells: Mapping | None = None) -> None:
        self.cells: dict[CellRef, Entry] = dict(cells or {})
        self.columns: dict[tuple[str, int], Column] = {}
        self._size = 0  # the columns' cells

    def add_column(self, column: Column) -> None:
        key = (column.sheet, column.col)
        if key in self.columns or any(column.holds(r) for s, r, c in self.cells if (s, c) == key):
            raise ValueError(f"two expectations for one cell of column {key}")
        self.columns[key] = column
        self._size += len(column)

    def update(self, other: Mapping) -> None:
        """Join another expectation: its columns kept as columns, its cells as cells."""
        if isinstance(other, Expected):
            for column in other.columns.values():
                self.add_column(column)
            other = other.cells
        for ref, entry in other.items():
            self[ref] = entry

    def __setitem__(self, ref: CellRef, entry: Entry) -> None:
        column = self.columns.get((ref[0], ref[2]))
        if column is not None and column.holds(ref[1]):
            raise ValueError(f"two expectations for {ref}")
        self.cells[ref] = entry

    def __getitem__(self, ref) -> Entry:
        entry = self.cells.get(ref)
        if entry is None:
            column = self.columns.get((ref[0], ref[2]))
            entry = column.entry(ref[1]) if column is not None else None
            if entry is None:
                raise KeyError(ref)
        return entry

    def get(self, ref, default=None):
        entry = self.cells.get(ref)
        if entry is None:
            column = self.columns.get((ref[0], ref[2]))
            entry = column.entry(ref[1]) if column is not None else None
        return default if entry is None else entry

    def __contains__(self, ref) -> bool:
        if ref in self.cells:
            return True
        column = self.columns.get((ref[0], ref[2]))
        return column is not None and column.holds(ref[1])

    def __iter__(self) -> Iterator[CellRef]:
        for column in self.columns.values():
            yield from column.refs()
        yield from self.cells

    def items(self):  # type: ignore[override]  # a generator: a view would build a set
        for column in self.columns.values():
            yield from column.items()
        yield from self.cells.items()

    def numbers(self) -> Iterator[tuple[CellRef, float, float]]:
        """(cell, value, slack) of every cell, without the labels (made only when asked)."""
        for column in self.columns.values():
            yield from column.numbers()
        for ref, (_, value, slack) in self.cells.items():
            yield ref, value, slack

    def values(self):  # type: ignore[override]
        return (entry for _, entry in self.items())

    def __len__(self) -> int:
        return self._size + len(self.cells)
