"""Colours and number formats of the workbook, named by what they mean to a reader."""

from __future__ import annotations

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

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


def number_format(value: float | None) -> str:
    """At least 6 significant figures for the value a cell starts with: fixed
    decimals for ordinary magnitudes, scientific for the very small or large."""
    if value is None or value == 0 or 1e-4 <= abs(value) < 1e6:
        return "0.0000000000"
    return "0.000000E+00"
