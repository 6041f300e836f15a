"""Colours and number formats of the workbook, named by what they mean to a reader.

The roles a cell plays on the step sheets (given, live formula, gradient check, fixed, code)
are named styles, registered once per workbook (``register``): a cell takes its role by
name, one assignment, instead of openpyxl hashing a fill, a font and an alignment for each
of 80,000 cells.  Excel and LibreOffice list them as the workbook's cell styles.
"""

from __future__ import annotations

import math

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.styles.fonts import DEFAULT_FONT

GIVEN_FILL = PatternFill("solid", fgColor="FFF2CC")  # light yellow: edit me
FORMULA_FILL = PatternFill("solid", fgColor="DDEBF7")  # light blue: live formula
HEADING_FILL = PatternFill("solid", fgColor="D9D9D9")  # grey: section heading
FIXED_FILL = PatternFill("solid", fgColor="EDEDED")  # light grey: fixed when generated
CHECK_FILL = PatternFill("solid", fgColor="E2EFDA")  # light green: gradient check
TITLE_FONT = Font(bold=True, size=14)
BOLD = Font(bold=True)
CODE_FONT = Font(name="Consolas", size=10)
HEADER_BORDER = Border(bottom=Side(style="thin"))
INDENTED = Alignment(indent=1)  # keeps formula text clear of the value beside it

# Column widths by column key, the one place they are set: print-friendly, so the text
# columns wrap (page setup grows the rows) and a step sheet prints at about 70 % in portrait.
COLUMN_WIDTHS = {
    "symbol": 12,  # room for a path's share, "∂L/∂h₁ via z₃"
    "meaning": 26,
    "maths": 24,
    "value": 14.5,
    "formula": 26,
    "name": 15,
    "numeric": 14.5,
    "reldiff": 13,
    "nudge": 13,
}
# Characters of the code font (Consolas, or DejaVu Sans Mono where it is missing) per unit of
# column width, the smaller of the two as measured in LibreOffice (render.page_setup).
CODE_CHARS_PER_UNIT = 0.85
# On the Givens sheet there is no maths or formula column: the meaning gets the room.
GIVEN_WIDTHS = {**COLUMN_WIDTHS, "meaning": 44, "value": 16, "name": 26}


def widths_of(columns: tuple[str, ...], givens: bool) -> list[float]:
    """Widths of a table's columns, in order."""
    table = GIVEN_WIDTHS if givens else COLUMN_WIDTHS
    return [table[key] for key in columns]


LEGEND = (
    ("given: edit me", GIVEN_FILL),
    ("live formula", FORMULA_FILL),
    ("gradient check", CHECK_FILL),
    ("fixed when generated", FIXED_FILL),
    ("section", HEADING_FILL),
)


# The number format policy (docs/workbook.md): every computed value shows DIGITS significant
# figures (``--digits``), from the value the cell starts with; fixed decimals between 1e-4 and
# 1e6, scientific outside; with ``--round N`` exactly N decimals, the digits the sheet keeps.
DIGITS = 6
FIXED_RANGE = (1e-4, 1e6)


def number_format(value: float | None, digits: int = DIGITS, decimals: int | None = None) -> str:
    """The format showing ``value`` to ``digits`` significant figures (``decimals`` fixed
    decimals instead, for rounded sheets): 0.902 -> 0.902000, 1234.5 -> 1234.50,
    3.2570226e-07 -> 3.25702E-07; zero or unknown -> ``digits`` - 1 decimals."""
    if decimals is not None:
        return fixed_format(decimals)
    if value is None or value == 0 or not math.isfinite(value):
        return fixed_format(digits - 1)
    low, high = FIXED_RANGE
    if low <= abs(value) < high:
        return fixed_format(digits - 1 - math.floor(math.log10(abs(value))))
    return fixed_format(digits - 1) + "E+00"


def shown_width(value: float, code: str) -> float:
    """The column width ``value`` needs in format ``code`` (one of the policy's): its text,
    sign included, and a character and a half to spare (Excel's cell padding, LibreOffice's
    wider digits); a narrower column shows ####."""
    if code in ("General", "@") or not math.isfinite(value):
        return 0.0
    decimals = len(code.partition(".")[2].partition("E")[0])
    text = f"{value:.{decimals}E}" if "E" in code else f"{value:.{decimals}f}"
    return len(text) + 1.5


def value_width(base: float, digits: int, decimals: int | None = None) -> float:
    """A value column's width, ``base`` or more for more figures than the default: with
    ``digits`` figures the longest text is scientific, ``-1.23457E-07``, ``digits`` + 6
    characters; with ``decimals`` fixed, ``-123.4567``, ``decimals`` + 5.  (The base widths
    were chosen, and printed, for the default: a rel. difference is never negative.)"""
    if decimals is None and digits <= DIGITS:
        return base
    longest = digits + 6 if decimals is None else decimals + 5
    return max(base, longest + 1.5)


def fixed_format(decimals: int) -> str:
    """At most 15 decimals: a double's digits, and all that ``check`` reads as plain."""
    decimals = min(max(decimals, 0), 15)
    return "0." + "0" * decimals if decimals > 0 else "0"


# Role names, as the style lists of Excel and LibreOffice show them.
GIVEN, FIXED, FORMULA, CHECK = "given", "fixed", "live formula", "gradient check"
CODE, TEXT, LABEL = "code", "wrapped text", "label"
# A table's cells align to the top of their row, level with its wrapped text; text wraps,
# a value does not (page_setup grows the rows and keeps what is set here).
TOP, WRAPPED = Alignment(vertical="top"), Alignment(vertical="top", wrap_text=True)


def register(book: Workbook) -> None:
    """Add the roles' named styles to ``book`` (once, before any cell takes one)."""
    roles = {
        GIVEN: {"fill": GIVEN_FILL, "alignment": WRAPPED},  # shown as typed: may be text
        FIXED: {"fill": FIXED_FILL, "alignment": WRAPPED},
        FORMULA: {"fill": FORMULA_FILL, "alignment": TOP},
        CHECK: {"fill": CHECK_FILL, "alignment": TOP},
        CODE: {"font": CODE_FONT, "alignment": Alignment(vertical="top", wrap_text=True, indent=1)},
        TEXT: {"alignment": WRAPPED},
        LABEL: {"alignment": TOP},
    }
    for name, looks in roles.items():
        if name not in book.named_styles:
            # The workbook's own body font, named: a style's font without a name prints in
            # LibreOffice's default serif.
            book.add_named_style(NamedStyle(name, **{"font": DEFAULT_FONT, **looks}))
