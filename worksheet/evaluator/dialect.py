"""Where Excel and LibreOffice compute one formula differently, noted as it happens.

Four corners are known (found by review; the first two hit by honest templates):

- A sum that cancels to rounding noise: LibreOffice makes every ``a + b`` or ``a - b`` whose
  result is under 2⁻⁴⁸ of its operands exactly 0 (``approxAdd``); Excel does so only for a
  formula's last operation.  ``0.75*0.1 + -0.25*0.3 + 0`` is 1.4e-17 in Excel and 0 in
  LibreOffice, and a ReLU's derivative of it is 1 in one and 0 in the other.
- ``ROUND(x, 0)`` on a tie within 15 digits: Excel rounds the number as shown to 15
  significant digits (0.49999999999999994 shows 0.5 and rounds to 1); LibreOffice rounds
  the double itself (to 0).
- ``SUM`` (and ``AVERAGE``) that cancels: LibreOffice adds with compensation and makes a
  total under 2⁻⁴⁸ of its largest term 0; Excel adds in order (``SUM(1E16,3,-1E16)`` is 4 in
  one, 0 in the other).
- ``MOD`` of a quotient within 15 digits of a whole number: LibreOffice floors the quotient
  rounded to 15 digits (``MOD(0.3,0.1)`` is 0 there, 0.1 less a little here).

The evaluator computes Excel's way and counts, in ``NOTED``, each operation where the other
way would give another result; a check that meets any runs the workbook again the
LibreOffice way (``Evaluation(book, LIBREOFFICE)``) and refuses the file where a
checked quantity differs: its value is not one number.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

NEAR = 2.0**-48  # LibreOffice's approxEqual (as ``values.NEAR``)

EXCEL, LIBREOFFICE, IEEE = "excel", "libreoffice", "ieee"  # the arithmetic of an evaluation
NOTED = [0]  # operations met that LibreOffice computes otherwise (a list: one shared cell)
# A formula's last + or - that spreadsheets (both) cancel to 0 where IEEE arithmetic, and so
# numpy, keeps the noise: -0.24 - 0.43 + 0.67 is 0 in a cell and 1.1e-16 in numpy.
CANCELLED = [0]


def note() -> None:
    NOTED[0] += 1


def noted() -> int:
    return NOTED[0]


def forget() -> None:
    NOTED[0] = CANCELLED[0] = 0


def cancelled() -> int:
    return CANCELLED[0]


def round_whole(x: float) -> float:
    """``ROUND(x, 0)`` as LibreOffice computes it: the double itself, halves away from 0."""
    if not abs(x) < 2.0**52:  # already whole (or inf, nan): nothing to round
        return x
    return float(Decimal(x).quantize(Decimal(1), rounding=ROUND_HALF_UP)) + 0.0


def sum_libreoffice(xs: list[float]) -> float:
    """A sum as LibreOffice's SUM computes it: compensated, and 0 where it cancels."""
    try:
        total = math.fsum(xs)
    except OverflowError:  # beyond a double along the way: #NUM! to both
        return math.inf
    largest = max((abs(x) for x in xs), default=0.0)
    return 0.0 if abs(total) < largest * NEAR else total


def mod_libreoffice(n: float, d: float) -> float:
    """``MOD(n, d)`` as LibreOffice computes it: n − d·floor(n/d rounded to 15 digits), the
    difference cancelled to 0 where it is noise, and of the divisor's sign."""
    quotient = n / d
    if not math.isfinite(quotient):
        return math.nan  # the caller's #NUM!
    whole = d * math.floor(float(f"{quotient:.15g}"))
    result = 0.0 if abs(n - whole) < abs(n) * NEAR else n - whole
    return result + d if result and (result < 0) != (d < 0) else result


def differs(ours: float, theirs: float) -> bool:
    """Whether two results differ by more than rounding of the last places (a result
    beyond a double, or none, is #NUM! to both: no difference)."""
    if not (math.isfinite(ours) and math.isfinite(theirs)):
        return False
    return ours != theirs and not abs(ours - theirs) <= NEAR * max(abs(ours), abs(theirs))
