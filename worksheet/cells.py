"""Cell-address arithmetic: small pure functions, no openpyxl."""

from __future__ import annotations


def column_letter(col: int) -> str:
    """1 -> 'A', 27 -> 'AA'."""
    letters = ""
    while col > 0:
        col, rem = divmod(col - 1, 26)
        letters = chr(ord("A") + rem) + letters
    return letters


def address(row: int, col: int) -> str:
    """Relative A1 address: (3, 2) -> 'B3'."""
    return f"{column_letter(col)}{row}"


def absolute(sheet: str, row: int, col: int) -> str:
    """Absolute reference with the sheet, as defined names store it: Givens!$C$4."""
    quoted = sheet if sheet.isidentifier() else "'" + sheet.replace("'", "''") + "'"
    return f"{quoted}!${column_letter(col)}${row}"
