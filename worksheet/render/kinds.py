"""Each sheet's kind, noted by the render code that creates it and read by page setup, so
that nothing has to guess a sheet's kind from its title.

Kinds live beside the openpyxl sheets (a weak mapping: a sheet forgotten is a kind
forgotten) because page setup runs on the book just built, before it is saved.
"""

from __future__ import annotations

from weakref import WeakKeyDictionary

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

_KINDS: WeakKeyDictionary[Worksheet, str] = WeakKeyDictionary()


def new_sheet(book: Workbook, title: str, kind: str) -> Worksheet:
    """``book.create_sheet(title)``, remembered as a sheet of ``kind``."""
    sheet = book.create_sheet(title)
    _KINDS[sheet] = kind
    return sheet


def kind_of(sheet: Worksheet) -> str:
    return _KINDS.get(sheet, OTHER)
