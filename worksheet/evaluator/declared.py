"""What a workbook declares about itself, checked the way spreadsheet applications would
read it: its main part, relationships, sheets (name, part, visibility) and defined names.

Wherever two applications could resolve a declaration differently, the file is refused
instead: a relationship id, sheet name or defined name repeated (LibreOffice keeps the first
of two names, our old reader kept the last), names Excel would not accept, a main part other
than the one read here.
"""

from __future__ import annotations

import re

from worksheet.evaluator.limits import MAX_FORMULA, MAX_SMALL_PART_BYTES
from worksheet.evaluator.package import Package, resolve_target
from worksheet.evaluator.workbookxml import Attrs, content_types_reader, relationships_reader

WORKBOOK = "xl/workbook.xml"
WORKBOOK_RELS = "xl/_rels/workbook.xml.rels"
PACKAGE_RELS = "_rels/.rels"
CONTENT_TYPES = "[Content_Types].xml"

# Content types of parts that carry code: VBA projects, Excel 4 macro sheets, .xlsm/.xltm/.xlam.
_CODE_TYPES = ("macroenabled", "vbaproject", "macrosheet")

# Built-in names (print areas, filters) and hidden helper names Excel adds for newer functions.
_BUILTIN_PREFIX = "_xlnm."
_HIDDEN_HELPER_PREFIXES = ("_xlfn.", "_xlws.", "_xlpm.", "_xlnm.")

_R_NAMESPACES = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships}id",
    "http://purl.oclc.org/ooxml/officeDocument/relationships}id",  # Strict
)
_STATES = {"visible": False, "hidden": True, "veryHidden": True}

# Excel's rules: a sheet name has 1-31 characters, none of []:*?/\ or a control character,
# and does not start or end with an apostrophe. A defined name starts with a letter, _ or \,
# continues with letters, digits, _ . \ ?, and is not a cell address in A1 or R1C1 form.
_SHEET_NAME = re.compile(r"(?!')[^\[\]:*?/\\\x00-\x1f\x7f]{1,31}(?<!')")
_DEFINED_NAME = re.compile(r"(?:[^\W\d]|\\)[\w.\\?]{0,254}")
_LOOKS_LIKE_A1 = re.compile(r"[A-Za-z]{1,3}[0-9]{1,7}|(?:[Rr][0-9]*)?(?:[Cc][0-9]*)?")
_TARGET = re.compile(r"[!$&'()*+,\-./0-9;=@A-Z\[\]_a-z~]+")

Rels = dict[str, tuple[str, str]]


def shown(text: str) -> str:
    """A name or value from the file for a message: on one line, short, escapes visible."""
    return ascii(text[:60])[1:-1]


def refuse_code(pkg: Package) -> None:
    """Refuse a workbook that carries macros, whatever its file name says."""
    for name in pkg.names():
        if name.lower().rpartition("/")[2] == "vbaproject.bin":
            raise pkg.fail(f"macro-enabled workbooks are refused ({name} present)")
    if not pkg.has(CONTENT_TYPES):
        return  # optional for this reader; files from Excel, LibreOffice and openpyxl have it
    reader = content_types_reader(pkg.fail, CONTENT_TYPES)
    pkg.stream(CONTENT_TYPES, reader, MAX_SMALL_PART_BYTES)
    for _, attrs in reader.entries:
        kind = attrs.get("ContentType", "")
        if any(word in kind.lower() for word in _CODE_TYPES):
            raise pkg.fail(f"macro-enabled workbooks are refused (content type {shown(kind)})")


def check_main_part(pkg: Package) -> None:
    """Refuse a package whose main part, the one applications open, is not the one read here."""
    if not pkg.has(PACKAGE_RELS):
        return  # applications cannot open it; nothing else could be read in its place
    rels = relationships(pkg, PACKAGE_RELS, "")
    main = [target for target, kind in rels.values() if kind.endswith("/officeDocument")]
    if len(main) != 1 or main[0].lower() != WORKBOOK:
        found = ", ".join(shown(t) for t in main) or "none"
        raise pkg.fail(f"the package's main part is not {WORKBOOK} ({found})")


def relationships(pkg: Package, part: str, base: str) -> Rels:
    """A relationships part: id -> (zip path of the target, type), internal targets only."""
    if not pkg.has(part):
        raise pkg.fail(f"missing part {part}")
    reader = relationships_reader(pkg.fail, part)
    pkg.stream(part, reader, MAX_SMALL_PART_BYTES)
    rels: Rels = {}
    for _, attrs in reader.entries:
        rel_id, target = attrs.get("Id"), attrs.get("Target")
        if not rel_id or target is None:
            raise pkg.fail(f"{part}: a relationship without Id or Target")
        if rel_id in rels:
            raise pkg.fail(f"{part}: relationship {shown(rel_id)} declared twice")
        if attrs.get("TargetMode") == "External":
            rels[rel_id] = ("", "external")
            continue
        if not _TARGET.fullmatch(target):
            raise pkg.fail(f"{part}: relationship target {shown(target)} is not supported")
        rels[rel_id] = (resolve_target(base, target), attrs.get("Type", ""))
    return rels


def sheets(
    pkg: Package, entries: list[Attrs], rels: Rels
) -> tuple[list[tuple[str, str | None]], frozenset[str]]:
    """Sheet names in workbook order with their worksheet part (None for chart sheets), and
    the names of the hidden sheets."""
    found: list[tuple[str, str | None]] = []
    hidden: set[str] = set()
    seen: set[str] = set()  # sheet names and parts, each at most once
    for attrs in entries:
        name, rel_id = attrs.get("name", ""), _rel_id(pkg, attrs)
        if not _SHEET_NAME.fullmatch(name):
            raise pkg.fail(f"bad sheet name '{shown(name)}'")
        if rel_id not in rels:
            raise pkg.fail(f"sheet {name!r} has no part in {WORKBOOK_RELS}")
        part, kind = rels[rel_id]
        state = attrs.get("state", "visible")
        if state not in _STATES:
            raise pkg.fail(f"sheet {name} has an unknown state '{shown(state)}'")
        if _STATES[state]:
            hidden.add(name)
        for key in (name.casefold(), part.lower()):
            if key in seen:
                raise pkg.fail(f"sheet {name} repeats a sheet name or part ({part})")
            seen.add(key)
        found.append((name, _worksheet_part(pkg, name, part, kind)))
    if not found:
        raise pkg.fail("not an .xlsx workbook (no sheets)")
    return found, frozenset(hidden)


def _rel_id(pkg: Package, attrs: Attrs) -> str | None:
    ids = [attrs[key] for key in _R_NAMESPACES if key in attrs]
    if len(ids) > 1:
        raise pkg.fail(f"sheet {shown(attrs.get('name', ''))} has two relationship ids")
    return ids[0] if ids else None


def _worksheet_part(pkg: Package, name: str, part: str, kind: str) -> str | None:
    """The part to read for a sheet: its worksheet, None for a chart sheet; others refused."""
    if kind.endswith("/macrosheet") or kind.endswith("/xlMacrosheet"):
        raise pkg.fail(f"macro sheets are refused (sheet {name})")
    if kind.endswith("/chartsheet"):
        return None
    if not kind.endswith("/worksheet"):
        raise pkg.fail(f"sheet {name} is of a kind not supported ({shown(kind)})")
    if not pkg.has(part):
        raise pkg.fail(f"missing part {part} (sheet {name})")
    return part


def defined_names(
    pkg: Package, entries: list[tuple[Attrs, str]], sheet_names: list[str]
) -> dict[tuple[str | None, str], str]:
    """User defined names: (scope sheet or None, NAME) -> refers-to text without '='."""
    names: dict[tuple[str | None, str], str] = {}
    for attrs, text in entries:
        name = attrs.get("name", "")
        if not _DEFINED_NAME.fullmatch(name) or _LOOKS_LIKE_A1.fullmatch(name):
            raise pkg.fail(f"bad defined name '{shown(name)}'")
        scope: str | None = None
        local_id = attrs.get("localSheetId")
        if local_id is not None:
            if not (local_id.isascii() and local_id.isdigit()) or int(local_id) >= len(sheet_names):
                raise pkg.fail(f"defined name {name} has a bad localSheetId {shown(local_id)}")
            scope = sheet_names[int(local_id)]
        hidden = attrs.get("hidden") in ("1", "true")
        helper = hidden and name.startswith(_HIDDEN_HELPER_PREFIXES)
        if name.startswith(_BUILTIN_PREFIX) or helper:
            continue  # print settings and helpers, never read (LibreOffice repeats print titles)
        key = (scope, name.upper())
        if key in names:
            where = f"on sheet {scope}" if scope is not None else "in the workbook"
            raise pkg.fail(f"defined name {name} is defined twice {where}")
        text = text.strip().removeprefix("=")
        if len(text) > MAX_FORMULA:
            raise pkg.fail(f"defined name {name} longer than {MAX_FORMULA:,} characters")
        names[key] = text
    return names
