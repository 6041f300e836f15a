"""How much room a few cells have: their column's width, their row's height, and whether
their style wraps text, read again from the file for the labels ``check`` compares.

A label can read right and show wrong: the formula text ``=w_1*x_1 + w_2*x_2 + b_1`` in a
column narrowed so that it wraps after ``w_2*x_2``, in a row one line high, shows
``=w_1*x_1 + w_2*x_2`` (LibreOffice 7.4, review round 7).  The reader keeps no widths or
heights (a Training sheet may give a height to each of its 700,000 rows), so the few cells
asked for are looked up here, streaming the parts once more through the same bounds.
"""

from __future__ import annotations

import os

from worksheet.evaluator import a1, xlsx
from worksheet.evaluator.archive import open_package
from worksheet.evaluator.declared import WORKBOOK, WORKBOOK_RELS, relationships, sheets
from worksheet.evaluator.limits import MAX_SMALL_PART_BYTES
from worksheet.evaluator.sheetlayout import row_height
from worksheet.evaluator.sheetxml import MAIN_NAMESPACES, row_number
from worksheet.evaluator.workbookxml import WorkbookReader
from worksheet.evaluator.xmlstream import Tags

WIDTH = 8.43  # characters: a column's width when the file gives none (Excel's default)
Room = tuple[float, float, bool]  # (column width, row height in points, text wraps)


def room(path: str | os.PathLike[str], cells: dict[str, set[tuple[int, int]]]) -> dict:
    """(sheet, row, col) -> (width, height, wraps) for each of ``cells`` (sheet -> its
    (row, col)) that the file stores."""
    found: dict[tuple[str, int, int], Room] = {}
    with open_package(path, os.fspath(path)) as pkg:
        workbook = WorkbookReader(pkg.fail, WORKBOOK)
        pkg.stream(WORKBOOK, workbook, MAX_SMALL_PART_BYTES)
        rels = relationships(pkg, WORKBOOK_RELS, "xl")
        parts, _ = sheets(pkg, workbook.sheets, rels)
        wraps = getattr(xlsx.styles_of(pkg, rels), "wraps", frozenset())  # by ``s``
        for name, part in parts:
            if part is not None and cells.get(name):
                reader = _RoomReader(cells[name], wraps)
                pkg.stream(part, reader)
                for (row, col), style in reader.styles.items():
                    height = reader.heights.get(row, reader.default_height)
                    found[(name, row, col)] = (reader.width(col), height, style in wraps)
    return found


class _RoomReader:
    """Expat callbacks keeping the columns' widths, and the heights and styles asked for."""

    def __init__(self, wanted: set[tuple[int, int]], wraps: frozenset[str]) -> None:
        self.wanted, self.rows = wanted, {row for row, _ in wanted}
        self.names = Tags(MAIN_NAMESPACES)
        self.cols: list[tuple[int, int, float]] = []  # (min, max, width), at most a few
        self.default_width = WIDTH
        self.default_height = row_height(None)
        self.heights: dict[int, float] = {}
        self.styles: dict[tuple[int, int], str] = {}
        self.row = 0
        self.depth = 0

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        name = self.names[tag]
        self.depth += 1
        if name == "col" and len(self.cols) < 16_384:
            first, last = row_number(attrs.get("min")), row_number(attrs.get("max"))
            if first and last and attrs.get("width") is not None:
                self.cols.append((first, last, row_height(attrs["width"], WIDTH)))
        elif name == "sheetFormatPr":
            self.default_height = row_height(attrs.get("defaultRowHeight"))
            if attrs.get("defaultColWidth") is not None:
                self.default_width = row_height(attrs["defaultColWidth"], WIDTH)
        elif name == "row":
            self.row = row_number(attrs.get("r")) or self.row + 1
            if self.row in self.rows and attrs.get("ht") is not None:
                self.heights[self.row] = row_height(attrs["ht"])
        elif name == "c" and self.row in self.rows:
            letters = attrs.get("r", "").rstrip("0123456789")
            col = a1.col_index(letters) if letters.isascii() and letters.isalpha() else 0
            if (self.row, col) in self.wanted:
                self.styles[(self.row, col)] = attrs.get("s", "0")

    def end(self, tag: str) -> None:
        self.depth -= 1

    def data(self, text: str) -> None:
        pass

    def width(self, col: int) -> float:
        """The column's width: its last ``<col>`` (LibreOffice's reading), or the default."""
        widths = [width for first, last, width in self.cols if first <= col <= last]
        return widths[-1] if widths else self.default_width
