"""The openpyxl side of a marked copy: each answer cell coloured by its verdict, with the
verdict, the expected value and the value the student's own inputs give printed beside it,
the record's kind set to "marked", a Marks sheet first (``marks_sheet``), and page setup
for paper.

``classroom.marking`` decides what each cell shows and says; it hands over a handout book
rebuilt from the layout (never the student's own file: nothing a student put there, a live
link or a macro-like formula, reaches the teacher's copy).  A student's answer is written as
its value, and a formula they typed as text beside it, so opening the copy runs nothing of
theirs.

Everything a reader needs prints: the verdict and expected value are cells, not comments
(the comments stay, for the screen).  Three columns follow the table on each step sheet,
so a step sheet prints in landscape, one page wide, its title rows on every page.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from worksheet.render import kinds, styles
from worksheet.render.cached_xml import save_with_values
from worksheet.render.marks_sheet import MarksSheet, add_marks_sheet
from worksheet.render.page_measure import LINE_PT
from worksheet.render.page_setup import NEXT_LINE_PT, apply_page_setup, wrapped_lines
from worksheet.render.properties import sign
from worksheet.render.stored_values import computed_values
from worksheet.render.verdicts import FILLS, ROLE_WORDS, text_or_value
from worksheet.sheets.cells import column_letter

__all__ = ["FILLS", "MarkedCell", "MarksSheet", "mark_up", "save"]

# The columns after the table on a step sheet: (heading, width); the verdict wraps.
BESIDE = (("mark", 18.0), ("expected", 14.5), ("from your values", 14.5))
WRAP_TOP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")


@dataclass(frozen=True)
class MarkedCell:
    """What one answer cell of the marked copy shows, and the Marks sheet lists."""

    sheet: str
    row: int
    col: int
    formula_col: int
    role: str  # a key of FILLS
    value: object  # the student's value: a number, text, TRUE/FALSE, or None
    typed: str | None  # the formula the student typed, shown as text
    note: str  # the cell's comment: the whole verdict in a sentence
    verdict: str = ""  # printed beside the answer, with its reason
    expected: float | None = None
    own: object = None  # the value the student's own earlier values give, when it tells
    quantity: str = ""  # its symbol, "z₁"
    name: str = ""  # its defined name, "z_1"

    @property
    def address(self) -> str:
        return f"{column_letter(self.col)}{self.row}"


def mark_up(
    book: Workbook,
    cells: list[MarkedCell],
    kind: tuple[str, str],
    marks: MarksSheet,
    paper: str = "a4",
    title: str = "",
    student: str | None = None,
) -> None:
    """Paint and annotate ``book`` (a handout student copy), set the defined name
    ``kind[0]`` to ``kind[1]``, add the Marks sheet first, unlock every sheet and set up
    every page for ``paper`` with ``title`` and ``student`` in the header."""
    for c in cells:
        sheet = book[c.sheet]
        cell = sheet.cell(c.row, c.col)
        text_or_value(cell, c.value)
        cell.fill = FILLS[c.role]
        cell.comment = Comment(c.note, "worksheet grade", width=320, height=90)
        if c.typed is not None:
            text_or_value(sheet.cell(c.row, c.formula_col), c.typed)
    name, value = kind
    for sheet, ref in book.defined_names[name].destinations:
        text_or_value(book[sheet][ref.replace("$", "")], value)
    for sheet in book.worksheets:
        sheet.protection.sheet = False
        sheet.sheet_view.tabSelected = False  # only the Marks sheet is selected
        _legend(sheet)
    add_marks_sheet(book, marks, cells)
    apply_page_setup(book, paper=paper, title=title, student=student)
    for sheet_name in dict.fromkeys(c.sheet for c in cells):
        _beside(book[sheet_name], [c for c in cells if c.sheet == sheet_name])


def _legend(sheet: Worksheet) -> None:
    """Row 2 says what the colours mean on this copy: no "your answer" (every answer has
    its verdict's colour now); on the step sheets, the five verdicts."""
    for cell in sheet[2][1:]:
        cell.value, cell.fill = None, PatternFill()
    items = [("given", styles.GIVEN_FILL)]
    if kinds.kind_of(sheet) == kinds.STEP:
        items += [("live formula", styles.FORMULA_FILL)]
        items += [(ROLE_WORDS[role], FILLS[role]) for role in FILLS]
        items.append(("section", styles.HEADING_FILL))
    else:  # the long label in the Givens sheet's wide name column
        items += [("section", styles.HEADING_FILL), ("fixed when generated", styles.FIXED_FILL)]
    for col, (label, fill) in enumerate(items, 2):
        sheet.cell(2, col, label).fill = fill


def _beside(sheet: Worksheet, cells: list[MarkedCell]) -> None:
    """The verdict, expected value and own-values value beside each answer, under headings
    that follow the table; then the page: landscape, one page wide, as long as it takes."""
    first = 1
    while sheet.cell(3, first).value is not None:
        first += 1
    for offset, (heading, width) in enumerate(BESIDE):
        cell = sheet.cell(3, first + offset, heading)
        cell.font, cell.border = styles.BOLD, styles.HEADER_BORDER
        cell.alignment = WRAP_TOP
        sheet.column_dimensions[column_letter(first + offset)].width = width
    lines = max(wrapped_lines(heading, width, "heading") for heading, width in BESIDE)
    height = sheet.row_dimensions[3].height or LINE_PT
    sheet.row_dimensions[3].height = max(height, LINE_PT + NEXT_LINE_PT * (lines - 1))
    for c in cells:
        verdict = sheet.cell(c.row, first)
        text_or_value(verdict, c.verdict)  # its note may quote what the student typed
        verdict.fill, verdict.alignment = FILLS[c.role], WRAP_TOP
        for offset, number in ((1, c.expected), (2, c.own)):
            if isinstance(number, (int, float)) and not isinstance(number, bool):
                out = sheet.cell(c.row, first + offset, number)
                out.number_format = styles.number_format(number)
                out.alignment = TOP
        lines = wrapped_lines(c.verdict, BESIDE[0][1])
        height = sheet.row_dimensions[c.row].height or LINE_PT
        sheet.row_dimensions[c.row].height = max(height, LINE_PT + NEXT_LINE_PT * (lines - 1))
    last = first + len(BESIDE) - 1
    for row in range(4, sheet.max_row + 1):  # section headings run on across the new columns
        if sheet.cell(row, 1).fill == styles.HEADING_FILL:
            for col in range(first, last + 1):
                sheet.cell(row, col).fill = styles.HEADING_FILL
    sheet.print_area = f"A1:{column_letter(last)}{sheet.max_row}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0


def save(book: Workbook, path: Path) -> None:
    """Save to ``path`` (a temporary file: ``files.outputs.write_together`` renames it into
    place with the CSV line), signed and with every formula's value stored, as
    ``book.save_atomic`` does for the other workbooks."""
    sign(book)
    save_with_values(book, str(path), computed_values(book))
