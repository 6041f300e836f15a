"""Each sheet's ``<sheetData>``, written here as openpyxl writes it, at a few µs a cell
instead of openpyxl's 12 (its element tree per cell): a 350,000-formula Training table or
the 80,000 cells of a gradient check are most of ``generate``'s time otherwise.

``written(book)`` makes every sheet's rows before openpyxl saves the book, and empties the
sheet's cells while openpyxl writes the rest (page setup, names, charts, styles); the copy
pass of ``cached_xml`` then puts the rows in place (``put_rows``).  The rows are openpyxl's
own, byte for byte (``tests/render/test_sheet_data.py`` compares them): the same attribute
order, the same escaping (ElementTree's), numbers through openpyxl's ``safe_string``, and
each style numbered by openpyxl's own list in the order openpyxl would meet it, cell by cell,
sheet by sheet, so ``styles.xml`` is unchanged too.  A sheet holding anything else (a comment,
a hyperlink, a date, rich text, an array formula, a table) is left to openpyxl whole, its
styles still numbered here in order.  Cells streamed by ``render.streamed`` (never openpyxl
cells) are written after the openpyxl cells of their row.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from xml.etree.ElementTree import _escape_attrib, _escape_cdata  # what openpyxl writes with

from openpyxl import Workbook
from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.compat import safe_string
from openpyxl.worksheet.worksheet import Worksheet

from worksheet.render.stored_values import Cells, SheetValues
from worksheet.render.streamed import Streamed, materialize, streamed_of
from worksheet.render.table_formats import by_value_of
from worksheet.sheets.cells import column_letter

_PLAIN = (str, float, int, bool)  # values written here; anything else is openpyxl's
_DIMENSION = re.compile(r'<dimension ref="[^"]*" />')


class _Unknown(Exception):
    """A cell this writer does not write as openpyxl would."""


class _Unstored(Exception):
    """A formula cell whose value is not the next of those to store (``cached_xml`` then
    stores them, by reference)."""


@dataclass(frozen=True)
class Rows:
    """A sheet's ``<sheetData>``, its dimension, and how many stored values it holds
    already (None: none, ``cached_xml.fill`` stores them)."""

    data: str
    dimension: str
    stored: int | None = None


class _Stored:
    """The values to store in a sheet's formula cells, met in the order of the file, all
    numbers: each written as ``cached_xml`` writes it, ``<v>%r</v>``."""

    def __init__(self, cells: Cells) -> None:
        self.refs, self.values, self.at = cells.refs, cells.values, 0

    def v(self, ref: str) -> str:
        at = self.at
        if at >= len(self.refs) or self.refs[at] != ref:
            raise _Unstored
        self.at = at + 1
        return f"<v>{self.values[at]!r}</v>"


class _Empty:
    """No values: every formula's ``<v />`` left empty, as openpyxl writes it."""

    @staticmethod
    def v(ref: str) -> str:
        return "<v />"


@contextmanager
def written(book: Workbook, values: SheetValues | None = None) -> Iterator[dict[str, Rows]]:
    """Title -> its ``Rows`` for every sheet written here, with the numbers of ``values``
    stored where a sheet's are all numbers and not formatted by value; inside, those
    sheets have no cells (openpyxl writes the rest of them), restored on leaving."""
    out: dict[str, Rows] = {}
    emptied: list[tuple[Worksheet, dict]] = []
    try:
        for sheet in book.worksheets:  # in openpyxl's order: it numbers styles as it goes
            if any(dim.has_style for dim in sheet.column_dimensions.values()):
                sheet.column_dimensions.to_tree()  # written, and numbered, before the rows
            rows = _rows(sheet, book, (values or {}).get(sheet.title))
            if rows is None:
                continue
            out[sheet.title] = rows
            emptied.append((sheet, sheet._cells))
            sheet._cells = {}
        yield out
    finally:
        for sheet, cells in emptied:
            sheet._cells = cells


def put_rows(xml: str, rows: Rows) -> str:
    """The sheet part openpyxl wrote without cells, with its rows and dimension put in."""
    data, dimension = rows.data, rows.dimension
    start, end = xml.index("<sheetData>"), xml.index("</sheetData>") + len("</sheetData>")
    xml = xml[:start] + data + xml[end:]
    return _DIMENSION.sub(f'<dimension ref="{dimension}" />', xml, count=1)


def _rows(sheet: Worksheet, book: Workbook, cells: Cells | None) -> Rows | None:
    """``sheet``'s rows, ``cells`` stored in them when they can be; None (its styles
    numbered all the same) where a cell is not one this module writes, or the sheet has a
    table."""
    streamed = streamed_of(sheet)
    numbers = cells is not None and by_value_of(sheet) is None
    numbers = numbers and all(type(v) is float for v in cells.values)
    try:
        if sheet.tables:
            raise _Unknown
        try:
            stored = _Stored(cells) if numbers else None
            data = _sheet_data(sheet, book, streamed, stored or _Empty)
            if stored is not None and stored.at != len(stored.refs):
                raise _Unstored
        except _Unstored:
            stored, data = None, _sheet_data(sheet, book, streamed, _Empty)
    except _Unknown:
        if streamed:
            materialize(sheet)  # openpyxl writes them: its own cells from now on
        _number_styles(sheet, book)
        return None
    count = len(stored.refs) if stored is not None else None
    return Rows(data, _dimension(sheet, streamed), count)


def _sheet_data(sheet: Worksheet, book: Workbook, streamed: Streamed | None, stored) -> str:
    by_row: dict[int, list] = {}
    for (row, _), cell in sorted(sheet._cells.items()):  # openpyxl's order
        cells = by_row.get(row)
        if cells is None:
            cells = by_row[row] = []
        cells.append(cell)
    later = streamed.rows if streamed else {}
    dims = sheet.row_dimensions
    numbered = book._cell_styles
    known = numbered._dict
    letters: dict[int, str] = {}
    attributes: dict[int, str] = {}  # streamed styles
    out = ["<sheetData>"]
    for row in sorted(by_row.keys() | dims.keys() | later.keys()):
        attributes = {"r": f"{row}"}
        attributes.update(dims.get(row, {}))  # as openpyxl: numbers a row's style first
        out.append("<row" + "".join(f' {k}="{_escape_attrib(v)}"' for k, v in attributes.items()))
        out.append(">")
        for cell in by_row.get(row, ()):
            if type(cell) is not Cell and type(cell) is not MergedCell:
                raise _Unknown
            if cell._comment is not None or cell.hyperlink:
                raise _Unknown
            style = cell._style
            styled = style is not None and any(style)
            if cell._value is None and not styled:
                continue
            col = cell.column
            letter = letters.get(col) or letters.setdefault(col, column_letter(col))
            number = known.get(style) if styled else None
            if styled and number is None:
                number = numbered.add(style)
            out.append(_cell(f"{letter}{row}", number, cell.data_type, cell._value, stored))
        if row in later:
            if row in by_row and later[row][0][0] <= by_row[row][-1].column:
                raise _Unknown  # a streamed cell left of an openpyxl one: openpyxl sorts
            styles = streamed.styles
            out.append(_streamed(row, later[row], styles, attributes, book, letters, stored))
        out.append("</row>")
    out.append("</sheetData>")
    return "".join(out)


def _cell(ref: str, style: int | None, data_type: str, value, stored) -> str:
    """One cell as ``openpyxl.cell._writer.etree_write_cell`` writes it."""
    head = f'<c r="{ref}"' if style is None else f'<c r="{ref}" s="{style}"'
    if data_type == "s":
        head += ' t="inlineStr"'
    elif data_type != "f":
        if data_type not in ("n", "b", "e", "str"):
            raise _Unknown  # a date: openpyxl converts it
        head += f' t="{data_type}"'
    if value is None or value == "":
        return head + " />"
    if type(value) not in _PLAIN:
        raise _Unknown  # an array formula, rich text, a numpy number
    if data_type == "f":
        return f"{head}>{_element('f', value[1:])}{stored.v(ref)}</c>"
    if data_type == "s":
        stripped = value.strip()
        space = ' xml:space="preserve"' if stripped and value != stripped else ""
        return f"{head}><is><t{space}>{_escape_cdata(value)}</t></is></c>"
    return f"{head}>{_element('v', safe_string(value))}</c>"


def _element(tag: str, text: str) -> str:
    return f"<{tag}>{_escape_cdata(text)}</{tag}>" if text else f"<{tag} />"


def _streamed(row: int, cells: list, styles: list, attributes: dict, book, letters, stored) -> str:
    """A row's streamed cells, formulas all, each style numbered where openpyxl would first
    meet it (``attributes``: the `` s="N"`` of each style met so far on the sheet)."""
    parts = []
    for col, formula, number in cells:
        attribute = attributes.get(number)
        if attribute is None:
            style = styles[number]
            attribute = f' s="{book._cell_styles.add(style)}"' if any(style) else ""
            attributes[number] = attribute
        ref = f"{letters.get(col) or letters.setdefault(col, column_letter(col))}{row}"
        text = formula[1:]
        if not text or "&" in text or "<" in text or ">" in text:  # (rare: _element's way)
            parts.append(f'<c r="{ref}"{attribute}>{_element("f", text)}{stored.v(ref)}</c>')
        else:
            parts.append(f'<c r="{ref}"{attribute}><f>{text}</f>{stored.v(ref)}</c>')
    return "".join(parts)


def _number_styles(sheet: Worksheet, book: Workbook) -> None:
    """Number the styles of a sheet openpyxl writes, in the order it will meet them."""
    dims, numbered = sheet.row_dimensions, book._cell_styles
    by_row: dict[int, list] = {}
    for (row, _), cell in sorted(sheet._cells.items()):
        by_row.setdefault(row, []).append(cell)
    for row in sorted(by_row.keys() | dims.keys()):
        dict(dims.get(row, {}))
        for cell in by_row.get(row, ()):
            if cell.has_style:
                numbered.add(cell._style)


def _dimension(sheet: Worksheet, streamed: Streamed | None) -> str:
    """The used range, as ``Worksheet.calculate_dimension`` computes it, streamed cells too."""
    rows = [row for row, _ in sheet._cells]
    cols = [col for _, col in sheet._cells]
    if streamed:
        rows += list(streamed.rows)
        cols += [col for cells in streamed.rows.values() for col, _, _ in cells]
    if not rows:
        return "A1:A1"
    return f"{column_letter(min(cols))}{min(rows)}:{column_letter(max(cols))}{max(rows)}"
