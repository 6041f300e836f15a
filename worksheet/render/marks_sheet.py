"""The Marks sheet of a marked copy, the sheet it opens on: whose it is, the colour key, the
integrity verdict, the score of each section, and every answer cell on a line of its own
(sheet, cell, quantity, the student's value, the expected value, the value their own
earlier values give, the verdict), its heading repeated on each printed page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from worksheet.render import kinds, styles
from worksheet.render.page_measure import LINE_PT
from worksheet.render.page_setup import NEXT_LINE_PT, wrapped_lines
from worksheet.render.verdicts import FILLS, ROLE_WORDS, text_or_value
from worksheet.sheets.cells import column_letter

MARKS = "Marks"
FLAG_FONT = Font(bold=True, color="C00000")
COLUMNS = (  # the list of answers: (heading, width)
    ("sheet", 9.0),
    ("cell", 7.0),
    ("quantity", 14.0),
    ("defined name", 16.0),
    ("your value", 14.5),
    ("expected", 14.5),
    ("from your values", 14.5),
    ("verdict", 36.0),
)
KEY_COLUMN = 3  # the colour key's first cell, where the columns are wide enough for it
TOP = Alignment(vertical="top")
WRAP_TOP = Alignment(wrap_text=True, vertical="top")


@dataclass(frozen=True)
class MarksSheet:
    title: str
    rows: list[tuple[str, str, str]]  # (section or total, "earned/out of", "percent%")
    integrity: list[str]  # first line: the status; then one line per problem
    flagged: bool


class Listed(Protocol):
    """What the list needs of a marked cell (``marked_copy.MarkedCell``)."""

    sheet: str
    address: str
    quantity: str
    name: str
    value: object
    expected: float | None
    own: object
    verdict: str
    role: str


def add_marks_sheet(book: Workbook, marks: MarksSheet, cells: Sequence[Listed]) -> None:
    """The Marks sheet, first in ``book`` and the one it opens on."""
    sheet = kinds.new_sheet(book, MARKS, kinds.OTHER)
    book.move_sheet(sheet, offset=-(len(book.worksheets) - 1))
    text_or_value(sheet["A1"], marks.title)
    sheet["A1"].font = styles.TITLE_FONT
    _key(sheet)
    row = _integrity(sheet, marks, 3)
    row = _scores(sheet, marks, row + 1)
    _answers(sheet, cells, row + 1)
    for col, (_, width) in enumerate(COLUMNS, 1):
        sheet.column_dimensions[column_letter(col)].width = width
    sheet.sheet_view.tabSelected = True
    book.active = 0


def _key(sheet: Worksheet) -> None:
    """Row 2, as on every sheet: what each colour means."""
    sheet["A2"] = "key:"
    for col, (role, fill) in enumerate(FILLS.items(), KEY_COLUMN):
        sheet.cell(2, col, ROLE_WORDS[role]).fill = fill


def _integrity(sheet: Worksheet, marks: MarksSheet, row: int) -> int:
    """The integrity lines across the list's width, wrapped; returns the next free row."""
    width = sum(w for _, w in COLUMNS)
    for line in marks.integrity:
        cell = sheet.cell(row, 1)
        text_or_value(cell, line)
        cell.font = FLAG_FONT if marks.flagged else styles.BOLD
        cell.alignment = WRAP_TOP
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(COLUMNS))
        lines = wrapped_lines(line, width, "heading")  # bold: measured as the headings
        sheet.row_dimensions[row].height = LINE_PT + NEXT_LINE_PT * (lines - 1)
        row += 1
    return row


def _scores(sheet: Worksheet, marks: MarksSheet, row: int) -> int:
    for col, heading in enumerate(("section", "marks", "percent"), 1):
        cell = sheet.cell(row, col, heading)
        cell.font, cell.border = styles.BOLD, styles.HEADER_BORDER
    for label, score, share in marks.rows:
        row += 1
        for col, text in enumerate((label, score, share), 1):
            text_or_value(sheet.cell(row, col), text)
        sheet.cell(row, 1).font = styles.BOLD if label == "total" else styles.CODE_FONT
    return row + 1


def _answers(sheet: Worksheet, cells: Sequence[Listed], row: int) -> None:
    """Every answer on its line, under a heading repeated on each page."""
    for col, (heading, _) in enumerate(COLUMNS, 1):
        cell = sheet.cell(row, col, heading)
        cell.font, cell.border, cell.alignment = styles.BOLD, styles.HEADER_BORDER, WRAP_TOP
    lines = max(wrapped_lines(heading, width, "heading") for heading, width in COLUMNS)
    sheet.row_dimensions[row].height = LINE_PT + NEXT_LINE_PT * (lines - 1)
    sheet.print_title_rows = f"{row}:{row}"
    for c in cells:
        row += 1
        values = (c.sheet, c.address, c.quantity, c.name, c.value, c.expected, c.own, c.verdict)
        for col, value in enumerate(values, 1):
            cell = sheet.cell(row, col)
            text_or_value(cell, _shown(value))
            cell.alignment = WRAP_TOP if col == len(COLUMNS) else TOP
            if _number(value):
                cell.number_format = styles.number_format(value)
        sheet.cell(row, 4).font = styles.CODE_FONT
        for col in (5, len(COLUMNS)):
            sheet.cell(row, col).fill = FILLS[c.role]
        lines = wrapped_lines(c.verdict, COLUMNS[-1][1])
        sheet.row_dimensions[row].height = LINE_PT + NEXT_LINE_PT * (lines - 1)


def _number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _shown(value: object) -> object:
    """A number or text as it is; an error value by its code; nothing as nothing."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(getattr(value, "code", value))
