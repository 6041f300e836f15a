"""The openpyxl side of a marked copy: verdict colours and notes on the answer cells, the
record's kind set to "marked", and a Marks sheet with the scores and the integrity verdict.

``classroom.marking`` decides what each cell shows and says; it hands over a handout book
rebuilt from the layout (never the student's own file: nothing a student put there, a live
link or a macro-like formula, reaches the teacher's copy).  A student's answer is written as
its value, and a formula they typed as text beside it, so opening the copy runs nothing of
theirs.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill

from worksheet.render import styles
from worksheet.render.cached_xml import save_with_values
from worksheet.render.properties import sign
from worksheet.render.stored_values import computed_values

FILLS = {
    "right": PatternFill("solid", fgColor="C6EFCE"),  # green
    "carried": PatternFill("solid", fgColor="F8CBAD"),  # orange
    "wrong": PatternFill("solid", fgColor="FF9F9F"),  # red
    "blank": PatternFill("solid", fgColor="BFBFBF"),  # grey
}
MARKS = "Marks"
FLAG_FONT = Font(bold=True, color="C00000")


@dataclass(frozen=True)
class MarkedCell:
    """What one answer cell of the marked copy shows."""

    sheet: str
    row: int
    col: int
    formula_col: int
    role: str  # a key of FILLS
    value: object  # the student's value: a number, text, TRUE/FALSE, or None
    typed: str | None  # the formula the student typed, shown as text
    note: str


@dataclass(frozen=True)
class MarksSheet:
    title: str
    rows: list[tuple[str, str, str]]  # (section or total, "earned/out of", "percent%")
    legend: list[tuple[str, str]]  # (verdict, role)
    integrity: list[str]  # first line: the status; then one line per problem
    flagged: bool


def mark_up(book: Workbook, cells: list[MarkedCell], kind: tuple[str, str], marks: MarksSheet):
    """Paint and annotate ``book`` (a handout student copy), set the defined name
    ``kind[0]`` to ``kind[1]``, add the Marks sheet first, and unlock every sheet."""
    for c in cells:
        sheet = book[c.sheet]
        cell = sheet.cell(c.row, c.col)
        _text_or_value(cell, c.value)
        cell.fill = FILLS[c.role]
        cell.comment = Comment(c.note, "worksheet grade", width=320, height=90)
        if c.typed is not None:
            _text_or_value(sheet.cell(c.row, c.formula_col), c.typed)
    name, value = kind
    for sheet, ref in book.defined_names[name].destinations:
        _text_or_value(book[sheet][ref.replace("$", "")], value)
    for sheet in book.worksheets:
        sheet.protection.sheet = False
        sheet.sheet_view.tabSelected = False  # only the Marks sheet is selected
    _marks_sheet(book, marks)


def _text_or_value(cell, value: object) -> None:
    """Text stays text (a student's "=HYPERLINK(...)" must not become a formula)."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type, cell.quotePrefix = "s", True


def _marks_sheet(book: Workbook, marks: MarksSheet) -> None:
    sheet = book.create_sheet(MARKS, 0)
    _text_or_value(sheet["A1"], marks.title)
    sheet["A1"].font = styles.TITLE_FONT
    for r, line in enumerate(marks.integrity, 2):
        _text_or_value(sheet.cell(r, 1), line)
        sheet.cell(r, 1).font = FLAG_FONT if marks.flagged else styles.BOLD
    top = len(marks.integrity) + 3
    for r, (label, score, share) in enumerate(marks.rows, top):
        _text_or_value(sheet.cell(r, 1), label)
        sheet.cell(r, 1).font = styles.BOLD if label == "total" else styles.CODE_FONT
        _text_or_value(sheet.cell(r, 2), score)
        _text_or_value(sheet.cell(r, 3), share)
    for r, (verdict, role) in enumerate(marks.legend, top + len(marks.rows) + 1):
        _text_or_value(sheet.cell(r, 1), verdict)
        sheet.cell(r, 1).fill = FILLS[role]
    for col, width in zip("ABC", (28, 10, 10)):
        sheet.column_dimensions[col].width = width
    book.active = 0


def save(book: Workbook, path: Path) -> None:
    """Save to ``path`` (a temporary file: ``files.outputs.write_together`` renames it into
    place with the CSV line), signed and with every formula's value stored, as
    ``book.save_atomic`` does for the other workbooks."""
    sign(book)
    save_with_values(book, str(path), computed_values(book))
