"""Stream one worksheet part into ``Cell`` records: formula text and cached value in one pass.

Sheets can hold hundreds of thousands of cells, so the XML is read with ``iterparse`` and each
cell element is dropped as soon as it has been turned into a record.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import IO
from xml.etree.ElementTree import Element

from defusedxml.ElementTree import iterparse

from worksheet.errors import BookError
from worksheet.evaluator import a1
from worksheet.evaluator.book import Cell, CellRef
from worksheet.evaluator.package import local, rich_text, unescape
from worksheet.evaluator.shared import SharedFormulas
from worksheet.evaluator.values import ERROR_CODES, Value, XLError

MAX_FORMULA = 8192  # Excel's own limit on formula length

_ADDRESS = re.compile(r"([A-Za-z]{1,3})([0-9]{1,7})")


class _Position:
    """Where the next cell goes when a writer leaves out ``r`` attributes (allowed by the spec)."""

    def __init__(self) -> None:
        self.row = 0
        self.col = 0

    def start_row(self, elem: Element) -> None:
        r = elem.get("r")
        self.row = int(r) if r and r.isdigit() else self.row + 1
        self.col = 0

    def place(self, ref: str | None) -> tuple[int, int] | None:
        if ref:
            m = _ADDRESS.fullmatch(ref)
            if m is None:
                return None
            self.row, self.col = int(m[2]), a1.col_index(m[1])
        else:
            self.col += 1
        return self.row, self.col


def read_sheet(
    stream: IO[bytes],
    sheet: str,
    strings: list[str],
    cells: dict[CellRef, Cell],
    fail: Callable[[str], BookError],
) -> None:
    """Add every non-blank cell of one worksheet part to ``cells``."""
    pos = _Position()
    shared = SharedFormulas()
    for event, elem in iterparse(stream, events=("start", "end")):
        tag = local(elem.tag)
        if event == "start":
            if tag == "row":
                pos.start_row(elem)
            continue
        if tag == "c":
            where = pos.place(elem.get("r"))
            if where is None or not a1.in_grid(*where):
                raise fail(f"bad cell address {elem.get('r')!r} on sheet {sheet}")
            ref = CellRef(sheet, *where)
            cell = _cell(elem, ref, strings, shared, fail)
            if cell is not None:
                cells[ref] = cell
            elem.clear()
        elif tag == "row":
            elem.clear()


def _cell(
    elem: Element,
    ref: CellRef,
    strings: list[str],
    shared: SharedFormulas,
    fail: Callable[[str], BookError],
) -> Cell | None:
    """One ``<c>`` element as a Cell, or None when it holds neither formula nor value."""
    f_elem = v_text = is_elem = None
    for child in elem:
        tag = local(child.tag)
        if tag == "f":
            f_elem = child
        elif tag == "v":
            v_text = child.text
        elif tag == "is":
            is_elem = child
    formula = _formula(f_elem, ref, shared, fail) if f_elem is not None else None
    value = _value(elem.get("t", "n"), v_text, is_elem, ref, strings, fail)
    if formula is None and value is None:
        return None
    return Cell(formula, value)


def _formula(
    f_elem: Element, ref: CellRef, shared: SharedFormulas, fail: Callable[[str], BookError]
) -> str | None:
    """The formula text of a cell with a leading '=', shared formulas moved to this cell."""
    kind = f_elem.get("t", "normal")
    text = f_elem.text or ""
    if kind == "dataTable":
        raise fail(f"{ref}: data table formulas are not supported")
    if kind == "shared":
        text = shared.resolve(f_elem.get("si"), text, ref.row, ref.col)
        if text is None:
            raise fail(f"{ref}: shared formula {f_elem.get('si')} has no master cell")
    if not text:
        return None
    if len(text) > MAX_FORMULA:
        raise fail(f"{ref}: formula longer than {MAX_FORMULA} characters")
    return "=" + text


def _value(
    kind: str,
    v_text: str | None,
    is_elem: Element | None,
    ref: CellRef,
    strings: list[str],
    fail: Callable[[str], BookError],
) -> Value:
    """Decode a cell's stored value by its ``t`` type; text starting with '=' stays text."""
    if kind == "inlineStr":
        return rich_text(is_elem) if is_elem is not None else None
    if v_text is None:
        return None
    try:
        if kind == "n":
            return float(v_text) if v_text.strip() else None
        if kind == "s":
            return strings[int(v_text)]
        if kind in ("str", "d"):
            return unescape(v_text)
        if kind == "b":
            return v_text.strip() in ("1", "true")
        if kind == "e" and v_text.strip() in ERROR_CODES:
            return XLError(v_text.strip())
    except (ValueError, IndexError) as exc:
        raise fail(f"{ref}: bad stored value {v_text!r} of type {kind}") from exc
    raise fail(f"{ref}: bad stored value {v_text!r} of type {kind}")
