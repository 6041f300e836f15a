"""Where Excel and LibreOffice compute one formula differently, noted as it happens.

Two corners are known (both found by a review, both hit by honest templates):

- A sum that cancels to rounding noise: LibreOffice makes every ``a + b`` or ``a - b`` whose
  result is under 2⁻⁴⁸ of its operands exactly 0 (``approxAdd``); Excel does so only for a
  formula's last operation.  ``0.75*0.1 + -0.25*0.3 + 0`` is 1.4e-17 in Excel and 0 in
  LibreOffice, and a ReLU's derivative of it is 1 in one and 0 in the other.
- ``ROUND(x, 0)`` on a tie within 15 digits: Excel rounds the number as shown to 15
  significant digits (0.49999999999999994 shows 0.5 and rounds to 1); LibreOffice rounds
  the double itself (to 0).

The evaluator computes Excel's way and counts, in ``NOTED``, each operation where the other
way would give another result; a check that meets any runs the workbook again the
LibreOffice way (``Evaluation(book, libreoffice=True)``) and refuses the file where a
checked quantity differs: its value is not one number.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

NOTED = [0]  # operations met that LibreOffice computes otherwise (a list: one shared cell)


def note() -> None:
    NOTED[0] += 1


def noted() -> int:
    return NOTED[0]


def forget() -> None:
    NOTED[0] = 0


def round_whole(x: float) -> float:
    """``ROUND(x, 0)`` as LibreOffice computes it: the double itself, halves away from 0."""
    if not abs(x) < 2.0**52:  # already whole (or inf, nan): nothing to round
        return x
    return float(Decimal(x).quantize(Decimal(1), rounding=ROUND_HALF_UP)) + 0.0
