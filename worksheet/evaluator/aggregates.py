"""Functions over lists and ranges (SUM, AVERAGE, COUNT...), with Excel's skipping rules.

Excel treats a value differently depending on how it arrives: inside a reference only real
numbers count (text, booleans and blanks are skipped), while a value typed or computed directly
in the argument list counts if it is a number, a boolean or numeric text. Errors always win,
except in COUNT, which only counts.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from worksheet.evaluator.areas import Area
from worksheet.evaluator.dialect import differs, note, sum_libreoffice
from worksheet.evaluator.values import Value, XLError, text_to_number


def numbers(args: Iterable[Value | Area], count_blank: bool = True) -> Iterator[float | XLError]:
    """The numbers of SUM-like arguments, errors included so the caller can stop at the first."""
    for arg in args:
        if isinstance(arg, Area):
            for v in arg.values():
                if type(v) is float or isinstance(v, XLError):
                    yield v
        elif isinstance(arg, XLError) or type(arg) is float:
            yield arg
        elif isinstance(arg, bool):
            yield 1.0 if arg else 0.0
        elif isinstance(arg, str):
            x = text_to_number(arg)
            yield XLError.VALUE if x is None else x
        elif count_blank and arg is None:
            yield 0.0  # an empty argument, as in SUM(1,)


def collect(args: tuple[Value | Area, ...]) -> list[float] | XLError:
    """All numbers of the arguments, or the first error."""
    found: list[float] = []
    for x in numbers(args):
        if isinstance(x, XLError):
            return x
        found.append(x)
    return found


def sum_(*args: Value | Area) -> Value:
    xs = collect(args)
    if isinstance(xs, XLError):
        return xs
    total = float(sum(xs))
    if len(xs) > 1 and differs(total, sum_libreoffice(xs)):
        note()  # LibreOffice's compensated sum gives another total: see ``dialect``
    return total


def sum_in_libreoffice(*args: Value | Area) -> Value:
    xs = collect(args)
    return xs if isinstance(xs, XLError) else sum_libreoffice(xs)


def sumsq(*args: Value | Area) -> Value:
    xs = collect(args)
    return xs if isinstance(xs, XLError) else float(sum(x * x for x in xs))


def product(*args: Value | Area) -> Value:
    """PRODUCT of nothing is 0 in Excel, not 1."""
    xs = collect(args)
    if isinstance(xs, XLError):
        return xs
    result = 1.0
    for x in xs:
        result *= x
    return result if xs else 0.0


def average(*args: Value | Area) -> Value:
    return _mean(sum_(*args), args)  # sum_ notes a sum LibreOffice computes otherwise


def average_in_libreoffice(*args: Value | Area) -> Value:
    return _mean(sum_in_libreoffice(*args), args)


def _mean(total: Value, args: tuple) -> Value:
    """AVERAGE from its SUM: the total over the numbers counted (none: #DIV/0!)."""
    if isinstance(total, XLError):
        return total
    n = sum(1 for x in numbers(args) if not isinstance(x, XLError))
    return total / n if n else XLError.DIV0  # type: ignore[operator]


def min_(*args: Value | Area) -> Value:
    xs = collect(args)
    return xs if isinstance(xs, XLError) else (min(xs) if xs else 0.0)


def max_(*args: Value | Area) -> Value:
    xs = collect(args)
    return xs if isinstance(xs, XLError) else (max(xs) if xs else 0.0)


def count(*args: Value | Area) -> Value:
    """COUNT never fails: errors and non-numeric text are simply not counted."""
    return float(sum(1 for x in numbers(args, count_blank=False) if type(x) is float))


def sumproduct(*args: Value | Area) -> Value:
    """Sum of element-wise products of equally shaped ranges; non-numbers count as 0."""
    areas = [arg for arg in args if isinstance(arg, Area)]
    if len(areas) != len(args):
        scalars = [arg for arg in args if not isinstance(arg, Area)]
        return next((v for v in scalars if isinstance(v, XLError)), XLError.VALUE)
    if any(area.shape() != areas[0].shape() for area in areas):
        return XLError.VALUE
    if areas[0].sparse():
        return _sparse_sumproduct(areas)
    total = 0.0
    for row in zip(*(area.values() for area in areas)):
        term = 1.0
        for v in row:
            if isinstance(v, XLError):
                return v
            term *= v if type(v) is float else 0.0
        total += term
    return total


def _sparse_sumproduct(areas: list[Area]) -> Value:
    """SUMPRODUCT of huge areas: only a position some area stores adds a term or an error."""
    positions = sorted(set().union(*(area.offsets() for area in areas)))
    total = 0.0
    for d_row, d_col in positions:
        term = 1.0
        for area in areas:
            v = area.at(d_row, d_col)
            if isinstance(v, XLError):
                return v
            term *= v if type(v) is float else 0.0
        total += term
    return total
