"""Excel's value model: numbers, text, booleans, errors and blank, with Excel's coercions.

Every cell value is one of ``float | str | bool | XLError | None`` (``None`` is a blank cell).
Keeping the model to plain Python types makes values cheap to store by the hundred thousand
and easy to compare in tests; only errors need a class of their own.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import ClassVar

# Codes a spreadsheet application may write as a cached error (``t="e"``), old and new.
ERROR_CODES = frozenset(
    {
        "#NULL!",
        "#DIV/0!",
        "#VALUE!",
        "#REF!",
        "#NAME?",
        "#NUM!",
        "#N/A",
        "#GETTING_DATA",
        "#SPILL!",
        "#CALC!",
        "#FIELD!",
        "#BLOCKED!",
        "#CONNECT!",
        "#BUSY!",
        "#UNKNOWN!",
    }
)

MAX_TEXT = 32767  # Excel's longest cell text; longer concatenations are #VALUE!


@dataclass(frozen=True, slots=True)
class XLError:
    """An Excel error value such as ``#DIV/0!``; errors are values that flow through formulas."""

    code: str

    NULL: ClassVar[XLError]
    DIV0: ClassVar[XLError]
    VALUE: ClassVar[XLError]
    REF: ClassVar[XLError]
    NAME: ClassVar[XLError]
    NUM: ClassVar[XLError]
    NA: ClassVar[XLError]

    def __post_init__(self) -> None:
        if self.code not in ERROR_CODES:
            raise ValueError(f"unknown Excel error code {self.code!r}")

    def __str__(self) -> str:
        return self.code


XLError.NULL = XLError("#NULL!")
XLError.DIV0 = XLError("#DIV/0!")
XLError.VALUE = XLError("#VALUE!")
XLError.REF = XLError("#REF!")
XLError.NAME = XLError("#NAME?")
XLError.NUM = XLError("#NUM!")
XLError.NA = XLError("#N/A")

Value = float | str | bool | XLError | None


def number(x: float) -> float | XLError:
    """Return ``x`` as a float, or ``#NUM!`` when it is inf or nan (Excel has neither)."""
    return x if math.isfinite(x) else XLError.NUM


def text_to_number(text: str) -> float | None:
    """Parse text the way Excel coerces it in arithmetic ("2" -> 2, " 1e3 " -> 1000, "5%" -> 0.05).

    Returns None when the text is not a number; dates and currencies are deliberately not
    recognised, so such text is ``#VALUE!`` rather than a guess. Only ASCII counts: Python's
    float() reads other scripts' digits ("\u0661" is 1), LibreOffice gives #VALUE! for them.
    """
    if not text.isascii():
        return None
    s = text.strip()
    scale = 1.0
    if s.endswith("%"):
        s, scale = s[:-1].rstrip(), 0.01
    if not s or s.lower().lstrip("+-") in {"inf", "infinity", "nan"} or "_" in s:
        return None
    try:
        x = float(s) * scale
    except ValueError:
        return None
    return x if math.isfinite(x) else None


def to_number(v: Value) -> float | XLError:
    """Coerce a scalar for arithmetic: blank is 0, booleans are 1/0, numeric text is parsed."""
    if type(v) is float:
        return v
    if v is None:
        return 0.0
    if isinstance(v, bool):
        return 1.0 if v else 0.0
    if isinstance(v, XLError):
        return v
    if isinstance(v, str):
        x = text_to_number(v)
        return XLError.VALUE if x is None else x
    return float(v)  # an int slipped in from Python code


def to_bool(v: Value) -> bool | XLError:
    """Coerce a scalar for IF/AND/NOT: numbers are true unless 0, "TRUE"/"FALSE" text is read."""
    if isinstance(v, bool):
        return v
    if v is None:
        return False
    if isinstance(v, XLError):
        return v
    if isinstance(v, str):
        upper = v.strip().upper()
        if upper in ("TRUE", "FALSE"):
            return upper == "TRUE"
        return XLError.VALUE
    return v != 0


def number_to_text(x: float) -> str:
    """Format a number as Excel's General format does in ``&``: up to 15 significant digits."""
    if x == 0:
        return "0"
    if x.is_integer() and abs(x) < 1e15:
        return str(int(x))
    mantissa, _, exp = f"{x:.14e}".partition("e")
    exponent = int(exp)
    if -10 < exponent < 15:
        digits = f"{x:.{max(0, 14 - exponent)}f}"
        return digits.rstrip("0").rstrip(".") if "." in digits else digits
    mantissa = mantissa.rstrip("0").rstrip(".")
    return f"{mantissa}E{'+' if exponent >= 0 else '-'}{abs(exponent):02d}"


def to_text(v: Value) -> str | XLError:
    """Coerce a scalar for ``&``: blank is "", booleans are TRUE/FALSE, numbers as General."""
    if isinstance(v, str):
        return v
    if v is None:
        return ""
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, XLError):
        return v
    return number_to_text(float(v))


NEAR = 2.0**-48  # relative gap under which two numbers are equal (LibreOffice's approxEqual)


def near(a: float, b: float) -> bool:
    """Whether two numbers are equal to spreadsheet precision: 0.1+0.2 = 0.3 is TRUE in Excel
    and LibreOffice, which compare (and cancel sums) to about 15 significant digits.
    """
    return a == b or abs(a - b) < abs(a) * NEAR


def type_rank(v: Value) -> int:
    """Excel orders mixed types in comparisons as numbers < text < booleans."""
    if isinstance(v, bool):
        return 2
    if isinstance(v, str):
        return 1
    return 0


def compare(a: Value, b: Value) -> int | XLError:
    """Three-way comparison with Excel's rules: -1, 0 or 1, or the first error operand.

    A blank takes the type of the other side (0, "" or FALSE); text compares case-insensitively.
    """
    if isinstance(a, XLError):
        return a
    if isinstance(b, XLError):
        return b
    if a is None:
        a = blank_like(b)
    if b is None:
        b = blank_like(a)
    ra, rb = type_rank(a), type_rank(b)
    if ra != rb:
        return -1 if ra < rb else 1
    if ra == 1:
        a, b = a.lower(), b.lower()  # type: ignore[union-attr]
    elif ra == 0 and near(a, b):  # type: ignore[arg-type]
        return 0
    return (a > b) - (a < b)  # type: ignore[operator]


def blank_like(other: Value) -> Value:
    """The value a blank cell takes when compared with ``other``."""
    if isinstance(other, bool):
        return False
    if isinstance(other, str):
        return ""
    return 0.0
