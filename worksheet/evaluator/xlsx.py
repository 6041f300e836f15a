"""Read a saved .xlsx into a ``Book``: the zip and its XML parsed directly, in one pass per sheet.

A spreadsheet library would either drop the formulas or the cached values; reading the parts
ourselves gets both at once, streams large sheets, and lets us refuse what we cannot vouch for
(macros, foreign files) with a clear message. Every part goes through the same bounded stream
(``xmlstream``); what the workbook part and its relationships declare is checked in
``declared``. A check proves what a person sees, so what would show or compute other values
than the ones read (calculation settings, styles, theme colours) is read and refused here too.
"""

from __future__ import annotations

import os

from worksheet.evaluator.archive import open_package
from worksheet.evaluator.book import Book
from worksheet.evaluator.calcsettings import CalcSettings, Tee
from worksheet.evaluator.declared import (
    WORKBOOK,
    WORKBOOK_RELS,
    check_main_part,
    defined_names,
    refuse_code,
    relationships,
    sheets,
)
from worksheet.evaluator.limits import MAX_SMALL_PART_BYTES
from worksheet.evaluator.package import Package
from worksheet.evaluator.sharedstrings import SharedStringsReader
from worksheet.evaluator.sheetformulas import Totals
from worksheet.evaluator.sheetxml import SheetReader
from worksheet.evaluator.styles import StylesReader
from worksheet.evaluator.theme import ThemeReader
from worksheet.evaluator.workbookxml import WorkbookReader


def read_book(path: str | os.PathLike[str], max_cells: int | None = None) -> Book:
    """Read a workbook's sheets, cells (formula and cached value) and defined names;
    ``max_cells`` lowers the limit on stored cells (``limits.MAX_CELLS``) for a caller that
    knows the file should hold fewer, so that reading stops as soon as it holds more.

    Raises BookError when the file is not a readable, macro-free .xlsx workbook.
    """
    label = os.fspath(path)
    with open_package(path, label) as pkg:
        return _read(pkg, label, max_cells)


def _read(pkg: Package, path: str, max_cells: int | None = None) -> Book:
    """Read the parts of an opened package, workbook first, then each sheet."""
    if not pkg.has(WORKBOOK):
        raise pkg.fail(f"not an .xlsx workbook (no {WORKBOOK})")
    check_main_part(pkg)
    refuse_code(pkg)
    workbook = WorkbookReader(pkg.fail, WORKBOOK)
    pkg.stream(WORKBOOK, Tee(workbook, CalcSettings(pkg.fail, WORKBOOK)), MAX_SMALL_PART_BYTES)
    rels = relationships(pkg, WORKBOOK_RELS, "xl")
    parts, hidden = sheets(pkg, workbook.sheets, rels)
    book = Book(path=path, sheet_names=[name for name, _ in parts], hidden=hidden)
    book.names = defined_names(pkg, workbook.defined, book.sheet_names)
    totals = Totals(max_cells)
    strings = _shared_strings(pkg, rels, totals)
    styles = _styles(pkg, rels)
    for name, part in parts:
        if part is not None:
            reader = SheetReader(name, strings, book.cells, pkg.fail, totals, styles)
            pkg.stream(part, reader)
            book.merged[name] = reader.merges
    return book


def styles_of(pkg: Package, rels: dict[str, tuple[str, str]]) -> dict[str, str]:
    """What each cell style would hide, and which wrap text (``StyleLooks.wraps``)."""
    return _styles(pkg, rels)


def _styles(pkg: Package, rels: dict[str, tuple[str, str]]) -> dict[str, str]:
    """What each cell style would hide (see ``styles``), found by its relationship."""
    found = [target for target, kind in rels.values() if kind.endswith("/styles")]
    if len(found) > 1:
        raise pkg.fail(f"more than one styles part in {WORKBOOK_RELS}")
    if not found:
        return {"0": ""}
    reader = StylesReader(pkg.fail, found[0], _theme(pkg, rels))
    pkg.stream(found[0], reader, MAX_SMALL_PART_BYTES)
    return reader.problems()


def _theme(pkg: Package, rels: dict[str, tuple[str, str]]) -> list[str]:
    """The theme's colours, which font colours may name (see ``theme``)."""
    found = [target for target, kind in rels.values() if kind.endswith("/theme")]
    if len(found) > 1:
        raise pkg.fail(f"more than one theme in {WORKBOOK_RELS}")
    if not found:
        return []
    reader = ThemeReader(pkg.fail, found[0])
    pkg.stream(found[0], reader, MAX_SMALL_PART_BYTES)
    return reader.scheme()


def _shared_strings(pkg: Package, rels: dict[str, tuple[str, str]], totals: Totals) -> list[str]:
    """The shared string table, found as applications find it: by its relationship."""
    found = [target for target, kind in rels.values() if kind.endswith("/sharedStrings")]
    if len(found) > 1:
        raise pkg.fail(f"more than one shared string table in {WORKBOOK_RELS}")
    if not found:
        return []
    reader = SharedStringsReader(pkg.fail, totals)
    pkg.stream(found[0], reader)
    return reader.strings
