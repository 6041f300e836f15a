"""Files the documentation's examples need and no command makes: a student's filled-in copy
and a workbook with one formula changed by hand.  Run by the hidden ``setup=`` step of an
example (see ``docs/examples.py``), never by the package or its tests directly.

    python docs/example_files.py fill STUDENT.xlsx KEY.xlsx OUT.xlsx [NAME=VALUE ...]
    python docs/example_files.py tamper FILE.xlsx NAME FORMULA OUT.xlsx

``fill`` types the key's formula into every answer cell of the student's copy (a student who
typed formulas), except the answers named on the command line: ``z_1=0.92`` types a number
(a slip), ``L_change=`` leaves the cell blank.
``tamper`` replaces the formula of the cell defined as NAME.  Both find cells by their
defined names, as a reader of the workbook would, and save with openpyxl.
"""

from __future__ import annotations

import sys

import openpyxl


def _cells(book) -> dict:
    """Defined name -> (sheet title, cell coordinate), for names that point at one cell."""
    found = {}
    for name, defined in book.defined_names.items():
        for title, coordinate in defined.destinations:
            found[name] = (title, coordinate.replace("$", ""))
    for sheet in book.worksheets:  # names scoped to a sheet
        for name, defined in sheet.defined_names.items():
            for title, coordinate in defined.destinations:
                found[name] = (title, coordinate.replace("$", ""))
    return found


def fill(student: str, key: str, out: str, typed: dict[str, float | None]) -> None:
    book, answers = openpyxl.load_workbook(student), openpyxl.load_workbook(key)
    for name, (title, coordinate) in _cells(book).items():
        cell, right = book[title][coordinate], answers[title][coordinate].value
        if cell.value is not None or not (isinstance(right, str) and right.startswith("=")):
            continue  # a given, or not an answer cell
        cell.value = typed.get(name, right)
    book.save(out)


def tamper(path: str, name: str, formula: str, out: str) -> None:
    book = openpyxl.load_workbook(path)
    title, coordinate = _cells(book)[name]
    book[title][coordinate].value = formula
    book.save(out)


def main(argv: list[str]) -> None:
    if argv[:1] == ["fill"] and len(argv) >= 4:
        pairs = (item.split("=", 1) for item in argv[4:])
        typed = {name: float(value) if value else None for name, value in pairs}
        fill(argv[1], argv[2], argv[3], typed)
    elif argv[:1] == ["tamper"] and len(argv) == 5:
        tamper(*argv[1:])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
