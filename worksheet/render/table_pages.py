"""Where a Training table's pages start across: before a column group that would not fit on
what is left of a page, so that each group prints whole under its heading.

A table's column groups ("parameters at the start of the update", "forward pass", ...) are
headed once, in the group's first column of the heading row; the row repeats on every page,
but a page that starts inside a group would show no heading for its first columns (and the
heading of a group cut at a page's edge prints cut).  LibreOffice chooses the breaks itself
on a sheet fitted to pages, and ignores manual ones there; so such a table prints at a fixed
scale (the largest that keeps its printed rows on one page down and needs no more pages
across than fitting at MIN_SCALE would), with a manual break before each page.  A group
wider than a page is broken inside, and its heading is written again, "(continued)", in the
heading row where the next page starts: the one cell a printed page needs to read right.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from copy import copy

from openpyxl.worksheet.pagebreak import Break, ColBreak
from openpyxl.worksheet.worksheet import Worksheet

from worksheet.render.page_measure import MIN_SCALE, WIDE_FONT, column_mm, height_mm, printable
from worksheet.sheets.cells import column_letter

ROW_SLACK = 1.05  # rows print up to this much taller in DejaVu Sans (measured 15.7 pt, not 15)
SMALLEST = MIN_SCALE / WIDE_FONT  # the scale fitting to pages reaches in DejaVu Sans
HEADING_CHARS_PER_UNIT = 0.8  # a bold heading, in the wide serif LibreOffice gives it
CONTINUED = " (continued)"


def break_at_groups(
    sheet: Worksheet, paper: str, frozen: int, rows: tuple[int, int], heading_row: int
) -> None:
    """Print ``sheet`` (columns ``frozen`` + 1 on; ``rows`` (first, last) printed, at most one
    page down) on as many pages across as fitting it to pages would take (``page_setup``'s
    ``_fit``: at MIN_SCALE, by Excel's measure), each page starting at a group's first
    column where the groups fit so; else as full as the columns fit, each page that starts
    inside a group headed "(continued)"."""
    last = sheet.max_column
    columns = [(col, col, "") for col in range(frozen + 1, last + 1)]  # any break will do
    groups = _groups(sheet, heading_row, frozen + 1, last)
    across, down = printable(paper, sheet.page_setup.orientation)
    excel = _widths(sheet, last, 1.0)
    fewest = len(pages(columns, excel, across / MIN_SCALE - sum(excel[1 : frozen + 1])))
    widths = _widths(sheet, last, WIDE_FONT)
    titles = sum(widths[1 : frozen + 1])
    tall = ROW_SLACK * (height_mm(sheet, rows[1]) - height_mm(sheet, rows[0] - 1))
    largest = math.floor(min(1.0, down / tall) * 100)
    scale, starts = _plan(groups, widths, lambda s: across / s - titles, largest, fewest)
    sheet.sheet_properties.pageSetUpPr.fitToPage = False
    sheet.page_setup.scale = round(scale * 100)
    sheet.col_breaks = ColBreak()
    for page, first in enumerate(starts):
        if page:
            sheet.col_breaks.append(Break(id=first - 1))  # before column ``first``
        cell = sheet.cell(heading_row, first)
        if cell.value is None:  # inside a group
            cell.value = _heading(groups, first) + CONTINUED
            cell.font = copy(sheet.cell(heading_row, groups[0][0]).font)


def _plan(
    groups: list, widths: list[float], room: Callable[[float], float], largest: int, fewest: int
) -> tuple[float, list[int]]:
    """(scale, first column of each page): the largest scale from ``largest`` % down at
    which whole groups take at most ``fewest`` pages; failing that, the largest at which
    groups broken where a page is full do.  Never below SMALLEST."""
    smallest = math.ceil(SMALLEST * 100)
    for whole in (True, False):
        for percent in range(largest, smallest - 1, -1):
            starts = pages(groups, widths, room(percent / 100), whole)
            if len(starts) <= fewest:
                return percent / 100, starts
    return smallest / 100, pages(groups, widths, room(smallest / 100), whole=False)


def pages(
    groups: list[tuple[int, int, str]], widths: list[float], room: float, whole: bool = True
) -> list[int]:
    """The first column of each page when the groups ``(first, last, heading)`` fill pages
    ``room`` mm wide (``widths[c]``: column c's, in mm).  A group that does not fit on what
    is left of a page starts the next; unless not ``whole``, when it starts there only if
    what is left cannot hold its heading; one wider than a page goes column by column."""
    starts: list[int] = []
    used = room + 1  # no page yet
    for first, last, heading in groups:
        wide = sum(widths[first : last + 1])
        if used + wide <= room:
            used += wide
            continue
        if (whole and wide <= room) or used + heading_mm(heading) > room:
            starts.append(first)
            used = 0.0
        for col in range(first, last + 1):
            if used + widths[col] > room:
                starts.append(col)
                used = 0.0
            used += widths[col]
    return starts


def heading_mm(heading: str) -> float:
    """How wide a group's bold heading prints, at 100 % (``page_setup.CHARS_PER_UNIT``)."""
    return column_mm(len(heading) / HEADING_CHARS_PER_UNIT)


def _widths(sheet: Worksheet, last: int, wider: float) -> list[float]:
    """Each column's printed width at 100 %, in mm, by 1-based column (index 0 unused), by
    Excel's measure times ``wider``: WIDE_FONT as LibreOffice prints it without Calibri, so
    that pages planned so are never overfilled, only less full where Calibri is at hand."""
    out = [0.0]
    for col in range(1, last + 1):
        dim = sheet.column_dimensions.get(column_letter(col))
        out.append(wider * column_mm(dim.width if dim is not None and dim.width else 8.43))
    return out


def _groups(sheet: Worksheet, row: int, first: int, last: int) -> list[tuple[int, int, str]]:
    """(first column, last column, heading) of each group headed in ``row`` from ``first``;
    a heading written here before ("(continued)") starts no group."""
    starts = []
    for col in range(first, last + 1):
        value = sheet.cell(row, col).value
        if col == first or (isinstance(value, str) and not value.endswith(CONTINUED)):
            starts.append((col, str(value or "")))
    ends = [col - 1 for col, _ in starts[1:]] + [last]
    return [(col, end, heading) for (col, heading), end in zip(starts, ends)]


def _heading(groups: list[tuple[int, int, str]], col: int) -> str:
    return next(heading for first, last, heading in groups if first <= col <= last)
