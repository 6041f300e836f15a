"""Cell-address arithmetic for the writers: the evaluator's A1 helpers, plus the
absolute, sheet-qualified form that defined names store."""

from __future__ import annotations

from worksheet.evaluator.a1 import cell_name as address
from worksheet.evaluator.a1 import col_letters as column_letter

__all__ = ["absolute", "address", "column_letter", "quoted"]


def quoted(sheet: str) -> str:
    """A sheet name as formulas write it: Givens, or 'Step 2' with quotes."""
    return sheet if sheet.isidentifier() else "'" + sheet.replace("'", "''") + "'"


def absolute(sheet: str, row: int, col: int) -> str:
    """Absolute reference with the sheet, as defined names store it: Givens!$C$4."""
    return f"{quoted(sheet)}!${column_letter(col)}${row}"
