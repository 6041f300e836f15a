"""The value model: coercions, comparison order, number text, errors and Excel's rounding."""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from worksheet.evaluator import XLError
from worksheet.evaluator.mathfns import round_down, round_half_away, round_up
from worksheet.evaluator.values import compare, number_to_text, to_bool, to_number


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, 0.0),
        (True, 1.0),
        (False, 0.0),
        (2.5, 2.5),
        ("2", 2.0),
        (" -1.5e2 ", -150.0),
        ("25%", 0.25),
        ("abc", XLError.VALUE),
        ("", XLError.VALUE),
        ("inf", XLError.VALUE),
        ("nan", XLError.VALUE),
        ("1_000", XLError.VALUE),
        ("\u0661", XLError.VALUE),  # Arabic-Indic 1: float() reads it, LibreOffice does not
        ("\uff15", XLError.VALUE),  # fullwidth 5
        ("2\u00a0", XLError.VALUE),  # no-break space: not a space Excel trims
        (XLError.NA, XLError.NA),
    ],
)
def test_to_number(value: object, expected: object) -> None:
    assert to_number(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, False),
        (0.0, False),
        (-1.0, True),
        ("true", True),
        (" FALSE", False),
        ("x", XLError.VALUE),
    ],
)
def test_to_bool(value: object, expected: object) -> None:
    assert to_bool(value) == expected


@pytest.mark.parametrize(
    ("x", "text"),
    [
        (0.0, "0"),
        (1.0, "1"),
        (-2.0, "-2"),
        (0.1, "0.1"),
        (0.1 + 0.2, "0.3"),  # 15 significant digits hide the binary tail
        (1 / 3, "0.333333333333333"),
        (2 / 3, "0.666666666666667"),
        (1e-5, "0.00001"),
        (123456789012345678.0, "1.23456789012346E+17"),
        (1e100, "1E+100"),
        (-1.5e-12, "-1.5E-12"),
        (123456.789, "123456.789"),
    ],
)
def test_number_to_text(x: float, text: str) -> None:
    assert number_to_text(x) == text


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (1.0, 2.0, -1),
        ("a", "A", 0),
        ("b", "a", 1),
        (1e9, "a", -1),  # numbers < text < booleans
        ("z", False, -1),
        (False, True, -1),
        (None, 0.0, 0),
        (None, "", 0),
        (None, False, 0),
        (None, -1.0, 1),
        (XLError.NA, XLError.DIV0, XLError.NA),
    ],
)
def test_compare(a: object, b: object, expected: object) -> None:
    assert compare(a, b) == expected


def test_errors_are_values_with_known_codes() -> None:
    assert XLError("#DIV/0!") == XLError.DIV0
    assert str(XLError.NAME) == "#NAME?"
    assert {e.code for e in (XLError.NULL, XLError.REF, XLError.NUM, XLError.VALUE)} == {
        "#NULL!",
        "#REF!",
        "#NUM!",
        "#VALUE!",
    }
    with pytest.raises(ValueError, match="unknown Excel error"):
        XLError("#OOPS")


@given(st.integers(-(10**9), 10**9))
def test_round_halves_away_from_zero_on_thousandths(k: int) -> None:
    """ROUND(k/1000, 2) equals exact decimal rounding of k/1000, halves away from zero."""
    exact = (Decimal(k) / 1000).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    assert round_half_away(k / 1000, 2) == float(exact)


@given(st.floats(-1e12, 1e12, allow_nan=False), st.integers(-5, 8))
def test_round_family_brackets_the_value(x: float, digits: int) -> None:
    """ROUNDDOWN <= |ROUND| <= ROUNDUP in magnitude, all within one unit of the last place."""
    down, mid, up = round_down(x, digits), round_half_away(x, digits), round_up(x, digits)
    assert abs(down) <= abs(mid) <= abs(up)
    assert abs(up - down) <= 10.0**-digits * (1 + 1e-9) + 2 * math.ulp(x)  # plus float spacing


@pytest.mark.parametrize(
    ("x", "digits", "expected"),
    [
        (2.5, 0, 3.0),
        (-2.5, 0, -3.0),
        (0.125, 2, 0.13),
        (1.005, 2, 1.01),
        (15.0, -1, 20.0),
        (0.0, 3, 0.0),
    ],
)
def test_round_examples(x: float, digits: int, expected: float) -> None:
    assert round_half_away(x, digits) == expected
