"""Number formats for the long tables (Training, each run of a sweep, the loss columns of
Sweep and Compare), chosen from the values they store, as the file is saved.

A format set through openpyxl on each of a table's 350,000 cells makes ``generate`` 2.5 times
slower: every cell becomes a styled object.  So the tables are written unstyled, and their
sheet is marked here (``show_by_value``) with the policy of ``styles.number_format``.  When
``cached_xml`` stores each formula's value, it gives each table cell the cell style (``s``) of
its format too, in the same pass: the formats are chosen for all values at once with numpy,
and the few cell styles they need are added to ``xl/styles.xml``, each a copy of the
workbook's default style with its number format.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
from openpyxl.worksheet.worksheet import Worksheet

from worksheet.render.styles import FIXED_RANGE, fixed_format

MAX_DECIMALS = 15  # what a double holds, and all that ``check`` reads as plain
SCIENTIFIC = MAX_DECIMALS + 1  # codes from here: scientific, code - SCIENTIFIC decimals
_ATTRIBUTE = "_worksheet_by_value"


@dataclass(frozen=True)
class ByValue:
    """How a table's formula cells without a style of their own are shown: ``digits``
    significant figures, the ``counts`` columns (update, example: 1-based) as whole numbers.
    A styled cell (a Sweep's head, formatted with openpyxl) keeps its style."""

    digits: int
    counts: frozenset[int] = frozenset()


def show_by_value(sheet: Worksheet, shown: ByValue) -> None:
    """Mark ``sheet`` so that saving it formats its formula cells by ``shown``."""
    setattr(sheet, _ATTRIBUTE, shown)


def by_value_of(sheet: Worksheet) -> ByValue | None:
    return getattr(sheet, _ATTRIBUTE, None)


def code_format(code: int) -> str:
    """A format code number (see ``codes``) as its number format text."""
    if code >= SCIENTIFIC:
        return fixed_format(code - SCIENTIFIC) + "E+00"
    return fixed_format(code)


def codes(values: np.ndarray, digits: int) -> np.ndarray:
    """The format of each value by ``styles.number_format``, as a small number: decimals
    (0 to 15) for fixed, SCIENTIFIC + decimals for scientific."""
    size = np.abs(values)
    low, high = FIXED_RANGE
    fixed = (size >= low) & (size < high)
    with np.errstate(divide="ignore", invalid="ignore"):
        power = np.floor(np.log10(np.where(fixed, size, 1.0)))
    decimals = np.where(fixed, digits - 1 - power, digits - 1)
    out = np.clip(decimals, 0, MAX_DECIMALS).astype(np.int64)
    scientific = ~fixed & (size > 0) & np.isfinite(values)
    return np.where(scientific, out + SCIENTIFIC, out)


def table_codes(refs: list[str], values: list, shown: ByValue) -> np.ndarray:
    """Each cell's format code (``codes``), -1 for a cell that stores no number.  ``refs``
    are A1 references, ``values`` what the cells store."""
    if all(type(v) is float for v in values):
        numbers = np.array(values, dtype=float)
    else:  # text and booleans keep their style
        numbers = np.array([v if type(v) is float else np.nan for v in values], dtype=float)
    out = codes(numbers, shown.digits)
    out[np.isin(columns_of(refs), list(shown.counts))] = 0
    out[np.isnan(numbers)] = -1
    return out


def columns_of(refs: list[str]) -> np.ndarray:
    """The 1-based column of each A1 reference, read as an array of its first three
    characters (a column is at most three letters: XFD)."""
    if not refs:
        return np.zeros(0, np.int64)
    points = np.array(refs, dtype="U3").view(np.uint32).reshape(len(refs), 3).astype(np.int64)
    column, letters = np.zeros(len(refs), np.int64), np.ones(len(refs), bool)
    for at in points.T:
        letters &= at >= 65  # still in the letters: "A" is 65, digits are below
        column = np.where(letters, column * 26 + at - 64, column)
    return column


_CELL_XFS = re.compile(r'<cellXfs count="(\d+)">(<xf [^>]*?)\s*/?>')
_NUM_FMTS = re.compile(r'<numFmts count="(\d+)">')
_NUM_FMT = re.compile(r'<numFmt numFmtId="(\d+)" formatCode="([^"]*)"\s*/>')
_STYLE_ATTRIBUTES = re.compile(r'\s(numFmtId|applyNumberFormat)="[^"]*"')


class AddedStyles:
    """The cell styles the tables' formats need, numbered after those of ``styles_xml``:
    ask for each code's ``attribute`` (`` s="42"``), then write ``styles``."""

    def __init__(self, styles_xml: bytes) -> None:
        self.xml = styles_xml.decode("utf-8")
        found = _CELL_XFS.search(self.xml)
        if found is None:
            raise ValueError("styles.xml without cellXfs: not openpyxl's")
        self.first, self.default = int(found[1]), _STYLE_ATTRIBUTES.sub("", found[2])
        self.known = {code: int(number) for number, code in _NUM_FMT.findall(self.xml)}
        self.added: dict[int, int] = {}  # format code -> its new cell style

    def attribute(self, code: int) -> str:
        if code < 0:
            return ""
        if code not in self.added:
            self.added[code] = self.first + len(self.added)
        return f' s="{self.added[code]}"'

    def styles(self) -> bytes:
        """styles.xml with the cell styles asked for, and the number formats they use."""
        xml, numbers, formats = self.xml, dict(self.known), []
        xfs = []
        for code in self.added:
            text = code_format(code)
            if text not in numbers:
                numbers[text] = max([163, *numbers.values()]) + 1  # custom formats: 164 up
                formats.append(f'<numFmt numFmtId="{numbers[text]}" formatCode="{text}"/>')
            tail = self.default[len("<xf") :]
            xfs.append(f'<xf numFmtId="{numbers[text]}" applyNumberFormat="1"{tail}/>')
        if not xfs:
            return xml.encode("utf-8")
        xml = xml.replace("</cellXfs>", "".join(xfs) + "</cellXfs>", 1)
        count = f'<cellXfs count="{self.first + len(xfs)}">'
        xml = xml.replace(f'<cellXfs count="{self.first}">', count, 1)
        xml = _add_formats(xml, formats)
        return xml.encode("utf-8")


def _add_formats(xml: str, formats: list[str]) -> str:
    if not formats:
        return xml
    found = _NUM_FMTS.search(xml)
    if found is None:  # numFmts comes first in a styleSheet
        start = xml.index(">", xml.index("<styleSheet")) + 1
        listed = f'<numFmts count="{len(formats)}">{"".join(formats)}</numFmts>'
        return xml[:start] + listed + xml[start:]
    count = int(found[1]) + len(formats)
    xml = xml.replace("</numFmts>", "".join(formats) + "</numFmts>", 1)
    return xml.replace(found[0], f'<numFmts count="{count}">', 1)
