"""Stream one worksheet part into ``Cell`` records: formula text and cached value in one pass.

Sheets can hold hundreds of thousands of cells, so the part is streamed through expat
callbacks (see ``Package.stream``) and each cell becomes a record as soon as it closes; no tree
of the sheet is ever built.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from worksheet.errors import BookError
from worksheet.evaluator import a1
from worksheet.evaluator.book import Cell, CellRef
from worksheet.evaluator.limits import (
    MAX_CELLS,
    MAX_FORMULA,
    MAX_FORMULA_CHARS,
    MAX_MOVED_CHARS,
    MAX_TEXT,
)
from worksheet.evaluator.package import LocalNames, unescape
from worksheet.evaluator.shared import SharedFormulas
from worksheet.evaluator.values import ERROR_CODES, Value, XLError

MAX_RAW_TEXT = 7 * MAX_TEXT  # a value's text as stored: each character may be _xHHHH_

_DIGITS = "0123456789"


class _ColumnIndex(dict[str, "int | None"]):
    """Column letters to index, cached: a sheet repeats the same few columns on every row."""

    def __missing__(self, letters: str) -> int | None:
        valid = 1 <= len(letters) <= 3 and letters.isascii() and letters.isalpha()
        self[letters] = index = a1.col_index(letters) if valid else None
        return index


_COLUMNS = _ColumnIndex()

Fail = Callable[[str], BookError]


def row_number(text: str | None) -> int | None:
    """A row or digit attribute as an int, or None when it is no plain number of 1-7 digits."""
    if text and len(text) <= 7 and text.isascii() and text.isdigit():
        return int(text)
    return None


class Totals:
    """What every sheet read so far adds up to, against the workbook-wide limits."""

    def __init__(self) -> None:
        self.formula_chars = 0
        self.moved_chars = 0  # shared formula text moved by the tokenizer or the full regex


class SheetReader:
    """Expat callbacks that collect the cells of one sheet into ``cells``."""

    def __init__(
        self,
        sheet: str,
        strings: list[str],
        cells: dict[CellRef, Cell],
        fail: Fail,
        totals: Totals | None = None,
    ):
        self.sheet, self.strings, self.cells, self.fail = sheet, strings, cells, fail
        self.totals = totals or Totals()
        self.names = LocalNames()
        self.shared = SharedFormulas(self._moving)
        self.row = self.col = 0  # where the last cell was, for cells without an r attribute
        self.buf: list[str] | None = None  # text being collected, when inside <v>, <f> or <t>
        self.size, self.cap = 0, MAX_RAW_TEXT  # characters collected in this cell, and the cap
        self.cell: dict[str, str] = {}
        self.f_attrs: dict[str, str] | None = None
        self.f_text = self.v_text = None
        self.inline: list[str] | None = None
        self.phonetic = False
        self.in_data = False  # only cells inside <sheetData>; extensions reuse tag names

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        name = self.names[tag]
        if name == "c":
            self.cell, self.f_attrs, self.f_text, self.v_text, self.inline = (
                attrs,
                None,
                None,
                None,
                None,
            )
        elif name == "v":
            self.buf, self.size, self.cap = [], 0, MAX_RAW_TEXT
        elif name == "f":
            self.buf, self.f_attrs, self.size, self.cap = [], attrs, 0, MAX_FORMULA
        elif name == "row":
            self.row, self.col = row_number(attrs.get("r")) or self.row + 1, 0
        elif name == "is":
            self.inline, self.size, self.cap = [], 0, MAX_RAW_TEXT
        elif name == "rPh":
            self.phonetic = True
        elif name == "t" and self.inline is not None and not self.phonetic:
            self.buf = []

    def end(self, tag: str) -> None:
        name = self.names[tag]
        if name == "c":
            self._finish_cell()
        elif name == "sheetData":
            self.in_data = False
        elif self.buf is None:
            if name == "rPh":
                self.phonetic = False
        elif name == "v":
            self.v_text, self.buf = "".join(self.buf), None
        elif name == "f":
            self.f_text, self.buf = "".join(self.buf), None
        elif name == "t" and self.inline is not None:
            self.inline.append("".join(self.buf))
            self.buf = None

    def data(self, text: str) -> None:
        if self.buf is not None:
            self.buf.append(text)
            self.size += len(text)
            if self.size > self.cap:
                raise self._too_long()

    def _moving(self, chars: int) -> None:
        """Count shared formula text moved the slow way; refuse a sheet that abuses it."""
        self.totals.moved_chars += chars
        if self.totals.moved_chars > MAX_MOVED_CHARS:
            raise self.fail(
                f"shared formulas too costly to move (over {MAX_MOVED_CHARS:,} characters)"
            )

    def _too_long(self) -> BookError:
        """Refuse text longer than Excel allows, before it is collected in full."""
        where = self.cell.get("r") or a1.cell_name(self.row, self.col + 1)
        if self.cap == MAX_FORMULA:
            return self.fail(f"{self.sheet}!{where}: formula longer than {MAX_FORMULA} characters")
        return self.fail(f"{self.sheet}!{where}: text longer than {MAX_TEXT} characters")

    def _place(self) -> CellRef:
        """The cell's position: its r attribute, or the one after the previous cell."""
        ref = self.cell.get("r")
        if ref:
            letters = ref.rstrip(_DIGITS)
            row = row_number(ref[len(letters) :])
            col = _COLUMNS[letters] if row is not None else None
            if row is None or col is None:
                raise self.fail(f"bad cell address {ref[:20]!r} on sheet {self.sheet}")
            self.row, self.col = row, col
        else:
            self.col += 1
        if not a1.in_grid(self.row, self.col):
            raise self.fail(f"bad cell address {(ref or '')[:20]!r} on sheet {self.sheet}")
        return CellRef(self.sheet, self.row, self.col)

    def _finish_cell(self) -> None:
        ref = self._place()
        formula = self._formula(ref) if self.f_attrs is not None else None
        value = self._value(ref)
        if formula is not None or value is not None:
            if len(self.cells) >= MAX_CELLS and ref not in self.cells:
                raise self.fail(f"more than {MAX_CELLS:,} cells")
            self.cells[ref] = Cell(formula, value)

    def _formula(self, ref: CellRef) -> str | None:
        """The formula text with a leading '=', a shared formula moved to this cell."""
        attrs, text = self.f_attrs or {}, self.f_text or ""
        kind = attrs.get("t", "normal")
        if kind == "dataTable":
            raise self.fail(f"{ref}: data table formulas are not supported")
        if kind == "shared":
            moved = self.shared.resolve(attrs.get("si"), text, ref.row, ref.col)
            if moved is None:
                raise self.fail(f"{ref}: shared formula {attrs.get('si')} has no master cell")
            text = moved
        if not text:
            return None
        if len(text) > MAX_FORMULA:
            raise self.fail(f"{ref}: formula longer than {MAX_FORMULA} characters")
        self.totals.formula_chars += len(text)
        if self.totals.formula_chars > MAX_FORMULA_CHARS:
            raise self.fail(f"formulas longer than {MAX_FORMULA_CHARS:,} characters in all")
        return "=" + text

    def _value(self, ref: CellRef) -> Value:
        """Decode the stored value by the cell's ``t`` type; text starting with '=' stays text."""
        kind, v = self.cell.get("t", "n"), self.v_text
        if kind == "inlineStr":
            return unescape("".join(self.inline)) if self.inline is not None else None
        if v is None:
            return None
        try:
            return decode(kind, v, self.strings)
        except (ValueError, IndexError) as exc:
            raise self.fail(f"{ref}: bad stored value {v!r} of type {kind}") from exc


def decode(kind: str, v: str, strings: list[str]) -> Value:
    """A ``<v>`` text as a value of cell type ``kind``; raises ValueError when it is not one."""
    if kind == "n":
        if not v.strip():
            return None
        x = float(v)
        if not math.isfinite(x):  # "1e999", "inf", "nan": no spreadsheet stores these
            raise ValueError(f"not a finite number: {v}")
        return x
    if kind == "s":
        return strings[int(v)]
    if kind in ("str", "d"):
        return unescape(v)
    if kind == "b":
        return v.strip() in ("1", "true")
    if kind == "e" and v.strip() in ERROR_CODES:
        return XLError(v.strip())
    raise ValueError(f"unknown cell type {kind}")
