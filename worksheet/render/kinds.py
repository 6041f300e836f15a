"""Each sheet's kind, noted by the render code that creates it and read by page setup, so
that nothing has to guess a sheet's kind from its title.

The kind is kept on the openpyxl sheet object itself, which lives as long as the book
being built: page setup runs on it before it is saved.  (Not a weak mapping: its clean-up
callbacks run at arbitrary moments, and a Ctrl-C or SIGTERM raised inside one is swallowed,
so an interrupted ``batch`` ran on to the end.)
"""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

GIVENS, STEP, NETWORK, TABLE, SWEEP, SUMMARY, OTHER = (
    "givens",
    "step",
    "network",
    "table",  # a Training table, or one run of a sweep
    "sweep",
    "summary",
    "other",
)

_ATTRIBUTE = "_worksheet_kind"


def new_sheet(book: Workbook, title: str, kind: str) -> Worksheet:
    """``book.create_sheet(title)``, remembered as a sheet of ``kind``."""
    sheet = book.create_sheet(title)
    setattr(sheet, _ATTRIBUTE, kind)
    return sheet


def kind_of(sheet: Worksheet) -> str:
    return getattr(sheet, _ATTRIBUTE, OTHER)
