"""How big a sheet prints: column widths and row heights in millimetres, the printable area of
a page, and where charts fall.  Estimated the way Excel measures a column: a width unit is one
'0' of the default font (7 px at 96 dpi) plus 5 px of padding per column.
"""

from __future__ import annotations

import math
import textwrap
from functools import lru_cache
from typing import TYPE_CHECKING

from worksheet.sheets.cells import column_letter

if TYPE_CHECKING:  # check imports PAPERS from here, and must not load openpyxl
    from openpyxl.worksheet.worksheet import Worksheet

PAPERS = {"a4": (210.0, 297.0, 9), "letter": (215.9, 279.4, 1)}  # mm wide, mm high, code
MARGIN_IN = {"left": 0.4, "right": 0.4, "top": 0.7, "bottom": 0.7, "header": 0.3, "footer": 0.3}
MIN_SCALE = 0.65  # below this, 11 pt text prints smaller than 7 pt: spread over pages instead
# Columns print up to this much wider than Excel's measure where Calibri is missing and
# LibreOffice falls back to DejaVu Sans (measured: 1.34): a one-page-wide sheet allows for it.
WIDE_FONT = 1.38
DEFAULT_WIDTH = 8.43  # Excel's default column width
LINE_PT = 15  # a line of 11 pt text; the default row height
NEXT_LINE_PT = 14  # each further line of a wrapped cell
# Characters per unit of column width (the width of a '0' of the body font), measured in
# LibreOffice with Carlito (Calibri's metrics) and with DejaVu Sans in its place, and with
# DejaVu Sans Mono, wider than Consolas, for the code font: the smaller of each pair, so the
# estimate errs towards a row too tall, never text cut off.
# Headings are bold in a font without a name, which LibreOffice prints in a wide serif.
CHARS_PER_UNIT = {"text": 1.2, "code": 0.85, "heading": 0.8}
ROW_MM = LINE_PT * 25.4 / 72


def height_mm(sheet: Worksheet, last_row: int) -> float:
    """Printed height of rows 1 to ``last_row`` at 100 %."""
    dims = sheet.row_dimensions
    points = sum((dims[r].height if r in dims else None) or LINE_PT for r in range(1, last_row + 1))
    return points * 25.4 / 72


def printable(paper: str, orientation: str) -> tuple[float, float]:
    """(width, height) in mm inside the margins."""
    wide, high, _ = PAPERS[paper]
    if orientation == "landscape":
        wide, high = high, wide
    inch = 25.4
    across = wide - (MARGIN_IN["left"] + MARGIN_IN["right"]) * inch
    down = high - (MARGIN_IN["top"] + MARGIN_IN["bottom"]) * inch
    return across, down


def column_mm(width: float) -> float:
    """Printed width of a column of ``width`` units at 100 %: (7 px per unit + 5 px) at 96 dpi."""
    return (7 * width + 5) * 25.4 / 96


def width_mm(sheet: Worksheet, first: int, last: int) -> float:
    total = 0.0
    for col in range(first, last + 1):
        dim = sheet.column_dimensions.get(column_letter(col))
        total += column_mm(dim.width if dim is not None and dim.width else DEFAULT_WIDTH)
    return total


def chart_spans(sheet: Worksheet) -> list[tuple[int, int, int, int, float]]:
    """(top row, last row, first column, last column, height in mm) of each chart of the
    sheet, estimated from its size in cm and the rows' and columns' sizes."""
    from openpyxl.utils.cell import range_boundaries  # only where a book is being written

    spans = []
    for chart in sheet._charts:  # openpyxl keeps a sheet's charts only here
        anchor = chart.anchor if isinstance(chart.anchor, str) else "A1"
        col, row, _, _ = range_boundaries(anchor)
        span, c = chart.width * 10.0, col  # cm to mm
        while span > 0:
            dim = sheet.column_dimensions.get(column_letter(c))
            span -= column_mm(dim.width if dim is not None and dim.width else DEFAULT_WIDTH)
            c += 1
        high = chart.height * 10.0
        spans.append((row, row + math.ceil(high / ROW_MM), col, c - 1, high))
    return spans


def chart_extent(sheet: Worksheet) -> tuple[int, int]:
    """(last row, last column) that the sheet's charts cover; (0, 0) without charts."""
    spans = chart_spans(sheet)
    return max((s[1] for s in spans), default=0), max((s[3] for s in spans), default=0)


@lru_cache(maxsize=1 << 14)  # each step sheet wraps the same texts
def wrapped_lines(text: str, width: float, kind: str = "text") -> int:
    """Lines ``text`` takes in a wrapping column ``width`` units wide, in a font of ``kind``
    (a key of CHARS_PER_UNIT); pessimistic, so that a wider substitute font still fits.
    The writer sizes rows by it and ``check`` judges a label's room by it (this module
    loads no openpyxl)."""
    per_line = max(int(width * CHARS_PER_UNIT[kind]) - 1, 1)
    return max(len(textwrap.wrap(text, per_line, break_on_hyphens=False)), 1)
