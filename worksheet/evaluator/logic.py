"""Logical and information functions: IF, IFERROR, AND, OR, NOT and the IS- family.

IF and IFERROR receive thunks and call only what they need, as Excel does: a branch not taken
may hold an error (or a division by zero) without affecting the result.
"""

from __future__ import annotations

from collections.abc import Callable

from worksheet.evaluator.areas import Area
from worksheet.evaluator.values import Value, XLError, to_bool

Thunk = Callable[[], Value]


def logicals(args: tuple[Value | Area, ...]) -> list[bool] | XLError:
    """Truth values for AND/OR: text and blanks in ranges are skipped; none at all is #VALUE!."""
    found: list[bool] = []
    for arg in args:
        if isinstance(arg, Area):
            items = [v for v in arg.values() if v is not None and not isinstance(v, str)]
        else:
            items = [arg]
        for v in items:
            b = to_bool(v)
            if isinstance(b, XLError):
                return b
            found.append(b)
    return found or XLError.VALUE


def and_(*args: Value | Area) -> Value:
    bs = logicals(args)
    return bs if isinstance(bs, XLError) else all(bs)


def or_(*args: Value | Area) -> Value:
    bs = logicals(args)
    return bs if isinstance(bs, XLError) else any(bs)


def not_(v: Value) -> Value:
    b = to_bool(v)
    return b if isinstance(b, XLError) else not b


def if_(cond: Thunk, then: Thunk, otherwise: Thunk | None = None) -> Value:
    """IF(test, then[, else]): an else left out entirely gives FALSE."""
    b = to_bool(cond())
    if isinstance(b, XLError):
        return b
    if b:
        return then()
    return False if otherwise is None else otherwise()


def iferror(value: Thunk, fallback: Thunk) -> Value:
    v = value()
    return fallback() if isinstance(v, XLError) else v


def iserror(v: Value) -> bool:
    return isinstance(v, XLError)


def isna(v: Value) -> bool:
    return v == XLError.NA


def isnumber(v: Value) -> bool:
    return type(v) is float


def na() -> XLError:
    return XLError.NA
