"""A1 address arithmetic as small pure functions, plus fast text-level work on formula references.

Two jobs need references found in formula *text* without the full tokenizer, because they run
once per cell over hundreds of thousands of cells: moving a shared formula to a follower cell,
and recognising a formula copied down a column (same skeleton, same row offsets), so that it is
parsed once. ``REF_PATTERN`` skips string literals and quoted
sheet names and only accepts what Excel would read as a cell address; the parser re-checks that
it found exactly the same references before a skeleton is trusted (see ``plans``).
"""

from __future__ import annotations

import re
from collections.abc import Callable

MAX_ROW = 1_048_576
MAX_COL = 16_384  # column XFD

# A string literal, a quoted sheet name, or a cell address standing on its own (not part of a
# name like w_1 or LOG10( or Sheet1!, and not the exponent of a number like 1E5).
REF_PATTERN = re.compile(
    r'(?P<str>"(?:[^"]|"")*")'
    r"|(?P<quoted>'(?:[^']|'')*')"
    r"|(?<![A-Za-z0-9_.\\$])"
    r"(?P<cabs>\$?)(?P<col>[A-Za-z]{1,3})(?P<rabs>\$?)(?P<row>[0-9]{1,7})"
    r"(?![A-Za-z0-9_.(!\[])"
)
CELL_PATTERN = re.compile(r"(\$?)([A-Za-z]{1,3})(\$?)([0-9]{1,7})")
DIGIT_RUN = re.compile(r"[0-9]+")


def col_index(letters: str) -> int:
    """Column letters to a 1-based index: A -> 1, Z -> 26, AA -> 27."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def col_letters(index: int) -> str:
    """A 1-based column index to letters: 1 -> A, 27 -> AA."""
    letters = ""
    while index > 0:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def cell_name(row: int, col: int) -> str:
    """Row and column (1-based) to a relative A1 address: (1, 2) -> B1."""
    return f"{col_letters(col)}{row}"


def in_grid(row: int, col: int) -> bool:
    """Whether a 1-based position exists on an Excel sheet."""
    return 1 <= row <= MAX_ROW and 1 <= col <= MAX_COL


def parse_cell(text: str) -> tuple[int, int, bool, bool] | None:
    """Parse ``$A$1``-style text to (row, col, row_absolute, col_absolute), or None."""
    m = CELL_PATTERN.fullmatch(text)
    if m is None:
        return None
    row, col = int(m[4]), col_index(m[2])
    if not in_grid(row, col):
        return None
    return row, col, m[3] == "$", m[1] == "$"


def quote_sheet(sheet: str) -> str:
    """Quote a sheet name for a formula when it is not a plain identifier."""
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.]*", sheet) and parse_cell(sheet) is None:
        return sheet
    return "'" + sheet.replace("'", "''") + "'"


def _rewrite(text: str, on_ref: Callable[[re.Match[str], int, int], str]) -> str:
    """Apply ``on_ref(match, row, col)`` to every valid cell address in formula text."""

    def repl(m: re.Match[str]) -> str:
        if m["col"] is None:
            return m[0]
        row, col = int(m["row"]), col_index(m["col"])
        if not in_grid(row, col):
            return m[0]
        return on_ref(m, row, col)

    return REF_PATTERN.sub(repl, text)


def translate(text: str, d_row: int, d_col: int) -> str:
    """Move formula text by (d_row, d_col), shifting relative references as a copy would.

    A reference pushed off the sheet becomes ``#REF!``, as in Excel.
    """

    def move(m: re.Match[str], row: int, col: int) -> str:
        new_row = row if m["rabs"] else row + d_row
        new_col = col if m["cabs"] else col + d_col
        if not in_grid(new_row, new_col):
            return "#REF!"
        return f"{m['cabs']}{col_letters(new_col)}{m['rabs']}{new_row}"

    return _rewrite(text, move)


def ref_key(m: re.Match[str], row: int, col: int, host_row: int, host_col: int) -> tuple:
    """A reference as the parser records it: absolute parts as is, relative parts as offsets."""
    row_abs, col_abs = m["rabs"] == "$", m["cabs"] == "$"
    return (
        row if row_abs else row - host_row,
        col if col_abs else col - host_col,
        row_abs,
        col_abs,
    )


def references(text: str, host_row: int, host_col: int) -> list[tuple]:
    """The cell addresses in formula text, in order, as ``ref_key`` tuples."""
    refs: list[tuple] = []

    def record(m: re.Match[str], row: int, col: int) -> str:
        refs.append(ref_key(m, row, col, host_row, host_col))
        return m[0]

    _rewrite(text, record)
    return refs


def skeleton(text: str) -> str:
    """Formula text with every run of digits replaced by \\x00 (which XML text cannot hold).

    A formula filled down a column keeps its skeleton: only row numbers change.
    """
    return DIGIT_RUN.sub("\x00", text)


def shape(text: str, host_row: int, host_col: int) -> str:
    """Formula text with each cell address written as the parser records it (R1C1: relative
    parts as offsets from the host), between \x01 marks (which XML text cannot hold).

    A formula copied anywhere, down or across, keeps its shape: its copies compile alike.
    ``_rewrite`` written out, with the column letters looked up: a deep network's gradient
    check asks this of 80,000 formulas, each of a dozen addresses."""
    columns = _COLUMNS

    def relative(m: re.Match[str]) -> str:
        letters, rabs, cabs = m.group("col", "rabs", "cabs")
        if letters is None:
            return m[0]
        row = int(m["row"])
        col = columns.get(letters) or col_index(letters)
        if not (1 <= row <= MAX_ROW and 1 <= col <= MAX_COL):
            return m[0]
        r = f"R{row}" if rabs else f"R[{row - host_row}]"
        c = f"C{col}" if cabs else f"C[{col - host_col}]"
        return f"\x01{r}{c}\x01"

    return REF_PATTERN.sub(relative, text)


_COLUMNS = {col_letters(i): i for i in range(1, 703)}  # A to ZZ: the columns formulas use


def relative_rows(text: str) -> tuple[bool, ...]:
    """For each run of digits in the text, whether it is the row of a row-relative address."""
    rows: set[tuple[int, int]] = set()

    def record(m: re.Match[str], row: int, col: int) -> str:
        if not m["rabs"]:
            rows.add(m.span("row"))
        return m[0]

    _rewrite(text, record)
    return tuple(m.span() in rows for m in DIGIT_RUN.finditer(text))
