"""The openpyxl side of a handout: the record rows on the Givens sheet, and the student's
copy made from a rendered key (answer cells emptied, unlocked and coloured; sheets locked).

``classroom.handout`` decides which cells are answers and what the record says; this module
only writes them.
"""

from __future__ import annotations

from collections.abc import Iterable

from openpyxl import Workbook
from openpyxl.styles import PatternFill, Protection
from openpyxl.workbook.defined_name import DefinedName

from worksheet.render import styles
from worksheet.sheets.cells import absolute
from worksheet.sheets.layout import GIVENS, BookLayout

ANSWER_FILL = PatternFill("solid", fgColor="E4DFEC")  # lavender: your answer
ANSWER_LEGEND = "your answer"

# (symbol as shown, defined name, what it means, value)
RecordRow = tuple[str, str, str, str]
# (sheet, row, column of the value, column of the formula text)
AnswerCell = tuple[str, int, int, int]
# (sheet, row, column of the value, the formula it holds in the student's copy)
WaitingCell = tuple[str, int, int, str]


def add_record(book: Workbook, layout: BookLayout, heading: str, rows: list[RecordRow]) -> None:
    """Grey text cells with workbook-wide names, under a heading below the givens."""
    sheet, given = book[GIVENS], layout.givens
    row = given.lines[-1][0] + 2
    sheet.cell(row, 1, heading).font = styles.BOLD
    for col in range(1, len(given.columns) + 1):
        sheet.cell(row, col).fill = styles.HEADING_FILL
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(given.columns))
    for text, name, words, value in rows:
        row += 1
        sheet.cell(row, given.col("symbol"), text)
        sheet.cell(row, given.col("meaning"), words)
        cell = sheet.cell(row, given.col("value"), value)
        cell.data_type, cell.fill = "s", styles.FIXED_FILL  # text, even if it starts with =
        cell.quotePrefix = True  # and stays text if someone edits it
        label = sheet.cell(row, given.col("name"), name)
        label.font, label.alignment = styles.CODE_FONT, styles.INDENTED
        ref = absolute(GIVENS, row, given.col("value"))
        book.defined_names[name] = DefinedName(name, attr_text=ref)


def make_student_copy(
    book: Workbook, answers: Iterable[AnswerCell], waiting: Iterable[WaitingCell] = ()
) -> None:
    """Empty each answer into an unlocked, coloured cell (and its formula text); give each
    live cell that reads an answer its ``waiting`` formula (blank until the answers it
    needs are filled in); lock every sheet without a password, so the teacher can still
    unlock it."""
    for sheet_name, row, value_col, formula in waiting:
        book[sheet_name].cell(row, value_col).value = formula
    for sheet_name, row, value_col, formula_col in answers:
        sheet = book[sheet_name]
        cell = sheet.cell(row, value_col)
        cell.value, cell.fill, cell.number_format = None, ANSWER_FILL, "General"
        cell.protection = Protection(locked=False)
        sheet.cell(row, formula_col).value = None
    for sheet in book.worksheets:
        _legend(sheet)
        sheet.protection.sheet = True


def _legend(sheet) -> None:
    """Givens are locked ("given", not "edit me"); on a sheet with answers, their colour
    goes right of "live formula", above the formula column the student's copy leaves empty
    (``sheets.givens.legend`` places the rest)."""
    for cell in sheet[2]:
        if cell.value == "given: edit me":
            cell.value = "given"
        elif cell.value == "live formula":
            sheet.cell(2, cell.column + 1, ANSWER_LEGEND).fill = ANSWER_FILL
