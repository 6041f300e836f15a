"""Save a workbook with a stored value in each formula cell: openpyxl's output, one pass more.

openpyxl writes every formula as ``<c r="D5" s="15"><f>w_1*x_1+b_1</f><v /></c>`` and has
no way to fill that ``<v/>``.  So openpyxl writes its package uncompressed into memory, and
one streaming pass copies it to the target, compressing each part once (as openpyxl would
have) and filling the ``<v/>`` of every formula cell whose value is known.  Only openpyxl's
own output passes through here, so a pattern over that known form is exact; a count of the
cells filled guards it.

Values follow Excel's cache: a number as the shortest decimal that reads back as the same
double (``repr``), text as ``t="str"``, a boolean as ``t="b"``; anything else stays empty.
``workbook.xml`` keeps openpyxl's ``<calcPr fullCalcOnLoad="1"/>``: Excel still recalculates
on opening, and the stored values serve readers that do not calculate.
"""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from itertools import chain
from xml.etree import ElementTree
from xml.sax.saxutils import escape

from openpyxl import Workbook
from openpyxl.writer.excel import ExcelWriter

from worksheet.render.chart_cache import Lookup, cache_charts, is_chart
from worksheet.render.stored_values import Cells, SheetValues, Stored

# zlib's level 4, not openpyxl's 6: 17-digit numbers compress slowly.  A 10,000-update table
# (22 MB of XML) takes 0.59 s at 6, 0.34 s at 5, 0.23 s at 4, for 5.26, 5.32 and 5.63 MB:
# level 4 keeps storing the values within 15 % of the time generate takes without them.
COMPRESSION_LEVEL = 4

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"

# A formula cell as openpyxl writes it: its reference, other attributes, formula, empty value.
_FORMULA_CELL = re.compile(r'<c r="([A-Z]{1,3}[0-9]{1,7})"([^>]*)>(<f(?: [^>]*)?>[^<]*</f>)<v ?/>')
_FORMULA_START = re.compile(r'<c r="([A-Z]{1,3}[0-9]{1,7})"[^>]*><f[ >]')


def save_with_values(book: Workbook, target: str, values: SheetValues) -> int:
    """Write ``book`` to the file ``target`` with ``values`` stored in its formula cells;
    returns how many cells got a value."""
    stored = io.BytesIO()
    book.properties.modified = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
    ExcelWriter(book, zipfile.ZipFile(stored, "w", zipfile.ZIP_STORED, allowZip64=True)).save()
    filled, lookup = 0, Lookup(values)
    with zipfile.ZipFile(stored) as source:
        parts = sheet_parts(source)
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as out:
            for info in source.infolist():
                data = source.read(info)
                sheet = parts.get(info.filename)
                if sheet is not None and sheet in values:
                    data, count = fill(data, values[sheet])
                    filled += count
                elif is_chart(info.filename):  # what previews draw (``chart_cache``)
                    data = cache_charts(data, lookup)
                entry = zipfile.ZipInfo(info.filename, info.date_time)
                out.writestr(entry, data, zipfile.ZIP_DEFLATED, COMPRESSION_LEVEL)
    return filled


def sheet_parts(package: zipfile.ZipFile) -> dict[str, str]:
    """Part name (``xl/worksheets/sheet2.xml``) -> sheet title, from the workbook's own map."""
    root = ElementTree.fromstring(package.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(package.read("xl/_rels/workbook.xml.rels"))
    targets = {rel.get("Id"): rel.get("Target", "") for rel in rels.iter(f"{_PKG_REL}Relationship")}
    parts = {}
    for sheet in root.iter(f"{_MAIN}sheet"):
        target = targets.get(sheet.get(f"{_REL}id"), "")
        part = target[1:] if target.startswith("/") else f"xl/{target}"
        parts[part] = sheet.get("name", "")
    return parts


def fill(data: bytes, cells: Cells) -> tuple[bytes, int]:
    """The sheet part ``data`` with ``cells`` stored in its formula cells; and how many."""
    xml = data.decode("utf-8")
    refs = _FORMULA_START.findall(xml)
    if refs == cells.refs and all(type(v) is float for v in cells.values):
        return _fill_in_order(xml, cells.values), len(refs)
    return _fill_by_reference(xml, cells.as_dict())


def _fill_in_order(xml: str, numbers: list[float]) -> bytes:
    """The common case, at C speed: a number for every formula cell, listed in the order
    of the file, each cell followed by its own empty ``<v/>``."""
    # NUL cannot occur in XML: it marks where each number goes.
    marked = xml.replace("<v />", "<v>\0</v>").replace("<v/>", "<v>\0</v>")
    pieces = marked.split("\0")
    if len(pieces) != len(numbers) + 1:  # a <v/> that is no formula's: go cell by cell
        return _fill_by_reference(xml, dict(zip(_FORMULA_START.findall(xml), numbers)))[0]
    return "".join(chain.from_iterable(zip(pieces, [*map(repr, numbers), ""]))).encode("utf-8")


def _fill_by_reference(xml: str, cells: dict[str, Stored]) -> tuple[bytes, int]:
    """Each formula cell in turn, its value looked up by reference, typed as Excel types it."""
    count = 0

    def one(m: re.Match) -> str:
        nonlocal count
        value = cells.get(m[1])
        if value is None:
            return m[0]
        count += 1
        kind, text = cached(value)
        return f'<c r="{m[1]}"{m[2]}{kind}>{m[3]}<v>{text}</v>'

    return _FORMULA_CELL.sub(one, xml).encode("utf-8"), count


def cached(value: Stored) -> tuple[str, str]:
    """(the cell's type attribute, the text of its ``<v>``) as Excel caches ``value``."""
    if isinstance(value, bool):
        return ' t="b"', "1" if value else "0"
    if isinstance(value, str):
        return ' t="str"', escape(value)
    return "", repr(float(value))
