"""The closures compiled formulas are made of: operators with a float fast path, and calls.

Each builder takes the closures of the operands and returns ``fn(row, col)``. Floats take a
short path (one type check, the operation, a finiteness check); anything else goes through
the general rules in ``operators``.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from worksheet.evaluator import operators as ops
from worksheet.evaluator.areas import Area
from worksheet.evaluator.dialect import CANCELLED, NOTED
from worksheet.evaluator.functions import Function
from worksheet.evaluator.values import NEAR, Value, XLError, to_number

Fn = Callable[[int, int], object]  # returns a Value, or an Area in reference mode

_FAST: dict[str, Callable[[float, float], float]] = {
    "+": float.__add__,
    "-": float.__sub__,
    "*": float.__mul__,
    "/": float.__truediv__,
}


def binary(op: str, left: Fn, right: Fn, cancel: bool = False) -> Fn:
    """``left op right``. With ``cancel`` (a formula's last operation being + or -), a result
    that is only rounding noise of its operands becomes 0, as Excel does: =0.1+0.2-0.3 is 0.

    A formula has one closure per operation, hundreds of thousands in a large workbook, so
    each of the common four captures only its two operands (the memory of a closure grows
    with what it captures); ``x - x == 0.0`` is the finiteness test, false for inf and nan.
    """
    if cancel and op in "+-":
        return _cancelling(op, left, right)
    maker = _MAKERS.get(op)
    if maker is None:
        return lambda r, c: ops.binary(op, left(r, c), right(r, c))  # type: ignore[arg-type]
    return maker(left, right)


def _add(left: Fn, right: Fn) -> Fn:
    def run(r: int, c: int) -> object:
        a, b = left(r, c), right(r, c)
        if type(a) is float and type(b) is float:
            x = a + b
            if x and abs(x) < abs(a) * NEAR:  # noise LibreOffice makes 0: see ``dialect``
                NOTED[0] += 1
            return x if x - x == 0.0 else XLError.NUM
        return ops.binary("+", a, b)  # type: ignore[arg-type]

    return run


def _subtract(left: Fn, right: Fn) -> Fn:
    def run(r: int, c: int) -> object:
        a, b = left(r, c), right(r, c)
        if type(a) is float and type(b) is float:
            x = a - b
            if x and abs(x) < abs(a) * NEAR:  # noise LibreOffice makes 0: see ``dialect``
                NOTED[0] += 1
            return x if x - x == 0.0 else XLError.NUM
        return ops.binary("-", a, b)  # type: ignore[arg-type]

    return run


def _multiply(left: Fn, right: Fn) -> Fn:
    def run(r: int, c: int) -> object:
        a, b = left(r, c), right(r, c)
        if type(a) is float and type(b) is float:
            x = a * b
            return x if x - x == 0.0 else XLError.NUM
        return ops.binary("*", a, b)  # type: ignore[arg-type]

    return run


def _divide(left: Fn, right: Fn) -> Fn:
    def run(r: int, c: int) -> object:
        a, b = left(r, c), right(r, c)
        if type(a) is float and type(b) is float and b != 0.0:
            x = a / b
            return x if x - x == 0.0 else XLError.NUM
        return ops.binary("/", a, b)  # type: ignore[arg-type]

    return run


_MAKERS: dict[str, Callable[[Fn, Fn], Fn]] = {
    "+": _add,
    "-": _subtract,
    "*": _multiply,
    "/": _divide,
}


def _cancelling(op: str, left: Fn, right: Fn) -> Fn:
    """A formula's last + or -: once per formula, so it may capture more."""
    fast, isfinite, num, slow = _FAST[op], math.isfinite, XLError.NUM, ops.binary

    def run(r: int, c: int) -> object:
        a, b = left(r, c), right(r, c)
        if type(a) is float and type(b) is float:
            x = fast(a, b)
            if abs(x) < max(abs(a), abs(b)) * NEAR:
                if x:
                    CANCELLED[0] += 1  # numpy keeps the noise: see ``dialect``
                return 0.0
            return x if isfinite(x) else num
        return slow(op, a, b)  # type: ignore[arg-type]

    return run


def chain(first: Fn, steps: list[tuple[str, Fn]], cancel: bool = False, every: bool = False) -> Fn:
    """``first op1 b op2 c ...`` folded left to right in a loop, each step as ``binary``
    computes it; a long sum then needs no call per term on the stack.  With ``every``
    (LibreOffice's arithmetic), every + and - cancels, not only the last."""
    last = len(steps) - 1
    parts = [
        (op, _FAST.get(op), right, (every or (cancel and i == last)) and op in "+-")
        for i, (op, right) in enumerate(steps)
    ]
    isfinite, num, slow = math.isfinite, XLError.NUM, ops.binary

    def run(r: int, c: int) -> object:
        a = first(r, c)
        for op, fast, right, cancels in parts:
            b = right(r, c)
            if fast is None or type(a) is not float or type(b) is not float:
                a = slow(op, a, b)  # type: ignore[arg-type]
                continue
            if op == "/" and b == 0.0:
                a = XLError.DIV0
                continue
            x = fast(a, b)
            if cancels and abs(x) < max(abs(a), abs(b)) * NEAR:
                if x and not every:
                    CANCELLED[0] += 1  # numpy keeps the noise: see ``dialect``
                a = 0.0
            else:
                if x and op in "+-" and abs(x) < abs(a) * NEAR:  # see ``dialect``
                    NOTED[0] += 1
                a = x if isfinite(x) else num
        return a

    return run


def negate(inner: Fn) -> Fn:
    """Unary minus; 0.0 - x rather than -x, since Excel has no negative zero."""

    def neg(r: int, c: int) -> object:
        v = inner(r, c)
        return 0.0 - v if type(v) is float else ops.negate(v)  # type: ignore[arg-type]

    return neg


def call(spec: Function, fns: list[Fn]) -> Fn:
    """A function call, its arguments evaluated by the function's calling convention."""
    impl = spec.impl
    if spec.kind in ("areas", "scalars"):
        return lambda r, c: _finite(impl(*[f(r, c) for f in fns]))
    if spec.kind == "lazy":
        return lambda r, c: impl(*[_thunk(f, r, c) for f in fns])
    return lambda r, c: _numeric_call(impl, [f(r, c) for f in fns])


def _finite(x: object) -> object:
    """Excel has no inf or nan: such a result is #NUM!."""
    return XLError.NUM if type(x) is float and not math.isfinite(x) else x


def _thunk(f: Fn, r: int, c: int) -> Callable[[], object]:
    return lambda: f(r, c)


def _numeric_call(impl: Callable[..., object], values: list) -> object:
    """Coerce every argument to a number, then call; an error argument wins over coercion."""
    for v in values:
        if isinstance(v, XLError):
            return v
    xs = []
    for v in values:
        x = to_number(v)
        if isinstance(x, XLError):
            return x
        xs.append(x)
    return _finite(impl(*xs))


def single(v: object) -> object:
    """The value where one is needed: a reference's single cell, else #VALUE!."""
    return v.single() if isinstance(v, Area) else v


def finish(v: object) -> Value:
    """A formula's final value: a blank reference shows 0, and an area cannot be one value."""
    v = single(v)
    return 0.0 if v is None else v  # type: ignore[return-value]
