"""A formula as the step sheets print it beside its value: spaced between its terms.

A formula has no spaces (``=w_1_new*x_1+w_2_new*x_2+b_1_new``), so a wrapping column has
nowhere to break it and LibreOffice breaks it wherever the line ends, inside a name
(``…+b_1_`` / ``new``).  Spaces around each binary + and − and after each comma give every
line a place to break between terms, and the text still reads, and types, as the same
formula.  The formula column is then made as wide as the longest piece left unbroken
(``unbroken_width``), so that no name is ever cut.
"""

from __future__ import annotations

import math
import re

# A + or − after an operand (a name, a number, a closing bracket) is binary; not the sign
# of an exponent (1E-300), nor a sign after an operator or an opening bracket.
_BINARY = re.compile(r"(?<=[\w.)])(?<![0-9][eE])([+\-])")
_PRODUCT = re.compile(r"([*/])")


def formula_text(formula: str, longest: int | None = None) -> str:
    """``=w_1*x_1 + w_2*x_2 + b_1`` for ``=w_1*x_1+w_2*x_2+b_1``; text in quotes untouched.
    A product still longer than ``longest`` characters is spaced around its * and / too
    (``=dL_dyhat_1_s2 * dyhat_dz_3_s2``), so that only a name is ever kept whole."""
    pieces = formula.split('"')
    for i in range(0, len(pieces), 2):  # outside the quoted strings
        pieces[i] = _BINARY.sub(r" \1 ", pieces[i]).replace(",", ", ")
        if longest is not None:
            words = pieces[i].split(" ")
            pieces[i] = " ".join(_PRODUCT.sub(r" \1 ", w) if len(w) > longest else w for w in words)
    return '"'.join(pieces)


def unbroken_width(texts: list[str], least: float, chars_per_unit: float) -> float:
    """A column width (Excel's units) at least ``least`` that holds the longest unbroken
    piece of ``texts`` on one line, in a font of ``chars_per_unit`` characters per unit."""
    longest = max((len(word) for text in texts for word in text.split()), default=0)
    return max(least, math.ceil((longest + 1) / chars_per_unit))
