"""Read a saved .xlsx into a ``Book``: the zip and its XML parsed directly, in one pass per sheet.

A spreadsheet library would either drop the formulas or the cached values; reading the parts
ourselves gets both at once, streams large sheets, and lets us refuse what we cannot vouch for
(macros, foreign files) with a clear message.
"""

from __future__ import annotations

import os
from xml.etree.ElementTree import Element

from worksheet.evaluator.archive import open_package
from worksheet.evaluator.book import Book
from worksheet.evaluator.limits import MAX_FORMULA, MAX_NAMES, MAX_SHEETS
from worksheet.evaluator.package import Package, attr, local, resolve_target
from worksheet.evaluator.sharedstrings import SharedStringsReader
from worksheet.evaluator.sheetxml import SheetReader, Totals

WORKBOOK = "xl/workbook.xml"
WORKBOOK_RELS = "xl/_rels/workbook.xml.rels"
SHARED_STRINGS = "xl/sharedStrings.xml"
CONTENT_TYPES = "[Content_Types].xml"

# Content types of parts that carry code: VBA projects, Excel 4 macro sheets, .xlsm/.xltm/.xlam.
_CODE_TYPES = ("macroenabled", "vbaproject", "macrosheet")

# Built-in names (print areas, filters) and hidden helper names Excel adds for newer functions.
_BUILTIN_PREFIX = "_xlnm."
_HIDDEN_HELPER_PREFIXES = ("_xlfn.", "_xlws.", "_xlpm.", "_xlnm.")


def read_book(path: str | os.PathLike[str]) -> Book:
    """Read a workbook's sheets, cells (formula and cached value) and defined names.

    Raises BookError when the file is not a readable, macro-free .xlsx workbook.
    """
    label = os.fspath(path)
    with open_package(path, label) as pkg:
        return _read(pkg, label)


def _read(pkg: Package, path: str) -> Book:
    """Read the parts of an opened package, workbook first, then each sheet."""
    if not pkg.has(WORKBOOK):
        raise pkg.fail(f"not an .xlsx workbook (no {WORKBOOK})")
    _refuse_code(pkg)
    root = pkg.xml(WORKBOOK)
    rels = _relationships(pkg)
    sheets = _sheets(pkg, root, rels)
    book = Book(path=path, sheet_names=[name for name, _ in sheets])
    book.names = _defined_names(pkg, root, book.sheet_names)
    strings = _shared_strings(pkg, rels)
    totals = Totals()
    for name, part in sheets:
        if part is not None:
            pkg.stream(part, SheetReader(name, strings, book.cells, pkg.fail, totals))
    return book


def _refuse_code(pkg: Package) -> None:
    """Refuse a workbook that carries macros, whatever its file name says."""
    for name in pkg.names():
        if name.lower().rpartition("/")[2] == "vbaproject.bin":
            raise pkg.fail(f"macro-enabled workbooks are refused ({name} present)")
    if not pkg.has(CONTENT_TYPES):
        return  # optional for this reader; files from Excel, LibreOffice and openpyxl have it
    for elem in pkg.xml(CONTENT_TYPES):
        kind = elem.get("ContentType", "")
        if any(word in kind.lower() for word in _CODE_TYPES):
            raise pkg.fail(f"macro-enabled workbooks are refused (content type {kind})")


def _relationships(pkg: Package) -> dict[str, tuple[str, str]]:
    """The workbook's relationships: id -> (zip path of the target, relationship type)."""
    if not pkg.has(WORKBOOK_RELS):
        raise pkg.fail(f"missing part {WORKBOOK_RELS}")
    rels: dict[str, tuple[str, str]] = {}
    for rel in pkg.xml(WORKBOOK_RELS):
        if local(rel.tag) != "Relationship" or rel.get("TargetMode") == "External":
            continue
        target, rel_id = rel.get("Target"), rel.get("Id")
        if target and rel_id:
            rels[rel_id] = (resolve_target("xl", target), rel.get("Type", ""))
    return rels


def _sheets(
    pkg: Package, root: Element, rels: dict[str, tuple[str, str]]
) -> list[tuple[str, str | None]]:
    """Sheet names in workbook order with their worksheet part (None for chart sheets)."""
    sheets: list[tuple[str, str | None]] = []
    seen: set[str] = set()  # sheet names and parts, each at most once
    for elem in root.iter():
        if local(elem.tag) != "sheet":
            continue
        name, rel_id = elem.get("name"), attr(elem, "id")
        if not name or rel_id not in rels:
            raise pkg.fail(f"sheet {name!r} has no part in {WORKBOOK_RELS}")
        part, kind = rels[rel_id]
        if kind.endswith("/macrosheet") or kind.endswith("/xlMacrosheet"):
            raise pkg.fail(f"macro sheets are refused (sheet {name})")
        is_worksheet = kind.endswith("/worksheet") or not kind
        if is_worksheet and not pkg.has(part):
            raise pkg.fail(f"missing part {part} (sheet {name})")
        for key in (name.upper(), part.lower()):
            if key in seen:
                raise pkg.fail(f"sheet {name} repeats a sheet name or part ({part})")
            seen.add(key)
        sheets.append((name, part if is_worksheet else None))
        if len(sheets) > MAX_SHEETS:
            raise pkg.fail(f"more than {MAX_SHEETS:,} sheets")
    if not sheets:
        raise pkg.fail("not an .xlsx workbook (no sheets)")
    return sheets


def _defined_names(
    pkg: Package, root: Element, sheet_names: list[str]
) -> dict[tuple[str | None, str], str]:
    """User defined names: (scope sheet or None, NAME) -> refers-to text without '='."""
    names: dict[tuple[str | None, str], str] = {}
    for elem in root.iter():
        if local(elem.tag) != "definedName":
            continue
        name = elem.get("name", "")
        hidden = elem.get("hidden") in ("1", "true")
        helper = hidden and name.startswith(_HIDDEN_HELPER_PREFIXES)
        if name.startswith(_BUILTIN_PREFIX) or helper:
            continue
        scope: str | None = None
        local_id = elem.get("localSheetId")
        if local_id is not None:
            if not local_id.isdigit() or int(local_id) >= len(sheet_names):
                raise pkg.fail(f"defined name {name} has a bad localSheetId {local_id}")
            scope = sheet_names[int(local_id)]
        text = (elem.text or "").strip().removeprefix("=")
        if len(text) > MAX_FORMULA:
            raise pkg.fail(f"defined name {name} longer than {MAX_FORMULA:,} characters")
        names[(scope, name.upper())] = text
        if len(names) > MAX_NAMES:
            raise pkg.fail(f"more than {MAX_NAMES:,} defined names")
    return names


def _shared_strings(pkg: Package, rels: dict[str, tuple[str, str]]) -> list[str]:
    """The shared string table; rich text runs are joined and phonetic hints dropped."""
    part = next((p for p, kind in rels.values() if kind.endswith("/sharedStrings")), None)
    if part is None:
        part = SHARED_STRINGS if pkg.has(SHARED_STRINGS) else None
    if part is None:
        return []
    reader = SharedStringsReader(pkg.fail)
    pkg.stream(part, reader)
    return reader.strings
