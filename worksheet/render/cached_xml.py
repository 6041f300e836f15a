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
from xml.etree import ElementTree

import numpy as np
from openpyxl import Workbook
from openpyxl.writer.excel import ExcelWriter

from worksheet.render.chart_cache import Lookup, cache_charts, is_chart
from worksheet.render.sheet_data import put_rows, written
from worksheet.render.stored_values import Cells, SheetValues, Stored
from worksheet.render.table_formats import SCIENTIFIC, AddedStyles, by_value_of, table_codes

# zlib's level 4, not openpyxl's 6: 17-digit numbers compress slowly.  A 10,000-update table
# (22 MB of XML) takes 0.59 s at 6, 0.34 s at 5, 0.23 s at 4, for 5.26, 5.32 and 5.63 MB:
# level 4 keeps storing the values within 15 % of the time generate takes without them.
COMPRESSION_LEVEL = 4

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_STYLES = "xl/styles.xml"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"

# A formula cell as openpyxl writes it: its reference, other attributes, formula, empty value.
_FORMULA_CELL = re.compile(r'<c r="([A-Z]{1,3}[0-9]{1,7})"([^>]*)>(<f(?: [^>]*)?>[^<]*</f>)<v ?/>')
_STYLED_FORMULA = re.compile(r'" s="[0-9]+"><f>')
_FORMULA_START = re.compile(r'<c r="([A-Z]{1,3}[0-9]{1,7})"[^>]*><f[ >]')


def save_with_values(book: Workbook, target: str, values: SheetValues) -> int:
    """Write ``book`` to the file ``target`` with ``values`` stored in its formula cells,
    and the tables marked by ``table_formats.show_by_value`` formatted by their values;
    returns how many cells got a value."""
    stored = io.BytesIO()
    book.properties.modified = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
    with written(book, values) as rows:  # the cells, written here; openpyxl the rest
        ExcelWriter(book, zipfile.ZipFile(stored, "w", zipfile.ZIP_STORED, allowZip64=True)).save()
    filled, lookup = 0, Lookup(values)
    with zipfile.ZipFile(stored) as source:
        parts = sheet_parts(source)
        added = AddedStyles(source.read(_STYLES))
        # Every table's styles first: styles.xml may come before the sheets in the package.
        shown = {title: _attributes(book, title, values[title], added) for title in values}
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as out:
            for info in source.infolist():
                data = source.read(info)
                sheet = parts.get(info.filename)
                if sheet is not None:
                    if sheet in rows:
                        data = put_rows(data.decode("utf-8"), rows[sheet]).encode("utf-8")
                    # An empty styled cell as openpyxl writes it, <c r="D10" s="18" t="n"/>,
                    # reads as 0 in IronCalc (a student's blank answer shown as a number):
                    # without the type it is empty everywhere.
                    data = data.replace(b' t="n" />', b" />").replace(b' t="n"/>', b"/>")
                if sheet in rows and rows[sheet].stored is not None:
                    filled += rows[sheet].stored  # stored as the rows were written
                elif sheet is not None and sheet in values:
                    data, count = fill(data, values[sheet], shown[sheet])
                    filled += count
                elif info.filename == _STYLES:
                    data = added.styles()
                elif is_chart(info.filename):  # what previews draw (``chart_cache``)
                    data = cache_charts(data, lookup)
                entry = zipfile.ZipInfo(info.filename, info.date_time)
                out.writestr(entry, data, zipfile.ZIP_DEFLATED, COMPRESSION_LEVEL)
    return filled


def _attributes(book: Workbook, title: str, cells: Cells, added: AddedStyles) -> list[str] | None:
    """The style attribute (`` s="42"`` or "") each of ``cells`` takes, in order; None on
    a sheet not formatted by its values."""
    by_value = by_value_of(book[title]) if title in book.sheetnames else None
    if by_value is None:
        return None
    codes = table_codes(cells.refs, cells.values, by_value)
    lookup = np.full(2 * SCIENTIFIC + 1, "", dtype=object)  # code + 1 -> attribute
    for code in np.unique(codes).tolist():
        lookup[code + 1] = added.attribute(code)
    return lookup[codes + 1].tolist()


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


def fill(data: bytes, cells: Cells, styles: list[str] | None = None) -> tuple[bytes, int]:
    """The sheet part ``data`` with ``cells`` stored in its formula cells, and ``styles[i]``
    (a cell style attribute, or "") added to the cell of ``cells.values[i]``; and how many."""
    xml = data.decode("utf-8")
    refs = _FORMULA_START.findall(xml)
    if refs == cells.refs and all(type(v) is float for v in cells.values):
        if styles is not None and (styled := _styled_formulas(xml)):
            styles = ["" if ref in styled else s for ref, s in zip(refs, styles)]
        return _fill_in_order(xml, cells.values, styles), len(refs)
    styled = dict(zip(cells.refs, styles)) if styles is not None else {}
    return _fill_by_reference(xml, cells.as_dict(), styled)


def _styled_formulas(xml: str) -> set[str]:
    """The formula cells that have a style already (a table's head, styled with openpyxl):
    they keep it.  Found by their few `` s="N"><f>``, then back to their reference."""
    found = set()
    for m in _STYLED_FORMULA.finditer(xml):
        start = xml.rfind('<c r="', 0, m.start()) + len('<c r="')
        found.add(xml[start : xml.index('"', start)])
    return found


def _fill_in_order(xml: str, numbers: list[float], styles: list[str] | None) -> bytes:
    """The common case, at C speed: a number for every formula cell, listed in the order
    of the file, each cell followed by its own empty ``<v/>``; with ``styles``, each cell's
    style attribute goes at the end of its start tag, before its formula.  The part becomes
    a %-format (its own % doubled) filled in one call: no list of its pieces, no join."""
    # openpyxl writes an empty value one way throughout (<v />, or through lxml <v/>)
    empty = "<v />" if "<v />" in xml else "<v/>"
    template = xml.replace("%", "%%").replace(empty, "<v>%r</v>")  # %r: the shortest repr
    args: list = numbers
    if styles is not None:  # openpyxl writes a formula cell's start as <c r="D5"><f>
        template = template.replace('"><f>', '"%s><f>')
        args = [None] * (2 * len(numbers))
        args[0::2], args[1::2] = styles, numbers
    try:
        return (template % tuple(args)).encode("utf-8")
    except TypeError:  # more or fewer places than numbers: a <v/> that is no formula's
        refs = _FORMULA_START.findall(xml)
        styled = dict(zip(refs, styles)) if styles is not None else {}
        return _fill_by_reference(xml, dict(zip(refs, numbers)), styled)[0]


def _fill_by_reference(
    xml: str, cells: dict[str, Stored], styles: dict[str, str]
) -> tuple[bytes, int]:
    """Each formula cell in turn, its value looked up by reference, typed as Excel types it,
    and given its style attribute from ``styles`` unless it has one already."""
    count = 0

    def one(m: re.Match) -> str:
        nonlocal count
        value = cells.get(m[1])
        if value is None:
            return m[0]
        count += 1
        kind, text = cached(value)
        style = "" if ' s="' in m[2] else styles.get(m[1], "")
        return f'<c r="{m[1]}"{style}{m[2]}{kind}>{m[3]}<v>{text}</v>'

    return _FORMULA_CELL.sub(one, xml).encode("utf-8"), count


def escape(text: str) -> str:
    """``xml.sax.saxutils.escape``, whose import pulls in urllib, http and ssl (a tenth of
    the time of a small ``generate``)."""
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


def cached(value: Stored) -> tuple[str, str]:
    """(the cell's type attribute, the text of its ``<v>``) as Excel caches ``value``."""
    if isinstance(value, bool):
        return ' t="b"', "1" if value else "0"
    if isinstance(value, str):
        return ' t="str"', escape(value)
    return "", repr(float(value))
