"""One value to prove: refuse a workbook whose checked numbers depend on whose arithmetic
computes them.

Excel, LibreOffice and numpy (IEEE arithmetic) round alike almost everywhere; where they
do not (``evaluator.dialect``: a sum cancelling to rounding noise, a rounding tie, a
compensated SUM, a 15-digit MOD), the evaluator notes it, and ``check`` computes the book
again the other way.  A checked quantity that then differs by more than the check holds it
to has no one value: the file is refused (exit 2), honestly generated or not.
"""

from __future__ import annotations

from pathlib import Path

from worksheet.errors import BookError
from worksheet.evaluator import Book
from worksheet.evaluator.dialect import IEEE, LIBREOFFICE
from worksheet.evaluator.engine import Evaluation
from worksheet.verify.compare import Report, agree

NO_ONE_VALUE = "no one value to prove"
# A book this small is checked as it is written when it could be ambiguous (a ReLU's slope
# at 0, a rounding tie): a few hundredths of a second, and the teacher hears it at once.
SELF_CHECK_FORMULAS = 20_000


def ambiguity(path: Path) -> str | None:
    """Why ``check`` refuses the workbook at ``path`` as having no one value, or None."""
    from worksheet.verify.check import check_file  # (check uses this module)

    try:
        check_file(path)
    except BookError as exc:
        text = str(exc)
        return text.partition(f"{path}: ")[2] or text if NO_ONE_VALUE in text else None
    return None


def excel_and_libreoffice(book: Book, values: dict, expected: dict) -> None:
    """Refuse the file where Excel's arithmetic and LibreOffice's give a checked quantity
    values further apart than the check holds it to (a sum cancelling to rounding noise, a
    rounding tie: ``dialect``).  A numerical gradient of a gradient that is 0 is noise in
    both (and its relative difference 1 in one, 0 in the other): held to its slack, as
    against numpy, it is the same number to the check."""
    other = Evaluation(book, LIBREOFFICE).run()
    differ = [
        ref
        for ref, (_, _, slack) in expected.items()
        if ref in values and not agree(values[ref], other[ref], slack)
    ]
    if differ:
        shown = _first_cells(book, differ)
        raise BookError(
            f"{book.path}: Excel and LibreOffice compute {shown} differently (a sum that"
            f" cancels to rounding noise, or a rounding tie): {NO_ONE_VALUE}"
        )


def spreadsheets_and_numpy(book: Book, report: Report, expected: dict) -> None:
    """Refuse the file where it differs from numpy only because spreadsheets cancel a
    formula's last + or - to 0 and IEEE arithmetic keeps the noise (z = −0.24 − 0.43 + 0.67
    is 0 in every spreadsheet, 1.1e-16 in numpy, and a ReLU's slope of it 0 or 1): computed
    without that cancellation, as numpy computes, it would agree.  No one value to prove."""
    wrong = {label for label, m in report.mismatches.items() if m.reason == "differs"}
    refs = [ref for ref in expected if str(ref) in wrong]
    if not refs or len(refs) < len(wrong):
        return  # other faults than a difference: the file is wrong as it stands
    ieee = Evaluation(book, IEEE).run()
    if all(agree(ieee.get(ref), expected[ref][1], expected[ref][2]) for ref in refs):
        shown = _first_cells(book, refs)
        raise BookError(
            f"{book.path}: a sum that is 0 on paper is 0 in a spreadsheet and rounding noise"
            f" in numpy, and {shown} follow it differently: {NO_ONE_VALUE} (change a"
            " given so that no sum is exactly 0)"
        )


def _first_cells(book: Book, refs: list) -> str:
    """The first three of ``refs`` in reading order (sheet by sheet, row by row), for a
    message."""
    sheets = {name: i for i, name in enumerate(book.sheet_names)}
    refs = sorted(refs, key=lambda ref: (sheets.get(ref.sheet, 0), ref.row, ref.col))
    return ", ".join(str(ref) for ref in refs[:3]) + (" ..." if len(refs) > 3 else "")
