"""Document properties: what a file manager, Excel's File > Info and a search index show.

openpyxl signs every file ``creator = "openpyxl"`` and gives it no title; a workbook should
say what it is and which version of this tool wrote it, so a teacher can tell files apart.
"""

from __future__ import annotations

from openpyxl import Workbook

from worksheet import __version__

TOOL = f"backprop worksheet {__version__}"
SUBJECT = "one training step of a neural network as live formulas"


def describe(book: Workbook, title: str, subject: str = SUBJECT) -> None:
    """Set the title and subject shown for the file (and sign it, as ``sign`` does)."""
    book.properties.title = title
    book.properties.subject = subject
    sign(book)


def sign(book: Workbook) -> None:
    """Name this tool and its version as the file's author, unless someone else is named."""
    if book.properties.creator in (None, "", "openpyxl"):
        book.properties.creator = TOOL
    book.properties.lastModifiedBy = TOOL
    if not book.properties.description:
        book.properties.description = f"Written by {TOOL}."
