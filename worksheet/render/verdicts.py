"""The colours of a marked copy's verdicts, one per verdict, and the words of its key.

Five colours a reader tells apart on screen and on a colour printer (the verdict is printed
in words beside each answer too, for a black-and-white page).
"""

from __future__ import annotations

from openpyxl.cell.cell import Cell
from openpyxl.styles import PatternFill

FILLS = {
    "right": PatternFill("solid", fgColor="C6EFCE"),  # green
    "carried": PatternFill("solid", fgColor="FFD966"),  # amber
    "wrong": PatternFill("solid", fgColor="FF9F9F"),  # red
    "blank": PatternFill("solid", fgColor="BFBFBF"),  # grey
    "nan": PatternFill("solid", fgColor="B4A7D6"),  # violet
}
ROLE_WORDS = {
    "right": "correct",
    "carried": "carried forward",
    "wrong": "wrong",
    "blank": "blank",
    "nan": "not a number",
}


def text_or_value(cell: Cell, value: object) -> None:
    """Text stays text (a student's "=HYPERLINK(...)" must not become a formula)."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type, cell.quotePrefix = "s", True
