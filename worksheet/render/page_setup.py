"""Page setup for printing (and so for ``pdf.py``): one pass over a finished workbook,
whoever wrote its sheets.

Every sheet gets the paper size, a header (sheet, title, student) and a footer (page n of m),
printed gridlines and repeated header rows.  What differs is decided by the sheet's kind:

* step and givens sheets print in portrait, one page wide; their text columns are narrowed
  and wrap, so the 8-column table prints at about 70 % instead of 45 %;
* Training tables (and sweep runs) print in landscape, only their first ``TABLE_ROWS``
  updates (a 4,000-update table would be 100+ pages that nobody reads; the Summary sheet
  prints the outcome) and as many pages across as a readable scale needs, the update and
  example columns repeated on each; the Sweep sheet likewise, turned to suit its width;
* the Network diagram on one page, without gridlines;
* any other sheet (Summary) in whichever orientation fits it best.

Sizes are estimated the way Excel measures a column: a width unit is one '0' of the default
font (7 px at 96 dpi) plus 5 px of padding per column.
"""

from __future__ import annotations

import math
from copy import copy

from openpyxl import Workbook
from openpyxl.cell.cell import MergedCell
from openpyxl.utils.cell import range_boundaries
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from worksheet.errors import WorksheetError
from worksheet.render import kinds, styles
from worksheet.render.page_measure import (  # the line measure: check's labels use it too
    CHARS_PER_UNIT,
    DEFAULT_WIDTH,
    LINE_PT,
    MARGIN_IN,
    MIN_SCALE,
    NEXT_LINE_PT,
    PAPERS,
    WIDE_FONT,
    chart_extent,
    chart_spans,
    height_mm,
    printable,
    width_mm,
    wrapped_lines,
)
from worksheet.render.table_pages import break_at_groups
from worksheet.sheets.cells import column_letter
from worksheet.sheets.layout import CHECK_COLUMNS, GIVEN_COLUMNS, STEP_COLUMNS
from worksheet.sheets.training_table import FIRST_ROW as TABLE_FIRST_ROW

SPILL = 0.25  # a last page less full than this is folded into the others
TABLE_ROWS = 40  # updates of a long Training table printed: one landscape page down
NARROWEST = min(CHARS_PER_UNIT.values())
WRAPPED = ("meaning", "maths", "value", "formula", "name")  # text only; and row 3


def apply_page_setup(
    book: Workbook, paper: str = "a4", title: str = "", student: str | None = None
) -> None:
    """Set up every sheet of ``book`` for printing on ``paper`` ('a4' or 'letter')."""
    if paper not in PAPERS:
        raise WorksheetError(f"unknown paper {paper!r}: use {' or '.join(PAPERS)}")
    for sheet in book.worksheets:
        _common(sheet, paper, title, student)
        kind = kinds.kind_of(sheet)
        if kind in (kinds.STEP, kinds.GIVENS):
            keys = GIVEN_COLUMNS if kind == kinds.GIVENS else (*STEP_COLUMNS, *CHECK_COLUMNS)
            _compact(sheet, keys)
            _setup_portrait_table(sheet, paper)
        elif kind in (kinds.TABLE, kinds.SWEEP):
            _setup_table(sheet, paper, landscape=None if kind == kinds.SWEEP else True)
        elif kind == kinds.NETWORK:
            _setup_picture(sheet, paper)
        else:
            _setup_other(sheet, paper)


def _common(sheet: Worksheet, paper: str, title: str, student: str | None) -> None:
    sheet.page_setup.paperSize = PAPERS[paper][2]
    for side, inches in MARGIN_IN.items():
        setattr(sheet.page_margins, side, inches)
    sheet.print_options.gridLines = True
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    header, footer = sheet.oddHeader, sheet.oddFooter
    header.left.text, header.left.size = "&A", 9  # the sheet's name
    header.center.text, header.center.size = _escape(title)[:200], 9
    if student:
        header.right.text, header.right.size = f"Student: {_escape(student)}"[:80], 9
    footer.center.text, footer.center.size = "Page &P of &N", 9


def _escape(text: str) -> str:
    """Header text is a little language where '&' starts a code."""
    return text.replace("&", "&&")


def _compact(sheet: Worksheet, keys: tuple[str, ...]) -> None:
    """Wrapping text columns (their widths are set with the table, from ``styles``), and rows
    tall enough for their wrapped text: neither Excel nor LibreOffice is relied on to grow a
    row (LibreOffice does not on opening an .xlsx).  Formula cells never wrap: their text is
    what the value column shows."""
    widths = dict(zip(keys, styles.widths_of(keys, givens=kinds.kind_of(sheet) == kinds.GIVENS)))
    text_cols = {keys.index(key) + 1 for key in WRAPPED if key in widths}
    for row in sheet.iter_rows(min_row=3, max_col=len(keys)):
        lines = 1
        for cell in row:
            if isinstance(cell, MergedCell) or (cell.value is None and not cell.has_style):
                continue  # nothing there to align (iter_rows made it)
            wrap = cell.data_type != "f" and (cell.row == 3 or cell.column in text_cols)
            now = cell.alignment  # set already by the cell's role (render.styles): keep it
            if now.vertical != "top" or bool(now.wrap_text) != wrap:
                alignment = copy(now)
                alignment.vertical, alignment.wrap_text = "top", wrap
                cell.alignment = alignment
            if wrap and isinstance(cell.value, str):
                width = widths[keys[cell.column - 1]]
                if len(cell.value) > int(width * NARROWEST) - 1 or "\t" in cell.value:
                    lines = max(lines, wrapped_lines(cell.value, width, _kind(cell)))
                # (else one line in any font: most cells, and textwrap is slow)
        if lines > 1:
            sheet.row_dimensions[row[0].row].height = LINE_PT + NEXT_LINE_PT * (lines - 1)


def _kind(cell) -> str:
    if cell.row == 3:
        return "heading"
    return "code" if cell.font is not None and cell.font.name == styles.CODE_FONT.name else "text"


def _setup_portrait_table(sheet: Worksheet, paper: str) -> None:
    _, _, max_col, max_row = _print_range(sheet)
    for cell in sheet[2]:  # the colour legend explains the printout too: print all of it
        if cell.value is not None and cell.column > max_col:
            dim = sheet.column_dimensions[column_letter(cell.column)]
            dim.width = max(dim.width or DEFAULT_WIDTH, len(str(cell.value)) + 2)
            max_col = cell.column
    sheet.print_area = f"A1:{column_letter(max_col)}{max_row}"
    sheet.page_setup.orientation = "portrait"
    sheet.print_title_rows = "1:3"
    _fit(sheet, paper, max_col, max_row)


def _setup_table(sheet: Worksheet, paper: str, landscape: bool | None) -> None:
    """A long table under a frozen header (Training, a sweep run, Sweep): its first
    TABLE_ROWS rows and any chart, the header rows and frozen columns repeated on each page;
    ``landscape`` None turns the page to suit the width."""
    frozen, first = _frozen(sheet)
    charts = chart_extent(sheet)
    max_col = max(sheet.max_column, charts[1])
    last_row = min(sheet.max_row, max(first - 1 + TABLE_ROWS, charts[0]))
    # Row 1's description is wider than the repeated columns: on every page after the first
    # it would print cut ("XOR with Adam: 150 ep"). It prints whole in the header instead.
    top = 1 if charts[0] or kinds.kind_of(sheet) == kinds.SWEEP else 2
    if top == 2 and isinstance(sheet["A1"].value, str):
        sheet.oddHeader.center.text = _escape(sheet["A1"].value)[:200]
    sheet.print_area = f"A{top}:{column_letter(max_col)}{last_row}"
    if landscape is None:
        landscape = width_mm(sheet, 1, max_col) > printable(paper, "portrait")[0] / MIN_SCALE
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sweep = kinds.kind_of(sheet) == kinds.SWEEP
    heading = first - 1 if sweep else TABLE_FIRST_ROW - 2  # with the groups
    sheet.print_title_rows = f"{heading}:{first - 1}"
    if frozen:
        sheet.print_title_cols = f"A:{column_letter(frozen)}"
    sheet.page_setup.pageOrder = "overThenDown"  # keep a band of rows together
    if charts[0]:  # the Sweep's chart: no grid of empty boxes behind it
        sheet.print_options.gridLines = False
    if sweep:
        _fit(sheet, paper, max_col, last_row, repeated=frozen)
    else:  # each column group whole on a page, under its heading (``table_pages``)
        break_at_groups(sheet, paper, frozen, (top, last_row), heading)
    if last_row < sheet.max_row:
        if sweep:
            sheet.page_setup.fitToHeight = 1  # TABLE_ROWS fit one page down at MIN_SCALE
        shown, rows = last_row - first + 1, sheet.max_row - first + 1
        note = f"Printed: the first {shown} rows of {rows:,} (all are in the workbook)"
        sheet.oddFooter.left.text, sheet.oddFooter.left.size = note, 9


def _setup_picture(sheet: Worksheet, paper: str) -> None:
    """The network diagram: on one page, turned the way that shrinks it least.  Never
    enlarged: a small network prints at 100 %, and a wrong guess of the fonts' width cannot
    push part of it onto a second page."""
    width, height = width_mm(sheet, 1, sheet.max_column), height_mm(sheet, sheet.max_row)

    def scale(orientation: str) -> float:
        across, down = printable(paper, orientation)
        return min(1.0, across / width, down / height)

    portrait = scale("portrait") >= scale("landscape")
    sheet.page_setup.orientation = "portrait" if portrait else "landscape"
    sheet.print_options.gridLines = False  # the boxes are the picture
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 1


def _setup_other(sheet: Worksheet, paper: str) -> None:
    """Any other sheet (Summary): turned to suit its width; with charts, see ``_charted``."""
    charts = chart_extent(sheet)
    max_row, max_col = max(sheet.max_row, charts[0]), max(sheet.max_column, charts[1])
    width = width_mm(sheet, 1, max_col)
    portrait = width <= printable(paper, "portrait")[0] / MIN_SCALE
    sheet.page_setup.orientation = "portrait" if portrait else "landscape"
    if charts[0]:
        _charted(sheet, paper, max_col)
    else:
        _fit(sheet, paper, max_col, max_row)


def _charted(sheet: Worksheet, paper: str, max_col: int) -> None:
    """A sheet of tables and charts prints one page wide at a fixed scale, without gridlines
    (a chart on a grid of empty boxes reads badly), with a page break before any chart that
    would otherwise be cut across two pages.  A fixed scale, not "fit to": Excel and
    LibreOffice ignore manual breaks on a sheet fitted to pages."""
    across, down = printable(paper, sheet.page_setup.orientation)
    scale = min(1.0, across / (WIDE_FONT * width_mm(sheet, 1, max_col)))
    sheet.print_options.gridLines = False
    sheet.sheet_properties.pageSetUpPr.fitToPage = False
    sheet.page_setup.scale = max(10, math.floor(scale * 100))
    room = down / (sheet.page_setup.scale / 100)  # mm of rows a page holds at that scale
    page_top = 0.0  # where the current page starts, in mm from row 1 at 100 %
    for top, _, _, _, high in sorted(chart_spans(sheet)):
        start = height_mm(sheet, top - 1)
        end = start + high
        while start - page_top >= room:  # pages the rows above fill on their own
            page_top += room
        if end - page_top > room:
            sheet.row_breaks.append(Break(id=top - 1))
            page_top = start


def _fit(sheet: Worksheet, paper: str, max_col: int, max_row: int, repeated: int = 0) -> None:
    """As many pages across as keep the scale at MIN_SCALE or more (one, when it fits);
    as many pages down as the rows need, less one when the last would hold only a few rows."""
    across, down = printable(paper, sheet.page_setup.orientation)
    width = width_mm(sheet, 1, max_col)
    titles = width_mm(sheet, 1, repeated) if repeated else 0.0
    wide = max(1, math.ceil((width - titles) / max(across / MIN_SCALE - titles, 1.0)))
    tall = 0
    if wide == 1:
        pages = height_mm(sheet, max_row) * min(1.0, across / width) / down
        if pages > 1 and pages % 1 < SPILL:
            tall = math.floor(pages)  # shrink a little rather than print a page of leftovers
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = wide, tall


def _print_range(sheet: Worksheet) -> tuple[int, int, int, int]:
    """The sheet's print area when one is set, else columns A.. up to the first gap in the
    heading row 3 (a gap separates the printed table from on-screen working)."""
    if sheet.print_area:
        area = sheet.print_area.split(",")[0].split("!")[-1].replace("$", "")
        return range_boundaries(area)
    col = 1
    while sheet.cell(3, col + 1).value is not None:
        col += 1
    return 1, 1, col, sheet.max_row


def _frozen(sheet: Worksheet) -> tuple[int, int]:
    """(columns, first row below) of the frozen pane: what repeats on paper too."""
    if not sheet.freeze_panes:
        return 0, TABLE_FIRST_ROW
    col, row, _, _ = range_boundaries(sheet.freeze_panes)
    return col - 1, row
