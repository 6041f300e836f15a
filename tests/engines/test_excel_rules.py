"""Excel's documented limits, linted over every workbook of the matrix.

From Microsoft's "Excel specifications and limits" and "Names in formulas": a defined name
starts with a letter, ``_`` or ``\\``, goes on with letters, digits, ``.`` and ``_``, is at
most 255 characters, is no cell reference (``w1``, ``XFD1``) nor R1C1 reference (``R``,
``C``, ``R1C1``), and is unique (case-insensitive) in its scope; a sheet name is 1-31
characters without ``[]:*?/\\``, not quoted, not ``History``; a formula is at most 8,192
characters with at most 64 nested functions, each a function Excel has; a workbook has at
most 64,000 cell formats; a cell holds at most 32,767 characters, in 1,048,576 rows and
16,384 columns.  And the file says what it is and which version of this tool wrote it.
"""

from __future__ import annotations

import re
import zipfile
from xml.etree import ElementTree

import pytest
from engine_matrix import CASES, Generated, workbook_for

from worksheet import __version__

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
MAX_COLUMN, MAX_ROW = 16_384, 1_048_576

# Excel's worksheet functions that files name without a prefix (Excel 2007's list, by
# category); later ones are written ``_xlfn.NAME`` and listed in NEWER.
EXCEL_FUNCTIONS = frozenset(
    """
    ABS ACOS ACOSH ASIN ASINH ATAN ATAN2 ATANH CEILING COMBIN COS COSH DEGREES EVEN EXP FACT
    FACTDOUBLE FLOOR GCD INT LCM LN LOG LOG10 MDETERM MINVERSE MMULT MOD MROUND MULTINOMIAL ODD
    PI POWER PRODUCT QUOTIENT RADIANS RAND RANDBETWEEN ROMAN ROUND ROUNDDOWN ROUNDUP SERIESSUM
    SIGN SIN SINH SQRT SQRTPI SUBTOTAL SUM SUMIF SUMIFS SUMPRODUCT SUMSQ SUMX2MY2 SUMX2PY2
    SUMXMY2 TAN TANH TRUNC
    AND FALSE IF IFERROR NOT OR TRUE
    AVEDEV AVERAGE AVERAGEA AVERAGEIF AVERAGEIFS CORREL COUNT COUNTA COUNTBLANK COUNTIF
    COUNTIFS COVAR DEVSQ FORECAST GEOMEAN HARMEAN INTERCEPT LARGE MAX MAXA MEDIAN MIN MINA
    MODE PERCENTILE QUARTILE RANK SLOPE SMALL STDEV STDEVA STDEVP STDEVPA VAR VARA VARP VARPA
    CHAR CLEAN CODE CONCATENATE DOLLAR EXACT FIND FIXED LEFT LEN LOWER MID PROPER REPLACE REPT
    RIGHT SEARCH SUBSTITUTE T TEXT TRIM UPPER VALUE
    ADDRESS AREAS CHOOSE COLUMN COLUMNS HLOOKUP INDEX INDIRECT LOOKUP MATCH OFFSET ROW ROWS
    TRANSPOSE VLOOKUP
    CELL ERROR.TYPE ISBLANK ISERR ISERROR ISEVEN ISLOGICAL ISNA ISNONTEXT ISNUMBER ISODD ISREF
    ISTEXT N NA TYPE
    DATE DAY HOUR MINUTE MONTH NOW SECOND TIME TODAY WEEKDAY YEAR
    """.split()
)
NEWER = frozenset("IFNA IFS SWITCH XOR CONCAT TEXTJOIN MAXIFS MINIFS STDEV.S STDEV.P".split())

_CELL_LIKE = re.compile(r"\$?([A-Za-z]{1,3})\$?([0-9]+)")
_R1C1_LIKE = re.compile(r"(?:[Rr](?:[0-9]+|\[-?[0-9]+\])?)?(?:[Cc](?:[0-9]+|\[-?[0-9]+\])?)?")
_NAME_CHARS = re.compile(r"[A-Za-z_\\][A-Za-z0-9_.\\]*")
_FUNCTION = re.compile(r"([A-Za-z_][A-Za-z0-9_.]*)\(")
_STRING = re.compile(r'"(?:[^"]|"")*"')
# Sheet!name: a name read through a sheet (Excel and LibreOffice accept it; formualizer gives
# #NAME? and IronCalc #ERROR!, so names are workbook-wide and read bare).
_SHEET = r"(?:'(?:[^']|'')+'|[A-Za-z0-9_.]+)"
_QUALIFIED = re.compile(_SHEET + r"!\$?([A-Za-z_][A-Za-z0-9_.]*)(?![A-Za-z0-9_.($])")


def _column_number(letters: str) -> int:
    number = 0
    for ch in letters.upper():
        number = number * 26 + ord(ch) - 64
    return number


def name_problems(name: str) -> list[str]:
    """Why Excel would refuse ``name`` as a defined name (empty: it is fine)."""
    found = []
    if len(name) > 255:
        found.append("longer than 255 characters")
    if not _NAME_CHARS.fullmatch(name):
        found.append("characters Excel does not allow in a name")
    cell = _CELL_LIKE.fullmatch(name)
    if cell and _column_number(cell[1]) <= MAX_COLUMN and 1 <= int(cell[2]) <= MAX_ROW:
        found.append("reads as a cell reference")
    if name and _R1C1_LIKE.fullmatch(name):
        found.append("reads as an R1C1 reference")
    if name.upper() in ("TRUE", "FALSE"):
        found.append("a logical value")
    return found


def sheet_name_problems(name: str) -> list[str]:
    found = []
    if not 1 <= len(name) <= 31:
        found.append("not 1-31 characters")
    if set(name) & set("[]:*?/\\"):
        found.append("one of []:*?/\\")
    if name.startswith("'") or name.endswith("'"):
        found.append("begins or ends with an apostrophe")
    if name.lower() == "history":
        found.append("History is reserved")
    return found


def nesting(formula: str) -> int:
    """The deepest nesting of function calls (brackets that are no call do not count)."""
    text, depth, deepest, stack = _STRING.sub('""', formula), 0, 0, []
    for i, ch in enumerate(text):
        if ch == "(":
            call = i > 0 and (text[i - 1].isalnum() or text[i - 1] in "_.")
            stack.append(call)
            depth += call
            deepest = max(deepest, depth)
        elif ch == ")" and stack:
            depth -= stack.pop()
    return deepest


def unknown_functions(formula: str) -> set[str]:
    found = set()
    for name in _FUNCTION.findall(_STRING.sub('""', formula)):
        upper = name.upper()
        if upper.startswith("_XLFN."):
            if upper[6:] not in NEWER:
                found.add(name)
        elif upper not in EXCEL_FUNCTIONS:
            found.add(name)  # a newer function without its prefix is #NAME? in Excel too
    return found


def qualified_names(formula: str) -> set[str]:
    """Defined names read as ``Sheet!name`` (cell references such as ``Givens!$C$4`` and
    ``Step!D5`` are not names)."""
    found = set()
    for name in _QUALIFIED.findall(_STRING.sub('""', formula)):
        if not _CELL_LIKE.fullmatch(name):
            found.add(name)
    return found


@pytest.mark.parametrize(
    "name, ok",
    [("w_1", True), ("dL_dw_1_numeric", True), ("x_1_ex2", True), ("_tmp", True),
     ("w1", False), ("XFD1", False), ("xfd1048576", False), ("R", False), ("c", False),
     ("R1C1", False), ("r2", False), ("C", False), ("rc2", False), ("Rate", True),
     ("C3", False), ("RC", False), ("R[1]C[-1]", False),
     ("XFE1", True), ("1x", False), ("has space", False), ("a" * 256, False), ("TRUE", False)],
)  # fmt: skip
def test_the_name_rules_themselves(name, ok):
    assert (name_problems(name) == []) is ok


@pytest.mark.parametrize(
    "formula, depth, unknown",
    [("=1+2", 0, set()), ("=ABS(MAX(1,(2)))", 2, set()), ('=IF("a(b(",EXP(1),0)', 2, set()),
     ("=_xlfn.XOR(TRUE,FALSE)", 1, set()), ("=XOR(TRUE,FALSE)", 1, {"XOR"}),
     ("=SIGMOID(1)", 1, {"SIGMOID"})],
)  # fmt: skip
def test_the_formula_rules_themselves(formula, depth, unknown):
    assert nesting(formula) == depth and unknown_functions(formula) == unknown


@pytest.mark.parametrize(
    "formula, names",
    [("=Step!h_1", {"h_1"}), ("='Step 2'!w_1_new*2", {"w_1_new"}), ("=Givens!$C$4+h_1", set()),
     ("=SUM(Training!A4:A9)", set()), ('="a!b"&Step!D5', set()), ("=Step!$D$5", set()),
     ("=Training!$BC$4", set())],
)  # fmt: skip
def test_names_read_through_a_sheet_are_found(formula, names):
    assert qualified_names(formula) == names


def _workbook_xml(generated: Generated):
    with zipfile.ZipFile(generated.path) as package:
        return (
            ElementTree.fromstring(package.read("xl/workbook.xml")),
            ElementTree.fromstring(package.read("xl/styles.xml")),
            package.read("docProps/core.xml").decode("utf-8"),
        )


@pytest.mark.parametrize("name, args", CASES)
def test_defined_and_sheet_names_follow_excels_rules(name, args):
    case = workbook_for(name, args)
    root, _, _ = _workbook_xml(case)
    problems, seen = {}, set()
    for defined in root.iter(f"{MAIN}definedName"):
        label = defined.get("name", "")
        scope = defined.get("localSheetId")
        if label.startswith("_xlnm."):
            continue  # print areas and titles: Excel's own names
        if (scope, label.upper()) in seen:
            problems[label] = ["repeated in its scope"]
        seen.add((scope, label.upper()))
        if found := name_problems(label):
            problems[label] = found
    sheets = [sheet.get("name", "") for sheet in root.iter(f"{MAIN}sheet")]
    problems |= {s: found for s in sheets if (found := sheet_name_problems(s))}
    if len({s.upper() for s in sheets}) != len(sheets):
        problems["sheets"] = ["two sheet names differ only in case"]
    assert problems == {}
    assert len(seen) > 10  # the names were read: a lint of nothing passes nothing


@pytest.mark.parametrize("name, args", CASES)
def test_formulas_and_cells_stay_within_excels_limits(name, args):
    case = workbook_for(name, args)
    problems = {}
    for ref, cell in case.book.cells.items():
        found = []
        if ref.row > MAX_ROW or ref.col > MAX_COLUMN:
            found.append("outside the grid")
        if isinstance(cell.value, str) and len(cell.value) > 32_767:
            found.append("text longer than 32,767 characters")
        if cell.formula is not None:
            if len(cell.formula) - 1 > 8_192:
                found.append("formula longer than 8,192 characters")
            if nesting(cell.formula) > 64:
                found.append("more than 64 nested functions")
            if unknown := unknown_functions(cell.formula):
                found.append(f"functions Excel lacks: {sorted(unknown)}")
            if qualified := qualified_names(cell.formula):
                found.append(f"names read through a sheet: {sorted(qualified)}")
        if found:
            problems[str(ref)] = found
    assert problems == {}


@pytest.mark.parametrize("name, args", CASES)
def test_cell_formats_stay_under_64000(name, args):
    _, styles, _ = _workbook_xml(workbook_for(name, args))
    formats = styles.find(f"{MAIN}cellXfs")
    assert 0 < len(list(formats)) < 64_000


@pytest.mark.parametrize("name, args", CASES)
def test_the_file_says_what_it_is_and_which_version_wrote_it(name, args):
    _, _, core = _workbook_xml(workbook_for(name, args))
    creator = re.search(r"<dc:creator>([^<]*)</dc:creator>", core)
    assert creator and "worksheet" in creator[1] and __version__ in creator[1]
    assert re.search(r"<dc:title>[^<]+</dc:title>", core)
    assert re.search(r"<dc:subject>[^<]+</dc:subject>", core)
