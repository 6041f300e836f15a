"""A cell's ``<f>`` as the formula text spreadsheets would give it, or a refusal.

Shared formulas are where readers part ways. LibreOffice keeps the first master of an index
and ignores a later one, ignores a follower's own text, gives nothing to a master without a
``ref`` range and still fills a follower outside that range; Excel's behaviour in those cases
is its own. So each of them is refused here, and only the form Excel writes is read: one
master holding the text and its ``ref`` range starting at the master, followers inside it
with no text. Array formulas over several cells put values in cells without a formula,
which this reader would take for constants: refused too.
"""

from __future__ import annotations

from collections.abc import Callable

from worksheet.errors import BookError
from worksheet.evaluator import a1
from worksheet.evaluator.book import CellRef
from worksheet.evaluator.limits import MAX_CELLS, MAX_FORMULA, MAX_FORMULA_CHARS, MAX_MOVED_CHARS
from worksheet.evaluator.shared import SharedFormulas

Fail = Callable[[str], BookError]
Area = tuple[int, int, int, int]  # first row, first column, last row, last column


class Totals:
    """What every sheet read so far adds up to, against the workbook-wide limits."""

    def __init__(self, max_cells: int | None = None) -> None:
        self.max_cells = MAX_CELLS if max_cells is None else max_cells  # a caller may ask fewer
        self.formula_chars = 0  # non-ASCII text counted four times: Python may need 4 bytes
        self.moved_chars = 0  # shared formula text moved by the tokenizer or the full regex
        self.text_chars = 0  # decoded characters of text values kept (see ``MAX_TEXT_CHARS``)
        self.merged_areas = 0  # merged areas kept, all sheets (see ``MAX_MERGES_TOTAL``)


def parse_area(ref: str | None) -> Area | None:
    """``A1`` or ``A1:B5`` (no $, top-left first) as an area, or None."""
    first, _, last = (ref or "").partition(":")
    start, end = a1.parse_cell(first), a1.parse_cell(last or first)
    if start is None or end is None or any(start[2:]) or any(end[2:]):
        return None
    if start[0] > end[0] or start[1] > end[1]:
        return None
    return start[0], start[1], end[0], end[1]


class SheetFormulas:
    """The formulas of one sheet: shared groups by index, and the workbook's totals."""

    def __init__(self, fail: Fail, totals: Totals) -> None:
        self.fail, self.totals = fail, totals
        self.shared = SharedFormulas(self._moving)
        self.areas: dict[str, Area] = {}  # shared index -> its master's ref range

    def text(self, ref: CellRef, attrs: dict[str, str], text: str) -> str | None:
        """The formula text of ``ref`` with a leading '=', or None for an empty formula."""
        kind = attrs.get("t", "normal")
        if kind == "shared":
            text = self._shared(ref, attrs, text)
        elif kind == "array":
            area = parse_area(attrs.get("ref", a1.cell_name(ref.row, ref.col)))
            if area != (ref.row, ref.col, ref.row, ref.col):
                raise self.fail(f"{ref}: array formulas over several cells are not supported")
        elif kind == "dataTable":
            raise self.fail(f"{ref}: data table formulas are not supported")
        elif kind != "normal":
            raise self.fail(f"{ref}: unknown formula type {ascii(kind[:20])}")
        if not text:
            return None
        if len(text) > MAX_FORMULA:
            raise self.fail(f"{ref}: formula longer than {MAX_FORMULA} characters")
        self.totals.formula_chars += len(text) if text.isascii() else 4 * len(text)
        if self.totals.formula_chars > MAX_FORMULA_CHARS:
            raise self.fail(f"formulas longer than {MAX_FORMULA_CHARS:,} characters in all")
        return "=" + text

    def _shared(self, ref: CellRef, attrs: dict[str, str], text: str) -> str:
        si = attrs.get("si", "")
        if not (si.isascii() and si.isdigit() and len(si) <= 9):
            raise self.fail(f"{ref}: shared formula without a valid index")
        if text:
            return self._master(ref, si, attrs.get("ref"), text)
        area = self.areas.get(si)
        if area is None:
            raise self.fail(f"{ref}: shared formula {si} has no master cell")
        if not (area[0] <= ref.row <= area[2] and area[1] <= ref.col <= area[3]):
            raise self.fail(f"{ref}: shared formula {si} used outside its range")
        moved = self.shared.resolve(si, "", ref.row, ref.col)
        if moved is None:  # cannot happen once the area is known; kept as a guard
            raise self.fail(f"{ref}: shared formula {si} has no master cell")
        return moved

    def _master(self, ref: CellRef, si: str, area_ref: str | None, text: str) -> str:
        if si in self.areas:
            raise self.fail(f"{ref}: shared formula {si} defined twice")
        area = parse_area(area_ref)
        if area is None or area[:2] != (ref.row, ref.col):
            raise self.fail(f"{ref}: shared formula {si} without a range starting at its cell")
        self.areas[si] = area
        return self.shared.resolve(si, text, ref.row, ref.col) or text

    def _moving(self, chars: int) -> None:
        """Count shared formula text moved the slow way; refuse a sheet that abuses it."""
        self.totals.moved_chars += chars
        if self.totals.moved_chars > MAX_MOVED_CHARS:
            raise self.fail(
                f"shared formulas too costly to move (over {MAX_MOVED_CHARS:,} characters)"
            )
