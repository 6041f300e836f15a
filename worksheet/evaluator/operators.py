"""Excel's operators on values (``Area``, the value of a reference, lives in ``areas``).

These are the general (slow) paths; the compiled formulas in ``compiler`` try a float-only
fast path first and fall back to these for anything else (text, blanks, booleans, errors).
"""

from __future__ import annotations

import math

from worksheet.evaluator.values import (
    MAX_TEXT,
    Value,
    XLError,
    compare,
    number,
    to_number,
    to_text,
)


def power(x: float, y: float) -> float | XLError:
    """``x^y`` as Excel computes it: 0^0 is #NUM!, 0^-1 is #DIV/0!, and a negative base takes
    only odd roots, (-8)^(1/3) = -2, the rest being #NUM!.
    """
    if x == 0:
        if y == 0:
            return XLError.NUM
        if y < 0:
            return XLError.DIV0
    if x < 0 and not float(y).is_integer():
        if not math.isfinite(1 / y):  # y next to 0: no odd root that small
            return XLError.NUM
        root = round(1 / y)
        if root % 2 == 0 or abs(1 / y - root) > 1e-9 * abs(root):
            return XLError.NUM
        return _pow(-x, y, sign=-1.0)
    return _pow(x, y)


def _pow(x: float, y: float, sign: float = 1.0) -> float | XLError:
    try:
        return number(sign * math.pow(x, y))
    except (OverflowError, ValueError):
        return XLError.NUM


def arithmetic(op: str, a: Value, b: Value) -> Value:
    """``a op b`` for + - * / ^: an error operand wins over any coercion failure, the left first."""
    if isinstance(a, XLError):
        return a
    if isinstance(b, XLError):
        return b
    x = to_number(a)
    if isinstance(x, XLError):
        return x
    y = to_number(b)
    if isinstance(y, XLError):
        return y
    if op == "+":
        return number(x + y)
    if op == "-":
        return number(x - y)
    if op == "*":
        return number(x * y)
    if op == "/":
        return XLError.DIV0 if y == 0 else number(x / y)
    return power(x, y)


def concat(a: Value, b: Value) -> Value:
    """``a & b``: both as text; results beyond Excel's 32767 characters are #VALUE!."""
    x = to_text(a)
    if isinstance(x, XLError):
        return x
    y = to_text(b)
    if isinstance(y, XLError):
        return y
    return x + y if len(x) + len(y) <= MAX_TEXT else XLError.VALUE


_TESTS = {
    "=": lambda c: c == 0,
    "<>": lambda c: c != 0,
    "<": lambda c: c < 0,
    ">": lambda c: c > 0,
    "<=": lambda c: c <= 0,
    ">=": lambda c: c >= 0,
}


def comparison(op: str, a: Value, b: Value) -> Value:
    """``a op b`` for = <> < > <= >= with Excel's mixed-type ordering."""
    c = compare(a, b)
    return c if isinstance(c, XLError) else _TESTS[op](c)


def binary(op: str, a: Value, b: Value) -> Value:
    """Any infix operator on two scalars."""
    if op == "&":
        return concat(a, b)
    if op in _TESTS:
        return comparison(op, a, b)
    return arithmetic(op, a, b)


def negate(a: Value) -> Value:
    """Unary minus: -"2" is -2, -"a" is #VALUE!."""
    x = to_number(a)
    return x if isinstance(x, XLError) else 0.0 - x  # 0.0 - x: Excel has no negative zero


def percent(a: Value) -> Value:
    """Postfix %: divides by 100."""
    x = to_number(a)
    return x if isinstance(x, XLError) else x / 100
