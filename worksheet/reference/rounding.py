"""Excel's ROUND, for a reference that rounds every intermediate as ``--round`` sheets do.

Excel rounds half away from zero on the number as shown to 15 significant digits, so 2.675
(stored as 2.67499999…) rounds to 2.68, and so does LibreOffice to one decimal or more.  Doing
the same through ``decimal`` keeps numpy and the spreadsheet on the same side of a tie.  (To
whole numbers LibreOffice rounds the double itself: 0.49999999999999994 to 0, where Excel
gives 1; ``check`` refuses a workbook where that tie changes a checked value, see
``evaluator.dialect``.)
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal

import numpy as np

MAX_DIGITS = 10


def excel_round(value: float, digits: int) -> float:
    if not np.isfinite(value):
        return float(value)
    shown = Decimal(format(float(value), ".15g"))
    return float(shown.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)) + 0.0


def rounder(digits: int | None) -> Callable:
    """A function rounding scalars and arrays to ``digits`` decimals (identity for None)."""
    if digits is None:
        return lambda v: v
    scalar = np.vectorize(lambda v: excel_round(v, digits), otypes=[float])

    def apply(value):
        result = scalar(value)
        return float(result) if np.ndim(result) == 0 else result

    return apply
