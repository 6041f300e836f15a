"""Scalar numeric functions with Excel's domain rules (LN(0) is #NUM!, EXP(710) is #NUM!, ...).

Each takes floats already coerced by the caller and returns a float or an error value; the
caller turns inf/nan into #NUM!. Rounding works on the decimal text of the number to 15
significant digits, as Excel does, so ROUND(0.125, 2) is 0.13 and ROUND(1.005, 2) is 1.01
although neither number is exact in binary.
"""

from __future__ import annotations

import math
from decimal import ROUND_DOWN, ROUND_HALF_UP, ROUND_UP, Decimal, InvalidOperation

from worksheet.evaluator.dialect import differs, mod_libreoffice, note, round_whole
from worksheet.evaluator.operators import power
from worksheet.evaluator.values import XLError

_MAX_DIGITS = 330  # beyond this every double rounds to 0 (or away from it to inf)


def exp(x: float) -> float | XLError:
    """e^x; above about 709.78 the result is beyond a double, which Excel reports as #NUM!."""
    try:
        return math.exp(x)
    except OverflowError:
        return XLError.NUM


def ln(x: float) -> float | XLError:
    return math.log(x) if x > 0 else XLError.NUM


def log10(x: float) -> float | XLError:
    return math.log10(x) if x > 0 else XLError.NUM


def log(x: float, base: float | None = None) -> float | XLError:
    """LOG(x[, base]) with base 10 by default; base 1 divides by ln(1) = 0."""
    base = 10.0 if base is None else base
    if x <= 0 or base <= 0:
        return XLError.NUM
    if base == 1:
        return XLError.DIV0
    return math.log(x) / math.log(base)


def sqrt(x: float) -> float | XLError:
    return math.sqrt(x) if x >= 0 else XLError.NUM


def sign(x: float) -> float:
    return float((x > 0) - (x < 0))


def mod(n: float, d: float) -> float | XLError:
    """MOD takes the sign of the divisor, like Python's % on floats."""
    if d == 0:
        return XLError.DIV0
    result = n % d
    if differs(result, mod_libreoffice(n, d)):
        note()  # LibreOffice floors the quotient rounded to 15 digits: see ``dialect``
    return result


def mod_in_libreoffice(n: float, d: float) -> float | XLError:
    return XLError.DIV0 if d == 0 else mod_libreoffice(n, d)


def to_int(x: float) -> float:
    """INT rounds down, towards minus infinity: INT(-2.5) is -3."""
    return float(math.floor(x))


def pi() -> float:
    return math.pi


def _rounded(x: float, digits: float, mode: str) -> float | XLError:
    """Round ``x`` to ``digits`` decimal places (negative: to tens, hundreds...) by ``mode``."""
    places = max(-_MAX_DIGITS, min(_MAX_DIGITS, math.trunc(digits)))
    if x == 0:
        return 0.0
    exact = Decimal(f"{x:.15g}")  # the 15 significant digits Excel works with
    if exact.as_tuple().exponent >= -places:
        return float(exact)
    try:
        return float(exact.quantize(Decimal(1).scaleb(-places), rounding=mode))
    except InvalidOperation:
        return XLError.NUM


def round_half_away(x: float, digits: float = 0.0) -> float | XLError:
    """ROUND: halves go away from zero, ROUND(2.5, 0) is 3 and ROUND(-2.5, 0) is -3."""
    result = _rounded(x, digits, ROUND_HALF_UP)
    if math.trunc(digits) == 0 and result != round_whole(x):
        note()  # a tie within 15 digits, which LibreOffice rounds otherwise: see ``dialect``
    return result


def round_libreoffice(x: float, digits: float = 0.0) -> float | XLError:
    """ROUND as LibreOffice computes it: to whole numbers, from the double itself."""
    return round_whole(x) if math.trunc(digits) == 0 else _rounded(x, digits, ROUND_HALF_UP)


def round_up(x: float, digits: float = 0.0) -> float | XLError:
    """ROUNDUP: away from zero."""
    return _rounded(x, digits, ROUND_UP)


def round_down(x: float, digits: float = 0.0) -> float | XLError:
    """ROUNDDOWN: towards zero."""
    return _rounded(x, digits, ROUND_DOWN)


NUMERIC = {
    "ABS": abs,
    "EXP": exp,
    "LN": ln,
    "LOG10": log10,
    "LOG": log,
    "SQRT": sqrt,
    "POWER": power,
    "ROUND": round_half_away,
    "ROUNDUP": round_up,
    "ROUNDDOWN": round_down,
    "TANH": math.tanh,
    "SIGN": sign,
    "MOD": mod,
    "INT": to_int,
    "PI": pi,
}
